//! Loading and checking administrative units.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::limits::Limits;
use crate::spec::source::{self, Part, SourceMap};
use crate::spec::units::UnitsSpec;
use crate::spec::yaml;

use super::Catalogue;

/// Administrative units, checked against a catalogue's levels: who is whose parent.
///
/// Load them into a [`Library`](crate::Library) with
/// [`Library::add_units_yaml`](crate::Library::add_units_yaml); procedures compiled against
/// it then resolve the unit of every active step and refuse officers of another unit.
///
/// ```
/// use motcua::{Catalogue, Units};
/// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let units = Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "units.yaml", &catalogue)?;
/// assert_eq!(units.level("00004"), Some("commune"));
/// assert_eq!(units.ancestor_at("00004", "province"), Some("01"));
/// assert_eq!(units.ancestor_at("00004", "commune"), Some("00004"));
/// assert_eq!(units.ancestor_at("01", "commune"), None);
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Units {
    spec: UnitsSpec,
    /// Code → (level, parent).
    index: HashMap<String, (String, Option<String>)>,
    /// The catalogue's levels, lowest first: level → rank.
    ranks: HashMap<String, usize>,
}

impl Units {
    /// Loads units from YAML text; `file` names it in diagnostics. Every level must be one
    /// of the catalogue's, every parent a unit of a higher level.
    ///
    /// ```
    /// use motcua::{Catalogue, Units};
    ///
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let units = Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml", &catalogue)?;
    /// assert_eq!(units.ancestor_at("00004", "central"), Some("VN"));
    ///
    /// // A parent must be of a higher level.
    /// let bad = "id: t\ncatalogue: vietnam\nunits:\n  VN: {name: {vi: VN}, level: central}\n  \"01\": {name: {vi: HN}, level: province, parent: \"02\"}\n  \"02\": {name: {vi: X}, level: commune, parent: VN}\n";
    /// assert!(Units::from_yaml(bad, "bad.yaml", &catalogue).is_err());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn from_yaml(text: &str, file: &str, catalogue: &Catalogue) -> Result<Units, LoadError> {
        let (spec, map) = yaml::from_str::<UnitsSpec>(text, file, &Limits::default())?;
        Self::build(spec, &map, catalogue)
    }

    fn build(spec: UnitsSpec, map: &SourceMap, catalogue: &Catalogue) -> Result<Units, LoadError> {
        let mut problems: Vec<Diagnostic> = Vec::new();
        if spec.catalogue != catalogue.id() {
            problems.push(map.diagnostic(
                Code::CatalogueMismatch,
                "catalogue",
                Part::Value,
                Message::new(
                    format!("Danh sách đơn vị dùng danh mục `{}`, không phải `{}`", spec.catalogue, catalogue.id()),
                    format!("the units use catalogue `{}`, not `{}`", spec.catalogue, catalogue.id()),
                ),
            ));
        }
        for (code, unit) in &spec.units {
            let path = source::join("units", code);
            let Some(rank) = catalogue.level_rank(&unit.level) else {
                problems.push(map.diagnostic(
                    Code::UnknownLevel,
                    &source::join(&path, "level"),
                    Part::Value,
                    Message::new(
                        format!("Cấp `{}` không có trong danh mục", unit.level),
                        format!("level `{}` is not in the catalogue", unit.level),
                    ),
                ));
                continue;
            };
            let Some(parent) = &unit.parent else { continue };
            let parent_rank = spec.units.get(parent).and_then(|p| catalogue.level_rank(&p.level));
            let (vi, en) = match parent_rank {
                None => (
                    format!("Đơn vị cấp trên `{parent}` không có trong danh sách"),
                    format!("parent unit `{parent}` is not listed"),
                ),
                Some(p) if p <= rank => (
                    format!("Đơn vị cấp trên `{parent}` phải ở cấp cao hơn `{}`", unit.level),
                    format!("parent unit `{parent}` must be at a level above `{}`", unit.level),
                ),
                Some(_) => continue,
            };
            problems.push(map.diagnostic(
                Code::UnknownUnit,
                &source::join(&path, "parent"),
                Part::Value,
                Message::new(vi, en),
            ));
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(LoadError::new(problems));
        }
        let index = spec.units.iter().map(|(code, u)| (code.clone(), (u.level.clone(), u.parent.clone()))).collect();
        let ranks = catalogue.spec().levels.iter().enumerate().map(|(i, l)| (l.id.clone(), i)).collect();
        Ok(Units { spec, index, ranks })
    }

    /// The spec as written.
    ///
    /// ```
    /// # let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let units = motcua::Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml", &catalogue)?;
    /// assert_eq!(units.spec().id, "vietnam");
    /// assert_eq!(units.spec().units["01"].name.get("en"), "Hà Nội");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn spec(&self) -> &UnitsSpec {
        &self.spec
    }

    /// Whether a unit with this code is listed.
    ///
    /// ```
    /// # let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let units = motcua::Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml", &catalogue)?;
    /// assert!(units.contains("79"));
    /// assert!(!units.contains("99999"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn contains(&self, code: &str) -> bool {
        self.index.contains_key(code)
    }

    /// A unit's level.
    ///
    /// ```
    /// # let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let units = motcua::Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml", &catalogue)?;
    /// assert_eq!(units.level("VN"), Some("central"));
    /// assert_eq!(units.level("00004"), Some("commune"));
    /// assert_eq!(units.level("99999"), None);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn level(&self, code: &str) -> Option<&str> {
        self.index.get(code).map(|(level, _)| level.as_str())
    }

    /// The unit itself or its ancestor at `level`: the unit that handles, at that level, a
    /// dossier filed with `code`. `None` when `level` is below the unit's or none matches.
    ///
    /// ```
    /// # let catalogue = motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let units = motcua::Units::from_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml", &catalogue)?;
    /// // The Hà Nội commune 00004 is handled at province level by Hà Nội (01).
    /// assert_eq!(units.ancestor_at("00004", "province"), Some("01"));
    /// assert_eq!(units.ancestor_at("01", "commune"), None); // below the unit
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn ancestor_at<'a>(&'a self, code: &'a str, level: &str) -> Option<&'a str> {
        let want = *self.ranks.get(level)?;
        let mut at = code;
        // Parents are of strictly higher levels (checked at load), so this ends.
        loop {
            let (unit_level, parent) = self.index.get(at)?;
            let rank = *self.ranks.get(unit_level)?;
            if rank == want {
                return Some(at);
            }
            if rank > want {
                return None;
            }
            at = parent.as_deref()?;
        }
    }
}
