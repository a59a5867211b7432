//! What changed between two versions of a procedure, in policy staff's terms.

use std::collections::BTreeSet;
use std::fmt;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::compile::{Action, Procedure, Step, Target};
use crate::diagnostic::Message;
use crate::spec::form::{DocumentSpec, FieldSpec};
use crate::spec::procedure::Clock;
use crate::text::Text;

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $inverse:ident; )*) => {
        /// The kind of a [`Change`], with a stable string form (`"step_removed"`, …).
        ///
        /// Like diagnostic [`Code`](crate::Code)s, the string form is part of the public
        /// contract: hosts may store it and switch on it. Kinds may be added; existing ones
        /// are never renamed or reused.
        ///
        /// ```
        /// use motcua::version::ChangeKind;
        /// assert_eq!(ChangeKind::StepRemoved.as_str(), "step_removed");
        /// assert_eq!(ChangeKind::from_name("step_removed"), Some(ChangeKind::StepRemoved));
        /// assert_eq!(ChangeKind::StepRemoved.inverse(), ChangeKind::StepAdded);
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum ChangeKind {
            $( $(#[$doc])* $variant, )*
        }

        impl ChangeKind {
            /// Every kind, in declaration order.
            ///
            /// ```
            /// use motcua::version::ChangeKind;
            ///
            /// assert_eq!(ChangeKind::ALL[0], ChangeKind::from_name(ChangeKind::ALL[0].as_str()).unwrap());
            /// // Swapping the versions twice gives the same kind back.
            /// assert!(ChangeKind::ALL.iter().all(|k| k.inverse().inverse() == *k));
            /// ```
            pub const ALL: &'static [ChangeKind] = &[ $( ChangeKind::$variant, )* ];

            /// The stable string form, e.g. `"step_removed"`.
            ///
            /// ```
            /// assert_eq!(motcua::version::ChangeKind::StepAdded.as_str(), "step_added");
            /// ```
            pub const fn as_str(self) -> &'static str {
                match self { $( ChangeKind::$variant => $name, )* }
            }

            /// Looks a kind up by its string form.
            ///
            /// ```
            /// use motcua::version::ChangeKind;
            ///
            /// assert_eq!(ChangeKind::from_name("step_added"), Some(ChangeKind::StepAdded));
            /// assert_eq!(ChangeKind::from_name("step_renamed_twice"), None);
            /// ```
            pub fn from_name(name: &str) -> Option<ChangeKind> {
                match name { $( $name => Some(ChangeKind::$variant), )* _ => None }
            }

            /// The kind the same change has when the two versions are swapped: an addition
            /// becomes a removal and back; a change stays a change.
            ///
            /// ```
            /// use motcua::version::ChangeKind;
            ///
            /// assert_eq!(ChangeKind::StepAdded.inverse(), ChangeKind::StepRemoved);
            /// assert_eq!(ChangeKind::StepLevelChanged.inverse(), ChangeKind::StepLevelChanged);
            /// ```
            pub const fn inverse(self) -> ChangeKind {
                match self { $( ChangeKind::$variant => ChangeKind::$inverse, )* }
            }
        }
    };
}

kinds! {
    // ---- the procedure as a whole ----
    /// The procedure's national code changed.
    CodeChanged = "code_changed", CodeChanged;
    /// The procedure's name changed.
    NameChanged = "name_changed", NameChanged;
    /// A legal document was added to the legal basis.
    LegalBasisAdded = "legal_basis_added", LegalBasisRemoved;
    /// A legal document was removed from the legal basis.
    LegalBasisRemoved = "legal_basis_removed", LegalBasisAdded;
    /// The legal deadline (*thời hạn giải quyết*) changed.
    LegalDeadlineChanged = "legal_deadline_changed", LegalDeadlineChanged;
    /// The deadline cases (`deadline_cases`), the decisions they depend on, or a step's
    /// budget in a case (`case_budgets`) changed.
    DeadlineCasesChanged = "deadline_cases_changed", DeadlineCasesChanged;
    /// The working-day calendar deadlines are counted on changed.
    CalendarChanged = "calendar_changed", CalendarChanged;
    /// The cut-off hour changed.
    CutoffChanged = "cutoff_changed", CutoffChanged;
    /// The service mode (full-online, partial-online, offline) changed.
    ServiceModeChanged = "service_mode_changed", ServiceModeChanged;
    /// A submission channel was added.
    ChannelAdded = "channel_added", ChannelRemoved;
    /// A submission channel was removed.
    ChannelRemoved = "channel_removed", ChannelAdded;
    /// Whether the applicant may withdraw changed.
    WithdrawalChanged = "withdrawal_changed", WithdrawalChanged;

    // ---- steps ----
    /// A step was added.
    StepAdded = "step_added", StepRemoved;
    /// A step was removed.
    StepRemoved = "step_removed", StepAdded;
    /// A step's name changed.
    StepNameChanged = "step_name_changed", StepNameChanged;
    /// The agency kind handling a step changed.
    StepAgencyChanged = "step_agency_changed", StepAgencyChanged;
    /// The administrative level handling a step changed (district → commune, …).
    StepLevelChanged = "step_level_changed", StepLevelChanged;
    /// The role handling a step changed.
    StepRoleChanged = "step_role_changed", StepRoleChanged;
    /// A step's budget (its share of the legal deadline) changed.
    StepBudgetChanged = "step_budget_changed", StepBudgetChanged;
    /// The national status a dossier reports in a step changed.
    StepStatusChanged = "step_status_changed", StepStatusChanged;
    /// Whether the legal clock runs in a step changed.
    StepClockChanged = "step_clock_changed", StepClockChanged;
    /// A step became, or stopped being, the join of parallel branches.
    StepJoinChanged = "step_join_changed", StepJoinChanged;

    // ---- actions ----
    /// An action was added to a step.
    ActionAdded = "action_added", ActionRemoved;
    /// An action was removed from a step.
    ActionRemoved = "action_removed", ActionAdded;
    /// Where an action leads changed.
    ActionTargetsChanged = "action_targets_changed", ActionTargetsChanged;
    /// Who may take an action (role or agency) changed.
    ActionActorChanged = "action_actor_changed", ActionActorChanged;
    /// The slip an action produces changed.
    ActionSlipChanged = "action_slip_changed", ActionSlipChanged;
    /// An action's timer (`after`) was added, removed or changed.
    ActionTimerChanged = "action_timer_changed", ActionTimerChanged;
    /// An action's guard was added, removed or changed.
    ActionGuardChanged = "action_guard_changed", ActionGuardChanged;
    /// An action's label (its button's text) changed.
    ActionNameChanged = "action_name_changed", ActionNameChanged;

    // ---- what a hand-off sends (a step's `receives`) ----
    /// A form field is now sent to the step's agency when the dossier is handed to it.
    ReceivesFieldAdded = "receives_field_added", ReceivesFieldRemoved;
    /// A form field is no longer sent to the step's agency.
    ReceivesFieldRemoved = "receives_field_removed", ReceivesFieldAdded;
    /// A document is now sent to the step's agency when the dossier is handed to it.
    ReceivesDocumentAdded = "receives_document_added", ReceivesDocumentRemoved;
    /// A document is no longer sent to the step's agency.
    ReceivesDocumentRemoved = "receives_document_removed", ReceivesDocumentAdded;

    // ---- outcomes ----
    /// An outcome was added.
    OutcomeAdded = "outcome_added", OutcomeRemoved;
    /// An outcome was removed.
    OutcomeRemoved = "outcome_removed", OutcomeAdded;
    /// An outcome's kind changed.
    OutcomeKindChanged = "outcome_kind_changed", OutcomeKindChanged;

    // ---- who handles it ----
    /// A role is used by the new version and not by the old one.
    RoleAdded = "role_added", RoleRemoved;
    /// A role is used by the old version and no longer by the new one.
    RoleRemoved = "role_removed", RoleAdded;
    /// An agency kind handles steps in the new version and not in the old one.
    AgencyAdded = "agency_added", AgencyRemoved;
    /// An agency kind handled steps in the old version and no longer does.
    AgencyRemoved = "agency_removed", AgencyAdded;

    // ---- the form ----
    /// A form field was added.
    FieldAdded = "field_added", FieldRemoved;
    /// A form field was removed.
    FieldRemoved = "field_removed", FieldAdded;
    /// A form field's type changed.
    FieldTypeChanged = "field_type_changed", FieldTypeChanged;
    /// Whether a form field is required changed.
    FieldRequiredChanged = "field_required_changed", FieldRequiredChanged;
    /// A form field's constraints (length, range, pattern, codes, level, repetition, …) changed.
    FieldConstraintsChanged = "field_constraints_changed", FieldConstraintsChanged;
    /// A form field's label changed.
    FieldLabelChanged = "field_label_changed", FieldLabelChanged;

    // ---- the document checklist ----
    /// A document was added to the checklist.
    DocumentAdded = "document_added", DocumentRemoved;
    /// A document was removed from the checklist.
    DocumentRemoved = "document_removed", DocumentAdded;
    /// Whether a document is required, or how many originals and copies, changed.
    DocumentRequirementChanged = "document_requirement_changed", DocumentRequirementChanged;
    /// The national database that may replace a document changed.
    DocumentDatabaseChanged = "document_database_changed", DocumentDatabaseChanged;
    /// A document's accepted formats or largest file changed.
    DocumentFilesChanged = "document_files_changed", DocumentFilesChanged;
    /// A document's name changed.
    DocumentNameChanged = "document_name_changed", DocumentNameChanged;
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change between two versions of a procedure.
///
/// `subject` is the dotted path of what changed, the same in both versions (so a change and
/// its inverse in the swapped diff share it): `steps.review`, `steps.review.actions.propose`,
/// `form.fields.owner.citizen_id`, `documents.charter`, `agencies.district_committee`,
/// `legal_deadline`, ….
///
/// ```
/// # use motcua::{Catalogue, Library, Procedure};
/// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// # let mut library = Library::new(catalogue);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// use motcua::version::{ChangeKind, diff};
///
/// let d = diff(&old, &new);
/// let c = d.find(ChangeKind::FieldRemoved, "form.fields.business_address.fields.district").unwrap();
/// assert!(c.breaking);
/// assert_eq!(c.message.en, "field “District” (`business_address.district`) removed");
/// assert_eq!(c.kind.as_str(), "field_removed");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// What kind of change (stable code).
    pub kind: ChangeKind,
    /// The dotted path of what changed.
    pub subject: String,
    /// Whether a dossier running on the old version cannot simply continue on the new one:
    /// it may be in a step that is gone, held by an agency or role that no longer handles
    /// it, counted on another clock, or its data and documents may no longer validate. A
    /// migration must say what happens to such dossiers.
    pub breaking: bool,
    /// The old value as written in the spec, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The new value as written in the spec, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// What changed, in Vietnamese and English.
    pub message: Message,
    /// Why it matters for running dossiers, when the engine knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Message>,
}

