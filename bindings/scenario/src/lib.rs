//! Runs motcua scenario files ([`motcua::scenario::Scenario`]) against a procedure.
//!
//! A scenario is a dossier's life written in the API's own shapes (a submission, then
//! commands) with what each line should produce. [`run`] plays it on the engine and gives a
//! [`Timeline`]: one entry per line, the final dossier, and every expectation that did not
//! hold. The integration tests of every binding and `motcua simulate` run the shipped
//! scenarios through it. This is test tooling, not engine API: a portal calls
//! [`motcua::Dossier`] itself.
//!
//! ```
//! use motcua::{Catalogue, Library, Procedure, scenario::Scenario};
//!
//! let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
//! library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
//! let procedure = Procedure::from_yaml(
//!     include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
//! let scenario = Scenario::from_yaml(
//!     include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
//! let timeline = motcua_scenario::run(&scenario, &procedure);
//! assert!(timeline.failures().is_empty(), "{:?}", timeline.failures());
//! assert_eq!(timeline.entries().len(), 8); // the submission and seven lines
//!
//! // Expect the wrong status after the acceptance: the line is named.
//! let mut wrong = scenario.clone();
//! wrong.commands[0].expect.as_mut().unwrap().status = Some(4);
//! let failures = motcua_scenario::run(&wrong, &procedure).failures().to_vec();
//! assert_eq!(failures, ["commands[0] (accept): expected status 4, got 2"]);
//! # Ok::<(), motcua::LoadError>(())
//! ```

use chrono::{DateTime, FixedOffset};
use motcua::scenario::{Expectation, Scenario, ScenarioLine, ScenarioMigrate};
use motcua::version::Migration;
use motcua::{Actor, Applied, Dossier, Effect, NationalStatus, Procedure, Punctuality, Rejection};

/// What [`run_migrating`] asks for a `migrate` line: given the line's [`ScenarioMigrate`]
/// and the version the dossier is on, the new version and the migration compiled between
/// them, or why they cannot be had.
pub type VersionSource<'a> = dyn FnMut(&ScenarioMigrate, &Procedure) -> Result<(Procedure, Migration), String> + 'a;

/// What happened to one line of a scenario.
///
/// ```
/// use motcua::Code;
/// use motcua_scenario::EntryResult;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// let timeline = motcua_scenario::run(&scenario, &procedure);
/// assert!(matches!(&timeline.entries()[1].result, EntryResult::Applied(effects) if effects.len() == 3));
/// assert!(matches!(&timeline.entries()[2].result, EntryResult::Rejected(r) if r.code == Code::Forbidden));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum EntryResult {
    /// Accepted, with these effects.
    Applied(Vec<Effect>),
    /// Refused.
    Rejected(Rejection),
}

/// One line of a timeline.
///
/// ```
/// use motcua::NationalStatus;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// let timeline = motcua_scenario::run(&scenario, &procedure);
/// let accept = &timeline.entries()[1];
/// assert_eq!(accept.command, "accept");
/// assert_eq!((accept.before.as_slice(), accept.after.as_slice()), (&["receive".to_string()][..], &["review".to_string()][..]));
/// assert_eq!(accept.status, NationalStatus::Received);
/// assert_eq!(accept.step_times, [("receive".to_string(), 60, 240)]);
/// assert!(!accept.suspended);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The line, as [`ScenarioLine::label`] names it (`submit` for the submission).
    pub command: String,
    /// Who.
    pub actor: Actor,
    /// Active steps before.
    pub before: Vec<String>,
    /// Active steps after.
    pub after: Vec<String>,
    /// Accepted or refused.
    pub result: EntryResult,
    /// National status after.
    pub status: NationalStatus,
    /// The scenario's remark.
    pub note: Option<motcua::Text>,
    /// The appointment in force afterwards.
    pub appointment: Option<DateTime<FixedOffset>>,
    /// Whether the legal clock is suspended afterwards (the appointment will move).
    pub suspended: bool,
    /// Whether the appointment was counted across provisional calendar days ("expected").
    pub provisional: bool,
    /// Early, on time, due soon or late at this instant.
    pub punctuality: Option<Punctuality>,
    /// Steps this line finished: (step, working minutes used, minutes allotted).
    pub step_times: Vec<(String, u64, u64)>,
}

