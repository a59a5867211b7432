//! Regression tests for the holes found by trying the engine as a new user and as an
//! attacker would (issue 12). Each test failed before its fix.

use motcua::{Actor, Channel, Code, Command, CommandKind, Dossier, EffectKind, Procedure, Submission};

use crate::common::{at, library};
use crate::lints::{BASE, assert_one, diagnostics, edit, fork_text};

/// The fork of the lint tests, with a `refused` outcome and `extra` added to the police step.
fn fork_with_police_action(extra: &str) -> String {
    fork_text("return_result", "return_result", "join: true")
        .replace(
            "      done: {to: return_result}\n  insurance:",
            &format!("      done: {{to: return_result}}\n      {extra}\n  insurance:"),
        )
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
    let text = fork_text("return_result", "return_result", "join: true").replace(
        "      done: {to: return_result}\n  return_result:",
        "      done: {to: return_result}\n      back: {to: review}\n  return_result:",
    );
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
            &command(
                "c3",
                "2026-03-02T14:00:00+07:00",
                officer("police_officer", "commune_police"),
                CommandKind::act("refuse"),
            ),
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

// ---- 3. idempotency that trusted the id alone ----

const BUSINESS: &str = "specs/procedures/business-registration.yaml";

/// A business-registration dossier received and under review (version 2).
fn business_dossier() -> (Procedure, Dossier) {
    let procedure = crate::common::procedure(BUSINESS);
    let (data, documents) = crate::common::sample_application(BUSINESS);
    let submission = Submission::new("HS-B", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "01")
        .with_data(data, documents);
    let (mut dossier, _) = Dossier::submit(&procedure, submission).expect("submits");
    let accept = command("c-accept", "2026-03-02T09:30:00+07:00", desk(), CommandKind::act("accept"));
    dossier.apply(&procedure, &accept).expect("accept");
    (procedure, dossier)
}

fn desk() -> Actor {
    Actor::official("one_stop_officer", "department_finance")
}

#[test]
fn a_reused_command_id_with_another_body_or_actor_is_a_conflict_and_changes_nothing() {
    let (procedure, mut dossier) = business_dossier();
    let before = dossier.clone();
    let retry = command("c-accept", "2026-03-02T09:30:00+07:00", desk(), CommandKind::act("accept"));
    let other_body = Command { kind: CommandKind::act("refuse"), ..retry.clone() };
    let other_actor = Command { actor: Actor::official("officer", "department_finance"), ..retry.clone() };
    let other_time = Command { at: at("2026-03-02T10:30:00+07:00"), ..retry.clone() };
    for reused in [&other_body, &other_actor, &other_time] {
        let err = dossier.apply(&procedure, reused).expect_err("conflict");
        assert_eq!(err.code, Code::IdempotencyConflict, "{reused:?}");
        assert_eq!(err.field, "id");
        assert_eq!(dossier, before);
    }
    // The same request again gets its original outcome, marked as a duplicate.
    let again = dossier.apply(&procedure, &retry).expect("retry");
    assert!(again.duplicate);
    assert_eq!(again.events, before.history()[1..]);
    assert!(again.effects.iter().any(|e| e.compact() == "slip:receipt"), "{:?}", again.effects);
    assert_eq!(dossier, before);
}

#[test]
fn the_predictable_submission_id_does_not_hand_out_the_application() {
    let (procedure, mut dossier) = business_dossier();
    let probe = command("HS-B/submit", "2026-03-02T10:00:00+07:00", Actor::citizen(), CommandKind::act("resubmit"));
    let err = dossier.apply(&procedure, &probe).expect_err("conflict");
    assert_eq!(err.code, Code::IdempotencyConflict);
    assert!(err.problems.is_empty());
}

#[test]
fn a_retry_of_an_older_command_returns_the_effects_it_had() {
    let (procedure, mut dossier) = business_dossier();
    let officer = Actor::official("officer", "department_finance");
    let propose = command("c-propose", "2026-03-03T09:00:00+07:00", officer, CommandKind::act("propose"));
    let first = dossier.apply(&procedure, &propose).expect("propose");
    let leader = Actor::official("leader", "department_finance");
    dossier
        .apply(&procedure, &command("c-sign", "2026-03-03T10:00:00+07:00", leader, CommandKind::act("sign")))
        .expect("sign");
    // Not the latest command any more: its effects are rebuilt from the history.
    let again = dossier.apply(&procedure, &propose).expect("retry");
    assert!(again.duplicate);
    assert_eq!(again.events, first.events);
    assert_eq!(again.effects, first.effects);
    // And after a reload from a snapshot, the latest one too.
    let json = serde_json::to_string(&dossier).expect("json");
    let mut loaded =
        Dossier::from_snapshot(&procedure, serde_json::from_str(&json).expect("parse"), Some(dossier.head()))
            .expect("checked");
    let sign = command(
        "c-sign",
        "2026-03-03T10:00:00+07:00",
        Actor::official("leader", "department_finance"),
        CommandKind::act("sign"),
    );
    let expected = dossier.clone().apply(&procedure, &sign).expect("retry live");
    assert_eq!(loaded.apply(&procedure, &sign).expect("retry loaded").effects, expected.effects);
    assert!(!expected.effects.is_empty());
}

// ---- 4. snapshots that were trusted ----

/// The snapshot JSON of `dossier` with `edit` applied to its value.
fn edited(dossier: &Dossier, edit: impl FnOnce(&mut serde_json::Value)) -> Dossier {
    let mut value = serde_json::to_value(dossier).expect("json");
    edit(&mut value);
    serde_json::from_value(value).expect("still a dossier")
}

#[test]
fn a_hand_edited_snapshot_is_refused_and_an_unchecked_one_takes_no_command() {
    let (procedure, dossier) = business_dossier();
    let head = dossier.head().to_owned();
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 7] = [
        ("active step moved past review", |v| v["active"][0]["step"] = "return_result".into()),
        ("status", |v| v["status"] = 9.into()),
        ("data", |v| v["data"]["enterprise"] = serde_json::json!({"name": "Khác"})),
        ("appointment", |v| v["deadline"]["appointment"] = "2027-01-01T09:00:00+07:00".into()),
        ("unit", |v| v["jurisdiction"] = "79".into()),
        ("version u64::MAX", |v| v["version"] = u64::MAX.into()),
        ("head", |v| v["head"] = "0".repeat(64).into()),
    ];
    for (what, edit) in edits {
        let bad = edited(&dossier, edit);
        let err = Dossier::from_snapshot(&procedure, bad.clone(), Some(&head)).expect_err(what);
        assert_eq!(err.code, Code::TamperedSnapshot, "{what}: {err:?}");
        // Without the stored head, only the head edit can pass the replay check, and it does not.
        let err = Dossier::from_snapshot(&procedure, bad.clone(), None).expect_err(what);
        assert!(matches!(err.code, Code::TamperedSnapshot | Code::TamperedHistory), "{what}: {err:?}");
        // Read straight from JSON, it takes no command.
        let mut unchecked = bad;
        let next = command(
            "c-next",
            "2026-03-03T09:00:00+07:00",
            Actor::official("officer", "department_finance"),
            CommandKind::act("propose"),
        );
        assert_eq!(unchecked.apply(&procedure, &next).expect_err(what).code, Code::UncheckedSnapshot);
        assert_eq!(
            unchecked.advance(&procedure, at("2026-06-01T09:00:00+07:00")).expect_err(what).code,
            Code::UncheckedSnapshot
        );
    }
    // The untouched snapshot loads, equal to the dossier, and takes commands.
    let mut loaded = Dossier::from_snapshot(&procedure, edited(&dossier, |_| {}), Some(&head)).expect("clean");
    assert_eq!(loaded, dossier);
    let next = command(
        "c-next",
        "2026-03-03T09:00:00+07:00",
        Actor::official("officer", "department_finance"),
        CommandKind::act("propose"),
    );
    loaded.apply(&procedure, &next).expect("takes commands");
}

