//! Two replicas of the service on one PostgreSQL database: each due timer fires once.

use serde_json::json;

use crate::common::{Server, at, citizen, officer, postgres, root};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgres_fire_each_timer_once() {
    let Some(db) = postgres("replicas") else {
        eprintln!("MOTCUA_TEST_POSTGRES is not set: two replicas need PostgreSQL; skipped");
        return;
    };
    let a = Server::start(&db).await;
    let b = Server::start(&db).await;
    let text =
        std::fs::read_to_string(root().join("tests/scenarios/birth-registration-supplement-lapsed.yaml")).unwrap();
    let sample = motcua::scenario::Scenario::from_yaml(&text, "lapsed.yaml").unwrap().submit;
    let desk = officer("one_stop_officer", "commune_committee", "00004");
    let n = 12;
    for i in 0..n {
        // Alternate replicas: both write to the one database.
        let server = if i % 2 == 0 { &a } else { &b };
        server.set_time(at("2026-03-02T09:00:00+07:00"));
        let body = json!({"procedure": "1.001193", "dossier_id": format!("KS-R{i}"), "jurisdiction": "00004",
            "data": sample.data, "documents": sample.documents});
        let reply = server.post("/api/v1/dossiers", &citizen("lan"), &body, &[]).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        server.set_time(at("2026-03-02T10:00:00+07:00"));
        let reply = server
            .post(
                &format!("/api/v1/dossiers/KS-R{i}/commands"),
                &desk,
                &json!({"type": "act", "action": "request_supplement"}),
                &[],
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    // The supplement period lapses; both replicas wake at once.
    a.set_time(at("2026-03-17T08:00:00+07:00"));
    b.set_time(at("2026-03-17T08:00:00+07:00"));
    let metrics = a.send(reqwest::Method::GET, "/metrics", None, None, &[]).await;
    assert!(metrics.body.as_str().unwrap().contains(&format!("motcua_timers_due {n}")), "{}", metrics.body);
    let (fired_a, fired_b) = tokio::join!(a.running.fire_due(), b.running.fire_due());
    assert_eq!(fired_a + fired_b, n, "every timer fired once in all ({fired_a} + {fired_b})");
    for i in 0..n {
        let history = a.get(&format!("/api/v1/dossiers/KS-R{i}/history"), &desk).await;
        let kinds: Vec<&str> = history.body.as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(kinds.len(), 3, "submitted, sent for supplement, stopped once: {kinds:?}");
        let dossier = b.get(&format!("/api/v1/dossiers/KS-R{i}"), &desk).await;
        assert_eq!(dossier.body["status"], 8);
    }
    assert_eq!(a.running.fire_due().await + b.running.fire_due().await, 0, "nothing is left to fire");
    a.running.stop().await.unwrap();
    b.running.stop().await.unwrap();
}
