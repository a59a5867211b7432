//! Pictures of a procedure: Mermaid and Graphviz DOT, with a swimlane per agency.
//!
//! - Steps are boxes labelled with their name, budget and national status code; outcomes
//!   are rounded terminal nodes.
//! - Each agency kind is a swimlane (a subgraph / cluster); the applicant has their own.
//! - Ordinary actions are plain arrows; horizontal hand-offs are thick arrows; vertical
//!   hand-offs are dotted arrows marked ↑ or ↓; parallel branches are labelled with ‖.
//!
//! ```
//! let catalogue = motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
//! let mut library = motcua::Library::new(catalogue);
//! library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
//! let procedure = motcua::Procedure::from_yaml(
//!     include_str!("../specs/procedures/birth-registration-residence-insurance.yaml"), "birth.yaml", &library)?;
//! let mermaid = motcua::diagram::mermaid(&procedure, "vi");
//! assert!(mermaid.starts_with("flowchart TD"));
//! assert!(mermaid.contains("subgraph commune_police"));
//! assert!(mermaid.contains("==>"), "horizontal hand-offs are thick arrows");
//! let dot = motcua::diagram::dot(&procedure, "en");
//! assert!(dot.starts_with("digraph"));
//! # Ok::<(), motcua::LoadError>(())
//! ```

use std::fmt::Write as _;

use crate::compile::{Direction, Procedure, Target};
use crate::spec::procedure::Clock;

/// Escapes a label for Mermaid (inside `"…"`).
fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Escapes a label for DOT (inside `"…"`).
fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A step's label lines: name, budget, status.
fn step_label(procedure: &Procedure, i: usize, lang: &str) -> (String, String) {
    let step = &procedure.steps()[i];
    let budget = if step.clock == Clock::Suspended {
        if lang == "vi" { "tạm dừng tính giờ".to_owned() } else { "clock suspended".to_owned() }
    } else {
        step.budget.to_string()
    };
    (step.name.get(lang).to_owned(), format!("{budget} · {} {}", step.status.code(), step.status.label().get(lang)))
}

/// The lanes in first-use order: `Some(agency)` for agencies, `None` for the applicant.
fn lanes(procedure: &Procedure) -> Vec<Option<&str>> {
    let mut lanes: Vec<Option<&str>> = Vec::new();
    for step in procedure.steps() {
        let lane = step.agency.as_deref();
        if !lanes.contains(&lane) {
            lanes.push(lane);
        }
    }
    lanes
}

/// Edges as (from step, target, action label, style).
fn edges(procedure: &Procedure, lang: &str) -> Vec<(usize, Target, String, Option<Direction>, bool)> {
    let mut out = Vec::new();
    for (i, step) in procedure.steps().iter().enumerate() {
        for action in &step.actions {
            let fork = action.targets.len() > 1;
            for target in &action.targets {
                let direction = match target {
                    Target::Step(t) => action.handoffs.iter().find(|(s, _)| s == t).map(|(_, h)| h.direction),
                    Target::Outcome(_) => None,
                };
                let mut label = action.name.get(lang).to_owned();
                if let Some(after) = action.after {
                    label = format!("⏱ {after}: {label}");
                }
                out.push((i, *target, label, direction, fork));
            }
        }
    }
    out
}

fn node_id(procedure: &Procedure, target: Target) -> String {
    match target {
        Target::Step(s) => format!("s_{}", procedure.step(s).id),
        Target::Outcome(o) => format!("o_{}", procedure.outcome(o).id),
    }
}