/// One side of a [`ProcedureDiff`]: which procedure and version.
///
/// ```
/// # use motcua::{Catalogue, Library, Procedure};
/// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// # let mut library = Library::new(catalogue);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// let d = motcua::version::diff(&old, &new);
/// assert_eq!((d.from.code.as_str(), d.from.version.as_str()), ("1.001612", "2021.1"));
/// assert_eq!(d.from.valid_until, chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VersionRef {
    /// National procedure code.
    pub code: String,
    /// Spec version.
    pub version: String,
    /// First day the version is in force.
    pub valid_from: chrono::NaiveDate,
    /// Last day the version is in force, if written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<chrono::NaiveDate>,
}

impl VersionRef {
    fn of(p: &Procedure) -> VersionRef {
        VersionRef {
            code: p.code().to_owned(),
            version: p.version().to_owned(),
            valid_from: p.spec().valid_from,
            valid_until: p.spec().valid_until,
        }
    }
}

/// Everything that changed between two versions of a procedure, in the order a reader goes
/// through a spec: the procedure as a whole, steps and their actions, outcomes, roles and
/// agencies, the form, the document checklist.
///
/// It serializes to JSON as `{"from": …, "to": …, "breaking": n, "changes": […]}`.
///
/// ```
/// # use motcua::{Catalogue, Library, Procedure};
/// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// # let mut library = Library::new(catalogue);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// use motcua::version::{ChangeKind, diff};
///
/// let d = diff(&old, &new); // household business registration, district → commune
/// assert!(d.is_breaking());
/// assert_eq!(d.breaking, d.breaking_changes().count());
/// let gone = d.find(ChangeKind::AgencyRemoved, "agencies.district_finance_planning").unwrap();
/// assert!(gone.breaking && gone.impact.is_some());
/// let json = serde_json::to_value(&d).unwrap();
/// assert_eq!(json["to"]["valid_from"], "2025-07-01");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcedureDiff {
    /// The old version.
    pub from: VersionRef,
    /// The new version.
    pub to: VersionRef,
    /// How many changes are breaking for running dossiers.
    pub breaking: usize,
    /// The changes.
    pub changes: Vec<Change>,
}

impl ProcedureDiff {
    /// Whether nothing changed.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert!(motcua::version::diff(&new, &new).is_empty());
    /// assert!(!motcua::version::diff(&old, &new).is_empty());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether some change is breaking for running dossiers.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert!(motcua::version::diff(&old, &new).is_breaking());
    /// assert!(!motcua::version::diff(&old, &old).is_breaking());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_breaking(&self) -> bool {
        self.breaking > 0
    }

    /// The breaking changes.
    ///
    /// ```
    /// use motcua::version::ChangeKind;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let d = motcua::version::diff(&old, &new);
    /// assert!(d.breaking_changes().all(|c| c.breaking));
    /// assert!(d.breaking_changes().any(|c| c.kind == ChangeKind::StepLevelChanged && c.subject == "steps.review"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn breaking_changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking)
    }

    /// The change of this kind about this subject, if there is one.
    ///
    /// ```
    /// use motcua::version::ChangeKind;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let d = motcua::version::diff(&old, &new);
    /// let review = d.find(ChangeKind::StepLevelChanged, "steps.review").unwrap();
    /// assert_eq!(review.new.as_deref(), Some("commune"));
    /// assert!(d.find(ChangeKind::StepRemoved, "steps.review").is_none());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn find(&self, kind: ChangeKind, subject: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.kind == kind && c.subject == subject)
    }
}

