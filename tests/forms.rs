//! Forms, required documents and the expression language, end to end.

use chrono::NaiveDate;
use motcua::expr::Value;
use motcua::{Code, FileMeta, Form, SubmittedDocument, Validation};
use proptest::prelude::*;
use serde_json::{Value as Json, json};

const FIXTURE: &str = include_str!("fixtures/birth_residence_insurance.yaml");

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 2, 13)
}

/// The fixture form with the shipped catalogue's citizen-ID province codes, as a procedure
/// compiled against that catalogue would have it.
fn fixture() -> Form {
    let catalogue = crate::common::catalogue();
    Form::from_yaml(FIXTURE, "birth_residence_insurance.yaml")
        .unwrap_or_else(|e| panic!("{e}"))
        .with_citizen_id_provinces(catalogue.citizen_id_provinces())
}

fn found(v: &Validation) -> Vec<(String, Code)> {
    v.problems.iter().map(|p| (p.path.clone(), p.code)).collect()
}

fn pairs(list: &[(&str, Code)]) -> Vec<(String, Code)> {
    list.iter().map(|(p, c)| ((*p).to_owned(), *c)).collect()
}

fn valid_application() -> Json {
    json!({
        "declarant": {
            "full_name": "Nguyễn Thị Lan",
            "citizen_id": "001195012345",
            "relationship": "mother",
            "phone": "0912 345 678",
            "email": "lan.nguyen@example.vn",
            "tax_code": "0100109106"
        },
        "child": {
            "full_name": "Trần Minh Khôi",
            "sex": "male",
            "birth_date": "2026-02-01",
            "birth_place_type": "health_facility",
            "birth_place": "Bệnh viện Phụ sản Hà Nội",
            "ethnicity": "kinh",
            "nationality": "vn"
        },
        "mother": {"full_name": "Nguyễn Thị Lan", "birth_date": "1995-06-20", "citizen_id": "001195012345"},
        "father_known": true,
        "father": {"full_name": "Trần Văn Hùng", "birth_date": "1993-03-02", "citizen_id": "001093054321"},
        "residence": {
            "province": "01",
            "commune": "00004",
            "address": "Số 12 ngõ 34 phố Kim Mã",
            "household_head_name": "Trần Văn Hùng",
            "household_head_id": "001093054321",
            "relationship_to_head": "child"
        },
        "household_members": [
            {"full_name": "Trần Văn Hùng", "birth_date": "1993-03-02", "citizen_id": "001093054321", "relationship": "Chủ hộ"},
            {"full_name": "Trần Thị Mai", "birth_date": "2015-09-09", "relationship": "Con"}
        ],
        "insurance": {"initial_facility": "01001", "card_delivery": "in_person"},
        "other_files": [{"name": "anh.jpg", "media_type": "image/jpeg", "size": 200000}],
        "submitted_at": "2026-02-13T09:30"
    })
}

fn pdf(name: &str) -> FileMeta {
    FileMeta { name: name.into(), media_type: "application/pdf".into(), size: 100_000 }
}

fn valid_documents() -> Vec<SubmittedDocument> {
    let file =
        |id: &str| SubmittedDocument { id: id.into(), files: vec![pdf(&format!("{id}.pdf"))], ..Default::default() };
    vec![
        file("birth_declaration"),
        file("birth_certificate"),
        file("residence_form"),
        file("insurance_declaration"),
        SubmittedDocument {
            id: "declarant_identity".into(),
            from_database: Some("population".into()),
            ..Default::default()
        },
    ]
}

#[test]
fn fixture_loads_and_a_correct_application_is_valid() {
    let form = fixture();
    assert_eq!(form.field_count(), 43);
    assert_eq!(form.document_ids().count(), 7);
    let v = form.validate(&valid_application(), &valid_documents(), today());
    assert!(v.is_valid(), "{:#?}", v.problems);
}

#[test]
fn an_invalid_application_gets_every_error_then_is_corrected() {
    let form = fixture();
    let mut data = valid_application();
    data["declarant"]["relationship"] = json!("other");
    data["declarant"]["phone"] = json!("12345");
    data["declarant"]["tax_code"] = json!("0100109107");
    data["child"]["full_name"] = json!("Khôi 2");
    data["child"]["sex"] = json!("nam");
    data["child"]["birth_date"] = json!("2019-12-31");
    data["mother"]["citizen_id"] = json!("003195012345");
    data["father"]["citizen_id"] = json!("001195012345");
    data["father"]["citizen_id"] = data["mother"]["citizen_id"].clone();
    data["residence"]["commune"] = json!("4");
    data["household_members"][1]["birth_date"] = json!("2010-01-01");
    data["insurance"]["card_delivery"] = json!("post");
    data["other_files"] = json!([{"name": "a.exe", "media_type": "application/x-msdownload", "size": 9_000_000}]);
    data["nickname"] = json!("Bin");
    let mut docs = valid_documents();
    docs.retain(|d| d.id != "birth_certificate");
    docs.push(SubmittedDocument {
        id: "parents_marriage_certificate".into(),
        from_database: Some("population".into()),
        ..Default::default()
    });
    let v = form.validate(&data, &docs, today());
    assert_eq!(
        found(&v),
        pairs(&[
            ("$.declarant.relationship_note", Code::FieldRequired),
            ("$.declarant.phone", Code::InvalidFormat),
            ("$.declarant.tax_code", Code::InvalidTaxCode),
            ("$.child.full_name", Code::PatternMismatch),
            ("$.child.sex", Code::NotInCodeList),
            ("$.child.birth_date", Code::BelowMinimum),
            ("$.mother.citizen_id", Code::InvalidCitizenId),
            ("$.father.citizen_id", Code::InvalidCitizenId),
            ("$.residence.commune", Code::InvalidFormat),
            ("$.household_members[1].citizen_id", Code::FieldRequired),
            ("$.insurance.postal_address", Code::FieldRequired),
            ("$.other_files", Code::MediaTypeNotAccepted),
            ("$.other_files", Code::FileTooLarge),
            ("$.nickname", Code::UnexpectedField),
            ("$.father.citizen_id", Code::RuleViolated),
            ("$.documents.birth_certificate", Code::DocumentMissing),
            ("$.documents.parents_marriage_certificate", Code::NotReplaceable),
        ])
        .into_iter()
        .map(|(p, c)| if p == "$.other_files" { ("$.other_files[0]".to_owned(), c) } else { (p, c) })
        .collect::<Vec<_>>()
    );
    for p in &v.problems {
        assert!(!p.message.vi.is_empty() && !p.message.en.is_empty(), "{p:?}");
        assert_ne!(p.message.vi, p.message.en, "{p:?}");
    }
    let by_path = |path: &str, code: Code| v.problems.iter().find(|p| p.path == path && p.code == code).unwrap();
    let p = by_path("$.child.birth_date", Code::BelowMinimum);
    assert_eq!(p.params["min"], "2020-02-13");
    assert_eq!(p.message.vi, "Ngày sinh: không được trước ngày 2020-02-13");
    assert_eq!(p.message.en, "Date of birth: must not be before 2020-02-13");
    let p = by_path("$.child.full_name", Code::PatternMismatch);
    assert_eq!(p.message.en, "A name has only letters and spaces");
    let p = by_path("$.declarant.tax_code", Code::InvalidTaxCode);
    assert_eq!(p.params["reason"], "check_digit");
    assert_eq!(p.message.en, "Tax code: the tax code's check digit is wrong");
    let p = by_path("$.mother.citizen_id", Code::InvalidCitizenId);
    assert_eq!(p.params["reason"], "province");
    let p = by_path("$.father.citizen_id", Code::RuleViolated);
    assert_eq!(p.params["rule"], "parents_distinct");
    assert_eq!(p.message.vi, "Số định danh của cha và mẹ trùng nhau");
    let p = by_path("$.child.sex", Code::NotInCodeList);
    assert_eq!(p.params["value"], "nam");
    assert!(!v.form_valid() && !v.documents_complete());

    // Corrected, it passes.
    let mut fixed = valid_application();
    fixed["declarant"]["relationship"] = json!("other");
    fixed["declarant"]["relationship_note"] = json!("Dì ruột");
    fixed["insurance"]["card_delivery"] = json!("post");
    fixed["insurance"]["postal_address"] = json!("Số 12 ngõ 34 phố Kim Mã, Hà Nội");
    let v = form.validate(&fixed, &valid_documents(), today());
    assert!(v.is_valid(), "{:#?}", v.problems);
}

