//! The runtime: parallel branches, withdrawal, concurrency, idempotency, replay, and
//! property tests over random command sequences on every shipped procedure.

use motcua::{
    Actor, Code, Command, CommandKind, Dossier, EffectKind, Event, EventKind, NationalStatus, Procedure, Submission,
};
use proptest::prelude::*;

use crate::common::{at, library, procedure_files, read};

/// A liên thông procedure: the commune committee receives, forks to police and social
/// insurance in parallel, joins to return the result.
const PARALLEL: &str = r#"
motcua: 1
catalogue: vietnam
code: "T.PAR"
name: {vi: Liên thông thử}
version: "1"
valid_from: 2025-07-01
legal_basis: [{document: Nghị định thử}]
sector: {vi: Thử}
service_mode: full_online
channels: [online, in_person]
legal_deadline: 3d
calendar: vn-gov
documents:
  birth_certificate:
    name: {vi: Giấy chứng sinh}
    originals: 1
form:
  fields:
    child:
      label: {vi: Trẻ}
      type: group
      fields:
        name: {label: {vi: Họ tên}, type: text, required: true}
        insured: {label: {vi: Đã có thẻ BHYT}, type: boolean}
steps:
  receive:
    name: {vi: Tiếp nhận}
    agency: commune_committee
    role: one_stop_officer
    budget: 0.5d
    actions:
      accept: {to: register, slip: receipt}
      ask: {to: supplement, slip: supplement_request}
  supplement:
    name: {vi: Bổ sung}
    role: citizen
    status: 5
    actions:
      supply: {to: receive}
  register:
    name: {vi: Đăng ký khai sinh}
    agency: commune_committee
    role: civil_status_officer
    budget: 0.5d
    actions:
      send: {to: [residence, card], guard: "documents.birth_certificate.present"}
      refuse: {to: refused, slip: refusal}
  residence:
    name: {vi: Đăng ký thường trú}
    agency: commune_police
    role: police_officer
    budget: 1d
    actions:
      done: {to: return_result}
  card:
    name: {vi: Cấp thẻ BHYT}
    agency: social_insurance
    role: insurance_officer
    budget: 1d
    actions:
      done: {to: return_result}
  return_result:
    name: {vi: Trả kết quả}
    agency: commune_committee
    role: one_stop_officer
    status: 9
    join: true
    actions:
      hand_over: {to: issued, slip: result}
outcomes:
  issued: {name: {vi: Đã trả kết quả}, kind: result_issued}
  refused: {name: {vi: Từ chối}, kind: refused}
"#;

fn parallel() -> Procedure {
    Procedure::from_yaml(PARALLEL, "parallel.yaml", &library()).unwrap_or_else(|e| panic!("{e}"))
}

fn submit(p: &Procedure) -> Dossier {
    let (dossier, _) = Dossier::submit(
        p,
        Submission {
            dossier_id: "HS-1".into(),
            command_id: "submit".into(),
            at: at("2026-03-02T08:00:00+07:00"),
            actor: Actor::citizen(),
            channel: motcua::Channel::Online,
            jurisdiction: "00004".into(),
            data: serde_json::json!({"child": {"name": "Nguyễn Văn An"}}),
            documents: vec![motcua::SubmittedDocument {
                id: "birth_certificate".into(),
                originals: 1,
                ..Default::default()
            }],
            allow_incomplete: false,
        },
    )
    .expect("submit");
    dossier
}

fn act(id: &str, when: &str, role: &str, agency: Option<&str>, action: &str, step: Option<&str>) -> Command {
    Command {
        id: id.into(),
        at: at(when),
        actor: Actor { role: role.into(), agency: agency.map(str::to_owned), unit: None, user: None },
        expected_version: None,
        kind: CommandKind::Act { action: action.into(), step: step.map(str::to_owned), data: None, documents: None },
    }
}

fn compact(applied: &motcua::Applied) -> Vec<String> {
    applied.effects.iter().map(motcua::Effect::compact).collect()
}

