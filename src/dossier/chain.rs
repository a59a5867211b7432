//! Tamper-evident history: every event carries the SHA-256 of the event before it, and the
//! dossier keeps the hash of its last event (its `head`).
//!
//! Hashes are computed over a canonical encoding of the event's JSON form in which object
//! keys are sorted by the encoder itself, so they do not depend on how a host stored the
//! events (PostgreSQL `jsonb` reorders keys) or on serde_json's `preserve_order` feature
//! being switched on somewhere in the host's build.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::types::{Actor, CaseChange, Event, EventKind, MovedStep, Rejection, StepDue, TimerDue, Timing};
use crate::diagnostic::Code;
use crate::document::{FileMeta, SubmittedDocument};

/// Lower-case hex SHA-256 of an event (including the hash of its predecessor it carries).
pub(crate) fn event_hash(event: &Event) -> String {
    // Encode into one buffer, then hash once: far cheaper than many small updates.
    let mut buf = Vec::with_capacity(512);
    buf.extend_from_slice(b"motcua-event-1");
    event.feed(&mut buf);
    let digest = Sha256::digest(&buf);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    hex
}

/// The canonical encoding: type-tagged and length-prefixed, so two values encode alike only
/// if they are equal; object keys in sorted order; `None` and empty lists left out, so a
/// field added later with its empty value keeps old hashes. Every struct is destructured
/// without `..`: a new field does not compile until its encoding is decided.
trait Canon {
    fn feed(&self, h: &mut Vec<u8>);
}

fn write_str(s: &str, h: &mut Vec<u8>) {
    h.extend_from_slice(&(s.len() as u64).to_le_bytes());
    h.extend_from_slice(s.as_bytes());
}

/// An object: `{`, then `(key, value)` pairs in the order given (callers pass sorted keys),
/// skipping absent values, then `}`.
struct Object<'h>(&'h mut Vec<u8>);

impl<'h> Object<'h> {
    fn new(h: &'h mut Vec<u8>) -> Self {
        h.extend_from_slice(b"{");
        Object(h)
    }
    fn field(self, key: &str, value: &dyn Canon) -> Self {
        self.0.extend_from_slice(b"k");
        write_str(key, self.0);
        value.feed(self.0);
        self
    }
    fn opt<T: Canon>(self, key: &str, value: &Option<T>) -> Self {
        match value {
            Some(v) => self.field(key, v),
            None => self,
        }
    }
    fn list<T: Canon>(self, key: &str, values: &[T]) -> Self {
        if values.is_empty() { self } else { self.field(key, &values) }
    }
    fn end(self) {
        self.0.extend_from_slice(b"}");
    }
}

impl Canon for &str {
    fn feed(&self, h: &mut Vec<u8>) {
        h.extend_from_slice(b"s");
        write_str(self, h);
    }
}

impl Canon for String {
    fn feed(&self, h: &mut Vec<u8>) {
        self.as_str().feed(h);
    }
}

impl Canon for u64 {
    fn feed(&self, h: &mut Vec<u8>) {
        h.extend_from_slice(b"u");
        h.extend_from_slice(&self.to_le_bytes());
    }
}

impl Canon for u32 {
    fn feed(&self, h: &mut Vec<u8>) {
        u64::from(*self).feed(h);
    }
}

impl Canon for NaiveDate {
    fn feed(&self, h: &mut Vec<u8>) {
        self.to_string().as_str().feed(h);
    }
}

impl Canon for DateTime<FixedOffset> {
    fn feed(&self, h: &mut Vec<u8>) {
        h.extend_from_slice(b"d");
        h.extend_from_slice(&self.timestamp().to_le_bytes());
        h.extend_from_slice(&self.timestamp_subsec_nanos().to_le_bytes());
        h.extend_from_slice(&self.offset().local_minus_utc().to_le_bytes());
    }
}

impl<T: Canon> Canon for &[T] {
    fn feed(&self, h: &mut Vec<u8>) {
        h.extend_from_slice(b"[");
        h.extend_from_slice(&(self.len() as u64).to_le_bytes());
        self.iter().for_each(|v| v.feed(h));
    }
}

