//! Versions: what changed between two versions of a procedure, and the migration file that
//! moves running dossiers from one to the next (issue 15), on the shipped 2025-07-01 pair.

use motcua::version::{ChangeKind, Migration, StepMove, diff};
use motcua::{Code, Procedure};
use proptest::prelude::*;

use crate::common::{procedure, procedure_files, read, yaml_files};

const OLD: &str = "specs/procedures/superseded/household-business-registration-2021.yaml";
const NEW: &str = "specs/procedures/household-business-registration.yaml";
const MIGRATION: &str = "specs/migrations/1.001612-2021.1-to-2025.1.yaml";

/// Every shipped procedure, the versions in force and the superseded ones.
fn all_procedure_files() -> Vec<String> {
    let mut files = procedure_files();
    files.extend(yaml_files("specs/procedures/superseded"));
    files
}

fn pair() -> (Procedure, Procedure) {
    (procedure(OLD), procedure(NEW))
}

#[test]
fn the_2025_07_01_pair_moves_every_step_from_the_district_to_the_commune() {
    let (old, new) = pair();
    let d = diff(&old, &new);
    assert_eq!((d.from.version.as_str(), d.to.version.as_str()), ("2021.1", "2025.1"));
    for step in ["receive", "review", "sign", "return_result"] {
        let subject = format!("steps.{step}");
        let level = d.find(ChangeKind::StepLevelChanged, &subject).unwrap_or_else(|| panic!("{step}: {d:#?}"));
        assert_eq!((level.old.as_deref(), level.new.as_deref()), (Some("district"), Some("commune")), "{step}");
        assert!(level.breaking, "{step}");
        assert!(d.find(ChangeKind::StepAgencyChanged, &subject).is_some_and(|c| c.breaking), "{step}");
    }
    // The applicant's step has no agency, so nothing changed there.
    assert!(d.changes.iter().all(|c| c.subject != "steps.supplement"), "{d:#?}");
    let review = d.find(ChangeKind::StepAgencyChanged, "steps.review").expect("review");
    assert_eq!(
        (review.old.as_deref(), review.new.as_deref()),
        (Some("district_finance_planning"), Some("commune_economic_division"))
    );
    assert!(review.message.en.contains("Commune Economic Division"), "{}", review.message.en);
    assert!(review.message.vi.contains("Phòng Tài chính - Kế hoạch cấp huyện"), "{}", review.message.vi);
    // Agencies: both district ones gone (breaking), both commune ones new (not breaking).
    for (kind, agency, breaking) in [
        (ChangeKind::AgencyRemoved, "district_committee", true),
        (ChangeKind::AgencyRemoved, "district_finance_planning", true),
        (ChangeKind::AgencyAdded, "commune_committee", false),
        (ChangeKind::AgencyAdded, "commune_economic_division", false),
    ] {
        let c = d.find(kind, &format!("agencies.{agency}")).unwrap_or_else(|| panic!("{kind} {agency}"));
        assert_eq!(c.breaking, breaking, "{kind} {agency}");
    }
    // The form: the district is gone (breaking: old data would carry an unexpected field), the
    // owner's ID is renamed (removed and added, both breaking), a label changed (not breaking).
    assert!(d.find(ChangeKind::FieldRemoved, "form.fields.business_address.fields.district").unwrap().breaking);
    assert!(d.find(ChangeKind::FieldRemoved, "form.fields.owner.fields.id_number").unwrap().breaking);
    assert!(d.find(ChangeKind::FieldAdded, "form.fields.owner.fields.citizen_id").unwrap().breaking);
    assert!(!d.find(ChangeKind::FieldLabelChanged, "form.fields.business_address.fields.commune").unwrap().breaking);
    // Documents: renamed (removed + added); the new one may come from the population database,
    // so adding it is not breaking.
    assert!(d.find(ChangeKind::DocumentRemoved, "documents.member_ids").unwrap().breaking);
    assert!(!d.find(ChangeKind::DocumentAdded, "documents.personal_papers").unwrap().breaking);
    assert!(d.find(ChangeKind::LegalBasisAdded, "legal_basis.Nghị định 168/2025/NĐ-CP").is_some());
    // Same deadline, same budgets: no deadline change is reported.
    assert!(d.find(ChangeKind::LegalDeadlineChanged, "legal_deadline").is_none());
    assert!(d.changes.iter().all(|c| c.kind != ChangeKind::StepBudgetChanged));
    assert_eq!(d.breaking, d.changes.iter().filter(|c| c.breaking).count());
    assert!(d.is_breaking());
}