#[test]
fn parallel_branches_hand_off_horizontally_and_join_when_both_arrive() {
    let p = parallel();
    let mut d = submit(&p);
    d.apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None))
        .expect("accept");
    let fork = d
        .apply(
            &p,
            &act("c2", "2026-03-02T10:00:00+07:00", "civil_status_officer", Some("commune_committee"), "send", None),
        )
        .expect("send");
    assert_eq!(
        compact(&fork),
        ["hand_off:commune_police:horizontal", "start:residence", "hand_off:social_insurance:horizontal", "start:card",]
    );
    let handoff = fork.effects.iter().find(|e| matches!(e.kind, EffectKind::HandOff { .. })).expect("hand-off");
    assert_eq!(handoff.key, "HS-1/3/0");
    let EffectKind::HandOff { jurisdiction, to_level, .. } = &handoff.kind else { unreachable!() };
    assert_eq!((jurisdiction.as_str(), to_level.as_str()), ("00004", "commune"));
    assert_eq!(d.active_step_ids().collect::<Vec<_>>(), ["residence", "card"]);

    // Both active steps offer `done`: the command must say which.
    let err = d
        .apply(&p, &act("c3", "2026-03-03T09:00:00+07:00", "insurance_officer", Some("social_insurance"), "done", None))
        .unwrap_err();
    assert_eq!(err.code, Code::AmbiguousStep);

    // The insurance branch finishes first: the join waits for the police branch.
    let first = d
        .apply(
            &p,
            &act(
                "c3",
                "2026-03-03T09:00:00+07:00",
                "insurance_officer",
                Some("social_insurance"),
                "done",
                Some("card"),
            ),
        )
        .expect("card done");
    // Its result goes back to the commune (a hand-off), but nothing starts yet.
    assert_eq!(compact(&first), ["hand_off:commune_committee:horizontal"]);
    assert_eq!(d.active_step_ids().collect::<Vec<_>>(), ["residence"]);
    assert_eq!(d.waiting_at_joins().get("return_result"), Some(&1));

    let second = d
        .apply(
            &p,
            &act(
                "c4",
                "2026-03-03T10:00:00+07:00",
                "police_officer",
                Some("commune_police"),
                "done",
                Some("residence"),
            ),
        )
        .expect("residence done");
    assert_eq!(compact(&second), ["hand_off:commune_committee:horizontal", "start:return_result", "status:9"]);
    assert!(d.waiting_at_joins().is_empty());
    assert_eq!(d.status(), NationalStatus::Finished);
}

#[test]
fn the_wrong_agency_is_forbidden_even_with_the_right_role() {
    let p = parallel();
    let mut d = submit(&p);
    let before = d.clone();
    let err = d
        .apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_police"), "accept", None))
        .unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::Forbidden, "actor"));
    assert!(err.message.vi.contains("one_stop_officer @ commune_committee"), "{}", err.message.vi);
    assert_eq!(d, before);
}

#[test]
fn a_supplement_request_suspends_the_clock_and_moves_the_appointment() {
    let p = parallel();
    // Submitted Monday 2026-03-02 08:00: three working days (08:00-12:00, 13:00-17:00)
    // end on Wednesday at 17:00.
    let mut d = submit(&p);
    assert_eq!(d.deadline().appointment, at("2026-03-04T17:00:00+07:00"));
    let officer =
        |id: &str, when: &str, action: &str| act(id, when, "one_stop_officer", Some("commune_committee"), action, None);
    let a = d.apply(&p, &officer("c1", "2026-03-02T09:00:00+07:00", "ask")).expect("ask");
    assert_eq!(compact(&a), ["slip:supplement_request", "start:supplement", "clock:suspended", "status:5"]);
    assert_eq!(d.deadline().suspended_since, Some(at("2026-03-02T09:00:00+07:00")));
    // While suspended the dossier is not late, whatever the wall clock says.
    assert_eq!(d.punctuality(&p, at("2026-03-06T10:00:00+07:00")).unwrap(), motcua::Punctuality::OnTime);

    // Supplied on Wednesday 09:00: Mon 09-17 (7h) + Tue (8h) + Wed 08-09 (1h) = 16 working
    // hours did not count, so the appointment moves from Wed 17:00 to Fri 17:00.
    let r = d.apply(&p, &act("c2", "2026-03-04T09:00:00+07:00", "citizen", None, "supply", None)).expect("supply");
    assert_eq!(compact(&r), ["start:receive", "clock:resumed", "appointment:2026-03-06 17:00", "status:1"]);
    assert_eq!(d.deadline().suspended_minutes, 960);
    assert_eq!(d.deadline().appointment, at("2026-03-06T17:00:00+07:00"));
    assert_eq!(d.deadline().first_appointment, at("2026-03-04T17:00:00+07:00"));

    d.apply(&p, &officer("c3", "2026-03-04T10:00:00+07:00", "ask")).expect("ask again");
    assert_eq!(d.supplement_requests(), 2);
    assert_eq!(d.status(), NationalStatus::SupplementRequested);
    // More than one supplement request counts as late for national reporting.
    assert!(d.late_for_reporting(&p, at("2026-03-04T10:00:00+07:00")).unwrap());
}

#[test]
fn withdrawal_is_requested_by_the_applicant_and_confirmed_by_the_handling_agency() {
    let p = parallel();
    let mut d = submit(&p);
    let request = Command {
        id: "w1".into(),
        at: at("2026-03-02T09:00:00+07:00"),
        actor: Actor::citizen(),
        expected_version: Some(1),
        kind: CommandKind::RequestWithdrawal { reason: Some("Nộp nhầm".into()) },
    };
    let applied = d.apply(&p, &request).expect("request");
    assert_eq!(compact(&applied), ["status:7"]);

    // Another agency cannot confirm; the handling one can.
    let mut confirm = Command {
        id: "w2".into(),
        at: at("2026-03-02T10:00:00+07:00"),
        actor: Actor::official("police_officer", "commune_police"),
        expected_version: None,
        kind: CommandKind::ConfirmWithdrawal,
    };
    assert_eq!(d.apply(&p, &confirm).unwrap_err().code, Code::Forbidden);
    confirm.actor = Actor::official("one_stop_officer", "commune_committee");
    let applied = d.apply(&p, &confirm).expect("confirm");
    assert_eq!(compact(&applied), ["cancel:receive", "closed:withdrawn", "status:8"]);
    assert_eq!(d.closure().map(|c| c.kind), Some(motcua::OutcomeKind::Withdrawn));
    assert_eq!(d.active().len(), 0);
}