impl Canon for Value {
    fn feed(&self, h: &mut Vec<u8>) {
        match self {
            Value::Null => h.extend_from_slice(b"n"),
            Value::Bool(b) => h.extend_from_slice(if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                h.extend_from_slice(b"#");
                write_str(&n.to_string(), h);
            }
            Value::String(s) => s.feed(h),
            Value::Array(items) => items.as_slice().feed(h),
            Value::Object(map) => {
                // Sorted here, whatever order the map iterates in (serde_json's
                // `preserve_order`, a jsonb round trip).
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_unstable();
                keys.into_iter().fold(Object::new(h), |o, k| o.field(k, &map[k])).end();
            }
        }
    }
}

impl Canon for Actor {
    fn feed(&self, h: &mut Vec<u8>) {
        let Actor { role, agency, unit, user } = self;
        Object::new(h).opt("agency", agency).field("role", role).opt("unit", unit).opt("user", user).end();
    }
}

impl Canon for FileMeta {
    fn feed(&self, h: &mut Vec<u8>) {
        let FileMeta { name, media_type, size } = self;
        Object::new(h).field("media_type", media_type).field("name", name).field("size", size).end();
    }
}

impl Canon for SubmittedDocument {
    fn feed(&self, h: &mut Vec<u8>) {
        let SubmittedDocument { id, originals, copies, files, from_database } = self;
        Object::new(h)
            .field("copies", copies)
            .list("files", files)
            .opt("from_database", from_database)
            .field("id", id)
            .field("originals", originals)
            .end();
    }
}

impl Canon for TimerDue {
    fn feed(&self, h: &mut Vec<u8>) {
        let TimerDue { action, at } = self;
        Object::new(h).field("action", action).field("at", at).end();
    }
}

impl Canon for StepDue {
    fn feed(&self, h: &mut Vec<u8>) {
        let StepDue { step, due, timer, unit } = self;
        Object::new(h).opt("due", due).field("step", step).opt("timer", timer).opt("unit", unit).end();
    }
}

impl Canon for CaseChange {
    fn feed(&self, h: &mut Vec<u8>) {
        Object::new(h).opt("case", &self.case).end();
    }
}

impl Canon for MovedStep {
    fn feed(&self, h: &mut Vec<u8>) {
        let MovedStep { from, to, used_minutes } = self;
        Object::new(h).field("from", from).field("to", to).field("used_minutes", used_minutes).end();
    }
}

impl Canon for Timing {
    fn feed(&self, h: &mut Vec<u8>) {
        let Timing { clock_start, appointment, used_minutes, resumed_after, started, provisional_days, deadline_case } =
            self;
        Object::new(h)
            .opt("appointment", appointment)
            .opt("clock_start", clock_start)
            .opt("deadline_case", deadline_case)
            .list("provisional_days", provisional_days)
            .opt("resumed_after", resumed_after)
            .list("started", started)
            .opt("used_minutes", used_minutes)
            .end();
    }
}

impl Canon for EventKind {
    fn feed(&self, h: &mut Vec<u8>) {
        let o = Object::new(h);
        let o = match self {
            EventKind::Submitted { dossier_id, procedure, version, channel, jurisdiction, data, documents } => o
                .field("channel", &u64::from(channel.national_code()))
                .field("data", data)
                .list("documents", documents)
                .field("dossier_id", dossier_id)
                .field("jurisdiction", jurisdiction)
                .field("procedure", procedure)
                .field("type", &"submitted")
                .field("version", version),
            EventKind::ActionTaken { step, action, data, documents, decisions } => {
                let o = o.field("action", action).opt("data", data);
                let o = if decisions.is_empty() {
                    o
                } else {
                    let map: serde_json::Map<String, Value> =
                        decisions.iter().map(|(k, v)| (k.clone(), Value::Bool(*v))).collect();
                    o.field("decisions", &Value::Object(map))
                };
                o.opt("documents", &documents.as_deref()).field("step", step).field("type", &"action_taken")
            }
            EventKind::WithdrawalRequested { reason } => o.opt("reason", reason).field("type", &"withdrawal_requested"),
            EventKind::WithdrawalDeclined { reason } => o.opt("reason", reason).field("type", &"withdrawal_declined"),
            EventKind::Withdrawn => o.field("type", &"withdrawn"),
            EventKind::Extended { appointment, reason } => {
                o.field("appointment", appointment).field("reason", reason).field("type", &"extended")
            }
            EventKind::TimerFired { step, action } => {
                o.field("action", action).field("step", step).field("type", &"timer_fired")
            }
            EventKind::Migrated { from_version, to_version, migration_sha256, steps, waiting, data, documents } => {
                let o = o
                    .field("data", data)
                    .list("documents", documents)
                    .field("from_version", from_version)
                    .field("migration_sha256", migration_sha256)
                    .list("steps", steps)
                    .field("to_version", to_version)
                    .field("type", &"migrated");
                if waiting.is_empty() {
                    o
                } else {
                    let map: serde_json::Map<String, Value> =
                        waiting.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect();
                    o.field("waiting", &Value::Object(map))
                }
            }
        };
        o.end();
    }
}