/// Lists what changed from `old` to `new`: steps, actions, roles, agencies, budgets, the
/// legal deadline, form fields and documents added, removed or changed, each marked breaking
/// or not for dossiers running on `old`.
///
/// Identity is by identifier: a step, action, field or document renamed in the spec shows as
/// removed and added (a migration file says it is the same one). The validity dates and the
/// version string are not changes (they always differ); they are in [`ProcedureDiff::from`]
/// and [`ProcedureDiff::to`].
///
/// ```
/// use motcua::{Catalogue, Library, Procedure};
/// use motcua::version::{ChangeKind, diff};
///
/// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let mut library = Library::new(catalogue);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// let text = include_str!("../../specs/procedures/business-registration.yaml");
/// let old = Procedure::from_yaml(text, "old.yaml", &library)?;
/// assert!(diff(&old, &old).is_empty());
///
/// // A new version: review takes a day, and the applicant's amendment step is gone.
/// let edited = text.replace("    budget: 1.5d\n", "    budget: 1d\n")
///     .replace("      request_supplement: {to: supplement, slip: supplement_request, name: {vi: \"Yêu cầu sửa đổi, bổ sung\", en: Request changes}}\n", "")
///     .replace("  supplement:\n    name: {vi: \"Doanh nghiệp sửa đổi, bổ sung hồ sơ\", en: The applicant amends the dossier}\n    role: citizen\n    status: 5\n    actions:\n      resubmit: {to: review, name: {vi: Nộp lại hồ sơ, en: Resubmit}}\n", "");
/// let new = Procedure::from_yaml(&edited, "new.yaml", &library)?;
/// let d = diff(&old, &new);
/// let budget = d.find(ChangeKind::StepBudgetChanged, "steps.review").unwrap();
/// assert!(!budget.breaking); // shorter, noted: running dossiers keep their appointment
/// assert_eq!((budget.old.as_deref(), budget.new.as_deref()), (Some("1.5d"), Some("1d")));
/// assert!(d.find(ChangeKind::StepRemoved, "steps.supplement").unwrap().breaking);
/// assert!(d.is_breaking());
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn diff(old: &Procedure, new: &Procedure) -> ProcedureDiff {
    let mut out = Out::default();
    procedure_level(old, new, &mut out);
    steps(old, new, &mut out);
    outcomes(old, new, &mut out);
    roles_and_agencies(old, new, &mut out);
    let no_fields = IndexMap::new();
    let old_fields = old.spec().form.as_ref().map_or(&no_fields, |f| &f.fields);
    let new_fields = new.spec().form.as_ref().map_or(&no_fields, |f| &f.fields);
    fields("form.fields", old_fields, new_fields, &mut out);
    documents(&old.spec().documents, &new.spec().documents, &mut out);
    let changes = out.0;
    ProcedureDiff {
        from: VersionRef::of(old),
        to: VersionRef::of(new),
        breaking: changes.iter().filter(|c| c.breaking).count(),
        changes,
    }
}

#[derive(Default)]
struct Out(Vec<Change>);

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ChangeKind,
        subject: impl Into<String>,
        breaking: bool,
        old: Option<String>,
        new: Option<String>,
        message: Message,
        impact: Option<Message>,
    ) {
        self.0.push(Change { kind, subject: subject.into(), breaking, old, new, message, impact });
    }
}

fn both(t: &Text) -> (String, String) {
    (t.get("vi").to_owned(), t.get("en").to_owned())
}

fn show<T: fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

fn json_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Working minutes of a duration on the procedure's calendar: `1d` and `8h` are the same
/// budget on an 8-hour day, and not a change.
fn minutes(p: &Procedure, d: crate::duration::WorkingDuration) -> u64 {
    d.to_minutes(p.calendar().day_minutes())
}

fn procedure_level(old: &Procedure, new: &Procedure, out: &mut Out) {
    let (o, n) = (old.spec(), new.spec());
    if o.code != n.code {
        out.push(
            ChangeKind::CodeChanged,
            "code",
            true,
            Some(o.code.clone()),
            Some(n.code.clone()),
            Message::new(
                format!("Mã thủ tục đổi từ {} sang {}", o.code, n.code),
                format!("procedure code changed from {} to {}", o.code, n.code),
            ),
            Some(Message::new(
                "Hồ sơ đang giải quyết báo cáo theo mã cũ; cần quyết định mã khi chuyển",
                "running dossiers report the old code; a migration decides which code they carry",
            )),
        );
    }
    if o.name != n.name {
        let ((ov, oe), (nv, ne)) = (both(&o.name), both(&n.name));
        out.push(
            ChangeKind::NameChanged,
            "name",
            false,
            Some(ov.clone()),
            Some(nv.clone()),
            Message::new(format!("Tên thủ tục: «{ov}» → «{nv}»"), format!("name: “{oe}” → “{ne}”")),
            None,
        );
    }
    let docs = |p: &crate::spec::procedure::ProcedureSpec| -> Vec<String> {
        p.legal_basis.iter().map(|l| l.document.clone()).collect()
    };
    let (od, nd) = (docs(o), docs(n));
    for d in &nd {
        if !od.contains(d) {
            out.push(
                ChangeKind::LegalBasisAdded,
                format!("legal_basis.{d}"),
                false,
                None,
                Some(d.clone()),
                Message::new(format!("Thêm căn cứ pháp lý: {d}"), format!("legal basis added: {d}")),
                None,
            );
        }
    }
    for d in &od {
        if !nd.contains(d) {
            out.push(
                ChangeKind::LegalBasisRemoved,
                format!("legal_basis.{d}"),
                false,
                Some(d.clone()),
                None,
                Message::new(format!("Bỏ căn cứ pháp lý: {d}"), format!("legal basis removed: {d}")),
                None,
            );
        }
    }
    let (om, nm) = (minutes(old, o.legal_deadline), minutes(new, n.legal_deadline));
    if om != nm {
        let shorter = nm < om;
        out.push(
            ChangeKind::LegalDeadlineChanged,
            "legal_deadline",
            false,
            Some(o.legal_deadline.to_string()),
            Some(n.legal_deadline.to_string()),
            if shorter {
                Message::new(
                    format!("Thời hạn giải quyết rút ngắn từ {} xuống {}", o.legal_deadline, n.legal_deadline),
                    format!("legal deadline shortened from {} to {}", o.legal_deadline, n.legal_deadline),
                )
            } else {
                Message::new(
                    format!("Thời hạn giải quyết kéo dài từ {} lên {}", o.legal_deadline, n.legal_deadline),
                    format!("legal deadline lengthened from {} to {}", o.legal_deadline, n.legal_deadline),
                )
            },
            Some(Message::new(
                "Hồ sơ đang giải quyết giữ ngày hẹn trả đã hẹn; hồ sơ mới theo thời hạn mới",
                "running dossiers keep the appointment already given; new dossiers get the new deadline",
            )),
        );
    }
    deadline_cases(o, n, out);
    if o.calendar != n.calendar {
        out.push(
            ChangeKind::CalendarChanged,
            "calendar",
            false,
            Some(o.calendar.clone()),
            Some(n.calendar.clone()),
            Message::new(
                format!("Lịch làm việc đổi từ `{}` sang `{}`", o.calendar, n.calendar),
                format!("working-day calendar changed from `{}` to `{}`", o.calendar, n.calendar),
            ),
            Some(Message::new(
                "Thời gian còn lại của hồ sơ được chuyển tính theo lịch mới",
                "a migrated dossier's remaining time is counted on the new calendar",
            )),
        );
    }
    if o.cutoff != n.cutoff {
        let (a, b) = (show(o.cutoff.as_ref()), show(n.cutoff.as_ref()));
        out.push(
            ChangeKind::CutoffChanged,
            "cutoff",
            false,
            o.cutoff.as_ref().map(ToString::to_string),
            n.cutoff.as_ref().map(ToString::to_string),
            Message::new(format!("Giờ chốt tiếp nhận: {a} → {b}"), format!("cut-off hour: {a} → {b}")),
            Some(Message::new(
                "Chỉ ảnh hưởng hồ sơ nộp sau khi phiên bản mới có hiệu lực",
                "affects only dossiers submitted under the new version",
            )),
        );
    }
    if o.service_mode != n.service_mode {
        let (a, b) = (json_text(&o.service_mode), json_text(&n.service_mode));
        out.push(
            ChangeKind::ServiceModeChanged,
            "service_mode",
            false,
            Some(a.clone()),
            Some(b.clone()),
            Message::new(format!("Mức độ trực tuyến: {a} → {b}"), format!("service mode: {a} → {b}")),
            None,
        );
    }
    for c in &n.channels {
        if !o.channels.contains(c) {
            let c = json_text(c);
            out.push(
                ChangeKind::ChannelAdded,
                format!("channels.{c}"),
                false,
                None,
                Some(c.clone()),
                Message::new(format!("Thêm kênh nộp hồ sơ: {c}"), format!("submission channel added: {c}")),
                None,
            );
        }
    }
    for c in &o.channels {
        if !n.channels.contains(c) {
            let c = json_text(c);
            out.push(
                ChangeKind::ChannelRemoved,
                format!("channels.{c}"),
                false,
                Some(c.clone()),
                None,
                Message::new(format!("Bỏ kênh nộp hồ sơ: {c}"), format!("submission channel removed: {c}")),
                Some(Message::new(
                    "Hồ sơ đã nộp qua kênh này vẫn được giải quyết",
                    "dossiers already submitted through it are still handled",
                )),
            );
        }
    }
    if o.withdrawal != n.withdrawal {
        out.push(
            ChangeKind::WithdrawalChanged,
            "withdrawal",
            !n.withdrawal,
            Some(o.withdrawal.to_string()),
            Some(n.withdrawal.to_string()),
            if n.withdrawal {
                Message::new("Người nộp được rút hồ sơ", "the applicant may now withdraw")
            } else {
                Message::new("Người nộp không còn được rút hồ sơ", "the applicant may no longer withdraw")
            },
            (!n.withdrawal).then(|| {
                Message::new(
                    "Yêu cầu rút hồ sơ đang chờ xác nhận không còn được xác nhận",
                    "a pending withdrawal request could no longer be confirmed",
                )
            }),
        );
    }
}

