//! The `motcua` binary driven as a process: exit codes, and output compared with checked-in
//! snapshots in `tests/expected/` (regenerate with `MOTCUA_BLESS=1 cargo test -p motcua-cli`).
//!
//! Every command runs from the repository root, as policy staff would, with colours off.

use std::path::{Path, PathBuf};
use std::process::Command;

use motcua::Code;
use serde_json::json;

const BIRTH: &str = "specs/procedures/birth-registration-residence-insurance.yaml";
const BUSINESS: &str = "specs/procedures/business-registration.yaml";
const FIXTURES: &str = "bindings/cli/tests/fixtures";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn motcua(args: &[&str]) -> Run {
    motcua_with(args, &[])
}

/// Runs `motcua` with extra environment variables (`COLUMNS` is removed unless given).
fn motcua_with(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_motcua"));
    command.args(args).current_dir(repo()).env("NO_COLOR", "1").env_remove("COLUMNS");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("the motcua binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Compares `actual` with `tests/expected/{name}` line by line, naming the first difference.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected").join(name);
    if std::env::var_os("MOTCUA_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with MOTCUA_BLESS=1 to create it)", path.display()));
    let (exp, act): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for (i, (e, a)) in exp.iter().zip(&act).enumerate() {
        assert_eq!(a, e, "{name}: line {} differs\n--- actual output ---\n{actual}", i + 1);
    }
    assert_eq!(act.len(), exp.len(), "{name}: line count differs\n--- actual output ---\n{actual}");
}

// ---- lint ----

