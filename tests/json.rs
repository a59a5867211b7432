//! JSON specs: every shipped file goes YAML → JSON → `from_json` and comes back the same
//! spec, with the same warnings and the same behaviour; JSON mistakes are placed in the JSON.

use motcua::scenario::Scenario;
use motcua::{Calendars, Catalogue, Code, Diagnostic, Library, Procedure};

use crate::common::{library, procedure_files, read, root};

/// The shipped calendars' ids, a parent before the calendar extending it.
const CALENDARS: [&str; 2] = ["vn-gov", "vn-example-province"];

/// The shipped catalogue and calendars, loaded from the JSON their YAML gives.
fn json_library() -> Library {
    let yaml = library();
    let catalogue = Catalogue::from_json(&yaml.catalogue().to_json(), "vietnam.json").unwrap_or_else(|e| panic!("{e}"));
    let mut library = Library::new(catalogue);
    for id in CALENDARS {
        let json = yaml.calendar(id).expect("shipped calendar").to_json();
        library.add_calendar_json(&json, &format!("{id}.json")).unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    library
}

/// What a warning says, without where (the JSON text has other lines and columns).
fn said(diagnostics: &[Diagnostic]) -> Vec<(Code, String, String)> {
    diagnostics.iter().map(|d| (d.code, d.path.clone(), d.message.en.clone())).collect()
}

#[test]
fn the_shipped_catalogue_and_calendars_round_trip_through_json() {
    let yaml = library();
    let catalogue = yaml.catalogue();
    let again = Catalogue::from_json(&catalogue.to_json(), "vietnam.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.spec(), catalogue.spec());
    assert_eq!(again.to_json(), catalogue.to_json());

    let mut set = Calendars::new();
    for id in CALENDARS {
        let file = format!("{id}.json");
        let original = yaml.calendar(id).expect("loaded");
        let json = original.to_json();
        set.insert_json(&json, &file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let again = set.get(id).expect("inserted");
        assert_eq!(again.spec(), original.spec(), "{file}");
        assert_eq!(again.to_json(), json, "{file}");
        // The same working days: the compiled calendars agree on every covered day.
        assert_eq!((again.covers(), again.day_minutes()), (original.covers(), original.day_minutes()), "{file}");
        let (first, last) = original.covers();
        let mut day = chrono::NaiveDate::from_ymd_opt(first, 1, 1).expect("date");
        while day <= chrono::NaiveDate::from_ymd_opt(last, 12, 31).expect("date") {
            assert_eq!(again.is_working_day(day), original.is_working_day(day), "{file}: {day}");
            day = day.succ_opt().expect("next day");
        }
    }
}

#[test]
fn every_shipped_procedure_round_trips_through_json_with_the_same_warnings() {
    let (yaml_library, json_library) = (library(), json_library());
    for file in procedure_files() {
        let from_yaml = Procedure::from_yaml(&read(&file), &file, &yaml_library).unwrap_or_else(|e| panic!("{e}"));
        let json = from_yaml.to_json();
        let from_json = Procedure::from_json(&json, &file.replace(".yaml", ".json"), &json_library)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(from_json.spec(), from_yaml.spec(), "{file}");
        assert_eq!(from_json.to_json(), json, "{file}");
        assert_eq!(said(from_json.warnings()), said(from_yaml.warnings()), "{file}");
        let ids = |p: &Procedure| p.steps().iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&from_json), ids(&from_yaml), "{file}");
        assert_eq!(motcua::diagram::mermaid(&from_json, "vi"), motcua::diagram::mermaid(&from_yaml, "vi"), "{file}");
    }
}

#[test]
fn a_procedure_with_warnings_keeps_them_in_json() {
    // An unreachable step is a warning; it must survive the trip, placed in the JSON.
    let text = read("specs/procedures/business-registration.yaml")
        .replace("\noutcomes:", "\n  orphan:\n    name: {vi: Bước lẻ}\n    agency: department_finance\n    role: one_stop_officer\n    actions:\n      close: {to: issued}\noutcomes:");
    let from_yaml = Procedure::from_yaml(&text, "orphan.yaml", &library()).unwrap_or_else(|e| panic!("{e}"));
    assert!(from_yaml.warnings().iter().any(|d| d.code == Code::UnreachableStep), "{:?}", from_yaml.warnings());
    let json = serde_json::to_string_pretty(from_yaml.spec()).expect("serializes");
    let from_json = Procedure::from_json(&json, "orphan.json", &json_library()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(said(from_json.warnings()), said(from_yaml.warnings()));
    let d = from_json.warnings().iter().find(|d| d.code == Code::UnreachableStep).expect("the warning");
    let line = json.lines().position(|l| l.trim_start().starts_with("\"orphan\":")).expect("the step") + 1;
    assert_eq!((d.file.as_str(), d.line as usize, d.column), ("orphan.json", line, 5));
}

#[test]
fn every_scenario_behaves_the_same_on_the_json_procedure() {
    let (yaml_library, json_library) = (library(), json_library());
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/scenarios"))
        .expect("tests/scenarios")
        .map(|e| format!("tests/scenarios/{}", e.expect("entry").file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    for file in files {
        let scenario = Scenario::from_yaml(&read(&file), &file).unwrap_or_else(|e| panic!("{e}"));
        let from_yaml = Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &yaml_library)
            .unwrap_or_else(|e| panic!("{e}"));
        let from_json = Procedure::from_json(&from_yaml.to_json(), "p.json", &json_library)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let (a, b) = (scenario.run(&from_yaml), scenario.run(&from_json));
        assert!(b.failures().is_empty(), "{file}:\n{}", b.failures().join("\n"));
        assert_eq!(b.entries(), a.entries(), "{file}");
        assert_eq!(b.dossier(), a.dossier(), "{file}");
        assert_eq!(b.render(&from_json, "en"), a.render(&from_yaml, "en"), "{file}");
        // A history written under one replays under the other.
        if let Some(dossier) = a.dossier() {
            let replayed = motcua::Dossier::replay(&from_json, dossier.history()).expect("replay");
            assert_eq!(&replayed, dossier, "{file}");
        }
    }
}

#[test]
fn shipped_specs_as_json_validate_against_the_committed_schemas() {
    let yaml = library();
    let mut documents = vec![("catalogue", yaml.catalogue().to_json())];
    for id in CALENDARS {
        documents.push(("calendar", yaml.calendar(id).expect("shipped calendar").to_json()));
    }
    for file in procedure_files() {
        documents.push(("procedure", crate::common::procedure(&file).to_json()));
    }
    for (kind, json) in documents {
        let schema: serde_json::Value =
            serde_json::from_str(&read(format!("specs/schema/{kind}.schema.json"))).expect("schema is JSON");
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let instance: serde_json::Value = serde_json::from_str(&json).expect("to_json gives JSON");
        let errors: Vec<String> =
            validator.iter_errors(&instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{kind}: {errors:#?}");
    }
}

#[test]
fn a_lint_error_in_json_is_placed_at_its_json_line_column_and_path() {
    let procedure = crate::common::procedure("specs/procedures/business-registration.yaml");
    let json = serde_json::to_string_pretty(procedure.spec()).expect("serializes").replacen(
        "\"agency\": \"department_finance\"",
        "\"agency\": \"department_finanse\"",
        1,
    );
    let err = Procedure::from_json(&json, "business-registration.json", &json_library()).unwrap_err();
    let d = &err.diagnostics()[0];
    let (line, text) = json.lines().enumerate().find(|(_, l)| l.contains("department_finanse")).expect("the typo");
    let column = text[..text.find("\"department_finanse\"").expect("value")].chars().count() + 1;
    assert_eq!(d.code, Code::UnknownAgency);
    assert_eq!((d.file.as_str(), d.line as usize, d.column as usize), ("business-registration.json", line + 1, column));
    assert_eq!(d.path, "steps.receive.agency");
}

#[test]
fn json_mistakes_get_the_yaml_codes_and_json_places() {
    let procedure = crate::common::procedure("specs/procedures/business-registration.yaml");
    let json = serde_json::to_string_pretty(procedure.spec()).expect("serializes");
    let library = json_library();
    let first = |text: &str| -> Diagnostic {
        Procedure::from_json(text, "p.json", &library).unwrap_err().diagnostics()[0].clone()
    };
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).expect(needle) as u32 + 1;

    let typo = json.replacen("\"legal_deadline\"", "\"legal_deadlin\"", 1);
    let d = first(&typo);
    assert_eq!(
        (d.code, d.path.as_str(), d.line),
        (Code::UnknownField, "legal_deadlin", line_of(&typo, "legal_deadlin"))
    );

    let duration = json.replacen("\"legal_deadline\": \"3d\"", "\"legal_deadline\": \"3 days\"", 1);
    let d = first(&duration);
    assert_eq!((d.code, d.path.as_str()), (Code::InvalidValue, "legal_deadline"));
    assert_eq!(d.line, line_of(&duration, "3 days"));

    let kind = json.replacen("\"kind\": \"result_issued\"", "\"kind\": \"result_isued\"", 1);
    let d = first(&kind);
    assert_eq!((d.code, d.path.as_str()), (Code::InvalidValue, "outcomes.issued.kind"));

    let twice = json.replacen("\"code\":", "\"code\": \"x\",\n  \"code\":", 1);
    let d = first(&twice);
    assert_eq!((d.code, d.path.as_str(), d.line), (Code::DuplicateKey, "code", line_of(&twice, "\"code\": \"x\"") + 1));
    assert_eq!(d.column, 3);

    let d = first(&json.replacen(',', "", 1));
    assert_eq!((d.code, d.line), (Code::JsonSyntax, 3));

    // The YAML text itself is not JSON.
    let d = first(&read("specs/procedures/business-registration.yaml"));
    assert_eq!((d.code, d.line, d.column), (Code::JsonSyntax, 1, 1));
}

#[test]
fn an_expression_error_is_placed_inside_its_json_string_even_after_escapes() {
    let file = "specs/procedures/birth-registration-residence-insurance.yaml";
    let procedure = crate::common::procedure(file);
    // `"` inside the expression is escaped in JSON (`\"`): the caret must still land on the typo.
    let json = serde_json::to_string_pretty(procedure.spec()).expect("serializes").replacen(
        "\"required_if\": \"age_years(birth_date) >= 14\"",
        "\"required_if\": \"relationship != \\\"x\\\" and age_yeers(birth_date) >= 14\"",
        1,
    );
    let err = Procedure::from_json(&json, "birth.json", &json_library()).unwrap_err();
    let d = &err.diagnostics()[0];
    let (line, text) = json.lines().enumerate().find(|(_, l)| l.contains("age_yeers")).expect("the typo");
    let column = text[..text.find("age_yeers").expect("typo")].chars().count() + 1;
    assert_eq!((d.line as usize, d.column as usize), (line + 1, column), "{d:?}");
    assert!(d.path.ends_with(".required_if"), "{d:?}");
}
