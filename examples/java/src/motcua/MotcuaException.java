package motcua;

import com.sun.jna.Pointer;
import java.util.Map;

/**
 * A call into libmotcua failed: the {@code motcua_error} as a Java exception, with the stable
 * code, the place (line, column, path) and the messages in Vietnamese and English.
 *
 * <p>Hosts switch on {@link #code()} (stable, never renamed: {@code forbidden},
 * {@code version_conflict}, {@code invalid_form}, {@code invalid_json}, ...), show
 * {@link #messageVi()} to users and log {@link #getMessage()}.
 *
 * <pre>{@code
 * try {
 *     dossier.apply(command);
 * } catch (MotcuaException e) {
 *     if (e.result() == MotcuaException.Result.REJECTED && e.code().equals("version_conflict")) reload();
 *     else throw e;
 * }
 * }</pre>
 */
public final class MotcuaException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The {@code motcua_result} of the failed call. */
    public enum Result {
        /** Success (never in an exception). */
        OK,
        /** A required pointer argument was NULL (in Java: a {@code null} argument). */
        NULL_ARGUMENT,
        /** A handle of another type, or one already freed. */
        INVALID_HANDLE,
        /** A string argument is not UTF-8 (only reachable with raw bytes). */
        INVALID_UTF8,
        /** A JSON argument: syntax or shape, with line and column. */
        INVALID_JSON,
        /** An instant, date, duration or language. */
        INVALID_ARGUMENT,
        /** YAML that does not load: {@link #detail()} is every diagnostic. */
        LOAD_ERROR,
        /** A refused submission or command; the dossier is unchanged. */
        REJECTED,
        /** An unknown calendar, or a date outside its years. */
        CALENDAR_ERROR,
        /** A bug in the library, stopped at its panic boundary. */
        PANIC,
        /** A result JSON cannot hold. */
        SERIALIZE_ERROR;

        /** The result for a C value (an unknown value, from a newer library, is PANIC). */
        public static Result of(int value) {
            Result[] all = values();
            return value >= 0 && value < all.length ? all[value] : PANIC;
        }
    }

    private final Result result;
    private final String code;
    private final long line;
    private final long column;
    private final String path;
    private final String messageVi;
    private final String messageEn;
    private final String detail;

    /** An exception with every field given (see the accessors). */
    public MotcuaException(Result result, String code, long line, long column, String path, String messageVi,
            String messageEn, String detail) {
        super(code + (path.isEmpty() ? "" : " at `" + path + "`")
                + (line > 0 ? " (line " + line + ", column " + column + ")" : "") + ": " + messageEn + " / "
                + messageVi);
        this.result = result;
        this.code = code;
        this.line = line;
        this.column = column;
        this.path = path;
        this.messageVi = messageVi;
        this.messageEn = messageEn;
        this.detail = detail;
    }

    /**
     * Reads an error report ({@code motcua_error_report}, or the failure answer of
     * {@code motcua_dossier_apply_to_buffer}): {@code {result, code, line, column, path,
     * message: {vi, en}, detail}}.
     */
    @SuppressWarnings("unchecked")
    public static MotcuaException fromReport(String report) {
        Map<String, Object> r = Json.object(report, "detail");
        Map<String, Object> m = (Map<String, Object>) r.get("message");
        return new MotcuaException(Result.of(((Long) r.get("result")).intValue()), (String) r.get("code"),
                (Long) r.get("line"), (Long) r.get("column"), (String) r.get("path"), (String) m.get("vi"),
                (String) m.get("en"), (String) r.get("detail"));
    }

    /**
     * Turns a {@code motcua_error *} into an exception and frees it: one accessor call
     * ({@code motcua_error_report}) instead of eight. A NULL error (the call was given no
     * {@code err}) becomes a bare exception for {@code result}.
     */
    static MotcuaException take(int result, Pointer err) {
        if (err == null) {
            return new MotcuaException(Result.of(result), Result.of(result).name().toLowerCase(), 0, 0, "", "", "", "{}");
        }
        try {
            return fromReport(MotcuaNative.motcua_error_report(err).text());
        } finally {
            MotcuaNative.motcua_error_free(err);
        }
    }

    /** The result of the failed call. */
    public Result result() {
        return result;
    }

    /** The stable code: {@code forbidden}, {@code invalid_json}, {@code unknown_step}, ... */
    public String code() {
        return code;
    }

    /** The 1-based line of the mistake in the YAML or JSON text; 0 when there is none. */
    public long line() {
        return line;
    }

    /** The 1-based column of the mistake; 0 when there is none. */
    public long column() {
        return column;
    }

    /** The spec path, the command field ({@code actor.role}) or the argument at fault; may be empty. */
    public String path() {
        return path;
    }

    /** The message in Vietnamese. */
    public String messageVi() {
        return messageVi;
    }

    /** The message in English. */
    public String messageEn() {
        return messageEn;
    }

    /**
     * The error's JSON ({@code motcua_error_json}): every diagnostic of a load error, the
     * rejection {@code {code, field, message, problems?}} with the problems of an
     * {@code invalid_form}.
     */
    public String detail() {
        return detail;
    }
}