#[test]
fn a_snapshot_whose_history_was_edited_with_its_state_is_found_by_the_stored_head() {
    let (procedure, dossier) = business_dossier();
    // The last event's actor and the log's record of it, edited together: the replay
    // agrees with the edited state, but the history no longer ends at the stored head.
    let bad = edited(&dossier, |v| {
        v["history"][1]["actor"]["user"] = "someone-else".into();
        v["log"][0]["by"]["user"] = "someone-else".into();
    });
    let err = Dossier::from_snapshot(&procedure, bad, Some(dossier.head())).expect_err("refused");
    assert_eq!(err.code, Code::TamperedSnapshot);
}

// ---- 5. time ----

#[test]
fn punctuality_reads_the_same_instant_alike_in_any_offset() {
    let record = |left: &str| motcua::StepRecord {
        step: "review".into(),
        agency: Some("department_finance".into()),
        unit: None,
        entered: at("2026-03-02T09:00:00+07:00"),
        left: at(left),
        action: "propose".into(),
        by: Actor::official("officer", "department_finance"),
        due: Some(at("2026-03-05T09:00:00+07:00")),
        allotted_minutes: 1440,
        used_minutes: 1380,
    };
    // 08:00 in Hà Nội on the due day, written in Hà Nội's offset and in New York's.
    let here = record("2026-03-05T08:00:00+07:00");
    let there = record("2026-03-04T20:00:00-05:00");
    assert_eq!(here.punctuality(), Some(motcua::Punctuality::OnTime));
    assert_eq!(there.punctuality(), here.punctuality());
    // A day earlier on the calendar's clock is early, in whatever offset it is written.
    assert_eq!(record("2026-03-03T20:00:00-05:00").punctuality(), Some(motcua::Punctuality::Early));
}