// ---- the shipped birth procedure: validation through `Dossier::submit` ----

#[test]
fn the_shipped_birth_procedure_refuses_an_invalid_submission_then_accepts_it_corrected() {
    use motcua::{Actor, Channel, Command, CommandKind, Dossier, NationalStatus, Submission};

    const BIRTH: &str = "specs/procedures/birth-registration-residence-insurance.yaml";
    let procedure = crate::common::procedure(BIRTH);
    let (valid_data, valid_docs) = crate::common::sample_application(BIRTH);
    let submission = |data: Json, documents: Vec<SubmittedDocument>| Submission {
        dossier_id: "KS-2026-0100".into(),
        command_id: "submit".into(),
        at: crate::common::at("2026-03-09T08:15:00+07:00"),
        actor: Actor::citizen(),
        channel: Channel::Online,
        jurisdiction: "00004".into(),
        data,
        documents,
        allow_incomplete: false,
    };

    let mut data = valid_data.clone();
    data["declarant"]["phone"] = json!("0123456789"); // no such mobile prefix
    data["child"]["birth_date"] = json!("2019-03-01"); // over 6 on 2026-03-09
    data["mother"]["citizen_id"] = json!("099195012345"); // 099 is no province
    data["residence"]["commune"] = json!("4"); // a commune code has 5 digits
    data["insurance"]["card_delivery"] = json!("post"); // ... but no postal address
    let mut docs = valid_docs.clone();
    docs.retain(|d| d.id != "birth_certificate");
    let rejection = Dossier::submit(&procedure, submission(data, docs)).unwrap_err();
    assert_eq!((rejection.code, rejection.field.as_str()), (Code::InvalidForm, "data"));
    let found: Vec<(&str, Code)> = rejection.problems.iter().map(|p| (p.path.as_str(), p.code)).collect();
    assert_eq!(
        found,
        [
            ("$.declarant.phone", Code::InvalidFormat),
            ("$.child.birth_date", Code::BelowMinimum),
            ("$.mother.citizen_id", Code::InvalidCitizenId),
            ("$.residence.commune", Code::InvalidFormat),
            ("$.insurance.postal_address", Code::FieldRequired),
            ("$.documents.birth_certificate", Code::DocumentMissing),
        ]
    );
    for p in &rejection.problems {
        assert!(!p.message.vi.trim().is_empty() && !p.message.en.trim().is_empty(), "{p:?}");
        assert_ne!(p.message.vi, p.message.en, "{p:?}");
    }
    assert_eq!(rejection.problems[1].params["min"], "2020-03-09");
    assert_eq!(rejection.message.en, "the dossier has 6 problem(s) to correct");

    // Corrected: the same application with the postal address, and the birth certificate.
    let mut data = valid_data;
    data["insurance"]["card_delivery"] = json!("post");
    data["insurance"]["postal_address"] = json!("Số 12 ngõ 34 phố Kim Mã, phường Ba Đình, Hà Nội");
    let (mut dossier, _) = Dossier::submit(&procedure, submission(data, valid_docs)).expect("valid");
    assert_eq!(dossier.status(), NationalStatus::New);
    dossier
        .apply(
            &procedure,
            &Command {
                id: "c1".into(),
                at: crate::common::at("2026-03-09T09:00:00+07:00"),
                actor: Actor::official("one_stop_officer", "commune_committee"),
                expected_version: Some(1),
                kind: CommandKind::act("accept"),
            },
        )
        .expect("accepted: the guard finds the birth certificate");
    assert_eq!(dossier.status(), NationalStatus::Received);
    assert_eq!(dossier.active_step_ids().collect::<Vec<_>>(), ["examine"]);
}

#[test]
fn hidden_fields_are_not_validated_and_optional_groups_may_be_absent() {
    let form = fixture();
    let mut data = valid_application();
    data["father_known"] = json!(false);
    data["father"] = json!({"citizen_id": "garbage"});
    let v = form.validate(&data, &valid_documents(), today());
    assert!(v.is_valid(), "{:#?}", v.problems);

    data["father_known"] = json!(true);
    data.as_object_mut().unwrap().remove("father");
    let v = form.validate(&data, &valid_documents(), today());
    assert_eq!(found(&v), pairs(&[("$.father", Code::FieldRequired)]));
}

