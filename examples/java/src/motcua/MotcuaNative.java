package motcua;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;

/**
 * The whole C API of {@code libmotcua} ({@code bindings/c/include/motcua.h}) as JNA
 * <em>direct-mapped</em> static methods: one Java method per exported function, same name,
 * same argument order. The typed layer ({@link Library}, {@link Procedure}, {@link Dossier},
 * {@link MotcuaException}) is built on it; use this class directly only for what that layer
 * does not offer.
 *
 * <h2>Loading</h2>
 * The library is the file named by the system property {@code motcua.library} or the
 * environment variable {@code MOTCUA_LIB} (e.g. {@code target/debug/libmotcua.so}); otherwise
 * {@code motcua} on {@code jna.library.path} and the system paths. Only Debian's
 * {@code libjna-java} ({@code /usr/share/java/jna.jar}, JNA 5.13) is needed: no native stub,
 * no code generation.
 *
 * <h2>Type mappings (C → Java)</h2>
 * <table>
 * <caption>How each C type of motcua.h crosses JNA</caption>
 * <tr><th>C</th><th>Java</th><th>why</th></tr>
 * <tr><td>{@code motcua_result} (C enum)</td><td>{@code int}</td><td>a C enum is an
 *   {@code int}; compare with the {@code RESULT_*} constants below ({@code RESULT_OK} = 0);
 *   {@link MotcuaException.Result} names them.</td></tr>
 * <tr><td>{@code size_t}</td><td>{@code long}</td><td>JNA has no {@code size_t}; it is 64-bit
 *   on every platform this targets (LP64 Linux/macOS and LLP64 Windows alike), which the static
 *   initializer checks ({@code Native.SIZE_T_SIZE == 8}). Not {@code NativeLong}: that is C
 *   {@code long}, 32-bit on Windows.</td></tr>
 * <tr><td>{@code uint32_t} (line, column)</td><td>{@code int}</td><td>never above 2³¹ in
 *   practice; read with {@code Integer.toUnsignedLong} to be exact.</td></tr>
 * <tr><td>{@code uint64_t} (dossier version)</td><td>{@code long}</td><td>same bits.</td></tr>
 * <tr><td>{@code const char *ptr, size_t len} (input strings)</td><td>{@code byte[], long}</td>
 *   <td>encode with {@link #utf8(String)} and pass {@code bytes.length}: lengths are in bytes,
 *   not chars, and no NUL is needed. JNA copies the array to native memory for the call only.
 *   {@code null} passes NULL (a {@code null_argument} error, or "none" for {@code head}).</td></tr>
 * <tr><td>{@code motcua_str} (borrowed string, returned by value)</td><td>{@link Str}, a
 *   {@code Structure.ByValue} of {@code {Pointer ptr; long len}}</td><td>the struct is returned in
 *   registers; its bytes belong to the object it was read from (an error, a procedure) and die
 *   with it: copy them ({@link Str#text()}) before freeing that object. Never free a
 *   {@code motcua_str}.</td></tr>
 * <tr><td>opaque handles ({@code motcua_library *}, {@code motcua_procedure *},
 *   {@code motcua_dossier *}, {@code motcua_string *}, {@code motcua_error *})</td>
 *   <td>{@link Pointer}</td><td>never dereferenced in Java. The library checks every handle
 *   (a NULL, one of another type, or one already freed is an error, not a crash).</td></tr>
 * <tr><td>{@code T **out}, {@code motcua_error **err}, {@code size_t *len}</td>
 *   <td>{@link Pointer} to 8 bytes the caller owns (a {@link com.sun.jna.Memory})</td><td>read
 *   back with {@code getPointer(0)} / {@code getLong(0)}. A reused {@code Memory} per thread
 *   costs nothing per call; {@code PointerByReference} works too but allocates each time.
 *   {@code null} for {@code err} means "don't tell me".</td></tr>
 * <tr><td>{@code char *buf, size_t buf_cap}</td><td>{@link Pointer} (a {@code Memory}),
 *   {@code long}</td><td>native memory, so only the bytes written are copied back (with a
 *   {@code byte[]} JNA would copy the whole buffer both ways on every call).</td></tr>
 * </table>
 *
 * <h2>Who frees what</h2>
 * <ul>
 * <li>{@code motcua_library_new} → {@link #motcua_library_free}; {@code motcua_procedure_compile}
 *   → {@link #motcua_procedure_free}; {@code _submit}, {@code _from_snapshot}, {@code _replay}
 *   → {@link #motcua_dossier_free}.</li>
 * <li>Every {@code motcua_string *} written to an out pointer (applied JSON, snapshot, head,
 *   diagrams, instants, the {@code overflow} of {@code apply_to_buffer}) →
 *   {@link #motcua_string_free}, after copying it ({@code motcua_string_ptr} + {@code _len}).</li>
 * <li>Every {@code motcua_error *} written to {@code err} → {@link #motcua_error_free}, after
 *   reading it; the {@code motcua_str} its accessors return die with it.</li>
 * <li>Every {@code _free} accepts NULL; freeing twice is harmless (the library keeps the set of
 *   live handles). On failure every out pointer is NULL: nothing to free but the error.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * A procedure is immutable: share one across all threads. A library is built on one thread
 * then only read. A dossier may move between threads but must not be used by two at once.
 * Strings and errors are plain values. JNA direct calls need no lock of their own.
 */
