//! Conditional deadlines: a case chosen by the form at submission, a decision recorded by
//! an officer that moves the appointment (with the slip and the effect a citizen gets),
//! replay and snapshots, and every lint of the format, placed.

use motcua::{
    Actor, AppointmentCause, Channel, Code, Command, CommandKind, Dossier, EffectKind, EventKind, SlipKind, Submission,
};

use crate::common::{at, procedure, read, sample_application};
use crate::lints::{BASE, assert_one, diagnostics, place};

const SPEC: &str = "specs/procedures/judicial-record-certificate.yaml";

fn act(id: &str, when: &str, actor: Actor, action: &str) -> Command {
    Command { id: id.into(), at: at(when), actor, expected_version: None, kind: CommandKind::act(action) }
}

fn police(role: &str) -> Actor {
    Actor::official(role, "provincial_police")
}

/// A submitted and accepted request, from `data` (the default case unless it says otherwise).
fn received(data: serde_json::Value) -> (motcua::Procedure, Dossier) {
    let procedure = procedure(SPEC);
    let (_, documents) = sample_application(SPEC);
    let submission =
        Submission::new("LLTP-T", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "00004")
            .with_data(data, documents);
    let (mut dossier, _) = Dossier::submit(&procedure, submission).expect("valid request");
    dossier.apply(&procedure, &act("c2", "2026-03-02T09:30:00+07:00", police("one_stop_officer"), "accept")).unwrap();
    (procedure, dossier)
}

#[test]
fn a_recorded_decision_moves_the_appointment_keeping_suspended_time() {
    let (data, _) = sample_application(SPEC);
    let (procedure, mut dossier) = received(data);
    assert_eq!(dossier.deadline().case, None);
    assert_eq!(dossier.deadline().appointment, at("2026-03-16T09:00:00+07:00"));
    let officer = police("judicial_records_officer");
    // Two working days waiting for the applicant: the appointment moves by them ...
    dossier.apply(&procedure, &act("c3", "2026-03-02T10:00:00+07:00", officer.clone(), "request_supplement")).unwrap();
    dossier.apply(&procedure, &act("c4", "2026-03-04T10:00:00+07:00", Actor::citizen(), "resubmit")).unwrap();
    assert_eq!(dossier.deadline().appointment, at("2026-03-18T09:00:00+07:00"));
    // ... and still do when verification is recorded: 15 working days from reception + 2.
    let applied =
        dossier.apply(&procedure, &act("c5", "2026-03-05T10:00:00+07:00", officer, "request_verification")).unwrap();
    assert_eq!(dossier.deadline().case.as_deref(), Some("verification"));
    assert_eq!(dossier.deadline().appointment, at("2026-03-25T09:00:00+07:00"));
    assert_eq!(dossier.decisions().get("verification_needed"), Some(&true));

    // The event records the decision; the effects carry the notice a citizen gets.
    match &applied.events[0].kind {
        EventKind::ActionTaken { decisions, .. } => assert_eq!(decisions.get("verification_needed"), Some(&true)),
        other => panic!("not an action: {other:?}"),
    }
    assert!(applied.events[0].timing.deadline_case.as_ref().is_some_and(|c| c.case.as_deref() == Some("verification")));
    let slip =
        applied.effects.iter().position(|e| matches!(e.kind, EffectKind::Slip { slip: SlipKind::NewAppointment, .. }));
    let set = applied.effects.iter().position(|e| {
        matches!(&e.kind, EffectKind::AppointmentSet { cause: AppointmentCause::CaseChanged, appointment, deadline_case: Some(n), .. }
            if *appointment == at("2026-03-25T09:00:00+07:00")
                && n.previous == at("2026-03-18T09:00:00+07:00")
                && n.deadline.to_string() == "15d"
                && n.basis.as_ref().is_some_and(|b| b.document.contains("28/2009/QH12")))
    });
    assert!(slip.is_some() && set.is_some() && slip < set, "{:#?}", applied.effects);
    let json = serde_json::to_value(&applied.events[0]).unwrap();
    assert_eq!(json["decisions"], serde_json::json!({"verification_needed": true}));
    assert_eq!(json["timing"]["deadline_case"], serde_json::json!({"case": "verification"}));

    // Replay gives the same dossier; the snapshot shows the decision and the case, and
    // checks against its history.
    let replayed = Dossier::replay(&procedure, dossier.history()).unwrap();
    assert_eq!(replayed, dossier);
    let snapshot = serde_json::to_value(&dossier).unwrap();
    assert_eq!(snapshot["decisions"], serde_json::json!({"verification_needed": true}));
    assert_eq!(snapshot["deadline"]["case"], "verification");
    let stored: Dossier = serde_json::from_value(snapshot.clone()).unwrap();
    assert_eq!(Dossier::from_snapshot(&procedure, stored, Some(dossier.head())).unwrap(), dossier);
    // The effects of the event are reproduced from the history (a retried command).
    assert_eq!(dossier.effects_of(&procedure, applied.events[0].seq).unwrap(), applied.effects);

    // Dropping the decision from the event breaks the hash chain.
    let mut events = dossier.history().to_vec();
    let n = events.len() - 1;
    if let EventKind::ActionTaken { decisions, .. } = &mut events[n].kind {
        decisions.clear();
    }
    assert_eq!(motcua::verify_history(&events, Some(dossier.head())).unwrap_err().code, Code::TamperedHistory);
    // A snapshot edited to another case is refused.
    let mut edited = snapshot;
    edited["deadline"]["case"] = serde_json::Value::Null;
    let edited: Dossier = serde_json::from_value(edited).unwrap();
    assert_eq!(Dossier::from_snapshot(&procedure, edited, None).unwrap_err().code, Code::TamperedSnapshot);
}

