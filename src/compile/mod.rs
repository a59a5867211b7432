//! Spec → [`Procedure`]: resolve every reference, build the petgraph state machine, lint it.

mod lints;

use std::collections::HashMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

pub use crate::handoff::{Direction, HandOffRoute, Receives};
pub use crate::library::Units;

use crate::calendar::Calendar;
use crate::diagnostic::{Code, Diagnostic, LoadError, Message, sort_by_place};
use crate::duration::WorkingDuration;
use crate::library::{Catalogue, Library};
use crate::limits::Limits;
use crate::spec::procedure::{Clock, OutcomeKind, ProcedureSpec, SlipKind};
use crate::spec::source::{self, Part, SourceMap, check_identifier};
use crate::spec::{json, yaml};
use crate::status::NationalStatus;
use crate::text::Text;

/// FNV-1a: the step and outcome name maps hold a few short ASCII keys looked up on every
/// command, where SipHash's flood resistance buys nothing (the keys come from the spec).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type NameMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<FnvHasher>>;

/// Index of a step in a [`Procedure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct StepIx(pub(crate) u32);

/// Index of an outcome in a [`Procedure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct OutcomeIx(pub(crate) u32);

/// A node of the procedure graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Node {
    /// A step.
    Step(StepIx),
    /// A terminal outcome.
    Outcome(OutcomeIx),
}

/// An edge of the procedure graph: action `action` of step `from` leads to the target node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Edge {
    /// The step the action belongs to.
    pub from: StepIx,
    /// The action's position in that step.
    pub action: u32,
}

/// Where an action leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// Another step (or the same one).
    Step(StepIx),
    /// A terminal outcome.
    Outcome(OutcomeIx),
}

/// A compiled action.
///
/// ```
/// # use motcua::{Catalogue, Library, Procedure};
/// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
/// let receive = procedure.start();
/// let (index, accept) = receive.action("accept").unwrap();
/// assert_eq!(index, 0);
/// assert_eq!(accept.role(), "one_stop_officer");
/// assert_eq!(accept.slip(), Some(motcua::SlipKind::Receipt));
/// assert!(accept.is_guarded());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Action {
    /// Identifier.
    pub(crate) id: String,
    /// Label (defaults to the identifier).
    pub(crate) name: Text,
    /// Targets, in the order written; several means a fork.
    pub(crate) targets: Vec<Target>,
    /// The role that may take it.
    pub(crate) role: String,
    /// The agency kind whose officers may take it (`None` for the applicant).
    pub(crate) agency: Option<String>,
    /// The slip it produces.
    pub(crate) slip: Option<SlipKind>,
    /// For each target step handled by another agency kind: the hand-off.
    pub(crate) handoffs: Vec<(StepIx, HandOffRoute)>,
    /// For a timer action: the working time after which the engine takes it.
    pub(crate) after: Option<WorkingDuration>,
    /// The guard, compiled against the procedure's form.
    pub(crate) guard: Option<crate::expr::CompiledExpr>,
    /// Whether it ends the whole dossier from inside a parallel branch (`cancels_branches`).
    pub(crate) cancels_branches: bool,
    /// For a fork: the join step its branches meet at.
    pub(crate) join: Option<StepIx>,
    /// Decisions it records (`decides`), in the order written.
    pub(crate) decides: Vec<(String, bool)>,
}

impl Action {
    /// The identifier, as written in the spec (`accept`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let ids: Vec<&str> = procedure.start().actions().iter().map(|a| a.id()).collect();
    /// assert_eq!(ids, ["accept", "request_supplement", "refuse"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The label (the identifier when the spec gives none).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let (_, accept) = procedure.start().action("accept").unwrap();
    /// assert_eq!(accept.name().get("vi"), "Tiếp nhận");
    /// assert_eq!(accept.name().get("en"), "Accept");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn name(&self) -> &Text {
        &self.name
    }

    /// The role that may take it.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let supplement = procedure.step_by_id("supplement").unwrap();
    /// // The applicant's step, but an officer stops it.
    /// assert_eq!(supplement.role(), "citizen");
    /// assert_eq!(supplement.action("stop").unwrap().1.role(), "one_stop_officer");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn role(&self) -> &str {
        &self.role
    }

    /// The agency kind whose officers may take it, `None` for the applicant.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let supplement = procedure.step_by_id("supplement").unwrap();
    /// assert_eq!(supplement.action("resubmit").unwrap().1.agency(), None);
    /// assert_eq!(supplement.action("stop").unwrap().1.agency(), Some("commune_committee"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn agency(&self) -> Option<&str> {
        self.agency.as_deref()
    }

    /// The slip it produces (receipt, refusal, supplement request, …).
    ///
    /// ```
    /// use motcua::SlipKind;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let receive = procedure.start();
    /// assert_eq!(receive.action("refuse").unwrap().1.slip(), Some(SlipKind::Refusal));
    /// let examine = procedure.step_by_id("examine").unwrap();
    /// assert_eq!(examine.action("propose").unwrap().1.slip(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn slip(&self) -> Option<SlipKind> {
        self.slip
    }

    /// The hand-offs it makes to steps handled by another agency kind.
    ///
    /// ```
    /// use motcua::Direction;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// // The commune leader's signature hands the dossier to the police and to social insurance.
    /// let (_, sign) = procedure.step_by_id("sign").unwrap().action("sign").unwrap();
    /// let routes: Vec<(&str, &str)> = sign.handoffs().map(|r| (r.to_step.as_str(), r.to_agency.as_str())).collect();
    /// assert_eq!(routes, [("residence", "commune_police"), ("insurance_card", "social_insurance")]);
    /// assert!(sign.handoffs().all(|r| r.direction == Direction::Horizontal));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn handoffs(&self) -> impl ExactSizeIterator<Item = &HandOffRoute> + '_ {
        self.handoffs.iter().map(|(_, route)| route)
    }

    /// For a timer action: the working time after which the engine takes it.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let supplement = procedure.step_by_id("supplement").unwrap();
    /// assert_eq!(supplement.action("lapse").unwrap().1.after(), Some(WorkingDuration::days(10)));
    /// assert_eq!(supplement.action("resubmit").unwrap().1.after(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn after(&self) -> Option<WorkingDuration> {
        self.after
    }

    /// Whether the action has a guard (a condition on the form data).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let receive = procedure.start();
    /// assert!(receive.action("accept").unwrap().1.is_guarded());
    /// assert!(!receive.action("refuse").unwrap().1.is_guarded());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_guarded(&self) -> bool {
        self.guard.is_some()
    }

    /// The decisions the action records (`decides`), in the order written.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/judicial-record-certificate.yaml"), "judicial-record-certificate.yaml", &library)?;
    /// let (_, verify) = procedure.step_by_id("lookup").unwrap().action("request_verification").unwrap();
    /// assert_eq!(verify.decides(), [("verification_needed".to_owned(), true)]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn decides(&self) -> &[(String, bool)] {
        &self.decides
    }

    /// Whether it ends the whole dossier from inside a parallel branch (`cancels_branches`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let residence = procedure.step_by_id("residence").unwrap();
    /// // Declining the residence registration ends only this branch.
    /// assert!(!residence.action("decline").unwrap().1.cancels_branches());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn cancels_branches(&self) -> bool {
        self.cancels_branches
    }

    /// Whether it starts parallel branches (it has several targets).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let sign = procedure.step_by_id("sign").unwrap();
    /// assert!(sign.action("sign").unwrap().1.is_fork());
    /// assert!(!sign.action("send_back").unwrap().1.is_fork());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_fork(&self) -> bool {
        self.targets.len() > 1
    }
}

