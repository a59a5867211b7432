//! What procedures are compiled against: the catalogue and the working-day calendars.

use crate::calendar::{Calendar, Calendars};
use crate::compile::Catalogue;
use crate::diagnostic::LoadError;

/// The shared data procedures refer to: one [`Catalogue`] and a set of [`Calendars`].
///
/// Load it once at start-up and compile every procedure against it.
///
/// ```
/// use motcua::{Catalogue, Library};
///
/// let catalogue = Catalogue::from_yaml(include_str!("../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
/// let mut library = Library::new(catalogue);
/// library.add_calendar_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
/// assert_eq!(library.calendar("vn-gov").map(|c| c.day_minutes()), Some(480));
/// # Ok::<(), motcua::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Library {
    catalogue: Catalogue,
    calendars: Calendars,
}

impl Library {
    /// A library with a catalogue and no calendars yet.
    pub fn new(catalogue: Catalogue) -> Library {
        Library { catalogue, calendars: Calendars::new() }
    }

    /// A library with a catalogue and calendars already loaded.
    pub fn with_calendars(catalogue: Catalogue, calendars: Calendars) -> Library {
        Library { catalogue, calendars }
    }

    /// Loads one calendar file (a calendar that `extends` another needs that one first).
    pub fn add_calendar_yaml(&mut self, text: &str, file: &str) -> Result<(), LoadError> {
        self.calendars.insert_yaml(text, file)
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The calendars.
    pub fn calendars(&self) -> &Calendars {
        &self.calendars
    }

    /// A calendar by identifier.
    pub fn calendar(&self, id: &str) -> Option<&Calendar> {
        self.calendars.get(id)
    }
}

impl From<Catalogue> for Library {
    fn from(catalogue: Catalogue) -> Library {
        Library::new(catalogue)
    }
}
