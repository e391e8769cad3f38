/* test-window.c: the main window in a real GTK session (Xvfb in CI).
 *
 * The application opens the store and shows the fleet, or why it cannot;
 * a window on 2,000 printers sorts, searches, opens a printer's page and
 * removes a printer; "poll all" brings a simulated printer's (snmpsimd)
 * readings into its row without reloading the list; every window is
 * finalised at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-application.h"
#include "pw-window.h"
#include "pw-test-demo-fleet.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>

#define N_DEVICES 2000

/* Iterates the main context until @check holds, for at most 30 s. */
#define WAIT_UNTIL(check) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; \
    while (!(check) && g_get_monotonic_time () < deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_assert_true (check); \
  } G_STMT_END

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (label == NULL || (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
visible_stack_page (PwWindow *window)
{
  GtkWidget *status = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, NULL);
  GtkWidget *stack = gtk_widget_get_ancestor (status, GTK_TYPE_STACK);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static AdwLeaflet *
leaflet_of (PwWindow *window)
{
  return ADW_LEAFLET (find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET, NULL));
}

static void
destroy_and_check_finalized (PwWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
}

/* A window on its own agent and store. */
typedef struct {
  char     *dir;
  PwStore  *store;
  PwAgent  *agent;
  PwWindow *window;
} Fixture;

static void
fixture_open (Fixture    *fixture,
              const char *path)
{
  g_autoptr(GError) error = NULL;

  fixture->store = pw_store_open (path, &error);
  g_assert_no_error (error);
  fixture->agent = pw_agent_new (fixture->store);
  fixture->window = pw_window_new (NULL, fixture->agent);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_close (Fixture *fixture)
{
  PwAgent *agent = fixture->agent;

  destroy_and_check_finalized (fixture->window);
  g_object_add_weak_pointer (G_OBJECT (agent), (gpointer *) &agent);
  g_clear_object (&fixture->agent);
  /* The fleet's workers may still hold it for a moment. */
  WAIT_UNTIL (agent == NULL);
  g_clear_object (&fixture->store);
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Running the application */

typedef struct {
  gboolean   (*done) (PwWindow *window);
  PwWindow    *window;
  gboolean     met;
} AppRun;

static gboolean
check_app_cb (gpointer user_data)
{
  GApplication *application = user_data;
  AppRun *run = g_object_get_data (G_OBJECT (application), "pw-run");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL || !run->done (PW_WINDOW (window)))
    return G_SOURCE_CONTINUE;
  run->met = TRUE;
  gtk_window_destroy (window);
  g_application_quit (application);
  return G_SOURCE_REMOVE;
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_application_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs PwApplication on @path until @done holds for its window. */
static void
run_application (const char *path,
                 gboolean  (*done) (PwWindow *window))
{
  g_autoptr(PwApplication) application = pw_application_new ();
  char *argv[] = { (char *) "printwatch", (char *) "--database", (char *) path, NULL };
  AppRun run = { done, NULL, FALSE };
  guint check_id, give_up_id;

  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (application), "pw-run", &run);
  check_id = g_timeout_add (20, check_app_cb, application);
  give_up_id = g_timeout_add_seconds (30, give_up_cb, application);
  g_assert_cmpint (g_application_run (G_APPLICATION (application), 3, argv), ==, 0);
  g_source_remove (run.met ? give_up_id : check_id);
  g_assert_true (run.met);
}

static gboolean
shows_empty_state (PwWindow *window)
{
  return g_strcmp0 (visible_stack_page (window), "empty") == 0 &&
         pw_window_get_agent (window) != NULL;
}

static gboolean
shows_two_printers (PwWindow *window)
{
  return g_strcmp0 (visible_stack_page (window), "fleet") == 0 &&
         g_list_model_get_n_items (pw_fleet_view_get_model (pw_window_get_fleet_view (window))) == 2;
}

static gboolean
shows_error (PwWindow *window)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, NULL));

  return g_strcmp0 (adw_status_page_get_title (page), "Cannot Open the Printer List") == 0 &&
         g_str_has_suffix (adw_status_page_get_description (page), "it was left untouched");
}

