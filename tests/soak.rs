//! Soak: many random commands across many dossiers of every shipped procedure, then every
//! invariant checked on every dossier. The default size keeps the suite fast; set
//! `MOTCUA_SOAK_COMMANDS` (e.g. 1000000) and `MOTCUA_SOAK_DOSSIERS` (e.g. 10000) for the
//! full run, preferably with `--release`.

use motcua::{Actor, Command, CommandKind, Dossier, Procedure, Submission};

use crate::common::{at, procedure, procedure_files, sample_application};

/// xorshift64*: deterministic, dependency-free randomness for a reproducible soak.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_traffic_over_many_dossiers_keeps_every_invariant() {
    let commands = env("MOTCUA_SOAK_COMMANDS", 20_000);
    let dossiers = env("MOTCUA_SOAK_DOSSIERS", 200);
    let procedures: Vec<Procedure> = procedure_files().iter().map(|f| procedure(f)).collect();
    let samples: Vec<_> = procedure_files().iter().map(|f| sample_application(f)).collect();
    let start = at("2026-03-02T08:00:00+07:00");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut live: Vec<(usize, Dossier)> = (0..dossiers)
        .map(|i| {
            let p = i % procedures.len();
            let (data, documents) = samples[p].clone();
            let channel = procedures[p].spec().channels[0];
            let submission = Submission::new(format!("SOAK-{i}"), start, Actor::citizen(), channel, "00004")
                .with_data(data, documents);
            (p, Dossier::submit(&procedures[p], submission).expect("submit").0)
        })
        .collect();
    let (mut accepted, mut refused, mut closed) = (0usize, 0usize, 0usize);
    let mut next_id = dossiers;
    for n in 0..commands {
        let slot = rng.below(live.len());
        if live[slot].1.closure().is_some() {
            // Dossiers flow: a closed one is checked and a new submission takes its place.
            let (p, done) = &live[slot];
            check(&procedures[*p], done);
            closed += 1;
            let p = next_id % procedures.len();
            let (data, documents) = samples[p].clone();
            let channel = procedures[p].spec().channels[0];
            let at = done.updated_at();
            let submission = Submission::new(format!("SOAK-{next_id}"), at, Actor::citizen(), channel, "00004")
                .with_data(data, documents);
            match Dossier::submit(&procedures[p], submission) {
                Ok((fresh, _)) => live[slot] = (p, fresh),
                // Past the calendar's covered years: stop renewing this slot.
                Err(e) => assert_eq!(e.code, motcua::Code::OutsideCalendar),
            }
            next_id += 1;
            continue;
        }
        let (p, dossier) = &mut live[slot];
        let procedure = &procedures[*p];
        let now = dossier.updated_at() + chrono::Duration::minutes(rng.below(600) as i64);
        let offered = dossier.available_actions(procedure);
        let roll = rng.below(100);
        let result = if roll < 3 {
            dossier.advance(procedure, now)
        } else {
            let (kind, actor) = if roll < 6 || offered.is_empty() {
                (CommandKind::RequestWithdrawal { reason: None }, Actor::citizen())
            } else {
                let (step, action) = offered[rng.below(offered.len())];
                let spec = procedure.step_by_id(step).expect("step").action(action).expect("action").1;
                // Mostly the right actor, sometimes anyone.
                let actor = if roll < 90 {
                    Actor {
                        role: spec.role().to_owned(),
                        agency: spec.agency().map(str::to_owned),
                        unit: None,
                        user: None,
                    }
                } else {
                    Actor::official("officer", "tax_authority")
                };
                (
                    CommandKind::Act {
                        action: action.to_owned(),
                        step: Some(step.to_owned()),
                        data: None,
                        documents: None,
                    },
                    actor,
                )
            };
            let command =
                Command { id: format!("c{n}"), at: now, actor, expected_version: Some(dossier.version()), kind };
            dossier.apply(procedure, &command)
        };
        match result {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
    }
    for (p, dossier) in &live {
        check(&procedures[*p], dossier);
    }
    eprintln!(
        "soak: {commands} commands, {dossiers} dossiers at a time, {next_id} in all: \
         {accepted} accepted, {refused} refused, {closed} closed"
    );
    assert!(accepted > commands / 3, "the traffic barely moved the dossiers: {accepted} accepted");
    assert!(closed > dossiers, "too few dossiers reached an outcome: {closed}");
}

/// Every invariant of one dossier.
fn check(procedure: &Procedure, dossier: &Dossier) {
    assert_eq!(dossier.version() as usize, dossier.history().len());
    assert_eq!(&Dossier::replay(procedure, dossier.history()).expect("replay"), dossier);
    motcua::verify_history(dossier.history(), Some(dossier.head())).expect("hash chain");
    assert!(dossier.deadline().appointment >= dossier.deadline().first_appointment);
    assert_eq!(dossier.closure().is_some(), dossier.active().is_empty());
    for active in dossier.active() {
        assert!(procedure.step_by_id(&active.step).is_some());
    }
    let json = serde_json::to_string(dossier).expect("serialize");
    assert_eq!(&serde_json::from_str::<Dossier>(&json).expect("deserialize"), dossier);
}
