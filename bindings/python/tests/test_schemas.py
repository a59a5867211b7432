"""What the package returns is in the published shapes: specs/schema/runtime/*.schema.json."""

import json

import jsonschema
import pytest

import motcua
from conftest import ROOT, act

SCHEMAS = {
    p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "specs/schema/runtime").glob("*.schema.json"))
}


VALIDATORS = {}


def check(name, value):
    if name not in VALIDATORS:
        schema = SCHEMAS[name]
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        VALIDATORS[name] = cls(schema)
    errors = sorted(VALIDATORS[name].iter_errors(value), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:3])


def test_the_package_serves_the_committed_schemas():
    assert motcua.runtime_schemas() == SCHEMAS
    assert set(SCHEMAS) == {"submission", "command", "applied", "event", "effect", "dossier", "rejection"}


def test_the_checker_catches_a_wrong_shape():
    with pytest.raises(AssertionError):
        check("command", {"id": "c1", "type": "act"})


def test_results_validate(birth, birth_submission):
    check("submission", birth_submission)
    dossier, applied = birth.submit(birth_submission)
    results = [applied]
    commands = [
        act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee", "accept"),
        act("c2", "2026-03-02T14:00:00+07:00", "civil_status_officer", "commune_committee", "propose"),
        act("c3", "2026-03-03T09:30:00+07:00", "leader", "commune_committee", "sign"),
        act("c4", "2026-03-03T15:00:00+07:00", "police_officer", "commune_police", "register_residence"),
        act("c5", "2026-03-04T10:00:00+07:00", "insurance_officer", "social_insurance", "issue_card"),
        act("c6", "2026-03-04T14:00:00+07:00", "one_stop_officer", "commune_committee", "hand_over"),
    ]
    twin = birth.restore(dossier.snapshot_json(), dossier.head)
    for command in commands:
        check("command", command)
        results.append(dossier.apply(command))
        # Dicts are exactly what the JSON text says (keys, ints, nulls), fork and join included.
        assert json.loads(twin.apply_json(json.dumps(command))) == results[-1]
        assert json.loads(dossier.snapshot_json()) == dossier.snapshot()
    effect_types = set()
    for applied in results:
        check("applied", applied)
        for event in applied["events"]:
            check("event", event)
        for effect in applied["effects"]:
            check("effect", effect)
            effect_types.add(effect["type"])
    assert {"hand_off", "step_started", "status_changed", "slip", "closed", "appointment_set"} <= effect_types
    check("dossier", dossier.snapshot())
    for event in dossier.events:
        check("event", event)


def test_timers_withdrawals_and_rejections_validate(birth, birth_submission, business, business_submission):
    dossier, _ = birth.submit(birth_submission)
    dossier.apply(act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee",
                      "request_supplement"))
    fired = dossier.advance("2026-03-17T08:00:00+07:00")
    check("applied", fired)
    check("dossier", dossier.snapshot())
    assert json.loads(dossier.snapshot_json()) == dossier.snapshot()
    assert dossier.effects_of(3) == fired["effects"]

    dossier, _ = business.submit(business_submission)
    withdrawal = {"id": "w1", "at": "2026-03-02T11:00:00+07:00", "actor": {"role": "citizen"},
                  "type": "request_withdrawal", "reason": "Nộp nhầm"}
    check("command", withdrawal)
    check("applied", dossier.apply(withdrawal))
    with pytest.raises(motcua.CommandRefused) as caught:
        dossier.apply(dict(withdrawal, id="w2", at="2026-03-02T12:00:00+07:00", expected_version=1))
    check("rejection", caught.value.rejection)
    with pytest.raises(motcua.CommandRefused) as caught:
        business.submit(dict(business_submission, data={}))
    check("rejection", caught.value.rejection)
    assert caught.value.rejection["problems"] == caught.value.problems != []
