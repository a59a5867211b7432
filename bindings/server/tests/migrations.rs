//! `POST /api/v1/migrations`: moving the running dossiers of a version to the next, over real
//! HTTP, by procedure administrators only, with the actor taken from the token.

use motcua::{Actor, Command, CommandKind, EventKind, Submission};
use motcua_store::Store;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Db, Server, at, citizen, databases, officer, root};

const OLD: &str = "specs/procedures/superseded/household-business-registration-2021.yaml";
const MIGRATION: &str = "specs/migrations/1.001612-2021.1-to-2025.1.yaml";
const HAPPY: &str = "tests/superseded/scenarios/household-business-registration-2021-happy.yaml";

fn read(file: &str) -> String {
    std::fs::read_to_string(root().join(file)).unwrap()
}

/// Runs `f` on a store of `db`, on a thread of its own (the PostgreSQL client must not run
/// on the test's runtime).
fn with_store<T: Send + 'static>(db: &Db, f: impl FnOnce(&mut Store) -> T + Send + 'static) -> T {
    let db = db.clone();
    std::thread::spawn(move || {
        let mut library = motcua::Library::new(
            motcua::Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").unwrap(),
        );
        library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").unwrap();
        let mut store = match &db {
            Db::Sqlite(path) => Store::open_sqlite(path, library).unwrap(),
            Db::Postgres(url) => Store::open_postgres(url, library).unwrap(),
        };
        f(&mut store)
    })
    .join()
    .unwrap()
}

/// Before the service starts: 2021.1 registered, `HKD-R1` and `HKD-R2` under review at the
/// district, `HKD-S1` signed there (its step cannot move).
fn seed(db: &Db) {
    with_store(db, |store| {
        store.register_procedure(&read(OLD), OLD).unwrap();
        let s = motcua::scenario::Scenario::from_yaml(&read(HAPPY), HAPPY).unwrap();
        let steps = [
            ("2025-06-30T14:00:00+07:00", "one_stop_officer", "district_committee", "accept"),
            ("2025-06-30T15:00:00+07:00", "officer", "district_finance_planning", "propose"),
            ("2025-06-30T16:00:00+07:00", "leader", "district_finance_planning", "sign"),
        ];
        for (id, n) in [("HKD-R1", 1), ("HKD-R2", 1), ("HKD-S1", 3)] {
            let submission =
                Submission::new(id, at("2025-06-27T09:00:00+07:00"), Actor::citizen(), s.submit.channel, "001")
                    .with_data(s.submit.data.clone(), s.submit.documents.clone());
            store.submit_with_version("1.001612", "2021.1", submission).unwrap();
            for (i, (when, role, agency, action)) in steps.iter().take(n).enumerate() {
                let command = Command {
                    id: format!("{id}-{i}"),
                    at: at(when),
                    actor: Actor::official(role, agency),
                    expected_version: None,
                    kind: CommandKind::act(action),
                };
                store.apply(id, &command).unwrap();
            }
        }
    });
}

