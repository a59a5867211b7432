//! One error type with a place: [`Diagnostic`], and the stable [`Code`]s it carries.
//!
//! Every problem the engine reports — a YAML syntax error, a broken reference in a
//! procedure, a lint, a rejected command — carries a [`Code`] whose string form
//! (`"unknown_step"`, `"version_conflict"`, …) never changes between releases, a
//! [`Severity`], and a bilingual [`Message`] (Vietnamese first, English second).
//! Load-time diagnostics also carry the file, line, column and a dotted path such as
//! `steps.appraisal.actions.approve.to`.
//!
//! ```
//! use motcua::{Code, Severity};
//!
//! assert_eq!(Code::UnknownStep.as_str(), "unknown_step");
//! assert_eq!(Code::from_name("unknown_step"), Some(Code::UnknownStep));
//! assert_eq!(Code::UnreachableStep.default_severity(), Severity::Warning);
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How serious a diagnostic is.
///
/// ```
/// use motcua::{Code, Diagnostic, Message, Severity};
///
/// let d = Diagnostic::new(Code::UnreachableStep, Message::new("Không tới được", "Unreachable"));
/// assert_eq!(d.severity, Severity::Warning);
/// assert!(Severity::Warning < Severity::Error);
/// assert_eq!(Severity::Error.to_string(), "error");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the procedure still loads.
    Warning,
    /// The procedure does not load.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A message in Vietnamese and English.
