"""Dossiers through the Python package: submission to result, refusals, snapshots, timers."""

import copy
import datetime
import json

import pytest

import motcua
from conftest import act

TZ = datetime.timezone(datetime.timedelta(hours=7))


def kinds(applied):
    return [e["type"] for e in applied["effects"]]


def test_birth_registration_to_the_result_with_hand_offs(birth, birth_submission):
    dossier, applied = birth.submit(birth_submission)
    assert kinds(applied) == ["status_changed", "step_started", "appointment_set"]
    assert applied["duplicate"] is False
    assert (dossier.id, dossier.version, dossier.status, dossier.active) == ("KS-2026-0302", 1, 1, ["receive"])
    assert dossier.procedure.code == birth.code == "1.001193"

    out = dossier.apply(act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee", "accept",
                            expected_version=1))
    assert {"type": "slip", "slip": "receipt"}.items() <= out["effects"][0].items()
    dossier.apply(act("c2", "2026-03-02T14:00:00+07:00", "civil_status_officer", "commune_committee", "propose"))
    # Signing forks the dossier to the commune police and social insurance: two hand-offs.
    out = dossier.apply(act("c3", "2026-03-03T09:30:00+07:00", "leader", "commune_committee", "sign"))
    hand_offs = [e for e in out["effects"] if e["type"] == "hand_off"]
    assert [(h["to_agency"], h["direction"], h["to_step"]) for h in hand_offs] == [
        ("commune_police", "horizontal", "residence"),
        ("social_insurance", "horizontal", "insurance_card"),
    ]
    assert hand_offs[0]["documents"][0]["id"] == "residence_form"
    assert sorted(dossier.active) == ["insurance_card", "residence"]
    assert ("residence", "register_residence") in dossier.available_actions()

    out = dossier.apply(act("c4", "2026-03-03T15:00:00+07:00", "police_officer", "commune_police",
                            "register_residence"))
    assert kinds(out) == ["hand_off"] and out["effects"][0]["to_agency"] == "commune_committee"
    assert dossier.active == ["insurance_card"]
    out = dossier.apply(act("c5", "2026-03-04T10:00:00+07:00", "insurance_officer", "social_insurance", "issue_card"))
    assert kinds(out) == ["hand_off", "step_started", "status_changed"]
    out = dossier.apply(act("c6", "2026-03-04T14:00:00+07:00", "one_stop_officer", "commune_committee",
                            "hand_over"))
    assert kinds(out) == ["slip", "closed", "status_changed"]
    assert {"outcome": "issued", "kind": "result_issued"}.items() <= out["effects"][1].items()
    assert out["events"][0]["seq"] == 7 == dossier.version
    assert dossier.status == 10 and dossier.active == []
    assert dossier.closure == {"at": "2026-03-04T14:00:00+07:00", "kind": "result_issued", "outcome": "issued"}
    assert dossier.next_due is None
    assert [e["type"] for e in dossier.events][:2] == ["submitted", "action_taken"]
    # The effects of any event are rebuilt from the history, equal to those applied then.
    assert dossier.effects_of(7) == out["effects"]


