//! Hand-edited snapshots: a shipped scenario's final dossier, serialized, then altered at
//! fuzzer-chosen bytes, must never load as anything but the dossier it was. Whatever
//! `Dossier::from_snapshot` accepts (checked against the stored head) equals the original.

use super::shipped;
use std::sync::OnceLock;

use motcua::Dossier;
use motcua::scenario::Scenario;

const SCENARIOS: [(usize, &str); 3] = [
    (0, include_str!("../../tests/scenarios/birth-registration-happy-police-first.yaml")),
    (1, include_str!("../../tests/scenarios/business-registration-supplement-refused.yaml")),
    (2, include_str!("../../tests/scenarios/land-first-certificate-paid.yaml")),
];

/// (procedure index, dossier, its snapshot JSON) for each scenario, built once.
fn snapshots() -> &'static [(usize, Dossier, Vec<u8>)] {
    static SNAPSHOTS: OnceLock<Vec<(usize, Dossier, Vec<u8>)>> = OnceLock::new();
    SNAPSHOTS.get_or_init(|| {
        SCENARIOS
            .iter()
            .map(|(p, text)| {
                let scenario = Scenario::from_yaml(text, "scenario.yaml").expect("shipped scenario");
                let timeline = motcua_scenario::run(&scenario, &shipped::procedures()[*p]);
                let dossier = timeline.dossier().expect("submitted").clone();
                let json = serde_json::to_vec(&dossier).expect("serializes");
                (*p, dossier, json)
            })
            .collect()
    })
}

/// The check, on one input.
pub fn check(input: (u8, Vec<(u16, u8)>)) {
    let (which, edits) = input;
    let all = snapshots();
    let (p, original, json) = &all[usize::from(which) % all.len()];
    let mut bytes = json.clone();
    for (at, byte) in edits.iter().take(8) {
        let i = usize::from(*at) * 7 % bytes.len();
        bytes[i] = *byte;
    }
    let Ok(edited) = serde_json::from_slice::<Dossier>(&bytes) else { return };
    let procedure = &shipped::procedures()[*p];
    if let Ok(loaded) = Dossier::from_snapshot(procedure, edited, Some(original.head())) {
        assert_eq!(&loaded, original, "an edited snapshot loaded as another dossier");
    }
}