#[test]
fn commands_dated_outside_the_calendar_are_refused_whatever_their_kind() {
    let (procedure, dossier) = business_dossier();
    let officer = Actor::official("officer", "department_finance");
    let kinds = [
        (Actor::citizen(), CommandKind::RequestWithdrawal { reason: None }),
        (officer.clone(), CommandKind::Extend { appointment: at("9999-01-01T09:00:00+07:00"), reason: "x".into() }),
        (officer.clone(), CommandKind::act("propose")),
    ];
    for (actor, kind) in kinds {
        let mut d = dossier.clone();
        let err =
            d.apply(&procedure, &command("far", "9999-01-01T08:00:00+07:00", actor, kind.clone())).expect_err("9999");
        assert_eq!((err.code, err.field.as_str()), (Code::OutsideCalendar, "at"), "{kind:?}");
        assert_eq!(d, dossier);
    }
    // An extension to a date the calendar does not know is refused at its appointment.
    let mut d = dossier.clone();
    let kind = CommandKind::Extend { appointment: at("9999-01-01T09:00:00+07:00"), reason: "Cần xác minh".into() };
    let err = d.apply(&procedure, &command("far", "2026-03-03T09:00:00+07:00", officer, kind)).expect_err("9999");
    assert_eq!((err.code, err.field.as_str()), (Code::OutsideCalendar, "appointment"));
    assert_eq!(d, dossier);
}

// ---- 9. free text that took anything ----

