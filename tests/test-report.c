/* test-report.c: reports read back by independent readers.
 *
 * A store filled through the API over 120 days (a counter that goes back,
 * a refilled toner, alerts that come and go, a printer that stopped
 * answering, a sync log) and full of hostile text. Every kind is written in
 * both formats; the CSV is read back by Python's csv module and compared,
 * cell by cell, with what the database holds (read with SQL or the store's
 * plain API, not the report's queries); the HTML is parsed by html5lib in
 * strict mode, checked harmless, and rendered by headless Chromium to a PNG
 * and a PDF. The hostile-printer recording is polled through snmpsimd and
 * reported too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-report.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#define DAYS 120
#define SITE "Zentrale <Köln> \"A\""

static const char * const hostile_messages[] = {
  "=cmd|' /C calc'!A0", "\tTab first", "\rCR first", "Line 1\nLine 2", "bad \xff\xfe bytes",
  "\xe2\x80\xae" "exe.gnp", "\"quoted\", and, commas; semicolons", "<script>alert(1)</script>",
  "@SUM(1+1)", "+1", "-1", "'=already quoted", "ok",
};

typedef struct {
  char    *dir;
  char    *db_path;
  PwStore *store;
  gint64   now;
  gint64   from;
  gint64   to;
  gint64   a, b, c;
} Fixture;

static gint64
day_time (Fixture *f,
          int      day)
{
  return f->now - (gint64) (DAYS - 1 - day) * 86400 - 3600;
}

static void
add_supply (PwSnapshot *snapshot,
            gint        index,
            const char *description,
            gint        type,
            gint        supply_class,
            gint64      level,
            const char *colour)
{
  PwSupply supply = { .index = index, .description = (char *) description, .type = type,
                      .supply_class = supply_class, .unit = 19, .max_capacity = 100, .level = level,
                      .colour = (char *) colour };

  pw_snapshot_add_supply (snapshot, &supply);
}

static void
append (Fixture    *f,
        gint64      device,
        PwSnapshot *snapshot)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_store_append_snapshot (f->store, device, snapshot, &error));
  g_assert_no_error (error);
}

/* Printer A: hostile identity; "total" goes back on day 100; the black
 * toner falls 1 point a day, refilled on day 60. */
static void
fill_a (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = pw_store_add_device (f->store, "10.0.0.1", 161, &error);

  g_assert_no_error (error);
  f->a = pw_device_get_id (device);
  pw_device_set_name (device, "Front desk <b>\"1\"</b>");
  g_assert_true (pw_store_update_device (f->store, device, &error));
  for (int d = 0; d < DAYS; d++)
    {
      g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (day_time (f, d));

      if (d == 0)
        {
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "<script>alert(1)</script>");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "\"quoted\"");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, "=HYPERLINK(\"http://x\")");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION, "+1");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_CONTACT, "-1");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME, "@SUM(A1)");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_FIRMWARE, "v1\tTab\rCR\nLF");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_MAC, "bad \xff\xfe bytes");
          pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_DESCR, "\xe2\x80\xae" "exe.gnp");
        }
      pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_RUNNING, PW_PRINTER_STATUS_IDLE,
                              d == DAYS - 1 ? 1u << 1 : 0);
      pw_snapshot_add_counter (snapshot, "total", d < 100 ? 150000 + 120 * d : 40 + 110 * (d - 100),
                               "impressions");
      pw_snapshot_add_counter (snapshot, "black", 100000 + 80 * d, "impressions");
      pw_snapshot_add_counter (snapshot, "colour", 50000 + 40 * d, "impressions");
      add_supply (snapshot, 1, "=HYPERLINK(\"http://x\",\"click\")", 3, 3, d < 60 ? 100 - d : 100 - (d - 60),
                  "black");
      add_supply (snapshot, 2, "Cyan \"Toner\"", 3, 3, -2, "cyan");
      add_supply (snapshot, 3, "@SUM(A1) waste", 4, 4, -3, NULL);
      append (f, f->a, snapshot);
    }
}