/// The result of running a scenario: one entry per line, the final dossier, and every
/// expectation that did not hold.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// let timeline = motcua_scenario::run(&scenario, &procedure);
/// assert!(timeline.failures().is_empty());
/// let commands: Vec<&str> = timeline.entries().iter().map(|e| e.command.as_str()).collect();
/// assert_eq!(commands[..3], ["submit", "accept", "propose"]);
/// let dossier = timeline.dossier().unwrap();
/// assert_eq!((dossier.id(), dossier.closure().unwrap().outcome.as_str()), ("DN-2026-0001", "issued"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Timeline {
    entries: Vec<Entry>,
    dossier: Option<Dossier>,
    failures: Vec<String>,
}

impl Timeline {
    /// The entries, the submission first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The dossier at the end (absent when the submission itself was refused).
    pub fn dossier(&self) -> Option<&Dossier> {
        self.dossier.as_ref()
    }

    /// Expectations that did not hold, each naming its line; empty when the scenario passes.
    pub fn failures(&self) -> &[String] {
        &self.failures
    }
}

/// Runs the scenario, checking every expectation. Never fails: problems are listed in
/// [`Timeline::failures`]. A `migrate` line is a failure here: use [`run_migrating`].
///
/// ```
/// use motcua::NationalStatus;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// # let scenario = motcua::scenario::Scenario::from_yaml(include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "business-registration-happy.yaml")?;
/// let timeline = motcua_scenario::run(&scenario, &procedure);
/// assert_eq!(timeline.entries().last().unwrap().status, NationalStatus::ResultReturned);
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn run(scenario: &Scenario, procedure: &Procedure) -> Timeline {
    run_migrating(scenario, procedure, &mut no_versions)
}

fn no_versions(_: &ScenarioMigrate, _: &Procedure) -> Result<(Procedure, Migration), String> {
    Err("this runner loads no other version: run the scenario with `motcua_scenario::run_migrating`".to_owned())
}

/// Runs the scenario like [`run`], with `migrate` lines: `versions` gives, for a line's
/// [`ScenarioMigrate`] and the version the dossier is on, the new version and the migration
/// compiled between them (the caller reads the files); the dossier moves with
/// [`motcua::version::migrate`] and the scenario goes on on the new version. A version that
/// cannot be given is a failure of that line.
///
/// ```
/// use motcua::{Procedure, scenario::Scenario, version::Migration};
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// let old = Procedure::from_yaml(include_str!("../../../specs/procedures/superseded/household-business-registration-2021.yaml"), "old.yaml", &library)?;
/// let scenario = Scenario::from_yaml(
///     include_str!("../../../tests/migrations/scenarios/household-business-registration-moved-under-review.yaml"), "moved.yaml")?;
/// let timeline = motcua_scenario::run_migrating(&scenario, &old, &mut |_moved, from| {
///     let new = Procedure::from_yaml(include_str!("../../../specs/procedures/household-business-registration.yaml"), "new.yaml", &library)
///         .map_err(|e| e.to_string())?;
///     let migration = Migration::from_yaml(include_str!("../../../specs/migrations/1.001612-2021.1-to-2025.1.yaml"), "m.yaml", from, &new)
///         .map_err(|e| e.to_string())?;
///     Ok((new, migration))
/// });
/// assert!(timeline.failures().is_empty(), "{:?}", timeline.failures());
/// assert_eq!(timeline.dossier().unwrap().procedure_version(), "2025.1");
/// // Without the versions, the move is a failure of its line.
/// assert!(motcua_scenario::run(&scenario, &old).failures().iter().any(|f| f.contains("run_migrating")));
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn run_migrating(scenario: &Scenario, procedure: &Procedure, versions: &mut VersionSource<'_>) -> Timeline {
    Runner { fill: None }.run(scenario, procedure, versions)
}

