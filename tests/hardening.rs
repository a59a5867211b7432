//! Regression tests for the holes found by trying the engine as a new user and as an
//! attacker would (issue 12). Each test failed before its fix.

use motcua::{Actor, Channel, Code, Command, CommandKind, Dossier, EffectKind, Procedure, Submission};

use crate::common::{at, library};
use crate::lints::{BASE, assert_one, diagnostics, edit, fork_text};

/// The fork of the lint tests, with a `refused` outcome and `extra` added to the police step.
fn fork_with_police_action(extra: &str) -> String {
    fork_text("return_result", "return_result", "join: true")
        .replace("      done: {to: return_result}\n  insurance:", &format!("      done: {{to: return_result}}\n      {extra}\n  insurance:"))
        .replace("outcomes:\n", "outcomes:\n  refused: {name: {vi: Từ chối}, kind: refused}\n")
}

fn officer(role: &str, agency: &str) -> Actor {
    Actor { unit: Some("00004".into()), ..Actor::official(role, agency) }
}

fn command(id: &str, when: &str, actor: Actor, kind: CommandKind) -> Command {
    Command { id: id.into(), at: at(when), actor, expected_version: None, kind }
}

fn submit(procedure: &Procedure, id: &str) -> Dossier {
    let submission = Submission::new(id, at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "00004");
    Dossier::submit(procedure, submission).expect("submits").0
}

// ---- 1. a fork branch that bypasses its join ----

#[test]
fn a_branch_that_closes_the_dossier_before_the_join_is_a_load_error() {
    let text = fork_with_police_action("refuse: {to: refused}");
    let d = assert_one(&text, Code::BranchBypassesJoin, "refused}", 0, "steps.police.actions.refuse.to");
    assert!(d.help.expect("help").en.contains("cancels_branches: true"));
}

#[test]
fn a_branch_that_loops_back_to_its_fork_before_the_join_is_a_load_error() {
    let text = fork_text("return_result", "return_result", "join: true")
        .replace("      done: {to: return_result}\n  return_result:", "      done: {to: return_result}\n      back: {to: review}\n  return_result:");
    assert_one(&text, Code::BranchBypassesJoin, "review}", 1, "steps.insurance.actions.back.to");
}

#[test]
fn a_branch_that_deliberately_ends_the_dossier_cancels_the_other_branches_with_effects() {
    let text = fork_with_police_action("refuse: {to: refused, cancels_branches: true}");
    let procedure = Procedure::from_yaml(&text, "test.yaml", &library()).unwrap_or_else(|e| panic!("{e}"));
    let mut dossier = submit(&procedure, "HS-FORK");
    let steps = [
        ("c1", "accept", officer("one_stop_officer", "commune_committee")),
        ("c2", "split", officer("officer", "commune_committee")),
    ];
    for (i, (id, action, actor)) in steps.into_iter().enumerate() {
        let when = format!("2026-03-02T1{i}:00:00+07:00");
        dossier.apply(&procedure, &command(id, &when, actor, CommandKind::act(action))).expect(action);
    }
    assert_eq!(dossier.active_step_ids().collect::<Vec<_>>(), ["police", "insurance"]);
    let applied = dossier
        .apply(
            &procedure,
            &command("c3", "2026-03-02T14:00:00+07:00", officer("police_officer", "commune_police"), CommandKind::act("refuse")),
        )
        .expect("refuse");
    let closure = dossier.closure().expect("closed");
    assert_eq!(closure.outcome, "refused");
    assert_eq!(closure.cancelled, ["insurance"]);
    let cancelled: Vec<_> = applied
        .effects
        .iter()
        .filter_map(|e| match &e.kind {
            EffectKind::StepCancelled { step, agency } => Some((step.as_str(), agency.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(cancelled, [("insurance", Some("social_insurance"))]);
    // The replay says the same.
    assert_eq!(Dossier::replay(&procedure, dossier.history()).expect("replays"), dossier);
}

// ---- 8. references the linter did not check ----

#[test]
fn a_document_replaceable_by_an_unknown_national_database_is_a_load_error() {
    let text = edit(
        "steps:\n",
        "documents:\n  id_card: {name: {vi: Căn cước}, originals: 1, replaceable_by: populaton}\nsteps:\n",
    );
    let d = assert_one(&text, Code::UnknownDatabase, "populaton", 0, "documents.id_card.replaceable_by");
    assert_eq!(d.help.expect("help").en, "did you mean `population`?");
    let fixed = text.replace("populaton", "population");
    assert_eq!(diagnostics(&fixed), []);
    assert!(!diagnostics(BASE).iter().any(|d| d.code == Code::UnknownDatabase));
}
