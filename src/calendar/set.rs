//! [`Calendars`]: loading, validating and compiling calendar files.

use std::collections::BTreeMap;

use chrono::{Datelike, FixedOffset, NaiveDate};

use crate::calendar::compiled::{Calendar, DayKind, Entry, Sess};
use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::spec::calendar::{CalendarSpec, Dated, DayStatus, Session, StatutoryHoliday, Weekday};
use crate::spec::source::{Part, SourceMap};

/// The most years one calendar may cover (bounds the size of its tables).
const MAX_YEARS: i32 = 200;

/// A set of compiled calendars, by id.
///
/// A calendar that `extends` another must be inserted after it: the parent is
/// compiled first and the child inherits its offset, weekdays, office hours, years and
/// every dated entry. Inserting a child first is an `unknown_calendar` error that says
/// so. Reading files is the host's job (the core does no I/O).
///
/// ```
/// use motcua::{Calendars, Code};
///
/// let mut set = Calendars::new();
/// let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
/// set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
/// assert_eq!(set.get("vn-gov").unwrap().covers(), (2025, 2027));
///
/// let err = set.insert_yaml("id: x\nname: {vi: X}\nextends: nowhere\n", "x.yaml").unwrap_err();
/// assert_eq!(err.diagnostics()[0].code, Code::UnknownCalendar);
/// assert_eq!(err.diagnostics()[0].line, 3);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Calendars {
    by_id: BTreeMap<String, Calendar>,
}

impl Calendars {
    /// An empty set.
    ///
    /// ```
    /// assert!(motcua::Calendars::new().get("vn-gov").is_none());
    /// ```
    pub fn new() -> Self {
        Calendars::default()
    }

    /// Reads, validates and compiles one calendar file and adds it to the set.
    ///
    /// `file` is the name diagnostics carry. On error nothing is added and every
    /// problem found is returned, placed at its line and column.
    ///
    /// ```
    /// use motcua::Code;
    ///
    /// let yaml = "id: bad\nname: {vi: Lịch lỗi}\nutc_offset: '+07:00'\n\
    ///             working_weekdays: [mon]\n\
    ///             office_hours: [{from: '08:00', to: '12:00'}, {from: '11:00', to: '17:00'}]\n\
    ///             covers: {from: 2026, to: 2026}\n";
    /// let err = motcua::Calendars::new().insert_yaml(yaml, "bad.yaml").unwrap_err();
    /// let d = &err.diagnostics()[0];
    /// assert_eq!((d.code, d.path.as_str()), (Code::InvalidCalendar, "office_hours[1].from"));
    /// ```
    pub fn insert_yaml(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        let (spec, map) = crate::spec::yaml::from_str::<CalendarSpec>(text, file, &crate::limits::Limits::default())?;
        self.insert(spec, &map)
    }

    /// Reads, validates and compiles one calendar written as JSON (the serialization of
    /// [`CalendarSpec`], as [`Calendar::to_json`] gives it) and adds it to the set.
    ///
    /// The same checks as [`Calendars::insert_yaml`], with diagnostics placed at the JSON
    /// line, column and path.
    ///
    /// ```
    /// use motcua::{Calendars, Code};
    ///
    /// let mut set = Calendars::new();
    /// let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let json = set.get("vn-gov").unwrap().to_json();
    ///
    /// let mut browser = Calendars::new();
    /// browser.insert_json(&json, "vn-gov.json").unwrap();
    /// assert_eq!(browser.get("vn-gov").unwrap().spec(), set.get("vn-gov").unwrap().spec());
    ///
    /// let err = browser.insert_json("{\"id\": \"x\",\n \"name\": {\"vi\": \"X\"},\n \"extends\": \"nowhere\"}", "x.json").unwrap_err();
    /// let d = &err.diagnostics()[0];
    /// assert_eq!((d.code, d.line, d.column), (Code::UnknownCalendar, 3, 13));
    /// ```
    pub fn insert_json(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        let (spec, map) = crate::spec::json::from_str::<CalendarSpec>(text, file, &crate::limits::Limits::default())?;
        self.insert(spec, &map)
    }

    /// Compiles a spec read by either reader and adds it.
    fn insert(&mut self, spec: CalendarSpec, map: &SourceMap) -> Result<(), LoadError> {
        let calendar = self.compile(spec, map)?;
        self.by_id.insert(calendar.id.clone(), calendar);
        Ok(())
    }

    /// The calendar with this id.
    ///
    /// ```
    /// let set = motcua::Calendars::new();
    /// assert!(set.get("vn-gov").is_none());
    /// ```
    pub fn get(&self, id: &str) -> Option<&Calendar> {
        self.by_id.get(id)
    }

    /// The ids of the calendars in the set, in order.
    ///
    /// ```
    /// let mut set = motcua::Calendars::new();
    /// let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// assert_eq!(set.ids().collect::<Vec<_>>(), ["vn-gov"]);
    /// ```
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    fn compile(&self, spec: CalendarSpec, map: &SourceMap) -> Result<Calendar, LoadError> {
        let mut diags: Vec<Diagnostic> = Vec::new();
        let invalid = |path: &str, vi: String, en: String| {
            map.diagnostic(Code::InvalidCalendar, path, Part::Value, Message::new(vi, en))
        };

        // Identity.
        let id = spec.id.as_str();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            diags.push(map.diagnostic(
                Code::InvalidName,
                "id",
                Part::Value,
                Message::new(
                    format!("Mã lịch `{id}` không hợp lệ: chỉ dùng chữ thường ASCII, số, `-` và `_`"),
                    format!("invalid calendar id `{id}`: use lowercase ASCII letters, digits, `-` and `_`"),
                ),
            ));
        }
        if self.by_id.contains_key(id) {
            diags.push(invalid("id", format!("Lịch `{id}` đã được nạp"), format!("calendar `{id}` is already loaded")));
        }

