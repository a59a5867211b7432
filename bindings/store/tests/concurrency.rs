//! Several officers on shared dossiers, with stale versions on purpose: no lost update,
//! no duplicate event, every accepted command applied once, the outbox holds exactly the
//! effects of the stored events, replay equals the snapshot.
//!
//! CI size: 4 threads × 300 commands on 50 dossiers. By hand:
//! `MOTCUA_STORE_SOAK=10 cargo test -p motcua-store --release concurrency` (×10 commands).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Barrier};

use motcua::{Actor, Command, CommandKind, Next};
use motcua_store::StoreError;

use crate::common::{Rng, Target, read, scenario, targets};

const BUSINESS: &str = "specs/procedures/business-registration.yaml";

struct Outcome {
    accepted: Vec<(String, String, Vec<u64>)>,
    conflicts: usize,
    rejected: usize,
    duplicates: usize,
    closed: usize,
}

fn officer(target: Target, thread: u64, commands: usize, dossiers: usize) -> Outcome {
    let mut store = target.open();
    let procedure = store.current_procedure("2.001610").unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (thread + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut out = Outcome { accepted: Vec::new(), conflicts: 0, rejected: 0, duplicates: 0, closed: 0 };
    for k in 0..commands {
        let id = format!("C{:03}", rng.below(dossiers as u64));
        let dossier = store.dossier(&id).unwrap();
        let mut options: Vec<(String, String, Actor, bool)> = Vec::new();
        for (step, action) in dossier.available_actions(&procedure) {
            let (_, a) = procedure.step_by_id(step).unwrap().action(action).unwrap();
            // Closing, or leading to a step that can only close (e.g. returning the result).
            let closes = procedure.targets(a).any(|t| match t {
                Next::Outcome(_) => true,
                Next::Step(s) => {
                    s.actions().iter().all(|b| procedure.targets(b).any(|t| matches!(t, Next::Outcome(_))))
                }
            });
            let actor =
                Actor { role: a.role().to_owned(), agency: a.agency().map(str::to_owned), unit: None, user: None };
            options.push((step.to_owned(), action.to_owned(), actor, closes));
        }
        // Prefer actions that keep the dossier open, so commands keep meeting each other.
        let open: Vec<_> = options.iter().filter(|o| !o.3).cloned().collect();
        let pool = if !open.is_empty() && rng.below(40) != 0 { open } else { options };
        let Some((step, action, actor, _)) = pool.get(rng.below(pool.len() as u64) as usize).cloned() else {
            out.closed += 1;
            continue;
        };
        let expected_version = match rng.below(4) {
            0 => None,
            1 if dossier.version() > 1 => Some(dossier.version() - 1), // stale on purpose
            _ => Some(dossier.version()),
        };
        let command = Command {
            id: format!("t{thread}-{k}"),
            at: dossier.updated_at() + chrono::Duration::minutes(1),
            actor,
            expected_version,
            kind: CommandKind::Act { action, step: Some(step), data: None, documents: None },
        };
        match store.apply(&id, &command) {
            Ok(stored) => {
                assert!(!stored.applied.duplicate);
                let seqs: Vec<u64> = stored.applied.events.iter().map(|e| e.seq).collect();
                if rng.below(5) == 0 {
                    let retry = store.apply(&id, &command).unwrap();
                    assert!(retry.applied.duplicate);
                    assert_eq!(retry.applied.events, stored.applied.events);
                    assert_eq!(retry.applied.effects, stored.applied.effects);
                    out.duplicates += 1;
                }
                out.accepted.push((id, command.id, seqs));
            }
            Err(StoreError::VersionConflict { .. }) => out.conflicts += 1,
            Err(StoreError::Rejected(_)) => out.rejected += 1,
            Err(e) => panic!("{}: {e}", target.label()),
        }
    }
    out
}

#[test]
fn officers_on_shared_dossiers_lose_nothing() {
    let scale: usize = std::env::var("MOTCUA_STORE_SOAK").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let (threads, commands, dossiers) = (4u64, 300 * scale, 50);
    let sample = scenario("tests/scenarios/business-registration-happy.yaml");
    for target in targets("concurrency") {
        let mut store = target.open();
        store.register_procedure(&read(BUSINESS), BUSINESS).unwrap();
        for i in 0..dossiers {
            let mut sub = crate::common::submission(&sample);
            sub.dossier_id = format!("C{i:03}");
            sub.command_id = "submit".into();
            store.submit("2.001610", sub).unwrap();
        }
        let started = std::time::Instant::now();
        let barrier = Arc::new(Barrier::new(threads as usize));
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (target, barrier) = (target.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    officer(target, t, commands, dossiers)
                })
            })
            .collect();
        let outcomes: Vec<Outcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let elapsed = started.elapsed();
        let mut accepted: BTreeMap<String, BTreeMap<String, Vec<u64>>> = BTreeMap::new();
        for o in &outcomes {
            for (id, cmd, seqs) in &o.accepted {
                assert!(accepted.entry(id.clone()).or_default().insert(cmd.clone(), seqs.clone()).is_none());
            }
        }
        let total: usize = outcomes.iter().map(|o| o.accepted.len()).sum();
        let conflicts: usize = outcomes.iter().map(|o| o.conflicts).sum();
        let rejected: usize = outcomes.iter().map(|o| o.rejected).sum();
        let duplicates: usize = outcomes.iter().map(|o| o.duplicates).sum();
        let closed: usize = outcomes.iter().map(|o| o.closed).sum();
        eprintln!(
            "{}: {total} accepted, {conflicts} version conflicts, {rejected} rejected, {duplicates} retries, {closed} on closed dossiers, in {elapsed:?}",
            target.label()
        );
        assert!(total > 100, "too few accepted: {total}");
        assert!(conflicts > 0, "stale versions were sent on purpose");

        let procedure = store.current_procedure("2.001610").unwrap();
        let mut events_total = 0;
        for i in 0..dossiers {
            let id = format!("C{i:03}");
            let events = store.events(&id).unwrap();
            events_total += events.len();
            let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
            assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "{id}: contiguous");
            // Each stored event is one accepted command, each accepted command one event.
            let stored: BTreeMap<String, u64> = events[1..].iter().map(|e| (e.command_id.clone(), e.seq)).collect();
            assert_eq!(stored.len(), events.len() - 1, "{id}: a command id stored twice");
            let mine = accepted.remove(&id).unwrap_or_default();
            let want: BTreeMap<String, u64> = mine.iter().map(|(c, s)| (c.clone(), s[0])).collect();
            assert_eq!(stored, want, "{id}: stored events vs acknowledged commands");
            let dossier = store.dossier(&id).unwrap();
            let outbox = store.outbox(&id).unwrap();
            let keys: BTreeSet<&str> = outbox.iter().map(|e| e.key.as_str()).collect();
            assert_eq!(keys.len(), outbox.len(), "{id}: duplicate outbox key");
            let effects: Vec<motcua::Effect> = outbox.into_iter().map(|e| e.effect).collect();
            assert_eq!(effects, motcua_store::effects_of_history(&procedure, &dossier), "{id}: outbox");
            let verified = store.verify(&id).unwrap();
            assert!(verified.snapshot, "{id}: snapshot equals the replay");
        }
        assert_eq!(events_total, dossiers + total, "no lost update");
    }
}