#[test]
fn documents_are_checked_like_the_form() {
    let form = fixture();
    let data = valid_application();
    // Born at home: the witness statement replaces the birth certificate.
    let mut home = data.clone();
    home["child"]["birth_place_type"] = json!("home");
    let v = form.validate(&home, &valid_documents(), today());
    assert_eq!(found(&v), pairs(&[("$.documents.witness_statement", Code::DocumentMissing)]));

    let mut docs = valid_documents();
    docs[0].files = vec![FileMeta {
        name: "to-khai.docx".into(),
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
        size: 10,
    }];
    docs[1].files[0].size = 6_000_000;
    docs[2].files.clear();
    docs[2].copies = 1; // an original is required on paper
    docs.push(SubmittedDocument { id: "photo".into(), originals: 1, ..Default::default() });
    let v = form.validate(&data, &docs, today());
    assert_eq!(
        found(&v),
        pairs(&[
            ("$.documents.birth_declaration.files[0]", Code::MediaTypeNotAccepted),
            ("$.documents.birth_certificate.files[0]", Code::FileTooLarge),
            ("$.documents.residence_form", Code::DocumentCount),
            ("$.documents.photo", Code::UnknownDocument),
        ])
    );
    assert!(v.form_valid());
    let p = &v.problems[2];
    assert_eq!((p.params["originals"].clone(), p.params["copies"].clone()), (json!(1), json!(0)));
    assert_eq!(p.message.vi, "Tờ khai thay đổi thông tin cư trú: cần 1 bản chính và 0 bản sao");
}

#[test]
fn guards_use_the_same_language() {
    let form = fixture();
    let g = form
        .parse_guard(
            "form_valid and documents.birth_certificate.present and not documents.declarant_identity.files > 0",
        )
        .unwrap();
    let data = valid_application();
    assert!(form.eval_condition(&g, &data, &valid_documents(), today()).unwrap());
    let mut bad = data.clone();
    bad["child"]["sex"] = json!("x");
    assert!(!form.eval_condition(&g, &bad, &valid_documents(), today()).unwrap());

    let g = form.parse_guard("documents_complete or documents.declarant_identity.from_database").unwrap();
    assert!(form.eval_condition(&g, &data, &[], today()).is_ok());

    let e = form.parse_guard("documents.birth_certficate.present").unwrap_err();
    assert_eq!((e.code, e.span.start, e.span.end), (Code::UnknownReference, 10, 26));
    let e = form.parse_guard("child.birth_date").unwrap_err();
    assert_eq!(e.code, Code::TypeMismatch);
}

