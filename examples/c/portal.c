/* A portal back end in C: load the shipped enterprise-registration procedure, open a dossier
 * from an online submission, run it through the one-stop desk to the result, and print the
 * effects the host must carry out (slips to print, work queues, status reports).
 *
 *   make -C examples/c run            # or see bindings/c/README.md for the build lines
 *   ./portal [REPOSITORY_ROOT]
 *
 * A real portal stores `events` (the truth) or the snapshot in its database, and reloads the
 * dossier per request with motcua_dossier_replay / motcua_dossier_from_json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "motcua.h"

static const char *root = ".";

static char *read_file(const char *relative, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", root, relative);
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)size + 1);
  if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) exit(2);
  buf[size] = '\0';
  fclose(f);
  *len = (size_t)size;
  return buf;
}

/* Prints an error the way a portal would log it (to stdout: this is a demo), and frees it. */
static void report(const char *what, motcua_result result, motcua_error *err) {
  motcua_str code = motcua_error_code(err), vi = motcua_error_message_vi(err),
             en = motcua_error_message_en(err), path = motcua_error_path(err);
  printf("%s: result %d, %.*s at `%.*s` (line %u, column %u)\n  vi: %.*s\n  en: %.*s\n",
         what, (int)result, (int)code.len, code.ptr, (int)path.len, path.ptr,
         motcua_error_line(err), motcua_error_column(err), (int)vi.len, vi.ptr, (int)en.len, en.ptr);
  motcua_error_free(err);
}

/* Prints the elements of the top-level "effects" array, one per line. */
static void print_effects(const char *applied) {
  const char *p = strstr(applied, "\"effects\":[");
  if (!p) return;
  p += strlen("\"effects\":[");
  int depth = 0, in_string = 0;
  const char *start = p;
  for (; *p; p++) {
    if (in_string) {
      if (*p == '\\') p++;
      else if (*p == '"') in_string = 0;
    } else if (*p == '"') {
      in_string = 1;
    } else if (*p == '{' || *p == '[') {
      if (depth++ == 0) start = p;
    } else if (*p == '}' || *p == ']') {
      if (depth == 0) break; /* the end of the effects array */
      if (--depth == 0) printf("    effect %.*s\n", (int)(p - start + 1), start);
    }
  }
}

/* Applies one command; prints its effects, or the rejection. Returns 1 if applied. */
static int apply(motcua_dossier *dossier, const motcua_procedure *procedure, const char *label,
                 const char *command) {
  motcua_string *applied = NULL;
  motcua_error *err = NULL;
  motcua_result r = motcua_dossier_apply(dossier, procedure, command, strlen(command), &applied, &err);
  if (r != MOTCUA_RESULT_OK) {
    report(label, r, err);
    return 0;
  }
  printf("%s (version %llu)\n", label, (unsigned long long)motcua_dossier_version(dossier));
  print_effects(motcua_string_ptr(applied));
  motcua_string_free(applied);
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 1) root = argv[1];
  size_t cat_len, cal_len, spec_len, sub_len;
  char *catalogue = read_file("specs/catalogue/vietnam.yaml", &cat_len);
  char *calendar = read_file("specs/calendars/vn-gov.yaml", &cal_len);
  char *spec = read_file("specs/procedures/business-registration.yaml", &spec_len);
  char *submission = read_file("bindings/c/tests/data/business-registration-submission.json", &sub_len);

  motcua_library *library = NULL;
  motcua_procedure *procedure = NULL;
  motcua_dossier *dossier = NULL;
  motcua_string *applied = NULL, *due = NULL;
  motcua_error *err = NULL;
  motcua_result r;
  int status = 1;

  printf("motcua %s\n", motcua_version().ptr);
  if ((r = motcua_library_new(catalogue, cat_len, "vietnam.yaml", 12, &library, &err)) ||
      (r = motcua_library_add_calendar(library, calendar, cal_len, "vn-gov.yaml", 11, &err))) {
    report("library", r, err);
    goto done;
  }
  /* Compile once at start-up; the procedure is shared by every request thread. */
  if ((r = motcua_procedure_compile(library, spec, spec_len, "business-registration.yaml", 26,
                                    &procedure, &err))) {
    report("compile", r, err);
    goto done;
  }
  printf("procedure %s version %s\n", motcua_procedure_code(procedure).ptr,
         motcua_procedure_version(procedure).ptr);

  if ((r = motcua_dossier_submit(procedure, submission, sub_len, &dossier, &applied, &err))) {
    report("submit", r, err);
    goto done;
  }
  printf("submitted DN-2026-0001 online\n");
  print_effects(motcua_string_ptr(applied));
  motcua_string_free(applied);

  apply(dossier, procedure, "desk accepts",
        "{\"id\":\"c1\",\"at\":\"2026-03-02T10:00:00+07:00\",\"actor\":{\"role\":\"one_stop_officer\","
        "\"agency\":\"department_finance\"},\"expected_version\":1,\"type\":\"act\",\"action\":\"accept\"}");
  /* Refused: the applicant cannot propose their own dossier. Nothing changes. */
  apply(dossier, procedure, "applicant proposes",
        "{\"id\":\"c2\",\"at\":\"2026-03-02T11:00:00+07:00\",\"actor\":{\"role\":\"citizen\"},"
        "\"type\":\"act\",\"action\":\"propose\"}");
  apply(dossier, procedure, "officer proposes",
        "{\"id\":\"c3\",\"at\":\"2026-03-03T15:00:00+07:00\",\"actor\":{\"role\":\"officer\","
        "\"agency\":\"department_finance\"},\"type\":\"act\",\"action\":\"propose\"}");
  apply(dossier, procedure, "leader signs",
        "{\"id\":\"c4\",\"at\":\"2026-03-04T10:00:00+07:00\",\"actor\":{\"role\":\"leader\","
        "\"agency\":\"department_finance\"},\"type\":\"act\",\"action\":\"sign\"}");
  apply(dossier, procedure, "desk hands over the result",
        "{\"id\":\"c5\",\"at\":\"2026-03-04T16:00:00+07:00\",\"actor\":{\"role\":\"one_stop_officer\","
        "\"agency\":\"department_finance\"},\"type\":\"act\",\"action\":\"hand_over\"}");

  if ((r = motcua_dossier_next_due(dossier, &due, &err))) {
    report("next due", r, err);
    goto done;
  }
  printf("next timer: %s\n", due ? motcua_string_ptr(due) : "none (closed)");
  motcua_string_free(due);
  status = 0;

done:
  motcua_dossier_free(dossier);
  motcua_procedure_free(procedure);
  motcua_library_free(library);
  free(catalogue);
  free(calendar);
  free(spec);
  free(submission);
  return status;
}