static void
test_app_empty_state (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "gui.db", NULL);

  run_application (path, shows_empty_state);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  pw_test_remove_tree (dir);
}

static void
test_app_shows_fleet (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "gui.db", NULL);

  {
    g_autoptr(PwStore) store = pw_store_open (path, NULL);
    g_autoptr(PwDevice) a = pw_store_add_device (store, "127.0.0.1", 16100, NULL);
    g_autoptr(PwDevice) b = pw_store_add_device (store, "127.0.0.2", 16100, NULL);
  }
  run_application (path, shows_two_printers);
  pw_test_remove_tree (dir);
}

static void
test_app_refused_database (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);

  g_assert_true (g_file_set_contents (path, "<b>not</b> a database", -1, NULL));
  run_application (path, shows_error);
  pw_test_remove_tree (dir);
}

static void
test_closed_while_opening (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "gui.db", NULL);
  g_autoptr(PwStore) store = pw_store_open (path, NULL);
  g_autoptr(PwAgent) agent = pw_agent_new (store);
  PwWindow *window = pw_window_new (NULL, agent);

  /* Closing at once must leave the fleet's load running, not crash when it ends. */
  destroy_and_check_finalized (window);
  WAIT_UNTIL (pw_fleet_get_loaded (pw_agent_get_fleet (agent)));
  pw_test_remove_tree (dir);
}

/* 2,000 printers */

/* The devices' summaries in the order the rows show them. */
static GPtrArray *
rows_of (PwWindow *window)
{
  GListModel *model = pw_fleet_view_get_model (pw_window_get_fleet_view (window));
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (rows, g_list_model_get_item (model, i));
  return rows;
}

static char *
folded (const char *text)
{
  return g_utf8_casefold (text != NULL ? text : "", -1);
}

/* The emptiest supply in percent, from the snapshot itself; 101 for none. */
static int
lowest_supply (PwDevice *device)
{
  PwSnapshot *latest = pw_device_get_latest (device);
  GPtrArray *supplies = latest != NULL ? pw_snapshot_get_supplies (latest) : NULL;
  int lowest = 101;

  for (guint i = 0; supplies != NULL && i < supplies->len; i++)
    {
      int percent = pw_supply_get_percent (supplies->pdata[i]);

      if (percent >= 0)
        lowest = MIN (lowest, percent);
    }
  return lowest;
}

static void
sort_by (PwWindow      *window,
         PwFleetColumn  column,
         GtkSortType    order)
{
  PwFleetView *view = pw_window_get_fleet_view (window);

  gtk_column_view_sort_by_column (pw_fleet_view_get_column_view (view), pw_fleet_view_get_column (view, column),
                                  order);
}

