//! Moving running dossiers to a new version (issue 15, items 4–5): the `migrated` event, the
//! deadline semantics, replay across versions, and properties over random dossiers and random
//! valid mappings between the versions, on the
//! shipped 2025-07-01 pair (district → commune) and variants of it with changed budgets,
//! a shorter legal deadline and a new timer.
//!
//! Times by hand, on vn-gov (08:00–12:00, 13:00–17:00, 480 working minutes a day). Every
//! dossier is submitted online on Fri 2025-06-27 at 09:00 (the clock starts then): 3 working
//! days = 24 h → Fri 09–12, 13–17 (7 h), Mon 06-30 (15 h), Tue 07-01 (23 h), Wed 07-02
//! 08:00–09:00: appointment Wed 2025-07-02 09:00. The district level is abolished overnight:
//! dossiers move on Tue 2025-07-01 at 08:00.

use chrono::{DateTime, FixedOffset};
use motcua::scenario::Scenario;
use motcua::version::{Migration, dry_run, migrate};
use motcua::{
    Actor, AppointmentCause, Code, Command, CommandKind, Dossier, EffectKind, EventKind, Procedure, verify_history,
};
use proptest::prelude::*;

use crate::common::{at, library, procedure, read};

const OLD: &str = "specs/procedures/superseded/household-business-registration-2021.yaml";
const NEW: &str = "specs/procedures/household-business-registration.yaml";
const MIGRATION: &str = "specs/migrations/1.001612-2021.1-to-2025.1.yaml";
const HAPPY: &str = "tests/superseded/scenarios/household-business-registration-2021-happy.yaml";
const MOVE_AT: &str = "2025-07-01T08:00:00+07:00";
const APPOINTMENT: &str = "2025-07-02T09:00:00+07:00";

struct Pair {
    old: Procedure,
    new: Procedure,
    migration: Migration,
}

fn pair() -> Pair {
    let (old, new) = (procedure(OLD), procedure(NEW));
    let migration = Migration::from_yaml(&read(MIGRATION), MIGRATION, &old, &new).unwrap_or_else(|e| panic!("{e}"));
    Pair { old, new, migration }
}

/// The new version edited (`edits`: text replacements) and the shipped migration with its
/// own edits, compiled against it.
fn variant(edits: &[(&str, &str)], migration_edits: &[(&str, &str)]) -> Pair {
    let old = procedure(OLD);
    let mut text = read(NEW);
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let new = Procedure::from_yaml(&text, "variant.yaml", &library()).unwrap_or_else(|e| panic!("{e}"));
    let mut m = read(MIGRATION);
    for (from, to) in migration_edits {
        assert!(m.contains(from), "{from}");
        m = m.replacen(from, to, 1);
    }
    let migration = Migration::from_yaml(&m, "variant-migration.yaml", &old, &new).unwrap_or_else(|e| panic!("{e}"));
    Pair { old, new, migration }
}

fn lookup<'p>(versions: &'p [&'p Procedure]) -> impl Fn(&str, &str) -> Option<&'p Procedure> + 'p {
    move |code, version| versions.iter().copied().find(|p| p.code() == code && p.version() == version)
}

/// The district actors of the old version and the commune actors of the new one, by role.
fn actor(version: &str, role: &str) -> Actor {
    let agency = match (version, role) {
        ("2021.1", "one_stop_officer") => "district_committee",
        ("2021.1", _) => "district_finance_planning",
        (_, "one_stop_officer") => "commune_committee",
        _ => "commune_economic_division",
    };
    if role == "citizen" { Actor::citizen() } else { Actor::official(role, agency) }
}

/// A dossier on the old version, submitted Fri 2025-06-27 09:00, after `steps` (time, role,
/// action).
fn old_dossier(old: &Procedure, steps: &[(&str, &str, &str)]) -> Dossier {
    let mut scenario = Scenario::from_yaml(&read(HAPPY), HAPPY).unwrap_or_else(|e| panic!("{e}"));
    scenario.submit.at = at("2025-06-27T09:00:00+07:00");
    scenario.commands.clear();
    let timeline = motcua_scenario::run(&scenario, old);
    let mut dossier = timeline.dossier().unwrap_or_else(|| panic!("{:?}", timeline.failures())).clone();
    for (i, (when, role, action)) in steps.iter().enumerate() {
        act(&mut dossier, old, &format!("old-{i}"), when, role, action);
    }
    dossier
}

fn act(dossier: &mut Dossier, procedure: &Procedure, id: &str, when: &str, role: &str, action: &str) {
    let command = Command {
        id: id.into(),
        at: at(when),
        actor: actor(procedure.version(), role),
        expected_version: None,
        kind: CommandKind::act(action),
    };
    dossier.apply(procedure, &command).unwrap_or_else(|e| panic!("{action} at {when}: {e}"));
}

