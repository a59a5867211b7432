//! `motcua calendar diff OLD NEW [--format json] [--calendars DIR]`: the days that changed
//! between two versions of a calendar file; `motcua calendar days FILE [--format json]`:
//! every covered day as the engine counts it (working or not, and the entry marking it),
//! what the cross-check against an independent source reads (`scripts/calendar_crosscheck.py`).
//!
//! Calendars change by notice every year: a provisional Tết becomes announced, a swap is
//! added. This lists, day by day, what a new version changes, with a stable code per
//! change (the same snake_case codes in text and JSON):
//!
//! | code | meaning | moves deadlines |
//! |---|---|---|
//! | `day_off_added` | a working day becomes a day off | yes |
//! | `day_off_removed` | a day off becomes a working day | yes |
//! | `status_changed` | same day, another status (e.g. `provisional` → `announced`) | no |
//! | `day_changed` | same working status, another kind, label or source | no |
//! | `year_added` / `year_removed` | the years covered changed | yes |
//! | `hours_changed` | the UTC offset or the length of a working day changed | yes |
//!
//! A file that `extends` another is compiled over the calendars of `--calendars DIR` (by
//! default the `calendars/` folder of the specs root), leaving out files with its own id.
//! Which running dossiers have deadlines across the changed days is the store's job.
//!
//! Both print tables in the timeline's style ([`timeline::table_of`], comfy-table), fitted to
//! `COLUMNS` or the terminal by wrapping the last columns; the JSON is unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use motcua::{Calendar, Calendars, MarkedDay};
use serde::Deserialize;
use serde_json::json;

use crate::timeline::{self, Width};
use crate::{Fail, Format, Lang, Outcome, project, render};

#[derive(Deserialize)]
struct Head {
    id: String,
    #[serde(default)]
    extends: Option<String>,
}

fn head(text: &str, name: &str) -> Result<Head, Fail> {
    #[derive(Deserialize)]
    struct Loose {
        id: String,
        #[serde(default)]
        extends: Option<String>,
        #[serde(flatten)]
        _rest: BTreeMap<String, serde::de::IgnoredAny>,
    }
    let h: Loose = serde_saphyr::from_str(text).map_err(|e| {
        Fail::new(
            format!("{name}: không đọc được tệp lịch: {e}"),
            format!("{name}: cannot read the calendar file: {e}"),
        )
    })?;
    Ok(Head { id: h.id, extends: h.extends })
}

/// Compiles one calendar file, over its parents when it extends another.
fn load(path: &Path, dir: Option<&Path>) -> Result<(Calendars, String), Fail> {
    let name = project::display(path);
    let text = project::read(path, &name)?;
    let Head { id, extends } = head(&text, &name)?;
    let mut set = Calendars::new();
    if extends.is_some() {
        let dir = match dir {
            Some(d) => d.to_path_buf(),
            None => project::find_specs_root(path.parent()).map(|r| r.join("calendars")).ok_or_else(|| {
                Fail::new(
                    format!("{name} kế thừa lịch khác: dùng --calendars THƯ_MỤC"),
                    format!("{name} extends another calendar: pass --calendars DIR"),
                )
            })?,
        };
        let mut parents: Vec<PathBuf> = Vec::new();
        for f in project::yaml_files(&dir)? {
            let shown = project::display(&f);
            let t = project::read(&f, &shown)?;
            if head(&t, &shown).map(|h| h.id != id).unwrap_or(false) {
                parents.push(f);
            }
        }
        set = project::load_calendars(&parents)?.0;
    }
    set.insert_yaml(&text, &name).map_err(|e| {
        let all: Vec<String> = e.diagnostics().iter().map(ToString::to_string).collect();
        Fail::new(all.join("\n"), all.join("\n"))
    })?;
    Ok((set, id))
}

struct Change {
    code: &'static str,
    date: Option<NaiveDate>,
    year: Option<i32>,
    old: Option<MarkedDay>,
    new: Option<MarkedDay>,
    old_working: Option<bool>,
    new_working: Option<bool>,
    moves: bool,
}

