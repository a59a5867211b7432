//! Moving stored dossiers to a new version of their procedure (issue 15): one dossier, or
//! every running dossier of a version in batches, with a dry run that writes nothing first.
//! The rules are the core's ([`motcua::version::migrate`]); this module loads, writes the
//! `migrated` event with its effects in one transaction, and moves the dossier row to the
//! new version.

use chrono::{DateTime, FixedOffset};
use motcua::version::{Migration, MigrationPreview};
use motcua::{Actor, Procedure, Rejection};

use crate::db::{DbError, Val};
use crate::engine;
use crate::error::StoreError;
use crate::store::{Store, Stored};

/// What [`Store::migrate_running`] found and did (an example is at [`Store::migrate`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MigrationReport {
    /// Whether it was a dry run (nothing written).
    pub dry_run: bool,
    /// One preview per running dossier of the old version, in identifier order: where its
    /// steps go, due instants and the appointment before and after, or (`refused`) why it
    /// stays pinned.
    pub dossiers: Vec<MigrationPreview>,
    /// How many were moved (0 in a dry run).
    pub moved: usize,
}

impl MigrationReport {
    /// The dossiers that cannot move, with the reason: they stay on the old version (an
    /// example is at [`Store::migrate`]).
    pub fn pinned(&self) -> impl Iterator<Item = (&str, &Rejection)> {
        self.dossiers.iter().filter_map(|p| p.refused.as_ref().map(|r| (p.dossier.as_str(), r)))
    }
}