static void
check_sorting (PwWindow *window)
{
  g_autoptr(GPtrArray) rows = NULL;

  sort_by (window, PW_FLEET_COLUMN_NAME, GTK_SORT_ASCENDING);
  rows = rows_of (window);
  g_assert_cmpuint (rows->len, ==, N_DEVICES);
  for (guint i = 1; i < rows->len; i++)
    {
      g_autofree char *a = folded (pw_device_get_display_name (rows->pdata[i - 1]));
      g_autofree char *b = folded (pw_device_get_display_name (rows->pdata[i]));

      g_assert_cmpint (g_utf8_collate (a, b), <=, 0);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  sort_by (window, PW_FLEET_COLUMN_SERIAL, GTK_SORT_DESCENDING);
  rows = rows_of (window);
  for (guint i = 1; i < rows->len; i++)
    {
      g_autofree char *a = folded (pw_device_get_identity (rows->pdata[i - 1], PW_IDENTITY_SERIAL));
      g_autofree char *b = folded (pw_device_get_identity (rows->pdata[i], PW_IDENTITY_SERIAL));

      g_assert_cmpint (g_utf8_collate (a, b), >=, 0);
    }
  g_assert_cmpstr (pw_device_get_identity (rows->pdata[0], PW_IDENTITY_SERIAL), ==, "XR-1997");
  g_clear_pointer (&rows, g_ptr_array_unref);

  sort_by (window, PW_FLEET_COLUMN_SUPPLY, GTK_SORT_ASCENDING);
  rows = rows_of (window);
  g_assert_cmpint (lowest_supply (rows->pdata[0]), ==, 0);
  g_assert_cmpint (lowest_supply (rows->pdata[rows->len - 1]), ==, 101);
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpint (lowest_supply (rows->pdata[i - 1]), <=, lowest_supply (rows->pdata[i]));
  g_clear_pointer (&rows, g_ptr_array_unref);

  sort_by (window, PW_FLEET_COLUMN_BLACK, GTK_SORT_DESCENDING);
  rows = rows_of (window);
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpint (pw_device_summary_get (rows->pdata[i - 1])->black, >=,
                     pw_device_summary_get (rows->pdata[i])->black);
}

static guint
n_rows (PwWindow *window)
{
  return g_list_model_get_n_items (pw_fleet_view_get_model (pw_window_get_fleet_view (window)));
}

static GtkEditable *
search_entry (PwWindow *window)
{
  return GTK_EDITABLE (find_widget (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, NULL));
}

static void
check_search (PwWindow *window)
{
  g_autoptr(GPtrArray) rows = rows_of (window);
  guint konica = 0;

  for (guint i = 0; i < rows->len; i++)
    konica += g_strcmp0 (pw_device_get_identity (rows->pdata[i], PW_IDENTITY_VENDOR), "Konica Minolta") == 0;
  g_assert_cmpuint (konica, >, 200);
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  gtk_editable_set_text (search_entry (window), "konica minolta");
  WAIT_UNTIL (n_rows (window) == konica);
  rows = rows_of (window);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (pw_device_get_identity (rows->pdata[i], PW_IDENTITY_VENDOR), ==, "Konica Minolta");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Any case, and narrower. */
  gtk_editable_set_text (search_entry (window), "km-0042");
  WAIT_UNTIL (n_rows (window) == 1);
  rows = rows_of (window);
  g_assert_cmpstr (pw_device_get_identity (rows->pdata[0], PW_IDENTITY_SERIAL), ==, "KM-0042");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Over addresses and locations too. */
  gtk_editable_set_text (search_entry (window), "127.20.0.4");
  WAIT_UNTIL (n_rows (window) == 11);  /* .4 and .40 to .49 */
  gtk_editable_set_text (search_entry (window), "building b, floor 1");
  WAIT_UNTIL (n_rows (window) > 0 && n_rows (window) < N_DEVICES);
  rows = rows_of (window);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (g_str_has_prefix (pw_device_get_identity (rows->pdata[i], PW_IDENTITY_LOCATION),
                                     "Building B, floor 1"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  gtk_editable_set_text (search_entry (window), "KM-0042");
  WAIT_UNTIL (n_rows (window) == 1);
}

static GtkWidget *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

/* Answers the dialog as a click on one of its buttons does. */
static void
answer (GtkWidget  *dialog,
        const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_fleet (void)
{
  Fixture fixture = { pw_test_make_tmpdir () };
  g_autofree char *path = g_build_filename (fixture.dir, "fleet.db", NULL);
  PwDevicePage *page;
  PwDevice *shown;
  GtkWidget *dialog;
  gint64 removed_id;

  {
    g_autoptr(PwStore) store = pw_store_open (path, NULL);

    pw_test_fleet_fill (store, N_DEVICES, 16100, 0, g_get_real_time () / G_USEC_PER_SEC);
  }
  fixture_open (&fixture, path);
  WAIT_UNTIL (g_strcmp0 (visible_stack_page (fixture.window), "fleet") == 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pw_agent_get_fleet (fixture.agent))), ==, N_DEVICES);
  g_assert_cmpuint (n_rows (fixture.window), ==, N_DEVICES);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (pw_window_get_fleet_view (fixture.window))));

  check_sorting (fixture.window);
  check_search (fixture.window);

  /* The row leads to the printer's page. */
  page = pw_window_get_device_page (fixture.window);
  g_signal_emit_by_name (pw_fleet_view_get_column_view (pw_window_get_fleet_view (fixture.window)), "activate", 0);
  g_assert_true (adw_leaflet_get_visible_child (leaflet_of (fixture.window)) == GTK_WIDGET (page));
  shown = pw_device_page_get_device (page);
  g_assert_nonnull (shown);
  g_assert_cmpstr (pw_device_get_identity (shown, PW_IDENTITY_SERIAL), ==, "KM-0042");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, "KM-0042"));
  g_assert_nonnull (find_widget (GTK_WIDGET (page), GTK_TYPE_LEVEL_BAR, NULL));
  removed_id = pw_device_get_id (shown);

  /* The contract switch writes the store, and the row follows. */
  g_object_ref (shown);  /* so no new device can take its address */
  g_assert_true (pw_device_get_in_scope (shown));
  gtk_switch_set_active (GTK_SWITCH (find_widget (GTK_WIDGET (page), GTK_TYPE_SWITCH, NULL)), FALSE);
  {
    g_autoptr(PwDevice) stored = pw_store_get_device (fixture.store, removed_id, NULL);

    g_assert_false (pw_device_get_in_scope (stored));
  }
  WAIT_UNTIL (pw_fleet_lookup (pw_agent_get_fleet (fixture.agent), removed_id, NULL) != shown);
  g_object_unref (shown);
  g_assert_false (pw_device_get_in_scope (pw_fleet_lookup (pw_agent_get_fleet (fixture.agent), removed_id, NULL)));
  g_assert_true (pw_device_page_get_device (page) == pw_fleet_lookup (pw_agent_get_fleet (fixture.agent),
                                                                       removed_id, NULL));

  /* Removal asks first; "Cancel" keeps the printer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.remove", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  answer (dialog, "cancel");
  WAIT_UNTIL (find_dialog () == NULL);
  {
    g_autoptr(PwDevice) kept = pw_store_get_device (fixture.store, removed_id, NULL);

    g_assert_nonnull (kept);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.remove", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  answer (dialog, "remove");
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (pw_agent_get_fleet (fixture.agent))) == N_DEVICES - 1);
  WAIT_UNTIL (adw_leaflet_get_visible_child (leaflet_of (fixture.window)) != GTK_WIDGET (page));
  g_assert_cmpuint (pw_store_count_devices (fixture.store, NULL), ==, N_DEVICES - 1);
  g_assert_null (pw_fleet_lookup (pw_agent_get_fleet (fixture.agent), removed_id, NULL));
  g_assert_cmpuint (n_rows (fixture.window), ==, 0);  /* the search still says KM-0042 */

  fixture_close (&fixture);
}