#[test]
fn free_text_refuses_control_and_bidirectional_characters_unless_a_field_opts_into_lines() {
    let form = motcua::Form::from_yaml(
        "form:\n  fields:\n    name: {label: {vi: Họ tên}, type: text}\n    address: {label: {vi: Địa chỉ}, type: text, multiline: true}\n",
        "f.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let problems = |name: &str, address: &str| -> Vec<(String, Code, serde_json::Value)> {
        let data = serde_json::json!({"name": name, "address": address});
        let v = form.validate(&data, &[], today);
        v.problems.into_iter().map(|p| (p.path, p.code, serde_json::Value::Object(p.params))).collect()
    };
    assert_eq!(problems("Nguyễn An", "Số 1\nPhố Huế"), []);
    for (bad, at, char) in [
        ("Nguyễn\0An", 7, "U+0000"),
        ("Nguyễn An\u{202E}gnầ", 10, "U+202E"),
        ("Nguyễn\nAn", 7, "U+000A"),
        ("\u{2066}An", 1, "U+2066"),
        ("An\u{7}", 3, "U+0007"),
    ] {
        let found = problems(bad, "Số 1");
        assert_eq!(found.len(), 1, "{bad:?}: {found:?}");
        assert_eq!((found[0].0.as_str(), found[0].1), ("$.name", Code::ControlCharacter), "{bad:?}");
        assert_eq!(found[0].2, serde_json::json!({"position": at, "char": char}), "{bad:?}");
    }
    // Lines are fine where the field says so; NUL and overrides are not.
    assert_eq!(problems("An", "Số 1\r\n\tPhố Huế").len(), 0);
    assert_eq!(problems("An", "Số 1\0").len(), 1);
    assert_eq!(problems("An", "Số \u{202D}1").len(), 1);
    // `multiline` belongs to text fields only.
    let err = motcua::Form::from_yaml(
        "form:\n  fields:\n    n: {label: {vi: N}, type: integer, multiline: true}\n",
        "f.yaml",
    )
    .expect_err("misplaced");
    assert_eq!(err.diagnostics()[0].code, Code::InvalidFieldSpec);
}

// ---- 6. silent paths and unbounded costs ----

#[test]
fn advance_keeps_the_callers_history_limit() {
    let text = edit("accept: {to: review}", "accept: {to: review}\n      lapse: {to: issued, after: 1d}");
    let procedure = Procedure::from_yaml(&text, "test.yaml", &library()).unwrap_or_else(|e| panic!("{e}"));
    let dossier = submit(&procedure, "HS-T");
    let due = dossier.next_due().expect("a timer");
    let mut limits = motcua::Limits::default();
    limits.max_history = 1;
    let mut d = dossier.clone();
    let err = d.advance_with_limits(&procedure, due, &limits).expect_err("no room");
    assert_eq!(err.code, Code::LimitExceeded);
    assert_eq!(d, dossier);
    // With room, the timer fires.
    let applied = d.advance(&procedure, due).expect("fires");
    assert_eq!(applied.events.len(), 1);
    assert_eq!(d.closure().map(|c| c.outcome.as_str()), Some("issued"));
}

const GROUP_FORM: &str = "form:
  fields:
    members:
      label: {vi: Thành viên}
      type: group
      repeat: {max: MAX}
      fields:
        n: {label: {vi: Số}, type: integer}
      rules:
        unique: {check: 'count(members, x -> x.n == n) == 1', field: n, message: {vi: Trùng số, en: Duplicate number}}
";

#[test]
fn a_whole_validation_has_one_fuel_budget_and_absurd_repeats_do_not_load() {
    let form = motcua::Form::from_yaml(&GROUP_FORM.replace("MAX", "1000"), "f.yaml").unwrap_or_else(|e| panic!("{e}"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    // Small: every item checked, the duplicate found.
    let small = serde_json::json!({"members": [{"n": 1}, {"n": 2}, {"n": 1}]});
    let codes: Vec<_> = form.validate(&small, &[], today).problems.iter().map(|p| (p.path.clone(), p.code)).collect();
    assert_eq!(
        codes,
        [("$.members[0].n".to_owned(), Code::RuleViolated), ("$.members[2].n".to_owned(), Code::RuleViolated)]
    );
    // 1,000 items, each rule scanning all 1,000: ~5M steps, over the budget of one validation.
    let big: Vec<_> = (0..1000).map(|n| serde_json::json!({"n": n})).collect();
    let problems = form.validate(&serde_json::json!({"members": big}), &[], today).problems;
    assert_eq!(problems.len(), 1, "{:?}", &problems[..problems.len().min(3)]);
    assert_eq!((problems[0].path.as_str(), problems[0].code), ("$", Code::LimitExceeded));
    // A repeat no form needs is a load error where it is written.
    let err = motcua::Form::from_yaml(&GROUP_FORM.replace("MAX", "4000000000"), "f.yaml").expect_err("absurd");
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str(), d.line), (Code::LimitExceeded, "form.fields.members.repeat.max", 6));
}

