//! The scenario file format: a dossier's life written as data — a submission, then commands,
//! each with what it should produce.
//!
//! A scenario is an executable example of the API: `submit` is exactly a [`Submission`] and
//! every `command` exactly a [`Command`], in the shapes of `specs/schema/runtime/` (what the
//! C library, the WASM package and the Rust API take), so a line can be copied into a host's
//! call as it stands. Beside them a scenario says what should come out (`expect`, `reject`)
//! and two things a host does that are not commands: `advance` (fire the timers due, as the
//! host's scheduler does) and `migrate` (move the dossier to another version of its procedure).
//!
//! This module reads and checks the files; the `motcua-scenario` crate (`bindings/scenario`)
//! runs them, and `motcua simulate` prints their timelines. `motcua json` converts a
//! scenario of the first format ([`Scenario::from_legacy_yaml`]) into this one.
//!
//! ```
//! use motcua::{Code, CommandKind, scenario::Scenario};
//!
//! let scenario = Scenario::from_yaml(r#"
//! procedure: specs/procedures/business-registration.yaml
//! name: {vi: Tiếp nhận, en: Reception}
//! submit:
//!   dossier_id: HS-1
//!   command_id: HS-1/submit
//!   at: 2026-03-02T09:00:00+07:00
//!   actor: {role: citizen}
//!   channel: online
//!   jurisdiction: "01"
//! commands:
//!   - command:
//!       id: HS-1/1
//!       at: 2026-03-02T09:30:00+07:00
//!       actor: {role: one_stop_officer, agency: department_finance, unit: "01"}
//!       type: act
//!       action: accept
//!     expect: {status: 2, active: [review], effects: ["slip:receipt", "start:review", "status:2"]}
//! "#, "reception.yaml")?;
//! let accept = scenario.commands[0].command.as_ref().unwrap();
//! assert_eq!(accept.kind, CommandKind::act("accept"));
//! // The command is the API's JSON, as a host would send it.
//! let sent: motcua::Command = serde_json::from_value(serde_json::to_value(accept).unwrap()).unwrap();
//! assert_eq!(&sent, accept);
//!
//! // A field the command does not have is reported at its line, as any typo in a spec.
//! let err = Scenario::from_yaml(r#"
//! procedure: p.yaml
//! name: {vi: x, en: x}
//! submit: {dossier_id: H, command_id: H/s, at: 2026-03-02T09:00:00+07:00, actor: {role: citizen}, channel: online, jurisdiction: "01"}
//! commands:
//!   - command: {id: c1, at: 2026-03-02T09:30:00+07:00, actor: {role: citizen}, type: act, action: accept, stepp: receive}
//! "#, "typo.yaml").unwrap_err();
//! let d = &err.diagnostics()[0];
//! assert_eq!((d.code, d.line, d.path.as_str()), (Code::UnknownField, 6, "commands[0].command.stepp"));
//! # Ok::<(), motcua::LoadError>(())
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::dossier::{Actor, Command, CommandKind, Punctuality, Submission};
use crate::limits::Limits;
use crate::spec::procedure::OutcomeKind;
use crate::spec::source::{Part, SourceMap, index, join};
use crate::spec::yaml;
use crate::text::Text;

mod legacy;

/// The JSON Schema of a scenario file, as committed in `specs/schema/scenario.schema.json`
/// (`motcua schema scenario` prints it). Every shipped scenario names it on its first line,
/// `# yaml-language-server: $schema=…/specs/schema/scenario.schema.json`, so an editor
/// completes and checks scenarios as it does specs.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&motcua::scenario::schema()).unwrap();
/// assert_eq!(schema["title"], "motcua scenario");
/// assert!(schema["required"].as_array().unwrap().contains(&"submit".into()));
/// // `submit` is the API's submission, not a shape of its own.
/// assert_eq!(schema["properties"]["submit"]["$ref"], "#/$defs/Submission");
/// ```
pub fn schema() -> String {
    crate::spec::schema_of::<Scenario>("motcua scenario")
}

/// A scenario file.
///
/// ```
/// use motcua::scenario::Scenario;
///
/// let scenario = Scenario::from_yaml(
///     include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// assert_eq!(scenario.procedure, "specs/procedures/business-registration.yaml");
/// assert_eq!(scenario.name.get("en"), "A valid dossier goes straight through");
/// assert_eq!(scenario.submit.command_id, "submit");
/// assert_eq!(scenario.commands.len(), 7);
/// assert_eq!(scenario.expect.as_ref().unwrap().status, Some(1));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The procedure file it runs against, relative to the repository root.
    pub procedure: String,
    /// What the scenario shows.
    pub name: Text,
    /// The submission that opens the dossier, exactly as the API takes it.
    pub submit: Submission,
    /// What the submission should produce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expectation>,
    /// What follows, in order.
    #[serde(default)]
    pub commands: Vec<ScenarioLine>,
}