public final class MotcuaNative {
    private MotcuaNative() {}

    /** {@code MOTCUA_RESULT_OK}: success. */
    public static final int RESULT_OK = 0;
    /** {@code MOTCUA_RESULT_NULL_ARGUMENT}: a required pointer argument was NULL. */
    public static final int RESULT_NULL_ARGUMENT = 1;
    /** {@code MOTCUA_RESULT_INVALID_HANDLE}: a handle of another type, or already freed. */
    public static final int RESULT_INVALID_HANDLE = 2;
    /** {@code MOTCUA_RESULT_INVALID_UTF8}: a string argument is not UTF-8. */
    public static final int RESULT_INVALID_UTF8 = 3;
    /** {@code MOTCUA_RESULT_INVALID_JSON}: a JSON argument (syntax or shape). */
    public static final int RESULT_INVALID_JSON = 4;
    /** {@code MOTCUA_RESULT_INVALID_ARGUMENT}: an instant, date, duration or language. */
    public static final int RESULT_INVALID_ARGUMENT = 5;
    /** {@code MOTCUA_RESULT_LOAD_ERROR}: YAML that does not load (diagnostics). */
    public static final int RESULT_LOAD_ERROR = 6;
    /** {@code MOTCUA_RESULT_REJECTED}: a refused submission or command; nothing changed. */
    public static final int RESULT_REJECTED = 7;
    /** {@code MOTCUA_RESULT_CALENDAR_ERROR}: unknown calendar, or outside its years. */
    public static final int RESULT_CALENDAR_ERROR = 8;
    /** {@code MOTCUA_RESULT_PANIC}: a bug caught at the panic boundary. */
    public static final int RESULT_PANIC = 9;
    /** {@code MOTCUA_RESULT_SERIALIZE_ERROR}: a result JSON cannot hold. */
    public static final int RESULT_SERIALIZE_ERROR = 10;

    static {
        String path = System.getProperty("motcua.library");
        if (path == null) path = System.getenv("MOTCUA_LIB");
        Native.register(MotcuaNative.class, NativeLibrary.getInstance(path != null ? path : "motcua"));
        if (Native.SIZE_T_SIZE != 8) {
            throw new UnsatisfiedLinkError("motcua: size_t is mapped to long, but it is "
                    + Native.SIZE_T_SIZE + " bytes on this platform");
        }
    }

    /**
     * {@code motcua_str}: a borrowed UTF-8 string returned by value, {@code {const char *ptr;
     * size_t len}}. Valid only while the object it was read from is alive.
     */
    @Structure.FieldOrder({"ptr", "len"})
    public static class Str extends Structure implements Structure.ByValue {
        /** The first byte (never NULL; a NUL follows the {@code len} bytes). */
        public Pointer ptr;
        /** The length in bytes, without the NUL. */
        public long len;

        /** Copies the bytes into a Java string (UTF-8). */
        public String text() {
            return len == 0 ? "" : new String(ptr.getByteArray(0, (int) len), StandardCharsets.UTF_8);
        }
    }