/// `Tiếp nhận hồ sơ (receive)` / `Receive the dossier (receive)`.
fn step_label(step: &Step) -> (String, String) {
    let (vi, en) = both(&step.name);
    (format!("bước «{vi}» (`{}`)", step.id), format!("step “{en}” (`{}`)", step.id))
}

fn agency_label(p: &Procedure, agency: Option<&str>) -> (String, String) {
    match agency {
        None => ("người nộp".to_owned(), "the applicant".to_owned()),
        Some(a) => match p.agency_name(a) {
            Some(name) => (format!("{} (`{a}`)", name.get("vi")), format!("{} (`{a}`)", name.get("en"))),
            None => (format!("`{a}`"), format!("`{a}`")),
        },
    }
}

fn targets(p: &Procedure, action: &Action) -> String {
    let names: Vec<&str> = action
        .targets
        .iter()
        .map(|t| match *t {
            Target::Step(s) => p.step(s).id.as_str(),
            Target::Outcome(o) => p.outcome(o).id.as_str(),
        })
        .collect();
    names.join(", ")
}

fn steps(old: &Procedure, new: &Procedure, out: &mut Out) {
    for step in old.steps() {
        let subject = format!("steps.{}", step.id);
        let (vi, en) = step_label(step);
        let Some(nix) = new.step_ix(&step.id) else {
            out.push(
                ChangeKind::StepRemoved,
                subject,
                true,
                Some(step.id.clone()),
                None,
                Message::new(format!("Bỏ {vi}"), format!("{en} removed")),
                Some(Message::new(
                    "Hồ sơ đang ở bước này cần được chuyển sang một bước của phiên bản mới",
                    "dossiers in this step must be moved to a step of the new version",
                )),
            );
            continue;
        };
        step_changes(old, new, step, new.step(nix), out);
    }
    for step in new.steps() {
        if old.step_ix(&step.id).is_none() {
            let (vi, en) = step_label(step);
            let (av, ae) = agency_label(new, step.agency.as_deref());
            out.push(
                ChangeKind::StepAdded,
                format!("steps.{}", step.id),
                false,
                None,
                Some(step.id.clone()),
                Message::new(format!("Thêm {vi}, do {av} xử lý"), format!("{en} added, handled by {ae}")),
                None,
            );
        }
    }
}

/// The text with its first letter in capitals (Vietnamese messages start with one).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Deadline cases, decisions and case budgets, compared as written: one change per place.
fn deadline_cases(o: &crate::spec::procedure::ProcedureSpec, n: &crate::spec::procedure::ProcedureSpec, out: &mut Out) {
    let hint = || {
        Some(Message::new(
            "Hồ sơ đang giải quyết giữ ngày hẹn đã hẹn cho đến khi có quyết định mới; hồ sơ mới theo các trường hợp mới",
            "running dossiers keep the appointment already given until a new decision; new dossiers follow the new cases",
        ))
    };
    let names = |cases: &IndexMap<String, crate::spec::procedure::DeadlineCase>| {
        cases.iter().map(|(id, c)| format!("{id}: {}", c.deadline)).collect::<Vec<_>>().join(", ")
    };
    if o.deadline_cases != n.deadline_cases {
        let (ov, nv) = (names(&o.deadline_cases), names(&n.deadline_cases));
        out.push(
            ChangeKind::DeadlineCasesChanged,
            "deadline_cases",
            false,
            Some(ov.clone()),
            Some(nv.clone()),
            Message::new(
                format!("Các trường hợp thời hạn đổi: [{ov}] → [{nv}]"),
                format!("deadline cases changed: [{ov}] → [{nv}]"),
            ),
            hint(),
        );
    }
    if o.decisions.keys().ne(n.decisions.keys()) {
        let join = |d: &IndexMap<String, crate::spec::procedure::DecisionSpec>| {
            d.keys().cloned().collect::<Vec<_>>().join(", ")
        };
        let (ov, nv) = (join(&o.decisions), join(&n.decisions));
        out.push(
            ChangeKind::DeadlineCasesChanged,
            "decisions",
            false,
            Some(ov.clone()),
            Some(nv.clone()),
            Message::new(format!("Các quyết định đổi: [{ov}] → [{nv}]"), format!("decisions changed: [{ov}] → [{nv}]")),
            hint(),
        );
    }
    for (id, step) in &n.steps {
        let Some(before) = o.steps.get(id) else { continue };
        if before.case_budgets != step.case_budgets {
            let show = |b: &IndexMap<String, crate::duration::WorkingDuration>| {
                b.iter().map(|(c, d)| format!("{c}: {d}")).collect::<Vec<_>>().join(", ")
            };
            let (ov, nv) = (show(&before.case_budgets), show(&step.case_budgets));
            out.push(
                ChangeKind::DeadlineCasesChanged,
                format!("steps.{id}.case_budgets"),
                false,
                Some(ov.clone()),
                Some(nv.clone()),
                Message::new(
                    format!("Bước `{id}`: thời gian theo trường hợp đổi: [{ov}] → [{nv}]"),
                    format!("step `{id}`: budgets by case changed: [{ov}] → [{nv}]"),
                ),
                hint(),
            );
        }
    }
}

