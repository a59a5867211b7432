//! The first scenario format (round 1), read only to convert it: lines such as
//! `{at, actor, act: accept}` or `{at, actor, withdraw: request, reason}` and a submission
//! without `command_id`, which the old runner completed with defaults.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::{Advance, Expectation, ExpectedClosure, Scenario, ScenarioLine, ScenarioMigrate};
use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::dossier::{Actor, Command, CommandKind, Punctuality, Submission};
use crate::form::SubmittedDocument;
use crate::limits::Limits;
use crate::spec::procedure::Channel;
use crate::spec::source::{Part, index};
use crate::spec::yaml;
use crate::text::Text;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldScenario {
    procedure: String,
    name: Text,
    submit: OldSubmit,
    #[serde(default)]
    expect: Option<OldExpectation>,
    #[serde(default)]
    commands: Vec<OldCommand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldSubmit {
    dossier_id: String,
    #[serde(default)]
    id: Option<String>,
    at: DateTime<FixedOffset>,
    actor: Actor,
    channel: Channel,
    jurisdiction: String,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    documents: Vec<SubmittedDocument>,
    #[serde(default)]
    allow_incomplete: bool,
    #[serde(default)]
    problems: Option<Vec<String>>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum OldWithdraw {
    Request,
    Confirm,
    Decline,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldMigrate {
    migration: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldCommand {
    at: DateTime<FixedOffset>,
    actor: Actor,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    expected_version: Option<u64>,
    #[serde(default)]
    act: Option<String>,
    #[serde(default)]
    step: Option<String>,
    #[serde(default)]
    data: Option<serde_json::Value>,
    #[serde(default)]
    documents: Option<Vec<SubmittedDocument>>,
    #[serde(default)]
    withdraw: Option<OldWithdraw>,
    #[serde(default)]
    extend: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    advance: bool,
    #[serde(default)]
    migrate: Option<OldMigrate>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    note: Option<Text>,
    #[serde(default)]
    expect: Option<OldExpectation>,
    #[serde(default)]
    reject: Option<Code>,
    #[serde(default)]
    problems: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldExpectation {
    #[serde(default)]
    status: Option<u8>,
    #[serde(default)]
    active: Option<Vec<String>>,
    #[serde(default)]
    effects: Option<Vec<String>>,
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    appointment: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    punctuality: Option<Punctuality>,
    #[serde(default)]
    late: Option<bool>,
}

/// The expectation in the new shape, with the line's `problems` moved into it.
fn expectation(old: Option<OldExpectation>, problems: Option<Vec<String>>) -> Option<Expectation> {
    if old.is_none() && problems.is_none() {
        return None;
    }
    let old = old.unwrap_or(OldExpectation {
        status: None,
        active: None,
        effects: None,
        closed: None,
        appointment: None,
        punctuality: None,
        late: None,
    });
    Some(Expectation {
        status: old.status,
        active: old.active,
        effects: old.effects,
        closure: old.closed.map(|outcome| ExpectedClosure { outcome: Some(outcome), ..ExpectedClosure::default() }),
        appointment: old.appointment,
        punctuality: old.punctuality,
        late: old.late,
        problems,
    })
}

/// The refusal `Scenario::from_yaml` gives a file of the first format.
pub(super) fn diagnostic(file: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::OldScenarioFormat,
        Message::new(
            "Kịch bản viết theo định dạng cũ (`act: accept`, không có `command_id`): chuyển bằng `motcua json --upgrade TỆP`",
            "the scenario is in the first format (`act: accept`, no `command_id`): convert it with `motcua json --upgrade FILE`",
        ),
    );
    d.file = file.to_owned();
    d.line = 1;
    d.column = 1;
    d
}

pub(super) fn read(text: &str, file: &str) -> Result<Scenario, LoadError> {
    let (old, map) = yaml::from_str::<OldScenario>(text, file, &Limits::default())?;
    let s = old.submit;
    let submit = Submission {
        dossier_id: s.dossier_id,
        command_id: s.id.unwrap_or_else(|| "submit".into()),
        at: s.at,
        actor: s.actor,
        channel: s.channel,
        jurisdiction: s.jurisdiction,
        data: s.data,
        documents: s.documents,
        allow_incomplete: s.allow_incomplete,
    };
    let mut problems = Vec::new();
    let mut commands = Vec::new();
    for (i, c) in old.commands.into_iter().enumerate() {
        let mut line = ScenarioLine {
            command: None,
            advance: None,
            migrate: None,
            note: c.note,
            expect: expectation(c.expect, c.problems),
            reject: c.reject,
        };
        let kind = match (c.act, c.withdraw, c.extend, c.advance, c.migrate) {
            (Some(action), None, None, false, None) => {
                Some(CommandKind::Act { action, step: c.step, data: c.data, documents: c.documents })
            }
            (None, Some(OldWithdraw::Request), None, false, None) => {
                Some(CommandKind::RequestWithdrawal { reason: c.reason })
            }
            (None, Some(OldWithdraw::Confirm), None, false, None) => Some(CommandKind::ConfirmWithdrawal),
            (None, Some(OldWithdraw::Decline), None, false, None) => {
                Some(CommandKind::DeclineWithdrawal { reason: c.reason })
            }
            (None, None, Some(appointment), false, None) => {
                Some(CommandKind::Extend { appointment, reason: c.reason.unwrap_or_default() })
            }
            (None, None, None, true, None) => {
                line.advance = Some(Advance { at: c.at });
                None
            }
            (None, None, None, false, Some(m)) => {
                line.migrate =
                    Some(ScenarioMigrate { at: c.at, actor: c.actor.clone(), migration: m.migration, to: m.to });
                None
            }
            _ => {
                problems.push(map.diagnostic(
                    Code::InvalidCommand,
                    &index("commands", i),
                    Part::Value,
                    Message::new(
                        "Mỗi lệnh cần đúng một trong các khóa `act`, `withdraw`, `extend`, `advance`, `migrate`",
                        "each command needs exactly one of `act`, `withdraw`, `extend`, `advance` or `migrate`",
                    ),
                ));
                None
            }
        };
        if let Some(kind) = kind {
            line.command = Some(Command {
                id: c.id.unwrap_or_else(|| format!("c{}", i + 1)),
                at: c.at,
                actor: c.actor,
                expected_version: c.expected_version,
                kind,
            });
        }
        commands.push(line);
    }
    if !problems.is_empty() {
        return Err(LoadError::new(problems));
    }
    Ok(Scenario {
        procedure: old.procedure,
        name: old.name,
        submit,
        expect: expectation(old.expect, s.problems),
        commands,
    })
}
