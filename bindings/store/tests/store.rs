//! The store's API on both backends: idempotency, coded errors, version pinning, the
//! outbox, desk lists, the report, snapshots as a cache.

use chrono::Duration;
use motcua::{Actor, Command, CommandKind, Submission};
use motcua_store::{DeskQuery, DeskView, OutboxPolicy, OutboxState, Store, StoreError};

use crate::common::{at, read, scenario, submission, targets};

const BUSINESS: &str = "specs/procedures/business-registration.yaml";

fn business(store: &mut Store) {
    store.register_procedure(&read(BUSINESS), BUSINESS).unwrap();
}

fn business_submission(id: &str, when: &str, unit: &str) -> Submission {
    let s = scenario("tests/scenarios/business-registration-happy.yaml");
    Submission::new(id, at(when), Actor::citizen(), motcua::Channel::Online, unit)
        .with_data(s.submit.data, s.submit.documents)
}

fn act(id: &str, when: &str, role: &str, action: &str, version: Option<u64>) -> Command {
    Command {
        id: id.into(),
        at: at(when),
        actor: Actor::official(role, "department_finance"),
        expected_version: version,
        kind: CommandKind::act(action),
    }
}

#[test]
fn retries_return_the_original_outcome_and_errors_are_coded() {
    for target in targets("retries") {
        let mut store = target.open();
        business(&mut store);
        assert_eq!(store.schema_version().unwrap(), motcua_store::SCHEMA_VERSION);
        let first = store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        assert!(!first.applied.duplicate);
        let again = store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        assert!(again.applied.duplicate);
        assert_eq!(again.applied.effects, first.applied.effects);
        let mut other = business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01");
        other.command_id = "another".into();
        assert_eq!(store.submit("2.001610", other).unwrap_err().code(), "duplicate");
        let mut changed = business_submission("HS-1", "2026-03-02T09:05:00+07:00", "01");
        changed.command_id = "HS-1/submit".into();
        assert_eq!(store.submit("2.001610", changed).unwrap_err().code(), "idempotency_conflict");

        let accept = act("c2", "2026-03-02T09:30:00+07:00", "one_stop_officer", "accept", Some(1));
        let applied = store.apply("HS-1", &accept).unwrap();
        assert_eq!(applied.dossier.version(), 2);
        let outbox_len = store.outbox("HS-1").unwrap().len();
        let retry = store.apply("HS-1", &accept).unwrap();
        assert!(retry.applied.duplicate);
        assert_eq!(retry.applied.events, applied.applied.events);
        assert_eq!(retry.applied.effects, applied.applied.effects);
        assert_eq!(store.outbox("HS-1").unwrap().len(), outbox_len, "a retry writes no effect twice");
        assert_eq!(store.events("HS-1").unwrap().len(), 2);

        let mut other_body = accept.clone();
        other_body.at = at("2026-03-02T09:31:00+07:00");
        assert_eq!(store.apply("HS-1", &other_body).unwrap_err().code(), "idempotency_conflict");
        let stale = act("c3", "2026-03-02T10:00:00+07:00", "officer", "propose", Some(1));
        let err = store.apply("HS-1", &stale).unwrap_err();
        assert_eq!(err.code(), "version_conflict");
        assert!(err.is_retryable());
        let forbidden = act("c4", "2026-03-02T10:00:00+07:00", "leader", "propose", Some(2));
        let err = store.apply("HS-1", &forbidden).unwrap_err();
        assert_eq!(err.code(), "rejected");
        assert_eq!(err.rejection().map(|r| r.code), Some(motcua::Code::Forbidden));
        assert_eq!(store.events("HS-1").unwrap().len(), 2, "a refused command stores nothing");
        // The refused id is not burnt: the right actor may use it.
        let ok = act("c4", "2026-03-02T10:00:00+07:00", "officer", "propose", Some(2));
        assert_eq!(store.apply("HS-1", &ok).unwrap().dossier.version(), 3);

        assert_eq!(store.apply("HS-404", &ok).unwrap_err().code(), "not_found");
        assert_eq!(store.dossier("HS-404").unwrap_err().code(), "not_found");
        assert_eq!(
            store.submit("9.999", business_submission("X", "2026-03-02T09:00:00+07:00", "01")).unwrap_err().code(),
            "not_found"
        );
        assert_eq!(store.register_procedure("motcua: 1\n", "bad.yaml").unwrap_err().code(), "invalid_procedure");

        // Reopening applies no migration twice and finds everything.
        drop(store);
        let mut store = target.open();
        assert_eq!(store.schema_version().unwrap(), motcua_store::SCHEMA_VERSION);
        assert_eq!(store.dossier("HS-1").unwrap().version(), 3);
        assert_eq!(store.verify("HS-1").unwrap().events, 3);

        // A database migrated by a newer build is refused, not misread.
        drop(store);
        target.sql("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')");
        let err = match &target {
            crate::common::Target::Sqlite(path) => Store::open_sqlite(path, crate::common::library()).err(),
            crate::common::Target::Postgres { url, schema } => {
                Store::open_postgres_in_schema(url, schema, crate::common::library()).err()
            }
        };
        assert_eq!(err.map(|e| e.code()), Some("schema"));
    }
}