fn changes(old: &Calendar, new: &Calendar) -> Vec<Change> {
    let mut out = Vec::new();
    let blank = |code, year| Change {
        code,
        date: None,
        year,
        old: None,
        new: None,
        old_working: None,
        new_working: None,
        moves: true,
    };
    if old.offset() != new.offset() || old.day_minutes() != new.day_minutes() {
        out.push(blank("hours_changed", None));
    }
    let (o, n) = (old.covers(), new.covers());
    for y in o.0.min(n.0)..=o.1.max(n.1) {
        let (in_old, in_new) = (o.0 <= y && y <= o.1, n.0 <= y && y <= n.1);
        if in_old && !in_new {
            out.push(blank("year_removed", Some(y)));
        } else if in_new && !in_old {
            out.push(blank("year_added", Some(y)));
        }
    }
    let index =
        |c: &Calendar| -> BTreeMap<NaiveDate, MarkedDay> { c.marked_days().into_iter().map(|d| (d.date, d)).collect() };
    let (om, nm) = (index(old), index(new));
    let (from, to) = (o.0.max(n.0), o.1.min(n.1));
    let mut day = NaiveDate::from_ymd_opt(from, 1, 1);
    while let Some(d) = day.filter(|d| d.year() <= to) {
        let (ow, nw) = (old.is_working_day(d).ok(), new.is_working_day(d).ok());
        let (a, b) = (om.get(&d), nm.get(&d));
        let code = if ow != nw {
            Some(if nw == Some(false) { "day_off_added" } else { "day_off_removed" })
        } else {
            match (a, b) {
                (Some(a), Some(b)) if a.status != b.status => Some("status_changed"),
                (Some(a), Some(b)) if a != b => Some("day_changed"),
                (None, Some(_)) | (Some(_), None) => Some("day_changed"),
                _ => None,
            }
        };
        if let Some(code) = code {
            out.push(Change {
                code,
                date: Some(d),
                year: None,
                old: a.cloned(),
                new: b.cloned(),
                old_working: ow,
                new_working: nw,
                moves: ow != nw,
            });
        }
        day = d.succ_opt();
    }
    out
}

fn describe(d: &Option<MarkedDay>, working: Option<bool>, lang: Lang) -> String {
    match d {
        Some(d) => format!("{} [{}, {}]", d.label.get(lang.code()), d.kind.as_str(), d.status.as_str()),
        None => match working {
            Some(true) => lang.t("ngày làm việc", "working day").to_owned(),
            Some(false) => lang.t("ngày nghỉ hằng tuần", "weekly rest day").to_owned(),
            None => lang.t("ngoài lịch", "outside the calendar").to_owned(),
        },
    }
}

fn day_json(d: &Option<MarkedDay>, working: Option<bool>) -> serde_json::Value {
    match (d, working) {
        (_, None) => serde_json::Value::Null,
        (Some(d), Some(w)) => json!({
            "working": w, "kind": d.kind.as_str(), "status": d.status.as_str(),
            "label": d.label, "source": d.source,
        }),
        (None, Some(w)) => json!({"working": w}),
    }
}

/// The calendars a file may extend: `--calendars DIR`, else `--specs DIR`'s `calendars/`.
pub fn dir(specs: Option<String>, calendars: Option<String>) -> Option<PathBuf> {
    match (calendars, specs) {
        (Some(d), _) => Some(PathBuf::from(d)),
        (None, Some(s)) => Some(Path::new(&s).join("calendars")),
        (None, None) => None,
    }
}