#[test]
fn a_withdrawal_requested_during_a_supplement_is_decided_by_the_agency_that_asked() {
    let p = parallel();
    let mut d = submit(&p);
    d.apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "ask", None))
        .expect("ask");
    let request = Command {
        id: "w1".into(),
        at: at("2026-03-02T10:00:00+07:00"),
        actor: Actor::citizen(),
        expected_version: None,
        kind: CommandKind::RequestWithdrawal { reason: None },
    };
    d.apply(&p, &request).expect("request");
    let decide = |id: &str, actor: Actor, kind: CommandKind| Command {
        id: id.into(),
        at: at("2026-03-02T11:00:00+07:00"),
        actor,
        expected_version: None,
        kind,
    };
    let police = decide("w2", Actor::official("police_officer", "commune_police"), CommandKind::ConfirmWithdrawal);
    assert_eq!(d.apply(&p, &police).unwrap_err().code, Code::Forbidden);
    let desk = Actor::official("one_stop_officer", "commune_committee");
    d.apply(&p, &decide("w3", desk.clone(), CommandKind::DeclineWithdrawal { reason: None })).expect("decline");
    assert_eq!(d.status(), NationalStatus::SupplementRequested);
    d.apply(&p, &Command { id: "w4".into(), at: at("2026-03-02T11:00:00+07:00"), ..request }).expect("ask again");
    d.apply(&p, &decide("w5", desk, CommandKind::ConfirmWithdrawal)).expect("confirm");
    assert_eq!(d.closure().map(|c| c.outcome.as_str()), Some("withdrawn"));
}

#[test]
fn a_stale_expected_version_is_a_conflict_and_changes_nothing() {
    let p = parallel();
    let mut d = submit(&p);
    let mut c = act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None);
    c.expected_version = Some(7);
    let before = d.clone();
    let err = d.apply(&p, &c).unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::VersionConflict, "expected_version"));
    assert_eq!(d, before);
}

#[test]
fn a_repeated_command_id_returns_the_original_outcome_without_applying_twice() {
    let p = parallel();
    let mut d = submit(&p);
    let c = act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None);
    let first = d.apply(&p, &c).expect("first");
    let after_first = d.clone();
    let again = d.apply(&p, &c).expect("again");
    assert!(again.duplicate && !first.duplicate);
    assert_eq!((again.events, again.effects), (first.events, first.effects));
    assert_eq!(d, after_first);
}

#[test]
fn commands_dated_before_the_last_event_are_refused() {
    let p = parallel();
    let mut d = submit(&p);
    let err = d
        .apply(
            &p,
            &act("c1", "2026-03-01T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None),
        )
        .unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::InvalidCommand, "at"));
}

#[test]
fn a_dossier_runs_only_under_the_version_it_was_opened_with() {
    let p = parallel();
    let mut d = submit(&p);
    let newer =
        Procedure::from_yaml(&PARALLEL.replace("version: \"1\"", "version: \"2\""), "v2.yaml", &library()).expect("v2");
    let c = act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None);
    assert_eq!(d.apply(&newer, &c).unwrap_err().code, Code::WrongProcedure);
    assert_eq!(Dossier::replay(&newer, d.history()).unwrap_err().code, Code::WrongProcedure);
}

#[test]
fn the_history_length_limit_is_enforced() {
    let p = parallel();
    let mut d = submit(&p);
    let mut limits = motcua::Limits::default();
    limits.max_history = 1;
    let c = act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None);
    assert_eq!(d.apply_with_limits(&p, &c, &limits).unwrap_err().code, Code::LimitExceeded);
    assert_eq!(d.version(), 1);
}

#[test]
fn replay_refuses_altered_histories() {
    let p = parallel();
    let mut d = submit(&p);
    d.apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None))
        .expect("accept");
    d.apply(
        &p,
        &act("c2", "2026-03-02T10:00:00+07:00", "civil_status_officer", Some("commune_committee"), "send", None),
    )
    .expect("send");
    let history: Vec<Event> = d.history().to_vec();
    assert_eq!(Dossier::replay(&p, &history).expect("replay"), d);

    let mut removed = history.clone();
    removed.remove(1);
    assert_eq!(Dossier::replay(&p, &removed).unwrap_err().code, Code::InvalidHistory);

    let mut reordered = history.clone();
    reordered.swap(1, 2);
    assert_eq!(Dossier::replay(&p, &reordered).unwrap_err().code, Code::InvalidHistory);

    let mut forged = history.clone();
    forged[2].actor = Actor::citizen();
    let err = Dossier::replay(&p, &forged).unwrap_err();
    assert_eq!(err.code, Code::InvalidHistory);
    assert!(err.message.en.starts_with("event 3:"), "{}", err.message.en);

    let mut renamed = history;
    renamed[1].kind = EventKind::ActionTaken {
        step: "receive".into(),
        action: "approve".into(),
        data: None,
        documents: None,
        decisions: Default::default(),
    };
    assert_eq!(Dossier::replay(&p, &renamed).unwrap_err().code, Code::InvalidHistory);
    assert_eq!(Dossier::replay(&p, &[]).unwrap_err().code, Code::InvalidHistory);
}

