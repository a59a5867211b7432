//! Scenarios: a dossier's life written as data — a submission, then commands with instants
//! and what each should produce — run against a procedure to give a [`Timeline`].
//!
//! The same files drive the integration tests and the `motcua simulate` command (`bindings/cli`), so
//! policy staff can try a spec before any portal sees it.
//!
//! ```
//! use motcua::{Catalogue, Library, Procedure, scenario::Scenario};
//!
//! let mut library = Library::new(Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
//! library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
//! let procedure = Procedure::from_yaml(
//!     include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
//! let mut scenario = Scenario::from_yaml(r#"
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
//! // Submissions are validated: borrow the valid application of a shipped scenario.
//! let sample = Scenario::from_yaml(
//!     include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
//! scenario.submit.data = sample.submit.data;
//! scenario.submit.documents = sample.submit.documents;
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
use crate::dossier::{
    Actor, Applied, Command, CommandKind, Dossier, Effect, EffectKind, Punctuality, Rejection, Submission,
};
use crate::limits::Limits;
use crate::spec::procedure::Channel;
use crate::spec::source::Part;
use crate::spec::yaml;
use crate::status::NationalStatus;
use crate::text::Text;

/// The JSON Schema of a scenario file, as committed in `specs/schema/scenario.schema.json`
/// (`motcua schema scenario` prints it). Every shipped scenario names it on its first line,
/// `# yaml-language-server: $schema=…/specs/schema/scenario.schema.json`, so an editor
/// completes and checks scenarios as it does specs.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&motcua::scenario::schema()).unwrap();
/// assert_eq!(schema["title"], "motcua scenario");
/// assert!(schema["required"].as_array().unwrap().contains(&"submit".into()));
/// ```
pub fn schema() -> String {
    crate::spec::schema_of::<Scenario>("motcua scenario")
}

/// A scenario file.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// assert_eq!(scenario.procedure, "specs/procedures/business-registration.yaml");
/// assert_eq!(scenario.name.get("en"), "A valid dossier goes straight through");
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
///
/// ```
/// use motcua::Channel;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// let submit = &scenario.submit;
/// assert_eq!((submit.dossier_id.as_str(), submit.channel), ("DN-2026-0001", Channel::Online));
/// assert_eq!(submit.data["enterprise_type"], "llc_single");
/// assert_eq!(submit.documents.len(), 3);
/// assert!(!submit.allow_incomplete && submit.problems.is_none());
/// # Ok::<(), motcua::LoadError>(())
/// ```
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
    /// Documents submitted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<crate::form::SubmittedDocument>,
    /// Desk intake of an incomplete dossier (see [`Submission::allow_incomplete`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_incomplete: bool,
    /// With `allow_incomplete`: the problems expected, as `"<json path> <code>"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<String>>,
}

/// The withdrawal commands.
///
/// ```
/// use motcua::scenario::WithdrawOp;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// // The applicant tries to withdraw once the result is ready.
/// assert_eq!(scenario.commands[4].withdraw, Some(WithdrawOp::Request));
/// assert_eq!(serde_json::from_str::<WithdrawOp>("\"decline\"").unwrap(), WithdrawOp::Decline);
/// # Ok::<(), motcua::LoadError>(())
/// ```
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

/// A move of the dossier to another version of its procedure, in the middle of a scenario:
/// the migration file and the new version's spec, both paths as `procedure` is (relative to
/// the repository root). The scenario goes on on the new version.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// use motcua::scenario::{Scenario, ScenarioMigrate};
///
/// let scenario = Scenario::from_yaml(
///     include_str!("../tests/migrations/scenarios/household-business-registration-moved-under-review.yaml"), "moved.yaml")?;
/// let moved = scenario.commands.iter().find_map(|c| c.migrate.as_ref()).unwrap();
/// assert_eq!(moved, &ScenarioMigrate {
///     migration: "specs/migrations/1.001612-2021.1-to-2025.1.yaml".into(),
///     to: "specs/procedures/household-business-registration.yaml".into(),
/// });
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioMigrate {
    /// The migration file (`specs/migrations/…`).
    pub migration: String,
    /// The spec of the version the dossier moves to.
    pub to: String,
}

