//! The overhead of one `apply` through the C ABI (JSON in, JSON out) against the native call.
//!
//! ```text
//! cargo bench -p motcua-c --bench apply
//! ```
//!
//! Three benches on the same dossier and command (the accept of the shipped business
//! registration, as in the core's `benches/engine.rs`), the dossier prepared outside the
//! timed region:
//! - `native`: `Dossier::apply` with a `Command` value;
//! - `native_json`: parse the command JSON, `apply`, serialize the `Applied` — what any
//!   JSON boundary costs;
//! - `c_abi`: `motcua_dossier_apply` with the same JSON, freeing the returned string.

use std::ptr;

use divan::Bencher;
use engine::{Applied, Command, Dossier, Library, Procedure, Submission};
use motcua::{
    motcua_dossier, motcua_dossier_apply, motcua_dossier_free, motcua_dossier_from_snapshot, motcua_library_new,
    motcua_procedure, motcua_procedure_compile, motcua_result, motcua_string, motcua_string_free,
};

fn main() {
    divan::main();
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).expect("read")
}

const SPEC: &str = "specs/procedures/business-registration.yaml";
const COMMAND: &str = r#"{"id":"c1","at":"2026-03-02T10:00:00+07:00","actor":{"role":"one_stop_officer","agency":"department_finance"},"expected_version":1,"type":"act","action":"accept"}"#;

fn native_setup() -> (Procedure, Dossier) {
    let catalogue =
        engine::Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").expect("catalogue");
    let mut library = Library::new(catalogue);
    library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").expect("calendar");
    let procedure = Procedure::from_yaml(&read(SPEC), SPEC, &library).expect("compiles");
    let submission: Submission =
        serde_json::from_str(&read("bindings/c/tests/data/business-registration-submission.json")).expect("fixture");
    let (dossier, _) = Dossier::submit(&procedure, submission).expect("submit");
    (procedure, dossier)
}

#[divan::bench]
fn native(bencher: Bencher) {
    let (p, d) = native_setup();
    let command: Command = serde_json::from_str(COMMAND).expect("command");
    bencher.with_inputs(|| d.clone()).bench_local_refs(|d| d.apply(&p, divan::black_box(&command)).expect("applies"));
}

#[divan::bench]
fn native_json(bencher: Bencher) {
    let (p, d) = native_setup();
    bencher.with_inputs(|| d.clone()).bench_local_refs(|d| {
        let command: Command = serde_json::from_str(divan::black_box(COMMAND)).expect("command");
        let applied: Applied = d.apply(&p, &command).expect("applies");
        serde_json::to_string(&applied).expect("json")
    });
}

/// Owned C handles, freed when divan drops them (outside the timed region).
struct CDossier(*mut motcua_dossier);
impl Drop for CDossier {
    fn drop(&mut self) {
        // SAFETY: a live dossier from `motcua_dossier_from_snapshot`, freed once.
        unsafe { motcua_dossier_free(self.0) }
    }
}
struct CString(*mut motcua_string);
impl Drop for CString {
    fn drop(&mut self) {
        // SAFETY: a live string from `motcua_dossier_apply`, freed once.
        unsafe { motcua_string_free(self.0) }
    }
}
struct CProcedure(*mut motcua_procedure);

#[divan::bench]
fn c_abi(bencher: Bencher) {
    let (_, d) = native_setup();
    let snapshot = serde_json::to_string(&d).expect("snapshot");
    let (catalogue, spec) = (read("specs/catalogue/vietnam.yaml"), read(SPEC));
    let procedure = {
        let mut library = ptr::null_mut();
        let mut p = ptr::null_mut();
        let calendar = read("specs/calendars/vn-gov.yaml");
        // SAFETY: every pointer and length comes from a live Rust string or local.
        unsafe {
            assert_eq!(
                motcua_library_new(
                    catalogue.as_ptr().cast(),
                    catalogue.len(),
                    c"v".as_ptr(),
                    1,
                    &mut library,
                    ptr::null_mut()
                ),
                motcua_result::Ok
            );
            let r = motcua::motcua_library_add_calendar(
                library,
                calendar.as_ptr().cast(),
                calendar.len(),
                c"c".as_ptr(),
                1,
                ptr::null_mut(),
            );
            assert_eq!(r, motcua_result::Ok);
            let r = motcua_procedure_compile(
                library,
                spec.as_ptr().cast(),
                spec.len(),
                c"s".as_ptr(),
                1,
                &mut p,
                ptr::null_mut(),
            );
            assert_eq!(r, motcua_result::Ok);
            motcua::motcua_library_free(library);
        }
        CProcedure(p)
    };
    bencher
        .with_inputs(|| {
            let mut d = ptr::null_mut();
            // SAFETY: pointer and length of a live Rust string.
            let r = unsafe {
                motcua_dossier_from_snapshot(
                    procedure.0,
                    snapshot.as_ptr().cast(),
                    snapshot.len(),
                    ptr::null(),
                    0,
                    &mut d,
                    ptr::null_mut(),
                )
            };
            assert_eq!(r, motcua_result::Ok);
            CDossier(d)
        })
        .bench_local_refs(|d| {
            let mut applied = ptr::null_mut();
            let command = divan::black_box(COMMAND);
            // SAFETY: live handles, a live Rust string, a local out pointer.
            let r = unsafe {
                motcua_dossier_apply(
                    d.0,
                    procedure.0,
                    command.as_ptr().cast(),
                    command.len(),
                    &mut applied,
                    ptr::null_mut(),
                )
            };
            assert_eq!(r, motcua_result::Ok);
            CString(applied)
        });
    // SAFETY: the live procedure compiled above, freed once.
    unsafe { motcua::motcua_procedure_free(procedure.0) };
}
