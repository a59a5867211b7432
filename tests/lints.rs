//! Every load error and lint points at the right line and column, with its code and path.
//!
//! Each case edits a small valid procedure and names the token the diagnostic must point
//! at; the expected line and column are where that token stands in the edited text.

use motcua::{Code, Diagnostic, Label, Position, Procedure, Severity};

pub(crate) const BASE: &str = r#"# yaml-language-server: $schema=../schema/procedure.schema.json
motcua: 1
catalogue: vietnam
code: "T.0001"
name: {vi: Thủ tục thử, en: Test procedure}
version: "1"
valid_from: 2025-07-01
legal_basis: [{document: Luật thử nghiệm}]
sector: {vi: Thử nghiệm}
service_mode: full_online
channels: [online]
legal_deadline: 3d
calendar: vn-gov
steps:
  receive:
    name: {vi: Tiếp nhận}
    agency: commune_committee
    role: one_stop_officer
    budget: 1d
    actions:
      accept: {to: review}
  review:
    name: {vi: Xử lý}
    agency: commune_committee
    role: officer
    budget: 1d
    actions:
      approve: {to: issued}
outcomes:
  issued: {name: {vi: Đã trả kết quả}, kind: result_issued}
"#;

/// Loads `text`, returning every diagnostic (errors and warnings).
pub(crate) fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match Procedure::from_yaml(text, "test.yaml", &crate::common::library()) {
        Ok(p) => p.warnings().to_vec(),
        Err(e) => e.into_diagnostics(),
    }
}

/// 1-based line and column (in characters) of the `nth` occurrence of `token`.
pub(crate) fn place(text: &str, token: &str, nth: usize) -> (u32, u32) {
    let offset = text.match_indices(token).nth(nth).unwrap_or_else(|| panic!("`{token}` #{nth} not in text")).0;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, column as u32)
}

pub(crate) fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "`{from}` not in BASE");
    BASE.replacen(from, to, 1)
}

