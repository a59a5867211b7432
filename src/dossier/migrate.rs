//! Moving a dossier to another version of its procedure: the `migrated` event, its deadlines,
//! and how it is applied. Which step goes where and how data is renamed is decided above, in
//! `crate::version` (the migration file); this module takes that as plain data.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::clock::{StepRecord, clock_runs};
use super::decide::{unit_of, validate};
use super::evolve::Effects;
use super::rejections::{calendar_error, closed, history_error};
use super::{
    ActiveStep, Actor, Applied, AppointmentCause, Dossier, Effect, EffectKind, Event, EventKind, MovedStep, Rejection,
    StepDue, TimerDue, Timing, chain,
};

use crate::compile::{Procedure, StepIx};
use crate::diagnostic::Code;
use crate::document::SubmittedDocument;
use crate::spec::migration::{AppointmentPolicy, DeadlinePolicySpec, StepBudgetPolicy, TimerPolicy};
use crate::spec::procedure::Clock;

/// The action recorded on the process-control record for the part of a step a dossier spent
/// on the old version.
pub(crate) const MIGRATED_ACTION: &str = "migrated";

/// What a migration decided for one dossier, as plain data.
pub(crate) struct MigrationPlan<'a> {
    /// Per active step (in order), the step of the new version it continues in.
    pub(crate) targets: Vec<String>,
    /// Branches waiting at joins, under the new steps' identifiers.
    pub(crate) waiting: BTreeMap<String, u32>,
    /// The data and documents as migrated.
    pub(crate) data: serde_json::Value,
    pub(crate) documents: Vec<SubmittedDocument>,
    pub(crate) policy: DeadlinePolicySpec,
    pub(crate) sha256: &'a str,
    pub(crate) command_id: String,
}

impl Dossier {
    /// Moves the dossier from `old` to `new` as `plan` says, on a copy: the dossier itself is
    /// never changed. Every check happens before the event is built.
    pub(crate) fn migrated(
        &self,
        old: &Procedure,
        new: &Procedure,
        plan: MigrationPlan<'_>,
        at: DateTime<FixedOffset>,
        actor: Actor,
    ) -> Result<(Dossier, Applied), Rejection> {
        self.check_procedure(old)?;
        self.check_checked()?;
        if self.closure.is_some() {
            return Err(closed());
        }
        if at < self.updated_at {
            return Err(Rejection::new(
                Code::InvalidCommand,
                "at",
                "Thời điểm chuyển phiên bản sớm hơn sự kiện cuối cùng của hồ sơ",
                "the migration is dated before the dossier's last event",
            ));
        }
        self.next_seq()?;
        old.calendar().is_working_time(at).map_err(calendar_error)?;
        new.calendar().is_working_time(at).map_err(calendar_error)?;
        validate(new, &plan.data, &plan.documents, at, "data")?;
        let timing = self.migration_timing(old, new, &plan, at)?;
        let steps = self
            .active
            .iter()
            .zip(&plan.targets)
            .map(|(a, to)| {
                let used = old.calendar().elapsed(a.since, at).map_err(calendar_error)?;
                Ok(MovedStep { from: a.step.clone(), to: to.clone(), used_minutes: used })
            })
            .collect::<Result<Vec<_>, Rejection>>()?;
        let event = Event {
            seq: self.version + 1,
            at,
            command_id: plan.command_id,
            actor,
            kind: EventKind::Migrated {
                from_version: old.version().to_owned(),
                to_version: new.version().to_owned(),
                migration_sha256: plan.sha256.to_owned(),
                steps,
                waiting: plan.waiting,
                data: plan.data,
                documents: plan.documents,
            },
            prev: self.head.clone(),
            timing,
        };
        let mut next = self.clone();
        next.check_migration(old, new, &event)?;
        let effects = next.commit_migration(old, new, event.clone());
        next.derived.last_effects.clone_from(&effects);
        Ok((next, Applied { events: vec![event], effects, duplicate: false, problems: Vec::new() }))
    }

