//! The clock of a dossier: the legal deadline and the appointment, each step's due instant,
//! suspension, punctuality, and when the next timer is due.

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::decide::{Plan, Reach, unit_of};
use super::rejections::calendar_error;
use super::{Actor, Dossier, Event, EventKind, Rejection, StepDue, TimerDue, Timing};

use crate::compile::{Procedure, StepIx};
use crate::spec::procedure::Clock;

/// A dossier's legal clock and appointment.
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
/// // Submitted Monday 2 March 2026 at 09:00: three working days later.
/// assert_eq!(deadline.appointment, at("2026-03-05T09:00:00+07:00"));
/// assert_eq!(deadline.suspended_since, None);
/// assert_eq!(deadline.suspended_minutes, 0);
/// assert!(deadline.provisional_days.is_empty());
/// # Ok::<(), motcua::LoadError>(())
/// ```
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
    /// The deadline case in force (see the spec's `deadline_cases`); absent for the
    /// default case (`legal_deadline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The provisional calendar days the appointment in force was counted across (see
    /// [`Calendar::provisional_days`](crate::Calendar::provisional_days)): for the
    /// receipt slip, "expected" until the notice is published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_days: Vec<NaiveDate>,
}

/// Early, on time, due soon or late (*trước hạn, đúng hạn, sắp đến hạn, trễ hạn*).
///
/// ```
/// use motcua::Punctuality;
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
/// assert_eq!(dossier.punctuality(&procedure, at("2026-03-02T10:00:00+07:00")).unwrap(), Punctuality::OnTime);
/// assert_eq!(dossier.punctuality(&procedure, at("2026-03-04T10:00:00+07:00")).unwrap(), Punctuality::DueSoon);
/// assert_eq!(dossier.punctuality(&procedure, at("2026-03-06T10:00:00+07:00")).unwrap(), Punctuality::Late);
/// assert!(Punctuality::Early < Punctuality::Late);
/// # Ok::<(), motcua::LoadError>(())
/// ```
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
    ///
    /// ```
    /// use motcua::Punctuality;
    ///
    /// assert_eq!(Punctuality::Late.label().vi, "Trễ hạn");
    /// assert_eq!(Punctuality::DueSoon.label().en, "Due soon");
    /// ```
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
///
/// ```
/// use motcua::Punctuality;
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
/// let record = &dossier.log()[0];
/// assert_eq!(record.agency.as_deref(), Some("department_finance"));
/// assert_eq!((record.entered, record.left), (at("2026-03-02T09:00:00+07:00"), at("2026-03-02T09:30:00+07:00")));
/// assert_eq!(record.by, officer);
/// assert_eq!(record.due, Some(at("2026-03-02T14:00:00+07:00"))); // half a working day
/// assert_eq!(record.punctuality(), Some(Punctuality::OnTime));
/// # Ok::<(), motcua::LoadError>(())
/// ```
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
    ///
    /// ```
    /// use motcua::Punctuality;
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
    /// // Received at 09:30 on the day it was submitted, within its half day.
    /// assert_eq!(dossier.log()[0].punctuality(), Some(Punctuality::OnTime));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn punctuality(&self) -> Option<Punctuality> {
        self.due.map(|due| Punctuality::of_finish(self.left, due))
    }
}

/// The date of `at` on the procedure's calendar: the `today` of form rules and guards.
pub(super) fn today(procedure: &Procedure, at: DateTime<FixedOffset>) -> chrono::NaiveDate {
    at.with_timezone(&procedure.calendar().offset()).date_naive()
}

/// Whether the legal clock runs while these steps are active.
pub(super) fn clock_runs(procedure: &Procedure, steps: impl IntoIterator<Item = StepIx>) -> bool {
    steps.into_iter().any(|s| procedure.step(s).clock == Clock::Runs)
}

