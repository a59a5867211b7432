//! The procedure spec: metadata, steps, actions and outcomes, as policy staff write them.

use std::fmt;

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::duration::WorkingDuration;
use crate::text::Text;

/// The spec format this engine reads (`motcua: 1`).
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// assert_eq!(motcua::spec::procedure::FORMAT_VERSION, 1);
/// assert_eq!(procedure.spec().motcua, motcua::spec::procedure::FORMAT_VERSION);
/// # Ok::<(), motcua::LoadError>(())
/// ```
pub const FORMAT_VERSION: u32 = 1;

/// One procedure (*thủ tục hành chính*), as written in a YAML file under `specs/`.
///
/// A spec reads top to bottom like the published internal process: metadata, then the
/// steps in order (the first step is where a dossier starts), then the terminal outcomes.
/// See `specs/` for complete, real examples and the README for a walk-through.
///
/// ```
/// use motcua::spec::procedure::ServiceMode;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let spec = procedure.spec();
/// assert_eq!((spec.code.as_str(), spec.version.as_str()), ("2.001610", "2025.1"));
/// assert_eq!(spec.valid_from, chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
/// assert_eq!(spec.service_mode, ServiceMode::FullOnline);
/// assert_eq!(spec.steps.keys().next().map(String::as_str), Some("receive"));
/// assert!(spec.withdrawal);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureSpec {
    /// Spec format version: `1`.
    pub motcua: u32,
    /// The catalogue (levels, agency kinds, roles) this procedure refers to.
    pub catalogue: String,
    /// National procedure code (*mã thủ tục*), e.g. `"1.001193"`.
    pub code: String,
    /// Name of the procedure.
    pub name: Text,
    /// Version of this spec, e.g. `"2024.1"`; dossiers stay on the version they were opened under.
    pub version: String,
    /// First day this version is in force.
    pub valid_from: chrono::NaiveDate,
    /// Last day this version is in force, if it has been replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<chrono::NaiveDate>,
    /// Legal documents the procedure is based on (*căn cứ pháp lý*). At least one.
    pub legal_basis: Vec<LegalReference>,
    /// Field or sector (*lĩnh vực*), e.g. civil status.
    pub sector: Text,
    /// How far the service is online (Decree 42/2022/NĐ-CP).
    pub service_mode: ServiceMode,
    /// Channels through which dossiers may be submitted.
    pub channels: Vec<Channel>,
    /// Processing deadline (*thời hạn giải quyết*) in working time, e.g. `3d`.
    pub legal_deadline: WorkingDuration,
    /// Cases with a deadline of their own (*trường hợp*), e.g. "15 working days when
    /// verification is needed", tried in order: the first that holds sets the appointment;
    /// when none holds, `legal_deadline` does (the default case). Each case cites its legal
    /// basis. See [`DeadlineCase`].
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub deadline_cases: IndexMap<String, DeadlineCase>,
    /// Decisions an officer records by taking an action that `decides` them (e.g.
    /// `verification_needed`), by name: a deadline case can depend on one.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub decisions: IndexMap<String, DecisionSpec>,
    /// The working-day calendar deadlines are counted on, e.g. `vn-gov`.
    pub calendar: String,
    /// Cut-off hour: a dossier received at or after it is counted from the next working day
    /// (e.g. `"15:00"`). Omitted: counted from the instant of receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<crate::spec::calendar::ClockTime>,
    /// How close to its appointment an open dossier is reported "due soon" (default `1d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_soon: Option<WorkingDuration>,
    /// Required documents (*thành phần hồ sơ*), in the order of the legal checklist.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub documents: IndexMap<String, crate::spec::form::DocumentSpec>,
    /// The application form: fields, groups and cross-field rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<crate::spec::form::FormSpec>,
    /// Whether the applicant may withdraw the dossier before the result is issued (default yes).
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub withdrawal: bool,
    /// The steps of the internal process (*quy trình nội bộ*), in order; the first is the start.
    pub steps: IndexMap<String, StepSpec>,
    /// Terminal outcomes by identifier.
    pub outcomes: IndexMap<String, OutcomeSpec>,
}

fn yes() -> bool {
    true
}