/// Where an action leads, as [`Procedure::targets`] gives it.
///
/// ```
/// use motcua::Next;
/// # use motcua::{Catalogue, Library, Procedure};
/// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let (_, sign) = procedure.step_by_id("approve").unwrap().action("sign").unwrap();
/// assert!(matches!(procedure.targets(sign).next(), Some(Next::Step(s)) if s.id() == "return_result"));
/// let (_, refuse) = procedure.step_by_id("approve").unwrap().action("refuse").unwrap();
/// assert!(matches!(procedure.targets(refuse).next(), Some(Next::Outcome(o)) if o.id() == "refused"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Next<'p> {
    /// A step.
    Step(&'p Step),
    /// A terminal outcome.
    Outcome(&'p Outcome),
}

impl Outcome {
    /// The identifier, as written in the spec (`issued`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let ids: Vec<&str> = procedure.outcomes().iter().map(|o| o.id()).collect();
    /// assert_eq!(ids, ["issued", "refused", "not_received"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The label in Vietnamese and English.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.outcome_by_id("refused").unwrap().name().get("en"), "Refused");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn name(&self) -> &Text {
        &self.name
    }

    /// What kind of end it is (result issued, refused, withdrawn, …).
    ///
    /// ```
    /// use motcua::OutcomeKind;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.outcome_by_id("issued").unwrap().kind(), OutcomeKind::ResultIssued);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn kind(&self) -> OutcomeKind {
        self.kind
    }
}

/// A compiled step.
///
/// ```
/// use motcua::NationalStatus;
/// # use motcua::{Catalogue, Library, Procedure};
/// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let review = procedure.step_by_id("review").unwrap();
/// assert_eq!(review.agency(), Some("department_finance"));
/// assert_eq!(review.role(), "officer");
/// assert_eq!(review.status(), NationalStatus::Received);
/// assert_eq!(review.budget().to_string(), "1.5d");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Step {
    /// Identifier.
    pub(crate) id: String,
    /// Label.
    pub(crate) name: Text,
    /// The agency kind handling it, `None` for the applicant's steps.
    pub(crate) agency: Option<String>,
    /// The agency kind's level.
    pub(crate) level: Option<String>,
    /// The role handling it.
    pub(crate) role: String,
    /// Whether the applicant takes this step.
    pub(crate) citizen: bool,
    /// National status while the dossier waits here.
    pub(crate) status: NationalStatus,
    /// Allotted working time.
    pub(crate) budget: WorkingDuration,
    /// Allotted working time in each deadline case (by case index), when it differs.
    pub(crate) case_budgets: Vec<Option<WorkingDuration>>,
    /// Whether the legal clock runs here.
    pub(crate) clock: Clock,
    /// For a join step: how many branches must arrive.
    pub(crate) join_branches: Option<u32>,
    /// Actions, in the order written.
    pub(crate) actions: Vec<Action>,
    /// What the step's agency receives in a hand-off (field paths split on `.`, document ids).
    pub(crate) receives: Receives,
}

impl Step {
    /// The identifier, as written in the spec (`receive`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let ids: Vec<&str> = procedure.steps().iter().map(|s| s.id()).collect();
    /// assert_eq!(ids, ["receive", "review", "supplement", "approve", "return_result"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The label in Vietnamese and English.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.start().name().get("vi"), "Tiếp nhận hồ sơ");
    /// assert_eq!(procedure.start().name().get("en"), "Receive the dossier");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn name(&self) -> &Text {
        &self.name
    }

    /// The agency kind handling it (`department_finance`), `None` for the applicant's steps.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.start().agency(), Some("department_finance"));
    /// assert_eq!(procedure.step_by_id("supplement").unwrap().agency(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn agency(&self) -> Option<&str> {
        self.agency.as_deref()
    }

    /// The administrative level of that agency kind (`province`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// assert_eq!(procedure.start().level(), Some("commune"));
    /// assert_eq!(procedure.step_by_id("supplement").unwrap().level(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn level(&self) -> Option<&str> {
        self.level.as_deref()
    }

    /// The role handling it (`one_stop_officer`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.step_by_id("approve").unwrap().role(), "leader");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn role(&self) -> &str {
        &self.role
    }

    /// Whether the applicant takes this step (supplementing, paying, collecting).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert!(procedure.step_by_id("supplement").unwrap().is_citizen());
    /// assert!(!procedure.start().is_citizen());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_citizen(&self) -> bool {
        self.citizen
    }

    /// The national status (Decision 274/QĐ-TTg codes) while a dossier waits here.
    ///
    /// ```
    /// use motcua::NationalStatus;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.start().status(), NationalStatus::New);
    /// assert_eq!(procedure.step_by_id("supplement").unwrap().status(), NationalStatus::SupplementRequested);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn status(&self) -> NationalStatus {
        self.status
    }

    /// The working time allotted to the step.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let approve = procedure.step_by_id("approve").unwrap();
    /// assert_eq!(approve.budget().to_string(), "0.75d");
    /// assert_eq!(approve.budget().to_minutes(procedure.calendar().day_minutes()), 360);
    /// assert_eq!(procedure.step_by_id("supplement").unwrap().budget(), WorkingDuration::ZERO);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn budget(&self) -> WorkingDuration {
        self.budget
    }

    /// The allotted working time while deadline case `case` (an index into
    /// [`Procedure::deadline_cases`]; `None` for the default case) is in force.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/judicial-record-certificate.yaml"), "judicial-record-certificate.yaml", &library)?;
    /// let verify = procedure.step_by_id("central_verification").unwrap();
    /// assert!(verify.budget_in(None).is_zero());
    /// assert_eq!(verify.budget_in(Some(0)).to_string(), "7d");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn budget_in(&self, case: Option<usize>) -> WorkingDuration {
        case.and_then(|c| self.case_budgets.get(c).copied().flatten()).unwrap_or(self.budget)
    }

    /// Whether the legal clock runs while a dossier waits here (it stops while the applicant
    /// supplements).
    ///
    /// ```
    /// use motcua::spec::procedure::Clock;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.start().clock(), Clock::Runs);
    /// assert_eq!(procedure.step_by_id("supplement").unwrap().clock(), Clock::Suspended);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// For a join step: how many branches must arrive before it starts.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// // The police and the social-insurance branches meet at `return_results`.
    /// assert_eq!(procedure.step_by_id("return_results").unwrap().join_branches(), Some(2));
    /// assert_eq!(procedure.start().join_branches(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn join_branches(&self) -> Option<u32> {
        self.join_branches
    }

    /// The actions, in the order written.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let approve = procedure.step_by_id("approve").unwrap();
    /// let ids: Vec<&str> = approve.actions().iter().map(|a| a.id()).collect();
    /// assert_eq!(ids, ["sign", "send_back", "refuse"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// What the step's agency receives when a dossier is handed to it.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let insurance = procedure.step_by_id("insurance_card").unwrap();
    /// assert_eq!(insurance.receives().documents, ["insurance_declaration"]);
    /// assert!(insurance.receives().fields.contains(&vec!["residence".to_string(), "province".to_string()]));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn receives(&self) -> &Receives {
        &self.receives
    }

    /// The action with this identifier and its position.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let approve = procedure.step_by_id("approve").unwrap();
    /// assert_eq!(approve.action("send_back").map(|(i, a)| (i, a.id())), Some((1, "send_back")));
    /// assert!(approve.action("accept").is_none());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn action(&self, id: &str) -> Option<(usize, &Action)> {
        self.actions.iter().enumerate().find(|(_, a)| a.id == id)
    }
}