/// What [`Scenario::run_migrating`] asks for a `migrate` command: given the command's
/// [`ScenarioMigrate`] and the version the dossier is on, the new version and the migration
/// compiled between them, or why they cannot be had.
pub type VersionSource<'a> =
    dyn FnMut(&ScenarioMigrate, &Procedure) -> Result<(Procedure, crate::version::Migration), String> + 'a;

/// One command of a scenario: exactly one of `act`, `withdraw`, `extend`, `advance` or
/// `migrate`.
///
/// ```
/// use motcua::Code;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// let refused = &scenario.commands[1];
/// assert_eq!(refused.act.as_deref(), Some("propose"));
/// assert_eq!(refused.reject, Some(Code::Forbidden));
/// assert_eq!(refused.note.as_ref().unwrap().get("en"), "The applicant cannot propose their own dossier");
/// # Ok::<(), motcua::LoadError>(())
/// ```
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
    /// New form data the action brings (replacing the dossier's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// New document list the action brings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<crate::form::SubmittedDocument>>,
    /// A withdrawal command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraw: Option<WithdrawOp>,
    /// An extension with apology: the new appointment (give the `reason` too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extend: Option<DateTime<FixedOffset>>,
    /// `advance: true` asks the engine to fire every timer due at `at`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advance: bool,
    /// Moves the dossier to another version of its procedure at `at`, by `actor` (see
    /// [`crate::version::migrate`]); run with [`Scenario::run_migrating`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrate: Option<ScenarioMigrate>,
    /// Reason, for withdrawal and extension commands.
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
    /// With `reject: invalid_form`: every problem expected, as `"<json path> <code>"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<String>>,
}

/// Expected state after a step of a scenario; every key is optional.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// let accepted = scenario.commands[0].expect.as_ref().unwrap();
/// assert_eq!(accepted.status, Some(2));
/// assert_eq!(accepted.active.as_deref(), Some(&["review".to_string()][..]));
/// assert_eq!(accepted.effects.as_ref().unwrap()[0], "slip:receipt");
/// assert_eq!(accepted.closed, None);
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
    /// Exact, ordered list of effects in compact form ([`Effect::compact`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<String>>,
    /// The outcome the dossier closed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
    /// The appointment in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<DateTime<FixedOffset>>,
    /// Early, on time, due soon or late at the line's instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub punctuality: Option<Punctuality>,
    /// Whether national reporting counts the dossier as late at the line's instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<bool>,
}

/// The unit a scenario actor without `unit` is taken to belong to: the unit handling the
/// active step of its agency (the named `step` if any), else the unit that last handled a
/// step of its agency. Scenarios test the path of a dossier; wrong units are tested apart.
fn unit_of_agency(
    procedure: &Procedure,
    dossier: &Dossier,
    agency: Option<&str>,
    step: Option<&str>,
) -> Option<String> {
    let agency_of = |id: &str| procedure.step_ix(id).and_then(|ix| procedure.step(ix).agency.as_deref());
    dossier
        .active()
        .iter()
        .filter(|a| step.is_none_or(|s| s == a.step) && agency_of(&a.step) == agency)
        .find_map(|a| a.unit.clone())
        .or_else(|| dossier.log().iter().rev().filter(|r| r.agency.as_deref() == agency).find_map(|r| r.unit.clone()))
}

impl Effect {
    /// A one-token summary used by scenarios and timelines: `status:2`, `start:review`,
    /// `slip:receipt`, `hand_off:commune_police:horizontal`, `closed:issued`,
    /// `appointment:2026-02-25 17:00` (with `:provisional` when it was counted across
    /// provisional calendar days).
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
            EffectKind::StepCancelled { step, .. } => format!("cancel:{step}"),
            EffectKind::AppointmentSet { appointment, provisional_days, .. } => {
                let mark = if provisional_days.is_empty() { "" } else { ":provisional" };
                format!("appointment:{}{mark}", appointment.format("%Y-%m-%d %H:%M"))
            }
            EffectKind::ClockSuspended => "clock:suspended".into(),
            EffectKind::ClockResumed { .. } => "clock:resumed".into(),
        }
    }
}

