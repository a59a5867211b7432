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
        let timeline = motcua_scenario::run(&scenario, &procedure);
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
    let timeline = motcua_scenario::run(&scenario, &procedure);
    assert_eq!(timeline.failures(), ["commands[0] (accept): expected status 4, got 2"]);
}

/// Each key of `expect.closure` and `expect.problems` is compared: a wrong one is a failure
/// of its line.
#[test]
fn a_wrong_closure_kind_or_problem_list_is_reported_with_its_line() {
    let procedure = crate::common::procedure("specs/procedures/business-registration.yaml");
    let text = read("tests/scenarios/business-registration-happy.yaml");
    let scenario = Scenario::from_yaml(&text, "happy.yaml").expect("loads");
    assert!(motcua_scenario::run(&scenario, &procedure).failures().is_empty());
    let wrong = text
        .replacen("closure: {outcome: issued}", "closure: {outcome: issued, kind: refused, cancelled: [review]}", 1)
        .replacen("expect: {status: 1", "expect: {problems: [\"$.owner missing\"], status: 1", 1);
    let failures = motcua_scenario::run(&Scenario::from_yaml(&wrong, "wrong.yaml").expect("loads"), &procedure)
        .failures()
        .to_vec();
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert!(failures[0].starts_with("submit: expected problems [\"$.owner missing\"], got []"), "{failures:#?}");
    assert!(
        failures[1].contains("(hand_over): expected closure kind Some(Refused), got ResultIssued"),
        "{failures:#?}"
    );
    assert!(failures[2].contains("(hand_over): expected cancelled Some([\"review\"]), got []"), "{failures:#?}");
}

#[test]
fn a_line_with_both_a_command_and_an_advance_is_a_placed_error() {
    let text = read("tests/scenarios/business-registration-happy.yaml").replacen(
        "  - command:\n",
        "  - advance: {at: 2026-03-02T10:00:00+07:00}\n    command:\n",
        1,
    );
    // The first line of `commands:` (the submission above it carries the form data).
    let line = text.lines().position(|l| l.starts_with("  - advance:")).expect("a line") + 1;
    let err = Scenario::from_yaml(&text, "both.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str(), d.line as usize), (motcua::Code::InvalidCommand, "commands[0]", line));
}

/// A command is the API's: a key its `type` does not have is an unknown field at its line,
/// though serde cannot refuse it inside the flattened kind.
#[test]
fn a_key_the_command_type_does_not_have_is_refused_at_its_line() {
    let text = read("tests/scenarios/business-registration-happy.yaml").replacen(
        "      action: accept\n",
        "      action: accept\n      reason: vội\n",
        1,
    );
    let line = text.lines().position(|l| l == "      reason: vội").expect("inserted") + 1;
    let err = Scenario::from_yaml(&text, "extra.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(
        (d.code, d.path.as_str(), d.line as usize, d.column),
        (motcua::Code::UnknownField, "commands[0].command.reason", line, 7)
    );
    assert!(d.message.en.contains("`act` command has no key `reason`"), "{}", d.message.en);
    // The same key is a command's own for a withdrawal request.
    let request = read("tests/scenarios/business-registration-withdrawn.yaml");
    assert!(request.contains("type: request_withdrawal\n      reason:"), "the fixture changed");
    Scenario::from_yaml(&request, "withdrawn.yaml").expect("loads");
}

/// Every line of every shipped scenario is an API call as it stands: the submission and each
/// command, serialized, meet the published schemas (`specs/schema/runtime/`). (That every
/// accepted official names the right administrative unit, which the runner no longer
/// assumes, is what `every_scenario_passes_and_replays_with_units` shows.)
#[test]
fn every_shipped_scenario_is_made_of_api_calls_in_the_published_shapes() {
    let schemas: BTreeMap<&str, String> = motcua::runtime_schemas().into_iter().collect();
    let validator = |name: &str| {
        let schema: serde_json::Value = serde_json::from_str(&schemas[name]).expect("schema");
        jsonschema::validator_for(&schema).expect("validator")
    };
    let (submission, command) = (validator("submission"), validator("command"));
    let mut commands = 0;
    for (file, scenario) in crate::common::all_scenarios() {
        let submit = serde_json::to_value(&scenario.submit).unwrap();
        let errors: Vec<String> = submission.iter_errors(&submit).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: submit: {errors:?}");
        for (i, line) in scenario.commands.iter().enumerate() {
            let Some(c) = &line.command else { continue };
            let value = serde_json::to_value(c).unwrap();
            let errors: Vec<String> = command.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{file}: commands[{i}]: {errors:?}");
            commands += 1;
        }
    }
    assert!(commands > 150, "{commands} commands");
}

/// A scenario of the first format is refused with its own code and the way to convert it;
/// converted, it is the shipped scenario it became.
#[test]
fn a_first_format_scenario_is_refused_and_converts_to_the_shipped_one() {
    let old = read("bindings/cli/tests/first-format/scenarios/business-registration-happy.yaml");
    let err = Scenario::from_yaml(&old, "old.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.line), (motcua::Code::OldScenarioFormat, 1));
    assert!(d.message.en.contains("motcua json --upgrade"), "{}", d.message.en);
    let converted = Scenario::from_legacy_yaml(&old, "old.yaml").expect("first format");
    let procedure = crate::common::procedure_with_units("specs/procedures/business-registration.yaml");
    let filled = motcua_scenario::fill_units(&converted, &procedure, &mut |_, _| Err("no versions".into()));
    let shipped = Scenario::from_yaml(&read("tests/scenarios/business-registration-happy.yaml"), "happy.yaml").unwrap();
    assert_eq!(filled, shipped);
    // Units are written only where the old runner assumed them: before filling, none.
    assert!(converted.commands.iter().filter_map(|l| l.command.as_ref()).all(|c| c.actor.unit.is_none()));
}
