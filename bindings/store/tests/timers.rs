//! Timers with three replicas (threads with their own connections): each due timer
//! fires exactly once.

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

use motcua::{EventKind, NationalStatus};

use crate::common::{at, command, read, scenario, submission, targets};

const DOSSIERS: usize = 40;

#[test]
fn three_replicas_fire_each_due_timer_once() {
    let s = scenario("tests/scenarios/birth-registration-supplement-lapsed.yaml");
    for target in targets("timers") {
        let mut store = target.open();
        let code = store.register_procedure(&read(&s.procedure), &s.procedure).unwrap().code;
        for i in 0..DOSSIERS {
            let mut sub = submission(&s);
            sub.dossier_id = format!("T{i:03}");
            store.submit(&code, sub).unwrap();
            // The supplement request starts the applicant's 10-working-day timer.
            store.apply(&format!("T{i:03}"), &command(&s.commands[0], 0, 1).unwrap()).unwrap();
        }
        assert!(store.fire_due(at("2026-03-13T17:00:00+07:00"), 100).unwrap().fired.is_empty(), "nothing due yet");

        let now = at("2026-03-17T08:00:00+07:00");
        let barrier = Arc::new(Barrier::new(3));
        let replicas: Vec<_> = (0..3)
            .map(|_| {
                let target = target.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let mut store = target.open();
                    barrier.wait();
                    let mut fired = Vec::new();
                    loop {
                        let round = store.fire_due(now, 2).unwrap();
                        assert!(round.failed.is_empty(), "{:?}", round.failed);
                        if round.fired.is_empty() {
                            break;
                        }
                        fired.extend(round.fired.into_iter().map(|(id, applied)| (id, applied.events.len())));
                    }
                    fired
                })
            })
            .collect();
        let mut per_dossier: BTreeMap<String, usize> = BTreeMap::new();
        let mut per_replica = Vec::new();
        for r in replicas {
            let fired = r.join().unwrap();
            per_replica.push(fired.len());
            for (id, events) in fired {
                assert_eq!(events, 1);
                *per_dossier.entry(id).or_default() += 1;
            }
        }
        assert_eq!(per_dossier.len(), DOSSIERS, "{}: every timer fired", target.label());
        assert!(per_dossier.values().all(|n| *n == 1), "{}: a timer fired twice: {per_dossier:?}", target.label());
        eprintln!("{}: fired per replica {per_replica:?}", target.label());
        for i in 0..DOSSIERS {
            let id = format!("T{i:03}");
            let events = store.events(&id).unwrap();
            let timers = events.iter().filter(|e| matches!(e.kind, EventKind::TimerFired { .. })).count();
            assert_eq!(timers, 1, "{id}");
            let dossier = store.dossier(&id).unwrap();
            assert_eq!(dossier.status(), NationalStatus::Stopped);
            assert_eq!(dossier.next_due(), None);
            let keys: Vec<String> = store.outbox(&id).unwrap().into_iter().map(|e| e.key).collect();
            assert!(keys.iter().any(|k| k.starts_with(&format!("{id}/3/"))));
            store.verify(&id).unwrap();
        }
        assert!(store.fire_due(now, 100).unwrap().fired.is_empty());
    }
}