/// Asserts exactly one diagnostic with `code`, at the `nth` occurrence of `token`, with `path`.
#[track_caller]
pub(crate) fn assert_one(text: &str, code: Code, token: &str, nth: usize, path: &str) -> Diagnostic {
    let all = diagnostics(text);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}`, got {all:#?}");
    let d = found[0].clone();
    assert_eq!((d.line, d.column), place(text, token, nth), "place of {d:#?}");
    assert_eq!(d.path, path);
    assert_eq!(d.file, "test.yaml");
    assert!(!d.message.vi.is_empty() && !d.message.en.is_empty());
    assert_ne!(d.message.vi, d.message.en, "the Vietnamese message must be Vietnamese");
    d
}

#[test]
fn the_base_procedure_is_clean() {
    assert_eq!(diagnostics(BASE), []);
}

/// The place a span of `len` characters ends at, after the `nth` `token` (same line).
fn end_of(text: &str, token: &str, nth: usize, len: u32) -> Option<Position> {
    let (line, column) = place(text, token, nth);
    Some(Position { line, column: column + len })
}

/// Asserts a label at the `nth` `token`, spanning the token (a key without its colon), with `path` and English `en`.
#[track_caller]
fn assert_label(label: &Label, text: &str, token: &str, nth: usize, path: &str, en: &str) {
    assert_eq!((label.line, label.column), place(text, token, nth), "place of {label:#?}");
    let len = token.trim_end_matches(':').chars().count() as u32;
    assert_eq!(label.end, end_of(text, token, nth, len), "end of {label:#?}");
    assert_eq!((label.path.as_str(), label.message.en.as_str()), (path, en));
    assert_ne!(label.message.vi, label.message.en, "the Vietnamese label must be Vietnamese");
}

#[test]
fn unknown_step_points_at_the_target_and_suggests_the_nearest_name() {
    let text = edit("accept: {to: review}", "accept: {to: revieww}");
    let d = assert_one(&text, Code::UnknownStep, "revieww", 0, "steps.receive.actions.accept.to");
    assert_eq!(d.help.as_ref().expect("help").en, "did you mean `review`?");
    // The span covers the whole name, and a label points at the step it is nearest to.
    assert_eq!(d.end, end_of(&text, "revieww", 0, 7));
    assert_eq!(d.labels.len(), 1, "{d:#?}");
    assert_label(&d.labels[0], &text, "review:", 0, "steps.review", "step `review` is declared here");
    // …or the outcome, and with no near name there is no label.
    let text = edit("accept: {to: review}", "accept: {to: isued}");
    let d = assert_one(&text, Code::UnknownStep, "isued", 0, "steps.receive.actions.accept.to");
    assert_label(&d.labels[0], &text, "issued:", 0, "outcomes.issued", "outcome `issued` is declared here");
    let text = edit("accept: {to: review}", "accept: {to: somewhere_else}");
    let d = assert_one(&text, Code::UnknownStep, "somewhere_else", 0, "steps.receive.actions.accept.to");
    assert_eq!((d.help, d.labels), (None, vec![]));
}

#[test]
fn an_unknown_field_in_an_expression_labels_the_field_it_is_nearest_to() {
    let text = edit(
        "steps:",
        "form:\n  fields:\n    full_name: {type: text, label: {vi: Họ tên}}\n    note:\n      type: text\n      label: {vi: Ghi chú}\n      required_if: \"full_nam != ''\"\nsteps:",
    );
    let d = assert_one(&text, Code::UnknownReference, "full_nam ", 0, "form.fields.note.required_if");
    assert_eq!(d.end, end_of(&text, "full_nam ", 0, 8), "the span is the name, not the whole expression");
    assert_eq!(d.labels.len(), 1, "{d:#?}");
    assert_label(&d.labels[0], &text, "full_name", 0, "form.fields.full_name", "field `full_name` is declared here");
}

#[test]
fn a_duplicate_key_labels_its_first_occurrence() {
    let text = edit(
        "    budget: 1d\n    actions:\n      approve",
        "    budget: 1d\n    budget: 2d\n    actions:\n      approve",
    );
    let d = assert_one(&text, Code::DuplicateKey, "budget: 2d", 0, "steps.review.budget");
    assert_eq!(d.end, end_of(&text, "budget: 2d", 0, 6));
    assert_label(&d.labels[0], &text, "budget", 1, "steps.review.budget", "first written here");
    // The JSON reader knows the first occurrence too.
    let json = r#"{"id": "vn",
 "id": "vm"}"#;
    let err = motcua::Catalogue::from_json(json, "c.json").unwrap_err();
    let d = err.diagnostics().iter().find(|d| d.code == Code::DuplicateKey).expect("duplicate");
    assert_eq!((d.line, d.column, d.end), (2, 2, Some(Position { line: 2, column: 6 })));
    assert_eq!((d.labels[0].line, d.labels[0].column, d.labels[0].end), (1, 2, Some(Position { line: 1, column: 6 })));
}

#[test]
fn unknown_agency_and_role_point_at_their_values() {
    let text =
        edit("    agency: commune_committee\n    role: officer", "    agency: commune_comittee\n    role: offcer");
    let d = assert_one(&text, Code::UnknownAgency, "commune_comittee", 0, "steps.review.agency");
    // The catalogue is another file: the nearest name is a help, not a label.
    assert_eq!(d.help.expect("help").en, "did you mean `commune_committee` (in the catalogue)?");
    assert_eq!(d.end, end_of(&text, "commune_comittee", 0, 16));
    let d = assert_one(&text, Code::UnknownRole, "offcer", 0, "steps.review.role");
    assert_eq!(d.help.expect("help").en, "did you mean `officer` (in the catalogue)?");
    assert!(d.labels.is_empty());
}

#[test]
fn an_unknown_document_in_an_expression_labels_the_document_it_is_nearest_to() {
    let text = edit(
        "steps:",
        "form:\n  fields:\n    note:\n      type: text\n      label: {vi: Ghi chú}\n      required_if: \"documents.id_crad.present\"\ndocuments:\n  id_card: {name: {vi: CCCD}}\nsteps:",
    );
    let d = assert_one(&text, Code::UnknownReference, "id_crad", 0, "form.fields.note.required_if");
    assert_eq!(d.end, end_of(&text, "id_crad", 0, 7));
    assert_eq!(d.help.as_ref().expect("help").en, "did you mean `id_card`?");
    assert_label(&d.labels[0], &text, "id_card:", 0, "documents.id_card", "document `id_card` is declared here");
}

#[test]
fn every_error_is_reported_at_once_in_source_order() {
    let text = edit("accept: {to: review}", "accept: {to: nowhere}").replace("role: officer", "role: nobody");
    let codes: Vec<Code> = diagnostics(&text).iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::UnknownStep, Code::UnknownRole]);
}

#[test]
fn unreachable_step_is_a_warning_at_its_key() {
    let text = edit(
        "outcomes:",
        "  orphan:\n    name: {vi: Mồ côi}\n    agency: commune_committee\n    role: officer\n    actions:\n      done: {to: issued}\noutcomes:",
    );
    let d = assert_one(&text, Code::UnreachableStep, "orphan", 0, "steps.orphan");
    assert_eq!(d.severity, Severity::Warning);
    // A warning does not stop the load.
    assert!(Procedure::from_yaml(&text, "test.yaml", &crate::common::library()).is_ok());
}

#[test]
fn a_step_without_a_way_out_is_a_dead_end() {
    let text = edit("approve: {to: issued}", "approve: {to: receive}");
    let all = diagnostics(&text);
    let dead: Vec<&str> = all.iter().filter(|d| d.code == Code::DeadEnd).map(|d| d.path.as_str()).collect();
    assert_eq!(dead, ["steps.receive", "steps.review"]);
    let d = all.iter().find(|d| d.path == "steps.review").expect("review");
    assert_eq!((d.line, d.column), place(&text, "review:", 0));
}

#[test]
fn a_step_with_no_actions_is_a_dead_end() {
    let text = edit("    actions:\n      approve: {to: issued}", "    actions: {}");
    let all = diagnostics(&text);
    // `receive` only leads to `review`, so it is stuck too; `review` says why.
    let dead: Vec<&str> = all.iter().filter(|d| d.code == Code::DeadEnd).map(|d| d.path.as_str()).collect();
    assert_eq!(dead, ["steps.receive", "steps.review"]);
    let d = all.iter().find(|d| d.path == "steps.review").expect("review");
    assert_eq!((d.line, d.column), place(&text, "review:", 0));
    assert!(d.message.en.contains("no actions"), "{}", d.message.en);
}

#[test]
fn no_result_outcome_is_an_error_at_outcomes() {
    let text = edit("kind: result_issued", "kind: refused");
    assert_one(&text, Code::NoOutcome, "outcomes:", 0, "outcomes");
}

pub(crate) const FORK: &str = "  review:
    name: {vi: Xử lý}
    agency: commune_committee
    role: officer
    actions:
      split: {to: [police, insurance]}
  police:
    name: {vi: Công an}
    agency: commune_police
    role: police_officer
    actions:
      done: {to: JOIN_POLICE}
  insurance:
    name: {vi: Bảo hiểm}
    agency: social_insurance
    role: insurance_officer
    actions:
      done: {to: JOIN_INSURANCE}
  return_result:
    name: {vi: Trả kết quả}
    agency: commune_committee
    role: one_stop_officer
    JOIN
    actions:
      hand_over: {to: issued}
";

pub(crate) fn fork_text(join_police: &str, join_insurance: &str, join: &str) -> String {
    let start = BASE.find("  review:").expect("review");
    let end = BASE.find("outcomes:").expect("outcomes");
    let steps =
        FORK.replace("JOIN_POLICE", join_police).replace("JOIN_INSURANCE", join_insurance).replace("JOIN", join);
    format!("{}{}{}", &BASE[..start], steps, &BASE[end..])
}

#[test]
fn a_fork_that_joins_compiles_and_counts_its_branches() {
    let text = fork_text("return_result", "return_result", "join: true");
    let procedure = Procedure::from_yaml(&text, "test.yaml", &crate::common::library()).expect("compiles");
    let join = procedure.step_by_id("return_result").expect("step");
    assert_eq!(join.join_branches(), Some(2));
    // Hand-offs are derived: commune committee → commune police is horizontal.
    let review = procedure.step_by_id("review").expect("step");
    let directions: Vec<_> = review.actions()[0].handoffs().map(|h| h.direction).collect();
    assert_eq!(directions, [motcua::Direction::Horizontal, motcua::Direction::Horizontal]);
}

#[test]
fn a_fork_whose_branches_never_join_points_at_its_targets() {
    let text = fork_text("issued", "issued", "join: false");
    assert_one(&text, Code::ForkWithoutJoin, "[police, insurance]", 0, "steps.review.actions.split.to");
}

#[test]
fn a_join_without_a_fork_points_at_the_join_flag() {
    let text = edit("    role: officer\n    budget: 1d", "    role: officer\n    join: true\n    budget: 1d");
    assert_one(&text, Code::InvalidJoin, "true", 0, "steps.review.join");
}

#[test]
fn duplicate_step_names_point_at_the_second_key() {
    let text = edit("outcomes:", "  review:\n    name: {vi: Lặp}\n    role: officer\n    actions: {}\noutcomes:");
    assert_one(&text, Code::DuplicateKey, "review:", 1, "steps.review");
}

#[test]
fn a_step_and_an_outcome_may_not_share_a_name() {
    let text = edit("  issued: {name:", "  review: {name:").replace("{to: issued}", "{to: review}");
    assert_one(&text, Code::InvalidName, "review: {name", 0, "outcomes.review");
}

#[test]
fn identifiers_must_be_ascii_snake_case() {
    let text = edit("accept: {to: review}", "Tiếp_nhận: {to: review}");
    assert_one(&text, Code::InvalidName, "Tiếp_nhận", 0, "steps.receive.actions.Tiếp_nhận");
}

#[test]
fn budgets_over_the_legal_deadline_name_the_path() {
    let text = edit("legal_deadline: 3d", "legal_deadline: 1.5d");
    let d = assert_one(&text, Code::BudgetExceedsDeadline, "1.5d", 0, "legal_deadline");
    assert_eq!(d.message.en, "the path receive → review → issued needs 2d, more than the legal deadline of 1.5d");
    // The deadline is the primary span, labelled; each budget on the path is a secondary label.
    assert_eq!(d.end, end_of(&text, "1.5d", 0, 4));
    assert_eq!(d.labels.len(), 3, "{d:#?}");
    assert_label(&d.labels[0], &text, "1d", 0, "steps.receive.budget", "step `receive`: 1d");
    assert_label(&d.labels[1], &text, "1d", 1, "steps.review.budget", "step `review`: 1d");
    assert_label(&d.labels[2], &text, "1.5d", 0, "legal_deadline", "legal deadline: 1.5d");
    // The labels are additive JSON: a diagnostic without them serialises as before.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["labels"][0]["end"], serde_json::json!({"line": 19, "column": 15}));
    let plain =
        serde_json::to_value(motcua::Diagnostic::new(Code::UnknownStep, motcua::Message::new("a", "b"))).unwrap();
    assert!(plain.get("labels").is_none() && plain.get("end").is_none(), "{plain}");
    assert_eq!(serde_json::from_value::<Diagnostic>(json).unwrap(), d);
}

#[test]
fn suspended_steps_and_rework_loops_do_not_count_against_the_deadline() {
    // review → supplement (the applicant, suspended) → review is a loop; 10 days there don't count.
    let text = edit(
        "      approve: {to: issued}",
        "      approve: {to: issued}\n      ask: {to: supplement}\n  supplement:\n    name: {vi: Bổ sung}\n    role: citizen\n    budget: 10d\n    actions:\n      supply: {to: review}",
    );
    assert_eq!(diagnostics(&text), []);
}

#[test]
fn status_codes_of_outcomes_cannot_be_held_by_steps() {
    let text = edit("    role: officer\n    budget: 1d", "    role: officer\n    status: 10\n    budget: 1d");
    assert_one(&text, Code::InvalidStatusCode, "10", 0, "steps.review.status");
}

#[test]
fn the_abolished_district_level_warns_in_specs_in_force_after_it() {
    let text =
        edit("    agency: commune_committee\n    role: officer", "    agency: district_committee\n    role: officer");
    let d = assert_one(&text, Code::HistoricalLevel, "district_committee", 0, "steps.review.agency");
    assert_eq!(d.severity, Severity::Warning);
    // The same spec dated before 2025-07-01 is historical data and loads clean.
    assert_eq!(diagnostics(&text.replace("valid_from: 2025-07-01", "valid_from: 2024-01-01")), []);
}

#[test]
fn malformed_values_and_fields_are_typed_errors_with_places() {
    let text = edit("budget: 1d", "budget: 1 day");
    let d = assert_one(&text, Code::InvalidValue, "1 day", 0, "steps.receive.budget");
    assert!(d.message.vi.contains("3d"), "{}", d.message.vi);

    let text = edit("    budget: 1d", "    budgett: 1d");
    assert_one(&text, Code::UnknownField, "budgett", 0, "steps.receive.budgett");

    let text = edit("channels: [online]", "channels: online");
    assert_one(&text, Code::InvalidType, "online", 1, "channels");

    let text = edit("motcua: 1", "motcua: 2");
    assert_one(&text, Code::UnsupportedFormat, "2", 0, "motcua");

    let text = edit("catalogue: vietnam", "catalogue: netherlands");
    assert_one(&text, Code::CatalogueMismatch, "netherlands", 0, "catalogue");
}

#[test]
fn too_many_steps_is_a_limit_error() {
    let mut limits = motcua::Limits::default();
    limits.max_steps = 2;
    let err = Procedure::from_yaml_with_limits(BASE, "test.yaml", &crate::common::library(), &limits).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, Code::LimitExceeded);
}

#[test]
fn too_many_actions_in_a_step_is_a_limit_error_at_the_actions() {
    let mut limits = motcua::Limits::default();
    limits.max_actions_per_step = 0;
    let err = Procedure::from_yaml_with_limits(BASE, "test.yaml", &crate::common::library(), &limits).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str()), (Code::LimitExceeded, "steps.receive.actions"));
    assert_eq!((d.line, d.column), place(BASE, "actions:", 0));
}

#[test]
fn too_many_form_fields_is_a_limit_error() {
    let file = "specs/procedures/birth-registration-residence-insurance.yaml";
    let text = crate::common::read(file);
    let mut limits = motcua::Limits::default();
    limits.max_fields = 20;
    let err = Procedure::from_yaml_with_limits(&text, file, &crate::common::library(), &limits).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str()), (Code::LimitExceeded, "form"));
    assert!(d.message.en.contains("at most 20"), "{}", d.message.en);
    // The shipped spec is within the default.
    assert!(Procedure::from_yaml(&text, file, &crate::common::library()).is_ok());
}
