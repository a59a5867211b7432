//! `motcua new NAME --code CODE --name TEXT --deadline 3d [--agency ID]...`: a commented
//! starter spec and its happy-path scenario, so a new procedure does not start from a blank
//! page.
//!
//! The answers come from flags, or from a JSON of what the national procedure database
//! publishes (`--from FILE`: code, name, deadline, documents, fees, legal basis); flags win.
//! The spec is compiled against the project's catalogue and calendars before anything is
//! written, and the scenario is run against it: what `new` writes lints clean and passes.
//! Nothing is overwritten without `--force`.

use std::path::{Path, PathBuf};

use motcua::scenario::{Expectation, ExpectedClosure, Scenario, ScenarioLine};
use motcua::{Actor, Channel, Command, CommandKind, Submission, SubmittedDocument, WorkingDuration};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

use crate::args::SpecsArgs;
use crate::project;
use crate::{Fail, Lang, Outcome};

/// The answers `new` works from.
pub struct Answers {
    pub file: String,
    pub code: Option<String>,
    pub name: Option<String>,
    pub name_en: Option<String>,
    pub deadline: Option<String>,
    pub level: Option<String>,
    pub agencies: Vec<String>,
    pub unit: Option<String>,
    pub from: Option<String>,
    pub dir: Option<String>,
    pub force: bool,
}

/// What the national procedure database publishes of a procedure (the fields `new` reads;
/// others are ignored).
#[derive(Debug, Default, Deserialize)]
struct Published {
    #[serde(default, alias = "ma", alias = "ma_thu_tuc")]
    code: Option<String>,
    #[serde(default, alias = "ten", alias = "ten_thu_tuc")]
    name: Option<String>,
    #[serde(default, alias = "thoi_han")]
    deadline: Option<String>,
    #[serde(default, alias = "thanh_phan_ho_so")]
    documents: Vec<PublishedDocument>,
    #[serde(default, alias = "phi_le_phi")]
    fees: Option<String>,
    #[serde(default, alias = "can_cu_phap_ly")]
    legal_basis: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PublishedDocument {
    Name(String),
    Detailed {
        name: String,
        #[serde(default)]
        originals: u32,
        #[serde(default)]
        copies: u32,
    },
}

impl PublishedDocument {
    fn parts(&self) -> (&str, u32, u32) {
        match self {
            PublishedDocument::Name(name) => (name, 0, 0),
            PublishedDocument::Detailed { name, originals, copies } => (name, *originals, *copies),
        }
    }
}

/// `Đăng ký hộ kinh doanh` → `dang_ky_ho_kinh_doanh`: ASCII snake_case, at most `max` bytes.
pub fn identifier(text: &str, max: usize) -> String {
    let plain: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let mut out = String::new();
    for word in plain.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if out.len() + word.len() + 1 > max && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(word);
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert_str(0, "doc_");
    }
    out.truncate(max);
    out.trim_end_matches('_').to_owned()
}

/// A working duration from `3d`, `3`, `3 ngày`, `3 ngày làm việc`, `4 giờ`, `4h`.
fn deadline(text: &str) -> Result<WorkingDuration, Fail> {
    let bad = || {
        Fail::coded(
            "invalid_value",
            format!("thời hạn `{text}` không đọc được: viết 3d, 0.5d, 4h hoặc \"3 ngày làm việc\""),
            format!("cannot read the deadline `{text}`: write 3d, 0.5d, 4h or \"3 ngày làm việc\""),
        )
    };
    if let Ok(d) = text.trim().parse::<WorkingDuration>() {
        return Ok(d);
    }
    let lower = text.trim().to_lowercase();
    let number: String = lower.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    let number = number.replace(',', ".");
    if number.is_empty() {
        return Err(bad());
    }
    let rest =
        lower[lower.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(lower.len())..].trim();
    let unit = if rest.is_empty() || rest.starts_with("ngày") || rest.starts_with("day") {
        "d"
    } else if rest.starts_with("giờ") || rest.starts_with("hour") || rest == "h" {
        "h"
    } else {
        return Err(bad());
    };
    format!("{number}{unit}").parse().map_err(|_| bad())
}

