//! The command line, declared with clap's derive: every command, argument and help text.
//!
//! Help is in Vietnamese by default and in English with `--lang en`: each text is written in
//! both, side by side, with [`tr`], which picks the language [`crate::set_lang`] chose before
//! the command is built. What clap writes itself — the headings of the help, the man page's
//! section names, its errors — is replaced: [`command`] sets the headings and the help template,
//! [`fail`] turns a [`clap::Error`] into a [`Fail`] coded `usage_error` with its message in both
//! languages (so the JSON form carries both, as every other error does).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, CommandFactory as _, Parser, Subcommand, ValueEnum};

use crate::{Fail, Lang, tr};

/// `motcua`: the whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "motcua",
    version,
    about = tr("bộ công cụ soạn thảo thủ tục hành chính", "authoring toolkit for administrative procedures"),
    after_help = tr(
        "Mã thoát: 0 không có lỗi, 1 có lỗi, 2 không chạy được (tham số sai, tệp không đọc được).\n\
         Giải thích một mã lỗi: motcua explain MÃ",
        "Exit codes: 0 clean, 1 problems found, 2 could not run (bad arguments, unreadable file).\n\
         What a code means: motcua explain CODE",
    ),
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[arg(long, global = true, value_enum, value_name = "vi|en", hide_possible_values = true,
          help = tr("ngôn ngữ của thông báo và trợ giúp (mặc định: vi)", "language of messages and help (default: vi)"))]
    pub lang: Option<Lang>,
    #[arg(short = 'h', long, global = true, action = ArgAction::Help,
          help = tr("in trợ giúp này", "print this help"))]
    help: Option<bool>,
    #[arg(short = 'V', long, action = ArgAction::Version, help = tr("in phiên bản", "print the version"))]
    version: Option<bool>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--format text|json` (`table` is read as `text`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[value(alias = "table")]
    Text,
    Json,
}

/// `graph --format mermaid|dot|svg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Svg,
    Png,
}

/// Where the shared catalogue and calendars are (found by themselves when not given).
#[derive(Clone, Debug, Default, Args)]
pub struct SpecsArgs {
    #[arg(long, value_name = tr("THƯ_MỤC", "DIR"),
          help = tr("thư mục specs/ chứa catalogue/ và calendars/ (mặc định: tự tìm)",
                    "the specs/ folder holding catalogue/ and calendars/ (default: found)"))]
    pub specs: Option<String>,
    #[arg(long, value_name = tr("TỆP", "FILE"), help = tr("tệp danh mục dùng chung", "the shared catalogue file"))]
    pub catalogue: Option<String>,
    #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("thư mục lịch làm việc", "the calendars folder"))]
    pub calendars: Option<String>,
}

