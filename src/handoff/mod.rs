//! Hand-offs between agencies (*liên thông*), in one auditable place: the route and its
//! direction (derived from the agencies' administrative levels, never written in a spec), the
//! unit that receives the dossier, and the envelope — the only data and documents a receiving
//! agency gets (data minimisation, Decree 13/2023/NĐ-CP Art. 3).
//!
//! ```
//! use motcua::{Catalogue, Direction, Library, Procedure};
//! let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
//! let mut library = Library::new(catalogue);
//! library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
//! let text = include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml");
//! let procedure = Procedure::from_yaml(text, "birth.yaml", &library)?;
//! let routes: Vec<Direction> = procedure
//!     .steps()
//!     .iter()
//!     .flat_map(|step| step.actions())
//!     .flat_map(|action| action.handoffs())
//!     .map(|route| route.direction)
//!     .collect();
//! assert!(routes.contains(&Direction::Horizontal));
//! # Ok::<(), motcua::LoadError>(())
//! ```

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Message};
use crate::document::SubmittedDocument;
use crate::library::{Catalogue, Units};
use crate::spec::form::{DocumentSpec, FormSpec};
use crate::spec::procedure::Receives as ReceivesSpec;
use crate::spec::source::{Part, SourceMap};

/// Whether a hand-off stays at one administrative level or moves between levels.
///
/// ```
/// use motcua::Direction;
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
/// // Commune committee → commune police: the same level.
/// let (_, sign) = procedure.step_by_id("sign").unwrap().action("sign").unwrap();
/// assert_eq!(sign.handoffs().next().unwrap().direction, Direction::Horizontal);
/// assert_eq!(serde_json::to_string(&Direction::Upward).unwrap(), "\"upward\"");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Same level (*liên thông ngang*), e.g. commune justice → commune police.
    Horizontal,
    /// To a higher level (*liên thông dọc*), e.g. commune → province.
    Upward,
    /// To a lower level (*liên thông dọc*), e.g. province → commune.
    Downward,
}

impl Direction {
    /// Whether the hand-off crosses levels.
    ///
    /// ```
    /// use motcua::Direction;
    ///
    /// assert!(!Direction::Horizontal.is_vertical());
    /// assert!(Direction::Upward.is_vertical());
    /// assert!(Direction::Downward.is_vertical());
    /// ```
    pub fn is_vertical(self) -> bool {
        self != Direction::Horizontal
    }
}

/// A hand-off between agencies, derived from the agency kinds of two steps.
///
/// ```
/// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
/// let (_, sign) = procedure.step_by_id("sign").unwrap().action("sign").unwrap();
/// let route = sign.handoffs().last().unwrap();
/// assert_eq!(route.to_step, "insurance_card");
/// assert_eq!((route.from_agency.as_str(), route.to_agency.as_str()), ("commune_committee", "social_insurance"));
/// assert_eq!(route.to_level, "commune");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandOffRoute {
    /// The receiving step.
    pub to_step: String,
    /// Sending agency kind.
    pub from_agency: String,
    /// Receiving agency kind.
    pub to_agency: String,
    /// Level of the receiving agency.
    pub to_level: String,
    /// Horizontal or vertical, from the levels' order in the catalogue.
    pub direction: Direction,
}

/// What a step's agency receives when a dossier is handed to it: the form fields and the
/// documents its spec names in `receives`, resolved at load, and nothing else.
///
/// ```
/// # use motcua::{Catalogue, Library, Procedure};
/// # let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// # let mut library = Library::new(catalogue);
/// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// # let text = include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml");
/// let procedure = Procedure::from_yaml(text, "birth.yaml", &library)?;
/// let police = procedure.steps().iter().find(|s| !s.receives().fields.is_empty()).unwrap();
/// let data = serde_json::json!({"child": {"full_name": "Nguyễn An"}, "secret": 1});
/// let envelope = police.receives().data_of(&data);
/// assert!(envelope.get("secret").is_none());
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Receives {
    /// Form fields, as paths split on `.` (`child.full_name` is `["child", "full_name"]`).
    pub fields: Vec<Vec<String>>,
    /// Document checklist ids.
    pub documents: Vec<String>,
}