#[test]
fn expressions_evaluate_over_groups_lists_and_dates() {
    let form = fixture();
    let data = valid_application();
    let eval = |text: &str| {
        let e = form.compile_expr(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        form.eval(&e, &data, &[], today()).unwrap()
    };
    assert_eq!(eval("age_months(child.birth_date)"), Value::Number(0.0));
    assert_eq!(eval("age_years(mother.birth_date)"), Value::Number(30.0));
    assert_eq!(eval("count(household_members)"), Value::Number(2.0));
    assert_eq!(eval("count(household_members, m -> age_years(m.birth_date) < 18)"), Value::Number(1.0));
    assert_eq!(eval("any(household_members, m -> m.relationship == 'Chủ hộ')"), Value::Bool(true));
    assert_eq!(eval("all(household_members, m -> present(m.citizen_id))"), Value::Bool(false));
    assert_eq!(eval("days_between(date('2026-02-01'), today)"), Value::Number(12.0));
    assert_eq!(eval("add_months(date('2024-01-31'), 1)"), Value::Date(day(2024, 2, 29)));
    assert_eq!(eval("add_years(date('2024-02-29'), 1)"), Value::Date(day(2025, 2, 28)));
    assert_eq!(eval("if(child.sex == 'male', 'Nam', 'Nữ')"), Value::Text("Nam".into()));
    assert_eq!(eval("len(child.full_name)"), Value::Number(14.0));
    assert_eq!(eval("child.nationality in ['vn']"), Value::Bool(true));
    assert_eq!(eval("father.birth_date < mother.birth_date"), Value::Bool(true));
    assert_eq!(eval("insurance.postal_address == null"), Value::Bool(true));
    assert_eq!(eval("len(insurance.postal_address) > 3"), Value::Null);
    assert_eq!(eval("false and insurance.postal_address == 'x'"), Value::Bool(false));
    assert_eq!(eval("max(year(today), 2000) % 100"), Value::Number(26.0));
    assert_eq!(eval("1_000_000 / 4"), Value::Number(250_000.0));
    assert_eq!(eval("count(other_files, f -> f.size < 1000000)"), Value::Number(1.0));
    // Division by zero is an error, not a panic.
    let e = form.compile_expr("1 / (count(household_members) - 2)").unwrap();
    assert_eq!(form.eval(&e, &data, &[], today()).unwrap_err().code, Code::ExpressionFailed);
    // So is an absurd date offset.
    let e = form.compile_expr("add_days(today, 10000000)").unwrap();
    assert_eq!(form.eval(&e, &data, &[], today()).unwrap_err().code, Code::ExpressionFailed);
}

#[test]
fn fuel_bounds_evaluation() {
    let form = Form::from_yaml(
        "form:\n  fields:\n    xs:\n      label: {vi: X}\n      type: group\n      repeat: {max: 1000}\n      fields:\n        n: {label: {vi: N}, type: integer}\n",
        "f.yaml",
    )
    .unwrap();
    let e = form.compile_expr("count(xs, a -> any(xs, b -> all(xs, c -> a.n + b.n + c.n > 0)))").unwrap();
    let data = json!({"xs": vec![json!({"n": 1}); 200]});
    let err = form.eval(&e, &data, &[], today()).unwrap_err();
    assert_eq!(err.code, Code::LimitExceeded);
}

// ---- load errors: placed at line and column inside the YAML value ----

fn load_err(yaml: &str) -> Vec<(Code, u32, u32, String)> {
    Form::from_yaml(yaml, "f.yaml")
        .unwrap_err()
        .into_diagnostics()
        .into_iter()
        .map(|d| (d.code, d.line, d.column, d.path))
        .collect()
}

#[test]
fn expression_errors_are_placed_inside_the_yaml_value() {
    let head = "form:\n  fields:\n    sex:\n      label: {vi: Giới tính}\n      type: code\n      codes: {male: {vi: Nam}, female: {vi: Nữ}}\n    birth_date: {label: {vi: Ngày sinh}, type: date}\n    note:\n      label: {vi: Ghi chú}\n      type: text\n";
    // Unknown field, plain scalar: column of the value + offset of `brith_date`.
    let e = load_err(&format!("{head}      required_if: age_years(brith_date) < 6\n"));
    assert_eq!(e, [(Code::UnknownReference, 11, 30, "form.fields.note.required_if".to_owned())]);
    // Same in a quoted scalar: one more column for the quote.
    let e = load_err(&format!("{head}      required_if: \"age_years(brith_date) < 6\"\n"));
    assert_eq!(e[0].2, 31);
    // Type mismatch: the whole comparison.
    let e = load_err(&format!("{head}      visible_if: birth_date > 6\n"));
    assert_eq!((e[0].0, e[0].1, e[0].2), (Code::TypeMismatch, 11, 19));
    // A code that is not in the field's list.
    let e = load_err(&format!("{head}      visible_if: sex == 'nam'\n"));
    assert_eq!((e[0].0, e[0].2), (Code::UnknownCode, 26));
    // Unknown function, syntax error, a non-boolean condition.
    let e = load_err(&format!("{head}      visible_if: tuoi(birth_date) < 6\n"));
    assert_eq!((e[0].0, e[0].2), (Code::UnknownFunction, 19));
    let e = load_err(&format!("{head}      visible_if: sex = 'male'\n"));
    assert_eq!((e[0].0, e[0].2), (Code::ExprSyntax, 23));
    let e = load_err(&format!("{head}      visible_if: age_years(birth_date)\n"));
    assert_eq!((e[0].0, e[0].2), (Code::TypeMismatch, 19));
    // Unicode before the error counts in characters, not bytes.
    let e = load_err(&format!("{head}      visible_if: \"contains(note, 'Hà Nội') and ghi_chu\"\n"));
    assert_eq!((e[0].0, e[0].2), (Code::UnknownReference, 20 + 29));
}

#[test]
fn all_spec_problems_are_reported_at_once() {
    let yaml = r#"form:
  fields:
    Name: {label: {vi: Tên}, type: text}
    age: {label: {vi: Tuổi}, type: integer, max_length: 3, min: 10, max: 5}
    kind: {label: {vi: Loại}, type: code}
    code: {label: {vi: Mã}, type: text, pattern: "[a-"}
    when: {label: {vi: Ngày}, type: date, min: 5}
    today: {label: {vi: Hôm nay}, type: date}
    members:
      label: {vi: Thành viên}
      type: group
      repeat: {min: 3, max: 2}
      fields:
        n: {label: {vi: N}, type: integer, required_if: m > 1}
  rules:
    r1: {check: age > 1, field: nope, message: {vi: X}}
documents:
  Bad: {name: {vi: X}, originals: 0, copies: 0, formats: [pdf], replaceable_by: Population}
"#;
    let codes: Vec<(Code, String)> = load_err(yaml).into_iter().map(|(c, _, _, p)| (c, p)).collect();
    let expect = [
        (Code::InvalidName, "form.fields.Name"),
        (Code::InvalidFieldSpec, "form.fields.age.max_length"),
        (Code::InvalidFieldSpec, "form.fields.age.min"),
        (Code::InvalidFieldSpec, "form.fields.kind.type"),
        (Code::InvalidPattern, "form.fields.code.pattern"),
        (Code::TypeMismatch, "form.fields.when.min"),
        (Code::InvalidName, "form.fields.today"),
        (Code::InvalidFieldSpec, "form.fields.members.repeat"),
        (Code::UnknownReference, "form.fields.members.fields.n.required_if"),
        (Code::UnknownReference, "form.rules.r1.field"),
        (Code::InvalidName, "documents.Bad"),
        (Code::InvalidValue, "documents.Bad.originals"),
        (Code::InvalidValue, "documents.Bad.formats[0]"),
        (Code::InvalidName, "documents.Bad.replaceable_by"),
    ];
    for (code, path) in expect {
        assert!(codes.iter().any(|(c, p)| *c == code && p == path), "missing {code} at {path} in {codes:#?}");
    }
    assert_eq!(codes.len(), expect.len(), "{codes:#?}");
}

// ---- a table of valid and invalid values per field type ----

fn one_field(spec: &str) -> Form {
    Form::from_yaml(&format!("form:\n  fields:\n    f: {{label: {{vi: Trường}}, {spec}}}\n"), "t.yaml")
        .unwrap_or_else(|e| panic!("{spec}: {e}"))
        .with_citizen_id_provinces(crate::common::catalogue().citizen_id_provinces())
}

fn codes_for(form: &Form, value: Json) -> Vec<Code> {
    form.validate(&json!({ "f": value }), &[], today()).problems.into_iter().map(|p| p.code).collect()
}

#[test]
fn field_types_accept_and_reject() {
    use Code::*;
    #[rustfmt::skip]
    let table: &[(&str, Json, &[Code])] = &[
        ("type: text, min_length: 2, max_length: 5", json!("An"), &[]),
        ("type: text, min_length: 2, max_length: 5", json!("A"), &[TooShort]),
        ("type: text, min_length: 2, max_length: 5", json!("Nguyễn"), &[TooLong]),
        ("type: text, min_length: 2, max_length: 5", json!(12), &[FieldType]),
        ("type: text, required: true", json!("   "), &[FieldRequired]),
        ("type: text, required: true", json!(null), &[FieldRequired]),
        ("type: integer, min: 0, max: 150", json!(150), &[]),
        ("type: integer, min: 0, max: 150", json!(151), &[AboveMaximum]),
        ("type: integer, min: 0, max: 150", json!(-1), &[BelowMinimum]),
        ("type: integer", json!(1.5), &[NotInteger]),
        ("type: integer", json!("1"), &[FieldType]),
        ("type: decimal, min: 0.5", json!(0.5), &[]),
        ("type: decimal, min: 0.5", json!(0.49), &[BelowMinimum]),
        ("type: money, max: 1000000000", json!(500_000), &[]),
        ("type: money", json!(-5000), &[NotInteger]),
        ("type: money", json!(1000.5), &[NotInteger]),
        ("type: money", json!(9_007_199_254_740_991_i64), &[]),
        ("type: boolean", json!(false), &[]),
        ("type: boolean", json!("true"), &[FieldType]),
        ("type: date", json!("2024-02-29"), &[]),
        ("type: date", json!("2025-02-29"), &[InvalidFormat]),
        ("type: date", json!("2025-2-3"), &[InvalidFormat]),
        ("type: date", json!("13/02/2026"), &[InvalidFormat]),
        ("type: date, max: today", json!("2026-02-13"), &[]),
        ("type: date, max: today", json!("2026-02-14"), &[AboveMaximum]),
        ("type: date, min: 'add_years(today, -6)'", json!("2020-02-13"), &[]),
        ("type: date, min: 'add_years(today, -6)'", json!("2020-02-12"), &[BelowMinimum]),
        ("type: date, min: 2000-01-01", json!("1999-12-31"), &[BelowMinimum]),
        ("type: datetime", json!("2026-02-13T15:00"), &[]),
        ("type: datetime", json!("2026-02-13T15:00:59"), &[]),
        ("type: datetime", json!("2026-02-13 15:00"), &[InvalidFormat]),
        ("type: datetime", json!("2026-02-13T25:00"), &[InvalidFormat]),
        ("type: code, codes: {a: {vi: A}, b: {vi: B}}", json!("b"), &[]),
        ("type: code, codes: {a: {vi: A}, b: {vi: B}}", json!("c"), &[NotInCodeList]),
        ("type: phone", json!("0912345678"), &[]),
        ("type: phone", json!("+84 912 345 678"), &[]),
        ("type: phone", json!("024 3825 3456"), &[]),
        ("type: phone", json!("0123456789"), &[InvalidFormat]),
        ("type: phone", json!("091234567"), &[InvalidFormat]),
        ("type: email", json!("ho.ten@dichvucong.gov.vn"), &[]),
        ("type: email", json!("ho ten@gov.vn"), &[InvalidFormat]),
        ("type: citizen_id", json!("001090012345"), &[]),
        ("type: citizen_id", json!("096301000001"), &[]),
        ("type: citizen_id", json!("079203009999"), &[]),
        ("type: citizen_id", json!("1090012345"), &[InvalidCitizenId]),
        ("type: citizen_id", json!(1090012345), &[FieldType]),
        ("type: citizen_id", json!("099090012345"), &[InvalidCitizenId]),
        ("type: citizen_id", json!("000090012345"), &[InvalidCitizenId]),
        ("type: citizen_id", json!("001299012345"), &[InvalidCitizenId]),
        ("type: tax_code", json!("0100109106"), &[]),
        ("type: tax_code", json!("0300588569"), &[]),
        ("type: tax_code", json!("0300588569-002"), &[]),
        ("type: tax_code", json!("0300588568"), &[InvalidTaxCode]),
        ("type: tax_code", json!("030058856"), &[InvalidTaxCode]),
        ("type: tax_code", json!("0300588569002"), &[InvalidTaxCode]),
        ("type: admin_unit", json!("79"), &[]),
        ("type: admin_unit, level: commune", json!("26734"), &[]),
        ("type: admin_unit, level: commune", json!("79"), &[InvalidFormat]),
        ("type: attachment, media_types: [application/pdf], max_files: 1", json!([{"name": "a.pdf", "media_type": "APPLICATION/PDF", "size": 1}]), &[]),
        ("type: attachment, media_types: [application/pdf], max_files: 1", json!([{"name": "a.pdf", "media_type": "application/pdf", "size": 1}, {"name": "b.pdf", "media_type": "application/pdf", "size": 1}]), &[TooManyItems]),
        ("type: attachment, media_types: [image/*]", json!([{"name": "a.png", "media_type": "image/png", "size": 1}]), &[]),
        ("type: attachment, media_types: [image/*]", json!([{"name": "a.pdf", "media_type": "application/pdf", "size": 1}]), &[MediaTypeNotAccepted]),
        ("type: attachment, max_size: 10", json!([{"name": "a", "media_type": "a/b", "size": 11}]), &[FileTooLarge]),
        ("type: attachment", json!([{"name": "a"}]), &[FieldType]),
        ("type: attachment, required: true", json!([]), &[FieldRequired]),
        ("type: group, repeat: {min: 1, max: 2}, fields: {x: {label: {vi: X}, type: integer}}", json!([{"x": 1}]), &[]),
        ("type: group, repeat: {min: 1, max: 2}, fields: {x: {label: {vi: X}, type: integer}}", json!([]), &[TooFewItems]),
        ("type: group, repeat: {min: 1, max: 2}, fields: {x: {label: {vi: X}, type: integer}}", json!([{}, {}, {}]), &[TooManyItems]),
        ("type: group, repeat: {min: 1, max: 2}, fields: {x: {label: {vi: X}, type: integer}}", json!([{"x": "1"}, 5]), &[FieldType, FieldType]),
        ("type: group, fields: {x: {label: {vi: X}, type: integer}}", json!({"y": 1}), &[UnexpectedField]),
        ("type: group, fields: {x: {label: {vi: X}, type: integer}}", json!([1]), &[FieldType]),
    ];
    for (spec, value, expect) in table {
        let form = one_field(spec);
        assert_eq!(&codes_for(&form, value.clone()), expect, "{spec} with {value}");
    }
}

// ---- Unicode: NFC and NFD forms of Vietnamese names ----

#[test]
fn vietnamese_names_in_nfc_and_nfd_are_the_same() {
    let nfc = "Nguyễn Thị Ánh";
    let nfd = "Nguye\u{0302}\u{0303}n Thi\u{0323} A\u{0301}nh";
    assert_ne!(nfc, nfd);
    assert_eq!(nfc.chars().count(), 14);
    assert_eq!(nfd.chars().count(), 18);
    let form = Form::from_yaml(
        "form:\n  fields:\n    name: {label: {vi: Họ tên}, type: text, max_length: 14, pattern: \"[A-Za-zÀ-ỹ ]+\"}\n    kind: {label: {vi: Loại}, type: text, visible_if: name == 'Nguyễn Thị Ánh'}\n",
        "t.yaml",
    )
    .unwrap();
    for name in [nfc, nfd] {
        let v = form.validate(&json!({"name": name}), &[], today());
        assert!(v.is_valid(), "{name:?}: {:#?}", v.problems);
        // The comparison in `visible_if` sees the same name: `kind` is visible and allowed.
        let v = form.validate(&json!({"name": name, "kind": "x"}), &[], today());
        assert!(v.is_valid(), "{name:?}: {:#?}", v.problems);
        let e = form.compile_expr("len(name) == 14 and starts_with(name, 'Nguyễn')").unwrap();
        assert!(form.eval_condition(&e, &json!({"name": name}), &[], today()).unwrap());
    }
    let too_long = format!("{nfd}x");
    let v = form.validate(&json!({"name": too_long}), &[], today());
    assert_eq!(found(&v), pairs(&[("$.name", Code::TooLong)]));
    assert_eq!(v.problems[0].params["length"], 15);
    // An expression literal typed in NFD matches NFC data too.
    let e = form.compile_expr("name == 'A\u{0301}nh'").unwrap();
    assert!(form.eval_condition(&e, &json!({"name": "Ánh"}), &[], today()).unwrap());
}

#[test]
fn edge_dates_around_the_sixth_birthday_and_leap_days() {
    let form = one_field("type: date, min: 'add_years(today, -6)', max: today");
    // Born on 29 February 2020: six years later there is no 29 February.
    let leap_today = day(2026, 2, 28);
    let v = form.validate(&json!({"f": "2020-02-29"}), &[], leap_today);
    assert!(v.is_valid(), "{:#?}", v.problems);
    let e = form.compile_expr("age_years(f)").unwrap();
    let data = json!({"f": "2020-02-29"});
    assert_eq!(form.eval(&e, &data, &[], leap_today).unwrap(), Value::Number(5.0));
    assert_eq!(form.eval(&e, &data, &[], day(2026, 3, 1)).unwrap(), Value::Number(6.0));
    // Born today is allowed; tomorrow is not.
    assert!(form.validate(&json!({"f": "2026-02-13"}), &[], today()).is_valid());
    assert!(!form.validate(&json!({"f": "2026-02-14"}), &[], today()).is_valid());
}

#[test]
fn problems_serialise_with_stable_codes() {
    let form = one_field("type: integer, min: 3");
    let v = form.validate(&json!({"f": 1}), &[], today());
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["problems"][0]["code"], "below_minimum");
    assert_eq!(json["problems"][0]["path"], "$.f");
    assert_eq!(json["problems"][0]["params"]["min"], 3);
    assert_eq!(json["problems"][0]["message"]["vi"], "Trường: không được nhỏ hơn 3");
}

