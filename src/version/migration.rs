//! A migration file compiled against the two versions it connects: every step mapped,
//! every rename checked, the file's SHA-256 computed.

use std::collections::HashMap;

use indexmap::IndexMap;
use petgraph::visit::Dfs;
use sha2::{Digest, Sha256};

use crate::compile::{Procedure, StepIx};
use crate::diagnostic::{Code, Diagnostic, LoadError, Message, Severity, sort_by_place};
use crate::document::SubmittedDocument;
use crate::limits::Limits;
use crate::spec::form::FieldSpec;
use crate::spec::migration::{DeadlinePolicySpec, MigrationSpec};
use crate::spec::source::{self, Part, SourceMap};
use crate::spec::{json, yaml};
use crate::text::Text;

/// Where dossiers in one step of the old version go.
///
/// ```
/// # use motcua::{Catalogue, Library, Procedure};
/// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// # let mut library = Library::new(catalogue);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
/// use motcua::version::StepMove;
///
/// match m.step_by_id("return_result").unwrap() {
///     StepMove::NotMigratable { reason } => assert!(reason.get("en").contains("already signed")),
///     StepMove::To { .. } => unreachable!(),
/// }
/// assert_eq!(m.step_by_id("sign").unwrap().target(), Some("sign"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepMove {
    /// They continue in this step of the new version.
    To {
        /// The step's identifier in the new procedure.
        id: String,
    },
    /// They cannot move and finish on the old version (they stay pinned), for this reason.
    NotMigratable {
        /// Why, as written in the migration (or, for a step no dossier can reach, the
        /// engine's own reason).
        reason: Text,
    },
}

impl StepMove {
    /// The new step's identifier, when dossiers move.
    ///
    /// ```
    /// use motcua::version::StepMove;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.step_by_id("review").unwrap().target(), Some("review"));
    /// assert!(matches!(m.step_by_id("return_result"), Some(StepMove::NotMigratable { .. })));
    /// assert_eq!(m.step_by_id("return_result").unwrap().target(), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn target(&self) -> Option<&str> {
        match self {
            StepMove::To { id } => Some(id),
            StepMove::NotMigratable { .. } => None,
        }
    }
}

/// A migration between two versions of a procedure, compiled and checked against both.
///
/// What moving a dossier with it must do (issue 15, item 4; the dossier runtime implements
/// it on top of this type): append a `migrated` event carrying [`Migration::from`],
/// [`Migration::to`], [`Migration::sha256`] and what moved; refuse, changing nothing, a
/// dossier with an active step that is [`StepMove::NotMigratable`]; move each active step to
/// its [`StepMove::To`] step; run the data through [`Migration::migrate_data`] and
/// [`Migration::migrate_documents`] and validate it against the new form, reporting the
/// problems per dossier; and apply [`Migration::deadlines`]: the appointment already given
/// never moves later ([`AppointmentPolicy`](crate::version::AppointmentPolicy)), time used per
/// step and agency stays on the process-control record, the step's budget is the new budget
/// minus the time used, never below zero
/// ([`StepBudgetPolicy`](crate::version::StepBudgetPolicy)), a timer new in the target step
/// starts once ([`TimerPolicy`](crate::version::TimerPolicy)), a timer already due fires
/// once, and a suspension in progress stays suspended (the compiler warns when a mapping
/// joins steps whose clocks differ).
///
/// It is what code that moves a running dossier needs, and nothing of the dossier itself:
/// for each step of the old version, the step of the new version the dossier continues in
/// or why it cannot move ([`Migration::step_by_id`]); the renamed form fields and documents
/// ([`Migration::migrate_data`], [`Migration::migrate_documents`]); the deadline policy
/// ([`Migration::deadlines`]); and the SHA-256 of the file ([`Migration::sha256`]), which the
/// dossier's `migrated` event carries so the history says exactly which mapping moved it.
///
/// ```
/// use motcua::{Catalogue, Library, Procedure};
/// use motcua::version::{Migration, StepMove};
///
/// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let mut library = Library::new(catalogue);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// let old = Procedure::from_yaml(
///     include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// let new = Procedure::from_yaml(
///     include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// let text = include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml");
/// let migration = Migration::from_yaml(text, "migration.yaml", &old, &new)?;
///
/// // A dossier under review at the district moves to review at the commune.
/// let review = migration.step_by_id("review").unwrap();
/// assert_eq!(review.target(), Some("review"));
/// // One signed by the district chair and not yet returned stays on the old version.
/// assert!(matches!(migration.step_by_id("return_result"), Some(StepMove::NotMigratable { .. })));
/// assert_eq!(migration.sha256().len(), 64);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Migration {
    spec: MigrationSpec,
    sha256: String,
    from_code: String,
    to_code: String,
    /// By old step index.
    steps: Vec<StepMove>,
    old_step_ids: Vec<String>,
    /// Old key path (segments) → new name of its last segment.
    key_renames: HashMap<Vec<String>, String>,
    /// Old key paths (segments) whose values are removed.
    dropped: Vec<Vec<String>>,
    warnings: Vec<Diagnostic>,
}