fn format_help() -> &'static str {
    tr("định dạng đầu ra: text hoặc json (mặc định: text)", "output format: text or json (default: text)")
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = tr("kiểm tra tệp danh mục, lịch làm việc, thủ tục và kịch bản",
                         "check catalogue, calendar, procedure and scenario files"))]
    Lint {
        #[arg(required = true, value_name = tr("ĐƯỜNG_DẪN", "PATH"),
              help = tr("tệp hoặc thư mục (duyệt đệ quy, chỉ tệp YAML)", "files or folders (walked recursively, YAML only)"))]
        paths: Vec<String>,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("chạy thử một hồ sơ qua thủ tục, in dòng thời gian",
                         "run a dossier through a procedure, print its timeline"))]
    Simulate {
        #[arg(value_name = tr("THỦ_TỤC", "SPEC"), help = tr("tệp thủ tục (YAML)", "the procedure file (YAML)"))]
        spec: String,
        #[arg(long, value_name = tr("TỆP", "FILE"),
              help = tr("tệp kịch bản (mặc định: kịch bản đầu tiên trong tests/scenarios/ viết cho THỦ_TỤC)",
                        "the scenario file (default: the first in tests/scenarios/ written for SPEC)"))]
        scenario: Option<String>,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[arg(long, conflicts_with = "width",
              help = tr("bảng đầy đủ, không gấp cột theo bề rộng màn hình", "the full table, no columns folded to fit the terminal"))]
        wide: bool,
        #[arg(long, value_name = tr("SỐ_CỘT", "COLUMNS"), value_parser = clap::value_parser!(u16).range(40..),
              help = tr("bề rộng bảng, tính bằng ký tự (mặc định: biến COLUMNS, hoặc bề rộng màn hình)",
                        "the table's width in characters (default: COLUMNS, or the terminal's width)"))]
        width: Option<u16>,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("so sánh hai phiên bản của một thủ tục: thay đổi nào ảnh hưởng hồ sơ đang giải quyết",
                         "compare two versions of a procedure: which changes break running dossiers"),
              after_help = tr("Mã thoát: 0 không có thay đổi ảnh hưởng hồ sơ đang giải quyết, 1 có, 2 không chạy được.",
                              "Exit codes: 0 no breaking change, 1 breaking changes found, 2 could not run."))]
    Diff {
        #[arg(value_name = tr("CŨ.yaml", "OLD.yaml"), help = tr("phiên bản cũ của thủ tục", "the old version of the procedure"))]
        old: String,
        #[arg(value_name = tr("MỚI.yaml", "NEW.yaml"), help = tr("phiên bản mới", "the new version"))]
        new: String,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("chuyển hồ sơ đang giải quyết sang phiên bản mới (hoặc xem trước)",
                         "move running dossiers to a new version (or preview the move)"),
              after_help = tr("Không có --database: xem trước từng HỒ_SƠ (kịch bản YAML chạy theo phiên bản cũ, hoặc bản chụp hồ sơ JSON), bắt buộc --dry-run. Có --database: chuyển mọi hồ sơ đang giải quyết theo phiên bản cũ trong kho (SQLite hoặc postgres://…, như `motcua serve`), từng lô, đăng ký phiên bản mới nếu chưa có; với --dry-run chỉ xem trước, không ghi gì. Mã thoát: 0 mọi hồ sơ chuyển được (hoặc đã chuyển), 1 có hồ sơ phải giữ phiên bản cũ, 2 không chạy được.",
                              "Without --database: previews each DOSSIER (a scenario, YAML, run on the old version, or a dossier snapshot, JSON); --dry-run is required. With --database: moves every running dossier of the old version in the store (SQLite or postgres://…, as for `motcua serve`), in batches, registering the new version if it is not; with --dry-run, previews them and writes nothing. Exit codes: 0 every dossier can move (or moved), 1 some stay pinned, 2 could not run."))]
    Migrate {
        #[arg(long, required_unless_present = "database",
              help = tr("chỉ báo cáo, không ghi gì (bắt buộc khi không có --database)",
                        "report only, write nothing (required without --database)"))]
        dry_run: bool,
        #[arg(long, value_name = "URL",
              help = tr("kho hồ sơ: tệp SQLite hoặc postgres://… (như `motcua serve --database`)",
                        "the dossier store: a SQLite file or postgres://… (as for `motcua serve --database`)"))]
        database: Option<String>,
        #[arg(value_name = tr("CŨ.yaml", "OLD.yaml"), help = tr("phiên bản cũ của thủ tục", "the old version of the procedure"))]
        old: String,
        #[arg(value_name = tr("MỚI.yaml", "NEW.yaml"), help = tr("phiên bản mới", "the new version"))]
        new: String,
        #[arg(value_name = tr("CHUYỂN.yaml", "MIGRATION.yaml"), help = tr("tệp chuyển phiên bản", "the migration file"))]
        migration: String,
        #[arg(value_name = tr("HỒ_SƠ", "DOSSIER"), required_unless_present = "database", conflicts_with = "database",
              help = tr("kịch bản (YAML) hoặc bản chụp hồ sơ (JSON)", "a scenario (YAML) or a dossier snapshot (JSON)"))]
        dossiers: Vec<String>,
        #[arg(long, value_name = tr("THỜI_ĐIỂM", "TIME"),
              help = tr("thời điểm chuyển, RFC 3339 (mặc định: sự kiện cuối của từng hồ sơ; với --database: bây giờ)",
                        "the instant of the move, RFC 3339 (default: each dossier's last event; with --database: now)"))]
        at: Option<String>,
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10000),
              help = tr("số hồ sơ đọc mỗi lô, 1–10000 (mặc định 100)", "dossiers read per batch, 1–10000 (default 100)"))]
        batch: Option<u32>,
        #[arg(long, value_name = tr("NGƯỜI_DÙNG", "USER"),
              help = tr("người chuyển, ghi vào sự kiện migrated (vai trò procedure_admin; mặc định: biến USER)",
                        "who moves them, written in the migrated events (role procedure_admin; default: USER)"))]
        user: Option<String>,
        #[arg(long = "dossier", value_name = tr("MÃ_HỒ_SƠ", "ID"),
              help = tr("với --database: chỉ chuyển hồ sơ này (lặp lại cho nhiều hồ sơ), thay vì mọi hồ sơ đang giải quyết của phiên bản cũ",
                        "with --database: move only this dossier (repeat for several), instead of every running dossier of the old version"))]
        only: Vec<String>,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("vẽ sơ đồ quy trình (Mermaid, DOT, SVG, PNG)", "draw the procedure (Mermaid, DOT, SVG, PNG)"))]
    Graph {
        #[arg(value_name = tr("THỦ_TỤC", "SPEC"), help = tr("tệp thủ tục (YAML)", "the procedure file (YAML)"))]
        spec: String,
        #[arg(long, value_enum, value_name = "mermaid|dot|svg|png", hide_possible_values = true,
              help = tr("định dạng sơ đồ (mặc định: mermaid; png cần -o TỆP)", "diagram format (default: mermaid; png needs -o FILE)"))]
        format: Option<GraphFormat>,
        #[arg(short = 'o', long, value_name = tr("TỆP", "FILE"), help = tr("ghi vào TỆP thay vì in ra", "write to FILE instead of printing"))]
        output: Option<String>,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("kiểm tra dữ liệu tờ khai và giấy tờ theo thủ tục", "validate form data and documents against a procedure"))]
    CheckForm {
        #[arg(value_name = tr("THỦ_TỤC", "SPEC"), help = tr("tệp thủ tục (YAML)", "the procedure file (YAML)"))]
        spec: String,
        #[arg(value_name = tr("DỮ_LIỆU.json", "DATA.json"), help = tr("dữ liệu tờ khai (một đối tượng JSON)", "the form data (a JSON object)"))]
        data: String,
        #[arg(long, value_name = tr("GIẤY_TỜ.json", "DOCS.json"),
              help = tr("giấy tờ đã nộp, ví dụ [{\"id\": \"birth_certificate\", \"originals\": 1}]",
                        "the submitted documents, e.g. [{\"id\": \"birth_certificate\", \"originals\": 1}]"))]
        documents: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD",
              help = tr("ngày các quy tắc so sánh (mặc định: hôm nay)", "the date rules compare with (default: today)"))]
        today: Option<String>,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("in một lược đồ JSON (cho trình soạn thảo)", "print a JSON Schema (for editors)"))]
    Schema {
        #[arg(value_name = tr("TÊN", "NAME"), value_parser = clap::builder::PossibleValuesParser::new(crate::SCHEMAS),
              help = tr("procedure, catalogue, calendar, units, hoặc một lược đồ thời chạy (submission, command, …)",
                        "procedure, catalogue, calendar, units, or a runtime schema (submission, command, …)"))]
        name: String,
    },
    #[command(about = tr("danh mục, lịch, thủ tục (hoặc kịch bản) ở dạng JSON (cho from_json, trình duyệt)",
                         "a catalogue, calendar, procedure (or scenario) as JSON (for from_json, browsers)"))]
    Json {
        #[arg(value_name = tr("TỆP", "FILE"), help = tr("tệp cần chuyển (loại theo thư mục, như lint)", "the file to convert (kind by folder, as for lint)"))]
        file: String,
        #[arg(short = 'o', long, value_name = tr("TỆP_RA", "OUT"), help = tr("ghi vào TỆP_RA thay vì in ra", "write to OUT instead of printing"))]
        output: Option<String>,
        #[arg(long, help = tr(
            "chuyển kịch bản định dạng cũ (act: accept) sang định dạng hiện tại, ghi rõ mã lệnh và đơn vị",
            "convert a first-format scenario (act: accept) into the current format, with command ids and units written"
        ))]
        upgrade: bool,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("viết bản thảo thủ tục có chú thích và kịch bản suôn sẻ của nó", "write a commented starter spec and its happy-path scenario"))]
    New {
        #[arg(value_name = tr("TÊN_TỆP", "NAME"),
              help = tr("tên tệp, ví dụ ho-kinh-doanh: specs/procedures/TÊN_TỆP.yaml và tests/scenarios/TÊN_TỆP-happy.yaml",
                        "the file name, e.g. household-business: specs/procedures/NAME.yaml and tests/scenarios/NAME-happy.yaml"))]
        file: String,
        #[arg(long, value_name = tr("MÃ", "CODE"), help = tr("mã thủ tục quốc gia, ví dụ 1.001612", "the national procedure code, e.g. 1.001612"))]
        code: Option<String>,
        #[arg(long, value_name = tr("TÊN", "TEXT"), help = tr("tên thủ tục (tiếng Việt)", "the procedure's name (Vietnamese)"))]
        name: Option<String>,
        #[arg(long, value_name = tr("TÊN", "TEXT"), help = tr("tên thủ tục tiếng Anh", "the procedure's name in English"))]
        name_en: Option<String>,
        #[arg(long, value_name = tr("THỜI_HẠN", "DURATION"),
              help = tr("thời hạn giải quyết: 3d, 0.5d, 4h hoặc \"3 ngày làm việc\"", "the legal deadline: 3d, 0.5d, 4h or \"3 ngày làm việc\""))]
        deadline: Option<String>,
        #[arg(long, value_name = "commune|province",
              help = tr("cấp giải quyết, khi không nêu --agency (mặc định commune)", "the level that handles it, when no --agency is given (default commune)"))]
        level: Option<String>,
        #[arg(long = "agency", value_name = tr("CƠ_QUAN", "AGENCY"),
              help = tr("cơ quan (mã trong danh mục): cơ quan đầu tiên tiếp nhận, các cơ quan sau lần lượt thẩm định (lặp lại)",
                        "an agency kind from the catalogue: the first receives, the next ones review in turn (repeat)"))]
        agencies: Vec<String>,
        #[arg(long, value_name = tr("ĐƠN_VỊ", "UNIT"),
              help = tr("đơn vị hành chính của hồ sơ mẫu (mặc định 00004, hoặc 01 cho cấp tỉnh)", "the sample dossier's administrative unit (default 00004, or 01 for the province)"))]
        unit: Option<String>,
        #[arg(long, value_name = tr("TỆP.json", "FILE.json"),
              help = tr("dữ liệu của Cơ sở dữ liệu quốc gia về thủ tục hành chính: code, name, deadline, documents, fees, legal_basis",
                        "what the national procedure database publishes: code, name, deadline, documents, fees, legal_basis"))]
        from: Option<String>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("thư mục dự án (mặc định: thư mục chứa specs/)", "the project folder (default: the one holding specs/)"))]
        dir: Option<String>,
        #[arg(long, help = tr("ghi đè tệp đã có", "overwrite existing files"))]
        force: bool,
        #[command(flatten)]
        specs: SpecsArgs,
    },
    #[command(about = tr("giải thích một mã lỗi (không có MÃ: liệt kê mọi mã)", "explain a code (no CODE: list every code)"))]
    Explain {
        #[arg(value_name = tr("MÃ", "CODE"), help = tr("mã chẩn đoán hoặc mã từ chối, ví dụ unknown_step", "a diagnostic or rejection code, e.g. unknown_step"))]
        code: Option<String>,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
    },
    #[command(about = tr("tính hạn theo ngày làm việc", "working-day arithmetic"))]
    Deadline {
        #[arg(long, value_name = "ID", help = tr("mã lịch làm việc, ví dụ vn-gov", "the calendar's id, e.g. vn-gov"))]
        calendar: String,
        #[arg(long, value_name = tr("THỜI_ĐIỂM", "INSTANT"),
              help = tr("thời điểm tiếp nhận, ví dụ 2026-02-13T16:00:00+07:00 hoặc 2026-02-13T16:00",
                        "when it was received, e.g. 2026-02-13T16:00:00+07:00 or 2026-02-13T16:00"))]
        from: String,
        #[arg(long, value_name = tr("THỜI_HẠN", "DURATION"), help = tr("thời hạn, ví dụ 3d, 0.5d, 4h, 30m", "the duration, e.g. 3d, 0.5d, 4h, 30m"))]
        add: String,
        #[arg(long, value_name = "HH:MM", help = tr("giờ chốt tiếp nhận trong ngày", "the day's intake cut-off hour"))]
        cutoff: Option<String>,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("thư mục specs/ (lịch trong specs/calendars/)", "the specs/ folder (calendars in specs/calendars/)"))]
        specs: Option<String>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("thư mục lịch làm việc", "the calendars folder"))]
        calendars: Option<String>,
    },
    #[command(about = tr("so sánh và liệt kê các ngày của lịch làm việc", "compare and list the days of working calendars"),
              subcommand_required = true, arg_required_else_help = true)]
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    #[command(about = tr("chạy dịch vụ HTTP với bàn một cửa (SQLite mặc định, hoặc PostgreSQL)",
                         "run the HTTP service with the one-stop desk (SQLite by default, or PostgreSQL)"),
              long_about = None)]
    Serve(motcua_server::ServeArgs),
    #[command(about = tr("in tập lệnh gợi ý hoàn thành cho trình shell", "print shell completions"))]
    Completions {
        #[arg(value_enum, value_name = "SHELL", help = tr("bash, zsh, fish, powershell hoặc elvish", "bash, zsh, fish, powershell or elvish"))]
        shell: clap_complete::Shell,
    },
    #[command(about = tr("in trang hướng dẫn (man, định dạng roff)", "print the man page (roff)"))]
    Man {
        #[arg(short = 'o', long, value_name = tr("THƯ_MỤC", "DIR"),
              help = tr("ghi mọi trang (motcua.1, motcua-lint.1, …) vào THƯ_MỤC", "write every page (motcua.1, motcua-lint.1, …) into DIR"))]
        output: Option<String>,
    },
    #[command(about = tr("in trợ giúp của motcua hoặc của một lệnh", "print the help of motcua or of a command"))]
    Help {
        #[arg(value_name = "COMMAND", help = tr("lệnh cần xem trợ giúp", "the command to show the help of"))]
        command: Vec<String>,
    },
}

