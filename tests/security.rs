//! Authorization: at every point of every shipped scenario, every action offered is tried
//! by every actor the spec does not name for it; each try must be a coded rejection that
//! leaves the dossier exactly as it was.

use motcua::scenario::Scenario;
use motcua::{Actor, Code, Command, CommandKind, Dossier, Procedure};

use crate::common::{library, read, root};

/// Every (role, agency) the catalogue allows, plus the applicant and an agency-less official.
fn every_actor(procedure_library: &motcua::Library) -> Vec<Actor> {
    let spec = procedure_library.catalogue().spec();
    let mut actors = vec![Actor::citizen(), Actor { role: "officer".into(), agency: None, unit: None, user: None }];
    for (role, r) in &spec.roles {
        if r.citizen {
            continue;
        }
        for agency in spec.agencies.keys() {
            actors.push(Actor::official(role, agency));
        }
    }
    actors
}

fn allowed(procedure: &Procedure, step: &str, action: &str, actor: &Actor) -> bool {
    let Some(ix) = procedure.step_ix(step) else { return false };
    let Some((_, a)) = procedure.step(ix).action(action) else { return false };
    a.role == actor.role && (a.agency.is_none() || a.agency == actor.agency)
}

#[test]
fn every_action_refuses_every_wrong_actor_on_every_shipped_spec() {
    let library = library();
    let actors = every_actor(&library);
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/scenarios"))
        .expect("scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut tries = 0usize;
    for path in files {
        let scenario = Scenario::from_yaml(&std::fs::read_to_string(&path).expect("read"), "s.yaml").expect("scenario");
        let procedure =
            Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &library).expect("procedure");
        let timeline = scenario.run(&procedure);
        let history = timeline.dossier().expect("submitted").history().to_vec();
        for k in 1..=history.len() {
            let dossier = Dossier::replay(&procedure, &history[..k]).expect("replay");
            let at = dossier.updated_at();
            for (step, action) in dossier.available_actions(&procedure) {
                for actor in actors.iter().filter(|a| !allowed(&procedure, step, action, a)) {
                    let mut d = dossier.clone();
                    let command = Command {
                        id: format!("try-{tries}"),
                        at,
                        actor: actor.clone(),
                        expected_version: Some(d.version()),
                        kind: CommandKind::Act {
                            action: action.to_owned(),
                            step: Some(step.to_owned()),
                            data: None,
                            documents: None,
                        },
                    };
                    let err = d.apply(&procedure, &command).expect_err(&format!(
                        "{}: {} @ {:?} took {step}.{action}",
                        path.display(),
                        actor.role,
                        actor.agency
                    ));
                    assert_eq!(err.code, Code::Forbidden, "{}: {step}.{action} by {actor:?}", path.display());
                    assert_eq!(err.field, "actor");
                    assert_eq!(d, dossier, "a refused command changed the dossier");
                    tries += 1;
                }
            }
        }
    }
    // Catalogue: 8 roles × 15 agencies; every shipped scenario point: thousands of tries.
    assert!(tries > 10_000, "only {tries} wrong-actor tries");
}

#[test]
fn only_the_applicant_can_ask_to_withdraw_and_only_the_handling_agency_decides() {
    let library = library();
    let file = "specs/procedures/business-registration.yaml";
    let procedure = crate::common::procedure(file);
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
    for actor in every_actor(&library) {
        let handles = actor.agency.as_deref() == Some("department_finance") && actor.role != "citizen";
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
    }
}
