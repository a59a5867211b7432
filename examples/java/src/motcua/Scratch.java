package motcua;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Per-thread native memory for out pointers and answers, so that a call allocates nothing
 * native: {@code out}, {@code out2} and {@code err} hold one pointer each, {@code len} a
 * {@code size_t}, {@code buf} the answers of {@code motcua_dossier_apply_to_buffer}.
 */
final class Scratch {
    /** Answers up to this many bytes come back in {@link #buf}; longer ones as an overflow string. */
    static final int BUF = 64 * 1024;

    final Memory out = new Memory(8);
    final Memory out2 = new Memory(8);
    final Memory err = new Memory(8);
    final Memory len = new Memory(8);
    final Memory buf = new Memory(BUF);

    private static final ThreadLocal<Scratch> MINE = ThreadLocal.withInitial(Scratch::new);

    static Scratch get() {
        return MINE.get();
    }

    /** Throws the error in {@link #err} when {@code result} is not OK. */
    void check(int result) throws MotcuaException {
        if (result != MotcuaNative.RESULT_OK) throw MotcuaException.take(result, err.getPointer(0));
    }

    /** Checks {@code result}, then copies and frees the string in {@code slot} (null for NULL). */
    String string(int result, Memory slot) throws MotcuaException {
        check(result);
        Pointer s = slot.getPointer(0);
        if (s == null) return null;
        try {
            return MotcuaNative.copy(s);
        } finally {
            MotcuaNative.motcua_string_free(s);
        }
    }
}
