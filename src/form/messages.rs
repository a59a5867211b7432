//! The message catalogue of validation problems: templates by language and key.
//!
//! A key is a code (`field_required`) or a code and a variant (`invalid_format.phone`,
//! `invalid_citizen_id.province`); the variant is the problem's `reason` parameter.
//! Templates use `{label}` (the field's label in the language, falling back to
//! Vietnamese) and `{name}` for any parameter. More languages are data: add them with
//! [`Messages::insert`] or [`Messages::extend_from_json`].

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use crate::diagnostic::Code;
use crate::text::Text;

/// Built-in templates: key, Vietnamese, English.
const BUILTIN: &[(&str, &str, &str)] = &[
    ("field_required", "{label}: chưa nhập thông tin bắt buộc", "{label}: this field is required"),
    ("field_type", "{label}: giá trị sai kiểu (cần {expected})", "{label}: wrong kind of value (expected {expected})"),
    ("unexpected_field", "Biểu mẫu không có trường `{field}`", "The form has no field `{field}`"),
    ("too_short", "{label}: cần ít nhất {min} ký tự", "{label}: at least {min} characters"),
    ("too_long", "{label}: tối đa {max} ký tự", "{label}: at most {max} characters"),
    (
        "limit_exceeded",
        "Tờ khai cần quá {steps} bước tính để kiểm tra; việc kiểm tra dừng lại",
        "The form needs more than {steps} evaluation steps to check; validation stopped",
    ),
    (
        "control_character",
        "{label}: có ký tự điều khiển hoặc ký tự đảo chiều ({char}) ở vị trí {position}",
        "{label}: contains a control or bidirectional character ({char}) at position {position}",
    ),
    ("below_minimum", "{label}: không được nhỏ hơn {min}", "{label}: must be at least {min}"),
    ("below_minimum.date", "{label}: không được trước ngày {min}", "{label}: must not be before {min}"),
    ("above_maximum", "{label}: không được lớn hơn {max}", "{label}: must be at most {max}"),
    ("above_maximum.date", "{label}: không được sau ngày {max}", "{label}: must not be after {max}"),
    ("not_integer", "{label}: phải là số nguyên", "{label}: must be a whole number"),
    (
        "not_integer.money",
        "{label}: số tiền phải là số nguyên đồng, không âm",
        "{label}: an amount must be a non-negative whole number of đồng",
    ),
    ("pattern_mismatch", "{label}: không đúng định dạng quy định", "{label}: does not match the required format"),
    (
        "not_in_code_list",
        "{label}: giá trị `{value}` không có trong danh mục",
        "{label}: `{value}` is not one of the allowed values",
    ),
    ("invalid_format", "{label}: sai định dạng", "{label}: malformed value"),
    (
        "invalid_format.date",
        "{label}: ngày không hợp lệ, ghi theo dạng YYYY-MM-DD (ví dụ 2026-02-13)",
        "{label}: invalid date, write YYYY-MM-DD (e.g. 2026-02-13)",
    ),
    (
        "invalid_format.datetime",
        "{label}: thời điểm không hợp lệ, ghi theo dạng YYYY-MM-DDTHH:MM",
        "{label}: invalid date and time, write YYYY-MM-DDTHH:MM",
    ),
    (
        "invalid_format.phone",
        "{label}: số điện thoại không hợp lệ (di động 10 số, cố định 11 số, bắt đầu bằng 0 hoặc +84)",
        "{label}: invalid phone number (10-digit mobile or 11-digit landline, starting with 0 or +84)",
    ),
    ("invalid_format.email", "{label}: địa chỉ thư điện tử không hợp lệ", "{label}: invalid email address"),
    (
        "invalid_format.admin_unit",
        "{label}: mã đơn vị hành chính không hợp lệ",
        "{label}: invalid administrative-unit code",
    ),
    (
        "invalid_citizen_id",
        "{label}: số định danh cá nhân không hợp lệ",
        "{label}: invalid personal identification number",
    ),
    (
        "invalid_citizen_id.length",
        "{label}: số định danh cá nhân phải gồm đúng 12 chữ số",
        "{label}: a personal identification number has exactly 12 digits",
    ),
    (
        "invalid_citizen_id.province",
        "{label}: 3 chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh",
        "{label}: the first 3 digits are not a province code",
    ),
    (
        "invalid_citizen_id.birth_year",
        "{label}: chữ số thế kỷ và năm sinh chỉ một năm trong tương lai",
        "{label}: the century and year digits give a birth year in the future",
    ),
    ("invalid_tax_code", "{label}: mã số thuế không hợp lệ", "{label}: invalid tax code"),
    (
        "invalid_tax_code.format",
        "{label}: mã số thuế gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001",
        "{label}: a tax code has 10 digits, or 13 written 0123456789-001",
    ),
    (
        "invalid_tax_code.check_digit",
        "{label}: chữ số kiểm tra của mã số thuế không đúng",
        "{label}: the tax code's check digit is wrong",
    ),
    (
        "invalid_tax_code.branch",
        "{label}: mã chi nhánh phải từ 001 đến 999",
        "{label}: the branch number must be 001 to 999",
    ),
    ("too_few_items", "{label}: cần ít nhất {min} mục", "{label}: at least {min} item(s) needed"),
    ("too_many_items", "{label}: tối đa {max} mục", "{label}: at most {max} item(s)"),
    (
        "media_type_not_accepted",
        "{label}: không chấp nhận tệp loại {media_type}",
        "{label}: files of type {media_type} are not accepted",
    ),
    ("file_too_large", "{label}: tệp lớn hơn {max_size} byte", "{label}: the file is larger than {max_size} bytes"),
    ("rule_violated", "{label}: dữ liệu không thỏa quy tắc {rule}", "{label}: rule {rule} does not hold"),
    (
        "expression_failed",
        "{label}: không tính được điều kiện `{expression}`",
        "{label}: the condition `{expression}` could not be evaluated",
    ),
    (
        "limit_exceeded",
        "Quá nhiều lỗi; chỉ báo {max} lỗi đầu tiên",
        "Too many problems; only the first {max} are reported",
    ),
    ("document_missing", "Thiếu giấy tờ: {label}", "Missing document: {label}"),
    (
        "document_count",
        "{label}: cần {originals} bản chính và {copies} bản sao",
        "{label}: {originals} original(s) and {copies} copy(ies) are required",
    ),
    (
        "unknown_document",
        "Giấy tờ `{document}` không có trong thành phần hồ sơ",
        "Document `{document}` is not on the checklist",
    ),
    (
        "not_replaceable",
        "{label}: không thể thay bằng dữ liệu từ cơ sở dữ liệu `{database}`",
        "{label}: cannot be replaced by data from the `{database}` database",
    ),
];

