//! The runtime: a dossier (*hồ sơ*) moving through a compiled [`Procedure`].
//!
//! State in, effects out: [`Dossier::apply`] checks a [`Command`] completely — including
//! every deadline it must compute on the calendar — before it changes anything, then records
//! one [`Event`] and returns the [`Effect`]s the host must carry out. A refused command
//! returns a [`Rejection`] and leaves the dossier exactly as it was. [`Dossier::replay`]
//! rebuilds the same dossier, bit for bit, from its events.
//!
//! ## Deadlines
//! - At submission the legal clock starts (after the procedure's cut-off hour, if any) and
//!   the appointment (*ngày hẹn trả kết quả*) is the legal deadline later, in working time.
//! - Each step gets its allotted time from its start; leaving it records the working time it
//!   took (the process-control slip, [`Dossier::log`]).
//! - While every active step waits for the applicant (suspended clock), time does not count:
//!   when the clock runs again the appointment moves by the suspended working time.
//! - An extension with apology sets a later appointment; the dossier still counts as late.
//! - Timer actions fire when the host calls [`Dossier::advance`]; [`Dossier::next_due`] says
//!   when to call it next.

mod chain;
mod clock;
mod decide;
mod evolve;
mod migrate;
mod rejections;
mod schema;
mod types;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use chain::verify_history;
pub use clock::{Deadline, Punctuality, StepRecord};
pub use schema::runtime_schemas;
pub use types::{
    Actor, Applied, AppointmentCause, CaseChange, Command, CommandKind, DeadlineCaseNotice, Effect, EffectKind, Event,
    EventKind, MovedStep, Rejection, StepDue, Submission, TimerDue, Timing,
};

use clock::step_due;
use decide::{check_jurisdiction, check_unit, unit_of, validate};
pub(crate) use migrate::MigrationPlan;
use rejections::{calendar_error, closed, history_error, non_empty};

use crate::compile::{Procedure, StepIx};
use crate::diagnostic::Code;
use crate::document::SubmittedDocument;
use crate::limits::Limits;
use crate::spec::procedure::{Channel, OutcomeKind};
use crate::status::NationalStatus;

/// The role of the engine itself, the actor of timer events.
///
/// ```
/// use motcua::{Actor, Channel, Command, CommandKind, Dossier, SYSTEM_ROLE, Submission};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth.yaml", &library)?;
/// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/birth-registration-supplement-lapsed.yaml"), "lapsed.yaml")?;
/// # let submission = Submission::new("KS-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "00004")
/// #     .with_data(sample.submit.data, sample.submit.documents);
/// # let (mut dossier, _) = Dossier::submit(&procedure, submission).unwrap();
/// # let officer = Actor::official("one_stop_officer", "commune_committee");
/// # let request = Command { id: "c2".into(), at: at("2026-03-02T09:30:00+07:00"), actor: officer, expected_version: Some(1), kind: CommandKind::act("request_supplement") };
/// # dossier.apply(&procedure, &request).unwrap();
/// // The supplement was requested and never came: the `lapse` timer fires.
/// let applied = dossier.advance(&procedure, dossier.next_due().unwrap()).unwrap();
/// assert_eq!(applied.events[0].actor.role, SYSTEM_ROLE);
/// assert_eq!(SYSTEM_ROLE, "system");
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub const SYSTEM_ROLE: &str = "system";

/// A step a dossier is waiting in.
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
/// let active = &dossier.active()[0];
/// assert_eq!(active.step, "review");
/// assert_eq!(active.since, at("2026-03-02T09:30:00+07:00"));
/// // 1.5 working days from Monday 09:30.
/// assert_eq!(active.due, Some(at("2026-03-03T14:30:00+07:00")));
/// assert!(active.timer.is_none());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActiveStep {
    /// Step identifier.
    pub step: String,
    /// When the dossier entered it.
    pub since: DateTime<FixedOffset>,
    /// End of its allotted time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<FixedOffset>>,
    /// Its earliest timer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<TimerDue>,
    /// The administrative unit handling it (when the library has units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// How a dossier ended.
///
/// ```
/// use motcua::OutcomeKind;
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
/// assert!(dossier.closure().is_none());
/// dossier.apply(&procedure, &Command {
///     id: "c3".into(),
///     at: at("2026-03-02T10:00:00+07:00"),
///     actor: Actor::citizen(),
///     expected_version: None,
///     kind: CommandKind::RequestWithdrawal { reason: None },
/// }).unwrap();
/// dossier.apply(&procedure, &Command {
///     id: "c4".into(),
///     at: at("2026-03-02T10:30:00+07:00"),
///     actor: officer.clone(),
///     expected_version: None,
///     kind: CommandKind::ConfirmWithdrawal,
/// }).unwrap();
/// let closure = dossier.closure().unwrap();
/// // The spec declares no withdrawal outcome.
/// assert_eq!((closure.outcome.as_str(), closure.kind), ("withdrawn", OutcomeKind::Withdrawn));
/// assert_eq!(closure.at, at("2026-03-02T10:30:00+07:00"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Closure {
    /// Outcome identifier (`withdrawn` when the spec declares no withdrawal outcome).
    pub outcome: String,
    /// Its kind.
    pub kind: OutcomeKind,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Steps that were still active and were cancelled by the closing (in the order they
    /// were active); each also produced a `step_cancelled` effect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled: Vec<String>,
}