impl Store {
    /// Moves one stored dossier from the version `migration` starts from to the one it
    /// leads to, at `at`, by `actor`: the `migrated` event, the new snapshot and index
    /// columns, the outbox rows of its effects and the dossier's new version are written in
    /// one transaction. Both versions must be registered. A dossier that cannot move is
    /// [`StoreError::Rejected`] (`not_migratable` with the reason, `wrong_procedure`,
    /// `invalid_form`, …) and nothing is written.
    ///
    /// ```
    /// use motcua::{Actor, Catalogue, Channel, Code, Library, Submission};
    /// use motcua::version::Migration;
    /// use motcua_store::Store;
    ///
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let dir = std::env::temp_dir().join(format!("motcua-store-migrate-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// # let _ = std::fs::remove_file(dir.join("desk.db"));
    /// let mut store = Store::open_sqlite(dir.join("desk.db"), library).unwrap();
    /// store.register_procedure(include_str!("../../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml").unwrap();
    /// store.register_procedure(include_str!("../../../specs/procedures/household-business-registration.yaml"), "new.yaml").unwrap();
    /// let (old, new) = (store.procedure("1.001612", "2021.1").unwrap(), store.procedure("1.001612", "2025.1").unwrap());
    /// let migration = Migration::from_yaml(
    ///     include_str!("../../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    ///
    /// // A dossier received by the district on 27 June 2025, waiting at its desk.
    /// let sample = motcua::scenario::Scenario::from_yaml(
    ///     include_str!("../../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
    /// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// let submission = Submission::new("HKD-1", at("2025-06-27T09:00:00+07:00"), Actor::citizen(), Channel::Online, "001")
    ///     .with_data(sample.submit.data, sample.submit.documents);
    /// store.submit_with_version("1.001612", "2021.1", submission).unwrap();
    ///
    /// let officer = Actor::official("one_stop_officer", "commune_committee");
    /// let when = at("2025-07-01T08:00:00+07:00");
    /// let report = store.migrate_running(&migration, when, &officer, 100, true).unwrap();
    /// assert_eq!((report.dossiers.len(), report.pinned().count(), report.moved), (1, 0, 0));
    /// assert_eq!(store.dossier("HKD-1").unwrap().procedure_version(), "2021.1"); // a dry run
    ///
    /// let moved = store.migrate("HKD-1", &migration, when, &officer).unwrap();
    /// assert_eq!(moved.dossier.procedure_version(), "2025.1");
    /// assert_eq!(store.verify("HKD-1").unwrap().events, 2);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn migrate(
        &mut self,
        dossier_id: &str,
        migration: &Migration,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<Stored, StoreError> {
        let (code, from) = migration.from();
        let (_, to) = migration.to();
        let (old, new) = (self.procedure(code, from)?, self.procedure(code, to)?);
        let written = self.tx(|s| {
            let (_, dossier, before) = s.load_in_tx(dossier_id)?;
            let (moved, applied) =
                engine::migrate(&dossier, &old, &new, migration, at, actor.clone()).map_err(StoreError::Rejected)?;
            match s.write(&new, &moved, before, &applied, None) {
                Ok(()) => {}
                Err(DbError::Unique(_)) => return Ok(None),
                Err(e) => return Err(e.into()),
            }
            s.db.exec(
                "UPDATE dossiers SET procedure_version = ?2 WHERE id = ?1",
                &[Val::from(dossier_id), Val::from(moved.procedure_version())],
            )?;
            Ok(Some(Stored { dossier: moved, applied }))
        })?;
        written.ok_or_else(|| StoreError::VersionConflict {
            dossier: dossier_id.to_owned(),
            detail: "another writer stored an event first".into(),
        })
    }

    /// Every running (not closed) dossier of the version `migration` starts from, `batch`
    /// at a time in identifier order: previewed with [`motcua::version::dry_run`] and, unless
    /// `dry_run`, moved with [`Store::migrate`], one transaction per dossier. Dossiers that
    /// cannot move are listed with the reason ([`MigrationReport::pinned`]) and stay on the
    /// old version. A dossier refused at its move although its preview passed (it changed
    /// in between) is reported with that refusal; a write conflict stops the run with
    /// [`StoreError::VersionConflict`] (run it again: moved dossiers are no longer on the old
    /// version, so nothing moves twice). The same as [`Store::migrate_running_with`] with
    /// no progress callback (an example is at [`Store::migrate`]).
    pub fn migrate_running(
        &mut self,
        migration: &Migration,
        at: DateTime<FixedOffset>,
        actor: &Actor,
        batch: usize,
        dry_run: bool,
    ) -> Result<MigrationReport, StoreError> {
        let run = MigrationRun { at, actor, batch, dry_run, target: None };
        self.migrate_running_with(migration, &run, &mut |_, _, _| {})
    }

    /// How many running (not closed) dossiers procedure `code` has on `version`: what
    /// [`Store::migrate_running`] would look at.
    ///
    /// ```
    /// # use motcua::{Catalogue, Library};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let dir = std::env::temp_dir().join(format!("motcua-store-count-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let _ = std::fs::remove_file(dir.join("desk.db"));
    /// let mut store = motcua_store::Store::open_sqlite(dir.join("desk.db"), library).unwrap();
    /// assert_eq!(store.running_count("1.001612", "2021.1").unwrap(), 0);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn running_count(&mut self, code: &str, version: &str) -> Result<usize, StoreError> {
        let rows = self.db.query(
            "SELECT COUNT(*) FROM dossiers WHERE procedure_code = ?1 AND procedure_version = ?2 AND closed_ts IS NULL",
            &[Val::from(code), Val::from(version)],
        )?;
        Ok(rows.first().map(|r| r[0].int()).transpose()?.unwrap_or(0).max(0) as usize)
    }

    /// [`Store::migrate_running`], calling `progress(done, total, preview)` after each
    /// dossier (for a progress bar), and, for a dry run, previewing against `run.target`
    /// when the version moved to is not registered yet (nothing is registered: the real
    /// move needs it registered, see [`Store::register_procedure`]).
    ///
    /// A `run.target` that is not the version `migration` leads to is
    /// [`StoreError::Rejected`] (`wrong_procedure`); without it, an unregistered version is
    /// [`StoreError::NotFound`]. Nothing is written in either case.
    ///
    /// ```
    /// use motcua::{Actor, Catalogue, Library, Procedure, Submission, Channel};
    /// use motcua::version::Migration;
    /// use motcua_store::{MigrationRun, Store};
    ///
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let new = Procedure::from_yaml(include_str!("../../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)?;
    /// let dir = std::env::temp_dir().join(format!("motcua-store-run-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let _ = std::fs::remove_file(dir.join("desk.db"));
    /// let mut store = Store::open_sqlite(dir.join("desk.db"), library).unwrap();
    /// store.register_procedure(include_str!("../../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml").unwrap();
    /// let old = store.procedure("1.001612", "2021.1").unwrap();
    /// let migration = Migration::from_yaml(
    ///     include_str!("../../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", &old, &new)?;
    /// let sample = motcua::scenario::Scenario::from_yaml(
    ///     include_str!("../../../tests/superseded/scenarios/household-business-registration-2021-happy.yaml"), "s.yaml")?;
    /// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// let submission = Submission::new("HKD-1", at("2025-06-27T09:00:00+07:00"), Actor::citizen(), Channel::Online, "001")
    ///     .with_data(sample.submit.data, sample.submit.documents);
    /// store.submit_with_version("1.001612", "2021.1", submission).unwrap();
    ///
    /// // 2025.1 is not registered: a dry run previews against the compiled file.
    /// let admin = Actor { role: "procedure_admin".into(), agency: None, unit: None, user: Some("admin".into()) };
    /// let run = MigrationRun { at: at("2025-07-01T08:00:00+07:00"), actor: &admin, batch: 10, dry_run: true, target: Some(&new) };
    /// let mut seen = Vec::new();
    /// let report = store.migrate_running_with(&migration, &run, &mut |done, total, p| seen.push((done, total, p.dossier.clone()))).unwrap();
    /// assert_eq!((report.moved, seen), (0, vec![(1, 1, "HKD-1".to_owned())]));
    /// assert!(store.procedure_versions("1.001612").unwrap().iter().all(|v| v.version == "2021.1"));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn migrate_running_with(
        &mut self,
        migration: &Migration,
        run: &MigrationRun<'_>,
        progress: &mut dyn FnMut(usize, usize, &MigrationPreview),
    ) -> Result<MigrationReport, StoreError> {
        let (code, from) = migration.from();
        let (_, to) = migration.to();
        let old = self.procedure(code, from)?;
        let new = match run.target.filter(|_| run.dry_run) {
            Some(target) if (target.code(), target.version()) != (code, to) => {
                return Err(StoreError::Rejected(Rejection {
                    code: motcua::Code::WrongProcedure,
                    field: "procedure".into(),
                    message: motcua::Message::new(
                        format!(
                            "Tệp chuyển phiên bản dẫn tới {code} {to}, nhưng phiên bản đích đưa vào là {} {}",
                            target.code(),
                            target.version()
                        ),
                        format!(
                            "the migration leads to {code} {to}, but the target given is {} {}",
                            target.code(),
                            target.version()
                        ),
                    ),
                    problems: Vec::new(),
                }));
            }
            Some(target) => match self.procedure(code, to) {
                Ok(registered) => registered,
                Err(StoreError::NotFound(_)) => std::sync::Arc::new(target.clone()),
                Err(e) => return Err(e),
            },
            None => self.procedure(code, to)?,
        };
        let total = self.running_count(code, from)?;
        let mut report = MigrationReport { dry_run: run.dry_run, dossiers: Vec::new(), moved: 0 };
        let mut after = String::new();
        loop {
            let rows = self.db.query(
                "SELECT id FROM dossiers WHERE procedure_code = ?1 AND procedure_version = ?2 \
                 AND closed_ts IS NULL AND id > ?3 ORDER BY id LIMIT ?4",
                &[Val::from(code), Val::from(from), Val::from(after.as_str()), Val::from(run.batch.max(1) as i64)],
            )?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let id = row[0].text()?;
                let mut preview = self.read(|s| {
                    let (_, dossier, _) = s.load_in_tx(&id)?;
                    Ok(motcua::version::dry_run(&dossier, &old, &new, migration, run.at))
                })?;
                if !run.dry_run && preview.refused.is_none() {
                    match self.migrate(&id, migration, run.at, run.actor) {
                        Ok(_) => report.moved += 1,
                        Err(StoreError::Rejected(r)) => preview.refused = Some(r),
                        Err(e) => return Err(e),
                    }
                }
                report.dossiers.push(preview);
                progress(
                    report.dossiers.len(),
                    total.max(report.dossiers.len()),
                    &report.dossiers[report.dossiers.len() - 1],
                );
                after = id;
            }
        }
        Ok(report)
    }
}

/// How [`Store::migrate_running_with`] runs (an example is there).
#[derive(Clone, Copy, Debug)]
pub struct MigrationRun<'a> {
    /// The instant of the move (the `migrated` events' time).
    pub at: DateTime<FixedOffset>,
    /// Who moves the dossiers: the actor of the `migrated` events.
    pub actor: &'a Actor,
    /// How many dossiers are read at a time (at least 1).
    pub batch: usize,
    /// Preview only: nothing is written.
    pub dry_run: bool,
    /// For a dry run, the version moved to when it is not registered yet; ignored
    /// otherwise (a real move needs it registered).
    pub target: Option<&'a Procedure>,
}