/// Message templates by language, for rendering validation problems.
///
/// ```
/// use motcua::{Code, Messages, Text};
/// let mut m = Messages::builtin();
/// let params = serde_json::json!({"min": 3}).as_object().unwrap().clone();
/// let label = Text::new("Họ và tên", Some("Full name"));
/// assert_eq!(m.render("en", "too_short", Some(&label), &params), "Full name: at least 3 characters");
/// m.insert("fr", "too_short", "{label} : au moins {min} caractères");
/// assert_eq!(m.render("fr", "too_short", Some(&label), &params), "Họ và tên : au moins 3 caractères");
/// ```
#[derive(Clone, Debug)]
pub struct Messages {
    templates: HashMap<String, HashMap<String, String>>,
}

impl Default for Messages {
    fn default() -> Self {
        Messages::builtin()
    }
}

impl Messages {
    /// The built-in Vietnamese and English templates.
    ///
    /// ```
    /// assert!(motcua::Messages::builtin().languages().contains(&"vi"));
    /// ```
    pub fn builtin() -> Messages {
        let mut m = Messages { templates: HashMap::new() };
        for (key, vi, en) in BUILTIN {
            m.insert("vi", key, vi);
            m.insert("en", key, en);
        }
        m
    }

    /// Adds or replaces the template for `key` in `lang`.
    ///
    /// ```
    /// let mut m = motcua::Messages::builtin();
    /// m.insert("fr", "field_required", "{label} : champ obligatoire");
    /// assert!(m.languages().contains(&"fr"));
    /// ```
    pub fn insert(&mut self, lang: &str, key: &str, template: &str) {
        self.templates.entry(lang.to_owned()).or_default().insert(key.to_owned(), template.to_owned());
    }

