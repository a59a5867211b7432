package motcua;

import static motcua.MotcuaNative.len;
import static motcua.MotcuaNative.utf8;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * A dossier ({@code motcua_dossier}): mutable; may move between threads, never used by two at
 * once. A portal usually loads one per request ({@link #fromSnapshot}, {@link #replay}),
 * applies one command, stores the events or the snapshot, and closes it.
 *
 * <pre>{@code
 * Dossier.Opened opened = Dossier.submit(birth, submissionJson);
 * try (Dossier dossier = opened.dossier()) {
 *     String applied = dossier.apply(acceptJson);   // {"events":[...],"effects":[...],"duplicate":false}
 *     store(dossier.snapshot(), dossier.head());
 * } catch (MotcuaException e) {
 *     show(e.code(), e.path(), e.messageVi());     // refused: the dossier is unchanged
 * }
 * }</pre>
 */
public final class Dossier implements AutoCloseable {
    private Pointer handle;
    private final Procedure procedure;

    private Dossier(Pointer handle, Procedure procedure) {
        this.handle = handle;
        this.procedure = procedure;
    }

    /** A new dossier and the applied JSON of its submission (events, effects, problems?). */
    public record Opened(Dossier dossier, String applied) {}

    /** Opens a dossier from a submission (JSON); REJECTED {@code invalid_form} carries every problem. */
    public static Opened submit(Procedure procedure, String submission) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] b = utf8(submission);
        int r = MotcuaNative.motcua_dossier_submit(procedure.handle(), b, len(b), s.out, s.out2, s.err);
        s.check(r);
        Dossier d = new Dossier(s.out.getPointer(0), procedure);
        return new Opened(d, s.string(r, s.out2));
    }

    /** Loads a stored snapshot, checked against its history and the stored {@code head} (null: unchecked). */
    public static Dossier fromSnapshot(Procedure procedure, String snapshot, String head) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] b = utf8(snapshot), h = utf8(head);
        s.check(MotcuaNative.motcua_dossier_from_snapshot(procedure.handle(), b, len(b), h, len(h), s.out, s.err));
        return new Dossier(s.out.getPointer(0), procedure);
    }

    /** Rebuilds a dossier from its stored events (a JSON array). */
    public static Dossier replay(Procedure procedure, String events) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] b = utf8(events);
        s.check(MotcuaNative.motcua_dossier_replay(procedure.handle(), b, len(b), s.out, s.err));
        return new Dossier(s.out.getPointer(0), procedure);
    }

    /**
     * Applies a command (JSON) and returns the applied JSON {@code {"events", "effects",
     * "duplicate"}}; a refusal throws with the code and the field at fault, the dossier unchanged.
     * One native call ({@code motcua_dossier_apply_to_buffer}) whether it succeeds or not.
     */
    public String apply(String command) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] b = utf8(command);
        int r = MotcuaNative.motcua_dossier_apply_to_buffer(live(), procedure.handle(), b, b == null ? 0 : b.length,
                s.buf, Scratch.BUF, s.len, s.out, null);
        String answer = answer(s);
        if (r != MotcuaNative.RESULT_OK) {
            if (answer.isEmpty()) throw MotcuaException.take(r, null);
            throw MotcuaException.fromReport(answer);
        }
        return answer;
    }

    private static String answer(Scratch s) {
        long n = s.len.getLong(0);
        Pointer overflow = s.out.getPointer(0);
        if (overflow == null) return new String(s.buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
        try {
            return MotcuaNative.copy(overflow);
        } finally {
            MotcuaNative.motcua_string_free(overflow);
        }
    }

    /**
     * {@link #apply} with the four calls of the original API ({@code motcua_dossier_apply},
     * {@code motcua_string_ptr}, {@code _len}, {@code _free}, and on failure the error's
     * report and {@code _free}): the same answer, kept to compare and for libraries older
     * than {@code apply_to_buffer}.
     */
    public String applyWithString(String command) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] b = utf8(command);
        return s.string(MotcuaNative.motcua_dossier_apply(live(), procedure.handle(), b, len(b), s.out, s.err), s.out);
    }

    /** Fires every timer due at or before {@code now} (RFC 3339); empty lists when none. */
    public String advance(String now) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] b = utf8(now);
        return s.string(MotcuaNative.motcua_dossier_advance(live(), procedure.handle(), b, len(b), s.out, s.err),
                s.out);
    }

    /** When to call {@link #advance} next (RFC 3339), or null when no timer is pending. */
    public String nextDue() throws MotcuaException {
        Scratch s = Scratch.get();
        return s.string(MotcuaNative.motcua_dossier_next_due(live(), s.out, s.err), s.out);
    }

    /** The dossier as JSON, to store and load again with {@link #fromSnapshot}. */
    public String snapshot() throws MotcuaException {
        Scratch s = Scratch.get();
        return s.string(MotcuaNative.motcua_dossier_snapshot(live(), s.out, s.err), s.out);
    }

    /** The hash of the last event, to store apart from the snapshot. */
    public String head() throws MotcuaException {
        Scratch s = Scratch.get();
        return s.string(MotcuaNative.motcua_dossier_head(live(), s.out, s.err), s.out);
    }

    /** The number of events recorded: the {@code expected_version} of the next command. */
    public long version() {
        return MotcuaNative.motcua_dossier_version(live());
    }

    /** The C handle, for calls of {@link MotcuaNative} this class does not wrap. */
    public Pointer handle() {
        return live();
    }

    private Pointer live() {
        if (handle == null) throw new IllegalStateException("motcua: dossier already closed");
        return handle;
    }

    /** Frees the dossier; closing twice does nothing. */
    @Override
    public void close() {
        MotcuaNative.motcua_dossier_free(handle);
        handle = null;
    }
}