fn move_it(p: &Pair, dossier: &Dossier) -> Dossier {
    let (moved, applied) =
        migrate(dossier, &p.old, &p.new, &p.migration, at(MOVE_AT), actor("2025.1", "one_stop_officer"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(applied.events.len(), 1);
    assert_eq!(moved.history().last(), applied.events.first());
    moved
}

/// Replay across the versions gives the live dossier, the chain verifies, the snapshot loads
/// back, and a replay with one version is refused.
fn check_history(p: &Pair, dossier: &Dossier) {
    let versions = [&p.old, &p.new];
    assert_eq!(&Dossier::replay_versions(lookup(&versions), dossier.history()).expect("replay"), dossier);
    verify_history(dossier.history(), Some(dossier.head())).expect("chain");
    let stored: Dossier = serde_json::from_str(&serde_json::to_string(dossier).unwrap()).unwrap();
    assert_eq!(&Dossier::from_snapshot_versions(lookup(&versions), stored, Some(dossier.head())).unwrap(), dossier);
    // Every event's effects can be rebuilt, the migration's too (it cancels and starts steps).
    for event in dossier.history() {
        let effects = dossier.effects_of_versions(lookup(&versions), event.seq).expect("effects");
        if matches!(event.kind, EventKind::Migrated { .. }) {
            assert!(effects.iter().any(|e| matches!(e.kind, EffectKind::StepCancelled { .. })));
        }
    }
    if dossier.history().iter().any(|e| matches!(e.kind, EventKind::Migrated { .. })) {
        let err = Dossier::replay(&p.old, dossier.history()).unwrap_err();
        assert_eq!(err.code, Code::WrongProcedure, "{err}");
        assert!(err.message.en.contains("replay_versions"), "{err}");
        assert_eq!(Dossier::replay(&p.new, dossier.history()).unwrap_err().code, Code::WrongProcedure);
    }
}

/// Runs a scenario that moves its dossier mid-way, loading the versions and the migration
/// its `migrate` commands name from the repository.
fn run_migrating_file(file: &str) -> (motcua_scenario::Timeline, Procedure) {
    let scenario = Scenario::from_yaml(&read(file), file).unwrap_or_else(|e| panic!("{e}"));
    let old = procedure(&scenario.procedure);
    let timeline = motcua_scenario::run_migrating(&scenario, &old, &mut |moved, from| {
        let new = Procedure::from_yaml(&read(&moved.to), &moved.to, &library()).map_err(|e| e.to_string())?;
        let migration =
            Migration::from_yaml(&read(&moved.migration), &moved.migration, from, &new).map_err(|e| e.to_string())?;
        Ok((new, migration))
    });
    (timeline, old)
}

/// The scenario files of `tests/migrations/scenarios/` run a dossier on the old version,
/// move it mid-way and finish it on the new one, every expectation checked; the dossier
/// replays across both versions and its chain verifies.
#[test]
fn every_migrating_scenario_passes_and_replays_across_the_versions() {
    let files = crate::common::yaml_files("tests/migrations/scenarios");
    assert!(!files.is_empty());
    let p = pair();
    for file in &files {
        let (timeline, _) = run_migrating_file(file);
        assert!(timeline.failures().is_empty(), "{file}:\n{}", timeline.failures().join("\n"));
        let dossier = timeline.dossier().expect("submitted");
        assert_eq!(dossier.procedure_version(), "2025.1", "{file}");
        assert!(dossier.history().iter().any(|e| matches!(e.kind, EventKind::Migrated { .. })), "{file}");
        check_history(&p, dossier);
    }
    // The one under review: the district's 14 working hours at the review are on the
    // process-control record, and the commune's review was due at once (12 h budget, 14 h used).
    let (timeline, _) =
        run_migrating_file("tests/migrations/scenarios/household-business-registration-moved-under-review.yaml");
    let dossier = timeline.dossier().unwrap();
    let district = dossier.log().iter().find(|r| r.action == "migrated").expect("the district's record");
    assert_eq!((district.step.as_str(), district.agency.as_deref()), ("review", Some("district_finance_planning")));
    assert_eq!(district.used_minutes, 6 * 60 + 8 * 60);
    let commune =
        dossier.log().iter().find(|r| r.step == "review" && r.action == "propose").expect("the commune's review");
    assert_eq!(commune.agency.as_deref(), Some("commune_economic_division"));
    // The one not yet received: the district desk's 15 working hours are on the record.
    let (timeline, _) =
        run_migrating_file("tests/migrations/scenarios/household-business-registration-moved-before-reception.yaml");
    let district = timeline.dossier().unwrap().log().iter().find(|r| r.action == "migrated").cloned().unwrap();
    assert_eq!((district.step.as_str(), district.agency.as_deref()), ("receive", Some("district_committee")));
    assert_eq!((district.used_minutes, district.allotted_minutes), (900, 240));
    // A scenario that moves its dossier needs a runner that loads the versions.
    let scenario = Scenario::from_yaml(&read(&files[0]), &files[0]).unwrap();
    let plain = motcua_scenario::run(&scenario, &p.old);
    assert!(
        plain.failures().iter().any(|f| f.contains("(migrate)") && f.contains("run_migrating")),
        "{:?}",
        plain.failures()
    );
}

/// Finishes a moved dossier on the new version from `step` to the certificate.
fn finish(p: &Pair, dossier: &mut Dossier, from: &str) {
    let path: &[(&str, &str, &str)] = &[
        ("receive", "one_stop_officer", "accept"),
        ("supplement", "citizen", "resubmit"),
        ("review", "officer", "propose"),
        ("sign", "leader", "sign"),
        ("return_result", "one_stop_officer", "hand_over"),
    ];
    let start = path.iter().position(|(s, ..)| *s == from).expect("step");
    let times = ["2025-07-01T09:00:00+07:00", "2025-07-01T10:00:00+07:00", "2025-07-01T11:00:00+07:00"];
    let times = times.iter().chain(["2025-07-01T14:00:00+07:00", "2025-07-01T15:00:00+07:00"].iter());
    let mut times = times.copied();
    for (step, role, action) in &path[start..] {
        if *step == "supplement" && from != "supplement" {
            continue;
        }
        assert_eq!(dossier.active_step_ids().collect::<Vec<_>>(), [*step]);
        act(dossier, &p.new, &format!("new-{step}"), times.next().unwrap(), role, action);
    }
    assert_eq!(dossier.closure().map(|c| c.outcome.as_str()), Some("issued"));
    // The commune handed the certificate over; the log shows the district's part before.
    assert_eq!(dossier.log().last().unwrap().agency.as_deref(), Some("commune_committee"));
}

#[test]
fn a_dossier_waiting_at_the_district_desk_moves_to_the_commune_desk_with_its_appointment() {
    let p = pair();
    let dossier = old_dossier(&p.old, &[]);
    assert_eq!(dossier.deadline().appointment, at(APPOINTMENT));
    let mut moved = move_it(&p, &dossier);
    assert_eq!((dossier.procedure_version(), moved.procedure_version()), ("2021.1", "2025.1"));
    assert_eq!(moved.deadline().appointment, at(APPOINTMENT));
    // Fri 09:00–17:00 (7 h) and Mon (8 h) in the district desk: 900 of its 240 minutes.
    let record = moved.log().last().unwrap();
    assert_eq!(
        (record.step.as_str(), record.agency.as_deref(), record.action.as_str()),
        ("receive", Some("district_committee"), "migrated")
    );
    assert_eq!((record.used_minutes, record.allotted_minutes), (900, 240));
    assert_eq!(record.left, at(MOVE_AT));
    // The commune desk gets what is left of its half day: nothing, so it is due now.
    assert_eq!(moved.active()[0].step, "receive");
    assert_eq!(moved.active()[0].since, at(MOVE_AT));
    assert_eq!(moved.active()[0].due, Some(at(MOVE_AT)));
    // The event says what moved, with the migration's hash.
    let EventKind::Migrated { from_version, to_version, migration_sha256, steps, data, documents, .. } =
        &moved.history().last().unwrap().kind
    else {
        panic!("not migrated")
    };
    assert_eq!((from_version.as_str(), to_version.as_str()), ("2021.1", "2025.1"));
    assert_eq!(migration_sha256, p.migration.sha256());
    assert_eq!((steps[0].from.as_str(), steps[0].to.as_str(), steps[0].used_minutes), ("receive", "receive", 900));
    assert_eq!(data["owner"]["citizen_id"], "001190012345");
    assert!(data["business_address"].get("district").is_none());
    assert!(documents.iter().any(|d| d.id == "personal_papers"));
    check_history(&p, &moved);
    finish(&p, &mut moved, "receive");
    check_history(&p, &moved);
    // Handed over Tue 15:00, before the appointment of Wed 09:00: early.
    assert_eq!(moved.punctuality(&p.new, at("2025-07-01T15:00:00+07:00")).unwrap(), motcua::Punctuality::Early);
    // Time per agency: the district's part stays on the record beside the commune's.
    let by_agency = moved.time_by_agency();
    assert_eq!(by_agency[&Some("district_committee")], 900);
    assert_eq!(by_agency[&Some("commune_committee")], 60 + 120); // accept 08–09, return 11–14 less lunch
}

#[test]
fn a_dossier_under_review_gets_the_new_budget_minus_the_time_used() {
    let p = pair();
    // Accepted Mon 14:00: review used Mon 14:00–17:00 (180 of 720 minutes).
    let dossier = old_dossier(&p.old, &[("2025-06-30T14:00:00+07:00", "one_stop_officer", "accept")]);
    let mut moved = move_it(&p, &dossier);
    let record = moved.log().last().unwrap();
    assert_eq!((record.step.as_str(), record.agency.as_deref()), ("review", Some("district_finance_planning")));
    assert_eq!((record.used_minutes, record.allotted_minutes), (180, 720));
    // 540 minutes left from Tue 08:00: Tue 08–12, 13–17 (480), Wed 08:00–09:00.
    assert_eq!(moved.active()[0].due, Some(at("2025-07-02T09:00:00+07:00")));
    assert_eq!(moved.deadline().appointment, at(APPOINTMENT));
    // The earlier lines of the record are kept as they were.
    assert_eq!(&moved.log()[..dossier.log().len()], dossier.log());
    finish(&p, &mut moved, "review");
    check_history(&p, &moved);

    // Accepted Fri 10:00: review used Fri 10–12, 13–17 and Mon (840 > 720): never below zero.
    let late = old_dossier(&p.old, &[("2025-06-27T10:00:00+07:00", "one_stop_officer", "accept")]);
    let moved = move_it(&p, &late);
    assert_eq!(moved.log().last().unwrap().used_minutes, 840);
    assert_eq!(moved.active()[0].due, Some(at(MOVE_AT)));
}

#[test]
fn a_dossier_waiting_for_the_applicant_stays_suspended_across_the_move() {
    let p = pair();
    // Accepted Fri 10:00, sent back for changes Mon 09:00: the clock stops then.
    let dossier = old_dossier(
        &p.old,
        &[
            ("2025-06-27T10:00:00+07:00", "one_stop_officer", "accept"),
            ("2025-06-30T09:00:00+07:00", "officer", "request_supplement"),
        ],
    );
    let suspended_since = Some(at("2025-06-30T09:00:00+07:00"));
    assert_eq!(dossier.deadline().suspended_since, suspended_since);
    let (mut moved, applied) =
        migrate(&dossier, &p.old, &p.new, &p.migration, at(MOVE_AT), Actor::citizen()).expect("moved");
    assert_eq!(moved.deadline().suspended_since, suspended_since);
    assert_eq!(moved.deadline().appointment, at(APPOINTMENT));
    assert!(
        !applied.effects.iter().any(|e| matches!(e.kind, EffectKind::ClockResumed { .. } | EffectKind::ClockSuspended))
    );
    assert!(!applied.effects.iter().any(|e| matches!(e.kind, EffectKind::AppointmentSet { .. })));
    assert_eq!(moved.status(), motcua::NationalStatus::SupplementRequested);
    // The applicant resubmits on the new version Tue 10:00: suspended Mon 09:00–Tue 10:00
    // (Mon 7 h, Tue 2 h = 540 min), so the appointment moves from Wed 09:00 to Thu 10:00.
    act(&mut moved, &p.new, "resubmit", "2025-07-01T10:00:00+07:00", "citizen", "resubmit");
    assert_eq!(moved.deadline().appointment, at("2025-07-03T10:00:00+07:00"));
    assert_eq!(moved.deadline().suspended_minutes, 540);
    check_history(&p, &moved);
}

#[test]
fn a_dossier_waiting_for_signature_moves_to_the_commune_leader() {
    let p = pair();
    let dossier = old_dossier(
        &p.old,
        &[
            ("2025-06-27T10:00:00+07:00", "one_stop_officer", "accept"),
            ("2025-06-30T15:00:00+07:00", "officer", "propose"),
        ],
    );
    let mut moved = move_it(&p, &dossier);
    // Sign used Mon 15:00–17:00 (120 of 240): 120 left, due Tue 10:00.
    assert_eq!(moved.log().last().unwrap().used_minutes, 120);
    assert_eq!(moved.active()[0].due, Some(at("2025-07-01T10:00:00+07:00")));
    let applied = moved.history().last().unwrap().clone();
    assert_eq!(applied.timing.started[0].step, "sign");
    finish(&p, &mut moved, "sign");
    check_history(&p, &moved);
}

#[test]
fn a_signed_dossier_is_not_migratable_and_nothing_changes() {
    let p = pair();
    let dossier = old_dossier(
        &p.old,
        &[
            ("2025-06-27T10:00:00+07:00", "one_stop_officer", "accept"),
            ("2025-06-30T15:00:00+07:00", "officer", "propose"),
            ("2025-06-30T16:00:00+07:00", "leader", "sign"),
        ],
    );
    let before = dossier.clone();
    let err = migrate(&dossier, &p.old, &p.new, &p.migration, at(MOVE_AT), Actor::citizen()).unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::NotMigratable, "active"));
    assert!(err.message.en.contains("return_result") && err.message.en.contains("already signed"), "{err}");
    assert!(err.message.vi.contains("Phòng Tài chính - Kế hoạch"), "{err}");
    assert_eq!(dossier, before);
    assert_eq!(dossier.history().len(), 4);
    // It finishes on the old version, pinned.
    let mut pinned = dossier;
    act(&mut pinned, &p.old, "hand-over", "2025-07-01T09:00:00+07:00", "one_stop_officer", "hand_over");
    assert_eq!(pinned.procedure_version(), "2021.1");
    check_history(&p, &pinned);
    let preview = dry_run(&before, &p.old, &p.new, &p.migration, at(MOVE_AT));
    assert_eq!(preview.refused.map(|r| r.code), Some(Code::NotMigratable));
}