    /// Adds templates from JSON shaped `{"lang": {"key": "template", …}, …}`; returns
    /// how many were added, or `None` if the shape is wrong (nothing is added then).
    ///
    /// ```
    /// let mut m = motcua::Messages::builtin();
    /// let n = m.extend_from_json(&serde_json::json!({"fr": {"too_long": "{label} : trop long"}}));
    /// assert_eq!(n, Some(1));
    /// ```
    pub fn extend_from_json(&mut self, json: &Json) -> Option<usize> {
        let langs = json.as_object()?;
        let mut pending = Vec::new();
        for (lang, table) in langs {
            for (key, template) in table.as_object()? {
                pending.push((lang.as_str(), key.as_str(), template.as_str()?));
            }
        }
        let n = pending.len();
        for (lang, key, template) in pending {
            self.insert(lang, key, template);
        }
        Some(n)
    }

    /// The languages with templates, sorted.
    ///
    /// ```
    /// assert_eq!(motcua::Messages::builtin().languages(), vec!["en", "vi"]);
    /// ```
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = self.templates.keys().map(String::as_str).collect();
        langs.sort_unstable();
        langs
    }

    fn template(&self, lang: &str, key: &str) -> Option<&str> {
        let table = self.templates.get(lang)?;
        table.get(key).or_else(|| key.split_once('.').and_then(|(code, _)| table.get(code))).map(String::as_str)
    }

    /// Renders `key` (a code, optionally `.variant`) in `lang`, falling back to English,
    /// then to the code's summary.
    ///
    /// ```
    /// let m = motcua::Messages::builtin();
    /// let none = serde_json::Map::new();
    /// assert_eq!(m.render("vi", "field_required", None, &none), "Trường: chưa nhập thông tin bắt buộc");
    /// ```
    pub fn render(&self, lang: &str, key: &str, label: Option<&Text>, params: &Map<String, Json>) -> String {
        let template =
            self.template(lang, key).or_else(|| self.template("en", key)).map(str::to_owned).unwrap_or_else(|| {
                let code = key.split('.').next().and_then(Code::from_name);
                code.map_or_else(|| key.to_owned(), |c| c.summary().get(lang).to_owned())
            });
        fill(&template, lang, label, params)
    }
}

fn fill(template: &str, lang: &str, label: Option<&Text>, params: &Map<String, Json>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        if name == "label" {
            out.push_str(label.map_or(if lang == "vi" { "Trường" } else { "Field" }, |l| l.get(lang)));
        } else {
            match params.get(name) {
                Some(Json::String(s)) => out.push_str(s),
                Some(Json::Number(n)) => out.push_str(&n.to_string()),
                Some(other) => out.push_str(&other.to_string()),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_names_a_code_and_has_both_languages() {
        let m = Messages::builtin();
        for (key, _, _) in BUILTIN {
            let code = key.split('.').next().unwrap();
            assert!(Code::from_name(code).is_some(), "{key}");
            assert!(m.template("vi", key).is_some() && m.template("en", key).is_some());
        }
    }

    #[test]
    fn variants_fall_back_to_the_code_and_languages_to_english() {
        let m = Messages::builtin();
        let p = Map::new();
        assert_eq!(m.render("en", "invalid_format.unheard_of", None, &p), "Field: malformed value");
        assert_eq!(m.render("de", "too_long", None, &p), "Field: at most {max} characters");
        assert_eq!(m.render("en", "document_missing", None, &p), "Missing document: Field");
        assert_eq!(m.render("en", "type_mismatch", None, &p), "The types do not match");
    }
}
