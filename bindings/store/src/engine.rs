//! Every call into the core engine, in one place: the core is hardened in parallel (a
//! checked snapshot loader, stricter idempotency), and this is the module to adapt.
//!
//! Loading a dossier replays its stored events with the pinned procedure and checks the
//! hash chain against the stored head: the events are the truth, snapshots are a cache.

use chrono::{DateTime, FixedOffset};
use motcua::{Applied, Command, Dossier, Effect, Event, OutcomeKind, Procedure, Punctuality, Rejection, Submission};

/// Opens a dossier.
pub(crate) fn submit(procedure: &Procedure, submission: Submission) -> Result<(Dossier, Applied), Rejection> {
    Dossier::submit(procedure, submission)
}

/// Applies a command to a loaded dossier.
pub(crate) fn apply(dossier: &mut Dossier, procedure: &Procedure, command: &Command) -> Result<Applied, Rejection> {
    dossier.apply(procedure, command)
}

/// Fires the timers due at `now`.
pub(crate) fn advance(
    dossier: &mut Dossier,
    procedure: &Procedure,
    now: DateTime<FixedOffset>,
) -> Result<Applied, Rejection> {
    dossier.advance(procedure, now)
}

/// Rebuilds a dossier from stored events: the hash chain must end at `head`, and the
/// replay through the pinned procedure — or, for a migrated dossier, each version in turn
/// (`procedures` holds every version its history names) — must succeed and end at the
/// same head.
pub(crate) fn load(procedures: &[&Procedure], events: &[Event], head: &str) -> Result<Dossier, String> {
    motcua::verify_history(events, Some(head)).map_err(|r| format!("hash chain: {r}"))?;
    let lookup =
        |code: &str, version: &str| procedures.iter().copied().find(|p| p.code() == code && p.version() == version);
    let dossier = Dossier::replay_versions(lookup, events).map_err(|r| format!("replay: {r}"))?;
    if dossier.head() != head {
        return Err(format!("replay ends at head {}, the dossier row says {head}", dossier.head()));
    }
    Ok(dossier)
}

/// Moves a loaded dossier to a new version (see [`motcua::version::migrate`]).
pub(crate) fn migrate(
    dossier: &Dossier,
    old: &Procedure,
    new: &Procedure,
    migration: &motcua::version::Migration,
    at: DateTime<FixedOffset>,
    actor: motcua::Actor,
) -> Result<(Dossier, Applied), Rejection> {
    motcua::version::migrate(dossier, old, new, migration, at, actor)
}

/// The versions a stored history runs on, in order: the one it was submitted under, then
/// each one a `migrated` event moved it to.
pub(crate) fn versions_of(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            motcua::EventKind::Submitted { version, .. } => Some(version.clone()),
            motcua::EventKind::Migrated { to_version, .. } => Some(to_version.clone()),
            _ => None,
        })
        .collect()
}

/// The dossier as it was just before `until` (events dated before it), if it existed.
/// `procedures` holds every version the history names.
pub(crate) fn state_before(
    procedures: &[&Procedure],
    events: &[Event],
    until: DateTime<FixedOffset>,
) -> Option<Dossier> {
    let n = events.iter().take_while(|e| e.at < until).count();
    if n == 0 {
        return None;
    }
    let lookup =
        |code: &str, version: &str| procedures.iter().copied().find(|p| p.code() == code && p.version() == version);
    Dossier::replay_versions(lookup, &events[..n]).ok()
}

/// The effects of every event of a dossier's history, as the engine rebuilds them (used to
/// check that the outbox holds exactly these).
pub(crate) fn effects_of_history(procedure: &Procedure, dossier: &Dossier) -> Vec<Effect> {
    (1..=dossier.version()).filter_map(|seq| dossier.effects_of(procedure, seq).ok()).flatten().collect()
}

/// What reporting says about a dossier at `at`: whether it counts as late
/// (more than one supplement request, an extension, or past its appointment).
pub(crate) fn late_at(procedure: &Procedure, dossier: &Dossier, at: DateTime<FixedOffset>) -> bool {
    dossier.late_for_reporting(procedure, at).unwrap_or(false)
}

