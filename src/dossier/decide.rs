//! Deciding: every check a command must pass, and the plan of what it will do, computed
//! before anything changes (a refused command leaves the dossier as it was).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::clock::today;
use super::rejections::{closed, unknown_action};
use super::{Actor, Applied, Command, CommandKind, Dossier, Event, EventKind, Rejection, SYSTEM_ROLE};

use crate::compile::{OutcomeIx, Procedure, StepIx, Target};
use crate::diagnostic::Code;
use crate::document::SubmittedDocument;
use crate::limits::Limits;
use crate::status::NationalStatus;

/// What one target of an action does.
#[derive(Clone, Copy, Debug)]
pub(super) enum Reach {
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
pub(super) enum Plan {
    Act { pos: usize, step: StepIx, action: usize, reach: Vec<Reach> },
    RequestWithdrawal,
    DeclineWithdrawal,
    Withdraw,
    Extend { appointment: DateTime<FixedOffset> },
}

/// With units loaded, a dossier is filed with a listed unit from which every agency step
/// of the procedure resolves (the unit is at or below the lowest level that handles it).
pub(super) fn check_jurisdiction(procedure: &Procedure, jurisdiction: &str) -> Result<(), Rejection> {
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
pub(super) fn check_unit(actor: &Actor, unit: Option<&str>) -> Result<(), Rejection> {
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
pub(super) fn same_request(event: &Event, command: &Command) -> bool {
    if event.actor != command.actor || event.at != command.at {
        return false;
    }
    match (&event.kind, &command.kind) {
        (
            EventKind::ActionTaken { step, action, data, documents, .. },
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

/// Validates form data and documents; every problem at once, as one rejection.
pub(super) fn validate(
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

/// The decisions an action records, as an event carries them.
pub(super) fn decisions_of(action: &crate::compile::Action) -> BTreeMap<String, bool> {
    action.decides().iter().cloned().collect()
}

/// The unit handling `step` of a dossier filed with `jurisdiction` (see
/// [`crate::handoff::receiving_unit`]).
pub(super) fn unit_of(procedure: &Procedure, jurisdiction: &str, step: StepIx) -> Option<String> {
    crate::handoff::receiving_unit(procedure.units()?, jurisdiction, procedure.step(step).level.as_deref())
}

impl Dossier {
    /// The outcome of an already-applied command id, if any: the original events and
    /// effects when `command` is the same request (same actor, time and body), a
    /// [`Code::IdempotencyConflict`] when the id was used for another request.
    pub(super) fn original_outcome(
        &self,
        procedure: &Procedure,
        command: &Command,
    ) -> Option<Result<Applied, Rejection>> {
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

    pub(super) fn check_checked(&self) -> Result<(), Rejection> {
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
    pub(super) fn next_seq(&self) -> Result<u64, Rejection> {
        self.version.checked_add(1).ok_or_else(|| {
            Rejection::new(
                Code::LimitExceeded,
                "version",
                "Hồ sơ đã đạt số phiên bản tối đa",
                "the dossier reached the highest version number",
            )
        })
    }

    pub(super) fn check_procedure(&self, procedure: &Procedure) -> Result<(), Rejection> {
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

    pub(super) fn check_history_room(&self, limits: &Limits) -> Result<(), Rejection> {
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
    pub(super) fn resolve_step(
        &self,
        procedure: &Procedure,
        action: &str,
        step: Option<&str>,
    ) -> Result<String, Rejection> {
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
    pub(super) fn reach(&self, procedure: &Procedure, step: StepIx, action: usize) -> Vec<Reach> {
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
    pub(super) fn steps_after(&self, procedure: &Procedure, pos: usize, reach: &[Reach]) -> Option<Vec<StepIx>> {
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

    pub(super) fn active_ixs<'a>(&'a self, procedure: &'a Procedure) -> impl Iterator<Item = StepIx> + 'a {
        self.active.iter().filter_map(|a| procedure.step_ix(&a.step))
    }

    /// Checks an event against the current state without changing anything.
    pub(super) fn plan(&self, procedure: &Procedure, event: &Event) -> Result<Plan, Rejection> {
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
            // Only a migration records it, with both versions at hand (see `Dossier::migrated`).
            EventKind::Migrated { .. } => Err(Rejection::new(
                Code::InvalidHistory,
                "type",
                "Sự kiện chuyển phiên bản chỉ do thao tác chuyển phiên bản ghi lại",
                "a migrated event is recorded only by a migration",
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
                if let EventKind::ActionTaken { decisions, .. } = &event.kind
                    && *decisions != decisions_of(spec)
                {
                    return Err(Rejection::new(
                        Code::InvalidHistory,
                        "decisions",
                        format!(
                            "Quyết định ghi trong sự kiện khác với quyết định thao tác `{action}` ghi theo thủ tục"
                        ),
                        format!(
                            "the decisions in the event differ from those action `{action}` records under the spec"
                        ),
                    ));
                }
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
    pub(super) fn check_data_and_guard(
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
    pub(super) fn check_responsible(
        &self,
        procedure: &Procedure,
        actor: &Actor,
        vi: &str,
        en: &str,
    ) -> Result<(), Rejection> {
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

    /// The agencies (and their units) answerable for the dossier now: those of its active
    /// steps or, while only the applicant's steps are active (a supplement, a payment), the
    /// agency whose step handed the dossier to the applicant.
    pub(super) fn responsible<'p>(
        &'p self,
        procedure: &'p Procedure,
    ) -> impl Iterator<Item = (&'p str, Option<&'p str>)> + 'p {
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
}