        // The parent.
        let parent = match &spec.extends {
            None => None,
            Some(p) => match self.by_id.get(p.as_str()) {
                Some(parent) if p != id => Some(parent),
                _ => {
                    let d = map
                        .diagnostic(
                            Code::UnknownCalendar,
                            "extends",
                            Part::Value,
                            Message::new(
                                format!("Lịch `{p}` được kế thừa nhưng chưa được nạp"),
                                format!("calendar `{p}` is extended but not loaded"),
                            ),
                        )
                        .with_help(Message::new(
                            format!("Nạp lịch `{p}` trước khi nạp tệp {}", map.file()),
                            format!("insert calendar `{p}` before the file {}", map.file()),
                        ));
                    return Err(LoadError::new(vec![d]));
                }
            },
        };

        let missing = |field: &str| {
            map.diagnostic(
                Code::MissingField,
                field,
                Part::Value,
                Message::new(
                    format!("Lịch không kế thừa lịch khác phải khai báo `{field}`"),
                    format!("a calendar that extends no other must set `{field}`"),
                ),
            )
        };

        // UTC offset.
        let offset = match (&spec.utc_offset, parent) {
            (Some(text), _) => match parse_offset(text) {
                Some(o) => Some(o),
                None => {
                    diags.push(map.diagnostic(
                        Code::InvalidValue,
                        "utc_offset",
                        Part::Value,
                        Message::new(
                            format!("Độ lệch giờ `{text}` không hợp lệ: ghi `+HH:MM`, ví dụ `+07:00`"),
                            format!("invalid UTC offset `{text}`: write `+HH:MM`, e.g. `+07:00`"),
                        ),
                    ));
                    None
                }
            },
            (None, Some(p)) => Some(p.offset),
            (None, None) => {
                diags.push(missing("utc_offset"));
                None
            }
        };

        // Working weekdays.
        let weekdays: Vec<Weekday> = match (&spec.working_weekdays, parent) {
            (Some(w), _) => {
                for (i, d) in w.iter().enumerate() {
                    if w[..i].contains(d) {
                        diags.push(invalid(
                            &format!("working_weekdays[{i}]"),
                            "Ngày trong tuần bị lặp lại".to_owned(),
                            "weekday listed twice".to_owned(),
                        ));
                    }
                }
                w.clone()
            }
            (None, Some(p)) => p.weekdays.clone(),
            (None, None) => {
                diags.push(missing("working_weekdays"));
                Vec::new()
            }
        };

        // Office hours.
        let office_hours: Vec<Session> = match (&spec.office_hours, parent) {
            (Some(h), _) => {
                if h.is_empty() {
                    diags.push(invalid(
                        "office_hours",
                        "Cần ít nhất một buổi làm việc".to_owned(),
                        "at least one office-hours session is needed".to_owned(),
                    ));
                }
                for (i, s) in h.iter().enumerate() {
                    if s.from >= s.to {
                        diags.push(invalid(
                            &format!("office_hours[{i}].to"),
                            format!("Buổi làm việc phải kết thúc sau khi bắt đầu ({}–{})", s.from, s.to),
                            format!("a session must end after it starts ({}–{})", s.from, s.to),
                        ));
                    } else if i > 0 && s.from < h[i - 1].to {
                        diags.push(invalid(
                            &format!("office_hours[{i}].from"),
                            format!(
                                "Buổi làm việc {}–{} chồng lấn hoặc đứng trước buổi {}–{}; các buổi phải theo thứ tự tăng dần",
                                s.from, s.to, h[i - 1].from, h[i - 1].to
                            ),
                            format!(
                                "session {}–{} overlaps or precedes session {}–{}; list sessions in ascending order",
                                s.from, s.to, h[i - 1].from, h[i - 1].to
                            ),
                        ));
                    }
                }
                h.clone()
            }
            (None, Some(p)) => p.office_hours.clone(),
            (None, None) => {
                diags.push(missing("office_hours"));
                Vec::new()
            }
        };

        // Years.
        let covers = match (&spec.covers, parent) {
            (Some(y), parent) => {
                if y.from > y.to
                    || y.to - y.from >= MAX_YEARS
                    || NaiveDate::from_ymd_opt(y.from, 1, 1).is_none()
                    || NaiveDate::from_ymd_opt(y.to, 12, 31).is_none()
                {
                    diags.push(invalid(
                        "covers",
                        format!(
                            "Khoảng năm {}–{} không hợp lệ (tối đa {MAX_YEARS} năm, năm đầu không sau năm cuối)",
                            y.from, y.to
                        ),
                        format!(
                            "invalid years {}–{} (from must not be after to; at most {MAX_YEARS} years)",
                            y.from, y.to
                        ),
                    ));
                    None
                } else if let Some(p) = parent.filter(|p| y.from < p.covers.0 || y.to > p.covers.1) {
                    diags.push(map.diagnostic(
                        Code::OutsideCalendar,
                        "covers",
                        Part::Key,
                        Message::new(
                            format!(
                                "Lịch `{}` chỉ gồm các năm {}–{}; lịch kế thừa không thể gồm {}–{}",
                                p.id, p.covers.0, p.covers.1, y.from, y.to
                            ),
                            format!(
                                "calendar `{}` covers only {}–{}; a calendar extending it cannot cover {}–{}",
                                p.id, p.covers.0, p.covers.1, y.from, y.to
                            ),
                        ),
                    ));
                    None
                } else {
                    Some((y.from, y.to))
                }
            }
            (None, Some(p)) => Some(p.covers),
            (None, None) => {
                diags.push(missing("covers"));
                None
            }
        };

