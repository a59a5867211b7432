package motcua;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and string quoter, so the example needs nothing but the JDK and JNA. A
 * portal would use its own JSON library (Jackson, Gson, JSON-B) on the same strings.
 *
 * <p>{@link #parse} gives {@code Map<String, Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code Long} or {@code Double}, {@code Boolean} and {@code null}.
 * {@code Json.parse("{\"a\":[1,true]}")} is {@code {a=[1, true]}}.
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON document; {@link IllegalArgumentException} with the offset if malformed. */
    public static Object parse(String text) {
        Json p = new Json(text);
        Object v = p.value();
        p.space();
        if (p.i != text.length()) throw p.error("trailing characters");
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    /**
     * Parses a JSON object in one pass, keeping the member {@code rawKey} as its text (a
     * {@code String}, as {@link #raw} gives it) instead of parsing it into values.
     */
    public static Map<String, Object> object(String text, String rawKey) {
        Json p = new Json(text);
        p.space();
        p.expect('{');
        Map<String, Object> m = new LinkedHashMap<>();
        p.space();
        if (!p.peek('}')) {
            do {
                p.space();
                String k = p.string();
                p.space();
                p.expect(':');
                p.space();
                int start = p.i;
                if (k.equals(rawKey)) {
                    p.skip();
                    m.put(k, text.substring(start, p.i));
                } else {
                    m.put(k, p.value());
                }
                p.space();
            } while (p.next(','));
            p.expect('}');
        }
        p.space();
        if (p.i != text.length()) throw p.error("trailing characters");
        return m;
    }

    /**
     * The text of one member of a top-level object, as written ({@code raw("{\"a\":[1]}", "a")}
     * is {@code [1]}), or null: to pass a part of a document on without re-serializing it.
     */
    public static String raw(String text, String key) {
        Json p = new Json(text);
        p.space();
        p.expect('{');
        p.space();
        if (p.peek('}')) return null;
        do {
            p.space();
            String k = p.string();
            p.space();
            p.expect(':');
            p.space();
            int start = p.i;
            p.value();
            if (k.equals(key)) return text.substring(start, p.i);
            p.space();
        } while (p.next(','));
        return null;
    }

    /** {@code "text"} with JSON escapes: for building commands by hand. */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private Object value() {
        space();
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{': {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (peek('}')) return m;
                do {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    m.put(k, value());
                    space();
                } while (next(','));
                expect('}');
                return m;
            }
            case '[': {
                i++;
                List<Object> l = new ArrayList<>();
                space();
                if (peek(']')) return l;
                do {
                    l.add(value());
                    space();
                } while (next(','));
                expect(']');
                return l;
            }
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", null);
            default:
                return number();
        }
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private boolean next(char c) {
        return peek(c);
    }

    private void expect(char c) {
        if (!peek(c)) throw error("expected '" + c + "'");
    }

    private Object word(String w, Object v) {
        if (!s.startsWith(w, i)) throw error("unexpected character");
        i += w.length();
        return v;
    }

    private Object number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
        String n = s.substring(start, i);
        if (n.isEmpty()) throw error("unexpected character");
        if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
        return Long.parseLong(n);
    }

    /** Steps over one value without building it (strings, nesting and escapes respected). */
    private void skip() {
        space();
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        if (c != '{' && c != '[') {
            value();
            return;
        }
        int depth = 0;
        for (; i < s.length(); i++) {
            char d = s.charAt(i);
            if (d == '"') {
                for (i++; i < s.length() && s.charAt(i) != '"'; i++) {
                    if (s.charAt(i) == '\\') i++;
                }
            } else if (d == '{' || d == '[') {
                depth++;
            } else if (d == '}' || d == ']') {
                if (--depth == 0) {
                    i++;
                    return;
                }
            }
        }
        throw error("unterminated value");
    }

    private String string() {
        expect('"');
        // Fast path: no escape before the closing quote.
        for (int k = i; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"') {
                String out = s.substring(i, k);
                i = k + 1;
                return out;
            }
            if (c == '\\') break;
        }
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw error("unterminated string");
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
    }
}
