//! Desk queries (work lists by unit, agency kind, procedure, status) and the monthly report.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::db::Val;
use crate::store::ms;
use crate::{Store, StoreError, engine};

/// Which dossiers a desk list shows. Every view shows open dossiers only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskView {
    /// Every open dossier.
    Open,
    /// Running clock, appointment between the query's `now` and `until` (the caller
    /// picks the horizon, e.g. one working day on the procedure's calendar).
    DueSoon {
        /// The horizon.
        until: DateTime<FixedOffset>,
    },
    /// Running clock, appointment before `now`.
    Late,
    /// The clock is suspended (waiting for the applicant).
    Suspended,
}

/// A desk list: a view, filters, and keyset paging ordered by appointment then id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeskQuery {
    /// The instant the list is for.
    pub now: DateTime<FixedOffset>,
    /// Which dossiers.
    pub view: DeskView,
    /// Only dossiers filed with this administrative unit.
    pub unit: Option<String>,
    /// Only dossiers with an active step of this agency kind.
    pub agency: Option<String>,
    /// Only dossiers with an active step handled in this administrative unit (with `agency`
    /// also set: a step of that agency kind handled there). This is an officer's work list:
    /// a province officer sees the commune dossiers handed up to the province.
    pub handled_in: Option<String>,
    /// Only this procedure code.
    pub procedure: Option<String>,
    /// Only this national status code.
    pub status: Option<u8>,
    /// Page size (at least 1).
    pub limit: usize,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

impl DeskQuery {
    /// A first page of `view` at `now`, no filters, 50 rows.
    pub fn new(now: DateTime<FixedOffset>, view: DeskView) -> DeskQuery {
        DeskQuery {
            now,
            view,
            unit: None,
            agency: None,
            handled_in: None,
            procedure: None,
            status: None,
            limit: 50,
            after: None,
        }
    }
}

/// One row of a desk list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeskRow {
    /// Dossier id.
    pub id: String,
    /// Procedure code.
    pub procedure: String,
    /// Pinned procedure version.
    pub procedure_version: String,
    /// Administrative unit.
    pub unit: String,
    /// National status code.
    pub status: u8,
    /// The appointment in force.
    pub appointment: DateTime<Utc>,
    /// Whether the clock is suspended.
    pub suspended: bool,
    /// The next timer.
    pub next_due: Option<DateTime<Utc>>,
}

