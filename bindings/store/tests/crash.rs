//! A child process writing commands is killed with SIGKILL at random points; after each
//! restart every acknowledged command is there, nothing is half written, no effect lost.
//!
//! The child is this test binary run again with `MOTCUA_STORE_CRASH_CHILD` set; it prints
//! `ACK <dossier> <command>` after each commit. CI size: 20 kills per backend; more with
//! `MOTCUA_STORE_CRASH_KILLS=200`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};

use motcua_store::{Store, StoreError};

use crate::common::{Rng, Target, command, read, scenario, submission, targets};

const HAPPY: &str = "tests/scenarios/business-registration-happy.yaml";

/// Submits a dossier and takes it through the happy scenario; retried commands (after a
/// crash) return their stored outcome. Prints an acknowledgement after each commit.
fn drive(store: &mut Store, id: &str, out: &mut impl Write) {
    let s = scenario(HAPPY);
    let mut sub = submission(&s);
    sub.dossier_id = id.into();
    store.submit("2.001610", sub).unwrap();
    writeln!(out, "ACK {id} submit").unwrap();
    out.flush().unwrap();
    for (i, c) in s.commands.iter().enumerate() {
        if c.reject.is_some() || c.advance.is_some() {
            continue;
        }
        let mut cmd = command(c, i, 0).unwrap();
        cmd.expected_version = None; // a retry after a crash must carry the same body
        match store.apply(id, &cmd) {
            Ok(_) => {
                writeln!(out, "ACK {id} {}", cmd.id).unwrap();
                out.flush().unwrap();
            }
            Err(StoreError::Rejected(r)) => panic!("{id} {}: {r}", cmd.id),
            Err(e) => panic!("{id} {}: {e}", cmd.id),
        }
    }
}

#[test]
fn crash_child() {
    let Ok(target) = std::env::var("MOTCUA_STORE_CRASH_CHILD") else { return };
    let run: usize = std::env::var("MOTCUA_STORE_CRASH_RUN").unwrap().parse().unwrap();
    let mut store = Target::from_env(&target).open();
    let mut out = std::io::stdout();
    // Finish the previous run's dossiers first (the last one was cut off), then new ones.
    if run > 0 {
        for k in 0.. {
            let id = format!("K{}-{k}", run - 1);
            if store.dossier(&id).is_err() {
                break;
            }
            drive(&mut store, &id, &mut out);
        }
    }
    for k in 0.. {
        drive(&mut store, &format!("K{run}-{k}"), &mut out);
    }
}

#[test]
fn killed_writers_lose_no_acknowledged_command() {
    let kills: usize = std::env::var("MOTCUA_STORE_CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    for target in targets("crash") {
        let mut store = target.open();
        store
            .register_procedure(&read("specs/procedures/business-registration.yaml"), "business-registration.yaml")
            .unwrap();
        drop(store);
        let mut rng = Rng(0xC0FFEE);
        let mut acked: Vec<(String, String)> = Vec::new();
        for run in 0..kills {
            let mut child = Process::new(std::env::current_exe().unwrap())
                .args(["--exact", "crash::crash_child", "--nocapture", "--test-threads=1"])
                .env("MOTCUA_STORE_CRASH_CHILD", target.to_env())
                .env("MOTCUA_STORE_CRASH_RUN", run.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let stop_after = 1 + rng.below(30) as usize;
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let mut seen = 0;
            while seen < stop_after {
                let Some(Ok(line)) = lines.next() else { break };
                if let Some(rest) = line.strip_prefix("ACK ") {
                    let (id, cmd) = rest.split_once(' ').unwrap();
                    acked.push((id.into(), cmd.into()));
                    seen += 1;
                }
            }
            // Let it run on for a moment so the kill lands anywhere, mid-transaction too.
            std::thread::sleep(std::time::Duration::from_micros(rng.below(3000)));
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            // Acknowledgements printed before the kill but not read yet count too.
            for line in lines.map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("ACK ") {
                    let (id, cmd) = rest.split_once(' ').unwrap();
                    acked.push((id.into(), cmd.into()));
                }
            }
            assert!(seen > 0, "{}: run {run}: the child acknowledged nothing", target.label());
        }

        let mut store = target.open();
        let procedure = store.current_procedure("2.001610").unwrap();
        for (id, cmd) in &acked {
            let events = store.events(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(
                events.iter().any(|e| &e.command_id == cmd),
                "{}: {id} {cmd} was acknowledged but is gone",
                target.label()
            );
        }
        let mut dossiers = 0;
        for run in 0..kills {
            for k in 0.. {
                let id = format!("K{run}-{k}");
                let Ok(dossier) = store.dossier(&id) else { break };
                store.verify(&id).unwrap_or_else(|e| panic!("{id}: {e}"));
                let effects: Vec<motcua::Effect> = store.outbox(&id).unwrap().into_iter().map(|e| e.effect).collect();
                assert_eq!(effects, motcua_store::effects_of_history(&procedure, &dossier), "{id}: outbox");
                dossiers += 1;
            }
        }
        eprintln!(
            "{}: {kills} kills, {} acknowledged commands, {dossiers} dossiers checked",
            target.label(),
            acked.len()
        );
    }
}
