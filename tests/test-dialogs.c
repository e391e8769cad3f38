/* test-dialogs.c: the discovery, add-printer, sync and preferences dialogs in
 * a real GTK session (Xvfb in CI), against simulated printers on loopback.
 *
 * There is no keyring on the test's session bus: secrets land in the 0600
 * fallback file, under a private XDG config folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-add-printer-dialog.h"
#include "pw-credentials-dialog.h"
#include "pw-credentials-group.h"
#include "pw-dialogs.h"
#include "pw-discovery-dialog.h"
#include "pw-preferences-window.h"
#include "pw-sync-window.h"
#include "pw-test-fleet.h"
#include "pw-test-utils.h"

#include <string.h>

#define LASER_SERIAL "LP2040-000123"

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds, for 30 s at most. */
#define WAIT_UNTIL(cond) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (20, tick_cb, NULL); \
    while (!(cond) && g_get_monotonic_time () < deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (tick_); \
    g_assert_true (cond); \
  } G_STMT_END

/* A site with a window for the dialogs to belong to. */
typedef struct {
  PwTestSite *site;
  GtkWindow  *parent;
} Desk;

static Desk *
desk_new (void)
{
  Desk *desk = g_new0 (Desk, 1);

  desk->site = pw_test_site_new ();
  desk->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (desk->parent);
  return desk;
}

static void
desk_free (Desk *desk)
{
  gtk_window_destroy (desk->parent);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  pw_test_site_free (desk->site);
  g_free (desk);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desk, desk_free)

/* The one open window of @type. */
static GtkWidget *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}

#define CHILD(widget, type, name) gtk_widget_get_template_child (GTK_WIDGET (widget), type, name)

/* Closes @window and checks that nothing keeps it alive. */
static void
close_and_check_finalized (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_UNTIL (window == NULL);
}

static const char *
label_text (GObject *label)
{
  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* ---- discovery ---- */

static void
test_discovery (void)
{
  const char * const recordings[] = { "127.0.0.71", "generic-laser", "127.0.0.72", "generic-colour-mfp", NULL };
  g_autoptr(PwTestFleet) fleet = pw_test_fleet_start_or_skip (recordings);
  g_autoptr(Desk) desk = NULL;
  g_autofree char *targets = NULL;
  GtkWidget *dialog;
  GtkStack *stack;
  GObject *message;

  if (fleet == NULL)
    return;
  desk = desk_new ();
  pw_show_discovery_dialog (desk->parent, desk->site->agent);
  dialog = find_window (PW_TYPE_DISCOVERY_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == desk->parent);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  stack = GTK_STACK (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "stack"));
  message = CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "targets_message");

  /* Parsed as typed: the error in words, naming the token. */
  gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "targets_row")),
                         "127.0.0.1 10.0.0.0/33");
  g_assert_nonnull (strstr (label_text (message), "“10.0.0.0/33”"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "error"));

  targets = g_strdup_printf ("127.0.0.70-73:%u", fleet->port);
  gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "targets_row")), targets);
  g_assert_cmpstr (label_text (message), ==, "4 addresses to sweep");

  g_assert_true (gtk_widget_activate_action (dialog, "discovery.start", NULL));
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "summary") == 0);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG,
                                                                       "summary_page"))), ==, "2 Printers Found");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG,
                                                                                      "summary_page"))),
                            "2 new, 0 already in the list"));
  g_assert_cmpuint (pw_store_count_devices (desk->site->store, NULL), ==, 2);
  close_and_check_finalized (dialog);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  *(gint64 *) user_data = pw_agent_save_credential_profile_finish (PW_AGENT (source), res, NULL);
}

/* A sweep with a profile the printer does not know (silent, slow), cancelled;
 * then one closed while it runs. */