/// One line of a scenario after the submission: exactly one of `command`, `advance` or
/// `migrate`, and what it should produce.
///
/// ```
/// use motcua::{Code, CommandKind};
/// use motcua::scenario::Scenario;
///
/// let scenario = Scenario::from_yaml(
///     include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// let refused = &scenario.commands[1];
/// assert_eq!(refused.command.as_ref().unwrap().kind, CommandKind::act("propose"));
/// assert_eq!((refused.label(), refused.actor().role.as_str()), ("propose".to_string(), "citizen"));
/// assert_eq!(refused.reject, Some(Code::Forbidden));
/// assert_eq!(refused.note.as_ref().unwrap().get("en"), "The applicant cannot propose their own dossier");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioLine {
    /// A command, exactly as the API takes it (see `specs/schema/runtime/command.schema.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Command>,
    /// The host's scheduler fires every timer due at an instant ([`crate::Dossier::advance`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance: Option<Advance>,
    /// The dossier moves to another version of its procedure ([`crate::version::migrate`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrate: Option<ScenarioMigrate>,
    /// A remark shown in the timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// What the line should produce when it is applied (after a refusal: the dossier, which
    /// stays as it was, and the refusal's `problems`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expectation>,
    /// The rejection code expected instead of an outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject: Option<Code>,
}

/// The host's scheduler firing the timers due at `at`.
///
/// ```
/// use motcua::scenario::Scenario;
///
/// let lapsed = Scenario::from_yaml(
///     include_str!("../tests/scenarios/birth-registration-supplement-lapsed.yaml"), "lapsed.yaml")?;
/// let fired = lapsed.commands.iter().find_map(|line| line.advance.as_ref()).unwrap();
/// assert_eq!(fired.at.to_rfc3339(), "2026-03-13T17:00:00+07:00");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    /// The instant the scheduler runs at.
    pub at: DateTime<FixedOffset>,
}

/// A move of the dossier to another version of its procedure, at `at` by `actor`: the
/// migration file and the new version's spec, both paths as `procedure` is (relative to the
/// repository root). The scenario goes on on the new version.
///
/// ```
/// use motcua::scenario::Scenario;
///
/// let scenario = Scenario::from_yaml(
///     include_str!("../tests/migrations/scenarios/household-business-registration-moved-under-review.yaml"), "moved.yaml")?;
/// let moved = scenario.commands.iter().find_map(|line| line.migrate.as_ref()).unwrap();
/// assert_eq!(moved.migration, "specs/migrations/1.001612-2021.1-to-2025.1.yaml");
/// assert_eq!(moved.to, "specs/procedures/household-business-registration.yaml");
/// assert_eq!(moved.actor.role, "procedure_admin");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioMigrate {
    /// When the dossier moves.
    pub at: DateTime<FixedOffset>,
    /// Who moves it (the migration's role).
    pub actor: Actor,
    /// The migration file (`specs/migrations/…`).
    pub migration: String,
    /// The spec of the version the dossier moves to.
    pub to: String,
}

/// Expected outcome of a line of a scenario; every key is optional.
///
/// ```
/// use motcua::scenario::Scenario;
///
/// let scenario = Scenario::from_yaml(
///     include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// let accepted = scenario.commands[0].expect.as_ref().unwrap();
/// assert_eq!(accepted.status, Some(2));
/// assert_eq!(accepted.active.as_deref(), Some(&["review".to_string()][..]));
/// assert_eq!(accepted.effects.as_ref().unwrap()[0], "slip:receipt");
/// let handed_over = scenario.commands[5].expect.as_ref().unwrap();
/// assert_eq!(handed_over.closure.as_ref().unwrap().outcome.as_deref(), Some("issued"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// National status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u8>,
    /// Exact list of active steps, in activation order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<Vec<String>>,
    /// Exact, ordered list of effects in compact form ([`crate::Effect::compact`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<String>>,
    /// How the dossier closed (the snapshot's `closure`); only the keys given are compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<ExpectedClosure>,
    /// The appointment in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<DateTime<FixedOffset>>,
    /// Early, on time, due soon or late at the line's instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub punctuality: Option<Punctuality>,
    /// Whether national reporting counts the dossier as late at the line's instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<bool>,
    /// Every problem, as `"<json path> <code>"`: those a desk intake (`allow_incomplete`) or
    /// an action was recorded with, or those of an `invalid_form` refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<String>>,
}

