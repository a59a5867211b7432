//! Form validation: `motcua` natively vs the `jsonschema` crate on an equivalent schema.
//!
//! The same 30-field form (text, dates, codes, CCCD, tax code, phone, email, numbers,
//! money, a conditional field, no extra keys) is validated both ways, on a valid and
//! on an invalid application, reporting all problems (`iter_errors` for jsonschema).
//! `motcua` also does what the schema cannot (tax-code check digit, dates relative to
//! today, NFC lengths) and builds bilingual messages for each problem.
//!
//! The shipped birth-registration form (7 groups, 40 fields, the sample application of the
//! WASM package's tests) is also validated whole and edited through a [`FormSession`]: one
//! keystroke is a `set` of one field and the problems that changed, against the whole-form
//! validation it replaces.
//!
//! Run with `cargo bench --bench forms`; after divan's table it prints the ratios.

use std::hint::black_box;
use std::sync::LazyLock;
use std::time::Instant;

use chrono::NaiveDate;
use motcua::{Catalogue, Form, FormSession, Library, Procedure, SubmittedDocument};
use serde_json::{Value, json};

const FORM: &str = r#"
form:
  fields:
    full_name: {label: {vi: Họ và tên}, type: text, required: true, min_length: 2, max_length: 100, pattern: "[A-Za-zÀ-ỹ ]+"}
    other_names: {label: {vi: Tên gọi khác}, type: text, max_length: 100}
    birth_date: {label: {vi: Ngày sinh}, type: date, required: true, min: 1900-01-01, max: today}
    sex: {label: {vi: Giới tính}, type: code, required: true, codes: {male: {vi: Nam}, female: {vi: Nữ}}}
    ethnicity: {label: {vi: Dân tộc}, type: code, required: true, codes: {kinh: {vi: Kinh}, tay: {vi: Tày}, thai: {vi: Thái}, muong: {vi: Mường}, khmer: {vi: Khơ Me}, hoa: {vi: Hoa}, other: {vi: Khác}}}
    religion: {label: {vi: Tôn giáo}, type: text, max_length: 50}
    nationality: {label: {vi: Quốc tịch}, type: code, required: true, codes: {vn: {vi: Việt Nam}, other: {vi: Khác}}}
    citizen_id: {label: {vi: Số định danh cá nhân}, type: citizen_id, required: true}
    tax_code: {label: {vi: Mã số thuế}, type: tax_code}
    phone: {label: {vi: Điện thoại}, type: phone, required: true}
    email: {label: {vi: Thư điện tử}, type: email}
    province: {label: {vi: Tỉnh}, type: admin_unit, level: province, required: true}
    commune: {label: {vi: Xã}, type: admin_unit, level: commune, required: true}
    address: {label: {vi: Địa chỉ}, type: text, required: true, max_length: 200}
    occupation: {label: {vi: Nghề nghiệp}, type: text, max_length: 100}
    workplace: {label: {vi: Nơi làm việc}, type: text, max_length: 200}
    household_size: {label: {vi: Số nhân khẩu}, type: integer, required: true, min: 1, max: 50}
    monthly_income: {label: {vi: Thu nhập hằng tháng}, type: money, min: 0, max: 10000000000}
    land_area: {label: {vi: Diện tích đất (m²)}, type: decimal, min: 0, max: 1000000}
    has_insurance: {label: {vi: Có thẻ BHYT}, type: boolean, required: true}
    insurance_number: {label: {vi: Mã số BHXH}, type: text, min_length: 10, max_length: 10, pattern: "[0-9]{10}"}
    relationship: {label: {vi: Quan hệ}, type: code, required: true, codes: {self: {vi: Bản thân}, parent: {vi: Cha mẹ}, other: {vi: Khác}}}
    relationship_note: {label: {vi: Ghi rõ quan hệ}, type: text, required_if: relationship == 'other', max_length: 50}
    issue_date: {label: {vi: Ngày cấp}, type: date, required: true, min: 1900-01-01, max: today}
    issue_place: {label: {vi: Nơi cấp}, type: text, required: true, max_length: 100}
    marital_status: {label: {vi: Tình trạng hôn nhân}, type: code, codes: {single: {vi: Độc thân}, married: {vi: Đã kết hôn}, divorced: {vi: Ly hôn}, widowed: {vi: Góa}}}
    education: {label: {vi: Trình độ học vấn}, type: code, codes: {none: {vi: Không}, primary: {vi: Tiểu học}, secondary: {vi: Trung học}, university: {vi: Đại học}}}
    receive_by_post: {label: {vi: Nhận qua bưu chính}, type: boolean}
    note: {label: {vi: Ghi chú}, type: text, max_length: 500}
    request_count: {label: {vi: Số bản yêu cầu}, type: integer, required: true, min: 1, max: 10}