fn step_changes(old: &Procedure, new: &Procedure, o: &Step, n: &Step, out: &mut Out) {
    let subject = format!("steps.{}", o.id);
    let (vi, en) = step_label(n);
    let vi = capitalised(&vi);
    if o.name != n.name {
        let ((ov, oe), (nv, ne)) = (both(&o.name), both(&n.name));
        out.push(
            ChangeKind::StepNameChanged,
            subject.clone(),
            false,
            Some(ov.clone()),
            Some(nv.clone()),
            Message::new(
                format!("Tên bước `{}`: «{ov}» → «{nv}»", o.id),
                format!("name of step `{}`: “{oe}” → “{ne}”", o.id),
            ),
            None,
        );
    }
    if o.agency != n.agency {
        let ((ov, oe), (nv, ne)) = (agency_label(old, o.agency.as_deref()), agency_label(new, n.agency.as_deref()));
        out.push(
            ChangeKind::StepAgencyChanged,
            subject.clone(),
            true,
            o.agency.clone(),
            n.agency.clone(),
            Message::new(
                format!("{vi}: cơ quan xử lý đổi từ {ov} sang {nv}"),
                format!("{en}: handled by {ne} instead of {oe}"),
            ),
            Some(Message::new(
                "Hồ sơ đang ở bước này phải được bàn giao cho cơ quan mới",
                "dossiers in this step must be handed to the new agency",
            )),
        );
    }
    if o.level != n.level {
        let (a, b) = (show(o.level.as_deref()), show(n.level.as_deref()));
        out.push(
            ChangeKind::StepLevelChanged,
            subject.clone(),
            true,
            o.level.clone(),
            n.level.clone(),
            Message::new(format!("{vi}: cấp xử lý đổi từ {a} sang {b}"), format!("{en}: level changed from {a} to {b}")),
            Some(Message::new(
                "Hồ sơ được xử lý tại đơn vị hành chính khác (đơn vị cấp trên hoặc cấp dưới của nơi tiếp nhận)",
                "dossiers are handled in another administrative unit (an ancestor or descendant of where they were received)",
            )),
        );
    }
    if o.role != n.role {
        out.push(
            ChangeKind::StepRoleChanged,
            subject.clone(),
            true,
            Some(o.role.clone()),
            Some(n.role.clone()),
            Message::new(
                format!("{vi}: vai trò xử lý đổi từ `{}` sang `{}`", o.role, n.role),
                format!("{en}: role changed from `{}` to `{}`", o.role, n.role),
            ),
            Some(Message::new(
                "Người đang giữ hồ sơ ở bước này không còn được thao tác",
                "whoever holds dossiers in this step may no longer act on them",
            )),
        );
    }
    let (om, nm) = (minutes(old, o.budget), minutes(new, n.budget));
    if om != nm {
        let shorter = nm < om;
        out.push(
            ChangeKind::StepBudgetChanged,
            subject.clone(),
            false,
            Some(o.budget.to_string()),
            Some(n.budget.to_string()),
            if shorter {
                Message::new(
                    format!("{vi}: thời gian rút ngắn từ {} xuống {}", o.budget, n.budget),
                    format!("{en}: budget shortened from {} to {}", o.budget, n.budget),
                )
            } else {
                Message::new(
                    format!("{vi}: thời gian kéo dài từ {} lên {}", o.budget, n.budget),
                    format!("{en}: budget lengthened from {} to {}", o.budget, n.budget),
                )
            },
            Some(Message::new(
                "Hồ sơ chuyển sang được thời gian mới trừ thời gian đã dùng, không dưới 0; ngày hẹn trả không đổi",
                "a migrated dossier gets the new budget minus the time used, never below zero; its appointment stays",
            )),
        );
    }
    if o.status != n.status {
        let (a, b) = (o.status.code(), n.status.code());
        out.push(
            ChangeKind::StepStatusChanged,
            subject.clone(),
            false,
            Some(a.to_string()),
            Some(b.to_string()),
            Message::new(
                format!("{vi}: mã trạng thái quốc gia đổi từ {a} sang {b}"),
                format!("{en}: national status changed from {a} to {b}"),
            ),
            None,
        );
    }
    if o.clock != n.clock {
        let word = |c: Clock| match c {
            Clock::Runs => ("tính giờ", "runs"),
            Clock::Suspended => ("tạm dừng", "suspended"),
        };
        let ((av, ae), (bv, be)) = (word(o.clock), word(n.clock));
        out.push(
            ChangeKind::StepClockChanged,
            subject.clone(),
            true,
            Some(json_text(&o.clock)),
            Some(json_text(&n.clock)),
            Message::new(format!("{vi}: thời hạn {av} → {bv}"), format!("{en}: the legal clock {ae} → {be}")),
            Some(Message::new(
                "Hồ sơ đang ở bước này được tính thời gian theo cách khác",
                "dossiers in this step would be timed differently",
            )),
        );
    }
    if o.join_branches.is_some() != n.join_branches.is_some() {
        let joins = n.join_branches.is_some();
        out.push(
            ChangeKind::StepJoinChanged,
            subject.clone(),
            true,
            Some(o.join_branches.is_some().to_string()),
            Some(joins.to_string()),
            if joins {
                Message::new(
                    format!("{vi} trở thành điểm hợp nhất nhánh song song"),
                    format!("{en} now joins parallel branches"),
                )
            } else {
                Message::new(
                    format!("{vi} không còn là điểm hợp nhất"),
                    format!("{en} no longer joins parallel branches"),
                )
            },
            Some(Message::new(
                "Hồ sơ đang ở các nhánh song song không khớp cấu trúc mới",
                "dossiers in parallel branches do not fit the new structure",
            )),
        );
    }
    receives_changes(old, new, &o.id, (&vi, &en), out);
    for a in &o.actions {
        let asub = format!("{subject}.actions.{}", a.id);
        let Some((_, b)) = n.action(&a.id) else {
            out.push(
                ChangeKind::ActionRemoved,
                asub,
                false,
                Some(a.id.clone()),
                None,
                Message::new(
                    format!("{vi}: bỏ thao tác «{}» (`{}`)", a.name.get("vi"), a.id),
                    format!("{en}: action “{}” (`{}`) removed", a.name.get("en"), a.id),
                ),
                None,
            );
            continue;
        };
        action_changes(old, new, (&vi, &en), (o, a), (n, b), &asub, out);
    }
    for b in &n.actions {
        if o.action(&b.id).is_none() {
            out.push(
                ChangeKind::ActionAdded,
                format!("{subject}.actions.{}", b.id),
                false,
                None,
                Some(b.id.clone()),
                Message::new(
                    format!("{vi}: thêm thao tác «{}» (`{}`) → {}", b.name.get("vi"), b.id, targets(new, b)),
                    format!("{en}: action “{}” (`{}`) added → {}", b.name.get("en"), b.id, targets(new, b)),
                ),
                b.after.map(|_| {
                    Message::new(
                        "Hẹn giờ mới bắt đầu tính từ lúc hồ sơ được chuyển phiên bản",
                        "a new timer starts counting when a dossier is migrated",
                    )
                }),
            );
        }
    }
}

