//! Load + compile time of every shipped spec, and the cost of one `apply`.
//!
//! Run with `cargo bench --bench engine`.

use std::path::PathBuf;

use divan::Bencher;
use motcua::{Actor, Catalogue, Command, CommandKind, Dossier, Library, Procedure, Submission};

fn main() {
    divan::main();
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("read")
}

fn library() -> Library {
    let catalogue = Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").expect("catalogue");
    let mut library = Library::new(catalogue);
    library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").expect("calendar");
    library
}

fn spec_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("specs/procedures"))
        .expect("dir")
        .map(|e| format!("specs/procedures/{}", e.expect("entry").file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// Parse, compile and lint each shipped procedure from its YAML text.
#[divan::bench(args = spec_files())]
fn load_and_compile(bencher: Bencher, file: &str) {
    let text = read(file);
    let library = library();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| Procedure::from_yaml(divan::black_box(&text), file, &library).expect("compiles"));
}

/// The catalogue alone.
#[divan::bench]
fn load_catalogue(bencher: Bencher) {
    let text = read("specs/catalogue/vietnam.yaml");
    bencher.bench(|| Catalogue::from_yaml(divan::black_box(&text), "vietnam.yaml").expect("loads"));
}

/// A shipped procedure, compiled.
fn compiled(file: &str) -> Procedure {
    Procedure::from_yaml(&read(file), file, &library()).expect("compiles")
}

/// A shipped scenario: submissions are validated, so benches borrow its valid application.
fn sample(file: &str) -> motcua::scenario::Scenario {
    motcua::scenario::Scenario::from_yaml(&read(file), file).expect("scenario")
}

fn business() -> (Procedure, Dossier) {
    let p = compiled("specs/procedures/business-registration.yaml");
    let sample = sample("tests/scenarios/business-registration-happy.yaml");
    let (d, _) = Dossier::submit(
        &p,
        Submission {
            dossier_id: "DN-1".into(),
            command_id: "s".into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").expect("time"),
            actor: Actor::citizen(),
            channel: motcua::Channel::Online,
            jurisdiction: "01".into(),
            data: sample.submit.data,
            documents: sample.submit.documents,
            allow_incomplete: false,
        },
    )
    .expect("submit");
    (p, d)
}

fn accept() -> Command {
    Command {
        id: "c1".into(),
        at: chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+07:00").expect("time"),
        actor: Actor::official("one_stop_officer", "department_finance"),
        expected_version: Some(1),
        kind: CommandKind::act("accept"),
    }
}

/// One accepted `apply` (the dossier is cloned outside the timed region).
#[divan::bench]
fn apply_accepted(bencher: Bencher) {
    let (p, d) = business();
    let command = accept();
    bencher.with_inputs(|| d.clone()).bench_local_refs(|d| d.apply(&p, divan::black_box(&command)).expect("applies"));
}

/// One refused `apply` (wrong actor): the cost of checking without changing anything.
#[divan::bench]
fn apply_rejected(bencher: Bencher) {
    let (p, mut d) = business();
    let mut command = accept();
    command.actor = Actor::citizen();
    bencher.bench_local(|| d.apply(&p, divan::black_box(&command)).unwrap_err());
}

/// Replaying a 6-event history.
#[divan::bench]
fn replay_six_events(bencher: Bencher) {
    let (p, mut d) = business();
    let steps =
        [("one_stop_officer", "accept"), ("officer", "propose"), ("leader", "sign"), ("one_stop_officer", "hand_over")];
    for (i, (role, action)) in steps.into_iter().enumerate() {
        let mut c = accept();
        c.id = format!("c{i}");
        c.actor = Actor::official(role, "department_finance");
        c.expected_version = None;
        c.kind = CommandKind::act(action);
        d.apply(&p, &c).expect("applies");
    }
    let history = d.history().to_vec();
    bencher.bench(|| Dossier::replay(&p, divan::black_box(&history)).expect("replays"));
}

/// A judicial-record request received and waiting at the look-up step.
fn judicial() -> (Procedure, Dossier) {
    let p = compiled("specs/procedures/judicial-record-certificate.yaml");
    let sample = sample("tests/scenarios/judicial-record-certificate-happy.yaml");
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time");
    let submission =
        Submission::new("LLTP-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), motcua::Channel::Online, "00004")
            .with_data(sample.submit.data, sample.submit.documents);
    let (mut d, _) = Dossier::submit(&p, submission).expect("submit");
    let mut c = accept();
    c.actor = Actor::official("one_stop_officer", "provincial_police");
    d.apply(&p, &c).expect("accepted");
    (p, d)
}

fn at_lookup(action: &str) -> Command {
    Command {
        id: "c2".into(),
        at: chrono::DateTime::parse_from_rfc3339("2026-03-03T10:00:00+07:00").expect("time"),
        actor: Actor::official("judicial_records_officer", "provincial_police"),
        expected_version: Some(2),
        kind: CommandKind::act(action),
    }
}

/// An action that records a decision selecting another deadline case: the cases are
/// evaluated and the appointment is counted again (compare `apply_without_case_change`).
#[divan::bench]
fn apply_with_case_change(bencher: Bencher) {
    let (p, d) = judicial();
    let command = at_lookup("request_verification");
    bencher.with_inputs(|| d.clone()).bench_local_refs(|d| d.apply(&p, divan::black_box(&command)).expect("applies"));
}

/// The same step of the same procedure, an action that records nothing: the peer.
#[divan::bench]
fn apply_without_case_change(bencher: Bencher) {
    let (p, d) = judicial();
    let command = at_lookup("propose");
    bencher.with_inputs(|| d.clone()).bench_local_refs(|d| d.apply(&p, divan::black_box(&command)).expect("applies"));
}
