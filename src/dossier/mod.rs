//! The runtime: a dossier (*hồ sơ*) moving through a compiled [`Procedure`].
//!
//! State in, effects out: [`Dossier::apply`] checks a [`Command`] completely before it
//! changes anything, then records one [`Event`] and returns the [`Effect`]s the host must
//! carry out. A refused command returns a [`Rejection`] and leaves the dossier exactly as
//! it was. [`Dossier::replay`] rebuilds the same dossier, bit for bit, from its events.

mod types;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use types::{Actor, Applied, Command, CommandKind, Effect, EffectKind, Event, EventKind, Rejection, Submission};

use crate::compile::{Procedure, StepIx, Target};
use crate::diagnostic::Code;
use crate::limits::Limits;
use crate::spec::procedure::{Channel, OutcomeKind, SlipKind};
use crate::status::NationalStatus;

/// A step a dossier is waiting in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActiveStep {
    /// Step identifier.
    pub step: String,
    /// When the dossier entered it.
    pub since: DateTime<FixedOffset>,
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
}

/// One dossier: a snapshot of its state plus the events that produced it.
///
/// Fields are read through accessors; the only way to change a dossier is
/// [`Dossier::apply`], so a snapshot always equals the replay of its history.
///
/// ```
/// use motcua::{Actor, Catalogue, Channel, Command, CommandKind, Dossier, NationalStatus, Procedure, Submission};
///
/// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let procedure = Procedure::from_yaml(
///     include_str!("../../specs/procedures/business-registration.yaml"),
///     "business-registration.yaml",
///     &catalogue,
/// )?;
/// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
///
/// let (mut dossier, _) = Dossier::submit(&procedure, Submission {
///     dossier_id: "HS-001".into(),
///     command_id: "c1".into(),
///     at: at("2026-03-02T09:00:00+07:00"),
///     actor: Actor::citizen(),
///     channel: Channel::Online,
///     jurisdiction: "01".into(),
///     data: serde_json::json!({}),
/// }).unwrap();
/// assert_eq!(dossier.status(), NationalStatus::New);
///
/// let applied = dossier.apply(&procedure, &Command {
///     id: "c2".into(),
///     at: at("2026-03-02T09:30:00+07:00"),
///     actor: Actor::official("one_stop_officer", "department_finance"),
///     expected_version: Some(1),
///     kind: CommandKind::Act { action: "accept".into(), step: None },
/// }).unwrap();
/// assert_eq!(dossier.status(), NationalStatus::Received);
/// assert_eq!(dossier.active_step_ids().collect::<Vec<_>>(), ["review"]);
/// assert!(applied.effects.iter().any(|e| matches!(e.kind, motcua::EffectKind::Slip { .. })));
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
    history: Vec<Event>,
}

/// What a checked event will do, computed before anything changes.
enum Plan {
    Act { pos: usize, step: StepIx, action: usize },
    RequestWithdrawal,
    DeclineWithdrawal,
    Withdraw,
}

/// Collects effects with their idempotency keys.
struct Effects<'a> {
    dossier: &'a str,
    seq: u64,
    out: Vec<Effect>,
}

impl Effects<'_> {
    fn push(&mut self, kind: EffectKind) {
        let key = format!("{}/{}/{}", self.dossier, self.seq, self.out.len());
        self.out.push(Effect { key, kind });
    }
}

