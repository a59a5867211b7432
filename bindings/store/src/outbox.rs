//! The transactional outbox: one row per effect, written in the same transaction as the
//! events that produced it, delivered at least once, in order per dossier.

use chrono::{DateTime, Duration, FixedOffset};
use motcua::Effect;
use serde::Serialize;

use crate::db::{Backend, Val};
use crate::store::ms;
use crate::{Store, StoreError};

/// How the outbox retries and when a failing timer is tried again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxPolicy {
    /// Deliveries tried before an effect becomes a dead letter.
    pub max_attempts: u32,
    /// Backoff after the first failure; doubled after each further one.
    pub base_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// When a dossier whose due timer could not be applied is tried again.
    pub timer_retry: Duration,
}

impl Default for OutboxPolicy {
    fn default() -> OutboxPolicy {
        OutboxPolicy {
            max_attempts: 8,
            base_backoff: Duration::seconds(10),
            max_backoff: Duration::hours(1),
            timer_retry: Duration::minutes(5),
        }
    }
}

impl OutboxPolicy {
    /// The wait after the `attempts`-th failed delivery.
    ///
    /// ```
    /// let p = motcua_store::OutboxPolicy::default();
    /// assert_eq!(p.backoff(1), chrono::Duration::seconds(10));
    /// assert_eq!(p.backoff(3), chrono::Duration::seconds(40));
    /// assert_eq!(p.backoff(30), chrono::Duration::hours(1));
    /// ```
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1i32.checked_shl(attempts.saturating_sub(1)).unwrap_or(i32::MAX);
        self.base_backoff.checked_mul(factor).map_or(self.max_backoff, |d| d.min(self.max_backoff))
    }
}

/// Where an outbox entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be claimed (possibly after a backoff).
    Pending,
    /// Claimed by a worker until its lease ends.
    Leased,
    /// Delivered and acknowledged.
    Done,
    /// Failed [`OutboxPolicy::max_attempts`] times: set aside for a person to look at.
    Dead,
}

impl OutboxState {
    fn parse(s: &str) -> Result<OutboxState, StoreError> {
        Ok(match s {
            "pending" => OutboxState::Pending,
            "leased" => OutboxState::Leased,
            "done" => OutboxState::Done,
            "dead" => OutboxState::Dead,
            other => return Err(StoreError::Integrity(format!("unknown outbox state `{other}`"))),
        })
    }
}

/// An effect handed to a worker by [`Store::claim`].
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The effect's stable idempotency key (`<dossier>/<seq>/<n>`): the receiver
    /// de-duplicates on it, since a delivery can be repeated.
    pub key: String,
    /// The dossier.
    pub dossier_id: String,
    /// The event that produced the effect.
    pub seq: u64,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    /// The effect.
    pub effect: Effect,
}

/// One row of the outbox, as [`Store::outbox`] lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxEntry {
    /// The effect's idempotency key.
    pub key: String,
    /// The event that produced it.
    pub seq: u64,
    /// Its position among the event's effects.
    pub n: u64,
    /// Where it is.
    pub state: OutboxState,
    /// Deliveries tried.
    pub attempts: u32,
    /// The last failure reported by [`Store::fail`].
    pub last_error: Option<String>,
    /// The effect.
    pub effect: Effect,
}