/* Printer B: not under contract, two polls, an alert that cleared and one still open. */
static void
fill_b (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = pw_store_add_device (f->store, "10.0.0.2", 1161, &error);
  PwAlert cleared = { .index = 1, .severity = 4, .training = 3, .group = 8, .group_index = 2, .code = 808,
                      .description = (char *) "<img src=x onerror=alert(1)>" };
  PwAlert open = { .index = 2, .severity = 3, .training = 4, .group = 11, .group_index = 1, .code = 1101,
                   .description = (char *) "+1" };

  g_assert_no_error (error);
  f->b = pw_device_get_id (device);
  pw_device_set_in_scope (device, FALSE);
  g_assert_true (pw_store_update_device (f->store, device, &error));
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (day_time (f, i == 0 ? 110 : 118));

      pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "Kyocera");
      pw_snapshot_add_counter (snapshot, "total", i == 0 ? 5000 : 5600, NULL);
      pw_snapshot_add_counter (snapshot, "copy", i == 0 ? 700 : 745, NULL);
      add_supply (snapshot, 1, "TK-5240K", 3, 3, i == 0 ? 80 : 78, "black");
      pw_snapshot_add_alert (snapshot, i == 0 ? &cleared : &open);
      append (f, f->b, snapshot);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 15, 12, 0, 0);
  g_autoptr(PwDevice) c = NULL;

  f->dir = pw_test_make_tmpdir ();
  f->db_path = g_build_filename (f->dir, "report.db", NULL);
  f->store = pw_store_open (f->db_path, &error);
  g_assert_no_error (error);
  f->now = g_date_time_to_unix (now);
  f->from = f->now - DAYS * 86400;
  f->to = f->now + 1;
  fill_a (f);
  fill_b (f);
  c = pw_store_add_device (f->store, "10.0.0.3", 161, &error);
  g_assert_no_error (error);
  f->c = pw_device_get_id (c);
  g_assert_true (pw_store_mark_unreachable (f->store, f->c, "Timeout\n<b>bold</b>\xff", &error));

  for (guint i = 0; i <= G_N_ELEMENTS (hostile_messages); i++)
    {
      /* The last one falls before the period. */
      gboolean inside = i < G_N_ELEMENTS (hostile_messages);
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      PwSyncLogEntry entry = {
        .at = inside ? day_time (f, 100) + i : f->from - 10, .event = (char *) (i % 2 ? "upload" : "poll"),
        .ok = i % 3 != 0, .idempotency_key = i % 2 ? key : NULL, .http_status = i % 2 ? 500 + i : 0,
        .message = (char *) (inside ? hostile_messages[i] : "before"),
      };

      g_assert_true (pw_store_sync_log_add (f->store, &entry, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  pw_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

static void
options_for (Fixture         *f,
             PwReportOptions *options,
             PwReportKind     kind,
             PwReportFormat   format)
{
  pw_report_options_init (options);
  options->kind = kind;
  options->format = format;
  options->from = f->from;
  options->to = f->to;
  options->generated_at = f->now;
  options->site_name = SITE;
}

/* Writes a report with pw_report_save(); returns its path. */
static char *
save (Fixture               *f,
      const PwReportOptions *options,
      const char            *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_report_save (f->store, options, file, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* CSV */

static void
check_fleet (Fixture   *f,
             PwTestCsv *csv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices (f->store, &error);
  static const struct {
    const char      *column;
    PwIdentityField  field;
  } identity[] = {
    { "Vendor", PW_IDENTITY_VENDOR }, { "Model", PW_IDENTITY_MODEL }, { "Serial number", PW_IDENTITY_SERIAL },
    { "Firmware", PW_IDENTITY_FIRMWARE }, { "MAC address", PW_IDENTITY_MAC },
    { "System name", PW_IDENTITY_SYS_NAME }, { "Location", PW_IDENTITY_LOCATION },
    { "Contact", PW_IDENTITY_CONTACT },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (pw_test_csv_n_rows (csv), ==, devices->len);
  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pw_device_get_id (device));
      g_autofree char *address = pw_device_dup_address (device);
      guint row = pw_test_csv_find (csv, "Device ID", id, NULL, NULL);
      PwSnapshot *latest = pw_device_get_latest (device);
      static const char * const counters[] = { "total", "black", "colour" };
      static const char * const counter_columns[] = { "Total pages", "Black pages", "Colour pages" };

      pw_test_csv_assert_text (csv, row, "Name", pw_device_get_display_name (device));
      pw_test_csv_assert_text (csv, row, "Address", address);
      for (guint k = 0; k < G_N_ELEMENTS (identity); k++)
        pw_test_csv_assert_text (csv, row, identity[k].column, pw_device_get_identity (device, identity[k].field));
      pw_test_csv_assert_text (csv, row, "Under contract", pw_device_get_in_scope (device) ? "1" : "0");
      pw_test_csv_assert_text (csv, row, "Answers", pw_device_get_reachable (device) ? "1" : "0");
      pw_test_csv_assert_time (csv, row, "Last seen", pw_device_get_last_seen (device));
      pw_test_csv_assert_text (csv, row, "Last error", pw_device_get_last_error (device));
      for (guint k = 0; k < G_N_ELEMENTS (counters); k++)
        {
          gint64 value = 0;
          g_autofree char *text = latest != NULL && pw_snapshot_lookup_counter (latest, counters[k], &value)
                                  ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;

          pw_test_csv_assert_text (csv, row, counter_columns[k], text);
        }
      for (guint k = 0; latest != NULL && k < pw_snapshot_get_supplies (latest)->len; k++)
        {
          const PwSupply *supply = pw_snapshot_get_supplies (latest)->pdata[k];

          g_assert_nonnull (strstr (pw_test_csv_get (csv, row, "Supplies"), supply->description));
        }
    }
}

typedef struct {
  char    *name;
  gint64   first_at, first, last_at, last, pages;
  guint    n;
  gboolean reset;
} Expected;

static void
expected_free (Expected *e)
{
  g_free (e->name);
  g_free (e);
}

/* Per counter of @device, from its history as pw_store_get_history() gives it. */
static GPtrArray *
expected_meters (Fixture *f,
                 gint64   device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = pw_store_get_history (f->store, device, f->from, f->to, &error);
  GPtrArray *spans = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);

  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      GPtrArray *counters = pw_snapshot_get_counters (history->pdata[i]);
      gint64 at = pw_snapshot_get_taken_at (history->pdata[i]);

      for (guint k = 0; k < counters->len; k++)
        {
          const PwCounter *counter = counters->pdata[k];
          Expected *e = NULL;

          for (guint j = 0; j < spans->len && e == NULL; j++)
            if (g_str_equal (((Expected *) spans->pdata[j])->name, counter->name))
              e = spans->pdata[j];
          if (e == NULL)
            {
              e = g_new0 (Expected, 1);
              e->name = g_strdup (counter->name);
              e->first_at = at;
              e->first = counter->value;
              g_ptr_array_add (spans, e);
            }
          else if (counter->value < e->last)
            e->reset = TRUE;
          else
            e->pages += counter->value - e->last;
          e->last_at = at;
          e->last = counter->value;
          e->n++;
        }
    }
  return spans;
}

static void
check_meters (Fixture   *f,
              PwTestCsv *csv)
{
  const gint64 devices[] = { f->a, f->b };
  gint64 total_pages = 0;
  guint n_spans = 0;

  for (guint d = 0; d < G_N_ELEMENTS (devices); d++)
    {
      g_autoptr(GPtrArray) spans = expected_meters (f, devices[d]);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, devices[d]);

      for (guint i = 0; i < spans->len; i++)
        {
          const Expected *e = spans->pdata[i];
          guint row = pw_test_csv_find (csv, "Device ID", id, "Counter key", e->name);

          pw_test_csv_assert_time (csv, row, "First read", e->first_at);
          pw_test_csv_assert_int (csv, row, "First value", e->first);
          pw_test_csv_assert_time (csv, row, "Last read", e->last_at);
          pw_test_csv_assert_int (csv, row, "Last value", e->last);
          pw_test_csv_assert_int (csv, row, "Pages in period", e->pages);
          pw_test_csv_assert_int (csv, row, "Reads", e->n);
          pw_test_csv_assert_text (csv, row, "Counter went back", e->reset ? "1" : "0");
          pw_test_csv_assert_text (csv, row, "Counter", pw_counter_name_get_label (e->name));
          if (g_str_equal (e->name, "total"))
            total_pages += e->pages;
        }
      n_spans += spans->len;
    }
  /* A's "total" went back on day 100: 99 steps of 120 before it, 19 of 110 after, none across it. */
  g_assert_cmpstr (pw_test_csv_get (csv, pw_test_csv_find (csv, "Device ID", "1", "Counter key", "total"),
                                    "Pages in period"), ==, "13970");
  /* The fleet's totals: rows without a device. */
  g_assert_cmpint (g_ascii_strtoll (pw_test_csv_get (csv, pw_test_csv_find (csv, "Device ID", "",
                                                                             "Counter key", "total"),
                                                     "Pages in period"), NULL, 10), ==, total_pages);
  g_assert_cmpuint (pw_test_csv_n_rows (csv), ==, n_spans + 4);  /* total, black, colour, copy */
}

static void
check_supplies (Fixture   *f,
                PwTestCsv *csv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices (f->store, &error);
  guint n = 0;
  guint row;

  for (guint i = 0; i < devices->len; i++)
    {
      PwSnapshot *latest = pw_device_get_latest (devices->pdata[i]);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pw_device_get_id (devices->pdata[i]));

      for (guint k = 0; latest != NULL && k < pw_snapshot_get_supplies (latest)->len; k++, n++)
        {
          const PwSupply *supply = pw_snapshot_get_supplies (latest)->pdata[k];
          g_autofree char *level = supply->level >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, supply->level)
                                                      : NULL;
          g_autofree char *percent = pw_supply_get_percent (supply) >= 0
                                     ? g_strdup_printf ("%d", pw_supply_get_percent (supply))
                                     : g_strdup (supply->level == -3 ? "some left" : "unknown");

          row = pw_test_csv_find (csv, "Device ID", id, "Supply", supply->description);
          pw_test_csv_assert_text (csv, row, "Level", level);
          pw_test_csv_assert_text (csv, row, "Capacity", "100");
          pw_test_csv_assert_text (csv, row, "Level (%)", percent);
          pw_test_csv_assert_text (csv, row, "Type key", pw_mib_supply_type_nick (supply->type));
          pw_test_csv_assert_text (csv, row, "Colour", supply->colour);
        }
    }
  g_assert_cmpuint (pw_test_csv_n_rows (csv), ==, n);
  /* The most urgent first: A's black toner, 41% and falling a point a day since its refill. */
  g_assert_cmpstr (pw_test_csv_get (csv, 1, "Device ID"), ==, "1");
  g_assert_cmpstr (pw_test_csv_get (csv, 1, "Level (%)"), ==, "41");
  g_assert_cmpstr (pw_test_csv_get (csv, 1, "Days left"), ==, "40");
  g_assert_cmpstr (pw_test_csv_get (csv, 1, "Used per day (%)"), ==, "1.0");
  g_assert_cmpstr (pw_test_csv_get (csv, 1, "Levels in the estimate"), ==, "60");
  /* Two polls are no history to go by. */
  row = pw_test_csv_find (csv, "Device ID", "2", "Supply", "TK-5240K");
  g_assert_cmpstr (pw_test_csv_get (csv, row, "Days left"), ==, "");
}

