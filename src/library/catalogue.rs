//! Loading and checking a catalogue.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::limits::Limits;
use crate::spec::catalogue::CatalogueSpec;
use crate::spec::source::{self, Part, SourceMap};
use crate::spec::{json, yaml};

use crate::spec::source::check_identifier;

/// A loaded catalogue of administrative levels, agency kinds and roles.
///
/// ```
/// let text = r#"
/// id: demo
/// name: {vi: Thử nghiệm}
/// levels:
///   - {id: commune, name: {vi: Cấp xã}}
///   - {id: province, name: {vi: Cấp tỉnh}}
/// agencies:
///   commune_committee: {name: {vi: UBND xã}, level: commune}
///   provincial_department: {name: {vi: Sở}, level: province}
/// roles:
///   citizen: {name: {vi: Công dân}, citizen: true}
///   officer: {name: {vi: Công chức}}
/// "#;
/// let catalogue = motcua::Catalogue::from_yaml(text, "demo.yaml").unwrap();
/// assert_eq!(catalogue.level_rank("province"), Some(1));
/// assert_eq!(catalogue.agency_level("commune_committee"), Some("commune"));
/// assert!(catalogue.is_citizen_role("citizen"));
/// ```
#[derive(Clone, Debug)]
pub struct Catalogue {
    spec: CatalogueSpec,
    level_rank: HashMap<String, usize>,
}