"#;

const PROVINCES: &str = "001|002|004|006|008|010|011|012|014|015|017|019|020|022|024|025|026|027|030|031|033|034|035|036|037|038|040|042|044|045|046|048|049|051|052|054|056|058|060|062|064|066|067|068|070|072|074|075|077|079|080|082|083|084|086|087|089|091|092|093|094|095|096";

fn json_schema() -> Value {
    let text = |max: u32| json!({"type": "string", "maxLength": max});
    let date = json!({"type": "string", "format": "date"});
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": false,
        "required": ["full_name", "birth_date", "sex", "ethnicity", "nationality", "citizen_id", "phone",
                     "province", "commune", "address", "household_size", "has_insurance", "relationship",
                     "issue_date", "issue_place", "request_count"],
        "properties": {
            "full_name": {"type": "string", "minLength": 2, "maxLength": 100, "pattern": "^[A-Za-zÀ-ỹ ]+$"},
            "other_names": text(100),
            "birth_date": date,
            "sex": {"enum": ["male", "female"]},
            "ethnicity": {"enum": ["kinh", "tay", "thai", "muong", "khmer", "hoa", "other"]},
            "religion": text(50),
            "nationality": {"enum": ["vn", "other"]},
            "citizen_id": {"type": "string", "pattern": format!("^({PROVINCES})[0-9]{{9}}$")},
            "tax_code": {"type": "string", "pattern": "^[0-9]{10}(-[0-9]{3})?$"},
            "phone": {"type": "string", "pattern": "^(0|\\+84)([35789][0-9]{8}|2[0-9]{9})$"},
            "email": {"type": "string", "format": "email"},
            "province": {"type": "string", "pattern": "^[0-9]{2}$"},
            "commune": {"type": "string", "pattern": "^[0-9]{5}$"},
            "address": text(200),
            "occupation": text(100),
            "workplace": text(200),
            "household_size": {"type": "integer", "minimum": 1, "maximum": 50},
            "monthly_income": {"type": "integer", "minimum": 0, "maximum": 10_000_000_000_i64},
            "land_area": {"type": "number", "minimum": 0, "maximum": 1_000_000},
            "has_insurance": {"type": "boolean"},
            "insurance_number": {"type": "string", "minLength": 10, "maxLength": 10, "pattern": "^[0-9]{10}$"},
            "relationship": {"enum": ["self", "parent", "other"]},
            "relationship_note": text(50),
            "issue_date": date,
            "issue_place": text(100),
            "marital_status": {"enum": ["single", "married", "divorced", "widowed"]},
            "education": {"enum": ["none", "primary", "secondary", "university"]},
            "receive_by_post": {"type": "boolean"},
            "note": text(500),
            "request_count": {"type": "integer", "minimum": 1, "maximum": 10}
        },
        "if": {"properties": {"relationship": {"const": "other"}}, "required": ["relationship"]},
        "then": {"required": ["relationship_note"]}
    })
}

