//! Scenarios: a dossier's life written as data — a submission, then commands with instants
//! and what each should produce — run against a procedure to give a [`Timeline`].
//!
//! The same files drive the integration tests, the `simulate` example and the CLI, so
//! policy staff can try a spec before any portal sees it.
//!
//! ```
//! use motcua::{Catalogue, Procedure, scenario::Scenario};
//!
//! let catalogue = Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
//! let procedure = Procedure::from_yaml(
//!     include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &catalogue)?;
//! let scenario = Scenario::from_yaml(r#"
//! procedure: specs/procedures/business-registration.yaml
//! name: {vi: Tiếp nhận, en: Reception}
//! submit:
//!   dossier_id: HS-1
//!   at: 2026-03-02T09:00:00+07:00
//!   actor: {role: citizen}
//!   channel: online
//!   jurisdiction: "01"
//! commands:
//!   - at: 2026-03-02T09:30:00+07:00
//!     actor: {role: one_stop_officer, agency: department_finance}
//!     act: accept
//!     expect: {status: 2, active: [review], effects: ["slip:receipt", "start:review", "status:2"]}
//! "#, "reception.yaml")?;
//! let timeline = scenario.run(&procedure);
//! assert!(timeline.failures().is_empty(), "{:?}", timeline.failures());
//! assert_eq!(timeline.entries().len(), 2);
//! # Ok::<(), motcua::LoadError>(())
//! ```

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::compile::Procedure;
use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::dossier::{Actor, Command, CommandKind, Dossier, Effect, EffectKind, Rejection, Submission};
use crate::limits::Limits;
use crate::spec::procedure::Channel;
use crate::status::NationalStatus;
use crate::text::Text;
use crate::yaml::{self, Part};

/// A scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The procedure file it runs against, relative to the repository root.
    pub procedure: String,
    /// What the scenario shows.
    pub name: Text,
    /// The submission that opens the dossier.
    pub submit: ScenarioSubmit,
    /// What the dossier should look like right after submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expectation>,
    /// The commands, in order.
    #[serde(default)]
    pub commands: Vec<ScenarioCommand>,
}

/// The submission of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSubmit {
    /// Dossier identifier.
    pub dossier_id: String,
    /// Command id (default `submit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who.
    pub actor: Actor,
    /// Channel.
    pub channel: Channel,
    /// Administrative unit.
    pub jurisdiction: String,
    /// Form data.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// The withdrawal commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawOp {
    /// The applicant asks to withdraw.
    Request,
    /// An officer confirms.
    Confirm,
    /// An officer declines.
    Decline,
}

/// One command of a scenario: exactly one of `act` or `withdraw`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCommand {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who.
    pub actor: Actor,
    /// Command id (default `c<n>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Expected version (default: the dossier's current version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<u64>,
    /// An action of an active step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<String>,
    /// The step, when several active steps offer the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// A withdrawal command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraw: Option<WithdrawOp>,
    /// Reason, for withdrawal commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A remark shown in the timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// What the dossier should look like afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expectation>,
    /// The rejection code expected instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject: Option<Code>,
}

/// Expected state after a step of a scenario; every key is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// National status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u8>,
    /// Exact list of active steps, in activation order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<Vec<String>>,
    /// Exact, ordered list of effects in compact form ([`Effect::compact`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<String>>,
    /// The outcome the dossier closed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
}

impl Effect {
    /// A one-token summary used by scenarios and timelines: `status:2`, `start:review`,
    /// `slip:receipt`, `hand_off:commune_police:horizontal`, `closed:issued`.
    ///
    /// ```
    /// use motcua::{Effect, EffectKind, SlipKind};
    /// let e = Effect { key: "HS/2/0".into(), kind: EffectKind::Slip { slip: SlipKind::Receipt, step: "receive".into(), action: "accept".into() } };
    /// assert_eq!(e.compact(), "slip:receipt");
    /// ```
    pub fn compact(&self) -> String {
        fn name<T: Serialize>(value: &T) -> String {
            serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        }
        match &self.kind {
            EffectKind::StatusChanged { to, .. } => format!("status:{}", to.code()),
            EffectKind::StepStarted { step, .. } => format!("start:{step}"),
            EffectKind::HandOff { to_agency, direction, .. } => format!("hand_off:{to_agency}:{}", name(direction)),
            EffectKind::Slip { slip, .. } => format!("slip:{}", name(slip)),
            EffectKind::Closed { outcome, .. } => format!("closed:{outcome}"),
        }
    }
}

