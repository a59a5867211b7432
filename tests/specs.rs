//! Every shipped spec loads clean, carries the schema modeline, and the committed JSON
//! Schemas match the Rust types.

use crate::common::{procedure_files, read, root};

#[test]
fn every_shipped_procedure_loads_without_errors_or_warnings() {
    let library = crate::common::library();
    let files = procedure_files();
    assert!(files.len() >= 4, "expected at least four shipped procedures, found {files:?}");
    for file in files {
        let procedure = motcua::Procedure::from_yaml(&read(&file), &file, &library)
            .unwrap_or_else(|e| panic!("{file} does not load:\n{e}"));
        assert!(procedure.warnings().is_empty(), "{file} has warnings: {:?}", procedure.warnings());
        assert!(!procedure.spec().legal_basis.is_empty(), "{file} cites no legal basis");
    }
}

#[test]
fn every_spec_starts_with_the_schema_modeline() {
    let mut files = procedure_files();
    files.push("specs/catalogue/vietnam.yaml".into());
    files.push("specs/calendars/vn-gov.yaml".into());
    files.push("specs/calendars/example-province.yaml".into());
    files.push("specs/units/vietnam.yaml".into());
    for file in files {
        let first = read(&file).lines().next().unwrap_or_default().to_owned();
        let schema =
            ["catalogue", "calendar", "units", "procedure"].into_iter().find(|s| file.contains(s)).unwrap_or_default();
        assert_eq!(first, format!("# yaml-language-server: $schema=../schema/{schema}.schema.json"), "{file}");
    }
}

#[test]
fn committed_json_schemas_are_up_to_date() {
    let runtime = motcua::runtime_schemas()
        .into_iter()
        .map(|(name, schema)| (format!("specs/schema/runtime/{name}.schema.json"), schema));
    for (file, fresh) in [
        ("specs/schema/procedure.schema.json".to_owned(), motcua::spec::procedure_schema()),
        ("specs/schema/catalogue.schema.json".to_owned(), motcua::spec::catalogue_schema()),
        ("specs/schema/calendar.schema.json".to_owned(), motcua::spec::calendar_schema()),
        ("specs/schema/units.schema.json".to_owned(), motcua::spec::units_schema()),
        ("specs/schema/migration.schema.json".to_owned(), motcua::spec::migration_schema()),
        ("specs/schema/scenario.schema.json".to_owned(), motcua::scenario::schema()),
    ]
    .into_iter()
    .chain(runtime)
    {
        let path = root().join(&file);
        if std::env::var_os("MOTCUA_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().expect("folder")).expect("schema folder");
            std::fs::write(&path, &fresh).expect("write schema");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{file} is stale: regenerate it with `MOTCUA_BLESS=1 cargo test --test integration committed_json_schemas`"
        );
    }
}