/// A case with its own legal deadline: a condition, the working time, and its citation.
///
/// The condition is either an expression over the form (`when`, the language of guards) or
/// a decision an officer records (`decision`): exactly one of them. A decision case cannot
/// hold at submission; when an officer records the decision, the appointment is counted
/// again from the start of the clock with this case's deadline.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/judicial-record-certificate.yaml"), "judicial-record-certificate.yaml", &library)?;
/// let case = &procedure.spec().deadline_cases["verification"];
/// assert_eq!(case.decision.as_deref(), Some("verification_needed"));
/// assert_eq!(case.deadline.to_string(), "15d");
/// assert!(case.basis.as_ref().unwrap().document.contains("28/2009/QH12"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineCase {
    /// What the case is, for slips and timelines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// A condition over the form, e.g. `applicant.lived_abroad == true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// A decision (declared in `decisions`) that selects the case when recorded as `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The legal deadline in this case, e.g. `15d`.
    pub deadline: WorkingDuration,
    /// The legal provision that sets this deadline (required: `uncited_deadline_case`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<LegalReference>,
}

/// A decision an officer records by taking an action that `decides` it.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/judicial-record-certificate.yaml"), "judicial-record-certificate.yaml", &library)?;
/// let decision = &procedure.spec().decisions["verification_needed"];
/// assert_eq!(decision.name.get("en"), "Verification needed");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionSpec {
    /// What is decided.
    pub name: Text,
}

/// A legal document cited as the basis of a procedure.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let law = &procedure.spec().legal_basis[0];
/// assert_eq!(law.document, "Luật Doanh nghiệp 59/2020/QH14");
/// assert_eq!(law.title.as_ref().unwrap().get("en"), "Art. 26(5) — 3 working days");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalReference {
    /// Number and kind of the document, e.g. `Nghị định 63/2024/NĐ-CP`.
    pub document: String,
    /// What it is about, or which articles apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
}

/// Service mode under Decree 42/2022/NĐ-CP (replaced the old "levels 1–4").
///
/// ```
/// use motcua::spec::procedure::ServiceMode;
///
/// let mode: ServiceMode = serde_json::from_str("\"partial_online\"").unwrap();
/// assert_eq!(mode, ServiceMode::PartialOnline);
/// assert_eq!(serde_json::to_string(&ServiceMode::FullOnline).unwrap(), "\"full_online\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMode {
    /// *Toàn trình*: everything online, including payment and result.
    FullOnline,
    /// *Một phần*: part of the process needs the applicant in person.
    PartialOnline,
    /// Not offered online.
    Offline,
}

/// A submission channel, with its national code (1 in person, 2 online, 3 postal).
///
/// ```
/// use motcua::Channel;
///
/// let channel: Channel = serde_json::from_str("\"in_person\"").unwrap();
/// assert_eq!(channel, Channel::InPerson);
/// assert_eq!(channel.national_code(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the one-stop desk (code 1).
    InPerson,
    /// Through the national or provincial portal, or VNeID (code 2).
    Online,
    /// Through the public postal service (code 3).
    Postal,
}

impl Channel {
    /// The national channel code.
    ///
    /// ```
    /// assert_eq!(motcua::Channel::Online.national_code(), 2);
    /// ```
    pub fn national_code(self) -> u8 {
        match self {
            Channel::InPerson => 1,
            Channel::Online => 2,
            Channel::Postal => 3,
        }
    }
}

/// One step of the internal process.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let review = &procedure.spec().steps["review"];
/// assert_eq!(review.agency.as_deref(), Some("department_finance"));
/// assert_eq!(review.budget.map(|b| b.to_string()).as_deref(), Some("1.5d"));
/// assert_eq!(review.actions.keys().collect::<Vec<_>>(), ["request_supplement", "propose"]);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// What happens in the step.
    pub name: Text,
    /// The agency kind that handles it; omitted for steps the applicant takes (a citizen role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The role that handles it.
    pub role: String,
    /// National status code while the dossier is here (1–6). Default: 1 for the first
    /// step, 4 (processing) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u8>,
    /// Working time allotted to the step (its share of the legal deadline). Default `0d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<WorkingDuration>,
    /// The step's budget in a deadline case, by case name (see `deadline_cases`); a case
    /// not listed keeps `budget`. A step that starts while a case is in force gets that
    /// case's budget.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub case_budgets: IndexMap<String, WorkingDuration>,
    /// Whether the legal clock runs. Default: suspended for applicant steps, running otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<Clock>,
    /// Whether this step joins parallel branches: it starts when every branch of the
    /// fork it closes has arrived.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub join: bool,
    /// What the step's agency receives when the dossier is handed to it from another
    /// agency. Nothing else leaves the sending agency (personal-data minimisation,
    /// Decree 13/2023/NĐ-CP); omitted, a hand-off carries no form data and no documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receives: Option<Receives>,
    /// What can be done in the step, by identifier.
    pub actions: IndexMap<String, ActionSpec>,
}

