//! `motcua`: the command line for policy staff who author procedures.
//!
//! The commands and their help are declared in [`args`] (clap); `motcua --help` lists them,
//! in Vietnamese or, with `--lang en`, in English.
//!
//! Exit codes: 0 clean, 1 problems found (lint errors, failed expectations, invalid form,
//! breaking changes for `diff`), 2 the command could not run (bad arguments, unreadable
//! files, no catalogue found).
#![forbid(unsafe_code)]

mod args;
mod calendar;
mod deadline;
mod diff;
mod explain;
mod form;
mod graph;
mod json;
mod lint;
mod migrate;
mod new;
mod project;
mod render;
mod simulate;
mod swimlane;
mod timeline;

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use motcua::Message;

/// Output language: every message the CLI prints exists in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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

pub use args::Format;

/// The language chosen for this run (`--lang en`); set once, before the command line is built.
static ENGLISH: AtomicBool = AtomicBool::new(false);

pub fn set_lang(lang: Lang) {
    ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
    // `motcua serve`'s options are declared in the server crate, with their own switch.
    motcua_server::set_english_help(lang == Lang::En);
}

pub fn lang() -> Lang {
    if ENGLISH.load(Ordering::Relaxed) { Lang::En } else { Lang::Vi }
}

/// A help text of the command line, in the language of this run: both are written side by
/// side where the argument is declared, so neither can be forgotten.
pub fn tr(vi: &'static str, en: &'static str) -> &'static str {
    lang().t(vi, en)
}

/// The schemas `motcua schema NAME` prints.
pub const SCHEMAS: [&str; 13] = [
    "procedure",
    "catalogue",
    "calendar",
    "units",
    "migration",
    "scenario",
    "submission",
    "command",
    "applied",
    "event",
    "effect",
    "dossier",
    "rejection",
];

/// Why a command could not run (exit code 2): a stable code and the message in both
/// languages. Printed as `lỗi[code]: …` / `error[code]: …`, or as a JSON object with
/// `--format json`.
#[derive(Debug)]
pub struct Fail {
    pub code: String,
    pub message: Message,
    /// For an argument error, the usage line of the command it is about.
    pub usage: Option<String>,
}

impl Fail {
    /// A usage error: bad arguments, an unknown command or option (`usage_error`).
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Fail {
        Fail::coded("usage_error", vi, en)
    }

    /// A failure with its own stable code (`io_error`, `invalid_utf8`, an engine code, …).
    pub fn coded(code: impl Into<String>, vi: impl Into<String>, en: impl Into<String>) -> Fail {
        Fail { code: code.into(), message: Message::new(vi, en), usage: None }
    }
}

/// What a command reports: `Ok(true)` clean, `Ok(false)` problems found.
pub type Outcome = Result<bool, Fail>;

fn main() -> ExitCode {
    let raw: Vec<OsString> = std::env::args_os().collect();
    // The language is needed to build the help and to report argument errors, so look for it
    // (and for `--format json`) first.
    let (lang, json) = args::peek(raw.get(1..).unwrap_or_default());
    set_lang(lang);
    let code = match run(raw, lang) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(Fail { code, message, usage }) => {
            let _ = std::io::stdout().flush();
            if json {
                // Asked for JSON: the error is JSON too, on stdout where the answer would be.
                let mut error = serde_json::json!({"code": code, "message": message});
                if let Some(usage) = usage {
                    error["usage"] = serde_json::json!(args::localise_text(&usage, lang));
                }
                print_json(&serde_json::json!({"error": error}));
            } else {
                let text = render::escape_controls(message.get(lang.code()));
                eprintln!("{}[{code}]: {text}", lang.t("lỗi", "error"));
                if let Some(usage) = usage {
                    // `motcua calendar diff [OPTIONS] <OLD.yaml> …` → `motcua calendar diff`.
                    let words = usage.split(' ').take_while(|w| !w.starts_with(['-', '<', '[']));
                    let command = words.collect::<Vec<_>>().join(" ");
                    eprintln!(
                        "\n{} {}\n{} `{command} --help`",
                        lang.t("Cách dùng:", "Usage:"),
                        args::localise_text(&usage, lang),
                        lang.t("Xem thêm:", "For more, try")
                    );
                }
            }
            2
        }
    };
    ExitCode::from(code)
}

/// Prints help or version text clap rendered, coloured on a terminal.
fn print_styled(text: &clap::builder::StyledStr, lang: Lang) {
    let text = if render::colour() { text.ansi().to_string() } else { text.to_string() };
    print!("{}", args::localise_text(&text, lang));
}

