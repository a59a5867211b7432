//! Authorization: at every point of every shipped scenario, every action offered is tried
//! by every actor the spec does not name for it; each try must be a coded rejection that
//! leaves the dossier exactly as it was.

use motcua::scenario::Scenario;
use motcua::{Actor, Code, Command, CommandKind, Dossier, Procedure};

use crate::common::{library, read, scenarios};

/// Every (role, agency) the catalogue allows, plus the applicant, an agency-less official,
/// and at every agency the roles an attacker would try: empty, the engine's own
/// (`system`), and the applicant's with another spelling.
fn every_actor(procedure_library: &motcua::Library) -> Vec<Actor> {
    let spec = procedure_library.catalogue().spec();
    let mut actors = vec![Actor::citizen(), Actor { role: "officer".into(), agency: None, unit: None, user: None }];
    let odd_roles = ["", motcua::SYSTEM_ROLE, "Citizen"];
    for role in spec.roles.iter().filter(|(_, r)| !r.citizen).map(|(id, _)| id.as_str()).chain(odd_roles) {
        for agency in spec.agencies.keys() {
            actors.push(Actor::official(role, agency));
        }
    }
    actors
}

fn allowed(procedure: &Procedure, step: &str, action: &str, actor: &Actor) -> bool {
    let Some(s) = procedure.step_by_id(step) else { return false };
    let Some((_, a)) = s.action(action) else { return false };
    a.role() == actor.role && (a.agency().is_none() || a.agency() == actor.agency.as_deref())
}

/// A command taking `action` of `step`, at the dossier's current `version`.
fn take(
    step: &str,
    action: &str,
    id: String,
    at: chrono::DateTime<chrono::FixedOffset>,
    actor: Actor,
    version: u64,
) -> Command {
    let kind = CommandKind::Act { action: action.to_owned(), step: Some(step.to_owned()), data: None, documents: None };
    Command { id, at, actor, expected_version: Some(version), kind }
}

/// Another listed unit at the same level as `unit`.
fn other_unit(unit: &str) -> &'static str {
    match unit {
        "00070" => "00004",
        u if u.len() == 5 => "00070",
        "79" => "01",
        _ => "79",
    }
}

#[test]
fn every_action_refuses_every_wrong_actor_on_every_shipped_spec() {
    let library = crate::common::library_with_units();
    let actors = every_actor(&library);
    let mut tries = 0usize;
    let mut unit_tries = 0usize;
    for (file, scenario) in scenarios() {
        let procedure =
            Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &library).expect("procedure");
        let timeline = motcua_scenario::run(&scenario, &procedure);
        let history = timeline.dossier().expect("submitted").history().to_vec();
        for k in 1..=history.len() {
            let dossier = Dossier::replay(&procedure, &history[..k]).expect("replay");
            let at = dossier.updated_at();
            for (step, action) in dossier.available_actions(&procedure) {
                for actor in actors.iter().filter(|a| !allowed(&procedure, step, action, a)) {
                    let mut d = dossier.clone();
                    let command = take(step, action, format!("try-{tries}"), at, actor.clone(), d.version());
                    let err = d
                        .apply(&procedure, &command)
                        .expect_err(&format!("{}: {} @ {:?} took {step}.{action}", file, actor.role, actor.agency));
                    assert_eq!(err.code, Code::Forbidden, "{}: {step}.{action} by {actor:?}", file);
                    assert_eq!(err.field, "actor");
                    assert_eq!(d, dossier, "a refused command changed the dossier");
                    tries += 1;
                }
                // The right role and agency, but of another unit, or of none said.
                let (_, spec) = procedure.step_by_id(step).expect("step").action(action).expect("action");
                if procedure.is_citizen_role(spec.role()) || spec.after().is_some() {
                    continue;
                }
                let right = dossier.active().iter().find(|a| a.step == step).and_then(|a| a.unit.clone());
                let right = right.unwrap_or_else(|| panic!("{file}: {step} has no unit"));
                for unit in [Some(other_unit(&right).to_owned()), None] {
                    let mut d = dossier.clone();
                    let actor = motcua::Actor {
                        role: spec.role().to_owned(),
                        agency: spec.agency().map(str::to_owned),
                        unit: unit.clone(),
                        user: None,
                    };
                    let command = take(step, action, format!("unit-{unit_tries}"), at, actor, d.version());
                    let err = d.apply(&procedure, &command).expect_err(&format!("{file}: {step}.{action} by {unit:?}"));
                    assert_eq!(
                        (err.code, err.field.as_str()),
                        (Code::WrongUnit, "actor.unit"),
                        "{file}: {step}.{action}"
                    );
                    assert_eq!(d, dossier, "a refused command changed the dossier");
                    unit_tries += 1;
                }
            }
        }
    }
    // Catalogue: 8 roles × 15 agencies; every shipped scenario point: thousands of tries.
    assert!(tries > 10_000, "only {tries} wrong-actor tries");
    assert!(unit_tries > 100, "only {unit_tries} wrong-unit tries");
}