/// `motcua calendar …`.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    #[command(about = tr("liệt kê các ngày thay đổi giữa hai phiên bản lịch", "list the days that changed between two calendar versions"))]
    Diff {
        #[arg(value_name = tr("CŨ.yaml", "OLD.yaml"), help = tr("phiên bản cũ", "the old version"))]
        old: String,
        #[arg(value_name = tr("MỚI.yaml", "NEW.yaml"), help = tr("phiên bản mới", "the new version"))]
        new: String,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("thư mục specs/", "the specs/ folder"))]
        specs: Option<String>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"),
              help = tr("lịch mà tệp mở rộng (mặc định: calendars/ của specs)", "the calendars a file extends (default: the specs' calendars/)"))]
        calendars: Option<String>,
    },
    #[command(about = tr("mọi ngày được đánh dấu, với trạng thái và nguồn", "every marked day, with its status and source"))]
    Days {
        #[arg(value_name = tr("LỊCH.yaml", "CAL.yaml"), help = tr("tệp lịch", "the calendar file"))]
        file: String,
        #[arg(long, value_enum, value_name = "text|json", hide_possible_values = true, help = format_help())]
        format: Option<Format>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("thư mục specs/", "the specs/ folder"))]
        specs: Option<String>,
        #[arg(long, value_name = tr("THƯ_MỤC", "DIR"), help = tr("lịch mà tệp mở rộng", "the calendars the file extends"))]
        calendars: Option<String>,
    },
}