#[test]
fn a_form_case_sets_the_appointment_at_submission() {
    let (mut data, _) = sample_application(SPEC);
    data["applicant"]["lived_elsewhere"] = serde_json::json!(true);
    let (procedure, dossier) = received(data);
    assert_eq!(dossier.deadline().case.as_deref(), Some("several_residences"));
    assert_eq!(dossier.deadline().appointment, at("2026-03-23T09:00:00+07:00"));
    assert_eq!(dossier.deadline().first_appointment, dossier.deadline().appointment);
    assert_eq!(Dossier::replay(&procedure, dossier.history()).unwrap(), dossier);
}

#[test]
fn another_case_with_the_same_deadline_sends_no_notice() {
    let (mut data, _) = sample_application(SPEC);
    data["applicant"]["lived_elsewhere"] = serde_json::json!(true);
    let (procedure, mut dossier) = received(data);
    let officer = police("judicial_records_officer");
    let applied =
        dossier.apply(&procedure, &act("c3", "2026-03-03T10:00:00+07:00", officer, "request_verification")).unwrap();
    // Verification comes first in the spec: its case is in force, with the same 15 days.
    assert_eq!(dossier.deadline().case.as_deref(), Some("verification"));
    assert_eq!(dossier.deadline().appointment, at("2026-03-23T09:00:00+07:00"));
    assert!(
        !applied.effects.iter().any(|e| matches!(e.kind, EffectKind::AppointmentSet { .. })),
        "{:#?}",
        applied.effects
    );
}

#[test]
fn a_history_whose_decisions_differ_from_the_spec_does_not_replay() {
    let (data, _) = sample_application(SPEC);
    let (procedure, mut dossier) = received(data);
    dossier
        .apply(&procedure, &act("c3", "2026-03-03T10:00:00+07:00", police("judicial_records_officer"), "propose"))
        .unwrap();
    // The last event claims a decision its action does not record (no later event links
    // to its hash, so only the check against the spec can catch it).
    let mut events = dossier.history().to_vec();
    assert_eq!(events.len(), 3);
    if let EventKind::ActionTaken { decisions, .. } = &mut events[2].kind {
        decisions.insert("verification_needed".into(), true);
    }
    let err = Dossier::replay(&procedure, &events).unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::InvalidHistory, "decisions"), "{err}");
}

// ---- lints: each mistake gives its code at its place ----

const CASES: &str = "legal_deadline: 3d
deadline_cases:
  long:
    decision: checked
    deadline: 5d
    basis: {document: Luật thử nghiệm}
decisions:
  checked: {name: {vi: Đã kiểm tra}}