#[test]
fn other_refusals_are_coded_and_change_nothing() {
    let p = pair();
    let dossier = old_dossier(&p.old, &[("2025-06-30T14:00:00+07:00", "one_stop_officer", "accept")]);
    // Versions swapped: wrong procedure.
    let err = migrate(&dossier, &p.new, &p.old, &p.migration, at(MOVE_AT), Actor::citizen()).unwrap_err();
    assert_eq!(err.code, Code::WrongProcedure);
    // Already moved: the dossier is on 2025.1 now.
    let moved = move_it(&p, &dossier);
    let err = migrate(&moved, &p.old, &p.new, &p.migration, at(MOVE_AT), Actor::citizen()).unwrap_err();
    assert_eq!(err.code, Code::WrongProcedure);
    // Dated before the last event.
    let err =
        migrate(&dossier, &p.old, &p.new, &p.migration, at("2025-06-30T13:00:00+07:00"), Actor::citizen()).unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::InvalidCommand, "at"));
    // Migrated data that fails the new form: every problem listed.
    let mut broken = Scenario::from_yaml(&read(HAPPY), HAPPY).unwrap();
    broken.commands.clear();
    let invalid = variant(&[], &[("fields:\n  owner.id_number: owner.citizen_id\n", "fields: {}\n")]);
    let d = motcua_scenario::run(&broken, &invalid.old).dossier().unwrap().clone();
    let err = migrate(&d, &invalid.old, &invalid.new, &invalid.migration, at(MOVE_AT), Actor::citizen()).unwrap_err();
    assert_eq!(err.code, Code::InvalidForm, "{err}");
    assert!(err.problems.iter().any(|p| p.path.contains("citizen_id")), "{:?}", err.problems);
    let preview = dry_run(&d, &invalid.old, &invalid.new, &invalid.migration, at(MOVE_AT));
    assert!(preview.refused.is_some_and(|r| !r.problems.is_empty()));
    // A migrated event cannot be sent as a command: replaying one onto the old version
    // alone is refused (above), and a forged one whose steps do not match is invalid.
    let versions = [&p.old, &p.new];
    let mut forged = moved.history().to_vec();
    if let EventKind::Migrated { steps, .. } = &mut forged.last_mut().unwrap().kind {
        steps[0].from = "sign".into();
    }
    let err = Dossier::replay_versions(lookup(&versions), &forged).unwrap_err();
    assert_eq!(err.code, Code::InvalidHistory, "{err}");
    assert!(verify_history(&forged, Some(moved.head())).is_err());
}