        // Dated entries: inherited first, then this file's.
        let mut entries: Vec<Entry> = parent.map(|p| p.entries.clone()).unwrap_or_default();
        let inherited = entries.len();
        let mut paths: Vec<String> = Vec::new();
        for (field, list, kind) in [
            ("holidays", &spec.holidays, DayKind::Holiday),
            ("compensatory_days_off", &spec.compensatory_days_off, DayKind::DayOff),
            ("swapped_working_days", &spec.swapped_working_days, DayKind::Worked),
        ] {
            for (i, d) in list.iter().enumerate() {
                let path = format!("{field}[{i}]");
                if let Some(entry) = check_dated(d, kind, &path, covers, map, &mut diags) {
                    entries.push(entry);
                    paths.push(path);
                }
            }
        }

        let (Some(offset), Some(covers)) = (offset, covers) else {
            return Err(LoadError::new(diags));
        };
        if !diags.is_empty() {
            return Err(LoadError::new(diags));
        }

        // Day table.
        let Some(first) = NaiveDate::from_ymd_opt(covers.0, 1, 1) else {
            return Err(LoadError::new(diags));
        };
        let Some(last) = NaiveDate::from_ymd_opt(covers.1, 12, 31) else {
            return Err(LoadError::new(diags));
        };
        let first_day = i64::from(first.to_epoch_days());
        let ndays = (last.to_epoch_days() - first.to_epoch_days() + 1) as usize;
        let chrono_days: Vec<chrono::Weekday> = weekdays.iter().map(|w| w.to_chrono()).collect();
        let mut working: Vec<bool> = (0..ndays)
            .map(|i| {
                first.checked_add_days(chrono::Days::new(i as u64)).is_some_and(|d| chrono_days.contains(&d.weekday()))
            })
            .collect();
        let index = |d: NaiveDate| (i64::from(d.to_epoch_days()) - first_day) as usize;
        // Bound the work of marking days: overlapping ranges could otherwise repeat it.
        let marked: usize = entries
            .iter()
            .map(|e| (e.to.min(last) - e.from.max(first)).num_days().max(-1) + 1)
            .map(|n| usize::try_from(n).unwrap_or(0))
            .sum();
        if marked > 4 * ndays {
            diags.push(map.diagnostic(
                Code::LimitExceeded,
                "",
                Part::Value,
                Message::new(
                    format!("Các khoảng ngày cộng lại dài quá {} ngày", 4 * ndays),
                    format!("the dated ranges add up to more than {} days", 4 * ndays),
                ),
            ));
            return Err(LoadError::new(diags));
        }
        // Which entry made a day off, to report conflicts with worked days.
        let mut off_by: Vec<Option<usize>> = vec![None; ndays];
        for (n, e) in entries.iter().enumerate() {
            // Inherited entries may reach beyond a narrower range: clip them.
            let (a, b) = (e.from.max(first), e.to.min(last));
            if e.kind != DayKind::Worked && a <= b {
                for day in index(a)..=index(b) {
                    working[day] = false;
                    off_by[day] = Some(n);
                }
            }
        }
        for (n, e) in entries.iter().enumerate() {
            if e.kind != DayKind::Worked {
                continue;
            }
            let path = if n >= inherited { paths[n - inherited].as_str() } else { "extends" };
            let (a, b) = (e.from.max(first), e.to.min(last));
            if a > b {
                continue;
            }
            for day in index(a)..=index(b) {
                let date = first.checked_add_days(chrono::Days::new(day as u64)).unwrap_or(first);
                if let Some(off) = off_by[day] {
                    let o = &entries[off];
                    diags.push(invalid(
                        path,
                        format!("Ngày {date} vừa là ngày nghỉ ({}) vừa là ngày làm bù ({})", o.label.vi, e.label.vi),
                        format!(
                            "{date} is both a day off ({}) and a swapped working day ({})",
                            o.label.get("en"),
                            e.label.get("en")
                        ),
                    ));
                } else if working[day] {
                    diags.push(invalid(
                        path,
                        format!("Ngày {date} đã là ngày làm việc; không cần khai báo làm bù"),
                        format!("{date} is already a working day; it cannot be a swapped working day"),
                    ));
                } else {
                    working[day] = true;
                }
            }
        }
        if !diags.is_empty() {
            return Err(LoadError::new(diags));
        }
        let marks =
            |kind: DayKind, date: NaiveDate| entries.iter().any(|e| e.kind == kind && e.from <= date && date <= e.to);
        check_swaps(&spec, &weekdays, &marks, map, &mut diags);
        let statutory = if spec.statutory_holidays.is_empty() {
            parent.map(|p| p.statutory.clone()).unwrap_or_default()
        } else {
            check_statutory_list(&spec.statutory_holidays, map, &mut diags);
            spec.statutory_holidays.clone()
        };
        for (field, list) in [
            ("holidays", &spec.holidays),
            ("compensatory_days_off", &spec.compensatory_days_off),
            ("swapped_working_days", &spec.swapped_working_days),
        ] {
            for (i, d) in list.iter().enumerate() {
                if let Some(tag) = &d.statutory
                    && !statutory.iter().any(|h| &h.id == tag)
                {
                    diags.push(invalid(
                        &format!("{field}[{i}].statutory"),
                        format!("Không có ngày lễ luật định `{tag}` trong `statutory_holidays`"),
                        format!("no statutory holiday `{tag}` in `statutory_holidays`"),
                    ));
                }
            }
        }
        let at = if spec.covers.is_some() { "covers" } else { "extends" };
        for year in covers.0..=covers.1 {
            for h in &statutory {
                let mut days: Vec<NaiveDate> = Vec::new();
                for e in entries.iter().filter(|e| e.statutory.as_deref() == Some(h.id.as_str())) {
                    let mut d = e.from.max(first);
                    while d <= e.to.min(last) {
                        if d.year() == year && !days.contains(&d) {
                            days.push(d);
                        }
                        d = match d.succ_opt() {
                            Some(n) => n,
                            None => break,
                        };
                    }
                }
                let weekdays_off = days.iter().filter(|d| chrono_days.contains(&d.weekday())).count();
                let fixed = h
                    .date
                    .as_deref()
                    .and_then(|md| NaiveDate::parse_from_str(&format!("{year}-{md}"), "%Y-%m-%d").ok());
                let fixed_missing = fixed.filter(|f| !days.contains(f));
                if weekdays_off < usize::from(h.days) || fixed_missing.is_some() {
                    let (vi_date, en_date) = match fixed_missing {
                        Some(f) => (format!(", không có ngày {f}"), format!(", and not {f}")),
                        None => (String::new(), String::new()),
                    };
                    diags.push(
                        map.diagnostic(
                            Code::MissingStatutoryHoliday,
                            at,
                            Part::Value,
                            Message::new(
                                format!(
                                    "Năm {year} thiếu ngày nghỉ luật định {} (`{}`): cần {} ngày làm việc được nghỉ, lịch có {weekdays_off}{vi_date}",
                                    h.label.vi, h.id, h.days
                                ),
                                format!(
                                    "{year} lacks the statutory holiday {} (`{}`): it gives {} working days off, the calendar has {weekdays_off}{en_date}",
                                    h.label.get("en"),
                                    h.id,
                                    h.days
                                ),
                            ),
                        )
                        .with_help(Message::new(
                            format!("Thêm ngày nghỉ gắn `statutory: {}` với `status: provisional` cho đến khi có thông báo ({})", h.id, h.source),
                            format!("add the days tagged `statutory: {}` with `status: provisional` until the notice is published ({})", h.id, h.source),
                        )),
                    );
                }
            }
        }
        for (i, k) in spec.known_differences.iter().enumerate() {
            if k.date.year() < covers.0 || k.date.year() > covers.1 {
                diags.push(map.diagnostic(
                    Code::OutsideCalendar,
                    &format!("known_differences[{i}].date"),
                    Part::Value,
                    Message::new(
                        format!("Ngày {} nằm ngoài các năm của lịch ({}–{})", k.date, covers.0, covers.1),
                        format!("{} is outside the calendar's years ({}–{})", k.date, covers.0, covers.1),
                    ),
                ));
            }
        }
        if !diags.is_empty() {
            return Err(LoadError::new(diags));
        }