/// A compiled terminal outcome.
///
/// ```
/// use motcua::OutcomeKind;
/// # use motcua::{Catalogue, Library, Procedure};
/// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let not_received = procedure.outcome_by_id("not_received").unwrap();
/// assert_eq!(not_received.kind(), OutcomeKind::NotReceived);
/// assert_eq!(not_received.name().get("vi"), "Không tiếp nhận");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Identifier.
    pub(crate) id: String,
    /// Label.
    pub(crate) name: Text,
    /// Kind.
    pub(crate) kind: OutcomeKind,
}

/// A procedure compiled into a state machine, checked and ready to run dossiers.
///
/// A `Procedure` is immutable and `Send + Sync`: compile it once, share it across threads.
///
/// ```
/// use motcua::{Catalogue, Procedure};
///
/// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let mut library = motcua::Library::new(catalogue);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// let text = include_str!("../../specs/procedures/business-registration.yaml");
/// let procedure = Procedure::from_yaml(text, "business-registration.yaml", &library)?;
/// assert_eq!(procedure.start().id(), "receive");
/// assert!(procedure.warnings().is_empty());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Procedure {
    spec: ProcedureSpec,
    steps: Vec<Step>,
    outcomes: Vec<Outcome>,
    step_by_id: NameMap<StepIx>,
    outcome_by_id: NameMap<OutcomeIx>,
    graph: DiGraph<Node, Edge>,
    step_nodes: Vec<NodeIndex>,
    outcome_nodes: Vec<NodeIndex>,
    citizen_roles: Vec<String>,
    /// Names of the agency kinds its steps use, from the catalogue.
    agency_names: std::collections::BTreeMap<String, Text>,
    units: Option<Arc<Units>>,
    calendar: Arc<Calendar>,
    form: crate::form::Form,
    /// The deadline cases, in the order tried.
    cases: Vec<CaseRule>,
    warnings: Vec<Diagnostic>,
}

/// A compiled deadline case.
#[derive(Clone, Debug)]
pub(crate) struct CaseRule {
    pub(crate) id: String,
    pub(crate) condition: CaseCondition,
    pub(crate) deadline: WorkingDuration,
}

/// What selects a deadline case.
#[derive(Clone, Debug)]
pub(crate) enum CaseCondition {
    /// A condition over the form.
    Form(crate::expr::CompiledExpr),
    /// A decision recorded as `true`.
    Decision(String),
    /// Broken in the spec (already reported): never holds.
    Never,
}