#[test]
fn a_dossier_stays_on_the_procedure_version_it_was_opened_under() {
    for target in targets("pinning") {
        let mut store = target.open();
        let v1 = read(BUSINESS);
        let first = store.register_procedure(&v1, BUSINESS).unwrap();
        assert_eq!(store.register_procedure(&v1, BUSINESS).unwrap(), first, "registering again is a no-op");
        let old = store.submit("2.001610", business_submission("OLD", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        assert_eq!(old.dossier.deadline().appointment, at("2026-03-05T09:00:00+07:00"));

        let v2 = v1
            .replace("version: \"2025.1\"", "version: \"2026.1\"")
            .replace("legal_deadline: 3d", "legal_deadline: 5d");
        assert_ne!(v1, v2);
        let second = store.register_procedure(&v2, BUSINESS).unwrap();
        assert_eq!((second.version.as_str(), second.ord), ("2026.1", 2));
        let edited = v1.replace("legal_deadline: 3d", "legal_deadline: 4d");
        assert_eq!(
            store.register_procedure(&edited, BUSINESS).unwrap_err().code(),
            "duplicate",
            "published versions are immutable"
        );
        let versions = store.procedure_versions("2.001610").unwrap();
        assert_eq!(versions.iter().map(|v| v.version.as_str()).collect::<Vec<_>>(), ["2025.1", "2026.1"]);

        let new = store.submit("2.001610", business_submission("NEW", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        assert_eq!(new.dossier.procedure_version(), "2026.1");
        assert_eq!(new.dossier.deadline().appointment, at("2026-03-09T09:00:00+07:00"));
        // The old dossier keeps its version and deadline, in a fresh handle too.
        drop(store);
        let mut store = target.open();
        let accepted =
            store.apply("OLD", &act("c2", "2026-03-02T09:30:00+07:00", "one_stop_officer", "accept", None)).unwrap();
        assert_eq!(accepted.dossier.procedure_version(), "2025.1");
        assert_eq!(accepted.dossier.deadline().appointment, at("2026-03-05T09:00:00+07:00"));
        let pinned = store
            .submit_with_version("2.001610", "2025.1", business_submission("PIN", "2026-03-02T09:00:00+07:00", "01"))
            .unwrap();
        assert_eq!(pinned.dossier.procedure_version(), "2025.1");
        assert!(store.verify("OLD").is_ok() && store.verify("NEW").is_ok());
    }
}

#[test]
fn the_outbox_delivers_in_order_with_leases_backoff_and_dead_letters() {
    for target in targets("outbox") {
        let mut store = target.open();
        store.set_outbox_policy(OutboxPolicy {
            max_attempts: 3,
            base_backoff: Duration::seconds(10),
            max_backoff: Duration::minutes(5),
            timer_retry: Duration::minutes(5),
        });
        business(&mut store);
        store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        store.apply("HS-1", &act("c2", "2026-03-02T09:30:00+07:00", "one_stop_officer", "accept", None)).unwrap();
        let keys: Vec<String> = store.outbox("HS-1").unwrap().into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["HS-1/1/0", "HS-1/1/1", "HS-1/1/2", "HS-1/2/0", "HS-1/2/1", "HS-1/2/2"]);
        let now = at("2026-03-02T10:00:00+07:00");
        let lease = Duration::seconds(30);

        let a = store.claim("w1", 2, lease, now).unwrap();
        assert_eq!(a.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(), ["HS-1/1/0", "HS-1/1/1"]);
        assert_eq!(a[0].attempt, 1);
        assert!(store.claim("w2", 10, lease, now).unwrap().is_empty(), "the head of the dossier is leased");
        assert!(store.ack("w1", "HS-1/1/0").unwrap());
        assert_eq!(store.fail("w1", "HS-1/1/1", "portal down", now).unwrap(), Some(OutboxState::Pending));
        assert!(store.claim("w2", 10, lease, now).unwrap().is_empty(), "the head waits out its backoff");

        let later = now + Duration::seconds(11);
        let b = store.claim("w2", 10, lease, later).unwrap();
        assert_eq!(b.len(), 5, "the rest, in order");
        assert_eq!((b[0].key.as_str(), b[0].attempt), ("HS-1/1/1", 2));
        // w2 stalls; its lease runs out and w3 gets the same effects again (at least once).
        let expired = later + Duration::seconds(31);
        let c = store.claim("w3", 1, lease, expired).unwrap();
        assert_eq!((c[0].key.as_str(), c[0].attempt), ("HS-1/1/1", 3));
        assert!(!store.ack("w2", "HS-1/1/1").unwrap(), "a lost lease cannot ack");
        assert_eq!(store.fail("w3", "HS-1/1/1", "still down", expired).unwrap(), Some(OutboxState::Dead));
        let d = store.claim("w3", 10, lease, expired).unwrap();
        assert_eq!(d[0].key, "HS-1/1/2", "a dead letter is set aside and the dossier goes on");
        for delivery in &d {
            assert!(store.ack("w3", &delivery.key).unwrap());
        }
        let states: Vec<OutboxState> = store.outbox("HS-1").unwrap().into_iter().map(|e| e.state).collect();
        use OutboxState::{Dead, Done};
        assert_eq!(states, [Done, Dead, Done, Done, Done, Done]);
        let dead = &store.outbox("HS-1").unwrap()[1];
        assert_eq!((dead.attempts, dead.last_error.as_deref()), (3, Some("still down")));
        assert!(store.claim("w4", 10, lease, expired + Duration::hours(2)).unwrap().is_empty());
        // Delivered rows can be pruned; the dead letter stays for a person to look at.
        let tomorrow = chrono::Utc::now().fixed_offset() + Duration::days(1);
        assert_eq!(store.prune_delivered(tomorrow).unwrap(), 5);
        let left: Vec<OutboxState> = store.outbox("HS-1").unwrap().into_iter().map(|e| e.state).collect();
        assert_eq!(left, [Dead]);
        assert!(store.verify("HS-1").is_ok());
        // Once the cause is fixed, a person puts the dead letter back.
        assert!(store.requeue_dead("HS-1/1/1", expired).unwrap());
        assert!(!store.requeue_dead("HS-1/1/1", expired).unwrap(), "no longer dead");
        let again = store.claim("w5", 10, lease, expired).unwrap();
        assert_eq!((again.len(), again[0].key.as_str(), again[0].attempt), (1, "HS-1/1/1", 1));
        assert!(store.ack("w5", "HS-1/1/1").unwrap());
        assert_eq!(store.ack("w1", "nope/1/0").unwrap_err().code(), "not_found");
    }
}

#[test]
fn desk_lists_filter_and_page() {
    for target in targets("desk") {
        let mut store = target.open();
        business(&mut store);
        // Ten dossiers, a quarter hour apart, in two units.
        for i in 0..10 {
            let when = format!("2026-03-02T{:02}:{:02}:00+07:00", 8 + i / 4, (i % 4) * 15);
            let unit = if i % 2 == 0 { "01" } else { "02" };
            store.submit("2.001610", business_submission(&format!("D{i}"), &when, unit)).unwrap();
        }
        for i in [0, 1, 2, 3] {
            store
                .apply(&format!("D{i}"), &act("a", "2026-03-02T11:00:00+07:00", "one_stop_officer", "accept", None))
                .unwrap();
        }
        // D0 waits for the applicant: its clock is suspended.
        store.apply("D0", &act("s", "2026-03-02T11:30:00+07:00", "officer", "request_supplement", None)).unwrap();

        let now = at("2026-03-02T12:00:00+07:00");
        let mut query = DeskQuery::new(now, DeskView::Open);
        query.limit = 3;
        let mut seen = Vec::new();
        loop {
            let page = store.desk(&query).unwrap();
            assert!(page.rows.len() <= 3);
            seen.extend(page.rows.iter().map(|r| r.id.clone()));
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        let all: Vec<String> = (0..10).map(|i| format!("D{i}")).collect();
        assert_eq!(seen, all, "every open dossier once, by appointment");

        let mut unit = DeskQuery::new(now, DeskView::Open);
        unit.unit = Some("02".into());
        let ids: Vec<String> = store.desk(&unit).unwrap().rows.into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["D1", "D3", "D5", "D7", "D9"]);

        let suspended = store.desk(&DeskQuery::new(now, DeskView::Suspended)).unwrap();
        assert_eq!(suspended.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["D0"]);
        assert!(suspended.rows[0].suspended);

        let mut received = DeskQuery::new(now, DeskView::Open);
        received.status = Some(2);
        let ids: Vec<String> = store.desk(&received).unwrap().rows.into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["D1", "D2", "D3"]);

        // Applicant steps have no agency: D0 is not on the department's list.
        let mut agency = DeskQuery::new(now, DeskView::Open);
        agency.agency = Some("department_finance".into());
        agency.procedure = Some("2.001610".into());
        assert_eq!(store.desk(&agency).unwrap().rows.len(), 9);

        // Appointments are three working days after each submission (5 March, 08:00–10:15).
        let due = DeskQuery::new(
            at("2026-03-05T08:00:00+07:00"),
            DeskView::DueSoon { until: at("2026-03-05T08:40:00+07:00") },
        );
        let ids: Vec<String> = store.desk(&due).unwrap().rows.into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["D1", "D2"], "D0 is suspended; D1 at 08:15 and D2 at 08:30");
        let late = store.desk(&DeskQuery::new(at("2026-03-05T09:20:00+07:00"), DeskView::Late)).unwrap();
        assert_eq!(late.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["D1", "D2", "D3", "D4", "D5"]);
    }
}

#[test]
fn the_report_counts_from_process_control_records() {
    for target in targets("report") {
        let mut store = target.open();
        let mut expected_late = 0;
        let mut expected_in_time = 0;
        let files = [
            "tests/scenarios/business-registration-happy.yaml",
            "tests/scenarios/business-registration-not-received.yaml",
            "tests/scenarios/business-registration-supplement-refused.yaml",
            "tests/scenarios/business-registration-withdrawn.yaml",
        ];
        business(&mut store);
        let procedure = store.current_procedure("2.001610").unwrap();
        for file in files {
            let s = scenario(file);
            let timeline = motcua_scenario::run(&s, &procedure);
            store.submit("2.001610", submission(&s)).unwrap();
            let mut version = 1;
            for (i, c) in s.commands.iter().enumerate() {
                if let Some(cmd) = crate::common::command(c, i, version)
                    && let Ok(stored) = store.apply(&s.submit.dossier_id, &cmd)
                {
                    version = stored.dossier.version();
                }
            }
            let core = timeline.dossier().unwrap();
            assert_eq!(&store.dossier(&s.submit.dossier_id).unwrap(), core);
            if let Some(closure) = core.closure()
                && matches!(closure.kind, motcua::OutcomeKind::ResultIssued | motcua::OutcomeKind::Refused)
            {
                if core.late_for_reporting(&procedure, closure.at).unwrap() {
                    expected_late += 1;
                } else {
                    expected_in_time += 1;
                }
            }
        }
        // One more, still open at the end of March and past its appointment.
        store.submit("2.001610", business_submission("OPEN-LATE", "2026-03-20T09:00:00+07:00", "01")).unwrap();
        // And one submitted in April: not in March's report.
        store.submit("2.001610", business_submission("APRIL", "2026-04-02T09:00:00+07:00", "01")).unwrap();

        let report = store.report(at("2026-03-01T00:00:00+07:00"), at("2026-04-01T00:00:00+07:00")).unwrap();
        assert_eq!(report.len(), 1);
        let r = &report[0];
        assert_eq!(r.procedure, "2.001610");
        assert_eq!((r.received_new, r.carried_over), (5, 0));
        assert_eq!(r.resolved_early + r.resolved_on_time, expected_in_time);
        assert_eq!(r.resolved_late, expected_late);
        assert_eq!((r.not_received, r.withdrawn, r.stopped), (1, 1, 0));
        assert_eq!((r.in_progress_not_due, r.in_progress_overdue), (0, 1));
        // In April, the late open dossier is carried over, the April one is new and not due.
        let april = store.report(at("2026-04-01T00:00:00+07:00"), at("2026-04-03T00:00:00+07:00")).unwrap();
        assert_eq!((april[0].received_new, april[0].carried_over), (1, 1));
        assert_eq!((april[0].in_progress_not_due, april[0].in_progress_overdue), (1, 1));
    }
}

#[test]
fn deleting_snapshots_loses_nothing() {
    for target in targets("snapshots") {
        let mut store = target.open();
        business(&mut store);
        store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        let before =
            store.apply("HS-1", &act("c2", "2026-03-02T09:30:00+07:00", "one_stop_officer", "accept", None)).unwrap();
        assert!(store.verify("HS-1").unwrap().snapshot);
        target.sql("DELETE FROM snapshots");
        assert_eq!(store.dossier("HS-1").unwrap(), before.dossier);
        assert!(!store.verify("HS-1").unwrap().snapshot);
        store.rebuild_snapshot("HS-1").unwrap();
        assert!(store.verify("HS-1").unwrap().snapshot);
        target.sql("DELETE FROM snapshots");
        let after = store.apply("HS-1", &act("c3", "2026-03-02T10:00:00+07:00", "officer", "propose", None)).unwrap();
        assert_eq!(after.dossier.version(), 3);
        assert!(store.verify("HS-1").unwrap().snapshot, "the next write stores it again");
        let err: StoreError =
            store.apply("HS-1", &act("c4", "2026-03-02T09:00:00+07:00", "leader", "sign", None)).unwrap_err();
        assert_eq!(err.code(), "rejected", "dated before the last event");
    }
}

#[test]
fn an_unreachable_or_dropped_database_is_unavailable_not_a_panic() {
    let err =
        Store::open_postgres("postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2", crate::common::library())
            .err()
            .expect("nothing listens on port 1");
    assert_eq!(err.code(), "unavailable", "{err}");
    assert!(err.is_retryable());
    let dir = std::env::temp_dir().join(format!("motcua-store-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let err = Store::open_sqlite(&dir, crate::common::library()).err().expect("a folder is not a database");
    assert!(matches!(err.code(), "unavailable" | "database"), "{err}");

    let Some(url) = crate::common::postgres_url() else {
        crate::common::skip_notice("dropped_connection");
        return;
    };
    // A connection the server drops (restart, failover): the call fails as `unavailable`,
    // nothing is half written, and the next call reconnects.
    let crate::common::Target::Postgres { schema, .. } = crate::common::postgres(&url, "dropped") else {
        unreachable!()
    };
    let tagged = format!("{url}?application_name={schema}");
    let mut store = Store::open_postgres_in_schema(&tagged, &schema, crate::common::library()).unwrap();
    business(&mut store);
    store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", &[&schema])
        .unwrap();
    // pg_terminate_backend only signals: wait (bounded) until the backend is gone.
    for _ in 0..100 {
        let left = admin
            .query_one("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", &[&schema])
            .unwrap()
            .get::<_, i64>(0);
        if left == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let accept = act("c2", "2026-03-02T09:30:00+07:00", "one_stop_officer", "accept", Some(1));
    let err = store.apply("HS-1", &accept).unwrap_err();
    assert_eq!(err.code(), "unavailable", "{err}");
    let stored = store.apply("HS-1", &accept).unwrap();
    assert_eq!(stored.dossier.version(), 2);
    assert_eq!(store.events("HS-1").unwrap().len(), 2);
    assert!(store.verify("HS-1").is_ok());
}

#[test]
fn migrations_are_versioned_and_applied_on_open() {
    for target in targets("migrations") {
        let mut store = target.open();
        assert_eq!(store.schema_version().unwrap(), 3);
        business(&mut store);
        store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        drop(store);
        // Take the database back to schema 1, as an older build left it.
        target.sql(
            "DROP TABLE dossier_handlers; DELETE FROM schema_version WHERE version = 3; \
             DROP INDEX outbox_done; ALTER TABLE outbox DROP COLUMN done_ts; DELETE FROM schema_version WHERE version = 2",
        );
        let mut store = target.open();
        assert_eq!(store.schema_version().unwrap(), 3, "migrations 2 and 3 ran on open");
        let claimed = store.claim("w", 100, Duration::seconds(30), at("2026-03-02T10:00:00+07:00")).unwrap();
        assert_eq!(claimed.len(), 3);
        for d in &claimed {
            assert!(store.ack("w", &d.key).unwrap());
        }
        assert_eq!(store.prune_delivered(chrono::Utc::now().fixed_offset() + Duration::days(1)).unwrap(), 3);
        assert_eq!(store.dossier("HS-1").unwrap().version(), 1);
    }
}

#[test]
fn an_upgrade_fills_the_handler_index_of_the_dossiers_written_before_it() {
    for target in targets("handlers-backfill") {
        let library = crate::common::library_with_units();
        let mut store = target.open_with(library.clone());
        business(&mut store);
        store.submit("2.001610", business_submission("HS-1", "2026-03-02T09:00:00+07:00", "01")).unwrap();
        store.submit("2.001610", business_submission("HS-2", "2026-03-02T09:10:00+07:00", "79")).unwrap();
        drop(store);
        // As a build before schema 3 left it: no handler index at all.
        target.sql("DROP TABLE dossier_handlers; DELETE FROM schema_version WHERE version = 3");
        let mut store = target.open_with(library.clone());
        assert_eq!(store.schema_version().unwrap(), 3);
        for id in ["HS-1", "HS-2"] {
            store.verify(id).unwrap_or_else(|e| panic!("{id} verifies after the upgrade: {e}"));
        }
        let mut hanoi = DeskQuery::new(at("2026-03-02T10:00:00+07:00"), DeskView::Open);
        hanoi.handled_in = Some("01".into());
        let ids: Vec<String> = store.desk(&hanoi).unwrap().rows.into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["HS-1"], "{}: the Hà Nội desk finds the dossier written before the index", target.label());
    }
}
