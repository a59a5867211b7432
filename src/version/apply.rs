//! Moving a running dossier with a [`Migration`]: the `migrated` event, and the dry run that
//! shows what it would change.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::migration::{Migration, StepMove};
use crate::compile::Procedure;
use crate::diagnostic::Code;
use crate::dossier::{Actor, Applied, Dossier, MigrationPlan, Rejection};
use crate::status::NationalStatus;

/// Moves a running dossier from `old` to `new` as `migration` says, at instant `at`, on a
/// copy: returns the moved dossier (reporting `new`'s version from now on) and what the host
/// must do, or a [`Rejection`] — and `dossier` is never changed either way.
///
/// The moved dossier's history ends in a `migrated` event
/// ([`EventKind::Migrated`](crate::EventKind::Migrated)) on its hash chain; replay it with
/// [`Dossier::replay_versions`]. Deadlines (see the README, *Moving running dossiers*): the
/// appointment never moves later because of the migration ([`Migration::deadlines`]:
/// `keep` leaves it as given, `earlier_of_both` takes the new legal deadline from receipt if
/// that is earlier); the part of each step spent on the old version stays on the
/// process-control record ([`Dossier::log`]) as a line with action `migrated`, against the
/// old agency; the new step's due instant is its new budget minus the working time used,
/// never below zero (`new_minus_used`), or the old due instant (`keep_remaining`); a timer
/// new in the target step starts at `at` (`start_at_migration`) or from the step's entry
/// (`from_step_entry`), one already due fires once, at the next advance; a suspended clock
/// stays suspended when the target step waits for the applicant too.
///
/// Rejections: the dossier, `old`, `new` and the migration not naming the same procedure
/// and versions ([`Code::WrongProcedure`]); an active step, or a join with branches
/// waiting, that the migration declares not migratable, with its reason
/// ([`Code::NotMigratable`], at `active`); the migrated data or documents failing the new
/// form ([`Code::InvalidForm`], every problem listed); a closed dossier
/// ([`Code::DossierClosed`]); `at` before the dossier's last event or outside a calendar.
///
/// ```
/// use motcua::{Actor, Catalogue, Code, Dossier, Library, Procedure};
/// use motcua::version::{Migration, migrate};
///
/// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// let old = Procedure::from_yaml(
///     include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// let new = Procedure::from_yaml(
///     include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// let migration = Migration::from_yaml(
///     include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
/// // Received by the district on Monday 23 June 2025, accepted at 10:00: under review.
/// let mut scenario = motcua::scenario::Scenario::from_yaml(
///     include_str!("../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
/// scenario.commands.truncate(1);
/// let dossier = motcua_scenario::run(&scenario, &old).dossier().unwrap().clone();
///
/// // Thursday 26 June 08:00: moved to the commune (the 1.5-day review budget is used up).
/// let at = chrono::DateTime::parse_from_rfc3339("2025-06-26T08:00:00+07:00").unwrap();
/// let officer = Actor::official("one_stop_officer", "commune_committee");
/// let (moved, applied) = migrate(&dossier, &old, &new, &migration, at, officer).unwrap();
/// assert_eq!((dossier.procedure_version(), moved.procedure_version()), ("2021.1", "2025.1"));
/// assert_eq!(moved.deadline().appointment, dossier.deadline().appointment);
/// assert_eq!(moved.active()[0].due, Some(at)); // never below zero: due now
/// let district = moved.log().last().unwrap();
/// assert_eq!((district.agency.as_deref(), district.action.as_str()), (Some("district_finance_planning"), "migrated"));
/// assert_eq!(district.used_minutes, 360 + 2 * 480); // Mon 10:00–17:00 (lunch off), Tue, Wed
/// assert!(matches!(applied.events[0].kind, motcua::EventKind::Migrated { .. }));
/// assert_eq!(moved.data()["owner"]["citizen_id"], "001190012345");
///
/// // Once signed by the district, it stays on the old version.
/// let mut signed = motcua::scenario::Scenario::from_yaml(
///     include_str!("../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
/// signed.commands.truncate(3);
/// let signed = motcua_scenario::run(&signed, &old).dossier().unwrap().clone();
/// let err = migrate(&signed, &old, &new, &migration, at, Actor::official("one_stop_officer", "commune_committee")).unwrap_err();
/// assert_eq!(err.code, Code::NotMigratable);
/// assert!(err.message.en.contains("already signed"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn migrate(
    dossier: &Dossier,
    old: &Procedure,
    new: &Procedure,
    migration: &Migration,
    at: DateTime<FixedOffset>,
    actor: Actor,
) -> Result<(Dossier, Applied), Rejection> {
    if migration.from() != (old.code(), old.version())
        || migration.to() != (new.code(), new.version())
        || (dossier.procedure_code(), dossier.procedure_version()) != (old.code(), old.version())
    {
        let (code, from) = migration.from();
        let (_, to) = migration.to();
        return Err(Rejection::new(
            Code::WrongProcedure,
            "procedure",
            format!(
                "Hồ sơ thuộc {} phiên bản {}; tệp chuyển phiên bản chuyển {code} từ {from} sang {to}, các phiên bản đã nạp là {} và {}",
                dossier.procedure_code(),
                dossier.procedure_version(),
                old.version(),
                new.version()
            ),
            format!(
                "the dossier is {} version {}; the migration moves {code} from {from} to {to}, the versions given are {} and {}",
                dossier.procedure_code(),
                dossier.procedure_version(),
                old.version(),
                new.version()
            ),
        ));
    }
    let targets = dossier.active_step_ids().map(|step| target(migration, step)).collect::<Result<Vec<_>, _>>()?;
    let mut waiting = BTreeMap::new();
    for (step, n) in dossier.waiting_at_joins() {
        *waiting.entry(target(migration, step)?).or_insert(0) += n;
    }
    let plan = MigrationPlan {
        targets,
        waiting,
        data: migration.migrate_data(dossier.data()),
        documents: migration.migrate_documents(dossier.documents()),
        policy: migration.deadlines(),
        sha256: migration.sha256(),
        command_id: format!("migrate/{}/{}", old.version(), new.version()),
    };
    dossier.migrated(old, new, plan, at, actor)
}

