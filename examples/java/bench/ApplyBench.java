import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import motcua.Dossier;
import motcua.Library;
import motcua.MotcuaException;
import motcua.MotcuaNative;
import motcua.Procedure;

/**
 * The Java side of the JNA-vs-C comparison: the workload of {@code apply_bench.c} (one accept
 * on each of DOSSIERS fresh dossiers of the shipped business registration, and one refused
 * command on each), through JNA in the ways a host may call it.
 *
 * <pre>
 *   examples/java/bench/run.sh          # builds, runs C and Java alternately, prints the table
 *   java -cp jna.jar:BUILD -Dmotcua.library=target/release/libmotcua.so ApplyBench . [DOSSIERS] [REPEATS]
 * </pre>
 *
 * Variants: {@code iface.*} is JNA interface mapping ({@code Native.load} of an interface,
 * {@code PointerByReference} out pointers: what the JNA docs show first); {@code direct.*} is
 * direct mapping ({@link MotcuaNative}, reused native scratch memory). {@code *.apply} uses the
 * original API (apply, then string_ptr, string_len, string_free); {@code *.buffer} the one-call
 * {@code motcua_dossier_apply_to_buffer}; {@code *.refused.getters} reads a refusal with the
 * eight accessors and frees it; {@code *.refused.buffer} gets the report in the buffer.
 * {@code layer.*} is the typed layer ({@link Dossier#apply}: the buffer path, a refusal becomes a
 * {@link MotcuaException} parsed from the report). Every answer is copied into Java strings.
 * {@code call.size_t} and {@code call.str} are the price of one call alone: {@code
 * motcua_string_len(NULL)} (a {@code size_t} back) and {@code motcua_version()} (a {@code
 * motcua_str} back, which JNA turns into a new {@code Structure}).
 * Prints {@code variant repeat microseconds-per-command}; warm-up repeats are not printed.
 */
public final class ApplyBench {
    /** JNA interface mapping of the calls the benchmark makes. */
    public interface Iface extends com.sun.jna.Library {
        int motcua_dossier_apply(Pointer d, Pointer p, byte[] cmd, long len, PointerByReference applied,
                PointerByReference err);

        int motcua_dossier_apply_to_buffer(Pointer d, Pointer p, byte[] cmd, long len, Pointer buf, long cap,
                LongByReference n, PointerByReference overflow, PointerByReference err);

        Pointer motcua_string_ptr(Pointer s);

        long motcua_string_len(Pointer s);

        void motcua_string_free(Pointer s);

        int motcua_error_result(Pointer e);

        MotcuaNative.Str motcua_error_code(Pointer e);

        int motcua_error_line(Pointer e);

        int motcua_error_column(Pointer e);

        MotcuaNative.Str motcua_error_path(Pointer e);

        MotcuaNative.Str motcua_error_message_vi(Pointer e);

        MotcuaNative.Str motcua_error_message_en(Pointer e);

        MotcuaNative.Str motcua_error_json(Pointer e);

        void motcua_error_free(Pointer e);
    }

    static final String ACCEPT = "{\"id\":\"c1\",\"at\":\"2026-03-02T10:00:00+07:00\",\"actor\":{\"role\":"
            + "\"one_stop_officer\",\"agency\":\"department_finance\"},\"expected_version\":1,\"type\":\"act\","
            + "\"action\":\"accept\"}";
    static final String REFUSED = "{\"id\":\"c2\",\"at\":\"2026-03-02T11:00:00+07:00\",\"actor\":{\"role\":"
            + "\"citizen\"},\"type\":\"act\",\"action\":\"propose\"}";
    static long sink;

