//! `motcua deadline --calendar ID --from INSTANT --add DURATION [--cutoff HH:MM]`:
//! working-day arithmetic for staff checking an appointment by hand.
//!
//! `--from` is an RFC 3339 instant (`2026-02-13T16:00:00+07:00`) or a local date-time
//! (`2026-02-13T16:00`, read in the calendar's offset). The count starts as the engine
//! starts it ([`motcua::Calendar::start_of_count`]): after the cut-off on a working day, at
//! the next working day's opening; outside office hours, at the next opening.
//!
//! A deadline counted across provisional calendar days (expected, not yet announced, e.g.
//! Tết of a year whose notice is not out) is marked: the text output says "dự kiến" /
//! "expected" and lists the days, the JSON has `"provisional": true` and `provisional_days`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, NaiveTime, TimeZone};
use motcua::WorkingDuration;
use serde_json::json;

use crate::{Fail, Format, Lang, Outcome, project};

const WEEKDAYS_VI: [&str; 7] = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"];
const WEEKDAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// `Thứ Sáu 13/02/2026 16:00` / `Friday 2026-02-13 16:00`.
fn human(t: DateTime<FixedOffset>, lang: Lang) -> String {
    let day = t.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Vi => format!("{} {}", WEEKDAYS_VI[day], t.format("%d/%m/%Y %H:%M")),
        Lang::En => format!("{} {}", WEEKDAYS_EN[day], t.format("%Y-%m-%d %H:%M")),
    }
}

fn parse_from(text: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .and_then(|naive| offset.from_local_datetime(&naive).single())
}

/// What `motcua deadline` was asked.
#[derive(Debug)]
pub struct Request {
    pub calendar: String,
    pub from: String,
    pub add: String,
    pub cutoff: Option<String>,
    pub specs: Option<String>,
    pub calendars: Option<String>,
}

pub fn run(request: &Request, format: Format, lang: Lang) -> Outcome {
    let calendar_id = request.calendar.as_str();
    let from_text = request.from.as_str();
    let add_text = request.add.as_str();
    let duration: WorkingDuration = add_text.parse().map_err(|_| {
        Fail::new(
            format!("thời hạn `{add_text}` không hợp lệ: viết số và đơn vị, ví dụ 3d, 0.5d, 4h, 30m"),
            format!("invalid duration `{add_text}`: write a number and a unit, e.g. 3d, 0.5d, 4h, 30m"),
        )
    })?;
    let cutoff = match request.cutoff.as_deref() {
        Some(c) => Some(NaiveTime::parse_from_str(c, "%H:%M").map_err(|_| {
            Fail::new(format!("giờ `{c}` không hợp lệ (HH:MM)"), format!("invalid time `{c}` (HH:MM)"))
        })?),
        None => None,
    };

    let dir = match (request.calendars.as_deref(), request.specs.as_deref()) {
        (Some(dir), _) => std::path::PathBuf::from(dir),
        (None, Some(specs)) => std::path::Path::new(specs).join("calendars"),
        (None, None) => project::find_specs_root(None).map(|r| r.join("calendars")).ok_or_else(|| {
            Fail::new(
                "không tìm thấy thư mục lịch làm việc: dùng --calendars THƯ_MỤC",
                "no calendars folder found: pass --calendars DIR",
            )
        })?,
    };
    let (set, files) = project::load_calendars(&project::yaml_files(&dir)?)?;
    let Some(calendar) = set.get(calendar_id) else {
        let broken: Vec<String> =
            files.iter().flat_map(|f| &f.diagnostics).filter(|d| d.is_error()).map(ToString::to_string).collect();
        let known: Vec<&str> = set.ids().collect();
        return Err(Fail::coded(
            motcua::Code::UnknownCalendar.as_str(),
            format!(
                "không có lịch `{calendar_id}` (có: {}){}",
                known.join(", "),
                broken.iter().map(|b| format!("\n{b}")).collect::<String>()
            ),
            format!(
                "no calendar `{calendar_id}` (known: {}){}",
                known.join(", "),
                broken.iter().map(|b| format!("\n{b}")).collect::<String>()
            ),
        ));
    };
    let from = parse_from(from_text, calendar.offset()).ok_or_else(|| {
        Fail::new(
            format!("thời điểm `{from_text}` không hợp lệ (ví dụ 2026-02-13T16:00:00+07:00)"),
            format!("invalid instant `{from_text}` (e.g. 2026-02-13T16:00:00+07:00)"),
        )
    })?;
    let outside = |e: motcua::CalendarError| Fail {
        code: e.code().as_str().to_owned(),
        message: e.message().clone(),
        usage: None,
    };
    let start = calendar.start_of_count(from, cutoff).map_err(outside)?;
    let due = calendar.add(start, duration).map_err(outside)?;
    let from_local = from.with_timezone(&calendar.offset());
    let provisional = calendar.provisional_days(start, due);
    let l = lang.code();
    match format {
        Format::Json => crate::print_json(&json!({
            "calendar": calendar.id(),
            "from": from.to_rfc3339(),
            "cutoff": cutoff.map(|c| c.format("%H:%M").to_string()),
            "start": start.to_rfc3339(),
            "add": duration.to_string(),
            "working_minutes": duration.to_minutes(calendar.day_minutes()),
            "due": due.to_rfc3339(),
            "provisional": !provisional.is_empty(),
            "provisional_days": provisional.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })),
        Format::Text => {
            let mut out = String::new();
            let rows = [
                (lang.t("Lịch làm việc", "Calendar"), format!("{} — {}", calendar.id(), calendar.name().get(l))),
                (lang.t("Tiếp nhận", "Received"), human(from_local, lang)),
                (
                    lang.t("Bắt đầu tính", "Count starts"),
                    match (start != from_local, cutoff) {
                        (true, Some(c)) => format!(
                            "{} ({} {})",
                            human(start, lang),
                            lang.t("giờ chốt tiếp nhận", "cut-off"),
                            c.format("%H:%M")
                        ),
                        _ => human(start, lang),
                    },
                ),
                (
                    lang.t("Thời hạn", "Duration"),
                    format!(
                        "{duration} ({} {})",
                        duration.to_minutes(calendar.day_minutes()),
                        lang.t("phút làm việc", "working minutes")
                    ),
                ),
                (
                    lang.t("Hẹn trả kết quả", "Due"),
                    if provisional.is_empty() {
                        human(due, lang)
                    } else {
                        format!("{} ({})", human(due, lang), lang.t("dự kiến", "expected"))
                    },
                ),
            ];
            let mut rows = rows.to_vec();
            if !provisional.is_empty() {
                let days: Vec<String> = provisional
                    .iter()
                    .map(|d| match lang {
                        Lang::Vi => d.format("%d/%m/%Y").to_string(),
                        Lang::En => d.to_string(),
                    })
                    .collect();
                rows.push((
                    lang.t("Ngày chưa công bố", "Not yet announced"),
                    format!(
                        "{} — {}",
                        days.join(", "),
                        lang.t(
                            "lịch hẹn có thể thay đổi khi có thông báo chính thức",
                            "the appointment may move when the notice is published"
                        )
                    ),
                ));
            }
            let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
            for (k, v) in rows {
                out.push_str(&format!("{k}:{} {v}\n", " ".repeat(width - k.chars().count())));
            }
            out.push_str(&format!("{}\n", due.to_rfc3339()));
            print!("{out}");
        }
    }
    Ok(true)
}
