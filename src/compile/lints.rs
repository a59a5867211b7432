//! Structural lints over the procedure graph, all with petgraph's traversals.

use std::collections::{BTreeSet, HashSet};

use petgraph::Direction as GraphDirection;
use petgraph::algo::toposort;
use petgraph::graph::NodeIndex;
use petgraph::visit::{Dfs, DfsEvent, EdgeRef, Reversed, depth_first_search};

use super::{Node, Procedure, StepIx, Target};
use crate::diagnostic::{Code, Diagnostic, Message};
use crate::spec::procedure::{Clock, OutcomeKind};
use crate::spec::source::{self, Part, SourceMap};

pub(super) fn run(p: &mut Procedure, map: &SourceMap, out: &mut Vec<Diagnostic>) {
    let start = p.step_nodes[0];
    let reachable = reachable_from(p, start);
    unreachable(p, map, &reachable, out);
    dead_ends(p, map, out);
    no_outcome(p, map, out);
    forks_and_joins(p, map, out);
    budgets(p, map, &reachable, out);
}

fn step_path(p: &Procedure, s: StepIx) -> String {
    source::join("steps", &p.steps[s.0 as usize].id)
}

fn reachable_from(p: &Procedure, start: NodeIndex) -> HashSet<NodeIndex> {
    let mut seen = HashSet::new();
    let mut dfs = Dfs::new(&p.graph, start);
    while let Some(n) = dfs.next(&p.graph) {
        seen.insert(n);
    }
    seen
}

fn unreachable(p: &Procedure, map: &SourceMap, reachable: &HashSet<NodeIndex>, out: &mut Vec<Diagnostic>) {
    for n in p.graph.node_indices() {
        if reachable.contains(&n) {
            continue;
        }
        let (path, vi, en) = match p.graph[n] {
            Node::Step(s) => {
                let id = &p.steps[s.0 as usize].id;
                (
                    step_path(p, s),
                    format!("Không thao tác nào dẫn đến bước `{id}` từ bước đầu tiên"),
                    format!("no sequence of actions leads from the first step to step `{id}`"),
                )
            }
            Node::Outcome(o) => {
                let id = &p.outcomes[o.0 as usize].id;
                (
                    source::join("outcomes", id),
                    format!("Không thao tác nào dẫn đến kết quả `{id}`"),
                    format!("no action leads to outcome `{id}`"),
                )
            }
        };
        out.push(map.diagnostic(Code::UnreachableStep, &path, Part::Key, Message::new(vi, en)).with_help(
            Message::new(
                "Thêm một thao tác có `to` trỏ tới đây, hoặc xóa phần này",
                "add an action whose `to` leads here, or remove it",
            ),
        ));
    }
}

fn dead_ends(p: &Procedure, map: &SourceMap, out: &mut Vec<Diagnostic>) {
    let reversed = Reversed(&p.graph);
    let mut can_finish = HashSet::new();
    let mut dfs = Dfs::empty(&p.graph);
    for &o in &p.outcome_nodes {
        dfs.move_to(o);
        while let Some(n) = dfs.next(reversed) {
            can_finish.insert(n);
        }
    }
    for (i, step) in p.steps.iter().enumerate() {
        if can_finish.contains(&p.step_nodes[i]) {
            continue;
        }
        let (vi, en) = if step.actions.is_empty() {
            (
                format!("Bước `{}` không có thao tác nào nên hồ sơ sẽ kẹt tại đây", step.id),
                format!("step `{}` has no actions: a dossier would be stuck here", step.id),
            )
        } else {
            (
                format!("Từ bước `{}` không có đường nào dẫn đến kết quả cuối", step.id),
                format!("no path from step `{}` reaches a terminal outcome", step.id),
            )
        };
        out.push(map.diagnostic(Code::DeadEnd, &step_path(p, StepIx(i as u32)), Part::Key, Message::new(vi, en)));
    }
}

fn no_outcome(p: &Procedure, map: &SourceMap, out: &mut Vec<Diagnostic>) {
    if p.outcomes.iter().any(|o| o.kind == OutcomeKind::ResultIssued) {
        return;
    }
    out.push(
        map.diagnostic(
            Code::NoOutcome,
            "outcomes",
            Part::Key,
            Message::new(
                "Thủ tục không có kết quả loại `result_issued` (trả kết quả)",
                "the procedure has no outcome of kind `result_issued`",
            ),
        )
        .with_help(Message::new(
            "Thêm ví dụ `issued: {name: {vi: Đã trả kết quả}, kind: result_issued}`",
            "add e.g. `issued: {name: {vi: Đã trả kết quả}, kind: result_issued}`",
        )),
    );
}