#[test]
fn only_the_applicant_can_ask_to_withdraw_and_only_the_handling_agency_decides() {
    let library = crate::common::library_with_units();
    let file = "specs/procedures/business-registration.yaml";
    let procedure = Procedure::from_yaml(&read(file), file, &library).expect("procedure");
    let (data, documents) = crate::common::sample_application(file);
    let at = crate::common::at("2026-03-02T09:00:00+07:00");
    let (dossier, _) = Dossier::submit(
        &procedure,
        motcua::Submission::new("DN-W", at, Actor::citizen(), motcua::Channel::Online, "01").with_data(data, documents),
    )
    .expect("submit");
    for actor in every_actor(&library).into_iter().filter(|a| a.role != "citizen") {
        let mut d = dossier.clone();
        let request = Command {
            id: "w".into(),
            at,
            actor: actor.clone(),
            expected_version: None,
            kind: CommandKind::RequestWithdrawal { reason: None },
        };
        assert_eq!(d.apply(&procedure, &request).unwrap_err().code, Code::Forbidden, "{actor:?}");
        assert_eq!(d, dossier);
    }
    let mut d = dossier.clone();
    let request = Command {
        id: "w".into(),
        at,
        actor: Actor::citizen(),
        expected_version: None,
        kind: CommandKind::RequestWithdrawal { reason: None },
    };
    d.apply(&procedure, &request).expect("the applicant may ask");
    let asked = d.clone();
    // The roles the procedure gives the handling agency; any other role there, including
    // the empty one, the engine's and the applicant's, may not decide.
    let roles_there = ["one_stop_officer", "officer", "leader"];
    // Everyone of the dossier's unit (Hà Nội, "01"); below, the handlers of another one.
    let of_hanoi = |a: Actor| Actor { unit: Some("01".into()), ..a };
    for actor in every_actor(&library).into_iter().map(of_hanoi) {
        let handles =
            actor.agency.as_deref() == Some("department_finance") && roles_there.contains(&actor.role.as_str());
        let mut e = asked.clone();
        let confirm = Command {
            id: "c".into(),
            at,
            actor: actor.clone(),
            expected_version: None,
            kind: CommandKind::ConfirmWithdrawal,
        };
        match e.apply(&procedure, &confirm) {
            Ok(_) => assert!(handles, "{actor:?} confirmed a withdrawal it does not handle"),
            Err(err) => {
                assert!(!handles, "{actor:?} should be able to confirm: {err}");
                assert_eq!(err.code, Code::Forbidden);
                assert_eq!(e, asked);
            }
        }
        // The same column for an extension with apology.
        let mut e = dossier.clone();
        let extend = Command {
            id: "x".into(),
            at,
            actor: actor.clone(),
            expected_version: None,
            kind: CommandKind::Extend {
                appointment: crate::common::at("2026-03-20T09:00:00+07:00"),
                reason: "Cần xác minh".into(),
            },
        };
        match e.apply(&procedure, &extend) {
            Ok(_) => assert!(handles, "{actor:?} extended a deadline it does not handle"),
            Err(err) => {
                assert!(!handles, "{actor:?} should be able to extend: {err}");
                assert_eq!(err.code, Code::Forbidden, "{actor:?}");
                assert_eq!(e, dossier);
            }
        }
        // The handlers themselves, of Hồ Chí Minh City or of no unit said: refused.
        if handles {
            for unit in [Some("79".to_owned()), None] {
                let other = Actor { unit, ..actor.clone() };
                for (cmd, before) in [(&confirm, &asked), (&extend, &dossier)] {
                    let mut e = before.clone();
                    let err =
                        e.apply(&procedure, &Command { actor: other.clone(), ..cmd.clone() }).expect_err("other unit");
                    assert_eq!((err.code, err.field.as_str()), (Code::WrongUnit, "actor.unit"), "{other:?}");
                    assert_eq!(&e, before);
                }
            }
        }
    }
}