/// What the command line asks for before it is parsed: the language and whether errors
/// should be JSON (`--format json`), read with clap's own lexer so that even an error in
/// another argument is reported in the language asked for.
pub fn peek(raw: &[OsString]) -> (Lang, bool) {
    let raw = clap_lex::RawArgs::new(raw.iter().cloned());
    let mut cursor = raw.cursor();
    let (mut lang, mut json) = (Lang::Vi, false);
    while let Some(arg) = raw.next(&mut cursor) {
        if arg.is_escape() {
            break;
        }
        let Some((Ok(name), value)) = arg.to_long() else { continue };
        if name != "lang" && name != "format" {
            continue;
        }
        let value = match value {
            Some(v) => v.to_str().map(str::to_owned),
            None => raw.peek_os(&cursor).and_then(|v| v.to_str()).map(str::to_owned),
        };
        match (name, value.as_deref()) {
            ("lang", Some("en")) => lang = Lang::En,
            ("lang", Some("vi")) => lang = Lang::Vi,
            ("format", Some(v)) => json = v == "json",
            _ => {}
        }
    }
    (lang, json)
}

/// The clap command, with its help in the chosen language.
pub fn command() -> clap::Command {
    localise(Cli::command(), crate::lang())
}

/// Headings and the help template in `lang`, on a command and every subcommand.
fn localise(cmd: clap::Command, lang: Lang) -> clap::Command {
    let cmd = cmd.subcommand_help_heading(lang.t("Lệnh", "Commands"));
    let cmd = match lang {
        Lang::En => cmd,
        Lang::Vi => cmd
            .help_template("{before-help}{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}")
            .mut_args(|arg| {
                if arg.get_help_heading().is_some() {
                    arg
                } else if arg.is_positional() {
                    arg.help_heading("Tham số")
                } else {
                    arg.help_heading("Tùy chọn")
                }
            }),
    };
    cmd.mut_subcommands(|sub| localise(sub, lang))
}

