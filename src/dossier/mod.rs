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
mod schema;
mod types;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use chain::verify_history;
pub use schema::runtime_schemas;
pub use types::{
    Actor, Applied, AppointmentCause, Command, CommandKind, Effect, EffectKind, Event, EventKind, Rejection, StepDue,
    Submission, TimerDue, Timing,
};

use crate::calendar::CalendarError;
use crate::compile::{OutcomeIx, Procedure, StepIx, Target};
use crate::diagnostic::Code;
use crate::document::SubmittedDocument;
use crate::limits::Limits;
use crate::spec::procedure::{Channel, Clock, OutcomeKind, SlipKind};
use crate::status::NationalStatus;

/// The role of the engine itself, the actor of timer events.
pub const SYSTEM_ROLE: &str = "system";

/// A step a dossier is waiting in.
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

/// A dossier's legal clock and appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Deadline {
    /// When the clock started (receipt, after the cut-off rule).
    pub clock_start: DateTime<FixedOffset>,
    /// The appointment now in force.
    pub appointment: DateTime<FixedOffset>,
    /// The appointment first given at receipt.
    pub first_appointment: DateTime<FixedOffset>,
    /// Since when the clock is suspended, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_since: Option<DateTime<FixedOffset>>,
    /// Working minutes of suspension so far (ended suspensions only).
    pub suspended_minutes: u64,
    /// Whether the deadline was extended with an apology.
    pub extended: bool,
    /// The provisional calendar days the appointment in force was counted across (see
    /// [`Calendar::provisional_days`](crate::Calendar::provisional_days)): for the
    /// receipt slip, "expected" until the notice is published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_days: Vec<NaiveDate>,
}

/// Early, on time, due soon or late (*trước hạn, đúng hạn, sắp đến hạn, trễ hạn*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Punctuality {
    /// Finished on a day before the due day.
    Early,
    /// Finished by the due instant, or open with time to spare.
    OnTime,
    /// Open, with less than the procedure's `due_soon` working time left.
    DueSoon,
    /// Past the due instant.
    Late,
}

impl Punctuality {
    /// Vietnamese and English label.
    pub fn label(self) -> crate::diagnostic::Message {
        let (vi, en) = match self {
            Punctuality::Early => ("Trước hạn", "Early"),
            Punctuality::OnTime => ("Đúng hạn", "On time"),
            Punctuality::DueSoon => ("Sắp đến hạn", "Due soon"),
            Punctuality::Late => ("Trễ hạn", "Late"),
        };
        crate::diagnostic::Message::new(vi, en)
    }

    /// Judged on the calendar's clock: `due` is always in the calendar's offset (the engine
    /// computes it there), so `finished` is read in the same offset, whatever offset it
    /// was written in.
    fn of_finish(finished: DateTime<FixedOffset>, due: DateTime<FixedOffset>) -> Punctuality {
        let finished = finished.with_timezone(due.offset());
        if finished > due {
            Punctuality::Late
        } else if finished.date_naive() < due.date_naive() {
            Punctuality::Early
        } else {
            Punctuality::OnTime
        }
    }
}

/// One line of the process-control slip (*phiếu kiểm soát quá trình*): a step the dossier
/// went through, who sent it on, the time allotted and the working time it took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StepRecord {
    /// The step.
    pub step: String,
    /// Its agency kind (absent for the applicant's steps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The administrative unit that handled it (when the library has units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// When the dossier entered it.
    pub entered: DateTime<FixedOffset>,
    /// When it left.
    pub left: DateTime<FixedOffset>,
    /// The action that moved it on.
    pub action: String,
    /// Who took that action (the sender on the slip).
    pub by: Actor,
    /// End of the allotted time, if the step had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<FixedOffset>>,
    /// Allotted working minutes (0 when the step has no budget or its clock is suspended).
    pub allotted_minutes: u64,
    /// Working minutes it took.
    pub used_minutes: u64,
}

impl StepRecord {
    /// Whether the step finished early, on time or late (`None` without a budget).
    pub fn punctuality(&self) -> Option<Punctuality> {
        self.due.map(|due| Punctuality::of_finish(self.left, due))
    }
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

/// What one target of an action does.
#[derive(Clone, Copy, Debug)]
enum Reach {
    /// The step starts.
    Start(StepIx),
    /// The branch arrives at a join that still waits for others.
    Arrive(StepIx),
    /// The step is already active.
    Stay(StepIx),
    /// The dossier closes.
    Close(OutcomeIx),
}

/// What a checked event will do, computed before anything changes.
enum Plan {
    Act { pos: usize, step: StepIx, action: usize, reach: Vec<Reach> },
    RequestWithdrawal,
    DeclineWithdrawal,
    Withdraw,
    Extend { appointment: DateTime<FixedOffset> },
}

/// Collects effects with their idempotency keys.
struct Effects<'a> {
    dossier: &'a str,
    seq: u64,
    out: Vec<Effect>,
}

impl Effects<'_> {
    fn push(&mut self, kind: EffectKind) {
        // `<dossier>/<seq>/<n>`, built without the formatting machinery: this runs for
        // every effect of every command.
        let mut key = String::with_capacity(self.dossier.len() + 12);
        key.push_str(self.dossier);
        key.push('/');
        push_decimal(&mut key, self.seq);
        key.push('/');
        push_decimal(&mut key, self.out.len() as u64);
        self.out.push(Effect { key, kind });
    }
}

/// With units loaded, a dossier is filed with a listed unit from which every agency step
/// of the procedure resolves (the unit is at or below the lowest level that handles it).
fn check_jurisdiction(procedure: &Procedure, jurisdiction: &str) -> Result<(), Rejection> {
    let Some(units) = procedure.units() else { return Ok(()) };
    if !units.contains(jurisdiction) {
        return Err(Rejection::new(
            Code::UnknownUnit,
            "jurisdiction",
            format!("Đơn vị hành chính `{jurisdiction}` không có trong danh sách"),
            format!("administrative unit `{jurisdiction}` is not listed"),
        ));
    }
    for (i, step) in procedure.steps().iter().enumerate() {
        if let Some(level) = &step.level
            && unit_of(procedure, jurisdiction, StepIx(i as u32)).is_none()
        {
            return Err(Rejection::new(
                Code::UnknownUnit,
                "jurisdiction",
                format!("Bước `{}` do cấp `{level}` xử lý: hồ sơ phải nộp cho đơn vị ở cấp đó hoặc thấp hơn", step.id),
                format!(
                    "step `{}` is handled at level `{level}`: file the dossier with a unit at or below it",
                    step.id
                ),
            ));
        }
    }
    Ok(())
}