/// Due instant and earliest timer of a step started at `at`.
pub(super) fn step_due(
    procedure: &Procedure,
    step: StepIx,
    at: DateTime<FixedOffset>,
    jurisdiction: &str,
    case: Option<usize>,
) -> Result<StepDue, Rejection> {
    let s = procedure.step(step);
    let calendar = procedure.calendar();
    let budget = s.budget_in(case);
    let due = if s.clock == Clock::Runs && !budget.is_zero() {
        Some(calendar.add(at, budget).map_err(calendar_error)?)
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
    /// The index of the deadline case in force, in `procedure`.
    pub(super) fn case_ix(&self, procedure: &Procedure) -> Option<usize> {
        self.deadline.case.as_deref().and_then(|c| procedure.case_ix(c))
    }

    /// The earliest timer due at or before `now`.
    pub(super) fn due_timer(&self, now: DateTime<FixedOffset>) -> Option<(String, TimerDue)> {
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
    /// // No step of business registration has a timer.
    /// assert_eq!(dossier.next_due(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn next_due(&self) -> Option<DateTime<FixedOffset>> {
        if self.closure.is_some() {
            return None;
        }
        self.active.iter().filter_map(|a| a.timer.as_ref().map(|t| t.at)).min()
    }

    /// Computes, on the calendar, the deadlines an event fixes. Live commands only:
    /// replay takes them from the event.
    pub(super) fn timing(&self, procedure: &Procedure, event: &Event, plan: &Plan) -> Result<Timing, Rejection> {
        let Plan::Act { pos, reach, .. } = plan else { return Ok(Timing::default()) };
        let calendar = procedure.calendar();
        let mut timing = Timing {
            used_minutes: Some(calendar.elapsed(self.active[*pos].since, event.at).map_err(calendar_error)?),
            ..Timing::default()
        };
        // The deadline case after this event: recorded decisions and changed form data
        // may select another one (never on an action that closes the dossier).
        let case_before = self.case_ix(procedure);
        let mut case = case_before;
        if let EventKind::ActionTaken { data, documents, decisions, .. } = &event.kind
            && !reach.iter().any(|r| matches!(r, Reach::Close(_)))
            && (data.is_some() || documents.is_some() || !decisions.is_empty())
        {
            let mut all = self.decisions.clone();
            all.extend(decisions.iter().map(|(k, v)| (k.clone(), *v)));
            case = procedure.case_in_force(
                data.as_ref().unwrap_or(&self.data),
                documents.as_deref().unwrap_or(&self.documents),
                today(procedure, event.at),
                &all,
            );
        }
        for r in reach {
            if let Reach::Start(t) = r {
                timing.started.push(step_due(procedure, *t, event.at, &self.jurisdiction, case)?);
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
        if case != case_before {
            // Counted again from the start of the clock with the new case's deadline; the
            // working time already suspended (and any this event ends) still moves it.
            let suspended = self.deadline.suspended_minutes + timing.resumed_after.unwrap_or(0);
            let counted = calendar
                .add(self.deadline.clock_start, procedure.legal_deadline_in(case))
                .and_then(|a| calendar.add_minutes(a, suspended))
                .map_err(calendar_error)?;
            // An appointment given by hand with an apology is never brought forward.
            let appointment = if self.deadline.extended { counted.max(self.deadline.appointment) } else { counted };
            timing.appointment = Some(appointment);
            timing.provisional_days = calendar.provisional_days(self.deadline.clock_start, appointment);
            timing.deadline_case = Some(super::CaseChange {
                case: case.and_then(|c| procedure.deadline_cases().nth(c)).map(|(id, _)| id.to_owned()),
            });
        }
        Ok(timing)
    }

    /// Early, on time, due soon or late, as of `now`.
    ///
    /// A closed dossier is judged by when it closed; an open one by the working time left
    /// before its appointment (while the clock is suspended, the appointment it would have
    /// if the applicant supplied now).
    ///
    /// ```
    /// use motcua::Punctuality;
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
    /// // The appointment is Thursday 09:00; "due soon" is the last working day before it.
    /// assert_eq!(dossier.punctuality(&procedure, at("2026-03-03T09:00:00+07:00")).unwrap(), Punctuality::OnTime);
    /// assert_eq!(dossier.punctuality(&procedure, at("2026-03-04T09:30:00+07:00")).unwrap(), Punctuality::DueSoon);
    /// assert_eq!(dossier.punctuality(&procedure, at("2026-03-05T09:01:00+07:00")).unwrap(), Punctuality::Late);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
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
    /// // While the officer reviews, the clock runs: the appointment stands.
    /// assert_eq!(dossier.effective_appointment(&procedure, at("2026-03-03T09:00:00+07:00")).unwrap(), at("2026-03-05T09:00:00+07:00"));
    /// // Sent back to the applicant on Monday at 10:00, the clock is suspended ...
    /// dossier.apply(&procedure, &Command {
    ///     id: "c3".into(),
    ///     at: at("2026-03-02T10:00:00+07:00"),
    ///     actor: Actor::official("officer", "department_finance"),
    ///     expected_version: Some(2),
    ///     kind: CommandKind::act("request_supplement"),
    /// }).unwrap();
    /// // ... so one working day later, the appointment has moved by one working day.
    /// assert_eq!(dossier.effective_appointment(&procedure, at("2026-03-03T10:00:00+07:00")).unwrap(), at("2026-03-06T09:00:00+07:00"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
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
    /// assert!(!dossier.late_for_reporting(&procedure, at("2026-03-04T09:00:00+07:00")).unwrap());
    /// assert!(dossier.late_for_reporting(&procedure, at("2026-03-05T10:00:00+07:00")).unwrap());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn late_for_reporting(&self, procedure: &Procedure, now: DateTime<FixedOffset>) -> Result<bool, Rejection> {
        Ok(self.supplement_requests > 1
            || self.deadline.extended
            || self.punctuality(procedure, now)? == Punctuality::Late)
    }
}