static void
test_discovery_cancel (void)
{
  const char * const recordings[] = { "127.0.0.73", "generic-laser", NULL };
  g_autoptr(PwTestFleet) fleet = pw_test_fleet_start_or_skip (recordings);
  g_autoptr(Desk) desk = NULL;
  g_autoptr(PwCredentialProfile) wrong = pw_credential_profile_new ("wrong", PW_SNMP_VERSION_2C);
  g_autofree char *targets = NULL;
  GtkWidget *dialog;
  GtkStack *stack;
  AdwComboRow *profiles;
  gint64 saved = 0;

  if (fleet == NULL)
    return;
  desk = desk_new ();
  pw_snmp_engine_set_timeout (pw_agent_get_engine (desk->site->agent), 2000);
  pw_agent_save_credential_profile_async (desk->site->agent, wrong, "nobody-knows", NULL, NULL, saved_cb, &saved);
  WAIT_UNTIL (saved > 0);
  targets = g_strdup_printf ("127.0.0.73:%u", fleet->port);

  for (guint round = 0; round < 2; round++)
    {
      pw_show_discovery_dialog (desk->parent, desk->site->agent);
      dialog = find_window (PW_TYPE_DISCOVERY_DIALOG);
      stack = GTK_STACK (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "stack"));
      profiles = ADW_COMBO_ROW (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "profile_row"));
      WAIT_UNTIL (g_list_model_get_n_items (adw_combo_row_get_model (profiles)) == 2);
      adw_combo_row_set_selected (profiles, 1);
      gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG, "targets_row")), targets);
      g_assert_true (gtk_widget_activate_action (dialog, "discovery.start", NULL));
      WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "running") == 0);
      if (round == 0)
        {
          g_assert_true (gtk_widget_activate_action (dialog, "discovery.cancel", NULL));
          WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "summary") == 0);
          g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (CHILD (dialog, PW_TYPE_DISCOVERY_DIALOG,
                                                                               "summary_page"))), ==,
                           "Discovery Stopped");
        }
      /* Closed while it runs (round 1): the sweep is cancelled, nothing is left behind. */
      close_and_check_finalized (dialog);
    }
  g_assert_cmpuint (pw_store_count_devices (desk->site->store, NULL), ==, 0);
}

/* ---- adding a printer by hand ---- */

static void
test_add_printer (void)
{
  const char * const recordings[] = { "127.0.0.75", "generic-laser", NULL };
  g_autoptr(PwTestFleet) fleet = pw_test_fleet_start_or_skip (recordings);
  g_autoptr(Desk) desk = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *port = NULL;
  GtkWidget *dialog, *add;
  GObject *message, *serial_row, *answer;

  if (fleet == NULL)
    return;
  desk = desk_new ();
  pw_show_add_printer_dialog (desk->parent, desk->site->agent);
  dialog = find_window (PW_TYPE_ADD_PRINTER_DIALOG);
  g_assert_nonnull (dialog);
  add = GTK_WIDGET (CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "add_button"));
  message = CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "address_message");
  serial_row = CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "serial_row");
  answer = CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "answer_group");
  g_assert_false (gtk_widget_get_sensitive (add));

  gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "address_row")), "300.1.2.3");
  g_assert_cmpstr (label_text (message), ==, "“300.1.2.3” is not a valid IPv4 address");
  g_assert_false (gtk_widget_get_sensitive (add));
  gtk_widget_activate_action (dialog, "add-printer.add", NULL);
  g_assert_cmpuint (pw_store_count_devices (desk->site->store, NULL), ==, 0);

  port = g_strdup_printf ("%u", fleet->port);
  gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "address_row")), "127.0.0.75");
  gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "port_row")), "70000");
  g_assert_nonnull (strstr (label_text (message), "“70000” is not a valid port"));
  g_assert_false (gtk_widget_get_sensitive (add));
  gtk_editable_set_text (GTK_EDITABLE (CHILD (dialog, PW_TYPE_ADD_PRINTER_DIALOG, "port_row")), port);
  g_assert_null (label_text (message));
  g_assert_true (gtk_widget_get_sensitive (add));

  g_assert_true (gtk_widget_activate_action (dialog, "add-printer.test", NULL));
  WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (answer)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (serial_row)), ==, LASER_SERIAL);
  g_assert_cmpuint (pw_store_count_devices (desk->site->store, NULL), ==, 0);  /* a test stores nothing */

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (dialog, "add-printer.add", NULL));
  WAIT_UNTIL (dialog == NULL);
  devices = pw_store_list_devices (desk->site->store, NULL);
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (pw_device_get_host (devices->pdata[0]), ==, "127.0.0.75");
  g_assert_cmpstr (pw_device_get_identity (devices->pdata[0], PW_IDENTITY_SERIAL), ==, LASER_SERIAL);
}