/// What a hand-off to step `id` sends its agency (`receives`), field by field and document
/// by document: subjects `steps.<id>.receives.fields.<path>` and `…receives.documents.<id>`.
/// Not breaking: a dossier already handed over keeps what it was sent, and the next hand-off
/// sends what the new version lists.
fn receives_changes(old: &Procedure, new: &Procedure, id: &str, (vi, en): (&str, &str), out: &mut Out) {
    let lists = |p: &Procedure| {
        let r = p.spec().steps.get(id).and_then(|s| s.receives.clone()).unwrap_or_default();
        (r.fields, r.documents)
    };
    let ((of, od), (nf, nd)) = (lists(old), lists(new));
    let subject = |what: &str, item: &str| format!("steps.{id}.receives.{what}.{item}");
    for f in of.iter().filter(|f| !nf.contains(f)) {
        out.push(
            ChangeKind::ReceivesFieldRemoved,
            subject("fields", f),
            false,
            Some(f.clone()),
            None,
            Message::new(
                format!("{vi}: không còn gửi trường `{f}` cho cơ quan nhận hồ sơ"),
                format!("{en}: field `{f}` is no longer sent to the receiving agency"),
            ),
            None,
        );
    }
    for f in nf.iter().filter(|f| !of.contains(f)) {
        out.push(
            ChangeKind::ReceivesFieldAdded,
            subject("fields", f),
            false,
            None,
            Some(f.clone()),
            Message::new(
                format!("{vi}: gửi thêm trường `{f}` cho cơ quan nhận hồ sơ"),
                format!("{en}: field `{f}` is now sent to the receiving agency"),
            ),
            None,
        );
    }
    for d in od.iter().filter(|d| !nd.contains(d)) {
        out.push(
            ChangeKind::ReceivesDocumentRemoved,
            subject("documents", d),
            false,
            Some(d.clone()),
            None,
            Message::new(
                format!("{vi}: không còn gửi giấy tờ `{d}` cho cơ quan nhận hồ sơ"),
                format!("{en}: document `{d}` is no longer sent to the receiving agency"),
            ),
            None,
        );
    }
    for d in nd.iter().filter(|d| !od.contains(d)) {
        out.push(
            ChangeKind::ReceivesDocumentAdded,
            subject("documents", d),
            false,
            None,
            Some(d.clone()),
            Message::new(
                format!("{vi}: gửi thêm giấy tờ `{d}` cho cơ quan nhận hồ sơ"),
                format!("{en}: document `{d}` is now sent to the receiving agency"),
            ),
            None,
        );
    }
}

/// Whether an action is taken by its step's own role and agency (no `by`): then a change of
/// the step's agency or role is reported once, on the step, not again on every action.
fn own_actor(s: &Step, a: &Action) -> bool {
    a.role == s.role && (a.agency == s.agency || s.citizen)
}

fn action_changes(
    old: &Procedure,
    new: &Procedure,
    (vi, en): (&str, &str),
    (os, a): (&Step, &Action),
    (ns, b): (&Step, &Action),
    subject: &str,
    out: &mut Out,
) {
    if a.name != b.name {
        let ((ov, oe), (nv, ne)) = (both(&a.name), both(&b.name));
        out.push(
            ChangeKind::ActionNameChanged,
            subject,
            false,
            Some(ov.clone()),
            Some(nv.clone()),
            Message::new(
                format!("{vi}: tên thao tác `{}`: «{ov}» → «{nv}»", a.id),
                format!("{en}: name of action `{}`: “{oe}” → “{ne}”", a.id),
            ),
            None,
        );
    }
    let (ta, tb) = (targets(old, a), targets(new, b));
    if ta != tb {
        out.push(
            ChangeKind::ActionTargetsChanged,
            subject,
            false,
            Some(ta.clone()),
            Some(tb.clone()),
            Message::new(
                format!("{vi}: thao tác `{}` dẫn đến {tb} thay vì {ta}", a.id),
                format!("{en}: action `{}` leads to {tb} instead of {ta}", a.id),
            ),
            None,
        );
    }
    if (a.role != b.role || a.agency != b.agency) && !(own_actor(os, a) && own_actor(ns, b)) {
        let who = |r: &str, ag: Option<&str>| match ag {
            Some(ag) => format!("{r}@{ag}"),
            None => r.to_owned(),
        };
        let (wa, wb) = (who(&a.role, a.agency.as_deref()), who(&b.role, b.agency.as_deref()));
        out.push(
            ChangeKind::ActionActorChanged,
            subject,
            true,
            Some(wa.clone()),
            Some(wb.clone()),
            Message::new(
                format!("{vi}: thao tác `{}` do `{wb}` thực hiện thay vì `{wa}`", a.id),
                format!("{en}: action `{}` is taken by `{wb}` instead of `{wa}`", a.id),
            ),
            Some(Message::new(
                "Người đang được giao thao tác này không còn được thực hiện",
                "whoever was to take this action may no longer take it",
            )),
        );
    }
    if a.slip != b.slip {
        let (sa, sb) = (show(a.slip.as_ref().map(json_text)), show(b.slip.as_ref().map(json_text)));
        out.push(
            ChangeKind::ActionSlipChanged,
            subject,
            false,
            a.slip.as_ref().map(json_text),
            b.slip.as_ref().map(json_text),
            Message::new(
                format!("{vi}: phiếu của thao tác `{}`: {sa} → {sb}", a.id),
                format!("{en}: slip of action `{}`: {sa} → {sb}", a.id),
            ),
            None,
        );
    }
    if a.after != b.after {
        let (sa, sb) = (show(a.after), show(b.after));
        out.push(
            ChangeKind::ActionTimerChanged,
            subject,
            false,
            a.after.map(|d| d.to_string()),
            b.after.map(|d| d.to_string()),
            Message::new(
                format!("{vi}: hẹn giờ của thao tác `{}`: {sa} → {sb}", a.id),
                format!("{en}: timer of action `{}`: {sa} → {sb}", a.id),
            ),
            Some(Message::new(
                "Hẹn giờ đã đến hạn chỉ chạy một lần; hẹn giờ mới tính từ lúc chuyển phiên bản",
                "a timer already due fires once; a new timer counts from the migration",
            )),
        );
    }
    let guard = |p: &Procedure, step: &str, action: &str| -> Option<String> {
        p.spec().steps.get(step).and_then(|s| s.actions.get(action)).and_then(|a| a.guard.clone())
    };
    let step_id = subject.split('.').nth(1).unwrap_or("");
    let (ga, gb) = (guard(old, step_id, &a.id), guard(new, step_id, &b.id));
    if ga != gb {
        let (sa, sb) = (show(ga.as_deref()), show(gb.as_deref()));
        out.push(
            ChangeKind::ActionGuardChanged,
            subject,
            false,
            ga,
            gb,
            Message::new(
                format!("{vi}: điều kiện của thao tác `{}`: {sa} → {sb}", a.id),
                format!("{en}: condition of action `{}`: {sa} → {sb}", a.id),
            ),
            None,
        );
    }
}

fn outcomes(old: &Procedure, new: &Procedure, out: &mut Out) {
    for o in old.outcomes() {
        let subject = format!("outcomes.{}", o.id);
        match new.outcome_ix(&o.id).map(|ix| new.outcome(ix)) {
            None => out.push(
                ChangeKind::OutcomeRemoved,
                subject,
                false,
                Some(o.id.clone()),
                None,
                Message::new(
                    format!("Bỏ kết quả «{}» (`{}`)", o.name.get("vi"), o.id),
                    format!("outcome “{}” (`{}`) removed", o.name.get("en"), o.id),
                ),
                None,
            ),
            Some(n) if n.kind != o.kind => {
                let (a, b) = (json_text(&o.kind), json_text(&n.kind));
                out.push(
                    ChangeKind::OutcomeKindChanged,
                    subject,
                    false,
                    Some(a.clone()),
                    Some(b.clone()),
                    Message::new(
                        format!("Kết quả `{}`: loại {a} → {b}", o.id),
                        format!("outcome `{}`: kind {a} → {b}", o.id),
                    ),
                    None,
                );
            }
            Some(_) => {}
        }
    }
    for n in new.outcomes() {
        if old.outcome_ix(&n.id).is_none() {
            out.push(
                ChangeKind::OutcomeAdded,
                format!("outcomes.{}", n.id),
                false,
                None,
                Some(n.id.clone()),
                Message::new(
                    format!("Thêm kết quả «{}» (`{}`)", n.name.get("vi"), n.id),
                    format!("outcome “{}” (`{}`) added", n.name.get("en"), n.id),
                ),
                None,
            );
        }
    }
}

