//! JSON specs: every shipped file goes YAML → JSON → `from_json` and comes back the same
//! spec, with the same warnings and the same behaviour; JSON mistakes are placed in the JSON.

use motcua::{Calendars, Catalogue, Code, Diagnostic, Library, Procedure};

use crate::common::{library, procedure_files, read, scenarios};

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

/// A shipped procedure as indented JSON, with the first `from` replaced by `to`.
fn pretty_json_with(file: &str, from: &str, to: &str) -> String {
    let json = serde_json::to_string_pretty(crate::common::procedure(file).spec()).expect("serializes");
    assert!(json.contains(from), "{from}");
    json.replacen(from, to, 1)
}

/// The 1-based line and character column where `needle` first stands in `text`.
fn place_of(text: &str, needle: &str) -> (u32, u32) {
    let (line, l) = text.lines().enumerate().find(|(_, l)| l.contains(needle)).expect(needle);
    let column = l[..l.find(needle).expect(needle)].chars().count() + 1;
    (line as u32 + 1, column as u32)
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
        let ids = |p: &Procedure| p.steps().iter().map(|s| s.id().to_owned()).collect::<Vec<_>>();
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
    for (file, scenario) in scenarios() {
        let from_yaml = Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &yaml_library)
            .unwrap_or_else(|e| panic!("{e}"));
        let from_json = Procedure::from_json(&from_yaml.to_json(), "p.json", &json_library)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let (a, b) = (motcua_scenario::run(&scenario, &from_yaml), motcua_scenario::run(&scenario, &from_json));
        assert!(b.failures().is_empty(), "{file}:\n{}", b.failures().join("\n"));
        assert_eq!(b.entries(), a.entries(), "{file}");
        assert_eq!(b.dossier(), a.dossier(), "{file}");
        // What a timeline shows of the steps (their names) is the same too.
        let names = |p: &Procedure| p.steps().iter().map(|s| s.name().clone()).collect::<Vec<_>>();
        assert_eq!(names(&from_json), names(&from_yaml), "{file}");
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
    let json = pretty_json_with(
        "specs/procedures/business-registration.yaml",
        "\"agency\": \"department_finance\"",
        "\"agency\": \"department_finanse\"",
    );
    let err = Procedure::from_json(&json, "business-registration.json", &json_library()).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str()), (Code::UnknownAgency, "steps.receive.agency"));
    assert_eq!(
        (d.file.as_str(), (d.line, d.column)),
        ("business-registration.json", place_of(&json, "\"department_finanse\""))
    );
}

#[test]
fn json_mistakes_get_the_yaml_codes_and_json_places() {
    let library = json_library();
    let first = |text: &str| -> Diagnostic {
        Procedure::from_json(text, "p.json", &library).unwrap_err().diagnostics()[0].clone()
    };
    let business = "specs/procedures/business-registration.yaml";
    let check = |from: &str, to: &str, code: Code, path: &str, at: &str| {
        let json = pretty_json_with(business, from, to);
        let d = first(&json);
        assert_eq!((d.code, d.path.as_str(), (d.line, d.column)), (code, path, place_of(&json, at)), "{to}");
    };
    check("\"legal_deadline\"", "\"legal_deadlin\"", Code::UnknownField, "legal_deadlin", "\"legal_deadlin\"");
    check(
        "\"legal_deadline\": \"3d\"",
        "\"legal_deadline\": \"3 days\"",
        Code::InvalidValue,
        "legal_deadline",
        "\"3 days\"",
    );
    check("\"result_issued\"", "\"result_isued\"", Code::InvalidValue, "outcomes.issued.kind", "\"result_isued\"");
    check(
        "\"code\": \"2.001610\"",
        "\"code\": \"x\",\n  \"code\": \"y\"",
        Code::DuplicateKey,
        "code",
        "\"code\": \"y\"",
    );
    check("\"motcua\": 1", "\"motcua\": \"1\"", Code::InvalidType, "motcua", "\"1\"");

    let d = first(&pretty_json_with(business, ",", ""));
    assert_eq!((d.code, d.line), (Code::JsonSyntax, 3));
    // The YAML text itself is not JSON.
    let d = first(&read(business));
    assert_eq!((d.code, d.line, d.column), (Code::JsonSyntax, 1, 1));
}

#[test]
fn an_expression_error_is_placed_inside_its_json_string_even_after_escapes() {
    // `"` inside the expression is escaped in JSON (`\"`): the caret must still land on the typo.
    let json = pretty_json_with(
        "specs/procedures/birth-registration-residence-insurance.yaml",
        "\"required_if\": \"age_years(birth_date) >= 14\"",
        "\"required_if\": \"relationship != \\\"x\\\" and age_yeers(birth_date) >= 14\"",
    );
    let err = Procedure::from_json(&json, "birth.json", &json_library()).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.line, d.column), place_of(&json, "age_yeers"), "{d:?}");
    assert!(d.path.ends_with(".required_if"), "{d:?}");
}
