/* bench-notifier.c: the notifier's rules over a fleet, and its e-mails through aiosmtpd.
 *
 * DEVICES printers (default 2,000) with four toners each, two snapshots an
 * hour apart; one in ten has a toner below the threshold, one in twenty has
 * been jammed for the hour, one in fifty stopped answering two hours ago.
 * Times: the first check (rules read, e-mails built, queued and sent to a
 * real SMTP server on loopback), a second check that finds nothing new (what
 * every poll costs), and the daily digest.
 *
 * Prints figures; asserts only that each condition was told once.
 * Usage: bench-notifier [DEVICES]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"
#include "servers/pw-test-smtp.h"

#include <stdlib.h>

typedef struct {
  GMainLoop       *loop;
  PwNotifySummary  summary;
  GError          *error;
} Wait;

static void
checked_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Wait *wait = user_data;

  pw_notifier_check_finish (PW_NOTIFIER (source), res, &wait->summary, &wait->error);
  g_main_loop_quit (wait->loop);
}

static double
timed_check (PwNotifier      *notifier,
             PwNotifierCheck  checks,
             PwNotifySummary *summary)
{
  Wait wait = { g_main_loop_new (NULL, FALSE) };
  gint64 start = g_get_monotonic_time ();

  pw_notifier_check_async (notifier, checks, NULL, NULL, checked_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_assert_no_error (wait.error);
  *summary = wait.summary;
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
add_snapshot (PwStore *store,
              gint64   id,
              guint    n,
              gint64   taken_at)
{
  static const char * const colours[] = { "black", "cyan", "magenta", "yellow" };
  g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (taken_at);
  g_autofree char *name = g_strdup_printf ("Printer %05u", n);

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME, name);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION, "Floor 3");
  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_RUNNING, PW_PRINTER_STATUS_IDLE, n % 20 == 0 ? 1u << 5 : 0);
  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    {
      g_autofree char *description = g_strdup_printf ("%s toner cartridge", colours[i]);
      PwSupply supply = {
        .index = i + 1, .description = description, .type = 21, .supply_class = 3, .unit = 19,
        .max_capacity = 100, .level = n % 10 == 0 && i == 1 ? 4 : 60, .colour = (char *) colours[i],
      };

      pw_snapshot_add_supply (snapshot, &supply);
    }
  g_assert_true (pw_store_append_snapshot (store, id, snapshot, NULL));
}

int
main (int    argc,
      char **argv)
{
  guint devices;
  PwTestSmtpOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestServer) server = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwNotifier) notifier = NULL;
  g_autofree char *slot = NULL;
  const char * const to[] = { "admin@example.com", NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  PwNotifySummary summary;
  guint expected = 0;
  double seconds;

  /* The server script is found through the test framework's folders. */
  pw_test_init (&argc, &argv, TRUE);
  devices = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 2000;
  dir = pw_test_make_tmpdir ();
  db = g_build_filename (dir, "bench.db", NULL);
  store = pw_store_open (db, &error);
  g_assert_no_error (error);
  server = pw_test_smtp_start (&options, &error);
  if (server == NULL)
    {
      g_print ("# skipped: %s\n", error->message);
      pw_test_remove_tree (dir);
      return 0;
    }
  notifier = pw_notifier_new (store);
  g_assert_true (pw_notifier_set_addresses (notifier, "printwatch@example.com", to, NULL));
  pw_notifier_set_server (notifier, "127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_NONE);
  pw_notifier_set_site_name (notifier, "Bench");
  pw_notifier_set_rules (notifier, &(PwNotifierRules) { 10, 60, TRUE, TRUE, TRUE });

  for (guint n = 0; n < devices; n++)
    {
      g_autofree char *host = g_strdup_printf ("10.%u.%u.%u", n / 65536 % 256, n / 256 % 256, n % 256);
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, 161, NULL);
      gint64 id = pw_device_get_id (device);

      add_snapshot (store, id, n, now - 2 * 3600);
      if (n % 50 == 0)
        g_assert_true (pw_store_mark_unreachable (store, id, "No answer", NULL));
      else
        add_snapshot (store, id, n, now - 3600);
      expected += (n % 10 == 0) + (n % 50 == 0) + (n % 20 == 0 && n % 50 != 0);
    }

  seconds = timed_check (notifier, PW_NOTIFIER_CHECK_DEVICES, &summary);
  g_print ("%u printers: first check %.2f s, %u e-mails queued, %u sent (%.1f ms each)\n", devices, seconds,
           summary.queued, summary.sent, summary.sent > 0 ? seconds * 1000 / summary.sent : 0.0);
  g_assert_cmpuint (summary.queued, ==, expected);
  g_assert_cmpuint (summary.sent, ==, expected);
  seconds = timed_check (notifier, PW_NOTIFIER_CHECK_DEVICES, &summary);
  g_print ("%u printers: a check that finds nothing new %.2f s (%.2f ms per printer)\n", devices, seconds,
           seconds * 1000 / devices);
  g_assert_cmpuint (summary.queued, ==, 0);
  slot = g_strdup_printf ("%" G_GINT64_FORMAT, now - 60);
  g_assert_true (pw_store_set_state (store, PW_AGENT_KEY_LAST_SLOT, slot, NULL));
  seconds = timed_check (notifier, PW_NOTIFIER_CHECK_DIGEST, &summary);
  g_print ("%u printers: the daily digest %.2f s\n", devices, seconds);
  g_assert_cmpuint (summary.sent, ==, 1);

  g_clear_object (&notifier);
  g_clear_object (&store);
  pw_test_remove_tree (dir);
  return 0;
}