/// The variant of 2025.1 with a 1-day review and a 2.5-day legal deadline.
fn shorter() -> [(&'static str, &'static str); 2] {
    [("legal_deadline: 3d", "legal_deadline: 2.5d"), ("budget: 1.5d", "budget: 1d")]
}

#[test]
fn a_changed_budget_counts_the_time_used_and_the_appointment_never_moves_later() {
    // Accepted Mon 14:00: 180 minutes used of review.
    let steps = [("2025-06-30T14:00:00+07:00", "one_stop_officer", "accept")];
    // new_minus_used, keep: 480 − 180 = 300 minutes from Tue 08:00 → Tue 14:00; the
    // appointment stays Wed 09:00 although the new legal deadline is shorter.
    let keep = variant(&shorter(), &[]);
    let dossier = old_dossier(&keep.old, &steps);
    let moved = move_it(&keep, &dossier);
    assert_eq!(moved.active()[0].due, Some(at("2025-07-01T14:00:00+07:00")));
    assert_eq!(moved.deadline().appointment, at(APPOINTMENT));
    check_history(&keep, &moved);

    // earlier_of_both: 2.5 days from Fri 09:00 = 20 h → Tue 14:00, earlier than Wed 09:00.
    let earlier = variant(&shorter(), &[("appointment: keep", "appointment: earlier_of_both")]);
    let (moved, applied) =
        migrate(&dossier, &earlier.old, &earlier.new, &earlier.migration, at(MOVE_AT), Actor::citizen()).unwrap();
    assert_eq!(moved.deadline().appointment, at("2025-07-01T14:00:00+07:00"));
    assert_eq!(moved.deadline().first_appointment, at(APPOINTMENT));
    assert!(applied.effects.iter().any(|e| matches!(
        &e.kind,
        EffectKind::AppointmentSet { appointment, cause: AppointmentCause::Migrated, .. }
            if *appointment == at("2025-07-01T14:00:00+07:00")
    )));
    check_history(&earlier, &moved);

    // earlier_of_both with a longer new deadline (4 days): the appointment stays.
    let longer = variant(
        &[("legal_deadline: 3d", "legal_deadline: 4d")],
        &[("appointment: keep", "appointment: earlier_of_both")],
    );
    let (moved, _) =
        migrate(&dossier, &longer.old, &longer.new, &longer.migration, at(MOVE_AT), Actor::citizen()).unwrap();
    assert_eq!(moved.deadline().appointment, at(APPOINTMENT));

    // keep_remaining: the old due instant stays (Mon 14:00 + 720 min → Wed 09:00).
    let remaining = variant(&shorter(), &[("step_budget: new_minus_used", "step_budget: keep_remaining")]);
    let (moved, _) =
        migrate(&dossier, &remaining.old, &remaining.new, &remaining.migration, at(MOVE_AT), Actor::citizen()).unwrap();
    assert_eq!(dossier.active()[0].due, Some(at("2025-07-02T09:00:00+07:00")));
    assert_eq!(moved.active()[0].due, dossier.active()[0].due);
}