impl Migration {
    /// Loads a migration file written as YAML and compiles it against the version dossiers
    /// move from (`old`) and the one they move to (`new`), with every problem placed at its
    /// line and column.
    ///
    /// Errors: the format version (`unsupported_format`), the procedure code or a version
    /// that is not `old`'s or `new`'s (`wrong_procedure`), an old step a dossier may be in
    /// without a mapping (`missing_field`, at `steps`), a mapping for a step the old version
    /// lacks or to one the new version lacks (`unknown_step`), a mapping with both or neither
    /// of `to` and `not_migratable` (`invalid_value`), a renamed field missing from either
    /// form, moved to another depth or renamed twice (`unknown_reference`, `invalid_value`), a
    /// dropped field missing from the old form or also renamed (`unknown_reference`,
    /// `invalid_value`), a renamed or dropped document missing from the old checklist, or a
    /// renamed one from the new (`unknown_document`). Warnings: a renamed field whose type
    /// changed (`type_mismatch`), a dropped field the new form still has (`invalid_value`), a
    /// mapping between steps whose legal clocks differ (`invalid_value`, at `to`),
    /// and what every moved dossier would lack or carry in excess: an old field neither in
    /// the new form nor dropped (`unexpected_field`), a new always-required field no old one
    /// becomes (`field_required`), an old document neither on the new checklist nor dropped
    /// (`unknown_document`), a new required document no old one becomes and no database
    /// replaces (`document_missing`). Each warning is placed at `fields` or `documents`.
    ///
    /// ```
    /// use motcua::Code;
    /// use motcua::version::Migration;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let text = include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml");
    /// assert_eq!(Migration::from_yaml(text, "m.yaml", &old, &new)?.to(), ("1.001612", "2025.1"));
    ///
    /// // Every step a dossier may be in needs a mapping.
    /// let broken = text.replacen("  review: {to: review}\n", "", 1);
    /// let err = Migration::from_yaml(&broken, "m.yaml", &old, &new).unwrap_err();
    /// assert!(err.errors().any(|d| d.code == Code::MissingField && d.path == "steps"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str, old: &Procedure, new: &Procedure) -> Result<Migration, LoadError> {
        let (spec, map) = yaml::from_str::<MigrationSpec>(text, file, &Limits::default())?;
        compile(spec, &map, text, old, new)
    }

    /// The same as [`Migration::from_yaml`], for a migration written as JSON (the serde
    /// serialization of [`MigrationSpec`]).
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # use motcua::version::Migration;
    /// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// # let mut library = Library::new(catalogue);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// let yaml = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let json = serde_json::to_string(yaml.spec()).unwrap();
    /// let from_json = Migration::from_json(&json, "m.json", &old, &new)?;
    /// assert_eq!(from_json.spec(), yaml.spec());
    /// assert_ne!(from_json.sha256(), yaml.sha256()); // the hash is of the text as written
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_json(text: &str, file: &str, old: &Procedure, new: &Procedure) -> Result<Migration, LoadError> {
        let (spec, map) = json::from_str::<MigrationSpec>(text, file, &Limits::default())?;
        compile(spec, &map, text, old, new)
    }

    /// The file as written.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.spec().procedure, "1.001612");
    /// assert_eq!(m.spec().legal_basis.len(), 3);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn spec(&self) -> &MigrationSpec {
        &self.spec
    }

    /// The SHA-256 of the file's text (its UTF-8 bytes, as read), in lowercase hex: what a
    /// dossier's `migrated` event records.
    ///
    /// ```
    /// use sha2::Digest;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let text = include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml");
    /// let digest = sha2::Sha256::digest(text.as_bytes());
    /// let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    /// assert_eq!(m.sha256(), hex);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The procedure code and version dossiers move from.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.from(), ("1.001612", "2021.1"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from(&self) -> (&str, &str) {
        (&self.from_code, &self.spec.from)
    }

    /// The procedure code and version dossiers move to.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.to(), ("1.001612", "2025.1"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn to(&self) -> (&str, &str) {
        (&self.to_code, &self.spec.to)
    }

    /// Where dossiers in the old step with this identifier go.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.step_by_id("sign").unwrap().target(), Some("sign"));
    /// assert!(m.step_by_id("approve").is_none()); // no such old step
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn step_by_id(&self, old_step: &str) -> Option<&StepMove> {
        self.old_step_ids.iter().position(|id| id == old_step).map(|i| &self.steps[i])
    }

    /// Every old step with where its dossiers go, in the old version's order.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let moves: Vec<(&str, Option<&str>)> = m.steps().map(|(old, to)| (old, to.target())).collect();
    /// assert_eq!(moves[0], ("receive", Some("receive")));
    /// assert_eq!(moves.last(), Some(&("return_result", None)));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn steps(&self) -> impl Iterator<Item = (&str, &StepMove)> {
        self.old_step_ids.iter().map(String::as_str).zip(&self.steps)
    }

    /// The renamed fields, old dotted path → new dotted path, as written.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.field_renames()["owner.id_number"], "owner.citizen_id");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn field_renames(&self) -> &IndexMap<String, String> {
        &self.spec.fields
    }

    /// The dropped fields (old dotted paths), as written.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.dropped_fields(), ["business_address.district"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn dropped_fields(&self) -> &[String] {
        &self.spec.dropped_fields
    }

    /// The dropped documents (old ids), as written.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert!(m.dropped_documents().is_empty());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn dropped_documents(&self) -> &[String] {
        &self.spec.dropped_documents
    }

    /// The renamed documents, old id → new id, as written.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.document_renames()["member_ids"], "personal_papers");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn document_renames(&self) -> &IndexMap<String, String> {
        &self.spec.documents
    }

    /// What happens to deadlines of moved dossiers.
    ///
    /// ```
    /// use motcua::version::{AppointmentPolicy, StepBudgetPolicy, TimerPolicy};
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let policy = m.deadlines();
    /// assert_eq!(policy.appointment, AppointmentPolicy::Keep);
    /// assert_eq!(policy.step_budget, StepBudgetPolicy::NewMinusUsed);
    /// assert_eq!(policy.new_timers, TimerPolicy::StartAtMigration);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn deadlines(&self) -> DeadlinePolicySpec {
        self.spec.deadlines
    }

    /// Warnings found while compiling (errors prevent compilation).
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = motcua::version::Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// use motcua::Code;
    /// use motcua::version::Migration;
    ///
    /// assert!(m.warnings().is_empty()); // the shipped migration accounts for every field
    ///
    /// // Forget to drop the district of the address: each moved dossier would carry it.
    /// let text = include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml");
    /// let careless = Migration::from_yaml(&text.replace("  - business_address.district", "  []"), "m.yaml", &old, &new)?;
    /// let w: Vec<_> = careless.warnings().iter().map(|w| (w.code, w.path.as_str())).collect();
    /// assert_eq!(w, [(Code::UnexpectedField, "fields")]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// A dossier's form data with the renamed fields under their new names and the dropped
    /// ones removed (inside groups and in every member of a repeating group); everything else
    /// is left as it is. Whether
    /// the result validates against the new form is for the caller to check, per dossier.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # use motcua::version::Migration;
    /// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// # let mut library = Library::new(catalogue);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// assert_eq!(m.field_renames()["owner.id_number"], "owner.citizen_id");
    /// let data = serde_json::json!({
    ///     "business_address": {"province": "01", "district": "001", "commune": "00004"},
    ///     "owner": {"full_name": "Lê Thị Hoa", "id_number": "001190012345"},
    /// });
    /// assert_eq!(
    ///     m.migrate_data(&data),
    ///     serde_json::json!({
    ///         "business_address": {"province": "01", "commune": "00004"},
    ///         "owner": {"full_name": "Lê Thị Hoa", "citizen_id": "001190012345"},
    ///     })
    /// );
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn migrate_data(&self, data: &serde_json::Value) -> serde_json::Value {
        self.rename_keys(data, &mut Vec::new())
    }

    fn rename_keys(&self, value: &serde_json::Value, path: &mut Vec<String>) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    path.push(k.clone());
                    if self.dropped.iter().any(|d| d == path) {
                        path.pop();
                        continue;
                    }
                    let key = self.key_renames.get(path.as_slice()).cloned().unwrap_or_else(|| k.clone());
                    let v = self.rename_keys(v, path);
                    path.pop();
                    out.insert(key, v);
                }
                Value::Object(out)
            }
            // Members of a repeating group share their group's path.
            Value::Array(items) => Value::Array(items.iter().map(|v| self.rename_keys(v, path)).collect()),
            other => other.clone(),
        }
    }

    /// A dossier's submitted documents with the renamed ones under their new ids and the
    /// dropped ones left out.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library, Procedure};
    /// # use motcua::version::Migration;
    /// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// # let mut library = Library::new(catalogue);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
    /// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// # let m = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let submitted: Vec<motcua::SubmittedDocument> =
    ///     serde_json::from_str(r#"[{"id": "application"}, {"id": "member_ids", "copies": 1}]"#).unwrap();
    /// let moved = m.migrate_documents(&submitted);
    /// assert_eq!((moved[0].id.as_str(), moved[1].id.as_str()), ("application", "personal_papers"));
    /// assert_eq!(moved[1].copies, 1);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn migrate_documents(&self, documents: &[SubmittedDocument]) -> Vec<SubmittedDocument> {
        documents
            .iter()
            .filter(|d| !self.spec.dropped_documents.contains(&d.id))
            .map(|d| {
                let mut d = d.clone();
                if let Some(new) = self.spec.documents.get(&d.id) {
                    d.id = new.clone();
                }
                d
            })
            .collect()
    }
}