/// The indexed columns of a dossier.
pub(crate) struct Index {
    pub status: i64,
    pub appointment: DateTime<FixedOffset>,
    pub suspended: bool,
    pub next_due: Option<DateTime<FixedOffset>>,
    pub closed: Option<(DateTime<FixedOffset>, &'static str)>,
    /// For a closed dossier: `early`, `on_time` or `late` under the national reporting rule.
    pub verdict: Option<&'static str>,
    pub supplements: i64,
    pub extended: bool,
    /// Agency kinds of the active steps.
    pub agencies: Vec<String>,
    /// `(unit, agency kind)` of the active steps whose unit is resolved (a library with units).
    pub handlers: Vec<(String, String)>,
}

pub(crate) fn outcome_kind_name(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::ResultIssued => "result_issued",
        OutcomeKind::Refused => "refused",
        OutcomeKind::NotReceived => "not_received",
        OutcomeKind::Stopped => "stopped",
        OutcomeKind::Withdrawn => "withdrawn",
    }
}

pub(crate) fn index(procedure: &Procedure, dossier: &Dossier) -> Index {
    let closed = dossier.closure().map(|c| (c.at, outcome_kind_name(c.kind)));
    let verdict = dossier.closure().map(|c| {
        if late_at(procedure, dossier, c.at) {
            "late"
        } else {
            match dossier.punctuality(procedure, c.at) {
                Ok(Punctuality::Early) => "early",
                Ok(Punctuality::Late) => "late",
                _ => "on_time",
            }
        }
    });
    let mut agencies: Vec<String> = dossier
        .active()
        .iter()
        .filter_map(|a| procedure.step_by_id(&a.step).and_then(|s| s.agency().map(str::to_owned)))
        .collect();
    agencies.sort();
    agencies.dedup();
    let mut handlers: Vec<(String, String)> = dossier
        .active()
        .iter()
        .filter_map(|a| {
            let agency = procedure.step_by_id(&a.step).and_then(|s| s.agency().map(str::to_owned))?;
            Some((a.unit.clone()?, agency))
        })
        .collect();
    handlers.sort();
    handlers.dedup();
    Index {
        status: i64::from(dossier.status().code()),
        appointment: dossier.deadline().appointment,
        suspended: dossier.deadline().suspended_since.is_some() && dossier.closure().is_none(),
        next_due: dossier.next_due(),
        closed,
        verdict,
        supplements: i64::from(dossier.supplement_requests()),
        extended: dossier.deadline().extended,
        agencies,
        handlers,
    }
}

/// `(seq, n)` of an effect, from its idempotency key `<dossier>/<seq>/<n>`; `fallback_seq`
/// and the position when the key has another shape.
pub(crate) fn effect_position(effect: &Effect, fallback_seq: u64, position: usize) -> (i64, i64) {
    let mut parts = effect.key.rsplitn(3, '/');
    let n = parts.next().and_then(|s| s.parse::<i64>().ok());
    let seq = parts.next().and_then(|s| s.parse::<i64>().ok());
    match (seq, n) {
        (Some(seq), Some(n)) => (seq, n),
        _ => (fallback_seq as i64, position as i64),
    }
}

/// Reads an effect back from its stored JSON.
///
/// The core writes a hand-off's empty `data` object by leaving the field out, and reads
/// a missing field back as `null`; the engine itself always produces an object, so an
/// absent one is restored as `{}` to give back exactly the effect that was stored.
pub(crate) fn effect_from_json(text: &str) -> Result<Effect, String> {
    let mut effect: Effect = serde_json::from_str(text).map_err(|e| e.to_string())?;
    normalize_effect(&mut effect);
    Ok(effect)
}

pub(crate) fn normalize_effect(effect: &mut Effect) {
    if let motcua::EffectKind::HandOff { data, .. } = &mut effect.kind
        && data.is_null()
    {
        *data = serde_json::Value::Object(serde_json::Map::new());
    }
}
