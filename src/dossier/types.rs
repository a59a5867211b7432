//! The data that crosses the runtime boundary: commands, events, effects, rejections.

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::compile::Direction;
use crate::diagnostic::{Code, Message};
use crate::form::{Problem, SubmittedDocument};
use crate::spec::procedure::{Channel, OutcomeKind, SlipKind};
use crate::status::NationalStatus;

/// Who issues a command: a role, the agency kind they work for, and their unit.
///
/// ```
/// let officer = motcua::Actor::official("one_stop_officer", "commune_committee");
/// assert_eq!(officer.agency.as_deref(), Some("commune_committee"));
/// let citizen = motcua::Actor::citizen();
/// assert_eq!(citizen.role, "citizen");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Role identifier from the catalogue.
    pub role: String,
    /// Agency kind identifier; absent for the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The actor's administrative unit (e.g. a commune code), as the host knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The host's identifier for the person, for slips and audit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl Actor {
    /// The applicant, with the conventional role `citizen`.
    ///
    /// ```
    /// let citizen = motcua::Actor::citizen();
    /// assert_eq!((citizen.role.as_str(), citizen.agency.as_deref()), ("citizen", None));
    /// assert_eq!(serde_json::to_value(&citizen).unwrap(), serde_json::json!({"role": "citizen"}));
    /// ```
    pub fn citizen() -> Actor {
        Actor { role: "citizen".into(), agency: None, unit: None, user: None }
    }

    /// An official holding `role` in an agency of kind `agency`.
    ///
    /// ```
    /// let leader = motcua::Actor::official("leader", "department_finance");
    /// assert_eq!(
    ///     serde_json::to_value(&leader).unwrap(),
    ///     serde_json::json!({"role": "leader", "agency": "department_finance"})
    /// );
    /// ```
    pub fn official(role: &str, agency: &str) -> Actor {
        Actor { role: role.into(), agency: Some(agency.into()), unit: None, user: None }
    }
}

/// What opens a dossier: the submission (*nộp hồ sơ*).
///
/// ```
/// use motcua::{Actor, Channel, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap();
/// // The fields as JSON, as a portal sends them.
/// let submission: Submission = serde_json::from_value(serde_json::json!({
///     "dossier_id": "HS-9", "command_id": "HS-9/submit", "at": "2026-03-02T09:00:00+07:00",
///     "actor": {"role": "one_stop_officer", "agency": "department_finance"},
///     "channel": "in_person", "jurisdiction": "01", "data": {}, "documents": [], "allow_incomplete": true,
/// }))
/// .unwrap();
/// assert_eq!(submission.at, at);
/// let (dossier, applied) = Dossier::submit(&procedure, submission).unwrap();
/// assert_eq!(dossier.channel(), Channel::InPerson);
/// assert!(!applied.problems.is_empty()); // recorded at the desk despite them
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The host's dossier identifier (*mã hồ sơ*).
    pub dossier_id: String,
    /// Idempotency key of this submission.
    pub command_id: String,
    /// When it was submitted.
    pub at: DateTime<FixedOffset>,
    /// Who submitted it (the applicant online, or the one-stop officer at the desk).
    pub actor: Actor,
    /// Submission channel.
    pub channel: Channel,
    /// The administrative unit the dossier is filed with (e.g. a commune code).
    pub jurisdiction: String,
    /// Applicant and form data, as JSON.
    #[serde(default)]
    pub data: serde_json::Value,
    /// Documents submitted with it (or taken from a national database).
    #[serde(default)]
    pub documents: Vec<SubmittedDocument>,
    /// Desk intake: the receiving officer records a dossier even though the form or the
    /// checklist has problems (they come back in [`Applied::problems`]), so that it can be
    /// sent back for a supplement or refused (*không tiếp nhận*). Guards such as
    /// `form_valid` still hold actions back until it is corrected. Applicants cannot use it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_incomplete: bool,
}