/// What happened to one line of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryResult {
    /// Accepted, with these effects.
    Applied(Vec<Effect>),
    /// Refused.
    Rejected(Rejection),
}

/// One line of a timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The command, e.g. `accept` or `withdraw:request`.
    pub command: String,
    /// Who.
    pub actor: Actor,
    /// Active steps before.
    pub before: Vec<String>,
    /// Active steps after.
    pub after: Vec<String>,
    /// Accepted or refused.
    pub result: EntryResult,
    /// National status after.
    pub status: NationalStatus,
    /// The scenario's remark.
    pub note: Option<Text>,
}

/// The result of running a scenario: one entry per line, the final dossier, and every
/// expectation that did not hold.
#[derive(Clone, Debug)]
pub struct Timeline {
    entries: Vec<Entry>,
    dossier: Option<Dossier>,
    failures: Vec<String>,
}

impl Timeline {
    /// The entries, the submission first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The dossier at the end (absent when the submission itself was refused).
    pub fn dossier(&self) -> Option<&Dossier> {
        self.dossier.as_ref()
    }

    /// Expectations that did not hold, each naming its line; empty when the scenario passes.
    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// The timeline as a text table in `lang` (`"vi"` or `"en"`), for terminals.
    pub fn render(&self, procedure: &Procedure, lang: &str) -> String {
        let vi = lang == "vi";
        let step_name = |id: &str| -> String {
            procedure
                .step_ix(id)
                .map(|ix| procedure.step(ix).name.get(lang).to_owned())
                .unwrap_or_else(|| id.to_owned())
        };
        let headers = if vi {
            ["#", "Thời điểm", "Lệnh", "Người thực hiện", "Bước sau lệnh", "Hiệu ứng", "Trạng thái"]
        } else {
            ["#", "Instant", "Command", "Actor", "Steps after", "Effects", "Status"]
        };
        let mut rows: Vec<[String; 7]> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let actor = match &e.actor.agency {
                Some(agency) => format!("{} @ {agency}", e.actor.role),
                None => e.actor.role.clone(),
            };
            let after = if e.after.is_empty() {
                "—".to_owned()
            } else {
                e.after.iter().map(|s| step_name(s)).collect::<Vec<_>>().join(" ‖ ")
            };
            let effects = match &e.result {
                EntryResult::Applied(fx) => fx
                    .iter()
                    .filter(|f| !matches!(f.kind, EffectKind::StepStarted { .. } | EffectKind::StatusChanged { .. }))
                    .map(Effect::compact)
                    .collect::<Vec<_>>()
                    .join(", "),
                EntryResult::Rejected(r) => format!("✗ {}: {}", r.code, r.message.get(lang)),
            };
            let label = e.status.label();
            rows.push([
                (i + 1).to_string(),
                e.at.format("%Y-%m-%d %H:%M").to_string(),
                e.command.clone(),
                actor,
                after,
                effects,
                format!("{} {}", e.status.code(), label.get(lang)),
            ]);
        }
        let mut widths = headers.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: &[String]| {
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                let pad = w - cell.chars().count();
                let _ = write!(out, "{}{cell}{}", if i == 0 { "" } else { " │ " }, " ".repeat(pad));
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
        };
        line(&mut out, &headers.map(str::to_owned));
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        let _ = writeln!(out, "{}", rule.join("─┼─"));
        for row in &rows {
            line(&mut out, row);
        }
        out
    }
}

impl Scenario {
    /// Reads a scenario from YAML; `file` names it in diagnostics.
    pub fn from_yaml(text: &str, file: &str) -> Result<Scenario, LoadError> {
        let (scenario, map) = yaml::from_str::<Scenario>(text, file, &Limits::default())?;
        let mut problems: Vec<Diagnostic> = Vec::new();
        for (i, c) in scenario.commands.iter().enumerate() {
            if c.act.is_some() == c.withdraw.is_some() {
                problems.push(map.diagnostic(
                    Code::InvalidCommand,
                    &format!("commands[{i}]"),
                    Part::Value,
                    Message::new(
                        "Mỗi lệnh cần đúng một trong hai khóa `act` hoặc `withdraw`",
                        "each command needs exactly one of `act` or `withdraw`",
                    ),
                ));
            }
        }
        if problems.is_empty() { Ok(scenario) } else { Err(LoadError::new(problems)) }
    }

