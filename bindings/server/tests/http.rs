//! The API's contract over a real HTTP client: who may do what, retries, versions, errors.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, at, citizen, databases, officer, root, specs_with, token};

fn scenario(file: &str) -> motcua::scenario::Scenario {
    let path = root().join("tests/scenarios").join(file);
    motcua::scenario::Scenario::from_yaml(&std::fs::read_to_string(path).unwrap(), file).unwrap()
}

fn birth_submission(id: &str) -> Value {
    let s = scenario("birth-registration-happy-police-first.yaml").submit;
    json!({"procedure": "1.001193", "dossier_id": id, "jurisdiction": "00004", "data": s.data, "documents": s.documents})
}

const ACCEPT: &str = r#"{"type": "act", "action": "accept"}"#;

fn accept() -> Value {
    serde_json::from_str(ACCEPT).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lien_thong_dossier_climbs_to_the_province_and_back_with_each_officers_token() {
    for db in databases("lien_thong") {
        let server = Server::start(&db).await;
        let land = scenario("land-first-certificate-paid.yaml");
        let (failures, applied) = crate::scenarios::run(&server, "land", &land).await;
        assert!(failures.is_empty(), "{failures:?}");
        let hand_offs: Vec<(String, String, String)> = applied
            .iter()
            .flat_map(|a| a["effects"].as_array().unwrap().clone())
            .filter(|e| e["type"] == "hand_off")
            .map(|e| {
                (
                    e["to_agency"].as_str().unwrap().to_owned(),
                    e["direction"].as_str().unwrap().to_owned(),
                    e["to_unit"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let has = |agency: &str, direction: &str, unit: &str| {
            hand_offs.iter().any(|(a, d, u)| a == agency && d == direction && u == unit)
        };
        assert!(has("land_registration_branch", "upward", "01"), "vertical, up to the province: {hand_offs:?}");
        assert!(has("tax_authority", "horizontal", "01"), "horizontal at the province: {hand_offs:?}");
        assert!(has("commune_committee", "downward", "00004"), "back down to the ward: {hand_offs:?}");
        let dossier =
            server.get(&format!("/api/v1/dossiers/{}", land.submit.dossier_id), &citizen("applicant-land")).await;
        assert_eq!(dossier.body["status"], 10, "result issued: {}", dossier.body);
        server.running.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_decide_who_acts_and_the_body_cannot_say() {
    for db in databases("tokens") {
        let server = Server::start(&db).await;
        server.set_time(at("2026-03-09T08:15:00+07:00"));
        let lan = citizen("lan");
        let reply =
            server.post("/api/v1/dossiers", &lan, &birth_submission("KS-1"), &[("idempotency-key", "s1")]).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.headers["etag"], "\"1\"");
        server.set_time(at("2026-03-09T09:00:00+07:00"));
        let path = "/api/v1/dossiers/KS-1/commands";

        // No token, a bad signature, an expired token, `alg: none`.
        let none = server.send(Method::POST, path, None, Some(&accept()), &[]).await;
        assert_eq!((none.status.as_u16(), none.code()), (401, "unauthorized"));
        assert_eq!(none.body["field"], "authorization");
        let forged = {
            let claims = json!({"sub": "x", "role": "one_stop_officer", "agency": "commune_committee", "unit": "00004", "exp": 4102444800u64});
            jsonwebtoken::encode(
                &jsonwebtoken::Header::default(),
                &claims,
                &jsonwebtoken::EncodingKey::from_secret(b"another secret of 32 bytes or more!!"),
            )
            .unwrap()
        };
        assert_eq!(server.post(path, &forged, &accept(), &[]).await.status, 401);
        let expired = {
            let claims = json!({"sub": "x", "role": "one_stop_officer", "agency": "commune_committee", "unit": "00004", "exp": 1_000_000u64});
            jsonwebtoken::encode(
                &jsonwebtoken::Header::default(),
                &claims,
                &jsonwebtoken::EncodingKey::from_secret(crate::common::SECRET),
            )
            .unwrap()
        };
        let reply = server.post(path, &expired, &accept(), &[]).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.body["message"]["en"], "The token has expired");
        let unsigned = {
            use base64_like::encode;
            format!("{}.{}.", encode(br#"{"alg":"none","typ":"JWT"}"#), encode(br#"{"sub":"x","role":"one_stop_officer","agency":"commune_committee","unit":"00004","exp":4102444800}"#))
        };
        assert_eq!(server.post(path, &unsigned, &accept(), &[]).await.status, 401);
        let no_unit = token("x", "one_stop_officer", Some("commune_committee"), None);
        assert_eq!(server.post(path, &no_unit, &accept(), &[]).await.status, 401, "an officer's token names a unit");

        // The body may not name the actor, the time or the id.
        let sneaky = json!({"type": "act", "action": "accept", "actor": {"role": "one_stop_officer", "agency": "commune_committee", "unit": "00004"}});
        let reply = server.post(path, &lan, &sneaky, &[]).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code(), reply.body["field"].as_str()),
            (400, "invalid_command", Some("actor"))
        );

        // The wrong role in the right unit, an officer of another ward, the applicant.
        let clerk = officer("civil_status_officer", "commune_committee", "00004");
        let reply = server.post(path, &clerk, &accept(), &[]).await;
        assert_eq!((reply.status.as_u16(), reply.code()), (403, "forbidden"), "{}", reply.body);
        let elsewhere = officer("one_stop_officer", "commune_committee", "00070");
        let reply = server.post(path, &elsewhere, &accept(), &[]).await;
        assert_eq!((reply.status.as_u16(), reply.code()), (404, "not_found"), "another ward's dossier is not shown");
        let reply = server.post(path, &lan, &accept(), &[]).await;
        assert_eq!((reply.status.as_u16(), reply.code()), (403, "forbidden"));
        let history = server.get("/api/v1/dossiers/KS-1/history", &lan).await;
        assert_eq!(history.body.as_array().unwrap().len(), 1, "nothing refused was stored");

        // The actions each caller may take, as the engine decides.
        let desk = officer("one_stop_officer", "commune_committee", "00004");
        let actions = server.get("/api/v1/dossiers/KS-1/actions", &desk).await;
        let allowed: Vec<&str> = actions
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["allowed"] == true)
            .map(|a| a["action"].as_str().unwrap())
            .collect();
        assert_eq!(allowed, ["accept", "request_supplement", "refuse"]);
        let mine = server.get("/api/v1/dossiers/KS-1/actions", &clerk).await;
        assert!(
            mine.body.as_array().unwrap().iter().all(|a| a["allowed"] == false && a["code"] == "forbidden"),
            "{}",
            mine.body
        );

        let reply = server.post(path, &desk, &accept(), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["dossier"]["status"], 2);
        let event = &reply.body["applied"]["events"][0];
        assert_eq!(
            event["actor"],
            json!({"role": "one_stop_officer", "agency": "commune_committee", "unit": "00004", "user": "one_stop_officer@00004"})
        );
        assert_eq!(event["at"], "2026-03-09T09:00:00+07:00", "the service's clock");
        server.running.stop().await.unwrap();
    }
}

/// Base64url without padding, for the hand-made `alg: none` token.
mod base64_like {
    pub fn encode(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_return_the_same_answer_and_versions_are_checked() {
    for db in databases("retries") {
        let server = Server::start(&db).await;
        let lan = citizen("lan");
        server.set_time(at("2026-03-09T08:15:00+07:00"));
        let first =
            server.post("/api/v1/dossiers", &lan, &birth_submission("KS-2"), &[("idempotency-key", "k-submit")]).await;
        assert_eq!(first.status, 201);
        // The retry comes a minute later: still the same submission, stored once.
        server.set_time(at("2026-03-09T08:16:00+07:00"));
        let again =
            server.post("/api/v1/dossiers", &lan, &birth_submission("KS-2"), &[("idempotency-key", "k-submit")]).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(again.body["applied"]["events"], first.body["applied"]["events"]);
        // Without a dossier id the key names the dossier: a retry does not open a second one.
        let mut anonymous = birth_submission("x");
        anonymous.as_object_mut().unwrap().remove("dossier_id");
        let a = server.post("/api/v1/dossiers", &lan, &anonymous, &[("idempotency-key", "k-anon")]).await;
        let b = server.post("/api/v1/dossiers", &lan, &anonymous, &[("idempotency-key", "k-anon")]).await;
        assert_eq!((a.status.as_u16(), b.status.as_u16()), (201, 200));
        assert_eq!(a.body["dossier"]["id"], b.body["dossier"]["id"]);

        let desk = officer("one_stop_officer", "commune_committee", "00004");
        let path = "/api/v1/dossiers/KS-2/commands";
        server.set_time(at("2026-03-09T09:00:00+07:00"));
        let stale = server.post(path, &desk, &accept(), &[("if-match", "\"7\""), ("idempotency-key", "k-stale")]).await;
        assert_eq!((stale.status.as_u16(), stale.code()), (412, "version_conflict"), "{}", stale.body);
        let bad = server.post(path, &desk, &accept(), &[("if-match", "seven")]).await;
        assert_eq!((bad.status.as_u16(), bad.code()), (400, "invalid_if_match"));
        let done = server.post(path, &desk, &accept(), &[("if-match", "\"1\""), ("idempotency-key", "k-accept")]).await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(done.headers["etag"], "\"2\"");
        server.set_time(at("2026-03-09T09:05:00+07:00"));
        let retry =
            server.post(path, &desk, &accept(), &[("if-match", "\"1\""), ("idempotency-key", "k-accept")]).await;
        assert_eq!(retry.status, 200, "{}", retry.body);
        assert_eq!(retry.body["applied"]["duplicate"], true);
        assert_eq!(retry.body["applied"]["effects"], done.body["applied"]["effects"]);
        let other = json!({"type": "act", "action": "request_supplement"});
        let conflict = server.post(path, &desk, &other, &[("idempotency-key", "k-accept")]).await;
        assert_eq!((conflict.status.as_u16(), conflict.code()), (409, "idempotency_conflict"), "{}", conflict.body);
        // An officer of another ward learns nothing from the key: not the stored outcome,
        // not the conflict; the dossier is not found.
        let elsewhere = officer("one_stop_officer", "commune_committee", "00070");
        for body in [accept(), other.clone()] {
            let reply = server.post(path, &elsewhere, &body, &[("idempotency-key", "k-accept")]).await;
            assert_eq!((reply.status.as_u16(), reply.code()), (404, "not_found"), "{}", reply.body);
            assert_eq!(reply.body["field"], "id");
        }
        let history = server.get("/api/v1/dossiers/KS-2/history", &desk).await;
        assert_eq!(history.body.as_array().unwrap().len(), 2, "the retry stored nothing");
        let verify = server.get("/api/v1/dossiers/KS-2/verify", &desk).await;
        assert_eq!(verify.body["ok"], true);
        server.running.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applicants_see_their_own_dossiers_and_officers_their_units() {
    for db in databases("visibility") {
        let server = Server::start(&db).await;
        server.set_time(at("2026-03-09T08:15:00+07:00"));
        let lan = citizen("lan");
        assert_eq!(server.post("/api/v1/dossiers", &lan, &birth_submission("KS-3"), &[]).await.status, 201);
        assert_eq!(server.get("/api/v1/dossiers/KS-3", &lan).await.status, 200);
        let other = server.get("/api/v1/dossiers/KS-3", &citizen("hoa")).await;
        assert_eq!(
            (other.status.as_u16(), other.code()),
            (404, "not_found"),
            "another applicant is not told it exists"
        );
        let missing = server.get("/api/v1/dossiers/KS-404", &lan).await;
        assert_eq!(
            (missing.status, missing.code(), &missing.body["field"]),
            (other.status, other.code(), &other.body["field"]),
            "a dossier of someone else looks like none"
        );
        assert_eq!(
            server
                .get("/api/v1/dossiers/KS-3", &officer("one_stop_officer", "commune_committee", "00070"))
                .await
                .status,
            404
        );

        // The desk: the ward's one-stop officer has it; the police of the ward not yet.
        let desk = officer("one_stop_officer", "commune_committee", "00004");
        let list = server.get("/api/v1/desk", &desk).await;
        let ids: Vec<&str> = list.body["rows"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["KS-3"]);
        let row = &list.body["rows"][0];
        assert_eq!(row["signal"], "green");
        assert!(row["working_minutes_left"].as_i64().unwrap() > 480, "{row}");
        let police = officer("police_officer", "commune_police", "00004");
        assert!(server.get("/api/v1/desk", &police).await.body["rows"].as_array().unwrap().is_empty());
        let applicant_desk = server.get("/api/v1/desk", &lan).await;
        assert_eq!((applicant_desk.status.as_u16(), applicant_desk.code()), (403, "forbidden"));
        // Late, once the appointment has passed.
        server.set_time(at("2026-04-30T09:00:00+07:00"));
        let late = server.get("/api/v1/desk?view=late", &desk).await;
        assert_eq!(late.body["rows"][0]["signal"], "red", "{}", late.body);
        assert!(late.body["rows"][0]["working_minutes_left"].as_i64().unwrap() < 0);
        let report = server.get("/api/v1/reports/2026-03", &desk).await;
        assert_eq!(report.body["rows"][0]["received_new"], 1, "{}", report.body);
        assert_eq!(server.get("/api/v1/reports/2026-13", &desk).await.code(), "invalid_path");
        server.running.stop().await.unwrap();
    }
}

/// The source a procedure runs from is the text of the specs folder, with the catalogue and
/// the calendars in an order they load in; compiled again, it validates as the service does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_procedure_source_is_the_text_the_service_runs() {
    let db = databases("source").remove(0);
    let server = Server::start(&db).await;
    server.set_time(at("2026-03-09T08:15:00+07:00"));
    let reply = server.send(Method::GET, "/api/v1/procedures/1.001193/source", None, None, &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let source = &reply.body;
    let specs = root().join("specs");
    let read = |file: &str| std::fs::read_to_string(specs.join(file)).unwrap();
    assert_eq!(source["code"], "1.001193");
    assert_eq!(source["procedure"]["file"], "procedures/birth-registration-residence-insurance.yaml");
    assert_eq!(source["procedure"]["text"], read("procedures/birth-registration-residence-insurance.yaml"));
    assert_eq!(source["catalogue"]["file"], "catalogue/vietnam.yaml");
    assert_eq!(source["catalogue"]["text"], read("catalogue/vietnam.yaml"));
    let calendars: Vec<&str> =
        source["calendars"].as_array().unwrap().iter().map(|c| c["file"].as_str().unwrap()).collect();
    // The province's calendar extends vn-gov: it comes after it, whatever the file order.
    assert_eq!(calendars, ["calendars/vn-gov.yaml", "calendars/example-province.yaml"]);
    for c in source["calendars"].as_array().unwrap() {
        assert_eq!(c["text"], read(c["file"].as_str().unwrap()));
    }

    // Compiled from these texts alone, the procedure finds what the service finds.
    let text = |v: &Value| v["text"].as_str().unwrap().to_owned();
    let mut library =
        motcua::Library::new(motcua::Catalogue::from_yaml(&text(&source["catalogue"]), "vietnam.yaml").unwrap());
    for c in source["calendars"].as_array().unwrap() {
        library.add_calendar_yaml(&text(c), c["file"].as_str().unwrap()).unwrap();
    }
    let procedure = motcua::Procedure::from_yaml(&text(&source["procedure"]), "birth.yaml", &library).unwrap();
    let mut data = scenario("birth-registration-happy-police-first.yaml").submit.data;
    data["declarant"]["citizen_id"] = json!("12345");
    data["child"]["birth_date"] = json!("2031-01-01");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    let here = procedure.form().validate(&data, &[], today);
    let there = server
        .send(Method::POST, "/api/v1/procedures/1.001193/validate", None, Some(&json!({"data": data})), &[])
        .await;
    assert_eq!(there.body["valid"], false);
    assert!(here.problems.len() >= 2, "{:?}", here.problems);
    assert_eq!(serde_json::to_value(&here.problems).unwrap(), there.body["problems"]);
    let missing = server.send(Method::GET, "/api/v1/procedures/9.999999/source", None, None, &[]).await;
    assert_eq!((missing.status.as_u16(), missing.code()), (404, "not_found"));

    // The names the desk pages show for the codes.
    let names = server.send(Method::GET, "/api/v1/names", None, None, &[]).await;
    assert_eq!(names.status, 200);
    assert_eq!(names.body["units"]["00004"], json!({"vi": "Phường Ba Đình", "en": "Ba Đình ward"}));
    assert_eq!(names.body["agencies"]["commune_police"], json!({"vi": "Công an cấp xã", "en": "Commune police"}));
    assert_eq!(names.body["roles"]["one_stop_officer"]["vi"], "Công chức tiếp nhận và trả kết quả");
    server.running.stop().await.unwrap();
}

/// `due_soon` counts working days on the procedure's calendar (vn-gov): from Friday
/// 24 April 2026, Monday 27 April is the day off for the Hùng Kings' day (Sunday 26
/// April), and 30 April and 1 May are holidays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_pinned_to_an_older_version_is_shown_with_that_version() {
    for db in databases("pinned_version") {
        // Before the change: the service runs the 2021 (district) household registration,
        // and a dossier is submitted under it.
        let old = std::fs::read_to_string(
            root().join("specs/procedures/superseded/household-business-registration-2021.yaml"),
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("motcua-server-{}-pinned-specs", std::process::id()));
        let specs = specs_with(&dir, "household-business-registration.yaml", &old);
        let server = Server::start_specs(&db, specs).await;
        server.set_time(at("2025-06-23T09:00:00+07:00"));
        let submit = motcua::scenario::Scenario::from_yaml(
            &std::fs::read_to_string(
                root().join("tests/superseded/scenarios/household-business-registration-2021-happy.yaml"),
            )
            .unwrap(),
            "household-business-registration-2021-happy.yaml",
        )
        .unwrap()
        .submit;
        let body = json!({"procedure": "1.001612", "dossier_id": "HKD-PIN-1", "jurisdiction": "001",
            "data": submit.data, "documents": submit.documents});
        let reply = server.post("/api/v1/dossiers", &citizen("hoa"), &body, &[]).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        server.running.stop().await.unwrap();

        // After: the shipped (commune) version is current; the dossier stays on 2021.1.
        let server = Server::start(&db).await;
        let anyone = citizen("someone");
        let current = server.get("/api/v1/procedures/1.001612", &anyone).await;
        assert_eq!(current.status, 200, "{}", current.body);
        assert_eq!(current.body["version"], "2025.1");
        assert_eq!(current.body["current"], true);
        assert_eq!(current.body["info"]["steps"]["review"]["agency"], "commune_economic_division");
        let versions: Vec<&str> =
            current.body["versions"].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap()).collect();
        assert_eq!(versions, ["2021.1", "2025.1"]);

        let dossier = server.get("/api/v1/dossiers/HKD-PIN-1", &citizen("hoa")).await;
        assert_eq!(dossier.body["procedure_version"], "2021.1", "{}", dossier.body);
        let pinned = server.get("/api/v1/procedures/1.001612?version=2021.1", &anyone).await;
        assert_eq!(pinned.status, 200, "{}", pinned.body);
        assert_eq!(pinned.body["version"], "2021.1");
        assert_eq!(pinned.body["current"], false);
        assert_eq!(pinned.body["info"]["steps"]["review"]["agency"], "district_finance_planning");
        assert_eq!(pinned.body["versions"], current.body["versions"]);

        let missing = server.get("/api/v1/procedures/1.001612?version=1999.1", &anyone).await;
        assert_eq!((missing.status.as_u16(), missing.code()), (404, "not_found"), "{}", missing.body);
        assert_eq!(missing.body["field"], "version", "{}", missing.body);
        let bad = server.get("/api/v1/procedures/1.001612?release=2021.1", &anyone).await;
        assert_eq!((bad.status.as_u16(), bad.code()), (400, "invalid_query"), "{}", bad.body);
        server.running.stop().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_soon_counts_working_days_across_the_weekend_and_the_holidays() {
    let db = databases("due_soon").remove(0);
    let server = Server::start(&db).await;
    let lan = citizen("lan");
    // A 3-working-day procedure: each appointment is 3 working days after its submission.
    for (id, submitted) in [
        ("DS-TUE", "2026-04-22T09:00:00+07:00"),
        ("DS-WED-0930", "2026-04-23T09:30:00+07:00"),
        ("DS-WED-1100", "2026-04-23T11:00:00+07:00"),
        ("DS-MON", "2026-04-24T09:00:00+07:00"),
    ] {
        server.set_time(at(submitted));
        let reply = server.post("/api/v1/dossiers", &lan, &birth_submission(id), &[]).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    server.set_time(at("2026-04-24T10:00:00+07:00")); // Friday
    let desk = officer("one_stop_officer", "commune_committee", "00004");
    let open = server.get("/api/v1/desk", &desk).await;
    let appointments: Vec<(String, String)> = open.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r["appointment"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [
        ("DS-TUE", "2026-04-28T09:00:00+07:00"),
        ("DS-WED-0930", "2026-04-29T09:30:00+07:00"),
        ("DS-WED-1100", "2026-04-29T11:00:00+07:00"),
        ("DS-MON", "2026-05-04T09:00:00+07:00"),
    ];
    assert_eq!(appointments.len(), expected.len(), "{}", open.body);
    for ((id, appointment), (want_id, want)) in appointments.iter().zip(expected) {
        assert_eq!(id, want_id);
        assert_eq!(at(appointment), at(want), "{id}");
    }
    let due = |days: &'static str| {
        let server = &server;
        let desk = desk.clone();
        async move {
            let path = format!("/api/v1/desk?view=due_soon&days={days}");
            let reply = server.get(&path, &desk).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            let rows = reply.body["rows"].as_array().unwrap().clone();
            for row in &rows {
                let left = row["working_minutes_left"].as_i64().unwrap();
                let days: i64 = days.parse().unwrap();
                assert!((0..=days * 480).contains(&left), "{row}");
            }
            rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    // Counted in calendar days, 2 days from Friday would end on Sunday and hold nothing.
    assert_eq!(due("1").await, ["DS-TUE"], "1 working day from Friday 10:00 is Tuesday 10:00");
    assert_eq!(due("2").await, ["DS-TUE", "DS-WED-0930"], "2 working days: Wednesday 10:00");
    assert_eq!(
        due("3").await,
        ["DS-TUE", "DS-WED-0930", "DS-WED-1100", "DS-MON"],
        "3: over 30/4, 1/5 and the weekend to Monday 10:00"
    );
    // The same through the procedure filter, and a horizon beyond the calendar is coded.
    let one = server.get("/api/v1/desk?view=due_soon&days=2&procedure=1.001193", &desk).await;
    assert_eq!(one.body["rows"].as_array().unwrap().len(), 2, "{}", one.body);
    let beyond = server.get("/api/v1/desk?view=due_soon&days=366", &desk).await;
    assert_eq!((beyond.status.as_u16(), beyond.code()), (200, ""), "2027 is still covered: {}", beyond.body);
    server.set_time(at("2027-06-01T10:00:00+07:00"));
    let beyond = server.get("/api/v1/desk?view=due_soon&days=366", &desk).await;
    assert_eq!((beyond.status.as_u16(), beyond.code()), (422, "outside_calendar"), "{}", beyond.body);
    server.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_is_coded_and_tells_no_internals() {
    let db = databases("errors").remove(0);
    let limits =
        motcua_server::Limits { body_bytes: 4096, per_token_per_second: 1, per_token_burst: 3, ..Default::default() };
    let server = Server::start_with(&db, limits).await;
    let lan = citizen("lan");
    let cases = [
        (server.send(Method::GET, "/no/such/route", None, None, &[]).await, 404, "not_found"),
        (server.send(Method::DELETE, "/api/v1/procedures", None, None, &[]).await, 405, "method_not_allowed"),
        (server.send(Method::GET, "/api/v1/procedures/9.999999", None, None, &[]).await, 404, "not_found"),
        (
            server.send(Method::GET, "/api/v1/procedures/1.001193/diagram?format=png", None, None, &[]).await,
            400,
            "invalid_query",
        ),
        (
            server.post("/api/v1/procedures/1.001193/validate", &lan, &json!({"data": {}, "colour": 1}), &[]).await,
            400,
            "invalid_json",
        ),
        (
            server
                .post(
                    "/api/v1/dossiers",
                    &lan,
                    &json!({"procedure": "1.001193", "jurisdiction": "00004", "data": "x".repeat(5000)}),
                    &[],
                )
                .await,
            413,
            "payload_too_large",
        ),
    ];
    for (reply, status, code) in cases {
        assert_eq!((reply.status.as_u16(), reply.code()), (status, code), "{}", reply.body);
        assert!(reply.body["message"]["vi"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(reply.body["message"]["en"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The rate per token: a burst of 3, then 429 for this token only.
    let codes: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(server.get("/api/v1/dossiers/none", &lan).await.status.as_u16());
        }
        v
    };
    assert_eq!(codes, [404, 404, 404, 429, 429]);
    assert_eq!(server.get("/api/v1/dossiers/none", &citizen("hoa")).await.status, 404);
    // A spec posted for linting is placed at line and column.
    let lint = server
        .post("/api/v1/lint", &citizen("author"), &json!({"text": "code: 1\nsteps: [", "file": "mine.yaml"}), &[])
        .await;
    assert_eq!(lint.body["ok"], false, "{}", lint.body);
    assert_eq!(lint.body["diagnostics"][0]["file"], "mine.yaml");
    assert!(lint.body["diagnostics"][0]["line"].as_u64().unwrap() >= 1);
    // Liveness, readiness, metrics.
    assert_eq!(server.send(Method::GET, "/health/live", None, None, &[]).await.status, 200);
    assert_eq!(
        server.send(Method::GET, "/health/ready", None, None, &[]).await.body["schema_version"],
        motcua_store::SCHEMA_VERSION
    );
    let metrics = server.send(Method::GET, "/metrics", None, None, &[]).await;
    let text = metrics.body.as_str().unwrap();
    assert!(
        text.contains(r#"motcua_http_requests_total{method="GET",route="/api/v1/dossiers/{id}",status="429"} 2"#),
        "{text}"
    );
    assert!(text.contains("motcua_outbox_depth 0"), "{text}");
    server.running.stop().await.unwrap();
}

#[test]
fn the_committed_openapi_document_is_current() {
    let path = root().join("bindings/server/openapi.json");
    let mut text = serde_json::to_string_pretty(&motcua_server::openapi_document()).unwrap();
    text.push('\n');
    if std::env::var_os("MOTCUA_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "bindings/server/openapi.json is stale: run MOTCUA_BLESS=1 cargo test -p motcua-server openapi"
    );
}