fn target(migration: &Migration, step: &str) -> Result<String, Rejection> {
    match migration.step_by_id(step) {
        Some(StepMove::To { id }) => Ok(id.clone()),
        Some(StepMove::NotMigratable { reason }) => Err(Rejection::new(
            Code::NotMigratable,
            "active",
            format!("Hồ sơ đang ở bước `{step}`, không chuyển được: {}", reason.get("vi")),
            format!("the dossier is in step `{step}`, which cannot move: {}", reason.get("en")),
        )),
        None => Err(Rejection::new(
            Code::NotMigratable,
            "active",
            format!("Tệp chuyển phiên bản không nói hồ sơ ở bước `{step}` đi đâu"),
            format!("the migration does not say where dossiers in step `{step}` go"),
        )),
    }
}

/// What a migration would do to one dossier, computed without changing it: see [`dry_run`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MigrationPreview {
    /// The dossier.
    pub dossier: String,
    /// The version it runs on now, and the one it would move to.
    pub from_version: String,
    /// The version it would move to.
    pub to_version: String,
    /// Why it cannot move (it stays pinned): the rejection [`migrate`] would return, with
    /// its code, message and, for data that fails the new form, every problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<Rejection>,
    /// Each active step, where it would go and its due instant and timer before and after.
    pub steps: Vec<StepPreview>,
    /// The appointment now.
    pub appointment_before: DateTime<FixedOffset>,
    /// The appointment after the move (equal, or earlier).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_after: Option<DateTime<FixedOffset>>,
    /// The national status now.
    pub status_before: NationalStatus,
    /// The national status after the move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_after: Option<NationalStatus>,
}

