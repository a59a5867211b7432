#![allow(dead_code)] // each target uses part of the shipped data
//! The shipped catalogue, calendars and procedures, loaded once per fuzzing process.

use std::sync::OnceLock;

use motcua::{Catalogue, Library, Procedure};

pub const PROCEDURES: [(&str, &str); 4] = [
    ("birth", include_str!("../../specs/procedures/birth-registration-residence-insurance.yaml")),
    ("business", include_str!("../../specs/procedures/business-registration.yaml")),
    ("land", include_str!("../../specs/procedures/land-first-certificate.yaml")),
    ("provincial", include_str!("../../specs/procedures/provincial-two-phase-23-days.yaml")),
];

pub fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")
            .expect("shipped catalogue");
        let mut library = Library::new(catalogue);
        library.add_calendar_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml").expect("calendar");
        library
    })
}

pub fn procedures() -> &'static [Procedure] {
    static PROCS: OnceLock<Vec<Procedure>> = OnceLock::new();
    PROCS.get_or_init(|| {
        PROCEDURES
            .iter()
            .map(|(name, text)| Procedure::from_yaml(text, name, library()).expect("shipped spec"))
            .collect()
    })
}