#[test]
fn lint_shipped_specs_is_clean() {
    let r = motcua(&["lint", "specs/"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "Đã kiểm tra 12 tệp: 0 lỗi, 0 cảnh báo\n");
    let r = motcua(&["lint", "--lang", "en", "specs", "tests/scenarios"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("Checked 35 files: 0 errors, 0 warnings"), "{}", r.stdout);
    // 35 files would show a progress bar on a terminal; stderr here is a pipe: nothing drawn.
    assert_eq!(r.stderr, "");
    // Linted on every core, reported in the order the folders are walked (sorted by name).
    let r = motcua(&["lint", "--format", "json", "tests/scenarios", "specs"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    let scenarios: Vec<&str> = names.iter().copied().filter(|n| n.starts_with("tests/scenarios/")).collect();
    assert_eq!(scenarios.len(), 23);
    assert!(scenarios.windows(2).all(|w| w[0] < w[1]), "{scenarios:?}");
    assert!(names[..23] == scenarios[..], "the scenarios first, as asked: {names:?}");
}

#[test]
fn lint_shows_progress_on_a_terminal_only() {
    // `script` (util-linux) gives the command a terminal; where it is missing, nothing to check.
    let command = format!("{} lint specs tests/scenarios", env!("CARGO_BIN_EXE_motcua"));
    let Ok(out) =
        Command::new("script").args(["-qec", &command, "/dev/null"]).current_dir(repo()).env("NO_COLOR", "1").output()
    else {
        return;
    };
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(all.contains("Đã kiểm tra 35 tệp"), "{all}");
    assert!(all.contains("/35 "), "no progress bar drawn: {all:?}");
    assert!(all.contains('█'), "{all:?}");
}

#[test]
fn lint_broken_specs_in_vietnamese_line_by_line() {
    let r = motcua(&["lint", &format!("{FIXTURES}/broken-procedure.yaml"), &format!("{FIXTURES}/broken-value.yaml")]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    snapshot("lint-broken.vi.txt", &r.stdout);
}

#[test]
fn lint_broken_specs_in_english() {
    let r = motcua(&["lint", "--lang", "en", &format!("{FIXTURES}/broken-procedure.yaml")]);
    assert_eq!(r.code, 1);
    snapshot("lint-broken.en.txt", &r.stdout);
}

#[test]
fn lint_labels_the_deadline_and_every_budget_on_a_path_over_it() {
    for (lang, name) in [("vi", "lint-over-budget.vi.txt"), ("en", "lint-over-budget.en.txt")] {
        let r = motcua(&["lint", "--lang", lang, &format!("{FIXTURES}/over-budget.yaml")]);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        snapshot(name, &r.stdout);
    }
    // The JSON output carries the same labels, with their spans.
    let r = motcua(&["lint", "--format", "json", &format!("{FIXTURES}/over-budget.yaml")]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "budget_exceeds_deadline");
    assert_eq!(d["end"], serde_json::json!({"line": 13, "column": 19}));
    let paths: Vec<&str> = d["labels"].as_array().unwrap().iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["steps.receive.budget", "steps.review.budget", "legal_deadline"]);
    assert_eq!(d["labels"][0]["message"]["vi"], "bước `receive`: 0.5d");
}

#[test]
fn lint_labels_the_field_an_unknown_reference_is_nearest_to() {
    let r = motcua(&["lint", "--lang", "en", &format!("{FIXTURES}/near-field.yaml")]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    snapshot("lint-near-field.en.txt", &r.stdout);
}

#[test]
fn caret_stands_under_the_value_in_decomposed_vietnamese() {
    // Same line, typed precomposed (NFC) and decomposed (NFD): the reported column differs
    // (it counts characters) but the caret must be drawn at the same place on screen.
    let caret = |file: &str| {
        let r = motcua(&["lint", &format!("{FIXTURES}/{file}")]);
        assert_eq!(r.code, 1);
        r.stdout.lines().find(|l| l.contains('^')).map(str::to_owned).expect("a caret line")
    };
    let nfc = caret("broken-value.yaml");
    let nfd = caret("broken-nfd.yaml");
    assert_eq!(nfc, nfd);
    assert_eq!(nfc, format!("   |{}^^^^^^^^^^^^ tại `outcomes.issued.kind`", " ".repeat(57)));
}

#[test]
fn spans_and_labels_stand_under_the_same_text_in_decomposed_vietnamese() {
    // The near-field fixture with Vietnamese before the typo, written NFC then NFD: the core's
    // columns differ, the underlines and the label must not.
    let fixture = std::fs::read_to_string(repo().join(FIXTURES).join("near-field.yaml")).unwrap();
    let nfc = fixture
        .replace("\"witness != '' and signer_nam != ''\"", "\"witness != 'Người làm chứng' and signer_nam != ''\"");
    assert_ne!(nfc, fixture);
    // Decomposed: each precomposed letter written as base + combining marks (ư = u + U+031B).
    let nfd = nfc
        .replace("ười", "u\u{31b}o\u{31b}\u{300}i")
        .replace("àm", "a\u{300}m")
        .replace("ứng", "u\u{31b}\u{301}ng")
        .replace("ọ", "o\u{323}")
        .replace("ên", "e\u{302}n")
        .replace("ký", "ky\u{301}");
    assert_ne!(nfd, nfc);
    let dir = std::env::temp_dir().join(format!("motcua-nfd-labels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let marks = |text: &str, name: &str| -> Vec<String> {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let r = motcua(&["lint", "--lang", "en", path.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        r.stdout.lines().filter(|l| l.contains('^') || l.contains("---")).map(str::to_owned).collect()
    };
    let (a, b) = (marks(&nfc, "nfc.yaml"), marks(&nfd, "nfd.yaml"));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(a.len(), 2, "{a:?}");
    assert_eq!(a, b);
    let caret = a.iter().find(|l| l.contains('^')).unwrap();
    assert!(
        caret.ends_with(&format!("{}^^^^^^^^^^ at `form.fields.relation.required_if`", " ".repeat(54))),
        "{caret:?}"
    );
}

#[test]
fn lint_json_for_pipelines() {
    let r = motcua(&["lint", "--format", "json", FIXTURES]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["errors"], 6, "{}", r.stdout);
    let first = &v["diagnostics"][0];
    assert_eq!(first["code"], "invalid_value");
    assert_eq!(first["file"], format!("{FIXTURES}/broken-nfd.yaml"));
    let step = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "unknown_step").unwrap();
    assert_eq!((step["line"].as_u64(), step["column"].as_u64()), (Some(21), Some(20)));
    assert_eq!(step["help"]["vi"], "Có phải `review`?");
}

#[test]
fn lint_could_not_run_exits_2() {
    let r = motcua(&["lint", "no/such/file.yaml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("lỗi[io_error]: không tìm thấy no/such/file.yaml"), "{}", r.stderr);
    assert_eq!(motcua(&["lint"]).code, 2);
    assert_eq!(motcua(&["lint", "--frmat", "json", "specs"]).code, 2);
    assert_eq!(motcua(&["lint", "--lang", "fr", "specs"]).code, 2);
    let r = motcua(&["frobnicate", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown command `frobnicate`"), "{}", r.stderr);
    // No catalogue anywhere near the file or the working directory.
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["lint", &repo().join(BIRTH).display().to_string()])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "the catalogue is found from the file's own folder");
}

// ---- simulate ----

#[test]
fn simulate_main_job_prints_the_timeline() {
    let r = motcua(&["simulate", BIRTH]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    snapshot("simulate-birth.vi.txt", &r.stdout);
    assert!(r.stdout.contains("tests/scenarios/birth-registration-happy-police-first.yaml"));
    assert!(r.stdout.contains("✓ Mọi kỳ vọng của kịch bản đều đúng"));
}

#[test]
fn simulate_named_scenario_in_english_and_json() {
    let scenario = "tests/scenarios/birth-registration-tet-extended.yaml";
    let r = motcua(&["simulate", BIRTH, "--scenario", scenario, "--lang", "en"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    snapshot("simulate-tet.en.txt", &r.stdout);
    let r = motcua(&["simulate", BIRTH, "--scenario", scenario, "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(v["procedure"]["code"], "1.001193");
    assert_eq!(v["entries"][0]["command"], "submit");
    assert_eq!(v["entries"][0]["appointment"], "2026-02-25T17:00:00+07:00");
}

#[test]
fn simulate_marks_an_appointment_counted_across_provisional_days() {
    let scenario = "tests/scenarios/birth-registration-tet-2027-provisional.yaml";
    let r = motcua(&["simulate", BIRTH, "--scenario", scenario]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("2027-02-15 09:00 (dự kiến)"), "{}", r.stdout);
    let r = motcua(&["simulate", BIRTH, "--scenario", scenario, "--lang", "en", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let first = &v["entries"][0];
    assert_eq!(first["appointment_provisional"], true);
    let set = first["effects"].as_array().unwrap().iter().find(|e| e["type"] == "appointment_set").unwrap();
    assert_eq!(set["provisional_days"].as_array().unwrap().len(), 7);
    // Tết 2026 was announced: no mark.
    let r = motcua(&["simulate", BIRTH, "--scenario", "tests/scenarios/birth-registration-tet-extended.yaml"]);
    assert!(!r.stdout.contains("dự kiến"), "{}", r.stdout);
}

#[test]
fn simulate_failed_expectation_exits_1() {
    let text = std::fs::read_to_string(repo().join("tests/scenarios/business-registration-happy.yaml")).unwrap();
    let broken = text.replacen("expect: {status: 2, active: [review]", "expect: {status: 4, active: [review]", 1);
    assert_ne!(text, broken);
    let file = std::env::temp_dir().join(format!("motcua-cli-failing-{}.yaml", std::process::id()));
    std::fs::write(&file, broken).unwrap();
    let r = motcua(&["simulate", BUSINESS, "--scenario", &file.display().to_string()]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("✗ "), "{}", r.stdout);
    assert!(r.stdout.contains("1 kỳ vọng không đúng"), "{}", r.stdout);
}

#[test]
fn simulate_broken_spec_shows_diagnostics() {
    let r = motcua(&[
        "simulate",
        &format!("{FIXTURES}/broken-value.yaml"),
        "--scenario",
        "tests/scenarios/business-registration-happy.yaml",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("error[invalid_value]: Giá trị `result_isued` không hợp lệ"), "{}", r.stdout);
    let r = motcua(&["simulate", &format!("{FIXTURES}/broken-value.yaml")]);
    assert_eq!(r.code, 2, "no scenario is written for a fixture");
}

// ---- graph ----

#[test]
fn graph_mermaid_and_dot() {
    let r = motcua(&["graph", BIRTH]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("flowchart"), "{}", r.stdout);
    assert!(r.stdout.contains("subgraph"));
    let r = motcua(&["graph", BIRTH, "--format", "dot", "--lang", "en"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("digraph"), "{}", r.stdout);
    assert!(r.stdout.contains("Register the child's permanent residence"));
    assert_eq!(motcua(&["graph", BIRTH, "--format", "gif"]).code, 2);
    let r = motcua(&["graph", BIRTH, "--format", "png", "--lang", "en"]);
    assert_eq!(r.code, 2, "a PNG is not printed to a pipe");
    assert!(r.stderr.starts_with("error[usage_error]: a PNG must be written to a file"), "{}", r.stderr);
}

/// The shipped procedures, sorted by file name.
fn shipped_procedures() -> Vec<String> {
    let mut specs: Vec<String> = std::fs::read_dir(repo().join("specs/procedures"))
        .unwrap()
        .map(|e| format!("specs/procedures/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 6, "every shipped procedure: {specs:?}");
    specs
}

/// A shipped procedure compiled by the core, to compare the picture with.
fn compiled(spec: &str) -> motcua::Procedure {
    let text = std::fs::read_to_string(repo().join(spec)).unwrap();
    motcua::Procedure::from_yaml(&text, spec, &store_library()).unwrap()
}

/// The text of an element, its `<tspan>` lines joined by spaces (as they were wrapped).
fn joined_text(node: roxmltree::Node) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect::<Vec<_>>().join(" ")
}

/// An integer attribute.
fn int(node: roxmltree::Node, name: &str) -> i64 {
    node.attribute(name).unwrap_or_else(|| panic!("no {name}")).parse().unwrap()
}

#[test]
fn graph_svg_renders_to_pixels() {
    for spec in shipped_procedures().iter().map(String::as_str) {
        let r = motcua(&["graph", spec, "--format", "svg"]);
        assert_eq!(r.code, 0, "{spec}: {}", r.stderr);
        assert!(r.stdout.starts_with("<?xml") && r.stdout.contains("<svg"), "{spec}");
        // Byte for byte the same on a second run (no hash-map order, integer coordinates).
        assert_eq!(motcua(&["graph", spec, "--format", "svg"]).stdout, r.stdout, "{spec}: the SVG changed");

        // Well-formed XML, with every step and every outcome drawn exactly once.
        let doc = roxmltree::Document::parse(&r.stdout).unwrap_or_else(|e| panic!("{spec}: {e}"));
        let procedure = compiled(spec);
        let ids: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("id")).collect();
        for step in procedure.steps() {
            let id = format!("step-{}", step.id());
            assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{spec}: {id}");
        }
        for outcome in procedure.outcomes() {
            let id = format!("outcome-{}", outcome.id());
            assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{spec}: {id}");
        }
        let boxes = doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("step"))).count();
        assert_eq!(boxes, procedure.steps().len(), "{spec}");
        // Forward edges point down (ranks grow along them); back edges are marked as such.
        for path in doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("edge "))) {
            let d = path.attribute("d").unwrap();
            let ys: Vec<i64> = d
                .split(['M', 'L'])
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.split_whitespace().nth(1).unwrap().parse().unwrap())
                .collect();
            let back = path.attribute("class").unwrap().ends_with(" back");
            assert!(back || ys.last() > ys.first(), "{spec}: a forward edge that does not go down: {d}");
        }

        let tree = resvg::usvg::Tree::from_str(&r.stdout, &resvg::usvg::Options::default()).expect("valid SVG");
        let size = tree.size().to_int_size();
        assert!(size.width() > 400 && size.height() > 400, "{spec}: {size:?}");
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
        let drawn = pixmap.pixels().iter().filter(|p| p.red() < 128 && p.alpha() > 0).count();
        assert!(drawn > 1000, "{spec}: only {drawn} dark pixels drawn");
        let png = pixmap.encode_png().unwrap();
        assert!(png.len() > 10_000, "{spec}: a {}-byte PNG", png.len());
        if spec == BIRTH
            && let Some(dir) = std::env::var_os("MOTCUA_PNG_DIR")
        {
            pixmap.save_png(Path::new(&dir).join("birth.png")).unwrap();
        }
    }
}

#[test]
fn graph_svg_has_a_lane_per_agency_in_the_language_asked() {
    let procedure = compiled(BIRTH);
    for (lang, applicant, first) in
        [("vi", "Người nộp hồ sơ", "Ủy ban nhân dân cấp xã"), ("en", "Applicant", "Commune People's Committee")]
    {
        let r = motcua(&["graph", BIRTH, "--format", "svg", "--lang", lang]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc = roxmltree::Document::parse(&r.stdout).unwrap();
        let lanes: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.attribute("class") == Some("lane")).collect();
        let agencies: Vec<&str> = lanes.iter().map(|l| l.attribute("data-agency").unwrap()).collect();
        // The agencies the procedure uses, in first-use order, and the applicant's lane.
        assert_eq!(agencies, ["commune_committee", "applicant", "commune_police", "social_insurance"]);
        let titles: Vec<String> = lanes
            .iter()
            .map(|l| joined_text(l.descendants().find(|n| n.attribute("class") == Some("lane-title")).unwrap()))
            .collect();
        let expected: Vec<String> = agencies
            .iter()
            .map(|a| match *a {
                "applicant" => applicant.to_owned(),
                a => procedure.agency_name(a).unwrap().get(lang).to_owned(),
            })
            .collect();
        assert_eq!(titles, expected, "{lang}");
        assert_eq!(titles[0], first, "{lang}");
        // Every step's box stands inside its agency's band.
        for step in procedure.steps() {
            let lane = agencies.iter().position(|a| *a == step.agency().unwrap_or("applicant")).unwrap();
            let band = lanes[lane].children().find(|n| n.has_tag_name("rect")).unwrap();
            let id = format!("step-{}", step.id());
            let group = doc.descendants().find(|n| n.attribute("id") == Some(id.as_str())).unwrap();
            let rect = group.children().find(|n| n.has_tag_name("rect")).unwrap();
            let (x, w) = (int(rect, "x"), int(rect, "width"));
            assert!(int(band, "x") <= x && x + w <= int(band, "x") + int(band, "width"), "{id} outside lane {lane}");
        }
        // The two branches of the fork after the signature stand side by side, on one row.
        let y = |id: &str| {
            let group = doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap();
            int(group.children().find(|n| n.has_tag_name("rect")).unwrap(), "y")
        };
        assert_eq!(y("step-residence"), y("step-insurance_card"));
        assert!(y("step-residence") > y("step-sign"));
        // Budgets and national status codes are on the boxes.
        let sign = doc.descendants().find(|n| n.attribute("id") == Some("step-sign")).unwrap();
        let label = if lang == "vi" { "0.5d · 4 Đang xử lý" } else { "0.5d · 4 Processing" };
        assert!(joined_text(sign).contains(label), "{}", joined_text(sign));
    }
}

#[test]
fn graph_svg_text_fits_its_boxes_in_the_systems_font() {
    // Laid out by resvg with the fonts installed (DejaVu Sans on Debian): every line of every
    // step, outcome and lane title inside its box, in both languages.
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    if options.fontdb.is_empty() {
        eprintln!("no system fonts: the text is not laid out, nothing to measure");
        return;
    }
    let mut measured = 0;
    for spec in shipped_procedures().iter().map(String::as_str) {
        for lang in ["vi", "en"] {
            let svg = motcua(&["graph", spec, "--format", "svg", "--lang", lang]).stdout;
            let tree = resvg::usvg::Tree::from_str(&svg, &options).unwrap();
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let groups = doc.descendants().filter_map(|n| n.attribute("id")).filter(|id| id.contains('-'));
            for id in groups {
                let Some(resvg::usvg::Node::Group(group)) = tree.node_by_id(id) else {
                    panic!("{spec} {lang}: {id} is not kept as a group")
                };
                let mut boxes = group.children().iter().filter(|n| matches!(n, resvg::usvg::Node::Path(_)));
                // A lane's text sits in its header, its second rectangle.
                let frame = if id.starts_with("lane-") { boxes.nth(1) } else { boxes.next() };
                let frame = frame.unwrap().abs_bounding_box();
                for text in group.children().iter().filter(|n| matches!(n, resvg::usvg::Node::Text(_))) {
                    let b = text.abs_bounding_box();
                    measured += 1;
                    assert!(
                        b.left() >= frame.left() - 1.0
                            && b.right() <= frame.right() + 1.0
                            && b.top() >= frame.top() - 1.0
                            && b.bottom() <= frame.bottom() + 1.0,
                        "{spec} {lang}: the text of {id} ({b:?}) is outside its box ({frame:?})"
                    );
                }
            }
        }
    }
    assert!(measured > 100, "{measured} texts measured");
}

#[test]
fn graph_svg_draws_each_kind_of_hand_off_its_own_way() {
    // (class, stroke, stroke-width, stroke-dasharray) of the edge from → to.
    fn style(svg: &str, from: &str, to: &str) -> (String, String, String, Option<String>) {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let path = doc
            .descendants()
            .find(|n| n.attribute("data-from") == Some(from) && n.attribute("data-to") == Some(to))
            .unwrap_or_else(|| panic!("no edge {from} → {to}"));
        let a = |name: &str| path.attribute(name).map(str::to_owned);
        (a("class").unwrap(), a("stroke").unwrap(), a("stroke-width").unwrap(), a("stroke-dasharray"))
    }
    let birth = motcua(&["graph", BIRTH, "--format", "svg"]).stdout;
    let land = motcua(&["graph", "specs/procedures/land-first-certificate.yaml", "--format", "svg"]).stdout;
    let action = style(&birth, "receive", "examine");
    let horizontal = style(&birth, "sign", "residence");
    let upward = style(&land, "public_notice", "land_registration");
    let downward = style(&land, "prepare_certificate", "sign");
    let back = style(&birth, "supplement", "receive");
    assert_eq!(action, ("edge action".into(), "#555555".into(), "1.5".into(), None));
    assert_eq!(horizontal, ("edge handoff-horizontal".into(), "#1f5fa8".into(), "3".into(), None));
    assert_eq!(upward, ("edge handoff-upward".into(), "#c0580f".into(), "2".into(), Some("8 4".into())));
    // Both vertical directions look alike (the label's arrow tells them apart), and unlike
    // a horizontal hand-off or an ordinary action.
    assert_eq!(downward.0, "edge handoff-downward");
    assert_eq!((&downward.1, &downward.2, &downward.3), (&upward.1, &upward.2, &upward.3));
    let look = |s: &(String, String, String, Option<String>)| (s.1.clone(), s.2.clone(), s.3.clone());
    assert!(look(&horizontal) != look(&upward) && look(&horizontal) != look(&action) && look(&upward) != look(&action));
    assert_eq!(back, ("edge action back".into(), "#555555".into(), "1.5".into(), Some("2 3".into())));
    // Vertical hand-offs say which way they go; the legend names all four kinds.
    assert!(land.contains("↑</text>") && land.contains("↓</text>"));
    for text in ["Liên thông ngang (cùng cấp)", "Liên thông dọc", "Quay lại bước trước"] {
        assert!(birth.contains(text), "{text}");
    }
}

#[test]
fn graph_svg_escapes_text_and_measures_nfd_as_nfc() {
    let original = std::fs::read_to_string(repo().join(BUSINESS)).unwrap();
    let target = "name: {vi: Tiếp nhận hồ sơ, en: Receive the dossier}";
    assert!(original.contains(target));
    let dir = std::env::temp_dir().join(format!("motcua-graph-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let draw = |name: &str, file: &str| {
        let path = dir.join(file);
        std::fs::write(&path, original.replace(target, &format!("name: {{vi: '{name}', en: Receive the dossier}}")))
            .unwrap();
        let r = motcua(&[
            "graph",
            path.to_str().unwrap(),
            "--format",
            "svg",
            "--catalogue",
            "specs/catalogue/vietnam.yaml",
            "--calendars",
            "specs/calendars",
        ]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        r.stdout
    };
    // (the name, the box's width, its lines, the longest line in letters: marks not counted)
    let receive = |svg: &str| -> (String, i64, usize, usize) {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let group = doc.descendants().find(|n| n.attribute("id") == Some("step-receive")).unwrap();
        let rect = group.children().find(|n| n.has_tag_name("rect")).unwrap();
        let name = group.children().find(|n| n.has_tag_name("text")).unwrap();
        let lines: Vec<String> = name.children().filter(|n| n.has_tag_name("tspan")).map(joined_text).collect();
        let letters = |l: &String| l.chars().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).count();
        (joined_text(name), int(rect, "width"), lines.len(), lines.iter().map(letters).max().unwrap())
    };
    // Markup characters come back as written, not as markup.
    let escaped = draw(r#"Nhận <hồ sơ> & "giấy tờ" của A&B"#, "escaped.yaml");
    assert!(escaped.contains("&lt;hồ sơ&gt; &amp; &quot;giấy tờ&quot;"));
    assert_eq!(receive(&escaped).0, r#"Nhận <hồ sơ> & "giấy tờ" của A&B"#);
    // A long Vietnamese name in NFC and in NFD: the same box, wide enough for its characters.
    let nfc = "Tiếp nhận hồ sơ đăng ký doanh nghiệp tại bộ phận một cửa";
    let nfd = "Tie\u{302}\u{301}p nha\u{323}\u{302}n ho\u{302}\u{300} so\u{31b} đa\u{306}ng ky\u{301} doanh nghie\u{323}\u{302}p ta\u{323}i bo\u{323}\u{302} pha\u{323}n mo\u{323}\u{302}t cu\u{31b}\u{309}a";
    let (a, b) = (receive(&draw(nfc, "nfc.yaml")), receive(&draw(nfd, "nfd.yaml")));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!((a.1, a.2, a.3), (b.1, b.2, b.3), "NFC {a:?}, NFD {b:?}");
    assert!(a.2 > 1, "the name is wrapped: {a:?}");
    // Room for its longest line at 7 px a letter, with the padding.
    assert!(a.1 >= 7 * i64::try_from(a.3).unwrap() + 16, "{a:?}");
}

#[test]
fn graph_svg_draws_a_step_that_loops_to_itself_as_a_back_edge() {
    let original = std::fs::read_to_string(repo().join(BUSINESS)).unwrap();
    let propose = "      propose: {to: approve, name: {vi: Trình ký, en: Propose for signature}}\n";
    assert!(original.contains(propose));
    let looped = original
        .replace(propose, &format!("{propose}      note: {{to: review, name: {{vi: Ghi chú, en: Add a note}}}}\n"));
    let file = std::env::temp_dir().join(format!("motcua-graph-loop-{}.yaml", std::process::id()));
    std::fs::write(&file, looped).unwrap();
    let args = [
        "graph",
        file.to_str().unwrap(),
        "--format",
        "svg",
        "--catalogue",
        "specs/catalogue/vietnam.yaml",
        "--calendars",
        "specs/calendars",
    ];
    let (a, b) = (motcua(&args), motcua(&args));
    let _ = std::fs::remove_file(&file);
    assert_eq!(a.code, 0, "{}{}", a.stdout, a.stderr);
    assert_eq!(a.stdout, b.stdout);
    let doc = roxmltree::Document::parse(&a.stdout).unwrap();
    let edge = |from: &str, to: &str| {
        doc.descendants()
            .find(|n| n.attribute("data-from") == Some(from) && n.attribute("data-to") == Some(to))
            .unwrap_or_else(|| panic!("no edge {from} → {to}"))
    };
    // The loop and the two ways back to the review are back edges; the way forward is not.
    for (from, to) in [("review", "review"), ("supplement", "review"), ("approve", "review")] {
        assert_eq!(edge(from, to).attribute("class"), Some("edge action back"), "{from} → {to}");
        assert_eq!(edge(from, to).attribute("stroke-dasharray"), Some("2 3"), "{from} → {to}");
    }
    assert_eq!(edge("review", "approve").attribute("class"), Some("edge action"));
    assert_eq!(doc.descendants().filter(|n| n.attribute("id") == Some("step-review")).count(), 1);
}

#[test]
fn graph_svg_in_the_docs_is_what_the_command_draws() {
    let r = motcua(&["graph", BIRTH, "--format", "svg", "--lang", "en"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = repo().join("docs/birth-registration.svg");
    if std::env::var_os("MOTCUA_BLESS").is_some() {
        std::fs::write(&path, &r.stdout).unwrap();
        return;
    }
    let committed =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (MOTCUA_BLESS=1)", path.display()));
    assert!(committed == r.stdout, "docs/birth-registration.svg is stale: run with MOTCUA_BLESS=1");
}

// ---- check-form ----

#[test]
fn check_form_table_and_json() {
    let data = format!("{FIXTURES}/business-form.json");
    let docs = format!("{FIXTURES}/business-documents.json");
    let r = motcua(&["check-form", BUSINESS, &data, "--documents", &docs, "--today", "2026-03-02"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    snapshot("check-form.vi.txt", &r.stdout);
    // On an 80-column terminal the messages wrap inside their column.
    let narrow = motcua_with(
        &["check-form", BUSINESS, &data, "--documents", &docs, "--today", "2026-03-02"],
        &[("COLUMNS", "80")],
    );
    assert!(widest_line(&narrow.stdout) <= 80, "{}", narrow.stdout);
    assert!(widest_line(&r.stdout) > 80);
    let r = motcua(&["check-form", BUSINESS, &data, "--today", "2026-03-02", "--format", "json", "--lang", "en"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let codes: Vec<&str> = v["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"pattern_mismatch") && codes.contains(&"document_missing"), "{codes:?}");
    // Bad input files are reported, never a panic.
    assert_eq!(motcua(&["check-form", BUSINESS, "Cargo.toml"]).code, 2);
    assert_eq!(motcua(&["check-form", BUSINESS, &data, "--documents", &data]).code, 2);
}

// ---- json ----

fn read(file: &str) -> String {
    std::fs::read_to_string(repo().join(file)).unwrap()
}

#[test]
fn json_of_a_calendar_that_extends_another() {
    let r = motcua(&["json", "specs/calendars/example-province.yaml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    snapshot("json-example-province.json", &r.stdout);
    // What it prints is what the loaders read, after the calendar it extends.
    let mut set = motcua::Calendars::new();
    set.insert_json(&motcua(&["json", "specs/calendars/vn-gov.yaml"]).stdout, "vn-gov.json").unwrap();
    set.insert_json(&r.stdout, "example-province.json").unwrap();
    assert_eq!(set.get("vn-example-province").unwrap().covers(), (2025, 2027));
}

#[test]
fn json_of_the_catalogue_and_procedures_loads_with_from_json() {
    let r = motcua(&["json", "specs/catalogue/vietnam.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let catalogue = motcua::Catalogue::from_json(&r.stdout, "vietnam.json").unwrap();
    let yaml = motcua::Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").unwrap();
    assert_eq!(catalogue.spec(), yaml.spec());

    let mut library = motcua::Library::new(catalogue);
    library.add_calendar_json(&motcua(&["json", "specs/calendars/vn-gov.yaml"]).stdout, "vn-gov.json").unwrap();
    let yaml_library = {
        let mut l = motcua::Library::new(yaml);
        l.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").unwrap();
        l
    };
    for spec in [BIRTH, BUSINESS] {
        let r = motcua(&["json", spec]);
        assert_eq!(r.code, 0, "{spec}: {}", r.stderr);
        let from_json = motcua::Procedure::from_json(&r.stdout, spec, &library).unwrap();
        let from_yaml = motcua::Procedure::from_yaml(&read(spec), spec, &yaml_library).unwrap();
        assert_eq!(from_json.spec(), from_yaml.spec(), "{spec}");
    }

    // `-o` writes the file instead.
    let out = std::env::temp_dir().join(format!("motcua-json-{}.json", std::process::id()));
    let r = motcua(&["json", BUSINESS, "-o", out.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), motcua(&["json", BUSINESS]).stdout);
    let _ = std::fs::remove_file(out);
}

#[test]
fn json_of_a_broken_spec_shows_diagnostics_and_of_a_scenario_is_the_scenario() {
    let r = motcua(&["json", "--lang", "en", &format!("{FIXTURES}/broken-value.yaml")]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("error[invalid_value]:"), "{}", r.stdout);
    assert!(r.stdout.contains("^^^^^^^^^^^^ at `outcomes.issued.kind`"), "{}", r.stdout);

    let scenario = "tests/scenarios/business-registration-happy.yaml";
    let r = motcua(&["json", scenario]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let from_json: motcua::scenario::Scenario = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(from_json, motcua::scenario::Scenario::from_yaml(&read(scenario), scenario).unwrap());
    assert_eq!(motcua(&["json"]).code, 2);
    assert_eq!(motcua(&["json", BUSINESS, "--format", "json"]).code, 2);
}

/// `json --upgrade` turns a first-format scenario into the shipped one: command ids, the
/// API's command shapes and every official's unit, written by running it.
#[test]
fn json_upgrade_converts_a_first_format_scenario_into_api_calls() {
    let old = "bindings/cli/tests/first-format/scenarios/business-registration-happy.yaml";
    let shipped = "tests/scenarios/business-registration-happy.yaml";
    // Read as it is, the old file is refused with the way out.
    let r = motcua(&["json", "--lang", "en", old]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("error[old_scenario_format]:"), "{}", r.stdout);
    assert!(r.stdout.contains("motcua json --upgrade"), "{}", r.stdout);
    // Upgraded, it is the scenario shipped in the current format.
    let r = motcua(&["json", "--upgrade", old]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let upgraded: motcua::scenario::Scenario = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(upgraded, motcua::scenario::Scenario::from_yaml(&read(shipped), shipped).unwrap());
    let accept = upgraded.commands[0].command.as_ref().unwrap();
    assert_eq!((accept.id.as_str(), accept.actor.unit.as_deref()), ("c1", Some("01")));
    // A current scenario comes out unchanged, and the output loads as a scenario file.
    let again = motcua(&["json", "--upgrade", shipped]);
    assert_eq!(again.stdout, r.stdout);
    let dir = std::env::temp_dir().join(format!("motcua-upgrade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("upgraded.json");
    std::fs::write(&file, &r.stdout).unwrap();
    let r = motcua(&["simulate", BUSINESS, "--scenario", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    // Only scenarios are upgraded.
    let r = motcua(&["json", "--upgrade", "--lang", "en", BUSINESS]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("invalid_argument") && r.stderr.contains("--upgrade is for scenarios"), "{}", r.stderr);
}

// ---- schema, explain, deadline ----

#[test]
fn schema_matches_the_committed_files() {
    let runtime = ["submission", "command", "applied", "event", "effect", "dossier", "rejection"];
    for kind in ["procedure", "catalogue", "calendar", "units", "migration", "scenario"].into_iter().chain(runtime) {
        let r = motcua(&["schema", kind]);
        assert_eq!(r.code, 0);
        let file = if runtime.contains(&kind) { format!("runtime/{kind}") } else { kind.to_owned() };
        let committed = std::fs::read_to_string(repo().join(format!("specs/schema/{file}.schema.json"))).unwrap();
        assert_eq!(r.stdout.trim_end(), committed.trim_end(), "{kind}");
    }
    assert_eq!(motcua(&["schema", "dossiers"]).code, 2);
}

#[test]
fn explain_covers_every_code() {
    for code in Code::ALL {
        for (lang, example, fix) in [("vi", "Ví dụ:", "Cách sửa:"), ("en", "Example:", "Fix:")] {
            let r = motcua(&["explain", code.as_str(), "--lang", lang]);
            assert_eq!(r.code, 0, "no explanation for `{code}`: {}", r.stderr);
            assert!(r.stdout.starts_with(code.as_str()), "{code}");
            assert!(
                r.stdout.contains(example) && r.stdout.contains(fix),
                "`{code}` ({lang}) lacks an example or a fix"
            );
        }
    }
    let r = motcua(&["explain"]);
    assert_eq!(r.code, 0);
    // A header, its rule, and a row per code.
    assert_eq!(r.stdout.lines().count(), Code::ALL.len() + 2);
    assert!(r.stdout.starts_with("Mã "), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.starts_with("unknown_step ") && l.ends_with("│ lỗi      │ Bước không tồn tại")));
    let en = motcua_with(&["explain", "--lang", "en"], &[("COLUMNS", "50")]);
    assert!(en.stdout.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 50), "{}", en.stdout);
    assert!(en.stdout.lines().any(|l| l.starts_with("budget_exceeds_deadline")), "{}", en.stdout);
    snapshot("explain-unknown_step.vi.txt", &motcua(&["explain", "unknown_step"]).stdout);
    let r = motcua(&["explain", "unknown_stpe"]);
    assert_eq!(r.code, 2);
}

#[test]
fn deadline_across_tet_with_cutoff() {
    let r = motcua(&[
        "deadline",
        "--calendar",
        "vn-gov",
        "--from",
        "2026-02-13T16:00:00+07:00",
        "--add",
        "3d",
        "--cutoff",
        "15:00",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    snapshot("deadline-tet.vi.txt", &r.stdout);
    let r =
        motcua(&["deadline", "--calendar", "vn-gov", "--from", "2026-04-29T09:00", "--add", "1d", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["due"], "2026-05-04T09:00:00+07:00", "30/4 and 1/5 are holidays, then the weekend");
    assert_eq!(
        (v["provisional"].clone(), v["provisional_days"].clone()),
        (serde_json::json!(false), serde_json::json!([]))
    );
    // Tết 2027 is not announced: the deadline across it is "expected" and names the days.
    let r =
        motcua(&["deadline", "--calendar", "vn-gov", "--from", "2027-02-03T09:00", "--add", "3d", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["due"], "2027-02-15T09:00:00+07:00");
    assert_eq!(v["provisional"], true);
    assert_eq!(v["provisional_days"][0], "2027-02-04");
    assert_eq!(v["provisional_days"].as_array().unwrap().len(), 7);
    let r = motcua(&["deadline", "--calendar", "vn-gov", "--from", "2027-02-03T09:00", "--add", "3d"]);
    snapshot("deadline-tet-2027.vi.txt", &r.stdout);
    for (bad, code) in [
        (vec!["deadline", "--calendar", "vn-gov", "--from", "2026-02-13", "--add", "3d"], "usage_error"),
        (
            vec!["deadline", "--calendar", "vn-gov", "--from", "2026-02-13T16:00:00+07:00", "--add", "3 ngày"],
            "usage_error",
        ),
        (
            vec!["deadline", "--calendar", "nowhere", "--from", "2026-02-13T16:00:00+07:00", "--add", "3d"],
            "unknown_calendar",
        ),
        (
            vec!["deadline", "--calendar", "vn-gov", "--from", "2031-02-13T16:00:00+07:00", "--add", "3d"],
            "outside_calendar",
        ),
    ] {
        let r = motcua(&bad);
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stdout);
        assert!(r.stderr.starts_with(&format!("lỗi[{code}]: ")), "{bad:?}: {}", r.stderr);
    }
}

// ---- every error carries its code; JSON when JSON was asked for; nothing raw reaches the terminal ----

#[test]
fn a_deadline_outside_the_calendar_is_coded_in_text_and_in_json() {
    let args = ["deadline", "--calendar", "vn-gov", "--from", "2099-01-05T09:00:00+07:00", "--add", "1d"];
    let r = motcua(&args);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.starts_with("lỗi[outside_calendar]: "), "{}", r.stderr);
    let r = motcua(&[&args[..], &["--format", "json", "--lang", "en"]].concat());
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "");
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("a JSON error");
    assert_eq!(json["error"]["code"], "outside_calendar");
    assert!(json["error"]["message"]["en"].as_str().is_some_and(|m| !m.is_empty()), "{json}");
}

#[test]
fn argument_errors_are_coded_and_json_when_asked() {
    let r = motcua(&["lint", "--no-such-option", "--format", "json"]);
    assert_eq!(r.code, 2);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("a JSON error");
    assert_eq!(json["error"]["code"], "usage_error");
    let r = motcua(&["lint", "no/such/file.yaml", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error[io_error]: "), "{}", r.stderr);
}

fn temp_spec(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("motcua-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("spec.yaml");
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn lint_escapes_terminal_control_bytes_of_a_spec() {
    let spec = std::fs::read_to_string(repo().join(BUSINESS)).expect("spec");
    // A target with ESC (a colour change), an OSC title sequence and NUL in it.
    let evil = spec.replacen("accept: {to: review", "accept: {to: \"review\\e[31m\\e]0;pwned\\a\\0\"", 1);
    assert_ne!(evil, spec);
    let path = temp_spec("escape", evil.as_bytes());
    let r = motcua(&["lint", path.to_str().expect("utf-8"), "--specs", "specs", "--lang", "en"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("error[unknown_step]"), "{all}");
    for raw in ['\u{1b}', '\u{7}', '\0'] {
        assert!(!all.contains(raw), "raw {raw:?} printed: {all:?}");
    }
    assert!(all.contains("\\u{1b}[31m") && all.contains("\\u{7}") && all.contains("\\u{0}"), "{all}");
}

#[test]
fn a_spec_that_is_not_utf8_is_placed_at_its_first_bad_byte() {
    let mut bytes = b"motcua: 1\ncatalogue: vietnam\nname: {vi: Th".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"}\n");
    let path = temp_spec("utf8", &bytes);
    let r = motcua(&["lint", path.to_str().expect("utf-8"), "--specs", "specs", "--lang", "en"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.starts_with("error[invalid_utf8]: "), "{}", r.stderr);
    assert!(r.stderr.contains("spec.yaml:3:14: the file is not valid UTF-8 text"), "{}", r.stderr);
}

#[test]
fn lint_checks_a_units_file_against_the_catalogue() {
    let dir = std::env::temp_dir().join(format!("motcua-cli-{}-units/units", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("broken.yaml");
    let text = "id: t\ncatalogue: vietnam\nunits:\n  \"01\": {name: {vi: Hà Nội}, level: province, parent: VN}\n  \"00004\": {name: {vi: Ba Đình}, level: comune, parent: \"01\"}\n";
    std::fs::write(&path, text).expect("write");
    let r = motcua(&["lint", path.to_str().expect("utf-8"), "--specs", "specs", "--lang", "en"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("error[unknown_unit]: parent unit `VN` is not listed"), "{}", r.stdout);
    assert!(r.stdout.contains("broken.yaml:4:"), "{}", r.stdout);
    assert!(r.stdout.contains("error[unknown_level]: level `comune` is not in the catalogue"), "{}", r.stdout);
}

// ---- calendar diff ----

#[test]
fn calendar_diff_lists_the_days_a_notice_changes() {
    // The notice for Tết 2027 comes out: one day longer at each end, and announced.
    let shipped = std::fs::read_to_string(repo().join("specs/calendars/vn-gov.yaml")).unwrap();
    let old_tet = "  - from: 2027-02-04\n    to: 2027-02-10\n";
    assert!(shipped.contains(old_tet));
    let announced = shipped.replace(old_tet, "  - from: 2027-02-03\n    to: 2027-02-11\n").replacen(
        "    statutory: tet\n    status: provisional\n",
        "    statutory: tet\n    status: announced\n",
        1,
    );
    let dir = std::env::temp_dir().join(format!("motcua-cal-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let new = dir.join("vn-gov.yaml");
    std::fs::write(&new, announced).unwrap();
    let new = new.to_str().unwrap();

    let r = motcua(&["calendar", "diff", "specs/calendars/vn-gov.yaml", new, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let rows: Vec<(&str, &str, bool)> = changes
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["date"].as_str().unwrap(), c["moves_deadlines"].as_bool().unwrap()))
        .collect();
    assert_eq!(rows.len(), 9, "{rows:?}");
    assert_eq!(rows[0], ("day_off_added", "2027-02-03", true));
    assert_eq!(rows[1], ("status_changed", "2027-02-04", false));
    assert_eq!(rows[8], ("day_off_added", "2027-02-11", true));
    assert_eq!(changes[1]["old"]["status"], "provisional");
    assert_eq!(changes[1]["new"]["status"], "announced");
    assert_eq!(changes[0]["old"], serde_json::json!({"working": true}));

    // Reversed, the days off are removed; text output names the codes too.
    let r = motcua(&["calendar", "diff", new, "specs/calendars/vn-gov.yaml", "--lang", "en"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    snapshot("calendar-diff.en.txt", &r.stdout.replace(new, "NEW"));
    assert!(r.stdout.ends_with("9 changes, 2 that move deadlines\n"), "{}", r.stdout);
    // A table that fits the width asked for, its rows still whole.
    let narrow = motcua_with(&["calendar", "diff", new, "specs/calendars/vn-gov.yaml"], &[("COLUMNS", "60")]);
    assert!(narrow.stdout.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 60), "{}", narrow.stdout);
    assert!(narrow.stdout.contains("2027-02-03 │ day_off_removed"), "{}", narrow.stdout);

    // A provincial calendar is compiled over its parent; the same file twice changes nothing.
    let p = "specs/calendars/example-province.yaml";
    let r = motcua(&["calendar", "diff", p, p, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap()["changes"], serde_json::json!([]));

    // Covering another year is a change of its own (a small root calendar, no statutory list).
    let small = "id: t\nname: {vi: T}\nutc_offset: '+07:00'\nworking_weekdays: [mon, tue, wed, thu, fri]\n\
                 office_hours: [{from: '08:00', to: '17:00'}]\ncovers: {from: 2026, to: 2026}\n";
    let (a, b) = (dir.join("a.yaml"), dir.join("b.yaml"));
    std::fs::write(&a, small).unwrap();
    std::fs::write(&b, small.replace("to: 2026}", "to: 2027}")).unwrap();
    let r = motcua(&["calendar", "diff", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(
        (v["changes"][0]["code"].clone(), v["changes"][0]["year"].clone()),
        (serde_json::json!("year_added"), serde_json::json!(2027))
    );

    for bad in
        [vec!["calendar", "merge", p, p], vec!["calendar", "diff", p], vec!["calendar", "diff", p, "nowhere.yaml"]]
    {
        let r = motcua(&bad);
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stdout);
    }
}

#[test]
fn calendar_days_lists_every_covered_day_as_the_engine_counts_it() {
    let r = motcua(&["calendar", "days", "specs/calendars/vn-gov.yaml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let days = v["days"].as_array().unwrap();
    assert_eq!(days.len(), 365 * 3, "2025-2027, no leap year");
    let day = |d: &str| days.iter().find(|x| x["date"] == d).unwrap().clone();
    assert_eq!(day("2026-01-10")["working"], true);
    assert_eq!(day("2026-01-10")["kind"], "worked");
    assert_eq!(day("2027-02-04")["working"], false);
    assert_eq!(day("2027-02-04")["status"], "provisional");
    assert_eq!(day("2027-03-01"), serde_json::json!({"date": "2027-03-01", "working": true}));
    assert_eq!(v["known_differences"].as_array().unwrap().len(), 3);
    // As text: a table of the marked days only.
    let r = motcua(&["calendar", "days", "specs/calendars/vn-gov.yaml", "--lang", "en"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("Date       │ Working │ Kind"), "{}", r.stdout);
    let tet = lines.iter().find(|l| l.starts_with("2027-02-04")).expect("Tết 2027");
    let cells: Vec<&str> = tet.split('│').map(str::trim).collect();
    assert_eq!(cells[..4], ["2027-02-04", "off", "holiday", "provisional"], "{tet}");
    assert!(!r.stdout.contains("2027-03-01"), "unmarked days are not listed");
}

// ---- diff ----

const HOUSEHOLD_OLD: &str = "specs/procedures/superseded/household-business-registration-2021.yaml";
const HOUSEHOLD_NEW: &str = "specs/procedures/household-business-registration.yaml";

#[test]
fn diff_of_the_2025_07_01_pair_lists_breaking_changes() {
    let r = motcua(&["diff", HOUSEHOLD_OLD, HOUSEHOLD_NEW, "--lang", "en"]);
    assert_eq!(r.code, 1, "breaking changes found: {}{}", r.stdout, r.stderr);
    snapshot("diff-household.en.txt", &r.stdout);
    let r = motcua(&["diff", HOUSEHOLD_OLD, HOUSEHOLD_NEW]);
    assert_eq!(r.code, 1);
    snapshot("diff-household.vi.txt", &r.stdout);
    let r = motcua(&["diff", HOUSEHOLD_OLD, HOUSEHOLD_NEW, "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["from"]["version"].as_str(), v["to"]["version"].as_str()), (Some("2021.1"), Some("2025.1")));
    let changes = v["changes"].as_array().unwrap();
    let level = changes
        .iter()
        .find(|c| c["kind"] == "step_level_changed" && c["subject"] == "steps.review")
        .expect("the review moves from the district to the commune");
    assert_eq!(
        (&level["old"], &level["new"], &level["breaking"]),
        (&json!("district"), &json!("commune"), &json!(true))
    );
    assert_eq!(v["breaking"], changes.iter().filter(|c| c["breaking"] == true).count());
}

const HOUSEHOLD_MIGRATION: &str = "specs/migrations/1.001612-2021.1-to-2025.1.yaml";
const UNDER_REVIEW: &str = "bindings/cli/tests/fixtures/scenarios/household-2021-under-review.yaml";
const SIGNED: &str = "bindings/cli/tests/fixtures/scenarios/household-2021-signed.yaml";

#[test]
fn migrate_dry_run_previews_each_dossier_and_writes_nothing() {
    let at = "2025-07-01T08:00:00+07:00";
    let base = ["migrate", "--dry-run", HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION];
    let args = |extra: &[&'static str]| base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>();
    // One under review moves (exit 0), with its appointment kept.
    let r = motcua(&args(&[UNDER_REVIEW, "--at", at, "--lang", "en"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("review → review: used 3h; due 2025-07-02 09:00 → 2025-07-02 09:00"), "{}", r.stdout);
    // With one signed at the district: listed with the reason, exit 1.
    let r = motcua(&args(&[UNDER_REVIEW, SIGNED, "--at", at, "--lang", "en"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    snapshot("migrate-household.en.txt", &r.stdout);
    let r = motcua(&args(&[UNDER_REVIEW, SIGNED, "--at", at]));
    assert_eq!(r.code, 1);
    snapshot("migrate-household.vi.txt", &r.stdout);
    let r = motcua(&args(&[UNDER_REVIEW, SIGNED, "--at", at, "--format", "json"]));
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["from"].as_str(), v["to"].as_str()), (Some("2021.1"), Some("2025.1")));
    assert_eq!(v["migration_sha256"].as_str().map(str::len), Some(64));
    let (moves, pinned) = (&v["dossiers"][0], &v["dossiers"][1]);
    assert_eq!(moves["steps"][0]["used_minutes"], 180);
    assert_eq!(moves["appointment_after"], "2025-07-02T09:00:00+07:00");
    assert!(moves.get("refused").is_none());
    assert_eq!(pinned["refused"]["code"], "not_migratable");
    assert_eq!(pinned["steps"][0]["from"], "return_result");
    // A snapshot works as well as a scenario; by default the move is at its last event.
    let dir = std::env::temp_dir().join(format!("motcua-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let read = |f: &str| std::fs::read_to_string(repo().join(f)).unwrap();
    let mut library = motcua::Library::new(
        motcua::Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").unwrap(),
    );
    library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").unwrap();
    let old = motcua::Procedure::from_yaml(&read(HOUSEHOLD_OLD), HOUSEHOLD_OLD, &library).unwrap();
    let scenario = motcua::scenario::Scenario::from_yaml(&read(UNDER_REVIEW), UNDER_REVIEW).unwrap();
    let dossier = motcua_scenario::run(&scenario, &old).dossier().unwrap().clone();
    let snapshot_file = dir.join("under-review.json");
    std::fs::write(&snapshot_file, serde_json::to_string(&dossier).unwrap()).unwrap();
    let file = snapshot_file.to_str().unwrap();
    let r =
        motcua(&["migrate", "--dry-run", HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION, file, "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // At the last event (the acceptance, Mon 14:00): nothing used yet, the full 1.5 days left.
    assert_eq!(v["dossiers"][0]["at"], "2025-06-30T14:00:00+07:00");
    assert_eq!(v["dossiers"][0]["steps"][0]["used_minutes"], 0);
    // An edited snapshot is refused (exit 2), not previewed.
    std::fs::write(&snapshot_file, serde_json::to_string(&dossier).unwrap().replace("\"status\":2", "\"status\":9"))
        .unwrap();
    let r = motcua(&["migrate", "--dry-run", HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION, file]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("tampered_snapshot"), "{}", r.stderr);
    // `--dry-run` is required: the store makes the real move.
    let r = motcua(&["migrate", HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION, UNDER_REVIEW]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--dry-run"), "{}", r.stderr);
    // A bad instant: usage error.
    let r = motcua(&args(&[UNDER_REVIEW, "--at", "tomorrow", "--lang", "en"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("RFC 3339"), "{}", r.stderr);
    // The versions swapped: the migration does not load against them.
    let r = motcua(&["migrate", "--dry-run", HOUSEHOLD_NEW, HOUSEHOLD_OLD, HOUSEHOLD_MIGRATION, UNDER_REVIEW]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("spec_does_not_load"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A SQLite store holding household business registrations received on 2021.1 (the
/// district): `HKD-R1`..`HKD-R3` under review, `HKD-S1`, `HKD-S2` signed at the district
/// (their step cannot move), `HKD-N1` not yet accepted, and `extra` more under review.
fn store_with_2021_dossiers(dir: &Path, extra: usize) -> PathBuf {
    let path = dir.join("desk.db");
    let mut store = motcua_store::Store::open_sqlite(&path, store_library()).unwrap();
    seed_2021(&mut store, extra);
    path
}

/// The catalogue and the government calendar, for stores the tests open themselves.
fn store_library() -> motcua::Library {
    let read = |f: &str| std::fs::read_to_string(repo().join(f)).unwrap();
    let mut library = motcua::Library::new(
        motcua::Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").unwrap(),
    );
    library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").unwrap();
    library
}

fn seed_2021(store: &mut motcua_store::Store, extra: usize) {
    let read = |f: &str| std::fs::read_to_string(repo().join(f)).unwrap();
    store.register_procedure(&read(HOUSEHOLD_OLD), HOUSEHOLD_OLD).unwrap();
    let seed = |store: &mut motcua_store::Store, id: &str, scenario: &str, commands: usize| {
        let s = motcua::scenario::Scenario::from_yaml(&read(scenario), scenario).unwrap();
        let submission = motcua::Submission::new(id, s.submit.at, s.submit.actor.clone(), s.submit.channel, "001")
            .with_data(s.submit.data.clone(), s.submit.documents.clone());
        store.submit_with_version("1.001612", "2021.1", submission).unwrap();
        for (i, c) in s.commands.iter().take(commands).enumerate() {
            let mut command = c.command.clone().unwrap();
            command.id = format!("{id}-{i}");
            store.apply(id, &command).unwrap();
        }
    };
    for id in ["HKD-R1", "HKD-R2", "HKD-R3"] {
        seed(store, id, UNDER_REVIEW, usize::MAX);
    }
    for id in ["HKD-S1", "HKD-S2"] {
        seed(store, id, SIGNED, usize::MAX);
    }
    seed(store, "HKD-N1", UNDER_REVIEW, 0);
    for n in 0..extra {
        seed(store, &format!("HKD-X{n:02}"), UNDER_REVIEW, usize::MAX);
    }
}

#[test]
fn migrate_database_moves_the_running_dossiers_of_a_postgres_store() {
    let Some(base) = std::env::var("MOTCUA_TEST_POSTGRES").ok().filter(|s| !s.is_empty()) else {
        eprintln!("MOTCUA_TEST_POSTGRES is not set: `migrate --database postgres://…` not tested");
        return;
    };
    // A schema of its own, which the CLI reaches through the URL's search_path.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema = format!("cli_migrate_{}_{nanos}", std::process::id());
    let open = || motcua_store::Store::open_postgres_in_schema(&base, &schema, store_library()).unwrap();
    seed_2021(&mut open(), 0);
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options=-csearch_path%3D{schema}");
    migrate_database_flow(&url, &open);
}

#[test]
fn migrate_database_shows_progress_on_a_terminal_only() {
    let dir = std::env::temp_dir().join(format!("motcua-migrate-tty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = store_with_2021_dossiers(&dir, 6);
    let command = format!(
        "{} migrate --dry-run --database {} {HOUSEHOLD_OLD} {HOUSEHOLD_NEW} {HOUSEHOLD_MIGRATION} --at 2025-07-01T08:00:00+07:00",
        env!("CARGO_BIN_EXE_motcua"),
        db.display()
    );
    // `script` (util-linux) gives the command a terminal; where it is missing, nothing to check.
    if let Ok(out) =
        Command::new("script").args(["-qec", &command, "/dev/null"]).current_dir(repo()).env("NO_COLOR", "1").output()
    {
        let all = String::from_utf8_lossy(&out.stdout);
        assert!(all.contains("12 hồ sơ: 10 chuyển được, 2 giữ phiên bản cũ"), "{all}");
        assert!(all.contains("/12 "), "no progress bar drawn: {all:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The move of the seeded store at `db` (a path or a URL), with `open` opening it for checks.
fn migrate_database_flow(db: &str, open: &dyn Fn() -> motcua_store::Store) {
    let at = "2025-07-01T08:00:00+07:00";
    let base = ["migrate", "--database", db, HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION, "--at", at];
    let args = |extra: &[&'static str]| base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>();
    let versions = |store: &mut motcua_store::Store| {
        ["HKD-N1", "HKD-R1", "HKD-R2", "HKD-R3", "HKD-S1", "HKD-S2"]
            .map(|id| store.dossier(id).unwrap().procedure_version().to_owned())
    };

    // The dry run: previewed from the store against the file (2025.1 is not registered yet),
    // nothing written; two signed dossiers stay pinned (exit 1).
    let r = motcua(&args(&["--dry-run", "--format", "json"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["dry_run"].as_bool(), v["new_version"].as_str()), (Some(true), Some("not_registered")));
    assert_eq!((v["running"].as_u64(), v["moved"].as_u64()), (Some(6), Some(0)));
    let pinned: Vec<&str> = v["pinned"].as_array().unwrap().iter().map(|p| p["dossier"].as_str().unwrap()).collect();
    assert_eq!(pinned, ["HKD-S1", "HKD-S2"]);
    assert_eq!(v["pinned"][0]["code"], "not_migratable");
    let review = v["dossiers"].as_array().unwrap().iter().find(|d| d["dossier"] == "HKD-R1").unwrap();
    assert_eq!((&review["steps"][0]["from"], &review["steps"][0]["to"]), (&json!("review"), &json!("review")));
    assert_eq!(review["appointment_before"], review["appointment_after"]);
    let mut store = open();
    assert_eq!(versions(&mut store), ["2021.1"; 6]);
    assert_eq!(store.procedure_versions("1.001612").unwrap().len(), 1, "a dry run registers nothing");
    drop(store);

    // The real move, two dossiers a batch: 2025.1 registered, four moved, two pinned (exit 1).
    let r = motcua(&args(&["--batch", "2", "--user", "admin-hn", "--lang", "en"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stderr, "", "no progress bar into a pipe");
    snapshot("migrate-database.en.txt", &r.stdout);
    let mut store = open();
    assert_eq!(versions(&mut store), ["2025.1", "2025.1", "2025.1", "2025.1", "2021.1", "2021.1"]);
    for id in ["HKD-N1", "HKD-R1", "HKD-S1"] {
        store.verify(id).unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let history = store.events("HKD-R1").unwrap();
    let last = history.last().unwrap();
    assert!(matches!(last.kind, motcua::EventKind::Migrated { .. }), "{last:?}");
    assert_eq!((last.actor.role.as_str(), last.actor.user.as_deref()), ("procedure_admin", Some("admin-hn")));
    let moved = store.dossier("HKD-R1").unwrap();
    assert_eq!(moved.active_step_ids().collect::<Vec<_>>(), ["review"]);
    drop(store);

    // Again: nothing left to move, the pinned ones listed again with the reason.
    let r = motcua(&args(&["--format", "json"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (v["new_version"].as_str(), v["running"].as_u64(), v["moved"].as_u64()),
        (Some("already_registered"), Some(2), Some(0))
    );
    assert_eq!(v["pinned"].as_array().unwrap().len(), 2);
    assert!(v["pinned"][0]["message"]["en"].as_str().unwrap().contains("already signed"), "{v}");
    let mut store = open();
    assert_eq!(store.events("HKD-R1").unwrap().len(), history.len(), "nothing moves twice");
    drop(store);
}

/// `--dossier ID` moves only the dossiers named, each on its own: a pinned one is listed with
/// its reason, the others stay where they are; `--dossier` needs `--database`.
#[test]
fn migrate_database_moves_only_the_dossiers_named() {
    let dir = std::env::temp_dir().join(format!("motcua-migrate-one-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = store_with_2021_dossiers(&dir, 0);
    let db = path.to_str().unwrap();
    let at = "2025-07-01T08:00:00+07:00";
    let base = ["migrate", "--database", db, HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION, "--at", at];
    let args = |extra: &[&'static str]| base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>();
    let version = |id: &str| {
        motcua_store::Store::open_sqlite(&path, store_library())
            .unwrap()
            .dossier(id)
            .unwrap()
            .procedure_version()
            .to_owned()
    };

    // A dry run of one dossier writes nothing.
    let r = motcua(&args(&["--dossier", "HKD-R1", "--dry-run", "--format", "json"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["running"].as_u64(), v["moved"].as_u64(), v["dry_run"].as_bool()), (Some(1), Some(0), Some(true)));
    assert_eq!(version("HKD-R1"), "2021.1");

    // One under review and one signed: the first moves, the second is pinned (exit 1), and a
    // dossier not named stays on the old version.
    let r = motcua(&args(&["--dossier", "HKD-R1", "--dossier", "HKD-S1", "--format", "json"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["running"].as_u64(), v["moved"].as_u64()), (Some(2), Some(1)));
    assert_eq!(v["pinned"][0]["dossier"], "HKD-S1");
    assert_eq!(v["pinned"][0]["code"], "not_migratable");
    assert_eq!([version("HKD-R1"), version("HKD-S1"), version("HKD-R2")], ["2025.1", "2021.1", "2021.1"]);
    motcua_store::Store::open_sqlite(&path, store_library()).unwrap().verify("HKD-R1").unwrap();

    // Named again, the moved one is on the new version already: listed with the reason, not moved twice.
    let r = motcua(&args(&["--dossier", "HKD-R1", "--format", "json"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["moved"].as_u64(), v["pinned"][0]["code"].as_str()), (Some(0), Some("wrong_procedure")));

    // No such dossier: could not run; `--dossier` without a store: a usage error.
    let r = motcua(&args(&["--dossier", "HKD-NONE"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not_found"), "{}", r.stderr);
    let r = motcua(&[
        "migrate",
        "--dry-run",
        HOUSEHOLD_OLD,
        HOUSEHOLD_NEW,
        HOUSEHOLD_MIGRATION,
        UNDER_REVIEW,
        "--dossier",
        "HKD-R1",
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("--dossier"), "{}", r.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn migrate_database_moves_the_running_dossiers_of_a_store() {
    let dir = std::env::temp_dir().join(format!("motcua-migrate-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = store_with_2021_dossiers(&dir, 0);
    let db = path.to_str().unwrap();
    migrate_database_flow(db, &|| motcua_store::Store::open_sqlite(&path, store_library()).unwrap());

    // Could not run (exit 2): no such file, a store without the old version, dossier files
    // with a store, `--batch` without one.
    let missing = dir.join("missing.db");
    let r = motcua(&[
        "migrate",
        "--database",
        missing.to_str().unwrap(),
        HOUSEHOLD_OLD,
        HOUSEHOLD_NEW,
        HOUSEHOLD_MIGRATION,
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("io_error"), "{}", r.stderr);
    assert!(!missing.exists(), "no store created");
    let empty = dir.join("empty.db");
    drop(
        motcua_store::Store::open_sqlite(&empty, {
            let read = |f: &str| std::fs::read_to_string(repo().join(f)).unwrap();
            motcua::Library::new(motcua::Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "v.yaml").unwrap())
        })
        .unwrap(),
    );
    let r = motcua(&[
        "migrate",
        "--database",
        empty.to_str().unwrap(),
        HOUSEHOLD_OLD,
        HOUSEHOLD_NEW,
        HOUSEHOLD_MIGRATION,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["error"]["code"], "version_not_registered");
    let r = motcua(&["migrate", "--database", db, HOUSEHOLD_OLD, HOUSEHOLD_NEW, HOUSEHOLD_MIGRATION, UNDER_REVIEW]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("usage_error"), "{}", r.stderr);
    let r = motcua(&[
        "migrate",
        "--dry-run",
        HOUSEHOLD_OLD,
        HOUSEHOLD_NEW,
        HOUSEHOLD_MIGRATION,
        UNDER_REVIEW,
        "--batch",
        "2",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--database"), "{}", r.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn diff_exit_codes_and_errors() {
    // The same version: nothing changed, exit 0.
    let r = motcua(&["diff", HOUSEHOLD_NEW, HOUSEHOLD_NEW, "--lang", "en"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.ends_with("No changes.\n"), "{}", r.stdout);
    // Only non-breaking changes (a shorter budget): exit 0, the change listed.
    let dir = std::env::temp_dir().join(format!("motcua-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shorter = dir.join("shorter.yaml");
    let text = std::fs::read_to_string(repo().join(HOUSEHOLD_NEW)).unwrap();
    std::fs::write(&shorter, text.replacen("    budget: 1.5d\n", "    budget: 1d\n", 1)).unwrap();
    let specs = repo().join("specs");
    let (specs, shorter) = (specs.to_str().unwrap(), shorter.to_str().unwrap());
    let r = motcua(&["diff", HOUSEHOLD_NEW, shorter, "--specs", specs, "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 1);
    assert_eq!(
        (&v["changes"][0]["kind"], &v["changes"][0]["breaking"]),
        (&json!("step_budget_changed"), &json!(false))
    );
    // A spec that does not load: exit 2, coded, JSON when JSON is asked.
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, text.replace("to: review", "to: revieww")).unwrap();
    let r = motcua(&["diff", HOUSEHOLD_NEW, broken.to_str().unwrap(), "--specs", specs, "--format", "json"]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["error"]["code"], "spec_does_not_load");
    assert!(v["error"]["message"]["en"].as_str().unwrap().contains("unknown_step"), "{v}");
    // Usage errors: exit 2.
    let r = motcua(&["diff", HOUSEHOLD_NEW, "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error[usage_error]: missing argument"), "{}", r.stderr);
    let r = motcua(&["diff", HOUSEHOLD_NEW, "nowhere.yaml", "--format", "json"]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["error"]["code"], "io_error");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn lint_compiles_a_migration_against_its_two_versions() {
    let r = motcua(&["lint", "specs/migrations", "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["kind"], "migration");
    // A copy in a folder of its own, with the procedures beside it, one target misspelt.
    let dir = std::env::temp_dir().join(format!("motcua-migration-{}", std::process::id()));
    let (migrations, procedures) = (dir.join("migrations"), dir.join("procedures"));
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::create_dir_all(procedures.join("superseded")).unwrap();
    std::fs::copy(repo().join(HOUSEHOLD_NEW), procedures.join("new.yaml")).unwrap();
    std::fs::copy(repo().join(HOUSEHOLD_OLD), procedures.join("superseded/old.yaml")).unwrap();
    let text = std::fs::read_to_string(repo().join("specs/migrations/1.001612-2021.1-to-2025.1.yaml")).unwrap();
    let bad = migrations.join("bad.yaml");
    std::fs::write(&bad, text.replace("review: {to: review}", "review: {to: reviewx}")).unwrap();
    let specs = repo().join("specs");
    let r = motcua(&["lint", bad.to_str().unwrap(), "--specs", specs.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    let line = text.lines().position(|l| l.contains("review: {to: review}")).unwrap() + 1;
    assert_eq!((&d["code"], &d["path"], &d["line"]), (&json!("unknown_step"), &json!("steps.review.to"), &json!(line)));
    // Without the old version beside it: `wrong_procedure` at `from`.
    std::fs::remove_file(procedures.join("superseded/old.yaml")).unwrap();
    std::fs::write(&bad, &text).unwrap();
    let r = motcua(&["lint", bad.to_str().unwrap(), "--specs", specs.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (&v["diagnostics"][0]["code"], &v["diagnostics"][0]["path"]),
        (&json!("wrong_procedure"), &json!("from"))
    );
    std::fs::remove_dir_all(&dir).ok();
}

// ---- the command line itself: help, errors, completions, man page ----

const COMMANDS: [&str; 17] = [
    "serve",
    "lint",
    "simulate",
    "diff",
    "migrate",
    "graph",
    "check-form",
    "schema",
    "json",
    "new",
    "explain",
    "deadline",
    "calendar",
    "calendar diff",
    "calendar days",
    "completions",
    "man",
];

#[test]
fn serve_help_is_vietnamese_by_default_and_english_with_lang_en() {
    let vi = motcua(&["serve", "--help"]);
    assert_eq!(vi.code, 0, "{}", vi.stderr);
    for words in ["địa chỉ lắng nghe", "--listen <ĐỊA_CHỈ>", "[mặc định: 4]", "[biến môi trường: MOTCUA_SPECS=]"]
    {
        assert!(vi.stdout.contains(words), "`{words}` not in:\n{}", vi.stdout);
    }
    // No option keeps the old "English / Tiếng Việt" pair, nor an English word clap writes.
    for english in ["address to listen on", "[default:", "[env:", " / "] {
        assert!(!vi.stdout.contains(english), "`{english}` in the Vietnamese help:\n{}", vi.stdout);
    }
    let en = motcua(&["serve", "--help", "--lang", "en"]);
    assert_eq!(en.code, 0, "{}", en.stderr);
    for words in ["address to listen on", "--listen <ADDRESS>", "[default: 4]", "Usage: motcua serve"] {
        assert!(en.stdout.contains(words), "`{words}` not in:\n{}", en.stdout);
    }
    for vietnamese in ["địa chỉ", "tệp", "mặc định", " / "] {
        assert!(!en.stdout.contains(vietnamese), "`{vietnamese}` in the English help:\n{}", en.stdout);
    }
    // Every option has its help in both languages, and they differ.
    let options = |text: &str| text.lines().filter(|l| l.trim_start().starts_with("--")).count();
    assert_eq!(options(&vi.stdout), options(&en.stdout));
    assert!(options(&vi.stdout) >= 18, "{}", vi.stdout);
    // The same switch before the command.
    assert_eq!(motcua(&["--lang", "en", "serve", "--help"]).stdout, en.stdout);
}

#[test]
fn help_of_every_command_in_vietnamese_and_english() {
    for command in COMMANDS {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let vi = motcua(&args);
        assert_eq!(vi.code, 0, "{command}: {}", vi.stderr);
        assert!(vi.stdout.contains(&format!("Cách dùng: motcua {command}")), "{command}:\n{}", vi.stdout);
        assert!(vi.stdout.contains("Tùy chọn:") && vi.stdout.contains("in trợ giúp này"), "{command}:\n{}", vi.stdout);
        for english in ["Usage:", "Options:", "Arguments:", "[OPTIONS]", "Print help"] {
            assert!(!vi.stdout.contains(english), "{command}: `{english}` in the Vietnamese help:\n{}", vi.stdout);
        }
        args.extend(["--lang", "en"]);
        let en = motcua(&args);
        assert_eq!(en.code, 0, "{command}: {}", en.stderr);
        assert!(en.stdout.contains(&format!("Usage: motcua {command}")), "{command}:\n{}", en.stdout);
        assert!(en.stdout.contains("Options:") && en.stdout.contains("print this help"), "{command}:\n{}", en.stdout);
        assert_ne!(vi.stdout, en.stdout, "{command}");
    }
    snapshot("help.vi.txt", &motcua(&["--help"]).stdout);
    // `help COMMAND` is the command's own help.
    assert_eq!(motcua(&["help", "calendar", "diff"]).stdout, motcua(&["calendar", "diff", "--help"]).stdout);
    let r = motcua(&["--version"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, concat!("motcua ", env!("CARGO_PKG_VERSION"), "\n")));
}

#[test]
fn unknown_command_is_a_usage_error_even_with_help() {
    let r = motcua(&["frobnicate", "--help"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("lỗi[usage_error]: lệnh không tồn tại: `frobnicate`"), "{}", r.stderr);
    let r = motcua(&["simulat", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error[usage_error]: unknown command `simulat`; did you mean `simulate`?"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\nUsage: motcua [OPTIONS] <COMMAND>\n"), "{}", r.stderr);
    let r = motcua(&["calendar", "merge", "a", "b"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Xem thêm: `motcua calendar --help`"), "{}", r.stderr);
    // No command at all: the help, and exit 2.
    let r = motcua(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("Cách dùng: motcua [TÙY_CHỌN] <LỆNH>"), "{}", r.stdout);
    assert!(r.stderr.starts_with("lỗi[usage_error]: thiếu lệnh"), "{}", r.stderr);
}

#[test]
fn argument_errors_suggest_and_are_json_when_asked() {
    let r = motcua(&["simulate", BIRTH, "--widht", "80", "--format", "json", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("a JSON error");
    assert_eq!(v["error"]["code"], "usage_error");
    assert_eq!(v["error"]["message"]["en"], "unknown option `--widht`; did you mean `--width`?");
    assert_eq!(v["error"]["message"]["vi"], "tùy chọn không hợp lệ: `--widht`; có phải `--width`?");
    assert!(v["error"]["usage"].as_str().is_some_and(|u| u.starts_with("motcua simulate")), "{v}");
    for (args, vi) in [
        (&["schema", "dossiers"][..], "giá trị `dossiers` không hợp lệ cho `<TÊN>`: chọn procedure, catalogue"),
        (
            &["lint", "specs", "--format", "json", "--format", "text"][..],
            "tùy chọn `--format <text|json>` được nêu hai lần",
        ),
        (&["simulate", BIRTH, "--wide", "--width", "80"][..], "không dùng `--wide` cùng với `--width <SỐ_CỘT>`"),
        (&["deadline", "--calendar", "vn-gov"][..], "thiếu tham số: --from <THỜI_ĐIỂM>, --add <THỜI_HẠN>"),
        (&["lint", "--lang", "fr", "specs"][..], "giá trị `fr` không hợp lệ cho `--lang <vi|en>`: chọn vi hoặc en"),
    ] {
        let r = motcua(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.starts_with(&format!("lỗi[usage_error]: {vi}")), "{args:?}: {}", r.stderr);
    }
    let r = motcua(&["schema", "dossiers"]);
    assert!(r.stderr.contains("có phải `dossier`?"), "{}", r.stderr);
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = motcua(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for word in ["simulate", "check-form", "scenario", "wide", "mermaid"] {
            assert!(r.stdout.contains(word), "{shell}: no `{word}` in the completions");
        }
        if shell != "bash" {
            // Shells that show descriptions show ours, in the language asked for.
            assert!(r.stdout.contains("tệp kịch bản"), "{shell}");
            assert!(motcua(&["completions", shell, "--lang", "en"]).stdout.contains("the scenario file"), "{shell}");
        }
    }
    // The bash script is valid bash, and completes the commands after `motcua `.
    let script = motcua(&["completions", "bash"]).stdout;
    let file = std::env::temp_dir().join(format!("motcua-completion-{}.bash", std::process::id()));
    std::fs::write(&file, &script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(motcua si); COMP_CWORD=1; _motcua motcua si motcua; echo \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let out = Command::new("bash").args(["-c", &probe]).output();
    let _ = std::fs::remove_file(&file);
    if let Ok(out) = out {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "simulate");
    }
    assert_eq!(motcua(&["completions", "tcsh"]).code, 2);
}

#[test]
fn man_pages_in_vietnamese_and_english() {
    let r = motcua(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH motcua 1"), "{}", r.stdout);
    for section in [".SH \"TÊN\"", ".SH \"CÚ PHÁP\"", ".SH \"TÙY CHỌN\"", ".SH \"LỆNH\""] {
        assert!(r.stdout.contains(section), "no {section}:\n{}", r.stdout);
    }
    assert!(r.stdout.contains("bộ công cụ soạn thảo thủ tục hành chính"));
    let en = motcua(&["man", "--lang", "en"]).stdout;
    assert!(en.contains(".SH \"NAME\"") && en.contains("authoring toolkit for administrative procedures"), "{en}");

    // `-o DIR`: one page per command, each naming its own options.
    let dir = std::env::temp_dir().join(format!("motcua-man-{}", std::process::id()));
    let r = motcua(&["man", "-o", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(page("motcua.1").contains("motcua\\-simulate(1)"));
    assert!(page("motcua-simulate.1").contains("\\-\\-scenario"));
    assert!(page("motcua-calendar-diff.1").contains("CŨ.yaml"));
    let pages = std::fs::read_dir(&dir).unwrap().count();
    // groff, where installed, reads every page without a warning.
    let groff =
        Command::new("groff").args(["-k", "-man", "-Tutf8", "-ww", "-z"]).arg(dir.join("motcua-simulate.1")).output();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(pages, COMMANDS.len() + 1, "motcua.1 and one page per command");
    if let Ok(out) = groff {
        assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

// ---- the timeline fits the terminal ----

fn widest_line(text: &str) -> usize {
    text.lines().map(unicode_width::UnicodeWidthStr::width).max().unwrap_or(0)
}

#[test]
fn simulate_fits_80_and_120_columns() {
    let full = motcua(&["simulate", BIRTH, "--wide"]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    assert!(widest_line(&full.stdout) > 200, "the full table is wide");
    // Not a terminal, no COLUMNS: the full table, as `--wide`.
    assert_eq!(motcua(&["simulate", BIRTH]).stdout, full.stdout);
    for width in [80, 120] {
        let w = width.to_string();
        for lang in ["vi", "en"] {
            let by_option = motcua(&["simulate", BIRTH, "--width", &w, "--lang", lang]);
            assert_eq!(by_option.code, 0, "{}", by_option.stderr);
            assert!(widest_line(&by_option.stdout) <= width, "{lang}, {width} columns:\n{}", by_option.stdout);
            let by_env = motcua_with(&["simulate", BIRTH, "--lang", lang], &[("COLUMNS", &w)]);
            assert_eq!(by_env.stdout, by_option.stdout, "COLUMNS={width} is --width {width}");
            // Folded, not cut: every step name and code is still there.
            for word in ["register_residence", "hand_over", "social_insurance", "2026-03-12"] {
                assert!(by_option.stdout.contains(word), "{lang}, {width}: `{word}` is missing");
            }
        }
    }
    let narrow = motcua(&["simulate", BIRTH, "--width", "80"]).stdout;
    assert!(narrow.contains("│ Người thực"), "the actor is folded under the command:\n{narrow}");
    snapshot("simulate-birth-120.en.txt", &motcua(&["simulate", BIRTH, "--width", "120", "--lang", "en"]).stdout);
    // JSON does not depend on the width.
    let json = motcua(&["simulate", BIRTH, "--format", "json"]).stdout;
    assert_eq!(motcua_with(&["simulate", BIRTH, "--format", "json"], &[("COLUMNS", "80")]).stdout, json);
}

#[test]
fn a_diagnostic_without_a_line_names_its_file() {
    // A catalogue that does not load: the procedure cannot be checked, and the diagnostic has
    // no line to show, only the file.
    let catalogue = format!("{FIXTURES}/business-form.json");
    let r = motcua(&["lint", BUSINESS, "--catalogue", &catalogue, "--calendars", "specs/calendars"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("error[catalogue_mismatch]: Không kiểm tra được thủ tục"), "{}", r.stdout);
    assert_eq!(lines[1], format!("--> {BUSINESS}"));
}

#[test]
fn graph_png_for_slides() {
    let file = std::env::temp_dir().join(format!("motcua-graph-{}.png", std::process::id()));
    let r = motcua(&["graph", BIRTH, "--format", "png", "-o", file.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let bytes = std::fs::read(&file).unwrap();
    let _ = std::fs::remove_file(&file);
    let png = resvg::tiny_skia::Pixmap::decode_png(&bytes).expect("a PNG");
    // The size of the SVG's picture, on a white background, with something drawn on it.
    let svg = motcua(&["graph", BIRTH, "--format", "svg"]).stdout;
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size().to_int_size();
    assert_eq!((png.width(), png.height()), (size.width(), size.height()));
    // Mostly light (white, and the pale tints of the lanes), with lines and text drawn on it.
    let light = png.pixels().iter().filter(|p| p.red() >= 230 && p.green() >= 230 && p.blue() >= 230).count();
    let dark = png.pixels().iter().filter(|p| p.red() < 128).count();
    assert!(light > png.pixels().len() / 2 && dark > 1000, "{light} light, {dark} dark");
}

// ---- new ----

/// A project folder with the shipped catalogue, calendars and units, and nothing else.
fn empty_project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("motcua-new-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["catalogue", "calendars", "units"] {
        let to = dir.join("specs").join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(repo().join("specs").join(sub)).unwrap() {
            let from = entry.unwrap().path();
            std::fs::copy(&from, to.join(from.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// `motcua new` writes a spec that lints clean and a scenario that passes, from flags or
/// from what the national database publishes, and never overwrites without `--force`.
#[test]
fn new_writes_a_starter_that_lints_clean_and_whose_scenario_passes() {
    let dir = empty_project("flags");
    let d = dir.to_str().unwrap();
    let r = motcua(&[
        "new",
        "trial",
        "--dir",
        d,
        "--code",
        "1.009999",
        "--name",
        "Đăng ký thử",
        "--deadline",
        "3 ngày làm việc",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let spec = dir.join("specs/procedures/trial.yaml");
    let scenario = dir.join("tests/scenarios/trial-happy.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.contains("legal_deadline: 3d") && text.contains("code: \"1.009999\""), "{text}");
    let (spec, scenario) = (spec.to_str().unwrap(), scenario.to_str().unwrap());
    let lint = motcua(&["lint", "--format", "json", spec, scenario]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    let v: serde_json::Value = serde_json::from_str(&lint.stdout).unwrap();
    assert_eq!((v["summary"]["errors"].as_u64(), v["summary"]["warnings"].as_u64()), (Some(0), Some(0)), "{v}");
    let run = motcua(&["simulate", spec, "--scenario", scenario, "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let last = v["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["command"].as_str(), last["status"].as_u64()), (Some("hand_over"), Some(10)));
    // The scenario is API calls: every official names the unit of the dossier.
    let parsed = motcua::scenario::Scenario::from_yaml(&std::fs::read_to_string(scenario).unwrap(), scenario).unwrap();
    assert!(parsed.commands.iter().all(|l| l.command.as_ref().unwrap().actor.unit.as_deref() == Some("00004")));
    // Again: refused, nothing touched; with --force: written.
    let again = motcua(&["new", "trial", "--dir", d, "--code", "1", "--name", "x", "--deadline", "1d", "--lang", "en"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("file_exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(spec).unwrap(), text);
    let forced = motcua(&["new", "trial", "--dir", d, "--code", "1", "--name", "x", "--deadline", "1d", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(std::fs::read_to_string(spec).unwrap().contains("legal_deadline: 1d"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn new_from_the_national_database_json_with_several_agencies() {
    let dir = empty_project("json");
    let d = dir.to_str().unwrap();
    let published = dir.join("published.json");
    std::fs::write(
        &published,
        r#"{"ma_thu_tuc": "2.000123", "ten_thu_tuc": "Cấp giấy phép thử", "thoi_han": "15 ngày làm việc",
            "thanh_phan_ho_so": ["Đơn đề nghị cấp giấy phép", {"name": "Bản sao Giấy chứng nhận", "copies": 1}],
            "phi_le_phi": "500.000 đồng", "can_cu_phap_ly": ["Nghị định 1/2025/NĐ-CP"]}"#,
    )
    .unwrap();
    let r = motcua(&[
        "new",
        "permit",
        "--dir",
        d,
        "--from",
        published.to_str().unwrap(),
        "--agency",
        "provincial_service_center",
        "--agency",
        "department_finance",
        "--agency",
        "department_home_affairs",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let spec = dir.join("specs/procedures/permit.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    for expected in [
        "code: \"2.000123\"",
        "legal_deadline: 15d",
        "500.000 đồng",
        "Nghị định 1/2025/NĐ-CP",
        "don_de_nghi_cap_giay_phep:",
        "ban_sao_giay_chung_nhan:",
        "review_department_finance:",
        "review_department_home_affairs:",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    let scenario = dir.join("tests/scenarios/permit-happy.yaml");
    let run =
        motcua(&["simulate", spec.to_str().unwrap(), "--scenario", scenario.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let effects: Vec<String> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["effects"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["type"] == "hand_off")
                .map(|f| f["to_agency"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(effects, ["department_finance", "department_home_affairs", "provincial_service_center"]);
    // Bad answers are usage errors with their codes, and write nothing.
    let r = motcua(&["new", "bad", "--dir", d, "--code", "1", "--name", "x", "--deadline", "ba ngày", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid_value"), "{}", r.stderr);
    let r = motcua(&[
        "new",
        "bad",
        "--dir",
        d,
        "--code",
        "1",
        "--name",
        "x",
        "--deadline",
        "1d",
        "--agency",
        "comune_committee",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown_agency"), "{}", r.stderr);
    let r = motcua(&["new", "bad", "--dir", d, "--name", "x", "--deadline", "1d", "--lang", "en"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--code"), "{}", r.stderr);
    assert!(!dir.join("specs/procedures/bad.yaml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