";

fn with_cases(cases: &str) -> String {
    BASE.replacen("legal_deadline: 3d\n", cases, 1)
}

#[test]
fn a_valid_case_and_decision_are_clean() {
    let text =
        with_cases(CASES).replacen("approve: {to: issued}", "approve: {to: issued, decides: {checked: true}}", 1);
    assert_eq!(diagnostics(&text), []);
}

#[test]
fn an_action_deciding_an_undeclared_decision_is_placed_at_its_name() {
    let text =
        with_cases(CASES).replacen("approve: {to: issued}", "approve: {to: issued, decides: {chekced: true}}", 1);
    let d = assert_one(&text, Code::UnknownDecision, "chekced", 0, "steps.review.actions.approve.decides.chekced");
    assert_eq!(d.help.as_ref().map(|h| h.en.as_str()), Some("did you mean `checked`?"));
}

#[test]
fn a_case_on_an_undeclared_decision_is_placed_at_the_value() {
    let text = with_cases(&CASES.replacen("decision: checked", "decision: verified", 1));
    assert_one(&text, Code::UnknownDecision, "verified", 0, "deadline_cases.long.decision");
}

#[test]
fn a_case_condition_reading_an_unknown_field_is_placed_at_the_field() {
    let text = with_cases(&CASES.replacen("decision: checked", "when: applicant.abroad == true", 1));
    assert_one(&text, Code::UnknownReference, "applicant.abroad", 0, "deadline_cases.long.when");
}

#[test]
fn a_case_with_both_or_no_condition_is_an_error() {
    let text = with_cases(&CASES.replacen("decision: checked", "decision: checked\n    when: form_valid", 1));
    assert_one(&text, Code::InvalidValue, "long:", 0, "deadline_cases.long");
    let text = with_cases(&CASES.replacen("    decision: checked\n", "", 1));
    assert_one(&text, Code::InvalidValue, "long:", 0, "deadline_cases.long");
}

#[test]
fn a_case_without_its_citation_is_an_error() {
    let text = with_cases(&CASES.replacen("    basis: {document: Luật thử nghiệm}\n", "", 1));
    let d = assert_one(&text, Code::UncitedDeadlineCase, "long:", 0, "deadline_cases.long");
    assert_eq!(d.severity, motcua::Severity::Error);
}

#[test]
fn a_case_budget_for_an_undeclared_case_is_placed_at_its_name() {
    let text = with_cases(CASES).replacen(
        "    budget: 1d\n    actions:\n      approve",
        "    budget: 1d\n    case_budgets: {lnog: 2d}\n    actions:\n      approve",
        1,
    );
    let d = assert_one(&text, Code::UnknownDeadlineCase, "lnog", 0, "steps.review.case_budgets.lnog");
    assert_eq!(d.help.as_ref().map(|h| h.en.as_str()), Some("did you mean `long`?"));
}

#[test]
fn the_path_budget_lint_checks_every_case() {
    // Within the default 3d (1d + 1d) but not within the case's 5d with a 4.5d review.
    let text = with_cases(CASES).replacen(
        "    budget: 1d\n    actions:\n      approve",
        "    budget: 1d\n    case_budgets: {long: 4.5d}\n    actions:\n      approve",
        1,
    );
    let d = assert_one(&text, Code::BudgetExceedsDeadline, "5d", 0, "deadline_cases.long.deadline");
    assert_eq!(
        d.message.en,
        "the path receive → review → issued needs 5.5d, more than the legal deadline of 5d in case `long`"
    );
    let review =
        d.labels.iter().find(|l| l.path == "steps.review.case_budgets.long").expect("the case budget is labelled");
    assert_eq!((review.line, review.column), place(&text, "4.5d", 0));
    // A case shorter than the default: the default budgets must fit it too.
    let text = with_cases(&CASES.replacen("deadline: 5d", "deadline: 1.5d", 1));
    assert_one(&text, Code::BudgetExceedsDeadline, "1.5d", 0, "deadline_cases.long.deadline");
}

