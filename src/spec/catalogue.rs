//! The shared catalogue: administrative levels, agency kinds and roles.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A catalogue file: the vocabulary procedures refer to.
///
/// Levels are data, not an enum: Vietnam's ladder since 2025-07-01 is commune →
/// province → central, with the former district level kept as historical data; other
/// countries have other ladders.
///
/// ```yaml
/// id: vietnam
/// name: {vi: Việt Nam, en: Vietnam}
/// levels:
///   - {id: commune, name: {vi: Cấp xã, en: Commune}}
///   - {id: province, name: {vi: Cấp tỉnh, en: Province}}
/// agencies:
///   commune_committee:
///     name: {vi: Ủy ban nhân dân cấp xã, en: Commune People's Committee}
///     level: commune
/// roles:
///   citizen: {name: {vi: Công dân, en: Citizen}, citizen: true}
///   officer: {name: {vi: Công chức, en: Officer}}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSpec {
    /// Identifier procedures name in their `catalogue:` key.
    pub id: String,
    /// Human name.
    pub name: Text,
    /// Administrative levels, from the lowest (closest to the citizen) to the highest.
    pub levels: Vec<LevelSpec>,
    /// Agency kinds by identifier.
    pub agencies: IndexMap<String, AgencySpec>,
    /// Roles by identifier.
    pub roles: IndexMap<String, RoleSpec>,
    /// National databases (*cơ sở dữ liệu quốc gia*) a document may be taken from instead of
    /// a paper copy (a document's `replaceable_by`), by identifier.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub databases: IndexMap<String, DatabaseSpec>,
    /// The province codes a 12-digit personal identification number (*số định danh cá nhân*)
    /// may start with, each with the province's name: `"001": Hà Nội`. Three digits each.
    /// Omitted: `citizen_id` fields check the format and the birth year only.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub citizen_id_provinces: IndexMap<String, String>,
}

/// One national database whose records may stand in for a document.
///
/// ```
/// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let population = &catalogue.spec().databases["population"];
/// assert_eq!(population.name.get("en"), "National population database");
/// assert_eq!(population.legal_basis.as_deref(), Some("Luật Căn cước 26/2023/QH15"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {
    /// Human name.
    pub name: Text,
    /// The legal document that establishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

/// One administrative level.
///
/// ```
/// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let district = &catalogue.spec().levels[1];
/// assert_eq!((district.id.as_str(), district.name.get("en")), ("district", "District"));
/// assert_eq!(district.abolished_after, chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// Identifier, e.g. `commune`.
    pub id: String,
    /// Human name.
    pub name: Text,
    /// Last day the level existed, for abolished levels (Vietnam's district level: 2025-06-30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abolished_after: Option<chrono::NaiveDate>,
}

/// One kind of agency (a commune People's Committee, the provincial tax department, …).
///
/// ```
/// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let police = &catalogue.spec().agencies["commune_police"];
/// assert_eq!(police.name.get("vi"), "Công an cấp xã");
/// assert_eq!(police.level, "commune");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencySpec {
    /// Human name.
    pub name: Text,
    /// The administrative level it belongs to.
    pub level: String,
}

/// One role an actor can hold.
///
/// ```
/// let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let roles = &catalogue.spec().roles;
/// assert!(roles["citizen"].citizen);
/// assert!(!roles["one_stop_officer"].citizen);
/// assert_eq!(roles["one_stop_officer"].name.get("en"), "One-stop desk officer");
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Human name.
    pub name: Text,
    /// Whether this role is the applicant (citizen or business) rather than an official.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub citizen: bool,
}
