//! Moving stored dossiers to a new version (issue 15, item 6): one dossier, or every running
//! dossier of a version in batches after a dry run; those that cannot move stay pinned.

use motcua::version::Migration;
use motcua::{Actor, Code, Command, CommandKind, EventKind, Submission};
use motcua_store::{Store, StoreError};

use crate::common::{at, read, scenario, targets};

const OLD: &str = "specs/procedures/superseded/household-business-registration-2021.yaml";
const NEW: &str = "specs/procedures/household-business-registration.yaml";
const MIGRATION: &str = "specs/migrations/1.001612-2021.1-to-2025.1.yaml";
const HAPPY: &str = "tests/superseded/scenarios/household-business-registration-2021-happy.yaml";
const CODE: &str = "1.001612";

fn setup(store: &mut Store) -> Migration {
    store.register_procedure(&read(OLD), OLD).unwrap();
    store.register_procedure(&read(NEW), NEW).unwrap();
    let (old, new) = (store.procedure(CODE, "2021.1").unwrap(), store.procedure(CODE, "2025.1").unwrap());
    Migration::from_yaml(&read(MIGRATION), MIGRATION, &old, &new).unwrap()
}

/// Opens `id` on 2021.1 (Fri 2025-06-27 09:00) and takes the district's `actions`.
fn open(store: &mut Store, id: &str, actions: &[(&str, &str, &str, &str)]) {
    let s = scenario(HAPPY);
    let submission = Submission::new(id, at("2025-06-27T09:00:00+07:00"), Actor::citizen(), s.submit.channel, "001")
        .with_data(s.submit.data, s.submit.documents);
    store.submit_with_version(CODE, "2021.1", submission).unwrap();
    for (i, (when, role, agency, action)) in actions.iter().enumerate() {
        let command = Command {
            id: format!("{id}-{i}"),
            at: at(when),
            actor: Actor::official(role, agency),
            expected_version: None,
            kind: CommandKind::act(action),
        };
        store.apply(id, &command).unwrap();
    }
}

const ACCEPT: (&str, &str, &str, &str) =
    ("2025-06-30T14:00:00+07:00", "one_stop_officer", "district_committee", "accept");
const PROPOSE: (&str, &str, &str, &str) =
    ("2025-06-30T15:00:00+07:00", "officer", "district_finance_planning", "propose");
const SIGN: (&str, &str, &str, &str) = ("2025-06-30T16:00:00+07:00", "leader", "district_finance_planning", "sign");