#[test]
fn too_many_problems_are_capped() {
    let form = Form::from_yaml(
        "form:\n  fields:\n    xs:\n      label: {vi: X}\n      type: group\n      repeat: {max: 1000}\n      fields:\n        n: {label: {vi: N}, type: integer, required: true}\n        m: {label: {vi: M}, type: integer, required: true}\n",
        "f.yaml",
    )
    .unwrap();
    let v = form.validate(&json!({"xs": vec![json!({}); 900]}), &[], today());
    assert_eq!(v.problems.len(), 1001);
    assert_eq!(v.problems[1000].code, Code::LimitExceeded);
}

// ---- properties ----

fn arb_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        prop::sample::select(vec![
            "",
            " ",
            "Nguyễn Thị Lan",
            "Nguye\u{0302}\u{0303}n",
            "001090012345",
            "0100109106",
            "2026-02-13",
            "2020-02-29",
            "2026-02-13T09:30",
            "0912345678",
            "male",
            "health_facility",
            "01",
            "00004",
            "in_person",
            "post",
            "a@b.vn",
            "\u{0}",
            "💥",
        ])
        .prop_map(Json::from),
    ];
    let keys = prop::sample::select(vec![
        "declarant",
        "child",
        "mother",
        "father",
        "father_known",
        "residence",
        "household_members",
        "insurance",
        "other_files",
        "full_name",
        "citizen_id",
        "birth_date",
        "sex",
        "relationship",
        "phone",
        "card_delivery",
        "name",
        "media_type",
        "size",
        "x",
    ]);
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((keys.clone(), inner), 0..8)
                .prop_map(|kv| { Json::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()) }),
        ]
    })
}