/// 2025.1 with a timer in the applicant's step: the dossier lapses (refused) when the
/// changes are not made within `after`.
fn with_timer(after: &str, policy: &str) -> Pair {
    let lapse = format!(
        "resubmit: {{to: review, name: {{vi: Nộp lại hồ sơ, en: Resubmit}}}}\n      lapse: {{to: refused, after: {after}, name: {{vi: Quá hạn bổ sung, en: Lapse}}}}"
    );
    let lapse: &'static str = Box::leak(lapse.into_boxed_str());
    let policy: &'static str = Box::leak(format!("new_timers: {policy}").into_boxed_str());
    variant(
        &[("resubmit: {to: review, name: {vi: Nộp lại hồ sơ, en: Resubmit}}", lapse)],
        &[("new_timers: start_at_migration", policy)],
    )
}

fn supplement_dossier(old: &Procedure) -> Dossier {
    old_dossier(
        old,
        &[
            ("2025-06-27T10:00:00+07:00", "one_stop_officer", "accept"),
            ("2025-06-30T09:00:00+07:00", "officer", "request_supplement"),
        ],
    )
}

#[test]
fn a_timer_new_in_the_target_version_starts_at_the_migration_once() {
    let p = with_timer("2d", "start_at_migration");
    let dossier = supplement_dossier(&p.old);
    assert_eq!(dossier.next_due(), None);
    let (mut moved, _) = migrate(&dossier, &p.old, &p.new, &p.migration, at(MOVE_AT), Actor::citizen()).unwrap();
    // Two working days from Tue 08:00: Wed 17:00.
    let fires = at("2025-07-02T17:00:00+07:00");
    assert_eq!(moved.next_due(), Some(fires));
    assert!(moved.advance(&p.new, at("2025-07-02T16:59:00+07:00")).unwrap().events.is_empty());
    let fired = moved.advance(&p.new, fires).unwrap();
    assert_eq!(fired.events.len(), 1);
    assert!(matches!(&fired.events[0].kind, EventKind::TimerFired { action, .. } if action == "lapse"));
    assert_eq!(moved.closure().map(|c| c.outcome.as_str()), Some("refused"));
    assert!(moved.advance(&p.new, at("2025-07-10T08:00:00+07:00")).unwrap().events.is_empty());
    check_history(&p, &moved);

    // from_step_entry: two working days from Mon 09:00 → Wed 09:00.
    let p = with_timer("2d", "from_step_entry");
    let (moved, _) = migrate(&dossier, &p.old, &p.new, &p.migration, at(MOVE_AT), Actor::citizen()).unwrap();
    assert_eq!(moved.next_due(), Some(at("2025-07-02T09:00:00+07:00")));
}

