//! Structured command sequences against every shipped procedure: a refused command changes
//! nothing, and the live dossier always equals the replay of its history.

use super::shipped;
use arbitrary::Arbitrary;
use motcua::{Actor, Command, CommandKind, Dossier, Submission};

#[derive(Arbitrary, Debug)]
pub struct Step {
    pub kind: u8,
    pub action: u16,
    pub step: Option<u8>,
    pub actor: u8,
    pub minutes: u16,
    pub stale: bool,
}

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub procedure: u8,
    pub steps: Vec<Step>,
}

/// The check, on one input.
pub fn check(input: Input) {
    let procedures = shipped::procedures();
    let p = &procedures[usize::from(input.procedure) % procedures.len()];
    let actions: Vec<(&str, &str, &motcua::Action)> =
        p.steps().iter().flat_map(|s| s.actions().iter().map(move |a| (s.id(), a.id(), a))).collect();
    let mut actors = vec![Actor::citizen()];
    actors.extend(actions.iter().map(|(_, _, a)| Actor {
        role: a.role().to_owned(),
        agency: a.agency().map(str::to_owned),
        unit: None,
        user: None,
    }));
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").expect("time");
    let channel = p.spec().channels[0];
    let submission =
        Submission::new("F-1", at, Actor::citizen(), channel, "00004").with_data(serde_json::json!({}), vec![]);
    let Ok((mut dossier, _)) = Dossier::submit(p, Submission { allow_incomplete: false, ..submission.clone() })
        .or_else(|_| {
            Dossier::submit(
                p,
                Submission {
                    actor: Actor::official(p.start().role(), p.start().agency().unwrap_or("")),
                    allow_incomplete: true,
                    ..submission
                },
            )
        })
    else {
        return;
    };
    for (n, s) in input.steps.iter().take(64).enumerate() {
        let now = dossier.updated_at() + chrono::Duration::minutes(i64::from(s.minutes % 3000));
        let (step, action, _) = actions[usize::from(s.action) % actions.len()];
        let kind = match s.kind % 6 {
            0..=2 => CommandKind::Act {
                action: action.to_owned(),
                step: s.step.map(|_| step.to_owned()),
                data: None,
                documents: None,
            },
            3 => CommandKind::RequestWithdrawal { reason: None },
            4 => CommandKind::ConfirmWithdrawal,
            _ => CommandKind::Extend {
                appointment: dossier.deadline().appointment + chrono::Duration::hours(8),
                reason: "x".into(),
            },
        };
        let command = Command {
            id: format!("c{n}"),
            at: now,
            actor: actors[usize::from(s.actor) % actors.len()].clone(),
            expected_version: Some(if s.stale { dossier.version().wrapping_sub(1) } else { dossier.version() }),
            kind,
        };
        let before = dossier.clone();
        if dossier.apply(p, &command).is_err() {
            assert_eq!(dossier, before, "a refused command changed the dossier");
        }
    }
    assert_eq!(Dossier::replay(p, dossier.history()).expect("replay"), dossier);
    motcua::verify_history(dossier.history(), Some(dossier.head())).expect("chain");
}