#[test]
fn snapshots_round_trip_through_json() {
    let p = parallel();
    let mut d = submit(&p);
    d.apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None))
        .expect("accept");
    let json = serde_json::to_string(&d).expect("serialize");
    let back: Dossier = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, d);
    let commands = serde_json::json!({
        "id": "c9", "at": "2026-03-02T11:00:00+07:00",
        "actor": {"role": "civil_status_officer", "agency": "commune_committee"},
        "type": "act", "action": "send"
    });
    let command: Command = serde_json::from_value(commands).expect("command from JSON");
    assert_eq!(command.kind, CommandKind::act("send"));
}

// ---------------------------------------------------------------------------------------
// Property tests: random command sequences against every shipped procedure.

/// Every actor any shipped spec names, plus an official of no agency.
fn actors(procedures: &[Procedure]) -> Vec<Actor> {
    let mut out = vec![Actor::citizen(), Actor { role: "officer".into(), agency: None, unit: None, user: None }];
    for p in procedures {
        for step in p.steps() {
            for action in step.actions() {
                let actor = Actor {
                    role: action.role().to_owned(),
                    agency: action.agency().map(str::to_owned),
                    unit: None,
                    user: None,
                };
                if !out.contains(&actor) {
                    out.push(actor);
                }
            }
        }
    }
    out
}

#[derive(Clone, Debug)]
struct RandomCommand {
    actor: usize,
    kind: u8,
    action: usize,
    step: Option<usize>,
    minutes_later: i64,
    version_skew: u8,
    reuse_id: bool,
}

fn random_command() -> impl Strategy<Value = RandomCommand> {
    (any::<usize>(), 0u8..8, any::<usize>(), proptest::option::of(any::<usize>()), -30i64..3000, 0u8..8, any::<bool>())
        .prop_map(|(actor, kind, action, step, minutes_later, version_skew, reuse_id)| RandomCommand {
            actor,
            kind,
            action,
            step,
            minutes_later,
            version_skew,
            reuse_id,
        })
}

fn build(p: &Procedure, d: &Dossier, actors: &[Actor], r: &RandomCommand, n: usize) -> Command {
    let names: Vec<&str> = p.steps().iter().flat_map(|s| s.actions().iter().map(|a| a.id())).collect();
    let kind = match r.kind {
        0..=2 => CommandKind::Act {
            action: names[r.action % names.len()].to_owned(),
            step: r.step.map(|s| p.steps()[s % p.steps().len()].id().to_owned()),
            data: None,
            documents: None,
        },
        3 => CommandKind::RequestWithdrawal { reason: None },
        4 => CommandKind::ConfirmWithdrawal,
        5 => CommandKind::DeclineWithdrawal { reason: None },
        _ => CommandKind::Extend {
            appointment: d.deadline().appointment + chrono::Duration::hours(r.minutes_later / 60 - 10),
            reason: "Quá tải".into(),
        },
    };
    Command {
        id: if r.reuse_id && n > 0 { format!("c{}", n - 1) } else { format!("c{n}") },
        at: d.updated_at() + chrono::Duration::minutes(r.minutes_later),
        actor: actors[r.actor % actors.len()].clone(),
        expected_version: if r.version_skew == 0 { Some(d.version() + 1) } else { Some(d.version()) },
        kind,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Random commands never panic; a refused command changes nothing; an accepted one
    /// adds exactly one event; active steps are always nodes of the graph; the live
    /// dossier always equals the replay of its history and survives JSON.
    #[test]
    fn random_command_sequences_keep_every_invariant(
        spec in 0usize..16,
        commands in proptest::collection::vec(random_command(), 0..40),
    ) {
        let files = procedure_files();
        let procedures: Vec<Procedure> = files.iter().map(|f| Procedure::from_yaml(&read(f), f, &library()).unwrap()).collect();
        let all_actors = actors(&procedures);
        let p = &procedures[spec % procedures.len()];
        let mut d = submit_to(p, &files[spec % files.len()]);
        for (n, r) in commands.iter().enumerate() {
            let command = build(p, &d, &all_actors, r, n);
            let before = d.clone();
            let outcome = if r.kind == 7 {
                // The host's periodic call: fire whatever timers are due.
                d.advance(p, command.at)
            } else {
                d.apply(p, &command)
            };
            match outcome {
                Err(rejection) => {
                    prop_assert_eq!(&d, &before, "rejected {:?} changed the dossier", rejection.code);
                    prop_assert!(!rejection.message.vi.is_empty() && !rejection.message.en.is_empty());
                }
                // A repeated id, or an advance with nothing due: nothing changes.
                Ok(applied) if applied.duplicate || applied.events.is_empty() => prop_assert_eq!(&d, &before),
                Ok(applied) => {
                    prop_assert_eq!(d.version(), before.version() + applied.events.len() as u64);
                    prop_assert_eq!(d.history().last(), applied.events.last());
                    for e in &applied.events {
                        prop_assert!(e.at <= command.at, "an event is never dated after the call");
                    }
                }
            }
            // Suspension and extension only ever move the appointment later.
            prop_assert!(d.deadline().appointment >= before.deadline().appointment);
            prop_assert!(d.deadline().appointment >= d.deadline().first_appointment);
            // The host indexes the dossier by next_due: it is always an active step's timer.
            if let Some(due) = d.next_due() {
                prop_assert!(d.active().iter().any(|a| a.timer.as_ref().map(|t| t.at) == Some(due)));
            }
            for active in d.active() {
                let step = p.step_by_id(&active.step);
                prop_assert!(step.is_some(), "active step {} is not in the procedure", active.step);
            }
            prop_assert_eq!(d.closure().is_some(), d.active().is_empty());
        }
        prop_assert_eq!(&Dossier::replay(p, d.history()).unwrap(), &d);
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Dossier>(&json).unwrap(), &d);
    }
}

