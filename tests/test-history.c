/* test-history.c: pages per day from a device's meter history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-utils.h"

/* 2025-11-25 12:00 UTC, a Tuesday; Europe/Berlin is UTC+1 then. */
#define NOW 1764072000
#define DAY 86400

static PwSnapshot *
reading (gint64      taken_at,
         const char *name,
         gint64      value)
{
  PwSnapshot *snapshot = pw_snapshot_new (taken_at);

  pw_snapshot_add_counter (snapshot, name, value, "impressions");
  return snapshot;
}

static const PwDailyPages *
day (GArray *days,
     guint   i)
{
  return &g_array_index (days, PwDailyPages, i);
}

static void
test_pages_per_day (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) days = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  g_assert_nonnull (tz);
  g_ptr_array_add (snapshots, reading (NOW - 20 * DAY, "total", 500));   /* before the period: a base */
  g_ptr_array_add (snapshots, reading (NOW - 6 * DAY, "total", 1000));   /* 500 on day 3 */
  g_ptr_array_add (snapshots, reading (NOW - 5 * DAY, "total", 1100));   /* 100 on day 4 */
  g_ptr_array_add (snapshots, reading (NOW - 5 * DAY + 3600, "total", 1150));  /* +50 on day 4 */
  g_ptr_array_add (snapshots, reading (NOW - 3 * DAY, "total", 40));     /* went back: skipped */
  g_ptr_array_add (snapshots, reading (NOW - 2 * DAY, "total", 90));     /* 50 on day 7 */
  g_ptr_array_add (snapshots, reading (NOW - 1 * DAY, "black", 7));      /* another meter: no pair */
  g_ptr_array_add (snapshots, reading (NOW, "total", 90));               /* 0 on day 9 (today) */

  days = pw_history_pages_per_day (snapshots, tz, NOW, 10);
  g_assert_cmpuint (days->len, ==, 10);
  /* The first day starts at local midnight nine days ago. */
  midnight = g_date_time_new (tz, 2025, 11, 16, 0, 0, 0);
  g_assert_cmpint (day (days, 0)->day, ==, g_date_time_to_unix (midnight));
  g_assert_cmpint (day (days, 9)->day - day (days, 0)->day, ==, 9 * DAY);
  g_assert_cmpint (day (days, 0)->pages, ==, -1);
  g_assert_cmpint (day (days, 3)->pages, ==, 500);
  g_assert_cmpint (day (days, 4)->pages, ==, 150);
  g_assert_cmpint (day (days, 6)->pages, ==, -1);
  g_assert_cmpint (day (days, 7)->pages, ==, 50);
  g_assert_cmpint (day (days, 8)->pages, ==, -1);
  g_assert_cmpint (day (days, 9)->pages, ==, 0);
}

/* Black plus colour when there is no total; a local day, not a UTC one. */
static void
test_black_colour_local_days (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) days = NULL;
  PwSnapshot *a = pw_snapshot_new (NOW - DAY);
  PwSnapshot *b = pw_snapshot_new (NOW - 12 * 3600 - 1800);  /* 23:30 UTC = 00:30 in Berlin: today */

  pw_snapshot_add_counter (a, "black", 100, NULL);
  pw_snapshot_add_counter (a, "colour", 10, NULL);
  pw_snapshot_add_counter (b, "black", 130, NULL);
  pw_snapshot_add_counter (b, "colour", 15, NULL);
  g_ptr_array_add (snapshots, a);
  g_ptr_array_add (snapshots, b);
  days = pw_history_pages_per_day (snapshots, tz, NOW, 2);
  g_assert_cmpint (day (days, 0)->pages, ==, -1);
  g_assert_cmpint (day (days, 1)->pages, ==, 35);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(GArray **) user_data = pw_history_load_pages_finish (res, &error);
  g_assert_no_error (error);
}

/* From the store, whose reset flag marks a counter that went back. */
static void
test_load_from_store (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (path, &error);
  g_autoptr(PwDevice) device = pw_store_add_device (store, "192.0.2.5", 161, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const gint64 values[] = { 1000, 1200, 1250, 20, 80 };
  GArray *days = NULL;
  gint64 sum = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(PwSnapshot) snapshot = reading (now - (gint64) (G_N_ELEMENTS (values) - i) * DAY, "total",
                                                values[i]);

      g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (device), snapshot, &error));
      g_assert_no_error (error);
    }
  pw_history_load_pages_async (store, pw_device_get_id (device), 90, NULL, loaded_cb, &days);
  while (days == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (days->len, ==, 90);
  for (guint i = 0; i < days->len; i++)
    sum += MAX (day (days, i)->pages, 0);
  /* 200 + 50 + (reset, skipped) + 60 */
  g_assert_cmpint (sum, ==, 310);
  g_array_unref (days);
  pw_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, FALSE);

  g_test_add_func ("/history/pages-per-day", test_pages_per_day);
  g_test_add_func ("/history/black-colour-local-days", test_black_colour_local_days);
  g_test_add_func ("/history/load-from-store", test_load_from_store);

  return g_test_run ();
}