/// The expected `closure` of a dossier: the keys of the snapshot's closure that are compared.
///
/// ```
/// use motcua::OutcomeKind;
/// use motcua::scenario::ExpectedClosure;
///
/// let expected: ExpectedClosure = serde_json::from_str(r#"{"outcome": "refused", "kind": "refused"}"#).unwrap();
/// assert_eq!(expected.kind, Some(OutcomeKind::Refused));
/// assert!(expected.cancelled.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedClosure {
    /// The outcome identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The outcome's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OutcomeKind>,
    /// The steps the closing cancelled, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<Vec<String>>,
}

/// The actor the timeline shows for the host's scheduler.
fn scheduler() -> Actor {
    Actor { role: "system".into(), agency: None, unit: None, user: None }
}

impl ScenarioLine {
    /// When the line happens.
    ///
    /// ```
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "s.yaml")?;
    /// assert_eq!(scenario.commands[0].at().to_rfc3339(), "2026-03-02T10:00:00+07:00");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn at(&self) -> DateTime<FixedOffset> {
        match (&self.command, &self.advance, &self.migrate) {
            (Some(c), _, _) => c.at,
            (None, Some(a), _) => a.at,
            (None, None, Some(m)) => m.at,
            (None, None, None) => DateTime::default(),
        }
    }

    /// Who acts: the command's or the move's actor, `system` for the scheduler.
    ///
    /// ```
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "s.yaml")?;
    /// assert_eq!(scenario.commands[0].actor().agency.as_deref(), Some("department_finance"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn actor(&self) -> Actor {
        match (&self.command, &self.migrate) {
            (Some(c), _) => c.actor.clone(),
            (None, Some(m)) => m.actor.clone(),
            (None, None) => scheduler(),
        }
    }

    /// What a timeline calls the line: the action (`accept`), `withdraw:request`,
    /// `withdraw:confirm`, `withdraw:decline`, `extend`, `advance` or `migrate`.
    ///
    /// ```
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "s.yaml")?;
    /// let labels: Vec<String> = scenario.commands.iter().map(|line| line.label()).collect();
    /// assert_eq!(labels[..5], ["accept", "propose", "propose", "sign", "withdraw:request"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn label(&self) -> String {
        match (&self.command, &self.advance) {
            (Some(c), _) => match &c.kind {
                CommandKind::Act { action, .. } => action.clone(),
                CommandKind::RequestWithdrawal { .. } => "withdraw:request".into(),
                CommandKind::ConfirmWithdrawal => "withdraw:confirm".into(),
                CommandKind::DeclineWithdrawal { .. } => "withdraw:decline".into(),
                CommandKind::Extend { .. } => "extend".into(),
            },
            (None, Some(_)) => "advance".into(),
            (None, None) => "migrate".into(),
        }
    }
}

/// The keys a command of each `type` may have, from the published JSON Schema of
/// [`Command`] (its flattened kinds are beyond serde's `deny_unknown_fields`).
fn command_keys() -> &'static HashMap<String, Vec<String>> {
    static KEYS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(Command)).unwrap_or_default();
        let names = |node: &serde_json::Value| -> Vec<String> {
            node["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default()
        };
        let common = names(&schema);
        let kinds = schema["oneOf"].as_array().cloned().unwrap_or_default();
        kinds
            .iter()
            .filter_map(|kind| {
                let name = kind["properties"]["type"]["const"].as_str()?.to_owned();
                Some((name, common.iter().cloned().chain(names(kind)).collect()))
            })
            .collect()
    })
}

