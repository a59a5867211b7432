//! What procedures are compiled against: the catalogue and the working-day calendars.

mod catalogue;
mod units;

pub use catalogue::Catalogue;
pub use units::Units;

use std::sync::Arc;

use crate::calendar::{Calendar, Calendars};
use crate::diagnostic::LoadError;

/// The shared data procedures refer to: one [`Catalogue`] and a set of [`Calendars`].
///
/// Load it once at start-up and compile every procedure against it.
///
/// ```
/// use motcua::{Catalogue, Library};
///
/// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let mut library = Library::new(catalogue);
/// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// assert_eq!(library.calendar("vn-gov").map(|c| c.day_minutes()), Some(480));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Library {
    catalogue: Catalogue,
    calendars: Calendars,
    units: Option<Arc<Units>>,
}

impl Library {
    /// A library with a catalogue and no calendars yet.
    ///
    /// ```
    /// use motcua::{Catalogue, Library};
    ///
    /// let library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// assert_eq!(library.catalogue().id(), "vietnam");
    /// assert_eq!(library.calendars().ids().count(), 0);
    /// assert!(library.units().is_none());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn new(catalogue: Catalogue) -> Library {
        Library { catalogue, calendars: Calendars::new(), units: None }
    }

    /// A library with a catalogue and calendars already loaded.
    ///
    /// ```
    /// use motcua::{Calendars, Catalogue, Library};
    ///
    /// let mut calendars = Calendars::new();
    /// calendars.insert_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let library = Library::with_calendars(catalogue, calendars);
    /// assert!(library.calendar("vn-gov").is_some());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn with_calendars(catalogue: Catalogue, calendars: Calendars) -> Library {
        Library { catalogue, calendars, units: None }
    }

    /// Loads the administrative units (e.g. `specs/units/vietnam.yaml`). Procedures
    /// compiled afterwards resolve the unit handling every active step and refuse an
    /// officer of another unit (`wrong_unit`); a dossier must then be filed with a listed
    /// unit. Without units, actors' units are not checked.
    ///
    /// ```
    /// use motcua::{Catalogue, Library};
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// library.add_units_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml")?;
    /// assert_eq!(library.units().and_then(|u| u.ancestor_at("00004", "province")), Some("01"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn add_units_yaml(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        self.units = Some(Arc::new(Units::from_yaml(text, file, &self.catalogue)?));
        Ok(())
    }

    /// The administrative units, if loaded.
    ///
    /// ```
    /// use motcua::{Catalogue, Library};
    ///
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// assert!(library.units().is_none());
    /// library.add_units_yaml(include_str!("../../specs/units/vietnam.yaml"), "vietnam.yaml")?;
    /// assert_eq!(library.units().unwrap().level("01"), Some("province"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn units(&self) -> Option<&Units> {
        self.units.as_deref()
    }

    pub(crate) fn units_arc(&self) -> Option<Arc<Units>> {
        self.units.clone()
    }

    /// Loads one calendar file (a calendar that `extends` another needs that one first).
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Library};
    ///
    /// let mut library = Library::new(Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// assert_eq!(library.calendar("vn-gov").unwrap().day_minutes(), 480);
    ///
    /// // `example-province` extends `vn-gov`: loaded first, it would not resolve.
    /// let mut empty = Library::new(library.catalogue().clone());
    /// let err = empty.add_calendar_yaml(include_str!("../../specs/calendars/example-province.yaml"), "example-province.yaml");
    /// assert!(err.is_err());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn add_calendar_yaml(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        self.calendars.insert_yaml(text, file)
    }

    /// Loads one calendar written as JSON (the serialization of [`CalendarSpec`](crate::spec::calendar::CalendarSpec),
    /// as [`Calendar::to_json`] gives it); a calendar that `extends` another needs that one first.
    ///
    /// With [`Catalogue::from_json`] and [`Procedure::from_json`](crate::Procedure::from_json),
    /// everything a browser needs loads from JSON a server sends, without the YAML parser.
    ///
    /// ```
    /// use motcua::{Catalogue, Library, Procedure};
    ///
    /// // On the server, from the YAML files:
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let mut server = Library::new(catalogue.clone());
    /// server.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// let text = include_str!("../../specs/procedures/business-registration.yaml");
    /// let procedure = Procedure::from_yaml(text, "business-registration.yaml", &server)?;
    /// let shipped = (catalogue.to_json(), server.calendar("vn-gov").unwrap().to_json(), procedure.to_json());
    ///
    /// // In the browser, from JSON only:
    /// let mut library = Library::new(Catalogue::from_json(&shipped.0, "vietnam.json")?);
    /// library.add_calendar_json(&shipped.1, "vn-gov.json")?;
    /// let procedure = Procedure::from_json(&shipped.2, "business-registration.json", &library)?;
    /// assert_eq!(procedure.start().id(), "receive");
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn add_calendar_json(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        self.calendars.insert_json(text, file)
    }

    /// The catalogue.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// assert_eq!(library.catalogue().agency_level("commune_police"), Some("commune"));
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The calendars.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// assert_eq!(library.calendars().ids().collect::<Vec<_>>(), ["vn-gov"]);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn calendars(&self) -> &Calendars {
        &self.calendars
    }

    /// A calendar by identifier.
    ///
    /// ```
    /// # let mut library = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// assert_eq!(library.calendar("vn-gov").unwrap().id(), "vn-gov");
    /// assert!(library.calendar("mars").is_none());
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn calendar(&self, id: &str) -> Option<&Calendar> {
        self.calendars.get(id)
    }
}

impl From<Catalogue> for Library {
    fn from(catalogue: Catalogue) -> Library {
        Library::new(catalogue)
    }
}