/// The field at a dotted path of a form, if there is one.
fn field_at<'a>(fields: Option<&'a IndexMap<String, FieldSpec>>, path: &[&str]) -> Option<&'a FieldSpec> {
    let (first, rest) = path.split_first()?;
    let field = fields?.get(*first)?;
    if rest.is_empty() { Some(field) } else { field_at(field.fields.as_ref(), rest) }
}

fn compile(
    spec: MigrationSpec,
    map: &SourceMap,
    text: &str,
    old: &Procedure,
    new: &Procedure,
) -> Result<Migration, LoadError> {
    let mut out: Vec<Diagnostic> = Vec::new();
    crate::spec::source::check_format(spec.motcua, map, &mut out);
    if spec.procedure != old.code() || spec.procedure != new.code() {
        let theirs = if old.code() == new.code() {
            format!("`{}`", old.code())
        } else {
            format!("`{}` / `{}`", old.code(), new.code())
        };
        out.push(map.diagnostic(
            Code::WrongProcedure,
            "procedure",
            Part::Value,
            Message::new(
                format!("Tệp chuyển đổi dành cho thủ tục `{}`, không phải {theirs}", spec.procedure),
                format!("the migration is for procedure `{}`, not {theirs}", spec.procedure),
            ),
        ));
    }
    for (key, written, actual) in [("from", &spec.from, old.version()), ("to", &spec.to, new.version())] {
        if written != actual {
            out.push(map.diagnostic(
                Code::WrongProcedure,
                key,
                Part::Value,
                Message::new(
                    format!("`{key}: {written}` nhưng phiên bản thủ tục là `{actual}`"),
                    format!("`{key}: {written}` but the procedure's version is `{actual}`"),
                ),
            ));
        }
    }

    // Steps: every mapping well-formed and resolved.
    for (id, m) in &spec.steps {
        let path = source::join("steps", id);
        if old.step_ix(id).is_none() {
            let (vi, en) = if old.outcome_ix(id).is_some() {
                (
                    format!("`{id}` là kết quả cuối của phiên bản {}: hồ sơ đã kết thúc không chuyển", old.version()),
                    format!("`{id}` is an outcome of version {}: closed dossiers do not move", old.version()),
                )
            } else {
                (
                    format!("Phiên bản {} không có bước `{id}`", old.version()),
                    format!("version {} has no step `{id}`", old.version()),
                )
            };
            out.push(map.diagnostic(Code::UnknownStep, &path, Part::Key, Message::new(vi, en)));
        }
        match (&m.to, &m.not_migratable) {
            (Some(to), None) => {
                // A dossier waiting for the applicant (clock suspended) moved into a step where
                // the clock runs, or the reverse, changes what is counted against the citizen.
                if let (Some(o), Some(n)) =
                    (old.step_ix(id).map(|ix| old.step(ix)), new.step_ix(to).map(|ix| new.step(ix)))
                    && o.clock != n.clock
                {
                    let word = |c: crate::spec::procedure::Clock| match c {
                        crate::spec::procedure::Clock::Runs => ("tính giờ", "runs"),
                        crate::spec::procedure::Clock::Suspended => ("tạm dừng", "is suspended"),
                    };
                    let ((ov, oe), (nv, ne)) = (word(o.clock), word(n.clock));
                    let mut d = map
                        .diagnostic(
                            Code::InvalidValue,
                            &source::join(&path, "to"),
                            Part::Value,
                            Message::new(
                                format!("Thời hạn {ov} ở bước `{id}` nhưng {nv} ở bước `{to}`"),
                                format!("the legal clock {oe} in step `{id}` but {ne} in step `{to}`"),
                            ),
                        )
                        .with_help(Message::new(
                            "Hồ sơ đang tạm dừng phải vẫn tạm dừng khi chuyển: chọn bước cùng cách tính giờ",
                            "a suspended dossier stays suspended when it moves: pick a step whose clock does the same",
                        ));
                    d.severity = Severity::Warning;
                    out.push(d);
                }
                if new.step_ix(to).is_none() {
                    let (vi, en) = if new.outcome_ix(to).is_some() {
                        (
                            format!(
                                "`{to}` là kết quả cuối, không phải bước: hồ sơ đang giải quyết phải chuyển vào một bước"
                            ),
                            format!("`{to}` is an outcome, not a step: a running dossier moves into a step"),
                        )
                    } else {
                        (
                            format!("Phiên bản {} không có bước `{to}`", new.version()),
                            format!("version {} has no step `{to}`", new.version()),
                        )
                    };
                    out.push(map.diagnostic(
                        Code::UnknownStep,
                        &source::join(&path, "to"),
                        Part::Value,
                        Message::new(vi, en),
                    ));
                }
            }
            (None, Some(_)) => {}
            (Some(_), Some(_)) | (None, None) => out.push(map.diagnostic(
                Code::InvalidValue,
                &path,
                Part::Key,
                Message::new(
                    format!("Bước `{id}` cần đúng một trong `to` và `not_migratable`"),
                    format!("step `{id}` needs exactly one of `to` and `not_migratable`"),
                ),
            )),
        }
    }
    // Every old step a dossier may be in (reachable from the start) is covered.
    let mut reachable = vec![false; old.steps().len()];
    let mut dfs = Dfs::new(old.graph(), old.step_node(StepIx(0)));
    while let Some(node) = dfs.next(old.graph()) {
        if let crate::compile::Node::Step(ix) = old.graph()[node] {
            reachable[ix.0 as usize] = true;
        }
    }
    for (i, step) in old.steps().iter().enumerate() {
        if reachable[i] && !spec.steps.contains_key(&step.id) {
            out.push(
                map.diagnostic(
                    Code::MissingField,
                    "steps",
                    Part::Key,
                    Message::new(
                        format!("Chưa nói hồ sơ đang ở bước `{}` ({}) đi đâu", step.id, step.name.get("vi")),
                        format!("no mapping for dossiers in step `{}` ({})", step.id, step.name.get("en")),
                    ),
                )
                .with_help(Message::new(
                    format!("Thêm `{}: {{to: BƯỚC_MỚI}}` hoặc `{}: {{not_migratable: {{vi: …}}}}`", step.id, step.id),
                    format!("add `{}: {{to: NEW_STEP}}` or `{}: {{not_migratable: {{vi: …}}}}`", step.id, step.id),
                )),
            );
        }
    }

    // Fields.
    let old_fields = old.spec().form.as_ref().map(|f| &f.fields);
    let new_fields = new.spec().form.as_ref().map(|f| &f.fields);
    let mut key_renames: HashMap<Vec<String>, String> = HashMap::new();
    let mut targets: HashMap<&str, &str> = HashMap::new();
    for (from, to) in &spec.fields {
        let path = source::join("fields", from);
        let (fs, ts): (Vec<&str>, Vec<&str>) = (from.split('.').collect(), to.split('.').collect());
        let (of, nf) = (field_at(old_fields, &fs), field_at(new_fields, &ts));
        if of.is_none() {
            out.push(map.diagnostic(
                Code::UnknownReference,
                &path,
                Part::Key,
                Message::new(
                    format!("Tờ khai phiên bản {} không có trường `{from}`", old.version()),
                    format!("the form of version {} has no field `{from}`", old.version()),
                ),
            ));
        }
        if nf.is_none() {
            out.push(map.diagnostic(
                Code::UnknownReference,
                &path,
                Part::Value,
                Message::new(
                    format!("Tờ khai phiên bản {} không có trường `{to}`", new.version()),
                    format!("the form of version {} has no field `{to}`", new.version()),
                ),
            ));
        }
        if let Some(earlier) = targets.insert(to.as_str(), from.as_str()) {
            out.push(map.diagnostic(
                Code::InvalidValue,
                &path,
                Part::Value,
                Message::new(
                    format!("Hai trường `{earlier}` và `{from}` cùng đổi thành `{to}`"),
                    format!("both `{earlier}` and `{from}` are renamed to `{to}`"),
                ),
            ));
        }
        if fs.len() != ts.len() {
            out.push(map.diagnostic(
                Code::InvalidValue,
                &path,
                Part::Value,
                Message::new(
                    format!("Đổi tên giữ trường ở cùng cấp nhóm: `{from}` có {} cấp, `{to}` có {}", fs.len(), ts.len()),
                    format!(
                        "a rename keeps a field at its depth: `{from}` has {} levels, `{to}` has {}",
                        fs.len(),
                        ts.len()
                    ),
                ),
            ));
            continue;
        }
        if let (Some(of), Some(nf)) = (of, nf)
            && of.kind != nf.kind
        {
            let mut d = map.diagnostic(
                Code::TypeMismatch,
                &path,
                Part::Value,
                Message::new(
                    format!("Trường `{from}` kiểu {} đổi thành `{to}` kiểu {}", of.kind.as_str(), nf.kind.as_str()),
                    format!("field `{from}` of type {} becomes `{to}` of type {}", of.kind.as_str(), nf.kind.as_str()),
                ),
            );
            d.severity = Severity::Warning;
            out.push(d);
        }
        // Each prefix of the old path is renamed to the same prefix depth of the new one.
        for i in 0..fs.len() {
            let key: Vec<String> = fs[..=i].iter().map(|s| (*s).to_owned()).collect();
            let name = ts[i].to_owned();
            match key_renames.get(&key) {
                Some(existing) if *existing != name => out.push(map.diagnostic(
                    Code::InvalidValue,
                    &path,
                    Part::Value,
                    Message::new(
                        format!(
                            "Nhóm `{}` đã được đổi thành `{existing}`, không thể đổi thành `{name}`",
                            key.join(".")
                        ),
                        format!("group `{}` is already renamed to `{existing}`, not `{name}`", key.join(".")),
                    ),
                )),
                Some(_) => {}
                None => {
                    key_renames.insert(key, name);
                }
            }
        }
    }

    let mut dropped = Vec::new();
    for (i, field) in spec.dropped_fields.iter().enumerate() {
        let path = source::index("dropped_fields", i);
        let segments: Vec<&str> = field.split('.').collect();
        if field_at(old_fields, &segments).is_none() {
            out.push(map.diagnostic(
                Code::UnknownReference,
                &path,
                Part::Value,
                Message::new(
                    format!("Tờ khai phiên bản {} không có trường `{field}`", old.version()),
                    format!("the form of version {} has no field `{field}`", old.version()),
                ),
            ));
        } else if spec.fields.contains_key(field) {
            out.push(map.diagnostic(
                Code::InvalidValue,
                &path,
                Part::Value,
                Message::new(
                    format!("Trường `{field}` vừa được đổi tên vừa bị bỏ"),
                    format!("field `{field}` is both renamed and dropped"),
                ),
            ));
        } else if field_at(new_fields, &segments).is_some() {
            let mut d = map.diagnostic(
                Code::InvalidValue,
                &path,
                Part::Value,
                Message::new(
                    format!("Tờ khai phiên bản {} vẫn có trường `{field}`: bỏ đi sẽ mất dữ liệu", new.version()),
                    format!("the form of version {} still has `{field}`: dropping it loses data", new.version()),
                ),
            );
            d.severity = Severity::Warning;
            out.push(d);
        }
        dropped.push(segments.iter().map(|s| (*s).to_owned()).collect());
    }

    // Documents.
    for (from, to) in &spec.documents {
        let path = source::join("documents", from);
        if !old.spec().documents.contains_key(from) {
            out.push(map.diagnostic(
                Code::UnknownDocument,
                &path,
                Part::Key,
                Message::new(
                    format!("Thành phần hồ sơ phiên bản {} không có giấy tờ `{from}`", old.version()),
                    format!("the checklist of version {} has no document `{from}`", old.version()),
                ),
            ));
        }
        if !new.spec().documents.contains_key(to) {
            out.push(map.diagnostic(
                Code::UnknownDocument,
                &path,
                Part::Value,
                Message::new(
                    format!("Thành phần hồ sơ phiên bản {} không có giấy tờ `{to}`", new.version()),
                    format!("the checklist of version {} has no document `{to}`", new.version()),
                ),
            ));
        }
    }

    for (i, id) in spec.dropped_documents.iter().enumerate() {
        let path = source::index("dropped_documents", i);
        if !old.spec().documents.contains_key(id) {
            out.push(map.diagnostic(
                Code::UnknownDocument,
                &path,
                Part::Value,
                Message::new(
                    format!("Thành phần hồ sơ phiên bản {} không có giấy tờ `{id}`", old.version()),
                    format!("the checklist of version {} has no document `{id}`", old.version()),
                ),
            ));
        } else if spec.documents.contains_key(id) {
            out.push(map.diagnostic(
                Code::InvalidValue,
                &path,
                Part::Value,
                Message::new(
                    format!("Giấy tờ `{id}` vừa được đổi tên vừa bị bỏ"),
                    format!("document `{id}` is both renamed and dropped"),
                ),
            ));
        }
    }
    if !out.iter().any(Diagnostic::is_error) {
        coverage(&spec, map, old, new, &key_renames, &dropped, &mut out);
    }

    sort_by_place(&mut out);
    if out.iter().any(Diagnostic::is_error) {
        return Err(LoadError::new(out));
    }
    let unreachable = Text::new(
        "Không hồ sơ nào có thể ở bước này",
        Some("no dossier can be in this step (it cannot be reached from the start)"),
    );
    let steps = old
        .steps()
        .iter()
        .map(|s| match spec.steps.get(&s.id) {
            Some(m) => match (&m.to, &m.not_migratable) {
                // Resolved above: a missing target is an error.
                (Some(to), _) => StepMove::To { id: to.clone() },
                (None, Some(reason)) => StepMove::NotMigratable { reason: reason.clone() },
                (None, None) => StepMove::NotMigratable { reason: unreachable.clone() },
            },
            None => StepMove::NotMigratable { reason: unreachable.clone() },
        })
        .collect();
    let digest = Sha256::digest(text.as_bytes());
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Migration {
        sha256,
        from_code: old.code().to_owned(),
        to_code: new.code().to_owned(),
        old_step_ids: old.steps().iter().map(|s| s.id.clone()).collect(),
        steps,
        key_renames,
        dropped,
        warnings: out,
        spec,
    })
}

