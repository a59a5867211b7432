//! The layer rule of `ARCHITECTURE.md`, held by a test: every top-level module of `src/` has a
//! rank, and an import inside the crate only points down (to a lower or equal rank, never in a
//! cycle). Inside the crate, items are named by their module (`crate::spec::form::FormSpec`),
//! never through the root's re-exports (`crate::FormSpec`), so the rule can be read off the text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom to top. A module missing from this table fails the test: place it on purpose.
const LAYERS: &[(&str, u8)] = &[
    ("text", 0),
    ("diagnostic", 1),
    ("limits", 2),
    ("duration", 2),
    ("status", 2),
    ("document", 2),
    ("spec", 3),
    ("expr", 4),
    ("calendar", 4),
    ("form", 5),
    ("library", 6),
    // Below compile (ARCHITECTURE.md draws it above): the compiler derives each route with it,
    // and the dossier builds each envelope with it, so it must not import either.
    ("handoff", 7),
    ("compile", 8),
    ("diagram", 9),
    ("dossier", 9),
    ("version", 10),
    // Test tooling that still lives in the crate (issue 12 moves it to its own crate).
    ("scenario", 11),
];

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, rank)| *rank)
}

/// The text of a Rust file without its comments (line and block; doc comments are comments).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let (mut i, mut depth, mut in_string) = (0, 0usize, false);
    while i < bytes.len() {
        let rest = &text[i..];
        if depth == 0 && !in_string && rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if !in_string && rest.starts_with("/*") {
            depth += 1;
            i += 2;
        } else if depth > 0 && rest.starts_with("*/") {
            depth -= 1;
            i += 2;
        } else if depth > 0 {
            i += rest.chars().next().map_or(1, char::len_utf8);
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            if c == '\\' && in_string {
                out.push(' ');
                i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            if c == '"' {
                in_string = !in_string;
            }
            // Text inside string literals is not an import.
            out.push(if in_string && c != '"' { ' ' } else { c });
            i += c.len_utf8();
        }
    }
    out
}

/// The modules `code` names with `crate::`, and the root re-exports it uses (`crate::Name`).
fn references(code: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut modules, mut root_items) = (BTreeSet::new(), BTreeSet::new());
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').map(|part| part.trim().split("::").next().unwrap_or("").trim()).collect()
        } else {
            vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")]
        };
        for name in names.into_iter().filter(|name| !name.is_empty() && *name != "self") {
            if name.starts_with(char::is_uppercase)
                || name.starts_with(|c: char| c.is_lowercase()) && rank(name).is_none()
            {
                root_items.insert(name.to_owned());
            } else {
                modules.insert(name.to_owned());
            }
        }
    }
    (modules, root_items)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn imports_only_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let first = relative.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let Some(own) = rank(&module) else {
            violations.push(format!("{}: module `{module}` has no layer in tests/layers.rs", relative.display()));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(file).expect("a readable source file"));
        let (modules, root_items) = references(&code);
        for item in root_items {
            violations.push(format!(
                "{}: `crate::{item}` goes through the root; name the module it lives in",
                relative.display()
            ));
        }
        for target in modules.into_iter().filter(|target| *target != module) {
            let theirs = rank(&target).expect("references() keeps ranked modules only");
            if theirs > own {
                violations.push(format!(
                    "{}: `{module}` (layer {own}) imports `{target}` (layer {theirs}), which is above it",
                    relative.display()
                ));
            }
            graph.entry(module.clone()).or_default().insert(target);
        }
    }
    // Equal ranks may import each other only without a cycle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|seen| seen == node) {
            cycles.push(format!("cycle: {} -> {node}", path[at..].join(" -> ")));
            return;
        }
        if !done.insert(node.to_owned()) {
            return;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done, cycles);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut violations);
    }
    assert!(violations.is_empty(), "the layer rule is broken:\n{}", violations.join("\n"));
}

#[test]
fn the_reader_of_imports_sees_what_it_should() {
    let code = code_of(
        "use crate::spec::form::FormSpec; // crate::dossier in a comment\n\
         /* crate::compile in a block */ let s = \"crate::dossier\";\n\
         use crate::{text::Text, limits::Limits};\nfn f() -> crate::Code { todo!() }",
    );
    let (modules, root_items) = references(&code);
    assert_eq!(modules.into_iter().collect::<Vec<_>>(), ["limits", "spec", "text"]);
    assert_eq!(root_items.into_iter().collect::<Vec<_>>(), ["Code"]);
}