/// Words clap writes itself in usage lines, in `lang`.
pub fn localise_text(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => text.to_owned(),
        Lang::Vi => text
            .replace("[OPTIONS]", "[TÙY_CHỌN]")
            .replace("<COMMAND>", "<LỆNH>")
            .replace("[COMMAND]", "[LỆNH]")
            // `serve`'s options show their default and environment variable.
            .replace("[default:", "[mặc định:")
            .replace("[env:", "[biến môi trường:"),
    }
}

/// The man page of `cmd` (roff), its section names in `lang` and in capitals.
pub fn man_page(cmd: clap::Command, lang: Lang) -> std::io::Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let sections = [
        ("NAME", "TÊN"),
        ("SYNOPSIS", "CÚ PHÁP"),
        ("DESCRIPTION", "MÔ TẢ"),
        ("OPTIONS", "TÙY CHỌN"),
        ("SUBCOMMANDS", "LỆNH"),
        ("EXTRA", "GHI CHÚ"),
        ("VERSION", "PHIÊN BẢN"),
    ];
    let lines: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix(".SH ") {
            Some(name) => {
                let name = name.trim_matches('"');
                let name = match sections.iter().find(|(en, _)| *en == name) {
                    Some((en, vi)) => lang.t(vi, en),
                    None => name,
                };
                format!(".SH \"{}\"", name.to_uppercase())
            }
            None => localise_text(line, lang),
        })
        .collect();
    Ok(lines.join("\n") + "\n")
}

