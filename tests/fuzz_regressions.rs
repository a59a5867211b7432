//! Every input kept under `fuzz/regressions/<target>/` replayed through the same check its fuzz
//! target runs (`fuzz/checks/`, compiled into this binary too): a crasher found once stays a
//! test, on stable Rust and on every run of the test command, not only when someone fuzzes.

#[path = "../fuzz/checks/mod.rs"]
mod checks;

use std::path::Path;

#[test]
fn every_kept_fuzz_input_passes_its_targets_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in checks::TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let bytes = std::fs::read(&path).expect("a readable input");
            // A panic here names the input: replay it with `cargo fuzz run <target> <file>`.
            eprintln!("replaying {}", path.display());
            checks::replay(target, &bytes);
            replayed += 1;
        }
    }
    // The folder is committed with inputs for every target; an empty run means a broken path.
    assert!(replayed >= checks::TARGETS.len(), "only {replayed} inputs under {}", root.display());
}

#[test]
fn the_kept_inputs_of_past_holes_are_refused_with_their_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/load_procedure");
    for (file, code) in
        [("typo-national-database.yaml", "unknown_database"), ("absurd-repeat-maximum.yaml", "limit_exceeded")]
    {
        let text = std::fs::read_to_string(root.join(file)).expect("a kept input");
        let err = motcua::Procedure::from_yaml(&text, file, checks::shipped::library())
            .expect_err("a past hole must not load again");
        let codes: Vec<&str> = err.errors().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&code), "{file}: {codes:?}");
    }
}
