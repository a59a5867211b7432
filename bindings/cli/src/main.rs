//! `motcua`: the command line for policy staff who author procedures.
//!
//! ```text
//! motcua lint PATH…                         check catalogue, calendar and procedure files
//! motcua simulate SPEC [--scenario FILE]     run a dossier through a procedure, print its timeline
//! motcua graph SPEC --format mermaid|dot|svg draw the procedure
//! motcua check-form SPEC DATA.json           validate form data (and documents) against a procedure
//! motcua schema procedure|catalogue|calendar|units print a JSON Schema
//! motcua explain CODE                        explain a diagnostic or rejection code
//! motcua json FILE [-o OUT]                  a catalogue, calendar, procedure (or scenario) as JSON
//! motcua deadline --calendar ID --from T --add 3d   working-day arithmetic
//! ```
//!
//! Exit codes: 0 clean, 1 problems found (lint errors, failed expectations, invalid form),
//! 2 the command could not run (bad arguments, unreadable files, no catalogue found).
#![forbid(unsafe_code)]

mod args;
mod calendar;
mod deadline;
mod explain;
mod form;
mod graph;
mod json;
mod lint;
mod project;
mod render;
mod simulate;

use std::io::Write as _;
use std::process::ExitCode;

use args::Args;
use motcua::Message;

/// Output language: every message the CLI prints exists in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Picks the text of this language.
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Text or JSON output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Why a command could not run (exit code 2): a stable code and the message in both
/// languages. Printed as `lỗi[code]: …` / `error[code]: …`, or as a JSON object with
/// `--format json`.
#[derive(Debug)]
pub struct Fail {
    pub code: String,
    pub message: Message,
}

impl Fail {
    /// A usage error: bad arguments, an unknown command or option (`usage_error`).
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Fail {
        Fail::coded("usage_error", vi, en)
    }

    /// A failure with its own stable code (`io_error`, `invalid_utf8`, an engine code, …).
    pub fn coded(code: impl Into<String>, vi: impl Into<String>, en: impl Into<String>) -> Fail {
        Fail { code: code.into(), message: Message::new(vi, en) }
    }
}

/// What a command reports: `Ok(true)` clean, `Ok(false)` problems found.
pub type Outcome = Result<bool, Fail>;

const USAGE_VI: &str = "\
motcua — bộ công cụ soạn thảo thủ tục hành chính

Cách dùng:
  motcua lint ĐƯỜNG_DẪN…                  kiểm tra tệp danh mục, lịch làm việc và thủ tục
  motcua simulate THỦ_TỤC [--scenario TỆP] chạy thử một hồ sơ, in dòng thời gian
  motcua graph THỦ_TỤC [--format mermaid|dot|svg] [-o TỆP]   vẽ sơ đồ quy trình
  motcua check-form THỦ_TỤC DỮ_LIỆU.json [--documents GIẤY_TỜ.json] [--today NGÀY]
  motcua schema procedure|catalogue|calendar|units
  motcua json TỆP [-o TỆP_RA]              danh mục, lịch, thủ tục (hoặc kịch bản) ở dạng JSON (cho from_json, trình duyệt)
  motcua explain [MÃ]                      giải thích một mã lỗi (không có MÃ: liệt kê mọi mã)
  motcua deadline --calendar vn-gov --from 2026-02-13T16:00:00+07:00 --add 3d [--cutoff 15:00]
  motcua calendar diff CŨ.yaml MỚI.yaml    liệt kê các ngày thay đổi giữa hai phiên bản lịch
  motcua calendar days LỊCH.yaml           mọi ngày được đánh dấu, với trạng thái và nguồn

Tùy chọn chung:
  --lang vi|en           ngôn ngữ (mặc định: vi)
  --format text|json     định dạng đầu ra (mặc định: text)
  --specs THƯ_MỤC        thư mục specs/ chứa catalogue/ và calendars/ (mặc định: tự tìm)
  --catalogue TỆP --calendars THƯ_MỤC   chỉ định danh mục và lịch làm việc

Mã thoát: 0 không có lỗi, 1 có lỗi, 2 không chạy được.
";

const USAGE_EN: &str = "\
motcua — authoring toolkit for administrative procedures