fn arb_docs() -> impl Strategy<Value = Vec<SubmittedDocument>> {
    let id = prop::sample::select(vec!["birth_declaration", "birth_certificate", "declarant_identity", "nope"]);
    let db = prop::option::of(prop::sample::select(vec!["population", "civil_status", "x"]));
    prop::collection::vec((id, 0u32..3, 0u32..3, db, 0u64..10_000_000), 0..5).prop_map(|v| {
        v.into_iter()
            .map(|(id, originals, copies, db, size)| SubmittedDocument {
                id: id.into(),
                originals,
                copies,
                files: if size % 2 == 0 {
                    vec![]
                } else {
                    vec![FileMeta { name: "f".into(), media_type: "image/png".into(), size }]
                },
                from_database: db.map(str::to_owned),
            })
            .collect()
    })
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (-400_000i32..400_000).prop_map(|d| day(2026, 1, 1) + chrono::TimeDelta::days(i64::from(d)))
}

/// Token soup: most of it does not parse, the rest exercises the checker and evaluator.
fn arb_expr() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "child.birth_date",
        "mother.birth_date",
        "today",
        "child.sex",
        "'male'",
        "father_known",
        "household_members",
        "m",
        "m.birth_date",
        "m.citizen_id",
        "other_files",
        "f.size",
        "1",
        "0",
        "6",
        "-",
        "+",
        "*",
        "/",
        "%",
        "==",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "not",
        "in",
        "[",
        "]",
        "(",
        ")",
        ",",
        "->",
        "age_years(",
        "count(",
        "any(",
        "all(",
        "len(",
        "present(",
        "if(",
        "add_years(",
        "add_days(",
        "days_between(",
        "date('2020-02-29')",
        "min(",
        "null",
        "true",
        "documents.birth_certificate.present",
        "documents.birth_declaration.files",
        "1e309",
    ]);
    prop::collection::vec(tokens, 1..24).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics_and_is_deterministic(data in arb_json(), docs in arb_docs(), today in arb_date()) {
        let form = fixture();
        let a = form.validate(&data, &docs, today);
        let b = form.validate(&data, &docs, today);
        prop_assert_eq!(&a, &b);
        for p in &a.problems {
            prop_assert!(p.path.starts_with('$'));
            prop_assert!(!p.message.vi.is_empty() && !p.message.en.is_empty());
        }
    }

    #[test]
    fn known_fields_with_arbitrary_values_never_panic(data in arb_json(), today in arb_date()) {
        let form = fixture();
        let mut app = valid_application();
        if let (Some(obj), Some(extra)) = (app.as_object_mut(), data.as_object()) {
            for (k, v) in extra {
                obj.insert(k.clone(), v.clone());
            }
        }
        let a = form.validate(&app, &[], today);
        prop_assert_eq!(a, form.validate(&app, &[], today));
    }

    #[test]
    fn expression_evaluation_never_panics(text in arb_expr(), data in arb_json(), docs in arb_docs(), today in arb_date()) {
        let form = fixture();
        if let Ok(e) = form.compile_expr(&text) {
            let a = form.eval(&e, &data, &docs, today);
            let b = form.eval(&e, &data, &docs, today);
            prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        if let Ok(g) = form.parse_guard(&text) {
            let _ = form.eval_condition(&g, &data, &docs, today);
        }
    }
}