fn submit_to(p: &Procedure, file: &str) -> Dossier {
    let channel = p.spec().channels[0];
    let (data, documents) = crate::common::sample_application(file);
    let (dossier, _) = Dossier::submit(
        p,
        Submission {
            dossier_id: "HS-P".into(),
            command_id: "submit".into(),
            at: at("2026-03-02T08:00:00+07:00"),
            actor: Actor::citizen(),
            channel,
            jurisdiction: "00004".into(),
            data,
            documents,
            allow_incomplete: false,
        },
    )
    .expect("submit");
    dossier
}

#[test]
fn submissions_are_checked_too() {
    let p = parallel();
    let ok = Submission {
        dossier_id: "HS-1".into(),
        command_id: "s".into(),
        at: at("2026-03-02T08:00:00+07:00"),
        actor: Actor::citizen(),
        channel: motcua::Channel::Postal,
        jurisdiction: "1".into(),
        data: serde_json::Value::Null,
        documents: vec![motcua::SubmittedDocument {
            id: "birth_certificate".into(),
            originals: 1,
            ..Default::default()
        }],
        allow_incomplete: false,
    };
    assert_eq!(Dossier::submit(&p, ok.clone()).unwrap_err().field, "channel");
    let police = Submission {
        actor: Actor::official("police_officer", "commune_police"),
        channel: motcua::Channel::Online,
        ..ok.clone()
    };
    assert_eq!(Dossier::submit(&p, police).unwrap_err().code, Code::Forbidden);
    let desk = Submission {
        actor: Actor::official("one_stop_officer", "commune_committee"),
        channel: motcua::Channel::InPerson,
        ..ok.clone()
    };
    assert_eq!(Dossier::submit(&p, desk).expect("desk").0.status(), NationalStatus::New);
    let blank = Submission { dossier_id: " ".into(), channel: motcua::Channel::Online, ..ok };
    assert_eq!(Dossier::submit(&p, blank).unwrap_err().code, Code::InvalidCommand);
}

// ---------------------------------------------------------------------------------------
// Deadlines on the shipped birth-registration procedure (cut-off 15:00, vn-gov calendar).

const BIRTH: &str = "specs/procedures/birth-registration-residence-insurance.yaml";

