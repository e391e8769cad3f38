/* pw-report-supplies.c: every supply, the most urgent first.
 *
 * Levels are the latest poll's. The days left come from the period's
 * history: a straight line fitted (least squares) through the supply's
 * levels in percent since it was last refilled (a rise of more than
 * REFILL_POINTS), when there are at least MIN_POINTS of them spanning
 * MIN_SPAN_DAYS and the line falls. For a receptacle, a waste toner box,
 * RFC 3805 reports the room left, so the same line tells when it is full.
 * An estimate beyond MAX_DAYS is no estimate.
 *
 * Urgency: empty first, then those at LOW_PERCENT or less, then by days
 * left (soonest first), then the rest by level (lowest first), then those
 * whose level the printer does not tell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"
#include "pw-mib-names.h"

#include <glib/gi18n-lib.h>

#define REFILL_POINTS  10
#define MIN_POINTS      3
#define MIN_SPAN_DAYS   2.0
#define MAX_DAYS     3650.0
#define LOW_PERCENT    10
#define CHART_BARS     20   /* the most urgent supplies in the chart */

/* A running least-squares fit of one supply's percent over time (in days). */
typedef struct {
  gint    index;
  guint   n;
  double  sum_t, sum_p, sum_tt, sum_tp;
  double  first_t, last_t;
  int     last_percent;
} SupplyFit;

typedef struct {
  PwReportContext *ctx;
  GHashTable      *fits;       /* gint64 device id -> GArray of SupplyFit */
  GArray          *current;    /* the current device's, owned by fits */
  gint64           device_id;
} FitWalk;

typedef struct {
  gint64      device_id;
  const char *label;        /* in the chunk */
  const char *address;      /* in the chunk */
  const char *description;  /* in the chunk; nullable */
  const char *colour;       /* in the chunk; nullable */
  gint        index;
  gint        type;
  gint        unit;
  gint64      level;
  gint64      max_capacity;
  int         percent;      /* -1 unknown */
  double      per_day;      /* percentage points a day, or -1 */
  double      days_left;    /* from the report's time, or -1 */
  gint64      empty_at;     /* 0 unknown */
  guint       n_points;
  int         urgency;      /* 0 most urgent */
} SupplyRow;

typedef struct {
  PwReportContext *ctx;
  GHashTable      *fits;
  GStringChunk    *chunk;
  GArray          *rows;       /* of SupplyRow */
} RowWalk;

enum {
  S_ID, S_NAME, S_ADDRESS, S_SUPPLY, S_TYPE, S_TYPE_KEY, S_COLOUR, S_LEVEL, S_CAPACITY, S_UNIT,
  S_PERCENT, S_PER_DAY, S_DAYS_LEFT, S_EMPTY_BY, S_POINTS, S_N_COLUMNS
};

static const PwReportColumn supply_columns[S_N_COLUMNS] = {
  { N_("Device ID"), PW_REPORT_IN_CSV },
  { N_("Name"), PW_REPORT_IN_BOTH },
  { N_("Address"), PW_REPORT_IN_BOTH },
  { N_("Supply"), PW_REPORT_IN_BOTH },
  { N_("Type"), PW_REPORT_IN_BOTH },
  { N_("Type key"), PW_REPORT_IN_CSV },
  { N_("Colour"), PW_REPORT_IN_BOTH },
  { N_("Level"), PW_REPORT_IN_CSV },
  { N_("Capacity"), PW_REPORT_IN_CSV },
  { N_("Unit"), PW_REPORT_IN_CSV },
  { N_("Level (%)"), PW_REPORT_IN_BOTH },
  { N_("Used per day (%)"), PW_REPORT_IN_BOTH },
  { N_("Days left"), PW_REPORT_IN_BOTH },
  { N_("Empty by"), PW_REPORT_IN_BOTH },
  { N_("Levels in the estimate"), PW_REPORT_IN_CSV },
};

static void
fit_add (SupplyFit *fit,
         double     t,
         int        percent)
{
  /* A rise of more than REFILL_POINTS is a new cartridge: its history starts here. */
  if (fit->n > 0 && percent > fit->last_percent + REFILL_POINTS)
    *fit = (SupplyFit) { .index = fit->index };
  if (fit->n == 0)
    fit->first_t = t;
  fit->n++;
  fit->sum_t += t;
  fit->sum_p += percent;
  fit->sum_tt += t * t;
  fit->sum_tp += t * percent;
  fit->last_t = t;
  fit->last_percent = percent;
}

/* Percentage points a day (negative: falling), or 0 when the fit cannot tell. */
static double
fit_slope (const SupplyFit *fit)
{
  double denominator = fit->n * fit->sum_tt - fit->sum_t * fit->sum_t;

  if (fit->n < MIN_POINTS || fit->last_t - fit->first_t < MIN_SPAN_DAYS || denominator <= 0)
    return 0;
  return (fit->n * fit->sum_tp - fit->sum_t * fit->sum_p) / denominator;
}

