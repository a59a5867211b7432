//! The `simulate` timeline as a table that fits the terminal (comfy-table).
//!
//! The full table has ten columns: #, instant, command, actor, steps after, effects, step
//! time, appointment, timing, status. When it is wider than the width asked for, columns are
//! *folded* — put on a second line of their neighbour's cell — in this order, one at a time,
//! until it fits:
//!
//! 1. effects and step times one per line;
//! 2. timing under the appointment;
//! 3. the actor under the command;
//! 4. the step time under the effects;
//! 5. the status's label under its code, the time under the date;
//! 6. the status under the appointment and timing.
//!
//! If it is still too wide, long cells (step names, rejection messages) are wrapped to the
//! width; commands and role names are kept whole (up to 20 characters). Nothing is dropped. `--wide`, or output that is not a terminal (a pipe, a file)
//! without `--width` or `COLUMNS`, gives the full table.

use std::io::IsTerminal as _;

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table, TableStyle};
use comfy_table::{ContentLineStyle, LineStyle};
use motcua::{EffectKind, Procedure};
use motcua_scenario::{Entry, EntryResult};

/// How wide the output may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// No limit: the full table.
    Full,
    /// At most this many columns (display width).
    Columns(u16),
}

/// The narrowest width tables are fitted to.
pub const MIN_WIDTH: u16 = 40;

impl Width {
    /// `--width N`, else the `COLUMNS` variable, else the width of the terminal on stdout;
    /// [`Width::Full`] when stdout is not a terminal.
    pub fn detect(asked: Option<u16>) -> Width {
        if let Some(w) = asked {
            return Width::Columns(w.max(MIN_WIDTH));
        }
        if let Some(w) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()) {
            return Width::Columns(w.max(MIN_WIDTH));
        }
        if std::io::stdout().is_terminal()
            && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
        {
            return Width::Columns(w.max(MIN_WIDTH));
        }
        Width::Full
    }
}

/// ` │ ` between columns, `─┼─` under the header, no outer border: the table reads as text.
const STYLE: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::none().junction('│'))
    .header_separator(LineStyle::none().fill('─').junction('┼'))
    .content_lines(ContentLineStyle::none().junction('│'));

/// The cells of one timeline entry, before folding.
struct Row {
    n: String,
    date: String,
    time: String,
    command: String,
    actor: String,
    after: String,
    effects: Vec<String>,
    step_times: Vec<String>,
    appointment: String,
    timing: String,
    status_code: String,
    status_label: String,
}

fn rows(entries: &[Entry], procedure: &Procedure, lang: &str) -> Vec<Row> {
    let step_name = |id: &str| -> String {
        procedure.step_by_id(id).map(|s| s.name().get(lang).to_owned()).unwrap_or_else(|| id.to_owned())
    };
    let day = procedure.calendar().day_minutes();
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let actor = match &e.actor.agency {
                Some(agency) => format!("{} @ {agency}", e.actor.role),
                None => e.actor.role.clone(),
            };
            let after = if e.after.is_empty() {
                "—".to_owned()
            } else {
                e.after.iter().map(|s| step_name(s)).collect::<Vec<_>>().join(" ‖ ")
            };
            let effects = match &e.result {
                EntryResult::Applied(fx) => fx
                    .iter()
                    .filter(|f| {
                        !matches!(
                            f.kind,
                            EffectKind::StepStarted { .. }
                                | EffectKind::StatusChanged { .. }
                                | EffectKind::AppointmentSet { .. }
                        )
                    })
                    .map(motcua::Effect::compact)
                    .collect(),
                EntryResult::Rejected(r) => vec![format!("✗ {}: {}", r.code, r.message.get(lang))],
            };
            let step_times = e
                .step_times
                .iter()
                .map(|(_, used, allotted)| {
                    if *allotted == 0 {
                        human_minutes(*used, day)
                    } else {
                        format!("{} / {}", human_minutes(*used, day), human_minutes(*allotted, day))
                    }
                })
                .collect();
            let appointment = e
                .appointment
                .map(|a| {
                    let expected = if lang == "en" { " (expected)" } else { " (dự kiến)" };
                    format!(
                        "{}{}{}",
                        a.format("%Y-%m-%d %H:%M"),
                        if e.provisional { expected } else { "" },
                        if e.suspended { " ⏸" } else { "" }
                    )
                })
                .unwrap_or_default();
            Row {
                n: (i + 1).to_string(),
                date: e.at.format("%Y-%m-%d").to_string(),
                time: e.at.format("%H:%M").to_string(),
                command: e.command.clone(),
                actor,
                after,
                effects,
                step_times,
                appointment,
                timing: e.punctuality.map(|p| p.label().get(lang).to_owned()).unwrap_or_default(),
                status_code: e.status.code().to_string(),
                status_label: e.status.label().get(lang).to_owned(),
            }
        })
        .collect()
}