#[test]
fn one_stored_dossier_moves_and_continues_on_the_new_version() {
    for target in targets("migrate_one") {
        let mut store = target.open();
        let migration = setup(&mut store);
        open(&mut store, "HKD-1", &[ACCEPT]);
        let officer = Actor::official("one_stop_officer", "commune_committee");
        let stored = store.migrate("HKD-1", &migration, at("2025-07-01T08:00:00+07:00"), &officer).unwrap();
        assert_eq!(stored.dossier.procedure_version(), "2025.1");
        assert!(matches!(stored.applied.events[0].kind, EventKind::Migrated { .. }));
        // Loaded back across both versions, verified, and on the desk under 2025.1.
        let loaded = store.dossier("HKD-1").unwrap();
        assert_eq!(loaded, stored.dossier);
        let verified = store.verify("HKD-1").unwrap();
        assert_eq!(verified.events, 3);
        // The effects are in the outbox: the district's queue loses the step, the commune's gains it.
        let outbox = store.outbox("HKD-1").unwrap();
        assert_eq!(outbox.iter().filter(|e| e.seq == 3).count(), stored.applied.effects.len());
        assert!(
            stored.applied.effects.iter().any(|e| matches!(&e.kind, motcua::EffectKind::StepStarted { agency, .. }
            if agency.as_deref() == Some("commune_economic_division")))
        );
        // The commune continues; the district can no longer act.
        let propose = |id: &str, agency: &str| Command {
            id: id.into(),
            at: at("2025-07-01T09:00:00+07:00"),
            actor: Actor::official("officer", agency),
            expected_version: None,
            kind: CommandKind::act("propose"),
        };
        let err = store.apply("HKD-1", &propose("p-district", "district_finance_planning")).unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(r) if r.code == Code::Forbidden), "{err:?}");
        let after = store.apply("HKD-1", &propose("p-commune", "commune_economic_division")).unwrap();
        assert_eq!(after.dossier.active_step_ids().collect::<Vec<_>>(), ["sign"]);
        assert_eq!(store.verify("HKD-1").unwrap().events, 4);
        // The report judges it across both versions: still open on Thu 3 July, past its
        // appointment of Wed 2 July 09:00, it is overdue.
        let report = store.report(at("2025-07-01T00:00:00+07:00"), at("2025-07-03T12:00:00+07:00")).unwrap();
        let line = report.iter().find(|r| r.procedure == CODE).unwrap();
        assert_eq!((line.carried_over, line.in_progress_overdue, line.in_progress_not_due), (1, 1, 0));
        // Moving it again is refused: it is no longer on 2021.1.
        let err = store.migrate("HKD-1", &migration, at("2025-07-01T10:00:00+07:00"), &officer).unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(r) if r.code == Code::WrongProcedure), "{err:?}");
        assert_eq!(store.events("HKD-1").unwrap().len(), 4);
    }
}

#[test]
fn running_dossiers_move_in_batches_after_a_dry_run_and_the_signed_one_stays_pinned() {
    for target in targets("migrate_running") {
        let mut store = target.open();
        let migration = setup(&mut store);
        open(&mut store, "HKD-1", &[]);
        open(&mut store, "HKD-2", &[ACCEPT]);
        open(&mut store, "HKD-3", &[ACCEPT, PROPOSE]);
        open(&mut store, "HKD-4", &[ACCEPT, PROPOSE, SIGN]);
        // A closed one is not running: not listed.
        open(&mut store, "HKD-5", &[("2025-06-27T10:00:00+07:00", "one_stop_officer", "district_committee", "refuse")]);
        let when = at("2025-07-01T08:00:00+07:00");
        let system = Actor { role: motcua::SYSTEM_ROLE.into(), agency: None, unit: None, user: None };

        let dry = store.migrate_running(&migration, when, &system, 2, true).unwrap();
        assert!(dry.dry_run);
        assert_eq!(dry.moved, 0);
        let ids: Vec<&str> = dry.dossiers.iter().map(|p| p.dossier.as_str()).collect();
        assert_eq!(ids, ["HKD-1", "HKD-2", "HKD-3", "HKD-4"]);
        let pinned: Vec<(&str, Code)> = dry.pinned().map(|(id, r)| (id, r.code)).collect();
        assert_eq!(pinned, [("HKD-4", Code::NotMigratable)]);
        // Nothing was written.
        for id in ids {
            assert_eq!(store.dossier(id).unwrap().procedure_version(), "2021.1");
        }

        let done = store.migrate_running(&migration, when, &system, 2, false).unwrap();
        assert_eq!(done.moved, 3);
        assert_eq!(done.dossiers, dry.dossiers, "the move did what the dry run said");
        for id in ["HKD-1", "HKD-2", "HKD-3"] {
            assert_eq!(store.dossier(id).unwrap().procedure_version(), "2025.1", "{id}");
            store.verify(id).unwrap();
        }
        assert_eq!(store.dossier("HKD-4").unwrap().procedure_version(), "2021.1");
        // Run again: nothing left to move but the pinned one.
        let again = store.migrate_running(&migration, when, &system, 10, false).unwrap();
        assert_eq!((again.moved, again.dossiers.len()), (0, 1));
        // The pinned one finishes on the old version.
        let hand_over = Command {
            id: "hand-over".into(),
            at: at("2025-07-01T09:00:00+07:00"),
            actor: Actor::official("one_stop_officer", "district_committee"),
            expected_version: None,
            kind: CommandKind::act("hand_over"),
        };
        let stored = store.apply("HKD-4", &hand_over).unwrap();
        assert_eq!(stored.dossier.closure().map(|c| c.outcome.as_str()), Some("issued"));
    }
}

