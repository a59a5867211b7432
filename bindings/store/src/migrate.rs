//! Moving stored dossiers to a new version of their procedure (issue 15): one dossier, or
//! every running dossier of a version in batches, with a dry run that writes nothing first.
//! The rules are the core's ([`motcua::version::migrate`]); this module loads, writes the
//! `migrated` event with its effects in one transaction, and moves the dossier row to the
//! new version.

use chrono::{DateTime, FixedOffset};
use motcua::version::{Migration, MigrationPreview};
use motcua::{Actor, Rejection};

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
    /// version, so nothing moves twice).
    pub fn migrate_running(
        &mut self,
        migration: &Migration,
        at: DateTime<FixedOffset>,
        actor: &Actor,
        batch: usize,
        dry_run: bool,
    ) -> Result<MigrationReport, StoreError> {
        let (code, from) = migration.from();
        let (_, to) = migration.to();
        let (old, new) = (self.procedure(code, from)?, self.procedure(code, to)?);
        let mut report = MigrationReport { dry_run, dossiers: Vec::new(), moved: 0 };
        let mut after = String::new();
        loop {
            let rows = self.db.query(
                "SELECT id FROM dossiers WHERE procedure_code = ?1 AND procedure_version = ?2 \
                 AND closed_ts IS NULL AND id > ?3 ORDER BY id LIMIT ?4",
                &[Val::from(code), Val::from(from), Val::from(after.as_str()), Val::from(batch.max(1) as i64)],
            )?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let id = row[0].text()?;
                let mut preview = self.read(|s| {
                    let (_, dossier, _) = s.load_in_tx(&id)?;
                    Ok(motcua::version::dry_run(&dossier, &old, &new, migration, at))
                })?;
                if !dry_run && preview.refused.is_none() {
                    match self.migrate(&id, migration, at, actor) {
                        Ok(_) => report.moved += 1,
                        Err(StoreError::Rejected(r)) => preview.refused = Some(r),
                        Err(e) => return Err(e),
                    }
                }
                report.dossiers.push(preview);
                after = id;
            }
        }
        Ok(report)
    }
}