impl Catalogue {
    /// Loads a catalogue from YAML text with default [`Limits`]; `file` names it in diagnostics.
    ///
    /// ```
    /// use motcua::{Catalogue, Code};
    ///
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert_eq!(catalogue.id(), "vietnam");
    ///
    /// let err = Catalogue::from_yaml("id: demo\nname: {vi: Thử}\nlevels: []\nagencies: {}\nroles: {}\ncolour: red\n", "demo.yaml")
    ///     .unwrap_err();
    /// assert_eq!((err.diagnostics()[0].code, err.diagnostics()[0].line), (Code::UnknownField, 6));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Catalogue, LoadError> {
        Self::from_yaml_with_limits(text, file, &Limits::default())
    }

    /// Loads a catalogue from YAML text with the given limits.
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Limits};
    ///
    /// let mut limits = Limits::default();
    /// limits.max_input_bytes = 100;
    /// let text = include_str!("../../specs/catalogue/vietnam.yaml");
    /// let err = Catalogue::from_yaml_with_limits(text, "vietnam.yaml", &limits).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::LimitExceeded);
    /// assert!(Catalogue::from_yaml_with_limits(text, "vietnam.yaml", &Limits::default()).is_ok());
    /// ```
    pub fn from_yaml_with_limits(text: &str, file: &str, limits: &Limits) -> Result<Catalogue, LoadError> {
        let (spec, map) = yaml::from_str::<CatalogueSpec>(text, file, limits)?;
        Self::build(spec, &map)
    }

    /// Loads a catalogue written as JSON (the serialization of [`CatalogueSpec`], as
    /// [`Catalogue::to_json`] gives it) with default [`Limits`]; `file` names it in
    /// diagnostics, which are placed at the JSON line, column and path.
    ///
    /// ```
    /// use motcua::{Catalogue, Code};
    ///
    /// let json = r#"{
    ///   "id": "demo",
    ///   "name": {"vi": "Thử nghiệm"},
    ///   "levels": [{"id": "commune", "name": {"vi": "Cấp xã"}}],
    ///   "agencies": {"commune_committee": {"name": {"vi": "UBND xã"}, "level": "commune"}},
    ///   "roles": {"citizen": {"name": {"vi": "Công dân"}, "citizen": true}}
    /// }"#;
    /// let catalogue = Catalogue::from_json(json, "demo.json")?;
    /// assert_eq!(catalogue.agency_level("commune_committee"), Some("commune"));
    ///
    /// let err = Catalogue::from_json(&json.replace("\"level\": \"commune\"", "\"level\": \"province\""), "demo.json")
    ///     .unwrap_err();
    /// let d = &err.diagnostics()[0];
    /// assert_eq!((d.code, d.line, d.column), (Code::UnknownLevel, 5, 74));
    /// assert_eq!(d.path, "agencies.commune_committee.level");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_json(text: &str, file: &str) -> Result<Catalogue, LoadError> {
        Self::from_json_with_limits(text, file, &Limits::default())
    }

    /// Loads a catalogue written as JSON with the given limits.
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Limits};
    ///
    /// let json = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?.to_json();
    /// let mut limits = Limits::default();
    /// limits.max_input_bytes = 100;
    /// let err = Catalogue::from_json_with_limits(&json, "vietnam.json", &limits).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::LimitExceeded);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_json_with_limits(text: &str, file: &str, limits: &Limits) -> Result<Catalogue, LoadError> {
        let (spec, map) = json::from_str::<CatalogueSpec>(text, file, limits)?;
        Self::build(spec, &map)
    }

    /// Checks a spec read by either reader.
    fn build(spec: CatalogueSpec, map: &SourceMap) -> Result<Catalogue, LoadError> {
        let mut problems: Vec<Diagnostic> = Vec::new();
        let mut level_rank = HashMap::new();
        for (i, level) in spec.levels.iter().enumerate() {
            let path = format!("levels[{i}].id");
            check_identifier(&level.id, map, &path, Part::Value, &mut problems);
            if level_rank.insert(level.id.clone(), i).is_some() {
                problems.push(map.diagnostic(
                    Code::DuplicateKey,
                    &path,
                    Part::Value,
                    Message::new(
                        format!("Cấp `{}` được khai báo hai lần", level.id),
                        format!("level `{}` is declared twice", level.id),
                    ),
                ));
            }
        }
        for (id, agency) in &spec.agencies {
            let path = source::join("agencies", id);
            check_identifier(id, map, &path, Part::Key, &mut problems);
            if !level_rank.contains_key(&agency.level) {
                problems.push(map.diagnostic(
                    Code::UnknownLevel,
                    &source::join(&path, "level"),
                    Part::Value,
                    Message::new(
                        format!("Cấp `{}` không có trong danh sách `levels`", agency.level),
                        format!("level `{}` is not listed under `levels`", agency.level),
                    ),
                ));
            }
        }
        for id in spec.roles.keys() {
            check_identifier(id, map, &source::join("roles", id), Part::Key, &mut problems);
        }
        for id in spec.databases.keys() {
            check_identifier(id, map, &source::join("databases", id), Part::Key, &mut problems);
        }
        for code in spec.citizen_id_provinces.keys() {
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(map.diagnostic(
                    Code::InvalidValue,
                    &source::join("citizen_id_provinces", code),
                    Part::Key,
                    Message::new(
                        format!("Mã tỉnh `{code}` của số định danh cá nhân phải gồm đúng 3 chữ số"),
                        format!("citizen-ID province code `{code}` must be exactly 3 digits"),
                    ),
                ));
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(LoadError::new(problems));
        }
        Ok(Catalogue { spec, level_rank })
    }

    /// The catalogue's identifier.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert_eq!(catalogue.id(), "vietnam");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The catalogue as written.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let spec = catalogue.spec();
    /// assert_eq!(spec.levels[0].id, "commune");
    /// assert_eq!(spec.agencies["department_finance"].name.get("vi"), "Sở Tài chính");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn spec(&self) -> &CatalogueSpec {
        &self.spec
    }

    /// The catalogue as JSON, in the form [`Catalogue::from_json`] reads: the serde
    /// serialization of [`CatalogueSpec`].
    ///
    /// ```
    /// let yaml = include_str!("../../specs/catalogue/vietnam.yaml");
    /// let catalogue = motcua::Catalogue::from_yaml(yaml, "vietnam.yaml")?;
    /// let again = motcua::Catalogue::from_json(&catalogue.to_json(), "vietnam.json")?;
    /// assert_eq!(again.spec(), catalogue.spec());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing spec types cannot fail: every map key is a string.
        serde_json::to_string(&self.spec).unwrap_or_default()
    }

    /// Position of a level on the ladder (0 = lowest), if it exists.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert_eq!(catalogue.level_rank("commune"), Some(0));
    /// assert_eq!(catalogue.level_rank("central"), Some(3));
    /// assert_eq!(catalogue.level_rank("village"), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn level_rank(&self, level: &str) -> Option<usize> {
        self.level_rank.get(level).copied()
    }

    /// The level of an agency kind, if the agency kind exists.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert_eq!(catalogue.agency_level("department_finance"), Some("province"));
    /// assert_eq!(catalogue.agency_level("ministry_justice"), Some("central"));
    /// assert_eq!(catalogue.agency_level("department_magic"), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn agency_level(&self, agency: &str) -> Option<&str> {
        self.spec.agencies.get(agency).map(|a| a.level.as_str())
    }

    /// Whether a role exists.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert!(catalogue.has_role("one_stop_officer"));
    /// assert!(!catalogue.has_role("wizard"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn has_role(&self, role: &str) -> bool {
        self.spec.roles.contains_key(role)
    }

    /// Whether the catalogue lists a national database with this identifier.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert!(catalogue.has_database("population"));
    /// assert!(!catalogue.has_database("populaton"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn has_database(&self, id: &str) -> bool {
        self.spec.databases.contains_key(id)
    }

    /// Identifiers of the national databases, in the order written.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let first: Vec<&String> = catalogue.databases().take(2).collect();
    /// assert_eq!(first, ["population", "civil_status"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn databases(&self) -> impl Iterator<Item = &String> {
        self.spec.databases.keys()
    }

    /// The province codes a personal identification number may start with, in the order
    /// written (see [`Form::with_citizen_id_provinces`](crate::form::Form::with_citizen_id_provinces)).
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let codes: Vec<&str> = catalogue.citizen_id_provinces().collect();
    /// assert_eq!((codes.len(), codes[0], codes[62]), (63, "001", "096"));
    /// assert_eq!(catalogue.spec().citizen_id_provinces["001"], "Hà Nội");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn citizen_id_provinces(&self) -> impl Iterator<Item = &str> {
        self.spec.citizen_id_provinces.keys().map(String::as_str)
    }

    /// Whether a role exists and is the applicant's.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// assert!(catalogue.is_citizen_role("citizen"));
    /// assert!(!catalogue.is_citizen_role("officer")); // exists, not the applicant's
    /// assert!(!catalogue.is_citizen_role("wizard")); // does not exist
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn is_citizen_role(&self, role: &str) -> bool {
        self.spec.roles.get(role).is_some_and(|r| r.citizen)
    }

    /// The last day a level existed, if it was abolished.
    ///
    /// ```
    /// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// // District level was abolished from 1 July 2025.
    /// assert_eq!(catalogue.level_abolished_after("district"), chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
    /// assert_eq!(catalogue.level_abolished_after("province"), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn level_abolished_after(&self, level: &str) -> Option<chrono::NaiveDate> {
        self.spec.levels.iter().find(|l| l.id == level).and_then(|l| l.abolished_after)
    }
}