/* ---- the sync window ---- */

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GPtrArray) results = pw_agent_poll_finish (PW_AGENT (source), res, NULL);

  *(gboolean *) user_data = results != NULL && results->len == 1 && ((PwPollResult *) results->pdata[0])->ok;
}

static void
test_sync_window (void)
{
  const char * const recordings[] = { "127.0.0.77", "generic-laser", NULL };
  g_autoptr(PwTestFleet) fleet = pw_test_fleet_start_or_skip (recordings);
  g_autoptr(Desk) desk = NULL;
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GtkWidget *window;
  GObject *last_data, *message;
  gboolean polled = FALSE;

  if (fleet == NULL)
    return;
  desk = desk_new ();
  device = pw_store_add_device (desk->site->store, "127.0.0.77", fleet->port, &error);
  g_assert_no_error (error);
  pw_agent_poll_async (desk->site->agent, NULL, NULL, polled_cb, &polled);
  WAIT_UNTIL (polled);

  pw_show_sync_window (desk->parent, desk->site->agent);
  window = find_window (PW_TYPE_SYNC_WINDOW);
  g_assert_nonnull (window);
  last_data = CHILD (window, PW_TYPE_SYNC_WINDOW, "last_data_row");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last_data)), ==, "never");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (CHILD (window, PW_TYPE_SYNC_WINDOW,
                                                                       "last_contact_row"))), ==, "never");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (CHILD (window, PW_TYPE_SYNC_WINDOW,
                                                                       "last_success_row"))), ==, "never");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (CHILD (window, PW_TYPE_SYNC_WINDOW,
                                                                                       "next_sync_row"))), "in "));

  /* What will be sent, exactly: it names the printer by its serial. */
  g_assert_true (gtk_widget_activate_action (window, "sync.show-payload", NULL));
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (CHILD (window, PW_TYPE_SYNC_WINDOW, "stack"))),
                         "payload") == 0);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (CHILD (window, PW_TYPE_SYNC_WINDOW, "payload_view")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (text, LASER_SERIAL));
  g_assert_true (gtk_widget_activate_action (window, "sync.back", NULL));

  /* "Sync now" without a server: the printers are read, nothing is sent, and the window says why. */
  message = CHILD (window, PW_TYPE_SYNC_WINDOW, "sync_message");
  g_assert_true (gtk_widget_activate_action (window, "sync.now", NULL));
  WAIT_UNTIL (label_text (message) != NULL);
  g_assert_false (pw_agent_get_busy (desk->site->agent));
  g_assert_cmpstr (label_text (message), ==, "No collection server is set: nothing was sent");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last_data)), !=, "never");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (CHILD (window, PW_TYPE_SYNC_WINDOW, "last_error_row"))));
  close_and_check_finalized (window);
}

/* ---- preferences ---- */

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, needle) != NULL;
}

/* No key of the schema holds @secret. */
static void
assert_not_in_settings (GSettings  *settings,
                        const char *secret)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_assert_null (strstr (printed, secret));
    }
}