        let mut provisional: Vec<u32> = Vec::new();
        for e in entries.iter().filter(|e| e.status == DayStatus::Provisional) {
            let (a, b) = (e.from.max(first), e.to.min(last));
            if a <= b {
                provisional.extend((index(a)..=index(b)).map(|d| d as u32));
            }
        }
        provisional.sort_unstable();
        provisional.dedup();

        let mut cum = Vec::with_capacity(ndays + 1);
        let mut work_days = Vec::new();
        let mut count = 0u32;
        for (i, &w) in working.iter().enumerate() {
            cum.push(count);
            if w {
                count += 1;
                work_days.push(i as u32);
            }
        }
        cum.push(count);

        let mut sessions = Vec::with_capacity(office_hours.len());
        let mut before = 0u32;
        for s in &office_hours {
            let (start, end) = (s.from.minutes() * 60, s.to.minutes() * 60);
            sessions.push(Sess { start, end, before });
            before += end - start;
        }

        Ok(Calendar {
            id: spec.id.clone(),
            name: spec.name.clone(),
            spec,
            offset,
            covers,
            weekdays,
            office_hours,
            entries,
            sessions,
            day_secs: u64::from(before),
            first_day,
            working,
            cum,
            work_days,
            provisional,
            statutory,
        })
    }
}