    /// The deadlines a migration fixes, computed on the calendars (live only: replay takes
    /// them from the event).
    fn migration_timing(
        &self,
        old: &Procedure,
        new: &Procedure,
        plan: &MigrationPlan<'_>,
        at: DateTime<FixedOffset>,
    ) -> Result<Timing, Rejection> {
        let (old_cal, new_cal) = (old.calendar(), new.calendar());
        let mut timing = Timing::default();
        let mut targets = Vec::with_capacity(plan.targets.len());
        for (a, to) in self.active.iter().zip(&plan.targets) {
            let t = new.step_ix(to).ok_or_else(|| unknown_target(to))?;
            targets.push(t);
            let before = old.step_ix(&a.step).map(|ix| old.step(ix));
            let s = new.step(t);
            let budget_in = s.budget_in(self.deadline.case.as_deref().and_then(|c| new.case_ix(c)));
            let due = if s.clock == Clock::Runs && !budget_in.is_zero() {
                match (plan.policy.step_budget, a.due) {
                    (StepBudgetPolicy::KeepRemaining, Some(due)) => Some(due),
                    _ => {
                        let budget = budget_in.to_minutes(new_cal.day_minutes());
                        let used = if before.is_some_and(|b| b.clock == Clock::Runs) {
                            old_cal.elapsed(a.since, at).map_err(calendar_error)?
                        } else {
                            0
                        };
                        Some(new_cal.add_minutes(at, budget.saturating_sub(used)).map_err(calendar_error)?)
                    }
                }
            } else {
                None
            };
            let mut timer: Option<TimerDue> = None;
            for action in &s.actions {
                let Some(after) = action.after else { continue };
                let existed = before.is_some_and(|b| b.actions.iter().any(|o| o.id == action.id && o.after.is_some()));
                let from = if existed || plan.policy.new_timers == TimerPolicy::FromStepEntry { a.since } else { at };
                // A timer already past due fires once, at the next advance: never twice, never lost.
                let fires = new_cal.add(from, after).map_err(calendar_error)?.max(at);
                if timer.as_ref().is_none_or(|t| fires < t.at) {
                    timer = Some(TimerDue { action: action.id.clone(), at: fires });
                }
            }
            timing.started.push(StepDue { step: s.id.clone(), due, timer, unit: unit_of(new, &self.jurisdiction, t) });
        }
        let runs_before = clock_runs(old, self.active_ixs(old));
        let runs_after = clock_runs(new, targets.iter().copied());
        let mut appointment = self.deadline.appointment;
        let mut suspended_total = self.deadline.suspended_minutes;
        if let (false, true, Some(since)) = (runs_before, runs_after, self.deadline.suspended_since) {
            let suspended = old_cal.elapsed(since, at).map_err(calendar_error)?;
            timing.resumed_after = Some(suspended);
            suspended_total += suspended;
            appointment = new_cal.add_minutes(appointment, suspended).map_err(calendar_error)?;
        }
        if plan.policy.appointment == AppointmentPolicy::EarlierOfBoth {
            let legal = new_cal
                .add(
                    self.deadline.clock_start,
                    new.legal_deadline_in(self.deadline.case.as_deref().and_then(|c| new.case_ix(c))),
                )
                .map_err(calendar_error)?;
            let legal = new_cal.add_minutes(legal, suspended_total).map_err(calendar_error)?;
            appointment = appointment.min(legal);
        }
        if appointment != self.deadline.appointment {
            timing.appointment = Some(appointment);
            timing.provisional_days = new_cal.provisional_days(self.deadline.clock_start, appointment);
        }
        Ok(timing)
    }

