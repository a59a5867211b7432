//! Every shipped scenario, run through the store, gives the same dossier, events and
//! effects as the pure core.

use motcua::{Effect, Procedure};
use motcua_scenario::EntryResult;
use motcua_store::StoreError;

use crate::common::{command, library, read, scenarios, submission, targets};

#[test]
fn every_scenario_through_the_store_matches_the_core() {
    let library = library();
    let mut checked = 0;
    for (n, (file, scenario)) in scenarios().into_iter().enumerate() {
        let text = read(&scenario.procedure);
        let procedure = Procedure::from_yaml(&text, &scenario.procedure, &library).unwrap();
        let timeline = motcua_scenario::run(&scenario, &procedure);
        assert!(timeline.failures().is_empty(), "{file}: {:?}", timeline.failures());
        let core = timeline.dossier().expect("submitted");
        for target in targets(&format!("conformance_{n}")) {
            let mut store = target.open();
            let label = format!("{file} on {}", target.label());
            store.register_procedure(&text, &scenario.procedure).unwrap();
            let id = scenario.submit.dossier_id.clone();
            let mut all_effects: Vec<Effect> = Vec::new();
            let entries = timeline.entries();
            let stored = store.submit(procedure.code(), submission(&scenario)).unwrap();
            let EntryResult::Applied(fx) = &entries[0].result else { panic!("{label}: core refused the submission") };
            assert_eq!(&stored.applied.effects, fx, "{label}: submission effects");
            all_effects.extend(stored.applied.effects);
            let mut version = stored.dossier.version();
            for (i, c) in scenario.commands.iter().enumerate() {
                let entry = &entries[i + 1];
                let got: Result<Vec<Effect>, StoreError> = if c.advance.is_some() {
                    store.fire_due(c.at(), 100).map(|fired| {
                        assert!(fired.failed.is_empty(), "{label}: {:?}", fired.failed);
                        fired.fired.into_iter().flat_map(|(_, a)| a.effects).collect()
                    })
                } else {
                    let cmd = command(c, i, version).unwrap();
                    store.apply(&id, &cmd).map(|s| s.applied.effects)
                };
                match (&entry.result, got) {
                    (EntryResult::Applied(want), Ok(got)) => {
                        assert_eq!(&got, want, "{label}: commands[{i}] effects");
                        all_effects.extend(got);
                    }
                    (EntryResult::Rejected(want), Err(StoreError::Rejected(got))) => {
                        assert_eq!(got.code, want.code, "{label}: commands[{i}] rejection");
                    }
                    (want, got) => panic!("{label}: commands[{i}]: core {want:?}, store {got:?}"),
                }
                version = store.dossier(&id).unwrap().version();
            }
            assert_eq!(&store.dossier(&id).unwrap(), core, "{label}: dossier");
            assert_eq!(store.events(&id).unwrap(), core.history(), "{label}: events");
            let outbox: Vec<Effect> = store.outbox(&id).unwrap().into_iter().map(|e| e.effect).collect();
            assert_eq!(outbox, all_effects, "{label}: outbox");
            assert_eq!(outbox, motcua_store::effects_of_history(&procedure, core), "{label}: outbox vs history");
            let verified = store.verify(&id).unwrap();
            assert_eq!((verified.version, verified.head.as_str()), (core.version(), core.head()), "{label}");
            checked += 1;
        }
    }
    assert!(checked >= 17, "only {checked} scenario runs");
}