fn birth_submitted_at(when: &str) -> (Procedure, Dossier) {
    let p = crate::common::procedure(BIRTH);
    let (data, documents) = crate::common::sample_application(BIRTH);
    let (d, _) = Dossier::submit(
        &p,
        Submission::new("KS-1", at(when), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(data, documents),
    )
    .expect("submit");
    (p, d)
}

#[test]
fn an_appointment_across_tet_2027_is_marked_provisional() {
    // Tết 2027 is not announced: vn-gov expects the break Thu 4/2 to Wed 10/2 (provisional).
    // Received Wednesday 3/2/2027 at 09:00 (before the cut-off), three working days: Wed 3
    // 09:00-17:00 is 7 hours, then Thu 11, Fri 12 and one hour of Mon 15: due Mon 15/2 09:00.
    let (p, d) = birth_submitted_at("2027-02-03T09:00:00+07:00");
    assert_eq!(d.deadline().appointment, at("2027-02-15T09:00:00+07:00"));
    let expected: Vec<chrono::NaiveDate> =
        (4..=10).map(|day| chrono::NaiveDate::from_ymd_opt(2027, 2, day).unwrap()).collect();
    assert_eq!(d.deadline().provisional_days, expected);
    // The effect the one-stop desk prints from carries the mark too.
    let (data, documents) = crate::common::sample_application(BIRTH);
    let (_, applied) = Dossier::submit(
        &p,
        Submission::new("KS-9", at("2027-02-03T09:00:00+07:00"), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(data, documents),
    )
    .expect("submit");
    let set = applied
        .effects
        .iter()
        .find_map(|e| match &e.kind {
            EffectKind::AppointmentSet { provisional_days, .. } => Some(provisional_days.clone()),
            _ => None,
        })
        .expect("appointment effect");
    assert_eq!(set, expected);
    let json = serde_json::to_value(&applied.effects).unwrap();
    assert!(json.to_string().contains("\"provisional_days\":[\"2027-02-04\""), "{json}");
    // The mark is decided with the appointment and stored in the event: when the notice
    // comes out (here: Tết 2027 announced with the same days), replay keeps what the
    // applicant was told, and the history's hash chain is unchanged.
    assert_eq!(d.history()[0].timing.provisional_days, expected);
    let announced = crate::common::read("specs/calendars/vn-gov.yaml").replacen(
        "    statutory: tet\n    status: provisional\n",
        "    statutory: tet\n    status: announced\n",
        1,
    );
    let mut library = motcua::Library::new(
        motcua::Catalogue::from_yaml(&crate::common::read("specs/catalogue/vietnam.yaml"), "vietnam.yaml")
            .expect("catalogue"),
    );
    library.add_calendar_yaml(&announced, "vn-gov.yaml").expect("announced calendar");
    let reloaded = Procedure::from_yaml(&crate::common::read(BIRTH), BIRTH, &library).expect("procedure");
    let replayed = Dossier::replay(&reloaded, d.history()).expect("replay");
    assert_eq!(replayed, d);
    assert!(motcua::verify_history(d.history(), Some(d.head())).is_ok());
    // A dossier received after the notice is not marked.
    let (data, documents) = crate::common::sample_application(BIRTH);
    let (fresh, _) = Dossier::submit(
        &reloaded,
        Submission::new("KS-10", at("2027-02-03T09:00:00+07:00"), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(data, documents),
    )
    .expect("submit");
    assert_eq!(fresh.deadline().appointment, at("2027-02-15T09:00:00+07:00"));
    assert!(fresh.deadline().provisional_days.is_empty());
    // Across announced days only (Tết 2026) nothing is marked, and the field is left out.
    let (_, d) = birth_submitted_at("2026-02-13T16:00:00+07:00");
    assert!(d.deadline().provisional_days.is_empty());
    assert!(!serde_json::to_string(d.deadline()).unwrap().contains("provisional_days"));
}

#[test]
fn received_friday_before_tet_at_16h_is_due_wednesday_after_tet_at_17h() {
    // 16:00 is after the 15:00 cut-off, Sat 14/2 to Sun 22/2 is Tết: the count starts
    // Monday 23/2 at 08:00 and three 8-hour days end Wednesday 25/2 at 17:00.
    let (_, d) = birth_submitted_at("2026-02-13T16:00:00+07:00");
    assert_eq!(d.deadline().clock_start, at("2026-02-23T08:00:00+07:00"));
    assert_eq!(d.deadline().appointment, at("2026-02-25T17:00:00+07:00"));
    // At 14:59 the count starts at once: the deadline ends three working days later, at 14:59.
    let (_, d) = birth_submitted_at("2026-02-13T14:59:00+07:00");
    assert_eq!(d.deadline().clock_start, at("2026-02-13T14:59:00+07:00"));
    assert_eq!(d.deadline().appointment, at("2026-02-25T14:59:00+07:00"));
    // 15:00 itself is "at or after" the cut-off.
    let (_, d) = birth_submitted_at("2026-02-13T15:00:00+07:00");
    assert_eq!(d.deadline().appointment, at("2026-02-25T17:00:00+07:00"));
}

#[test]
fn a_submission_outside_the_calendar_is_refused_not_guessed() {
    let p = crate::common::procedure(BIRTH);
    let (data, documents) = crate::common::sample_application(BIRTH);
    let submission =
        Submission::new("KS-2030", at("2030-03-04T09:00:00+07:00"), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(data, documents);
    let err = Dossier::submit(&p, submission).unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::OutsideCalendar, "at"));
}

#[test]
fn next_due_tells_the_host_when_a_timer_fires_and_advance_fires_it_all_or_nothing() {
    let (p, mut d) = birth_submitted_at("2026-03-02T09:00:00+07:00");
    assert_eq!(d.next_due(), None, "no timer while the desk examines");
    d.apply(
        &p,
        &act(
            "c1",
            "2026-03-02T10:00:00+07:00",
            "one_stop_officer",
            Some("commune_committee"),
            "request_supplement",
            None,
        ),
    )
    .expect("ask");
    // Ten working days from Monday 2/3 10:00.
    assert_eq!(d.next_due(), Some(at("2026-03-16T10:00:00+07:00")));
    let before = d.clone();
    let nothing = d.advance(&p, at("2026-03-16T09:59:00+07:00")).expect("advance");
    assert!(nothing.events.is_empty() && nothing.effects.is_empty());
    assert_eq!(d, before);

    let fired = d.advance(&p, at("2026-03-20T08:00:00+07:00")).expect("advance");
    assert_eq!(fired.events.len(), 1);
    assert_eq!(fired.events[0].at, at("2026-03-16T10:00:00+07:00"), "dated at the timer, not at the call");
    assert_eq!(fired.events[0].actor.role, motcua::SYSTEM_ROLE);
    assert_eq!(d.closure().map(|c| c.outcome.as_str()), Some("stopped"));
    assert_eq!(d.next_due(), None);
    assert_eq!(Dossier::replay(&p, d.history()).expect("replay"), d);
    // A forged timer event dated before its instant does not replay.
    let mut forged = d.history().to_vec();
    forged.last_mut().expect("event").at = at("2026-03-10T10:00:00+07:00");
    assert_eq!(Dossier::replay(&p, &forged).unwrap_err().code, Code::InvalidHistory);
}

#[test]
fn the_process_control_slip_records_time_per_step_and_agency() {
    let (p, mut d) = birth_submitted_at("2026-03-09T08:00:00+07:00");
    let steps = [
        ("one_stop_officer", "commune_committee", "accept", "2026-03-09T10:00:00+07:00"),
        ("civil_status_officer", "commune_committee", "propose", "2026-03-09T14:00:00+07:00"),
    ];
    for (i, (role, agency, action, when)) in steps.into_iter().enumerate() {
        d.apply(&p, &act(&format!("c{i}"), when, role, Some(agency), action, None)).expect(action);
    }
    let log = d.log();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].step.as_str(), log[0].used_minutes, log[0].allotted_minutes), ("receive", 120, 240));
    // 10:00 to 14:00 with the 12:00-13:00 break: three working hours.
    assert_eq!((log[1].step.as_str(), log[1].used_minutes), ("examine", 180));
    assert_eq!(log[1].punctuality(), Some(motcua::Punctuality::OnTime));
    assert_eq!(d.time_by_agency().get(&Some("commune_committee")), Some(&300));
}

