import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import motcua.Dossier;
import motcua.Json;
import motcua.Library;
import motcua.MotcuaException;
import motcua.Procedure;

/**
 * A portal back end in Java over JNA: load the catalogue and calendar, compile the birth
 * registration (with permanent residence and health insurance, a liên thông group), validate
 * the citizen's form, submit the dossier, run it through the commune, the police and social
 * insurance to the result, and print the effects the host carries out (slips to print, work
 * queues, hand-offs to other agencies, status reports).
 *
 * <pre>
 *   examples/java/run.sh                 # builds libmotcua, compiles, runs (see README.md)
 *   java -cp /usr/share/java/jna.jar:BUILD -Dmotcua.library=target/debug/libmotcua.so Portal [ROOT]
 * </pre>
 */
public final class Portal {
    private static Path root = Path.of(".");

    private static String read(String relative) throws Exception {
        return Files.readString(root.resolve(relative));
    }

    /** A command of type {@code act}, as the API takes it. */
    static String act(String id, String at, String role, String agency, String action) {
        return "{\"id\":" + Json.quote(id) + ",\"at\":" + Json.quote(at) + ",\"actor\":{\"role\":" + Json.quote(role)
                + (agency == null ? "" : ",\"agency\":" + Json.quote(agency)) + "},\"type\":\"act\",\"action\":"
                + Json.quote(action) + "}";
    }

    /** One line per effect: what the portal must do now. */
    @SuppressWarnings("unchecked")
    static void printEffects(String applied) {
        for (Object o : (List<Object>) Json.object(applied).get("effects")) {
            Map<String, Object> e = (Map<String, Object>) o;
            String line = switch ((String) e.get("type")) {
                case "hand_off" -> "hand off to " + e.get("to_agency") + " (" + e.get("direction") + ", step "
                        + e.get("to_step") + ")";
                case "slip" -> "print slip " + e.get("slip");
                case "step_started" -> "queue step " + e.get("step") + " for " + e.get("role")
                        + (e.get("agency") == null ? "" : " at " + e.get("agency"))
                        + (e.get("due") == null ? "" : ", due " + e.get("due"));
                case "status_changed" -> "report national status " + e.get("to");
                case "appointment_set" -> "appointment " + e.get("appointment") + " (" + e.get("cause") + ")";
                case "closed" -> "closed: " + e.get("outcome");
                default -> e.get("type") + " " + e;
            };
            System.out.println("    effect " + line);
        }
    }

    /** Applies one command: prints its effects, or the refusal (the dossier is then unchanged). */
    static void apply(Dossier dossier, String label, String command) {
        try {
            String applied = dossier.apply(command);
            System.out.println(label + " (version " + dossier.version() + ")");
            printEffects(applied);
        } catch (MotcuaException e) {
            System.out.println(label + ": refused, " + e.code() + " at `" + e.path() + "`\n  vi: " + e.messageVi()
                    + "\n  en: " + e.messageEn());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) root = Path.of(args[0]);
        System.out.println("motcua " + Library.version());
        Procedure birth;
        try (Library library = Library.load(read("specs/catalogue/vietnam.yaml"), "vietnam.yaml")) {
            library.addCalendar(read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml");
            // Compile once at start-up; the procedure is shared by every request thread.
            birth = library.compile(read("specs/procedures/birth-registration-residence-insurance.yaml"),
                    "birth-registration-residence-insurance.yaml");
        }
        try (birth) {
            System.out.println("procedure " + birth.code() + " version " + birth.version());
            String submission = read("bindings/c/tests/data/birth-registration-submission.json");

            // What the portal's form page does while the citizen types: the same checks as submit.
            Map<String, Object> form = Json.object(submission);
            String data = Json.raw(submission, "data"), documents = Json.raw(submission, "documents");
            String empty = birth.validate("{}", "[]", "2026-03-02");
            System.out.println("an empty form has " + ((List<?>) Json.object(empty).get("problems")).size()
                    + " problems; the citizen's form has "
                    + ((List<?>) Json.object(birth.validate(data, documents, "2026-03-02")).get("problems")).size());

            Dossier.Opened opened = Dossier.submit(birth, submission);
            try (Dossier dossier = opened.dossier()) {
                System.out.println("submitted " + form.get("dossier_id") + " " + form.get("channel"));
                printEffects(opened.applied());
                apply(dossier, "desk accepts",
                        act("c1", "2026-03-02T10:00:00+07:00", "one_stop_officer", "commune_committee", "accept"));
                apply(dossier, "civil status officer proposes",
                        act("c2", "2026-03-02T14:00:00+07:00", "civil_status_officer", "commune_committee", "propose"));
                apply(dossier, "chairman signs",
                        act("c3", "2026-03-03T09:30:00+07:00", "leader", "commune_committee", "sign"));
                // Refused: the police cannot issue the insurance card. Nothing changes.
                apply(dossier, "police issue the card",
                        act("c4", "2026-03-03T10:00:00+07:00", "police_officer", "commune_police", "issue_card"));
                apply(dossier, "police register the residence", act("c5", "2026-03-03T15:00:00+07:00",
                        "police_officer", "commune_police", "register_residence"));
                apply(dossier, "social insurance issues the card", act("c6", "2026-03-04T10:00:00+07:00",
                        "insurance_officer", "social_insurance", "issue_card"));
                apply(dossier, "desk hands over the result",
                        act("c7", "2026-03-04T14:00:00+07:00", "one_stop_officer", "commune_committee", "hand_over"));
                Map<String, Object> snapshot = Json.object(dossier.snapshot());
                String due = dossier.nextDue();
                System.out.println("status " + snapshot.get("status") + ", next timer: "
                        + (due == null ? "none (closed)" : due));
            }
        } catch (MotcuaException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