/// Writes into a scenario the administrative unit of every official who does not name one,
/// by running it: the submitting official belongs to the unit the dossier's first step is
/// handled in, and any other official to the unit handling the active step of their agency
/// (the line's `step` if it names one), else to the unit that last handled a step of their
/// agency. This is what the first-format runner assumed; `motcua json --upgrade` uses it so
/// that converted scenarios say every unit, as the API needs.
///
/// ```
/// use motcua::scenario::Scenario;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # library.add_units_yaml(include_str!("../../../specs/units/vietnam.yaml"), "vietnam.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let mut scenario = Scenario::from_yaml(
///     include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
/// for line in &mut scenario.commands {
///     if let Some(command) = &mut line.command { command.actor.unit = None; }
/// }
/// let filled = motcua_scenario::fill_units(&scenario, &procedure, &mut |_, _| Err("no versions".into()));
/// let accept = filled.commands[0].command.as_ref().unwrap();
/// assert_eq!(accept.actor.unit.as_deref(), Some("01"));
/// assert!(motcua_scenario::run(&filled, &procedure).failures().is_empty());
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub fn fill_units(scenario: &Scenario, procedure: &Procedure, versions: &mut VersionSource<'_>) -> Scenario {
    let mut filled = scenario.clone();
    let mut runner = Runner { fill: Some(&mut filled) };
    runner.run(scenario, procedure, versions);
    filled
}

/// Plays a scenario; with `fill`, also writes the units it assumed into that copy.
struct Runner<'s> {
    fill: Option<&'s mut Scenario>,
}

impl Runner<'_> {
    fn run(&mut self, scenario: &Scenario, procedure: &Procedure, versions: &mut VersionSource<'_>) -> Timeline {
        let first = procedure;
        // The version the dossier is on after its last move.
        let mut moved: Option<Box<Procedure>> = None;
        let mut entries = Vec::new();
        let mut failures = Vec::new();
        let mut submission = scenario.submit.clone();
        if let Some(filled) = self.fill.as_deref_mut()
            && submission.actor.unit.is_none()
            && !procedure.is_citizen_role(&submission.actor.role)
        {
            let level = procedure.start().level().unwrap_or_default();
            submission.actor.unit =
                procedure.units().and_then(|u| u.ancestor_at(&submission.jurisdiction, level)).map(str::to_owned);
            filled.submit.actor.unit = submission.actor.unit.clone();
        }
        let at = submission.at;
        let mut dossier = match Dossier::submit(procedure, submission) {
            Ok((dossier, applied)) => {
                check(&mut failures, "submit", scenario.expect.as_ref(), procedure, &dossier, at, &Ok(&applied));
                let line = Line { at, command: "submit".into(), actor: scenario.submit.actor.clone(), note: None };
                entries.push(entry(procedure, &dossier, line, Vec::new(), 0, EntryResult::Applied(applied.effects)));
                dossier
            }
            Err(rejection) => {
                failures.push(format!("submit: refused: {rejection}"));
                return Timeline { entries, dossier: None, failures };
            }
        };
        for (i, line) in scenario.commands.iter().enumerate() {
            let procedure: &Procedure = moved.as_deref().unwrap_or(first);
            let label = line.label();
            let at = line.at();
            let place = format!("commands[{i}] ({label})");
            let before: Vec<String> = dossier.active_step_ids().map(str::to_owned).collect();
            let logged = dossier.log().len();
            let mut now_on = None;
            let result = if let Some(target) = &line.migrate {
                let actor = self.actor(procedure, &dossier, i, target.actor.clone(), None);
                match versions(target, procedure) {
                    Err(why) => {
                        failures.push(format!("{place}: {why}"));
                        continue;
                    }
                    Ok((new, migration)) => {
                        let result = motcua::version::migrate(&dossier, procedure, &new, &migration, at, actor);
                        result.map(|(next, applied)| {
                            dossier = next;
                            now_on = Some(Box::new(new));
                            applied
                        })
                    }
                }
            } else if line.advance.is_some() {
                dossier.advance(procedure, at)
            } else if let Some(command) = &line.command {
                let step = match &command.kind {
                    motcua::CommandKind::Act { step, .. } => step.as_deref(),
                    _ => None,
                };
                let mut command = command.clone();
                command.actor = self.actor(procedure, &dossier, i, command.actor, step);
                dossier.apply(procedure, &command)
            } else {
                continue;
            };
            // After a refused move the dossier stays on the version it was on.
            let on: &Procedure = now_on.as_deref().unwrap_or(procedure);
            judge(&mut failures, &place, line, on, &dossier, &result);
            let result = match result {
                Ok(applied) => EntryResult::Applied(applied.effects),
                Err(rejection) => EntryResult::Rejected(rejection),
            };
            let shown = Line { at, command: label, actor: line.actor(), note: line.note.clone() };
            entries.push(entry(on, &dossier, shown, before, logged, result));
            if now_on.is_some() {
                moved = now_on;
            }
        }
        Timeline { entries, dossier: Some(dossier), failures }
    }

    /// The actor of line `i`; when filling, an official without a unit gets the unit
    /// [`fill_units`] describes, written into the copy.
    fn actor(&mut self, procedure: &Procedure, dossier: &Dossier, i: usize, actor: Actor, step: Option<&str>) -> Actor {
        let Some(filled) = self.fill.as_deref_mut() else { return actor };
        if actor.unit.is_some() || procedure.is_citizen_role(&actor.role) {
            return actor;
        }
        let mut actor = actor;
        actor.unit = unit_of_agency(procedure, dossier, actor.agency.as_deref(), step);
        let line = &mut filled.commands[i];
        if let Some(command) = &mut line.command {
            command.actor.unit = actor.unit.clone();
        }
        if let Some(moved) = &mut line.migrate {
            moved.actor.unit = actor.unit.clone();
        }
        actor
    }
}