/// A Mermaid flowchart of the procedure, labels in `lang` (`"vi"` or `"en"`).
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let chart = motcua::diagram::mermaid(&procedure, "en");
/// assert!(chart.starts_with("flowchart TD\n"));
/// assert!(chart.contains("  subgraph department_finance[\"Provincial Department of Finance\"]"));
/// assert!(chart.contains("  o_issued([\"Certificate issued<br/><small>10</small>\"])"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn mermaid(procedure: &Procedure, lang: &str) -> String {
    let mut out = String::from("flowchart TD\n");
    let applicant = if lang == "vi" { "Người nộp hồ sơ" } else { "Applicant" };
    for lane in lanes(procedure) {
        let (id, title) = match lane {
            Some(agency) => (
                agency.to_owned(),
                procedure.agency_name(agency).map_or_else(|| agency.to_owned(), |name| name.get(lang).to_owned()),
            ),
            None => ("applicant".to_owned(), applicant.to_owned()),
        };
        let _ = writeln!(out, "  subgraph {id}[\"{}\"]", mermaid_text(&title));
        for (i, step) in procedure.steps().iter().enumerate() {
            if step.agency.as_deref() == lane {
                let (name, detail) = step_label(procedure, i, lang);
                let _ = writeln!(
                    out,
                    "    s_{}[\"{}<br/><small>{}</small>\"]",
                    step.id,
                    mermaid_text(&name),
                    mermaid_text(&detail)
                );
            }
        }
        out.push_str("  end\n");
    }
    for outcome in procedure.outcomes() {
        let status = outcome.kind.national_status();
        let _ = writeln!(
            out,
            "  o_{}([\"{}<br/><small>{}</small>\"])",
            outcome.id,
            mermaid_text(outcome.name.get(lang)),
            status.code()
        );
    }
    for (from, target, label, direction, fork) in edges(procedure, lang) {
        let (arrow, mark) = match direction {
            Some(Direction::Horizontal) => ("==>", ""),
            Some(Direction::Upward) => ("-.->", " ↑"),
            Some(Direction::Downward) => ("-.->", " ↓"),
            None => ("-->", ""),
        };
        let fork = if fork { "‖ " } else { "" };
        let _ = writeln!(
            out,
            "  s_{} {arrow}|\"{fork}{}{mark}\"| {}",
            procedure.steps()[from].id,
            mermaid_text(&label),
            node_id(procedure, target)
        );
    }
    out
}

/// A Graphviz DOT digraph of the procedure, labels in `lang` (`"vi"` or `"en"`).
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let graph = motcua::diagram::dot(&procedure, "vi");
/// assert!(graph.starts_with("digraph procedure {\n"));
/// assert!(graph.contains("  subgraph cluster_department_finance {\n    label=\"Sở Tài chính\";"));
/// assert!(graph.contains("  o_refused [shape=doubleoctagon, label=\"Từ chối cấp\\n"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn dot(procedure: &Procedure, lang: &str) -> String {
    let mut out = String::from(
        "digraph procedure {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n",
    );
    let applicant = if lang == "vi" { "Người nộp hồ sơ" } else { "Applicant" };
    for lane in lanes(procedure) {
        let (id, title) = match lane {
            Some(agency) => (
                agency.to_owned(),
                procedure.agency_name(agency).map_or_else(|| agency.to_owned(), |name| name.get(lang).to_owned()),
            ),
            None => ("applicant".to_owned(), applicant.to_owned()),
        };
        let _ = writeln!(out, "  subgraph cluster_{id} {{\n    label=\"{}\";\n    style=dashed;", dot_text(&title));
        for (i, step) in procedure.steps().iter().enumerate() {
            if step.agency.as_deref() == lane {
                let (name, detail) = step_label(procedure, i, lang);
                let _ = writeln!(out, "    s_{} [label=\"{}\\n{}\"];", step.id, dot_text(&name), dot_text(&detail));
            }
        }
        out.push_str("  }\n");
    }
    for outcome in procedure.outcomes() {
        let _ = writeln!(
            out,
            "  o_{} [shape=doubleoctagon, label=\"{}\\n{}\"];",
            outcome.id,
            dot_text(outcome.name.get(lang)),
            outcome.kind.national_status().code()
        );
    }
    for (from, target, label, direction, fork) in edges(procedure, lang) {
        let (style, suffix) = match direction {
            Some(Direction::Horizontal) => (", penwidth=3", ""),
            Some(Direction::Upward) => (", style=dashed", " ↑"),
            Some(Direction::Downward) => (", style=dashed", " ↓"),
            None => ("", ""),
        };
        let fork = if fork { "‖ " } else { "" };
        let _ = writeln!(
            out,
            "  s_{} -> {} [label=\"{fork}{}{suffix}\"{style}];",
            procedure.steps()[from].id,
            node_id(procedure, target),
            dot_text(&label)
        );
    }
    out.push_str("}\n");
    out
}
