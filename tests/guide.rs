//! The guide for policy staff (`docs/guide/vi.md`, `docs/guide/en.md`) cannot rot: every YAML
//! block in it carries a check, written as an HTML comment on the line before it, and this
//! test runs them all.
//!
//! - `<!-- check: procedure NAME -->`: a whole procedure; it loads with no error and no warning
//!   against the shipped catalogue and calendars. Later blocks refer to it by NAME.
//! - `<!-- check: scenario NAME -->`: a scenario; it runs on procedure NAME with every
//!   expectation met.
//! - `<!-- check: mistake NAME CODE -->`: a mistake, as `before` / `# →` / `after` lines:
//!   procedure NAME with `before` replaced by `after` gives a diagnostic CODE (an error or a
//!   warning), and without the change it gives none.
//! - `<!-- check: fragment -->`: a part of a file, shown to explain a field; it must be YAML.
//!
//! Both languages must check the same things: the same procedures, scenarios and mistakes.

use std::collections::BTreeMap;

use motcua::Procedure;
use motcua::scenario::Scenario;

use crate::common::{library, read};

struct Block {
    check: Vec<String>,
    text: String,
    line: usize,
}

fn blocks(file: &str) -> Vec<Block> {
    let text = read(file);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("```yaml") {
            let check = (i > 0)
                .then(|| lines[i - 1].trim())
                .and_then(|l| l.strip_prefix("<!-- check:"))
                .and_then(|l| l.strip_suffix("-->"))
                .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
                .unwrap_or_else(|| panic!("{file}:{}: a YAML block without a `<!-- check: … -->` line", i + 1));
            let start = i + 1;
            i += 1;
            let mut body = String::new();
            while !lines[i].trim_start().starts_with("```") {
                body.push_str(lines[i]);
                body.push('\n');
                i += 1;
            }
            out.push(Block { check, text: body, line: start });
        }
        i += 1;
    }
    out
}

fn codes(result: &Result<Procedure, motcua::LoadError>) -> Vec<String> {
    let diagnostics: Vec<&motcua::Diagnostic> = match result {
        Ok(p) => p.warnings().iter().collect(),
        Err(e) => e.diagnostics().iter().collect(),
    };
    diagnostics.iter().map(|d| d.code.as_str().to_owned()).collect()
}

/// What one guide checks, to compare the two languages.
fn check(file: &str) -> Vec<String> {
    let library = library();
    let mut procedures: BTreeMap<String, String> = BTreeMap::new();
    let mut done = Vec::new();
    for block in blocks(file) {
        let place = format!("{file}:{}", block.line);
        let kind: Vec<&str> = block.check.iter().map(String::as_str).collect();
        match kind.as_slice() {
            ["procedure", name] => {
                let loaded = Procedure::from_yaml(&block.text, "guide.yaml", &library);
                match &loaded {
                    Ok(p) => assert!(p.warnings().is_empty(), "{place}: warnings {:?}", codes(&loaded)),
                    Err(e) => panic!("{place}: the procedure does not load:\n{e}"),
                }
                procedures.insert((*name).to_owned(), block.text.clone());
            }
            ["scenario", name] => {
                let text = procedures.get(*name).unwrap_or_else(|| panic!("{place}: no procedure `{name}` above"));
                let procedure = Procedure::from_yaml(text, "guide.yaml", &library).unwrap();
                let scenario = Scenario::from_yaml(&block.text, "guide-scenario.yaml")
                    .unwrap_or_else(|e| panic!("{place}: the scenario does not load:\n{e}"));
                let timeline = motcua_scenario::run(&scenario, &procedure);
                assert!(timeline.failures().is_empty(), "{place}: {:#?}", timeline.failures());
                assert!(!timeline.entries().is_empty(), "{place}: a scenario with no step");
            }
            ["mistake", name, code] => {
                let text = procedures.get(*name).unwrap_or_else(|| panic!("{place}: no procedure `{name}` above"));
                let (before, after) = block
                    .text
                    .split_once("# →\n")
                    .unwrap_or_else(|| panic!("{place}: a mistake is `before`, a `# →` line, `after`"));
                assert_eq!(text.matches(before).count(), 1, "{place}: `{before}` is not once in procedure `{name}`");
                let wrong = text.replacen(before, after, 1);
                let got = codes(&Procedure::from_yaml(&wrong, "guide.yaml", &library));
                assert!(got.iter().any(|c| c == code), "{place}: expected `{code}`, got {got:?}");
            }
            ["fragment"] => {
                serde_saphyr::from_str::<serde_json::Value>(&block.text)
                    .unwrap_or_else(|e| panic!("{place}: not YAML: {e}"));
            }
            other => panic!("{place}: unknown check {other:?}"),
        }
        done.push(block.check.join(" "));
    }
    done
}

#[test]
fn every_yaml_example_of_the_guide_checks_and_both_languages_check_the_same() {
    let vi = check("docs/guide/vi.md");
    let en = check("docs/guide/en.md");
    assert!(vi.iter().filter(|c| c.starts_with("mistake")).count() >= 10, "{vi:?}");
    assert!(vi.iter().any(|c| c.starts_with("scenario")), "{vi:?}");
    assert_eq!(vi, en, "the Vietnamese and English guides check different things");
}

/// The Markdown files whose JSON examples are checked: the READMEs and the guide.
fn documentation() -> Vec<String> {
    let mut files = vec!["README.md".to_owned()];
    for dir in ["bindings", "docs"] {
        let mut stack = vec![crate::common::root().join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() && !["node_modules", "pkg", "target"].contains(&name.as_str()) {
                    stack.push(path);
                } else if name.ends_with(".md") {
                    files.push(path.strip_prefix(crate::common::root()).unwrap().to_string_lossy().into_owned());
                }
            }
        }
    }
    files.sort();
    files
}

/// Every ```json block of the documentation names the published schema it is an example of,
/// on the line before (`<!-- schema: command -->`, one of `specs/schema/runtime/`), and meets
/// it: an example that drifts from the Rust types fails here.
#[test]
fn every_json_example_of_the_documentation_meets_its_published_schema() {
    let schemas: BTreeMap<&str, String> = motcua::runtime_schemas().into_iter().collect();
    let mut checked = 0;
    for file in documentation() {
        let text = read(&file);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start() != "```json" {
                continue;
            }
            let name = (i > 0)
                .then(|| lines[i - 1].trim())
                .and_then(|l| l.strip_prefix("<!-- schema:"))
                .and_then(|l| l.strip_suffix("-->"))
                .map(str::trim)
                .unwrap_or_else(|| panic!("{file}:{}: a JSON example without a `<!-- schema: NAME -->` line", i + 1));
            let schema = schemas.get(name).unwrap_or_else(|| panic!("{file}:{}: no published schema `{name}`", i + 1));
            let body: String = lines[i + 1..]
                .iter()
                .take_while(|l| !l.trim_start().starts_with("```"))
                .map(|l| format!("{l}\n"))
                .collect();
            let value: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{file}:{}: not JSON: {e}", i + 2));
            let schema: serde_json::Value = serde_json::from_str(schema).unwrap();
            let validator = jsonschema::validator_for(&schema).unwrap();
            let problems: Vec<String> =
                validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(problems.is_empty(), "{file}:{}: not a valid {name}: {problems:#?}", i + 2);
            checked += 1;
        }
    }
    assert!(checked >= 4, "{checked} JSON examples");
}