impl Procedure {
    /// Loads, compiles and lints a procedure with default [`Limits`].
    ///
    /// Fails with every error found (and the warnings) when any diagnostic is an error.
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Library, Procedure};
    ///
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let text = include_str!("../../specs/procedures/business-registration.yaml");
    /// let procedure = Procedure::from_yaml(text, "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.code(), "2.001610");
    ///
    /// // A mistake is reported at its file, line and column.
    /// let broken = text.replacen("{to: review, slip: receipt", "{to: revieww, slip: receipt", 1);
    /// let err = Procedure::from_yaml(&broken, "broken.yaml", &library).unwrap_err();
    /// let d = &err.errors().next().unwrap();
    /// assert_eq!((d.code, d.file.as_str(), d.path.as_str()), (Code::UnknownStep, "broken.yaml", "steps.receive.actions.accept.to"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str, library: &Library) -> Result<Procedure, LoadError> {
        Self::from_yaml_with_limits(text, file, library, &Limits::default())
    }

    /// Loads, compiles and lints a procedure with the given limits.
    ///
    /// ```
    /// use motcua::{Code, Limits, Procedure};
    /// # use motcua::{Catalogue, Library};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let mut limits = Limits::default();
    /// limits.max_input_bytes = 1000;
    /// let text = include_str!("../../specs/procedures/business-registration.yaml");
    /// let err = Procedure::from_yaml_with_limits(text, "business-registration.yaml", &library, &limits).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::LimitExceeded);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml_with_limits(
        text: &str,
        file: &str,
        library: &Library,
        limits: &Limits,
    ) -> Result<Procedure, LoadError> {
        let (spec, map) = yaml::from_str::<ProcedureSpec>(text, file, limits)?;
        Self::compile(spec, &map, library, limits)
    }

    /// Loads, compiles and lints a procedure written as JSON (the serialization of
    /// [`ProcedureSpec`], as [`Procedure::to_json`] gives it) with default [`Limits`].
    ///
    /// The same checks as [`Procedure::from_yaml`], with diagnostics placed at the JSON
    /// line, column and path. It never touches the YAML parser, so a build that loads
    /// only JSON (a browser, sent specs by a server) leaves it out.
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Library, Procedure};
    ///
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let mut library = Library::new(catalogue);
    /// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let text = include_str!("../../specs/procedures/business-registration.yaml");
    /// let from_yaml = Procedure::from_yaml(text, "business-registration.yaml", &library)?;
    ///
    /// // What a server ships to browsers:
    /// let json = from_yaml.to_json();
    /// let procedure = Procedure::from_json(&json, "business-registration.json", &library)?;
    /// assert_eq!(procedure.spec(), from_yaml.spec());
    ///
    /// // Mistakes are placed in the JSON text.
    /// let broken = json.replacen("\"to\":\"review\"", "\"to\":\"revieww\"", 1);
    /// let err = Procedure::from_json(&broken, "broken.json", &library).unwrap_err();
    /// let d = &err.diagnostics()[0];
    /// assert_eq!((d.code, d.path.as_str()), (Code::UnknownStep, "steps.receive.actions.accept.to"));
    /// let at = broken.find("\"revieww\"").unwrap();
    /// assert_eq!((d.line, d.column as usize), (1, broken[..at].chars().count() + 1)); // columns count characters
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_json(text: &str, file: &str, library: &Library) -> Result<Procedure, LoadError> {
        Self::from_json_with_limits(text, file, library, &Limits::default())
    }

    /// Loads, compiles and lints a procedure written as JSON with the given limits.
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Library, Limits, Procedure};
    ///
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let library = Library::new(catalogue);
    /// let mut limits = Limits::default();
    /// limits.max_input_bytes = 100;
    /// let text = format!("{{\"code\": \"{}\"}}", "9".repeat(100));
    /// let err = Procedure::from_json_with_limits(&text, "big.json", &library, &limits).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::LimitExceeded);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_json_with_limits(
        text: &str,
        file: &str,
        library: &Library,
        limits: &Limits,
    ) -> Result<Procedure, LoadError> {
        let (spec, map) = json::from_str::<ProcedureSpec>(text, file, limits)?;
        Self::compile(spec, &map, library, limits)
    }

    /// Compiles and lints a spec read by either reader.
    fn compile(
        spec: ProcedureSpec,
        map: &SourceMap,
        library: &Library,
        limits: &Limits,
    ) -> Result<Procedure, LoadError> {
        let mut diagnostics = Vec::new();
        let procedure = build(spec, map, library, limits, &mut diagnostics);
        sort_by_place(&mut diagnostics);
        match procedure {
            Some(mut p) if !diagnostics.iter().any(Diagnostic::is_error) => {
                p.warnings = diagnostics;
                Ok(p)
            }
            _ => Err(LoadError::new(diagnostics)),
        }
    }

    /// The spec as written.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let spec = procedure.spec();
    /// assert_eq!(spec.legal_deadline.to_string(), "3d");
    /// assert_eq!(spec.steps.len(), 5);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn spec(&self) -> &ProcedureSpec {
        &self.spec
    }

    /// The spec as JSON, in the form [`Procedure::from_json`] reads: the serde serialization
    /// of [`ProcedureSpec`] (snake_case keys, steps and outcomes in the order written,
    /// durations as written, e.g. `"0.5d"`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// # let mut library = Library::new(catalogue);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let text = include_str!("../../specs/procedures/business-registration.yaml");
    /// let procedure = Procedure::from_yaml(text, "business-registration.yaml", &library)?;
    /// let json: serde_json::Value = serde_json::from_str(&procedure.to_json()).unwrap();
    /// assert_eq!(json["legal_deadline"], "3d");
    /// assert_eq!(json["steps"]["receive"]["actions"]["accept"]["to"], "review");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing spec types cannot fail: every map key is a string.
        serde_json::to_string(&self.spec).unwrap_or_default()
    }

    /// National procedure code.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.code(), "2.001610");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn code(&self) -> &str {
        &self.spec.code
    }

    /// Spec version.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.version(), "2025.1");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn version(&self) -> &str {
        &self.spec.version
    }

    /// Warnings found while compiling (errors prevent compilation).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert!(procedure.warnings().is_empty());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The step where every dossier starts (the first one written).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.start().id(), "receive");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn start(&self) -> &Step {
        &self.steps[0]
    }

    /// All steps, in the order written.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// assert_eq!(procedure.steps().len(), 7);
    /// assert_eq!(procedure.steps()[1].id(), "supplement");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// All outcomes, in the order written.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let ids: Vec<&str> = procedure.outcomes().iter().map(|o| o.id()).collect();
    /// assert_eq!(ids, ["issued", "refused", "not_received", "stopped"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// A step by identifier.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.step_by_id("review").unwrap().role(), "officer");
    /// assert!(procedure.step_by_id("issued").is_none()); // an outcome, not a step
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn step_by_id(&self, id: &str) -> Option<&Step> {
        self.step_ix(id).map(|ix| self.step(ix))
    }

    /// An outcome by identifier.
    ///
    /// ```
    /// use motcua::OutcomeKind;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.outcome_by_id("issued").unwrap().kind(), OutcomeKind::ResultIssued);
    /// assert!(procedure.outcome_by_id("review").is_none());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn outcome_by_id(&self, id: &str) -> Option<&Outcome> {
        self.outcome_ix(id).map(|ix| self.outcome(ix))
    }

    /// Where `action` leads, in the order written (several targets: a fork).
    ///
    /// ```
    /// use motcua::Next;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let (_, sign) = procedure.step_by_id("sign").unwrap().action("sign").unwrap();
    /// let targets: Vec<&str> = procedure
    ///     .targets(sign)
    ///     .map(|next| match next {
    ///         Next::Step(step) => step.id(),
    ///         Next::Outcome(outcome) => outcome.id(),
    ///     })
    ///     .collect();
    /// assert_eq!(targets, ["residence", "insurance_card"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn targets<'p>(&'p self, action: &'p Action) -> impl ExactSizeIterator<Item = Next<'p>> + 'p {
        action.targets.iter().map(move |target| match *target {
            Target::Step(ix) => Next::Step(self.step(ix)),
            Target::Outcome(ix) => Next::Outcome(self.outcome(ix)),
        })
    }

    /// The petgraph graph: steps and outcomes as nodes, actions as edges.
    pub(crate) fn graph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// The graph node of a step.
    pub(crate) fn step_node(&self, ix: StepIx) -> NodeIndex {
        self.step_nodes[ix.0 as usize]
    }

    /// A step by index.
    pub(crate) fn step(&self, ix: StepIx) -> &Step {
        &self.steps[ix.0 as usize]
    }

    /// An outcome by index.
    pub(crate) fn outcome(&self, ix: OutcomeIx) -> &Outcome {
        &self.outcomes[ix.0 as usize]
    }

    /// A step's index by identifier.
    pub(crate) fn step_ix(&self, id: &str) -> Option<StepIx> {
        self.step_by_id.get(id).copied()
    }

    /// An outcome's index by identifier.
    pub(crate) fn outcome_ix(&self, id: &str) -> Option<OutcomeIx> {
        self.outcome_by_id.get(id).copied()
    }

    /// Whether a role is the applicant's (from the catalogue the procedure was compiled with).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert!(procedure.is_citizen_role("citizen"));
    /// assert!(!procedure.is_citizen_role("officer"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_citizen_role(&self, role: &str) -> bool {
        self.citizen_roles.iter().any(|r| r == role)
    }

    /// The catalogue's name of an agency kind its steps use (`Sở Tài chính` for
    /// `department_finance`).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.agency_name("department_finance").unwrap().get("vi"), "Sở Tài chính");
    /// assert!(procedure.agency_name("commune_police").is_none()); // no step of it
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn agency_name(&self, agency: &str) -> Option<&Text> {
        self.agency_names.get(agency)
    }

    /// The administrative units of the library it was compiled with, if any were loaded.
    ///
    /// ```
    /// use motcua::{Catalogue, Library, Procedure};
    ///
    /// let text = include_str!("../../specs/procedures/business-registration.yaml");
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// assert!(Procedure::from_yaml(text, "business-registration.yaml", &library)?.units().is_none());
    ///
    /// library.add_units_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml")?;
    /// let procedure = Procedure::from_yaml(text, "business-registration.yaml", &library)?;
    /// assert!(procedure.units().unwrap().contains("01"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn units(&self) -> Option<&Units> {
        self.units.as_deref()
    }

    /// The application form and document checklist (empty when the spec has none).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// let form = procedure.form();
    /// assert_eq!(form.title().unwrap().get("en"), "Enterprise registration application");
    /// assert_eq!(form.document_ids().next(), Some("application"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn form(&self) -> &crate::form::Form {
        &self.form
    }

    /// The working-day calendar its deadlines are counted on.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// assert_eq!(procedure.calendar().id(), "vn-gov");
    /// assert_eq!(procedure.calendar().day_minutes(), 480);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// When the legal clock starts for a dossier received at `received`: the procedure's
    /// cut-off hour applied on its calendar (received at or after it, the next working day).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// // The cut-off is 15:00: received on Monday at 16:00, the count starts on Tuesday morning.
    /// assert_eq!(procedure.start_of_count(at("2026-03-02T14:00:00+07:00")).unwrap(), at("2026-03-02T14:00:00+07:00"));
    /// assert_eq!(procedure.start_of_count(at("2026-03-02T16:00:00+07:00")).unwrap(), at("2026-03-03T08:00:00+07:00"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn start_of_count(
        &self,
        received: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<chrono::DateTime<chrono::FixedOffset>, crate::calendar::CalendarError> {
        let cutoff = self.spec.cutoff.map(|c| {
            chrono::NaiveTime::from_num_seconds_from_midnight_opt(c.minutes().min(1439) * 60, 0).unwrap_or_default()
        });
        self.calendar.start_of_count(received, cutoff)
    }

    /// The first outcome of a kind, if the spec has one.
    ///
    /// ```
    /// use motcua::OutcomeKind;
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// assert_eq!(procedure.outcome_of_kind(OutcomeKind::Stopped).unwrap().id(), "stopped");
    /// assert!(procedure.outcome_of_kind(OutcomeKind::Withdrawn).is_none());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn outcome_of_kind(&self, kind: OutcomeKind) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.kind == kind)
    }

    /// The deadline cases (`deadline_cases`), in the order they are tried: each one's
    /// identifier and legal deadline. The default case (`legal_deadline`) is not listed.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/judicial-record-certificate.yaml"), "judicial-record-certificate.yaml", &library)?;
    /// let cases: Vec<(&str, String)> = procedure.deadline_cases().map(|(id, d)| (id, d.to_string())).collect();
    /// assert_eq!(cases, [("verification", "15d".to_owned()), ("several_residences", "15d".to_owned())]);
    /// assert_eq!(procedure.legal_deadline_in(None).to_string(), "10d");
    /// assert_eq!(procedure.legal_deadline_in(Some(0)).to_string(), "15d");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn deadline_cases(&self) -> impl ExactSizeIterator<Item = (&str, WorkingDuration)> + '_ {
        self.cases.iter().map(|c| (c.id.as_str(), c.deadline))
    }

    /// The legal deadline while case `case` is in force (`None`: the default case).
    /// See [`Procedure::deadline_cases`].
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
    /// // A procedure without cases: always its `legal_deadline`.
    /// assert_eq!(procedure.legal_deadline_in(None).to_string(), "3d");
    /// assert_eq!(procedure.legal_deadline_in(Some(0)).to_string(), "3d");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn legal_deadline_in(&self, case: Option<usize>) -> WorkingDuration {
        case.and_then(|c| self.cases.get(c)).map_or(self.spec.legal_deadline, |c| c.deadline)
    }

    /// The index of a deadline case by identifier.
    pub(crate) fn case_ix(&self, id: &str) -> Option<usize> {
        self.cases.iter().position(|c| c.id == id)
    }

    /// The first deadline case that holds for this form and these recorded decisions
    /// (`None`: the default case). A form condition that cannot be evaluated (an
    /// incomplete desk intake) does not hold.
    pub(crate) fn case_in_force(
        &self,
        data: &serde_json::Value,
        documents: &[crate::document::SubmittedDocument],
        today: chrono::NaiveDate,
        decisions: &std::collections::BTreeMap<String, bool>,
    ) -> Option<usize> {
        self.cases.iter().position(|c| match &c.condition {
            CaseCondition::Form(e) => self.form.eval_condition(e, data, documents, today).unwrap_or(false),
            CaseCondition::Decision(d) => decisions.get(d).copied().unwrap_or(false),
            CaseCondition::Never => false,
        })
    }
}