impl Dossier {
    /// Opens a dossier from a submission. Returns the dossier and what the host must do.
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
            },
        };
        let (dossier, effects) = Dossier::from_submitted(procedure, event)?;
        let applied = Applied { events: dossier.history.clone(), effects, duplicate: false };
        Ok((dossier, applied))
    }

    fn from_submitted(procedure: &Procedure, event: Event) -> Result<(Dossier, Vec<Effect>), Rejection> {
        let EventKind::Submitted { dossier_id, procedure: code, version, channel, jurisdiction, data } = &event.kind
        else {
            return Err(Rejection::new(
                Code::InvalidHistory,
                "events[0]",
                "Sự kiện đầu tiên phải là nộp hồ sơ",
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
        let start = procedure.start();
        let mut effects = Effects { dossier: dossier_id, seq: 1, out: Vec::new() };
        effects.push(EffectKind::StatusChanged { from: None, to: start.status });
        effects.push(EffectKind::StepStarted {
            step: start.id.clone(),
            agency: start.agency.clone(),
            role: start.role.clone(),
        });
        let out = effects.out;
        let dossier = Dossier {
            id: dossier_id.clone(),
            procedure: code.clone(),
            procedure_version: version.clone(),
            version: 1,
            channel: *channel,
            jurisdiction: jurisdiction.clone(),
            data: data.clone(),
            submitted_at: event.at,
            updated_at: event.at,
            active: vec![ActiveStep { step: start.id.clone(), since: event.at }],
            arrived: BTreeMap::new(),
            status: start.status,
            closure: None,
            withdrawal_requested: false,
            supplement_requests: 0,
            history: vec![event],
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
        if let Some(applied) = self.original_outcome(procedure, &command.id) {
            return Ok(applied);
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
        if self.history.len() >= limits.max_history {
            return Err(Rejection::new(
                Code::LimitExceeded,
                "id",
                format!("Hồ sơ đã có {} sự kiện, tối đa {}", self.history.len(), limits.max_history),
                format!("the dossier has {} events, at most {}", self.history.len(), limits.max_history),
            ));
        }
        let kind = match &command.kind {
            CommandKind::Act { action, step } => {
                let step = self.resolve_step(procedure, action, step.as_deref())?;
                EventKind::ActionTaken { step, action: action.clone() }
            }
            CommandKind::RequestWithdrawal { reason } => EventKind::WithdrawalRequested { reason: reason.clone() },
            CommandKind::ConfirmWithdrawal => EventKind::Withdrawn,
            CommandKind::DeclineWithdrawal { reason } => EventKind::WithdrawalDeclined { reason: reason.clone() },
        };
        let event = Event {
            seq: self.version + 1,
            at: command.at,
            command_id: command.id.clone(),
            actor: command.actor.clone(),
            kind,
        };
        let plan = self.plan(procedure, &event)?;
        let effects = self.commit(procedure, event.clone(), plan);
        Ok(Applied { events: vec![event], effects, duplicate: false })
    }

    /// Rebuilds a dossier from its events with the procedure version it was opened under.
    ///
    /// Every event is checked as a command would be (order, times, steps, actors), so an
    /// altered history is refused with [`Code::InvalidHistory`] or [`Code::WrongProcedure`].
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
            let plan = dossier.plan(procedure, event).map_err(|r| {
                let mut r = r;
                r.message.vi = format!("Sự kiện {}: {}", event.seq, r.message.vi);
                r.message.en = format!("event {}: {}", event.seq, r.message.en);
                r.code = Code::InvalidHistory;
                r
            })?;
            dossier.commit(procedure, event.clone(), plan);
        }
        Ok(dossier)
    }

    /// The original events and effects of an already-applied command id, if any.
    fn original_outcome(&self, procedure: &Procedure, command_id: &str) -> Option<Applied> {
        let first = self.history.iter().position(|e| e.command_id == command_id)?;
        let events: Vec<Event> =
            self.history[first..].iter().take_while(|e| e.command_id == command_id).cloned().collect();
        // Recompute the effects from the state just before those events.
        let effects = if first == 0 {
            Dossier::from_submitted(procedure, events[0].clone()).map(|(_, fx)| fx).unwrap_or_default()
        } else {
            match Dossier::replay(procedure, &self.history[..first]) {
                Ok(mut before) => {
                    let mut fx = Vec::new();
                    for e in &events {
                        if let Ok(plan) = before.plan(procedure, e) {
                            fx.extend(before.commit(procedure, e.clone(), plan));
                        }
                    }
                    fx
                }
                Err(_) => Vec::new(),
            }
        };
        Some(Applied { events, effects, duplicate: true })
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
            EventKind::ActionTaken { step, action } => {
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
                Ok(Plan::Act { pos, step: six, action: a })
            }
            EventKind::WithdrawalRequested { .. } => {
                if !procedure.is_citizen_role(&actor.role) {
                    return Err(Rejection::new(
                        Code::Forbidden,
                        "actor",
                        "Chỉ người nộp hồ sơ mới được yêu cầu rút hồ sơ",
                        "only the applicant may ask to withdraw",
                    ));
                }
                let result_ready = self.active.iter().any(|a| {
                    procedure.step_ix(&a.step).is_some_and(|ix| procedure.step(ix).status == NationalStatus::Finished)
                });
                if !procedure.spec().withdrawal || self.withdrawal_requested || result_ready {
                    return Err(Rejection::new(
                        Code::WithdrawalNotAllowed,
                        "type",
                        "Không thể rút hồ sơ: thủ tục không cho phép, đã có yêu cầu, hoặc đã có kết quả",
                        "withdrawal is not possible: not allowed, already requested, or the result is ready",
                    ));
                }
                Ok(Plan::RequestWithdrawal)
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
                let handles = actor.agency.is_some()
                    && self.responsible_agencies(procedure).any(|agency| Some(agency) == actor.agency.as_deref());
                if !handles || procedure.is_citizen_role(&actor.role) {
                    return Err(Rejection::new(
                        Code::Forbidden,
                        "actor",
                        "Chỉ cơ quan đang xử lý hồ sơ mới được quyết định việc rút hồ sơ",
                        "only an agency handling the dossier may decide on the withdrawal",
                    ));
                }
                Ok(if matches!(event.kind, EventKind::Withdrawn) { Plan::Withdraw } else { Plan::DeclineWithdrawal })
            }
        }
    }

    /// Applies a checked event. Infallible: every check happened in [`Dossier::plan`].
    fn commit(&mut self, procedure: &Procedure, event: Event, plan: Plan) -> Vec<Effect> {
        let at = event.at;
        let mut fx = Effects { dossier: &self.id, seq: event.seq, out: Vec::new() };
        let before = self.status;
        match plan {
            Plan::Act { pos, step, action } => {
                let from = procedure.step(step);
                let action = &from.actions[action];
                self.active.remove(pos);
                if let Some(slip) = action.slip {
                    if slip == SlipKind::SupplementRequest {
                        self.supplement_requests += 1;
                    }
                    fx.push(EffectKind::Slip { slip, step: from.id.clone(), action: action.id.clone() });
                }
                for target in &action.targets {
                    match *target {
                        Target::Outcome(o) => {
                            let outcome = procedure.outcome(o);
                            self.active.clear();
                            self.arrived.clear();
                            self.closure = Some(Closure { outcome: outcome.id.clone(), kind: outcome.kind, at });
                            fx.push(EffectKind::Closed { outcome: outcome.id.clone(), kind: outcome.kind });
                            break;
                        }
                        Target::Step(t) => {
                            let to = procedure.step(t);
                            if let Some((_, route)) = action.handoffs.iter().find(|(s, _)| *s == t) {
                                fx.push(EffectKind::HandOff {
                                    from_step: from.id.clone(),
                                    to_step: to.id.clone(),
                                    from_agency: route.from_agency.clone(),
                                    to_agency: route.to_agency.clone(),
                                    to_level: route.to_level.clone(),
                                    direction: route.direction,
                                    jurisdiction: self.jurisdiction.clone(),
                                });
                            }
                            if let Some(branches) = to.join_branches {
                                let count = self.arrived.entry(to.id.clone()).or_insert(0);
                                *count += 1;
                                if *count < branches {
                                    continue;
                                }
                                self.arrived.remove(&to.id);
                            }
                            if !self.active.iter().any(|a| a.step == to.id) {
                                self.active.push(ActiveStep { step: to.id.clone(), since: at });
                                fx.push(EffectKind::StepStarted {
                                    step: to.id.clone(),
                                    agency: to.agency.clone(),
                                    role: to.role.clone(),
                                });
                            }
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
                self.active.clear();
                self.arrived.clear();
                self.withdrawal_requested = false;
                self.closure = Some(Closure { outcome: outcome.clone(), kind, at });
                fx.push(EffectKind::Closed { outcome, kind });
            }
        }
        self.status = self.compute_status(procedure);
        if self.status != before {
            fx.push(EffectKind::StatusChanged { from: Some(before), to: self.status });
        }
        let effects = fx.out;
        self.version = event.seq;
        self.updated_at = at;
        self.history.push(event);
        effects
    }

    /// The agencies answerable for the dossier now: those of its active steps or, while
    /// only the applicant's steps are active (a supplement, a payment), the agency whose
    /// step handed the dossier to the applicant.
    fn responsible_agencies<'p>(&'p self, procedure: &'p Procedure) -> impl Iterator<Item = &'p str> + 'p {
        let agency_of = |step: &str| procedure.step_ix(step).and_then(|ix| procedure.step(ix).agency.as_deref());
        let active: Vec<&str> = self.active.iter().filter_map(|a| agency_of(&a.step)).collect();
        let fallback = if active.is_empty() {
            self.history.iter().rev().find_map(|e| match &e.kind {
                EventKind::ActionTaken { step, .. } => agency_of(step),
                _ => None,
            })
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
        self.active
            .iter()
            .filter_map(|a| procedure.step_ix(&a.step).map(|ix| procedure.step(ix).status))
            .max()
            .unwrap_or(NationalStatus::Processing)
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

    /// Every event, in order.
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// The actions the active steps offer now, as `(step, action)` identifiers.
    pub fn available_actions<'p>(&self, procedure: &'p Procedure) -> Vec<(&'p str, &'p str)> {
        let mut out = Vec::new();
        for active in &self.active {
            if let Some(ix) = procedure.step_ix(&active.step) {
                let step = procedure.step(ix);
                out.extend(step.actions.iter().map(|a| (step.id.as_str(), a.id.as_str())));
            }
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