fn versions(db: &Db) -> Vec<String> {
    with_store(db, |store| {
        ["HKD-R1", "HKD-R2", "HKD-S1"]
            .iter()
            .map(|id| store.dossier(id).unwrap().procedure_version().to_owned())
            .collect()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn procedure_administrators_move_running_dossiers_and_nobody_else_can() {
    for db in databases("migrations") {
        seed(&db);
        // The service registers 2025.1 from the specs folder as it starts.
        let server = Server::start(&db).await;
        server.set_time(at("2025-07-01T08:00:00+07:00"));
        let admin = crate::common::token("admin-hn", "procedure_admin", Some("provincial_committee"), Some("01"));
        let body =
            |dry_run: bool| json!({"migration": read(MIGRATION), "file": MIGRATION, "dry_run": dry_run, "batch": 2});

        // Citizens, ordinary officers and anonymous callers are refused, and nothing moves.
        for token in [
            citizen("lan"),
            officer("one_stop_officer", "commune_committee", "00004"),
            crate::common::token("sneaky", "procedure_admin", None, None),
        ] {
            let reply = server.post("/api/v1/migrations", &token, &body(false), &[]).await;
            assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", reply.body);
            assert_eq!(reply.body["field"], "authorization");
        }
        let reply = server.send(reqwest::Method::POST, "/api/v1/migrations", None, Some(&body(false)), &[]).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::UNAUTHORIZED, "unauthorized"));
        // The actor is the token's: a body that names one is refused.
        let mut with_actor = body(false);
        with_actor["actor"] = json!({"role": "procedure_admin", "user": "someone-else"});
        let reply = server.post("/api/v1/migrations", &admin, &with_actor, &[]).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "invalid_json"), "{}", reply.body);
        // `dry_run` must be said.
        let reply = server.post("/api/v1/migrations", &admin, &json!({"migration": read(MIGRATION)}), &[]).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "invalid_json"), "{}", reply.body);
        assert_eq!(versions(&db), ["2021.1"; 3]);

        // A migration that does not load, or names a version the store lacks.
        let broken = read(MIGRATION).replacen("  review: {to: review}\n", "", 1);
        let reply =
            server.post("/api/v1/migrations", &admin, &json!({"migration": broken, "dry_run": true}), &[]).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_migration"),
            "{}",
            reply.body
        );
        assert!(reply.body["problems"].as_array().unwrap().iter().any(|p| p["path"] == "steps"), "{}", reply.body);
        let later = read(MIGRATION).replace("to: \"2025.1\"", "to: \"2030.1\"");
        let reply = server.post("/api/v1/migrations", &admin, &json!({"migration": later, "dry_run": true}), &[]).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::NOT_FOUND, "not_found"), "{}", reply.body);
        let reply = server
            .post(
                "/api/v1/migrations",
                &admin,
                &json!({"migration": read(MIGRATION), "dry_run": true, "batch": 0}),
                &[],
            )
            .await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "invalid_body"));

        // The dry run: the report, nothing written.
        let reply = server.post("/api/v1/migrations", &admin, &body(true), &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let report = &reply.body;
        assert_eq!(
            (report["dry_run"].as_bool(), report["running"].as_u64(), report["moved"].as_u64()),
            (Some(true), Some(3), Some(0))
        );
        assert_eq!(
            report["pinned"],
            json!([{"dossier": "HKD-S1", "code": "not_migratable",
            "message": report["pinned"][0]["message"].clone()}])
        );
        let r1 = report["dossiers"].as_array().unwrap().iter().find(|d| d["dossier"] == "HKD-R1").unwrap();
        assert_eq!(r1["steps"][0]["to"], "review");
        assert_eq!(r1["appointment_before"], r1["appointment_after"]);
        assert_eq!(versions(&db), ["2021.1"; 3]);

        // The move: two moved, the signed one pinned; the events name the token's caller.
        let reply = server.post("/api/v1/migrations", &admin, &body(false), &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!((reply.body["moved"].as_u64(), reply.body["pinned"].as_array().map(Vec::len)), (Some(2), Some(1)));
        assert_eq!(versions(&db), ["2025.1", "2025.1", "2021.1"]);
        let (last, verified) = with_store(&db, |store| {
            (store.events("HKD-R1").unwrap().pop().unwrap(), store.verify("HKD-R2").map(|v| v.events))
        });
        assert!(matches!(last.kind, EventKind::Migrated { .. }), "{last:?}");
        assert_eq!(
            (last.actor.role.as_str(), last.actor.user.as_deref(), last.actor.unit.as_deref()),
            ("procedure_admin", Some("admin-hn"), Some("01"))
        );
        assert_eq!(verified.unwrap(), 3);

        // Again: nothing left to move; the pinned one is listed again.
        let reply = server.post("/api/v1/migrations", &admin, &body(false), &[]).await;
        assert_eq!(
            (reply.body["running"].as_u64(), reply.body["moved"].as_u64()),
            (Some(1), Some(0)),
            "{}",
            reply.body
        );
        let pinned: &Value = &reply.body["pinned"][0];
        assert!(pinned["message"]["en"].as_str().unwrap().contains("already signed"), "{pinned}");
        server.running.stop().await.unwrap();
    }
}
