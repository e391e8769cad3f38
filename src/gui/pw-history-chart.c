/* pw-history-chart.c: pages per day, as bars.
 *
 * One bar per day of PwDailyPages (pw_history_load_pages_async ()); a day
 * the readings say nothing about has no bar, a day of no pages a flat one.
 * The largest day and the first and last dates label the axes; hovering a
 * bar tells its day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-history-chart"

#include "config.h"

#include "pw-history-chart.h"
#include "printwatch-core.h"

#include <glib/gi18n.h>

#define AXIS_HEIGHT 18.0  /* room for the dates under the bars */
#define TOP_MARGIN  18.0  /* room for the largest day's count */

struct _PwHistoryChart
{
  GtkDrawingArea  parent_instance;

  GArray         *days;  /* owned, of PwDailyPages, or NULL */
};

G_DEFINE_FINAL_TYPE (PwHistoryChart, pw_history_chart, GTK_TYPE_DRAWING_AREA)

static gint64
largest_day (GArray *days)
{
  gint64 largest = 0;

  for (guint i = 0; days != NULL && i < days->len; i++)
    largest = MAX (largest, g_array_index (days, PwDailyPages, i).pages);
  return largest;
}

static char *
format_day (gint64 day)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (day);

  /* TRANSLATORS: a day on the chart's axis, strftime format: "25 Nov" */
  return local != NULL ? g_date_time_format (local, C_("chart day", "%e %b")) : g_strdup ("");
}

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      xalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * xalign, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (GtkDrawingArea *area,
      cairo_t        *cr,
      int             width,
      int             height,
      gpointer        user_data)
{
  PwHistoryChart *self = PW_HISTORY_CHART (area);
  GtkWidget *widget = GTK_WIDGET (area);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GdkRGBA fg, accent;
  gint64 largest = largest_day (self->days);
  double plot = height - AXIS_HEIGHT - TOP_MARGIN;
  double slot;

  if (self->days == NULL || self->days->len == 0 || plot <= 0)
    return;
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = fg;

  /* The baseline. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.3);
  cairo_rectangle (cr, 0, TOP_MARGIN + plot, width, 1);
  cairo_fill (cr);

  slot = (double) width / self->days->len;
  gdk_cairo_set_source_rgba (cr, &accent);
  for (guint i = 0; i < self->days->len; i++)
    {
      const PwDailyPages *day = &g_array_index (self->days, PwDailyPages, i);
      double bar;

      if (day->pages < 0)
        continue;
      bar = largest > 0 ? plot * (double) day->pages / (double) largest : 0;
      cairo_rectangle (cr, i * slot + slot * 0.15, TOP_MARGIN + plot - MAX (bar, 1), MAX (slot * 0.7, 1),
                       MAX (bar, 1));
    }
  cairo_fill (cr);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.7);
  if (largest > 0)
    {
      g_autofree char *top = NULL;

      /* TRANSLATORS: the largest day on the pages-per-day chart */
      top = g_strdup_printf (ngettext ("%'lld page", "%'lld pages", (gulong) largest), (long long) largest);
      draw_text (widget, cr, top, 0, 0, 0);
    }
  {
    g_autofree char *first = format_day (g_array_index (self->days, PwDailyPages, 0).day);
    g_autofree char *last = format_day (g_array_index (self->days, PwDailyPages, self->days->len - 1).day);

    draw_text (widget, cr, first, 0, TOP_MARGIN + plot + 2, 0);
    draw_text (widget, cr, last, width, TOP_MARGIN + plot + 2, 1);
  }
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  PwHistoryChart *self = PW_HISTORY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  const PwDailyPages *day;
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;
  guint index;

  if (self->days == NULL || self->days->len == 0 || width <= 0 || x < 0 || x >= width)
    return FALSE;
  index = (guint) ((double) x * self->days->len / width);
  day = &g_array_index (self->days, PwDailyPages, MIN (index, self->days->len - 1));
  date = format_day (day->day);
  if (day->pages < 0)
    /* TRANSLATORS: a day on the chart with no readings to count pages from */
    text = g_strdup_printf (_("%s: no readings"), date);
  else
    /* TRANSLATORS: a day on the chart and the pages printed that day */
    text = g_strdup_printf (ngettext ("%s: %'lld page", "%s: %'lld pages", (gulong) day->pages), date,
                            (long long) day->pages);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
pw_history_chart_finalize (GObject *object)
{
  PwHistoryChart *self = PW_HISTORY_CHART (object);

  g_clear_pointer (&self->days, g_array_unref);

  G_OBJECT_CLASS (pw_history_chart_parent_class)->finalize (object);
}

static void
pw_history_chart_class_init (PwHistoryChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_history_chart_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "historychart");
}

static void
pw_history_chart_init (PwHistoryChart *self)
{
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 160);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

GtkWidget *
pw_history_chart_new (void)
{
  return g_object_new (PW_TYPE_HISTORY_CHART, NULL);
}

/**
 * pw_history_chart_set_days:
 * @days: (nullable) (element-type PwDailyPages): the days, oldest first;
 *   %NULL for an empty chart
 */
void
pw_history_chart_set_days (PwHistoryChart *self,
                           GArray         *days)
{
  g_return_if_fail (PW_IS_HISTORY_CHART (self));

  if (days != NULL)
    g_array_ref (days);
  g_clear_pointer (&self->days, g_array_unref);
  self->days = days;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * pw_history_chart_get_days:
 *
 * Returns: (transfer none) (nullable) (element-type PwDailyPages): what the chart shows
 */
GArray *
pw_history_chart_get_days (PwHistoryChart *self)
{
  g_return_val_if_fail (PW_IS_HISTORY_CHART (self), NULL);
  return self->days;
}
