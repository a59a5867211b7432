//! Evolving: applying a checked plan to the dossier, with the effects the host must carry out.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::chain;
use super::clock::{Deadline, StepRecord, clock_runs};
use super::decide::{Plan, Reach, unit_of};
use super::rejections::history_error;
use super::{ActiveStep, AppointmentCause, Closure, Derived, Dossier, Effect, EffectKind, Event, EventKind, Rejection};

use crate::compile::{Procedure, StepIx};
use crate::diagnostic::Code;
use crate::spec::procedure::{Clock, OutcomeKind, SlipKind};
use crate::status::NationalStatus;

/// Collects effects with their idempotency keys.
pub(super) struct Effects<'a> {
    dossier: &'a str,
    seq: u64,
    out: Vec<Effect>,
}

impl<'a> Effects<'a> {
    pub(super) fn new(dossier: &'a str, seq: u64) -> Effects<'a> {
        Effects { dossier, seq, out: Vec::new() }
    }

    pub(super) fn into_effects(self) -> Vec<Effect> {
        self.out
    }

    pub(super) fn push(&mut self, kind: EffectKind) {
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

pub(super) fn push_decimal(out: &mut String, mut n: u64) {
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

impl Dossier {
    pub(super) fn from_submitted(procedure: &Procedure, event: Event) -> Result<(Dossier, Vec<Effect>), Rejection> {
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
            deadline_case: None,
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
            decisions: BTreeMap::new(),
            deadline: Deadline {
                clock_start,
                appointment,
                first_appointment: appointment,
                suspended_since: (!runs).then_some(clock_start),
                suspended_minutes: 0,
                extended: false,
                case: event.timing.deadline_case.as_ref().and_then(|c| c.case.clone()),
                provisional_days,
            },
            log: Vec::new(),
            head: chain::event_hash(&event),
            history: vec![event],
            derived: Derived { checked: true, last_effects: out.clone() },
        };
        Ok((dossier, out))
    }

    /// Applies a checked event. Infallible: every check happened in [`Dossier::plan`], and
    /// every calendar computation is in the event's timing.
    pub(super) fn commit(&mut self, procedure: &Procedure, event: Event, plan: Plan) -> Vec<Effect> {
        let at = event.at;
        let id = self.id.clone();
        let mut fx = Effects { dossier: &id, seq: event.seq, out: Vec::new() };
        let status_before = self.status;
        match plan {
            Plan::Act { pos, step, action, reach } => {
                let runs_before = clock_runs(procedure, self.active.iter().filter_map(|a| procedure.step_ix(&a.step)));
                let from = procedure.step(step);
                let action = &from.actions[action];
                let case_before = self.case_ix(procedure);
                let previous = self.deadline.appointment;
                if let EventKind::ActionTaken { data, documents, decisions, .. } = &event.kind {
                    self.decisions.extend(decisions.iter().map(|(k, v)| (k.clone(), *v)));
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
                        from.budget_in(case_before).to_minutes(procedure.calendar().day_minutes())
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
                    // The clock resumed: the appointment moves by the suspended time.
                    let resumed = self.switch_clock(runs_before, runs_after, at, event.timing.resumed_after, &mut fx);
                    if event.timing.deadline_case.is_some() {
                        self.change_case(procedure, &mut fx, &event, previous, &from.id, &action.id);
                    } else if resumed && let Some(appointment) = event.timing.appointment {
                        self.deadline.appointment = appointment;
                        let provisional_days = event.timing.provisional_days.clone();
                        self.deadline.provisional_days = provisional_days.clone();
                        fx.push(EffectKind::AppointmentSet {
                            appointment,
                            cause: AppointmentCause::Resumed,
                            provisional_days,
                            deadline_case: None,
                        });
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
                    deadline_case: None,
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

    /// Puts another deadline case in force with the appointment the event counted: the
    /// notice of the new appointment (with the case's basis) and the appointment effect.
    fn change_case(
        &mut self,
        procedure: &Procedure,
        fx: &mut Effects<'_>,
        event: &Event,
        previous: DateTime<FixedOffset>,
        step: &str,
        action: &str,
    ) {
        let (Some(change), Some(appointment)) = (&event.timing.deadline_case, event.timing.appointment) else {
            return;
        };
        let spec = change.case.as_deref().and_then(|c| procedure.spec().deadline_cases.get(c));
        self.deadline.case.clone_from(&change.case);
        if appointment == previous {
            // Another case with the same deadline: nothing to tell the applicant.
            return;
        }
        self.deadline.appointment = appointment;
        let provisional_days = event.timing.provisional_days.clone();
        self.deadline.provisional_days = provisional_days.clone();
        fx.push(EffectKind::Slip { slip: SlipKind::NewAppointment, step: step.to_owned(), action: action.to_owned() });
        fx.push(EffectKind::AppointmentSet {
            appointment,
            cause: AppointmentCause::CaseChanged,
            provisional_days,
            deadline_case: Some(super::DeadlineCaseNotice {
                case: change.case.clone(),
                name: spec.and_then(|c| c.name.clone()),
                deadline: spec.map_or(procedure.spec().legal_deadline, |c| c.deadline),
                basis: spec.and_then(|c| c.basis.clone()),
                previous,
            }),
        });
    }

    /// Stops or restarts the legal clock when the active steps change from running to all
    /// suspended (the applicant's turn) or back; `resumed_after` is the suspended working time
    /// the event recorded. Returns whether the clock resumed, when the appointment moves.
    pub(super) fn switch_clock(
        &mut self,
        runs_before: bool,
        runs_after: bool,
        at: DateTime<FixedOffset>,
        resumed_after: Option<u64>,
        fx: &mut Effects<'_>,
    ) -> bool {
        if runs_before && !runs_after {
            self.deadline.suspended_since = Some(at);
            fx.push(EffectKind::ClockSuspended);
            false
        } else if !runs_before && runs_after {
            let suspended = resumed_after.unwrap_or(0);
            self.deadline.suspended_since = None;
            self.deadline.suspended_minutes += suspended;
            fx.push(EffectKind::ClockResumed { suspended_minutes: suspended });
            true
        } else {
            false
        }
    }

    /// Closes the dossier, cancelling (with an effect each) the steps still active.
    pub(super) fn close(
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

    pub(super) fn compute_status(&self, procedure: &Procedure) -> NationalStatus {
        if let Some(closure) = &self.closure {
            return closure.kind.national_status();
        }
        if self.withdrawal_requested {
            return NationalStatus::WithdrawalRequested;
        }
        self.active_ixs(procedure).map(|ix| procedure.step(ix).status).max().unwrap_or(NationalStatus::Processing)
    }
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