#[test]
fn a_timer_already_due_at_the_migration_fires_once_not_twice() {
    // from_step_entry with half a day: due Mon 14:00, before the move → fires at the move.
    let p = with_timer("0.5d", "from_step_entry");
    let dossier = supplement_dossier(&p.old);
    let (mut moved, _) = migrate(&dossier, &p.old, &p.new, &p.migration, at(MOVE_AT), Actor::citizen()).unwrap();
    assert_eq!(moved.next_due(), Some(at(MOVE_AT)));
    let fired = moved.advance(&p.new, at("2025-07-03T08:00:00+07:00")).unwrap();
    let timers = fired.events.iter().filter(|e| matches!(e.kind, EventKind::TimerFired { .. })).count();
    assert_eq!(timers, 1);
    assert_eq!(fired.events[0].at, at(MOVE_AT));
    assert!(moved.advance(&p.new, at("2025-07-04T08:00:00+07:00")).unwrap().events.is_empty());
    check_history(&p, &moved);
}

#[test]
fn the_dry_run_reports_steps_due_dates_and_the_appointment_without_writing() {
    let p = pair();
    let dossier = old_dossier(&p.old, &[("2025-06-30T14:00:00+07:00", "one_stop_officer", "accept")]);
    let before = dossier.clone();
    let preview = dry_run(&dossier, &p.old, &p.new, &p.migration, at(MOVE_AT));
    assert_eq!(dossier, before);
    assert!(preview.refused.is_none());
    assert_eq!((preview.from_version.as_str(), preview.to_version.as_str()), ("2021.1", "2025.1"));
    let step = &preview.steps[0];
    assert_eq!((step.from.as_str(), step.to.as_deref(), step.used_minutes), ("review", Some("review"), Some(180)));
    assert_eq!((step.due_before, step.due_after), (Some(at(APPOINTMENT)), Some(at(APPOINTMENT))));
    assert_eq!((preview.appointment_before, preview.appointment_after), (at(APPOINTMENT), Some(at(APPOINTMENT))));
}

/// A random walk on the old version: at each step an action some active step offers (timer
/// actions excluded), taken after a random number of working minutes.
fn walk(old: &Procedure, choices: &[(u8, u16)]) -> Dossier {
    let mut dossier = old_dossier(old, &[]);
    for (i, (pick, minutes)) in choices.iter().enumerate() {
        if dossier.closure().is_some() {
            break;
        }
        let actions = dossier.available_actions(old);
        let (step, action) = actions[usize::from(*pick) % actions.len()];
        let role = old.step_by_id(step).unwrap().role();
        let when = old.calendar().add_minutes(dossier.updated_at(), u64::from(*minutes)).unwrap();
        let command = Command {
            id: format!("walk-{i}"),
            at: when,
            actor: actor(old.version(), role),
            expected_version: None,
            kind: CommandKind::act(action),
        };
        dossier.apply(old, &command).unwrap_or_else(|e| panic!("{action}: {e}"));
    }
    dossier
}

