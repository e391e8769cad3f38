/* pw-test-notifier.c: what the notifier tests share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-notifier.h"
#include "pw-test-utils.h"

const char * const pw_test_recipients[] = { "admin@example.com", "it@example.com", NULL };

void
pw_test_notifier_setup (PwTestNotifier *fixture,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  PwNotifierRules rules = { 10, 60, TRUE, TRUE, TRUE };

  fixture->dir = pw_test_make_tmpdir ();
  fixture->db = g_build_filename (fixture->dir, "notifier.db", NULL);
  fixture->store = pw_store_open (fixture->db, &error);
  g_assert_no_error (error);
  fixture->notifier = pw_notifier_new (fixture->store);
  g_assert_true (pw_notifier_set_addresses (fixture->notifier, PW_TEST_FROM, pw_test_recipients, &error));
  g_assert_no_error (error);
  pw_notifier_set_rules (fixture->notifier, &rules);
  pw_notifier_set_site_name (fixture->notifier, PW_TEST_SITE);
  pw_notifier_set_timeout (fixture->notifier, 2);
  fixture->now = g_get_real_time () / G_USEC_PER_SEC;
}

void
pw_test_notifier_teardown (PwTestNotifier *fixture,
                           gconstpointer   data)
{
  g_clear_object (&fixture->notifier);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->smtp, pw_test_server_free);
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

gboolean
pw_test_notifier_start_server (PwTestNotifier *fixture,
                               const char     *mode)
{
  PwTestSmtpOptions options = { mode };
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->smtp, pw_test_server_free);
  fixture->smtp = pw_test_smtp_start (&options, &error);
  if (fixture->smtp == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error ("%s", error->message);
      g_test_skip (error->message);
      return FALSE;
    }
  pw_notifier_set_server (fixture->notifier, "127.0.0.1", pw_test_server_get_port (fixture->smtp),
                          PW_SMTP_SECURITY_NONE);
  return TRUE;
}

typedef struct {
  GMainLoop       *loop;
  gboolean         ok;
  PwNotifySummary  summary;
  GError          *error;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Wait *wait = user_data;

  if (g_async_result_is_tagged (res, pw_notifier_check_async))
    wait->ok = pw_notifier_check_finish (PW_NOTIFIER (source), res, &wait->summary, &wait->error);
  else if (g_async_result_is_tagged (res, pw_notifier_flush_async))
    wait->ok = pw_notifier_flush_finish (PW_NOTIFIER (source), res, &wait->summary, &wait->error);
  else
    wait->ok = pw_notifier_send_test_finish (PW_NOTIFIER (source), res, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Runs the main loop until the call is done; its error into @error. */
static gboolean
wait_run (Wait             *wait,
          PwNotifySummary  *summary,
          GError          **error)
{
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
  if (summary != NULL)
    *summary = wait->summary;
  if (wait->error != NULL)
    g_propagate_error (error, wait->error);
  return wait->ok;
}

guint
pw_test_notifier_check_ok (PwTestNotifier  *fixture,
                           PwNotifierCheck  checks)
{
  Wait wait = { g_main_loop_new (NULL, FALSE) };
  PwNotifySummary summary;
  g_autoptr(GError) error = NULL;

  pw_notifier_check_async (fixture->notifier, checks, NULL, NULL, done_cb, &wait);
  g_assert_true (wait_run (&wait, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, summary.queued);
  g_assert_cmpuint (summary.waiting, ==, 0);
  return summary.queued;
}

gboolean
pw_test_notifier_check (PwTestNotifier   *fixture,
                        PwNotifySummary  *summary,
                        GError          **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE) };

  pw_notifier_check_async (fixture->notifier, PW_NOTIFIER_CHECK_ALL, NULL, NULL, done_cb, &wait);
  return wait_run (&wait, summary, error);
}

gboolean
pw_test_notifier_flush (PwTestNotifier   *fixture,
                        gboolean          force,
                        PwNotifySummary  *summary,
                        GError          **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE) };

  pw_notifier_flush_async (fixture->notifier, force, NULL, done_cb, &wait);
  return wait_run (&wait, summary, error);
}

gboolean
pw_test_notifier_send_test (PwTestNotifier  *fixture,
                            GError         **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE) };

  pw_notifier_send_test_async (fixture->notifier, NULL, done_cb, &wait);
  return wait_run (&wait, NULL, error);
}

GPtrArray *
pw_test_notifier_received (PwTestNotifier *fixture)
{
  return pw_test_smtp_messages (fixture->smtp);
}

const char *
pw_test_part_text (JsonObject *message,
                   const char *type)
{
  JsonArray *parts = json_object_get_array_member (message, "parts");

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (g_str_equal (json_object_get_string_member (part, "type"), type))
        return json_object_get_string_member (part, "text");
    }
  g_error ("no %s part", type);
  return NULL;
}

gint64
pw_test_add_printer (PwTestNotifier *fixture,
                     const char     *host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = pw_store_add_device (fixture->store, host, 161, &error);

  g_assert_no_error (error);
  return pw_device_get_id (device);
}

void
pw_test_add_reading (PwTestNotifier      *fixture,
                     gint64               device_id,
                     const PwTestReading *reading)
{
  g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (reading->taken_at);
  g_autoptr(GError) error = NULL;
  PwSupply black = { 1, (char *) "Black Toner Cartridge", 21, 3, 19, 100, 80, (char *) "black" };
  PwSupply cyan = { 2, (char *) "Cyan Toner Cartridge", 21, 3, 19, 100, reading->cyan, (char *) "cyan" };
  PwSupply waste = { 3, NULL, 4, 4, 19, 100, 50, NULL };
  PwAlert jam = { 1, 3, 3, 13, 1, 0, 8, (char *) "Jam in the duplex unit", 0 };
  PwAlert paper = { 2, 4, 3, 8, 2, 0, 807, (char *) "Tray 2 low", 0 };

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME,
                            reading->sys_name != NULL ? reading->sys_name : "Reception MFP");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION,
                            reading->location != NULL ? reading->location : "2nd floor, copy room");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, "Example");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, "ColorPrint 4500");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, "EX4500-0042");
  pw_snapshot_set_status (snapshot, reading->status != 0 ? reading->status : PW_DEVICE_STATUS_RUNNING,
                          PW_PRINTER_STATUS_IDLE, reading->error_state);
  pw_snapshot_add_supply (snapshot, &black);
  pw_snapshot_add_supply (snapshot, &cyan);
  pw_snapshot_add_supply (snapshot, &waste);
  if (reading->critical)
    pw_snapshot_add_alert (snapshot, &jam);
  if (reading->warning)
    pw_snapshot_add_alert (snapshot, &paper);
  g_assert_true (pw_store_append_snapshot (fixture->store, device_id, snapshot, &error));
  g_assert_no_error (error);
}

void
pw_test_add_fine_reading (PwTestNotifier *fixture,
                          gint64          device_id,
                          gint64          taken_at)
{
  PwTestReading reading = { .taken_at = taken_at, .cyan = 60 };

  pw_test_add_reading (fixture, device_id, &reading);
}