/// The unit handling the active step of `agency` (the named `step` if any), else the unit
/// that last handled a step of that agency.
fn unit_of_agency(
    procedure: &Procedure,
    dossier: &Dossier,
    agency: Option<&str>,
    step: Option<&str>,
) -> Option<String> {
    let agency_of = |id: &str| procedure.step_by_id(id).and_then(|s| s.agency());
    dossier
        .active()
        .iter()
        .filter(|a| step.is_none_or(|s| s == a.step) && agency_of(&a.step) == agency)
        .find_map(|a| a.unit.clone())
        .or_else(|| dossier.log().iter().rev().filter(|r| r.agency.as_deref() == agency).find_map(|r| r.unit.clone()))
}

/// Records what a line's outcome fails of its expectations (`reject`, `expect`).
fn judge(
    failures: &mut Vec<String>,
    place: &str,
    line: &ScenarioLine,
    procedure: &Procedure,
    dossier: &Dossier,
    result: &Result<Applied, Rejection>,
) {
    match (result, line.reject) {
        (Ok(_), Some(code)) => failures.push(format!("{place}: expected rejection `{code}`, but it was applied")),
        (Err(rejection), Some(code)) if code != rejection.code => failures
            .push(format!("{place}: expected rejection `{code}`, got `{}`: {}", rejection.code, rejection.message.en)),
        (Err(rejection), None) => failures.push(format!("{place}: refused: {rejection}")),
        _ => {}
    }
    let outcome = result.as_ref();
    check(failures, place, line.expect.as_ref(), procedure, dossier, line.at(), &outcome);
}

/// What a timeline shows of a line besides the dossier's state: when, what, who, the remark.
struct Line {
    at: DateTime<FixedOffset>,
    command: String,
    actor: Actor,
    note: Option<motcua::Text>,
}

