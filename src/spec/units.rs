//! The administrative units a catalogue's levels are made of: provinces, communes, ….

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A units file: administrative units by code, each with its level and parent.
///
/// ```yaml
/// id: vietnam
/// catalogue: vietnam
/// units:
///   VN: {name: {vi: Việt Nam}, level: central}
///   "01": {name: {vi: Thành phố Hà Nội}, level: province, parent: VN}
///   "00004": {name: {vi: Phường Ba Đình}, level: commune, parent: "01"}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitsSpec {
    /// Identifier of this list.
    pub id: String,
    /// The catalogue whose levels the units use.
    pub catalogue: String,
    /// Units by code (the national administrative-unit code).
    pub units: IndexMap<String, UnitSpec>,
}

/// One administrative unit.
///
/// ```
/// # let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let units = motcua::Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml", &catalogue)?;
/// let hanoi = &units.spec().units["01"];
/// assert_eq!((hanoi.name.get("en"), hanoi.level.as_str()), ("Hà Nội", "province"));
/// assert_eq!(hanoi.parent.as_deref(), Some("VN"));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    /// Its name.
    pub name: Text,
    /// Its administrative level (a catalogue level).
    pub level: String,
    /// The unit it belongs to, at a higher level (absent for the top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}