/// `thousandths` of the unit of `total`, written as a duration (`0.5d`, `1.2h`).
fn share(total: WorkingDuration, thousandths: u64) -> String {
    let suffix = match total.unit() {
        motcua::DurationUnit::Day => 'd',
        motcua::DurationUnit::Hour => 'h',
        motcua::DurationUnit::Minute => 'm',
    };
    let whole = thousandths / 1000;
    let frac = thousandths % 1000;
    if frac == 0 {
        format!("{whole}{suffix}")
    } else {
        let frac = format!("{frac:03}");
        format!("{whole}.{}{suffix}", frac.trim_end_matches('0'))
    }
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

struct Plan {
    slug: String,
    code: String,
    name: String,
    name_en: String,
    deadline: WorkingDuration,
    desk: String,
    reviewers: Vec<String>,
    documents: Vec<(String, String, u32, u32)>,
    fees: Option<String>,
    legal_basis: Vec<String>,
    unit: String,
}

impl Plan {
    /// The review steps' ids: `review` alone, or `review_<agency>` for each of several.
    fn review_ids(&self) -> Vec<String> {
        if self.reviewers.len() == 1 {
            vec!["review".to_owned()]
        } else {
            self.reviewers.iter().map(|a| format!("review_{a}")).collect()
        }
    }

    fn spec(&self) -> String {
        let total = self.deadline.thousandths();
        let (receive, sign, give_back) = (total / 10, total / 5, total / 10);
        let review = (total - receive - sign - give_back) / self.reviewers.len() as u64;
        let reviews = self.review_ids();
        let last_reviewer = self.reviewers.last().cloned().unwrap_or_else(|| self.desk.clone());
        let mut s = String::new();
        s.push_str("# yaml-language-server: $schema=../schema/procedure.schema.json\n#\n");
        s.push_str(&format!("# {} — written by `motcua new`: a starting point, not the law.\n", self.name));
        s.push_str("# Check every value against the legal text, cite each article in `legal_basis`, and mark\n");
        s.push_str("# what is not verified, as the shipped specs do. Then `motcua lint` and\n");
        s.push_str(&format!("# `motcua simulate specs/procedures/{}.yaml`.\n", self.slug));
        if let Some(fees) = &self.fees {
            s.push_str(&format!("# Phí, lệ phí (as published; not yet part of the format): {fees}\n"));
        }
        s.push_str("motcua: 1\ncatalogue: vietnam\n");
        s.push_str(&format!("code: {}   # the national procedure code (verify)\n", quoted(&self.code)));
        s.push_str(&format!("name:\n  vi: {}\n  en: {}\n", quoted(&self.name), quoted(&self.name_en)));
        s.push_str("version: \"1\"\nvalid_from: 2025-07-01   # the date this version applies from (verify)\n");
        s.push_str("legal_basis:   # each document, with the article that sets each rule\n");
        if self.legal_basis.is_empty() {
            s.push_str("  - document: \"Chưa nêu căn cứ pháp lý (điền trước khi dùng)\"\n");
        }
        for basis in &self.legal_basis {
            s.push_str(&format!("  - document: {}\n", quoted(basis)));
        }
        s.push_str("sector: {vi: Chưa xác định, en: Not identified}   # the sector of the national list\n");
        s.push_str("service_mode: partial_online   # full_online when payment and result are online too\n");
        s.push_str("channels: [online, in_person]\n");
        s.push_str(&format!("legal_deadline: {}   # from reception of a valid dossier\n", self.deadline));
        s.push_str("calendar: vn-gov\n\n");
        s.push_str("form:\n  title: {vi: Tờ khai, en: Application form}\n  fields:\n");
        s.push_str("    applicant:\n      label: {vi: Người nộp hồ sơ, en: Applicant}\n      type: group\n      required: true\n      fields:\n");
        s.push_str("        full_name: {label: {vi: \"Họ, chữ đệm và tên\", en: Full name}, type: text, required: true, max_length: 100}\n");
        s.push_str("        citizen_id: {label: {vi: Số định danh cá nhân, en: Personal ID number}, type: citizen_id, required: true}\n");
        s.push_str("        phone: {label: {vi: Điện thoại, en: Phone}, type: phone}\n");
        s.push_str("documents:\n");
        for (id, name, originals, copies) in &self.documents {
            s.push_str(&format!("  {id}:\n    name: {{vi: {}}}\n", quoted(name)));
            if *originals > 0 || *copies > 0 {
                s.push_str(&format!("    originals: {originals}\n    copies: {copies}\n"));
            } else {
                s.push_str("    formats: [application/pdf]\n    max_size: 10000000\n");
            }
        }
        s.push_str("\nsteps:\n");
        s.push_str(&format!(
            "  receive:\n    name: {{vi: Tiếp nhận hồ sơ, en: Receive the dossier}}\n    agency: {}\n    role: one_stop_officer\n    budget: {}\n    actions:\n",
            self.desk,
            share(self.deadline, receive)
        ));
        s.push_str(&format!(
            "      accept: {{to: {}, slip: receipt, name: {{vi: Tiếp nhận, en: Accept}}}}\n",
            reviews[0]
        ));
        s.push_str("      refuse: {to: not_received, slip: refusal, name: {vi: Từ chối tiếp nhận, en: Refuse}}\n\n");
        for (i, (id, agency)) in reviews.iter().zip(&self.reviewers).enumerate() {
            let next = reviews.get(i + 1).cloned().unwrap_or_else(|| "sign".to_owned());
            s.push_str(&format!(
                "  {id}:\n    name: {{vi: Thẩm định hồ sơ, en: Review the dossier}}\n    agency: {agency}\n    role: officer\n    status: {}\n    budget: {}\n",
                if i == 0 { 2 } else { 4 },
                share(self.deadline, review)
            ));
            if *agency != self.desk {
                s.push_str("    # What this agency receives of the dossier (Decree 13/2023: only what it needs).\n");
                s.push_str("    receives:\n      fields: [applicant]\n");
                let ids: Vec<&str> = self.documents.iter().map(|d| d.0.as_str()).collect();
                s.push_str(&format!("      documents: [{}]\n", ids.join(", ")));
            }
            s.push_str("    actions:\n");
            if i == 0 {
                s.push_str("      request_supplement: {to: supplement, slip: supplement_request, name: {vi: \"Yêu cầu bổ sung\", en: Request a supplement}}\n");
            }
            let verb = if next == "sign" { "Trình ký" } else { "Chuyển" };
            s.push_str(&format!("      propose: {{to: {next}, name: {{vi: {verb}, en: Pass on}}}}\n\n"));
        }
        s.push_str("  supplement:\n    name: {vi: Người nộp bổ sung hồ sơ, en: The applicant supplements the dossier}\n    role: citizen\n    status: 5\n    actions:\n");
        s.push_str(&format!("      resubmit: {{to: {}, name: {{vi: Nộp lại, en: Resubmit}}}}\n\n", reviews[0]));
        s.push_str(&format!(
            "  sign:\n    name: {{vi: Lãnh đạo ký kết quả, en: The leader signs the result}}\n    agency: {last_reviewer}\n    role: leader\n    budget: {}\n    actions:\n",
            share(self.deadline, sign)
        ));
        s.push_str("      sign: {to: return_result, name: {vi: Ký duyệt, en: Sign}}\n");
        s.push_str("      refuse: {to: refused, slip: refusal, name: {vi: Từ chối, en: Refuse}}\n\n");
        s.push_str(&format!(
            "  return_result:\n    name: {{vi: Trả kết quả, en: Return the result}}\n    agency: {}\n    role: one_stop_officer\n    status: 9\n    budget: {}\n    actions:\n",
            self.desk,
            share(self.deadline, give_back)
        ));
        s.push_str("      hand_over: {to: issued, slip: result, name: {vi: Trả kết quả, en: Hand over}}\n\n");
        s.push_str("outcomes:\n");
        s.push_str("  issued: {name: {vi: Đã trả kết quả, en: Result issued}, kind: result_issued}\n");
        s.push_str("  refused: {name: {vi: Từ chối giải quyết, en: Refused}, kind: refused}\n");
        s.push_str("  not_received: {name: {vi: Không tiếp nhận, en: Not received}, kind: not_received}\n");
        s
    }

    /// The happy path, in the API's shapes; units are filled by running it.
    fn scenario(&self) -> Scenario {
        let id = format!("{}-0001", self.code.replace('.', ""));
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap_or_default();
        let documents: Vec<SubmittedDocument> = self
            .documents
            .iter()
            .filter_map(|(doc, _, originals, copies)| {
                serde_json::from_value::<SubmittedDocument>(if *originals > 0 || *copies > 0 {
                    serde_json::json!({"id": doc, "originals": originals, "copies": copies})
                } else {
                    serde_json::json!({"id": doc, "files": [{"name": format!("{doc}.pdf"), "media_type": "application/pdf", "size": 120000}]})
                })
                .ok()
            })
            .collect();
        let submit = Submission {
            dossier_id: id.clone(),
            command_id: format!("{id}/submit"),
            at: at("2026-03-02T09:00:00+07:00"),
            actor: Actor::citizen(),
            channel: Channel::Online,
            jurisdiction: self.unit.clone(),
            data: serde_json::json!({"applicant": {"full_name": "Nguyễn Thị Lan", "citizen_id": "001195012345", "phone": "0912345678"}}),
            documents,
            allow_incomplete: false,
        };
        let official = |role: &str, agency: &str| Actor::official(role, agency);
        let mut plan: Vec<(Actor, &str)> = vec![(official("one_stop_officer", &self.desk), "accept")];
        for agency in &self.reviewers {
            plan.push((official("officer", agency), "propose"));
        }
        let last = self.reviewers.last().cloned().unwrap_or_else(|| self.desk.clone());
        plan.push((official("leader", &last), "sign"));
        plan.push((official("one_stop_officer", &self.desk), "hand_over"));
        let mut instant = at("2026-03-02T10:00:00+07:00");
        let mut commands = Vec::new();
        for (n, (actor, action)) in plan.into_iter().enumerate() {
            let last_line = action == "hand_over";
            commands.push(ScenarioLine {
                command: Some(Command {
                    id: format!("{id}/{}", n + 1),
                    at: instant,
                    actor,
                    expected_version: None,
                    kind: CommandKind::act(action),
                }),
                advance: None,
                migrate: None,
                note: None,
                expect: Some(Expectation {
                    closure: last_line
                        .then(|| ExpectedClosure { outcome: Some("issued".into()), ..ExpectedClosure::default() }),
                    status: last_line.then_some(10),
                    ..Expectation::default()
                }),
                reject: None,
            });
            instant += chrono::Duration::minutes(30);
        }
        Scenario {
            procedure: format!("specs/procedures/{}.yaml", self.slug),
            name: motcua::Text::new("Hồ sơ hợp lệ, giải quyết đúng hạn", Some("A valid dossier, handled on time")),
            submit,
            expect: Some(Expectation {
                status: Some(1),
                active: Some(vec!["receive".into()]),
                ..Expectation::default()
            }),
            commands,
        }
    }
}

/// The scenario as YAML, commented, in the shipped files' layout.
fn scenario_text(s: &Scenario) -> String {
    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=../../specs/schema/scenario.schema.json\n");
    out.push_str("# Written by `motcua new`: the happy path. Add a refusal, a supplement or an extension,\n");
    out.push_str("# and set each line's `expect` (status, active steps, effects, appointment).\n");
    out.push_str(&format!("procedure: {}\n", s.procedure));
    out.push_str(&format!("name: {{vi: {}, en: {}}}\n", quoted(&s.name.vi), quoted(s.name.get("en"))));
    let sub = &s.submit;
    out.push_str(&format!(
        "submit:\n  dossier_id: {}\n  command_id: {}\n  at: {}\n  actor: {}\n  channel: online\n  jurisdiction: {}\n  data: {}\n",
        quoted(&sub.dossier_id),
        quoted(&sub.command_id),
        sub.at.to_rfc3339(),
        json(&sub.actor),
        quoted(&sub.jurisdiction),
        json(&sub.data),
    ));
    out.push_str("  documents:\n");
    for d in &sub.documents {
        out.push_str(&format!("    - {}\n", json(d)));
    }
    if let Some(e) = &s.expect {
        out.push_str(&format!("expect: {}\n", json(e)));
    }
    out.push_str("commands:\n");
    for line in &s.commands {
        let Some(c) = &line.command else { continue };
        let CommandKind::Act { action, .. } = &c.kind else { continue };
        out.push_str(&format!(
            "  - command:\n      id: {}\n      at: {}\n      actor: {}\n      type: act\n      action: {action}\n",
            quoted(&c.id),
            c.at.to_rfc3339(),
            json(&c.actor),
        ));
        if let Some(e) = line.expect.as_ref().filter(|e| **e != Expectation::default()) {
            out.push_str(&format!("    expect: {}\n", json(e)));
        }
    }
    out
}

/// JSON text of a value, for flow-style YAML (JSON is YAML).
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn exists(path: &Path, force: bool) -> Result<(), Fail> {
    if path.exists() && !force {
        return Err(Fail::coded(
            "file_exists",
            format!("{} đã có: dùng --force để ghi đè", path.display()),
            format!("{} exists: pass --force to overwrite it", path.display()),
        ));
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), Fail> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Fail::coded(
                "io_error",
                format!("không tạo được {}: {e}", dir.display()),
                format!("cannot create {}: {e}", dir.display()),
            )
        })?;
    }
    std::fs::write(path, text).map_err(|e| {
        Fail::coded(
            "io_error",
            format!("không ghi được {}: {e}", path.display()),
            format!("cannot write {}: {e}", path.display()),
        )
    })
}

