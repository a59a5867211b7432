/* The C side of examples/java/bench: the same workload as ApplyBench.java, from C.
 *
 *   cc -O2 -std=c11 -I bindings/c/include examples/java/bench/apply_bench.c \
 *      -L target/release -lmotcua -Wl,-rpath,target/release -o apply_bench
 *   ./apply_bench . [DOSSIERS] [REPEATS]
 *
 * Each repeat submits DOSSIERS fresh dossiers (not timed), then times one accept on each, and
 * one refused command (a citizen proposing) on each. Prints one line per variant and repeat:
 * `variant repeat microseconds-per-command`; `call.size_t` and `call.str` time one call alone
 * (motcua_string_len(NULL), motcua_version()). The answers are read the way a host reads them
 * (the accessors are called, the bytes touched), so nothing is optimised away.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "motcua.h"

static const char *ACCEPT =
    "{\"id\":\"c1\",\"at\":\"2026-03-02T10:00:00+07:00\",\"actor\":{\"role\":\"one_stop_officer\","
    "\"agency\":\"department_finance\"},\"expected_version\":1,\"type\":\"act\",\"action\":\"accept\"}";
static const char *REFUSED =
    "{\"id\":\"c2\",\"at\":\"2026-03-02T11:00:00+07:00\",\"actor\":{\"role\":\"citizen\"},"
    "\"type\":\"act\",\"action\":\"propose\"}";

static char *read_file(const char *root, const char *relative, size_t *len) {
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

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void die(const char *what, motcua_error *err) {
  motcua_str m = motcua_error_message_en(err);
  fprintf(stderr, "%s: %.*s\n", what, (int)m.len, m.ptr);
  exit(1);
}

static volatile size_t sink;

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : ".";
  int n = argc > 2 ? atoi(argv[2]) : 1000, repeats = argc > 3 ? atoi(argv[3]) : 5;
  size_t cat_len, cal_len, spec_len, sub_len;
  char *cat = read_file(root, "specs/catalogue/vietnam.yaml", &cat_len);
  char *cal = read_file(root, "specs/calendars/vn-gov.yaml", &cal_len);
  char *spec = read_file(root, "specs/procedures/business-registration.yaml", &spec_len);
  char *sub = read_file(root, "bindings/c/tests/data/business-registration-submission.json", &sub_len);
  motcua_library *library = NULL;
  motcua_procedure *procedure = NULL;
  motcua_error *err = NULL;
  if (motcua_library_new(cat, cat_len, "v", 1, &library, &err) ||
      motcua_library_add_calendar(library, cal, cal_len, "c", 1, &err) ||
      motcua_procedure_compile(library, spec, spec_len, "p", 1, &procedure, &err))
    die("setup", err);
  motcua_dossier **dossiers = calloc((size_t)n, sizeof *dossiers);
  static char buf[65536];
  size_t accept_len = strlen(ACCEPT), refused_len = strlen(REFUSED);

  for (int rep = -2; rep < repeats; rep++) { /* two warm-up repeats, not printed */
    for (int variant = 0; variant < 6; variant++) {
      for (int i = 0; i < n; i++) {
        motcua_string *applied = NULL;
        if (motcua_dossier_submit(procedure, sub, sub_len, &dossiers[i], &applied, &err)) die("submit", err);
        motcua_string_free(applied);
      }
      double start = now_us();
      for (int i = 0; i < n; i++) {
        motcua_string *applied = NULL, *overflow = NULL;
        size_t len = 0;
        switch (variant) {
          case 0: /* apply: the string, its pointer and length, free */
            if (motcua_dossier_apply(dossiers[i], procedure, ACCEPT, accept_len, &applied, &err))
              die("apply", err);
            sink += motcua_string_len(applied) + (size_t)motcua_string_ptr(applied)[0];
            motcua_string_free(applied);
            break;
          case 1: /* apply_to_buffer */
            if (motcua_dossier_apply_to_buffer(dossiers[i], procedure, ACCEPT, accept_len, buf, sizeof buf,
                                               &len, &overflow, &err))
              die("apply_to_buffer", err);
            sink += len + (size_t)buf[0];
            motcua_string_free(overflow);
            break;
          case 2: { /* refused: the eight accessors, free */
            if (motcua_dossier_apply(dossiers[i], procedure, REFUSED, refused_len, &applied, &err) !=
                MOTCUA_RESULT_REJECTED)
              die("refusal expected", err);
            sink += (size_t)motcua_error_result(err) + motcua_error_code(err).len + motcua_error_line(err) +
                    motcua_error_column(err) + motcua_error_path(err).len + motcua_error_message_vi(err).len +
                    motcua_error_message_en(err).len + motcua_error_json(err).len;
            motcua_error_free(err);
            err = NULL;
            break;
          }
          case 3: /* refused: apply_to_buffer, the report in the buffer */
            if (motcua_dossier_apply_to_buffer(dossiers[i], procedure, REFUSED, refused_len, buf, sizeof buf, &len,
                                               &overflow, NULL) != MOTCUA_RESULT_REJECTED)
              die("refusal expected", NULL);
            sink += len + (size_t)buf[0];
            motcua_string_free(overflow);
            break;
          case 4: /* one call alone, a size_t back */
            sink += motcua_string_len(NULL);
            break;
          case 5: /* one call alone, a motcua_str back */
            sink += motcua_version().len;
            break;
        }
      }
      double per = (now_us() - start) / n;
      for (int i = 0; i < n; i++) motcua_dossier_free(dossiers[i]);
      static const char *names[] = {"c.apply",          "c.apply_to_buffer", "c.refused.getters",
                                    "c.refused.buffer", "c.call.size_t",     "c.call.str"};
      if (rep >= 0) printf("%s %d %.4f\n", names[variant], rep, per);
    }
  }
  free(dossiers);
  motcua_procedure_free(procedure);
  motcua_library_free(library);
  free(cat);
  free(cal);
  free(spec);
  free(sub);
  return 0;
}