/// A line's entry: the line, the dossier after it, the active steps before it and the steps
/// it finished (the log past `logged_before`).
fn entry(
    procedure: &Procedure,
    dossier: &Dossier,
    line: Line,
    before: Vec<String>,
    logged_before: usize,
    result: EntryResult,
) -> Entry {
    let deadline = dossier.deadline();
    Entry {
        at: line.at,
        command: line.command,
        actor: line.actor,
        before,
        after: dossier.active_step_ids().map(str::to_owned).collect(),
        result,
        status: dossier.status(),
        note: line.note,
        appointment: Some(deadline.appointment),
        suspended: deadline.suspended_since.is_some() && dossier.closure().is_none(),
        provisional: !deadline.provisional_days.is_empty(),
        punctuality: dossier.punctuality(procedure, line.at).ok(),
        step_times: dossier.log()[logged_before.min(dossier.log().len())..]
            .iter()
            .map(|r| (r.step.clone(), r.used_minutes, r.allotted_minutes))
            .collect(),
    }
}

/// Compares the dossier after a line (and the line's outcome) with what was expected.
fn check(
    failures: &mut Vec<String>,
    place: &str,
    expect: Option<&Expectation>,
    procedure: &Procedure,
    dossier: &Dossier,
    at: DateTime<FixedOffset>,
    outcome: &Result<&Applied, &Rejection>,
) {
    let Some(expect) = expect else { return };
    if let Some(status) = expect.status
        && status != dossier.status().code()
    {
        failures.push(format!("{place}: expected status {status}, got {}", dossier.status().code()));
    }
    if let Some(active) = &expect.active {
        let actual: Vec<&str> = dossier.active_step_ids().collect();
        if actual != active.iter().map(String::as_str).collect::<Vec<_>>() {
            failures.push(format!("{place}: expected active {active:?}, got {actual:?}"));
        }
    }
    if let Some(expected) = &expect.effects {
        let actual: Vec<String> = match outcome {
            Ok(applied) => applied.effects.iter().map(Effect::compact).collect(),
            Err(_) => Vec::new(),
        };
        if &actual != expected {
            failures.push(format!("{place}: expected effects {expected:?}, got {actual:?}"));
        }
    }
    if let Some(expected) = &expect.closure {
        match dossier.closure() {
            None => failures.push(format!("{place}: expected the dossier closed, but it is open")),
            Some(closure) => {
                if expected.outcome.as_ref().is_some_and(|o| o != &closure.outcome) {
                    failures
                        .push(format!("{place}: expected closure {:?}, got `{}`", expected.outcome, closure.outcome));
                }
                if expected.kind.is_some_and(|k| k != closure.kind) {
                    failures
                        .push(format!("{place}: expected closure kind {:?}, got {:?}", expected.kind, closure.kind));
                }
                if expected.cancelled.as_ref().is_some_and(|c| c != &closure.cancelled) {
                    failures.push(format!(
                        "{place}: expected cancelled {:?}, got {:?}",
                        expected.cancelled, closure.cancelled
                    ));
                }
            }
        }
    }
    if let Some(appointment) = expect.appointment
        && appointment != dossier.deadline().appointment
    {
        failures.push(format!("{place}: expected appointment {appointment}, got {}", dossier.deadline().appointment));
    }
    if let Some(expected) = expect.punctuality {
        match dossier.punctuality(procedure, at) {
            Ok(actual) if actual == expected => {}
            actual => failures.push(format!("{place}: expected punctuality {expected:?}, got {actual:?}")),
        }
    }
    if let Some(expected) = expect.late {
        match dossier.late_for_reporting(procedure, at) {
            Ok(actual) if actual == expected => {}
            actual => failures.push(format!("{place}: expected late for reporting {expected}, got {actual:?}")),
        }
    }
    if let Some(expected) = &expect.problems {
        let problems = match outcome {
            Ok(applied) => &applied.problems,
            Err(rejection) => &rejection.problems,
        };
        let actual: Vec<String> = problems.iter().map(|p| format!("{} {}", p.path, p.code)).collect();
        if expected != &actual {
            failures.push(format!("{place}: expected problems {expected:?}, got {actual:?}"));
        }
    }
}
