package motcua;

import static motcua.MotcuaNative.len;
import static motcua.MotcuaNative.utf8;

import com.sun.jna.Pointer;

/**
 * A compiled procedure ({@code motcua_procedure}): immutable, shared by every request thread.
 * Compile it once with {@link Library#compile}, close it at shutdown.
 *
 * <pre>{@code
 * String problems = birth.validate(formJson, documentsJson, "2026-03-02"); // {"problems":[...]}
 * Dossier.Opened opened = Dossier.submit(birth, submissionJson);
 * }</pre>
 */
public final class Procedure implements AutoCloseable {
    private Pointer handle;

    Procedure(Pointer handle) {
        this.handle = handle;
    }

    /** The national code, e.g. {@code 2.001610}. */
    public String code() {
        return MotcuaNative.motcua_procedure_code(live()).text();
    }

    /** The version dossiers are pinned to, e.g. {@code 2025.1}. */
    public String version() {
        return MotcuaNative.motcua_procedure_version(live()).text();
    }

    /** The compile warnings, a JSON array of diagnostics (often {@code []}). */
    public String warnings() throws MotcuaException {
        Scratch s = Scratch.get();
        return s.string(MotcuaNative.motcua_procedure_warnings(live(), s.out, s.err), s.out);
    }

    /**
     * Validates form data (a JSON object) and documents (a JSON array) as of {@code today}
     * ({@code YYYY-MM-DD}): {@code {"problems": [...]}}, empty when valid. Invalid data is not
     * an exception; malformed JSON or date is.
     */
    public String validate(String data, String documents, String today) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] d = utf8(data), c = utf8(documents), t = utf8(today);
        return s.string(MotcuaNative.motcua_procedure_validate(live(), d, len(d), c, len(c), t, len(t), s.out, s.err),
                s.out);
    }

    /** Adds working time to an instant on the procedure's calendar. */
    public String addWorkingTime(String start, String duration) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] a = utf8(start), d = utf8(duration);
        return s.string(MotcuaNative.motcua_procedure_add_working_time(live(), a, len(a), d, len(d), s.out, s.err),
                s.out);
    }

    /** A Mermaid flowchart, labels in {@code vi} or {@code en}. */
    public String mermaid(String lang) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] l = utf8(lang);
        return s.string(MotcuaNative.motcua_procedure_mermaid(live(), l, len(l), s.out, s.err), s.out);
    }

    /** A Graphviz DOT diagram, labels in {@code vi} or {@code en}. */
    public String dot(String lang) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] l = utf8(lang);
        return s.string(MotcuaNative.motcua_procedure_dot(live(), l, len(l), s.out, s.err), s.out);
    }

    /** The C handle, for calls of {@link MotcuaNative} this class does not wrap. */
    public Pointer handle() {
        return live();
    }

    private Pointer live() {
        if (handle == null) throw new IllegalStateException("motcua: procedure already closed");
        return handle;
    }

    /** Frees the procedure, once every thread is done with it; closing twice does nothing. */
    @Override
    public void close() {
        MotcuaNative.motcua_procedure_free(handle);
        handle = null;
    }
}
