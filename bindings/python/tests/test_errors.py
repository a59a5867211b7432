"""Every kind of bad input raises the right exception with its code and place."""

import copy
import datetime

import pytest

import motcua
from conftest import ROOT, act


def raises(cls, code, fn, *args, **kwargs):
    with pytest.raises(cls) as caught:
        fn(*args, **kwargs)
    e = caught.value
    assert type(e) is cls, type(e)
    assert e.code == code, str(e)
    assert e.message_vi and e.message_en and code in str(e)
    assert set(e.place) == {"file", "line", "column", "path"}
    return e


def test_the_hierarchy():
    for cls in (motcua.SpecError, motcua.InputError, motcua.CommandRefused, motcua.HistoryError,
                motcua.CalendarError):
        assert issubclass(cls, motcua.MotcuaError) and cls.__module__ == "motcua"
    assert issubclass(motcua.MotcuaError, Exception)


@pytest.fixture
def dossier(business, business_submission):
    return business.submit(business_submission)[0]


ACCEPT = act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "department_finance", "accept", unit="01")


def test_dicts_of_the_wrong_shape(business, business_submission, dossier):
    before = dossier.snapshot_json()
    missing = {k: v for k, v in ACCEPT.items() if k != "at"}
    e = raises(motcua.InputError, "invalid_shape", dossier.apply, missing)
    assert e.place["path"] == "$" and "`at`" in e.message_en
    e = raises(motcua.InputError, "invalid_shape", dossier.apply, dict(ACCEPT, actor={"rolex": "citizen"}))
    assert e.place["path"] == "$.actor.rolex"
    e = raises(motcua.InputError, "invalid_shape", dossier.apply, dict(ACCEPT, expected_version="one"))
    assert e.place["path"] == "$.expected_version"
    e = raises(motcua.InputError, "invalid_shape", dossier.apply, dict(ACCEPT, type="teleport"))
    assert e.place["path"] == "$"
    raises(motcua.InputError, "invalid_shape", dossier.apply, [ACCEPT])
    bad = copy.deepcopy(business_submission)
    bad["documents"][1]["files"] = "scan.pdf"
    e = raises(motcua.InputError, "invalid_shape", business.submit, bad)
    assert e.place["path"].startswith("$.documents[1]"), e.place
    e = raises(motcua.InputError, "invalid_shape", business.validate, {}, [{"idx": "x"}], "2026-03-02")
    assert e.place["path"] == "$[0].idx"
    assert dossier.snapshot_json() == before


def test_values_with_no_json_form(business, dossier):
    e = raises(motcua.InputError, "invalid_type", dossier.apply, dict(ACCEPT, actor={"role": {"a", "b"}}))
    assert e.place["path"] == "$.actor.role" and "set" in e.message_en
    e = raises(motcua.InputError, "invalid_type", business.validate, {1: "x"}, [], "2026-03-02")
    assert e.place["path"] == "$"
    e = raises(motcua.InputError, "invalid_type", business.validate, {"a": [1.0, float("nan")]}, [], "2026-03-02")
    assert e.place["path"] == "$.a[1]"
    raises(motcua.InputError, "invalid_type", business.validate, {"a": 2**70}, [], "2026-03-02")
    raises(motcua.InputError, "invalid_type", business.validate, {"a": object()}, [], "2026-03-02")
    e = raises(motcua.InputError, "invalid_utf8", business.validate, {"a": "\ud800"}, [], "2026-03-02")
    assert e.place["path"] == "$.a"
    deep = []
    for _ in range(200):
        deep = [deep]
    raises(motcua.InputError, "invalid_shape", business.validate, {"a": deep}, [], "2026-03-02")