fn later(p: &Procedure, dossier: &Dossier, minutes: u16) -> DateTime<FixedOffset> {
    p.calendar().add_minutes(dossier.updated_at(), u64::from(minutes)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn migrating_random_dossiers_keeps_every_promise(
        before in proptest::collection::vec((any::<u8>(), 0u16..900), 0..7),
        wait in 0u16..1500,
        after in proptest::collection::vec((any::<u8>(), 0u16..600), 0..6),
        earlier in any::<bool>(),
    ) {
        let p = if earlier {
            variant(&shorter(), &[("appointment: keep", "appointment: earlier_of_both")])
        } else {
            pair()
        };
        let dossier = walk(&p.old, &before);
        let snapshot = dossier.clone();
        let when = later(&p.old, &dossier, wait);
        match migrate(&dossier, &p.old, &p.new, &p.migration, when, Actor::citizen()) {
            Err(err) => {
                // Refused exactly when closed or signed at the district; nothing changed.
                prop_assert_eq!(&dossier, &snapshot);
                let signed = dossier.active_step_ids().any(|s| s == "return_result");
                prop_assert!(dossier.closure().is_some() || signed, "{}", err);
                prop_assert_eq!(err.code, if signed { Code::NotMigratable } else { Code::DossierClosed });
            }
            Ok((mut moved, _)) => {
                prop_assert_eq!(&dossier, &snapshot);
                prop_assert_eq!(moved.procedure_version(), "2025.1");
                // The appointment never moves later (the shipped pair's applicant step stays
                // suspended, so no suspension ends at the move).
                prop_assert!(moved.deadline().appointment <= dossier.deadline().appointment);
                if !earlier {
                    prop_assert_eq!(moved.deadline().appointment, dossier.deadline().appointment);
                }
                prop_assert_eq!(moved.deadline().suspended_since, dossier.deadline().suspended_since);
                // Used time is never lost: the record keeps every line and adds one per
                // active step with the working time it used.
                prop_assert_eq!(&moved.log()[..dossier.log().len()], dossier.log());
                let added = &moved.log()[dossier.log().len()..];
                prop_assert_eq!(added.len(), dossier.active().len());
                for (record, active) in added.iter().zip(dossier.active()) {
                    let used = p.old.calendar().elapsed(active.since, when).unwrap();
                    prop_assert_eq!((&record.step, record.used_minutes, record.entered), (&active.step, used, active.since));
                }
                for (agency, minutes) in dossier.time_by_agency() {
                    prop_assert!(moved.time_by_agency()[&agency] >= minutes);
                }
                // Never below zero: a step's due instant is not before the move.
                for a in moved.active() {
                    prop_assert!(a.due.is_none_or(|d| d >= when));
                }
                check_history(&p, &moved);
                // Continue on the new version; the history still replays across both.
                let mut moved2 = moved.clone();
                for (i, (pick, minutes)) in after.iter().enumerate() {
                    if moved2.closure().is_some() {
                        break;
                    }
                    let actions = moved2.available_actions(&p.new);
                    let (step, action) = actions[usize::from(*pick) % actions.len()];
                    let role = p.new.step_by_id(step).unwrap().role();
                    let command = Command {
                        id: format!("after-{i}"),
                        at: later(&p.new, &moved2, *minutes),
                        actor: actor("2025.1", role),
                        expected_version: None,
                        kind: CommandKind::act(action),
                    };
                    moved2.apply(&p.new, &command).unwrap();
                }
                check_history(&p, &moved2);
                moved = moved2;
                prop_assert!(moved.version() > dossier.version());
            }
        }
    }
}

/// The steps of both versions of the shipped pair (the same ids, other agencies).
const STEPS: [&str; 5] = ["receive", "review", "supplement", "sign", "return_result"];

/// A migration between the shipped pair written from random choices: each old step goes to
/// the new step `targets[i]` (`None`: not migratable), the field and document renames and
/// the dropped field each kept or left out, and each deadline policy either way.
fn random_migration(targets: &[Option<usize>], renames: (bool, bool, bool), policies: (bool, bool, bool)) -> String {
    let mut text = String::from(
        "motcua: 1\nprocedure: \"1.001612\"\nfrom: \"2021.1\"\nto: \"2025.1\"\n\
         name: {vi: Chuyển ngẫu nhiên, en: A random move}\nsteps:\n",
    );
    for (step, target) in STEPS.iter().zip(targets) {
        match target {
            Some(t) => text.push_str(&format!("  {step}: {{to: {}}}\n", STEPS[*t])),
            None => text.push_str(&format!("  {step}:\n    not_migratable: {{vi: Giữ lại, en: Kept back}}\n")),
        }
    }
    let (field, dropped, document) = renames;
    if field {
        text.push_str("fields:\n  owner.id_number: owner.citizen_id\n");
    }
    if dropped {
        text.push_str("dropped_fields: [business_address.district]\n");
    }
    if document {
        text.push_str("documents:\n  member_ids: personal_papers\n");
    }
    let (earlier, keep_remaining, from_entry) = policies;
    text.push_str(&format!(
        "deadlines:\n  appointment: {}\n  step_budget: {}\n  new_timers: {}\n",
        if earlier { "earlier_of_both" } else { "keep" },
        if keep_remaining { "keep_remaining" } else { "new_minus_used" },
        if from_entry { "from_step_entry" } else { "start_at_migration" },
    ));
    text
}

/// Working minutes the legal clock has counted by `at`: from its start, less every
/// suspension (the one in progress up to `at`).
fn counted(p: &Procedure, dossier: &Dossier, at: DateTime<FixedOffset>) -> u64 {
    let calendar = p.calendar();
    let deadline = dossier.deadline();
    let open = deadline.suspended_since.map_or(0, |s| calendar.elapsed(s, at).unwrap());
    calendar.elapsed(deadline.clock_start, at).unwrap() - deadline.suspended_minutes - open
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Issue 15's properties over random *mappings*: any valid migration between the pair,
    /// applied to a dossier after a random prefix of commands, either moves it so that the
    /// history replays across both versions, the chain verifies, the legal clock has counted
    /// the same working time, the appointment moves later only when an applicant's
    /// suspension ends at the move, and every active step is the one the mapping names — or
    /// refuses it with a code that says why, leaving it byte-identical. The dry run agrees.
    #[test]
    fn random_valid_mappings_move_or_refuse_without_losing_anything(
        targets in proptest::collection::vec(proptest::option::weighted(0.8, 0usize..5), 5),
        renames in (proptest::bool::weighted(0.85), proptest::bool::weighted(0.85), proptest::bool::weighted(0.85)),
        policies in (any::<bool>(), any::<bool>(), any::<bool>()),
        before in proptest::collection::vec((any::<u8>(), 0u16..900), 0..4),
        wait in 0u16..1200,
    ) {
        let (old, new) = (procedure(OLD), procedure(NEW));
        let text = random_migration(&targets, renames, policies);
        let migration = Migration::from_yaml(&text, "random.yaml", &old, &new)
            .unwrap_or_else(|e| panic!("a valid mapping must compile:\n{text}\n{e}"));
        let p = Pair { old, new, migration };
        let dossier = walk(&p.old, &before);
        let bytes = serde_json::to_string(&dossier).unwrap();
        let when = later(&p.old, &dossier, wait);
        let preview = dry_run(&dossier, &p.old, &p.new, &p.migration, when);
        let target = |step: &str| STEPS.iter().position(|s| *s == step).and_then(|i| targets[i]).map(|t| STEPS[t]);
        match migrate(&dossier, &p.old, &p.new, &p.migration, when, actor("2025.1", "one_stop_officer")) {
            Err(err) => {
                prop_assert_eq!(serde_json::to_string(&dossier).unwrap(), bytes.clone());
                prop_assert_eq!(preview.refused.as_ref().map(|r| r.code), Some(err.code));
                let pinned = dossier.active_step_ids().any(|s| target(s).is_none());
                match err.code {
                    Code::DossierClosed => prop_assert!(dossier.closure().is_some()),
                    Code::NotMigratable => prop_assert!(pinned, "{}", err),
                    Code::InvalidForm => {
                        prop_assert!(!pinned);
                        prop_assert!(!(renames.0 && renames.1 && renames.2), "the shipped renames validate: {}", err);
                        prop_assert!(!err.problems.is_empty());
                    }
                    other => prop_assert!(false, "unexpected refusal {:?}: {}", other, err),
                }
            }
            Ok((moved, applied)) => {
                prop_assert_eq!(serde_json::to_string(&dossier).unwrap(), bytes.clone());
                prop_assert!(preview.refused.is_none());
                prop_assert_eq!(Some(moved.deadline().appointment), preview.appointment_after);
                prop_assert_eq!(moved.procedure_version(), "2025.1");
                prop_assert_eq!(applied.events.len(), 1);
                // Every active step exists in the new version and is the one the mapping names.
                prop_assert_eq!(moved.active().len(), dossier.active().len());
                for (after, before) in moved.active().iter().zip(dossier.active()) {
                    prop_assert!(p.new.step_by_id(&after.step).is_some());
                    prop_assert_eq!(Some(after.step.as_str()), target(&before.step));
                    prop_assert_eq!(after.since, when);
                }
                // The legal clock has counted the same working time, before and after.
                prop_assert_eq!(counted(&p.new, &moved, when), counted(&p.old, &dossier, when));
                prop_assert_eq!(moved.deadline().clock_start, dossier.deadline().clock_start);
                let resumed = dossier.deadline().suspended_since.is_some() && moved.deadline().suspended_since.is_none();
                if !resumed {
                    prop_assert!(moved.deadline().appointment <= dossier.deadline().appointment);
                    // A suspension in progress stays; one starts at the move when the target
                    // step waits for the applicant and the old one did not.
                    let since = dossier.deadline().suspended_since;
                    prop_assert!(moved.deadline().suspended_since == since || (since.is_none()
                        && moved.deadline().suspended_since == Some(when)), "{:?}", moved.deadline());
                }
                // Used time is never lost: one line per active step, with the minutes it used.
                prop_assert_eq!(&moved.log()[..dossier.log().len()], dossier.log());
                for (record, active) in moved.log()[dossier.log().len()..].iter().zip(dossier.active()) {
                    prop_assert_eq!(record.used_minutes, p.old.calendar().elapsed(active.since, when).unwrap());
                }
                for (agency, minutes) in dossier.time_by_agency() {
                    prop_assert!(moved.time_by_agency()[&agency] >= minutes);
                }
                check_history(&p, &moved);
            }
        }
    }
}