/// Checks one dated entry: exactly one form, ordered, inside the covered years.
fn check_dated(
    d: &Dated,
    kind: DayKind,
    path: &str,
    covers: Option<(i32, i32)>,
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let invalid =
        |at: &str, vi: String, en: String| map.diagnostic(Code::InvalidCalendar, at, Part::Value, Message::new(vi, en));
    let (from, to, at_from, at_to) = match (d.date, d.from, d.to) {
        (Some(date), None, None) => (date, date, "date", "date"),
        (None, Some(from), Some(to)) => (from, to, "from", "to"),
        _ => {
            diags.push(invalid(
                path,
                "Ghi `date` cho một ngày, hoặc cả `from` và `to` cho một khoảng ngày".to_owned(),
                "write `date` for one day, or both `from` and `to` for a range".to_owned(),
            ));
            return None;
        }
    };
    if from > to {
        diags.push(invalid(
            &format!("{path}.to"),
            format!("Ngày cuối {to} đứng trước ngày đầu {from}"),
            format!("the range ends ({to}) before it starts ({from})"),
        ));
        return None;
    }
    if d.source.trim().is_empty() {
        diags.push(map.diagnostic(
            Code::MissingField,
            &format!("{path}.source"),
            Part::Value,
            Message::new(
                "Ghi nguồn của ngày: số và ngày của văn bản thông báo, hoặc điều luật quy định".to_owned(),
                "write the day's source: the notice's number and date, or the statute".to_owned(),
            ),
        ));
    }
    let wrong_field = |field: &str, vi: &str, en: &str| {
        invalid(
            &format!("{path}.{field}"),
            format!("`{field}` không dùng cho {vi}"),
            format!("`{field}` does not apply to {en}"),
        )
    };
    match kind {
        DayKind::Holiday => {
            for (set, field) in [
                (d.swapped_with.is_some(), "swapped_with"),
                (d.observes.is_some(), "observes"),
                (d.no_make_up.is_some(), "no_make_up"),
            ] {
                if set {
                    diags.push(wrong_field(field, "ngày lễ", "a holiday"));
                }
            }
        }
        DayKind::Worked => {
            for (set, field) in [(d.observes.is_some(), "observes"), (d.no_make_up.is_some(), "no_make_up")] {
                if set {
                    diags.push(wrong_field(field, "ngày làm bù", "a swapped working day"));
                }
            }
        }
        DayKind::DayOff => {}
    }
    let (y0, y1) = covers?;
    for (date, at) in [(from, at_from), (to, at_to)] {
        if date.year() < y0 || date.year() > y1 {
            diags.push(map.diagnostic(
                Code::OutsideCalendar,
                &format!("{path}.{at}"),
                Part::Value,
                Message::new(
                    format!("Ngày {date} nằm ngoài các năm của lịch ({y0}–{y1})"),
                    format!("{date} is outside the calendar's years ({y0}–{y1})"),
                ),
            ));
            return None;
        }
    }
    Some(Entry {
        from,
        to,
        kind,
        label: d.label.clone(),
        status: d.status,
        source: d.source.clone(),
        statutory: d.statutory.clone(),
    })
}

/// Each compensatory day off says why it is off, and each swapped working day which day
/// off it pays for: a swap without its make-up day is an [`Code::UnpairedSwap`] error.
fn check_swaps(
    spec: &CalendarSpec,
    weekdays: &[Weekday],
    marks: &dyn Fn(DayKind, NaiveDate) -> bool,
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    let unpaired =
        |at: &str, vi: String, en: String| map.diagnostic(Code::UnpairedSwap, at, Part::Value, Message::new(vi, en));
    let rest_day = |d: NaiveDate| !weekdays.iter().any(|w| w.to_chrono() == d.weekday());
    for (i, d) in spec.compensatory_days_off.iter().enumerate() {
        let path = format!("compensatory_days_off[{i}]");
        let day = d.date.or(d.from).map(|d| d.to_string()).unwrap_or_default();
        let given =
            [d.swapped_with.is_some(), d.observes.is_some(), d.no_make_up.is_some()].iter().filter(|b| **b).count();
        if given == 0 {
            diags.push(
                unpaired(
                    &path,
                    format!("Ngày nghỉ {day} không nêu ngày làm bù (`swapped_with`), ngày lễ được bù (`observes`) hay lý do không có ngày làm bù (`no_make_up`)"),
                    format!("the day off {day} names no make-up day (`swapped_with`), no holiday it makes up for (`observes`) and no reason there is none (`no_make_up`)"),
                )
                .with_help(Message::new(
                    "Thường là một ngày thứ Bảy làm bù: ghi `swapped_with: NGÀY` và khai báo ngày đó trong `swapped_working_days`",
                    "usually a Saturday is worked instead: write `swapped_with: DATE` and list that day in `swapped_working_days`",
                )),
            );
            continue;
        }
        if given > 1 {
            diags.push(map.diagnostic(
                Code::InvalidCalendar,
                &path,
                Part::Value,
                Message::new(
                    "Chỉ ghi một trong `swapped_with`, `observes`, `no_make_up`",
                    "write only one of `swapped_with`, `observes`, `no_make_up`",
                ),
            ));
            continue;
        }
        if let Some(w) = d.swapped_with
            && !marks(DayKind::Worked, w)
        {
            diags.push(unpaired(
                &format!("{path}.swapped_with"),
                format!("Ngày làm bù {w} không có trong `swapped_working_days`"),
                format!("the make-up day {w} is not in `swapped_working_days`"),
            ));
        }
        if let Some(h) = d.observes
            && !(marks(DayKind::Holiday, h) && rest_day(h))
        {
            diags.push(unpaired(
                &format!("{path}.observes"),
                format!("Ngày {h} không phải ngày lễ trùng ngày nghỉ hằng tuần: không có gì để nghỉ bù"),
                format!("{h} is not a holiday on a weekly rest day: there is nothing to make up for"),
            ));
        }
        if d.no_make_up.as_deref().is_some_and(|r| r.trim().is_empty()) {
            diags.push(map.diagnostic(
                Code::MissingField,
                &format!("{path}.no_make_up"),
                Part::Value,
                Message::new("Ghi lý do và nguồn", "write the reason and its source"),
            ));
        }
    }
    for (i, d) in spec.swapped_working_days.iter().enumerate() {
        let path = format!("swapped_working_days[{i}]");
        let day = d.date.or(d.from).map(|d| d.to_string()).unwrap_or_default();
        match d.swapped_with {
            None => diags.push(unpaired(
                &path,
                format!("Ngày làm bù {day} không nêu ngày nghỉ mà nó bù (`swapped_with`)"),
                format!("the worked day {day} does not name the day off it is worked for (`swapped_with`)"),
            )),
            Some(off) if !marks(DayKind::DayOff, off) => diags.push(unpaired(
                &format!("{path}.swapped_with"),
                format!("Ngày {off} không có trong `compensatory_days_off`"),
                format!("{off} is not in `compensatory_days_off`"),
            )),
            Some(_) => {}
        }
    }
}