/// One dossier: a snapshot of its state plus the events that produced it.
///
/// Fields are read through accessors; the only ways to change a dossier are
/// [`Dossier::apply`] and [`Dossier::advance`], so a snapshot always equals the replay of
/// its history.
///
/// ```
/// use motcua::{Actor, Catalogue, Channel, Command, CommandKind, Dossier, Library, NationalStatus, Procedure, Submission};
///
/// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// let procedure = Procedure::from_yaml(
///     include_str!("../../specs/procedures/business-registration.yaml"),
///     "business-registration.yaml",
///     &library,
/// )?;
/// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// // The application is validated at submission: take the valid one of a shipped scenario.
/// let sample = motcua::scenario::Scenario::from_yaml(
///     include_str!("../../tests/scenarios/business-registration-happy.yaml"),
///     "business-registration-happy.yaml",
/// )?;
///
/// // Submitted on Monday 2 March 2026 at 09:00: three working days later.
/// let (mut dossier, _) = Dossier::submit(&procedure, Submission {
///     dossier_id: "HS-001".into(),
///     command_id: "c1".into(),
///     at: at("2026-03-02T09:00:00+07:00"),
///     actor: Actor::citizen(),
///     channel: Channel::Online,
///     jurisdiction: "01".into(),
///     data: sample.submit.data,
///     documents: sample.submit.documents,
///     allow_incomplete: false,
/// }).unwrap();
/// assert_eq!(dossier.status(), NationalStatus::New);
/// assert_eq!(dossier.deadline().appointment, at("2026-03-05T09:00:00+07:00"));
///
/// let applied = dossier.apply(&procedure, &Command {
///     id: "c2".into(),
///     at: at("2026-03-02T09:30:00+07:00"),
///     actor: Actor::official("one_stop_officer", "department_finance"),
///     expected_version: Some(1),
///     kind: CommandKind::act("accept"),
/// }).unwrap();
/// assert_eq!(dossier.status(), NationalStatus::Received);
/// assert_eq!(dossier.active_step_ids().collect::<Vec<_>>(), ["review"]);
/// assert!(applied.effects.iter().any(|e| matches!(e.kind, motcua::EffectKind::Slip { .. })));
/// assert_eq!(dossier.log()[0].used_minutes, 30);
///
/// // The history replays to the same dossier.
/// assert_eq!(Dossier::replay(&procedure, dossier.history()).unwrap(), dossier);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Dossier {
    id: String,
    procedure: String,
    procedure_version: String,
    version: u64,
    channel: Channel,
    jurisdiction: String,
    data: serde_json::Value,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    documents: Vec<SubmittedDocument>,
    submitted_at: DateTime<FixedOffset>,
    updated_at: DateTime<FixedOffset>,
    active: Vec<ActiveStep>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    arrived: BTreeMap<String, u32>,
    status: NationalStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closure: Option<Closure>,
    withdrawal_requested: bool,
    supplement_requests: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    decisions: BTreeMap<String, bool>,
    deadline: Deadline,
    log: Vec<StepRecord>,
    head: String,
    history: Vec<Event>,
    #[serde(skip)]
    #[schemars(skip)]
    derived: Derived,
}

/// What a dossier knows beyond its serialized state, rebuilt by [`Dossier::replay`] and
/// [`Dossier::from_snapshot`]: never part of a snapshot, never part of equality.
#[derive(Clone, Debug, Default)]
struct Derived {
    /// Built by the engine (submit, replay, a checked snapshot): may take commands. A
    /// dossier deserialized from JSON is not, until [`Dossier::from_snapshot`] checks it.
    checked: bool,
    /// The effects of the last event, so a retry of the latest command is answered
    /// without replaying the history.
    last_effects: Vec<Effect>,
}

impl PartialEq for Derived {
    fn eq(&self, _: &Derived) -> bool {
        true
    }
}