impl Store {
    /// Claims up to `batch` effects for `worker`, leased until `now + lease`.
    ///
    /// Order per dossier: only a dossier's earliest undelivered effects are handed out,
    /// and a dossier whose earliest effect is leased to someone else or waiting out a
    /// backoff gives nothing. On PostgreSQL the dossier rows are taken with
    /// `FOR UPDATE SKIP LOCKED`, so workers claiming at the same time never take effects
    /// of the same dossier; on SQLite the write lock serializes claims.
    ///
    /// An expired lease makes its effect claimable again: delivery is **at least once**,
    /// and receivers de-duplicate on [`Delivery::key`].
    pub fn claim(
        &mut self,
        worker: &str,
        batch: usize,
        lease: Duration,
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<Delivery>, StoreError> {
        let now_ms = ms(now);
        let until = now_ms + lease.num_milliseconds();
        self.tx(|s| {
            // Dossiers whose earliest undelivered effect is claimable now (head of line).
            let candidates = s.db.query(
                "SELECT o.dossier_id FROM outbox o WHERE o.state IN ('pending', 'leased') \
                 AND o.available_ts <= ?1 AND (o.lease_until IS NULL OR o.lease_until <= ?1) \
                 AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.dossier_id = o.dossier_id \
                   AND p.state IN ('pending', 'leased') AND (p.seq < o.seq OR (p.seq = o.seq AND p.n < o.n))) \
                 ORDER BY o.available_ts, o.dossier_id LIMIT ?2",
                &[Val::from(now_ms), Val::from(batch as i64)],
            )?;
            let mut out = Vec::new();
            for candidate in candidates {
                if out.len() >= batch {
                    break;
                }
                let dossier_id = candidate[0].text()?;
                if s.backend() == Backend::Postgres {
                    let locked = s.db.query(
                        "SELECT id FROM dossiers WHERE id = ?1 FOR UPDATE SKIP LOCKED",
                        &[Val::from(&dossier_id)],
                    )?;
                    if locked.is_empty() {
                        continue;
                    }
                }
                let rows = s.db.query(
                    "SELECT seq, n, key, attempts, available_ts, lease_until, effect FROM outbox \
                     WHERE dossier_id = ?1 AND state IN ('pending', 'leased') ORDER BY seq, n",
                    &[Val::from(&dossier_id)],
                )?;
                for row in rows {
                    if out.len() >= batch {
                        break;
                    }
                    let claimable =
                        row[4].int()? <= now_ms && row[5].opt_int()?.is_none_or(|lease_until| lease_until <= now_ms);
                    if !claimable {
                        break; // head of line: keep the dossier's order
                    }
                    let (seq, n) = (row[0].int()?, row[1].int()?);
                    s.db.exec(
                        "UPDATE outbox SET state = 'leased', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1 \
                         WHERE dossier_id = ?3 AND seq = ?4 AND n = ?5",
                        &[Val::from(worker), Val::from(until), Val::from(&dossier_id), Val::from(seq), Val::from(n)],
                    )?;
                    let effect: Effect = crate::engine::effect_from_json(&row[6].text()?)
                        .map_err(|e| StoreError::Integrity(format!("outbox {}: {e}", row[2].text().unwrap_or_default())))?;
                    out.push(Delivery {
                        key: row[2].text()?,
                        dossier_id: dossier_id.clone(),
                        seq: seq as u64,
                        attempt: row[3].int()? as u32 + 1,
                        effect,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Acknowledges a delivered effect. Returns `false` when `worker` no longer holds its
    /// lease (it expired and the effect was claimed again, or was already acknowledged):
    /// the effect will be, or was, delivered again.
    pub fn ack(&mut self, worker: &str, key: &str) -> Result<bool, StoreError> {
        self.tx(|s| {
            let n = s.db.exec(
                "UPDATE outbox SET state = 'done', lease_owner = NULL, lease_until = NULL, done_ts = ?3 \
                 WHERE key = ?1 AND state = 'leased' AND lease_owner = ?2",
                &[Val::from(key), Val::from(worker), Val::from(chrono::Utc::now().timestamp_millis())],
            )?;
            if n == 0 && s.db.query("SELECT 1 FROM outbox WHERE key = ?1", &[Val::from(key)])?.is_empty() {
                return Err(StoreError::NotFound(format!("outbox entry {key}")));
            }
            Ok(n == 1)
        })
    }

    /// Gives back a claimed effect that was not tried (e.g. an earlier effect of its
    /// dossier failed, so it must wait for that one): claimable again at once, its attempt
    /// not counted. Returns `false` when `worker` no longer holds the lease.
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Channel, Library, Submission};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let dir = std::env::temp_dir().join(format!("motcua-store-release-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let mut store = motcua_store::Store::open_sqlite(dir.join("desk.db"), library).unwrap();
    /// # store.register_procedure(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml").unwrap();
    /// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// # let sample = motcua::scenario::Scenario::from_yaml(
    /// #     include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
    /// # let submission = Submission::new("HS-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "01")
    /// #     .with_data(sample.submit.data, sample.submit.documents);
    /// # store.submit("2.001610", submission).unwrap();
    /// let now = at("2026-03-02T09:01:00+07:00");
    /// let batch = store.claim("w-1", 100, chrono::Duration::seconds(30), now).unwrap();
    /// let last = batch.last().unwrap();
    /// assert!(store.release("w-1", &last.key).unwrap());
    /// assert!(!store.release("w-2", &batch[0].key).unwrap(), "not w-2's lease");
    /// // Released, it is handed out again at once, as the same attempt.
    /// let again = store.claim("w-2", 100, chrono::Duration::seconds(30), now).unwrap();
    /// assert_eq!(again.len(), 0, "the dossier's earlier effects are still w-1's");
    /// for d in &batch[..batch.len() - 1] { store.ack("w-1", &d.key).unwrap(); }
    /// let again = store.claim("w-2", 100, chrono::Duration::seconds(30), now).unwrap();
    /// assert_eq!((again[0].key.as_str(), again[0].attempt), (last.key.as_str(), 1));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn release(&mut self, worker: &str, key: &str) -> Result<bool, StoreError> {
        self.tx(|s| {
            let n = s.db.exec(
                "UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, \
                 attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
                 WHERE key = ?1 AND state = 'leased' AND lease_owner = ?2",
                &[Val::from(key), Val::from(worker)],
            )?;
            Ok(n == 1)
        })
    }

    /// Reports a failed delivery: the effect waits out a backoff
    /// ([`OutboxPolicy::backoff`]) and is claimable again, or becomes a dead letter after
    /// [`OutboxPolicy::max_attempts`]. Returns its new state, or `None` when `worker` no
    /// longer holds the lease.
    pub fn fail(
        &mut self,
        worker: &str,
        key: &str,
        error: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<OutboxState>, StoreError> {
        let policy = self.outbox_policy.clone();
        self.tx(|s| {
            let rows = s.db.query(
                "SELECT attempts FROM outbox WHERE key = ?1 AND state = 'leased' AND lease_owner = ?2",
                &[Val::from(key), Val::from(worker)],
            )?;
            let Some(row) = rows.first() else {
                if s.db.query("SELECT 1 FROM outbox WHERE key = ?1", &[Val::from(key)])?.is_empty() {
                    return Err(StoreError::NotFound(format!("outbox entry {key}")));
                }
                return Ok(None);
            };
            let attempts = row[0].int()? as u32;
            let (state, available) = if attempts >= policy.max_attempts {
                (OutboxState::Dead, ms(now))
            } else {
                (OutboxState::Pending, ms(now) + policy.backoff(attempts).num_milliseconds())
            };
            s.db.exec(
                "UPDATE outbox SET state = ?1, available_ts = ?2, lease_owner = NULL, lease_until = NULL, last_error = ?3 \
                 WHERE key = ?4",
                &[
                    Val::from(if state == OutboxState::Dead { "dead" } else { "pending" }),
                    Val::from(available),
                    Val::from(error),
                    Val::from(key),
                ],
            )?;
            Ok(Some(state))
        })
    }

    /// Puts a dead letter back in the queue (after a person fixed the cause): pending
    /// again, attempts reset, claimable from `now`. Returns `false` when the entry is not
    /// dead.
    pub fn requeue_dead(&mut self, key: &str, now: DateTime<FixedOffset>) -> Result<bool, StoreError> {
        self.tx(|s| {
            let n = s.db.exec(
                "UPDATE outbox SET state = 'pending', attempts = 0, available_ts = ?2 WHERE key = ?1 AND state = 'dead'",
                &[Val::from(key), Val::from(ms(now))],
            )?;
            if n == 0 && s.db.query("SELECT 1 FROM outbox WHERE key = ?1", &[Val::from(key)])?.is_empty() {
                return Err(StoreError::NotFound(format!("outbox entry {key}")));
            }
            Ok(n == 1)
        })
    }

    /// Deletes delivered (acknowledged) effects acknowledged before `before`; returns how
    /// many. Pending, leased and dead entries are kept. The events keep the history, so
    /// this loses nothing but the delivery record.
    pub fn prune_delivered(&mut self, before: DateTime<FixedOffset>) -> Result<u64, StoreError> {
        self.tx(|s| {
            Ok(s.db.exec("DELETE FROM outbox WHERE state = 'done' AND done_ts < ?1", &[Val::from(ms(before))])?)
        })
    }

    /// The outbox entries of a dossier, in delivery order.
    pub fn outbox(&mut self, dossier_id: &str) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows = self.db.query(
            "SELECT key, seq, n, state, attempts, last_error, effect FROM outbox WHERE dossier_id = ?1 ORDER BY seq, n",
            &[Val::from(dossier_id)],
        )?;
        rows.iter()
            .map(|row| {
                Ok(OutboxEntry {
                    key: row[0].text()?,
                    seq: row[1].int()? as u64,
                    n: row[2].int()? as u64,
                    state: OutboxState::parse(&row[3].text()?)?,
                    attempts: row[4].int()? as u32,
                    last_error: row[5].opt_text()?,
                    effect: crate::engine::effect_from_json(&row[6].text()?).map_err(|e| {
                        StoreError::Integrity(format!("outbox {}: {e}", row[0].text().unwrap_or_default()))
                    })?,
                })
            })
            .collect()
    }
}