fn string(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `a, b hoặc c` / `a, b or c`.
fn choices(values: &[String], or: &str) -> String {
    match values {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {or} {last}", init.join(", ")),
    }
}

/// A clap error as a usage error (`usage_error`), its message in Vietnamese and English, and
/// the usage line of the command it is about.
pub fn fail(err: &clap::Error) -> Fail {
    let arg = string(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(err, ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = string(err, ContextKind::SuggestedArg)
        .or_else(|| string(err, ContextKind::SuggestedSubcommand))
        .or_else(|| string(err, ContextKind::SuggestedValue));
    let (vi, en) = match err.kind() {
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            (format!("tùy chọn không hợp lệ: `{arg}`"), format!("unknown option `{arg}`"))
        }
        ErrorKind::UnknownArgument => (format!("thừa tham số `{arg}`"), format!("unexpected argument `{arg}`")),
        ErrorKind::InvalidSubcommand => {
            let name = string(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            (format!("lệnh không tồn tại: `{name}`"), format!("unknown command `{name}`"))
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            (format!("tùy chọn `{arg}` cần một giá trị"), format!("option `{arg}` needs a value"))
        }
        ErrorKind::InvalidValue => {
            let valid = strings(err, ContextKind::ValidValue);
            (
                format!("giá trị `{value}` không hợp lệ cho `{arg}`: chọn {}", choices(&valid, "hoặc")),
                format!("invalid value `{value}` for `{arg}`: choose {}", choices(&valid, "or")),
            )
        }
        ErrorKind::ValueValidation => {
            // The parser's reason is in English only.
            let why = std::error::Error::source(err).map(|e| format!(": {e}")).unwrap_or_default();
            (format!("giá trị `{value}` không hợp lệ cho `{arg}`"), format!("invalid value `{value}` for `{arg}`{why}"))
        }
        ErrorKind::ArgumentConflict => {
            let prior = string(err, ContextKind::PriorArg).unwrap_or_default();
            if prior == arg || prior.is_empty() {
                (format!("tùy chọn `{arg}` được nêu hai lần"), format!("option `{arg}` given twice"))
            } else {
                (format!("không dùng `{arg}` cùng với `{prior}`"), format!("`{arg}` cannot be used with `{prior}`"))
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(err, ContextKind::InvalidArg).join(", ");
            (format!("thiếu tham số: {missing}"), format!("missing argument: {missing}"))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let known = strings(err, ContextKind::ValidSubcommand);
            let known = if known.is_empty() { String::new() } else { format!(" ({})", known.join(", ")) };
            (format!("thiếu lệnh{known}"), format!("no command given{known}"))
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            (format!("số giá trị của `{arg}` không đúng"), format!("wrong number of values for `{arg}`"))
        }
        ErrorKind::NoEquals => (
            format!("tùy chọn `{arg}` cần dấu `=` trước giá trị"),
            format!("option `{arg}` needs `=` before its value"),
        ),
        ErrorKind::InvalidUtf8 => {
            ("tham số không phải văn bản UTF-8".to_owned(), "an argument is not UTF-8 text".to_owned())
        }
        _ => {
            let text = err.to_string();
            let text = text.trim_start_matches("error: ").lines().next().unwrap_or("").to_owned();
            (format!("tham số không hợp lệ: {text}"), format!("invalid arguments: {text}"))
        }
    };
    let (vi, en) = match suggestion {
        Some(s) => (format!("{vi}; có phải `{s}`?"), format!("{en}; did you mean `{s}`?")),
        None => (vi, en),
    };
    let mut failure = Fail::new(vi, en);
    failure.usage = string(err, ContextKind::Usage).map(|u| u.trim().trim_start_matches("Usage:").trim().to_owned());
    failure
}