/// What happened to one line of a scenario.
///
/// ```
/// use motcua::Code;
/// use motcua::scenario::EntryResult;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// assert!(matches!(&timeline.entries()[1].result, EntryResult::Applied(effects) if effects.len() == 3));
/// assert!(matches!(&timeline.entries()[2].result, EntryResult::Rejected(r) if r.code == Code::Forbidden));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum EntryResult {
    /// Accepted, with these effects.
    Applied(Vec<Effect>),
    /// Refused.
    Rejected(Rejection),
}

/// One line of a timeline.
///
/// ```
/// use motcua::NationalStatus;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// let accept = &timeline.entries()[1];
/// assert_eq!(accept.command, "accept");
/// assert_eq!((accept.before.as_slice(), accept.after.as_slice()), (&["receive".to_string()][..], &["review".to_string()][..]));
/// assert_eq!(accept.status, NationalStatus::Received);
/// assert_eq!(accept.step_times, [("receive".to_string(), 60, 240)]);
/// assert!(!accept.suspended);
/// # Ok::<(), motcua::LoadError>(())
/// ```
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
    /// The appointment in force afterwards.
    pub appointment: Option<DateTime<FixedOffset>>,
    /// Whether the legal clock is suspended afterwards (the appointment will move).
    pub suspended: bool,
    /// Whether the appointment was counted across provisional calendar days ("expected").
    pub provisional: bool,
    /// Early, on time, due soon or late at this instant.
    pub punctuality: Option<Punctuality>,
    /// Steps this line finished: (step, working minutes used, minutes allotted).
    pub step_times: Vec<(String, u64, u64)>,
}

/// The result of running a scenario: one entry per line, the final dossier, and every
/// expectation that did not hold.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// # let timeline = scenario.run(&procedure);
/// assert!(timeline.failures().is_empty());
/// assert_eq!(timeline.entries().len(), 8); // the submission and seven commands
/// assert_eq!(timeline.dossier().unwrap().closure().unwrap().outcome, "issued");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Timeline {
    entries: Vec<Entry>,
    dossier: Option<Dossier>,
    failures: Vec<String>,
}

