//! Any text as a procedure spec in JSON (what a server ships to browsers): a LoadError or a
//! Procedure, never a panic; every diagnostic has a code and both languages; a procedure that
//! loads gives JSON (`to_json`) that loads again into the same spec.

use super::shipped;

/// The check, on one input.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match motcua::Procedure::from_json(&text, "fuzz.json", shipped::library()) {
        Ok(procedure) => {
            let again = motcua::Procedure::from_json(&procedure.to_json(), "again.json", shipped::library())
                .expect("the JSON of a loaded procedure loads");
            assert_eq!(again.spec(), procedure.spec());
        }
        Err(err) => {
            assert!(!err.diagnostics().is_empty());
            for d in err.diagnostics() {
                assert!(!d.message.vi.is_empty() && !d.message.en.is_empty());
            }
        }
    }
}