/// `a` and `b` in one cell, `b` on its own line (or nothing when `b` is empty).
fn under(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (_, true) => a.to_owned(),
        (true, false) => b.to_owned(),
        (false, false) => format!("{a}\n{b}"),
    }
}

/// The last fold level of the module's list.
const FOLDS: u8 = 6;

/// The table at fold level `fold` (0: none, [`FOLDS`]: every fold of the module's list).
fn table(rows: &[Row], lang: &str, fold: u8) -> Table {
    let vi = lang == "vi";
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let list_sep = if fold >= 1 { "\n" } else { ", " };
    let mut header: Vec<String> = vec!["#".into(), t("Thời điểm", "Instant").into()];
    header.push(if fold >= 3 { t("Lệnh\nNgười thực hiện", "Command\nActor") } else { t("Lệnh", "Command") }.into());
    if fold < 3 {
        header.push(t("Người thực hiện", "Actor").into());
    }
    header.push(t("Bước sau lệnh", "Steps after").into());
    header.push(
        if fold >= 4 {
            t("Hiệu ứng\nThời gian bước", "Effects\nStep time")
        } else {
            t("Hiệu ứng", "Effects")
        }
        .into(),
    );
    if fold < 4 {
        header.push(t("Thời gian bước", "Step time").into());
    }
    header.push(
        match fold {
            6.. => t("Hẹn trả\nTiến độ\nTrạng thái", "Appointment\nTiming\nStatus"),
            2.. => t("Hẹn trả\nTiến độ", "Appointment\nTiming"),
            _ => t("Hẹn trả", "Appointment"),
        }
        .into(),
    );
    if fold < 2 {
        header.push(t("Tiến độ", "Timing").into());
    }
    if fold < 6 {
        header.push(t("Trạng thái", "Status").into());
    }

    let mut table = Table::new();
    table.load_style(STYLE);
    table.set_header(header.into_iter().map(Cell::new_owned).collect::<Vec<_>>());
    for r in rows {
        let effects = r.effects.join(list_sep);
        let step_time = r.step_times.join(list_sep);
        let at = if fold >= 5 { format!("{}\n{}", r.date, r.time) } else { format!("{} {}", r.date, r.time) };
        let mut cells = vec![r.n.clone(), at];
        if fold >= 3 {
            cells.push(under(&r.command, &r.actor));
        } else {
            cells.push(r.command.clone());
            cells.push(r.actor.clone());
        }
        cells.push(r.after.clone());
        if fold >= 4 {
            cells.push(under(&effects, &step_time));
        } else {
            cells.push(effects);
            cells.push(step_time);
        }
        let status = if fold >= 5 {
            under(&r.status_code, &r.status_label)
        } else {
            format!("{} {}", r.status_code, r.status_label)
        };
        if fold >= 6 {
            cells.push(under(&under(&r.appointment, &r.timing), &format!("{} {}", r.status_code, r.status_label)));
        } else if fold >= 2 {
            cells.push(under(&r.appointment, &r.timing));
            cells.push(status);
        } else {
            cells.push(r.appointment.clone());
            cells.push(r.timing.clone());
            cells.push(status);
        }
        table.add_row(cells.into_iter().map(Cell::new_owned).collect::<Vec<_>>());
    }
    // No padding before the first column nor after the last: the table starts at the margin.
    let last = table.column_count().saturating_sub(1);
    if let Some(c) = table.column_mut(0) {
        c.set_padding((0, 1));
    }
    if let Some(c) = table.column_mut(last) {
        c.set_padding((1, 0));
    }
    table
}