def test_refusals_carry_their_code_and_leave_the_dossier_untouched(business, business_submission):
    dossier, _ = business.submit(business_submission)
    before = dossier.snapshot_json()
    cases = [
        ("forbidden", "$.actor",
         {"id": "x1", "at": "2026-03-02T10:00:00+07:00", "actor": {"role": "citizen"}, "type": "act",
          "action": "accept"}),
        ("version_conflict", "$.expected_version",
         act("x2", "2026-03-02T10:00:00+07:00", "one_stop_officer", "department_finance", "accept", unit="01",
             expected_version=7)),
        ("unknown_action", "$.action",
         act("x3", "2026-03-02T10:00:00+07:00", "one_stop_officer", "department_finance", "sign", unit="01")),
    ]
    for code, path, command in cases:
        with pytest.raises(motcua.CommandRefused) as caught:
            dossier.apply(command)
        e = caught.value
        assert (e.code, e.place["path"]) == (code, path), str(e)
        assert e.rejection["code"] == code and e.message_vi and e.message_en
        assert isinstance(e, motcua.MotcuaError)
        assert dossier.snapshot_json() == before

    accept = act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "department_finance", "accept", unit="01")
    first = dossier.apply(accept)
    again = dossier.apply(accept)
    assert again["duplicate"] is True and again["events"] == first["events"]
    for i, (role, action) in enumerate([("officer", "propose"), ("leader", "sign"), ("one_stop_officer", "hand_over")]):
        dossier.apply(act(f"c{i + 2}", f"2026-03-0{i + 3}T10:00:00+07:00", role, "department_finance", action,
                          unit="01"))
    with pytest.raises(motcua.CommandRefused) as caught:
        dossier.apply({"id": "w", "at": "2026-03-09T08:00:00+07:00", "actor": {"role": "citizen"},
                       "type": "request_withdrawal"})
    assert caught.value.code == "dossier_closed"


def test_a_snapshot_round_trips_and_verifies(business, business_submission):
    dossier, _ = business.submit(business_submission)
    dossier.apply(act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "department_finance", "accept",
                      unit="01"))
    snapshot, text, head = dossier.snapshot(), dossier.snapshot_json(), dossier.head
    assert snapshot["head"] == head and json.loads(text) == snapshot
    dossier.verify()
    motcua.verify_history(dossier.events, head)

    for stored in (snapshot, text):
        loaded = business.restore(stored, head)
        assert loaded.snapshot() == snapshot and loaded.snapshot_json() == text
        loaded.verify()
    replayed = business.replay(snapshot["history"])
    assert replayed.snapshot_json() == text

    # The restored dossier goes on exactly as the original would.
    twin = copy.copy(dossier)
    step = act("c2", "2026-03-03T15:00:00+07:00", "officer", "department_finance", "propose", unit="01")
    assert business.restore(text, head).apply(step) == twin.apply(step)
    assert dossier.version == 2 and twin.version == 3

    edited = copy.deepcopy(snapshot)
    edited["status"] = 9
    with pytest.raises(motcua.HistoryError) as caught:
        business.restore(edited, head)
    assert caught.value.code == "tampered_snapshot"
    with pytest.raises(motcua.HistoryError) as caught:
        business.restore(snapshot, "0" * 64)
    assert caught.value.code in {"tampered_snapshot", "tampered_history"}
    altered = copy.deepcopy(snapshot["history"])
    altered[0]["at"] = "2026-03-02T09:01:00+07:00"
    with pytest.raises(motcua.HistoryError) as caught:
        motcua.verify_history(altered, head)
    assert caught.value.code == "tampered_history"
    with pytest.raises(motcua.HistoryError) as caught:
        business.replay([])
    assert caught.value.code == "invalid_history"


def test_a_snapshot_of_another_procedure_is_refused(birth, business, business_submission):
    dossier, _ = business.submit(business_submission)
    with pytest.raises(motcua.HistoryError) as caught:
        birth.restore(dossier.snapshot(), dossier.head)
    assert caught.value.code == "wrong_procedure"


def test_timers_fire_on_advance(birth, birth_submission):
    dossier, _ = birth.submit(birth_submission)
    dossier.apply(act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee",
                      "request_supplement"))
    assert dossier.next_due == "2026-03-16T10:00:00+07:00"
    assert dossier.advance("2026-03-10T08:00:00+07:00") == {"duplicate": False, "effects": [], "events": []}
    out = dossier.advance(datetime.datetime(2026, 3, 17, 8, 0, tzinfo=TZ))
    assert out["events"][0]["type"] == "timer_fired"
    assert any(e.get("kind") == "stopped" for e in out["effects"])


