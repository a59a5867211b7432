/* The C test of the motcua C ABI: every exported function, with its error paths.
 *
 *   cc -std=c11 -Wall -Wextra -Werror -I bindings/c/include bindings/c/tests/test.c \
 *      target/debug/libmotcua.a -lpthread -ldl -lm -o motcua-test
 *   ./motcua-test .          # the argument is the repository root (specs/, bindings/c/tests/data/)
 *
 * Prints each failed check and a closing line `N passed, M failed`; exits 1 on any failure.
 * Run under `valgrind --leak-check=full --error-exitcode=1` by scripts/test.d/30-c.sh: every
 * object the library returns is freed here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "motcua.h"

static int passed = 0, failed = 0;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond) {                                                                                    \
      passed++;                                                                                    \
    } else {                                                                                       \
      failed++;                                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)

/* A C string literal as (ptr, len). */
#define S(lit) (lit), strlen(lit)

static const char *root = ".";

/* Reads a file under the repository root; exits on failure (the test cannot run). */
static char *read_file(const char *relative, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", root, relative);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)size + 1);
  if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  buf[size] = '\0';
  fclose(f);
  *len = (size_t)size;
  return buf;
}

static int str_eq(motcua_str s, const char *expected) {
  return s.ptr != NULL && s.len == strlen(expected) && memcmp(s.ptr, expected, s.len) == 0 &&
         s.ptr[s.len] == '\0';
}

static int string_eq(const motcua_string *s, const char *expected) {
  return s != NULL && motcua_string_len(s) == strlen(expected) &&
         strcmp(motcua_string_ptr(s), expected) == 0;
}

static int string_has(const motcua_string *s, const char *needle) {
  return s != NULL && strstr(motcua_string_ptr(s), needle) != NULL;
}

static int str_has(motcua_str s, const char *needle) {
  return s.ptr != NULL && strstr(s.ptr, needle) != NULL;
}

/* Checks that a call failed with `result` and `code`, then frees the error. */
static void expect_error(int line, motcua_result got, motcua_error *err, motcua_result result,
                         const char *code) {
  int ok = got == result && err != NULL && motcua_error_result(err) == result &&
           str_eq(motcua_error_code(err), code) && motcua_error_message_vi(err).len > 0 &&
           motcua_error_message_en(err).len > 0 && motcua_error_json(err).len > 0;
  if (ok) {
    passed++;
  } else {
    failed++;
    fprintf(stderr, "%s:%d: expected result %d code %s, got %d code %.*s: %.*s\n", __FILE__, line,
            (int)result, code, (int)got, (int)motcua_error_code(err).len,
            motcua_error_code(err).ptr, (int)motcua_error_message_en(err).len,
            motcua_error_message_en(err).ptr);
  }
  motcua_error_free(err);
}
#define EXPECT_ERROR(call, result, code)                                                           \
  do {                                                                                             \
    motcua_error *err_ = NULL;                                                                     \
    motcua_result got_ = (call);                                                                   \
    expect_error(__LINE__, got_, err_, result, code);                                              \
  } while (0)
/* The calls inside EXPECT_ERROR write their error to `&err_`. */
#define ERR (&err_)

/* Checks that a call succeeded; prints the error otherwise. */
static int ok(int line, motcua_result got, motcua_error *err) {
  if (got == MOTCUA_RESULT_OK && err == NULL) {
    passed++;
    return 1;
  }
  failed++;
  fprintf(stderr, "%s:%d: expected OK, got %d %.*s: %.*s\n", __FILE__, line, (int)got,
          (int)motcua_error_code(err).len, motcua_error_code(err).ptr,
          (int)motcua_error_message_en(err).len, motcua_error_message_en(err).ptr);
  motcua_error_free(err);
  return 0;
}
#define OK(call) ok(__LINE__, (call), err)

/* The JSON array after `"key":` in `json`, copied (caller frees), or NULL. */
static char *json_array(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":[", key);
  const char *start = strstr(json, pattern);
  if (!start) return NULL;
  start += strlen(pattern) - 1;
  int depth = 0, in_string = 0;
  for (const char *p = start; *p; p++) {
    if (in_string) {
      if (*p == '\\') p++;
      else if (*p == '"') in_string = 0;
    } else if (*p == '"') {
      in_string = 1;
    } else if (*p == '[' || *p == '{') {
      depth++;
    } else if (*p == ']' || *p == '}') {
      if (--depth == 0) {
        size_t n = (size_t)(p - start) + 1;
        char *out = malloc(n + 1);
        memcpy(out, start, n);
        out[n] = '\0';
        return out;
      }
    }
  }
  return NULL;
}

static const char *ACCEPT =
    "{\"id\":\"c-accept\",\"at\":\"2026-03-02T10:00:00+07:00\","
    "\"actor\":{\"role\":\"one_stop_officer\",\"agency\":\"department_finance\"},"
    "\"expected_version\":1,\"type\":\"act\",\"action\":\"accept\"}";