/// A plain table in the timeline's style, fitted to `width` by wrapping its cells; every
/// line ends with a newline.
pub fn table_of(headers: &[&str], rows: Vec<Vec<String>>, width: Width) -> String {
    table_keeping(headers, rows, width, 0)
}

/// [`table_of`], keeping the first `keep` columns whole (codes, dates: split, they cannot be
/// searched for); only the columns after them are wrapped to fit.
pub fn table_keeping(headers: &[&str], rows: Vec<Vec<String>>, width: Width, keep: usize) -> String {
    let widths: Vec<usize> = (0..keep)
        .map(|i| {
            let header = headers.get(i).map_or(0, |h| widest(h));
            rows.iter().filter_map(|r| r.get(i)).map(|c| widest(c)).fold(header, usize::max)
        })
        .collect();
    let mut table = Table::new();
    table.load_style(STYLE);
    table.set_header(headers.iter().map(Cell::new).collect::<Vec<_>>());
    for row in rows {
        table.add_row(row.into_iter().map(Cell::new_owned).collect::<Vec<_>>());
    }
    let last = table.column_count().saturating_sub(1);
    if let Some(c) = table.column_mut(0) {
        c.set_padding((0, 1));
    }
    if let Some(c) = table.column_mut(last) {
        c.set_padding((1, 0));
    }
    if let Width::Columns(w) = width {
        table.set_content_arrangement(ContentArrangement::Dynamic).set_width(w);
        for (i, &kept) in widths.iter().enumerate() {
            // The boundary counts the column's padding too.
            if let (Some(c), Ok(kept)) = (table.column_mut(i), u16::try_from(kept)) {
                let kept = kept.saturating_add(c.padding_width());
                c.set_constraint(ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(kept)));
            }
        }
    }
    table.trim_fmt() + "\n"
}

/// The widest line of `text`, in terminal columns.
pub fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().map(crate::render::char_width).sum::<usize>()).max().unwrap_or(0)
}

/// The timeline in `lang`, fitted to `width`; every line ends with a newline.
pub fn render(entries: &[Entry], procedure: &Procedure, lang: &str, width: Width) -> String {
    let rows = rows(entries, procedure, lang);
    let limit = match width {
        Width::Full => return table(&rows, lang, 0).trim_fmt() + "\n",
        Width::Columns(w) => w,
    };
    for fold in 0..=FOLDS {
        let text = table(&rows, lang, fold).trim_fmt();
        if widest(&text) <= usize::from(limit) {
            return text + "\n";
        }
    }
    let mut table = table(&rows, lang, FOLDS);
    table.set_content_arrangement(ContentArrangement::Dynamic).set_width(limit);
    // Commands and roles are identifiers: split, they cannot be searched for. Keep the longest
    // whole when the width allows (column 2 is the command with the actor under it).
    let longest = rows
        .iter()
        .flat_map(|r| r.command.split(' ').chain(r.actor.split(' ')))
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
        .min(20);
    if let (Some(c), Ok(w)) = (table.column_mut(2), u16::try_from(longest)) {
        c.set_constraint(ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(w)));
    }
    table.trim_fmt() + "\n"
}

/// Text wrapped to `width` (at spaces, long words split), by a one-cell comfy-table.
pub fn wrap(text: &str, width: Width) -> String {
    let Width::Columns(w) = width else { return text.to_owned() };
    let mut out = String::new();
    for line in text.lines() {
        if widest(line) <= usize::from(w) {
            out.push_str(line);
        } else {
            let mut table = Table::new();
            table.load_style(TableStyle::new());
            table.set_content_arrangement(ContentArrangement::Dynamic).set_width(w);
            table.add_row(vec![Cell::new(line)]);
            if let Some(c) = table.column_mut(0) {
                c.set_padding((0, 0));
            }
            out.push_str(&table.trim_fmt());
        }
        out.push('\n');
    }
    out
}

/// Working minutes as people read them: `1d 2h`, `3h 15m`, `45m` (days of `day` minutes).
pub fn human_minutes(minutes: u64, day: u32) -> String {
    let day = u64::from(day.max(1));
    let (d, rest) = (minutes / day, minutes % day);
    let (h, m) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(format!("{m}m"));
    }
    parts.join(" ")
}
