"""A portal language embedding the motcua C library: Python with ctypes, no build step.

    MOTCUA_LIB=target/debug/libmotcua.so python3 bindings/c/tests/test_ctypes.py

Wraps the C API in a few lines of Python (errors become exceptions carrying the stable code),
then runs a dossier through the shipped enterprise registration. Plain asserts; prints
`N passed, M failed` and exits 1 on a failure.
"""

import ctypes as C
import json
import os
import sys
import threading
import traceback

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LIB = C.CDLL(os.environ.get("MOTCUA_LIB") or os.path.join(ROOT, "target", "debug", "libmotcua.so"))


class Str(C.Structure):
    _fields_ = [("ptr", C.c_void_p), ("len", C.c_size_t)]

    def text(self):
        return C.string_at(self.ptr, self.len).decode("utf-8") if self.len else ""


P = C.c_void_p
PP = C.POINTER(C.c_void_p)
SZ = C.c_size_t
CHARS = C.c_char_p


def sig(name, restype, *argtypes):
    f = getattr(LIB, name)
    f.restype, f.argtypes = restype, list(argtypes)
    return f


sig("motcua_version", Str)
sig("motcua_string_ptr", C.c_void_p, P)
sig("motcua_string_len", SZ, P)
sig("motcua_string_free", None, P)
for accessor in ("code", "path", "message_vi", "message_en", "json"):
    sig("motcua_error_" + accessor, Str, P)
sig("motcua_error_result", C.c_int, P)
sig("motcua_error_line", C.c_uint32, P)
sig("motcua_error_column", C.c_uint32, P)
sig("motcua_error_free", None, P)
sig("motcua_library_new", C.c_int, CHARS, SZ, CHARS, SZ, PP, PP)
sig("motcua_library_add_calendar", C.c_int, P, CHARS, SZ, CHARS, SZ, PP)
sig("motcua_library_add_working_time", C.c_int, P, CHARS, SZ, CHARS, SZ, CHARS, SZ, PP, PP)
sig("motcua_library_free", None, P)
sig("motcua_procedure_compile", C.c_int, P, CHARS, SZ, CHARS, SZ, PP, PP)
sig("motcua_procedure_code", Str, P)
sig("motcua_procedure_version", Str, P)
sig("motcua_procedure_warnings", C.c_int, P, PP, PP)
sig("motcua_procedure_validate", C.c_int, P, CHARS, SZ, CHARS, SZ, CHARS, SZ, PP, PP)
sig("motcua_procedure_add_working_time", C.c_int, P, CHARS, SZ, CHARS, SZ, PP, PP)
sig("motcua_procedure_mermaid", C.c_int, P, CHARS, SZ, PP, PP)
sig("motcua_procedure_dot", C.c_int, P, CHARS, SZ, PP, PP)
sig("motcua_procedure_free", None, P)
sig("motcua_dossier_submit", C.c_int, P, CHARS, SZ, PP, PP, PP)
sig("motcua_dossier_apply", C.c_int, P, P, CHARS, SZ, PP, PP)
sig("motcua_dossier_advance", C.c_int, P, P, CHARS, SZ, PP, PP)
sig("motcua_dossier_next_due", C.c_int, P, PP, PP)
sig("motcua_dossier_snapshot", C.c_int, P, PP, PP)
sig("motcua_dossier_version", C.c_uint64, P)
sig("motcua_dossier_from_snapshot", C.c_int, P, CHARS, SZ, CHARS, SZ, PP, PP)
sig("motcua_dossier_head", C.c_int, P, PP, PP)
sig("motcua_dossier_replay", C.c_int, P, CHARS, SZ, PP, PP)
sig("motcua_dossier_free", None, P)


class MotcuaError(Exception):
    """A failed call: the result code, the stable code string, the place, both languages."""

    def __init__(self, result, err):
        self.result = result
        self.code = LIB.motcua_error_code(err).text()
        self.path = LIB.motcua_error_path(err).text()
        self.line = LIB.motcua_error_line(err)
        self.column = LIB.motcua_error_column(err)
        self.vi = LIB.motcua_error_message_vi(err).text()
        self.en = LIB.motcua_error_message_en(err).text()
        self.json = json.loads(LIB.motcua_error_json(err).text())
        LIB.motcua_error_free(err)
        super().__init__(f"{self.code} at {self.path!r}: {self.en}")


def b(text):
    return text.encode("utf-8") if isinstance(text, str) else text


