/* pw-test-report.c: reading reports back, for tests/test-report.c and the export dialog's test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* memmem */

#include "pw-test-report.h"
#include "pw-test-snmp.h"

#include "printwatch-core.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

struct _PwTestCsv
{
  JsonParser *parser;
  JsonArray  *rows;  /* of arrays of strings; row 0 the header */
};

static char *
check_script (void)
{
  return g_test_build_filename (G_TEST_DIST, "test-report-check.py", NULL);
}

/* Runs @argv; returns its exit status, its standard output in @out. */
static int
run (const char * const  *argv,
     const char          *env_db,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (env_db != NULL)
    g_subprocess_launcher_setenv (launcher, "PRINTWATCH_DB", env_db, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* Debian's Python with the module, or NULL after g_test_skip (). */
static const char *
python_with (const char *module)
{
  const char *python = g_getenv ("PW_PYTHON");
  g_autofree char *import = g_strdup_printf ("import %s", module);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { python, "-c", import, NULL };

  if (python == NULL)
    {
      g_test_skip ("no python3");
      return NULL;
    }
  if (run (argv, NULL, &out, &err) != 0)
    {
      g_autofree char *message = g_strdup_printf ("python3 has no %s (install python3-%s)", module, module);

      g_test_skip (message);
      return NULL;
    }
  return python;
}

/* The documented cleaning of text in CSV reports (pw-report.c), written
 * again here: invalid UTF-8, controls other than tab, CR and LF, bidi
 * controls and noncharacters become U+FFFD. */
char *
pw_test_report_expect (const char *stored)
{
  g_autofree char *valid = g_utf8_make_valid (stored != NULL ? stored : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean bad = (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || (c >= 0x7f && c <= 0x9f) ||
                     (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
                     c == 0x200f || c == 0x061c || c == 0xfeff || (c >= 0xfdd0 && c <= 0xfdef) ||
                     (c & 0xfffe) == 0xfffe;

      g_string_append_unichar (out, bad ? 0xfffd : c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* The documented neutralisation undone: one apostrophe off a cell that
 * starts with apostrophes and then = + - @ tab or CR. */
static const char *
undo_neutralise (const char *cell)
{
  const char *p = cell;

  while (*p == '\'')
    p++;
  return p > cell && is_formula_start (*p) ? cell + 1 : cell;
}

PwTestCsv *
pw_test_csv_read (const char *path,
                  char        separator)
{
  const char *python = python_with ("csv");
  g_autofree char *script = check_script ();
  char sep[2] = { separator, '\0' };
  const char *argv[] = { python, script, "csv", path, sep, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  PwTestCsv *csv;

  if (python == NULL)
    return NULL;
  if (run (argv, NULL, &out, &err) != 0)
    g_error ("Python's csv module cannot read %s: %s", path, err);
  csv = g_new0 (PwTestCsv, 1);
  csv->parser = json_parser_new ();
  json_parser_load_from_data (csv->parser, out, -1, &error);
  g_assert_no_error (error);
  csv->rows = json_node_get_array (json_parser_get_root (csv->parser));
  g_assert_cmpuint (json_array_get_length (csv->rows), >=, 1);
  return csv;
}

void
pw_test_csv_free (PwTestCsv *csv)
{
  g_object_unref (csv->parser);
  g_free (csv);
}

guint
pw_test_csv_n_rows (PwTestCsv *csv)
{
  return json_array_get_length (csv->rows) - 1;
}

static guint
column_index (PwTestCsv  *csv,
              const char *column)
{
  JsonArray *header = json_array_get_array_element (csv->rows, 0);

  for (guint i = 0; i < json_array_get_length (header); i++)
    if (g_str_equal (json_array_get_string_element (header, i), column))
      return i;
  g_error ("no column “%s” in the CSV", column);
}

const char *
pw_test_csv_get (PwTestCsv  *csv,
                 guint       row,
                 const char *column)
{
  g_assert_cmpuint (row, <, json_array_get_length (csv->rows));
  return json_array_get_string_element (json_array_get_array_element (csv->rows, row),
                                        column_index (csv, column));
}

static gboolean
cell_is (PwTestCsv  *csv,
         guint       row,
         const char *column,
         const char *stored)
{
  g_autofree char *expected = pw_test_report_expect (stored);

  return g_str_equal (undo_neutralise (pw_test_csv_get (csv, row, column)), expected);
}

/* The record whose cells hold these stored values; fails when there is none. */
guint
pw_test_csv_find (PwTestCsv  *csv,
                  const char *column,
                  const char *value,
                  const char *column2,
                  const char *value2)
{
  for (guint row = 1; row < json_array_get_length (csv->rows); row++)
    if (cell_is (csv, row, column, value) && (column2 == NULL || cell_is (csv, row, column2, value2)))
      return row;
  g_error ("no row with %s = “%s” and %s = “%s”", column, value, column2, value2);
}

void
pw_test_csv_assert_text (PwTestCsv  *csv,
                         guint       row,
                         const char *column,
                         const char *stored)
{
  g_autofree char *expected = pw_test_report_expect (stored);

  g_assert_cmpstr (undo_neutralise (pw_test_csv_get (csv, row, column)), ==, expected);
}

void
pw_test_csv_assert_int (PwTestCsv  *csv,
                        guint       row,
                        const char *column,
                        gint64      value)
{
  g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  g_assert_cmpstr (pw_test_csv_get (csv, row, column), ==, expected);
}

/* An ISO 8601 time with its offset, or empty for none. */
void
pw_test_csv_assert_time (PwTestCsv  *csv,
                         guint       row,
                         const char *column,
                         gint64      unix_time)
{
  const char *cell = pw_test_csv_get (csv, row, column);
  g_autoptr(GDateTime) when = NULL;

  if (unix_time <= 0)
    {
      g_assert_cmpstr (cell, ==, "");
      return;
    }
  g_assert_nonnull (strchr (cell, 'T'));
  when = g_date_time_new_from_iso8601 (cell, NULL);  /* fails without an offset */
  g_assert_nonnull (when);
  g_assert_cmpint (g_date_time_to_unix (when), ==, unix_time);
}

/* Every row as long as the header; no cell a spreadsheet would run; no
 * control or bidi character but tab, CR and LF in a quoted cell. */
void
pw_test_csv_assert_harmless (PwTestCsv *csv)
{
  guint width = json_array_get_length (json_array_get_array_element (csv->rows, 0));

  for (guint row = 0; row < json_array_get_length (csv->rows); row++)
    {
      JsonArray *cells = json_array_get_array_element (csv->rows, row);

      g_assert_cmpuint (json_array_get_length (cells), ==, width);
      for (guint i = 0; i < width; i++)
        {
          const char *cell = json_array_get_string_element (cells, i);
          g_autofree char *clean = pw_test_report_expect (cell);

          if (is_formula_start (cell[0]))
            g_error ("row %u, column %u would run as a formula: “%s”", row, i, cell);
          g_assert_cmpstr (cell, ==, clean);
        }
    }
}

void
pw_test_csv_assert_tail (PwTestCsv  *csv,
                         const char *site,
                         gint64      from,
                         gint64      to,
                         gint64      generated,
                         const char *version)
{
  for (guint row = 1; row < json_array_get_length (csv->rows); row++)
    {
      pw_test_csv_assert_text (csv, row, "Site name", site);
      pw_test_csv_assert_time (csv, row, "Period start", from);
      pw_test_csv_assert_time (csv, row, "Period end", to);
      pw_test_csv_assert_time (csv, row, "Generated", generated);
      pw_test_csv_assert_text (csv, row, "Printwatch version", version);
    }
}

/* SQL */

struct _PwTestSql
{
  sqlite3      *db;
  sqlite3_stmt *stmt;
};

PwTestSql *
pw_test_sql_open (const char *db_path)
{
  PwTestSql *sql = g_new0 (PwTestSql, 1);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &sql->db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return sql;
}

void
pw_test_sql_free (PwTestSql *sql)
{
  sqlite3_finalize (sql->stmt);
  sqlite3_close (sql->db);
  g_free (sql);
}

/* The next row of @query (prepared on the first call), or FALSE at its end. */
gboolean
pw_test_sql_step_period (PwTestSql  *sql,
                         const char *query,
                         gint64      from,
                         gint64      to)
{
  int rc;

  if (sql->stmt == NULL)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (sql->db, query, -1, &sql->stmt, NULL), ==, SQLITE_OK);
      if (sqlite3_bind_parameter_count (sql->stmt) == 2)
        {
          sqlite3_bind_int64 (sql->stmt, 1, from);
          sqlite3_bind_int64 (sql->stmt, 2, to);
        }
    }
  rc = sqlite3_step (sql->stmt);
  g_assert_true (rc == SQLITE_ROW || rc == SQLITE_DONE);
  return rc == SQLITE_ROW;
}

gboolean
pw_test_sql_step (PwTestSql  *sql,
                  const char *query)
{
  return pw_test_sql_step_period (sql, query, 0, 0);
}

gint64
pw_test_sql_int (PwTestSql *sql,
                 int        column)
{
  return sqlite3_column_int64 (sql->stmt, column);
}

const char *
pw_test_sql_text (PwTestSql *sql,
                  int        column)
{
  return (const char *) sqlite3_column_text (sql->stmt, column);
}

/* HTML */

/* html5lib in strict mode, and the harmless checks; every string of @shown
 * must be in the page's text. FALSE when skipped. */
gboolean
pw_test_html_check (const char         *path,
                    const char * const *shown)
{
  const char *python = python_with ("html5lib");
  g_autofree char *script = check_script ();
  g_autofree char *expected_path = g_strconcat (path, ".expected.json", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { python, script, "html", path, expected_path, NULL };

  if (python == NULL)
    return FALSE;
  json_builder_begin_array (builder);
  for (guint i = 0; shown[i] != NULL; i++)
    json_builder_add_string_value (builder, shown[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  g_assert_true (json_generator_to_file (generator, expected_path, NULL));
  if (run (argv, NULL, &out, &err) != 0)
    g_error ("%s is not a harmless HTML5 page:\n%s%s", path, out, err);
  g_assert_cmpstr (out, ==, "ok\n");
  return TRUE;
}

static void
assert_file_starts (const char *path,
                    const char *magic)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (contents, magic));
}

/* Every page of the PDF is A4 landscape (842 × 595 points), as the report's @page asks. */
static void
assert_a4_landscape (const char *pdf)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint pages = 0;

  g_assert_true (g_file_get_contents (pdf, &contents, &len, NULL));
  /* memmem: a PDF holds NUL bytes. */
  for (const char *p = contents; (p = memmem (p, len - (p - contents), "/MediaBox [", 11)) != NULL; pages++)
    {
      double box[4];
      char *end;

      p += strlen ("/MediaBox [");
      for (guint i = 0; i < 4; i++, p = end)
        box[i] = g_ascii_strtod (p, &end);
      g_assert_cmpfloat_with_epsilon (box[2] - box[0], 841.9, 2.0);
      g_assert_cmpfloat_with_epsilon (box[3] - box[1], 595.3, 2.0);
    }
  g_assert_cmpuint (pages, >=, 1);
}

/* Headless Chromium draws the page to a PNG and prints it to a PDF (A4, as
 * its @page asks). It may fetch nothing: every request would go to a proxy
 * on loopback that is not there, and no name resolves. */
void
pw_test_html_render (const char *path)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *dir = NULL;
  g_autofree char *url = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *png = g_strconcat (path, ".png", NULL);
  g_autofree char *pdf = g_strconcat (path, ".pdf", NULL);
  g_autofree char *user_data = NULL;
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autofree char *print = g_strconcat ("--print-to-pdf=", pdf, NULL);
  const char *outputs[] = { screenshot, print };

  if (chromium == NULL)
    {
      g_test_message ("chromium is not installed: %s not rendered", path);
      return;
    }
  dir = g_path_get_dirname (path);
  user_data = g_strconcat ("--user-data-dir=", dir, "/chromium", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      const char *argv[] = {
        "timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu", user_data,
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-default-apps", "--disable-extensions", "--disable-sync",
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1280,1800", "--no-pdf-header-footer", outputs[i], url, NULL
      };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (run (argv, NULL, &out, &err) != 0)
        g_error ("chromium could not render %s:\n%s", path, err);
    }
  assert_file_starts (png, "\x89PNG\r\n");
  assert_file_starts (pdf, "%PDF-");
  assert_a4_landscape (pdf);
}

/* Runs printwatch-cli with @args on @db_path; its standard error goes to the test's. */
int
pw_test_run_cli (const char         *db_path,
                 const char * const *args,
                 char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (g_getenv ("PW_CLI"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("PW_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  status = run ((const char * const *) argv->pdata, db_path, out, &err);
  if (err != NULL && err[0] != '\0')
    g_test_message ("printwatch-cli: %s", err);
  return status;
}

guint
pw_test_count_files (const char *dir,
                     const char *suffix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    n += g_str_has_suffix (name, suffix) ? 1 : 0;
  return n;
}

/* One fixture of tests/fixtures/snmp polled through snmpsimd on loopback. */

typedef struct {
  GMainLoop  *loop;
  PwSnapshot *snapshot;
  GError     *error;
} Poll;

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Poll *poll = user_data;

  poll->snapshot = pw_poller_poll_one_finish (PW_POLLER (source), result, &poll->error);
  g_main_loop_quit (poll->loop);
}

PwSnapshot *
pw_test_poll_fixture (const char *name)
{
  const char *host = "127.0.0.73";
  guint16 port = pw_test_free_udp_port (host);
  g_autofree char *endpoint = g_strdup_printf ("%s:%u", host, port);
  const char *endpoints[] = { endpoint, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  g_autoptr(PwSnmpEngine) engine = NULL;
  g_autoptr(PwPoller) poller = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  Poll poll = { 0 };

  if (agent == NULL)
    {
      g_test_skip (error->message);
      return NULL;
    }
  engine = pw_snmp_engine_new ();
  pw_snmp_engine_set_timeout (engine, 2000);
  pw_snmp_engine_set_retries (engine, 1);
  poller = pw_poller_new (engine, NULL);
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, name, NULL));
  poll.loop = g_main_loop_new (NULL, FALSE);
  pw_poller_poll_one_async (poller, host, port, credentials, NULL, polled_cb, &poll);
  g_main_loop_run (poll.loop);
  g_main_loop_unref (poll.loop);
  g_assert_no_error (poll.error);
  return poll.snapshot;
}