/// Join steps reached from `from` without passing through another join.
fn first_joins(p: &Procedure, from: StepIx) -> BTreeSet<StepIx> {
    let mut joins = BTreeSet::new();
    let mut seen = HashSet::new();
    let mut stack = vec![p.step_nodes[from.0 as usize]];
    while let Some(n) = stack.pop() {
        if !seen.insert(n) {
            continue;
        }
        if let Node::Step(s) = p.graph[n]
            && s != from
            && p.spec.steps[s.0 as usize].join
        {
            joins.insert(s);
            continue;
        }
        stack.extend(p.graph.neighbors_directed(n, GraphDirection::Outgoing));
    }
    joins
}

fn forks_and_joins(p: &mut Procedure, map: &SourceMap, out: &mut Vec<Diagnostic>) {
    let mut closes: Vec<Option<(u32, String)>> = vec![None; p.steps.len()];
    let mut forks: Vec<(usize, String, StepIx)> = Vec::new();
    for i in 0..p.steps.len() {
        for action in &p.steps[i].actions {
            if action.targets.len() < 2 {
                continue;
            }
            let to_path = format!("steps.{}.actions.{}.to", p.steps[i].id, action.id);
            let branches: Vec<StepIx> = action
                .targets
                .iter()
                .filter_map(|t| match t {
                    Target::Step(s) => Some(*s),
                    Target::Outcome(_) => None,
                })
                .collect();
            if branches.len() != action.targets.len() {
                out.push(map.diagnostic(
                    Code::ForkWithoutJoin,
                    &to_path,
                    Part::Value,
                    Message::new(
                        "Rẽ nhánh song song chỉ được dẫn tới các bước, không tới kết quả cuối",
                        "parallel branches must lead to steps, not to outcomes",
                    ),
                ));
                continue;
            }
            let mut common: Option<BTreeSet<StepIx>> = None;
            for &b in &branches {
                let joins = first_joins(p, b);
                common = Some(match common {
                    None => joins,
                    Some(c) => c.intersection(&joins).copied().collect(),
                });
            }
            let Some(&join) = common.as_ref().and_then(|c| c.iter().next()) else {
                out.push(
                    map.diagnostic(
                        Code::ForkWithoutJoin,
                        &to_path,
                        Part::Value,
                        Message::new(
                            format!(
                                "Các nhánh song song của thao tác `{}` không gặp nhau ở bước hợp nhất nào",
                                action.id
                            ),
                            format!("the parallel branches of action `{}` never meet at a join step", action.id),
                        ),
                    )
                    .with_help(Message::new(
                        "Đánh dấu `join: true` ở bước mà mọi nhánh cùng dẫn tới (không hỗ trợ rẽ nhánh lồng nhau)",
                        "mark the step all branches lead to with `join: true` (nested forks are not supported)",
                    )),
                );
                continue;
            };
            bypasses(p, StepIx(i as u32), &branches, join, map, out);
            forks.push((i, action.id.clone(), join));
            let n = branches.len() as u32;
            match &closes[join.0 as usize] {
                Some((m, other)) if *m != n => out.push(map.diagnostic(
                    Code::InvalidJoin,
                    &format!("steps.{}.join", p.steps[join.0 as usize].id),
                    Part::Value,
                    Message::new(
                        format!("Bước hợp nhất đóng cả `{other}` ({m} nhánh) và `{}` ({n} nhánh)", action.id),
                        format!("the join closes both `{other}` ({m} branches) and `{}` ({n} branches)", action.id),
                    ),
                )),
                _ => closes[join.0 as usize] = Some((n, action.id.clone())),
            }
        }
    }
    for (i, action, join) in forks {
        if let Some(a) = p.steps[i].actions.iter_mut().find(|a| a.id == action) {
            a.join = Some(join);
        }
    }
    for (i, closed) in closes.into_iter().enumerate() {
        if !p.spec.steps[i].join {
            continue;
        }
        match closed {
            Some((n, _)) => p.steps[i].join_branches = Some(n),
            None => out.push(map.diagnostic(
                Code::InvalidJoin,
                &format!("steps.{}.join", p.steps[i].id),
                Part::Value,
                Message::new(
                    format!("Bước `{}` là điểm hợp nhất nhưng không có rẽ nhánh song song nào dẫn tới", p.steps[i].id),
                    format!("step `{}` is a join but no parallel fork leads to it", p.steps[i].id),
                ),
            )),
        }
    }
}