pub fn run(answers: &Answers, args: &SpecsArgs, lang: Lang) -> Outcome {
    let published: Published = match &answers.from {
        Some(file) => {
            let text = project::read(Path::new(file), file)?;
            serde_json::from_str(&text).map_err(|e| {
                Fail::coded(
                    "invalid_json",
                    format!("{file}: không đọc được JSON: {e}"),
                    format!("{file}: not valid JSON: {e}"),
                )
            })?
        }
        None => Published::default(),
    };
    let missing = |what: &str, flag: &str| {
        Fail::new(
            format!("thiếu {what}: dùng {flag} hoặc --from TỆP.json"),
            format!("the {what} is missing: pass {flag} or --from FILE.json"),
        )
    };
    let code =
        answers.code.clone().or(published.code).ok_or_else(|| missing("mã thủ tục / procedure code", "--code"))?;
    let name = answers.name.clone().or(published.name).ok_or_else(|| missing("tên thủ tục / name", "--name"))?;
    let deadline_text =
        answers.deadline.clone().or(published.deadline).ok_or_else(|| missing("thời hạn / deadline", "--deadline"))?;
    let deadline = deadline(&deadline_text)?;
    if deadline.is_zero() {
        return Err(Fail::coded("invalid_value", "thời hạn phải lớn hơn 0", "the deadline must be more than zero"));
    }
    let level = answers.level.as_deref().unwrap_or("commune");
    let (default_desk, default_reviewer) = match level {
        "commune" => ("commune_committee", "commune_committee"),
        "province" => ("provincial_service_center", "provincial_department"),
        other => {
            return Err(Fail::new(
                format!("cấp `{other}` không có mẫu: dùng commune hoặc province, hoặc nêu --agency"),
                format!("no starter for level `{other}`: use commune or province, or name --agency"),
            ));
        }
    };
    let (desk, reviewers) = match answers.agencies.split_first() {
        None => (default_desk.to_owned(), vec![default_reviewer.to_owned()]),
        Some((desk, [])) => (desk.clone(), vec![desk.clone()]),
        Some((desk, rest)) => (desk.clone(), rest.to_vec()),
    };
    let mut documents: Vec<(String, String, u32, u32)> = Vec::new();
    for d in &published.documents {
        let (text, originals, copies) = d.parts();
        let mut id = identifier(text, 40);
        let base = id.clone();
        let mut n = 2;
        while documents.iter().any(|(other, ..)| *other == id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        documents.push((id, text.to_owned(), originals, copies));
    }
    if documents.is_empty() {
        documents.push(("application".into(), "Đơn đề nghị (tờ khai)".into(), 0, 0));
    }
    let root = match &answers.dir {
        Some(dir) => PathBuf::from(dir),
        None => project::project_root(None).unwrap_or_else(|| PathBuf::from(".")),
    };
    let slug = identifier(&answers.file, 60).replace('_', "-");
    let plan = Plan {
        slug: slug.clone(),
        code,
        name_en: answers.name_en.clone().unwrap_or_else(|| name.clone()),
        name,
        deadline,
        unit: answers.unit.clone().unwrap_or_else(|| if level == "province" { "01".into() } else { "00004".into() }),
        desk,
        reviewers,
        documents,
        fees: published.fees,
        legal_basis: published.legal_basis,
    };
    let spec_path = root.join("specs/procedures").join(format!("{slug}.yaml"));
    let scenario_path = root.join("tests/scenarios").join(format!("{slug}-happy.yaml"));
    exists(&spec_path, answers.force)?;
    exists(&scenario_path, answers.force)?;

    // Compile before writing: what `new` writes loads clean and its scenario passes.
    let spec = plan.spec();
    let sources = project::sources(args, Some(&root.join("specs")))?;
    let shared = project::load(&sources)?;
    let library = shared.library_for(&spec).ok_or_else(|| {
        Fail::new("không tìm thấy danh mục `vietnam` của dự án", "the project's `vietnam` catalogue was not found")
    })?;
    let shown = project::display(&spec_path);
    let procedure = motcua::Procedure::from_yaml(&spec, &shown, library).map_err(|e| {
        let (code, vi, en) = match e.primary() {
            Some(d) => (d.code.as_str(), d.message.vi.clone(), d.message.en.clone()),
            None => ("spec_does_not_load", String::new(), String::new()),
        };
        Fail::coded(
            code,
            format!("bản thảo không tải được (kiểm tra --agency, --deadline): {vi}"),
            format!("the starter does not load (check --agency, --deadline): {en}"),
        )
    })?;
    let mut no_versions = |_: &motcua::scenario::ScenarioMigrate, _: &motcua::Procedure| Err("no versions".to_owned());
    let scenario = motcua_scenario::fill_units(&plan.scenario(), &procedure, &mut no_versions);
    let text = scenario_text(&scenario);
    let reread = Scenario::from_yaml(&text, "new.yaml").map_err(|e| {
        Fail::coded(
            "scenario_failed",
            format!("kịch bản mẫu không đọc được: {e}"),
            format!("the starter scenario does not load: {e}"),
        )
    })?;
    let timeline = motcua_scenario::run(&reread, &procedure);
    if !timeline.failures().is_empty() {
        let why = timeline.failures().join("; ");
        return Err(Fail::coded(
            "scenario_failed",
            format!("kịch bản mẫu không chạy qua (kiểm tra --unit): {why}"),
            format!("the starter scenario does not pass (check --unit): {why}"),
        ));
    }
    write(&spec_path, &spec)?;
    write(&scenario_path, &text)?;
    println!(
        "{}",
        lang.t(
            &format!(
                "Đã viết {} và {}.\nTiếp theo: motcua lint {0}; motcua simulate {0} --scenario {1}",
                shown,
                project::display(&scenario_path)
            ),
            &format!(
                "Wrote {} and {}.\nNext: motcua lint {0}; motcua simulate {0} --scenario {1}",
                shown,
                project::display(&scenario_path)
            ),
        )
    );
    Ok(true)
}