fn build(
    spec: ProcedureSpec,
    map: &SourceMap,
    library: &Library,
    limits: &Limits,
    out: &mut Vec<Diagnostic>,
) -> Option<Procedure> {
    let catalogue = library.catalogue();
    if !source::check_format(spec.motcua, map, out) {
        return None;
    }
    if spec.catalogue != catalogue.id() {
        out.push(map.diagnostic(
            Code::CatalogueMismatch,
            "catalogue",
            Part::Value,
            Message::new(
                format!("Thủ tục dùng danh mục `{}` nhưng được nạp với danh mục `{}`", spec.catalogue, catalogue.id()),
                format!("the procedure uses catalogue `{}` but was loaded with `{}`", spec.catalogue, catalogue.id()),
            ),
        ));
        return None;
    }
    let count = spec.steps.len() + spec.outcomes.len();
    if count > limits.max_steps {
        out.push(map.diagnostic(
            Code::LimitExceeded,
            "steps",
            Part::Key,
            Message::new(
                format!("Thủ tục có {count} bước và kết quả, tối đa {}", limits.max_steps),
                format!("{count} steps and outcomes, at most {}", limits.max_steps),
            ),
        ));
        return None;
    }
    let calendar = library.calendar(&spec.calendar).map(|c| Arc::new(c.clone()));
    if calendar.is_none() {
        let known: Vec<&str> = library.calendars().ids().collect();
        out.push(
            map.diagnostic(
                Code::UnknownCalendar,
                "calendar",
                Part::Value,
                Message::new(
                    format!("Không có lịch làm việc `{}`", spec.calendar),
                    format!("no working-day calendar `{}` is loaded", spec.calendar),
                ),
            )
            .with_help(Message::new(
                format!("Các lịch đã nạp: {}", known.join(", ")),
                format!("loaded calendars: {}", known.join(", ")),
            )),
        );
    }
    if spec.steps.is_empty() {
        out.push(map.diagnostic(
            Code::MissingField,
            "steps",
            Part::Key,
            Message::new("Thủ tục phải có ít nhất một bước", "a procedure needs at least one step"),
        ));
        return None;
    }
    if spec.legal_basis.is_empty() {
        out.push(map.diagnostic(
            Code::MissingField,
            "legal_basis",
            Part::Value,
            Message::new("Cần ghi ít nhất một căn cứ pháp lý", "cite at least one legal document in `legal_basis`"),
        ));
    }

    // Identifiers: steps and outcomes share one namespace.
    let mut step_by_id = NameMap::default();
    let mut outcome_by_id = NameMap::default();
    for (i, id) in spec.steps.keys().enumerate() {
        check_identifier(id, map, &source::join("steps", id), Part::Key, out);
        step_by_id.insert(id.clone(), StepIx(i as u32));
    }
    for (i, id) in spec.outcomes.keys().enumerate() {
        let path = source::join("outcomes", id);
        check_identifier(id, map, &path, Part::Key, out);
        if step_by_id.contains_key(id) {
            out.push(map.diagnostic(
                Code::InvalidName,
                &path,
                Part::Key,
                Message::new(
                    format!("Kết quả `{id}` trùng tên với một bước"),
                    format!("outcome `{id}` has the same name as a step"),
                ),
            ));
        }
        outcome_by_id.insert(id.clone(), OutcomeIx(i as u32));
    }

    let outcomes: Vec<Outcome> =
        spec.outcomes.iter().map(|(id, o)| Outcome { id: id.clone(), name: o.name.clone(), kind: o.kind }).collect();

    // The form and document checklist, then guards against them.
    let fields = spec.form.as_ref().map_or(0, |f| count_fields(&f.fields)) + spec.documents.len();
    if fields > limits.max_fields {
        out.push(map.diagnostic(
            Code::LimitExceeded,
            "form",
            Part::Key,
            Message::new(
                format!("Tờ khai và thành phần hồ sơ có {fields} mục, tối đa {}", limits.max_fields),
                format!("{fields} form fields and documents, at most {}", limits.max_fields),
            ),
        ));
        return None;
    }
    for (id, document) in &spec.documents {
        // A name that is not snake_case is already reported by the form compiler.
        if let Some(db) = &document.replaceable_by
            && db.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && !catalogue.has_database(db)
        {
            let mut d = map.diagnostic(
                Code::UnknownDatabase,
                &source::join(&source::join("documents", id), "replaceable_by"),
                Part::Value,
                Message::new(
                    format!("Cơ sở dữ liệu quốc gia `{db}` không có trong danh mục"),
                    format!("national database `{db}` is not in the catalogue"),
                ),
            );
            if let Some(near) = nearest(db, catalogue.databases()) {
                d = d.with_help(Message::new(format!("Có phải `{near}`?"), format!("did you mean `{near}`?")));
            }
            out.push(d);
        }
    }
    let empty = crate::form::FormSpec::default();
    let form = match crate::form::compile(spec.form.as_ref().unwrap_or(&empty), &spec.documents, map, "") {
        Ok(form) if !catalogue.spec().citizen_id_provinces.is_empty() => {
            Some(form.with_citizen_id_provinces(catalogue.citizen_id_provinces()))
        }
        Ok(form) => Some(form),
        Err(problems) => {
            out.extend(problems);
            None
        }
    };

    // Decisions and deadline cases.
    for id in spec.decisions.keys() {
        check_identifier(id, map, &source::join("decisions", id), Part::Key, out);
    }
    let mut cases = Vec::with_capacity(spec.deadline_cases.len());
    for (id, c) in &spec.deadline_cases {
        let path = source::join("deadline_cases", id);
        check_identifier(id, map, &path, Part::Key, out);
        if c.basis.is_none() {
            out.push(
                map.diagnostic(
                    Code::UncitedDeadlineCase,
                    &path,
                    Part::Key,
                    Message::new(
                        format!("Trường hợp `{id}` có thời hạn riêng nhưng không nêu căn cứ pháp lý (`basis`)"),
                        format!("case `{id}` sets its own deadline but cites no legal basis (`basis`)"),
                    ),
                )
                .with_help(Message::new(
                    "Ghi văn bản và điều, khoản quy định thời hạn này, ví dụ `basis: {document: Luật 28/2009/QH12, title: {vi: Điều 48}}`",
                    "cite the document and article that set this deadline, e.g. `basis: {document: Luật 28/2009/QH12, title: {en: Art. 48}}`",
                )),
            );
        }
        let condition = match (&c.when, &c.decision) {
            (Some(_), Some(_)) | (None, None) => {
                out.push(map.diagnostic(
                    Code::InvalidValue,
                    &path,
                    Part::Key,
                    Message::new(
                        format!("Trường hợp `{id}` cần đúng một điều kiện: `when` (theo tờ khai) hoặc `decision` (quyết định của cán bộ)"),
                        format!("case `{id}` needs exactly one condition: `when` (over the form) or `decision` (an officer's)"),
                    ),
                ));
                CaseCondition::Never
            }
            (Some(text), None) => match &form {
                Some(f) => match f.parse_guard(text) {
                    Ok(e) => CaseCondition::Form(e),
                    Err(err) => {
                        out.push(map.value_diagnostic(
                            err.code,
                            &source::join(&path, "when"),
                            err.message,
                            text,
                            err.span.start..err.span.end,
                        ));
                        CaseCondition::Never
                    }
                },
                None => CaseCondition::Never,
            },
            (None, Some(d)) => {
                if spec.decisions.contains_key(d) {
                    CaseCondition::Decision(d.clone())
                } else {
                    out.push(unknown_decision(map, &spec, &source::join(&path, "decision"), Part::Value, d));
                    CaseCondition::Never
                }
            }
        };
        cases.push(CaseRule { id: id.clone(), condition, deadline: c.deadline });
    }

    // Steps: resolve agencies, roles, defaults.
    let mut steps = Vec::with_capacity(spec.steps.len());
    for (i, (id, s)) in spec.steps.iter().enumerate() {
        let path = source::join("steps", id);
        let citizen = catalogue.is_citizen_role(&s.role);
        if !catalogue.has_role(&s.role) {
            out.push(unknown_role(map, catalogue, &source::join(&path, "role"), &s.role));
        }
        let level = match &s.agency {
            Some(agency) => match catalogue.agency_level(agency) {
                Some(level) => {
                    if let Some(after) = catalogue.level_abolished_after(level)
                        && spec.valid_from > after
                    {
                        out.push(map.diagnostic(
                            Code::HistoricalLevel,
                            &source::join(&path, "agency"),
                            Part::Value,
                            Message::new(
                                format!("Cấp `{level}` của `{agency}` đã bãi bỏ sau ngày {after}"),
                                format!("level `{level}` of `{agency}` was abolished after {after}"),
                            ),
                        ));
                    }
                    Some(level.to_owned())
                }
                None => {
                    out.push(unknown_agency(map, catalogue, &source::join(&path, "agency"), agency));
                    None
                }
            },
            None if !citizen && catalogue.has_role(&s.role) => {
                out.push(map.diagnostic(
                    Code::MissingField,
                    &path,
                    Part::Key,
                    Message::new(
                        format!("Bước `{id}` cần `agency` vì vai trò `{}` không phải công dân", s.role),
                        format!("step `{id}` needs an `agency`: role `{}` is not the applicant's", s.role),
                    ),
                ));
                None
            }
            None => None,
        };
        let default_status = if i == 0 { NationalStatus::New } else { NationalStatus::Processing };
        let status = match s.status {
            None => default_status,
            Some(code) => match NationalStatus::from_code(code).filter(|st| st.allowed_for_step()) {
                Some(st) => st,
                None => {
                    out.push(
                        map.diagnostic(
                            Code::InvalidStatusCode,
                            &source::join(&path, "status"),
                            Part::Value,
                            Message::new(
                                format!("Bước không thể mang mã trạng thái {code}"),
                                format!("a step cannot hold national status {code}"),
                            ),
                        )
                        .with_help(Message::new(
                            "Bước dùng 1, 2, 4, 5, 6 hoặc 9; mã 3, 7, 8, 10 do kết quả hoặc rút hồ sơ sinh ra",
                            "steps use 1, 2, 4, 5, 6 or 9; 3, 7, 8 and 10 come from outcomes and withdrawal",
                        )),
                    );
                    default_status
                }
            },
        };
        if s.actions.len() > limits.max_actions_per_step {
            out.push(map.diagnostic(
                Code::LimitExceeded,
                &source::join(&path, "actions"),
                Part::Key,
                Message::new(
                    format!("Bước có {} thao tác, tối đa {}", s.actions.len(), limits.max_actions_per_step),
                    format!("{} actions, at most {}", s.actions.len(), limits.max_actions_per_step),
                ),
            ));
        }
        let mut actions = Vec::with_capacity(s.actions.len());
        for (action_id, a) in &s.actions {
            let apath = source::join(&source::join(&path, "actions"), action_id);
            check_identifier(action_id, map, &apath, Part::Key, out);
            let (role, agency) = match &a.by {
                Some(by) => {
                    if !catalogue.has_role(&by.role) {
                        out.push(unknown_role(map, catalogue, &format!("{apath}.by.role"), &by.role));
                    }
                    let agency = match &by.agency {
                        Some(ag) => {
                            if catalogue.agency_level(ag).is_none() {
                                out.push(unknown_agency(map, catalogue, &format!("{apath}.by.agency"), ag));
                            }
                            Some(ag.clone())
                        }
                        None if catalogue.is_citizen_role(&by.role) => None,
                        None => s.agency.clone(),
                    };
                    (by.role.clone(), agency)
                }
                None => (s.role.clone(), if citizen { None } else { s.agency.clone() }),
            };
            let mut targets = Vec::with_capacity(a.to.0.len());
            let to_path = source::join(&apath, "to");
            if a.to.0.is_empty() {
                out.push(map.diagnostic(
                    Code::MissingField,
                    &to_path,
                    Part::Value,
                    Message::new("`to` cần ít nhất một bước", "`to` needs at least one step"),
                ));
            }
            for (t, name) in a.to.0.iter().enumerate() {
                let tpath = if a.to.0.len() == 1 { to_path.clone() } else { source::index(&to_path, t) };
                if let Some(&six) = step_by_id.get(name) {
                    targets.push(Target::Step(six));
                } else if let Some(&oix) = outcome_by_id.get(name) {
                    targets.push(Target::Outcome(oix));
                } else {
                    let mut d = map.diagnostic(
                        Code::UnknownStep,
                        &tpath,
                        Part::Value,
                        Message::new(
                            format!("Không có bước hay kết quả nào tên `{name}`"),
                            format!("no step or outcome is named `{name}`"),
                        ),
                    );
                    if let Some(near) = nearest(name, spec.steps.keys().chain(spec.outcomes.keys())) {
                        let (table, vi, en) = if spec.steps.contains_key(near) {
                            ("steps", "bước", "step")
                        } else {
                            ("outcomes", "kết quả", "outcome")
                        };
                        d = d
                            .with_help(Message::new(format!("Có phải `{near}`?"), format!("did you mean `{near}`?")))
                            .with_label(map.label(
                                &source::join(table, near),
                                Part::Key,
                                Message::new(
                                    format!("{vi} `{near}` khai báo ở đây"),
                                    format!("{en} `{near}` is declared here"),
                                ),
                            ));
                    }
                    out.push(d);
                }
            }
            if a.after.is_some_and(WorkingDuration::is_zero) {
                out.push(map.diagnostic(
                    Code::InvalidValue,
                    &source::join(&apath, "after"),
                    Part::Value,
                    Message::new("Hẹn giờ phải lớn hơn 0", "a timer must wait more than zero"),
                ));
            }
            let guard = match (&a.guard, &form) {
                (Some(text), Some(form)) => match form.parse_guard(text) {
                    Ok(guard) => Some(guard),
                    Err(err) => {
                        let path = source::join(&apath, "guard");
                        out.push(map.value_diagnostic(
                            err.code,
                            &path,
                            err.message,
                            text,
                            err.span.start..err.span.end,
                        ));
                        None
                    }
                },
                _ => None,
            };
            let mut decides = Vec::with_capacity(a.decides.len());
            for (name, value) in &a.decides {
                let dpath = source::join(&source::join(&apath, "decides"), name);
                if !spec.decisions.contains_key(name) {
                    out.push(unknown_decision(map, &spec, &dpath, Part::Key, name));
                } else if a.after.is_some() {
                    out.push(map.diagnostic(
                        Code::InvalidValue,
                        &dpath,
                        Part::Key,
                        Message::new(
                            "Thao tác hẹn giờ không ghi quyết định: quyết định là của cán bộ",
                            "a timer action records no decision: decisions are an officer's",
                        ),
                    ));
                }
                decides.push((name.clone(), *value));
            }
            actions.push(Action {
                decides,
                id: action_id.clone(),
                after: a.after,
                guard,
                name: a.name.clone().unwrap_or_else(|| Text::new(action_id.clone(), None)),
                targets,
                role,
                agency,
                slip: a.slip,
                handoffs: Vec::new(),
                cancels_branches: a.cancels_branches,
                join: None,
            });
        }
        let receives =
            crate::handoff::check_receives(s.receives.as_ref(), spec.form.as_ref(), &spec.documents, map, &path, out);
        let mut case_budgets = vec![None; cases.len()];
        for (case, budget) in &s.case_budgets {
            match spec.deadline_cases.get_index_of(case) {
                Some(ix) => case_budgets[ix] = Some(*budget),
                None => {
                    let mut d = map.diagnostic(
                        Code::UnknownDeadlineCase,
                        &source::join(&source::join(&path, "case_budgets"), case),
                        Part::Key,
                        Message::new(
                            format!("Không có trường hợp thời hạn nào tên `{case}` trong `deadline_cases`"),
                            format!("no deadline case is named `{case}` in `deadline_cases`"),
                        ),
                    );
                    if let Some(near) = nearest(case, spec.deadline_cases.keys()) {
                        d = d.with_help(Message::new(format!("Có phải `{near}`?"), format!("did you mean `{near}`?")));
                    }
                    out.push(d);
                }
            }
        }
        steps.push(Step {
            case_budgets,
            receives,
            id: id.clone(),
            name: s.name.clone(),
            agency: s.agency.clone(),
            level,
            role: s.role.clone(),
            citizen,
            status,
            budget: s.budget.unwrap_or_default(),
            clock: s.clock.unwrap_or(if citizen { Clock::Suspended } else { Clock::Runs }),
            join_branches: None,
            actions,
        });
    }

    // Hand-offs: derived from the agency kinds and levels of both ends.
    for i in 0..steps.len() {
        for a in 0..steps[i].actions.len() {
            let mut handoffs = Vec::new();
            for target in &steps[i].actions[a].targets {
                let Target::Step(t) = *target else { continue };
                let (from, to) = (&steps[i], &steps[t.0 as usize]);
                if let Some(route) = crate::handoff::route(
                    &to.id,
                    from.agency.as_deref(),
                    to.agency.as_deref(),
                    from.level.as_deref(),
                    to.level.as_deref(),
                    catalogue,
                ) {
                    handoffs.push((t, route));
                }
            }
            steps[i].actions[a].handoffs = handoffs;
        }
    }

    // The graph.
    let mut graph = DiGraph::with_capacity(steps.len() + outcomes.len(), steps.len() * 2);
    let step_nodes: Vec<NodeIndex> = (0..steps.len()).map(|i| graph.add_node(Node::Step(StepIx(i as u32)))).collect();
    let outcome_nodes: Vec<NodeIndex> =
        (0..outcomes.len()).map(|i| graph.add_node(Node::Outcome(OutcomeIx(i as u32)))).collect();
    for (i, step) in steps.iter().enumerate() {
        for (a, action) in step.actions.iter().enumerate() {
            for target in &action.targets {
                let to = match *target {
                    Target::Step(t) => step_nodes[t.0 as usize],
                    Target::Outcome(o) => outcome_nodes[o.0 as usize],
                };
                graph.add_edge(step_nodes[i], to, Edge { from: StepIx(i as u32), action: a as u32 });
            }
        }
    }

    let agency_names = steps
        .iter()
        .filter_map(|s: &Step| s.agency.as_ref())
        .filter_map(|a| catalogue.spec().agencies.get(a).map(|spec| (a.clone(), spec.name.clone())))
        .collect();
    let mut procedure = Procedure {
        spec,
        steps,
        outcomes,
        step_by_id,
        outcome_by_id,
        graph,
        step_nodes,
        outcome_nodes,
        citizen_roles: catalogue.spec().roles.iter().filter(|(_, r)| r.citizen).map(|(id, _)| id.clone()).collect(),
        units: library.units_arc(),
        agency_names,
        calendar: calendar?,
        form: form?,
        cases,
        warnings: Vec::new(),
    };
    // Structural lints need resolved references; skip them when references are broken.
    if !out.iter().any(|d| matches!(d.code, Code::UnknownStep)) {
        lints::run(&mut procedure, map, out);
    }
    Some(procedure)
}