#[test]
fn duplicate_json_keys_are_found_by_the_reader_alone() {
    let json = crate::common::read("specs/procedures/business-registration.yaml");
    let procedure = Procedure::from_yaml(&json, "b.yaml", &library()).expect("loads");
    let text = procedure.to_json().replacen("\"code\":", "\"code\":\"x\",\"code\":", 1);
    let err = Procedure::from_json(&text, "b.json", &library()).expect_err("duplicate");
    let codes: Vec<_> = err.diagnostics().iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(codes, [(Code::DuplicateKey, "code")]);
}

// ---- 2. authorization by administrative unit ----

/// BASE with a provincial step between review and the result: up, then back down.
fn up_and_down() -> Procedure {
    let text = edit("      approve: {to: issued}", "      approve: {to: province}")
        .replace(
            "outcomes:\n",
            "  province:\n    name: {vi: Sở thẩm định}\n    agency: provincial_department\n    role: officer\n    actions:\n      agree: {to: hand_over}\n  hand_over:\n    name: {vi: Trả kết quả}\n    agency: commune_committee\n    role: one_stop_officer\n    actions:\n      done: {to: issued}\noutcomes:\n",
        )
        .replace("legal_deadline: 3d", "legal_deadline: 5d");
    Procedure::from_yaml(&text, "test.yaml", &crate::common::library_with_units()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_step_is_handled_in_a_definite_unit_and_officers_of_another_are_refused() {
    let procedure = up_and_down();
    let mut dossier = submit(&procedure, "HS-U");
    assert_eq!(dossier.active()[0].unit.as_deref(), Some("00004"));
    let ward = |role: &str| Actor { unit: Some("00004".into()), ..Actor::official(role, "commune_committee") };
    dossier
        .apply(
            &procedure,
            &command("u1", "2026-03-02T10:00:00+07:00", ward("one_stop_officer"), CommandKind::act("accept")),
        )
        .expect("accept");
    let up = dossier
        .apply(&procedure, &command("u2", "2026-03-02T11:00:00+07:00", ward("officer"), CommandKind::act("approve")))
        .expect("approve");
    let hand_offs = |effects: &[motcua::Effect]| -> Vec<(motcua::Direction, Option<String>)> {
        effects
            .iter()
            .filter_map(|e| match &e.kind {
                EffectKind::HandOff { direction, to_unit, .. } => Some((*direction, to_unit.clone())),
                _ => None,
            })
            .collect()
    };
    // Upward: the ancestor of ward 00004 at the province level, Hà Nội.
    assert_eq!(hand_offs(&up.effects), [(motcua::Direction::Upward, Some("01".to_owned()))]);
    assert_eq!(dossier.active()[0].unit.as_deref(), Some("01"));
    // A provincial officer of another province, of no unit, or of the ward itself: refused.
    for unit in [Some("79"), None, Some("00004")] {
        let officer = Actor { unit: unit.map(str::to_owned), ..Actor::official("officer", "provincial_department") };
        let mut d = dossier.clone();
        let err = d
            .apply(&procedure, &command("u3", "2026-03-03T09:00:00+07:00", officer, CommandKind::act("agree")))
            .expect_err("wrong unit");
        assert_eq!((err.code, err.field.as_str()), (Code::WrongUnit, "actor.unit"), "{unit:?}");
        assert_eq!(d, dossier);
    }
    let hanoi = Actor { unit: Some("01".into()), ..Actor::official("officer", "provincial_department") };
    let down = dossier
        .apply(&procedure, &command("u3", "2026-03-03T09:00:00+07:00", hanoi, CommandKind::act("agree")))
        .expect("agree");
    // Downward: back to the ward the dossier came from.
    assert_eq!(hand_offs(&down.effects), [(motcua::Direction::Downward, Some("00004".to_owned()))]);
    let started: Vec<_> = down
        .effects
        .iter()
        .filter_map(|e| match &e.kind {
            EffectKind::StepStarted { step, unit, .. } => Some((step.as_str(), unit.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(started, [("hand_over", Some("00004"))]);
    // The process-control slip says which unit handled each step.
    let units: Vec<_> = dossier.log().iter().map(|r| r.unit.as_deref()).collect();
    assert_eq!(units, [Some("00004"), Some("00004"), Some("01")]);
    assert_eq!(Dossier::replay(&procedure, dossier.history()).expect("replay"), dossier);
}

#[test]
fn a_dossier_is_filed_with_a_listed_unit_from_which_every_step_resolves() {
    let procedure = up_and_down();
    let file =
        |unit: &str| Submission::new("HS-J", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, unit);
    let err = Dossier::submit(&procedure, file("99999")).expect_err("unlisted");
    assert_eq!((err.code, err.field.as_str()), (Code::UnknownUnit, "jurisdiction"));
    // Filed with a province, the commune steps have no unit to be handled in.
    let err = Dossier::submit(&procedure, file("01")).expect_err("too high");
    assert_eq!((err.code, err.field.as_str()), (Code::UnknownUnit, "jurisdiction"));
    // A desk officer files for their own unit only.
    let desk =
        |unit: &str| Actor { unit: Some(unit.into()), ..Actor::official("one_stop_officer", "commune_committee") };
    let mut submission = file("00004");
    submission.actor = desk("00070");
    assert_eq!(Dossier::submit(&procedure, submission.clone()).expect_err("other ward").code, Code::WrongUnit);
    submission.actor = desk("00004");
    Dossier::submit(&procedure, submission).expect("own ward");
}

// ---- the house: diagram lanes are named, in the language asked ----

#[test]
fn diagram_lanes_are_named_by_the_agency_in_the_language_asked() {
    let procedure = crate::common::procedure("specs/procedures/birth-registration-residence-insurance.yaml");
    let en = motcua::diagram::mermaid(&procedure, "en");
    assert!(en.contains("subgraph commune_police[\"Commune police\"]"), "{en}");
    let vi = motcua::diagram::mermaid(&procedure, "vi");
    assert!(vi.contains("subgraph commune_police[\"Công an cấp xã\"]"), "{vi}");
    let dot = motcua::diagram::dot(&procedure, "en");
    assert!(dot.contains("label=\"Commune police\""), "{dot}");
}

#[test]
fn the_effects_of_every_event_are_rebuilt_exactly_as_they_were_given() {
    let library = library();
    for (file, scenario) in crate::common::scenarios() {
        let procedure = Procedure::from_yaml(&crate::common::read(&scenario.procedure), &scenario.procedure, &library)
            .unwrap_or_else(|e| panic!("{e}"));
        let timeline = motcua_scenario::run(&scenario, &procedure);
        let live: Vec<motcua::Effect> = timeline
            .entries()
            .iter()
            .filter_map(|e| match &e.result {
                motcua_scenario::EntryResult::Applied(effects) => Some(effects.clone()),
                motcua_scenario::EntryResult::Rejected(_) => None,
            })
            .flatten()
            .collect();
        let dossier = timeline.dossier().expect("submitted");
        let rebuilt: Vec<motcua::Effect> = (1..=dossier.version())
            .flat_map(|seq| dossier.effects_of(&procedure, seq).unwrap_or_else(|e| panic!("{file}: {seq}: {e}")))
            .collect();
        assert_eq!(rebuilt, live, "{file}");
    }
}
