//! Every shipped scenario run over HTTP, each officer with a token of their own unit: the
//! service gives what the engine gives (statuses, active steps, effects, refusal codes).

use motcua::scenario::{Scenario, WithdrawOp};
use motcua::{Dossier, Effect, Procedure};
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

/// The unit an officer of `agency` works in for this dossier, as the core's scenario runner
/// fills it: the unit handling the active step of the agency, else the last that handled one.
fn unit_for(procedure: &Procedure, dossier: &Dossier, agency: Option<&str>, step: Option<&str>) -> Option<String> {
    let agency_of = |id: &str| procedure.step_by_id(id).and_then(|s| s.agency());
    dossier
        .active()
        .iter()
        .filter(|a| step.is_none_or(|s| s == a.step) && agency_of(&a.step) == agency)
        .find_map(|a| a.unit.clone())
        .or_else(|| dossier.log().iter().rev().filter(|r| r.agency.as_deref() == agency).find_map(|r| r.unit.clone()))
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
    let submitter = if procedure.is_citizen_role(&s.actor.role) {
        applicant.clone()
    } else {
        let level = procedure.start().level().unwrap_or_default();
        let unit =
            procedure.units().and_then(|u| u.ancestor_at(&s.jurisdiction, level)).unwrap_or(&s.jurisdiction).to_owned();
        token(&format!("{}@{unit}", s.actor.role), &s.actor.role, s.actor.agency.as_deref(), Some(&unit))
    };
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
        server.set_time(c.at);
        let current = server.get(&format!("/api/v1/dossiers/{id}"), &reader).await;
        let dossier: Option<Dossier> = serde_json::from_value(current.body.clone()).ok();
        let caller = if procedure.is_citizen_role(&c.actor.role) {
            applicant.clone()
        } else {
            let unit = dossier
                .as_ref()
                .and_then(|d| unit_for(&procedure, d, c.actor.agency.as_deref(), c.step.as_deref()))
                .unwrap_or_else(|| s.jurisdiction.clone());
            token(&format!("{}@{unit}", c.actor.role), &c.actor.role, c.actor.agency.as_deref(), Some(&unit))
        };
        if c.advance {
            server.running.fire_due().await;
        } else {
            let kind = if let Some(action) = &c.act {
                json!({"type": "act", "action": action, "step": c.step, "data": c.data, "documents": c.documents})
            } else if let Some(op) = c.withdraw {
                match op {
                    WithdrawOp::Request => json!({"type": "request_withdrawal", "reason": c.reason}),
                    WithdrawOp::Confirm => json!({"type": "confirm_withdrawal"}),
                    WithdrawOp::Decline => json!({"type": "decline_withdrawal", "reason": c.reason}),
                }
            } else if let Some(appointment) = c.extend {
                json!({"type": "extend", "appointment": appointment, "reason": c.reason.clone().unwrap_or_default()})
            } else {
                failures.push(format!("{line}: nothing to do"));
                continue;
            };
            // Drop the nulls: absent fields, as a portal would send them.
            let kind: Value = match kind {
                Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
                other => other,
            };
            let key = c.id.clone().unwrap_or_else(|| format!("{name}/{}", i + 1));
            let version = c.expected_version.map(|v| format!("\"{v}\""));
            let mut headers = vec![("idempotency-key", key.as_str())];
            if let Some(v) = &version {
                headers.push(("if-match", v.as_str()));
            }
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