#[test]
fn an_invalid_submission_lists_every_problem_and_creates_nothing() {
    let p = parallel();
    let submission =
        Submission::new("HS-9", at("2026-03-02T08:00:00+07:00"), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(serde_json::json!({"child": {"insured": "yes"}, "pet": 1}), Vec::new());
    let err = Dossier::submit(&p, submission).unwrap_err();
    assert_eq!((err.code, err.field.as_str()), (Code::InvalidForm, "data"));
    let problems: Vec<(String, Code)> = err.problems.iter().map(|p| (p.path.clone(), p.code)).collect();
    assert_eq!(
        problems,
        [
            ("$.child.name".to_owned(), Code::FieldRequired),
            ("$.child.insured".to_owned(), Code::FieldType),
            ("$.pet".to_owned(), Code::UnexpectedField),
            ("$.documents.birth_certificate".to_owned(), Code::DocumentMissing),
        ]
    );
    assert!(err.problems.iter().all(|p| !p.message.vi.is_empty() && p.message.vi != p.message.en));
}

#[test]
fn a_guard_blocks_an_action_until_the_data_it_needs_is_supplied() {
    let p = parallel();
    let mut d = submit(&p);
    d.apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None))
        .expect("accept");
    // The officer corrects the document list at the desk, dropping the birth certificate:
    // the form requires it, so the change itself is refused with the problem listed.
    let mut send =
        act("c2", "2026-03-02T10:00:00+07:00", "civil_status_officer", Some("commune_committee"), "send", None);
    send.kind = CommandKind::Act { action: "send".into(), step: None, data: None, documents: Some(Vec::new()) };
    let before = d.clone();
    let err = d.apply(&p, &send).unwrap_err();
    assert_eq!(err.code, Code::InvalidForm);
    assert_eq!(err.problems[0].path, "$.documents.birth_certificate");
    assert_eq!(d, before);
    // With new, valid data the action goes through and the dossier keeps the new data.
    send.kind = CommandKind::Act {
        action: "send".into(),
        step: None,
        data: Some(serde_json::json!({"child": {"name": "Nguyễn Văn Bình", "insured": false}})),
        documents: None,
    };
    d.apply(&p, &send).expect("send");
    assert_eq!(d.data()["child"]["name"], "Nguyễn Văn Bình");
    assert_eq!(Dossier::replay(&p, d.history()).expect("replay"), d);
}