Usage:
  motcua lint PATH…                        check catalogue, calendar and procedure files
  motcua simulate SPEC [--scenario FILE]    run a dossier through a procedure, print its timeline
  motcua graph SPEC [--format mermaid|dot|svg] [-o FILE]   draw the procedure
  motcua check-form SPEC DATA.json [--documents DOCS.json] [--today DATE]
  motcua schema procedure|catalogue|calendar|units
  motcua json FILE [-o OUT]                 a catalogue, calendar, procedure (or scenario) as JSON (for from_json, browsers)
  motcua explain [CODE]                     explain a code (no CODE: list every code)
  motcua deadline --calendar vn-gov --from 2026-02-13T16:00:00+07:00 --add 3d [--cutoff 15:00]
  motcua calendar diff OLD.yaml NEW.yaml   list the days that changed between two calendar versions
  motcua calendar days CAL.yaml            every marked day, with its status and source

Common options:
  --lang vi|en           language (default: vi)
  --format text|json     output format (default: text)
  --specs DIR            the specs/ folder holding catalogue/ and calendars/ (default: found)
  --catalogue FILE --calendars DIR   name the catalogue and calendars explicitly

Exit codes: 0 clean, 1 problems found, 2 could not run.
";

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // The language is needed to report argument errors, so look for it first.
    let lang = args::peek_lang(&raw);
    let json = args::peek_json(&raw);
    let code = match run(raw, lang) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(Fail { code, message }) => {
            let _ = std::io::stdout().flush();
            if json {
                // Asked for JSON: the error is JSON too, on stdout where the answer would be.
                print_json(&serde_json::json!({"error": {"code": code, "message": message}}));
            } else {
                let text = render::escape_controls(message.get(lang.code()));
                eprintln!("{}[{code}]: {text}", lang.t("lỗi", "error"));
            }
            2
        }
    };
    ExitCode::from(code)
}

fn run(raw: Vec<String>, lang: Lang) -> Outcome {
    let Some((command, rest)) = raw.split_first() else {
        print!("{}", lang.t(USAGE_VI, USAGE_EN));
        return Err(Fail::new("thiếu lệnh", "no command given"));
    };
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        print!("{}", lang.t(USAGE_VI, USAGE_EN));
        return Ok(true);
    }
    if matches!(command.as_str(), "-V" | "--version") {
        println!("motcua {}", env!("CARGO_PKG_VERSION"));
        return Ok(true);
    }
    let args = Args::parse(rest)?;
    if args.flag("help") {
        print!("{}", lang.t(USAGE_VI, USAGE_EN));
        return Ok(true);
    }
    match command.as_str() {
        "lint" => lint::run(&args, lang),
        "simulate" => simulate::run(&args, lang),
        "graph" => graph::run(&args, lang),
        "check-form" => form::run(&args, lang),
        "schema" => schema(&args),
        "json" => json::run(&args, lang),
        "explain" => explain::run(&args, lang),
        "deadline" => deadline::run(&args, lang),
        "calendar" => calendar::run(&args, lang),
        other => Err(Fail::new(
            format!("lệnh không tồn tại: `{other}` (xem `motcua --help`)"),
            format!("unknown command `{other}` (see `motcua --help`)"),
        )),
    }
}

fn schema(args: &Args) -> Outcome {
    args.allow(&["lang"], 1)?;
    let text = match args.positional.first().map(String::as_str) {
        Some("procedure") => motcua::spec::procedure_schema(),
        Some("catalogue") => motcua::spec::catalogue_schema(),
        Some("calendar") => motcua::spec::calendar_schema(),
        Some("units") => motcua::spec::units_schema(),
        Some(name) if motcua::spec::runtime_schemas().iter().any(|(n, _)| *n == name) => {
            motcua::spec::runtime_schemas().into_iter().find(|(n, _)| *n == name).map(|(_, s)| s).unwrap_or_default()
        }
        Some(other) => {
            return Err(Fail::new(
                format!(
                    "không có lược đồ `{other}`: chọn procedure, catalogue, calendar, units, submission, command, applied, event, effect, dossier hoặc rejection"
                ),
                format!(
                    "no schema `{other}`: choose procedure, catalogue, calendar, units, submission, command, applied, event, effect, dossier or rejection"
                ),
            ));
        }
        None => {
            return Err(Fail::new(
                "thiếu tên lược đồ: procedure, catalogue hoặc calendar",
                "which schema? procedure, catalogue or calendar",
            ));
        }
    };
    println!("{}", text.trim_end());
    Ok(true)
}

/// Prints a JSON value (pretty, with a final newline).
pub fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    println!("{text}");
}
