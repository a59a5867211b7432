//! `motcua json FILE [-o OUT]`: a catalogue, calendar or procedure as the JSON the core's
//! `from_json` loaders read — what a server ships to browsers, which then need no YAML parser —
//! or a scenario as JSON, for hosts that run scenarios outside Rust.
//!
//! The kind comes from the folder, as for `lint`. The file is loaded and checked first (a
//! procedure against the catalogue and calendars found near it, a calendar after the calendar
//! it extends), so only a spec that loads is converted; one with errors prints its
//! diagnostics and exits 1.

use std::collections::BTreeSet;
use std::path::Path;

use motcua::Catalogue;
use serde::Serialize;

use crate::args::SpecsArgs;
use crate::lint::Kind;
use crate::project::{self, Source};
use crate::simulate::report_errors;
use crate::{Fail, Format, Lang, Outcome, render};

pub fn run(file: &str, output: Option<&str>, args: &SpecsArgs, lang: Lang) -> Outcome {
    let path = Path::new(file);
    let source = Source { name: file.to_owned(), text: project::read(path, file)? };
    let converted = match Kind::of(path) {
        Kind::Catalogue => Catalogue::from_yaml(&source.text, file).map(|c| pretty(c.spec())),
        Kind::Calendar => calendar(args, path, &source)?,
        Kind::Procedure => project::load_procedure(args, file)?.result.map(|p| pretty(p.spec())),
        Kind::Units => {
            let shared = project::load(&project::sources(args, Some(path))?)?;
            let catalogue = shared.libraries.first().map(|l| l.catalogue().clone()).ok_or_else(|| {
                Fail::new("không tìm thấy danh mục cho danh sách đơn vị", "no catalogue found for the units")
            })?;
            motcua::Units::from_yaml(&source.text, file, &catalogue).map(|u| pretty(u.spec()))
        }
        // Scenarios are read for the hosts that run them outside Rust (the WASM package's
        // tests drive every shipped scenario through the JS API).
        Kind::Scenario => motcua::scenario::Scenario::from_yaml(&source.text, file).map(|s| pretty(&s)),
        // A migration as written (shapes checked; `lint` compiles it against its versions).
        Kind::Migration => motcua::spec::migration::MigrationSpec::from_yaml(&source.text, file).map(|m| pretty(&m)),
    };
    let text = match converted {
        Ok(text) => text,
        Err(e) => {
            report_errors(Format::Text, &source, e.diagnostics(), lang, render::colour());
            return Ok(false);
        }
    };
    match output {
        Some(out) => std::fs::write(out, text.as_bytes())
            .map_err(|e| Fail::new(format!("không ghi được {out}: {e}"), format!("cannot write {out}: {e}")))?,
        None => print!("{text}"),
    }
    Ok(true)
}

/// A spec as indented JSON with a final newline (any JSON layout loads the same).
fn pretty(spec: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(spec).unwrap_or_default();
    text.push('\n');
    text
}

/// Loads a calendar after the other calendars of its folder (it may extend one of them).
fn calendar(args: &SpecsArgs, path: &Path, source: &Source) -> Result<Result<String, motcua::LoadError>, Fail> {
    let sources = project::sources(args, Some(path))?;
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let others: Vec<_> = sources.calendars.iter().filter(|p| canonical(p) != canonical(path)).cloned().collect();
    let (mut set, _) = project::load_calendars(&others)?;
    let before: BTreeSet<String> = set.ids().map(str::to_owned).collect();
    if let Err(e) = set.insert_yaml(&source.text, &source.name) {
        return Ok(Err(e));
    }
    let added = set.ids().find(|id| !before.contains(*id)).and_then(|id| set.get(id));
    let calendar = added.ok_or_else(|| Fail::new("lịch không được nạp", "the calendar was not loaded"))?;
    Ok(Ok(pretty(calendar.spec())))
}
