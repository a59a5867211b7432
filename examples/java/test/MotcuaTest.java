import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import motcua.Dossier;
import motcua.Json;
import motcua.Library;
import motcua.MotcuaException;
import motcua.MotcuaNative;
import motcua.Procedure;

/**
 * The Java test of libmotcua over JNA: the typed layer and the raw binding against the real
 * shared library, the shipped specs and the C test fixtures. Plain checks, no framework;
 * prints {@code N passed, M failed} and exits 1 on a failure.
 *
 * <pre>
 *   java -Xms64m -Xmx64m -XX:+AlwaysPreTouch -cp /usr/share/java/jna.jar:BUILD \
 *        -Dmotcua.library=target/debug/libmotcua.so MotcuaTest [ROOT]
 * </pre>
 * (the fixed, pre-touched heap lets the leak check see native memory only).
 */
public final class MotcuaTest {
    static Path root = Path.of(".");
    static int passed, failed;

    interface Body {
        void run() throws Exception;
    }

    static String read(String relative) throws Exception {
        return Files.readString(root.resolve(relative));
    }

    static void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.err.println("check failed: " + what);
            new Throwable().getStackTrace();
        }
    }

    static void equal(Object got, Object want, String what) {
        check(want == null ? got == null : want.equals(got), what + ": got <" + got + ">, want <" + want + ">");
    }

    /** Runs {@code body}, which must throw a MotcuaException of this result, code and path. */
    static MotcuaException refuses(MotcuaException.Result result, String code, String path, Body body)
            throws Exception {
        try {
            body.run();
        } catch (MotcuaException e) {
            equal(e.result(), result, "result of " + e.getMessage());
            equal(e.code(), code, "code of " + e.getMessage());
            if (path != null) equal(e.path(), path, "path of " + e.getMessage());
            check(!e.messageVi().isEmpty() && !e.messageEn().isEmpty(), "both messages: " + e.getMessage());
            check(e.detail() != null && Json.parse(e.detail()) != null, "detail is JSON: " + e.detail());
            return e;
        }
        check(false, "expected " + code + " at " + path + ", but the call succeeded");
        return null;
    }

    static void test(String name, Body body) {
        int before = failed;
        try {
            body.run();
        } catch (Throwable t) {
            failed++;
            System.err.println("FAIL " + name + ": unexpected " + t);
            t.printStackTrace();
        }
        System.out.println((failed == before ? "ok   " : "FAIL ") + name);
    }

    static String act(String id, String at, String role, String agency, String action, Long expected) {
        return "{\"id\":" + Json.quote(id) + ",\"at\":" + Json.quote(at) + ",\"actor\":{\"role\":" + Json.quote(role)
                + (agency == null ? "" : ",\"agency\":" + Json.quote(agency)) + "}"
                + (expected == null ? "" : ",\"expected_version\":" + expected) + ",\"type\":\"act\",\"action\":"
                + Json.quote(action) + "}";
    }

    /** The effects of an applied JSON as short strings, as the scenario files write them. */
    @SuppressWarnings("unchecked")
    static List<String> effects(String applied) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.object(applied).get("effects")) {
            Map<String, Object> e = (Map<String, Object>) o;
            String type = (String) e.get("type");
            out.add(switch (type) {
                case "status_changed" -> "status:" + e.get("to");
                case "step_started" -> "start:" + e.get("step");
                case "slip" -> "slip:" + e.get("slip");
                case "hand_off" -> "hand_off:" + e.get("to_agency") + ":" + e.get("direction");
                case "clock_suspended" -> "clock:suspended";
                case "closed" -> "closed:" + e.get("outcome");
                default -> type;
            });
        }
        return out;
    }

    static Object status(Dossier d) throws MotcuaException {
        return Json.object(d.snapshot()).get("status");
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS");
    }

    static Library library;
    static Procedure birth;
    static String submission;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) root = Path.of(args[0]);
        submission = read("bindings/c/tests/data/birth-registration-submission.json");
        String catalogue = read("specs/catalogue/vietnam.yaml"), calendar = read("specs/calendars/vn-gov.yaml");
        String spec = read("specs/procedures/birth-registration-residence-insurance.yaml");

        test("the example's JSON reader: escapes, nesting, raw members", () -> {
            String doc = "{\"a\":\"x\\\"y\\n\u1ea1\",\"b\":[1,{\"c\":\"]}\\\"\"}],\"d\":-2.5e1}";
            Map<String, Object> m = Json.object(doc, "b");
            equal(m.get("a"), "x\"y\n\u1ea1", "escaped string");
            equal(m.get("b"), "[1,{\"c\":\"]}\\\"\"}]", "raw member with brackets and quotes in a string");
            equal(Json.raw(doc, "b"), m.get("b"), "raw = object(text, key)");
            equal(Json.object(doc).get("d"), -25.0, "number");
            equal(Json.parse((String) m.get("b")).toString(), "[1, {c=]}\"}]", "the raw text parses");
        });

        test("version", () -> check(Library.version().matches("\\d+\\.\\d+\\.\\d+.*"), "version " + Library.version()));

        test("library: load, calendar, working time, and their bad inputs", () -> {
            library = Library.load(catalogue, "vietnam.yaml");
            library.addCalendar(calendar, "vn-gov.yaml");
            // 30/4 and 1/5 are holidays, 2–3/5 a weekend: three working days from Wednesday 29/4 end on Wednesday 6/5.
            equal(library.addWorkingTime("vn-gov", "2026-04-29T09:00:00+07:00", "3d"), "2026-05-06T09:00:00+07:00",
                    "working time across the holidays");
            MotcuaException e = refuses(MotcuaException.Result.LOAD_ERROR, "yaml_syntax", "levels",
                    () -> Library.load("levels: [x", "bad.yaml"));
            check(e.line() == 1 && e.column() > 0, "load error has its place: " + e.getMessage());
            check(e.detail().startsWith("[") && e.detail().contains("bad.yaml"), "diagnostics: " + e.detail());
            refuses(MotcuaException.Result.CALENDAR_ERROR, "unknown_calendar", "calendar",
                    () -> library.addWorkingTime("mars", "2026-04-29T09:00:00+07:00", "1d"));
            refuses(MotcuaException.Result.INVALID_ARGUMENT, "invalid_argument", "start",
                    () -> library.addWorkingTime("vn-gov", "29/04/2026", "1d"));
            refuses(MotcuaException.Result.INVALID_ARGUMENT, "invalid_argument", "duration",
                    () -> library.addWorkingTime("vn-gov", "2026-04-29T09:00:00+07:00", "3w"));
            refuses(MotcuaException.Result.NULL_ARGUMENT, "null_argument", "yaml", () -> library.addCalendar(null, "x"));
        });

        test("procedure: compile, accessors, diagrams, and their bad inputs", () -> {
            birth = library.compile(spec, "birth.yaml");
            check(!birth.code().isEmpty() && !birth.version().isEmpty(), "code and version");
            check(Json.parse(birth.warnings()) instanceof List, "warnings are a JSON array");
            check(birth.mermaid("vi").startsWith("flowchart"), "mermaid");
            check(birth.dot("en").contains("digraph"), "dot");
            refuses(MotcuaException.Result.INVALID_ARGUMENT, "invalid_argument", "lang", () -> birth.mermaid("fr"));
            check(birth.addWorkingTime("2026-03-02T09:00:00+07:00", "3d").startsWith("2026-03-05T09:00"),
                    "three working days");
            MotcuaException e = refuses(MotcuaException.Result.LOAD_ERROR, "unknown_field", "stepz",
                    () -> library.compile(spec.replace("steps:", "stepz:"), "broken.yaml"));
            check(e.line() > 0 && !e.code().isEmpty(), "compile error has a code and a line: " + e.getMessage());
        });

        test("validate: a valid form, an invalid one, malformed inputs", () -> {
            String data = Json.raw(submission, "data"), documents = Json.raw(submission, "documents");
            equal(birth.validate(data, documents, "2026-03-02"), "{\"problems\":[]}", "the fixture is valid");
            List<?> problems = (List<?>) Json.object(birth.validate("{}", "[]", "2026-03-02")).get("problems");
            check(problems.size() > 3, "an empty form has problems: " + problems.size());
            MotcuaException e = refuses(MotcuaException.Result.INVALID_JSON, "invalid_json", "data",
                    () -> birth.validate("{\n  \"child\": ", "[]", "2026-03-02"));
            equal(e.line(), 2L, "line of the JSON mistake");
            refuses(MotcuaException.Result.INVALID_ARGUMENT, "invalid_argument", "today",
                    () -> birth.validate("{}", "[]", "02/03/2026"));
            refuses(MotcuaException.Result.INVALID_JSON, "invalid_json", "documents",
                    () -> birth.validate("{}", "{\"id\":1}", "2026-03-02"));
        });

        test("a dossier from submission to result, refusals leave it unchanged", () -> {
            Dossier.Opened opened = Dossier.submit(birth, submission);
            try (Dossier d = opened.dossier()) {
                check(effects(opened.applied()).contains("status:1"), "submitted: " + effects(opened.applied()));
                equal(d.version(), 1L, "version after submit");
                equal(effects(d.apply(act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee",
                        "accept", 1L))), List.of("slip:receipt", "start:examine", "status:2"), "accept");
                equal(effects(d.apply(act("c2", "2026-03-02T14:00:00+07:00", "civil_status_officer",
                        "commune_committee", "propose", null))), List.of("start:sign", "status:4"), "propose");
                equal(effects(d.apply(act("c3", "2026-03-03T09:30:00+07:00", "leader", "commune_committee", "sign",
                        null))), List.of("hand_off:commune_police:horizontal", "start:residence",
                                "hand_off:social_insurance:horizontal", "start:insurance_card"), "sign forks");
                String before = d.snapshot();
                refuses(MotcuaException.Result.REJECTED, "forbidden", "actor", () -> d.apply(act("c4",
                        "2026-03-03T10:00:00+07:00", "police_officer", "commune_police", "issue_card", null)));
                refuses(MotcuaException.Result.REJECTED, "version_conflict", "expected_version", () -> d.apply(act(
                        "c4b", "2026-03-03T10:00:00+07:00", "police_officer", "commune_police",
                        "register_residence", 2L)));
                equal(d.snapshot(), before, "a refusal changes nothing");
                equal(d.version(), 4L, "version after refusals");
                equal(effects(d.apply(act("c5", "2026-03-03T15:00:00+07:00", "police_officer", "commune_police",
                        "register_residence", null))), List.of("hand_off:commune_committee:horizontal"), "police");
                refuses(MotcuaException.Result.REJECTED, "unknown_action", "action", () -> d.apply(act("c5b",
                        "2026-03-03T15:30:00+07:00", "police_officer", "commune_police", "register_residence", null)));
                String c6 = act("c6", "2026-03-04T10:00:00+07:00", "insurance_officer", "social_insurance",
                        "issue_card", null);
                String issued = d.apply(c6);
                equal(effects(issued), List.of("hand_off:commune_committee:horizontal", "start:return_results",
                        "status:9"), "insurance joins");
                String again = d.apply(c6);
                equal(Json.object(again).get("duplicate"), Boolean.TRUE, "a command applied twice is a duplicate");
                equal(Json.raw(again, "events"), Json.raw(issued, "events"), "the duplicate's events are the original's");
                equal(effects(d.apply(act("c7", "2026-03-04T14:00:00+07:00", "one_stop_officer", "commune_committee",
                        "hand_over", null))), List.of("slip:result", "closed:issued", "status:10"), "result");
                equal(status(d), 10L, "status of the closed dossier");
                equal(d.nextDue(), null, "no timer on a closed dossier");
                refuses(MotcuaException.Result.REJECTED, "dossier_closed", null, () -> d.apply(act("c8",
                        "2026-03-05T09:00:00+07:00", "one_stop_officer", "commune_committee", "accept", null)));

                // Stored and loaded again, by snapshot and by events.
                String snapshot = d.snapshot(), head = d.head();
                try (Dossier loaded = Dossier.fromSnapshot(birth, snapshot, head)) {
                    equal(loaded.snapshot(), snapshot, "snapshot round trip");
                }
                refuses(MotcuaException.Result.REJECTED, "tampered_snapshot", null,
                        () -> Dossier.fromSnapshot(birth, snapshot.replace("\"status\":10", "\"status\":4"), head));
                try (Dossier replayed = Dossier.replay(birth, Json.raw(snapshot, "history") != null
                        ? eventsOf(snapshot) : "[]")) {
                    equal(replayed.head(), head, "replay gives the same head");
                }
                refuses(MotcuaException.Result.REJECTED, "invalid_history", null, () -> Dossier.replay(birth, "[]"));
            }
        });

        test("submit and apply: bad input of each kind is a typed error with its place", () -> {
            refuses(MotcuaException.Result.INVALID_JSON, "invalid_json", "submission",
                    () -> Dossier.submit(birth, "{\"dossier_id\": "));
            refuses(MotcuaException.Result.REJECTED, "invalid_form", null, () -> Dossier.submit(birth,
                    submission.replace("\"full_name\": \"Hoàng Văn Nam\"", "\"full_name\": \"\"")));
            refuses(MotcuaException.Result.NULL_ARGUMENT, "null_argument", "submission", () -> Dossier.submit(birth, null));
            Dossier.Opened opened = Dossier.submit(birth, submission);
            try (Dossier d = opened.dossier()) {
                MotcuaException e = refuses(MotcuaException.Result.INVALID_JSON, "invalid_json", "command",
                        () -> d.apply("{\"id\":\"x\",\n\"type\": \"dance\"}"));
                equal(e.line(), 2L, "line of the bad command");
                refuses(MotcuaException.Result.INVALID_ARGUMENT, "invalid_argument", "now", () -> d.advance("tomorrow"));
                refuses(MotcuaException.Result.NULL_ARGUMENT, "null_argument", "command", () -> d.apply(null));
                refuses(MotcuaException.Result.NULL_ARGUMENT, "null_argument", "command", () -> d.applyWithString(null));
                equal(d.version(), 1L, "nothing applied");
            }
        });

        test("raw binding: wrong handles, freed handles, bad UTF-8, NULL out pointers", () -> {
            Memory out = new Memory(8), err = new Memory(8);
            byte[] bad = {(byte) 0xff, (byte) 0xfe};
            int r = MotcuaNative.motcua_library_new(bad, bad.length, MotcuaNative.utf8("f"), 1, out, err);
            equal(r, MotcuaNative.RESULT_INVALID_UTF8, "bad UTF-8");
            equal(out.getPointer(0), null, "no library on failure");
            Pointer e = err.getPointer(0);
            equal(MotcuaNative.motcua_error_code(e).text(), "invalid_utf8", "code accessor");
            equal(MotcuaNative.motcua_error_path(e).text(), "yaml", "path accessor");
            Map<String, Object> report = Json.object(MotcuaNative.motcua_error_report(e).text());
            equal(report.get("result"), 3L, "report result");
            equal(report.get("code"), MotcuaNative.motcua_error_code(e).text(), "report code = accessor");
            equal(Json.raw(MotcuaNative.motcua_error_report(e).text(), "detail"),
                    MotcuaNative.motcua_error_json(e).text(), "report detail = motcua_error_json");
            MotcuaNative.motcua_error_free(e);
            MotcuaNative.motcua_error_free(e); // twice: harmless
            equal(MotcuaNative.motcua_error_report(e).text(), "", "a freed error reads as empty");

            Dossier d = Dossier.submit(birth, submission).dossier();
            Pointer handle = d.handle();
            byte[] cmd = MotcuaNative.utf8("{}");
            // A dossier where a procedure belongs, and a procedure where a dossier belongs.
            r = MotcuaNative.motcua_dossier_apply(handle, handle, cmd, cmd.length, out, err);
            equal(r, MotcuaNative.RESULT_INVALID_HANDLE, "dossier as procedure");
            check(MotcuaNative.motcua_error_path(err.getPointer(0)).text().equals("procedure"), "path procedure");
            MotcuaNative.motcua_error_free(err.getPointer(0));
            equal(MotcuaNative.motcua_dossier_version(birth.handle()), 0L, "version of a procedure handle");
            r = MotcuaNative.motcua_dossier_apply(handle, birth.handle(), cmd, cmd.length, null, err);
            equal(r, MotcuaNative.RESULT_NULL_ARGUMENT, "NULL out pointer");
            MotcuaNative.motcua_error_free(err.getPointer(0));
            r = MotcuaNative.motcua_dossier_apply_to_buffer(handle, birth.handle(), cmd, cmd.length, null, 0, null,
                    out, null);
            equal(r, MotcuaNative.RESULT_NULL_ARGUMENT, "apply_to_buffer without len");
            d.close();
            d.close(); // twice: harmless
            r = MotcuaNative.motcua_dossier_snapshot(handle, out, err);
            equal(r, MotcuaNative.RESULT_INVALID_HANDLE, "use after free is an error, not a crash");
            MotcuaNative.motcua_error_free(err.getPointer(0));
            try {
                d.snapshot();
                check(false, "the Java layer refuses a closed dossier");
            } catch (IllegalStateException expected) {
                passed++;
            }
        });

        test("apply_to_buffer: the same answers as apply, and an overflow when the buffer is small", () -> {
            String accept = act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee", "accept",
                    1L);
            Dossier a = Dossier.submit(birth, submission).dossier(), b = Dossier.submit(birth, submission).dossier();
            try (a; b) {
                String viaString = a.applyWithString(accept);
                Memory buf = new Memory(16), len = new Memory(8), overflow = new Memory(8);
                buf.setByte(0, (byte) 'x');
                byte[] cmd = MotcuaNative.utf8(accept);
                int r = MotcuaNative.motcua_dossier_apply_to_buffer(b.handle(), birth.handle(), cmd, cmd.length, buf,
                        16, len, overflow, null);
                equal(r, MotcuaNative.RESULT_OK, "applied");
                Pointer big = overflow.getPointer(0);
                check(big != null, "too long for 16 bytes: an overflow string");
                equal(MotcuaNative.copy(big), viaString, "overflow holds the applied JSON");
                equal(len.getLong(0), (long) viaString.getBytes(StandardCharsets.UTF_8).length, "len is the full length");
                equal(buf.getByte(0), (byte) 'x', "the buffer is untouched on overflow");
                MotcuaNative.motcua_string_free(big);
                // The refusal answer, through both paths.
                String police = act("c4", "2026-03-02T11:00:00+07:00", "citizen", null, "propose", null);
                MotcuaException one = refuses(MotcuaException.Result.REJECTED, "forbidden", "actor", () -> a.apply(police));
                MotcuaException two = refuses(MotcuaException.Result.REJECTED, "forbidden", "actor",
                        () -> a.applyWithString(police));
                equal(one.getMessage(), two.getMessage(), "same error through both paths");
                equal(one.detail(), two.detail(), "same detail through both paths");
            }
        });

        test("timers: the supplement lapses on advance", () -> {
            try (Dossier d = Dossier.submit(birth, submission).dossier()) {
                equal(effects(d.apply(act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee",
                        "request_supplement", null))), List.of("slip:supplement_request", "start:supplement",
                                "clock:suspended", "status:5"), "supplement requested");
                equal(d.nextDue(), "2026-03-16T10:00:00+07:00", "ten working days");
                equal(effects(d.advance("2026-03-13T17:00:00+07:00")), List.of(), "nothing due yet");
                equal(effects(d.advance("2026-03-17T08:00:00+07:00")), List.of("slip:stopped", "closed:stopped",
                        "status:8"), "stopped by itself");
            }
        });

        test("one procedure, many threads", () -> {
            ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(new Thread(() -> {
                    for (int k = 0; k < 50; k++) {
                        try (Dossier d = Dossier.submit(birth, submission).dossier()) {
                            results.add(String.join(",", effects(d.apply(act("c1", "2026-03-02T10:00:00+07:00",
                                    "one_stop_officer", "commune_committee", "accept", 1L)))));
                        } catch (MotcuaException e) {
                            results.add(e.getMessage());
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
            equal(results.size(), 200, "every thread ran");
            check(results.stream().allMatch("slip:receipt,start:examine,status:2"::equals), "same answer everywhere");
        });

        test("ownership: 24,000 dossiers, strings and errors freed (native memory stays flat)", () -> {
            String accept = act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee", "accept",
                    1L);
            String forbidden = act("c2", "2026-03-02T11:00:00+07:00", "citizen", null, "propose", null);
            Body round = () -> {
                for (int k = 0; k < 3000; k++) {
                    try (Dossier d = Dossier.submit(birth, submission).dossier()) {
                        if (k % 2 == 0) d.apply(accept);
                        else d.applyWithString(accept);
                        try {
                            d.apply(forbidden);
                        } catch (MotcuaException expected) {
                            // freed inside the layer
                        }
                        d.snapshot();
                        d.head();
                        d.nextDue();
                    }
                }
            };
            // Warm up (JIT, malloc arenas), then count: the heap is fixed and pre-touched, so RSS
            // growth is native memory. A leak of ~450 bytes per dossier (one small handle and
            // its entry in the live set) would pass 8 MB over 18,000 dossiers; an applied JSON
            // or a snapshot is several times that.
            round.run();
            round.run();
            System.gc();
            long before = rssKb();
            for (int i = 0; i < 6; i++) round.run();
            System.gc();
            long grown = rssKb() - before;
            System.out.println("     native memory grew by " + grown + " KB over 18,000 dossiers");
            check(grown < 8 * 1024, "native memory grew by " + grown + " KB over 18,000 dossiers");
        });

        birth.close();
        birth.close();
        library.close();
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The events of a snapshot's history, as `replay` takes them. */
    @SuppressWarnings("unchecked")
    static String eventsOf(String snapshot) {
        return Json.raw(snapshot, "history");
    }
}