impl Dossier {
    /// Opens a dossier from a submission: starts the legal clock (after the cut-off hour)
    /// and sets the appointment. Returns the dossier and what the host must do.
    ///
    /// ```
    /// use motcua::{Actor, Channel, Code, Dossier, NationalStatus, Submission};
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// let empty = Submission::new("HS-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "01");
    /// // Every problem of the form and the checklist at once.
    /// let rejection = Dossier::submit(&procedure, empty.clone()).unwrap_err();
    /// assert_eq!(rejection.code, Code::InvalidForm);
    /// assert!(rejection.problems.len() > 1);
    ///
    /// // At the desk, an officer may record it anyway, to send it back for a supplement.
    /// let officer = Actor::official("one_stop_officer", "department_finance");
    /// let desk = Submission { actor: officer, channel: Channel::InPerson, allow_incomplete: true, ..empty };
    /// let (dossier, applied) = Dossier::submit(&procedure, desk).unwrap();
    /// assert_eq!(dossier.status(), NationalStatus::New);
    /// assert_eq!(applied.problems.len(), rejection.problems.len());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn submit(procedure: &Procedure, submission: Submission) -> Result<(Dossier, Applied), Rejection> {
        non_empty(&submission.dossier_id, "dossier_id")?;
        non_empty(&submission.command_id, "command_id")?;
        if !procedure.spec().channels.contains(&submission.channel) {
            return Err(Rejection::new(
                Code::InvalidCommand,
                "channel",
                "Thủ tục không nhận hồ sơ qua kênh này",
                "the procedure does not accept dossiers through this channel",
            ));
        }
        let start = procedure.start();
        let actor = &submission.actor;
        let may_submit = procedure.is_citizen_role(&actor.role)
            || (actor.role == start.role && actor.agency.is_some() && actor.agency == start.agency);
        if !may_submit {
            return Err(Rejection::new(
                Code::Forbidden,
                "actor",
                "Chỉ người nộp hoặc cán bộ tiếp nhận mới được nộp hồ sơ",
                "only the applicant or the receiving officer may submit a dossier",
            ));
        }
        check_jurisdiction(procedure, &submission.jurisdiction)?;
        if !procedure.is_citizen_role(&actor.role) {
            check_unit(actor, unit_of(procedure, &submission.jurisdiction, StepIx(0)).as_deref())?;
        }
        let problems = if submission.allow_incomplete {
            if procedure.is_citizen_role(&actor.role) {
                return Err(Rejection::new(
                    Code::Forbidden,
                    "allow_incomplete",
                    "Chỉ cán bộ tiếp nhận mới được ghi nhận hồ sơ chưa đầy đủ",
                    "only the receiving officer may record an incomplete dossier",
                ));
            }
            match validate(procedure, &submission.data, &submission.documents, submission.at, "data") {
                Ok(()) => Vec::new(),
                Err(rejection) => rejection.problems,
            }
        } else {
            validate(procedure, &submission.data, &submission.documents, submission.at, "data")?;
            Vec::new()
        };
        let calendar = procedure.calendar();
        let clock_start = procedure.start_of_count(submission.at).map_err(calendar_error)?;
        let case = procedure.case_in_force(
            &submission.data,
            &submission.documents,
            clock::today(procedure, submission.at),
            &BTreeMap::new(),
        );
        let appointment = calendar.add(clock_start, procedure.legal_deadline_in(case)).map_err(calendar_error)?;
        let first = step_due(procedure, StepIx(0), clock_start, &submission.jurisdiction, case)?;
        let event = Event {
            seq: 1,
            at: submission.at,
            command_id: submission.command_id,
            actor: submission.actor,
            kind: EventKind::Submitted {
                dossier_id: submission.dossier_id,
                procedure: procedure.code().to_owned(),
                version: procedure.version().to_owned(),
                channel: submission.channel,
                jurisdiction: submission.jurisdiction,
                data: submission.data,
                documents: submission.documents,
            },
            prev: String::new(),
            timing: Timing {
                clock_start: Some(clock_start),
                appointment: Some(appointment),
                started: vec![first],
                provisional_days: calendar.provisional_days(clock_start, appointment),
                deadline_case: case.map(|c| CaseChange {
                    case: Some(procedure.deadline_cases().nth(c).map(|(id, _)| id.to_owned()).unwrap_or_default()),
                }),
                ..Timing::default()
            },
        };
        let (dossier, effects) = Dossier::from_submitted(procedure, event)?;
        let applied = Applied { events: dossier.history.clone(), effects, duplicate: false, problems };
        Ok((dossier, applied))
    }

    /// Applies a command with default [`Limits`]. See [`Dossier::apply_with_limits`].
    ///
    /// ```
    /// use motcua::{Code, NationalStatus};
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
    /// let propose = |id: &str, actor: &Actor| Command {
    ///     id: id.into(),
    ///     at: at("2026-03-03T10:00:00+07:00"),
    ///     actor: actor.clone(),
    ///     expected_version: Some(2),
    ///     kind: CommandKind::act("propose"),
    /// };
    /// // The one-stop officer may not propose: refused, nothing changes.
    /// let rejection = dossier.apply(&procedure, &propose("c3", &officer)).unwrap_err();
    /// assert_eq!(rejection.code, Code::Forbidden);
    /// assert_eq!(dossier.version(), 2);
    ///
    /// let applied = dossier.apply(&procedure, &propose("c3", &Actor::official("officer", "department_finance"))).unwrap();
    /// assert_eq!(dossier.status(), NationalStatus::Processing);
    /// assert!(!applied.duplicate);
    /// // The same command again is answered, not applied twice.
    /// let again = dossier.apply(&procedure, &propose("c3", &Actor::official("officer", "department_finance"))).unwrap();
    /// assert!(again.duplicate);
    /// assert_eq!(dossier.version(), 3);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn apply(&mut self, procedure: &Procedure, command: &Command) -> Result<Applied, Rejection> {
        self.apply_with_limits(procedure, command, &Limits::default())
    }

    /// Applies a command: checks it completely, then records one event.
    ///
    /// - A command whose `id` was already applied returns the original events and
    ///   effects with `duplicate: true` and changes nothing.
    /// - Otherwise any problem is a [`Rejection`] and the dossier is untouched.
    ///
    /// ```
    /// use motcua::{Code, Limits};
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
    /// let mut limits = Limits::default();
    /// limits.max_history = 2;
    /// let command = Command {
    ///     id: "c3".into(),
    ///     at: at("2026-03-03T10:00:00+07:00"),
    ///     actor: Actor::official("officer", "department_finance"),
    ///     expected_version: Some(2),
    ///     kind: CommandKind::act("propose"),
    /// };
    /// let rejection = dossier.apply_with_limits(&procedure, &command, &limits).unwrap_err();
    /// assert_eq!(rejection.code, Code::LimitExceeded);
    /// assert_eq!(dossier.version(), 2);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn apply_with_limits(
        &mut self,
        procedure: &Procedure,
        command: &Command,
        limits: &Limits,
    ) -> Result<Applied, Rejection> {
        non_empty(&command.id, "id")?;
        self.check_procedure(procedure)?;
        self.check_checked()?;
        if let Some(applied) = self.original_outcome(procedure, command) {
            return applied;
        }
        if self.closure.is_some() {
            return Err(closed());
        }
        if let Some(expected) = command.expected_version
            && expected != self.version
        {
            return Err(Rejection::new(
                Code::VersionConflict,
                "expected_version",
                format!("Hồ sơ đang ở phiên bản {}, lệnh dựa trên phiên bản {expected}", self.version),
                format!("the dossier is at version {}, the command expected {expected}", self.version),
            ));
        }
        if command.at < self.updated_at {
            return Err(Rejection::new(
                Code::InvalidCommand,
                "at",
                "Thời điểm của lệnh sớm hơn sự kiện cuối cùng của hồ sơ",
                "the command is dated before the dossier's last event",
            ));
        }
        self.check_history_room(limits)?;
        // Every instant a command carries must be one the calendar knows: a command dated
        // 9999 would otherwise be accepted and leave the dossier stuck.
        let calendar = procedure.calendar();
        calendar.is_working_time(command.at).map_err(calendar_error)?;
        if let CommandKind::Extend { appointment, .. } = &command.kind {
            calendar
                .is_working_time(*appointment)
                .map_err(|e| Rejection { field: "appointment".into(), ..calendar_error(e) })?;
        }
        let kind = match &command.kind {
            CommandKind::Act { action, step, data, documents } => {
                let step = self.resolve_step(procedure, action, step.as_deref())?;
                let decisions = procedure
                    .step_by_id(&step)
                    .and_then(|s| s.action(action))
                    .map(|(_, a)| decide::decisions_of(a))
                    .unwrap_or_default();
                EventKind::ActionTaken {
                    step,
                    action: action.clone(),
                    data: data.clone(),
                    documents: documents.clone(),
                    decisions,
                }
            }
            CommandKind::RequestWithdrawal { reason } => EventKind::WithdrawalRequested { reason: reason.clone() },
            CommandKind::ConfirmWithdrawal => EventKind::Withdrawn,
            CommandKind::DeclineWithdrawal { reason } => EventKind::WithdrawalDeclined { reason: reason.clone() },
            CommandKind::Extend { appointment, reason } => {
                EventKind::Extended { appointment: *appointment, reason: reason.clone() }
            }
        };
        let mut event = Event {
            seq: self.next_seq()?,
            at: command.at,
            command_id: command.id.clone(),
            actor: command.actor.clone(),
            kind,
            prev: self.head.clone(),
            timing: Timing::default(),
        };
        let plan = self.plan(procedure, &event)?;
        event.timing = self.timing(procedure, &event, &plan)?;
        let effects = self.commit(procedure, event.clone(), plan);
        self.derived.last_effects.clone_from(&effects);
        Ok(Applied { events: vec![event], effects, duplicate: false, problems: Vec::new() })
    }

    /// Fires every timer due at or before `now`, earliest first, each as an event dated
    /// at its own instant. Returns the events and effects (none when nothing was due).
    ///
    /// All or nothing: if any timer cannot be applied, the dossier is left untouched.
    /// Uses default [`Limits`]; see [`Dossier::advance_with_limits`].
    ///
    /// ```
    /// use motcua::{Actor, Channel, Command, CommandKind, Dossier, NationalStatus, Submission};
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
    /// // The applicant never supplies the documents: after 10 working days the engine stops it.
    /// let due = dossier.next_due().unwrap();
    /// assert!(dossier.advance(&procedure, at("2026-03-05T09:00:00+07:00")).unwrap().events.is_empty());
    /// let applied = dossier.advance(&procedure, due).unwrap();
    /// assert_eq!(applied.events.len(), 1);
    /// assert_eq!(dossier.status(), NationalStatus::Stopped);
    /// assert_eq!(dossier.closure().unwrap().outcome, "stopped");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn advance(&mut self, procedure: &Procedure, now: DateTime<FixedOffset>) -> Result<Applied, Rejection> {
        self.advance_with_limits(procedure, now, &Limits::default())
    }

    /// [`Dossier::advance`] with the host's [`Limits`] (`max_history` bounds the events the
    /// timers may add, as it bounds commands).
    ///
    /// ```
    /// use motcua::Limits;
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
    /// // Nothing is due in the business-registration procedure: no timers.
    /// let applied = dossier.advance_with_limits(&procedure, at("2026-04-01T09:00:00+07:00"), &Limits::default()).unwrap();
    /// assert!(applied.events.is_empty() && applied.effects.is_empty());
    /// assert_eq!(dossier.version(), 2);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn advance_with_limits(
        &mut self,
        procedure: &Procedure,
        now: DateTime<FixedOffset>,
        limits: &Limits,
    ) -> Result<Applied, Rejection> {
        self.check_procedure(procedure)?;
        self.check_checked()?;
        let mut next = self.clone();
        let mut applied = Applied { events: Vec::new(), effects: Vec::new(), duplicate: false, problems: Vec::new() };
        while let Some((step, timer)) = next.due_timer(now) {
            next.check_history_room(limits)?;
            let seq = next.next_seq()?;
            let mut event = Event {
                seq,
                at: timer.at.max(next.updated_at),
                command_id: format!("timer/{step}/{seq}"),
                actor: Actor { role: SYSTEM_ROLE.into(), agency: None, unit: None, user: None },
                kind: EventKind::TimerFired { step, action: timer.action },
                prev: next.head.clone(),
                timing: Timing::default(),
            };
            let plan = next.plan(procedure, &event)?;
            event.timing = next.timing(procedure, &event, &plan)?;
            let effects = next.commit(procedure, event.clone(), plan);
            next.derived.last_effects.clone_from(&effects);
            applied.effects.extend(effects);
            applied.events.push(event);
        }
        *self = next;
        Ok(applied)
    }

    /// Rebuilds a dossier from its events with the procedure version it was opened under.
    ///
    /// Every event is checked as a command would be (order, times, steps, actors), so an
    /// altered history is refused with [`Code::InvalidHistory`] or [`Code::WrongProcedure`].
    /// Deadlines are taken from the events, not recomputed. A history with a `migrated`
    /// event runs on two versions: it is refused with [`Code::WrongProcedure`] (at
    /// `events[i]`), and [`Dossier::replay_versions`] replays it.
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
    /// let rebuilt = Dossier::replay(&procedure, dossier.history()).unwrap();
    /// assert_eq!(rebuilt, dossier);
    ///
    /// // An altered history is refused.
    /// let mut events = dossier.history().to_vec();
    /// events[1].at = at("2026-03-01T09:30:00+07:00"); // before the submission
    /// assert_eq!(Dossier::replay(&procedure, &events).unwrap_err().code, Code::InvalidHistory);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn replay(procedure: &Procedure, events: &[Event]) -> Result<Dossier, Rejection> {
        // The submission checks its own version against `procedure`.
        Dossier::replay_with(&|_, _| Some(procedure), events, false)
    }

    /// Rebuilds a dossier whose history may cross versions of its procedure: each event is
    /// replayed on the version in force for the dossier at that point, looked up by
    /// procedure code and version with `procedures` — the version it was opened under
    /// until a `migrated` event, the version it moved to after it.
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Code, Dossier, Library, Procedure};
    /// # use motcua::version::{Migration, migrate};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let migration = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
    /// # let mut scenario = scenario; scenario.commands.truncate(1);
    /// # let dossier = motcua_scenario::run(&scenario, &old).dossier().unwrap().clone();
    /// let at = chrono::DateTime::parse_from_rfc3339("2025-07-01T08:00:00+07:00").unwrap();
    /// let (moved, _) = migrate(&dossier, &old, &new, &migration, at, Actor::official("one_stop_officer", "commune_committee")).unwrap();
    ///
    /// let versions = [&old, &new];
    /// let lookup = |code: &str, version: &str| versions.iter().copied().find(|p| p.code() == code && p.version() == version);
    /// assert_eq!(Dossier::replay_versions(lookup, moved.history()).unwrap(), moved);
    /// // With one version only, the history is refused, not replayed wrong.
    /// assert_eq!(Dossier::replay(&old, moved.history()).unwrap_err().code, Code::WrongProcedure);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn replay_versions<'p>(
        procedures: impl Fn(&str, &str) -> Option<&'p Procedure>,
        events: &[Event],
    ) -> Result<Dossier, Rejection> {
        Dossier::replay_with(&procedures, events, true)
    }

    fn replay_with<'p>(
        procedures: &dyn Fn(&str, &str) -> Option<&'p Procedure>,
        events: &[Event],
        migrations: bool,
    ) -> Result<Dossier, Rejection> {
        let Some(first) = events.first() else {
            return Err(Rejection::new(Code::InvalidHistory, "events", "Lịch sử trống", "the history is empty"));
        };
        if first.seq != 1 {
            return Err(history_error(first.seq, "số thứ tự phải bắt đầu từ 1", "sequence numbers start at 1"));
        }
        let (code, version) = match &first.kind {
            EventKind::Submitted { procedure, version, .. } => (procedure.as_str(), version.as_str()),
            _ => ("", ""),
        };
        let mut procedure = procedures(code, version).ok_or_else(|| missing_version(code, version))?;
        let (mut dossier, _) = Dossier::from_submitted(procedure, first.clone())?;
        for event in &events[1..] {
            if event.seq != dossier.version + 1 {
                return Err(history_error(
                    event.seq,
                    "số thứ tự không liên tục",
                    "sequence numbers are not contiguous",
                ));
            }
            if event.at < dossier.updated_at {
                return Err(history_error(event.seq, "thời điểm đi lùi", "time goes backwards"));
            }
            if event.prev != dossier.head {
                return Err(Rejection::new(
                    Code::TamperedHistory,
                    "events",
                    format!("Sự kiện {} không nối tiếp sự kiện trước: lịch sử đã bị sửa", event.seq),
                    format!("event {} does not follow the one before: the history was altered", event.seq),
                ));
            }
            if let EventKind::Migrated { to_version, .. } = &event.kind {
                if !migrations {
                    return Err(Rejection::new(
                        Code::WrongProcedure,
                        &format!("events[{}]", event.seq - 1),
                        format!(
                            "Sự kiện {} chuyển hồ sơ sang phiên bản {to_version}: dựng lại bằng Dossier::replay_versions với cả hai phiên bản",
                            event.seq
                        ),
                        format!(
                            "event {} moves the dossier to version {to_version}: replay it with Dossier::replay_versions and both versions",
                            event.seq
                        ),
                    ));
                }
                let new = procedures(&dossier.procedure, to_version)
                    .ok_or_else(|| missing_version(&dossier.procedure, to_version))?;
                dossier.check_migration(procedure, new, event).map_err(|mut r| {
                    r.code = if r.code == Code::WrongProcedure { r.code } else { Code::InvalidHistory };
                    r
                })?;
                dossier.derived.last_effects = dossier.commit_migration(procedure, new, event.clone());
                procedure = new;
                continue;
            }
            let plan = dossier.plan(procedure, event).map_err(|mut r| {
                r.message.vi = format!("Sự kiện {}: {}", event.seq, r.message.vi);
                r.message.en = format!("event {}: {}", event.seq, r.message.en);
                r.code = Code::InvalidHistory;
                r
            })?;
            // Only the last event's effects are kept (for a retry): moved, not cloned.
            dossier.derived.last_effects = dossier.commit(procedure, event.clone(), plan);
        }
        Ok(dossier)
    }

    /// Checks a stored snapshot against its own history and returns the dossier, ready to
    /// take commands. The only way in for a dossier that was serialized.
    ///
    /// The history inside the snapshot is replayed with `procedure` (the version the
    /// dossier was opened under); the replay must give exactly the snapshot, and when
    /// `head` is given (the hash of the last event, kept by the host where the snapshot
    /// cannot change it, e.g. its own column) the history must end in it. A snapshot whose
    /// state, data, appointment, unit, version or head was edited is
    /// [`Code::TamperedSnapshot`]; an altered history is [`Code::TamperedHistory`] or
    /// [`Code::InvalidHistory`]. The cost is one replay, which recomputes no deadline.
    ///
    /// A dossier deserialized with serde can be read, but [`Dossier::apply`] and
    /// [`Dossier::advance`] refuse it with [`Code::UncheckedSnapshot`] until it went
    /// through this function.
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Channel, Code, Dossier, Library, Procedure, Submission};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "b.yaml", &library)?;
    /// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "s.yaml")?;
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap();
    /// let submission = Submission::new("HS-1", at, Actor::citizen(), Channel::Online, "01")
    ///     .with_data(sample.submit.data, sample.submit.documents);
    /// let (dossier, _) = Dossier::submit(&procedure, submission).unwrap();
    /// let (json, head) = (serde_json::to_string(&dossier).unwrap(), dossier.head().to_owned());
    ///
    /// // Later: load it back, checked against the head the host kept.
    /// let stored: Dossier = serde_json::from_str(&json).unwrap();
    /// assert_eq!(Dossier::from_snapshot(&procedure, stored, Some(&head)).unwrap(), dossier);
    ///
    /// // A snapshot edited by hand is refused.
    /// let edited: Dossier = serde_json::from_str(&json.replace("\"status\":1", "\"status\":10")).unwrap();
    /// let err = Dossier::from_snapshot(&procedure, edited, Some(&head)).unwrap_err();
    /// assert_eq!(err.code, Code::TamperedSnapshot);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_snapshot(procedure: &Procedure, snapshot: Dossier, head: Option<&str>) -> Result<Dossier, Rejection> {
        snapshot.check_snapshot_head(head)?;
        snapshot.check_procedure(procedure)?;
        let replayed = Dossier::replay(procedure, &snapshot.history)?;
        check_replayed(&replayed, &snapshot)?;
        Ok(replayed)
    }

    fn check_snapshot_head(&self, head: Option<&str>) -> Result<(), Rejection> {
        if let Some(head) = head
            && self.head != head
        {
            return Err(Rejection::new(
                Code::TamperedSnapshot,
                "head",
                "Bản chụp hồ sơ không kết thúc ở sự kiện cuối cùng đã lưu",
                "the snapshot does not end at the stored last event",
            ));
        }
        Ok(())
    }

    /// [`Dossier::from_snapshot`] for a dossier whose history may cross versions of its
    /// procedure (a migrated dossier): the history is replayed with
    /// [`Dossier::replay_versions`], each part on its own version.
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Code, Dossier, Library, Procedure};
    /// # use motcua::version::{Migration, migrate};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let migration = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// # let mut scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
    /// # scenario.commands.truncate(1);
    /// # let dossier = motcua_scenario::run(&scenario, &old).dossier().unwrap().clone();
    /// # let at = chrono::DateTime::parse_from_rfc3339("2025-07-01T08:00:00+07:00").unwrap();
    /// let (moved, _) = migrate(&dossier, &old, &new, &migration, at, Actor::official("one_stop_officer", "commune_committee")).unwrap();
    /// let stored: Dossier = serde_json::from_str(&serde_json::to_string(&moved).unwrap()).unwrap();
    /// let versions = [&old, &new];
    /// let lookup = |code: &str, version: &str| versions.iter().copied().find(|p| p.code() == code && p.version() == version);
    /// let loaded = Dossier::from_snapshot_versions(lookup, stored, Some(moved.head())).unwrap();
    /// assert_eq!((loaded.procedure_version(), &loaded), ("2025.1", &moved));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_snapshot_versions<'p>(
        procedures: impl Fn(&str, &str) -> Option<&'p Procedure>,
        snapshot: Dossier,
        head: Option<&str>,
    ) -> Result<Dossier, Rejection> {
        let current = procedures(&snapshot.procedure, &snapshot.procedure_version)
            .ok_or_else(|| missing_version(&snapshot.procedure, &snapshot.procedure_version))?;
        snapshot.check_snapshot_head(head)?;
        snapshot.check_procedure(current)?;
        let replayed = Dossier::replay_versions(procedures, &snapshot.history)?;
        check_replayed(&replayed, &snapshot)?;
        Ok(replayed)
    }

    /// The effects event `seq` produced, rebuilt from the history before it (the host's
    /// outbox should hold exactly these). The latest event's are kept and cost nothing;
    /// an earlier one's cost a replay of the events before it.
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Channel, Dossier, Library, Procedure, Submission};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "b.yaml", &library)?;
    /// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/business-registration-happy.yaml"), "s.yaml")?;
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap();
    /// let submission = Submission::new("HS-1", at, Actor::citizen(), Channel::Online, "01")
    ///     .with_data(sample.submit.data, sample.submit.documents);
    /// let (dossier, applied) = Dossier::submit(&procedure, submission).unwrap();
    /// assert_eq!(dossier.effects_of(&procedure, 1).unwrap(), applied.effects);
    /// assert!(dossier.effects_of(&procedure, 2).is_err());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn effects_of(&self, procedure: &Procedure, seq: u64) -> Result<Vec<Effect>, Rejection> {
        self.effects_with(&|_, _| Some(procedure), seq, false)
    }

    /// [`Dossier::effects_of`] for a dossier whose history may cross versions of its
    /// procedure: each event is rebuilt on the version in force at that point, looked up as
    /// in [`Dossier::replay_versions`] (with one version, a migrated history is refused).
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Dossier, Library, Procedure};
    /// # use motcua::version::{Migration, migrate};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let migration = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// # let mut scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
    /// # scenario.commands.truncate(1);
    /// # let dossier = motcua_scenario::run(&scenario, &old).dossier().unwrap().clone();
    /// # let at = chrono::DateTime::parse_from_rfc3339("2025-07-01T08:00:00+07:00").unwrap();
    /// let (moved, applied) = migrate(&dossier, &old, &new, &migration, at, Actor::citizen()).unwrap();
    /// let versions = [&old, &new];
    /// let lookup = |code: &str, version: &str| versions.iter().copied().find(|p| p.code() == code && p.version() == version);
    /// assert_eq!(moved.effects_of_versions(&lookup, 3).unwrap(), applied.effects);
    /// assert_eq!(moved.effects_of_versions(&lookup, 2).unwrap(), dossier.effects_of(&old, 2).unwrap());
    /// assert!(moved.effects_of(&new, 3).is_ok()); // the latest event's are kept
    /// assert!(moved.effects_of(&old, 2).is_ok()); // before the move, one version is enough
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn effects_of_versions<'p>(
        &self,
        procedures: impl Fn(&str, &str) -> Option<&'p Procedure>,
        seq: u64,
    ) -> Result<Vec<Effect>, Rejection> {
        self.effects_with(&procedures, seq, true)
    }

    fn effects_with<'p>(
        &self,
        procedures: &dyn Fn(&str, &str) -> Option<&'p Procedure>,
        seq: u64,
        migrations: bool,
    ) -> Result<Vec<Effect>, Rejection> {
        let index = usize::try_from(seq).ok().and_then(|s| s.checked_sub(1)).filter(|&i| i < self.history.len());
        let Some(index) = index else {
            return Err(Rejection::new(
                Code::InvalidCommand,
                "seq",
                format!("Hồ sơ không có sự kiện số {seq}"),
                format!("the dossier has no event {seq}"),
            ));
        };
        if index + 1 == self.history.len() && self.derived.checked {
            return Ok(self.derived.last_effects.clone());
        }
        let event = &self.history[index];
        if index == 0 {
            let (code, version) = match &event.kind {
                EventKind::Submitted { procedure, version, .. } => (procedure.as_str(), version.as_str()),
                _ => ("", ""),
            };
            let procedure = procedures(code, version).ok_or_else(|| missing_version(code, version))?;
            return Dossier::from_submitted(procedure, event.clone()).map(|(_, effects)| effects);
        }
        let mut before = Dossier::replay_with(procedures, &self.history[..index], migrations)?;
        let current = procedures(&before.procedure, &before.procedure_version)
            .ok_or_else(|| missing_version(&before.procedure, &before.procedure_version))?;
        if let EventKind::Migrated { to_version, .. } = &event.kind {
            let new = procedures(&before.procedure, to_version)
                .filter(|_| migrations)
                .ok_or_else(|| missing_version(&before.procedure, to_version))?;
            before.check_migration(current, new, event)?;
            return Ok(before.commit_migration(current, new, event.clone()));
        }
        let plan = before.plan(current, event)?;
        Ok(before.commit(current, event.clone(), plan))
    }

    /// The dossier identifier.
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
    /// assert_eq!(dossier.id(), "HS-001");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The procedure code it runs under.
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
    /// assert_eq!(dossier.procedure_code(), "2.001610");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn procedure_code(&self) -> &str {
        &self.procedure
    }

    /// The procedure version it runs under: the one it was opened under (pinned for its
    /// life), unless a migration ([`crate::version::migrate`]) moved it to another.
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
    /// assert_eq!(dossier.procedure_version(), "2025.1");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn procedure_version(&self) -> &str {
        &self.procedure_version
    }

    /// Optimistic-concurrency version: the number of events so far.
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
    /// // Submitted, then accepted: two events.
    /// assert_eq!(dossier.version(), 2);
    /// assert_eq!(dossier.version(), dossier.history().len() as u64);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Submission channel.
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
    /// assert_eq!(dossier.channel(), Channel::Online);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The administrative unit the dossier is filed with.
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
    /// assert_eq!(dossier.jurisdiction(), "01");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn jurisdiction(&self) -> &str {
        &self.jurisdiction
    }

    /// Applicant and form data as submitted.
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
    /// assert_eq!(dossier.data()["company_name"], "Công ty TNHH Minh Phát");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn data(&self) -> &serde_json::Value {
        &self.data
    }

    /// Documents submitted (as last replaced by an action).
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
    /// let ids: Vec<&str> = dossier.documents().iter().map(|d| d.id.as_str()).collect();
    /// assert_eq!(ids, ["application", "charter", "member_ids"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn documents(&self) -> &[SubmittedDocument] {
        &self.documents
    }

    /// When it was submitted.
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
    /// assert_eq!(dossier.submitted_at(), at("2026-03-02T09:00:00+07:00"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn submitted_at(&self) -> DateTime<FixedOffset> {
        self.submitted_at
    }

    /// When the last event happened.
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
    /// assert_eq!(dossier.updated_at(), at("2026-03-02T09:30:00+07:00")); // the acceptance
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn updated_at(&self) -> DateTime<FixedOffset> {
        self.updated_at
    }

    /// The steps the dossier is waiting in (several while parallel branches run).
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
    /// assert_eq!(dossier.active().len(), 1);
    /// assert_eq!(dossier.active()[0].step, "review");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn active(&self) -> &[ActiveStep] {
        &self.active
    }

    /// Identifiers of the active steps.
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
    /// assert_eq!(dossier.active_step_ids().collect::<Vec<_>>(), ["review"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn active_step_ids(&self) -> impl Iterator<Item = &str> {
        self.active.iter().map(|a| a.step.as_str())
    }

    /// Branches that arrived at a join step still waiting for the others, by step.
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
    /// // No parallel branches in this procedure.
    /// assert!(dossier.waiting_at_joins().is_empty());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn waiting_at_joins(&self) -> &BTreeMap<String, u32> {
        &self.arrived
    }

    /// The national status.
    ///
    /// ```
    /// use motcua::NationalStatus;
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
    /// assert_eq!(dossier.status(), NationalStatus::Received); // accepted at the desk
    /// assert_eq!(dossier.status().code(), 2);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn status(&self) -> NationalStatus {
        self.status
    }

    /// How the dossier ended, if it has.
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
    /// assert!(dossier.closure().is_none()); // still open
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// Whether the applicant's withdrawal request awaits an officer's decision.
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
    /// assert!(!dossier.withdrawal_requested());
    /// dossier.apply(&procedure, &Command {
    ///     id: "c3".into(),
    ///     at: at("2026-03-02T10:00:00+07:00"),
    ///     actor: Actor::citizen(),
    ///     expected_version: Some(2),
    ///     kind: CommandKind::RequestWithdrawal { reason: Some("Đổi tên doanh nghiệp".into()) },
    /// }).unwrap();
    /// assert!(dossier.withdrawal_requested());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn withdrawal_requested(&self) -> bool {
        self.withdrawal_requested
    }

    /// How many supplement requests were issued (more than one counts the dossier as late).
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
    /// assert_eq!(dossier.supplement_requests(), 0);
    /// dossier.apply(&procedure, &Command {
    ///     id: "c3".into(),
    ///     at: at("2026-03-02T10:00:00+07:00"),
    ///     actor: Actor::official("officer", "department_finance"),
    ///     expected_version: Some(2),
    ///     kind: CommandKind::act("request_supplement"),
    /// }).unwrap();
    /// assert_eq!(dossier.supplement_requests(), 1);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn supplement_requests(&self) -> u32 {
        self.supplement_requests
    }

    /// The decisions officers recorded (actions that `decides`), by name; a later action
    /// deciding the same name overrides the earlier value.
    ///
    /// ```
    /// use motcua::{Actor, Channel, Command, CommandKind, Dossier, Submission};
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/judicial-record-certificate.yaml"), "judicial-record-certificate.yaml", &library)?;
    /// # let sample = motcua::scenario::Scenario::from_yaml(include_str!("../../tests/scenarios/judicial-record-certificate-verification.yaml"), "verification.yaml")?;
    /// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// let submission = Submission::new("LLTP-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "00004")
    ///     .with_data(sample.submit.data, sample.submit.documents);
    /// let (mut dossier, _) = Dossier::submit(&procedure, submission).unwrap();
    /// let act = |id: &str, at: &str, actor: Actor, action: &str| Command {
    ///     id: id.into(), at: chrono::DateTime::parse_from_rfc3339(at).unwrap(), actor, expected_version: None,
    ///     kind: CommandKind::act(action),
    /// };
    /// dossier.apply(&procedure, &act("c2", "2026-03-02T09:30:00+07:00", Actor::official("one_stop_officer", "provincial_police"), "accept")).unwrap();
    /// assert!(dossier.decisions().is_empty());
    /// assert_eq!(dossier.deadline().appointment, at("2026-03-16T09:00:00+07:00")); // 10 working days
    ///
    /// let officer = Actor::official("judicial_records_officer", "provincial_police");
    /// dossier.apply(&procedure, &act("c3", "2026-03-03T10:00:00+07:00", officer, "request_verification")).unwrap();
    /// assert_eq!(dossier.decisions().get("verification_needed"), Some(&true));
    /// assert_eq!(dossier.deadline().case.as_deref(), Some("verification"));
    /// assert_eq!(dossier.deadline().appointment, at("2026-03-23T09:00:00+07:00")); // 15 working days
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn decisions(&self) -> &BTreeMap<String, bool> {
        &self.decisions
    }

    /// The legal clock and appointment.
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
    /// let deadline = dossier.deadline();
    /// assert_eq!(deadline.clock_start, at("2026-03-02T09:00:00+07:00"));
    /// assert_eq!(deadline.appointment, at("2026-03-05T09:00:00+07:00")); // 3 working days
    /// assert_eq!(deadline.first_appointment, deadline.appointment);
    /// assert!(!deadline.extended);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn deadline(&self) -> &Deadline {
        &self.deadline
    }

    /// The steps the dossier went through: the process-control slip.
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
    /// let receive = &dossier.log()[0];
    /// assert_eq!((receive.step.as_str(), receive.action.as_str()), ("receive", "accept"));
    /// assert_eq!((receive.allotted_minutes, receive.used_minutes), (240, 30));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn log(&self) -> &[StepRecord] {
        &self.log
    }

    /// Working minutes used per agency kind (the applicant's steps under `None`).
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
    /// let used = dossier.time_by_agency();
    /// assert_eq!(used.get(&Some("department_finance")), Some(&30));
    /// assert_eq!(used.get(&None), None); // no applicant step yet
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn time_by_agency(&self) -> BTreeMap<Option<&str>, u64> {
        let mut out = BTreeMap::new();
        for r in &self.log {
            *out.entry(r.agency.as_deref()).or_insert(0) += r.used_minutes;
        }
        out
    }

    /// SHA-256 (hex) of the last event: store it with the snapshot and pass it to
    /// [`verify_history`] to detect an altered last event or removed trailing events.
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
    /// assert_eq!(dossier.head().len(), 64); // SHA-256, hex
    /// assert!(motcua::verify_history(dossier.history(), Some(dossier.head())).is_ok());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn head(&self) -> &str {
        &self.head
    }

    /// Every event, in order.
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
    /// let history = dossier.history();
    /// assert!(matches!(history[0].kind, EventKind::Submitted { .. }));
    /// assert_eq!(history[1].command_id, "c2");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// The actions the active steps offer to people now, as `(step, action)` identifiers
    /// (timer actions are the engine's and not listed).
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
    /// assert_eq!(dossier.available_actions(&procedure), [("review", "request_supplement"), ("review", "propose")]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn available_actions<'p>(&self, procedure: &'p Procedure) -> Vec<(&'p str, &'p str)> {
        let mut out = Vec::new();
        for ix in self.active_ixs(procedure) {
            let step = procedure.step(ix);
            out.extend(step.actions.iter().filter(|a| a.after.is_none()).map(|a| (step.id.as_str(), a.id.as_str())));
        }
        out
    }
}

fn check_replayed(replayed: &Dossier, snapshot: &Dossier) -> Result<(), Rejection> {
    if replayed != snapshot {
        return Err(Rejection::new(
            Code::TamperedSnapshot,
            "snapshot",
            "Bản chụp hồ sơ khác với kết quả dựng lại từ lịch sử của nó: bản chụp đã bị sửa",
            "the snapshot differs from the replay of its own history: it was altered",
        ));
    }
    Ok(())
}

fn missing_version(code: &str, version: &str) -> Rejection {
    Rejection::new(
        Code::WrongProcedure,
        "procedure",
        format!("Không có thủ tục {code} phiên bản {version} để dựng lại hồ sơ"),
        format!("procedure {code} version {version} is not available to replay the dossier"),
    )
}