/// The statutory holidays of a file: unique `snake_case` ids, at least one day, valid `MM-DD`.
fn check_statutory_list(list: &[StatutoryHoliday], map: &SourceMap, diags: &mut Vec<Diagnostic>) {
    for (i, h) in list.iter().enumerate() {
        let bad = |at: &str, vi: String, en: String| {
            map.diagnostic(
                Code::InvalidCalendar,
                &format!("statutory_holidays[{i}].{at}"),
                Part::Value,
                Message::new(vi, en),
            )
        };
        if h.id.is_empty()
            || !h.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            || list[..i].iter().any(|o| o.id == h.id)
        {
            diags.push(bad(
                "id",
                format!("Mã `{}` không hợp lệ hoặc bị lặp (chữ thường ASCII, số, `_`)", h.id),
                format!("id `{}` is invalid or repeated (lowercase ASCII, digits, `_`)", h.id),
            ));
        }
        if h.days == 0 {
            diags.push(bad("days", "Cần ít nhất một ngày".to_owned(), "at least one day is needed".to_owned()));
        }
        if let Some(md) = &h.date
            && NaiveDate::parse_from_str(&format!("2024-{md}"), "%Y-%m-%d").is_err()
        {
            diags.push(bad(
                "date",
                format!("Ngày `{md}` không hợp lệ: ghi MM-DD"),
                format!("invalid date `{md}`: write MM-DD"),
            ));
        }
        if h.source.trim().is_empty() {
            diags.push(map.diagnostic(
                Code::MissingField,
                &format!("statutory_holidays[{i}].source"),
                Part::Value,
                Message::new("Ghi điều luật quy định ngày lễ", "write the statute that gives the holiday"),
            ));
        }
    }
}