static void
check_alerts (Fixture   *f,
              PwTestCsv *csv)
{
  g_autoptr(PwTestSql) sql = pw_test_sql_open (f->db_path);
  guint n_alerts = 0;
  guint row;

  while (pw_test_sql_step (sql, "SELECT device_id, code, description, first_seen, last_seen, "
                                "coalesce(cleared_at, 0) FROM alerts ORDER BY id"))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pw_test_sql_int (sql, 0));

      row = pw_test_csv_find (csv, "Device ID", id, "Code", pw_mib_alert_code_nick ((int) pw_test_sql_int (sql, 1)));
      pw_test_csv_assert_text (csv, row, "Kind", "Alert");
      pw_test_csv_assert_text (csv, row, "Printer’s text", pw_test_sql_text (sql, 2));
      pw_test_csv_assert_time (csv, row, "First seen", pw_test_sql_int (sql, 3));
      pw_test_csv_assert_time (csv, row, "Last seen", pw_test_sql_int (sql, 4));
      pw_test_csv_assert_time (csv, row, "Cleared", pw_test_sql_int (sql, 5));
      n_alerts++;
    }
  g_assert_cmpuint (n_alerts, ==, 2);
  /* C does not answer; A shows a condition. */
  row = pw_test_csv_find (csv, "Device ID", "3", "Kind", "Not answering");
  pw_test_csv_assert_text (csv, row, "Printer’s text", "Timeout\n<b>bold</b>\xff");
  row = pw_test_csv_find (csv, "Device ID", "1", "Kind", "Condition");
  pw_test_csv_assert_text (csv, row, "Code", pw_mib_printer_error_nick (1));
  g_assert_cmpuint (pw_test_csv_n_rows (csv), ==, n_alerts + 2);
}