///
/// Engine-generated messages always have both languages; spec authors' labels use
/// [`crate::Text`], where English is optional.
///
/// ```
/// let m = motcua::Message::new("Thiếu trường bắt buộc", "A required field is missing");
/// assert_eq!(m.get("vi"), "Thiếu trường bắt buộc");
/// assert_eq!(serde_json::to_value(&m).unwrap()["en"], "A required field is missing");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Message {
    /// Builds a message from its two languages.
    ///
    /// ```
    /// let m = motcua::Message::new("Không tìm thấy bước", "Step not found");
    /// assert_eq!(m.en, "Step not found");
    /// ```
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Message { vi: vi.into(), en: en.into() }
    }

    /// The message in the given language (`"vi"` or anything else for English).
    ///
    /// ```
    /// let m = motcua::Message::new("Không tìm thấy bước", "Step not found");
    /// assert_eq!(m.get("vi"), "Không tìm thấy bước");
    /// assert_eq!(m.get("en"), "Step not found");
    /// assert_eq!(m.get("fr"), "Step not found"); // anything else is English
    /// ```
    pub fn get(&self, lang: &str) -> &str {
        if lang == "vi" { &self.vi } else { &self.en }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $vi:literal, $en:literal; )*) => {
        /// A stable, machine-readable diagnostic or rejection code.
        ///
        /// The string form ([`Code::as_str`]) is part of the public contract: hosts may
        /// store it, switch on it and translate it. New codes may be added; existing
        /// ones are never renamed or reused.
        ///
        /// ```
        /// use motcua::Code;
        ///
        /// assert_eq!(Code::VersionConflict.as_str(), "version_conflict");
        /// assert_eq!(serde_json::to_string(&Code::UnknownStep).unwrap(), "\"unknown_step\"");
        /// assert_eq!(Code::UnknownStep.to_string(), "unknown_step");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            ///
            /// ```
            /// use motcua::Code;
            ///
            /// assert_eq!(Code::ALL[0], Code::YamlSyntax);
            /// // Every code round-trips through its string form.
            /// assert!(Code::ALL.iter().all(|c| Code::from_name(c.as_str()) == Some(*c)));
            /// ```
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable string form, e.g. `"unknown_step"`.
            ///
            /// ```
            /// assert_eq!(motcua::Code::MissingField.as_str(), "missing_field");
            /// ```
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity a diagnostic with this code has unless stated otherwise.
            ///
            /// ```
            /// use motcua::{Code, Severity};
            ///
            /// assert_eq!(Code::UnknownStep.default_severity(), Severity::Error);
            /// assert_eq!(Code::UnreachableStep.default_severity(), Severity::Warning);
            /// ```
            pub const fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// A one-line description of what the code means, in both languages.
            ///
            /// ```
            /// let summary = motcua::Code::YamlSyntax.summary();
            /// assert_eq!(summary.vi, "Cú pháp YAML không hợp lệ");
            /// assert_eq!(summary.en, "The text is not valid YAML");
            /// ```
            pub fn summary(self) -> Message {
                match self { $( Code::$variant => Message::new($vi, $en), )* }
            }

            /// Looks a code up by its string form.
            ///
            /// ```
            /// use motcua::Code;
            ///
            /// assert_eq!(Code::from_name("json_syntax"), Some(Code::JsonSyntax));
            /// assert_eq!(Code::from_name("JsonSyntax"), None);
            /// ```
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // ---- reading YAML and JSON ----
    /// The text is not well-formed YAML.
    YamlSyntax = "yaml_syntax", Error,
        "Cú pháp YAML không hợp lệ", "The text is not valid YAML";
    /// The text is not well-formed JSON.
    JsonSyntax = "json_syntax", Error,
        "Cú pháp JSON không hợp lệ", "The text is not valid JSON";
    /// A key the format does not know (often a typo).
    UnknownField = "unknown_field", Error,
        "Trường không được hỗ trợ", "Unknown field";
    /// A required key is absent.
    MissingField = "missing_field", Error,
        "Thiếu trường bắt buộc", "A required field is missing";
    /// A value has the wrong type (a list where a text was expected, …).
    InvalidType = "invalid_type", Error,
        "Sai kiểu dữ liệu", "A value has the wrong type";
    /// A value has the right type but is not allowed (an unknown variant, a malformed duration, …).
    InvalidValue = "invalid_value", Error,
        "Giá trị không hợp lệ", "A value is not allowed here";
    /// The same key appears twice in one mapping.
    DuplicateKey = "duplicate_key", Error,
        "Khóa bị lặp lại", "The same key appears twice";
    /// The input exceeds a resource limit (size, nesting, aliases, count of items).
    LimitExceeded = "limit_exceeded", Error,
        "Vượt quá giới hạn tài nguyên", "A resource limit was exceeded";
    /// The spec declares a format version this engine does not read.
    UnsupportedFormat = "unsupported_format", Error,
        "Phiên bản định dạng không được hỗ trợ", "Unsupported spec format version";

    // ---- references and structure of a procedure ----
    /// An action targets a step or outcome that does not exist.
    UnknownStep = "unknown_step", Error,
        "Bước không tồn tại", "Unknown step or outcome";
    /// A step or action names an agency kind the catalogue does not define.
    UnknownAgency = "unknown_agency", Error,
        "Loại cơ quan không có trong danh mục", "Unknown agency kind";
    /// A step or action names a role the catalogue does not define.
    UnknownRole = "unknown_role", Error,
        "Vai trò không có trong danh mục", "Unknown role";
    /// A document names a national database the catalogue does not define.
    UnknownDatabase = "unknown_database", Error,
        "Cơ sở dữ liệu quốc gia không có trong danh mục", "Unknown national database";
    /// An administrative unit that is not listed, or a parent that is not above its unit.
    UnknownUnit = "unknown_unit", Error,
        "Đơn vị hành chính không có trong danh sách", "Unknown administrative unit";
    /// An agency kind names an administrative level the catalogue does not define.
    UnknownLevel = "unknown_level", Error,
        "Cấp hành chính không có trong danh mục", "Unknown administrative level";
    /// The procedure names a catalogue other than the one it was loaded with.
    CatalogueMismatch = "catalogue_mismatch", Error,
        "Danh mục không khớp", "The procedure expects another catalogue";
    /// A step and an outcome share a name, or a name is not ASCII `snake_case`.
    InvalidName = "invalid_name", Error,
        "Tên định danh không hợp lệ", "Invalid or clashing identifier";
    /// A step cannot be reached from the first step.
    UnreachableStep = "unreachable_step", Warning,
        "Bước không thể đến được", "Step cannot be reached from the start";
    /// No path leads from this step to any terminal outcome.
    DeadEnd = "dead_end", Error,
        "Bước không dẫn đến kết quả nào", "No path from this step reaches an outcome";
    /// The procedure has no terminal outcome that issues a result.
    NoOutcome = "no_outcome", Error,
        "Thủ tục không có kết quả cuối", "The procedure has no terminal outcome";
    /// A fork's branches never meet at a join step.
    ForkWithoutJoin = "fork_without_join", Error,
        "Rẽ nhánh song song không có điểm hợp nhất", "Parallel branches never join";
    /// A path of a parallel branch reaches an outcome, or its own fork again, before the
    /// join: the other branches' work would be dropped or counted twice.
    BranchBypassesJoin = "branch_bypasses_join", Error,
        "Nhánh song song kết thúc hoặc quay lại trước điểm hợp nhất", "A parallel branch leaves before its join";
    /// A join step is not reached by the branches of exactly one fork.
    InvalidJoin = "invalid_join", Error,
        "Điểm hợp nhất không hợp lệ", "A join step does not close exactly one fork";
    /// A path from start to outcome needs more working time than the legal deadline.
    BudgetExceedsDeadline = "budget_exceeds_deadline", Error,
        "Tổng thời gian các bước vượt thời hạn giải quyết", "Step budgets exceed the legal deadline";
    /// A deadline case, or an action's `decides`, names a decision not declared in
    /// `decisions`.
    UnknownDecision = "unknown_decision", Error,
        "Quyết định không được khai báo", "Unknown decision";
    /// A step's `case_budgets` names a case not declared in `deadline_cases`.
    UnknownDeadlineCase = "unknown_deadline_case", Error,
        "Trường hợp thời hạn không được khai báo", "Unknown deadline case";
    /// A deadline case without its legal citation (`basis`). An error, not a warning: a
    /// case changes the appointment a citizen is given, and nothing else in the spec shows
    /// that the longer (or shorter) deadline is lawful.
    UncitedDeadlineCase = "uncited_deadline_case", Error,
        "Trường hợp thời hạn không nêu căn cứ pháp lý", "A deadline case cites no legal basis";
    /// A national status code outside the range a step may hold.
    InvalidStatusCode = "invalid_status_code", Error,
        "Mã trạng thái quốc gia không hợp lệ", "Invalid national status code";
    /// A step uses an administrative level that is no longer in force.
    HistoricalLevel = "historical_level", Warning,
        "Cấp hành chính đã bãi bỏ", "The administrative level is no longer in force";

    // ---- running dossiers ----
    /// The command's expected version is not the dossier's version.
    VersionConflict = "version_conflict", Error,
        "Hồ sơ đã được cập nhật bởi thao tác khác", "The dossier changed since it was read";
    /// The dossier reached a terminal outcome; nothing more can happen.
    DossierClosed = "dossier_closed", Error,
        "Hồ sơ đã kết thúc", "The dossier is closed";
    /// No active step offers this action.
    UnknownAction = "unknown_action", Error,
        "Thao tác không hợp lệ ở bước hiện tại", "No active step offers this action";
    /// Several active steps offer this action; the command must name the step.
    AmbiguousStep = "ambiguous_step", Error,
        "Cần chỉ rõ bước xử lý", "Several active steps offer this action";
    /// The named step is not active.
    StepNotActive = "step_not_active", Error,
        "Bước không ở trạng thái đang xử lý", "The step is not active";
    /// The actor belongs to another administrative unit than the one handling the step (or
    /// names none).
    WrongUnit = "wrong_unit", Error,
        "Người thực hiện thuộc đơn vị hành chính khác", "The actor belongs to another administrative unit";
    /// The actor's role or agency may not take this action.
    Forbidden = "forbidden", Error,
        "Người thực hiện không có thẩm quyền", "The actor may not take this action";
    /// Withdrawal is not possible now (no request, already requested, or not allowed).
    WithdrawalNotAllowed = "withdrawal_not_allowed", Error,
        "Không thể rút hồ sơ", "Withdrawal is not possible now";
    /// The command or event belongs to another procedure or version.
    WrongProcedure = "wrong_procedure", Error,
        "Không đúng thủ tục hoặc phiên bản", "Another procedure or version";
    /// A dossier cannot move to the new version: one of its active steps is declared not
    /// migratable (it finishes on the version it runs on), or a step it waits in has no
    /// mapping.
    NotMigratable = "not_migratable", Error,
        "Hồ sơ không chuyển được sang phiên bản mới", "The dossier cannot move to the new version";
    /// A command is malformed (empty identifier, bad JSON, …).
    InvalidCommand = "invalid_command", Error,
        "Lệnh không hợp lệ", "The command is malformed";
    /// A scenario file is in the first format (`act: accept` lines, no `command_id`):
    /// `motcua json --upgrade` converts it.
    OldScenarioFormat = "old_scenario_format", Error,
        "Kịch bản viết theo định dạng cũ", "The scenario is in the first format";
    /// An event history cannot be replayed (gap, wrong order, or rejected event).
    InvalidHistory = "invalid_history", Error,
        "Lịch sử hồ sơ không hợp lệ", "The event history cannot be replayed";
    /// The form data or documents do not pass validation; the rejection lists every problem.
    InvalidForm = "invalid_form", Error,
        "Tờ khai hoặc giấy tờ chưa hợp lệ", "The form or the documents are not valid";
    /// An event history whose hash chain is broken: an event was altered, removed or reordered.
    TamperedHistory = "tampered_history", Error,
        "Lịch sử hồ sơ đã bị thay đổi", "The event history was tampered with";
    /// A command reuses the id of an earlier command with another actor, time or body.
    IdempotencyConflict = "idempotency_conflict", Error,
        "Mã lệnh đã được dùng cho lệnh khác", "The command id was used for another command";
    /// A snapshot does not equal the replay of its own history, or does not end at the
    /// stored head: it was edited.
    TamperedSnapshot = "tampered_snapshot", Error,
        "Bản chụp hồ sơ đã bị thay đổi", "The dossier snapshot was tampered with";
    /// A dossier deserialized from a snapshot was given a command before
    /// `Dossier::from_snapshot` checked it.
    UncheckedSnapshot = "unchecked_snapshot", Error,
        "Bản chụp hồ sơ chưa được kiểm tra", "The snapshot was not checked against its history";
    /// The action's guard does not hold for this dossier.
    GuardFailed = "guard_failed", Error,
        "Chưa đủ điều kiện thực hiện thao tác", "The action's condition does not hold";

    // ---- calendars and deadlines ----
    /// A procedure or calendar names a calendar that is not loaded.
    UnknownCalendar = "unknown_calendar", Error,
        "Không tìm thấy lịch làm việc", "Unknown working-day calendar";
    /// A calendar is inconsistent (overlapping sessions, a day both off and worked, …).
    InvalidCalendar = "invalid_calendar", Error,
        "Lịch làm việc không hợp lệ", "The calendar is inconsistent";
    /// A date outside the years a calendar covers: the engine does not guess.
    OutsideCalendar = "outside_calendar", Error,
        "Ngày nằm ngoài phạm vi của lịch làm việc", "The date is outside the calendar's years";
    /// A compensatory day off without the day worked in its place (or the holiday it makes
    /// up for, or a cited reason there is none), or a worked day without the day off it pays for.
    UnpairedSwap = "unpaired_swap", Error,
        "Ngày nghỉ hoán đổi không có ngày làm bù", "A swapped day off has no make-up day";
    /// A covered year lacks a holiday the law gives every year (add it, as `provisional`
    /// until the notice is published).
    MissingStatutoryHoliday = "missing_statutory_holiday", Error,
        "Năm trong lịch thiếu ngày nghỉ lễ theo luật định", "A covered year lacks a statutory holiday";

    // ---- expressions, forms and documents ----
    /// An expression is not well-formed (a missing `)`, `=` instead of `==`, …).
    ExprSyntax = "expr_syntax", Error,
        "Biểu thức sai cú pháp", "The expression is not well-formed";
    /// An expression names a field, document or variable that does not exist.
    UnknownReference = "unknown_reference", Error,
        "Biểu thức tham chiếu đến trường không tồn tại", "The expression refers to an unknown field";
    /// An expression calls a function the language does not have.
    UnknownFunction = "unknown_function", Error,
        "Hàm không tồn tại", "Unknown function";
    /// Operand types do not fit the operator or function (a date compared with a number, …).
    TypeMismatch = "type_mismatch", Error,
        "Kiểu dữ liệu không phù hợp", "The types do not match";
    /// An expression compares a code-list field with a value that is not in its list.
    UnknownCode = "unknown_code", Error,
        "Giá trị không có trong danh mục mã", "The value is not in the field's code list";
    /// An expression failed while running (division by zero, date out of range, fuel exhausted).
    ExpressionFailed = "expression_failed", Error,
        "Không tính được biểu thức", "The expression could not be evaluated";
    /// A form field's definition does not fit its type (a `max_length` on a date, min above max, …).
    InvalidFieldSpec = "invalid_field_spec", Error,
        "Định nghĩa trường không hợp lệ", "The field definition is inconsistent";
    /// A field `pattern` is not a valid regular expression.
    InvalidPattern = "invalid_pattern", Error,
        "Mẫu kiểm tra không hợp lệ", "The pattern is not a valid regular expression";
    /// A required field has no value.
    FieldRequired = "field_required", Error,
        "Chưa nhập trường bắt buộc", "A required field is empty";
    /// A value has the wrong JSON type for its field (text where a number is expected, …).
    FieldType = "field_type", Error,
        "Giá trị sai kiểu", "The value has the wrong type for the field";
    /// The data has a key the form does not define.
    UnexpectedField = "unexpected_field", Error,
        "Trường không có trong biểu mẫu", "The form has no such field";
    /// A text holds a control character (a line break where the field is not `multiline`,
    /// NUL, …) or a bidirectional override or isolate (U+202E, …).
    ControlCharacter = "control_character", Error,
        "Có ký tự điều khiển hoặc ký tự đảo chiều", "Contains a control or bidirectional character";
    /// A text is shorter than its minimum length.
    TooShort = "too_short", Error,
        "Quá ngắn", "Too short";
    /// A text is longer than its maximum length.
    TooLong = "too_long", Error,
        "Quá dài", "Too long";
    /// A number or date is below its minimum.
    BelowMinimum = "below_minimum", Error,
        "Nhỏ hơn giá trị tối thiểu", "Below the minimum";
    /// A number or date is above its maximum.
    AboveMaximum = "above_maximum", Error,
        "Lớn hơn giá trị tối đa", "Above the maximum";
    /// A number has decimals where an integer (or money in đồng) is expected.
    NotInteger = "not_integer", Error,
        "Phải là số nguyên", "Must be a whole number";
    /// A text does not match the field's pattern.
    PatternMismatch = "pattern_mismatch", Error,
        "Không đúng định dạng quy định", "Does not match the required pattern";
    /// A value is not one of the field's codes.
    NotInCodeList = "not_in_code_list", Error,
        "Giá trị không có trong danh mục", "Not one of the allowed values";
    /// A date, date-time, phone number, email or administrative-unit code is malformed.
    InvalidFormat = "invalid_format", Error,
        "Sai định dạng", "Malformed value";
    /// A personal identification number (CCCD) is malformed.
    InvalidCitizenId = "invalid_citizen_id", Error,
        "Số định danh cá nhân không hợp lệ", "Invalid personal identification number";
    /// A tax code is malformed or its check digit is wrong.
    InvalidTaxCode = "invalid_tax_code", Error,
        "Mã số thuế không hợp lệ", "Invalid tax code";
    /// A repeating group or attachment has fewer items than required.
    TooFewItems = "too_few_items", Error,
        "Chưa đủ số lượng", "Too few items";
    /// A repeating group or attachment has more items than allowed.
    TooManyItems = "too_many_items", Error,
        "Vượt quá số lượng cho phép", "Too many items";
    /// A file's media type is not accepted.
    MediaTypeNotAccepted = "media_type_not_accepted", Error,
        "Định dạng tệp không được chấp nhận", "The file type is not accepted";
    /// A file is larger than allowed.
    FileTooLarge = "file_too_large", Error,
        "Tệp quá lớn", "The file is too large";
    /// A cross-field rule of the form does not hold.
    RuleViolated = "rule_violated", Error,
        "Dữ liệu không thỏa điều kiện", "A rule of the form does not hold";
    /// A required document was not submitted.
    DocumentMissing = "document_missing", Error,
        "Thiếu giấy tờ trong thành phần hồ sơ", "A required document is missing";
    /// A document was submitted with fewer originals or copies than required.
    DocumentCount = "document_count", Error,
        "Chưa đủ số bản chính hoặc bản sao", "Not enough originals or copies";
    /// A submitted document is not on the procedure's checklist.
    UnknownDocument = "unknown_document", Error,
        "Giấy tờ không có trong thành phần hồ sơ", "The document is not on the checklist";
    /// A document is marked as taken from a national database it cannot come from.
    NotReplaceable = "not_replaceable", Error,
        "Giấy tờ không thể thay bằng dữ liệu từ cơ sở dữ liệu quốc gia", "The document cannot be replaced by database data";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem with a place: code, severity, file, line, column, path and message.
///
/// Lines and columns are 1-based and count Unicode scalar values; `0` means the
/// place is not known (for example a problem about the file as a whole).
///
/// ```
/// use motcua::{Catalogue, Code};
///
/// let err = Catalogue::from_yaml("id: vn\nlevels: oops\n", "catalogue.yaml").unwrap_err();
/// let d = &err.diagnostics()[0];
/// assert_eq!(d.code, Code::InvalidType);
/// assert_eq!((d.line, d.column), (2, 9));
/// assert_eq!(d.path, "levels");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: Code,
    /// Whether it stops the load.
    pub severity: Severity,
    /// The file as the caller named it.
    pub file: String,
    /// 1-based line, 0 if unknown.
    pub line: u32,
    /// 1-based column, 0 if unknown.
    pub column: u32,
    /// Dotted path to the node, e.g. `steps.appraisal.actions.approve.to`; empty for the root.
    pub path: String,
    /// What is wrong.
    pub message: Message,
    /// How to fix it, when the engine knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Message>,
    /// Where the primary span ends, just after its last character, when the reader knows it
    /// (scalars and keys); absent for a place that is only a point (a mapping, the whole file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Position>,
    /// Other places in the same file that explain this one (rustc's secondary labels): each
    /// budget on a path that exceeds the deadline, the name a typo is nearest to, the first
    /// occurrence of a duplicate key. Empty for most diagnostics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
}