/// The form fields and documents a receiving agency needs.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
/// let residence = procedure.spec().steps["residence"].receives.as_ref().unwrap();
/// assert_eq!(residence.fields[1], "mother.full_name");
/// assert_eq!(residence.documents, ["residence_form"]);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receives {
    /// Dotted form paths: a field (`child.birth_date`), a whole group (`child`), or a field
    /// of each member of a repeating group (`household_members.full_name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Document ids from the checklist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
}

/// Whether the legal clock runs during a step.
///
/// ```
/// use motcua::spec::procedure::Clock;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// assert_eq!(procedure.step_by_id("review").unwrap().clock(), Clock::Runs);
/// assert_eq!(serde_json::from_str::<Clock>("\"suspended\"").unwrap(), Clock::Suspended);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Working time counts against the deadline.
    Runs,
    /// Time is not counted (*tạm dừng*), e.g. while the applicant supplies documents.
    Suspended,
}

/// One action available in a step.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
/// let lapse = &procedure.spec().steps["supplement"].actions["lapse"];
/// assert_eq!(lapse.to.0, ["stopped"]);
/// assert_eq!(lapse.after.map(|d| d.to_string()).as_deref(), Some("10d"));
/// assert_eq!(lapse.slip, Some(motcua::SlipKind::Stopped));
/// assert!(lapse.guard.is_none());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    /// Label for buttons and timelines; defaults to the identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Where the dossier goes: one step or outcome, or several steps run in parallel (a fork).
    pub to: Targets,
    /// Who may take the action, when not the step's own role and agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<ActorSpec>,
    /// The slip (*phiếu*) the action produces (Circular 03/2025/TT-VPCP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slip: Option<SlipKind>,
    /// A condition in the expression language that must hold for the action to be taken,
    /// e.g. `form_valid and documents.birth_certificate.present`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<String>,
    /// Makes the action a timer: the engine takes it by itself when the step has waited
    /// this much working time (e.g. no supplement within `15d` → processing stopped).
    /// Nobody can take a timer action by command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<WorkingDuration>,
    /// For an action of a parallel branch that leads to an outcome before the branches
    /// join: it deliberately ends the whole dossier, and the other branches' active steps
    /// are cancelled (each with a `step_cancelled` effect). Without it, such an action is a
    /// load error (`branch_bypasses_join`), so no agency's work is dropped silently.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancels_branches: bool,
    /// Decisions the action records, by name (declared in `decisions`), e.g.
    /// `{verification_needed: true}`: written into the event, they can select a deadline
    /// case and move the appointment.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub decides: IndexMap<String, bool>,
}

/// Who may take an action: a role, and optionally an agency kind other than the step's.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
/// let stop = &procedure.spec().steps["supplement"].actions["stop"];
/// let by = stop.by.as_ref().unwrap();
/// assert_eq!((by.role.as_str(), by.agency.as_deref()), ("one_stop_officer", Some("commune_committee")));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// The role.
    pub role: String,
    /// The agency kind; defaults to the step's agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// The slips an action can produce (Circular 03/2025/TT-VPCP, formerly 01/2018/TT-VPCP).
