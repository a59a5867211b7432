//! Every shipped scenario run over HTTP, each officer with a token of their own unit: the
//! service gives what the engine gives (statuses, active steps, effects, refusal codes).

use motcua::Effect;
use motcua::scenario::Scenario;
use serde_json::{Value, json};

use crate::common::{Db, Server, citizen, databases, root, token};

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = root().join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name.clone(), Scenario::from_yaml(&std::fs::read_to_string(&p).unwrap(), &name).unwrap())
        })
        .collect()
}

fn compact(applied: &Value) -> Vec<String> {
    let effects: Vec<Effect> = serde_json::from_value(applied["effects"].clone()).unwrap();
    effects.iter().map(Effect::compact).collect()
}

/// Runs one scenario; returns every failure, and the effects of every accepted line.
pub async fn run(server: &Server, name: &str, scenario: &Scenario) -> (Vec<String>, Vec<Value>) {
    let specs = motcua_server::Specs::load(&root().join("specs")).unwrap();
    let file = scenario.procedure.rsplit('/').next().unwrap();
    let procedure = specs.procedures.values().find(|p| specs.texts[p.code()].1 == file).unwrap().clone();
    let mut failures = Vec::new();
    let mut effects = Vec::new();
    let s = &scenario.submit;
    let applicant = citizen(&format!("applicant-{name}"));
    // Each line's actor is in its token, with the unit the line names (an official of an
    // agency that never handled the dossier names none: the dossier's unit is used).
    let token_of = |actor: &motcua::Actor| {
        if procedure.is_citizen_role(&actor.role) {
            return applicant.clone();
        }
        let unit = actor.unit.clone().unwrap_or_else(|| s.jurisdiction.clone());
        token(&format!("{}@{unit}", actor.role), &actor.role, actor.agency.as_deref(), Some(&unit))
    };
    let submitter = token_of(&s.actor);
    server.set_time(s.at);
    let body = json!({
        "procedure": procedure.code(), "dossier_id": s.dossier_id, "jurisdiction": s.jurisdiction,
        "channel": s.channel, "data": s.data, "documents": s.documents, "allow_incomplete": s.allow_incomplete,
    });
    let reply =
        server.post("/api/v1/dossiers", &submitter, &body, &[("idempotency-key", &format!("{name}/submit"))]).await;
    if reply.status != 201 {
        failures.push(format!("{name}: submit: {} {}", reply.status, reply.body));
        return (failures, effects);
    }
    effects.push(reply.body["applied"].clone());
    let id = s.dossier_id.clone();
    // An officer who reads the dossier sees what the desk sees.
    let reader = submitter.clone();
    for (i, c) in scenario.commands.iter().enumerate() {
        let line = format!("{name}: command {}", i + 1);
        server.set_time(c.at());
        if c.advance.is_some() {
            server.running.fire_due().await;
        } else if let Some(command) = &c.command {
            // The body is the command's kind; its id, version and actor travel in the headers
            // and the token, and its instant is the service's clock.
            let kind = match serde_json::to_value(&command.kind).unwrap() {
                // Absent fields, as a portal sends them.
                Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
                other => other,
            };
            let version = command.expected_version.map(|v| format!("\"{v}\""));
            let mut headers = vec![("idempotency-key", command.id.as_str())];
            if let Some(v) = &version {
                headers.push(("if-match", v.as_str()));
            }
            let caller = token_of(&command.actor);
            let reply = server.post(&format!("/api/v1/dossiers/{id}/commands"), &caller, &kind, &headers).await;
            match (&c.reject, reply.status.is_success()) {
                (Some(code), false) if reply.code() == code.as_str() => continue,
                (Some(code), _) => {
                    failures.push(format!("{line}: expected {}, got {} {}", code.as_str(), reply.status, reply.body));
                    continue;
                }
                (None, false) => {
                    failures.push(format!("{line}: refused: {} {}", reply.status, reply.body));
                    continue;
                }
                (None, true) => {
                    effects.push(reply.body["applied"].clone());
                    if let Some(expected) = c.expect.as_ref().and_then(|e| e.effects.as_ref()) {
                        let actual = compact(&reply.body["applied"]);
                        if &actual != expected {
                            failures.push(format!("{line}: effects {actual:?}, expected {expected:?}"));
                        }
                    }
                }
            }
        } else {
            failures.push(format!("{line}: a move between versions is not run over HTTP here"));
            continue;
        }
        if let Some(expect) = &c.expect {
            let now = server.get(&format!("/api/v1/dossiers/{id}"), &reader).await;
            if let Some(status) = expect.status
                && now.body["status"] != json!(status)
            {
                failures.push(format!("{line}: status {}, expected {status}", now.body["status"]));
            }
            if let Some(active) = &expect.active {
                let got: Vec<String> = now.body["active"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["step"].as_str().unwrap().to_owned())
                    .collect();
                if &got != active {
                    failures.push(format!("{line}: active {got:?}, expected {active:?}"));
                }
            }
        }
    }
    let verify = server.get(&format!("/api/v1/dossiers/{id}/verify"), &reader).await;
    if verify.status != 200 {
        failures.push(format!("{name}: verify: {} {}", verify.status, verify.body));
    }
    (failures, effects)
}

async fn every_scenario_on(db: &Db) {
    let server = Server::start(db).await;
    let mut failures = Vec::new();
    let all = scenarios();
    assert!(all.len() >= 18, "the shipped scenarios are found");
    for (name, scenario) in &all {
        failures.extend(run(&server, name, scenario).await.0);
    }
    server.running.stop().await.unwrap();
    assert!(failures.is_empty(), "{db:?}:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_scenario_runs_over_http() {
    for db in databases("scenarios") {
        every_scenario_on(&db).await;
    }
}
