/* test-export-dialog.c: the export dialog in a real GTK session (Xvfb in CI).
 *
 * The native file chooser cannot be driven from a test: the dialog's test
 * hook (_pw_export_dialog_set_file_for_testing) names the file instead, and
 * everything else runs as for a user: rows chosen, export.save activated,
 * the report written by PwReport in its thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-dialogs.h"
#include "pw-export-dialog.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char    *dir;
  char    *db_path;
  PwStore *store;
  PwAgent *agent;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  f->dir = pw_test_make_tmpdir ();
  f->db_path = g_build_filename (f->dir, "export.db", NULL);
  f->store = pw_store_open (f->db_path, &error);
  g_assert_no_error (error);
  device = pw_store_add_device (f->store, "10.0.0.7", 161, &error);
  g_assert_no_error (error);
  for (int day = 3; day >= 0; day--)
    {
      g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (now - day * 86400 - 60);

      pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "<b>LaserJet</b>");
      pw_snapshot_add_counter (snapshot, "total", 1000 + 50 * (3 - day), NULL);
      g_assert_true (pw_store_append_snapshot (f->store, pw_device_get_id (device), snapshot, &error));
    }
  f->agent = pw_agent_new (f->store);
  pw_agent_set_site_name (f->agent, "Head office");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->agent);
  g_clear_object (&f->store);
  pw_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

/* The preferences row titled @title (with its mnemonic underline). */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
choose (PwExportDialog *dialog,
        const char     *title,
        guint           position)
{
  GtkWidget *row = find_row (GTK_WIDGET (dialog), title);

  g_assert_true (ADW_IS_COMBO_ROW (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
}

static void
type (PwExportDialog *dialog,
      const char     *title,
      const char     *text)
{
  GtkWidget *row = find_row (GTK_WIDGET (dialog), title);

  g_assert_true (ADW_IS_ENTRY_ROW (row));
  g_assert_true (gtk_widget_get_visible (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Activates export.save and runs the main loop until the report is written. */
static void
export_and_wait (PwExportDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save", NULL));
  while (pw_export_dialog_get_busy (dialog) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pw_export_dialog_get_busy (dialog));
  iterate_pending ();
}

static void
destroy_and_check_finalized (PwExportDialog *dialog)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_pending ();
  g_assert_null (dialog);
}

static void
test_writes_html (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "meters.html", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *html = NULL;
  PwExportDialog *dialog = pw_export_dialog_new (NULL, f->agent);

  _pw_export_dialog_set_file_for_testing (dialog, file);
  gtk_window_present (GTK_WINDOW (dialog));
  choose (dialog, "_Report", PW_REPORT_KIND_METERS);
  choose (dialog, "_Format", PW_REPORT_FORMAT_HTML);
  /* The separator is a CSV matter only. */
  g_assert_false (gtk_widget_get_visible (find_row (GTK_WIDGET (dialog), "Field _separator")));
  export_and_wait (dialog);

  g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "<h1>Meter reads</h1>"));
  g_assert_nonnull (strstr (html, "Head office"));
  g_assert_nonnull (strstr (html, "<td class=\"n\">150</td>"));  /* pages in the last 30 days */
  destroy_and_check_finalized (dialog);
}

static void
test_custom_period_csv (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "fleet.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *csv = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *last_day = g_date_time_format (today, "%Y-%m-%d");
  PwExportDialog *dialog = pw_export_dialog_new (NULL, f->agent);
  GtkWidget *first_row;

  _pw_export_dialog_set_file_for_testing (dialog, file);
  gtk_window_present (GTK_WINDOW (dialog));
  choose (dialog, "_Report", PW_REPORT_KIND_FLEET);
  choose (dialog, "_Format", PW_REPORT_FORMAT_CSV);
  choose (dialog, "Field _separator", 1);
  choose (dialog, "_Period", PW_REPORT_PERIOD_CUSTOM);
  first_row = find_row (GTK_WIDGET (dialog), "First day (YYYY-MM-DD)");

  /* Not a day: nothing is written, and the row says so. */
  type (dialog, "First day (YYYY-MM-DD)", "2026-02-30");
  type (dialog, "Last day (YYYY-MM-DD)", last_day);
  export_and_wait (dialog);
  g_assert_true (gtk_widget_has_css_class (first_row, "error"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  type (dialog, "First day (YYYY-MM-DD)", "2026-01-01");
  g_assert_false (gtk_widget_has_css_class (first_row, "error"));
  export_and_wait (dialog);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "\xef\xbb\xbf" "Device ID;Name;Address;"));
  g_assert_nonnull (strstr (csv, ";<b>LaserJet</b>;"));
  g_assert_nonnull (strstr (csv, ";Head office;2026-01-01T00:00:00"));
  destroy_and_check_finalized (dialog);
}

/* Closing at once must cancel the work in flight, not crash when it ends. */
static void
test_closed_while_writing (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "gone.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PwExportDialog *dialog = pw_export_dialog_new (NULL, f->agent);

  _pw_export_dialog_set_file_for_testing (dialog, file);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save", NULL));
  destroy_and_check_finalized (dialog);
  for (int i = 0; i < 100; i++)
    {
      g_usleep (2000);
      iterate_pending ();
    }
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, FALSE);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under xvfb-run");
      return g_test_run ();
    }
  adw_init ();

  g_test_add ("/export-dialog/writes-html", Fixture, NULL, fixture_setup, test_writes_html, fixture_teardown);
  g_test_add ("/export-dialog/custom-period-csv", Fixture, NULL, fixture_setup, test_custom_period_csv,
              fixture_teardown);
  g_test_add ("/export-dialog/closed-while-writing", Fixture, NULL, fixture_setup, test_closed_while_writing,
              fixture_teardown);

  return g_test_run ();
}