/* "Poll all" */

typedef struct {
  guint changes;
  guint largest;
} ChangeLog;

static void
changed_cb (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            ChangeLog  *log)
{
  log->changes++;
  log->largest = MAX (log->largest, MAX (removed, added));
}

static gboolean
polled (PwFleet *fleet,
        gint64   id)
{
  PwDevice *device = pw_fleet_lookup (fleet, id, NULL);

  return device != NULL && pw_device_get_latest (device) != NULL;
}

static void
test_poll_all (void)
{
  Fixture fixture = { pw_test_make_tmpdir () };
  g_autofree char *path = g_build_filename (fixture.dir, "poll.db", NULL);
  g_autoptr(PwTestAgent) snmp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *endpoint = NULL;
  const char *endpoints[2] = { NULL, NULL };
  guint16 port = pw_test_free_udp_port ("127.0.0.82");
  ChangeLog log = { 0, 0 };
  gint64 printer_id = 0;
  PwFleet *fleet;
  PwDevice *printer;

  endpoint = g_strdup_printf ("127.0.0.82:%u", port);
  endpoints[0] = endpoint;
  snmp = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  if (snmp == NULL)
    {
      g_test_skip (error->message);
      pw_test_remove_tree (fixture.dir);
      g_free (fixture.dir);
      return;
    }
  {
    g_autoptr(PwStore) store = pw_store_open (path, NULL);
    g_autoptr(PwDevice) device = NULL;

    pw_test_fleet_fill (store, 12, 16100, 0, g_get_real_time () / G_USEC_PER_SEC);
    device = pw_store_add_device (store, "127.0.0.82", port, &error);
    g_assert_no_error (error);
    printer_id = pw_device_get_id (device);
  }
  fixture_open (&fixture, path);
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "generic-laser", NULL));
  pw_agent_set_snmp_credentials (fixture.agent, credentials);
  /* The other printers are silent loopback addresses: do not wait too long for
   * them, but long enough for snmpsimd on a loaded machine (sanitizer builds). */
  pw_snmp_engine_set_timeout (pw_agent_get_engine (fixture.agent), 2000);
  pw_snmp_engine_set_retries (pw_agent_get_engine (fixture.agent), 1);
  fleet = pw_agent_get_fleet (fixture.agent);
  WAIT_UNTIL (g_strcmp0 (visible_stack_page (fixture.window), "fleet") == 0);
  g_assert_false (polled (fleet, printer_id));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fleet)); i++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (fleet), i));
  g_signal_connect (fleet, "items-changed", G_CALLBACK (changed_cb), &log);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.poll", NULL));
  g_assert_true (pw_window_get_polling (fixture.window));
  WAIT_UNTIL (polled (fleet, printer_id));
  printer = pw_fleet_lookup (fleet, printer_id, NULL);
  g_assert_cmpstr (pw_device_get_identity (printer, PW_IDENTITY_SERIAL), ==, "LP2040-000123");
  g_assert_true (pw_device_get_reachable (printer));
  /* Row by row, never the whole list again. */
  g_assert_cmpuint (log.changes, >=, 1);
  g_assert_cmpuint (log.largest, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fleet)), ==, before->len);
  /* Its row in the table is the new one. */
  {
    g_autoptr(GPtrArray) rows = rows_of (fixture.window);
    gboolean found = FALSE;

    for (guint i = 0; i < rows->len; i++)
      found |= rows->pdata[i] == (gpointer) printer;
    g_assert_true (found);
  }
  /* The poll ends, the silent printers with "No answer". */
  WAIT_UNTIL (!pw_window_get_polling (fixture.window));
  g_assert_cmpint (pw_device_summary_get (pw_fleet_lookup (fleet, 1, NULL))->health, ==,
                   PW_DEVICE_HEALTH_UNREACHABLE);
  g_assert_cmpuint (log.largest, ==, 1);
  fixture_close (&fixture);
}

int
main (int    argc,
      char **argv)
{
  int status;

  pw_test_init (&argc, &argv, TRUE);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under xvfb-run");
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/window/app-empty-state", test_app_empty_state);
  g_test_add_func ("/window/app-shows-fleet", test_app_shows_fleet);
  g_test_add_func ("/window/app-refused-database", test_app_refused_database);
  g_test_add_func ("/window/closed-while-opening", test_closed_while_opening);
  g_test_add_func ("/window/fleet", test_fleet);
  g_test_add_func ("/window/poll-all", test_poll_all);

  status = g_test_run ();
  /* Work still under way when the last window closed (a worker thread's
   * answer, GTK's idle handlers) is let finish before the leak checker
   * looks: a few seconds of the main loop. */
  {
    gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < end)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
  }
  return status;
}
