/* pw-history.c: what a device's meter history says, day by day.
 *
 * Pages per day are the differences between consecutive readings of the
 * same meter: "total" when both readings have it, else "black" plus
 * "colour", else "black"; a reading without the meter (a poll that missed
 * it) is stepped over. A difference goes to the local day of the later
 * reading (a printer polled weekly shows a week's pages on one day). A
 * reading lower than the one before (the store flags it: a counter reset
 * or a replaced board) tells nothing, and is skipped rather than counted
 * as a negative day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-history"

#include "config.h"

#include "pw-history.h"

/* How far before the first day a reading is looked for, to difference
 * the first day's readings against (s). */
#define LOOKBACK (31 * 86400)

typedef enum {
  METER_NONE,
  METER_TOTAL,
  METER_BLACK_COLOUR,
  METER_BLACK,
} Meter;

static const PwCounter *
find_counter (PwSnapshot *snapshot,
              const char *name)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);

  for (guint i = 0; i < counters->len; i++)
    if (g_str_equal (((PwCounter *) counters->pdata[i])->name, name))
      return counters->pdata[i];
  return NULL;
}

static gboolean
has_meter (PwSnapshot *snapshot,
           Meter       meter)
{
  switch (meter)
    {
    case METER_TOTAL:
      return find_counter (snapshot, "total") != NULL;
    case METER_BLACK_COLOUR:
      return find_counter (snapshot, "black") != NULL && find_counter (snapshot, "colour") != NULL;
    case METER_BLACK:
      return find_counter (snapshot, "black") != NULL;
    case METER_NONE:
    default:
      return FALSE;
    }
}

/* The meter's value, and whether the store found it gone back. */
static gint64
meter_value (PwSnapshot *snapshot,
             Meter       meter,
             gboolean   *reset)
{
  const PwCounter *a = find_counter (snapshot, meter == METER_TOTAL ? "total" : "black");
  const PwCounter *b = meter == METER_BLACK_COLOUR ? find_counter (snapshot, "colour") : NULL;

  *reset = a->reset || (b != NULL && b->reset);
  if (b != NULL && a->value > G_MAXINT64 - b->value)
    {
      *reset = TRUE;  /* nonsense from the printer: tells nothing */
      return 0;
    }
  return a->value + (b != NULL ? b->value : 0);
}

static gint64
julian_day (gint64     when,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;
  g_autoptr(GDate) date = NULL;
  int year, month, day;

  if (local == NULL)
    return -1;
  g_date_time_get_ymd (local, &year, &month, &day);
  date = g_date_new_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return g_date_valid (date) ? (gint64) g_date_get_julian (date) : -1;
}

static gint64
local_midnight (gint64     julian,
                GTimeZone *tz)
{
  g_autoptr(GDate) date = g_date_new_julian ((guint32) julian);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                                                   g_date_get_day (date), 0, 0, 0);

  return midnight != NULL ? g_date_time_to_unix (midnight) : 0;
}

/**
 * pw_history_pages_per_day:
 * @snapshots: (element-type PwSnapshot): one device's readings, oldest first
 *   (as pw_store_get_history () gives them)
 * @tz: the time zone whose days count
 * @now: unix seconds; its day is the last one
 * @n_days: how many days, ending with today
 *
 * Returns: (transfer full) (element-type PwDailyPages): @n_days entries,
 *   oldest first
 */
GArray *
pw_history_pages_per_day (GPtrArray *snapshots,
                          GTimeZone *tz,
                          gint64     now,
                          guint      n_days)
{
  GArray *days;
  gint64 today;
  PwSnapshot *last[METER_BLACK + 1] = { NULL };

  g_return_val_if_fail (snapshots != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (n_days > 0, NULL);

  today = julian_day (now, tz);
  days = g_array_sized_new (FALSE, FALSE, sizeof (PwDailyPages), n_days);
  for (guint i = 0; i < n_days; i++)
    {
      PwDailyPages entry = { local_midnight (today - n_days + 1 + i, tz), -1 };

      g_array_append_val (days, entry);
    }

  for (guint i = 0; i < snapshots->len; i++)
    {
      PwSnapshot *after = snapshots->pdata[i];
      PwSnapshot *before = NULL;
      Meter meter;
      gboolean reset_before, reset_after;
      gint64 a, b, index;
      PwDailyPages *entry;

      /* The newest earlier reading of the most telling meter this one has. */
      for (meter = METER_TOTAL; meter <= METER_BLACK && before == NULL; meter++)
        if (has_meter (after, meter))
          before = last[meter];
      meter--;
      for (Meter m = METER_TOTAL; m <= METER_BLACK; m++)
        if (has_meter (after, m))
          last[m] = after;
      if (before == NULL)
        continue;

      a = meter_value (before, meter, &reset_before);
      b = meter_value (after, meter, &reset_after);
      if (reset_after || b < a)
        continue;
      index = julian_day (pw_snapshot_get_taken_at (after), tz) - (today - n_days + 1);
      if (index < 0 || index >= n_days)
        continue;
      entry = &g_array_index (days, PwDailyPages, index);
      entry->pages = MAX (entry->pages, 0) + (b - a);
    }
  return days;
}

typedef struct {
  PwStore *store;
  gint64   device_id;
  guint    n_days;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_object_unref (load->store);
  g_free (load);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 from = now - (gint64) load->n_days * 86400 - LOOKBACK;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GPtrArray) snapshots = NULL;
  GError *error = NULL;

  snapshots = pw_store_get_history (load->store, load->device_id, from, now + 1, &error);
  if (snapshots == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pw_history_pages_per_day (snapshots, tz, now, load->n_days),
                           (GDestroyNotify) g_array_unref);
}

/**
 * pw_history_load_pages_async:
 *
 * Reads the device's readings of the last @n_days days (and a little
 * before) on a worker, and counts pages per local day.
 */
void
pw_history_load_pages_async (PwStore             *store,
                             gint64               device_id,
                             guint                n_days,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (PW_IS_STORE (store));
  g_return_if_fail (n_days > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_history_load_pages_async);
  load = g_new0 (LoadData, 1);
  load->store = g_object_ref (store);
  load->device_id = device_id;
  load->n_days = n_days;
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_worker);
}

/**
 * pw_history_load_pages_finish:
 *
 * Returns: (transfer full) (element-type PwDailyPages): the days, oldest first
 */
GArray *
pw_history_load_pages_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
