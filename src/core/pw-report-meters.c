/* pw-report-meters.c: the meter reads of a period.
 *
 * Per device and counter: the first and the last read in the period and
 * the pages between them. A counter that went back during the period (the
 * store flags such reads: a reset, a replaced board) is flagged here too,
 * and its pages are the sum of the increments between consecutive reads,
 * leaving out the step across the reset, which no one can know. Then the
 * fleet's totals per counter, and in HTML a chart of the fleet's pages per
 * day (the "total" counter).
 *
 * The reads stream from the store by device and time; what is kept is one
 * small record per device and counter, not the reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The counter the pages-per-day chart adds up. */
#define CHART_COUNTER "total"

/* Bars in the chart, at most: longer periods get a bar per several days. */
#define CHART_MAX_BARS 180

typedef struct {
  gint64      device_id;
  const char *name;         /* in the walk's chunk */
  const char *unit;         /* in the walk's chunk; nullable */
  gint64      first_at;
  gint64      first_value;
  gint64      last_at;
  gint64      last_value;
  gint64      pages;
  guint       n_reads;
  gboolean    reset;
} MeterSpan;

typedef struct {
  const char *name;
  gint64      pages;
  guint       devices;
  guint       resets;
  guint       n_reads;
} MeterTotal;

typedef struct {
  PwReportContext *ctx;
  GStringChunk    *chunk;
  GArray          *spans;       /* of MeterSpan, by device, then first read */
  guint            first_span;  /* the current device's first span */
  gint64           device_id;   /* the current device */
  GArray          *day_starts;  /* of gint64: each chart day's first second */
  GArray          *day_pages;   /* of gint64 */
} MeterWalk;

enum {
  M_ID, M_NAME, M_ADDRESS, M_COUNTER, M_KEY, M_UNIT, M_FIRST_AT, M_FIRST, M_LAST_AT, M_LAST,
  M_PAGES, M_PER_DAY, M_READS, M_RESET, M_N_COLUMNS
};

static const PwReportColumn meter_columns[M_N_COLUMNS] = {
  { N_("Device ID"), PW_REPORT_IN_CSV },
  { N_("Name"), PW_REPORT_IN_BOTH },
  { N_("Address"), PW_REPORT_IN_BOTH },
  { N_("Counter"), PW_REPORT_IN_BOTH },
  { N_("Counter key"), PW_REPORT_IN_CSV },
  { N_("Unit"), PW_REPORT_IN_CSV },
  { N_("First read"), PW_REPORT_IN_BOTH },
  { N_("First value"), PW_REPORT_IN_BOTH },
  { N_("Last read"), PW_REPORT_IN_BOTH },
  { N_("Last value"), PW_REPORT_IN_BOTH },
  { N_("Pages in period"), PW_REPORT_IN_BOTH },
  { N_("Pages per day"), PW_REPORT_IN_BOTH },
  { N_("Reads"), PW_REPORT_IN_CSV },
  { N_("Counter went back"), PW_REPORT_IN_BOTH },
};

enum {
  T_COUNTER, T_DEVICES, T_PAGES, T_PER_DAY, T_RESETS, T_N_COLUMNS
};

static const PwReportColumn total_columns[T_N_COLUMNS] = {
  { N_("Counter"), PW_REPORT_IN_HTML },
  { N_("Printers"), PW_REPORT_IN_HTML },
  { N_("Pages in period"), PW_REPORT_IN_HTML },
  { N_("Pages per day"), PW_REPORT_IN_HTML },
  { N_("Printers whose counter went back"), PW_REPORT_IN_HTML },
};

/* The first second of each local day from @from to @to, @from itself first. */
static void
fill_days (MeterWalk *walk,
           gint64     from,
           gint64     to)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (from);
  g_autoptr(GDateTime) midnight = NULL;

  if (start == NULL)
    return;
  midnight = g_date_time_new_local (g_date_time_get_year (start), g_date_time_get_month (start),
                                    g_date_time_get_day_of_month (start), 0, 0, 0);
  g_array_append_val (walk->day_starts, from);
  for (guint day = 1; midnight != NULL; day++)
    {
      g_autoptr(GDateTime) next = g_date_time_add_days (midnight, day);
      gint64 t;

      if (next == NULL || (t = g_date_time_to_unix (next)) >= to)
        break;
      g_array_append_val (walk->day_starts, t);
    }
  g_array_set_size (walk->day_pages, walk->day_starts->len);
}

/* The chart day @when falls in (the last that starts at or before it), or -1 before the first. */
static int
day_index (MeterWalk *walk,
           gint64     when)
{
  const gint64 *starts = (const gint64 *) walk->day_starts->data;
  guint lo = 0, hi = walk->day_starts->len;

  if (hi == 0 || when < starts[0])
    return -1;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (starts[mid] <= when)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
}

/* The @pages printed between two reads, spread evenly over the days after
 * the first read's, up to the second's: with a read a day, all of it on
 * the second read's day. */
