//! `graph --format svg`: a procedure drawn with one swimlane per agency, laid out here.
//!
//! No maintained Rust layout crate draws lanes (bands that share one axis): `layout-rs` has
//! no clusters, `rust-sugiyama` neither, and the dagre ports place compound clusters as free
//! boxes, in floating point. A procedure is small (a few agencies, a dozen steps), so the
//! layout is a constrained layered one, written for this picture:
//!
//! - **Lanes** are columns, one per agency and one for the applicant, in first-use order
//!   (the order of the Mermaid and DOT subgraphs), titled in the chosen language.
//! - **Ranks** are rows. Loops (a supplement request that comes back, a send-back) are broken
//!   by a depth-first search from the start step that follows actions and targets in the
//!   order written: an edge to a step still on the search's stack is a *back edge*. A step's
//!   rank is the longest path to it from the start over the other edges, so every forward
//!   arrow points down. An outcome sits one row below its last predecessor, in the lane of
//!   the first step that leads to it.
//! - Nodes sharing a lane and a rank (the branches of a fork, say) stand side by side, ordered
//!   by where their predecessors are, then by discovery order.
//! - **Edges** are orthogonal and never cross a box: each leaves its source at the bottom,
//!   runs along its own track in the gutter below the source's row (where its label sits, so
//!   two labels never overlap), and, when it skips rows or goes back up, along its own track
//!   in a channel at the left of the target's lane and a track in the gutter above the target.
//! - Text is measured by characters (combining marks count for nothing, so NFD Vietnamese
//!   measures as NFC does) and wrapped by words; boxes are sized from that measure.
//! - Every coordinate is an integer and every collection is a `Vec` walked in order: the bytes
//!   are the same on every run and every machine.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use motcua::spec::procedure::Clock;
use motcua::{Direction, Next, OutcomeKind, Procedure};

const MARGIN: i64 = 20;
/// Node text: font size and the advance allowed per character (DejaVu Sans is ≈ 0.6 em).
const FONT: i64 = 12;
const CHAR_W: i64 = 7;
const LINE: i64 = 15;
/// Detail lines and edge labels.
const SMALL: i64 = 10;
const SMALL_W: i64 = 6;
const SMALL_LINE: i64 = 13;
/// Lane titles (bold).
const BOLD_W: i64 = 8;
const PAD: i64 = 8;
const NAME_CHARS: usize = 28;
const DETAIL_CHARS: usize = 32;
const MIN_NODE: i64 = 110;
const NODE_GAP: i64 = 24;
const LANE_PAD: i64 = 16;
const MIN_LANE: i64 = 170;
const TRACK_X: i64 = 10;
const TRACK_Y: i64 = 18;
const GUTTER_PAD: i64 = 8;
const FONTS: &str = "DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica, sans-serif";

/// What kind of arrow an edge is, as the legend explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Within one agency, or to and from the applicant.
    Action,
    /// A hand-off between agencies of the same level (*liên thông ngang*).
    Horizontal,
    /// A hand-off to a higher level (*liên thông dọc*).
    Upward,
    /// A hand-off to a lower level.
    Downward,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Action => "action",
            Kind::Horizontal => "handoff-horizontal",
            Kind::Upward => "handoff-upward",
            Kind::Downward => "handoff-downward",
        }
    }

    /// Stroke colour, width and dash pattern (dotted for a back edge, whatever the kind).
    fn stroke(self, back: bool) -> (&'static str, &'static str, Option<&'static str>) {
        let (colour, width, dash) = match self {
            Kind::Action => ("#555555", "1.5", None),
            Kind::Horizontal => ("#1f5fa8", "3", None),
            Kind::Upward | Kind::Downward => ("#c0580f", "2", Some("8 4")),
        };
        (colour, width, if back { Some("2 3") } else { dash })
    }
}

struct Edge {
    from: usize,
    to: usize,
    label: String,
    kind: Kind,
    back: bool,
}