impl Receives {
    /// The parts of `data` this agency may receive, nothing else.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let residence = procedure.step_by_id("residence").unwrap().receives();
    /// let data = serde_json::json!({
    ///     "mother": {"full_name": "Trần Thị Bình", "citizen_id": "001190012345", "phone": "0912345678"},
    ///     "insurance": {"card_number": "X"},
    /// });
    /// // Only the named fields of the mother, nothing of the insurance section.
    /// assert_eq!(
    ///     residence.data_of(&data),
    ///     serde_json::json!({"mother": {"full_name": "Trần Thị Bình", "citizen_id": "001190012345"}})
    /// );
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn data_of(&self, data: &serde_json::Value) -> serde_json::Value {
        minimize(data, &self.fields)
    }

    /// The submitted documents this agency may receive, in the order submitted.
    ///
    /// ```
    /// use motcua::SubmittedDocument;
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let procedure = motcua::Procedure::from_yaml(include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml"), "birth-registration-residence-insurance.yaml", &library)?;
    /// let residence = procedure.step_by_id("residence").unwrap().receives();
    /// let documents: Vec<SubmittedDocument> = serde_json::from_value(serde_json::json!([
    ///     {"id": "birth_certificate", "from_database": "civil_status"},
    ///     {"id": "residence_form", "files": [{"name": "ct01.pdf", "media_type": "application/pdf", "size": 1000}]},
    /// ]))
    /// .unwrap();
    /// let ids: Vec<String> = residence.documents_of(&documents).into_iter().map(|d| d.id).collect();
    /// assert_eq!(ids, ["residence_form"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn documents_of(&self, documents: &[SubmittedDocument]) -> Vec<SubmittedDocument> {
        documents.iter().filter(|d| self.documents.contains(&d.id)).cloned().collect()
    }
}

/// The route of a hand-off from a step handled by `from_agency` at `from_level` to one handled
/// by `to_agency` at `to_level`: `None` when either end is the applicant or both ends are the
/// same agency kind (no hand-off). The direction follows the levels' order in the catalogue.
pub(crate) fn route(
    to_step: &str,
    from_agency: Option<&str>,
    to_agency: Option<&str>,
    from_level: Option<&str>,
    to_level: Option<&str>,
    catalogue: &Catalogue,
) -> Option<HandOffRoute> {
    let (from_agency, to_agency, from_level, to_level) = (from_agency?, to_agency?, from_level?, to_level?);
    if from_agency == to_agency {
        return None;
    }
    let direction = match catalogue.level_rank(from_level).cmp(&catalogue.level_rank(to_level)) {
        std::cmp::Ordering::Equal => Direction::Horizontal,
        std::cmp::Ordering::Less => Direction::Upward,
        std::cmp::Ordering::Greater => Direction::Downward,
    };
    Some(HandOffRoute {
        to_step: to_step.to_owned(),
        from_agency: from_agency.to_owned(),
        to_agency: to_agency.to_owned(),
        to_level: to_level.to_owned(),
        direction,
    })
}

/// The unit that handles a step of a dossier filed with `jurisdiction`: its ancestor (or
/// itself) at `level`, the level of the step's agency; the dossier's own unit for the
/// applicant's steps (`level` is `None`). Upward hand-offs so reach the province of a commune;
/// a downward one comes back to the unit it came from, because both are derived from the
/// dossier's jurisdiction. `None` when the unit has no ancestor at that level.
pub(crate) fn receiving_unit(units: &Units, jurisdiction: &str, level: Option<&str>) -> Option<String> {
    match level {
        Some(level) => units.ancestor_at(jurisdiction, level).map(str::to_owned),
        None => Some(jurisdiction.to_owned()),
    }
}