#[test]
fn a_guard_that_does_not_hold_is_a_coded_rejection() {
    let text = PARALLEL.replace("guard: \"documents.birth_certificate.present\"", "guard: \"child.insured == true\"");
    let p = Procedure::from_yaml(&text, "guarded.yaml", &library()).expect("compiles");
    let mut d = submit(&p);
    d.apply(&p, &act("c1", "2026-03-02T09:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None))
        .expect("accept");
    let before = d.clone();
    let err = d
        .apply(
            &p,
            &act("c2", "2026-03-02T10:00:00+07:00", "civil_status_officer", Some("commune_committee"), "send", None),
        )
        .unwrap_err();
    assert_eq!(err.code, Code::GuardFailed);
    assert!(err.message.en.contains("child.insured == true"), "{}", err.message.en);
    assert_eq!(d, before);
}

#[test]
fn a_guard_naming_an_unknown_field_is_a_load_error_inside_the_expression() {
    let text = PARALLEL.replace("guard: \"documents.birth_certificate.present\"", "guard: \"child.nmae == 'x'\"");
    let err = Procedure::from_yaml(&text, "guarded.yaml", &library()).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, Code::UnknownReference);
    assert_eq!(d.path, "steps.register.actions.send.guard");
    // The column points at the unknown member `nmae` inside the quoted expression.
    let line = text.lines().nth(d.line as usize - 1).expect("line");
    let at: String = line.chars().skip(d.column as usize - 1).take(4).collect();
    assert_eq!(at, "nmae");
}

#[test]
fn a_dossier_keeps_its_deadlines_when_calendar_data_is_amended_later() {
    let (p, mut d) = birth_submitted_at("2026-03-02T09:00:00+07:00");
    d.apply(&p, &act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", Some("commune_committee"), "accept", None))
        .expect("accept");
    // Later the government declares Wednesday 4 March 2026 a day off. A portal that reloads
    // its calendars and replays the stored events still gets the appointment the applicant
    // was given (Thursday 5/3 09:00), not a recomputed one.
    let amended = crate::common::read("specs/calendars/vn-gov.yaml")
        .replace("\nholidays:\n", "\nholidays:\n  - {date: 2026-03-04, label: {vi: Nghỉ đột xuất, en: Extra day off}, status: announced, source: test}\n");
    let mut library = motcua::Library::new(
        motcua::Catalogue::from_yaml(&crate::common::read("specs/catalogue/vietnam.yaml"), "vietnam.yaml")
            .expect("catalogue"),
    );
    library.add_calendar_yaml(&amended, "vn-gov.yaml").expect("amended calendar");
    let file = "specs/procedures/birth-registration-residence-insurance.yaml";
    let reloaded = Procedure::from_yaml(&crate::common::read(file), file, &library).expect("procedure");
    let replayed = Dossier::replay(&reloaded, d.history()).expect("replay");
    assert_eq!(replayed, d);
    assert_eq!(replayed.deadline().appointment, at("2026-03-05T09:00:00+07:00"));
    // A new dossier under the amended calendar gets the later appointment.
    let (data, documents) = crate::common::sample_application(file);
    let (fresh, _) = Dossier::submit(
        &reloaded,
        Submission::new("KS-2", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(data, documents),
    )
    .expect("submit");
    assert_eq!(fresh.deadline().appointment, at("2026-03-06T09:00:00+07:00"));
}

#[test]
fn the_desk_can_record_an_incomplete_dossier_and_refuse_to_receive_it() {
    const BUSINESS: &str = "specs/procedures/business-registration.yaml";
    let p = crate::common::procedure(BUSINESS);
    let (data, mut documents) = crate::common::sample_application(BUSINESS);
    documents.retain(|d| d.id != "charter");
    let desk = Actor::official("one_stop_officer", "department_finance");
    let intake = Submission {
        dossier_id: "DN-DESK".into(),
        command_id: "s".into(),
        at: at("2026-03-02T09:00:00+07:00"),
        actor: desk.clone(),
        channel: motcua::Channel::InPerson,
        jurisdiction: "01".into(),
        data,
        documents,
        allow_incomplete: true,
    };
    // An applicant cannot bypass validation this way.
    let online = Submission { actor: Actor::citizen(), channel: motcua::Channel::Online, ..intake.clone() };
    assert_eq!(Dossier::submit(&p, online).unwrap_err().field, "allow_incomplete");
    // Without the flag the desk gets the same problems as a rejection.
    let strict = Submission { allow_incomplete: false, ..intake.clone() };
    let rejected = Dossier::submit(&p, strict).unwrap_err();
    assert_eq!(rejected.code, Code::InvalidForm);

    let (mut d, applied) = Dossier::submit(&p, intake).expect("desk intake");
    assert_eq!(applied.problems, rejected.problems);
    assert!(applied.problems.iter().any(|p| p.path == "$.documents.charter"), "{:?}", applied.problems);
    let refuse = Command {
        id: "c1".into(),
        at: at("2026-03-02T09:10:00+07:00"),
        actor: desk,
        expected_version: Some(1),
        kind: CommandKind::act("refuse"),
    };
    let refused = d.apply(&p, &refuse).expect("refuse");
    assert_eq!(compact(&refused), ["slip:refusal", "closed:not_received", "status:3"]);
    assert_eq!(d.status(), NationalStatus::NotReceived);
}