static gboolean
add_level (const PwStoreSupplyLevel  *level,
           gpointer                   user_data,
           GError                   **error)
{
  FitWalk *walk = user_data;
  PwSupply supply = { .level = level->level, .max_capacity = level->max_capacity };
  int percent = pw_supply_get_percent (&supply);
  SupplyFit *fit = NULL;
  double t;

  if (percent < 0)
    return TRUE;
  if (level->device_id != walk->device_id || walk->current == NULL)
    {
      walk->device_id = level->device_id;
      walk->current = g_array_new (FALSE, TRUE, sizeof (SupplyFit));
      g_hash_table_insert (walk->fits, g_memdup2 (&level->device_id, sizeof level->device_id), walk->current);
    }
  for (guint i = 0; i < walk->current->len && fit == NULL; i++)
    if (g_array_index (walk->current, SupplyFit, i).index == level->index)
      fit = &g_array_index (walk->current, SupplyFit, i);
  if (fit == NULL)
    {
      SupplyFit fresh = { .index = level->index };

      g_array_append_val (walk->current, fresh);
      fit = &g_array_index (walk->current, SupplyFit, walk->current->len - 1);
    }
  t = (double) (level->taken_at - walk->ctx->from) / 86400.0;
  fit_add (fit, t, percent);
  return TRUE;
}

static const SupplyFit *
find_fit (GHashTable *fits,
          gint64      device_id,
          gint        index)
{
  GArray *array = g_hash_table_lookup (fits, &device_id);

  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_array_index (array, SupplyFit, i).index == index)
      return &g_array_index (array, SupplyFit, i);
  return NULL;
}

static int
urgency (const SupplyRow *row)
{
  if (row->percent == 0)
    return 0;
  if (row->percent > 0 && row->percent <= LOW_PERCENT)
    return 1;
  if (row->days_left >= 0)
    return 2;
  if (row->percent > 0)
    return 3;
  return 4;
}

/* The days left for @row from its history, if the history tells. */
static void
estimate (PwReportContext *ctx,
          SupplyRow       *row,
          const SupplyFit *fit,
          gint64           taken_at)
{
  double slope, days;

  row->per_day = row->days_left = -1;
  if (fit == NULL || row->percent < 0 || row->percent > fit->last_percent + REFILL_POINTS)
    return;
  row->n_points = fit->n;
  slope = fit_slope (fit);
  if (slope >= 0)
    return;
  row->per_day = -slope;
  days = row->percent / -slope;
  if (days > MAX_DAYS)
    return;
  row->empty_at = taken_at + (gint64) (days * 86400.0);
  row->days_left = MAX (0.0, (double) (row->empty_at - ctx->generated_at) / 86400.0);
}

static gboolean
add_rows (PwDevice  *device,
          gpointer   user_data,
          GError   **error)
{
  RowWalk *walk = user_data;
  PwSnapshot *latest = pw_device_get_latest (device);
  GPtrArray *supplies = latest != NULL ? pw_snapshot_get_supplies (latest) : NULL;
  g_autofree char *address = pw_device_dup_address (device);

  for (guint i = 0; supplies != NULL && i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      SupplyRow row = {
        .device_id = pw_device_get_id (device),
        .label = g_string_chunk_insert_const (walk->chunk, _pw_report_device_label (device)),
        .address = g_string_chunk_insert_const (walk->chunk, address),
        .description = supply->description != NULL ? g_string_chunk_insert (walk->chunk, supply->description)
                                                   : NULL,
        .colour = supply->colour != NULL ? g_string_chunk_insert_const (walk->chunk, supply->colour) : NULL,
        .index = supply->index,
        .type = supply->type,
        .unit = supply->unit,
        .level = supply->level,
        .max_capacity = supply->max_capacity,
        .percent = pw_supply_get_percent (supply),
      };

      estimate (walk->ctx, &row, find_fit (walk->fits, row.device_id, supply->index),
                pw_snapshot_get_taken_at (latest));
      row.urgency = urgency (&row);
      g_array_append_val (walk->rows, row);
    }
  return _pw_report_walk_on (walk->ctx, error);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const SupplyRow *x = a, *y = b;

  if (x->urgency != y->urgency)
    return x->urgency < y->urgency ? -1 : 1;
  if (x->urgency == 2 && x->days_left != y->days_left)
    return x->days_left < y->days_left ? -1 : 1;
  if (x->percent != y->percent)
    return x->percent < y->percent ? -1 : 1;
  if (x->device_id != y->device_id)
    return x->device_id < y->device_id ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static const char *
supply_name (const SupplyRow *row)
{
  return row->description != NULL && row->description[0] != '\0' ? row->description
                                                                  : pw_mib_supply_type_label (row->type);
}

static char *
describe_days (double days)
{
  gulong n = (gulong) days;

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu day left", "%lu days left", n), n);
}

static void
write_chart (PwReportContext *ctx,
             GArray          *rows)
{
  g_autoptr(GArray) bars = g_array_new (FALSE, TRUE, sizeof (PwReportLevelBar));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < rows->len && bars->len < CHART_BARS; i++)
    {
      const SupplyRow *row = &g_array_index (rows, SupplyRow, i);
      PwReportLevelBar bar = { .colour = row->colour, .percent = row->percent };
      char *label;

      if (row->percent < 0)
        continue;
      /* TRANSLATORS: a printer and one of its supplies, e.g. "Reception – Black Toner" */
      label = g_strdup_printf (C_("supply of printer", "%s – %s"), row->label, supply_name (row));
      g_ptr_array_add (strings, label);
      bar.label = label;
      if (row->days_left >= 0)
        {
          bar.note = describe_days (row->days_left);
          g_ptr_array_add (strings, (char *) bar.note);
        }
      g_array_append_val (bars, bar);
    }
  _pw_report_chart_levels (ctx, _("Most urgent supplies"), (const PwReportLevelBar *) bars->data, bars->len);
}