static void
add_day_pages (MeterWalk *walk,
               gint64     since,
               gint64     until,
               gint64     pages)
{
  int first = day_index (walk, since), last = day_index (walk, until);
  gint64 days, share;

  if (last < 0)
    return;
  first = MIN (MAX (first + 1, 0), last);
  days = last - first + 1;
  share = pages / days;
  for (int day = first; day <= last; day++)
    g_array_index (walk->day_pages, gint64, day) += day < last ? share : pages - share * (days - 1);
}

static gboolean
add_reading (const PwStoreReading  *reading,
             gpointer               user_data,
             GError               **error)
{
  MeterWalk *walk = user_data;
  MeterSpan *span = NULL;

  if (reading->device_id != walk->device_id)
    {
      walk->device_id = reading->device_id;
      walk->first_span = walk->spans->len;
    }
  for (guint i = walk->first_span; i < walk->spans->len && span == NULL; i++)
    if (strcmp (g_array_index (walk->spans, MeterSpan, i).name, reading->name) == 0)
      span = &g_array_index (walk->spans, MeterSpan, i);

  if (span == NULL)
    {
      MeterSpan first = {
        .device_id = reading->device_id,
        .name = g_string_chunk_insert_const (walk->chunk, reading->name),
        .unit = reading->unit != NULL ? g_string_chunk_insert_const (walk->chunk, reading->unit) : NULL,
        .first_at = reading->taken_at,
        .first_value = reading->value,
        .last_at = reading->taken_at,
        .last_value = reading->value,
        .n_reads = 1,
      };

      /* A reset flagged on the period's first read happened before the period. */
      g_array_append_val (walk->spans, first);
      return TRUE;
    }

  if (reading->reset || reading->value < span->last_value)
    span->reset = TRUE;
  else
    {
      gint64 step = reading->value - span->last_value;

      span->pages += step;
      if (step > 0 && strcmp (span->name, CHART_COUNTER) == 0)
        add_day_pages (walk, span->last_at, reading->taken_at, step);
    }
  span->last_at = reading->taken_at;
  span->last_value = reading->value;
  span->n_reads++;
  return TRUE;
}

static double
days_between (gint64 from,
              gint64 to)
{
  return (double) (to - from) / 86400.0;
}

/* The counters' totals, CHART_COUNTER first, then in the order first met. */
static GPtrArray *
sum_totals (GArray *spans)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *totals = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < spans->len; i++)
    {
      const MeterSpan *span = &g_array_index (spans, MeterSpan, i);
      MeterTotal *total = g_hash_table_lookup (by_name, span->name);

      if (total == NULL)
        {
          total = g_new0 (MeterTotal, 1);
          total->name = span->name;
          g_hash_table_insert (by_name, (gpointer) span->name, total);
          if (strcmp (span->name, CHART_COUNTER) == 0)
            g_ptr_array_insert (totals, 0, total);
          else
            g_ptr_array_add (totals, total);
        }
      total->pages += span->pages;
      total->devices++;
      total->resets += span->reset ? 1 : 0;
      total->n_reads += span->n_reads;
    }
  return totals;
}

static PwReportCell
per_day_cell (gint64 pages,
              double days)
{
  return days >= 1.0 ? PW_CELL_DECIMAL ((double) pages / days) : PW_CELL_NONE;
}

static void
write_span (PwReportContext    *ctx,
            const MeterSpan    *span,
            PwReportDeviceInfo *info)
{
  PwReportCell cells[M_N_COLUMNS] = {
    [M_ID] = PW_CELL_INT (span->device_id),
    [M_NAME] = PW_CELL_TEXT (info != NULL ? info->label : NULL),
    [M_ADDRESS] = PW_CELL_TEXT (info != NULL ? info->address : NULL),
    [M_COUNTER] = PW_CELL_TEXT (pw_counter_name_get_label (span->name)),
    [M_KEY] = PW_CELL_TEXT (span->name),
    [M_UNIT] = PW_CELL_TEXT (span->unit),
    [M_FIRST_AT] = PW_CELL_TIME (span->first_at),
    [M_FIRST] = PW_CELL_INT (span->first_value),
    [M_LAST_AT] = PW_CELL_TIME (span->last_at),
    [M_LAST] = PW_CELL_INT (span->last_value),
    [M_PAGES] = PW_CELL_INT (span->pages),
    [M_PER_DAY] = per_day_cell (span->pages, days_between (span->first_at, span->last_at)),
    [M_READS] = PW_CELL_INT (span->n_reads),
    [M_RESET] = PW_CELL_BOOL (span->reset),
  };

  if (span->reset)
    cells[M_RESET].mark = cells[M_PAGES].mark = PW_REPORT_MARK_BAD;
  _pw_report_row (ctx, cells);
}