static void
check_sync_log (Fixture   *f,
                PwTestCsv *csv)
{
  g_autoptr(PwTestSql) sql = pw_test_sql_open (f->db_path);
  guint row = 0;

  while (pw_test_sql_step_period (sql, "SELECT at, event, ok, idempotency_key, coalesce(http_status, 0), "
                                       "message FROM sync_log WHERE at >= ?1 AND at < ?2 ORDER BY at, id",
                                  f->from, f->to))
    {
      gint64 status = pw_test_sql_int (sql, 4);
      g_autofree char *http = status > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, status) : NULL;

      row++;
      pw_test_csv_assert_time (csv, row, "Time", pw_test_sql_int (sql, 0));
      pw_test_csv_assert_text (csv, row, "Event", pw_test_sql_text (sql, 1));
      pw_test_csv_assert_text (csv, row, "Succeeded", pw_test_sql_int (sql, 2) ? "1" : "0");
      pw_test_csv_assert_text (csv, row, "Payload ID", pw_test_sql_text (sql, 3));
      pw_test_csv_assert_text (csv, row, "HTTP status", http);
      pw_test_csv_assert_text (csv, row, "Message", pw_test_sql_text (sql, 5));
    }
  g_assert_cmpuint (row, ==, G_N_ELEMENTS (hostile_messages));
  g_assert_cmpuint (pw_test_csv_n_rows (csv), ==, row);
}