static PwReportMark
level_mark (const SupplyRow *row)
{
  if (row->percent == 0)
    return PW_REPORT_MARK_BAD;
  return row->percent > 0 && row->percent <= LOW_PERCENT ? PW_REPORT_MARK_WARN : PW_REPORT_MARK_NONE;
}

static void
write_row (PwReportContext *ctx,
           const SupplyRow *row)
{
  /* RFC 3805 prtMarkerSuppliesLevel: -3 means some remains, -2 unknown, -1 other. */
  const char *level_words = row->level == -3 ? _("some left") : _("unknown");
  PwReportCell cells[S_N_COLUMNS] = {
    [S_ID] = PW_CELL_INT (row->device_id),
    [S_NAME] = PW_CELL_TEXT (row->label),
    [S_ADDRESS] = PW_CELL_TEXT (row->address),
    [S_SUPPLY] = PW_CELL_TEXT (supply_name (row)),
    [S_TYPE] = PW_CELL_TEXT (pw_mib_supply_type_label (row->type)),
    [S_TYPE_KEY] = PW_CELL_TEXT (pw_mib_supply_type_nick (row->type)),
    [S_COLOUR] = PW_CELL_TEXT (row->colour),
    [S_LEVEL] = row->level >= 0 ? PW_CELL_INT (row->level) : PW_CELL_NONE,
    [S_CAPACITY] = row->max_capacity > 0 ? PW_CELL_INT (row->max_capacity) : PW_CELL_NONE,
    [S_UNIT] = PW_CELL_TEXT (pw_mib_supply_unit_label (row->unit)),
    [S_PERCENT] = row->percent >= 0 ? PW_CELL_PERCENT (row->percent) : PW_CELL_TEXT (level_words),
    [S_PER_DAY] = row->per_day >= 0 ? PW_CELL_DECIMAL (row->per_day) : PW_CELL_NONE,
    [S_DAYS_LEFT] = row->days_left >= 0 ? PW_CELL_INT ((gint64) row->days_left) : PW_CELL_NONE,
    [S_EMPTY_BY] = row->empty_at > 0 ? PW_CELL_DATE (row->empty_at) : PW_CELL_NONE,
    [S_POINTS] = row->n_points > 0 ? PW_CELL_INT (row->n_points) : PW_CELL_NONE,
  };

  cells[S_PERCENT].mark = level_mark (row);
  if (row->days_left >= 0)
    cells[S_DAYS_LEFT].mark = row->days_left <= 7 ? PW_REPORT_MARK_BAD
                            : row->days_left <= 30 ? PW_REPORT_MARK_WARN : PW_REPORT_MARK_NONE;
  _pw_report_row (ctx, cells);
}

gboolean
_pw_report_write_supplies (PwReportContext *ctx)
{
  g_autoptr(GHashTable) fits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify) g_array_unref);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (SupplyRow));
  GStringChunk *chunk = g_string_chunk_new (4096);
  FitWalk fit_walk = { ctx, fits, NULL, 0 };
  RowWalk row_walk = { ctx, fits, chunk, rows };
  GError *error = NULL;

  if (!pw_store_foreach_supply_level (ctx->store, ctx->from, ctx->to, add_level, &fit_walk, ctx->cancellable,
                                      &error) ||
      !pw_store_foreach_device (ctx->store, add_rows, &row_walk, ctx->cancellable, &error))
    _pw_report_take_error (ctx, error);

  if (_pw_report_ok (ctx))
    {
      g_array_sort (rows, compare_rows);
      if (_pw_report_is_html (ctx))
        {
          _pw_report_html_note (ctx, _("Levels as last polled. The days left follow the levels of the "
                                       "period since the last refill, where there are enough of them."));
          write_chart (ctx, rows);
        }
      _pw_report_begin_table (ctx, _("All supplies, most urgent first"), supply_columns, S_N_COLUMNS);
      for (guint i = 0; i < rows->len && _pw_report_ok (ctx); i++)
        write_row (ctx, &g_array_index (rows, SupplyRow, i));
      _pw_report_end_table (ctx);
    }
  g_string_chunk_free (chunk);
  return _pw_report_ok (ctx);
}