impl Scenario {
    /// Reads a scenario from YAML (or JSON); `file` names it in diagnostics. Every line has
    /// exactly one of `command`, `advance`, `migrate`; a command has only its kind's keys.
    /// A scenario of the first format is refused with `old_scenario_format` and the way to
    /// convert it.
    ///
    /// ```
    /// use motcua::Code;
    /// use motcua::scenario::Scenario;
    ///
    /// let text = include_str!("../tests/scenarios/business-registration-happy.yaml");
    /// assert_eq!(Scenario::from_yaml(text, "happy.yaml")?.submit.jurisdiction, "01");
    /// // A typo in a key is reported at its line.
    /// let err = Scenario::from_yaml(&text.replacen("action: accept", "acton: accept", 1), "happy.yaml").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::MissingField);
    /// let err = Scenario::from_yaml(&text.replacen("expect: {status: 2", "expect: {statu: 2", 1), "happy.yaml").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::UnknownField);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Scenario, LoadError> {
        let (scenario, map) = match yaml::from_str::<Scenario>(text, file, &Limits::default()) {
            Ok(read) => read,
            Err(err) => {
                return Err(match legacy::read(text, file) {
                    Ok(_) => LoadError::new(vec![legacy::diagnostic(file)]),
                    Err(_) => err,
                });
            }
        };
        let mut problems: Vec<Diagnostic> = Vec::new();
        for (i, line) in scenario.commands.iter().enumerate() {
            let path = index("commands", i);
            let kinds = [line.command.is_some(), line.advance.is_some(), line.migrate.is_some()];
            if kinds.iter().filter(|k| **k).count() != 1 {
                problems.push(map.diagnostic(
                    Code::InvalidCommand,
                    &path,
                    Part::Value,
                    Message::new(
                        "Mỗi dòng cần đúng một trong các khóa `command`, `advance`, `migrate`",
                        "each line needs exactly one of `command`, `advance` or `migrate`",
                    ),
                ));
            }
            if let Some(command) = &line.command {
                unknown_command_keys(&map, &join(&path, "command"), &command.kind, &mut problems);
            }
        }
        if problems.is_empty() { Ok(scenario) } else { Err(LoadError::new(problems)) }
    }

    /// Reads a scenario of the first format (`act: accept` lines without command ids, `id`
    /// for the submission's `command_id`, `closed:` and `problems:` where this format has
    /// `expect.closure` and `expect.problems`) into this format. What the old runner
    /// filled in is written out: command ids (`c1`, `c2`, … and `submit`), and no more. The
    /// old runner also took an official without `unit` to belong to the unit handling the
    /// step; a scenario now says the unit, and `motcua-scenario`'s `fill_units` (used by
    /// `motcua json`) writes it by running the scenario.
    ///
    /// ```
    /// use motcua::CommandKind;
    /// use motcua::scenario::Scenario;
    ///
    /// let old = r#"
    /// procedure: specs/procedures/business-registration.yaml
    /// name: {vi: Rút hồ sơ, en: Withdrawal}
    /// submit: {dossier_id: HS-1, at: 2026-03-02T09:00:00+07:00, actor: {role: citizen}, channel: online, jurisdiction: "01"}
    /// commands:
    ///   - at: 2026-03-02T09:30:00+07:00
    ///     actor: {role: citizen}
    ///     withdraw: request
    ///     reason: Đổi ý
    ///     expect: {status: 1, closed: withdrawn}
    /// "#;
    /// let scenario = Scenario::from_legacy_yaml(old, "old.yaml")?;
    /// assert_eq!(scenario.submit.command_id, "submit");
    /// let line = &scenario.commands[0];
    /// let command = line.command.as_ref().unwrap();
    /// assert_eq!((command.id.as_str(), &command.kind), ("c1", &CommandKind::RequestWithdrawal { reason: Some("Đổi ý".into()) }));
    /// assert_eq!(line.expect.as_ref().unwrap().closure.as_ref().unwrap().outcome.as_deref(), Some("withdrawn"));
    /// // The new format is refused by this reader, and the old one by `from_yaml`, with the way out.
    /// let err = Scenario::from_yaml(old, "old.yaml").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, motcua::Code::OldScenarioFormat);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_legacy_yaml(text: &str, file: &str) -> Result<Scenario, LoadError> {
        legacy::read(text, file)
    }
}

/// Reports the keys of the command at `path` that its kind does not have.
fn unknown_command_keys(map: &SourceMap, path: &str, kind: &CommandKind, out: &mut Vec<Diagnostic>) {
    let name = serde_json::to_value(kind).ok().and_then(|v| v["type"].as_str().map(str::to_owned)).unwrap_or_default();
    let Some(allowed) = command_keys().get(&name) else { return };
    let mut keys = map.keys_of(path);
    keys.sort_unstable();
    for key in keys {
        if !allowed.iter().any(|a| a == key) {
            let mut expected: Vec<&str> = allowed.iter().map(String::as_str).collect();
            expected.sort_unstable();
            let list = expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            out.push(map.diagnostic(
                Code::UnknownField,
                &join(path, key),
                Part::Key,
                Message::new(
                    format!("lệnh `{name}` không có khóa `{key}`; các khóa: {list}"),
                    format!("a `{name}` command has no key `{key}`; its keys: {list}"),
                ),
            ));
        }
    }
}