impl Submission {
    /// A submission with no form data or documents yet; its command id is
    /// `<dossier id>/submit`. Add data with [`Submission::with_data`].
    ///
    /// ```
    /// use motcua::{Actor, Channel, Submission};
    /// let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap();
    /// let s = Submission::new("HS-1", at, Actor::citizen(), Channel::Online, "00004")
    ///     .with_data(serde_json::json!({"child": {"full_name": "Nguyễn An"}}), vec![]);
    /// assert_eq!(s.command_id, "HS-1/submit");
    /// assert!(!s.allow_incomplete);
    /// ```
    pub fn new(
        dossier_id: impl Into<String>,
        at: DateTime<FixedOffset>,
        actor: Actor,
        channel: Channel,
        jurisdiction: impl Into<String>,
    ) -> Submission {
        let dossier_id = dossier_id.into();
        Submission {
            command_id: format!("{dossier_id}/submit"),
            dossier_id,
            at,
            actor,
            channel,
            jurisdiction: jurisdiction.into(),
            data: serde_json::Value::Object(serde_json::Map::new()),
            documents: Vec::new(),
            allow_incomplete: false,
        }
    }

    /// Sets the form data and documents.
    ///
    /// ```
    /// use motcua::{Actor, Channel, Submission};
    ///
    /// let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap();
    /// let documents = serde_json::from_value(serde_json::json!([{"id": "member_ids", "from_database": "population"}])).unwrap();
    /// let s = Submission::new("HS-1", at, Actor::citizen(), Channel::Online, "01")
    ///     .with_data(serde_json::json!({"company_name": "Công ty TNHH Minh Phát"}), documents);
    /// assert_eq!(s.data["company_name"], "Công ty TNHH Minh Phát");
    /// assert_eq!(s.documents[0].from_database.as_deref(), Some("population"));
    /// ```
    pub fn with_data(mut self, data: serde_json::Value, documents: Vec<SubmittedDocument>) -> Submission {
        self.data = data;
        self.documents = documents;
        self
    }
}

/// A command a portal sends to a dossier.
///
/// Serialized flat, with the command's `type`:
/// `{"id": "c2", "at": "2026-03-02T09:00:00+07:00", "actor": {...}, "type": "act", "action": "accept"}`.
///
/// ```
/// use motcua::{Command, CommandKind};
///
/// let command: Command = serde_json::from_value(serde_json::json!({
///     "id": "c2", "at": "2026-03-02T09:30:00+07:00",
///     "actor": {"role": "one_stop_officer", "agency": "department_finance"},
///     "expected_version": 1, "type": "act", "action": "accept",
/// }))
/// .unwrap();
/// assert_eq!(command.kind, CommandKind::act("accept"));
/// assert_eq!(command.expected_version, Some(1));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Command {
    /// Idempotency key: a command with an id already applied returns its original outcome.
    pub id: String,
    /// When the command was issued; never earlier than the dossier's last event.
    pub at: DateTime<FixedOffset>,
    /// Who issues it.
    pub actor: Actor,
    /// Optimistic concurrency: the dossier version the command was decided on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<u64>,
    /// What to do.
    #[serde(flatten)]
    pub kind: CommandKind,
}