impl Timeline {
    /// The entries, the submission first.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
    /// # let timeline = scenario.run(&procedure);
    /// let commands: Vec<&str> = timeline.entries().iter().map(|e| e.command.as_str()).collect();
    /// assert_eq!(commands[..3], ["submit", "accept", "propose"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The dossier at the end (absent when the submission itself was refused).
    ///
    /// ```
    /// use motcua::NationalStatus;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
    /// # let timeline = scenario.run(&procedure);
    /// let dossier = timeline.dossier().unwrap();
    /// assert_eq!(dossier.status(), NationalStatus::ResultReturned);
    /// assert_eq!(dossier.id(), "DN-2026-0001");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn dossier(&self) -> Option<&Dossier> {
        self.dossier.as_ref()
    }

    /// Expectations that did not hold, each naming its line; empty when the scenario passes.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
    /// # let timeline = scenario.run(&procedure);
    /// assert!(timeline.failures().is_empty());
    /// // Expect the wrong status after the acceptance: the line is named.
    /// let mut wrong = scenario.clone();
    /// wrong.commands[0].expect.as_mut().unwrap().status = Some(4);
    /// let failures = wrong.run(&procedure).failures().to_vec();
    /// assert_eq!(failures.len(), 1);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// The timeline as a text table in `lang` (`"vi"` or `"en"`), for terminals.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
    /// # let timeline = scenario.run(&procedure);
    /// let table = timeline.render(&procedure, "en");
    /// assert!(table.contains("accept"));
    /// assert!(table.contains("hand_over"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn render(&self, procedure: &Procedure, lang: &str) -> String {
        let vi = lang == "vi";
        let step_name = |id: &str| -> String {
            procedure
                .step_ix(id)
                .map(|ix| procedure.step(ix).name.get(lang).to_owned())
                .unwrap_or_else(|| id.to_owned())
        };
        let headers = if vi {
            [
                "#",
                "Thời điểm",
                "Lệnh",
                "Người thực hiện",
                "Bước sau lệnh",
                "Hiệu ứng",
                "Thời gian bước",
                "Hẹn trả",
                "Tiến độ",
                "Trạng thái",
            ]
        } else {
            [
                "#",
                "Instant",
                "Command",
                "Actor",
                "Steps after",
                "Effects",
                "Step time",
                "Appointment",
                "Timing",
                "Status",
            ]
        };
        let day = procedure.calendar().day_minutes();
        let mut rows: Vec<[String; 10]> = Vec::new();
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
                    .filter(|f| {
                        !matches!(
                            f.kind,
                            EffectKind::StepStarted { .. }
                                | EffectKind::StatusChanged { .. }
                                | EffectKind::AppointmentSet { .. }
                        )
                    })
                    .map(Effect::compact)
                    .collect::<Vec<_>>()
                    .join(", "),
                EntryResult::Rejected(r) => format!("✗ {}: {}", r.code, r.message.get(lang)),
            };
            let label = e.status.label();
            let step_time = e
                .step_times
                .iter()
                .map(|(_, used, allotted)| {
                    if *allotted == 0 {
                        human_minutes(*used, day)
                    } else {
                        format!("{} / {}", human_minutes(*used, day), human_minutes(*allotted, day))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            rows.push([
                (i + 1).to_string(),
                e.at.format("%Y-%m-%d %H:%M").to_string(),
                e.command.clone(),
                actor,
                after,
                effects,
                step_time,
                e.appointment
                    .map(|a| {
                        let expected = if lang == "en" { " (expected)" } else { " (dự kiến)" };
                        format!(
                            "{}{}{}",
                            a.format("%Y-%m-%d %H:%M"),
                            if e.provisional { expected } else { "" },
                            if e.suspended { " ⏸" } else { "" }
                        )
                    })
                    .unwrap_or_default(),
                e.punctuality.map(|p| p.label().get(lang).to_owned()).unwrap_or_default(),
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

/// Working minutes as people read them: `1d 2h`, `3h 15m`, `45m` (days of `day` minutes).
///
/// ```
/// use motcua::scenario::human_minutes;
///
/// assert_eq!(human_minutes(45, 480), "45m");
/// assert_eq!(human_minutes(195, 480), "3h 15m");
/// assert_eq!(human_minutes(600, 480), "1d 2h");
/// assert_eq!(human_minutes(0, 480), "0m");
/// ```
pub fn human_minutes(minutes: u64, day: u32) -> String {
    let day = u64::from(day.max(1));
    let (d, rest) = (minutes / day, minutes % day);
    let (h, m) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(format!("{m}m"));
    }
    parts.join(" ")
}

impl Scenario {
    /// Reads a scenario from YAML; `file` names it in diagnostics.
    ///
    /// ```
    /// use motcua::Code;
    /// use motcua::scenario::Scenario;
    ///
    /// let text = include_str!("../tests/scenarios/business-registration-happy.yaml");
    /// assert_eq!(Scenario::from_yaml(text, "happy.yaml")?.submit.jurisdiction, "01");
    /// // A typo in a key is reported at its line.
    /// let err = Scenario::from_yaml(&text.replacen("act: accept", "akt: accept", 1), "happy.yaml").unwrap_err();
    /// assert_eq!((err.diagnostics()[0].code, err.diagnostics()[0].line), (Code::UnknownField, 37));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Scenario, LoadError> {
        let (scenario, map) = yaml::from_str::<Scenario>(text, file, &Limits::default())?;
        let mut problems: Vec<Diagnostic> = Vec::new();
        for (i, c) in scenario.commands.iter().enumerate() {
            let kinds = [c.act.is_some(), c.withdraw.is_some(), c.extend.is_some(), c.advance, c.migrate.is_some()];
            if kinds.iter().filter(|k| **k).count() != 1 {
                problems.push(map.diagnostic(
                    Code::InvalidCommand,
                    &format!("commands[{i}]"),
                    Part::Value,
                    Message::new(
                        "Mỗi lệnh cần đúng một trong các khóa `act`, `withdraw`, `extend`, `advance`, `migrate`",
                        "each command needs exactly one of `act`, `withdraw`, `extend`, `advance` or `migrate`",
                    ),
                ));
            }
        }
        if problems.is_empty() { Ok(scenario) } else { Err(LoadError::new(problems)) }
    }

    /// Runs the scenario, checking every expectation. Never fails: problems are listed
    /// in [`Timeline::failures`].
    ///
    /// ```
    /// use motcua::NationalStatus;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
    /// # let timeline = scenario.run(&procedure);
    /// let timeline = scenario.run(&procedure);
    /// assert!(timeline.failures().is_empty(), "{:?}", timeline.failures());
    /// assert_eq!(timeline.entries().last().unwrap().status, NationalStatus::ResultReturned);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn run(&self, procedure: &Procedure) -> Timeline {
        self.run_migrating(procedure, &mut |_, _| {
            Err("this runner loads no other version: run the scenario with `Scenario::run_migrating`".to_owned())
        })
    }

    /// Runs the scenario like [`Scenario::run`], with `migrate` commands: `versions` gives,
    /// for a command's [`ScenarioMigrate`] and the version the dossier is on, the new version
    /// and the migration compiled between them (the caller reads the files); the dossier
    /// moves with [`crate::version::migrate`] and the scenario goes on on the new version. A
    /// version that cannot be given is a failure of that command.
    ///
    /// ```
    /// use motcua::{Procedure, scenario::Scenario, version::Migration};
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let old = Procedure::from_yaml(include_str!("../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// let scenario = Scenario::from_yaml(
    ///     include_str!("../tests/migrations/scenarios/household-business-registration-moved-under-review.yaml"), "moved.yaml")?;
    /// let timeline = scenario.run_migrating(&old, &mut |_moved, from| {
    ///     let new = Procedure::from_yaml(include_str!("../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)
    ///         .map_err(|e| e.to_string())?;
    ///     let migration = Migration::from_yaml(include_str!("../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", from, &new)
    ///         .map_err(|e| e.to_string())?;
    ///     Ok((new, migration))
    /// });
    /// assert!(timeline.failures().is_empty(), "{:?}", timeline.failures());
    /// assert_eq!(timeline.dossier().unwrap().procedure_version(), "2025.1");
    /// // Without the versions, the move is a failure of its command.
    /// assert!(scenario.run(&old).failures().iter().any(|f| f.contains("run_migrating")));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn run_migrating(&self, procedure: &Procedure, versions: &mut VersionSource<'_>) -> Timeline {
        let first = procedure;
        // The version the dossier is on after its last move.
        let mut moved: Option<Box<Procedure>> = None;
        let mut entries = Vec::new();
        let mut failures = Vec::new();
        let s = &self.submit;
        let mut submitter = s.actor.clone();
        if submitter.unit.is_none() && !procedure.is_citizen_role(&submitter.role) {
            let level = procedure.start().level.as_deref().unwrap_or_default();
            submitter.unit = procedure.units().and_then(|u| u.ancestor_at(&s.jurisdiction, level)).map(str::to_owned);
        }
        let submission = Submission {
            dossier_id: s.dossier_id.clone(),
            command_id: s.id.clone().unwrap_or_else(|| "submit".into()),
            at: s.at,
            actor: submitter,
            channel: s.channel,
            jurisdiction: s.jurisdiction.clone(),
            data: s.data.clone(),
            documents: s.documents.clone(),
            allow_incomplete: s.allow_incomplete,
        };
        let mut dossier = match Dossier::submit(procedure, submission) {
            Ok((dossier, applied)) => {
                check(&mut failures, "submit", self.expect.as_ref(), procedure, &dossier, s.at, &applied.effects);
                let actual: Vec<String> = applied.problems.iter().map(|p| format!("{} {}", p.path, p.code)).collect();
                if let Some(expected) = &s.problems
                    && expected != &actual
                {
                    failures.push(format!("submit: expected problems {expected:?}, got {actual:?}"));
                }
                entries.push(entry(
                    procedure,
                    &dossier,
                    s.at,
                    "submit".into(),
                    s.actor.clone(),
                    Vec::new(),
                    0,
                    Ok(applied),
                    None,
                ));
                dossier
            }
            Err(rejection) => {
                failures.push(format!("submit: refused: {rejection}"));
                return Timeline { entries, dossier: None, failures };
            }
        };
        for (i, c) in self.commands.iter().enumerate() {
            let procedure: &Procedure = moved.as_deref().unwrap_or(first);
            let line = format!("commands[{i}]");
            let before: Vec<String> = dossier.active_step_ids().map(str::to_owned).collect();
            let logged = dossier.log().len();
            if let Some(target) = &c.migrate {
                let label = "migrate".to_owned();
                let actor = command_actor(procedure, &dossier, c);
                let (new, migration) = match versions(target, procedure) {
                    Ok(pair) => pair,
                    Err(why) => {
                        failures.push(format!("{line} ({label}): {why}"));
                        continue;
                    }
                };
                let result = crate::version::migrate(&dossier, procedure, &new, &migration, c.at, actor).map(
                    |(next, applied)| {
                        dossier = next;
                        applied
                    },
                );
                let moves = result.is_ok();
                // After a refused move the dossier stays on the version it was on.
                let now_on: &Procedure = if moves { &new } else { procedure };
                self.judge(&mut failures, &line, &label, c, now_on, &dossier, &result);
                entries.push(entry(
                    now_on,
                    &dossier,
                    c.at,
                    label,
                    c.actor.clone(),
                    before,
                    logged,
                    result,
                    c.note.clone(),
                ));
                if moves {
                    moved = Some(Box::new(new));
                }
                continue;
            }
            let (label, result) = if c.advance {
                ("advance".to_owned(), dossier.advance(procedure, c.at))
            } else {
                let (kind, label) = match (&c.act, c.withdraw, c.extend) {
                    (Some(action), _, _) => {
                        let kind = CommandKind::Act {
                            action: action.clone(),
                            step: c.step.clone(),
                            data: c.data.clone(),
                            documents: c.documents.clone(),
                        };
                        (kind, action.clone())
                    }
                    (None, Some(WithdrawOp::Request), _) => {
                        (CommandKind::RequestWithdrawal { reason: c.reason.clone() }, "withdraw:request".into())
                    }
                    (None, Some(WithdrawOp::Confirm), _) => (CommandKind::ConfirmWithdrawal, "withdraw:confirm".into()),
                    (None, Some(WithdrawOp::Decline), _) => {
                        (CommandKind::DeclineWithdrawal { reason: c.reason.clone() }, "withdraw:decline".into())
                    }
                    (None, None, Some(appointment)) => (
                        CommandKind::Extend { appointment, reason: c.reason.clone().unwrap_or_default() },
                        "extend".into(),
                    ),
                    (None, None, None) => continue,
                };
                let actor = command_actor(procedure, &dossier, c);
                let command = Command {
                    id: c.id.clone().unwrap_or_else(|| format!("c{}", i + 1)),
                    at: c.at,
                    actor,
                    expected_version: Some(c.expected_version.unwrap_or(dossier.version())),
                    kind,
                };
                (label, dossier.apply(procedure, &command))
            };
            let result = result.map_err(|r| r.clone());
            self.judge(&mut failures, &line, &label, c, procedure, &dossier, &result);
            entries.push(entry(
                procedure,
                &dossier,
                c.at,
                label,
                c.actor.clone(),
                before,
                logged,
                result,
                c.note.clone(),
            ));
        }
        Timeline { entries, dossier: Some(dossier), failures }
    }

    /// Records what a command's outcome fails of its expectations (`expect`, `reject`,
    /// `problems`).
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        failures: &mut Vec<String>,
        line: &str,
        label: &str,
        c: &ScenarioCommand,
        procedure: &Procedure,
        dossier: &Dossier,
        result: &Result<Applied, Rejection>,
    ) {
        match result {
            Ok(applied) => {
                if let Some(code) = c.reject {
                    failures.push(format!("{line} ({label}): expected rejection `{code}`, but it was applied"));
                }
                let where_ = format!("{line} ({label})");
                check(failures, &where_, c.expect.as_ref(), procedure, dossier, c.at, &applied.effects);
            }
            Err(rejection) => match c.reject {
                Some(code) if code == rejection.code => {
                    let actual: Vec<String> =
                        rejection.problems.iter().map(|p| format!("{} {}", p.path, p.code)).collect();
                    if let Some(expected) = &c.problems
                        && expected != &actual
                    {
                        failures.push(format!("{line} ({label}): expected problems {expected:?}, got {actual:?}"));
                    }
                }
                Some(code) => failures.push(format!(
                    "{line} ({label}): expected rejection `{code}`, got `{}`: {}",
                    rejection.code, rejection.message.en
                )),
                None => failures.push(format!("{line} ({label}): refused: {rejection}")),
            },
        }
    }
}

/// The command's actor; an official without a unit is taken to be of the unit handling
/// the step of its agency (see [`unit_of_agency`]).
fn command_actor(procedure: &Procedure, dossier: &Dossier, c: &ScenarioCommand) -> Actor {
    let mut actor = c.actor.clone();
    if actor.unit.is_none() && !procedure.is_citizen_role(&actor.role) {
        actor.unit = unit_of_agency(procedure, dossier, actor.agency.as_deref(), c.step.as_deref());
    }
    actor
}

#[allow(clippy::too_many_arguments)]
fn entry(
    procedure: &Procedure,
    dossier: &Dossier,
    at: DateTime<FixedOffset>,
    command: String,
    actor: Actor,
    before: Vec<String>,
    logged_before: usize,
    result: Result<Applied, Rejection>,
    note: Option<Text>,
) -> Entry {
    Entry {
        at,
        command,
        actor,
        before,
        after: dossier.active_step_ids().map(str::to_owned).collect(),
        result: match result {
            Ok(applied) => EntryResult::Applied(applied.effects),
            Err(rejection) => EntryResult::Rejected(rejection),
        },
        status: dossier.status(),
        note,
        appointment: Some(dossier.deadline().appointment),
        suspended: dossier.deadline().suspended_since.is_some() && dossier.closure().is_none(),
        provisional: !dossier.deadline().provisional_days.is_empty(),
        punctuality: dossier.punctuality(procedure, at).ok(),
        step_times: dossier.log()[logged_before.min(dossier.log().len())..]
            .iter()
            .map(|r| (r.step.clone(), r.used_minutes, r.allotted_minutes))
            .collect(),
    }
}

fn check(
    failures: &mut Vec<String>,
    line: &str,
    expect: Option<&Expectation>,
    procedure: &Procedure,
    dossier: &Dossier,
    at: DateTime<FixedOffset>,
    effects: &[Effect],
) {
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
    if let Some(appointment) = expect.appointment
        && appointment != dossier.deadline().appointment
    {
        failures.push(format!("{line}: expected appointment {appointment}, got {}", dossier.deadline().appointment));
    }
    if let Some(expected) = expect.punctuality {
        match dossier.punctuality(procedure, at) {
            Ok(actual) if actual == expected => {}
            actual => failures.push(format!("{line}: expected punctuality {expected:?}, got {actual:?}")),
        }
    }
    if let Some(expected) = expect.late {
        match dossier.late_for_reporting(procedure, at) {
            Ok(actual) if actual == expected => {}
            actual => failures.push(format!("{line}: expected late for reporting {expected}, got {actual:?}")),
        }
    }
}