fn roles_and_agencies(old: &Procedure, new: &Procedure, out: &mut Out) {
    fn roles(p: &Procedure) -> BTreeSet<&str> {
        let mut set = BTreeSet::new();
        for s in p.steps() {
            set.insert(s.role.as_str());
            set.extend(s.actions.iter().map(|a| a.role.as_str()));
        }
        set
    }
    fn agencies(p: &Procedure) -> BTreeSet<&str> {
        let mut set = BTreeSet::new();
        for s in p.steps() {
            set.extend(s.agency.as_deref());
            set.extend(s.actions.iter().filter_map(|a| a.agency.as_deref()));
        }
        set
    }
    let (ro, rn) = (roles(old), roles(new));
    for r in ro.difference(&rn) {
        out.push(
            ChangeKind::RoleRemoved,
            format!("roles.{r}"),
            true,
            Some((*r).to_owned()),
            None,
            Message::new(format!("Vai trò `{r}` không còn tham gia"), format!("role `{r}` no longer takes part")),
            Some(Message::new(
                "Hồ sơ đang chờ vai trò này cần người xử lý khác",
                "dossiers waiting for this role need someone else",
            )),
        );
    }
    for r in rn.difference(&ro) {
        out.push(
            ChangeKind::RoleAdded,
            format!("roles.{r}"),
            false,
            None,
            Some((*r).to_owned()),
            Message::new(format!("Vai trò `{r}` tham gia"), format!("role `{r}` now takes part")),
            None,
        );
    }
    let (ao, an) = (agencies(old), agencies(new));
    for a in ao.difference(&an) {
        let (vi, en) = agency_label(old, Some(a));
        out.push(
            ChangeKind::AgencyRemoved,
            format!("agencies.{a}"),
            true,
            Some((*a).to_owned()),
            None,
            Message::new(format!("{vi} không còn xử lý thủ tục"), format!("{en} no longer handles the procedure")),
            Some(Message::new(
                "Hồ sơ cơ quan này đang giữ phải được bàn giao",
                "dossiers this agency holds must be handed over",
            )),
        );
    }
    for a in an.difference(&ao) {
        let (vi, en) = agency_label(new, Some(a));
        out.push(
            ChangeKind::AgencyAdded,
            format!("agencies.{a}"),
            false,
            None,
            Some((*a).to_owned()),
            Message::new(format!("{vi} tham gia xử lý"), format!("{en} now handles part of the procedure")),
            None,
        );
    }
}

/// Whether a field must always have a value (not only under a condition).
fn always_required(f: &FieldSpec) -> bool {
    f.required && f.required_if.is_none() && f.visible_if.is_none()
}

fn fields(prefix: &str, old: &IndexMap<String, FieldSpec>, new: &IndexMap<String, FieldSpec>, out: &mut Out) {
    for (id, o) in old {
        let subject = format!("{prefix}.{id}");
        let shown = subject.trim_start_matches("form.fields.").replace(".fields.", ".");
        let Some(n) = new.get(id) else {
            out.push(
                ChangeKind::FieldRemoved,
                subject,
                true,
                Some(shown.clone()),
                None,
                Message::new(
                    format!("Bỏ trường «{}» (`{shown}`)", o.label.get("vi")),
                    format!("field “{}” (`{shown}`) removed", o.label.get("en")),
                ),
                Some(Message::new(
                    "Dữ liệu cũ còn trường này sẽ không hợp lệ (`unexpected_field`) nếu không được đổi tên hoặc bỏ đi",
                    "old data holding it no longer validates (`unexpected_field`) unless a migration renames or drops it",
                )),
            );
            continue;
        };
        if o.label != n.label {
            out.push(
                ChangeKind::FieldLabelChanged,
                subject.clone(),
                false,
                Some(o.label.vi.clone()),
                Some(n.label.vi.clone()),
                Message::new(
                    format!("Trường `{shown}`: nhãn «{}» → «{}»", o.label.get("vi"), n.label.get("vi")),
                    format!("field `{shown}`: label “{}” → “{}”", o.label.get("en"), n.label.get("en")),
                ),
                None,
            );
        }
        if o.kind != n.kind {
            let (a, b) = (o.kind.as_str(), n.kind.as_str());
            out.push(
                ChangeKind::FieldTypeChanged,
                subject.clone(),
                true,
                Some(a.to_owned()),
                Some(b.to_owned()),
                Message::new(format!("Trường `{shown}`: kiểu {a} → {b}"), format!("field `{shown}`: type {a} → {b}")),
                Some(Message::new("Dữ liệu cũ có thể không còn hợp lệ", "old data may no longer validate")),
            );
        }
        let (ra, rb) = (requirement(o), requirement(n));
        if ra != rb {
            let tighter = always_required(n) && !always_required(o) || (n.required && !o.required);
            out.push(
                ChangeKind::FieldRequiredChanged,
                subject.clone(),
                tighter,
                Some(ra.clone()),
                Some(rb.clone()),
                Message::new(
                    format!("Trường `{shown}`: bắt buộc {ra} → {rb}"),
                    format!("field `{shown}`: required {ra} → {rb}"),
                ),
                tighter.then(|| Message::new("Dữ liệu cũ có thể thiếu trường này", "old data may lack this field")),
            );
        }
        let (ca, cb) = (constraints(o), constraints(n));
        if ca != cb {
            // Looser when every new constraint was already there (only removals), or codes were only added.
            let removed_codes = match (&o.codes, &n.codes) {
                (Some(a), Some(b)) => a.keys().any(|k| !b.contains_key(k)),
                (None, Some(_)) => true,
                _ => false,
            };
            let tighter =
                cb.iter().any(|(k, v)| k != "codes" && ca.iter().find(|(ka, _)| ka == k).map(|(_, va)| va) != Some(v))
                    || removed_codes;
            let fmt = |c: &[(String, String)]| c.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
            let (sa, sb) = (fmt(&ca), fmt(&cb));
            out.push(
                ChangeKind::FieldConstraintsChanged,
                subject.clone(),
                tighter,
                Some(sa.clone()),
                Some(sb.clone()),
                Message::new(
                    format!("Trường `{shown}`: ràng buộc [{sa}] → [{sb}]"),
                    format!("field `{shown}`: constraints [{sa}] → [{sb}]"),
                ),
                tighter.then(|| Message::new("Dữ liệu cũ có thể không còn hợp lệ", "old data may no longer validate")),
            );
        }
        let no_fields = IndexMap::new();
        if o.fields.is_some() || n.fields.is_some() {
            fields(
                &format!("{subject}.fields"),
                o.fields.as_ref().unwrap_or(&no_fields),
                n.fields.as_ref().unwrap_or(&no_fields),
                out,
            );
        }
    }
    for (id, n) in new {
        if old.contains_key(id) {
            continue;
        }
        let subject = format!("{prefix}.{id}");
        let shown = subject.trim_start_matches("form.fields.").replace(".fields.", ".");
        let required = always_required(n);
        out.push(
            ChangeKind::FieldAdded,
            subject,
            required,
            None,
            Some(shown.clone()),
            if required {
                Message::new(
                    format!("Thêm trường bắt buộc «{}» (`{shown}`)", n.label.get("vi")),
                    format!("required field “{}” (`{shown}`) added", n.label.get("en")),
                )
            } else {
                Message::new(
                    format!("Thêm trường «{}» (`{shown}`)", n.label.get("vi")),
                    format!("field “{}” (`{shown}`) added", n.label.get("en")),
                )
            },
            required.then(|| {
                Message::new(
                    "Dữ liệu của hồ sơ đang giải quyết thiếu trường này (`field_required`)",
                    "the data of running dossiers lacks it (`field_required`)",
                )
            }),
        );
    }
}