/// An official acting on a step handled by `unit` must say they belong to it.
fn check_unit(actor: &Actor, unit: Option<&str>) -> Result<(), Rejection> {
    let Some(unit) = unit else { return Ok(()) };
    if actor.unit.as_deref() == Some(unit) {
        return Ok(());
    }
    let (vi, en) = match &actor.unit {
        Some(theirs) => (
            format!("Bước này do đơn vị `{unit}` xử lý; người thực hiện thuộc đơn vị `{theirs}`"),
            format!("the step is handled by unit `{unit}`; the actor belongs to unit `{theirs}`"),
        ),
        None => (
            format!("Bước này do đơn vị `{unit}` xử lý; người thực hiện phải nêu đơn vị của mình (`unit`)"),
            format!("the step is handled by unit `{unit}`; the actor must name their unit (`unit`)"),
        ),
    };
    Err(Rejection::new(Code::WrongUnit, "actor.unit", vi, en))
}

/// Whether `command` is the request that produced `event` (a retry), not another one
/// that reuses its id.
fn same_request(event: &Event, command: &Command) -> bool {
    if event.actor != command.actor || event.at != command.at {
        return false;
    }
    match (&event.kind, &command.kind) {
        (
            EventKind::ActionTaken { step, action, data, documents },
            CommandKind::Act { action: a, step: s, data: d, documents: docs },
        ) => action == a && s.as_ref().is_none_or(|s| s == step) && data == d && documents == docs,
        (EventKind::WithdrawalRequested { reason }, CommandKind::RequestWithdrawal { reason: r }) => reason == r,
        (EventKind::Withdrawn, CommandKind::ConfirmWithdrawal) => true,
        (EventKind::WithdrawalDeclined { reason }, CommandKind::DeclineWithdrawal { reason: r }) => reason == r,
        (EventKind::Extended { appointment, reason }, CommandKind::Extend { appointment: a, reason: r }) => {
            appointment == a && reason == r
        }
        _ => false,
    }
}

fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

fn calendar_error(e: CalendarError) -> Rejection {
    Rejection { code: e.code(), field: "at".into(), message: e.message().clone(), problems: Vec::new() }
}

/// The date of `at` on the procedure's calendar: the `today` of form rules and guards.
fn today(procedure: &Procedure, at: DateTime<FixedOffset>) -> chrono::NaiveDate {
    at.with_timezone(&procedure.calendar().offset()).date_naive()
}

/// Validates form data and documents; every problem at once, as one rejection.
fn validate(
    procedure: &Procedure,
    data: &serde_json::Value,
    documents: &[SubmittedDocument],
    at: DateTime<FixedOffset>,
    field: &str,
) -> Result<(), Rejection> {
    let empty = serde_json::Value::Object(serde_json::Map::new());
    let data = if data.is_null() { &empty } else { data };
    let validation = procedure.form().validate(data, documents, today(procedure, at));
    if validation.is_valid() {
        return Ok(());
    }
    let n = validation.problems.len();
    let mut rejection = Rejection::new(
        Code::InvalidForm,
        field,
        format!("Hồ sơ có {n} lỗi cần sửa"),
        format!("the dossier has {n} problem(s) to correct"),
    );
    rejection.problems = validation.problems;
    Err(rejection)
}

/// Whether the legal clock runs while these steps are active.
fn clock_runs(procedure: &Procedure, steps: impl IntoIterator<Item = StepIx>) -> bool {
    steps.into_iter().any(|s| procedure.step(s).clock == Clock::Runs)
}

/// Due instant and earliest timer of a step started at `at`.
/// The unit handling `step` of a dossier filed with `jurisdiction` (see
/// [`crate::handoff::receiving_unit`]).
fn unit_of(procedure: &Procedure, jurisdiction: &str, step: StepIx) -> Option<String> {
    crate::handoff::receiving_unit(procedure.units()?, jurisdiction, procedure.step(step).level.as_deref())
}

fn step_due(
    procedure: &Procedure,
    step: StepIx,
    at: DateTime<FixedOffset>,
    jurisdiction: &str,
) -> Result<StepDue, Rejection> {
    let s = procedure.step(step);
    let calendar = procedure.calendar();
    let due = if s.clock == Clock::Runs && !s.budget.is_zero() {
        Some(calendar.add(at, s.budget).map_err(calendar_error)?)
    } else {
        None
    };
    let mut timer: Option<TimerDue> = None;
    for action in &s.actions {
        if let Some(after) = action.after {
            let fires = calendar.add(at, after).map_err(calendar_error)?;
            if timer.as_ref().is_none_or(|t| fires < t.at) {
                timer = Some(TimerDue { action: action.id.clone(), at: fires });
            }
        }
    }
    Ok(StepDue { step: s.id.clone(), due, timer, unit: unit_of(procedure, jurisdiction, step) })
}