fn valid() -> Value {
    json!({
        "full_name": "Nguyễn Văn An", "other_names": "Bin", "birth_date": "1990-05-17", "sex": "male",
        "ethnicity": "kinh", "religion": "Không", "nationality": "vn", "citizen_id": "001090012345",
        "tax_code": "0100109106", "phone": "0912345678", "email": "an.nguyen@example.vn",
        "province": "01", "commune": "00004", "address": "Số 1 phố Tràng Tiền",
        "occupation": "Kỹ sư", "workplace": "Công ty ABC", "household_size": 4,
        "monthly_income": 15_000_000, "land_area": 120.5, "has_insurance": true,
        "insurance_number": "0123456789", "relationship": "other", "relationship_note": "Cháu",
        "issue_date": "2021-04-01", "issue_place": "Cục Cảnh sát QLHC về TTXH", "marital_status": "married",
        "education": "university", "receive_by_post": false, "note": "", "request_count": 2
    })
}

fn invalid() -> Value {
    let mut v = valid();
    v["full_name"] = json!("A");
    v["sex"] = json!("nam");
    v["citizen_id"] = json!("003090012345");
    v["phone"] = json!("12345");
    v["household_size"] = json!(0);
    v["relationship_note"] = Value::Null;
    v["commune"] = json!("4");
    v["extra"] = json!(1);
    v
}

// With the province codes the schema's CCCD pattern lists (a standalone form checks only the
// format and the birth year; a procedure's form gets them from its catalogue).
static NATIVE: LazyLock<Form> = LazyLock::new(|| {
    Form::from_yaml(FORM, "bench.yaml").expect("bench form").with_citizen_id_provinces(PROVINCES.split('|'))
});
static SCHEMA: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| jsonschema::options().should_validate_formats(true).build(&json_schema()).expect("bench schema"));
static VALID: LazyLock<Value> = LazyLock::new(valid);
static INVALID: LazyLock<Value> = LazyLock::new(invalid);
const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 2, 13).expect("date");

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("read")
}

/// The shipped birth form, its sample application, and a session holding it.
struct Birth {
    form: Form,
    data: Value,
    documents: Vec<SubmittedDocument>,
}

static BIRTH: LazyLock<Birth> = LazyLock::new(|| {
    let catalogue = Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").expect("catalogue");
    let mut library = Library::new(catalogue);
    library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").expect("calendar");
    let file = "specs/procedures/birth-registration-residence-insurance.yaml";
    let procedure = Procedure::from_yaml(&read(file), file, &library).expect("birth procedure");
    let sample: Value =
        serde_json::from_str(&read("bindings/wasm/test/fixtures/birth-application.json")).expect("sample");
    // The fixture is the JS package's (camelCase document keys).
    let documents = sample["documents"].to_string().replace("\"mediaType\"", "\"media_type\"");
    let documents =
        serde_json::from_str(&documents.replace("\"fromDatabase\"", "\"from_database\"")).expect("documents");
    Birth { form: procedure.form().clone(), data: sample["data"].clone(), documents }
});
const BIRTH_TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 3, 9).expect("date");

fn birth_session() -> FormSession {
    let b = &*BIRTH;
    let mut s = FormSession::new(b.form.clone(), BIRTH_TODAY);
    s.set_data(b.data.as_object().expect("object").clone());
    s.set_documents(b.documents.clone());
    s
}

fn birth_whole() -> usize {
    let b = &*BIRTH;
    b.form.validate(black_box(&b.data), &b.documents, BIRTH_TODAY).problems.len()
}

/// One keystroke: the child's name gains or loses its last letter (no problem changes).
fn keystroke(s: &mut FormSession, i: usize) -> usize {
    let name = if i.is_multiple_of(2) { "Trần Minh Khô" } else { "Trần Minh Khôi" };
    let d = s.set("child.full_name", Value::String(name.into())).expect("set");
    d.added.len() + d.removed.len()
}