pub fn days(file: &str, format: Format, lang: Lang, dir: Option<&Path>) -> Outcome {
    let path = PathBuf::from(file);
    let (set, id) = load(&path, dir)?;
    let Some(cal) = set.get(&id) else {
        return Err(Fail::new("không nạp được lịch", "the calendar could not be loaded"));
    };
    let marked: BTreeMap<NaiveDate, MarkedDay> = cal.marked_days().into_iter().map(|d| (d.date, d)).collect();
    let (from, to) = cal.covers();
    let mut rows = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(from, 1, 1);
    while let Some(d) = day.filter(|d| d.year() <= to) {
        rows.push((d, cal.is_working_day(d).unwrap_or(false), marked.get(&d)));
        day = d.succ_opt();
    }
    match format {
        Format::Json => crate::print_json(&json!({
            "id": cal.id(),
            "covers": [from, to],
            "days": rows.iter().map(|(d, w, m)| {
                let mut o = json!({"date": d.to_string(), "working": w});
                if let Some(m) = m {
                    o["kind"] = json!(m.kind.as_str());
                    o["status"] = json!(m.status.as_str());
                    o["label"] = json!(m.label);
                    o["source"] = json!(m.source);
                }
                o
            }).collect::<Vec<_>>(),
            "known_differences": cal.spec().known_differences,
        })),
        Format::Text => {
            let headers = [
                lang.t("Ngày", "Date"),
                lang.t("Làm việc", "Working"),
                lang.t("Loại", "Kind"),
                lang.t("Tình trạng", "Status"),
                lang.t("Tên", "Name"),
            ];
            let rows = rows
                .iter()
                .filter_map(|(d, w, m)| {
                    let m = (*m)?;
                    let state = if *w { lang.t("làm việc", "working") } else { lang.t("nghỉ", "off") };
                    Some(vec![
                        d.to_string(),
                        state.to_owned(),
                        m.kind.as_str().to_owned(),
                        m.status.as_str().to_owned(),
                        render::escape_controls(m.label.get(lang.code())),
                    ])
                })
                .collect();
            print!("{}", timeline::table_keeping(&headers, rows, Width::detect(None), 4));
        }
    }
    Ok(true)
}

pub fn diff(old: &str, new: &str, format: Format, lang: Lang, dir: Option<&Path>) -> Outcome {
    let (old_path, new_path) = (PathBuf::from(old), PathBuf::from(new));
    let (old_set, old_id) = load(&old_path, dir)?;
    let (new_set, new_id) = load(&new_path, dir)?;
    let (Some(old), Some(new)) = (old_set.get(&old_id), new_set.get(&new_id)) else {
        return Err(Fail::new("không nạp được lịch", "the calendars could not be loaded"));
    };
    let list = changes(old, new);
    match format {
        Format::Json => crate::print_json(&json!({
            "old": {"file": project::display(&old_path), "id": old.id(), "covers": [old.covers().0, old.covers().1]},
            "new": {"file": project::display(&new_path), "id": new.id(), "covers": [new.covers().0, new.covers().1]},
            "changes": list.iter().map(|c| json!({
                "code": c.code,
                "date": c.date.map(|d| d.to_string()),
                "year": c.year,
                "moves_deadlines": c.moves,
                "old": day_json(&c.old, c.old_working),
                "new": day_json(&c.new, c.new_working),
            })).collect::<Vec<_>>(),
        })),
        Format::Text => {
            let mut out = String::new();
            let mut rows = Vec::new();
            for c in &list {
                let when = match (c.date, c.year) {
                    (Some(d), _) => d.to_string(),
                    (None, Some(y)) => y.to_string(),
                    (None, None) => String::new(),
                };
                let detail = match c.code {
                    "year_added" => lang.t("năm mới được lịch bao phủ", "year now covered").to_owned(),
                    "year_removed" => lang.t("năm không còn trong lịch", "year no longer covered").to_owned(),
                    "hours_changed" => lang
                        .t("giờ làm việc hoặc độ lệch giờ thay đổi", "office hours or UTC offset changed")
                        .to_owned(),
                    _ => {
                        format!("{} → {}", describe(&c.old, c.old_working, lang), describe(&c.new, c.new_working, lang))
                    }
                };
                let moves = if c.moves { lang.t("có", "yes") } else { "" };
                rows.push(vec![when, c.code.to_owned(), moves.to_owned(), render::escape_controls(&detail)]);
            }
            if !rows.is_empty() {
                let headers = [
                    lang.t("Ngày", "Date"),
                    lang.t("Thay đổi", "Change"),
                    lang.t("Dời hạn", "Moves"),
                    lang.t("Trước → sau", "Before → after"),
                ];
                out.push_str(&timeline::table_keeping(&headers, rows, Width::detect(None), 3));
                out.push('\n');
            }
            let moving = list.iter().filter(|c| c.moves).count();
            out.push_str(&match lang {
                Lang::Vi => format!("{} thay đổi, {moving} thay đổi làm dời thời hạn\n", list.len()),
                Lang::En => format!("{} changes, {moving} that move deadlines\n", list.len()),
            });
            print!("{out}");
        }
    }
    Ok(true)
}