def call(name, *args, outs=1):
    """Calls a fallible function: (ptr, len) pairs for each str/bytes argument, `outs`
    output pointers, and the error pointer. Returns the output handles."""
    flat = []
    for a in args:
        if isinstance(a, (str, bytes)):
            flat += [b(a), len(b(a))]
        else:
            flat.append(a)
    out = [C.c_void_p() for _ in range(outs)]
    err = C.c_void_p()
    result = getattr(LIB, name)(*flat, *[C.byref(o) for o in out], C.byref(err))
    if result != 0:
        assert all(o.value is None for o in out), "outputs are NULL on failure"
        raise MotcuaError(result, err)
    assert err.value is None
    if outs == 1:
        return out[0].value
    return [o.value for o in out] if outs else None


def take(s):
    """Reads a motcua_string as Python text and frees it (None stays None)."""
    if s is None:
        return None
    text = C.string_at(LIB.motcua_string_ptr(s), LIB.motcua_string_len(s)).decode("utf-8")
    LIB.motcua_string_free(s)
    return text


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def raises(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except MotcuaError as e:
        assert e.code == code, f"expected {code}, got {e.code}: {e}"
        return e
    raise AssertionError(f"expected {code}, the call succeeded")


# ---- the portal's start-up: one library, procedures compiled once --------------------------
library = call("motcua_library_new", read("specs/catalogue/vietnam.yaml"), "vietnam.yaml")
call("motcua_library_add_calendar", library, read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml", outs=0)
SPEC = "specs/procedures/business-registration.yaml"
procedure = call("motcua_procedure_compile", library, read(SPEC), SPEC)
birth = call("motcua_procedure_compile", library, read("specs/procedures/birth-registration-residence-insurance.yaml"), "birth.yaml")
SUBMISSION = json.loads(read("bindings/c/tests/data/business-registration-submission.json"))


def command(id, at, role, action=None, agency=None, **extra):
    actor = {"role": role, **({"agency": agency} if agency else {})}
    cmd = {"id": id, "at": at, "actor": actor, **extra}
    if action:
        cmd.update(type="act", action=action)
    return json.dumps(cmd)


def apply(dossier, cmd, proc=None):
    return json.loads(take(call("motcua_dossier_apply", dossier, proc or procedure, cmd)))


tests = []


def test(fn):
    tests.append(fn)
    return fn


@test
def version():
    assert LIB.motcua_version().text().count(".") == 2


@test
def procedure_metadata_and_warnings():
    assert LIB.motcua_procedure_code(procedure).text() == "2.001610"
    assert LIB.motcua_procedure_version(procedure).text() == "2025.1"
    assert isinstance(json.loads(take(call("motcua_procedure_warnings", procedure))), list)


@test
def a_spec_error_has_a_place():
    broken = read(SPEC).replace("to: review", "to: revieww", 1)
    e = raises("unknown_step", call, "motcua_procedure_compile", library, broken, "broken.yaml")
    assert e.result == 6 and e.line > 1 and e.column > 1 and e.path.startswith("steps.")
    assert any(d["code"] == "unknown_step" and d["file"] == "broken.yaml" for d in e.json)
    assert "revieww" in e.en and e.vi


@test
def validate_a_form():
    empty = json.loads(take(call("motcua_procedure_validate", procedure, "{}", "[]", "2026-03-02")))
    codes = {p["code"] for p in empty["problems"]}
    assert {"field_required", "document_missing"} <= codes, codes
    full = take(call("motcua_procedure_validate", procedure, json.dumps(SUBMISSION["data"]),
                     json.dumps(SUBMISSION["documents"]), "2026-03-02"))
    assert json.loads(full) == {"problems": []}
    e = raises("invalid_json", call, "motcua_procedure_validate", procedure, "{\n\"x\": }", "[]", "2026-03-02")
    assert (e.path, e.line) == ("data", 2)
    raises("invalid_argument", call, "motcua_procedure_validate", procedure, "{}", "[]", "2.3.2026")
    raises("invalid_utf8", call, "motcua_procedure_validate", procedure, b"{\"a\": \"\xff\"}", "[]", "2026-03-02")


@test
def deadlines():
    due = take(call("motcua_library_add_working_time", library, "vn-gov", "2026-04-29T09:00:00+07:00", "1d"))
    assert due == "2026-05-04T09:00:00+07:00"
    due = take(call("motcua_procedure_add_working_time", procedure, "2026-03-02T09:00:00+07:00", "0.5d"))
    assert due == "2026-03-02T14:00:00+07:00", due
    raises("outside_calendar", call, "motcua_library_add_working_time", library, "vn-gov", "2027-12-30T09:00:00+07:00", "10d")
    raises("unknown_calendar", call, "motcua_library_add_working_time", library, "x", "2026-04-29T09:00:00+07:00", "1d")
    raises("invalid_argument", call, "motcua_procedure_add_working_time", procedure, "2026-03-02T09:00:00+07:00", "3 ngày")


@test
def diagrams():
    assert take(call("motcua_procedure_mermaid", procedure, "vi")).startswith("flowchart")
    assert "digraph" in take(call("motcua_procedure_dot", procedure, "en"))
    raises("invalid_argument", call, "motcua_procedure_dot", procedure, "de")


@test
def a_dossier_from_submission_to_result():
    dossier, applied = call("motcua_dossier_submit", procedure, json.dumps(SUBMISSION), outs=2)
    applied = json.loads(take(applied))
    assert [e["type"] for e in applied["effects"]] == ["status_changed", "step_started", "appointment_set"]
    try:
        out = apply(dossier, command("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "accept",
                                     "department_finance", expected_version=1))
        assert {"type": "slip", "slip": "receipt"}.items() <= out["effects"][0].items()
        e = raises("forbidden", apply, dossier, command("c2", "2026-03-02T11:00:00+07:00", "citizen", "propose"))
        assert e.result == 7 and e.path == "actor" and e.json["code"] == "forbidden"
        raises("version_conflict", apply, dossier, command("c3", "2026-03-03T15:00:00+07:00", "officer", "propose",
                                                           "department_finance", expected_version=1))
        assert LIB.motcua_dossier_version(dossier) == 2
        for id, at, role, action in [("c4", "2026-03-03T15:00:00+07:00", "officer", "propose"),
                                     ("c5", "2026-03-04T10:00:00+07:00", "leader", "sign"),
                                     ("c6", "2026-03-04T16:00:00+07:00", "one_stop_officer", "hand_over")]:
            out = apply(dossier, command(id, at, role, action, "department_finance"))
        assert {"type": "closed", "outcome": "issued", "kind": "result_issued"}.items() <= out["effects"][1].items()
        assert take(call("motcua_dossier_next_due", dossier)) is None
        raises("dossier_closed", apply, dossier, command("c7", "2026-03-05T08:00:00+07:00", "citizen", None,
                                                         type="request_withdrawal"))
        # The host stores the snapshot or the events; both load back to the same dossier.
        snapshot = take(call("motcua_dossier_snapshot", dossier))
        head = take(call("motcua_dossier_head", dossier))
        assert head == json.loads(snapshot)["head"]
        loaded = call("motcua_dossier_from_snapshot", procedure, snapshot, head)
        edited = snapshot.replace('"status":10', '"status":9')
        assert edited != snapshot
        raises("tampered_snapshot", call, "motcua_dossier_from_snapshot", procedure, edited, head)
        replayed = call("motcua_dossier_replay", procedure, json.dumps(json.loads(snapshot)["history"]))
        try:
            assert take(call("motcua_dossier_snapshot", loaded)) == snapshot
            assert take(call("motcua_dossier_snapshot", replayed)) == snapshot
        finally:
            LIB.motcua_dossier_free(loaded)
            LIB.motcua_dossier_free(replayed)
    finally:
        LIB.motcua_dossier_free(dossier)


@test
def timers_fire_on_advance():
    submission = read("bindings/c/tests/data/birth-registration-submission.json")
    dossier, applied = call("motcua_dossier_submit", birth, submission, outs=2)
    take(applied)
    try:
        apply(dossier, command("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "request_supplement",
                               "commune_committee"), birth)
        assert take(call("motcua_dossier_next_due", dossier)) == "2026-03-16T10:00:00+07:00"
        out = json.loads(take(call("motcua_dossier_advance", dossier, birth, "2026-03-17T08:00:00+07:00")))
        assert out["events"][0]["type"] == "timer_fired"
        assert any(e.get("kind") == "stopped" for e in out["effects"])
    finally:
        LIB.motcua_dossier_free(dossier)


@test
def bad_arguments_are_errors_not_crashes():
    e = raises("null_argument", call, "motcua_procedure_validate", None, "{}", "[]", "2026-03-02")
    assert e.result == 1 and e.path == "procedure"
    raises("invalid_handle", call, "motcua_dossier_snapshot", procedure)
    raises("invalid_json", call, "motcua_dossier_submit", procedure, "{\"dossier_id\": ", outs=2)
    raises("invalid_history", call, "motcua_dossier_replay", procedure, "[]")


@test
def one_procedure_serves_many_threads():
    data, docs = json.dumps(SUBMISSION["data"]), json.dumps(SUBMISSION["documents"])
    results = []

    def worker():
        for _ in range(20):
            results.append(take(call("motcua_procedure_validate", procedure, data, docs, "2026-03-02")))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ['{"problems":[]}'] * 80


passed = failed = 0
for t in tests:
    try:
        t()
        passed += 1
    except Exception:
        failed += 1
        print(f"FAIL {t.__name__}", file=sys.stderr)
        traceback.print_exc()
LIB.motcua_procedure_free(procedure)
LIB.motcua_procedure_free(birth)
LIB.motcua_library_free(library)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