/// One keystroke that makes a problem appear or go: the declarant's CCCD loses its last digit.
fn keystroke_error(s: &mut FormSession, i: usize) -> usize {
    let id = if i.is_multiple_of(2) { "00119501234" } else { "001195012345" };
    let d = s.set("declarant.citizen_id", Value::String(id.into())).expect("set");
    d.added.len() + d.removed.len()
}

#[divan::bench]
fn birth_validate_whole(b: divan::Bencher) {
    b.bench(birth_whole);
}

#[divan::bench]
fn birth_session_keystroke(b: divan::Bencher) {
    let mut s = birth_session();
    let mut i = 0;
    b.bench_local(|| {
        i += 1;
        keystroke(&mut s, i)
    });
}

#[divan::bench]
fn birth_session_keystroke_with_error(b: divan::Bencher) {
    let mut s = birth_session();
    let mut i = 0;
    b.bench_local(|| {
        i += 1;
        keystroke_error(&mut s, i)
    });
}

fn native(data: &Value) -> usize {
    NATIVE.validate(data, &[], TODAY).problems.len()
}

fn schema(data: &Value) -> usize {
    SCHEMA.iter_errors(data).count()
}

#[divan::bench]
fn valid_motcua(b: divan::Bencher) {
    b.bench(|| native(black_box(&VALID)));
}

#[divan::bench]
fn valid_jsonschema(b: divan::Bencher) {
    b.bench(|| schema(black_box(&VALID)));
}

#[divan::bench]
fn valid_jsonschema_is_valid(b: divan::Bencher) {
    b.bench(|| SCHEMA.is_valid(black_box(&VALID)));
}

#[divan::bench]
fn invalid_motcua(b: divan::Bencher) {
    b.bench(|| native(black_box(&INVALID)));
}

#[divan::bench]
fn invalid_jsonschema(b: divan::Bencher) {
    b.bench(|| schema(black_box(&INVALID)));
}

fn per_call(f: impl Fn() -> usize) -> f64 {
    for _ in 0..1_000 {
        black_box(f());
    }
    let n = 20_000;
    let start = Instant::now();
    for _ in 0..n {
        black_box(f());
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(n)
}

fn main() {
    assert_eq!(native(&VALID), 0, "{:?}", NATIVE.validate(&VALID, &[], TODAY).problems);
    assert_eq!(schema(&VALID), 0);
    assert_eq!(native(&INVALID), 8);
    assert!(schema(&INVALID) >= 7);
    assert_eq!(NATIVE.field_count(), 30);
    assert_eq!(birth_whole(), 0, "the birth sample is valid");
    let mut check = birth_session();
    assert_eq!((keystroke(&mut check, 0), keystroke_error(&mut check, 0)), (0, 1));
    divan::main();
    for (name, data) in [("valid", &*VALID), ("invalid", &*INVALID)] {
        let ours = per_call(|| native(data));
        let theirs = per_call(|| schema(data));
        println!(
            "{name:>7}: motcua {ours:>8.0} ns, jsonschema {theirs:>8.0} ns, jsonschema/motcua = {:.2}",
            theirs / ours
        );
    }
    let whole = per_call(birth_whole);
    let mut s = birth_session();
    let cell = std::cell::Cell::new(0);
    let s = std::cell::RefCell::new(&mut s);
    let key = per_call(|| {
        cell.set(cell.get() + 1);
        keystroke(&mut s.borrow_mut(), cell.get())
    });
    let key_error = per_call(|| {
        cell.set(cell.get() + 1);
        keystroke_error(&mut s.borrow_mut(), cell.get())
    });
    println!(
        "  birth: whole validation {whole:>6.0} ns; session keystroke {key:>6.0} ns ({:.2}× whole), with a problem appearing/going {key_error:>6.0} ns ({:.2}× whole)",
        key / whole,
        key_error / whole
    );
}