/// One active step in a [`MigrationPreview`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepPreview {
    /// The step now.
    pub from: String,
    /// The step it would continue in (none when it cannot move).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Working minutes used in it so far (kept on the process-control record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_minutes: Option<u64>,
    /// Its due instant now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_before: Option<DateTime<FixedOffset>>,
    /// Its due instant after the move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_after: Option<DateTime<FixedOffset>>,
    /// Its next timer now (`action@instant`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timer_before: Option<String>,
    /// Its next timer after the move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timer_after: Option<String>,
}

/// What [`migrate`] would change in `dossier` at `at` — steps, due instants, timers, the
/// appointment, the status, or why it cannot move — without changing anything.
///
/// ```
/// use motcua::{Catalogue, Code, Library, Procedure};
/// use motcua::version::{Migration, dry_run};
///
/// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let old = Procedure::from_yaml(include_str!("../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// # let new = Procedure::from_yaml(include_str!("../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
/// # let migration = Migration::from_yaml(include_str!("../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
/// let mut scenario = motcua::scenario::Scenario::from_yaml(
///     include_str!("../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
/// scenario.commands.truncate(3); // signed by the district, not yet returned
/// let dossier = motcua_scenario::run(&scenario, &old).dossier().unwrap().clone();
/// let preview = dry_run(&dossier, &old, &new, &migration, dossier.updated_at());
/// assert_eq!(preview.refused.as_ref().map(|r| r.code), Some(Code::NotMigratable));
/// assert_eq!((preview.steps[0].from.as_str(), preview.steps[0].to.as_deref()), ("return_result", None));
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn dry_run(
    dossier: &Dossier,
    old: &Procedure,
    new: &Procedure,
    migration: &Migration,
    at: DateTime<FixedOffset>,
) -> MigrationPreview {
    let actor = Actor { role: crate::dossier::SYSTEM_ROLE.into(), agency: None, unit: None, user: None };
    let result = migrate(dossier, old, new, migration, at, actor);
    let timer =
        |t: &Option<crate::dossier::TimerDue>| t.as_ref().map(|t| format!("{}@{}", t.action, t.at.to_rfc3339()));
    let mut preview = MigrationPreview {
        dossier: dossier.id().to_owned(),
        from_version: dossier.procedure_version().to_owned(),
        to_version: migration.to().1.to_owned(),
        refused: None,
        steps: Vec::new(),
        appointment_before: dossier.deadline().appointment,
        appointment_after: None,
        status_before: dossier.status(),
        status_after: None,
    };
    match result {
        Ok((moved, applied)) => {
            let moves = match applied.events.first().map(|e| &e.kind) {
                Some(crate::dossier::EventKind::Migrated { steps, .. }) => steps.clone(),
                _ => Vec::new(),
            };
            for ((before, after), m) in dossier.active().iter().zip(moved.active()).zip(moves) {
                preview.steps.push(StepPreview {
                    from: before.step.clone(),
                    to: Some(after.step.clone()),
                    used_minutes: Some(m.used_minutes),
                    due_before: before.due,
                    due_after: after.due,
                    timer_before: timer(&before.timer),
                    timer_after: timer(&after.timer),
                });
            }
            preview.appointment_after = Some(moved.deadline().appointment);
            preview.status_after = Some(moved.status());
        }
        Err(rejection) => {
            for a in dossier.active() {
                preview.steps.push(StepPreview {
                    from: a.step.clone(),
                    to: migration.step_by_id(&a.step).and_then(StepMove::target).map(str::to_owned),
                    used_minutes: None,
                    due_before: a.due,
                    due_after: None,
                    timer_before: timer(&a.timer),
                    timer_after: None,
                });
            }
            preview.refused = Some(rejection);
        }
    }
    preview
}