/// Every path of a fork's branches must meet the join before it reaches an outcome (unless
/// the action says it `cancels_branches`) or comes back to the fork itself.
fn bypasses(
    p: &Procedure,
    fork: StepIx,
    branches: &[StepIx],
    join: StepIx,
    map: &SourceMap,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashSet<StepIx> = HashSet::new();
    let mut stack: Vec<StepIx> = branches.to_vec();
    let mut reported: HashSet<(StepIx, usize)> = HashSet::new();
    while let Some(s) = stack.pop() {
        if s == join || !seen.insert(s) {
            continue;
        }
        let step = &p.steps[s.0 as usize];
        for (ai, action) in step.actions.iter().enumerate() {
            for target in &action.targets {
                let (vi, en) = match *target {
                    Target::Step(t) if t == fork => (
                        format!(
                            "Thao tác `{}` đưa nhánh song song quay lại bước rẽ nhánh `{}` trước khi hợp nhất",
                            action.id, p.steps[fork.0 as usize].id
                        ),
                        format!(
                            "action `{}` takes a parallel branch back to its fork `{}` before the join",
                            action.id, p.steps[fork.0 as usize].id
                        ),
                    ),
                    Target::Step(t) => {
                        stack.push(t);
                        continue;
                    }
                    Target::Outcome(_) if action.cancels_branches => continue,
                    Target::Outcome(o) => (
                        format!(
                            "Thao tác `{}` của nhánh song song kết thúc hồ sơ (`{}`) trước bước hợp nhất `{}`: công việc của các nhánh khác sẽ bị bỏ",
                            action.id, p.outcomes[o.0 as usize].id, p.steps[join.0 as usize].id
                        ),
                        format!(
                            "action `{}` of a parallel branch closes the dossier (`{}`) before the join `{}`: the other branches' work would be dropped",
                            action.id, p.outcomes[o.0 as usize].id, p.steps[join.0 as usize].id
                        ),
                    ),
                };
                if !reported.insert((s, ai)) {
                    continue;
                }
                out.push(
                    map.diagnostic(
                        Code::BranchBypassesJoin,
                        &format!("steps.{}.actions.{}.to", step.id, action.id),
                        Part::Value,
                        Message::new(vi, en),
                    )
                    .with_help(Message::new(
                        format!(
                            "Dẫn thao tác tới bước hợp nhất `{}`, hoặc ghi `cancels_branches: true` nếu thao tác này chủ ý kết thúc toàn bộ hồ sơ",
                            p.steps[join.0 as usize].id
                        ),
                        format!(
                            "lead the action to the join `{}`, or write `cancels_branches: true` if it deliberately ends the whole dossier",
                            p.steps[join.0 as usize].id
                        ),
                    )),
                );
            }
        }
    }
}

/// Formats working minutes as days, e.g. 1680 → `3.5d`.
pub(crate) fn format_days(minutes: u64, day_minutes: u32) -> String {
    let thousandths = (minutes * 1000).div_ceil(u64::from(day_minutes));
    let text = format!("{}.{:03}", thousandths / 1000, thousandths % 1000);
    format!("{}d", text.trim_end_matches('0').trim_end_matches('.'))
}

/// The longest budgeted path from the start to any outcome must fit the legal deadline.
///
/// Rework loops (edges back to a step already on the way, found as DFS back edges) are
/// left out, so each step counts once; suspended steps count zero.
///
/// Checked once for the default case (`legal_deadline` and each step's `budget`) and once
/// per deadline case (its `deadline`, with each step's `case_budgets` entry where written).
fn budgets(p: &Procedure, map: &SourceMap, reachable: &HashSet<NodeIndex>, out: &mut Vec<Diagnostic>) {
    budgets_in(p, map, reachable, None, out);
    for case in 0..p.cases.len() {
        budgets_in(p, map, reachable, Some(case), out);
    }
}

