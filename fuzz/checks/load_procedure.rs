//! Any text as a procedure spec: a LoadError or a Procedure, never a panic; every
//! diagnostic has a code and both languages.

use super::shipped;

/// The check, on one input.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match motcua::Procedure::from_yaml(&text, "fuzz.yaml", shipped::library()) {
        Ok(procedure) => assert!(!procedure.steps().is_empty()),
        Err(err) => {
            assert!(!err.diagnostics().is_empty());
            for d in err.diagnostics() {
                assert!(!d.message.vi.is_empty() && !d.message.en.is_empty());
            }
        }
    }
}