    /** A Java string as the UTF-8 bytes an input {@code (ptr, len)} pair takes; null stays null. */
    public static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The length argument that goes with {@link #utf8(String)}: 0 for null. */
    public static long len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /** Copies an owned {@code motcua_string} into a Java string (does not free it). */
    public static String copy(Pointer string) {
        long n = motcua_string_len(string);
        return n == 0 ? "" : new String(motcua_string_ptr(string).getByteArray(0, (int) n), StandardCharsets.UTF_8);
    }

    // --- base -----------------------------------------------------------------------------

    /** {@code motcua_str motcua_version(void)}: static, never freed. */
    public static native Str motcua_version();

    /** {@code const char *motcua_string_ptr(const motcua_string *s)}. */
    public static native Pointer motcua_string_ptr(Pointer s);

    /** {@code size_t motcua_string_len(const motcua_string *s)}. */
    public static native long motcua_string_len(Pointer s);

    /** {@code void motcua_string_free(motcua_string *s)}. */
    public static native void motcua_string_free(Pointer s);

    // --- library --------------------------------------------------------------------------

    /** {@code motcua_library_new(yaml, yaml_len, file, file_len, motcua_library **out, err)}. */
    public static native int motcua_library_new(byte[] yaml, long yamlLen, byte[] file, long fileLen, Pointer out,
            Pointer err);

    /** {@code motcua_library_add_calendar(library, yaml, yaml_len, file, file_len, err)}. */
    public static native int motcua_library_add_calendar(Pointer library, byte[] yaml, long yamlLen, byte[] file,
            long fileLen, Pointer err);

    /** {@code motcua_library_add_working_time(library, calendar, len, start, len, duration, len, motcua_string **out, err)}. */
    public static native int motcua_library_add_working_time(Pointer library, byte[] calendar, long calendarLen,
            byte[] start, long startLen, byte[] duration, long durationLen, Pointer out, Pointer err);

    /** {@code void motcua_library_free(motcua_library *library)}. */
    public static native void motcua_library_free(Pointer library);

    // --- procedure ------------------------------------------------------------------------

    /** {@code motcua_procedure_compile(library, yaml, yaml_len, file, file_len, motcua_procedure **out, err)}. */
    public static native int motcua_procedure_compile(Pointer library, byte[] yaml, long yamlLen, byte[] file,
            long fileLen, Pointer out, Pointer err);

    /** {@code void motcua_procedure_free(motcua_procedure *procedure)}. */
    public static native void motcua_procedure_free(Pointer procedure);

    /** {@code motcua_str motcua_procedure_code(procedure)}: lives as long as the procedure. */
    public static native Str motcua_procedure_code(Pointer procedure);

    /** {@code motcua_str motcua_procedure_version(procedure)}: lives as long as the procedure. */
    public static native Str motcua_procedure_version(Pointer procedure);

    /** {@code motcua_procedure_warnings(procedure, motcua_string **out, err)}. */
    public static native int motcua_procedure_warnings(Pointer procedure, Pointer out, Pointer err);

    /** {@code motcua_procedure_validate(procedure, data, len, documents, len, today, len, motcua_string **out, err)}. */
    public static native int motcua_procedure_validate(Pointer procedure, byte[] data, long dataLen, byte[] documents,
            long documentsLen, byte[] today, long todayLen, Pointer out, Pointer err);

    /** {@code motcua_procedure_add_working_time(procedure, start, len, duration, len, motcua_string **out, err)}. */
    public static native int motcua_procedure_add_working_time(Pointer procedure, byte[] start, long startLen,
            byte[] duration, long durationLen, Pointer out, Pointer err);

    /** {@code motcua_procedure_mermaid(procedure, lang, lang_len, motcua_string **out, err)}. */
    public static native int motcua_procedure_mermaid(Pointer procedure, byte[] lang, long langLen, Pointer out,
            Pointer err);

    /** {@code motcua_procedure_dot(procedure, lang, lang_len, motcua_string **out, err)}. */
    public static native int motcua_procedure_dot(Pointer procedure, byte[] lang, long langLen, Pointer out,
            Pointer err);

    // --- dossier --------------------------------------------------------------------------

    /** {@code motcua_dossier_submit(procedure, submission, len, motcua_dossier **out, motcua_string **applied, err)}. */
    public static native int motcua_dossier_submit(Pointer procedure, byte[] submission, long submissionLen,
            Pointer out, Pointer applied, Pointer err);

    /** {@code motcua_dossier_apply(dossier, procedure, command, len, motcua_string **applied, err)}. */
    public static native int motcua_dossier_apply(Pointer dossier, Pointer procedure, byte[] command,
            long commandLen, Pointer applied, Pointer err);

    /**
     * {@code motcua_dossier_apply_to_buffer(dossier, procedure, command, len, char *buf, size_t
     * buf_cap, size_t *len, motcua_string **overflow, err)}: apply in one call; the applied JSON
     * (or, on failure, the error report) is copied to {@code buf} when {@code *len <= buf_cap},
     * else returned in {@code *overflow} (free it).
     */
    public static native int motcua_dossier_apply_to_buffer(Pointer dossier, Pointer procedure, byte[] command,
            long commandLen, Pointer buf, long bufCap, Pointer len, Pointer overflow, Pointer err);

    /** {@code motcua_dossier_advance(dossier, procedure, now, len, motcua_string **applied, err)}. */
    public static native int motcua_dossier_advance(Pointer dossier, Pointer procedure, byte[] now, long nowLen,
            Pointer applied, Pointer err);

    /** {@code motcua_dossier_next_due(dossier, motcua_string **out, err)}: {@code *out} NULL when none. */
    public static native int motcua_dossier_next_due(Pointer dossier, Pointer out, Pointer err);

    /** {@code motcua_dossier_snapshot(dossier, motcua_string **out, err)}. */
    public static native int motcua_dossier_snapshot(Pointer dossier, Pointer out, Pointer err);

    /** {@code motcua_dossier_head(dossier, motcua_string **out, err)}. */
    public static native int motcua_dossier_head(Pointer dossier, Pointer out, Pointer err);

    /** {@code uint64_t motcua_dossier_version(dossier)}: 0 for NULL or a wrong handle. */
    public static native long motcua_dossier_version(Pointer dossier);

    /** {@code motcua_dossier_from_snapshot(procedure, snapshot, len, head, len, motcua_dossier **out, err)}. */
    public static native int motcua_dossier_from_snapshot(Pointer procedure, byte[] snapshot, long snapshotLen,
            byte[] head, long headLen, Pointer out, Pointer err);

    /** {@code motcua_dossier_replay(procedure, events, len, motcua_dossier **out, err)}. */
    public static native int motcua_dossier_replay(Pointer procedure, byte[] events, long eventsLen, Pointer out,
            Pointer err);

    /** {@code void motcua_dossier_free(motcua_dossier *dossier)}. */
    public static native void motcua_dossier_free(Pointer dossier);

    // --- errors ---------------------------------------------------------------------------

    /** {@code void motcua_error_free(motcua_error *err)}. */
    public static native void motcua_error_free(Pointer err);

    /** {@code motcua_result motcua_error_result(err)}. */
    public static native int motcua_error_result(Pointer err);

    /** {@code motcua_str motcua_error_code(err)}: lives as long as the error. */
    public static native Str motcua_error_code(Pointer err);

    /** {@code uint32_t motcua_error_line(err)}. */
    public static native int motcua_error_line(Pointer err);

    /** {@code uint32_t motcua_error_column(err)}. */
    public static native int motcua_error_column(Pointer err);

    /** {@code motcua_str motcua_error_path(err)}: lives as long as the error. */
    public static native Str motcua_error_path(Pointer err);

    /** {@code motcua_str motcua_error_message_vi(err)}: lives as long as the error. */
    public static native Str motcua_error_message_vi(Pointer err);

    /** {@code motcua_str motcua_error_message_en(err)}: lives as long as the error. */
    public static native Str motcua_error_message_en(Pointer err);

    /** {@code motcua_str motcua_error_json(err)}: lives as long as the error. */
    public static native Str motcua_error_json(Pointer err);

    /**
     * {@code motcua_str motcua_error_report(err)}: the whole error as one JSON object
     * {@code {result, code, line, column, path, message: {vi, en}, detail}}; lives as long as
     * the error.
     */
    public static native Str motcua_error_report(Pointer err);
}