/// The kinds of command.
///
/// ```
/// use motcua::CommandKind;
///
/// let kind: CommandKind = serde_json::from_value(serde_json::json!({"type": "request_withdrawal", "reason": "Đổi ý"})).unwrap();
/// assert_eq!(kind, CommandKind::RequestWithdrawal { reason: Some("Đổi ý".into()) });
/// assert_eq!(serde_json::to_value(CommandKind::ConfirmWithdrawal).unwrap(), serde_json::json!({"type": "confirm_withdrawal"}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CommandKind {
    /// Take an action of an active step.
    Act {
        /// The action identifier.
        action: String,
        /// The step, needed only when several active steps offer the action.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<String>,
        /// New form data replacing the dossier's (e.g. with a supplement); validated.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data: Option<serde_json::Value>,
        /// New document list replacing the dossier's; validated with the data.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        documents: Option<Vec<SubmittedDocument>>,
    },
    /// The applicant asks to withdraw the dossier.
    RequestWithdrawal {
        /// Why, in the applicant's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An officer confirms the withdrawal: the dossier closes as withdrawn.
    ConfirmWithdrawal,
    /// An officer declines the withdrawal request: processing continues.
    DeclineWithdrawal {
        /// Why it was declined.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An officer extends the deadline with an apology (*phiếu xin lỗi và hẹn lại ngày trả
    /// kết quả*): a new, later appointment and the reason. The dossier still counts as late.
    Extend {
        /// The new appointment.
        appointment: DateTime<FixedOffset>,
        /// Why the deadline will be missed.
        reason: String,
    },
}

impl CommandKind {
    /// Take `action` of the only active step offering it, with no new data.
    ///
    /// ```
    /// let kind = motcua::CommandKind::act("accept");
    /// assert_eq!(serde_json::to_value(&kind).unwrap(), serde_json::json!({"type": "act", "action": "accept"}));
    /// ```
    pub fn act(action: &str) -> CommandKind {
        CommandKind::Act { action: action.to_owned(), step: None, data: None, documents: None }
    }
}

/// An accepted change to a dossier: the source of truth, replayable.
///
/// ```
/// use motcua::EventKind;
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let accepted = &dossier.history()[1];
/// assert_eq!((accepted.seq, accepted.command_id.as_str()), (2, "c2"));
/// assert_eq!(accepted.actor, officer);
/// assert!(matches!(&accepted.kind, EventKind::ActionTaken { step, action, .. } if step == "receive" && action == "accept"));
/// assert_eq!(accepted.prev.len(), 64); // the hash of the submission
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Event {
    /// Position in the history, from 1.
    pub seq: u64,
    /// When it happened.
    pub at: DateTime<FixedOffset>,
    /// The command that caused it.
    pub command_id: String,
    /// Who caused it.
    pub actor: Actor,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
    /// SHA-256 (hex) of the previous event; empty for the first. See [`crate::verify_history`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prev: String,
    /// Deadlines computed from the calendar when the event was accepted. Replay reuses
    /// them verbatim, so a dossier keeps the deadlines it was given even if calendar data
    /// is amended later.
    #[serde(default, skip_serializing_if = "Timing::is_empty")]
    pub timing: Timing,
}

/// Deadline data an event fixed: see [`Event::timing`].
///
/// ```
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let submitted = &dossier.history()[0].timing;
/// assert_eq!(submitted.clock_start, Some(at("2026-03-02T09:00:00+07:00")));
/// assert_eq!(submitted.appointment, Some(at("2026-03-05T09:00:00+07:00")));
/// let accepted = &dossier.history()[1].timing;
/// assert_eq!(accepted.used_minutes, Some(30));
/// assert_eq!(accepted.started[0].step, "review");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Timing {
    /// When the legal clock started (receipt, after the cut-off rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_start: Option<DateTime<FixedOffset>>,
    /// The appointment (*ngày hẹn trả kết quả*) this event set or moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<DateTime<FixedOffset>>,
    /// Working minutes the step that was left took (for the process-control slip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_minutes: Option<u64>,
    /// Working minutes of suspension that this event ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed_after: Option<u64>,
    /// Due instants of the steps this event started, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub started: Vec<StepDue>,
    /// The provisional calendar days the `appointment` was counted across (expected, not
    /// yet announced), decided with it: the appointment is "expected" when not empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_days: Vec<NaiveDate>,
    /// The deadline case this event put in force, when it changed (at submission: when a
    /// case other than the default holds). The `appointment` is then the one that case
    /// gives, counted again from `clock_start`, with the suspended time kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_case: Option<CaseChange>,
}

/// A change of deadline case: see [`Timing::deadline_case`].
///
/// ```
/// let change = motcua::CaseChange { case: Some("verification".into()) };
/// assert_eq!(serde_json::to_string(&change).unwrap(), r#"{"case":"verification"}"#);
/// // Back to the default case (`legal_deadline`):
/// assert_eq!(serde_json::to_string(&motcua::CaseChange { case: None }).unwrap(), "{}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseChange {
    /// The case now in force; absent for the default case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

