//! Tamper-evident history: every event carries the SHA-256 of the event before it, and the
//! dossier keeps the hash of its last event (its `head`).
//!
//! Hashes are computed over a canonical encoding of the event's JSON form in which object
//! keys are sorted by the encoder itself, so they do not depend on how a host stored the
//! events (PostgreSQL `jsonb` reorders keys) or on serde_json's `preserve_order` feature
//! being switched on somewhere in the host's build.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::types::{Event, Rejection};
use crate::diagnostic::Code;

/// Lower-case hex SHA-256 of an event (including the hash of its predecessor it carries).
pub(crate) fn event_hash(event: &Event) -> String {
    let mut hasher = Sha256::new();
    match serde_json::to_value(event) {
        Ok(value) => write(&value, &mut hasher),
        // An event always serializes; should it not, hash nothing rather than panic.
        Err(_) => hasher.update(b"!"),
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    hex
}

fn write_str(s: &str, h: &mut Sha256) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Type-tagged, length-prefixed, keys sorted: two values encode alike only if they are equal.
fn write(value: &Value, h: &mut Sha256) {
    match value {
        Value::Null => h.update(b"n"),
        Value::Bool(b) => h.update(if *b { b"t" } else { b"f" }),
        Value::Number(n) => {
            h.update(b"#");
            write_str(&n.to_string(), h);
        }
        Value::String(s) => {
            h.update(b"s");
            write_str(s, h);
        }
        Value::Array(items) => {
            h.update(b"[");
            h.update((items.len() as u64).to_le_bytes());
            items.iter().for_each(|v| write(v, h));
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            h.update(b"{");
            h.update((keys.len() as u64).to_le_bytes());
            for key in keys {
                write_str(key, h);
                write(&map[key], h);
            }
        }
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
/// let timeline = scenario.run(&procedure);
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