#[test]
fn a_shorter_budget_and_deadline_are_noted_not_breaking() {
    let text = read(NEW);
    let edited = text.replace("legal_deadline: 3d", "legal_deadline: 2.5d").replacen(
        "    budget: 1.5d\n",
        "    budget: 1d\n",
        1,
    );
    let library = crate::common::library();
    let (a, b) = (procedure(NEW), Procedure::from_yaml(&edited, "edited.yaml", &library).expect("loads"));
    let d = diff(&a, &b);
    let kinds: Vec<_> = d.changes.iter().map(|c| (c.kind, c.subject.as_str(), c.breaking)).collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::LegalDeadlineChanged, "legal_deadline", false),
            (ChangeKind::StepBudgetChanged, "steps.review", false)
        ]
    );
    assert_eq!(d.changes[1].message.en, "step “Review the dossier” (`review`): budget shortened from 1.5d to 1d");
    assert!(!d.is_breaking());
    // `1d` and `8h` are the same budget on the 8-hour government day: no change.
    let same = text.replacen("    budget: 0.5d\n", "    budget: 4h\n", 1);
    assert!(diff(&a, &Procedure::from_yaml(&same, "same.yaml", &library).unwrap()).is_empty());
}

#[test]
fn what_a_hand_off_sends_and_the_labels_are_reported_not_breaking() {
    // The shipped pair: the review's agency now receives the personal papers instead of the
    // members' IDs (the document was renamed).
    let (old, new) = pair();
    let d = diff(&old, &new);
    let removed = d.find(ChangeKind::ReceivesDocumentRemoved, "steps.review.receives.documents.member_ids").unwrap();
    assert_eq!((removed.old.as_deref(), removed.new.as_deref(), removed.breaking), (Some("member_ids"), None, false));
    let added = d.find(ChangeKind::ReceivesDocumentAdded, "steps.review.receives.documents.personal_papers").unwrap();
    assert_eq!(
        added.message.en,
        "step “Review the dossier” (`review`): document `personal_papers` is now sent to the receiving agency"
    );
    assert!(d.changes.iter().all(|c| !c.subject.contains(".receives.fields.")), "the same fields are sent: {d:#?}");
    // Edited: a field no longer sent, another one sent, an action and a step renamed.
    let text = read(NEW)
        .replacen(
            "      fields: [business_name, business_address, business_lines, capital, employees, owner]
",
            "      fields: [business_name, business_address, business_lines, capital, owner, owner.phone]
",
            1,
        )
        .replacen("en: Propose for signature}", "en: Send for signature}", 1)
        .replacen(
            "name: {vi: Thẩm định hồ sơ, en: Review the dossier}",
            "name: {vi: Xem xét hồ sơ, en: Examine the dossier}",
            1,
        );
    let library = crate::common::library();
    let edited = Procedure::from_yaml(&text, "edited.yaml", &library).expect("loads");
    let d = diff(&new, &edited);
    let kinds: Vec<_> = d.changes.iter().map(|c| (c.kind, c.subject.as_str(), c.breaking)).collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::StepNameChanged, "steps.review", false),
            (ChangeKind::ReceivesFieldRemoved, "steps.review.receives.fields.employees", false),
            (ChangeKind::ReceivesFieldAdded, "steps.review.receives.fields.owner.phone", false),
            (ChangeKind::ActionNameChanged, "steps.review.actions.propose", false),
        ]
    );
    let action = &d.changes[3];
    assert_eq!((action.old.as_deref(), action.new.as_deref()), (Some("Trình ký"), Some("Trình ký")));
    assert!(
        action.message.en.ends_with("name of action `propose`: “Propose for signature” → “Send for signature”"),
        "{}",
        action.message.en
    );
    assert!(!d.is_breaking());
    assert_symmetric(&new, &edited, "receives and labels");
    for kind in [ChangeKind::ReceivesFieldAdded, ChangeKind::ReceivesDocumentRemoved, ChangeKind::ActionNameChanged] {
        assert_eq!(ChangeKind::from_name(kind.as_str()), Some(kind));
    }
}