impl Timing {
    /// Whether nothing was fixed.
    ///
    /// ```
    /// assert!(motcua::Timing::default().is_empty());
    /// let timing = motcua::Timing { used_minutes: Some(30), ..Default::default() };
    /// assert!(!timing.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self == &Timing::default()
    }
}

/// When a started step is due, and when its timer fires.
///
/// ```
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let review = &dossier.history()[1].timing.started[0];
/// assert_eq!(review.step, "review");
/// assert_eq!(review.due, Some(at("2026-03-03T14:30:00+07:00"))); // 1.5 working days
/// assert!(review.timer.is_none() && review.unit.is_none());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StepDue {
    /// The step.
    pub step: String,
    /// End of its allotted time, when its clock runs and it has a budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<FixedOffset>>,
    /// Its earliest timer: the action and when the engine takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<TimerDue>,
    /// The administrative unit handling it (when the library has units): recorded here so
    /// a replay never re-resolves it, even after the list of units changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A timer action and the instant it fires.
///
/// ```
/// use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/birth-registration-supplement-lapsed.yaml"), "lapsed.yaml")?;
/// let submission = Submission::new("KS-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "00004")
///     .with_data(sample.submit.data, sample.submit.documents);
/// let (mut dossier, _) = Dossier::submit(&procedure, submission).unwrap();
/// let officer = Actor::official("one_stop_officer", "commune_committee");
/// let request = Command {
///     id: "c2".into(),
///     at: at("2026-03-02T09:30:00+07:00"),
///     actor: officer,
///     expected_version: Some(1),
///     kind: CommandKind::act("request_supplement"),
/// };
/// dossier.apply(&procedure, &request).unwrap();
/// let timer = dossier.active()[0].timer.as_ref().unwrap();
/// assert_eq!(timer.action, "lapse");
/// assert_eq!(Some(timer.at), dossier.next_due());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TimerDue {
    /// The timer action.
    pub action: String,
    /// When the engine takes it.
    pub at: DateTime<FixedOffset>,
}

/// What an event records.
///
/// ```
/// use motcua::EventKind;
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// match &dossier.history()[0].kind {
///     EventKind::Submitted { dossier_id, procedure, version, .. } => {
///         assert_eq!((dossier_id.as_str(), procedure.as_str(), version.as_str()), ("HS-001", "2.001610", "2025.1"));
///     }
///     other => panic!("not a submission: {other:?}"),
/// }
/// let json = serde_json::to_value(&dossier.history()[1]).unwrap();
/// assert_eq!(json["type"], "action_taken");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// The dossier was submitted.
    Submitted {
        /// Dossier identifier.
        dossier_id: String,
        /// Procedure code.
        procedure: String,
        /// Procedure version, pinned for the dossier's life.
        version: String,
        /// Submission channel.
        channel: Channel,
        /// Administrative unit.
        jurisdiction: String,
        /// Applicant and form data.
        data: serde_json::Value,
        /// Submitted documents.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        documents: Vec<SubmittedDocument>,
    },
    /// An action of a step was taken.
    ActionTaken {
        /// The step.
        step: String,
        /// The action.
        action: String,
        /// Form data that replaced the dossier's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data: Option<serde_json::Value>,
        /// Documents that replaced the dossier's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        documents: Option<Vec<SubmittedDocument>>,
        /// Decisions the action recorded (the action's `decides` in the spec), e.g.
        /// `{"verification_needed": true}`: replay checks them against the spec.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        decisions: std::collections::BTreeMap<String, bool>,
    },
    /// The applicant asked to withdraw.
    WithdrawalRequested {
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An officer declined the withdrawal request.
    WithdrawalDeclined {
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An officer confirmed the withdrawal.
    Withdrawn,
    /// The deadline was extended with an apology.
    Extended {
        /// The new appointment.
        appointment: DateTime<FixedOffset>,
        /// Why.
        reason: String,
    },
    /// A timer action fired (taken by the engine in [`crate::Dossier::advance`]).
    TimerFired {
        /// The step.
        step: String,
        /// The timer action.
        action: String,
    },
    /// The dossier moved to another version of its procedure
    /// ([`motcua::version::migrate`](crate::version::migrate)): the events before it replay
    /// on `from_version`, the events after it on `to_version`. The new steps' due instants
    /// and timers are in the event's [`Timing::started`], a changed appointment in
    /// [`Timing::appointment`].
    Migrated {
        /// The version the dossier ran on until now.
        from_version: String,
        /// The version it runs on from now on.
        to_version: String,
        /// SHA-256 of the migration file that moved it.
        migration_sha256: String,
        /// Every step that was active, where it went and the working time it had used.
        steps: Vec<MovedStep>,
        /// Branches waiting at join steps, under the new steps' identifiers.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        waiting: std::collections::BTreeMap<String, u32>,
        /// The form data as migrated (fields renamed and dropped).
        data: serde_json::Value,
        /// The documents as migrated (renamed and dropped).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        documents: Vec<SubmittedDocument>,
    },
}

/// One active step moved by a migration: see [`EventKind::Migrated`].
///
/// ```
/// let moved = motcua::MovedStep { from: "review".into(), to: "review".into(), used_minutes: 420 };
/// assert_eq!(serde_json::to_value(&moved).unwrap()["used_minutes"], 420);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MovedStep {
    /// The step of the old version.
    pub from: String,
    /// The step of the new version it continues in.
    pub to: String,
    /// Working minutes the dossier had spent in the old step (kept on the process-control
    /// record, against the old step's agency).
    pub used_minutes: u64,
}