typedef void (*CheckFunc) (Fixture *f, PwTestCsv *csv);

static const struct {
  PwReportKind  kind;
  const char   *nick;
  CheckFunc     check;
  const char   *shown[5];   /* hostile text the HTML must show, as text; NULL-terminated */
} kinds[] = {
  { PW_REPORT_KIND_FLEET, "fleet", check_fleet,
    { "<script>alert(1)</script>", "\"quoted\"", "=HYPERLINK(\"http://x\")", "Front desk <b>\"1\"</b>" } },
  { PW_REPORT_KIND_METERS, "meters", check_meters, { "Front desk <b>\"1\"</b>" } },
  { PW_REPORT_KIND_SUPPLIES, "supplies", check_supplies, { "=HYPERLINK(\"http://x\",\"click\")", "Cyan \"Toner\"" } },
  { PW_REPORT_KIND_ALERTS, "alerts", check_alerts, { "<img src=x onerror=alert(1)>", "Timeout <b>bold</b>\xef\xbf\xbd" } },
  { PW_REPORT_KIND_SYNC_LOG, "sync-log", check_sync_log, { "<script>alert(1)</script>", "Line 1 Line 2" } },
};

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char separators[] = { ',', ';' };

      for (guint s = 0; s < G_N_ELEMENTS (separators); s++)
        {
          PwReportOptions options;
          g_autofree char *name = g_strdup_printf ("%s-%u.csv", kinds[i].nick, s);
          g_autofree char *path = NULL;
          g_autoptr(PwTestCsv) csv = NULL;

          options_for (f, &options, kinds[i].kind, PW_REPORT_FORMAT_CSV);
          options.separator = separators[s];
          options.decimal = s == 0 ? '.' : ',';
          path = save (f, &options, name);
          csv = pw_test_csv_read (path, options.separator);
          if (csv == NULL)
            return;
          pw_test_csv_assert_harmless (csv);
          pw_test_csv_assert_tail (csv, SITE, f->from, f->to, f->now, PACKAGE_VERSION);
          if (s == 0)
            kinds[i].check (f, csv);
          else if (kinds[i].kind == PW_REPORT_KIND_SUPPLIES)
            g_assert_cmpstr (pw_test_csv_get (csv, 1, "Used per day (%)"), ==, "1,0");
        }
    }
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      PwReportOptions options;
      g_autofree char *name = g_strdup_printf ("%s.html", kinds[i].nick);
      g_autofree char *path = NULL;

      options_for (f, &options, kinds[i].kind, PW_REPORT_FORMAT_HTML);
      path = save (f, &options, name);
      if (!pw_test_html_check (path, kinds[i].shown))
        return;
      pw_test_html_render (path);
    }
}