fn budgets_in(
    p: &Procedure,
    map: &SourceMap,
    reachable: &HashSet<NodeIndex>,
    case: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let start = p.step_nodes[0];
    let day = p.calendar.day_minutes();
    let mut back_edges = HashSet::new();
    depth_first_search(&p.graph, Some(start), |event| {
        if let DfsEvent::BackEdge(u, v) = event {
            back_edges.insert((u, v));
        }
    });
    let dag = p.graph.filter_map(
        |_, n| Some(*n),
        |e, edge| {
            let (u, v) = p.graph.edge_endpoints(e)?;
            (reachable.contains(&u) && !back_edges.contains(&(u, v))).then_some(*edge)
        },
    );
    let Ok(order) = toposort(&dag, None) else { return };
    let weight = |n: NodeIndex| -> u64 {
        match dag[n] {
            Node::Step(s) => {
                let step = &p.steps[s.0 as usize];
                if step.clock == Clock::Runs { step.budget_in(case).to_minutes(day) } else { 0 }
            }
            Node::Outcome(_) => 0,
        }
    };
    let mut best: Vec<Option<(u64, Option<NodeIndex>)>> = vec![None; dag.node_count()];
    best[start.index()] = Some((weight(start), None));
    for &u in &order {
        let Some((total, _)) = best[u.index()] else { continue };
        for e in dag.edges(u) {
            let v = e.target();
            let candidate = total + weight(v);
            if best[v.index()].is_none_or(|(b, _)| candidate > b) {
                best[v.index()] = Some((candidate, Some(u)));
            }
        }
    }
    let legal = p.legal_deadline_in(case);
    let deadline = legal.to_minutes(day);
    // Where the deadline is written, and how the message names the case.
    let (deadline_path, case_vi, case_en) = match case {
        None => ("legal_deadline".to_owned(), String::new(), String::new()),
        Some(c) => {
            let id = &p.cases[c].id;
            (
                source::join(&source::join("deadline_cases", id), "deadline"),
                format!(" trong trường hợp `{id}`"),
                format!(" in case `{id}`"),
            )
        }
    };
    let worst = p.outcome_nodes.iter().filter_map(|&o| best[o.index()].map(|(t, _)| (t, o))).max_by_key(|&(t, _)| t);
    let Some((total, end)) = worst else { return };
    if total <= deadline {
        return;
    }
    let mut names = Vec::new();
    let mut labels = Vec::new();
    let mut cursor = Some(end);
    while let Some(n) = cursor {
        names.push(match dag[n] {
            Node::Step(s) => {
                let step = &p.steps[s.0 as usize];
                if weight(n) > 0 {
                    // Each budget that counts, labelled where it is written (or at its step).
                    let step_path = source::join("steps", &step.id);
                    let path = match case {
                        Some(c) if step.case_budgets[c].is_some() => {
                            source::join(&source::join(&step_path, "case_budgets"), &p.cases[c].id)
                        }
                        _ => source::join(&step_path, "budget"),
                    };
                    let budget = step.budget_in(case).to_string();
                    let id = &step.id;
                    labels.push(map.label(
                        &path,
                        Part::Value,
                        Message::new(format!("bước `{id}`: {budget}"), format!("step `{id}`: {budget}")),
                    ));
                }
                step.id.clone()
            }
            Node::Outcome(o) => p.outcomes[o.0 as usize].id.clone(),
        });
        cursor = best[n.index()].and_then(|(_, pred)| pred);
    }
    names.reverse();
    labels.reverse();
    let route = names.join(" → ");
    let (total, deadline) = (format_days(total, day), legal.to_string());
    let mut d = map.diagnostic(
        Code::BudgetExceedsDeadline,
        &deadline_path,
        Part::Value,
        Message::new(
            format!("Đường xử lý {route} cần {total}, vượt thời hạn giải quyết {deadline}{case_vi}"),
            format!("the path {route} needs {total}, more than the legal deadline of {deadline}{case_en}"),
        ),
    );
    d.labels = labels;
    out.push(
        d.with_label(map.label(
            &deadline_path,
            Part::Value,
            Message::new(format!("thời hạn giải quyết: {deadline}"), format!("legal deadline: {deadline}")),
        ))
        .with_help(Message::new(
            "Giảm `budget` của các bước trên đường này hoặc kiểm tra lại thời hạn",
            "reduce the `budget` of steps on this path, or check the legal deadline",
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::format_days;

    #[test]
    fn formats_days() {
        assert_eq!(format_days(1680, 480), "3.5d");
        assert_eq!(format_days(480, 480), "1d");
        assert_eq!(format_days(120, 480), "0.25d");
        assert_eq!(format_days(0, 480), "0d");
    }
}