/// A page of a desk list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeskPage {
    /// The rows.
    pub rows: Vec<DeskRow>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// One procedure's line of the period report (the national reporting counts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// Procedure code.
    pub procedure: String,
    /// Submitted in the period.
    pub received_new: u64,
    /// Submitted before the period and still open at its start.
    pub carried_over: u64,
    /// Resolved (result issued or refused) in the period, early.
    pub resolved_early: u64,
    /// Resolved in the period, on time.
    pub resolved_on_time: u64,
    /// Resolved in the period, late: after the appointment, or with more than one
    /// supplement request, or with an extension.
    pub resolved_late: u64,
    /// Withdrawn in the period.
    pub withdrawn: u64,
    /// Processing stopped in the period.
    pub stopped: u64,
    /// Not received (refused at the desk) in the period.
    pub not_received: u64,
    /// Open at the end of the period and not late then.
    pub in_progress_not_due: u64,
    /// Open at the end of the period and late then.
    pub in_progress_overdue: u64,
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl Store {
    /// A page of a desk list.
    pub fn desk(&mut self, query: &DeskQuery) -> Result<DeskPage, StoreError> {
        let mut sql = String::from(
            "SELECT d.id, d.procedure_code, d.procedure_version, d.jurisdiction, d.status, d.appointment_ts, d.suspended, \
             d.next_due_ts FROM dossiers d WHERE d.closed_ts IS NULL",
        );
        let mut params: Vec<Val> = Vec::new();
        let mut push = |sql: &mut String, clause: &str, v: Val| {
            params.push(v);
            sql.push_str(&clause.replace("?", &format!("?{}", params.len())));
        };
        let now = ms(query.now);
        match &query.view {
            DeskView::Open => {}
            DeskView::DueSoon { until } => {
                sql.push_str(" AND d.suspended = 0");
                push(&mut sql, " AND d.appointment_ts >= ?", Val::from(now));
                push(&mut sql, " AND d.appointment_ts <= ?", Val::from(ms(*until)));
            }
            DeskView::Late => {
                sql.push_str(" AND d.suspended = 0");
                push(&mut sql, " AND d.appointment_ts < ?", Val::from(now));
            }
            DeskView::Suspended => sql.push_str(" AND d.suspended = 1"),
        }
        if let Some(unit) = &query.unit {
            push(&mut sql, " AND d.jurisdiction = ?", Val::from(unit));
        }
        if let Some(procedure) = &query.procedure {
            push(&mut sql, " AND d.procedure_code = ?", Val::from(procedure));
        }
        if let Some(status) = query.status {
            push(&mut sql, " AND d.status = ?", Val::from(i64::from(status)));
        }
        if let Some(unit) = &query.handled_in {
            push(
                &mut sql,
                " AND EXISTS (SELECT 1 FROM dossier_handlers h WHERE h.dossier_id = d.id AND h.unit = ?",
                Val::from(unit),
            );
            match &query.agency {
                Some(agency) => push(&mut sql, " AND h.agency = ?)", Val::from(agency)),
                None => sql.push(')'),
            }
        } else if let Some(agency) = &query.agency {
            push(
                &mut sql,
                " AND EXISTS (SELECT 1 FROM dossier_agencies a WHERE a.dossier_id = d.id AND a.agency = ?)",
                Val::from(agency),
            );
        }
        if let Some(after) = &query.after {
            let (ts, id) = after
                .split_once(':')
                .and_then(|(ts, id)| Some((ts.parse::<i64>().ok()?, id.to_owned())))
                .ok_or_else(|| StoreError::NotFound(format!("desk cursor `{after}`")))?;
            push(&mut sql, " AND (d.appointment_ts > ?", Val::from(ts));
            push(&mut sql, " OR (d.appointment_ts = ?", Val::from(ts));
            push(&mut sql, " AND d.id > ?))", Val::from(id));
        }
        let limit = query.limit.max(1);
        push(&mut sql, " ORDER BY d.appointment_ts, d.id LIMIT ?", Val::from(limit as i64 + 1));
        let rows = self.db.query(&sql, &params)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows.iter().take(limit) {
            out.push(DeskRow {
                id: row[0].text()?,
                procedure: row[1].text()?,
                procedure_version: row[2].text()?,
                unit: row[3].text()?,
                status: row[4].int()? as u8,
                appointment: utc(row[5].int()?),
                suspended: row[6].int()? != 0,
                next_due: row[7].opt_int()?.map(utc),
            });
        }
        let next = if rows.len() > limit {
            out.last().map(|r| format!("{}:{}", r.appointment.timestamp_millis(), r.id))
        } else {
            None
        };
        Ok(DeskPage { rows: out, next })
    }

    /// The report for the period `[from, to)`, one row per procedure code, sorted.
    ///
    /// Closed dossiers are judged at closure by the engine (its process-control record,
    /// appointment, supplement rounds and extension), the verdict stored with the dossier;
    /// dossiers open at `to` are replayed up to `to` and judged then.
    pub fn report(
        &mut self,
        from: DateTime<FixedOffset>,
        to: DateTime<FixedOffset>,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let (from_ms, to_ms) = (ms(from), ms(to));
        let rows = self.read(|s| {
            s.db.query(
                "SELECT id, procedure_code, procedure_version, submitted_ts, closed_ts, outcome_kind, verdict \
                 FROM dossiers WHERE submitted_ts < ?2 AND (closed_ts IS NULL OR closed_ts >= ?1) ORDER BY id",
                &[Val::from(from_ms), Val::from(to_ms)],
            )
            .map_err(StoreError::from)
        })?;
        let mut report: BTreeMap<String, ReportRow> = BTreeMap::new();
        for row in rows {
            let (id, code, version) = (row[0].text()?, row[1].text()?, row[2].text()?);
            let submitted = row[3].int()?;
            let closed = row[4].opt_int()?;
            let line = report
                .entry(code.clone())
                .or_insert_with(|| ReportRow { procedure: code.clone(), ..ReportRow::default() });
            if submitted >= from_ms {
                line.received_new += 1;
            } else {
                line.carried_over += 1;
            }
            match closed {
                Some(c) if c < to_ms => match row[5].text()?.as_str() {
                    "withdrawn" => line.withdrawn += 1,
                    "stopped" => line.stopped += 1,
                    "not_received" => line.not_received += 1,
                    _ => match row[6].opt_text()?.as_deref() {
                        Some("early") => line.resolved_early += 1,
                        Some("late") => line.resolved_late += 1,
                        _ => line.resolved_on_time += 1,
                    },
                },
                _ => {
                    let events = self.read(|s| s.stored_events(&id))?;
                    // A migrated dossier replays on each version its history names.
                    let mut versions = vec![self.procedure(&code, &version)?];
                    for v in engine::versions_of(&events) {
                        if v != version {
                            versions.push(self.procedure(&code, &v)?);
                        }
                    }
                    let versions: Vec<&motcua::Procedure> = versions.iter().map(|p| p.as_ref()).collect();
                    let late = engine::state_before(&versions, &events, to)
                        .and_then(|d| {
                            let p = versions.iter().find(|p| p.version() == d.procedure_version())?;
                            Some(engine::late_at(p, &d, to))
                        })
                        .unwrap_or(false);
                    let line = report.get_mut(&code).expect("inserted above");
                    if late {
                        line.in_progress_overdue += 1;
                    } else {
                        line.in_progress_not_due += 1;
                    }
                }
            }
        }
        Ok(report.into_values().collect())
    }
}

impl Store {
    /// How many effects wait in the outbox, not yet acknowledged (pending or leased; dead
    /// letters are not counted). For a metrics gauge.
    pub fn outbox_depth(&mut self) -> Result<u64, StoreError> {
        let rows = self.db.query("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'leased')", &[])?;
        Ok(rows.first().and_then(|r| r.first()).map(|c| c.int()).transpose()?.unwrap_or(0).max(0) as u64)
    }

    /// How many open dossiers have a timer due at `now` (what [`Store::fire_due`] would
    /// take). For a metrics gauge.
    pub fn timers_due(&mut self, now: DateTime<FixedOffset>) -> Result<u64, StoreError> {
        let rows = self.db.query("SELECT COUNT(*) FROM dossiers WHERE next_due_ts <= ?1", &[Val::from(ms(now))])?;
        Ok(rows.first().and_then(|r| r.first()).map(|c| c.int()).transpose()?.unwrap_or(0).max(0) as u64)
    }
}