impl Dossier {
    /// Opens a dossier from a submission: starts the legal clock (after the cut-off hour)
    /// and sets the appointment. Returns the dossier and what the host must do.
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
        let appointment = calendar.add(clock_start, procedure.spec().legal_deadline).map_err(calendar_error)?;
        let first = step_due(procedure, StepIx(0), clock_start, &submission.jurisdiction)?;
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
                ..Timing::default()
            },
        };
        let (dossier, effects) = Dossier::from_submitted(procedure, event)?;
        let applied = Applied { events: dossier.history.clone(), effects, duplicate: false, problems };
        Ok((dossier, applied))
    }

    fn from_submitted(procedure: &Procedure, event: Event) -> Result<(Dossier, Vec<Effect>), Rejection> {
        let EventKind::Submitted { dossier_id, procedure: code, version, channel, jurisdiction, data, documents } =
            &event.kind
        else {
            return Err(history_error(
                event.seq,
                "sự kiện đầu tiên phải là nộp hồ sơ",
                "the first event must be the submission",
            ));
        };
        if code != procedure.code() || version != procedure.version() {
            return Err(Rejection::new(
                Code::WrongProcedure,
                "procedure",
                format!(
                    "Hồ sơ thuộc thủ tục {code} phiên bản {version}, không phải {} phiên bản {}",
                    procedure.code(),
                    procedure.version()
                ),
                format!(
                    "the dossier belongs to procedure {code} version {version}, not {} version {}",
                    procedure.code(),
                    procedure.version()
                ),
            ));
        }
        let (Some(clock_start), Some(appointment)) = (event.timing.clock_start, event.timing.appointment) else {
            return Err(history_error(1, "thiếu thời hạn", "the submission carries no deadline"));
        };
        let start = procedure.start();
        let first = event.timing.started.first();
        let due = first.and_then(|s| s.due);
        let mut effects = Effects { dossier: dossier_id, seq: 1, out: Vec::new() };
        effects.push(EffectKind::StatusChanged { from: None, to: start.status });
        let unit = first.and_then(|s| s.unit.clone());
        effects.push(EffectKind::StepStarted {
            step: start.id.clone(),
            agency: start.agency.clone(),
            role: start.role.clone(),
            unit: unit.clone(),
            due,
        });
        let provisional_days = event.timing.provisional_days.clone();
        effects.push(EffectKind::AppointmentSet {
            appointment,
            cause: AppointmentCause::Submitted,
            provisional_days: provisional_days.clone(),
        });
        let runs = clock_runs(procedure, [StepIx(0)]);
        if !runs {
            effects.push(EffectKind::ClockSuspended);
        }
        let out = effects.out;
        let dossier = Dossier {
            id: dossier_id.clone(),
            procedure: code.clone(),
            procedure_version: version.clone(),
            version: 1,
            channel: *channel,
            jurisdiction: jurisdiction.clone(),
            data: data.clone(),
            documents: documents.clone(),
            submitted_at: event.at,
            updated_at: event.at,
            active: vec![ActiveStep {
                step: start.id.clone(),
                since: clock_start,
                due,
                timer: first.and_then(|s| s.timer.clone()),
                unit,
            }],
            arrived: BTreeMap::new(),
            status: start.status,
            closure: None,
            withdrawal_requested: false,
            supplement_requests: 0,
            deadline: Deadline {
                clock_start,
                appointment,
                first_appointment: appointment,
                suspended_since: (!runs).then_some(clock_start),
                suspended_minutes: 0,
                extended: false,
                provisional_days,
            },
            log: Vec::new(),
            head: chain::event_hash(&event),
            history: vec![event],
            derived: Derived { checked: true, last_effects: out.clone() },
        };
        Ok((dossier, out))
    }

    /// Applies a command with default [`Limits`]. See [`Dossier::apply_with_limits`].
    pub fn apply(&mut self, procedure: &Procedure, command: &Command) -> Result<Applied, Rejection> {
        self.apply_with_limits(procedure, command, &Limits::default())
    }

    /// Applies a command: checks it completely, then records one event.
    ///
    /// - A command whose `id` was already applied returns the original events and
    ///   effects with `duplicate: true` and changes nothing.
    /// - Otherwise any problem is a [`Rejection`] and the dossier is untouched.
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
                EventKind::ActionTaken {
                    step,
                    action: action.clone(),
                    data: data.clone(),
                    documents: documents.clone(),
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
    pub fn advance(&mut self, procedure: &Procedure, now: DateTime<FixedOffset>) -> Result<Applied, Rejection> {
        self.advance_with_limits(procedure, now, &Limits::default())
    }

    /// [`Dossier::advance`] with the host's [`Limits`] (`max_history` bounds the events the
    /// timers may add, as it bounds commands).
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

    /// The earliest timer due at or before `now`.
    fn due_timer(&self, now: DateTime<FixedOffset>) -> Option<(String, TimerDue)> {
        if self.closure.is_some() {
            return None;
        }
        self.active
            .iter()
            .filter_map(|a| a.timer.as_ref().filter(|t| t.at <= now).map(|t| (a.step.clone(), t.clone())))
            .min_by_key(|(_, t)| t.at)
    }

    /// When the host should call [`Dossier::advance`] next: the earliest pending timer.
    /// `None` when no timer is pending (index the dossier by this value).
    pub fn next_due(&self) -> Option<DateTime<FixedOffset>> {
        if self.closure.is_some() {
            return None;
        }
        self.active.iter().filter_map(|a| a.timer.as_ref().map(|t| t.at)).min()
    }

    /// Rebuilds a dossier from its events with the procedure version it was opened under.
    ///
    /// Every event is checked as a command would be (order, times, steps, actors), so an
    /// altered history is refused with [`Code::InvalidHistory`] or [`Code::WrongProcedure`].
    /// Deadlines are taken from the events, not recomputed.
    pub fn replay(procedure: &Procedure, events: &[Event]) -> Result<Dossier, Rejection> {
        let Some(first) = events.first() else {
            return Err(Rejection::new(Code::InvalidHistory, "events", "Lịch sử trống", "the history is empty"));
        };
        if first.seq != 1 {
            return Err(history_error(first.seq, "số thứ tự phải bắt đầu từ 1", "sequence numbers start at 1"));
        }
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
        if let Some(head) = head
            && snapshot.head != head
        {
            return Err(Rejection::new(
                Code::TamperedSnapshot,
                "head",
                "Bản chụp hồ sơ không kết thúc ở sự kiện cuối cùng đã lưu",
                "the snapshot does not end at the stored last event",
            ));
        }
        snapshot.check_procedure(procedure)?;
        let replayed = Dossier::replay(procedure, &snapshot.history)?;
        if replayed != snapshot {
            return Err(Rejection::new(
                Code::TamperedSnapshot,
                "snapshot",
                "Bản chụp hồ sơ khác với kết quả dựng lại từ lịch sử của nó: bản chụp đã bị sửa",
                "the snapshot differs from the replay of its own history: it was altered",
            ));
        }
        Ok(replayed)
    }

    /// The outcome of an already-applied command id, if any: the original events and
    /// effects when `command` is the same request (same actor, time and body), a
    /// [`Code::IdempotencyConflict`] when the id was used for another request.
    fn original_outcome(&self, procedure: &Procedure, command: &Command) -> Option<Result<Applied, Rejection>> {
        let first = self.history.iter().position(|e| e.command_id == command.id)?;
        let original = &self.history[first];
        if !same_request(original, command) {
            return Some(Err(Rejection::new(
                Code::IdempotencyConflict,
                "id",
                format!("Mã lệnh `{}` đã được dùng cho một lệnh khác", command.id),
                format!("command id `{}` was already used for another command", command.id),
            )));
        }
        let events = vec![original.clone()];
        let effects = if first + 1 == self.history.len() && !self.derived.last_effects.is_empty() {
            self.derived.last_effects.clone()
        } else {
            match self.effects_of(procedure, original.seq) {
                Ok(effects) => effects,
                Err(_) => {
                    return Some(Err(Rejection::new(
                        Code::InvalidHistory,
                        "id",
                        format!("Không dựng lại được kết quả ban đầu của lệnh `{}`", command.id),
                        format!("the original outcome of command `{}` cannot be reproduced", command.id),
                    )));
                }
            }
        };
        Some(Ok(Applied { events, effects, duplicate: true, problems: Vec::new() }))
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
            return Dossier::from_submitted(procedure, event.clone()).map(|(_, effects)| effects);
        }
        let mut before = Dossier::replay(procedure, &self.history[..index])?;
        let plan = before.plan(procedure, event)?;
        Ok(before.commit(procedure, event.clone(), plan))
    }

    fn check_checked(&self) -> Result<(), Rejection> {
        if self.derived.checked {
            return Ok(());
        }
        Err(Rejection::new(
            Code::UncheckedSnapshot,
            "snapshot",
            "Hồ sơ đọc từ bản chụp phải được kiểm tra bằng Dossier::from_snapshot trước khi xử lý",
            "a dossier read from a snapshot must be checked with Dossier::from_snapshot before it takes commands",
        ))
    }

    /// The sequence number of the next event, without wrapping.
    fn next_seq(&self) -> Result<u64, Rejection> {
        self.version.checked_add(1).ok_or_else(|| {
            Rejection::new(
                Code::LimitExceeded,
                "version",
                "Hồ sơ đã đạt số phiên bản tối đa",
                "the dossier reached the highest version number",
            )
        })
    }

    fn check_procedure(&self, procedure: &Procedure) -> Result<(), Rejection> {
        if self.procedure == procedure.code() && self.procedure_version == procedure.version() {
            return Ok(());
        }
        Err(Rejection::new(
            Code::WrongProcedure,
            "procedure",
            format!("Hồ sơ thuộc thủ tục {} phiên bản {}", self.procedure, self.procedure_version),
            format!("the dossier belongs to procedure {} version {}", self.procedure, self.procedure_version),
        ))
    }

    fn check_history_room(&self, limits: &Limits) -> Result<(), Rejection> {
        if self.history.len() < limits.max_history {
            return Ok(());
        }
        Err(Rejection::new(
            Code::LimitExceeded,
            "id",
            format!("Hồ sơ đã có {} sự kiện, tối đa {}", self.history.len(), limits.max_history),
            format!("the dossier has {} events, at most {}", self.history.len(), limits.max_history),
        ))
    }

    /// Finds the active step a command means.
    fn resolve_step(&self, procedure: &Procedure, action: &str, step: Option<&str>) -> Result<String, Rejection> {
        if let Some(step) = step {
            return Ok(step.to_owned());
        }
        let mut offering = self
            .active
            .iter()
            .filter(|a| procedure.step_ix(&a.step).is_some_and(|ix| procedure.step(ix).action(action).is_some()));
        match (offering.next(), offering.next()) {
            (Some(only), None) => Ok(only.step.clone()),
            (Some(_), Some(_)) => Err(Rejection::new(
                Code::AmbiguousStep,
                "step",
                format!("Nhiều bước đang xử lý có thao tác `{action}`; hãy chỉ rõ `step`"),
                format!("several active steps offer `{action}`; name the `step`"),
            )),
            (None, _) => Err(unknown_action(action)),
        }
    }

    /// What each target of an action does, counting join arrivals as they will be.
    fn reach(&self, procedure: &Procedure, step: StepIx, action: usize) -> Vec<Reach> {
        let mut arrivals: BTreeMap<StepIx, u32> = BTreeMap::new();
        let mut out = Vec::new();
        for target in &procedure.step(step).actions[action].targets {
            match *target {
                Target::Outcome(o) => {
                    out.push(Reach::Close(o));
                    break;
                }
                Target::Step(t) => {
                    let s = procedure.step(t);
                    if let Some(branches) = s.join_branches {
                        let n = arrivals.entry(t).or_insert_with(|| self.arrived.get(&s.id).copied().unwrap_or(0));
                        *n += 1;
                        if *n < branches {
                            out.push(Reach::Arrive(t));
                            continue;
                        }
                    }
                    let already = self.active.iter().any(|a| a.step == s.id)
                        || out.iter().any(|r| matches!(r, Reach::Start(x) if *x == t));
                    out.push(if already { Reach::Stay(t) } else { Reach::Start(t) });
                }
            }
        }
        out
    }

    /// The steps active after an action, for the clock: none if it closes the dossier.
    fn steps_after(&self, procedure: &Procedure, pos: usize, reach: &[Reach]) -> Option<Vec<StepIx>> {
        if reach.iter().any(|r| matches!(r, Reach::Close(_))) {
            return None;
        }
        let mut steps: Vec<StepIx> = self
            .active
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != pos)
            .filter_map(|(_, a)| procedure.step_ix(&a.step))
            .collect();
        steps.extend(reach.iter().filter_map(|r| if let Reach::Start(t) = r { Some(*t) } else { None }));
        Some(steps)
    }

    fn active_ixs<'a>(&'a self, procedure: &'a Procedure) -> impl Iterator<Item = StepIx> + 'a {
        self.active.iter().filter_map(|a| procedure.step_ix(&a.step))
    }

    /// Checks an event against the current state without changing anything.
    fn plan(&self, procedure: &Procedure, event: &Event) -> Result<Plan, Rejection> {
        if self.closure.is_some() {
            return Err(closed());
        }
        let actor = &event.actor;
        match &event.kind {
            EventKind::Submitted { .. } => Err(Rejection::new(
                Code::InvalidHistory,
                "type",
                "Hồ sơ đã được nộp",
                "the dossier was already submitted",
            )),
            EventKind::ActionTaken { step, action, .. } | EventKind::TimerFired { step, action } => {
                let timer = matches!(event.kind, EventKind::TimerFired { .. });
                let pos = self.active.iter().position(|a| &a.step == step).ok_or_else(|| {
                    Rejection::new(
                        Code::StepNotActive,
                        "step",
                        format!("Bước `{step}` không ở trạng thái đang xử lý"),
                        format!("step `{step}` is not active"),
                    )
                })?;
                let six = procedure.step_ix(step).ok_or_else(|| unknown_action(action))?;
                let (a, spec) = procedure.step(six).action(action).ok_or_else(|| unknown_action(action))?;
                if timer {
                    let fires = self.active[pos].timer.as_ref().filter(|t| t.action == *action).map(|t| t.at);
                    if actor.role != SYSTEM_ROLE || fires.is_none_or(|at| event.at < at) {
                        return Err(Rejection::new(
                            Code::InvalidHistory,
                            "type",
                            format!("Hẹn giờ `{action}` chưa đến hạn"),
                            format!("timer `{action}` is not due"),
                        ));
                    }
                } else {
                    if spec.after.is_some() {
                        return Err(Rejection::new(
                            Code::Forbidden,
                            "action",
                            format!("Thao tác `{action}` do hệ thống tự thực hiện khi hết hạn"),
                            format!("action `{action}` is a timer: the engine takes it when it is due"),
                        ));
                    }
                    let agency_ok = spec.agency.is_none() || actor.agency == spec.agency;
                    if actor.role != spec.role || !agency_ok {
                        let who = match &spec.agency {
                            Some(agency) => format!("{} @ {agency}", spec.role),
                            None => spec.role.clone(),
                        };
                        return Err(Rejection::new(
                            Code::Forbidden,
                            "actor",
                            format!("Thao tác `{action}` chỉ dành cho {who}"),
                            format!("action `{action}` is reserved for {who}"),
                        ));
                    }
                    if !procedure.is_citizen_role(&actor.role) {
                        check_unit(actor, self.active[pos].unit.as_deref())?;
                    }
                    self.check_data_and_guard(procedure, event, spec)?;
                }
                Ok(Plan::Act { pos, step: six, action: a, reach: self.reach(procedure, six, a) })
            }
            EventKind::WithdrawalRequested { .. } => {
                // The applicant: the citizen role and, when the submission named its user,
                // that same user.
                let applicant = self.history.first().map(|e| &e.actor).filter(|a| procedure.is_citizen_role(&a.role));
                let same_user =
                    applicant.and_then(|a| a.user.as_ref()).is_none_or(|user| actor.user.as_ref() == Some(user));
                if !procedure.is_citizen_role(&actor.role) || !same_user {
                    return Err(Rejection::new(
                        Code::Forbidden,
                        "actor",
                        "Chỉ người nộp hồ sơ mới được yêu cầu rút hồ sơ",
                        "only the applicant may ask to withdraw",
                    ));
                }
                let result_ready =
                    self.active_ixs(procedure).any(|ix| procedure.step(ix).status == NationalStatus::Finished);
                let (vi, en) = if !procedure.spec().withdrawal {
                    ("Thủ tục này không cho phép rút hồ sơ", "this procedure does not allow withdrawal")
                } else if self.withdrawal_requested {
                    ("Đã có yêu cầu rút hồ sơ đang chờ quyết định", "a withdrawal request is already pending")
                } else if result_ready {
                    (
                        "Đã có kết quả nên không thể rút hồ sơ",
                        "the result is ready: the dossier can no longer be withdrawn",
                    )
                } else {
                    return Ok(Plan::RequestWithdrawal);
                };
                Err(Rejection::new(Code::WithdrawalNotAllowed, "type", vi, en))
            }
            EventKind::Withdrawn | EventKind::WithdrawalDeclined { .. } => {
                if !self.withdrawal_requested {
                    return Err(Rejection::new(
                        Code::WithdrawalNotAllowed,
                        "type",
                        "Người nộp chưa yêu cầu rút hồ sơ",
                        "the applicant has not asked to withdraw",
                    ));
                }
                self.check_responsible(procedure, actor, "quyết định việc rút hồ sơ", "decide on the withdrawal")?;
                Ok(if matches!(event.kind, EventKind::Withdrawn) { Plan::Withdraw } else { Plan::DeclineWithdrawal })
            }
            EventKind::Extended { appointment, reason } => {
                self.check_responsible(procedure, actor, "gia hạn", "extend the deadline")?;
                if reason.trim().is_empty() {
                    return Err(Rejection::new(
                        Code::InvalidCommand,
                        "reason",
                        "Phiếu xin lỗi và hẹn lại phải nêu lý do",
                        "an extension must give its reason",
                    ));
                }
                if *appointment <= self.deadline.appointment || *appointment <= event.at {
                    return Err(Rejection::new(
                        Code::InvalidCommand,
                        "appointment",
                        "Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm gia hạn",
                        "the new appointment must be later than the current one and than now",
                    ));
                }
                // On the calendar's clock, like every appointment the engine computes.
                Ok(Plan::Extend { appointment: appointment.with_timezone(&procedure.calendar().offset()) })
            }
        }
    }

    /// Validates data an action brings and evaluates the action's guard on the data the
    /// dossier will have.
    fn check_data_and_guard(
        &self,
        procedure: &Procedure,
        event: &Event,
        action: &crate::compile::Action,
    ) -> Result<(), Rejection> {
        let EventKind::ActionTaken { data: new_data, documents: new_documents, .. } = &event.kind else {
            return Ok(());
        };
        let data = new_data.as_ref().unwrap_or(&self.data);
        let documents = new_documents.as_deref().unwrap_or(&self.documents);
        if new_data.is_some() || new_documents.is_some() {
            validate(procedure, data, documents, event.at, "data")?;
        }
        let Some(guard) = &action.guard else { return Ok(()) };
        let empty = serde_json::Value::Object(serde_json::Map::new());
        let data = if data.is_null() { &empty } else { data };
        match procedure.form().eval_condition(guard, data, documents, today(procedure, event.at)) {
            Ok(true) => Ok(()),
            Ok(false) => Err(Rejection::new(
                Code::GuardFailed,
                "action",
                format!("Chưa đủ điều kiện để thực hiện `{}`: {}", action.id, guard.source()),
                format!("the condition of `{}` does not hold: {}", action.id, guard.source()),
            )),
            Err(e) => Err(Rejection {
                code: Code::GuardFailed,
                field: "action".into(),
                message: e.message,
                problems: Vec::new(),
            }),
        }
    }

    /// An officer of an agency handling the dossier, in a role the procedure gives that
    /// agency (a step's or an action's): not the applicant, not the engine, not a role the
    /// agency has no part in.
    fn check_responsible(&self, procedure: &Procedure, actor: &Actor, vi: &str, en: &str) -> Result<(), Rejection> {
        let role_of_agency = procedure.steps().iter().any(|s| {
            (s.agency == actor.agency && s.role == actor.role)
                || s.actions.iter().any(|a| a.agency == actor.agency && a.role == actor.role)
        });
        let handles = actor.agency.is_some()
            && role_of_agency
            && actor.role != SYSTEM_ROLE
            && !procedure.is_citizen_role(&actor.role);
        // The units in which the actor's agency kind handles the dossier now.
        let units: Vec<Option<&str>> = self
            .responsible(procedure)
            .filter(|(agency, _)| Some(*agency) == actor.agency.as_deref())
            .map(|(_, unit)| unit)
            .collect();
        if handles && !units.is_empty() {
            if units.contains(&actor.unit.as_deref()) {
                return Ok(());
            }
            return check_unit(actor, units.iter().flatten().next().copied());
        }
        Err(Rejection::new(
            Code::Forbidden,
            "actor",
            format!("Chỉ cơ quan đang xử lý hồ sơ mới được {vi}"),
            format!("only an agency handling the dossier may {en}"),
        ))
    }

    /// Computes, on the calendar, the deadlines an event fixes. Live commands only:
    /// replay takes them from the event.
    fn timing(&self, procedure: &Procedure, event: &Event, plan: &Plan) -> Result<Timing, Rejection> {
        let Plan::Act { pos, reach, .. } = plan else { return Ok(Timing::default()) };
        let calendar = procedure.calendar();
        let mut timing = Timing {
            used_minutes: Some(calendar.elapsed(self.active[*pos].since, event.at).map_err(calendar_error)?),
            ..Timing::default()
        };
        for r in reach {
            if let Reach::Start(t) = r {
                timing.started.push(step_due(procedure, *t, event.at, &self.jurisdiction)?);
            }
        }
        let before = clock_runs(procedure, self.active_ixs(procedure));
        if let (false, Some(after), Some(since)) =
            (before, self.steps_after(procedure, *pos, reach), self.deadline.suspended_since)
            && clock_runs(procedure, after)
        {
            let suspended = calendar.elapsed(since, event.at).map_err(calendar_error)?;
            timing.resumed_after = Some(suspended);
            let appointment = calendar.add_minutes(self.deadline.appointment, suspended).map_err(calendar_error)?;
            timing.appointment = Some(appointment);
            timing.provisional_days = calendar.provisional_days(self.deadline.clock_start, appointment);
        }
        Ok(timing)
    }

    /// Applies a checked event. Infallible: every check happened in [`Dossier::plan`], and
    /// every calendar computation is in the event's timing.
    fn commit(&mut self, procedure: &Procedure, event: Event, plan: Plan) -> Vec<Effect> {
        let at = event.at;
        let id = self.id.clone();
        let mut fx = Effects { dossier: &id, seq: event.seq, out: Vec::new() };
        let status_before = self.status;
        match plan {
            Plan::Act { pos, step, action, reach } => {
                let runs_before = clock_runs(procedure, self.active.iter().filter_map(|a| procedure.step_ix(&a.step)));
                let from = procedure.step(step);
                let action = &from.actions[action];
                if let EventKind::ActionTaken { data, documents, .. } = &event.kind {
                    if let Some(data) = data {
                        self.data = data.clone();
                    }
                    if let Some(documents) = documents {
                        self.documents = documents.clone();
                    }
                }
                let left = self.active.remove(pos);
                if let Some(join) = action.join {
                    // A fork (re)starts its branches: arrivals of an earlier round no longer count.
                    self.arrived.remove(&procedure.step(join).id);
                }
                self.log.push(StepRecord {
                    step: left.step,
                    agency: from.agency.clone(),
                    unit: left.unit,
                    entered: left.since,
                    left: at,
                    action: action.id.clone(),
                    by: event.actor.clone(),
                    due: left.due,
                    allotted_minutes: if from.clock == Clock::Runs {
                        from.budget.to_minutes(procedure.calendar().day_minutes())
                    } else {
                        0
                    },
                    used_minutes: event.timing.used_minutes.unwrap_or(0),
                });
                if let Some(slip) = action.slip {
                    if slip == SlipKind::SupplementRequest {
                        self.supplement_requests += 1;
                    }
                    fx.push(EffectKind::Slip { slip, step: from.id.clone(), action: action.id.clone() });
                }
                let mut dues = event.timing.started.iter();
                for r in reach {
                    let target = match r {
                        Reach::Close(o) => {
                            let outcome = procedure.outcome(o);
                            self.close(procedure, &mut fx, outcome.id.clone(), outcome.kind, at);
                            break;
                        }
                        Reach::Start(t) | Reach::Arrive(t) | Reach::Stay(t) => t,
                    };
                    let to = procedure.step(target);
                    let started = match r {
                        Reach::Start(_) => dues.next().filter(|d| d.step == to.id),
                        _ => None,
                    };
                    if let Some((_, route)) = action.handoffs.iter().find(|(s, _)| *s == target) {
                        let to_unit = match started {
                            Some(d) => d.unit.clone(),
                            None => unit_of(procedure, &self.jurisdiction, target),
                        };
                        fx.push(EffectKind::HandOff {
                            from_step: from.id.clone(),
                            to_step: to.id.clone(),
                            from_agency: route.from_agency.clone(),
                            to_agency: route.to_agency.clone(),
                            to_level: route.to_level.clone(),
                            direction: route.direction,
                            jurisdiction: self.jurisdiction.clone(),
                            to_unit,
                            data: to.receives.data_of(&self.data),
                            documents: to.receives.documents_of(&self.documents),
                        });
                    }
                    match r {
                        Reach::Arrive(_) => *self.arrived.entry(to.id.clone()).or_insert(0) += 1,
                        Reach::Start(_) => {
                            self.arrived.remove(&to.id);
                            let (due, timer, unit) =
                                started.map(|d| (d.due, d.timer.clone(), d.unit.clone())).unwrap_or_default();
                            self.active.push(ActiveStep {
                                step: to.id.clone(),
                                since: at,
                                due,
                                timer,
                                unit: unit.clone(),
                            });
                            fx.push(EffectKind::StepStarted {
                                step: to.id.clone(),
                                agency: to.agency.clone(),
                                role: to.role.clone(),
                                unit,
                                due,
                            });
                        }
                        Reach::Stay(_) | Reach::Close(_) => {}
                    }
                }
                if self.closure.is_none() {
                    let runs_after =
                        clock_runs(procedure, self.active.iter().filter_map(|a| procedure.step_ix(&a.step)));
                    if runs_before && !runs_after {
                        self.deadline.suspended_since = Some(at);
                        fx.push(EffectKind::ClockSuspended);
                    } else if !runs_before && runs_after {
                        let suspended = event.timing.resumed_after.unwrap_or(0);
                        self.deadline.suspended_since = None;
                        self.deadline.suspended_minutes += suspended;
                        fx.push(EffectKind::ClockResumed { suspended_minutes: suspended });
                        if let Some(appointment) = event.timing.appointment {
                            self.deadline.appointment = appointment;
                            let provisional_days = event.timing.provisional_days.clone();
                            self.deadline.provisional_days = provisional_days.clone();
                            fx.push(EffectKind::AppointmentSet {
                                appointment,
                                cause: AppointmentCause::Resumed,
                                provisional_days,
                            });
                        }
                    }
                }
            }
            Plan::RequestWithdrawal => self.withdrawal_requested = true,
            Plan::DeclineWithdrawal => self.withdrawal_requested = false,
            Plan::Withdraw => {
                let (outcome, kind) = match procedure.outcome_of_kind(OutcomeKind::Withdrawn) {
                    Some(o) => (o.id.clone(), o.kind),
                    None => ("withdrawn".to_owned(), OutcomeKind::Withdrawn),
                };
                self.withdrawal_requested = false;
                self.close(procedure, &mut fx, outcome, kind, at);
            }
            Plan::Extend { appointment } => {
                self.deadline.appointment = appointment;
                self.deadline.extended = true;
                self.deadline.provisional_days = Vec::new();
                let step = self.active.first().map(|a| a.step.clone()).unwrap_or_default();
                fx.push(EffectKind::Slip { slip: SlipKind::ApologyExtension, step, action: "extend".into() });
                fx.push(EffectKind::AppointmentSet {
                    appointment,
                    cause: AppointmentCause::Extended,
                    provisional_days: Vec::new(),
                });
            }
        }
        self.status = self.compute_status(procedure);
        if self.status != status_before {
            fx.push(EffectKind::StatusChanged { from: Some(status_before), to: self.status });
        }
        let effects = fx.out;
        self.version = event.seq;
        self.updated_at = at;
        self.head = chain::event_hash(&event);
        self.history.push(event);
        effects
    }

    /// Closes the dossier, cancelling (with an effect each) the steps still active.
    fn close(
        &mut self,
        procedure: &Procedure,
        fx: &mut Effects<'_>,
        outcome: String,
        kind: OutcomeKind,
        at: DateTime<FixedOffset>,
    ) {
        let mut cancelled = Vec::with_capacity(self.active.len());
        for step in self.active.drain(..) {
            let agency = procedure.step_ix(&step.step).and_then(|ix| procedure.step(ix).agency.clone());
            fx.push(EffectKind::StepCancelled { step: step.step.clone(), agency });
            cancelled.push(step.step);
        }
        self.arrived.clear();
        self.closure = Some(Closure { outcome: outcome.clone(), kind, at, cancelled });
        fx.push(EffectKind::Closed { outcome, kind });
    }

    /// The agencies (and their units) answerable for the dossier now: those of its active
    /// steps or, while only the applicant's steps are active (a supplement, a payment), the
    /// agency whose step handed the dossier to the applicant.
    fn responsible<'p>(&'p self, procedure: &'p Procedure) -> impl Iterator<Item = (&'p str, Option<&'p str>)> + 'p {
        let agency_of = |step: &str| procedure.step_ix(step).and_then(|ix| procedure.step(ix).agency.as_deref());
        let active: Vec<(&str, Option<&str>)> =
            self.active.iter().filter_map(|a| agency_of(&a.step).map(|agency| (agency, a.unit.as_deref()))).collect();
        let fallback = if active.is_empty() {
            self.log.iter().rev().find_map(|r| r.agency.as_deref().map(|agency| (agency, r.unit.as_deref())))
        } else {
            None
        };
        active.into_iter().chain(fallback)
    }

    fn compute_status(&self, procedure: &Procedure) -> NationalStatus {
        if let Some(closure) = &self.closure {
            return closure.kind.national_status();
        }
        if self.withdrawal_requested {
            return NationalStatus::WithdrawalRequested;
        }
        self.active_ixs(procedure).map(|ix| procedure.step(ix).status).max().unwrap_or(NationalStatus::Processing)
    }

    /// Early, on time, due soon or late, as of `now`.
    ///
    /// A closed dossier is judged by when it closed; an open one by the working time left
    /// before its appointment (while the clock is suspended, the appointment it would have
    /// if the applicant supplied now).
    pub fn punctuality(&self, procedure: &Procedure, now: DateTime<FixedOffset>) -> Result<Punctuality, Rejection> {
        let appointment = self.effective_appointment(procedure, now)?;
        if let Some(closure) = &self.closure {
            return Ok(Punctuality::of_finish(closure.at, appointment));
        }
        if now > appointment {
            return Ok(Punctuality::Late);
        }
        let calendar = procedure.calendar();
        let left = calendar.elapsed(now, appointment).map_err(calendar_error)?;
        let soon = procedure
            .spec()
            .due_soon
            .unwrap_or(crate::duration::WorkingDuration::days(1))
            .to_minutes(calendar.day_minutes());
        Ok(if left <= soon { Punctuality::DueSoon } else { Punctuality::OnTime })
    }

    /// The appointment, moved by any suspension still running at `now`.
    pub fn effective_appointment(
        &self,
        procedure: &Procedure,
        now: DateTime<FixedOffset>,
    ) -> Result<DateTime<FixedOffset>, Rejection> {
        match (self.deadline.suspended_since, &self.closure) {
            (Some(since), None) if now > since => {
                let calendar = procedure.calendar();
                let suspended = calendar.elapsed(since, now).map_err(calendar_error)?;
                calendar.add_minutes(self.deadline.appointment, suspended).map_err(calendar_error)
            }
            _ => Ok(self.deadline.appointment),
        }
    }

    /// Whether national reporting counts the dossier as late: more than one supplement
    /// request, an extension, or closed after (or still open past) its appointment.
    pub fn late_for_reporting(&self, procedure: &Procedure, now: DateTime<FixedOffset>) -> Result<bool, Rejection> {
        Ok(self.supplement_requests > 1
            || self.deadline.extended
            || self.punctuality(procedure, now)? == Punctuality::Late)
    }

    /// The dossier identifier.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The procedure code it runs under.
    pub fn procedure_code(&self) -> &str {
        &self.procedure
    }

    /// The procedure version it was opened under (pinned for its life).
    pub fn procedure_version(&self) -> &str {
        &self.procedure_version
    }

    /// Optimistic-concurrency version: the number of events so far.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Submission channel.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The administrative unit the dossier is filed with.
    pub fn jurisdiction(&self) -> &str {
        &self.jurisdiction
    }

    /// Applicant and form data as submitted.
    pub fn data(&self) -> &serde_json::Value {
        &self.data
    }

    /// Documents submitted (as last replaced by an action).
    pub fn documents(&self) -> &[SubmittedDocument] {
        &self.documents
    }

    /// When it was submitted.
    pub fn submitted_at(&self) -> DateTime<FixedOffset> {
        self.submitted_at
    }

    /// When the last event happened.
    pub fn updated_at(&self) -> DateTime<FixedOffset> {
        self.updated_at
    }

    /// The steps the dossier is waiting in (several while parallel branches run).
    pub fn active(&self) -> &[ActiveStep] {
        &self.active
    }

    /// Identifiers of the active steps.
    pub fn active_step_ids(&self) -> impl Iterator<Item = &str> {
        self.active.iter().map(|a| a.step.as_str())
    }

    /// Branches that arrived at a join step still waiting for the others, by step.
    pub fn waiting_at_joins(&self) -> &BTreeMap<String, u32> {
        &self.arrived
    }

    /// The national status.
    pub fn status(&self) -> NationalStatus {
        self.status
    }

    /// How the dossier ended, if it has.
    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// Whether the applicant's withdrawal request awaits an officer's decision.
    pub fn withdrawal_requested(&self) -> bool {
        self.withdrawal_requested
    }

    /// How many supplement requests were issued (more than one counts the dossier as late).
    pub fn supplement_requests(&self) -> u32 {
        self.supplement_requests
    }

    /// The legal clock and appointment.
    pub fn deadline(&self) -> &Deadline {
        &self.deadline
    }

    /// The steps the dossier went through: the process-control slip.
    pub fn log(&self) -> &[StepRecord] {
        &self.log
    }

    /// Working minutes used per agency kind (the applicant's steps under `None`).
    pub fn time_by_agency(&self) -> BTreeMap<Option<&str>, u64> {
        let mut out = BTreeMap::new();
        for r in &self.log {
            *out.entry(r.agency.as_deref()).or_insert(0) += r.used_minutes;
        }
        out
    }

    /// SHA-256 (hex) of the last event: store it with the snapshot and pass it to
    /// [`verify_history`] to detect an altered last event or removed trailing events.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// Every event, in order.
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// The actions the active steps offer to people now, as `(step, action)` identifiers
    /// (timer actions are the engine's and not listed).
    pub fn available_actions<'p>(&self, procedure: &'p Procedure) -> Vec<(&'p str, &'p str)> {
        let mut out = Vec::new();
        for ix in self.active_ixs(procedure) {
            let step = procedure.step(ix);
            out.extend(step.actions.iter().filter(|a| a.after.is_none()).map(|a| (step.id.as_str(), a.id.as_str())));
        }
        out
    }
}

fn non_empty(value: &str, field: &str) -> Result<(), Rejection> {
    if value.trim().is_empty() || value.len() > 256 {
        return Err(Rejection::new(
            Code::InvalidCommand,
            field,
            format!("`{field}` phải có từ 1 đến 256 byte"),
            format!("`{field}` must be 1 to 256 bytes"),
        ));
    }
    Ok(())
}

fn closed() -> Rejection {
    Rejection::new(Code::DossierClosed, "type", "Hồ sơ đã kết thúc", "the dossier is closed")
}

fn unknown_action(action: &str) -> Rejection {
    Rejection::new(
        Code::UnknownAction,
        "action",
        format!("Không bước nào đang xử lý có thao tác `{action}`"),
        format!("no active step offers action `{action}`"),
    )
}

fn history_error(seq: u64, vi: &str, en: &str) -> Rejection {
    Rejection::new(Code::InvalidHistory, "events", format!("Sự kiện {seq}: {vi}"), format!("event {seq}: {en}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_are_written_like_display() {
        for n in [0u64, 7, 10, 1234567890, u64::MAX] {
            let mut s = String::new();
            super::push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