#[test]
fn a_new_required_field_and_document_are_breaking_an_optional_one_is_not() {
    let text = read(NEW);
    let edited = text
        .replace(
            "    employees:\n",
            "    tax_code:\n      label: {vi: Mã số thuế, en: Tax code}\n      type: tax_code\n      required: true\n    website:\n      label: {vi: Trang web}\n      type: text\n    employees:\n",
        )
        .replace("documents:\n", "documents:\n  lease:\n    name: {vi: Hợp đồng thuê địa điểm}\n");
    let library = crate::common::library();
    let b = Procedure::from_yaml(&edited, "edited.yaml", &library).expect("loads");
    let d = diff(&procedure(NEW), &b);
    assert!(d.find(ChangeKind::FieldAdded, "form.fields.tax_code").unwrap().breaking);
    assert!(!d.find(ChangeKind::FieldAdded, "form.fields.website").unwrap().breaking);
    assert!(d.find(ChangeKind::DocumentAdded, "documents.lease").unwrap().breaking);
    assert_eq!(d.breaking, 2);
}

#[test]
fn the_diff_serializes_with_stable_codes() {
    let (old, new) = pair();
    let json = serde_json::to_value(diff(&old, &new)).expect("serializes");
    assert_eq!(json["from"]["version"], "2021.1");
    let first = &json["changes"][0];
    assert!(first["kind"].is_string() && first["message"]["vi"].is_string() && first["message"]["en"].is_string());
    let kinds: Vec<&str> = json["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"step_level_changed") && kinds.contains(&"agency_removed"), "{kinds:?}");
    for kind in ChangeKind::ALL {
        assert_eq!(ChangeKind::from_name(kind.as_str()), Some(*kind));
        assert_eq!(kind.inverse().inverse(), *kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}

#[test]
fn every_shipped_procedure_diffed_with_itself_is_empty() {
    for file in all_procedure_files() {
        let p = procedure(&file);
        let d = diff(&p, &p);
        assert!(d.is_empty(), "{file}: {:#?}", d.changes);
        assert!(!d.is_breaking());
    }
}

/// Every change of `diff(a, b)` has its counterpart in `diff(b, a)`: the same subject, the
/// inverse kind, old and new swapped.
fn assert_symmetric(a: &Procedure, b: &Procedure, what: &str) {
    let (ab, ba) = (diff(a, b), diff(b, a));
    assert_eq!(ab.changes.len(), ba.changes.len(), "{what}");
    for c in &ab.changes {
        let back = ba.find(c.kind.inverse(), &c.subject).unwrap_or_else(|| panic!("{what}: no inverse of {c:#?}"));
        assert_eq!((&back.old, &back.new), (&c.new, &c.old), "{what}: {c:#?}");
    }
}

#[test]
fn every_change_between_shipped_procedures_has_its_inverse() {
    let files = all_procedure_files();
    let procedures: Vec<Procedure> = files.iter().map(|f| procedure(f)).collect();
    for (i, a) in procedures.iter().enumerate() {
        for (j, b) in procedures.iter().enumerate() {
            if i < j {
                assert_symmetric(a, b, &format!("{} / {}", files[i], files[j]));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random edits of a shipped spec (budgets, roles, agencies, a removed action, a new
    /// optional field): the diff with itself is empty, and the diff both ways is symmetric.
    #[test]
    fn edited_specs_diff_symmetrically(
        budget in prop::sample::select(vec!["0.25d", "0.5d", "2h", "3h"]),
        role in prop::sample::select(vec!["officer", "leader", "one_stop_officer"]),
        agency in prop::sample::select(vec!["commune_committee", "commune_economic_division", "commune_police"]),
        drop_refuse in any::<bool>(),
        add_field in any::<bool>(),
    ) {
        let mut text = read(NEW)
            .replacen("    budget: 0.5d\n", &format!("    budget: {budget}\n"), 1)
            .replacen("    role: leader\n", &format!("    role: {role}\n"), 1)
            .replacen("    agency: commune_economic_division\n    role: officer\n", &format!("    agency: {agency}\n    role: officer\n"), 1);
        if drop_refuse {
            text = text.replacen("      refuse: {to: refused, slip: refusal, name: {vi: Từ chối cấp, en: Refuse}}\n", "", 1);
        }
        if add_field {
            text = text.replace("    employees:\n", "    note:\n      label: {vi: Ghi chú}\n      type: text\n    employees:\n");
        }
        let library = crate::common::library();
        let edited = Procedure::from_yaml(&text, "edited.yaml", &library).expect("loads");
        prop_assert!(diff(&edited, &edited).is_empty());
        assert_symmetric(&procedure(NEW), &edited, "edited");
        assert_symmetric(&procedure(OLD), &edited, "old / edited");
    }
}

/// The superseded versions load clean, with the schema modeline, and their scenarios (kept
/// apart, since the service serves only the version in force) pass and replay, with the
/// administrative units loaded and without.
#[test]
fn superseded_versions_load_and_their_scenarios_pass() {
    let superseded = yaml_files("specs/procedures/superseded");
    assert!(superseded.contains(&OLD.to_owned()), "{superseded:?}");
    for file in &superseded {
        let p = procedure(file);
        assert!(p.warnings().is_empty(), "{file}: {:?}", p.warnings());
        assert!(p.spec().valid_until.is_some(), "{file}: a superseded version says when it ended");
        let first = read(file).lines().next().unwrap_or_default().to_owned();
        assert_eq!(first, "# yaml-language-server: $schema=../../schema/procedure.schema.json", "{file}");
    }
    let scenarios = yaml_files("tests/superseded/scenarios");
    for (library, units) in [(crate::common::library(), false), (crate::common::library_with_units(), true)] {
        let mut per_procedure = std::collections::BTreeMap::<String, usize>::new();
        for file in &scenarios {
            let scenario = motcua::scenario::Scenario::from_yaml(&read(file), file).unwrap_or_else(|e| panic!("{e}"));
            let p = Procedure::from_yaml(&read(&scenario.procedure), &scenario.procedure, &library).expect("loads");
            let timeline = motcua_scenario::run(&scenario, &p);
            assert!(timeline.failures().is_empty(), "{file}:\n{}", timeline.failures().join("\n"));
            let dossier = timeline.dossier().expect("submitted");
            assert_eq!(&motcua::Dossier::replay(&p, dossier.history()).expect("replay"), dossier, "{file}");
            // With units, every step was handled in a definite unit: the district (001) here.
            assert!(dossier.log().iter().all(|r| r.unit.is_some() == units), "{file}");
            if units {
                assert!(dossier.log().iter().all(|r| r.unit.as_deref() == Some("001")), "{file}");
            }
            *per_procedure.entry(scenario.procedure).or_default() += 1;
        }
        for file in &superseded {
            assert!(per_procedure.get(file).copied().unwrap_or(0) >= 2, "{file} needs at least two scenarios");
        }
    }
}

// ---- the migration file ----

#[test]
fn the_shipped_migration_compiles_against_the_pair() {
    let (old, new) = pair();
    let text = read(MIGRATION);
    let m = Migration::from_yaml(&text, MIGRATION, &old, &new).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.warnings().is_empty(), "{:?}", m.warnings());
    assert_eq!(m.from(), ("1.001612", "2021.1"));
    assert_eq!(m.to(), ("1.001612", "2025.1"));
    let moves: Vec<(&str, Option<&str>)> = m
        .steps()
        .map(|(id, mv)| match mv {
            StepMove::To { id: to } => {
                assert!(new.step_by_id(to).is_some(), "{to} is a step of the new version");
                (id, Some(to.as_str()))
            }
            StepMove::NotMigratable { .. } => (id, None),
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("receive", Some("receive")),
            ("review", Some("review")),
            ("supplement", Some("supplement")),
            ("sign", Some("sign")),
            ("return_result", None)
        ]
    );
    // The hash is the SHA-256 of the file's bytes: one changed byte, another hash.
    assert_eq!(m.sha256().len(), 64);
    assert!(m.sha256().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    let touched = text.replace("# what was promised stays promised", "# promised");
    let m2 = Migration::from_yaml(&touched, MIGRATION, &old, &new).expect("loads");
    assert_ne!(m.sha256(), m2.sha256());
    assert_eq!(m.spec(), m2.spec());
    // Known digest of the empty string, through the same code path, is not needed: the
    // hex form is checked against sha2 directly.
    use sha2::Digest as _;
    let expected: String = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(m.sha256(), expected);
}

#[test]
fn migrated_data_validates_against_the_new_form() {
    let (old, new) = pair();
    let m = Migration::from_yaml(&read(MIGRATION), MIGRATION, &old, &new).expect("loads");
    let file = "tests/superseded/scenarios/household-business-registration-2021-happy.yaml";
    let scenario = motcua::scenario::Scenario::from_yaml(&read(file), file).expect("loads");
    let (data, documents) = (scenario.submit.data, scenario.submit.documents);
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    assert!(old.form().validate(&data, &documents, today).is_valid());
    // As is, the old data does not fit the new form; migrated, it does.
    assert!(!new.form().validate(&data, &documents, today).is_valid());
    let (data, documents) = (m.migrate_data(&data), m.migrate_documents(&documents));
    let v = new.form().validate(&data, &documents, today);
    assert!(v.is_valid(), "{:?}", v.problems);
}

/// The shipped migration with one edit, and the single error it must produce.
fn lint(edit: (&str, &str)) -> motcua::Diagnostic {
    let (old, new) = pair();
    let text = read(MIGRATION);
    assert!(text.contains(edit.0), "{}", edit.0);
    let text = text.replacen(edit.0, edit.1, 1);
    let err = Migration::from_yaml(&text, "bad.yaml", &old, &new).expect_err("must fail");
    let errors: Vec<_> = err.errors().cloned().collect();
    assert_eq!(errors.len(), 1, "{err}");
    errors.into_iter().next().unwrap()
}

/// Line and column (1-based) of the first occurrence of `needle` in the edited file.
fn place(edit: (&str, &str), needle: &str) -> (u32, u32) {
    let text = read(MIGRATION).replacen(edit.0, edit.1, 1);
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u32, column as u32)
}

#[test]
fn migration_lints_point_at_line_and_column() {
    let cases: [((&str, &str), Code, &str, &str); 12] = [
        // A format this engine does not read.
        (("motcua: 1\n", "motcua: 2\n"), Code::UnsupportedFormat, "motcua", "2\n"),
        // An old step without a mapping: reported at `steps:`.
        (("  sign: {to: sign}\n", ""), Code::MissingField, "steps", "steps:"),
        // A target the new version lacks.
        (("review: {to: review}", "review: {to: reviews}"), Code::UnknownStep, "steps.review.to", "reviews}"),
        // A target that is an outcome.
        (("sign: {to: sign}", "sign: {to: issued}"), Code::UnknownStep, "steps.sign.to", "issued}"),
        // A mapping for a step the old version lacks.
        (
            ("  sign: {to: sign}\n", "  sign: {to: sign}\n  approve: {to: sign}\n"),
            Code::UnknownStep,
            "steps.approve",
            "approve:",
        ),
        // Both `to` and `not_migratable`.
        (
            ("sign: {to: sign}", "sign: {to: sign, not_migratable: {vi: x}}"),
            Code::InvalidValue,
            "steps.sign",
            "sign: {to: sign,",
        ),
        // Versions and code that are not the procedures'.
        (("from: \"2021.1\"", "from: \"2020.1\""), Code::WrongProcedure, "from", "\"2020.1\""),
        (("to: \"2025.1\"", "to: \"2025.2\""), Code::WrongProcedure, "to", "\"2025.2\""),
        (("procedure: \"1.001612\"", "procedure: \"1.001613\""), Code::WrongProcedure, "procedure", "\"1.001613\""),
        // A renamed field missing on either side.
        (
            ("owner.id_number: owner.citizen_id", "owner.id_numbr: owner.citizen_id"),
            Code::UnknownReference,
            "fields.owner.id_numbr",
            "owner.id_numbr",
        ),
        (
            ("owner.id_number: owner.citizen_id", "owner.id_number: owner.cccd"),
            Code::UnknownReference,
            "fields.owner.id_number",
            "owner.cccd",
        ),
        // A renamed document missing from the new checklist.
        (
            ("member_ids: personal_papers", "member_ids: identity_papers"),
            Code::UnknownDocument,
            "documents.member_ids",
            "identity_papers",
        ),
    ];
    for (edit, code, path, needle) in cases {
        let d = lint(edit);
        assert_eq!((d.code, d.path.as_str()), (code, path), "{edit:?}: {d}");
        assert_eq!((d.line, d.column), place(edit, needle), "{edit:?}: {d}");
        assert_eq!(d.file, "bad.yaml");
    }
    // A dropped field the old form lacks.
    let edit = ("  - business_address.district", "  - business_address.ward");
    let d = lint(edit);
    assert_eq!((d.code, d.path.as_str()), (Code::UnknownReference, "dropped_fields[0]"));
    assert_eq!((d.line, d.column), place(edit, "business_address.ward"));
}

#[test]
fn a_step_no_dossier_can_reach_needs_no_mapping() {
    // An old version with an unreachable step (a warning when it loads).
    let text = read(OLD).replace(
        "outcomes:\n",
        "  archive:\n    name: {vi: Lưu trữ}\n    agency: district_committee\n    role: officer\n    actions:\n      done: {to: issued}\n\noutcomes:\n",
    );
    let library = crate::common::library();
    let old = Procedure::from_yaml(&text, "old.yaml", &library).expect("loads");
    assert!(old.warnings().iter().any(|w| w.code == Code::UnreachableStep));
    let m = Migration::from_yaml(&read(MIGRATION), MIGRATION, &old, &procedure(NEW)).expect("loads");
    assert!(matches!(m.step_by_id("archive"), Some(StepMove::NotMigratable { .. })));
}

/// The shipped migration with one edit: it loads, with exactly these warnings (code, message).
fn warnings(edit: (&str, &str)) -> Vec<(Code, String)> {
    let (old, new) = pair();
    let text = read(MIGRATION);
    assert!(text.contains(edit.0), "{}", edit.0);
    let m = Migration::from_yaml(&text.replacen(edit.0, edit.1, 1), "w.yaml", &old, &new).expect("loads");
    m.warnings().iter().map(|d| (d.code, d.message.en.clone())).collect()
}

#[test]
fn a_migration_that_leaves_data_behind_warns() {
    // The district not dropped: every moved dossier would carry a field the new form lacks.
    assert_eq!(
        warnings(("dropped_fields:\n  - business_address.district   # no districts after 2025-06-30\n", "")),
        [(
            Code::UnexpectedField,
            "field `business_address.district` of version 2021.1 is not in the form of version 2025.1 (as \
             `business_address.district`): rename it (`fields`) or drop it (`dropped_fields`)"
                .to_owned()
        )]
    );
    // The owner's ID not renamed: the old one is left over and the new required one is missing.
    let w = warnings(("fields:\n  owner.id_number: owner.citizen_id\n", ""));
    let codes: Vec<Code> = w.iter().map(|(c, _)| *c).collect();
    // Both at `fields`, so in code order.
    assert_eq!(codes, [Code::FieldRequired, Code::UnexpectedField], "{w:?}");
    assert!(w[0].1.starts_with("required field `owner.citizen_id` of version 2025.1"), "{w:?}");
    // The document not renamed: the old one is left over; the new one may come from the
    // population database, so its absence is no warning.
    let w = warnings(("documents:\n  member_ids: personal_papers\n", ""));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, Code::UnknownDocument);
    // Dropped instead: no warning, and the dossier's list loses it.
    let (old, new) = pair();
    let text =
        read(MIGRATION).replace("documents:\n  member_ids: personal_papers\n", "dropped_documents: [member_ids]\n");
    let m = Migration::from_yaml(&text, "d.yaml", &old, &new).expect("loads");
    assert!(m.warnings().is_empty(), "{:?}", m.warnings());
    let docs: Vec<motcua::SubmittedDocument> =
        serde_json::from_value(serde_json::json!([{"id": "application"}, {"id": "member_ids"}])).unwrap();
    assert_eq!(m.migrate_documents(&docs).len(), 1);
}

#[test]
fn moving_a_suspended_dossier_into_a_running_step_warns() {
    let edit = ("supplement: {to: supplement}", "supplement: {to: review}");
    let (old, new) = pair();
    let text = read(MIGRATION).replacen(edit.0, edit.1, 1);
    let m = Migration::from_yaml(&text, "w.yaml", &old, &new).expect("a warning, not an error");
    let [w] = m.warnings() else { panic!("{:?}", m.warnings()) };
    assert_eq!((w.code, w.path.as_str()), (Code::InvalidValue, "steps.supplement.to"));
    assert_eq!(w.message.en, "the legal clock is suspended in step `supplement` but runs in step `review`");
    assert_eq!((w.line, w.column), place(edit, "review}\n  sign:"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random valid mappings of the shipped pair compile, each old step going where it was
    /// told, with a warning exactly for each move between steps whose clocks differ; leaving
    /// any one step out is a `missing_field` error naming it.
    #[test]
    fn random_mappings_compile_to_what_they_say(choices in prop::collection::vec(0usize..6, 5), left_out in 0usize..5) {
        let (old, new) = pair();
        let targets: Vec<&str> = new.steps().iter().map(|s| s.id()).collect();
        let mut lines = Vec::new();
        let mut expected = Vec::new();
        for (step, &choice) in old.steps().iter().zip(&choices) {
            if choice == targets.len() {
                lines.push(format!("  {}: {{not_migratable: {{vi: Không chuyển}}}}", step.id()));
                expected.push(None);
            } else {
                lines.push(format!("  {}: {{to: {}}}", step.id(), targets[choice]));
                expected.push(Some(targets[choice]));
            }
        }
        let text = read(MIGRATION);
        let start = text.find("steps:\n").unwrap() + "steps:\n".len();
        let end = text.find("\nfields:").unwrap();
        let with = |lines: &[String]| format!("{}{}\n{}", &text[..start], lines.join("\n"), &text[end..]);
        let m = Migration::from_yaml(&with(&lines), "random.yaml", &old, &new).expect("a valid mapping loads");
        let moved: Vec<Option<&str>> = m.steps().map(|(_, mv)| match mv {
            StepMove::To { id, .. } => Some(id.as_str()),
            StepMove::NotMigratable { .. } => None,
        }).collect();
        prop_assert_eq!(&moved, &expected);
        let clock_changes = old.steps().iter().zip(&expected)
            .filter(|(s, to)| to.is_some_and(|t| new.step_by_id(t).unwrap().clock() != s.clock()))
            .count();
        prop_assert_eq!(m.warnings().len(), clock_changes);
        prop_assert!(m.warnings().iter().all(|w| w.code == Code::InvalidValue && w.path.ends_with(".to")));

        let mut fewer = lines.clone();
        let gone = fewer.remove(left_out);
        let err = Migration::from_yaml(&with(&fewer), "fewer.yaml", &old, &new).expect_err("a step is left out");
        let errors: Vec<_> = err.errors().collect();
        prop_assert_eq!(errors.len(), 1);
        prop_assert_eq!((errors[0].code, errors[0].path.as_str()), (Code::MissingField, "steps"));
        let id = gone.trim().split(':').next().unwrap();
        prop_assert!(errors[0].message.en.contains(&format!("`{id}`")), "{}", errors[0].message.en);
    }
}