#[test]
fn a_dry_run_previews_against_an_unregistered_version_and_reports_progress() {
    for target in targets("migrate_preview_target") {
        let mut store = target.open();
        store.register_procedure(&read(OLD), OLD).unwrap();
        let old = store.procedure(CODE, "2021.1").unwrap();
        let library = crate::common::library();
        let new = motcua::Procedure::from_yaml(&read(NEW), NEW, &library).unwrap();
        let migration = Migration::from_yaml(&read(MIGRATION), MIGRATION, &old, &new).unwrap();
        for id in ["HKD-1", "HKD-2", "HKD-3"] {
            open(&mut store, id, &[ACCEPT]);
        }
        open(&mut store, "HKD-4", &[ACCEPT, PROPOSE, SIGN]);
        assert_eq!(store.running_count(CODE, "2021.1").unwrap(), 4);
        let admin = Actor { role: "procedure_admin".into(), agency: None, unit: None, user: Some("admin".into()) };
        let when = at("2025-07-01T08:00:00+07:00");
        let run = motcua_store::MigrationRun { at: when, actor: &admin, batch: 3, dry_run: true, target: Some(&new) };
        let mut seen = Vec::new();
        let report = store
            .migrate_running_with(&migration, &run, &mut |done, total, p| seen.push((done, total, p.refused.is_some())))
            .unwrap();
        assert_eq!(seen, [(1, 4, false), (2, 4, false), (3, 4, false), (4, 4, true)]);
        assert_eq!((report.moved, report.pinned().map(|(id, _)| id).collect::<Vec<_>>()), (0, vec!["HKD-4"]));
        let events = store.events("HKD-1").unwrap().len();
        // Nothing was written: 2025.1 is still unregistered, the dossiers untouched.
        assert_eq!(store.procedure_versions(CODE).unwrap().len(), 1);
        assert_eq!(store.events("HKD-1").unwrap().len(), events);
        // A real run ignores the target: the version must be registered.
        let real = motcua_store::MigrationRun { dry_run: false, ..run };
        let err = store.migrate_running_with(&migration, &real, &mut |_, _, _| {}).unwrap_err();
        assert_eq!(err.code(), "not_found", "{err}");
        assert_eq!(store.dossier("HKD-1").unwrap().procedure_version(), "2021.1");
        // A target that is not the version the migration leads to is refused.
        let other = motcua::Procedure::from_yaml(
            &read(NEW).replacen("version: \"2025.1\"", "version: \"2025.2\"", 1),
            NEW,
            &library,
        )
        .unwrap();
        let wrong = motcua_store::MigrationRun { target: Some(&other), ..run };
        let err = store.migrate_running_with(&migration, &wrong, &mut |_, _, _| {}).unwrap_err();
        assert!(matches!(&err, StoreError::Rejected(r) if r.code == Code::WrongProcedure), "{err:?}");
        // Registered, the same run moves three and pins the signed one.
        store.register_procedure(&read(NEW), NEW).unwrap();
        let report = store.migrate_running_with(&migration, &real, &mut |_, _, _| {}).unwrap();
        assert_eq!((report.moved, report.pinned().count()), (3, 1));
        assert_eq!(store.running_count(CODE, "2021.1").unwrap(), 1);
        assert_eq!(store.running_count(CODE, "2025.1").unwrap(), 3);
        for id in ["HKD-1", "HKD-2", "HKD-3"] {
            store.verify(id).unwrap();
        }
    }
}