/// A 1-based line and column in a file; columns count Unicode scalar values, as
/// [`Diagnostic::column`] does.
///
/// ```
/// let p = motcua::Position { line: 3, column: 7 };
/// assert_eq!(serde_json::to_value(p).unwrap(), serde_json::json!({"line": 3, "column": 7}));
/// assert!(p < motcua::Position { line: 4, column: 1 });
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A secondary label of a [`Diagnostic`]: another span of the same file, with a bilingual
/// message saying what it has to do with the problem.
///
/// ```
/// use motcua::{Catalogue, Code, Position};
///
/// let err = Catalogue::from_yaml("id: vn\nid: vm\n", "catalogue.yaml").unwrap_err();
/// let d = err.diagnostics().iter().find(|d| d.code == Code::DuplicateKey).unwrap();
/// assert_eq!((d.line, d.column), (2, 1));
/// assert_eq!(d.end, Some(Position { line: 2, column: 3 }));
/// // The first occurrence, as a secondary label.
/// let first = &d.labels[0];
/// assert_eq!((first.line, first.column, first.path.as_str()), (1, 1, "id"));
/// assert_eq!(first.message.en, "first written here");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Label {
    /// 1-based line where the span starts, 0 if unknown.
    pub line: u32,
    /// 1-based column where the span starts, 0 if unknown.
    pub column: u32,
    /// Where the span ends, just after its last character, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Position>,
    /// Dotted path to the node the label points at.
    pub path: String,
    /// What this place has to do with the diagnostic.
    pub message: Message,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no place yet.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, Message, Severity};
    ///
    /// let d = Diagnostic::new(Code::UnknownStep, Message::new("Không có bước `x`", "no step `x`"));
    /// assert_eq!(d.severity, Severity::Error);
    /// assert_eq!((d.file.as_str(), d.line, d.column, d.path.as_str()), ("", 0, 0, ""));
    /// assert!(d.help.is_none());
    /// ```
    pub fn new(code: Code, message: Message) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            file: String::new(),
            line: 0,
            column: 0,
            path: String::new(),
            message,
            help: None,
            end: None,
            labels: Vec::new(),
        }
    }

    /// Sets the help text.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, Message};
    ///
    /// let d = Diagnostic::new(Code::UnknownStep, Message::new("Không có bước `revieww`", "no step `revieww`"))
    ///     .with_help(Message::new("Có phải là `review`?", "did you mean `review`?"));
    /// assert_eq!(d.help.unwrap().en, "did you mean `review`?");
    /// ```
    pub fn with_help(mut self, help: Message) -> Self {
        self.help = Some(help);
        self
    }

    /// Adds a secondary label.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, Label, Message};
    ///
    /// let d = Diagnostic::new(Code::DuplicateKey, Message::new("Khóa lặp", "duplicate key"))
    ///     .with_label(Label {
    ///         line: 2,
    ///         column: 1,
    ///         end: None,
    ///         path: "name".into(),
    ///         message: Message::new("lần đầu ở đây", "first here"),
    ///     });
    /// assert_eq!(d.labels[0].message.en, "first here");
    /// ```
    pub fn with_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }

    /// Where the primary span starts, if known.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, Message, Position};
    ///
    /// let mut d = Diagnostic::new(Code::UnknownStep, Message::new("…", "…"));
    /// assert_eq!(d.start(), None);
    /// (d.line, d.column) = (4, 9);
    /// assert_eq!(d.start(), Some(Position { line: 4, column: 9 }));
    /// ```
    pub fn start(&self) -> Option<Position> {
        (self.line > 0).then_some(Position { line: self.line, column: self.column })
    }

    /// Whether this diagnostic stops the load.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, Message};
    ///
    /// assert!(Diagnostic::new(Code::UnknownStep, Message::new("…", "…")).is_error());
    /// assert!(!Diagnostic::new(Code::UnreachableStep, Message::new("…", "…")).is_error());
    /// ```
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: error[code]: message (path)` in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file, self.line, self.column, self.severity, self.code, self.message.en
        )?;
        if !self.path.is_empty() {
            write!(f, " (at `{}`)", self.path)?;
        }
        Ok(())
    }
}

/// A load that failed: every diagnostic found, errors and warnings, in source order.
///
/// ```
/// use motcua::Catalogue;
///
/// let err = Catalogue::from_yaml("id: [", "bad.yaml").unwrap_err();
/// assert!(err.diagnostics().iter().any(|d| d.is_error()));
/// assert!(err.to_string().starts_with("bad.yaml:"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// Wraps diagnostics, sorting them by place. At least one should be an error.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, LoadError, Message};
    ///
    /// let mut late = Diagnostic::new(Code::UnknownStep, Message::new("b", "b"));
    /// late.line = 9;
    /// let mut early = Diagnostic::new(Code::UnknownRole, Message::new("a", "a"));
    /// early.line = 2;
    /// let err = LoadError::new(vec![late, early]);
    /// assert_eq!(err.diagnostics()[0].code, Code::UnknownRole); // sorted by place
    /// ```
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        sort_by_place(&mut diagnostics);
        LoadError { diagnostics }
    }

    /// Every diagnostic, sorted by file, line and column.
    ///
    /// ```
    /// let err = motcua::Catalogue::from_yaml("id: vn\nlevels: oops\n", "catalogue.yaml").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].file, "catalogue.yaml");
    /// assert_eq!(err.diagnostics()[0].line, 2);
    /// ```
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Consumes the error, returning its diagnostics.
    ///
    /// ```
    /// let err = motcua::Catalogue::from_yaml("id: vn\nlevels: oops\n", "catalogue.yaml").unwrap_err();
    /// let diagnostics: Vec<motcua::Diagnostic> = err.into_diagnostics();
    /// assert_eq!(diagnostics[0].path, "levels");
    /// ```
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The diagnostics of error severity.
    ///
    /// ```
    /// use motcua::{Code, Diagnostic, LoadError, Message};
    ///
    /// let err = LoadError::new(vec![
    ///     Diagnostic::new(Code::UnknownStep, Message::new("…", "…")),
    ///     Diagnostic::new(Code::UnreachableStep, Message::new("…", "…")),
    /// ]);
    /// assert_eq!(err.diagnostics().len(), 2);
    /// assert_eq!(err.errors().map(|d| d.code).collect::<Vec<_>>(), [Code::UnknownStep]);
    /// ```
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The headline diagnostic, the one a binding shows when it can show only one: the first
    /// error by place, or the first diagnostic when there is no error. Every binding (WASM,
    /// C, HTTP) uses this, so a portal and a browser name the same problem.
    ///
    /// ```
    /// use motcua::{Catalogue, Code};
    /// let text = "id: x\nname: {vi: X}\nlevels:\n  - {id: commune, name: {vi: Xã}}\nagencies:\n  police: {name: {vi: Công an}, level: county}\nroles: {}\n";
    /// let err = Catalogue::from_yaml(text, "c.yaml").unwrap_err();
    /// let primary = err.primary().expect("a load error has a diagnostic");
    /// assert!(primary.is_error());
    /// assert_eq!(primary.code, err.errors().next().unwrap().code);
    /// assert_eq!((primary.file.as_str(), primary.line), ("c.yaml", 6));
    /// ```
    pub fn primary(&self) -> Option<&Diagnostic> {
        self.errors().next().or(self.diagnostics.first())
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

pub(crate) fn sort_by_place(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate name {code}");
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let summary = code.summary();
            assert!(!summary.vi.is_empty() && !summary.en.is_empty());
        }
        assert_eq!(Code::from_name("no_such_code"), None);
    }
}