/// An old path under its new names (the renames of its prefixes applied).
fn mapped(path: &[String], key_renames: &HashMap<Vec<String>, String>) -> Vec<String> {
    (0..path.len()).map(|i| key_renames.get(&path[..=i]).cloned().unwrap_or_else(|| path[i].clone())).collect()
}

/// Whether a field must always have a value (not only under a condition).
fn always_required(f: &FieldSpec) -> bool {
    f.required && f.required_if.is_none() && f.visible_if.is_none()
}

/// Warnings for what moved dossiers' data would lack or carry in excess: an old field that
/// is neither in the new form (under its new name) nor dropped; a new field that is always
/// required and that no old field becomes; an old document neither on the new checklist
/// (under its new id) nor dropped; a new document always required, not replaceable by a
/// database, that no old document becomes. Each problem would show on every moved dossier.
fn coverage(
    spec: &MigrationSpec,
    map: &SourceMap,
    old: &Procedure,
    new: &Procedure,
    key_renames: &HashMap<Vec<String>, String>,
    dropped: &[Vec<String>],
    out: &mut Vec<Diagnostic>,
) {
    let no_fields = IndexMap::new();
    let old_fields = old.spec().form.as_ref().map_or(&no_fields, |f| &f.fields);
    let new_fields = new.spec().form.as_ref().map_or(&no_fields, |f| &f.fields);
    let warn = |code: Code, at: &str, vi: String, en: String| {
        let mut d = map.diagnostic(code, at, Part::Key, Message::new(vi, en));
        d.severity = Severity::Warning;
        d
    };
    let fields_at = if spec.fields.is_empty() && !spec.dropped_fields.is_empty() { "dropped_fields" } else { "fields" };
    // Old fields, top down; a missing group is reported once, not for each of its fields.
    let mut supplied: Vec<Vec<String>> = Vec::new();
    let mut stack: Vec<(Vec<String>, &IndexMap<String, FieldSpec>)> = vec![(Vec::new(), old_fields)];
    while let Some((prefix, fields)) = stack.pop() {
        for (id, field) in fields {
            let mut path = prefix.clone();
            path.push(id.clone());
            if dropped.contains(&path) {
                continue;
            }
            let target = mapped(&path, key_renames);
            let segments: Vec<&str> = target.iter().map(String::as_str).collect();
            if field_at(Some(new_fields), &segments).is_none() {
                let (p, t) = (path.join("."), target.join("."));
                out.push(warn(
                    Code::UnexpectedField,
                    fields_at,
                    format!(
                        "Trường `{p}` của phiên bản {} không có trong tờ khai phiên bản {} (`{t}`): đổi tên (`fields`) hoặc bỏ (`dropped_fields`)",
                        old.version(),
                        new.version()
                    ),
                    format!(
                        "field `{p}` of version {} is not in the form of version {} (as `{t}`): rename it (`fields`) or drop it (`dropped_fields`)",
                        old.version(),
                        new.version()
                    ),
                ));
                continue;
            }
            supplied.push(target);
            if let Some(children) = &field.fields {
                stack.push((path, children));
            }
        }
    }
    let mut stack: Vec<(Vec<String>, &IndexMap<String, FieldSpec>)> = vec![(Vec::new(), new_fields)];
    while let Some((prefix, fields)) = stack.pop() {
        for (id, field) in fields {
            let mut path = prefix.clone();
            path.push(id.clone());
            if supplied.contains(&path) {
                if let Some(children) = &field.fields {
                    stack.push((path, children));
                }
            } else if always_required(field) {
                let p = path.join(".");
                out.push(warn(
                    Code::FieldRequired,
                    fields_at,
                    format!(
                        "Trường bắt buộc `{p}` của phiên bản {} không có trong dữ liệu hồ sơ được chuyển",
                        new.version()
                    ),
                    format!(
                        "required field `{p}` of version {} is missing from every moved dossier's data",
                        new.version()
                    ),
                ));
            }
        }
    }
    let docs_at =
        if spec.documents.is_empty() && !spec.dropped_documents.is_empty() { "dropped_documents" } else { "documents" };
    let (old_docs, new_docs) = (&old.spec().documents, &new.spec().documents);
    let renamed = |id: &String| spec.documents.get(id).unwrap_or(id).clone();
    for id in old_docs.keys() {
        if !spec.dropped_documents.contains(id) && !new_docs.contains_key(&renamed(id)) {
            out.push(warn(
                Code::UnknownDocument,
                docs_at,
                format!(
                    "Giấy tờ `{id}` của phiên bản {} không có trong thành phần hồ sơ phiên bản {}: đổi tên (`documents`) hoặc bỏ (`dropped_documents`)",
                    old.version(),
                    new.version()
                ),
                format!(
                    "document `{id}` of version {} is not on the checklist of version {}: rename it (`documents`) or drop it (`dropped_documents`)",
                    old.version(),
                    new.version()
                ),
            ));
        }
    }
    let sources: Vec<String> = old_docs.keys().filter(|id| !spec.dropped_documents.contains(id)).map(renamed).collect();
    for (id, d) in new_docs {
        let required = d.required != Some(false) && d.required_if.is_none() && d.replaceable_by.is_none();
        if required && !sources.contains(id) {
            out.push(warn(
                Code::DocumentMissing,
                docs_at,
                format!("Giấy tờ bắt buộc `{id}` của phiên bản {} không có trong hồ sơ được chuyển", new.version()),
                format!("required document `{id}` of version {} is missing from every moved dossier", new.version()),
            ));
        }
    }
}