/// Every shipped scenario names the scenario schema on its first line (the path relative to
/// the file, so an editor finds it) and meets it: the schema says what the runner reads.
#[test]
fn every_shipped_scenario_names_and_meets_the_scenario_schema() {
    let schema: serde_json::Value = serde_json::from_str(&motcua::scenario::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the scenario schema compiles");
    let mut checked = 0;
    for dir in ["tests/scenarios", "tests/superseded/scenarios", "tests/migrations/scenarios"] {
        let depth = dir.matches('/').count() + 1;
        let modeline =
            format!("# yaml-language-server: $schema={}specs/schema/scenario.schema.json", "../".repeat(depth));
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(text.lines().next(), Some(modeline.as_str()), "{}: the first line", path.display());
            let value: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
            let problems: Vec<String> =
                validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
            assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} scenarios");
    // And the schema is not vacuous: a scenario with a misspelt key fails it.
    let wrong: serde_json::Value =
        serde_saphyr::from_str("procedure: p.yaml\nname: {vi: a, en: b}\nsubmit: {dossier_id: X, at: 2026-03-02T09:00:00+07:00, actor: {role: citizen}, jurisdiction: \"01\"}\ncomands: []\n").unwrap();
    assert!(!validator.is_valid(&wrong), "a misspelt key passes the schema");
}

#[test]
fn diagrams_draw_every_step_lane_and_hand_off_kind() {
    let p = crate::common::procedure("specs/procedures/land-first-certificate.yaml");
    let mermaid = motcua::diagram::mermaid(&p, "en");
    for step in p.steps() {
        assert!(mermaid.contains(&format!("s_{}[", step.id())), "step {} missing", step.id());
    }
    for outcome in p.outcomes() {
        assert!(mermaid.contains(&format!("o_{}([", outcome.id())), "outcome {} missing", outcome.id());
    }
    // The land procedure goes up to the province, across to tax, and back down.
    assert!(mermaid.contains("-.->") && mermaid.contains(" ↑") && mermaid.contains(" ↓"), "{mermaid}");
    assert!(mermaid.contains("==>"), "horizontal hand-off to the tax authority");
    assert!(mermaid.contains("subgraph applicant"), "the applicant's own lane");
    let dot = motcua::diagram::dot(&p, "vi");
    assert_eq!(dot.matches("subgraph cluster_").count(), mermaid.matches("  subgraph ").count());
    assert_eq!(dot.matches(" -> ").count(), mermaid.matches("|\"").count());
    assert!(dot.trim_end().ends_with('}'));
}

#[test]
fn every_hand_off_target_in_the_shipped_specs_declares_what_it_receives() {
    for file in crate::common::procedure_files() {
        let p = crate::common::procedure(&file);
        for step in p.steps() {
            for action in step.actions() {
                for route in action.handoffs() {
                    let to = p.step_by_id(&route.to_step).expect("the route's step");
                    // Returning results to the agency that received the dossier needs no personal data.
                    let returning = to.agency() == p.start().agency();
                    assert!(
                        returning || !to.receives().fields.is_empty(),
                        "{file}: {} → {} ({}) hands off with no declared `receives`",
                        step.id(),
                        to.id(),
                        route.to_agency
                    );
                }
            }
        }
    }
}

/// Every result the shipped scenarios produce (submission, commands, events, effects,
/// snapshots, rejections) validates against the committed runtime schemas.
#[test]
fn scenario_results_validate_against_the_runtime_schemas() {
    let schema = |name: &str| {
        let text = read(format!("specs/schema/runtime/{name}.schema.json"));
        let value: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
        jsonschema::validator_for(&value).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (event, effect, dossier, rejection, applied) =
        (schema("event"), schema("effect"), schema("dossier"), schema("rejection"), schema("applied"));
    let library = crate::common::library_with_units();
    let mut checked = 0usize;
    for (file, scenario) in crate::common::scenarios() {
        let procedure = motcua::Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &library)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let timeline = motcua_scenario::run(&scenario, &procedure);
        let d = timeline.dossier().expect("submitted");
        let check = |v: &jsonschema::Validator, value: serde_json::Value, what: &str| {
            let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{file}: {what}: {errors:?}");
        };
        check(&dossier, serde_json::to_value(d).expect("json"), "dossier");
        for e in d.history() {
            check(&event, serde_json::to_value(e).expect("json"), "event");
        }
        for entry in timeline.entries() {
            match &entry.result {
                motcua_scenario::EntryResult::Applied(effects) => {
                    for fx in effects {
                        check(&effect, serde_json::to_value(fx).expect("json"), "effect");
                    }
                }
                motcua_scenario::EntryResult::Rejected(r) => {
                    check(&rejection, serde_json::to_value(r).expect("json"), "rejection")
                }
            }
            checked += 1;
        }
        let a = motcua::Applied {
            events: d.history()[..1].to_vec(),
            effects: Vec::new(),
            duplicate: true,
            problems: Vec::new(),
        };
        check(&applied, serde_json::to_value(&a).expect("json"), "applied");
    }
    assert!(checked > 100, "only {checked} results checked");
    // And the schemas refuse what the engine never produces.
    assert!(!effect.is_valid(&serde_json::json!({"key": "k", "type": "no_such_effect"})));
    assert!(!rejection.is_valid(&serde_json::json!({"code": "forbidden"})));
}