static void
test_preferences (void)
{
  g_autoptr(Desk) desk = desk_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *fallback = pw_secret_fallback_path ();
  g_autofree char *url = NULL;
  g_autofree char *sync_time = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  GtkWidget *window, *editor;
  GObject *secret_row, *time_message;

  pw_show_preferences (desk->parent, desk->site->agent);
  window = find_window (PW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (window);

  gtk_editable_set_text (GTK_EDITABLE (CHILD (window, PW_TYPE_PREFERENCES_WINDOW, "server_url_row")),
                         "https://collector.example.com/api/v1/uploads");
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "https://collector.example.com/api/v1/uploads");
  g_assert_cmpstr (pw_agent_get_server_url (desk->site->agent), ==, url);  /* re-configured */

  /* The daily time: written only when it is one. */
  time_message = CHILD (window, PW_TYPE_PREFERENCES_WINDOW, "sync_time_message");
  gtk_editable_set_text (GTK_EDITABLE (CHILD (window, PW_TYPE_PREFERENCES_WINDOW, "sync_time_row")), "25:00");
  g_assert_nonnull (label_text (time_message));
  sync_time = g_settings_get_string (settings, "sync-time");
  g_assert_cmpstr (sync_time, ==, "06:00");
  gtk_editable_set_text (GTK_EDITABLE (CHILD (window, PW_TYPE_PREFERENCES_WINDOW, "sync_time_row")), "07:30");
  g_assert_null (label_text (time_message));
  g_assert_cmpstr (pw_agent_get_sync_time (desk->site->agent), ==, "07:30");

  /* The password goes to the keyring (here its stand-in), never to GSettings. */
  secret_row = CHILD (window, PW_TYPE_PREFERENCES_WINDOW, "server_secret_row");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (secret_row)));
  gtk_editable_set_text (GTK_EDITABLE (secret_row), "gui-s3cret-passw0rd");
  g_signal_emit_by_name (secret_row, "apply");
  WAIT_UNTIL (file_contains (fallback, "gui-s3cret-passw0rd"));
  WAIT_UNTIL (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ""));
  assert_not_in_settings (settings, "gui-s3cret-passw0rd");

  /* An SNMP profile: its community to the keyring, its row to the store. */
  gtk_widget_activate_action (GTK_WIDGET (CHILD (window, PW_TYPE_PREFERENCES_WINDOW, "credentials_group")),
                              "credentials.add", NULL);
  editor = find_window (PW_TYPE_CREDENTIALS_DIALOG);
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_editable_set_text (GTK_EDITABLE (CHILD (editor, PW_TYPE_CREDENTIALS_DIALOG, "name_row")), "office");
  gtk_editable_set_text (GTK_EDITABLE (CHILD (editor, PW_TYPE_CREDENTIALS_DIALOG, "community_row")),
                         "gui-c0mmunity");
  g_assert_true (gtk_widget_activate_action (editor, "credentials.save", NULL));
  WAIT_UNTIL (editor == NULL);
  profiles = pw_store_list_credential_profiles (desk->site->store, NULL);
  g_assert_cmpuint (profiles->len, ==, 1);
  g_assert_cmpstr (((PwCredentialProfile *) profiles->pdata[0])->name, ==, "office");
  g_assert_true (file_contains (fallback, "gui-c0mmunity"));
  assert_not_in_settings (settings, "gui-c0mmunity");
  g_assert_cmpstr (pw_snmp_credentials_get_community (pw_agent_get_snmp_credentials (desk->site->agent)->pdata[0]), ==,
                   "gui-c0mmunity");

  close_and_check_finalized (window);
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "sync-time");
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  g_unsetenv (PW_SECRET_PASSWORD_ENV);
  g_unsetenv (PW_SECRET_TOKEN_ENV);
  g_unsetenv (PW_SECRET_SMTP_PASSWORD_ENV);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under xvfb-run");
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/dialogs/discovery", test_discovery);
  g_test_add_func ("/dialogs/discovery-cancel", test_discovery_cancel);
  g_test_add_func ("/dialogs/add-printer", test_add_printer);
  g_test_add_func ("/dialogs/sync-window", test_sync_window);
  g_test_add_func ("/dialogs/preferences", test_preferences);

  return g_test_run ();
}