/* Whatever the hostile printer says in a walk comes out harmless. */
static void
test_hostile_walk (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PwSnapshot) snapshot = pw_test_poll_fixture ("hostile-printer");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = NULL;

  if (snapshot == NULL)
    return;
  device = pw_store_add_device (f->store, "127.0.0.72", 161, &error);
  g_assert_no_error (error);
  append (f, pw_device_get_id (device), snapshot);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (PwReportFormat format = PW_REPORT_FORMAT_CSV; format <= PW_REPORT_FORMAT_HTML; format++)
      {
        PwReportOptions options;
        g_autofree char *name = g_strdup_printf ("walk-%s.%s", kinds[i].nick, format ? "html" : "csv");
        g_autofree char *path = NULL;
        const char *none[] = { NULL };

        options_for (f, &options, kinds[i].kind, format);
        path = save (f, &options, name);
        if (format == PW_REPORT_FORMAT_HTML)
          g_assert_true (pw_test_html_check (path, none));
        else
          {
            g_autoptr(PwTestCsv) csv = pw_test_csv_read (path, options.separator);

            if (csv != NULL)
              pw_test_csv_assert_harmless (csv);
          }
      }
}

/* A report that fails leaves neither a partial file nor the old file changed. */
static void
test_save_whole_or_nothing (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "kept.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  PwReportOptions options;

  options_for (f, &options, PW_REPORT_KIND_FLEET, PW_REPORT_FORMAT_CSV);
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (pw_report_save (f->store, &options, file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (pw_test_count_files (f->dir, ".part"), ==, 0);

  options.separator = '|';
  g_assert_false (pw_report_save (f->store, &options, file, NULL, &error));
  g_assert_error (error, PW_REPORT_ERROR, PW_REPORT_ERROR_INVALID);
  g_clear_error (&error);
  options.separator = ',';
  options.from = f->to;
  g_assert_false (pw_report_save (f->store, &options, file, NULL, &error));
  g_assert_error (error, PW_REPORT_ERROR, PW_REPORT_ERROR_INVALID);
  g_clear_error (&error);

  options.from = f->from;
  g_assert_true (pw_report_save (f->store, &options, file, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf" "Device ID,"));
  g_assert_cmpuint (pw_test_count_files (f->dir, ".part"), ==, 0);
}

/* The words in German, from the catalog built beside the tests. */
static void
test_german (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  PwReportOptions options;

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no compiled German catalog in the build");
      return;
    }
  if (g_test_subprocess ())
    {
      g_autofree char *csv_path = NULL;
      g_autofree char *html_path = NULL;
      g_autofree char *csv = NULL;
      g_autofree char *html = NULL;

      bindtextdomain (GETTEXT_PACKAGE, podir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      options_for (f, &options, PW_REPORT_KIND_FLEET, PW_REPORT_FORMAT_CSV);
      options.separator = ';';
      csv_path = save (f, &options, "de.csv");
      options.format = PW_REPORT_FORMAT_HTML;
      html_path = save (f, &options, "de.html");
      g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
      g_assert_true (g_file_get_contents (html_path, &html, NULL, NULL));
      g_assert_nonnull (strstr (csv, ";Hersteller;Modell;Seriennummer;"));
      g_assert_nonnull (strstr (csv, ";Standortname;"));
      g_assert_nonnull (strstr (html, "<th>Seriennummer</th>"));
      g_assert_nonnull (strstr (html, "<th>Zuletzt gesehen</th>"));
      return;
    }
  g_setenv ("LANGUAGE", "de", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

static gint64
local_midnight (int year,
                int month,
                int day)
{
  g_autoptr(GDateTime) midnight = g_date_time_new_local (year, month, day, 0, 0, 0);

  return g_date_time_to_unix (midnight);
}

/* The export dialog's periods, in local time, and the days one types. */
static void
test_periods (void)
{
  g_autoptr(GDateTime) noon = g_date_time_new_local (2026, 3, 15, 12, 0, 0);
  gint64 now = g_date_time_to_unix (noon);
  PwReportOptions options;
  gint64 day = 0;

  pw_report_options_init (&options);
  g_assert_cmpint (options.separator, ==, ',');
  g_assert_cmpint (options.decimal, ==, '.');
  pw_report_options_set_period (&options, PW_REPORT_PERIOD_LAST_30_DAYS, now);
  g_assert_cmpint (options.from, ==, local_midnight (2026, 2, 13));
  g_assert_cmpint (options.to, ==, now + 1);
  pw_report_options_set_period (&options, PW_REPORT_PERIOD_LAST_MONTH, now);
  g_assert_cmpint (options.from, ==, local_midnight (2026, 2, 1));
  g_assert_cmpint (options.to, ==, local_midnight (2026, 3, 1));
  pw_report_options_set_period (&options, PW_REPORT_PERIOD_THIS_YEAR, now);
  g_assert_cmpint (options.from, ==, local_midnight (2026, 1, 1));
  pw_report_options_set_period (&options, PW_REPORT_PERIOD_CUSTOM, now);
  g_assert_cmpint (options.from, ==, local_midnight (2026, 1, 1));

  g_assert_true (pw_time_parse_day ("2026-02-28", FALSE, &day));
  g_assert_cmpint (day, ==, local_midnight (2026, 2, 28));
  g_assert_true (pw_time_parse_day ("2026-02-28", TRUE, &day));
  g_assert_cmpint (day, ==, local_midnight (2026, 3, 1));
  g_assert_false (pw_time_parse_day ("2026-02-29", FALSE, &day));
  g_assert_false (pw_time_parse_day ("2026-02-28 ", FALSE, &day));
  g_assert_false (pw_time_parse_day ("yesterday", FALSE, &day));
  g_assert_false (pw_time_parse_day ("", FALSE, &day));
}

/* printwatch-cli report: to standard output and to a file. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *path = g_build_filename (f->dir, "cli.html", NULL);
  g_autofree char *html = NULL;
  const char *meters[] = { "report", "--kind", "meters", "--format", "csv", "--separator", ";", "--decimal", ",",
                           "--from", "2025-11-01", "--to", "2026-03-15", NULL };
  const char *fleet[] = { "report", "-k", "fleet", "-f", "html", "-o", path, NULL };
  const char *bad[] = { "report", "--kind", "everything", "--format", "csv", NULL };
  const char *no_format[] = { "report", "--kind", "fleet", NULL };

  g_clear_object (&f->store);  /* the CLI opens it on its own */
  g_assert_cmpint (pw_test_run_cli (f->db_path, meters, &out), ==, 0);
  g_assert_true (g_str_has_prefix (out, "\xef\xbb\xbf" "Device ID;Name;Address;Counter;"));
  g_assert_nonnull (strstr (out, ";total;"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (pw_test_run_cli (f->db_path, fleet, &out), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)"));
  g_assert_null (strstr (html, "<script"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (pw_test_run_cli (f->db_path, bad, &out), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (pw_test_run_cli (f->db_path, no_format, &out), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add ("/report/csv", Fixture, NULL, fixture_setup, test_csv, fixture_teardown);
  g_test_add ("/report/html", Fixture, NULL, fixture_setup, test_html, fixture_teardown);
  g_test_add ("/report/hostile-walk", Fixture, NULL, fixture_setup, test_hostile_walk, fixture_teardown);
  g_test_add ("/report/save-whole-or-nothing", Fixture, NULL, fixture_setup, test_save_whole_or_nothing,
              fixture_teardown);
  g_test_add ("/report/german", Fixture, NULL, fixture_setup, test_german, fixture_teardown);
  g_test_add ("/report/cli", Fixture, NULL, fixture_setup, test_cli, fixture_teardown);
  g_test_add_func ("/report/periods", test_periods);

  return g_test_run ();
}