    /// Runs the scenario, checking every expectation. Never fails: problems are listed
    /// in [`Timeline::failures`].
    pub fn run(&self, procedure: &Procedure) -> Timeline {
        let mut entries = Vec::new();
        let mut failures = Vec::new();
        let s = &self.submit;
        let submission = Submission {
            dossier_id: s.dossier_id.clone(),
            command_id: s.id.clone().unwrap_or_else(|| "submit".into()),
            at: s.at,
            actor: s.actor.clone(),
            channel: s.channel,
            jurisdiction: s.jurisdiction.clone(),
            data: s.data.clone(),
        };
        let mut dossier = match Dossier::submit(procedure, submission) {
            Ok((dossier, applied)) => {
                let after: Vec<String> = dossier.active_step_ids().map(str::to_owned).collect();
                check(&mut failures, "submit", self.expect.as_ref(), &dossier, &applied.effects);
                entries.push(Entry {
                    at: s.at,
                    command: "submit".into(),
                    actor: s.actor.clone(),
                    before: Vec::new(),
                    after,
                    result: EntryResult::Applied(applied.effects),
                    status: dossier.status(),
                    note: None,
                });
                dossier
            }
            Err(rejection) => {
                failures.push(format!("submit: refused: {rejection}"));
                return Timeline { entries, dossier: None, failures };
            }
        };
        for (i, c) in self.commands.iter().enumerate() {
            let line = format!("commands[{i}]");
            let (kind, label) = match (&c.act, c.withdraw) {
                (Some(action), _) => {
                    (CommandKind::Act { action: action.clone(), step: c.step.clone() }, action.clone())
                }
                (None, Some(WithdrawOp::Request)) => {
                    (CommandKind::RequestWithdrawal { reason: c.reason.clone() }, "withdraw:request".into())
                }
                (None, Some(WithdrawOp::Confirm)) => (CommandKind::ConfirmWithdrawal, "withdraw:confirm".into()),
                (None, Some(WithdrawOp::Decline)) => {
                    (CommandKind::DeclineWithdrawal { reason: c.reason.clone() }, "withdraw:decline".into())
                }
                (None, None) => continue,
            };
            let command = Command {
                id: c.id.clone().unwrap_or_else(|| format!("c{}", i + 1)),
                at: c.at,
                actor: c.actor.clone(),
                expected_version: Some(c.expected_version.unwrap_or(dossier.version())),
                kind,
            };
            let before: Vec<String> = dossier.active_step_ids().map(str::to_owned).collect();
            let result = match dossier.apply(procedure, &command) {
                Ok(applied) => {
                    if let Some(code) = c.reject {
                        failures.push(format!("{line} ({label}): expected rejection `{code}`, but it was applied"));
                    }
                    check(&mut failures, &format!("{line} ({label})"), c.expect.as_ref(), &dossier, &applied.effects);
                    EntryResult::Applied(applied.effects)
                }
                Err(rejection) => {
                    match c.reject {
                        Some(code) if code == rejection.code => {}
                        Some(code) => failures.push(format!(
                            "{line} ({label}): expected rejection `{code}`, got `{}`: {}",
                            rejection.code, rejection.message.en
                        )),
                        None => failures.push(format!("{line} ({label}): refused: {rejection}")),
                    }
                    EntryResult::Rejected(rejection)
                }
            };
            entries.push(Entry {
                at: c.at,
                command: label,
                actor: c.actor.clone(),
                before,
                after: dossier.active_step_ids().map(str::to_owned).collect(),
                result,
                status: dossier.status(),
                note: c.note.clone(),
            });
        }
        Timeline { entries, dossier: Some(dossier), failures }
    }
}

fn check(failures: &mut Vec<String>, line: &str, expect: Option<&Expectation>, dossier: &Dossier, effects: &[Effect]) {
    let Some(expect) = expect else { return };
    if let Some(status) = expect.status
        && status != dossier.status().code()
    {
        failures.push(format!("{line}: expected status {status}, got {}", dossier.status().code()));
    }
    if let Some(active) = &expect.active {
        let actual: Vec<&str> = dossier.active_step_ids().collect();
        if actual != active.iter().map(String::as_str).collect::<Vec<_>>() {
            failures.push(format!("{line}: expected active {active:?}, got {actual:?}"));
        }
    }
    if let Some(expected) = &expect.effects {
        let actual: Vec<String> = effects.iter().map(Effect::compact).collect();
        if &actual != expected {
            failures.push(format!("{line}: expected effects {expected:?}, got {actual:?}"));
        }
    }
    if let Some(outcome) = &expect.closed {
        let actual = dossier.closure().map(|c| c.outcome.as_str());
        if actual != Some(outcome.as_str()) {
            failures.push(format!("{line}: expected closed as `{outcome}`, got {actual:?}"));
        }
    }
}