#[test]
fn only_the_applicant_who_submitted_may_ask_to_withdraw() {
    let file = "specs/procedures/business-registration.yaml";
    let procedure = crate::common::procedure(file);
    let (data, documents) = crate::common::sample_application(file);
    let at = crate::common::at("2026-03-02T09:00:00+07:00");
    let applicant = Actor { user: Some("citizen-1".into()), ..Actor::citizen() };
    let (dossier, _) = Dossier::submit(
        &procedure,
        motcua::Submission::new("DN-A", at, applicant.clone(), motcua::Channel::Online, "01")
            .with_data(data, documents),
    )
    .expect("submit");
    let request = |actor: Actor| Command {
        id: "w".into(),
        at,
        actor,
        expected_version: None,
        kind: CommandKind::RequestWithdrawal { reason: None },
    };
    for other in [Actor { user: Some("citizen-2".into()), ..Actor::citizen() }, Actor::citizen()] {
        let mut d = dossier.clone();
        let err = d.apply(&procedure, &request(other.clone())).expect_err("someone else's dossier");
        assert_eq!((err.code, err.field.as_str()), (Code::Forbidden, "actor"), "{other:?}");
        assert_eq!(d, dossier);
    }
    let mut d = dossier.clone();
    d.apply(&procedure, &request(applicant)).expect("the applicant may ask");
    assert!(d.withdrawal_requested());
}

/// Every leaf of a JSON value as a dotted path with array indices dropped.
fn leaves(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                leaves(v, &path, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| leaves(v, prefix, out)),
        _ => out.push(prefix.to_owned()),
    }
}

#[test]
fn a_hand_off_carries_only_the_fields_and_documents_the_receiving_step_declares() {
    let library = library();
    let mut checked = 0;
    for (file, scenario) in scenarios() {
        let procedure =
            Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &library).expect("procedure");
        let timeline = motcua_scenario::run(&scenario, &procedure);
        for entry in timeline.entries() {
            let motcua_scenario::EntryResult::Applied(effects) = &entry.result else { continue };
            for effect in effects {
                let motcua::EffectKind::HandOff { to_step, data, documents, .. } = &effect.kind else { continue };
                let step = procedure.step_by_id(to_step).expect("step");
                let declared: Vec<String> = step.receives().fields.iter().map(|p| p.join(".")).collect();
                let mut sent = Vec::new();
                leaves(data, "", &mut sent);
                for leaf in &sent {
                    assert!(
                        declared.iter().any(|d| leaf == d || leaf.starts_with(&format!("{d}."))),
                        "{}: `{leaf}` left for {to_step} without being declared in {declared:?}",
                        file
                    );
                }
                for doc in documents {
                    assert!(step.receives().documents.contains(&doc.id), "{}: document {} leaked", file, doc.id);
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} hand-offs checked");
}

#[test]
fn the_birth_hand_offs_split_the_data_between_police_and_insurance() {
    let file = "specs/procedures/birth-registration-residence-insurance.yaml";
    let procedure = crate::common::procedure(file);
    let text = read("tests/scenarios/birth-registration-happy-police-first.yaml");
    let timeline = motcua_scenario::run(&Scenario::from_yaml(&text, "happy.yaml").expect("scenario"), &procedure);
    let mut payloads = std::collections::BTreeMap::new();
    for entry in timeline.entries() {
        if let motcua_scenario::EntryResult::Applied(effects) = &entry.result {
            for e in effects {
                if let motcua::EffectKind::HandOff { to_agency, data, .. } = &e.kind {
                    payloads.insert(to_agency.clone(), data.clone());
                }
            }
        }
    }
    let police = &payloads["commune_police"];
    let insurance = &payloads["social_insurance"];
    assert!(police["residence"].is_object() && police["child"]["full_name"].is_string());
    // The father's ID goes to the police (household registration), never to insurance;
    // the health facility goes to insurance, never to the police; the declarant's phone
    // goes to neither.
    assert!(police["father"]["citizen_id"].is_string());
    assert!(insurance.get("father").is_none(), "{insurance}");
    assert!(insurance["insurance"].is_object());
    assert!(police.get("insurance").is_none(), "{police}");
    assert!(police.get("declarant").is_none() && insurance.get("declarant").is_none());
}

#[test]
fn receiving_an_unknown_field_or_document_is_a_load_error() {
    let file = "specs/procedures/birth-registration-residence-insurance.yaml";
    let text = read(file).replace("documents: [residence_form]", "documents: [residence_from]").replace(
        "fields: [child, mother.full_name, mother.citizen_id, father.full_name",
        "fields: [child, mother.fullname, mother.citizen_id, father.full_name",
    );
    let err = Procedure::from_yaml(&text, file, &library()).unwrap_err();
    let found: Vec<(Code, &str)> = err.diagnostics().iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::UnknownReference, "steps.residence.receives.fields[1]"),
            (Code::UnknownDocument, "steps.residence.receives.documents[0]"),
        ]
    );
}