/// Reads `+HH:MM` / `-HH:MM`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let b = text.as_bytes();
    if b.len() != 6 || b[3] != b':' || !(b[0] == b'+' || b[0] == b'-') {
        return None;
    }
    let num = |s: &[u8]| -> Option<i32> {
        if s.iter().all(u8::is_ascii_digit) {
            Some(s.iter().fold(0, |n, c| n * 10 + i32::from(c - b'0')))
        } else {
            None
        }
    };
    let (h, m) = (num(&b[1..3])?, num(&b[4..6])?);
    if h > 23 || m > 59 {
        return None;
    }
    let secs = (h * 60 + m) * 60;
    FixedOffset::east_opt(if b[0] == b'-' { -secs } else { secs })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "id: t\nname: {vi: T}\nutc_offset: '+07:00'\n\
        working_weekdays: [mon, tue, wed, thu, fri]\n\
        office_hours: [{from: '08:00', to: '12:00'}, {from: '13:00', to: '17:00'}]\n\
        covers: {from: 2026, to: 2026}\n";

    fn errors(set: &mut Calendars, yaml: &str) -> Vec<(Code, String, u32)> {
        set.insert_yaml(yaml, "t.yaml")
            .unwrap_err()
            .into_diagnostics()
            .into_iter()
            .map(|d| (d.code, d.path, d.line))
            .collect()
    }

    fn one(yaml: &str) -> (Code, String, u32) {
        let e = errors(&mut Calendars::new(), yaml);
        assert_eq!(e.len(), 1, "{e:?}");
        e.into_iter().next().unwrap()
    }

    #[test]
    fn a_clean_calendar_loads() {
        let mut set = Calendars::new();
        set.insert_yaml(HEAD, "t.yaml").unwrap();
        assert_eq!(set.get("t").unwrap().covers(), (2026, 2026));
    }

    #[test]
    fn overlapping_or_empty_sessions_are_invalid() {
        let y = HEAD.replace("'13:00', to: '17:00'", "'11:30', to: '17:00'");
        assert_eq!(one(&y), (Code::InvalidCalendar, "office_hours[1].from".into(), 5));
        let y = HEAD.replace("'13:00', to: '17:00'", "'17:00', to: '13:00'");
        assert_eq!(one(&y).1, "office_hours[1].to");
        let y = HEAD.replace("[{from: '08:00', to: '12:00'}, {from: '13:00', to: '17:00'}]", "[]");
        assert_eq!(one(&y).0, Code::InvalidCalendar);
        let y = HEAD.replace("'17:00'", "'25:00'");
        assert_eq!(one(&y).0, Code::InvalidValue);
    }

    #[test]
    fn dates_outside_the_years_are_rejected() {
        let y = format!("{HEAD}holidays:\n  - {{date: 2027-01-01, label: {{vi: X}}, status: announced, source: s}}\n");
        assert_eq!(one(&y), (Code::OutsideCalendar, "holidays[0].date".into(), 8));
    }

    #[test]
    fn a_day_both_off_and_worked_is_rejected() {
        let y = format!(
            "{HEAD}holidays:\n  - {{from: 2026-05-01, to: 2026-05-03, label: {{vi: Lễ}}, status: announced, source: s}}\n\
             swapped_working_days:\n  - {{date: 2026-05-02, label: {{vi: Làm}}, status: announced, source: s, swapped_with: 2026-05-01}}\n"
        );
        let (code, path, line) = one(&y);
        assert_eq!((code, path.as_str(), line), (Code::InvalidCalendar, "swapped_working_days[0]", 10));
        // A swapped working day that is a working day anyway is a mistake too.
        let y = format!(
            "{HEAD}swapped_working_days:\n  - {{date: 2026-05-04, label: {{vi: Làm}}, status: announced, source: s, swapped_with: 2026-05-01}}\n"
        );
        assert_eq!(one(&y).0, Code::InvalidCalendar);
    }

    #[test]
    fn malformed_entries_are_rejected() {
        let y = format!(
            "{HEAD}holidays:\n  - {{date: 2026-05-01, from: 2026-05-01, label: {{vi: X}}, status: announced, source: s}}\n"
        );
        assert_eq!(one(&y).1, "holidays[0]");
        let y = format!(
            "{HEAD}holidays:\n  - {{from: 2026-05-03, to: 2026-05-01, label: {{vi: X}}, status: announced, source: s}}\n"
        );
        assert_eq!(one(&y).1, "holidays[0].to");
        let y = format!(
            "{HEAD}holidays:\n  - {{date: 2026-05-01, label: {{vi: X}}, status: announced, source: s, note: y}}\n"
        );
        assert_eq!(one(&y).0, Code::UnknownField);
        let y = HEAD.replace("'+07:00'", "'+7'");
        assert_eq!(one(&y), (Code::InvalidValue, "utc_offset".into(), 3));
        let y = HEAD.replace("covers: {from: 2026, to: 2026}", "covers: {from: 2026, to: 2025}");
        assert_eq!(one(&y).1, "covers");
        let y = HEAD.replace("[mon, tue", "[mon, mon, tue");
        assert_eq!(one(&y).1, "working_weekdays[1]");
        let y = HEAD.replace("id: t", "id: Bad Id");
        assert_eq!(one(&y).0, Code::InvalidName);
    }

    #[test]
    fn a_swap_without_its_make_up_day_is_an_error_at_its_line() {
        let off = "compensatory_days_off:\n  - date: 2026-01-02\n    label: {vi: Nghỉ}\n    status: announced\n    source: s\n";
        // Line 8 is `- date: 2026-01-02`.
        assert_eq!(one(&format!("{HEAD}{off}")), (Code::UnpairedSwap, "compensatory_days_off[0]".into(), 8));
        // Naming a Saturday that is not listed as worked is no better.
        let named = format!("{HEAD}{off}    swapped_with: 2026-01-10\n");
        assert_eq!(one(&named), (Code::UnpairedSwap, "compensatory_days_off[0].swapped_with".into(), 12));
        // With the Saturday worked (and pointing back) it loads.
        let paired = format!(
            "{named}swapped_working_days:\n  - {{date: 2026-01-10, label: {{vi: Làm}}, status: announced, source: s, swapped_with: 2026-01-02}}\n"
        );
        Calendars::new().insert_yaml(&paired, "t.yaml").unwrap();
        // A cited reason there is none is accepted; so is a make-up for a holiday on a Sunday.
        Calendars::new().insert_yaml(&format!("{HEAD}{off}    no_make_up: Quyết định X\n"), "t.yaml").unwrap();
        let observed = format!(
            "{HEAD}holidays:\n  - {{date: 2026-04-26, label: {{vi: Giỗ Tổ}}, status: statutory, source: s}}\n\
             compensatory_days_off:\n  - {{date: 2026-04-27, label: {{vi: Bù}}, status: statutory, source: s, observes: 2026-04-26}}\n"
        );
        Calendars::new().insert_yaml(&observed, "t.yaml").unwrap();
        // A holiday on a weekday needs no make-up.
        let wrong = observed.replace("2026-04-26", "2026-04-28");
        assert_eq!(one(&wrong).0, Code::UnpairedSwap);
        // A worked Saturday must name the day off it pays for.
        let y = format!(
            "{HEAD}swapped_working_days:\n  - {{date: 2026-01-10, label: {{vi: Làm}}, status: announced, source: s}}\n"
        );
        assert_eq!(one(&y), (Code::UnpairedSwap, "swapped_working_days[0]".into(), 8));
    }

    #[test]
    fn every_day_has_a_status_and_a_source() {
        let y = format!("{HEAD}holidays:\n  - {{date: 2026-05-01, label: {{vi: X}}, source: s}}\n");
        assert_eq!(one(&y).0, Code::MissingField);
        let y =
            format!("{HEAD}holidays:\n  - {{date: 2026-05-01, label: {{vi: X}}, status: announced, source: ' '}}\n");
        assert_eq!(one(&y), (Code::MissingField, "holidays[0].source".into(), 8));
        let y = format!("{HEAD}holidays:\n  - {{date: 2026-05-01, label: {{vi: X}}, status: maybe, source: s}}\n");
        assert_eq!(one(&y).0, Code::InvalidValue);
    }

    #[test]
    fn a_covered_year_must_hold_its_statutory_holidays() {
        let law = "statutory_holidays:\n  - {id: tet, label: {vi: Tết}, days: 5, source: law}\n  \
                   - {id: labour_day, label: {vi: Lao động}, days: 1, date: '05-01', source: law}\n";
        let two = HEAD.replace("to: 2026}", "to: 2027}");
        let days26 = "holidays:\n  - {from: 2026-02-14, to: 2026-02-22, statutory: tet, label: {vi: Tết}, status: announced, source: s}\n  \
                      - {date: 2026-05-01, statutory: labour_day, label: {vi: LĐ}, status: statutory, source: s}\n";
        let days = "holidays:\n  - {from: 2026-02-14, to: 2026-02-22, statutory: tet, label: {vi: Tết}, status: announced, source: s}\n  \
                    - {date: 2026-05-01, statutory: labour_day, label: {vi: LĐ}, status: statutory, source: s}\n  \
                    - {date: 2027-05-01, statutory: labour_day, label: {vi: LĐ}, status: statutory, source: s}\n\
                    compensatory_days_off:\n  - {date: 2027-05-03, statutory: labour_day, observes: 2027-05-01, label: {vi: Bù}, status: statutory, source: s}\n";
        // No Tết 2027: an error at `covers` (line 6), naming the year and the holiday.
        let err = Calendars::new().insert_yaml(&format!("{two}{law}{days}"), "t.yaml").unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(
            (err.diagnostics().len(), d.code, d.path.as_str(), d.line),
            (1, Code::MissingStatutoryHoliday, "covers", 6)
        );
        assert!(d.message.en.contains("2027") && d.message.en.contains("`tet`"), "{}", d.message.en);
        // Four weekdays are not five.
        let short = days26.replace("2026-02-22", "2026-02-19");
        let e = errors(&mut Calendars::new(), &format!("{HEAD}{law}{short}"));
        assert_eq!(e, vec![(Code::MissingStatutoryHoliday, "covers".into(), 6)]);
        // Adding Tết 2027 as provisional days fixes it, and marks those days.
        let fixed = format!("{two}{law}{days}").replace(
            "\ncompensatory_days_off:",
            "\n  - {from: 2027-02-04, to: 2027-02-10, statutory: tet, label: {vi: Tết}, status: provisional, source: s}\ncompensatory_days_off:",
        );
        let mut set = Calendars::new();
        set.insert_yaml(&fixed, "t.yaml").unwrap();
        let cal = set.get("t").unwrap();
        let tz = FixedOffset::east_opt(7 * 3600).unwrap();
        let t = |m, d| chrono::TimeZone::with_ymd_and_hms(&tz, 2027, m, d, 9, 0, 0).unwrap();
        assert_eq!(cal.provisional_days(t(1, 1), t(12, 31)).len(), 7);
        assert_eq!(cal.provisional_days(t(2, 8), t(2, 8)), vec![NaiveDate::from_ymd_opt(2027, 2, 8).unwrap()]);
        assert!(cal.provisional_days(t(2, 11), t(12, 31)).is_empty());
        // A tag naming no statutory holiday is an error.
        let y = format!("{HEAD}{law}{days26}").replace("statutory: tet", "statutory: teet");
        let e = errors(&mut Calendars::new(), &y);
        assert!(e.contains(&(Code::InvalidCalendar, "holidays[0].statutory".into(), 11)), "{e:?}");
        // A fixed date missing is reported even with enough days.
        let moved = days26.replace("{date: 2026-05-01, statutory", "{date: 2026-05-04, statutory");
        let e = Calendars::new().insert_yaml(&format!("{HEAD}{law}{moved}"), "t.yaml").unwrap_err();
        assert!(e.diagnostics()[0].message.en.contains("not 2026-05-01"));
    }

    #[test]
    fn overlapping_ranges_cannot_blow_up_the_load() {
        let mut y = format!("{HEAD}holidays:\n");
        for _ in 0..5 {
            y.push_str("  - {from: 2026-01-01, to: 2026-12-31, label: {vi: X}, status: announced, source: s}\n");
        }
        assert_eq!(one(&y).0, Code::LimitExceeded);
    }

    #[test]
    fn a_root_calendar_must_say_everything() {
        let e = errors(&mut Calendars::new(), "id: t\nname: {vi: T}\n");
        let fields: Vec<&str> = e.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(e.len(), 4, "{e:?}");
        for f in ["utc_offset", "working_weekdays", "office_hours", "covers"] {
            assert!(fields.contains(&f), "{fields:?}");
        }
        assert!(e.iter().all(|(c, _, _)| *c == Code::MissingField));
    }

    #[test]
    fn extends_resolves_inherits_and_checks() {
        let mut set = Calendars::new();
        let child = "id: c\nname: {vi: C}\nextends: t\n\
            holidays: [{date: 2026-03-03, label: {vi: Địa phương}, status: announced, source: s}]\n";
        // The parent must come first.
        assert_eq!(errors(&mut set, child), vec![(Code::UnknownCalendar, "extends".into(), 3)]);
        set.insert_yaml(HEAD, "t.yaml").unwrap();
        set.insert_yaml(child, "c.yaml").unwrap();
        let c = set.get("c").unwrap();
        assert_eq!(c.day_minutes(), 480);
        assert_eq!(c.covers(), (2026, 2026));
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert!(!c.is_working_day(day(3)).unwrap());
        assert!(set.get("t").unwrap().is_working_day(day(3)).unwrap());
        // Loading the same id twice is an error; so is extending itself.
        assert_eq!(errors(&mut set, HEAD)[0].0, Code::InvalidCalendar);
        let own = "id: d\nname: {vi: D}\nextends: d\n";
        assert_eq!(errors(&mut set, own)[0].0, Code::UnknownCalendar);
        // A child cannot cover more years than its parent, but may cover fewer.
        let wider = "id: w\nname: {vi: W}\nextends: t\ncovers: {from: 2026, to: 2027}\n";
        assert_eq!(errors(&mut set, wider)[0].0, Code::OutsideCalendar);
        // A child may not swap a day its parent gives off.
        let clash = "id: x\nname: {vi: X}\nextends: c\n\
            swapped_working_days: [{date: 2026-03-03, label: {vi: Làm}, status: announced, source: s, swapped_with: 2026-03-03}]\n";
        assert_eq!(errors(&mut set, clash)[0], (Code::InvalidCalendar, "swapped_working_days[0]".into(), 4));
    }
}