fn run(raw: Vec<OsString>, lang: Lang) -> Outcome {
    use clap::FromArgMatches as _;
    use clap::error::ErrorKind;

    let mut cmd = args::command();
    let matches = match cmd.try_get_matches_from_mut(raw) {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            print_styled(&e.render(), lang);
            return Ok(true);
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            print_styled(&e.render(), lang);
            return Err(args::fail(&e));
        }
        Err(e) => return Err(args::fail(&e)),
    };
    let cli = args::Cli::from_arg_matches(&matches).map_err(|e| args::fail(&e))?;
    let lang = cli.lang.unwrap_or(lang);
    use args::{CalendarCommand, Command};
    match cli.command {
        Command::Lint { paths, format, specs } => lint::run(&paths, format.unwrap_or(Format::Text), &specs, lang),
        Command::Simulate { spec, scenario, format, wide, width, specs } => {
            let width = if wide { timeline::Width::Full } else { timeline::Width::detect(width) };
            simulate::run(&spec, scenario.as_deref(), format.unwrap_or(Format::Text), width, &specs, lang)
        }
        Command::Diff { old, new, format, specs } => {
            diff::run(&old, &new, format.unwrap_or(Format::Text), &specs, lang)
        }
        Command::Migrate { dry_run, database, old, new, migration, dossiers, at, batch, user, only, format, specs } => {
            let inputs =
                migrate::Inputs { old: &old, new: &new, migration: &migration, dossiers: &dossiers, at: at.as_deref() };
            let format = format.unwrap_or(Format::Text);
            match database {
                Some(url) => {
                    let store = migrate::StoreRun {
                        url: &url,
                        dry_run,
                        batch: batch.unwrap_or(100) as usize,
                        user: user.as_deref(),
                        only: &only,
                    };
                    migrate::run_store(&inputs, &store, format, &specs, lang)
                }
                None if batch.is_some() || user.is_some() || !only.is_empty() => Err(Fail::new(
                    "`--batch`, `--user` và `--dossier` chỉ dùng cùng `--database`",
                    "`--batch`, `--user` and `--dossier` need `--database`",
                )),
                None => migrate::run(&inputs, format, &specs, lang),
            }
        }
        Command::Graph { spec, format, output, specs } => {
            graph::run(&spec, format.unwrap_or(args::GraphFormat::Mermaid), output.as_deref(), &specs, lang)
        }
        Command::CheckForm { spec, data, documents, today, format, specs } => form::run(
            &spec,
            &data,
            documents.as_deref(),
            today.as_deref(),
            format.unwrap_or(Format::Text),
            &specs,
            lang,
        ),
        Command::Schema { name } => schema(&name),
        Command::New { file, code, name, name_en, deadline, level, agencies, unit, from, dir, force, specs } => {
            let answers = new::Answers { file, code, name, name_en, deadline, level, agencies, unit, from, dir, force };
            new::run(&answers, &specs, lang)
        }
        Command::Json { file, output, upgrade, specs } => json::run(&file, output.as_deref(), upgrade, &specs, lang),
        Command::Explain { code, format } => explain::run(code.as_deref(), format.unwrap_or(Format::Text), lang),
        Command::Deadline { calendar, from, add, cutoff, format, specs, calendars } => {
            let request = deadline::Request { calendar, from, add, cutoff, specs, calendars };
            deadline::run(&request, format.unwrap_or(Format::Text), lang)
        }
        Command::Calendar { command } => match command {
            CalendarCommand::Diff { old, new, format, specs, calendars } => calendar::diff(
                &old,
                &new,
                format.unwrap_or(Format::Text),
                lang,
                calendar::dir(specs, calendars).as_deref(),
            ),
            CalendarCommand::Days { file, format, specs, calendars } => {
                calendar::days(&file, format.unwrap_or(Format::Text), lang, calendar::dir(specs, calendars).as_deref())
            }
        },
        Command::Serve(serve) => serve.run().map(|()| true).map_err(|e| {
            Fail::coded("serve_failed", format!("không chạy được dịch vụ: {e}"), format!("the service failed: {e}"))
        }),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut args::command(), "motcua", &mut std::io::stdout());
            Ok(true)
        }
        Command::Man { output } => man(output.as_deref(), lang),
        Command::Help { command } => {
            cmd.build();
            let mut target = &mut cmd;
            for name in &command {
                target = target.find_subcommand_mut(name).ok_or_else(|| {
                    Fail::new(
                        format!("lệnh không tồn tại: `{name}` (xem `motcua --help`)"),
                        format!("unknown command `{name}` (see `motcua --help`)"),
                    )
                })?;
            }
            print_styled(&target.render_help(), lang);
            Ok(true)
        }
    }
}

/// `motcua man [-o DIR]`: the page of `motcua` on stdout, or every page into DIR.
fn man(output: Option<&str>, lang: Lang) -> Outcome {
    let mut cmd = args::command().disable_help_subcommand(true);
    cmd.build();
    let io = |e: std::io::Error| {
        Fail::coded(
            "io_error",
            format!("không ghi được trang hướng dẫn: {e}"),
            format!("cannot write the man page: {e}"),
        )
    };
    let Some(dir) = output else {
        print!("{}", args::man_page(cmd, lang).map_err(io)?);
        return Ok(true);
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    fn pages(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, clap::Command)>) {
        let name = if prefix.is_empty() { cmd.get_name().to_owned() } else { format!("{prefix}-{}", cmd.get_name()) };
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            pages(sub, &name, out);
        }
        out.push((name.clone(), cmd.clone().display_name(name)));
    }
    let mut all = Vec::new();
    pages(&cmd, "", &mut all);
    for (name, page) in all {
        let path = std::path::Path::new(dir).join(format!("{name}.1"));
        std::fs::write(&path, args::man_page(page, lang).map_err(io)?).map_err(io)?;
    }
    Ok(true)
}

fn schema(name: &str) -> Outcome {
    let text = match name {
        "procedure" => motcua::spec::procedure_schema(),
        "catalogue" => motcua::spec::catalogue_schema(),
        "calendar" => motcua::spec::calendar_schema(),
        "units" => motcua::spec::units_schema(),
        "migration" => motcua::spec::migration_schema(),
        "scenario" => motcua::scenario::schema(),
        name => motcua::runtime_schemas()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s)
            .ok_or_else(|| Fail::new(format!("không có lược đồ `{name}`"), format!("no schema `{name}`")))?,
    };
    println!("{}", text.trim_end());
    Ok(true)
}

/// Prints a JSON value (pretty, with a final newline).
pub fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    println!("{text}");
}