/// Something the host must do after a command: send, print, index, notify.
///
/// Each effect has a `key` unique across all dossiers (`dossier/seq/n`), so a host that
/// retries delivery can deduplicate.
///
/// ```
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let applied = dossier.apply(&procedure, &Command {
///     id: "c3".into(),
///     at: at("2026-03-03T10:00:00+07:00"),
///     actor: Actor::official("officer", "department_finance"),
///     expected_version: Some(2),
///     kind: CommandKind::act("propose"),
/// }).unwrap();
/// let keys: Vec<&str> = applied.effects.iter().map(|e| e.key.as_str()).collect();
/// assert_eq!(keys[0], "HS-001/3/0"); // dossier, event seq, position
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Effect {
    /// Idempotency key: `<dossier id>/<event seq>/<n>`.
    pub key: String,
    /// What to do.
    #[serde(flatten)]
    pub kind: EffectKind,
}

impl Effect {
    /// A one-token summary, as scenarios expect effects and timelines and logs show them: `status:2`, `start:review`,
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

/// The kinds of effect.
///
/// ```
/// use motcua::{EffectKind, NationalStatus};
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let applied = dossier.apply(&procedure, &Command {
///     id: "c3".into(),
///     at: at("2026-03-03T10:00:00+07:00"),
///     actor: Actor::official("officer", "department_finance"),
///     expected_version: Some(2),
///     kind: CommandKind::act("propose"),
/// }).unwrap();
/// assert!(applied.effects.iter().any(|e| matches!(&e.kind, EffectKind::StepStarted { step, role, .. } if step == "approve" && role == "leader")));
/// assert!(applied.effects.iter().any(|e| e.kind
///     == EffectKind::StatusChanged { from: Some(NationalStatus::Received), to: NationalStatus::Processing }));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EffectKind {
    /// The national status changed: report it to the national portal.
    StatusChanged {
        /// Previous status (absent at submission).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NationalStatus>,
        /// New status.
        to: NationalStatus,
    },
    /// A step became active: put it in the work queue of its agency and role.
    StepStarted {
        /// The step.
        step: String,
        /// The agency kind handling it (absent for the applicant's steps).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agency: Option<String>,
        /// The role handling it.
        role: String,
        /// The administrative unit handling it, when the library has units: the work queue
        /// is that unit's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        /// End of the step's allotted time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<FixedOffset>>,
    },
    /// The appointment was set or moved: print it on the slip, tell the applicant, re-index.
    AppointmentSet {
        /// The appointment.
        appointment: DateTime<FixedOffset>,
        /// Why it was set.
        cause: AppointmentCause,
        /// The provisional calendar days (expected, not yet announced) the deadline was
        /// counted across: when not empty the appointment is "expected" and moves if the
        /// notice differs. Empty for an appointment given by hand (an extension).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        provisional_days: Vec<NaiveDate>,
        /// With cause `case_changed`: the case now in force, its deadline and legal basis,
        /// and the appointment before, for the citizen's notice of the new appointment
        /// (the `new_appointment` slip).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline_case: Option<DeadlineCaseNotice>,
    },
    /// The legal clock stopped (every active step waits for the applicant).
    ClockSuspended,
    /// The legal clock runs again; the appointment moved by the suspended working time.
    ClockResumed {
        /// Working minutes the clock was suspended.
        suspended_minutes: u64,
    },
    /// Send the dossier to another agency (*liên thông*).
    HandOff {
        /// The step sending.
        from_step: String,
        /// The step receiving.
        to_step: String,
        /// Sending agency kind.
        from_agency: String,
        /// Receiving agency kind.
        to_agency: String,
        /// Level of the receiving agency.
        to_level: String,
        /// Horizontal or vertical.
        direction: Direction,
        /// The dossier's administrative unit, for the host to resolve the receiving office.
        jurisdiction: String,
        /// The receiving unit, derived from the direction when the library has units:
        /// horizontal, the same unit; upward, the dossier unit's ancestor at the receiving
        /// level; downward, back to the dossier's unit at that level.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_unit: Option<String>,
        /// The form fields the receiving step declares in `receives`, and nothing else.
        #[serde(default, skip_serializing_if = "is_empty_object")]
        data: serde_json::Value,
        /// The documents the receiving step declares in `receives`, and nothing else.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        documents: Vec<SubmittedDocument>,
    },
    /// Produce a slip (*phiếu*) for the applicant or the file.
    Slip {
        /// Which slip.
        slip: SlipKind,
        /// The step it comes from.
        step: String,
        /// The action that produced it.
        action: String,
    },
    /// A step was still active when the dossier closed (a parallel branch ended by an
    /// action that `cancels_branches`, or a withdrawal), or when a migration moved the
    /// dossier to another version (a `step_started` of the new step follows): take it off
    /// its agency's work queue and tell that agency its work on the dossier stopped.
    StepCancelled {
        /// The step.
        step: String,
        /// The agency kind that was handling it (absent for the applicant's steps).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agency: Option<String>,
    },
    /// The dossier reached a terminal outcome.
    Closed {
        /// The outcome.
        outcome: String,
        /// Its kind.
        kind: OutcomeKind,
    },
}

/// Why the appointment moved when another deadline case came into force: see
/// [`EffectKind::AppointmentSet`].
///
/// ```
/// let notice = motcua::DeadlineCaseNotice {
///     case: Some("verification".into()),
///     name: None,
///     deadline: "15d".parse().unwrap(),
///     basis: None,
///     previous: chrono::DateTime::parse_from_rfc3339("2026-03-16T09:00:00+07:00").unwrap(),
/// };
/// assert_eq!(serde_json::to_value(&notice).unwrap()["deadline"], "15d");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineCaseNotice {
    /// The case now in force; absent for the default case (`legal_deadline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Its name, when the spec gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<crate::text::Text>,
    /// Its legal deadline, e.g. `15d`.
    pub deadline: crate::duration::WorkingDuration,
    /// The provision that sets it (none for the default case: the procedure's
    /// `legal_basis` applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::spec::procedure::LegalReference>,
    /// The appointment before the change.
    pub previous: DateTime<FixedOffset>,
}

fn is_empty_object(v: &serde_json::Value) -> bool {
    v.as_object().is_some_and(serde_json::Map::is_empty) || v.is_null()
}

/// Why an appointment was set or moved.
///
/// ```
/// use motcua::{AppointmentCause, EffectKind};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap();
/// # let desk = motcua::Submission {
/// #     allow_incomplete: true,
/// #     ..motcua::Submission::new("HS-1", at, motcua::Actor::official("one_stop_officer", "department_finance"), motcua::Channel::InPerson, "01")
/// # };
/// let (_, applied) = motcua::Dossier::submit(&procedure, desk).unwrap();
/// let cause = applied.effects.iter().find_map(|e| match &e.kind {
///     EffectKind::AppointmentSet { cause, .. } => Some(*cause),
///     _ => None,
/// });
/// assert_eq!(cause, Some(AppointmentCause::Submitted));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentCause {
    /// Counted from receipt.
    Submitted,
    /// Moved by the working time the clock was suspended.
    Resumed,
    /// Extended with an apology.
    Extended,
    /// Counted again with the deadline of the case a recorded decision (or changed form
    /// data) put in force.
    CaseChanged,
    /// Set by a migration: earlier, under `earlier_of_both` with a shorter new legal
    /// deadline; or moved by the suspension the move ended (the old step waited for the
    /// applicant, the new one does not). Never later because of the migration itself.
    Migrated,
}

/// The result of an accepted command.
///
/// ```
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let command = Command {
///     id: "c3".into(),
///     at: at("2026-03-03T10:00:00+07:00"),
///     actor: Actor::official("officer", "department_finance"),
///     expected_version: Some(2),
///     kind: CommandKind::act("propose"),
/// };
/// let applied = dossier.apply(&procedure, &command).unwrap();
/// assert_eq!((applied.events.len(), applied.duplicate), (1, false));
/// assert!(applied.problems.is_empty());
/// // A retry is answered with the same events and effects.
/// let retry = dossier.apply(&procedure, &command).unwrap();
/// assert!(retry.duplicate);
/// assert_eq!((retry.events, retry.effects), (applied.events, applied.effects));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Applied {
    /// The events recorded (the host appends them to its store).
    pub events: Vec<Event>,
    /// What the host must do.
    pub effects: Vec<Effect>,
    /// True when the command's id had already been applied: nothing changed, and these
    /// are the original events and effects.
    pub duplicate: bool,
    /// Form and checklist problems recorded at a desk intake ([`Submission::allow_incomplete`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// A refused command: a stable code, the field at fault, a bilingual message.
///
/// The dossier is left exactly as it was.
///
/// ```
/// use motcua::Code;
/// # use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// # let (mut dossier, _) = Dossier::submit(&procedure, Submission {
/// #     dossier_id: "HS-001".into(), command_id: "c1".into(), at: at("2026-03-02T09:00:00+07:00"),
/// #     actor: Actor::citizen(), channel: Channel::Online, jurisdiction: "01".into(),
/// #     data: sample.submit.data, documents: sample.submit.documents, allow_incomplete: false,
/// # }).unwrap();
/// # let officer = Actor::official("one_stop_officer", "department_finance");
/// # dossier.apply(&procedure, &Command {
/// #     id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer.clone(),
/// #     expected_version: Some(1), kind: CommandKind::act("accept"),
/// # }).unwrap();
/// let stale = Command {
///     id: "c3".into(),
///     at: at("2026-03-03T10:00:00+07:00"),
///     actor: Actor::official("officer", "department_finance"),
///     expected_version: Some(1), // decided before the acceptance
///     kind: CommandKind::act("propose"),
/// };
/// let rejection = dossier.apply(&procedure, &stale).unwrap_err();
/// assert_eq!((rejection.code, rejection.field.as_str()), (Code::VersionConflict, "expected_version"));
/// assert!(rejection.to_string().starts_with("version_conflict: "));
/// assert_eq!(dossier.version(), 2); // untouched
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("{code}: {} (at `{field}`)", message.en)]
pub struct Rejection {
    /// What went wrong.
    pub code: Code,
    /// The command field at fault, e.g. `action`, `actor.role`, `expected_version`.
    pub field: String,
    /// Explanation in Vietnamese and English.
    pub message: Message,
    /// For [`Code::InvalidForm`]: every problem of the form and documents, with its JSON path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl Rejection {
    pub(crate) fn new(code: Code, field: &str, vi: impl Into<String>, en: impl Into<String>) -> Rejection {
        Rejection { code, field: field.to_owned(), message: Message::new(vi, en), problems: Vec::new() }
    }
}
