//! Every scenario file under `tests/scenarios/` runs against its procedure with every
//! expectation holding; every shipped procedure has scenarios.

use std::collections::BTreeMap;

use motcua::scenario::Scenario;

use crate::common::{library, procedure_files, read, scenarios};

#[test]
fn every_scenario_passes_and_replays() {
    every_scenario_passes_and_replays_with(&library(), false);
}

/// With the administrative units loaded, the same scenarios give the same dossiers, and every
/// step a dossier went through was handled in a definite unit.
#[test]
fn every_scenario_passes_and_replays_with_units() {
    every_scenario_passes_and_replays_with(&crate::common::library_with_units(), true);
}

fn every_scenario_passes_and_replays_with(library: &motcua::Library, units: bool) {
    let mut per_procedure: BTreeMap<String, usize> = BTreeMap::new();
    for (file, scenario) in scenarios() {
        let procedure = motcua::Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, library)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let timeline = scenario.run(&procedure);
        assert!(timeline.failures().is_empty(), "{file}:\n{}", timeline.failures().join("\n"));
        let dossier = timeline.dossier().expect("submitted");
        let replayed = motcua::Dossier::replay(&procedure, dossier.history()).expect("replay");
        assert_eq!(&replayed, dossier, "{file}: replay differs from the live dossier");
        let handled: Vec<Option<&str>> = dossier
            .log()
            .iter()
            .map(|r| r.unit.as_deref())
            .chain(dossier.active().iter().map(|a| a.unit.as_deref()))
            .collect();
        assert!(handled.iter().all(|u| u.is_some() == units), "{file}: units {handled:?}");
        *per_procedure.entry(scenario.procedure).or_default() += 1;
    }
    for spec in procedure_files() {
        assert!(per_procedure.get(&spec).copied().unwrap_or(0) >= 2, "{spec} needs at least two scenarios");
    }
}

#[test]
fn a_failing_expectation_is_reported_with_its_line() {
    let text = read("tests/scenarios/business-registration-happy.yaml")
        .replace("expect: {status: 2, active: [review]", "expect: {status: 4, active: [review]");
    let scenario = Scenario::from_yaml(&text, "altered.yaml").expect("loads");
    let procedure = crate::common::procedure("specs/procedures/business-registration.yaml");
    let timeline = scenario.run(&procedure);
    assert_eq!(timeline.failures(), ["commands[0] (accept): expected status 4, got 2"]);
}

#[test]
fn a_command_with_both_act_and_withdraw_is_a_placed_error() {
    let text = read("tests/scenarios/business-registration-happy.yaml")
        .replace("    act: accept\n", "    act: accept\n    withdraw: request\n");
    // The first command's `- at:` line (the submission above it carries the form data).
    let line = text.lines().position(|l| l.starts_with("  - at:")).expect("a command") + 1;
    let err = Scenario::from_yaml(&text, "both.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str(), d.line as usize), (motcua::Code::InvalidCommand, "commands[0]", line));
}
