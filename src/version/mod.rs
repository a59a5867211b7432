//! Versions of a procedure: what changed between two of them ([`diff`]), and how dossiers
//! running on one move to the next ([`Migration`]).
//!
//! A dossier stays on the version it was received under (*pinning*, the default). When a
//! new version is published — a new decree, a merged agency, the district level abolished
//! on 2025-07-01 — [`diff`] lists what changed in policy staff's terms and which changes
//! break running dossiers; a migration file (`specs/migrations/`), compiled against both
//! versions into a [`Migration`], says where dossiers in each old step go, which fields and
//! documents were renamed, and what happens to their deadlines.
//!
//! ```
//! use motcua::{Catalogue, Library, Procedure};
//! use motcua::version::{ChangeKind, diff};
//!
//! let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
//! let mut library = Library::new(catalogue);
//! library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
//! let old = Procedure::from_yaml(
//!     include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
//! let new = Procedure::from_yaml(
//!     include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
//! let d = diff(&old, &new);
//! let review = d.find(ChangeKind::StepLevelChanged, "steps.review").unwrap();
//! assert_eq!((review.old.as_deref(), review.new.as_deref()), (Some("district"), Some("commune")));
//! assert!(review.breaking);
//! # Ok::<(), motcua::LoadError>(())
//! ```

mod apply;
mod diff;
mod migration;

pub use crate::spec::migration::{
    AppointmentPolicy, DeadlinePolicySpec, MigrationSpec, StepBudgetPolicy, StepMappingSpec, TimerPolicy,
};
pub use apply::{MigrationPreview, StepPreview, dry_run, migrate};
pub use diff::{Change, ChangeKind, ProcedureDiff, VersionRef, diff};
pub use migration::{Migration, StepMove};