#[test]
fn a_field_whose_name_starts_with_documents_is_a_form_problem_not_a_document_problem() {
    let form = motcua::Form::from_yaml(
        "form:\n  fields:\n    documents_note: {label: {vi: Ghi chú giấy tờ}, type: text, required: true}\ndocuments:\n  id_card: {name: {vi: CCCD}}\n",
        "note.yaml",
    )
    .expect("form");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let v = form.validate(&serde_json::json!({}), &[], today);
    let paths: Vec<&str> = v.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["$.documents_note", "$.documents.id_card"]);
    assert!(!v.form_valid() && !v.documents_complete());
    let documents: Vec<&str> = v.document_problems().map(|p| p.path.as_str()).collect();
    assert_eq!(documents, ["$.documents.id_card"]);
    let only_note = form.validate(
        &serde_json::json!({}),
        &[motcua::SubmittedDocument { id: "id_card".into(), originals: 1, ..Default::default() }],
        today,
    );
    assert!(!only_note.form_valid(), "a missing `documents_note` field is a form problem");
    assert!(only_note.documents_complete());
}

#[test]
fn numeric_bounds_must_be_finite() {
    // YAML can write infinity and NaN; JSON cannot, so such a spec could not be shipped to a
    // browser as JSON. It is refused where it is written.
    for (bound, column) in [("max: .inf", 50), ("min: -.inf", 50), ("max: .nan", 50)] {
        let yaml = format!("form:\n  fields:\n    f: {{label: {{vi: Trường}}, type: integer, {bound}}}\n");
        let err = Form::from_yaml(&yaml, "t.yaml").unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(
            (d.code, d.path.as_str(), d.line, d.column),
            (Code::InvalidValue, &*format!("form.fields.f.{}", &bound[..3]), 3, column),
            "{bound}: {d:?}"
        );
        assert!(d.message.en.contains("finite"), "{}", d.message.en);
    }
    assert!(
        Form::from_yaml("form:\n  fields:\n    f: {label: {vi: Trường}, type: integer, max: 1e300}\n", "t.yaml")
            .is_ok()
    );
}

// ---- form sessions ------------------------------------------------------------------------

mod session {
    use super::*;
    use motcua::spec::form::{FieldSpec, FieldType};
    use motcua::{Delta, FormSession, Problem, Procedure};
    use std::sync::{Arc, LazyLock};

    /// A place an edit can reach: the path with `[]` where a list index goes.
    #[derive(Clone, Debug)]
    struct Target {
        steps: Vec<Option<String>>,
        field: Option<FieldSpec>,
    }

    fn targets(fields: &indexmap::IndexMap<String, FieldSpec>, prefix: &[Option<String>], out: &mut Vec<Target>) {
        for (id, f) in fields {
            let mut steps = prefix.to_vec();
            steps.push(Some(id.clone()));
            out.push(Target { steps: steps.clone(), field: Some(f.clone()) });
            if let Some(inner) = &f.fields {
                if f.repeat.is_some() {
                    steps.push(None);
                    out.push(Target { steps: steps.clone(), field: None });
                }
                targets(inner, &steps, out);
            }
        }
        let mut extra = prefix.to_vec();
        extra.push(Some("zz_extra".into()));
        out.push(Target { steps: extra, field: None });
    }

    fn path(t: &Target, index: u8) -> String {
        let mut p = String::from("$");
        for s in &t.steps {
            match s {
                Some(k) => {
                    p.push('.');
                    p.push_str(k);
                }
                None => p.push_str(&format!("[{}]", index % 3)),
            }
        }
        p
    }

    /// Values valid and invalid for a field (any type for an unknown key or a list item).
    fn values(field: Option<&FieldSpec>) -> Vec<Json> {
        let common = [Json::Null, json!(42), json!("")];
        let Some(f) = field else {
            return [json!({}), json!("x"), json!({"zz": 1})].into_iter().chain(common).collect();
        };
        let mut v: Vec<Json> = match f.kind {
            FieldType::Date => vec![
                json!("2026-02-01"),
                json!("1995-06-20"),
                json!("1890-01-01"),
                json!("2030-12-31"),
                json!("2026-13-01"),
            ],
            FieldType::Datetime => vec![json!("2026-02-01T08:00:00"), json!("yesterday")],
            FieldType::Code => {
                let mut codes: Vec<Json> = f.codes.iter().flatten().map(|(c, _)| json!(c)).take(4).collect();
                codes.push(json!("zz_not_a_code"));
                codes
            }
            FieldType::CitizenId => {
                vec![json!("001195012345"), json!("001093054321"), json!("123"), json!("999195012345")]
            }
            FieldType::Phone => vec![json!("0912 345 678"), json!("12345")],
            FieldType::Email => vec![json!("lan@example.vn"), json!("not an email")],
            FieldType::TaxCode => vec![json!("0100109106"), json!("0100109107")],
            FieldType::Integer | FieldType::Money | FieldType::Decimal => {
                vec![json!(1), json!(0), json!(3), json!(-5), json!(2.5), json!(1e12), json!("7")]
            }
            FieldType::Boolean => vec![json!(true), json!(false), json!("yes")],
            FieldType::Attachment => vec![
                json!([]),
                json!([{"name": "a.pdf", "media_type": "application/pdf", "size": 1000}]),
                json!([{"name": "a.exe", "media_type": "application/x-msdownload", "size": 999999999}]),
                json!([{"name": "a.pdf"}]),
            ],
            FieldType::Group if f.repeat.is_some() => {
                vec![json!([]), json!([{}]), json!([{}, {}, {}, {}, {}, {}]), json!(["x"]), json!({})]
            }
            FieldType::Group => vec![json!({}), json!("x"), json!([])],
            _ => vec![
                json!("Nguyễn Thị Lan"),
                json!("Nguye\u{0302}\u{0303}n"),
                json!("A"),
                json!("01"),
                json!("00004"),
                json!("x".repeat(300)),
                json!("bad\u{202E}text"),
            ],
        };
        v.extend(common);
        v
    }

    struct Shipped {
        procedure: Procedure,
        form: Arc<Form>,
        targets: Vec<Target>,
        documents: Vec<String>,
    }

    fn shipped(file: &str) -> Shipped {
        let procedure = crate::common::procedure(file);
        let form = Arc::new(procedure.form().clone());
        let mut t = Vec::new();
        targets(&procedure.spec().form.as_ref().expect("a form").fields, &[], &mut t);
        let documents = procedure.spec().documents.keys().cloned().chain(["zz_unknown".to_owned()]).collect();
        Shipped { procedure, form, targets: t, documents }
    }

    static FORMS: LazyLock<Vec<Shipped>> = LazyLock::new(|| {
        vec![
            shipped("specs/procedures/birth-registration-residence-insurance.yaml"),
            shipped("specs/procedures/household-business-registration.yaml"),
        ]
    });