/// Histories of every shipped scenario, with the head their dossier recorded (built once).
fn scenario_histories() -> &'static [(Vec<motcua::Event>, String)] {
    static HISTORIES: std::sync::OnceLock<Vec<(Vec<motcua::Event>, String)>> = std::sync::OnceLock::new();
    HISTORIES.get_or_init(build_histories)
}

fn build_histories() -> Vec<(Vec<motcua::Event>, String)> {
    let library = library();
    scenarios()
        .into_iter()
        .map(|(_, scenario)| {
            let procedure =
                Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &library).expect("procedure");
            let timeline = motcua_scenario::run(&scenario, &procedure);
            let dossier = timeline.dossier().expect("dossier");
            (dossier.history().to_vec(), dossier.head().to_owned())
        })
        .collect()
}

#[test]
fn histories_verify_and_survive_a_json_round_trip() {
    for (history, head) in scenario_histories() {
        motcua::verify_history(history, Some(head)).expect("a shipped history verifies");
        // As a host would store and reload them (e.g. in a jsonb column).
        let json = serde_json::to_string(&history).expect("serialize");
        let back: Vec<motcua::Event> = serde_json::from_str(&json).expect("deserialize");
        motcua::verify_history(&back, Some(head)).expect("still verifies after a JSON round trip");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// Altering any field of any event, removing any event or swapping two neighbours is
    /// always detected, at or before the place of the change.
    #[test]
    fn any_single_mutation_of_a_history_is_detected(which in 0usize..1000, at in 0usize..1000, how in 0u8..6) {
        let histories = scenario_histories();
        let (history, head) = &histories[which % histories.len()];
        let i = at % history.len();
        let mut mutated = history.clone();
        match how {
            0 => mutated[i].at += chrono::Duration::seconds(1),
            1 => mutated[i].actor.role.push('x'),
            2 => mutated[i].command_id.push('x'),
            3 => mutated[i].timing.used_minutes = Some(mutated[i].timing.used_minutes.unwrap_or(0) + 1),
            4 => {
                mutated.remove(i);
            }
            _ => {
                if i + 1 < mutated.len() {
                    mutated.swap(i, i + 1);
                } else {
                    mutated[i].seq += 1;
                }
            }
        }
        proptest::prop_assume!(&mutated != history);
        let err = motcua::verify_history(&mutated, Some(head));
        proptest::prop_assert!(err.is_err(), "mutation {how} of event {} went unnoticed", i + 1);
        proptest::prop_assert_eq!(err.unwrap_err().code, Code::TamperedHistory);
    }
}