static void test_version(void) {
  motcua_str v = motcua_version();
  CHECK(v.len > 0 && v.ptr[v.len] == '\0' && strchr(v.ptr, '.') != NULL);
}

static motcua_library *test_library(void) {
  size_t cat_len, cal_len;
  char *cat = read_file("specs/catalogue/vietnam.yaml", &cat_len);
  char *cal = read_file("specs/calendars/vn-gov.yaml", &cal_len);
  motcua_library *library = NULL;
  motcua_error *err = NULL;

  /* Errors: NULL text, NULL out, invalid UTF-8, bad YAML (with a place). */
  motcua_library *none = (motcua_library *)1;
  EXPECT_ERROR(motcua_library_new(NULL, 0, S("f.yaml"), &none, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
  CHECK(none == NULL); /* outputs are cleared on failure */
  EXPECT_ERROR(motcua_library_new(cat, cat_len, S("f.yaml"), NULL, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_library_new(S("id: \xff\xfe"), S("f.yaml"), &none, ERR),
               MOTCUA_RESULT_INVALID_UTF8, "invalid_utf8");
  EXPECT_ERROR(motcua_library_new(S("levels: [x"), S("f.yaml"), &none, ERR),
               MOTCUA_RESULT_LOAD_ERROR, "yaml_syntax");
  {
    motcua_error *e = NULL;
    CHECK(motcua_library_new(S("levels: 3\n"), S("bad.yaml"), &none, &e) ==
          MOTCUA_RESULT_LOAD_ERROR);
    CHECK(motcua_error_line(e) == 1 && motcua_error_column(e) > 0);
    CHECK(motcua_error_json(e).ptr[0] == '[' && str_has(motcua_error_json(e), "\"bad.yaml\""));
    motcua_error_free(e);
  }
  /* err may be NULL: only the result code comes back. */
  CHECK(motcua_library_new(NULL, 0, NULL, 0, &none, NULL) == MOTCUA_RESULT_NULL_ARGUMENT);

  CHECK(OK(motcua_library_new(cat, cat_len, S("vietnam.yaml"), &library, &err)));
  CHECK(library != NULL);

  EXPECT_ERROR(motcua_library_add_calendar(library, S("id: [x"), S("c.yaml"), ERR),
               MOTCUA_RESULT_LOAD_ERROR, "yaml_syntax");
  EXPECT_ERROR(motcua_library_add_calendar(NULL, cal, cal_len, S("vn-gov.yaml"), ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  CHECK(OK(motcua_library_add_calendar(library, cal, cal_len, S("vn-gov.yaml"), &err)));

  /* Working time on a library calendar: 30 April and 1 May 2026 are holidays. */
  motcua_string *due = NULL;
  CHECK(OK(motcua_library_add_working_time(library, S("vn-gov"), S("2026-04-29T09:00:00+07:00"),
                                           S("1d"), &due, &err)));
  CHECK(string_eq(due, "2026-05-04T09:00:00+07:00"));
  motcua_string_free(due);
  EXPECT_ERROR(motcua_library_add_working_time(library, S("mars"), S("2026-04-29T09:00:00+07:00"),
                                               S("1d"), &due, ERR),
               MOTCUA_RESULT_CALENDAR_ERROR, "unknown_calendar");
  EXPECT_ERROR(motcua_library_add_working_time(library, S("vn-gov"), S("2027-12-30T09:00:00+07:00"),
                                               S("10d"), &due, ERR),
               MOTCUA_RESULT_CALENDAR_ERROR, "outside_calendar");
  EXPECT_ERROR(motcua_library_add_working_time(library, S("vn-gov"), S("29/04/2026"), S("1d"), &due,
                                               ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_library_add_working_time(library, S("vn-gov"), S("2026-04-29T09:00:00+07:00"),
                                               S("3 days"), &due, ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_library_add_working_time(library, S("vn-gov"), S("2026-04-29T09:00:00+07:00"),
                                               S("1d"), NULL, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");

  motcua_library_free(NULL);
  free(cat);
  free(cal);
  return library;
}

static motcua_procedure *test_procedure(motcua_library *library, const char *path) {
  size_t len;
  char *yaml = read_file(path, &len);
  motcua_procedure *procedure = NULL;
  motcua_error *err = NULL;
  CHECK(OK(motcua_procedure_compile(library, yaml, len, path, strlen(path), &procedure, &err)));
  free(yaml);
  return procedure;
}

static void test_compile_errors(motcua_library *library) {
  size_t len;
  char *yaml = read_file("specs/procedures/business-registration.yaml", &len);
  motcua_procedure *none = NULL;

  /* A typo in a step reference: the first error's code, line, column and path. */
  char *typo = malloc(len + 2);
  const char *at = strstr(yaml, "to: review");
  CHECK(at != NULL);
  size_t head = (size_t)(at - yaml) + strlen("to: review");
  memcpy(typo, yaml, head);
  typo[head] = 'w';
  memcpy(typo + head + 1, yaml + head, len - head + 1);
  motcua_error *e = NULL;
  CHECK(motcua_procedure_compile(library, typo, len + 1, S("typo.yaml"), &none, &e) ==
        MOTCUA_RESULT_LOAD_ERROR);
  CHECK(str_eq(motcua_error_code(e), "unknown_step"));
  CHECK(motcua_error_line(e) > 1 && motcua_error_column(e) > 1);
  CHECK(str_has(motcua_error_path(e), "steps.") && str_has(motcua_error_path(e), ".to"));
  CHECK(str_has(motcua_error_message_en(e), "revieww"));
  CHECK(str_has(motcua_error_json(e), "\"unknown_step\"") &&
        str_has(motcua_error_json(e), "\"typo.yaml\""));
  /* The JSON carries the span's end and the label at the step the typo is nearest to. */
  CHECK(str_has(motcua_error_json(e), "\"end\":{") &&
        str_has(motcua_error_json(e), "\"labels\":[") &&
        str_has(motcua_error_json(e), "is declared here"));
  motcua_error_free(e);
  CHECK(none == NULL);
  free(typo);

  EXPECT_ERROR(motcua_procedure_compile(NULL, yaml, len, S("x.yaml"), &none, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_procedure_compile(library, yaml, len, NULL, 0, &none, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_procedure_compile(library, S("\xc3\x28"), S("x.yaml"), &none, ERR),
               MOTCUA_RESULT_INVALID_UTF8, "invalid_utf8");
  free(yaml);
}

static void test_procedure_functions(motcua_procedure *procedure) {
  motcua_error *err = NULL;
  motcua_string *out = NULL;

  CHECK(str_eq(motcua_procedure_code(procedure), "2.001610"));
  CHECK(motcua_procedure_version(procedure).len > 0);
  CHECK(str_eq(motcua_procedure_code(NULL), "") && str_eq(motcua_procedure_version(NULL), ""));

  CHECK(OK(motcua_procedure_warnings(procedure, &out, &err)));
  CHECK(out != NULL && motcua_string_ptr(out)[0] == '[');
  motcua_string_free(out);
  EXPECT_ERROR(motcua_procedure_warnings(NULL, &out, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");

  /* Deadlines on the procedure's calendar. */
  CHECK(OK(motcua_procedure_add_working_time(procedure, S("2026-03-02T09:00:00+07:00"), S("3d"),
                                             &out, &err)));
  CHECK(string_eq(out, "2026-03-05T09:00:00+07:00"));
  motcua_string_free(out);
  EXPECT_ERROR(motcua_procedure_add_working_time(procedure, S("2026-03-02"), S("3d"), &out, ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_procedure_add_working_time(procedure, S("2026-03-02T09:00:00+07:00"), S("3w"),
                                                 &out, ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_procedure_add_working_time(procedure, S("2030-03-02T09:00:00+07:00"), S("3d"),
                                                 &out, ERR),
               MOTCUA_RESULT_CALENDAR_ERROR, "outside_calendar");

  /* Diagrams. */
  CHECK(OK(motcua_procedure_mermaid(procedure, S("vi"), &out, &err)));
  CHECK(string_has(out, "flowchart"));
  motcua_string_free(out);
  CHECK(OK(motcua_procedure_dot(procedure, S("en"), &out, &err)));
  CHECK(string_has(out, "digraph"));
  motcua_string_free(out);
  EXPECT_ERROR(motcua_procedure_mermaid(procedure, S("fr"), &out, ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_procedure_dot(procedure, NULL, 0, &out, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
  EXPECT_ERROR(motcua_procedure_dot(procedure, S("en"), NULL, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
}

static void test_validate(motcua_procedure *procedure, const char *submission) {
  motcua_error *err = NULL;
  motcua_string *out = NULL;

  /* An empty form: required fields and documents are missing. */
  CHECK(OK(motcua_procedure_validate(procedure, S("{}"), S("[]"), S("2026-03-02"), &out, &err)));
  CHECK(string_has(out, "\"field_required\"") && string_has(out, "\"document_missing\""));
  motcua_string_free(out);

  /* The valid submission's data and documents: no problems. */
  char *data = NULL, *documents = json_array(submission, "documents");
  const char *d = strstr(submission, "\"data\":");
  CHECK(d != NULL && documents != NULL);
  {
    /* "data" is the object between "data": and ,"documents" in the compact fixture. */
    const char *start = d + strlen("\"data\":");
    const char *end = strstr(start, ",\"documents\":");
    data = malloc((size_t)(end - start) + 1);
    memcpy(data, start, (size_t)(end - start));
    data[end - start] = '\0';
  }
  CHECK(OK(motcua_procedure_validate(procedure, data, strlen(data), documents, strlen(documents),
                                     S("2026-03-02"), &out, &err)));
  CHECK(string_eq(out, "{\"problems\":[]}"));
  motcua_string_free(out);

  /* Errors: bad JSON (with its place), wrong shape, bad date, NULLs, wrong handle. */
  {
    motcua_error *e = NULL;
    CHECK(motcua_procedure_validate(procedure, S("{\n  \"a\": }"), S("[]"), S("2026-03-02"), &out,
                                    &e) == MOTCUA_RESULT_INVALID_JSON);
    CHECK(str_eq(motcua_error_code(e), "invalid_json") && str_eq(motcua_error_path(e), "data"));
    CHECK(motcua_error_line(e) == 2 && motcua_error_column(e) > 0);
    motcua_error_free(e);
  }
  EXPECT_ERROR(motcua_procedure_validate(procedure, S("{}"), S("{\"id\":1}"), S("2026-03-02"), &out,
                                         ERR),
               MOTCUA_RESULT_INVALID_JSON, "invalid_json");
  EXPECT_ERROR(motcua_procedure_validate(procedure, S("{}"), S("[]"), S("02/03/2026"), &out, ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_procedure_validate(procedure, NULL, 0, S("[]"), S("2026-03-02"), &out, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_procedure_validate(procedure, S("{\"name\": \"\xe0\x80\"}"), S("[]"),
                                         S("2026-03-02"), &out, ERR),
               MOTCUA_RESULT_INVALID_UTF8, "invalid_utf8");
  /* A string handle passed as a procedure. */
  motcua_string *other = NULL;
  CHECK(OK(motcua_procedure_warnings(procedure, &other, &err)));
  EXPECT_ERROR(motcua_procedure_validate((const motcua_procedure *)other, S("{}"), S("[]"),
                                         S("2026-03-02"), &out, ERR),
               MOTCUA_RESULT_INVALID_HANDLE, "invalid_handle");
  motcua_string_free(other);
  free(data);
  free(documents);
}

static void test_dossier(motcua_procedure *procedure, const char *submission) {
  motcua_error *err = NULL;
  motcua_string *applied = NULL;
  motcua_dossier *dossier = NULL, *none = NULL;

  /* Rejected submissions: an invalid form (every problem in the JSON), a bad channel. */
  {
    motcua_error *e = NULL;
    const char *bad = "{\"dossier_id\":\"DN-X\",\"command_id\":\"s\",\"at\":\"2026-03-02T09:00:00+07:00\","
                      "\"actor\":{\"role\":\"citizen\"},\"channel\":\"online\",\"jurisdiction\":\"01\","
                      "\"data\":{},\"documents\":[]}";
    CHECK(motcua_dossier_submit(procedure, S(bad), &none, &applied, &e) == MOTCUA_RESULT_REJECTED);
    CHECK(str_eq(motcua_error_code(e), "invalid_form"));
    CHECK(str_has(motcua_error_json(e), "\"problems\"") &&
          str_has(motcua_error_json(e), "\"field_required\""));
    motcua_error_free(e);
    CHECK(none == NULL && applied == NULL);
  }
  EXPECT_ERROR(motcua_dossier_submit(procedure, S("{\"dossier_id\": 1}"), &none, &applied, ERR),
               MOTCUA_RESULT_INVALID_JSON, "invalid_json");
  EXPECT_ERROR(motcua_dossier_submit(procedure, S("{\"unknown\": true}"), &none, &applied, ERR),
               MOTCUA_RESULT_INVALID_JSON, "invalid_json");
  EXPECT_ERROR(motcua_dossier_submit(procedure, submission, strlen(submission), NULL, &applied, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_dossier_submit(procedure, submission, strlen(submission), &none, NULL, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");

  CHECK(OK(motcua_dossier_submit(procedure, submission, strlen(submission), &dossier, &applied,
                                 &err)));
  CHECK(string_has(applied, "\"status_changed\"") && string_has(applied, "\"appointment_set\""));
  motcua_string_free(applied);
  CHECK(motcua_dossier_version(dossier) == 1);
  CHECK(motcua_dossier_version(NULL) == 0);

  /* Accept at the desk: a receipt slip, the review step starts, status 2. */
  CHECK(OK(motcua_dossier_apply(dossier, procedure, S(ACCEPT), &applied, &err)));
  CHECK(string_has(applied, "\"slip\":\"receipt\"") && string_has(applied, "\"duplicate\":false"));
  motcua_string_free(applied);
  CHECK(motcua_dossier_version(dossier) == 2);

  /* The same command id again: the original outcome, nothing changes. */
  CHECK(OK(motcua_dossier_apply(dossier, procedure, S(ACCEPT), &applied, &err)));
  CHECK(string_has(applied, "\"duplicate\":true"));
  motcua_string_free(applied);
  CHECK(motcua_dossier_version(dossier) == 2);

  /* Rejected commands, each with its stable code; the dossier is unchanged. */
  EXPECT_ERROR(motcua_dossier_apply(dossier, procedure,
                                    S("{\"id\":\"c2\",\"at\":\"2026-03-02T11:00:00+07:00\","
                                      "\"actor\":{\"role\":\"citizen\"},\"type\":\"act\",\"action\":\"propose\"}"),
                                    &applied, ERR),
               MOTCUA_RESULT_REJECTED, "forbidden");
  {
    motcua_error *e = NULL;
    CHECK(motcua_dossier_apply(dossier, procedure,
                               S("{\"id\":\"c3\",\"at\":\"2026-03-02T11:00:00+07:00\",\"actor\":{\"role\":"
                                 "\"officer\",\"agency\":\"department_finance\"},\"expected_version\":1,"
                                 "\"type\":\"act\",\"action\":\"propose\"}"),
                               &applied, &e) == MOTCUA_RESULT_REJECTED);
    CHECK(str_eq(motcua_error_code(e), "version_conflict") &&
          str_eq(motcua_error_path(e), "expected_version"));
    CHECK(str_has(motcua_error_message_vi(e), "phiên bản"));
    CHECK(str_has(motcua_error_json(e), "\"field\":\"expected_version\""));
    motcua_error_free(e);
  }
  EXPECT_ERROR(motcua_dossier_apply(dossier, procedure,
                                    S("{\"id\":\"c4\",\"at\":\"2026-03-02T11:00:00+07:00\",\"actor\":{\"role\":"
                                      "\"officer\",\"agency\":\"department_finance\"},\"type\":\"act\","
                                      "\"action\":\"fly\"}"),
                                    &applied, ERR),
               MOTCUA_RESULT_REJECTED, "unknown_action");
  CHECK(motcua_dossier_version(dossier) == 2);

  /* Argument errors. */
  EXPECT_ERROR(motcua_dossier_apply(dossier, procedure, S("{\"id\":"), &applied, ERR),
               MOTCUA_RESULT_INVALID_JSON, "invalid_json");
  EXPECT_ERROR(motcua_dossier_apply(dossier, procedure, S("{\"id\":\"x\",\"type\":\"dance\"}"),
                                    &applied, ERR),
               MOTCUA_RESULT_INVALID_JSON, "invalid_json");
  EXPECT_ERROR(motcua_dossier_apply(dossier, procedure, S("\xff"), &applied, ERR),
               MOTCUA_RESULT_INVALID_UTF8, "invalid_utf8");
  EXPECT_ERROR(motcua_dossier_apply(NULL, procedure, S(ACCEPT), &applied, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_dossier_apply(dossier, NULL, S(ACCEPT), &applied, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_dossier_apply(dossier, procedure, S(ACCEPT), NULL, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  /* Wrong handles: a procedure passed as a dossier and the other way round. */
  EXPECT_ERROR(motcua_dossier_apply((motcua_dossier *)procedure, procedure, S(ACCEPT), &applied, ERR),
               MOTCUA_RESULT_INVALID_HANDLE, "invalid_handle");
  EXPECT_ERROR(motcua_dossier_apply(dossier, (const motcua_procedure *)dossier, S(ACCEPT), &applied,
                                    ERR),
               MOTCUA_RESULT_INVALID_HANDLE, "invalid_handle");
  /* Freeing a handle as the wrong type is ignored (the procedure stays usable). */
  motcua_dossier_free((motcua_dossier *)procedure);
  CHECK(str_eq(motcua_procedure_code(procedure), "2.001610"));

  /* No timer in this procedure; advance fires nothing. */
  motcua_string *due = (motcua_string *)1;
  CHECK(OK(motcua_dossier_next_due(dossier, &due, &err)));
  CHECK(due == NULL);
  CHECK(OK(motcua_dossier_advance(dossier, procedure, S("2026-03-03T08:00:00+07:00"), &applied,
                                  &err)));
  CHECK(string_eq(applied, "{\"events\":[],\"effects\":[],\"duplicate\":false}"));
  motcua_string_free(applied);
  EXPECT_ERROR(motcua_dossier_advance(dossier, procedure, S("tomorrow"), &applied, ERR),
               MOTCUA_RESULT_INVALID_ARGUMENT, "invalid_argument");
  EXPECT_ERROR(motcua_dossier_advance(NULL, procedure, S("2026-03-03T08:00:00+07:00"), &applied, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_dossier_next_due(NULL, &due, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");

  /* Snapshot, load it again, replay its history: the same dossier. */
  motcua_string *snapshot = NULL, *again = NULL;
  CHECK(OK(motcua_dossier_snapshot(dossier, &snapshot, &err)));
  CHECK(string_has(snapshot, "\"id\":\"DN-2026-0001\"") && string_has(snapshot, "\"history\":["));
  motcua_dossier *loaded = NULL;
  motcua_string *head = NULL;
  CHECK(OK(motcua_dossier_head(dossier, &head, &err)));
  CHECK(OK(motcua_dossier_from_snapshot(procedure, motcua_string_ptr(snapshot), motcua_string_len(snapshot),
                                        motcua_string_ptr(head), motcua_string_len(head), &loaded, &err)));
  CHECK(OK(motcua_dossier_snapshot(loaded, &again, &err)));
  CHECK(string_eq(again, motcua_string_ptr(snapshot)));
  motcua_string_free(again);
  motcua_dossier_free(loaded);

  /* A snapshot edited by hand (the status moved on) is refused, with or without the head. */
  {
    size_t snapshot_len = motcua_string_len(snapshot);
    char *edited = malloc(snapshot_len + 1);
    CHECK(edited != NULL);
    memcpy(edited, motcua_string_ptr(snapshot), snapshot_len + 1);
    char *status = strstr(edited, "\"status\":");
    CHECK(status != NULL);
    status[strlen("\"status\":")] = status[strlen("\"status\":")] == '9' ? '8' : '9';
    loaded = NULL;
    EXPECT_ERROR(motcua_dossier_from_snapshot(procedure, edited, strlen(edited), motcua_string_ptr(head),
                                              motcua_string_len(head), &loaded, ERR),
                 MOTCUA_RESULT_REJECTED, "tampered_snapshot");
    CHECK(loaded == NULL);
    EXPECT_ERROR(motcua_dossier_from_snapshot(procedure, edited, strlen(edited), NULL, 0, &loaded, ERR),
                 MOTCUA_RESULT_REJECTED, "tampered_snapshot");
    free(edited);
  }
  /* The right snapshot with another head is refused too. */
  EXPECT_ERROR(motcua_dossier_from_snapshot(procedure, motcua_string_ptr(snapshot), motcua_string_len(snapshot),
                                            S("00"), &loaded, ERR),
               MOTCUA_RESULT_REJECTED, "tampered_snapshot");
  motcua_string_free(head);

  /* A freed handle is a wrong handle if used again, and freeing it twice is harmless:
     the library never reads freed memory (valgrind checks this run). */
  CHECK(OK(motcua_dossier_from_snapshot(procedure, motcua_string_ptr(snapshot), motcua_string_len(snapshot),
                                        NULL, 0, &loaded, &err)));
  motcua_dossier_free(loaded);
  EXPECT_ERROR(motcua_dossier_snapshot(loaded, &again, ERR), MOTCUA_RESULT_INVALID_HANDLE, "invalid_handle");
  CHECK(motcua_dossier_version(loaded) == 0);
  motcua_dossier_free(loaded);

  char *events = json_array(motcua_string_ptr(snapshot), "history");
  CHECK(events != NULL);
  motcua_dossier *replayed = NULL;
  CHECK(OK(motcua_dossier_replay(procedure, events, strlen(events), &replayed, &err)));
  CHECK(OK(motcua_dossier_snapshot(replayed, &again, &err)));
  CHECK(string_eq(again, motcua_string_ptr(snapshot)));
  motcua_string_free(again);
  motcua_dossier_free(replayed);
  free(events);
  motcua_string_free(snapshot);

  EXPECT_ERROR(motcua_dossier_replay(procedure, S("[]"), &replayed, ERR), MOTCUA_RESULT_REJECTED,
               "invalid_history");
  EXPECT_ERROR(motcua_dossier_replay(procedure, S("{}"), &replayed, ERR), MOTCUA_RESULT_INVALID_JSON,
               "invalid_json");
  EXPECT_ERROR(motcua_dossier_replay(NULL, S("[]"), &replayed, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
  EXPECT_ERROR(motcua_dossier_from_snapshot(procedure, S("{\"id\":\"x\"}"), NULL, 0, &loaded, ERR),
               MOTCUA_RESULT_INVALID_JSON, "invalid_json");
  EXPECT_ERROR(motcua_dossier_from_snapshot(procedure, S("[]"), NULL, 0, NULL, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
  EXPECT_ERROR(motcua_dossier_from_snapshot(NULL, S("[]"), NULL, 0, &loaded, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
  EXPECT_ERROR(motcua_dossier_snapshot(dossier, NULL, ERR), MOTCUA_RESULT_NULL_ARGUMENT,
               "null_argument");
  EXPECT_ERROR(motcua_dossier_snapshot((const motcua_dossier *)procedure, &snapshot, ERR),
               MOTCUA_RESULT_INVALID_HANDLE, "invalid_handle");

  motcua_dossier_free(dossier);
  motcua_dossier_free(NULL);
}

/* A procedure with a timer: a supplement request starts a 10-working-day timer. */
static void test_timers(motcua_procedure *birth, const char *submission) {
  motcua_error *err = NULL;
  motcua_string *applied = NULL, *due = NULL;
  motcua_dossier *dossier = NULL;
  CHECK(OK(motcua_dossier_submit(birth, submission, strlen(submission), &dossier, &applied, &err)));
  motcua_string_free(applied);
  CHECK(OK(motcua_dossier_apply(dossier, birth,
                                S("{\"id\":\"c1\",\"at\":\"2026-03-02T10:00:00+07:00\",\"actor\":{\"role\":"
                                  "\"one_stop_officer\",\"agency\":\"commune_committee\"},\"type\":\"act\","
                                  "\"action\":\"request_supplement\"}"),
                                &applied, &err)));
  CHECK(string_has(applied, "\"clock_suspended\""));
  motcua_string_free(applied);
  CHECK(OK(motcua_dossier_next_due(dossier, &due, &err)));
  CHECK(string_eq(due, "2026-03-16T10:00:00+07:00"));
  motcua_string_free(due);
  CHECK(OK(motcua_dossier_advance(dossier, birth, S("2026-03-13T17:00:00+07:00"), &applied, &err)));
  CHECK(string_has(applied, "\"events\":[]"));
  motcua_string_free(applied);
  CHECK(OK(motcua_dossier_advance(dossier, birth, S("2026-03-17T08:00:00+07:00"), &applied, &err)));
  CHECK(string_has(applied, "\"timer_fired\"") && string_has(applied, "\"kind\":\"stopped\""));
  motcua_string_free(applied);
  CHECK(OK(motcua_dossier_next_due(dossier, &due, &err)));
  CHECK(due == NULL);
  /* Closed: any further command is refused. */
  EXPECT_ERROR(motcua_dossier_apply(dossier, birth,
                                    S("{\"id\":\"c9\",\"at\":\"2026-03-18T08:00:00+07:00\",\"actor\":{\"role\":"
                                      "\"citizen\"},\"type\":\"request_withdrawal\"}"),
                                    &applied, ERR),
               MOTCUA_RESULT_REJECTED, "dossier_closed");
  motcua_dossier_free(dossier);
}

/* The one-call variants for hosts where a call has a price: motcua_error_report and
 * motcua_dossier_apply_to_buffer give what the other calls give, in one call. */
static void test_one_call(motcua_procedure *procedure, const char *submission) {
  motcua_error *err = NULL;
  motcua_string *applied = NULL, *overflow = (motcua_string *)1;
  motcua_dossier *a = NULL, *b = NULL;
  CHECK(OK(motcua_dossier_submit(procedure, submission, strlen(submission), &a, &applied, &err)));
  motcua_string_free(applied);
  CHECK(OK(motcua_dossier_submit(procedure, submission, strlen(submission), &b, &applied, &err)));
  motcua_string_free(applied);

  /* Success: the same JSON as motcua_dossier_apply, NUL-terminated in the buffer. */
  CHECK(OK(motcua_dossier_apply(a, procedure, S(ACCEPT), &applied, &err)));
  char buf[8192];
  size_t len = 1;
  CHECK(OK(motcua_dossier_apply_to_buffer(b, procedure, S(ACCEPT), buf, sizeof buf, &len, &overflow,
                                          &err)));
  CHECK(overflow == NULL && len == motcua_string_len(applied) && buf[len] == '\0' &&
        memcmp(buf, motcua_string_ptr(applied), len) == 0);
  CHECK(motcua_dossier_version(b) == 2);

  /* Too small a buffer: untouched, the answer in an overflow string (a duplicate here). */
  char small[8] = "keep";
  CHECK(OK(motcua_dossier_apply_to_buffer(b, procedure, S(ACCEPT), small, sizeof small, &len,
                                          &overflow, &err)));
  CHECK(overflow != NULL && strcmp(small, "keep") == 0 && len == motcua_string_len(overflow) &&
        string_has(overflow, "\"duplicate\":true"));
  motcua_string_free(overflow);
  /* No buffer at all is allowed: everything comes as an overflow. */
  CHECK(OK(motcua_dossier_apply_to_buffer(b, procedure, S(ACCEPT), NULL, 0, &len, &overflow, &err)));
  CHECK(overflow != NULL && len == motcua_string_len(overflow));
  motcua_string_free(overflow);
  motcua_string_free(applied);

  /* Refusal with err NULL: the error report in the buffer, the dossier unchanged. */
  const char *forbidden = "{\"id\":\"c2\",\"at\":\"2026-03-02T11:00:00+07:00\","
                          "\"actor\":{\"role\":\"citizen\"},\"type\":\"act\",\"action\":\"propose\"}";
  CHECK(motcua_dossier_apply_to_buffer(b, procedure, S(forbidden), buf, sizeof buf, &len, &overflow,
                                       NULL) == MOTCUA_RESULT_REJECTED);
  CHECK(overflow == NULL && buf[len] == '\0' && strstr(buf, "{\"result\":7,\"code\":\"forbidden\"") == buf &&
        strstr(buf, "\"path\":\"actor\"") && strstr(buf, "\"detail\":{\"code\":\"forbidden\""));
  CHECK(motcua_dossier_version(b) == 2);
  /* With err: the same report from motcua_error_report, and the other accessors agree. */
  motcua_error *e = NULL;
  CHECK(motcua_dossier_apply_to_buffer(b, procedure, S(forbidden), buf, sizeof buf, &len, &overflow,
                                       &e) == MOTCUA_RESULT_REJECTED);
  motcua_str report = motcua_error_report(e);
  CHECK(report.len == len && memcmp(report.ptr, buf, len) == 0 && report.ptr[report.len] == '\0');
  CHECK(motcua_error_report(e).ptr == report.ptr); /* written once, kept with the error */
  CHECK(str_eq(motcua_error_code(e), "forbidden") && str_eq(motcua_error_path(e), "actor"));
  motcua_error_free(e);

  /* A JSON mistake: line and column in the report (they are not in motcua_error_json). */
  CHECK(motcua_dossier_apply_to_buffer(b, procedure, S("{\n\"id\": }"), buf, sizeof buf, &len,
                                       &overflow, &e) == MOTCUA_RESULT_INVALID_JSON);
  CHECK(strstr(buf, "\"result\":4,\"code\":\"invalid_json\",\"line\":2,\"column\":7,\"path\":\"command\"") != NULL);
  CHECK(motcua_error_line(e) == 2 && motcua_error_column(e) == 7);
  motcua_error_free(e);

  /* Bad arguments of the new function itself: nothing applied, nothing written. */
  len = 99;
  EXPECT_ERROR(motcua_dossier_apply_to_buffer(b, procedure, S(ACCEPT), buf, sizeof buf, NULL, &overflow,
                                              ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_dossier_apply_to_buffer(b, procedure, S(ACCEPT), buf, sizeof buf, &len, NULL, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  EXPECT_ERROR(motcua_dossier_apply_to_buffer(b, procedure, S(ACCEPT), NULL, 16, &len, &overflow, ERR),
               MOTCUA_RESULT_NULL_ARGUMENT, "null_argument");
  CHECK(len == 99);
  CHECK(motcua_dossier_apply_to_buffer((motcua_dossier *)procedure, procedure, S(ACCEPT), buf, sizeof buf,
                                       &len, &overflow, NULL) == MOTCUA_RESULT_INVALID_HANDLE);
  CHECK(strstr(buf, "\"code\":\"invalid_handle\"") && strstr(buf, "\"path\":\"dossier\""));
  CHECK(motcua_error_report(NULL).len == 0);
  motcua_dossier_free(a);
  motcua_dossier_free(b);
}

static void test_strings_and_errors(void) {
  CHECK(motcua_string_len(NULL) == 0 && motcua_string_ptr(NULL)[0] == '\0');
  motcua_string_free(NULL);
  CHECK(motcua_error_result(NULL) == MOTCUA_RESULT_NULL_ARGUMENT);
  CHECK(str_eq(motcua_error_code(NULL), "") && str_eq(motcua_error_path(NULL), ""));
  CHECK(str_eq(motcua_error_message_vi(NULL), "") && str_eq(motcua_error_message_en(NULL), ""));
  CHECK(str_eq(motcua_error_json(NULL), ""));
  CHECK(motcua_error_line(NULL) == 0 && motcua_error_column(NULL) == 0);
  motcua_error_free(NULL);

  /* The JSON of a binding error has the rejection's shape. */
  motcua_error *e = NULL;
  motcua_library *none = NULL;
  CHECK(motcua_library_new(NULL, 0, S("x"), &none, &e) == MOTCUA_RESULT_NULL_ARGUMENT);
  CHECK(str_has(motcua_error_json(e), "\"code\":\"null_argument\"") &&
        str_has(motcua_error_json(e), "\"field\":\"yaml\"") && str_eq(motcua_error_path(e), "yaml"));
  motcua_error_free(e);
}

int main(int argc, char **argv) {
  if (argc > 1) root = argv[1];
  size_t len;
  char *business = read_file("bindings/c/tests/data/business-registration-submission.json", &len);
  char *birth_submission = read_file("bindings/c/tests/data/birth-registration-submission.json", &len);
  /* The fixtures are pretty-printed; the engine does not care, the data extraction does. */
  motcua_error *err = NULL;
  motcua_dossier *d = NULL;
  motcua_string *compact = NULL;

  test_version();
  test_strings_and_errors();
  motcua_library *library = test_library();
  test_compile_errors(library);
  motcua_procedure *procedure = test_procedure(library, "specs/procedures/business-registration.yaml");
  motcua_procedure *birth =
      test_procedure(library, "specs/procedures/birth-registration-residence-insurance.yaml");
  motcua_library_free(library); /* procedures do not need it any more */

  /* Compact the fixture through the library: submit, take the snapshot's data back. */
  CHECK(OK(motcua_dossier_submit(procedure, business, strlen(business), &d, &compact, &err)));
  motcua_string_free(compact);
  compact = NULL;
  CHECK(OK(motcua_dossier_snapshot(d, &compact, &err)));
  motcua_dossier_free(d);
  test_validate(procedure, motcua_string_ptr(compact));
  motcua_string_free(compact);

  test_procedure_functions(procedure);
  test_dossier(procedure, business);
  test_one_call(procedure, business);
  test_timers(birth, birth_submission);

  motcua_procedure_free(procedure);
  motcua_procedure_free(birth);
  motcua_procedure_free(NULL);
  free(business);
  free(birth_submission);

  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