struct Node {
    id: String,
    /// Main lines (at `FONT`), then detail lines (at `SMALL`).
    lines: Vec<String>,
    details: Vec<String>,
    outcome: Option<OutcomeKind>,
    suspended: bool,
    lane: usize,
    rank: usize,
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

/// The width of a text in characters: combining marks (the tone and vowel marks of NFD
/// Vietnamese) take no room of their own.
fn width(text: &str) -> usize {
    text.chars().filter(|c| !is_combining(*c)).count()
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn px(chars: usize, advance: i64) -> i64 {
    i64::try_from(chars).unwrap_or(i64::MAX / 4).saturating_mul(advance)
}

/// Greedy word wrap to `max` characters; a longer word is cut (never inside a letter and its
/// marks).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(4);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        while width(&word) > max {
            let mut head = String::new();
            let mut rest = word.chars().peekable();
            let mut n = 0;
            while let Some(&c) = rest.peek() {
                if !is_combining(c) {
                    if n == max {
                        break;
                    }
                    n += 1;
                }
                head.push(c);
                rest.next();
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(head);
            word = rest.collect();
        }
        if word.is_empty() {
            continue;
        }
        if current.is_empty() {
            current = word;
        } else if width(&current) + 1 + width(&word) <= max {
            current.push(' ');
            current.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut current, word));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Text escaped for XML content and attribute values; characters XML 1.0 forbids become U+FFFD.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn tr<'a>(lang: &str, vi: &'a str, en: &'a str) -> &'a str {
    if lang == "vi" { vi } else { en }
}

/// The procedure as an SVG picture with a swimlane per agency, text in `lang` (`vi`, `en`).
pub fn svg(procedure: &Procedure, lang: &str) -> String {
    let steps = procedure.steps();
    let n = steps.len();
    let step_ix: BTreeMap<&str, usize> = steps.iter().enumerate().map(|(i, s)| (s.id(), i)).collect();
    let outcome_ix: BTreeMap<&str, usize> =
        procedure.outcomes().iter().enumerate().map(|(i, o)| (o.id(), n + i)).collect();

    // Lanes in first-use order; `None` is the applicant.
    let mut lanes: Vec<Option<&str>> = Vec::new();
    for step in steps {
        if !lanes.contains(&step.agency()) {
            lanes.push(step.agency());
        }
    }

    // Nodes: the steps, then the outcomes.
    let mut nodes: Vec<Node> = Vec::new();
    for step in steps {
        let budget = if step.clock() == Clock::Suspended {
            tr(lang, "tạm dừng tính giờ", "clock suspended").to_owned()
        } else {
            step.budget().to_string()
        };
        let status = step.status();
        let detail = format!("{budget} · {} {}", status.code(), status.label().get(lang));
        nodes.push(Node {
            id: step.id().to_owned(),
            lines: wrap(step.name().get(lang), NAME_CHARS),
            details: wrap(&detail, DETAIL_CHARS),
            outcome: None,
            suspended: step.clock() == Clock::Suspended,
            lane: lanes.iter().position(|l| *l == step.agency()).unwrap_or(0),
            rank: 0,
            x: 0,
            y: 0,
            w: 0,
            h: 0,
        });
    }
    for outcome in procedure.outcomes() {
        let status = outcome.kind().national_status();
        nodes.push(Node {
            id: outcome.id().to_owned(),
            lines: wrap(outcome.name().get(lang), NAME_CHARS),
            details: wrap(&format!("{} {}", status.code(), status.label().get(lang)), DETAIL_CHARS),
            outcome: Some(outcome.kind()),
            suspended: false,
            lane: usize::MAX,
            rank: 0,
            x: 0,
            y: 0,
            w: 0,
            h: 0,
        });
    }

    // Edges, in the order written: step by step, action by action, target by target.
    let mut edges: Vec<Edge> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        for action in step.actions() {
            for next in procedure.targets(action) {
                let (to, kind) = match next {
                    Next::Step(target) => {
                        let kind =
                            action.handoffs().find(|r| r.to_step == target.id()).map_or(Kind::Action, |r| {
                                match r.direction {
                                    Direction::Horizontal => Kind::Horizontal,
                                    Direction::Upward => Kind::Upward,
                                    Direction::Downward => Kind::Downward,
                                }
                            });
                        (step_ix.get(target.id()).copied(), kind)
                    }
                    Next::Outcome(outcome) => (outcome_ix.get(outcome.id()).copied(), Kind::Action),
                };
                let Some(to) = to else { continue };
                let mut label = action.name().get(lang).to_owned();
                if let Some(after) = action.after() {
                    // No ⏱: DejaVu Sans, the usual font on Linux, has no such glyph.
                    label = format!("{} {after}: {label}", tr(lang, "sau", "after"));
                }
                if action.is_fork() {
                    label = format!("‖ {label}");
                }
                match kind {
                    Kind::Upward => label.push_str(" ↑"),
                    Kind::Downward => label.push_str(" ↓"),
                    _ => {}
                }
                edges.push(Edge { from: i, to, label, kind, back: false });
            }
        }
    }
    let total = nodes.len();
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); total];
    for (e, edge) in edges.iter().enumerate() {
        out_edges[edge.from].push(e);
    }

    // Depth-first search from the start (then from any step it does not reach): back edges
    // and the discovery order.
    let mut state = vec![0u8; total];
    let mut discovered = vec![usize::MAX; total];
    let mut post: Vec<usize> = Vec::with_capacity(total);
    let mut next_discovery = 0;
    for root in 0..total {
        if state[root] != 0 || (root >= n && edges.iter().any(|e| e.to == root)) {
            continue;
        }
        state[root] = 1;
        discovered[root] = next_discovery;
        next_discovery += 1;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (v, k) = *top;
            if let Some(&e) = out_edges[v].get(k) {
                top.1 += 1;
                let w = edges[e].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        discovered[w] = next_discovery;
                        next_discovery += 1;
                        stack.push((w, 0));
                    }
                    1 => edges[e].back = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                post.push(v);
                stack.pop();
            }
        }
    }

    // Ranks: the longest path over forward edges, in topological (reverse post) order.
    for &v in post.iter().rev() {
        for &e in &out_edges[v] {
            if !edges[e].back {
                let to = edges[e].to;
                nodes[to].rank = nodes[to].rank.max(nodes[v].rank + 1);
            }
        }
    }
    let step_rows = nodes[..n].iter().map(|s| s.rank + 1).max().unwrap_or(1);
    for o in n..total {
        match edges.iter().find(|e| e.to == o) {
            Some(first) => nodes[o].lane = nodes[first.from].lane,
            None => {
                // An outcome no action leads to: below everything, in the first lane.
                nodes[o].lane = 0;
                nodes[o].rank = step_rows;
            }
        }
    }
    let rows = nodes.iter().map(|v| v.rank + 1).max().unwrap_or(1);

    // Sizes.
    for node in &mut nodes {
        let text = node.lines.iter().map(|l| px(width(l), CHAR_W)).max().unwrap_or(0);
        let detail = node.details.iter().map(|l| px(width(l), SMALL_W)).max().unwrap_or(0);
        let round = if node.outcome.is_some() { 2 * PAD } else { 0 };
        node.w = (text.max(detail) + 2 * PAD + round).max(MIN_NODE);
        node.h = px(node.lines.len(), LINE) + px(node.details.len(), SMALL_LINE) + 2 * PAD;
    }

    // Order within each (lane, rank) cell, row by row: by the mean position of the forward
    // predecessors (already placed), then by discovery order.
    let mut cells: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); rows]; lanes.len()];
    let mut slot = vec![0i64; total];
    for rank in 0..rows {
        let mut row: Vec<(usize, i64, usize, usize)> = Vec::new();
        for (v, node) in nodes.iter().enumerate().filter(|(_, node)| node.rank == rank) {
            let preds: Vec<i64> = edges
                .iter()
                .filter(|e| e.to == v && !e.back && nodes[e.from].rank < rank)
                .map(|e| slot[e.from])
                .collect();
            let key = if preds.is_empty() { 0 } else { preds.iter().sum::<i64>() * 16 / preds.len() as i64 };
            row.push((node.lane, key, discovered[v], v));
        }
        row.sort_unstable();
        for (lane, _, _, v) in row {
            if let Some(cell) = cells[lane].get_mut(rank) {
                slot[v] = i64::try_from(lane * 1024 + cell.len()).unwrap_or(0);
                cell.push(v);
            }
        }
    }

    // Which edges need a channel (they skip rows or go back up), and their tracks.
    let channel_edge: Vec<bool> = edges.iter().map(|e| e.back || nodes[e.to].rank != nodes[e.from].rank + 1).collect();
    let mut channel_tracks = vec![0i64; lanes.len()];
    let mut channel_track = vec![0i64; edges.len()];
    for (e, edge) in edges.iter().enumerate() {
        if channel_edge[e] {
            let lane = nodes[edge.to].lane;
            channel_track[e] = channel_tracks[lane];
            channel_tracks[lane] += 1;
        }
    }
    // Gutter g lies above row g (gutter `rows` below the last row). Each edge has a track in
    // the gutter below its source; a channel edge has a second one above its target.
    let mut gutter_tracks = vec![0i64; rows + 1];
    let mut label_track = vec![(0usize, 0i64); edges.len()];
    let mut entry_track = vec![(0usize, 0i64); edges.len()];
    for (e, edge) in edges.iter().enumerate() {
        let g = nodes[edge.from].rank + 1;
        label_track[e] = (g, gutter_tracks[g]);
        gutter_tracks[g] += 1;
        if channel_edge[e] {
            let g = nodes[edge.to].rank;
            entry_track[e] = (g, gutter_tracks[g]);
            gutter_tracks[g] += 1;
        }
    }

    // Lane widths and x positions.
    let widths: Vec<i64> = nodes.iter().map(|v| v.w).collect();
    let cell_width = |cell: &Vec<usize>| -> i64 {
        cell.iter().map(|&v| widths[v]).sum::<i64>() + NODE_GAP * (i64::try_from(cell.len()).unwrap_or(1) - 1).max(0)
    };
    let applicant = tr(lang, "Người nộp hồ sơ", "Applicant");
    let mut lane_x = Vec::with_capacity(lanes.len());
    let mut lane_w = Vec::with_capacity(lanes.len());
    let mut channel_w = Vec::with_capacity(lanes.len());
    let mut content_w = Vec::with_capacity(lanes.len());
    let mut x = MARGIN;
    for (l, _) in lanes.iter().enumerate() {
        let chan = if channel_tracks[l] > 0 { channel_tracks[l] * TRACK_X + 4 } else { 0 };
        let content = cells[l].iter().map(cell_width).max().unwrap_or(0).max(MIN_LANE - 2 * LANE_PAD - chan);
        lane_x.push(x);
        channel_w.push(chan);
        content_w.push(content);
        lane_w.push(content + chan + 2 * LANE_PAD);
        x += content + chan + 2 * LANE_PAD;
    }
    let lanes_right = x;
    let titles: Vec<Vec<String>> = lanes
        .iter()
        .enumerate()
        .map(|(l, lane)| {
            let title = match lane {
                Some(agency) => {
                    procedure.agency_name(agency).map_or_else(|| (*agency).to_owned(), |t| t.get(lang).to_owned())
                }
                None => applicant.to_owned(),
            };
            let chars = usize::try_from((lane_w[l] - 2 * PAD) / BOLD_W).unwrap_or(4);
            wrap(&title, chars)
        })
        .collect();
    let header_h = px(titles.iter().map(Vec::len).max().unwrap_or(1), LINE) + 2 * PAD;

    // The title block.
    let spec = procedure.spec();
    let title_chars = usize::try_from((lanes_right - MARGIN) / 9).unwrap_or(40).max(40);
    let title_lines = wrap(spec.name.get(lang), title_chars);
    let subtitle = format!(
        "{} · {} {} · {} {}",
        spec.code,
        tr(lang, "phiên bản", "version"),
        spec.version,
        tr(lang, "thời hạn giải quyết", "legal deadline"),
        spec.legal_deadline
    );
    let title_h = px(title_lines.len(), 19) + LINE + PAD;

    // Rows and gutters, top to bottom.
    let lanes_top = MARGIN + title_h + PAD;
    let mut y = lanes_top + header_h;
    let mut gutter_y = vec![0i64; rows + 1];
    let mut row_y = vec![0i64; rows];
    for g in 0..=rows {
        gutter_y[g] = y;
        y += 2 * GUTTER_PAD + gutter_tracks[g] * TRACK_Y;
        if g < rows {
            row_y[g] = y;
            y += nodes.iter().filter(|v| v.rank == g).map(|v| v.h).max().unwrap_or(0);
        }
    }
    let lanes_bottom = y;
    let track_y = |(g, k): (usize, i64)| gutter_y[g] + GUTTER_PAD + k * TRACK_Y + TRACK_Y - 2;

    // Node positions: each cell centred in its lane's content area.
    for (l, lane_cells) in cells.iter().enumerate() {
        for (rank, cell) in lane_cells.iter().enumerate() {
            let mut x = lane_x[l] + LANE_PAD + channel_w[l] + (content_w[l] - cell_width(cell)) / 2;
            for &v in cell {
                nodes[v].x = x;
                nodes[v].y = row_y[rank];
                x += nodes[v].w + NODE_GAP;
            }
        }
    }

    // Ports: outgoing edges spread along the bottom in the order written, incoming ones along
    // the top in the order of their sources' ports.
    let spread = |node: &Node, j: usize, count: usize| -> i64 {
        let (j, count) = (i64::try_from(j).unwrap_or(0), i64::try_from(count).unwrap_or(1));
        node.x + node.w * (j + 1) / (count + 1)
    };
    let mut out_port = vec![0i64; edges.len()];
    for list in &out_edges {
        for (j, &e) in list.iter().enumerate() {
            out_port[e] = spread(&nodes[edges[e].from], j, list.len());
        }
    }
    let mut in_port = vec![0i64; edges.len()];
    for (v, node) in nodes.iter().enumerate() {
        let mut incoming: Vec<(i64, usize)> =
            edges.iter().enumerate().filter(|(_, e)| e.to == v).map(|(e, _)| (out_port[e], e)).collect();
        incoming.sort_unstable();
        for (j, &(_, e)) in incoming.iter().enumerate() {
            in_port[e] = spread(node, j, incoming.len());
        }
    }

    // Edge geometry: the points of each polyline and where its label goes.
    struct Drawn {
        points: Vec<(i64, i64)>,
        label_x: i64,
        label_y: i64,
    }
    let mut drawn: Vec<Drawn> = Vec::with_capacity(edges.len());
    for (e, edge) in edges.iter().enumerate() {
        let (source, target) = (&nodes[edge.from], &nodes[edge.to]);
        let (sx, sy) = (out_port[e], source.y + source.h);
        let (tx, ty) = (in_port[e], target.y);
        let y1 = track_y(label_track[e]);
        let mut points = vec![(sx, sy), (sx, y1)];
        let turn = if channel_edge[e] {
            let lane = target.lane;
            let cx = lane_x[lane] + LANE_PAD + 4 + channel_track[e] * TRACK_X;
            let y2 = track_y(entry_track[e]);
            points.extend([(cx, y1), (cx, y2), (tx, y2)]);
            cx
        } else {
            points.push((tx, y1));
            tx
        };
        points.push((tx, ty));
        points.dedup();
        drawn.push(Drawn { points, label_x: sx.min(turn) + 4, label_y: y1 - 4 });
    }

    // The legend, under the lanes.
    let legend: Vec<(Option<(Kind, bool)>, &str)> = vec![
        (Some((Kind::Action, false)), tr(lang, "Thao tác", "Action")),
        (Some((Kind::Horizontal, false)), tr(lang, "Liên thông ngang (cùng cấp)", "Horizontal hand-off (same level)")),
        (
            Some((Kind::Upward, false)),
            tr(
                lang,
                "Liên thông dọc (↑ lên cấp trên, ↓ xuống cấp dưới)",
                "Vertical hand-off (↑ to a higher level, ↓ to a lower one)",
            ),
        ),
        (Some((Kind::Action, true)), tr(lang, "Quay lại bước trước (vòng lặp)", "Back to an earlier step (a loop)")),
        (
            None,
            tr(
                lang,
                "‖ nhánh song song · sau …: tự động khi hết thời gian đó · số: mã trạng thái quốc gia",
                "‖ parallel branches · after …: taken when that working time has run · numbers: national status codes",
            ),
        ),
    ];
    let legend_top = lanes_bottom + 2 * PAD;
    let legend_w = 48 + legend.iter().map(|(_, t)| px(width(t), SMALL_W + 1)).max().unwrap_or(0);
    let height = legend_top + px(legend.len(), TRACK_Y) + MARGIN;
    let labels_right =
        edges.iter().zip(&drawn).map(|(e, d)| d.label_x + px(width(&e.label), SMALL_W)).max().unwrap_or(0);
    let title_right = MARGIN + title_lines.iter().chain([&subtitle]).map(|l| px(width(l), 9)).max().unwrap_or(0);
    let width_px = lanes_right.max(labels_right).max(title_right).max(MARGIN + legend_w) + MARGIN;

    // Drawing.
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width_px}\" height=\"{height}\" viewBox=\"0 0 {width_px} {height}\" font-family=\"{FONTS}\" font-size=\"{FONT}\">"
    );
    let _ = writeln!(out, "<title>{}</title>", xml(spec.name.get(lang)));
    let _ = writeln!(out, "<rect width=\"{width_px}\" height=\"{height}\" fill=\"#ffffff\"/>");
    let mut ty = MARGIN + 15;
    for line in &title_lines {
        let _ =
            writeln!(out, "<text x=\"{MARGIN}\" y=\"{ty}\" font-size=\"15\" font-weight=\"bold\">{}</text>", xml(line));
        ty += 19;
    }
    let _ = writeln!(out, "<text x=\"{MARGIN}\" y=\"{}\" fill=\"#555555\">{}</text>", ty - 4, xml(&subtitle));

    for (l, lane) in lanes.iter().enumerate() {
        let fill = if l % 2 == 0 { "#f3f6fa" } else { "#fafbfd" };
        let agency = lane.unwrap_or("applicant");
        let _ = writeln!(out, "<g id=\"lane-{}\" class=\"lane\" data-agency=\"{}\">", l + 1, xml(agency));
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{lanes_top}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#b0bec5\"/>",
            lane_x[l],
            lane_w[l],
            lanes_bottom - lanes_top
        );
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{lanes_top}\" width=\"{}\" height=\"{header_h}\" fill=\"#dde6ef\" stroke=\"#b0bec5\"/>",
            lane_x[l], lane_w[l]
        );
        let centre = lane_x[l] + lane_w[l] / 2;
        let _ = write!(out, "<text class=\"lane-title\" text-anchor=\"middle\" font-weight=\"bold\">");
        for (k, line) in titles[l].iter().enumerate() {
            let _ =
                write!(out, "<tspan x=\"{centre}\" y=\"{}\">{}</tspan>", lanes_top + PAD + 12 + px(k, LINE), xml(line));
        }
        let _ = writeln!(out, "</text>\n</g>");
    }

    for (edge, d) in edges.iter().zip(&drawn) {
        let (colour, stroke_width, dash) = edge.kind.stroke(edge.back);
        let mut path = String::new();
        for (k, (x, y)) in d.points.iter().enumerate() {
            let _ = write!(path, "{}{x} {y}", if k == 0 { "M" } else { " L" });
        }
        let back = if edge.back { " back" } else { "" };
        let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
        let _ = writeln!(
            out,
            "<path class=\"edge {}{back}\" data-from=\"{}\" data-to=\"{}\" d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{stroke_width}\"{dash}/>",
            edge.kind.class(),
            xml(&nodes[edge.from].id),
            xml(&nodes[edge.to].id)
        );
        if let Some(&(x, y)) = d.points.last() {
            let _ =
                writeln!(out, "<path d=\"M{} {} L{} {} L{x} {y} Z\" fill=\"{colour}\"/>", x - 5, y - 9, x + 5, y - 9);
        }
    }

    for node in &nodes {
        let (class, fill, stroke, rx) = match node.outcome {
            None if node.suspended => ("step suspended", "#fff8e1", "#8d6e63", 4),
            None => ("step", "#ffffff", "#37474f", 4),
            Some(OutcomeKind::ResultIssued) => ("outcome result_issued", "#e3f3e6", "#2e7d32", node.h / 2),
            Some(OutcomeKind::Refused | OutcomeKind::NotReceived) => {
                ("outcome refused", "#fbe9e7", "#b3261e", node.h / 2)
            }
            Some(_) => ("outcome", "#eeeeee", "#616161", node.h / 2),
        };
        let prefix = if node.outcome.is_some() { "outcome" } else { "step" };
        let _ = writeln!(out, "<g id=\"{prefix}-{}\" class=\"{class}\">", xml(&node.id));
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            node.x, node.y, node.w, node.h
        );
        let centre = node.x + node.w / 2;
        let mut y = node.y + PAD + 11;
        let _ = write!(out, "<text text-anchor=\"middle\">");
        for line in &node.lines {
            let _ = write!(out, "<tspan x=\"{centre}\" y=\"{y}\">{}</tspan>", xml(line));
            y += LINE;
        }
        let _ = write!(out, "</text>\n<text text-anchor=\"middle\" font-size=\"{SMALL}\" fill=\"#455a64\">");
        y -= 2;
        for line in &node.details {
            let _ = write!(out, "<tspan x=\"{centre}\" y=\"{y}\">{}</tspan>", xml(line));
            y += SMALL_LINE;
        }
        let _ = writeln!(out, "</text>\n</g>");
    }

    for (edge, d) in edges.iter().zip(&drawn) {
        let (colour, _, _) = edge.kind.stroke(edge.back);
        let _ = writeln!(
            out,
            "<text class=\"edge-label\" x=\"{}\" y=\"{}\" font-size=\"{SMALL}\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            d.label_x,
            d.label_y,
            xml(&edge.label)
        );
    }

    let _ = writeln!(out, "<g class=\"legend\" font-size=\"{SMALL}\">");
    for (k, (sample, text)) in legend.iter().enumerate() {
        let y = legend_top + px(k, TRACK_Y) + 9;
        if let Some((kind, back)) = sample {
            let (colour, stroke_width, dash) = kind.stroke(*back);
            let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
            let _ = writeln!(
                out,
                "<path d=\"M{MARGIN} {} L{} {}\" stroke=\"{colour}\" stroke-width=\"{stroke_width}\"{dash}/>",
                y - 4,
                MARGIN + 36,
                y - 4
            );
        }
        let _ = writeln!(out, "<text x=\"{}\" y=\"{y}\">{}</text>", MARGIN + 44, xml(text));
    }
    out.push_str("</g>\n</svg>\n");
    out
}