#[test]
fn a_timer_action_cannot_record_a_decision() {
    let text = with_cases(CASES).replacen(
        "approve: {to: issued}",
        "approve: {to: issued}\n      expire: {to: issued, after: 2d, decides: {checked: true}}",
        1,
    );
    assert_one(&text, Code::InvalidValue, "checked: true", 0, "steps.review.actions.expire.decides.checked");
}

#[test]
fn the_shipped_spec_marks_its_unverified_numbers() {
    let text = read(SPEC);
    assert!(text.contains("deadline: 15d   # unverified"));
    assert!(text.contains("# unverified: the 15 days."));
}

#[test]
fn changed_form_data_selects_a_form_case_when_the_applicant_resubmits() {
    let (data, documents) = sample_application(SPEC);
    let (procedure, mut dossier) = received(data.clone());
    let officer = police("judicial_records_officer");
    dossier.apply(&procedure, &act("c3", "2026-03-02T10:00:00+07:00", officer, "request_supplement")).unwrap();
    // The applicant corrects the form: they did live abroad. One working day suspended.
    let mut corrected = data;
    corrected["applicant"]["lived_elsewhere"] = serde_json::json!(true);
    let resubmit = Command {
        id: "c4".into(),
        at: at("2026-03-03T10:00:00+07:00"),
        actor: Actor::citizen(),
        expected_version: None,
        kind: CommandKind::Act {
            action: "resubmit".into(),
            step: None,
            data: Some(corrected),
            documents: Some(documents),
        },
    };
    let applied = dossier.apply(&procedure, &resubmit).unwrap();
    assert_eq!(dossier.deadline().case.as_deref(), Some("several_residences"));
    // 15 working days from reception (Mon 23 March 09:00) + the working day suspended.
    assert_eq!(dossier.deadline().appointment, at("2026-03-24T09:00:00+07:00"));
    // One appointment effect (the case's, which includes the resumed time), not two.
    let sets: Vec<_> = applied.effects.iter().filter(|e| matches!(e.kind, EffectKind::AppointmentSet { .. })).collect();
    assert_eq!(sets.len(), 1, "{:#?}", applied.effects);
    assert!(matches!(sets[0].kind, EffectKind::AppointmentSet { cause: AppointmentCause::CaseChanged, .. }));
    assert_eq!(Dossier::replay(&procedure, dossier.history()).unwrap(), dossier);
}

#[test]
fn a_case_change_never_brings_an_extended_appointment_forward() {
    let (data, _) = sample_application(SPEC);
    let (procedure, mut dossier) = received(data);
    let officer = police("judicial_records_officer");
    let extend = Command {
        id: "c3".into(),
        at: at("2026-03-03T09:00:00+07:00"),
        actor: officer.clone(),
        expected_version: None,
        kind: CommandKind::Extend { appointment: at("2026-03-27T16:00:00+07:00"), reason: "Chờ tài liệu".into() },
    };
    dossier.apply(&procedure, &extend).unwrap();
    let applied =
        dossier.apply(&procedure, &act("c4", "2026-03-03T10:00:00+07:00", officer, "request_verification")).unwrap();
    // The case is in force, but its 15 days (23 March) are earlier than the apology's date.
    assert_eq!(dossier.deadline().case.as_deref(), Some("verification"));
    assert_eq!(dossier.deadline().appointment, at("2026-03-27T16:00:00+07:00"));
    assert!(!applied.effects.iter().any(|e| matches!(e.kind, EffectKind::Slip { slip: SlipKind::NewAppointment, .. })));
    assert_eq!(Dossier::replay(&procedure, dossier.history()).unwrap(), dossier);
}

#[test]
fn a_new_version_with_other_case_deadlines_is_a_noted_change() {
    let old = procedure(SPEC);
    let text = read(SPEC).replacen(
        "deadline: 15d   # unverified: 15 or 20 days",
        "deadline: 20d   # unverified: 15 or 20 days",
        1,
    );
    let new = motcua::Procedure::from_yaml(&text, SPEC, &crate::common::library()).unwrap();
    let d = motcua::version::diff(&old, &new);
    let change = d.find(motcua::version::ChangeKind::DeadlineCasesChanged, "deadline_cases").expect("noted");
    assert!(!change.breaking);
    assert_eq!(change.new.as_deref(), Some("verification: 20d, several_residences: 15d"));
}