fn requirement(f: &FieldSpec) -> String {
    match (&f.required, &f.required_if) {
        (_, Some(cond)) => format!("khi/when `{cond}`"),
        (true, None) => "true".to_owned(),
        (false, None) => "false".to_owned(),
    }
}

/// A field's constraints as `(name, value)` pairs, for comparing and showing.
fn constraints(f: &FieldSpec) -> Vec<(String, String)> {
    let mut c = Vec::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            c.push((k.to_owned(), v));
        }
    };
    put("min_length", f.min_length.map(|v| v.to_string()));
    put("max_length", f.max_length.map(|v| v.to_string()));
    put("min", f.min.as_ref().map(json_text));
    put("max", f.max.as_ref().map(json_text));
    put("pattern", f.pattern.clone());
    put("codes", f.codes.as_ref().map(|c| c.keys().cloned().collect::<Vec<_>>().join("|")));
    put("level", f.level.as_ref().map(json_text));
    put("media_types", f.media_types.as_ref().map(|m| m.join("|")));
    put("max_size", f.max_size.map(|v| v.to_string()));
    put("max_files", f.max_files.map(|v| v.to_string()));
    put("repeat", f.repeat.as_ref().map(|r| format!("{}..{}", r.min, r.max)));
    put("visible_if", f.visible_if.clone());
    put("multiline", f.multiline.then(|| "true".to_owned()));
    c
}

/// `bắt buộc, 1 bản chính, 0 bản sao` in a comparable form.
fn doc_requirement(d: &DocumentSpec) -> String {
    let required = match (&d.required, &d.required_if) {
        (Some(false), _) => "optional".to_owned(),
        (_, Some(cond)) => format!("required_if `{cond}`"),
        _ => "required".to_owned(),
    };
    format!("{required}, originals={}, copies={}", d.originals, d.copies)
}

fn doc_always_required(d: &DocumentSpec) -> bool {
    d.required != Some(false) && d.required_if.is_none()
}

fn documents(old: &IndexMap<String, DocumentSpec>, new: &IndexMap<String, DocumentSpec>, out: &mut Out) {
    for (id, o) in old {
        let subject = format!("documents.{id}");
        let Some(n) = new.get(id) else {
            out.push(
                ChangeKind::DocumentRemoved,
                subject,
                true,
                Some(id.clone()),
                None,
                Message::new(
                    format!("Bỏ giấy tờ «{}» (`{id}`) khỏi thành phần hồ sơ", o.name.get("vi")),
                    format!("document “{}” (`{id}`) removed from the checklist", o.name.get("en")),
                ),
                Some(Message::new(
                    "Giấy tờ đã nộp sẽ không có trong thành phần hồ sơ mới (`unknown_document`) nếu không được đổi tên hoặc bỏ đi",
                    "documents already submitted are not on the new checklist (`unknown_document`) unless a migration renames or drops them",
                )),
            );
            continue;
        };
        if o.name != n.name {
            out.push(
                ChangeKind::DocumentNameChanged,
                subject.clone(),
                false,
                Some(o.name.vi.clone()),
                Some(n.name.vi.clone()),
                Message::new(
                    format!("Giấy tờ `{id}`: tên «{}» → «{}»", o.name.get("vi"), n.name.get("vi")),
                    format!("document `{id}`: name “{}” → “{}”", o.name.get("en"), n.name.get("en")),
                ),
                None,
            );
        }
        let (ra, rb) = (doc_requirement(o), doc_requirement(n));
        if ra != rb {
            let tighter = (doc_always_required(n) && !doc_always_required(o))
                || n.originals > o.originals
                || n.copies > o.copies
                || (o.required == Some(false) && n.required != Some(false));
            out.push(
                ChangeKind::DocumentRequirementChanged,
                subject.clone(),
                tighter,
                Some(ra.clone()),
                Some(rb.clone()),
                Message::new(format!("Giấy tờ `{id}`: {ra} → {rb}"), format!("document `{id}`: {ra} → {rb}")),
                tighter.then(|| {
                    Message::new(
                        "Hồ sơ đang giải quyết có thể thiếu giấy tờ theo yêu cầu mới",
                        "running dossiers may lack what the new checklist asks",
                    )
                }),
            );
        }
        if o.replaceable_by != n.replaceable_by {
            let (a, b) = (show(o.replaceable_by.as_deref()), show(n.replaceable_by.as_deref()));
            // Losing the database means citizens who relied on it now lack the paper.
            let tighter = o.replaceable_by.is_some();
            out.push(
                ChangeKind::DocumentDatabaseChanged,
                subject.clone(),
                tighter,
                o.replaceable_by.clone(),
                n.replaceable_by.clone(),
                Message::new(
                    format!("Giấy tờ `{id}`: thay bằng dữ liệu từ cơ sở dữ liệu {a} → {b}"),
                    format!("document `{id}`: replaceable by national database {a} → {b}"),
                ),
                tighter.then(|| {
                    Message::new(
                        "Hồ sơ đã dùng dữ liệu từ cơ sở dữ liệu cũ có thể phải nộp giấy tờ",
                        "dossiers that used the old database may have to submit the paper",
                    )
                }),
            );
        }
        if o.formats != n.formats || o.max_size != n.max_size {
            let files = |d: &DocumentSpec| {
                format!(
                    "formats={}, max_size={}",
                    d.formats.as_ref().map_or_else(|| "*".to_owned(), |f| f.join("|")),
                    show(d.max_size)
                )
            };
            let (a, b) = (files(o), files(n));
            let narrower_formats = match (&o.formats, &n.formats) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => a.iter().any(|f| !b.contains(f)),
                _ => false,
            };
            let smaller = match (o.max_size, n.max_size) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
                _ => false,
            };
            let tighter = narrower_formats || smaller;
            out.push(
                ChangeKind::DocumentFilesChanged,
                subject.clone(),
                tighter,
                Some(a.clone()),
                Some(b.clone()),
                Message::new(format!("Giấy tờ `{id}`: tệp {a} → {b}"), format!("document `{id}`: files {a} → {b}")),
                tighter.then(|| {
                    Message::new(
                        "Tệp đã nộp có thể không còn hợp lệ",
                        "files already submitted may no longer be accepted",
                    )
                }),
            );
        }
    }
    for (id, n) in new {
        if old.contains_key(id) {
            continue;
        }
        let required = doc_always_required(n) && n.replaceable_by.is_none();
        out.push(
            ChangeKind::DocumentAdded,
            format!("documents.{id}"),
            required,
            None,
            Some(id.clone()),
            Message::new(
                format!("Thêm giấy tờ «{}» (`{id}`) vào thành phần hồ sơ", n.name.get("vi")),
                format!("document “{}” (`{id}`) added to the checklist", n.name.get("en")),
            ),
            required.then(|| {
                Message::new(
                    "Hồ sơ đang giải quyết chưa có giấy tờ này (`document_missing`)",
                    "running dossiers lack it (`document_missing`)",
                )
            }),
        );
    }
}