impl Canon for Event {
    fn feed(&self, h: &mut Vec<u8>) {
        let Event { seq, at, command_id, actor, kind, prev, timing } = self;
        let o =
            Object::new(h).field("actor", actor).field("at", at).field("command_id", command_id).field("kind", kind);
        let o = if prev.is_empty() { o } else { o.field("prev", prev) };
        let o = o.field("seq", seq);
        let o = if timing.is_empty() { o } else { o.field("timing", timing) };
        o.end();
    }
}

fn broken(seq: u64, vi: String, en: String) -> Rejection {
    Rejection::new(Code::TamperedHistory, &format!("events[{}]", seq.saturating_sub(1)), vi, en)
}

/// Checks a dossier's history: sequence numbers 1, 2, 3…, each event carrying the hash of
/// its predecessor, and — when given — the last event hashing to `head` (what the dossier
/// snapshot recorded). Returns the first place where the chain breaks.
///
/// ```
/// use motcua::{Catalogue, Library, Procedure, scenario::Scenario};
/// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "c")?);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "v")?;
/// let procedure = Procedure::from_yaml(
///     include_str!("../../specs/procedures/business-registration.yaml"), "b", &library)?;
/// let scenario = Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "s")?;
/// let timeline = motcua_scenario::run(&scenario, &procedure);
/// let dossier = timeline.dossier().unwrap();
/// let history = dossier.history().to_vec();
/// assert!(motcua::verify_history(&history, Some(dossier.head())).is_ok());
///
/// let mut altered = history.clone();
/// altered[0].at = altered[0].at + chrono::Duration::minutes(1);
/// let err = motcua::verify_history(&altered, Some(dossier.head())).unwrap_err();
/// assert_eq!(err.code, motcua::Code::TamperedHistory);
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn verify_history(history: &[Event], head: Option<&str>) -> Result<(), Rejection> {
    let mut previous: Option<String> = None;
    for (i, event) in history.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if event.seq != expected_seq {
            return Err(broken(
                expected_seq,
                format!("Sự kiện thứ {expected_seq} bị thiếu hoặc sai thứ tự (gặp số {})", event.seq),
                format!("event {expected_seq} is missing or out of order (found number {})", event.seq),
            ));
        }
        let expected_prev = previous.as_deref().unwrap_or("");
        if event.prev != expected_prev {
            return Err(broken(
                expected_seq,
                format!("Sự kiện {expected_seq} không nối tiếp sự kiện trước: một trong hai đã bị sửa"),
                format!("event {expected_seq} does not follow the one before: one of them was altered"),
            ));
        }
        previous = Some(event_hash(event));
    }
    if let (Some(head), Some(last)) = (head, previous.as_deref())
        && head != last
    {
        let n = history.len() as u64;
        return Err(broken(
            n,
            format!("Sự kiện cuối ({n}) đã bị sửa hoặc các sự kiện sau nó đã bị xóa"),
            format!("the last event ({n}) was altered, or events after it were removed"),
        ));
    }
    Ok(())
}