///
/// ```
/// use motcua::SlipKind;
///
/// let slip: SlipKind = serde_json::from_str("\"supplement_request\"").unwrap();
/// assert_eq!(slip, SlipKind::SupplementRequest);
/// assert_eq!(serde_json::to_string(&SlipKind::ApologyExtension).unwrap(), "\"apology_extension\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlipKind {
    /// Receipt and appointment (*giấy tiếp nhận hồ sơ và hẹn trả kết quả*).
    Receipt,
    /// Supplement request (*phiếu yêu cầu bổ sung, hoàn thiện hồ sơ*).
    SupplementRequest,
    /// Refusal (*phiếu từ chối tiếp nhận, giải quyết hồ sơ*).
    Refusal,
    /// Apology and new appointment (*phiếu xin lỗi và hẹn lại ngày trả kết quả*).
    ApologyExtension,
    /// Notice that processing stopped (*thông báo dừng xử lý*).
    Stopped,
    /// The result itself, handed over.
    Result,
    /// Notice of a new appointment because another deadline case applies (e.g.
    /// verification is needed): produced by the engine, like the apology slip of an
    /// extension, followed by an `appointment_set` (cause `case_changed`) that carries the
    /// case, its deadline, its legal basis and the previous appointment.
    NewAppointment,
}

/// The target(s) of an action: `to: review` or `to: [police, insurance]`.
///
/// One target is written (and serialized) as a name, several as a list, as the schema
/// says:
///
/// ```
/// use motcua::spec::procedure::Targets;
///
/// let one: Targets = serde_json::from_str(r#""review""#).unwrap();
/// assert_eq!(serde_json::to_string(&one).unwrap(), r#""review""#);
/// let fork = Targets(vec!["police".into(), "insurance".into()]);
/// assert_eq!(serde_json::to_string(&fork).unwrap(), r#"["police","insurance"]"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Targets(pub Vec<String>);

impl Serialize for Targets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => serializer.serialize_str(one),
            many => many.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrMany;
        impl<'de> Visitor<'de> for OneOrMany {
            type Value = Targets;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a step name or a list of step names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Targets, E> {
                Ok(Targets(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Targets, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    out.push(name);
                }
                Ok(Targets(out))
            }
        }
        deserializer.deserialize_any(OneOrMany)
    }
}

impl JsonSchema for Targets {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Targets".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A step or outcome name, or a list of step names run in parallel (a fork).",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}, "minItems": 2}
            ]
        })
    }
}

/// A terminal outcome.
///
/// ```
/// use motcua::OutcomeKind;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/business-registration.yaml"), "business-registration.yaml", &library)?;
/// let issued = &procedure.spec().outcomes["issued"];
/// assert_eq!(issued.kind, OutcomeKind::ResultIssued);
/// assert_eq!(issued.name.get("en"), "Certificate issued");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSpec {
    /// What the outcome is.
    pub name: Text,
    /// Its kind, from which the national status code is derived.
    pub kind: OutcomeKind,
}

/// The kinds of terminal outcome.
///
/// ```
/// use motcua::{NationalStatus, OutcomeKind};
///
/// let kind: OutcomeKind = serde_json::from_str("\"withdrawn\"").unwrap();
/// assert_eq!(kind, OutcomeKind::Withdrawn);
/// assert_eq!(kind.national_status(), NationalStatus::Stopped);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The result was issued and returned to the applicant (status 10).
    ResultIssued,
    /// Processed, with a refusal as the result (status 9).
    Refused,
    /// Refused at reception, before the dossier was received (status 3).
    NotReceived,
    /// Processing stopped, e.g. the applicant never supplied documents (status 8).
    Stopped,
    /// The applicant withdrew and an officer confirmed it (status 8).
    Withdrawn,
}

impl OutcomeKind {
    /// The national status code a dossier ending here reports.
    ///
    /// ```
    /// use motcua::OutcomeKind;
    /// assert_eq!(OutcomeKind::ResultIssued.national_status().code(), 10);
    /// assert_eq!(OutcomeKind::NotReceived.national_status().code(), 3);
    /// ```
    pub fn national_status(self) -> crate::status::NationalStatus {
        use crate::status::NationalStatus as S;
        match self {
            OutcomeKind::ResultIssued => S::ResultReturned,
            OutcomeKind::Refused => S::Finished,
            OutcomeKind::NotReceived => S::NotReceived,
            OutcomeKind::Stopped | OutcomeKind::Withdrawn => S::Stopped,
        }
    }
}