    static String utf8(Pointer p, long n) {
        return new String(p.getByteArray(0, (int) n), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Iface iface = Native.load(System.getProperty("motcua.library"), Iface.class);
        Procedure procedure;
        try (Library library = Library.load(Files.readString(root.resolve("specs/catalogue/vietnam.yaml")), "v")) {
            library.addCalendar(Files.readString(root.resolve("specs/calendars/vn-gov.yaml")), "c");
            procedure = library.compile(Files.readString(root.resolve("specs/procedures/business-registration.yaml")),
                    "p");
        }
        String submission = Files.readString(root.resolve("bindings/c/tests/data/business-registration-submission.json"));
        Pointer p = procedure.handle();
        Memory out = new Memory(8), err = new Memory(8), len = new Memory(8), buf = new Memory(65536);
        String[] names = {"iface.apply", "iface.buffer", "direct.apply", "direct.buffer", "layer.apply",
            "iface.refused.getters", "direct.refused.getters", "direct.refused.buffer", "layer.refused",
            "call.size_t", "call.str"};
        Dossier[] dossiers = new Dossier[n];
        for (int rep = -5; rep < repeats; rep++) { // five warm-up repeats (JIT), not printed
            for (int v = 0; v < names.length; v++) {
                for (int i = 0; i < n; i++) dossiers[i] = Dossier.submit(procedure, submission).dossier();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Pointer d = dossiers[i].handle();
                    switch (v) {
                        case 0 -> { // interface mapping, original API: 4 calls, 2 allocations
                            byte[] c = ACCEPT.getBytes(StandardCharsets.UTF_8);
                            PointerByReference a = new PointerByReference(), e = new PointerByReference();
                            if (iface.motcua_dossier_apply(d, p, c, c.length, a, e) != 0) throw new AssertionError();
                            Pointer s = a.getValue();
                            sink += utf8(iface.motcua_string_ptr(s), iface.motcua_string_len(s)).length();
                            iface.motcua_string_free(s);
                        }
                        case 1 -> { // interface mapping, one call
                            byte[] c = ACCEPT.getBytes(StandardCharsets.UTF_8);
                            LongByReference l = new LongByReference();
                            PointerByReference o = new PointerByReference();
                            if (iface.motcua_dossier_apply_to_buffer(d, p, c, c.length, buf, 65536, l, o, null) != 0)
                                throw new AssertionError();
                            sink += utf8(buf, l.getValue()).length();
                        }
                        case 2 -> { // direct mapping, original API
                            byte[] c = ACCEPT.getBytes(StandardCharsets.UTF_8);
                            if (MotcuaNative.motcua_dossier_apply(d, p, c, c.length, out, err) != 0)
                                throw new AssertionError();
                            Pointer s = out.getPointer(0);
                            sink += utf8(MotcuaNative.motcua_string_ptr(s), MotcuaNative.motcua_string_len(s)).length();
                            MotcuaNative.motcua_string_free(s);
                        }
                        case 3 -> { // direct mapping, one call
                            byte[] c = ACCEPT.getBytes(StandardCharsets.UTF_8);
                            if (MotcuaNative.motcua_dossier_apply_to_buffer(d, p, c, c.length, buf, 65536, len, out,
                                    null) != 0) throw new AssertionError();
                            sink += utf8(buf, len.getLong(0)).length();
                        }
                        case 4 -> sink += dossiers[i].apply(ACCEPT).length();
                        case 5 -> { // interface mapping, a refusal read with the eight accessors
                            byte[] c = REFUSED.getBytes(StandardCharsets.UTF_8);
                            PointerByReference a = new PointerByReference(), e = new PointerByReference();
                            if (iface.motcua_dossier_apply(d, p, c, c.length, a, e) != 7) throw new AssertionError();
                            Pointer x = e.getValue();
                            sink += iface.motcua_error_result(x) + iface.motcua_error_code(x).text().length()
                                    + iface.motcua_error_line(x) + iface.motcua_error_column(x)
                                    + iface.motcua_error_path(x).text().length()
                                    + iface.motcua_error_message_vi(x).text().length()
                                    + iface.motcua_error_message_en(x).text().length()
                                    + iface.motcua_error_json(x).text().length();
                            iface.motcua_error_free(x);
                        }
                        case 6 -> { // direct mapping, the eight accessors
                            byte[] c = REFUSED.getBytes(StandardCharsets.UTF_8);
                            if (MotcuaNative.motcua_dossier_apply(d, p, c, c.length, out, err) != 7)
                                throw new AssertionError();
                            Pointer x = err.getPointer(0);
                            sink += MotcuaNative.motcua_error_result(x) + MotcuaNative.motcua_error_code(x).text().length()
                                    + MotcuaNative.motcua_error_line(x) + MotcuaNative.motcua_error_column(x)
                                    + MotcuaNative.motcua_error_path(x).text().length()
                                    + MotcuaNative.motcua_error_message_vi(x).text().length()
                                    + MotcuaNative.motcua_error_message_en(x).text().length()
                                    + MotcuaNative.motcua_error_json(x).text().length();
                            MotcuaNative.motcua_error_free(x);
                        }
                        case 7 -> { // direct mapping, the report in the buffer
                            byte[] c = REFUSED.getBytes(StandardCharsets.UTF_8);
                            if (MotcuaNative.motcua_dossier_apply_to_buffer(d, p, c, c.length, buf, 65536, len, out,
                                    null) != 7) throw new AssertionError();
                            sink += utf8(buf, len.getLong(0)).length();
                        }
                        case 9 -> sink += MotcuaNative.motcua_string_len(null); // one call, a primitive back
                        case 10 -> sink += MotcuaNative.motcua_version().len; // one call, a Structure.ByValue back
                        default -> {
                            try {
                                dossiers[i].apply(REFUSED);
                                throw new AssertionError();
                            } catch (MotcuaException e) {
                                sink += e.code().length();
                            }
                        }
                    }
                }
                double per = (System.nanoTime() - start) / 1e3 / n;
                for (Dossier d : dossiers) d.close();
                if (rep >= 0) System.out.printf("java.%s %d %.4f%n", names[v], rep, per);
            }
        }
        procedure.close();
        if (sink == 42) System.out.println();
    }
}