/* The fleet's totals as rows of the CSV table, after the devices'. */
static void
write_total_rows (PwReportContext *ctx,
                  GPtrArray       *totals,
                  double           period_days)
{
  for (guint i = 0; i < totals->len; i++)
    {
      const MeterTotal *total = totals->pdata[i];
      PwReportCell cells[M_N_COLUMNS] = {
        [M_NAME] = PW_CELL_TEXT (_("All printers")),
        [M_COUNTER] = PW_CELL_TEXT (pw_counter_name_get_label (total->name)),
        [M_KEY] = PW_CELL_TEXT (total->name),
        [M_PAGES] = PW_CELL_INT (total->pages),
        [M_PER_DAY] = per_day_cell (total->pages, period_days),
        [M_READS] = PW_CELL_INT (total->n_reads),
        [M_RESET] = PW_CELL_BOOL (total->resets > 0),
      };

      _pw_report_row (ctx, cells);
    }
}

/* The chart's bars: one per day, or per several when the period is long. */
static void
write_chart (PwReportContext *ctx,
             MeterWalk       *walk)
{
  guint n = walk->day_starts->len;
  guint group = (n + CHART_MAX_BARS - 1) / CHART_MAX_BARS;
  g_autoptr(GArray) starts = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr(GArray) pages = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autofree char *title = NULL;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i += group)
    {
      gint64 sum = 0;

      for (guint j = i; j < MIN (i + group, n); j++)
        sum += g_array_index (walk->day_pages, gint64, j);
      g_array_append_val (starts, g_array_index (walk->day_starts, gint64, i));
      g_array_append_val (pages, sum);
    }
  title = group == 1 ? g_strdup (_("Pages per day, all printers (total counter)"))
                     : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Pages per %u day, all printers (total counter)",
                                                     "Pages per %u days, all printers (total counter)", group),
                                        group);
  _pw_report_chart_days (ctx, title, (const gint64 *) starts->data, (const gint64 *) pages->data,
                         starts->len);
}

static void
write_html_summary (PwReportContext *ctx,
                    MeterWalk       *walk,
                    GPtrArray       *totals,
                    double           period_days)
{
  guint resets = 0;

  write_chart (ctx, walk);
  _pw_report_begin_table (ctx, _("Fleet totals"), total_columns, T_N_COLUMNS);
  for (guint i = 0; i < totals->len; i++)
    {
      const MeterTotal *total = totals->pdata[i];
      PwReportCell cells[T_N_COLUMNS] = {
        [T_COUNTER] = PW_CELL_TEXT (pw_counter_name_get_label (total->name)),
        [T_DEVICES] = PW_CELL_INT (total->devices),
        [T_PAGES] = PW_CELL_INT (total->pages),
        [T_PER_DAY] = per_day_cell (total->pages, period_days),
        [T_RESETS] = PW_CELL_INT (total->resets),
      };

      if (total->resets > 0)
        cells[T_RESETS].mark = PW_REPORT_MARK_BAD;
      resets += total->resets;
      _pw_report_row (ctx, cells);
    }
  _pw_report_end_table (ctx);
  if (resets > 0)
    {
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u counter went back during the period "
                                                            "(marked below): its pages across that step are "
                                                            "not counted.",
                                                            "%u counters went back during the period (marked "
                                                            "below): their pages across that step are not "
                                                            "counted.", resets), resets);

      _pw_report_html_note (ctx, note);
    }
}

gboolean
_pw_report_write_meters (PwReportContext *ctx)
{
  g_autoptr(GHashTable) infos = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  GStringChunk *chunk = g_string_chunk_new (4096);
  MeterWalk walk = {
    .ctx = ctx,
    .chunk = chunk,
    .spans = g_array_new (FALSE, TRUE, sizeof (MeterSpan)),
    .day_starts = g_array_new (FALSE, TRUE, sizeof (gint64)),
    .day_pages = g_array_new (FALSE, TRUE, sizeof (gint64)),
  };
  double period_days = days_between (ctx->from, MIN (ctx->to, ctx->generated_at));
  GError *error = NULL;

  fill_days (&walk, ctx->from, ctx->to);
  infos = _pw_report_device_infos (ctx, chunk);
  if (infos != NULL &&
      !pw_store_foreach_reading (ctx->store, ctx->from, ctx->to, add_reading, &walk, ctx->cancellable, &error))
    _pw_report_take_error (ctx, error);

  if (_pw_report_ok (ctx))
    {
      totals = sum_totals (walk.spans);
      if (_pw_report_is_html (ctx))
        write_html_summary (ctx, &walk, totals, period_days);
      _pw_report_begin_table (ctx, _("Per printer and counter"), meter_columns, M_N_COLUMNS);
      for (guint i = 0; i < walk.spans->len && _pw_report_ok (ctx); i++)
        {
          const MeterSpan *span = &g_array_index (walk.spans, MeterSpan, i);

          write_span (ctx, span, g_hash_table_lookup (infos, &span->device_id));
        }
      if (!_pw_report_is_html (ctx))
        write_total_rows (ctx, totals, period_days);
      _pw_report_end_table (ctx);
    }

  g_array_unref (walk.spans);
  g_array_unref (walk.day_starts);
  g_array_unref (walk.day_pages);
  g_clear_pointer (&infos, g_hash_table_unref);
  g_string_chunk_free (chunk);
  return _pw_report_ok (ctx);
}