/// Resolves a step's `receives` against the form and the checklist.
pub(crate) fn check_receives(
    receives: Option<&ReceivesSpec>,
    form: Option<&FormSpec>,
    documents: &IndexMap<String, DocumentSpec>,
    map: &SourceMap,
    step_path: &str,
    out: &mut Vec<Diagnostic>,
) -> Receives {
    let Some(receives) = receives else { return Receives::default() };
    let mut fields = Vec::new();
    for (i, path) in receives.fields.iter().enumerate() {
        let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
        let mut level = form.map(|f| &f.fields);
        let mut found = true;
        for segment in &segments {
            match level.and_then(|l| l.get(segment)) {
                Some(field) => level = field.fields.as_ref(),
                None => {
                    found = false;
                    break;
                }
            }
        }
        if found {
            fields.push(segments);
        } else {
            out.push(map.diagnostic(
                Code::UnknownReference,
                &format!("{step_path}.receives.fields[{i}]"),
                Part::Value,
                Message::new(format!("Tờ khai không có trường `{path}`"), format!("the form has no field `{path}`")),
            ));
        }
    }
    for (i, id) in receives.documents.iter().enumerate() {
        if !documents.contains_key(id) {
            out.push(map.diagnostic(
                Code::UnknownDocument,
                &format!("{step_path}.receives.documents[{i}]"),
                Part::Value,
                Message::new(
                    format!("Thành phần hồ sơ không có giấy tờ `{id}`"),
                    format!("the document checklist has no `{id}`"),
                ),
            ));
        }
    }
    Receives { fields, documents: receives.documents.clone() }
}

/// The parts of `data` named by `paths` (dotted form paths split into segments), nothing
/// else: what a hand-off may carry. A path through a repeating group applies to each member.
pub(crate) fn minimize(data: &serde_json::Value, paths: &[Vec<String>]) -> serde_json::Value {
    let mut out = serde_json::Value::Object(serde_json::Map::new());
    for path in paths {
        copy_path(data, &mut out, path);
    }
    out
}

fn copy_path(src: &serde_json::Value, dst: &mut serde_json::Value, path: &[String]) {
    use serde_json::{Map, Value};
    match src {
        Value::Array(items) => {
            if !matches!(dst, Value::Array(slots) if slots.len() == items.len()) {
                *dst = Value::Array(vec![Value::Object(Map::new()); items.len()]);
            }
            if let Value::Array(slots) = dst {
                for (item, slot) in items.iter().zip(slots) {
                    copy_path(item, slot, path);
                }
            }
        }
        Value::Object(map) => {
            let Some((head, rest)) = path.split_first() else {
                *dst = src.clone();
                return;
            };
            let Some(child) = map.get(head) else { return };
            if !dst.is_object() {
                *dst = Value::Object(Map::new());
            }
            let Value::Object(slots) = dst else { return };
            if rest.is_empty() {
                slots.insert(head.clone(), child.clone());
            } else {
                copy_path(child, slots.entry(head.clone()).or_insert(Value::Null), rest);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn minimize_keeps_only_the_named_paths() {
        let data = json!({
            "child": {"full_name": "An", "birth_date": "2026-01-02", "sex": "male"},
            "father": {"citizen_id": "001088012233"},
            "members": [{"full_name": "Bình", "citizen_id": "001"}, {"full_name": "Chi"}]
        });
        let paths: Vec<Vec<String>> = ["child.full_name", "members.full_name"]
            .iter()
            .map(|p| p.split('.').map(str::to_owned).collect())
            .collect();
        assert_eq!(
            super::minimize(&data, &paths),
            json!({"child": {"full_name": "An"}, "members": [{"full_name": "Bình"}, {"full_name": "Chi"}]})
        );
        let whole: Vec<Vec<String>> = vec![vec!["child".into()]];
        assert_eq!(super::minimize(&data, &whole), json!({"child": data["child"]}));
        assert_eq!(super::minimize(&data, &[]), json!({}));
        assert_eq!(super::minimize(&json!(null), &whole), json!({}));
    }
}