def test_bad_dates_instants_durations_and_languages(library, business, dossier):
    raises(motcua.InputError, "invalid_argument", business.validate, {}, [], "2.3.2026")
    raises(motcua.InputError, "invalid_argument", business.validate, {}, [], "2026-02-30")
    e = raises(motcua.InputError, "invalid_argument", dossier.advance, "2026-03-02 10:00")
    assert e.place["path"] == "now"
    naive = datetime.datetime(2026, 3, 2, 10, 0)
    e = raises(motcua.InputError, "invalid_argument", dossier.advance, naive)
    assert "naive" in e.message_en
    raises(motcua.InputError, "invalid_argument", dossier.apply, dict(ACCEPT, at=naive))
    raises(motcua.InputError, "invalid_shape", dossier.apply, dict(ACCEPT, at="yesterday"))
    raises(motcua.InputError, "invalid_shape", dossier.advance, 12)
    raises(motcua.InputError, "invalid_argument", business.add_working_time, "2026-03-02T09:00:00+07:00", "3 ngày")
    raises(motcua.InputError, "invalid_argument", business.dot, "de")
    # An aware datetime is an RFC 3339 instant.
    aware = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    assert dossier.apply(dict(ACCEPT, at=aware))["events"][0]["at"] == "2026-03-02T10:00:00+07:00"


def test_invalid_json_snapshots(business, dossier):
    e = raises(motcua.InputError, "invalid_json", business.restore, '{\n  "id": }')
    assert (e.place["path"], e.place["line"], e.place["column"]) == ("snapshot", 2, 9)
    raises(motcua.InputError, "invalid_json", business.restore, "")
    e = raises(motcua.InputError, "invalid_shape", business.restore, '{"id": "x"}')
    assert e.place["path"] == "$"
    snapshot = dossier.snapshot()
    snapshot["history"][0]["seq"] = "first"
    e = raises(motcua.InputError, "invalid_shape", business.restore, snapshot)
    assert e.place["path"] == "$.history[0].seq"
    raises(motcua.InputError, "invalid_shape", business.replay, {"seq": 1})
    raises(motcua.InputError, "invalid_shape", motcua.verify_history, [{"seq": 1}])


def test_spec_errors_have_file_line_and_column(library):
    text = (ROOT / "specs/procedures/business-registration.yaml").read_text(encoding="utf-8")
    e = raises(motcua.SpecError, "unknown_step", library.compile, text.replace("to: review", "to: revieww", 1),
               "broken.yaml")
    assert e.place["file"] == "broken.yaml" and e.place["line"] > 1 and e.place["column"] > 1
    assert e.place["path"].startswith("steps.") and "revieww" in e.message_en
    assert any(d["code"] == "unknown_step" and d["file"] == "broken.yaml" for d in e.diagnostics)
    e = raises(motcua.SpecError, "yaml_syntax", library.compile, "code: [", "x.yaml")
    assert (e.place["file"], e.place["line"]) == ("x.yaml", 1)
    assert library.compile(text, "b.yaml").code == "2.001610"  # the library is unchanged
    with pytest.raises(motcua.SpecError) as caught:
        motcua.Library("levels: 7\n", "bad-catalogue.yaml")
    assert caught.value.place["file"] == "bad-catalogue.yaml"
    with pytest.raises(motcua.SpecError):
        library.add_calendar("id: x\nextends: nowhere\n", "x.yaml")
    assert "x" not in library.calendars


def test_files_and_folders(library, tmp_path):
    e = raises(motcua.InputError, "io_error", library.load_procedure, tmp_path / "missing.yaml")
    assert e.place["path"].endswith("missing.yaml")
    raises(motcua.InputError, "io_error", motcua.Library.from_folder, tmp_path)


def test_calendar_errors(library):
    raises(motcua.CalendarError, "outside_calendar", library.add_working_time, "vn-gov",
           "2027-12-30T09:00:00+07:00", "10d")
    raises(motcua.CalendarError, "unknown_calendar", library.add_working_time, "x", "2026-04-29T09:00:00+07:00", "1d")


def test_wrong_python_types_of_plain_arguments(library, business, dossier):
    e = raises(motcua.InputError, "invalid_type", library.compile, 42)
    assert "int" in e.message_en
    raises(motcua.InputError, "invalid_type", library.compile, "code: x", file=3)
    raises(motcua.InputError, "invalid_type", library.load_procedure, None)
    raises(motcua.InputError, "invalid_type", business.restore, b"{}")
    raises(motcua.InputError, "invalid_type", business.restore, dossier.snapshot(), head=5)
    raises(motcua.InputError, "invalid_type", business.mermaid, lang=["vi"])
    raises(motcua.InputError, "invalid_type", dossier.effects_of, -1)
    raises(motcua.InputError, "invalid_type", motcua.Library, None)