    fn apply_delta(before: &[Problem], d: &Delta) -> Vec<Problem> {
        let mut left = before.to_vec();
        for r in &d.removed {
            let i = left.iter().position(|p| p == r).unwrap_or_else(|| panic!("removed but absent: {r:?}"));
            left.remove(i);
        }
        left.extend(d.added.iter().cloned());
        left
    }

    fn sorted(mut v: Vec<Problem>) -> Vec<String> {
        let mut out: Vec<String> = v.drain(..).map(|p| serde_json::to_string(&p).unwrap()).collect();
        out.sort();
        out
    }

    fn check(s: &FormSession, before: &[Problem], d: &Delta, what: &str) {
        let whole = s.form().validate(&Json::Object(s.data().clone()), s.documents(), today());
        assert_eq!(s.problems(), whole.problems, "after {what}: the session differs from the whole validation");
        assert_eq!(sorted(apply_delta(before, d)), sorted(whole.problems), "after {what}: the delta is wrong");
    }

    fn run(form: &Shipped, start_valid: bool, ops: &[(u16, u8, u8, u8)]) {
        let mut s = FormSession::new(Arc::clone(&form.form), today());
        if start_valid {
            let before = s.problems();
            let d = s.set_data(valid_application().as_object().unwrap().clone());
            check(&s, &before, &d, "set_data");
        }
        for &(target, index, pick, op) in ops {
            let t = &form.targets[target as usize % form.targets.len()];
            let p = path(t, index);
            let before = s.problems();
            let data_before = s.data().clone();
            let (what, result) = match op % 8 {
                0..=4 => {
                    let vals = values(t.field.as_ref());
                    let v = vals[pick as usize % vals.len()].clone();
                    (format!("set {p} = {v}"), s.set(&p, v))
                }
                5 => (format!("remove {p}"), s.remove(&p)),
                6 => {
                    // Add an item at the end of a list, or remove the first.
                    let list = p.rsplit_once('[').map_or(p.clone(), |(l, _)| l.to_owned());
                    let len = s.data().get(list.trim_start_matches("$.")).and_then(Json::as_array).map_or(0, Vec::len);
                    if pick % 2 == 0 {
                        (format!("append to {list}"), s.set(&format!("{list}[{len}]"), json!({})))
                    } else {
                        (format!("remove {list}[0]"), s.remove(&format!("{list}[0]")))
                    }
                }
                _ => {
                    let docs: Vec<SubmittedDocument> = form
                        .documents
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| (u32::from(pick) >> (i % 8)) & 1 == 1)
                        .map(|(i, id)| {
                            let mut d = SubmittedDocument { id: id.clone(), ..Default::default() };
                            match (i + index as usize) % 3 {
                                0 => d.originals = 1,
                                1 => d.from_database = Some("population".into()),
                                _ => {
                                    d.files = vec![FileMeta {
                                        name: "a.pdf".into(),
                                        media_type: "application/pdf".into(),
                                        size: 10,
                                    }]
                                }
                            }
                            d
                        })
                        .collect();
                    (format!("documents {docs:?}"), Ok(s.set_documents(docs)))
                }
            };
            match result {
                Ok(d) => check(&s, &before, &d, &what),
                Err(e) => {
                    assert_eq!(s.data(), &data_before, "{what}: a refused edit changed the data ({e})");
                    assert_eq!(s.problems(), before, "{what}: a refused edit changed the problems");
                }
            }
        }
        let _ = &form.procedure;
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        #[test]
        fn session_matches_whole_validation(
            which in 0usize..2,
            start_valid: bool,
            ops in proptest::collection::vec((any::<u16>(), any::<u8>(), any::<u8>(), any::<u8>()), 1..40),
        ) {
            run(&FORMS[which], start_valid, &ops);
        }
    }

    #[test]
    fn session_past_the_problem_limit_answers_as_the_whole_validation() {
        // 600 items with two required fields: 1200 problems, past the 1000 the whole validation
        // reports before its `limit_exceeded`. The session must say exactly the same, and come
        // back to its parts when the form is under the limit again.
        let form = Form::from_yaml(
            "form:\n  fields:\n    m:\n      label: {vi: M}\n      type: group\n      repeat: {min: 0, max: 1000}\n      fields:\n        a: {label: {vi: A}, type: text, required: true}\n        b: {label: {vi: B}, type: text, required: true}\n",
            "f.yaml",
        )
        .unwrap();
        let mut s = FormSession::new(form, today());
        let edits: Vec<(&str, Json)> = vec![
            ("m", Json::Array(vec![json!({}); 600])),
            ("m[0].a", json!("x")),
            ("m[599].b", json!("y")),
            ("m", json!([{}, {"a": "x"}])),
            ("m[1].b", json!("y")),
        ];
        for (path, value) in edits {
            let before = s.problems();
            let d = s.set(path, value).unwrap();
            check(&s, &before, &d, path);
        }
        assert_eq!(s.problems().len(), 2);
        let before = s.problems();
        let d = s.set("m", Json::Array(vec![json!({}); 501])).unwrap();
        check(&s, &before, &d, "501 items");
        assert_eq!(s.problems().last().unwrap().code, Code::LimitExceeded);
    }

    #[test]
    fn session_edits_of_the_birth_form() {
        let form = &FORMS[0];
        let mut s = FormSession::new(Arc::clone(&form.form), today());
        let before = s.problems();
        let d = s.set_data(valid_application().as_object().unwrap().clone());
        check(&s, &before, &d, "set_data");
        // A keystroke in the child's birth date: only what reads it is re-checked.
        let before = s.problems();
        let d = s.set("child.birth_date", json!("2030-01-01")).unwrap();
        check(&s, &before, &d, "a future birth date");
        assert!(d.added.iter().any(|p| p.path == "$.child.birth_date"), "{d:?}");
        let before = s.problems();
        let d = s.set("$.child.birth_date", json!("2026-02-01")).unwrap();
        check(&s, &before, &d, "a birth date back");
        assert!(d.added.is_empty(), "{d:?}");
        let before = s.problems();
        // Bad paths are refused with a code and leave everything as it was.
        for (bad, code) in [
            ("", Code::InvalidValue),
            ("child..x", Code::InvalidValue),
            ("child.full_name.x", Code::InvalidType),
            ("child[0]", Code::InvalidType),
        ] {
            let err = s.set(bad, json!(1)).unwrap_err();
            assert_eq!((err.code, err.path.as_str()), (code, bad), "{err}");
        }
        assert_eq!(s.problems(), before);
    }
}
