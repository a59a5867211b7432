package motcua;

import static motcua.MotcuaNative.len;
import static motcua.MotcuaNative.utf8;

import com.sun.jna.Pointer;

/**
 * The catalogue and calendars procedures are compiled against ({@code motcua_library}). Build it
 * once at start-up on one thread, compile every procedure, then close it (procedures stay
 * valid).
 *
 * <pre>{@code
 * try (Library library = Library.load(read("specs/catalogue/vietnam.yaml"), "vietnam.yaml")) {
 *     library.addCalendar(read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml");
 *     Procedure birth = library.compile(read("specs/procedures/birth-registration-residence-insurance.yaml"), "birth.yaml");
 * }
 * }</pre>
 */
public final class Library implements AutoCloseable {
    private Pointer handle;

    private Library(Pointer handle) {
        this.handle = handle;
    }

    /** The library version, e.g. {@code 0.1.0} ({@code motcua_version}). */
    public static String version() {
        return MotcuaNative.motcua_version().text();
    }

    /** Loads a catalogue; {@code file} names it in diagnostics. LOAD_ERROR with every diagnostic. */
    public static Library load(String catalogueYaml, String file) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] y = utf8(catalogueYaml), f = utf8(file);
        s.check(MotcuaNative.motcua_library_new(y, len(y), f, len(f), s.out, s.err));
        return new Library(s.out.getPointer(0));
    }

    /** Adds a calendar file (one it {@code extends} first). On failure the library is unchanged. */
    public void addCalendar(String yaml, String file) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] y = utf8(yaml), f = utf8(file);
        s.check(MotcuaNative.motcua_library_add_calendar(live(), y, len(y), f, len(f), s.err));
    }

    /** Adds working time ({@code 3d}, {@code 0.5d}, {@code 4h}) to an RFC 3339 instant on a named calendar. */
    public String addWorkingTime(String calendar, String start, String duration) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] c = utf8(calendar), a = utf8(start), d = utf8(duration);
        return s.string(MotcuaNative.motcua_library_add_working_time(live(), c, len(c), a, len(a), d, len(d), s.out,
                s.err), s.out);
    }

    /** Compiles a procedure spec; LOAD_ERROR with every diagnostic (line, column, path). */
    public Procedure compile(String yaml, String file) throws MotcuaException {
        Scratch s = Scratch.get();
        byte[] y = utf8(yaml), f = utf8(file);
        s.check(MotcuaNative.motcua_procedure_compile(live(), y, len(y), f, len(f), s.out, s.err));
        return new Procedure(s.out.getPointer(0));
    }

    /** The C handle, for calls of {@link MotcuaNative} this class does not wrap. */
    public Pointer handle() {
        return live();
    }

    private Pointer live() {
        if (handle == null) throw new IllegalStateException("motcua: library already closed");
        return handle;
    }

    /** Frees the library ({@code motcua_library_free}); closing twice does nothing. */
    @Override
    public void close() {
        MotcuaNative.motcua_library_free(handle);
        handle = null;
    }
}