def test_form_problems_have_json_paths(birth, birth_submission):
    assert birth.validate(birth_submission["data"], birth_submission["documents"], "2026-03-02") == []
    data = copy.deepcopy(birth_submission["data"])
    data["child"]["birth_date"] = "2026-13-40"
    del data["residence"]["address"]
    problems = birth.validate(data, birth_submission["documents"][1:], datetime.date(2026, 3, 2))
    paths = {p["path"]: p["code"] for p in problems}
    assert paths["$.child.birth_date"] == "invalid_format", paths
    assert paths["$.residence.address"] == "field_required", paths
    assert any(p.startswith("$.documents.") and c == "document_missing" for p, c in paths.items()), paths
    assert all(p["message"]["vi"] and p["message"]["en"] for p in problems)
    assert birth.validate({}) != []  # today's date by default

    # The same problems refuse a submission.
    submission = dict(birth_submission, data=data)
    with pytest.raises(motcua.CommandRefused) as caught:
        birth.submit(submission)
    e = caught.value
    assert e.code == "invalid_form"
    assert {p["path"] for p in e.problems} >= {"$.child.birth_date", "$.residence.address"}


def test_procedure_information(library, birth, business):
    assert (business.code, business.version) == ("2.001610", "2025.1")
    assert business.name["vi"] and birth.name["en"]
    assert business.spec["legal_deadline"] == "3d"
    assert business.spec["steps"]["receive"]["actions"]["accept"]["to"] == "review"
    assert isinstance(business.warnings, list)
    assert business.mermaid().startswith("flowchart") and "digraph" in business.dot("en")
    assert business.add_working_time("2026-03-02T09:00:00+07:00", "0.5d") == "2026-03-02T14:00:00+07:00"
    assert library.add_working_time("vn-gov", "2026-04-29T09:00:00+07:00", "1d") == "2026-05-04T09:00:00+07:00"
    assert "vn-gov" in library.calendars
    assert repr(business) == "<motcua.Procedure 2.001610 2025.1>"


def test_a_library_from_texts(business):
    from conftest import ROOT

    library = motcua.Library((ROOT / "specs/catalogue/vietnam.yaml").read_text(encoding="utf-8"), "vietnam.yaml")
    library.add_calendar((ROOT / "specs/calendars/vn-gov.yaml").read_text(encoding="utf-8"), "vn-gov.yaml")
    library.add_units((ROOT / "specs/units/vietnam.yaml").read_text(encoding="utf-8"), "units.yaml")
    text = (ROOT / "specs/procedures/business-registration.yaml").read_text(encoding="utf-8")
    assert library.compile(text, "business-registration.yaml").spec == business.spec


def test_threads_share_a_procedure(business, business_submission):
    import threading

    results = []

    def worker():
        for _ in range(20):
            results.append(business.validate(business_submission["data"], business_submission["documents"],
                                              "2026-03-02"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[]] * 80


def test_apply_json_is_apply_on_text(business, business_submission):
    dossier, _ = business.submit(business_submission)
    twin = copy.copy(dossier)
    command = act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "department_finance", "accept", unit="01")
    assert json.loads(twin.apply_json(json.dumps(command))) == dossier.apply(command)
    assert twin.snapshot() == dossier.snapshot()
    with pytest.raises(motcua.InputError) as caught:
        twin.apply_json('{"id": "c2",\n "at": }')
    assert (caught.value.code, caught.value.place["line"]) == ("invalid_json", 2)
    with pytest.raises(motcua.CommandRefused) as caught:
        twin.apply_json(json.dumps(dict(command, id="c3", expected_version=1)))
    assert caught.value.code == "version_conflict"


def test_lint_warnings_are_diagnostics_with_a_place(library):
    from conftest import BUSINESS

    text = BUSINESS.read_text(encoding="utf-8").replace(
        "\noutcomes:",
        "\n  orphan:\n    name: {vi: Mồ côi}\n    agency: department_finance\n    role: officer\n"
        "    actions:\n      done: {to: issued}\noutcomes:", 1)
    procedure = library.compile(text, "orphan.yaml")  # a warning does not stop the load
    [warning] = procedure.warnings
    assert (warning["code"], warning["severity"], warning["path"]) == ("unreachable_step", "warning", "steps.orphan")
    assert warning["file"] == "orphan.yaml" and warning["line"] > 1 and warning["message"]["vi"]
