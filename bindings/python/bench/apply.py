"""The cost of one `apply` from Python: through the PyO3 package and through ctypes (the C ABI).

    bindings/python/bench/run.sh        # builds release, runs this and the Rust peers

Same procedure, dossier and command as bindings/c/benches/apply.rs (the accept of the
shipped business registration, library = catalogue + vn-gov calendar). Fresh dossiers are
prepared outside the timed loop; each timed loop applies the command once to each of N dossiers (N=100 by default: few
enough to stay in cache, like the Rust benches' one-at-a-time inputs; 2000 cold dossiers add
about 5 µs to every route). Prints µs per command for each route: the median, fastest and slowest repeat.

Routes:
- pyo3: `dossier.apply(command_dict)` -> dict (the package's ordinary use);
- pyo3_json: `dossier.apply_json(command_text)` -> str (for hosts that store JSON text);
- ctypes_dicts: `json.dumps(command_dict)`, `motcua_dossier_apply`, read and free the
  string, `json.loads` -> dict (what a ctypes user writes to get the same dict);
- ctypes_json: the same call with the command already as bytes and the result left as
  bytes (the floor of the ctypes route: no JSON work in Python).
"""

import copy
import ctypes as C
import gc
import json
import os
import pathlib
import sys
import time

import motcua

ROOT = pathlib.Path(__file__).resolve().parents[3]
N = int(os.environ.get("BENCH_N", "100"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
COMMAND = {
    "id": "c1",
    "at": "2026-03-02T10:00:00+07:00",
    "actor": {"role": "one_stop_officer", "agency": "department_finance"},
    "expected_version": 1,
    "type": "act",
    "action": "accept",
}


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


SPEC = read("specs/procedures/business-registration.yaml")
CATALOGUE = read("specs/catalogue/vietnam.yaml")
CALENDAR = read("specs/calendars/vn-gov.yaml")
SUBMISSION = json.loads(read("bindings/c/tests/data/business-registration-submission.json"))


def timed(prepare, run):
    """µs per command of each repeat."""
    out = []
    for _ in range(REPEATS):
        items = prepare()
        gc.collect()
        gc.disable()
        start = time.perf_counter_ns()
        run(items)
        elapsed = time.perf_counter_ns() - start
        gc.enable()
        out.append(elapsed / N / 1000)
    return out


def pyo3_route():
    library = motcua.Library(CATALOGUE, "vietnam.yaml")
    library.add_calendar(CALENDAR, "vn-gov.yaml")
    procedure = library.compile(SPEC, "business-registration.yaml")
    dossier, _ = procedure.submit(SUBMISSION)

    def run(dossiers):
        for d in dossiers:
            d.apply(COMMAND)

    text = json.dumps(COMMAND)

    def run_json(dossiers):
        for d in dossiers:
            d.apply_json(text)

    prepare = lambda: [copy.copy(dossier) for _ in range(N)]  # noqa: E731
    return timed(prepare, run), timed(prepare, run_json)


def ctypes_routes(lib_path):
    lib = C.CDLL(lib_path)
    P, PP, SZ, CH = C.c_void_p, C.POINTER(C.c_void_p), C.c_size_t, C.c_char_p
    lib.motcua_library_new.argtypes = [CH, SZ, CH, SZ, PP, PP]
    lib.motcua_library_add_calendar.argtypes = [P, CH, SZ, CH, SZ, PP]
    lib.motcua_procedure_compile.argtypes = [P, CH, SZ, CH, SZ, PP, PP]
    lib.motcua_dossier_submit.argtypes = [P, CH, SZ, PP, PP, PP]
    lib.motcua_dossier_apply.argtypes = [P, P, CH, SZ, PP, PP]
    lib.motcua_string_ptr.argtypes = [P]
    lib.motcua_string_ptr.restype = C.c_void_p
    lib.motcua_string_len.argtypes = [P]
    lib.motcua_string_len.restype = SZ
    lib.motcua_string_free.argtypes = [P]
    lib.motcua_dossier_free.argtypes = [P]
    for f in (lib.motcua_library_new, lib.motcua_library_add_calendar, lib.motcua_procedure_compile,
              lib.motcua_dossier_submit, lib.motcua_dossier_apply):
        f.restype = C.c_int

    def ok(result):
        assert result == 0, result

    def b(s):
        return s.encode("utf-8")

    library, procedure = C.c_void_p(), C.c_void_p()
    ok(lib.motcua_library_new(b(CATALOGUE), len(b(CATALOGUE)), b"v", 1, C.byref(library), None))
    ok(lib.motcua_library_add_calendar(library, b(CALENDAR), len(b(CALENDAR)), b"c", 1, None))
    ok(lib.motcua_procedure_compile(library, b(SPEC), len(b(SPEC)), b"s", 1, C.byref(procedure), None))
    submission = b(json.dumps(SUBMISSION))

    def prepare():
        dossiers = []
        for _ in range(N):
            d, applied = C.c_void_p(), C.c_void_p()
            ok(lib.motcua_dossier_submit(procedure, submission, len(submission), C.byref(d), C.byref(applied), None))
            lib.motcua_string_free(applied)
            dossiers.append(d)
        return dossiers

    apply, string_ptr, string_len, string_free = (
        lib.motcua_dossier_apply, lib.motcua_string_ptr, lib.motcua_string_len, lib.motcua_string_free)

    def dicts(dossiers):
        out, byref = C.c_void_p(), C.byref
        for d in dossiers:
            text = json.dumps(COMMAND).encode("utf-8")
            ok(apply(d, procedure, text, len(text), byref(out), None))
            json.loads(C.string_at(string_ptr(out), string_len(out)))
            string_free(out)
        for d in dossiers:
            lib.motcua_dossier_free(d)

    command = b(json.dumps(COMMAND))

    def raw(dossiers):
        out, byref, n = C.c_void_p(), C.byref, len(command)
        for d in dossiers:
            ok(apply(d, procedure, command, n, byref(out), None))
            C.string_at(string_ptr(out), string_len(out))
            string_free(out)
        for d in dossiers:
            lib.motcua_dossier_free(d)

    return timed(prepare, dicts), timed(prepare, raw)


def show(name, values):
    median = sorted(values)[len(values) // 2]
    print(f"{name:14} median {median:6.2f} µs/command  (fastest {min(values):.2f}, slowest {max(values):.2f})")
    return sorted(values)[len(values) // 2]


def main():
    lib_path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/libmotcua.so")
    print(f"N={N} applies per repeat, {REPEATS} repeats, Python {sys.version.split()[0]}")
    dicts, text = pyo3_route()
    pyo3 = show("pyo3", dicts)
    pyo3_json = show("pyo3_json", text)
    dicts, raw = ctypes_routes(lib_path)
    cd = show("ctypes_dicts", dicts)
    cr = show("ctypes_json", raw)
    print(f"ratios (medians): ctypes_dicts / pyo3 = {cd / pyo3:.2f}, ctypes_json / pyo3_json = {cr / pyo3_json:.2f}")


if __name__ == "__main__":
    main()
