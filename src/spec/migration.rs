//! The migration file: how dossiers running on one version of a procedure move to the next.
//!
//! A migration is data, written by policy staff next to the two versions it connects
//! (`specs/migrations/<code>-<from>-to-<to>.yaml`), and compiled against both by
//! [`Migration::from_yaml`](crate::version::Migration::from_yaml).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::procedure::LegalReference;
use crate::text::Text;

/// A migration between two versions of one procedure, as written in YAML.
///
/// ```yaml
/// motcua: 1
/// procedure: "1.001612"
/// from: "2021.1"
/// to: "2025.1"
/// name: {vi: Chuyển hồ sơ từ cấp huyện về cấp xã, en: Move dossiers from the district to the commune}
/// steps:                       # every step of the old version a dossier may be in
///   receive: {to: receive}
///   review: {to: review}
///   forward: {not_migratable: {vi: Hồ sơ đã trình huyện ký, en: Already with the district chair}}
/// fields: {owner.id_number: owner.citizen_id}      # old path: new path
/// dropped_fields: [business_address.district]      # no districts any more
/// documents: {member_ids: personal_papers}         # old id: new id
/// deadlines: {appointment: keep, step_budget: new_minus_used, new_timers: start_at_migration}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrationSpec {
    /// Spec format version: `1`.
    pub motcua: u32,
    /// National code of the procedure both versions implement.
    pub procedure: String,
    /// The version dossiers are moved from.
    pub from: String,
    /// The version dossiers are moved to.
    pub to: String,
    /// Why the dossiers move (shown on the process-control record).
    pub name: Text,
    /// The legal documents that require or allow the move.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<LegalReference>,
    /// For every step of the old version a dossier may be in: the step of the new version
    /// it continues in, or why dossiers there cannot move (they stay pinned).
    pub steps: IndexMap<String, StepMappingSpec>,
    /// Renamed form fields: dotted path in the old form → dotted path in the new form.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub fields: IndexMap<String, String>,
    /// Form fields of the old version that the new one no longer has (dotted paths): their
    /// values are removed from a moved dossier's data (they stay in its history).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_fields: Vec<String>,
    /// Renamed documents: id on the old checklist → id on the new checklist.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub documents: IndexMap<String, String>,
    /// Documents of the old checklist that the new one no longer has: they are removed from
    /// a moved dossier's document list (they stay in its history).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_documents: Vec<String>,
    /// What happens to the deadlines of moved dossiers (the defaults keep every promise).
    #[serde(default)]
    pub deadlines: DeadlinePolicySpec,
}

/// Where dossiers in one old step go: `{to: review}` or `{not_migratable: {vi: …, en: …}}`
/// (exactly one of the two).
///
/// ```
/// let m: motcua::version::StepMappingSpec = serde_json::from_str(r#"{"to": "review"}"#).unwrap();
/// assert_eq!((m.to.as_deref(), m.not_migratable), (Some("review"), None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepMappingSpec {
    /// The step of the new version the dossier continues in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Dossiers in this step cannot move, and why: they finish on the old version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_migratable: Option<Text>,
}

/// What happens to deadlines when a dossier moves. Every field has the default that keeps
/// what was promised to the citizen (issue 15, item 4).
///
/// ```
/// use motcua::version::{AppointmentPolicy, DeadlinePolicySpec, StepBudgetPolicy, TimerPolicy};
///
/// let written: DeadlinePolicySpec = serde_json::from_str(r#"{"step_budget": "keep_remaining"}"#).unwrap();
/// assert_eq!(written.appointment, AppointmentPolicy::Keep);
/// assert_eq!(written.step_budget, StepBudgetPolicy::KeepRemaining);
/// assert_eq!(written.new_timers, TimerPolicy::StartAtMigration);
/// assert_eq!(DeadlinePolicySpec::default().step_budget, StepBudgetPolicy::NewMinusUsed);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlinePolicySpec {
    /// The appointment already given to the citizen.
    #[serde(default)]
    pub appointment: AppointmentPolicy,
    /// The budget of the step the dossier continues in.
    #[serde(default)]
    pub step_budget: StepBudgetPolicy,
    /// Timers (`after`) of the new step that the old step did not have.
    #[serde(default)]
    pub new_timers: TimerPolicy,
}

/// The appointment of a moved dossier: it never moves later because of a migration (only an
/// explicit extension with apology does, and that counts as late).
///
/// ```
/// use motcua::spec::migration::AppointmentPolicy;
///
/// assert_eq!(AppointmentPolicy::default(), AppointmentPolicy::Keep);
/// let policy: AppointmentPolicy = serde_json::from_str("\"earlier_of_both\"").unwrap();
/// assert_eq!(policy, AppointmentPolicy::EarlierOfBoth);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentPolicy {
    /// The appointment stays exactly as given (default).
    #[default]
    Keep,
    /// The earlier of the appointment given and the one the new legal deadline gives from
    /// the original receipt: a shorter new deadline benefits the citizen, a longer one never
    /// delays them.
    EarlierOfBoth,
}

/// The budget a moved dossier has left in the step it continues in.
///
/// ```
/// use motcua::spec::migration::StepBudgetPolicy;
///
/// assert_eq!(StepBudgetPolicy::default(), StepBudgetPolicy::NewMinusUsed);
/// assert_eq!(serde_json::to_string(&StepBudgetPolicy::KeepRemaining).unwrap(), "\"keep_remaining\"");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepBudgetPolicy {
    /// The new step's budget minus the working time already used in the old step, never
    /// below zero (default).
    #[default]
    NewMinusUsed,
    /// What was left of the old step's budget, whatever the new budget.
    KeepRemaining,
}

/// When a timer that the new step has and the old step had not starts counting.
///
/// ```
/// use motcua::spec::migration::TimerPolicy;
///
/// assert_eq!(TimerPolicy::default(), TimerPolicy::StartAtMigration);
/// let policy: TimerPolicy = serde_json::from_str("\"from_step_entry\"").unwrap();
/// assert_eq!(policy, TimerPolicy::FromStepEntry);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimerPolicy {
    /// At the migration instant, once (default): no dossier is stopped by a timer it could
    /// not see coming.
    #[default]
    StartAtMigration,
    /// From when the dossier entered the step; a timer already past due fires once, at the
    /// migration, never twice.
    FromStepEntry,
}

impl MigrationSpec {
    /// Reads a migration file without compiling it, e.g. to find the two procedure versions
    /// it connects before compiling it against them with
    /// [`Migration::from_yaml`](crate::version::Migration::from_yaml). Only the YAML and the
    /// shapes are checked here, with diagnostics placed as for every spec.
    ///
    /// ```
    /// use motcua::spec::migration::MigrationSpec;
    ///
    /// let text = include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml");
    /// let spec = MigrationSpec::from_yaml(text, "migration.yaml")?;
    /// assert_eq!((spec.procedure.as_str(), spec.from.as_str(), spec.to.as_str()), ("1.001612", "2021.1", "2025.1"));
    /// let err = MigrationSpec::from_yaml("motcua: 1\nprocedure: x\n", "bad.yaml").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, motcua::Code::MissingField);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<MigrationSpec, crate::diagnostic::LoadError> {
        crate::spec::yaml::from_str::<MigrationSpec>(text, file, &crate::limits::Limits::default())
            .map(|(spec, _)| spec)
    }
}