/// Fields of a form, counting those inside groups.
fn count_fields(fields: &indexmap::IndexMap<String, crate::form::FieldSpec>) -> usize {
    fields.values().map(|f| 1 + f.fields.as_ref().map_or(0, count_fields)).sum()
}

/// "Did you mean" for a name the catalogue lacks: the nearest it has, if one is near. The
/// catalogue is another file, so this is a help, not a label.
fn did_you_mean<'a>(d: Diagnostic, name: &str, candidates: impl Iterator<Item = &'a String>) -> Diagnostic {
    match nearest(name, candidates) {
        Some(near) => d.with_help(Message::new(
            format!("Có phải `{near}` (trong danh mục)?"),
            format!("did you mean `{near}` (in the catalogue)?"),
        )),
        None => d,
    }
}

fn unknown_decision(map: &SourceMap, spec: &ProcedureSpec, path: &str, part: Part, name: &str) -> Diagnostic {
    let mut d = map.diagnostic(
        Code::UnknownDecision,
        path,
        part,
        Message::new(
            format!("Quyết định `{name}` không được khai báo trong `decisions`"),
            format!("decision `{name}` is not declared in `decisions`"),
        ),
    );
    if let Some(near) = nearest(name, spec.decisions.keys()) {
        d = d.with_help(Message::new(format!("Có phải `{near}`?"), format!("did you mean `{near}`?")));
    }
    d
}

fn unknown_role(map: &SourceMap, catalogue: &Catalogue, path: &str, role: &str) -> Diagnostic {
    let d = map.diagnostic(
        Code::UnknownRole,
        path,
        Part::Value,
        Message::new(
            format!("Vai trò `{role}` không có trong danh mục"),
            format!("role `{role}` is not in the catalogue"),
        ),
    );
    did_you_mean(d, role, catalogue.spec().roles.keys())
}

fn unknown_agency(map: &SourceMap, catalogue: &Catalogue, path: &str, agency: &str) -> Diagnostic {
    let d = map.diagnostic(
        Code::UnknownAgency,
        path,
        Part::Value,
        Message::new(
            format!("Loại cơ quan `{agency}` không có trong danh mục"),
            format!("agency kind `{agency}` is not in the catalogue"),
        ),
    );
    did_you_mean(d, agency, catalogue.spec().agencies.keys())
}

/// The closest name by edit distance, if it is close enough to be a likely typo.
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    candidates
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}