    /// Checks a `migrated` event against the dossier (live and in replay).
    pub(super) fn check_migration(&self, old: &Procedure, new: &Procedure, event: &Event) -> Result<(), Rejection> {
        let EventKind::Migrated { from_version, to_version, steps, waiting, .. } = &event.kind else {
            return Err(history_error(event.seq, "không phải sự kiện chuyển phiên bản", "not a migrated event"));
        };
        if self.closure.is_some() {
            return Err(closed());
        }
        if old.code() != new.code()
            || from_version != old.version()
            || to_version != new.version()
            || self.procedure_version != *from_version
        {
            return Err(Rejection::new(
                Code::WrongProcedure,
                "procedure",
                format!(
                    "Sự kiện {} chuyển hồ sơ từ phiên bản {from_version} sang {to_version} của thủ tục {}",
                    event.seq, self.procedure
                ),
                format!(
                    "event {} moves the dossier from version {from_version} to {to_version} of procedure {}",
                    event.seq, self.procedure
                ),
            ));
        }
        let matches = steps.len() == self.active.len()
            && event.timing.started.len() == steps.len()
            && steps
                .iter()
                .zip(&self.active)
                .zip(&event.timing.started)
                .all(|((m, a), d)| m.from == a.step && m.to == d.step && new.step_ix(&m.to).is_some())
            && waiting.keys().all(|k| new.step_ix(k).is_some());
        if !matches {
            return Err(history_error(
                event.seq,
                "các bước được chuyển không khớp với các bước đang xử lý",
                "the moved steps do not match the active steps",
            ));
        }
        Ok(())
    }

    /// Applies a checked `migrated` event. Infallible after [`Dossier::check_migration`].
    pub(super) fn commit_migration(&mut self, old: &Procedure, new: &Procedure, event: Event) -> Vec<Effect> {
        let EventKind::Migrated { to_version, steps, waiting, data, documents, .. } = &event.kind else {
            return Vec::new();
        };
        let at = event.at;
        let id = self.id.clone();
        let mut fx = Effects::new(&id, event.seq);
        let status_before = self.status;
        let runs_before = clock_runs(old, self.active_ixs(old));
        let left = std::mem::take(&mut self.active);
        for ((a, moved), due) in left.into_iter().zip(steps).zip(&event.timing.started) {
            let from = old.step_ix(&a.step).map(|ix| old.step(ix));
            let agency = from.and_then(|s| s.agency.clone());
            self.log.push(StepRecord {
                step: a.step.clone(),
                agency: agency.clone(),
                unit: a.unit,
                entered: a.since,
                left: at,
                action: MIGRATED_ACTION.to_owned(),
                by: event.actor.clone(),
                due: a.due,
                allotted_minutes: from
                    .filter(|s| s.clock == Clock::Runs)
                    .map_or(0, |s| s.budget_in(self.case_ix(old)).to_minutes(old.calendar().day_minutes())),
                used_minutes: moved.used_minutes,
            });
            fx.push(EffectKind::StepCancelled { step: a.step, agency });
            let to = new.step_ix(&moved.to).map(|ix| new.step(ix));
            fx.push(EffectKind::StepStarted {
                step: moved.to.clone(),
                agency: to.and_then(|s| s.agency.clone()),
                role: to.map(|s| s.role.clone()).unwrap_or_default(),
                unit: due.unit.clone(),
                due: due.due,
            });
            self.active.push(ActiveStep {
                step: moved.to.clone(),
                since: at,
                due: due.due,
                timer: due.timer.clone(),
                unit: due.unit.clone(),
            });
        }
        self.arrived.clone_from(waiting);
        self.data = data.clone();
        self.documents.clone_from(documents);
        self.procedure_version.clone_from(to_version);
        let runs_after = clock_runs(new, self.active_ixs(new).collect::<Vec<StepIx>>());
        self.switch_clock(runs_before, runs_after, at, event.timing.resumed_after, &mut fx);
        if let Some(appointment) = event.timing.appointment {
            self.deadline.appointment = appointment;
            self.deadline.provisional_days = event.timing.provisional_days.clone();
            fx.push(EffectKind::AppointmentSet {
                appointment,
                cause: AppointmentCause::Migrated,
                provisional_days: event.timing.provisional_days.clone(),
                deadline_case: None,
            });
        }
        self.status = self.compute_status(new);
        if self.status != status_before {
            fx.push(EffectKind::StatusChanged { from: Some(status_before), to: self.status });
        }
        let effects = fx.into_effects();
        self.version = event.seq;
        self.updated_at = at;
        self.head = chain::event_hash(&event);
        self.history.push(event);
        effects
    }
}

fn unknown_target(step: &str) -> Rejection {
    Rejection::new(
        Code::UnknownStep,
        "steps",
        format!("Phiên bản mới không có bước `{step}`"),
        format!("the new version has no step `{step}`"),
    )
}
