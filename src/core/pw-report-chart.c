/* pw-report-chart.c: charts in HTML reports, as inline SVG.
 *
 * Drawn with a few rectangles, lines and words: no script, no font or
 * image to fetch. Coordinates are written in the C locale (a decimal comma
 * would break them); every label from a printer is cleaned and escaped as
 * in a table cell, and a colorant's name only picks one of our colours,
 * never goes into the page itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define DAYS_WIDTH   960
#define DAYS_HEIGHT  240
#define PLOT_LEFT     64
#define PLOT_RIGHT    12
#define PLOT_TOP      10
#define PLOT_BOTTOM   28
#define DAYS_LABELS    8   /* dates under the bars, at most */

#define LEVELS_WIDTH 960
#define LEVEL_ROW     22
#define LEVEL_LABEL  400   /* where the bars start */
#define LEVEL_BAR    420   /* a full bar's width */
#define LABEL_CHARS   60   /* longest label, in characters */

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.1f", value));
}

/* 1, 2 or 5 times a power of ten, at least @value and at least 1. */
static gint64
nice_ceiling (gint64 value)
{
  static const gint64 steps[] = { 1, 2, 5, 10 };
  gint64 power = 1;

  while (power <= G_MAXINT64 / 10 && power * 10 <= value)
    power *= 10;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (power <= G_MAXINT64 / steps[i] && steps[i] * power >= value)
      return steps[i] * power;
  return MAX (value, 1);
}

static void
open_figure (GString    *out,
             const char *title,
             guint       width,
             guint       height)
{
  g_string_append (out, "<figure>\n<figcaption>");
  _pw_report_html_escape (out, title);
  g_string_append_printf (out, "</figcaption>\n<svg viewBox=\"0 0 %u %u\" width=\"%u\" height=\"%u\" "
                               "role=\"img\" aria-label=\"", width, height, width, height);
  _pw_report_html_escape (out, title);
  g_string_append (out, "\">\n");
}

static void
append_text (GString    *out,
             double      x,
             double      y,
             const char *anchor,
             const char *text)
{
  g_string_append (out, "<text x=\"");
  append_number (out, x);
  g_string_append (out, "\" y=\"");
  append_number (out, y);
  g_string_append_printf (out, "\" text-anchor=\"%s\">", anchor);
  _pw_report_html_escape (out, text);
  g_string_append (out, "</text>\n");
}

static char *
format_int (PwReportContext *ctx,
            gint64           value)
{
  PwReportCell cell = PW_CELL_INT (value);
  GString *text = g_string_new (NULL);

  _pw_report_html_append_cell_text (ctx, text, &cell);
  return g_string_free (text, FALSE);
}

/**
 * _pw_report_chart_days:
 * @starts: when each bar's span begins (unix seconds)
 * @values: each bar's value, 0 or more
 *
 * A bar chart over time: pages per day.
 */
void
_pw_report_chart_days (PwReportContext *ctx,
                       const char      *title,
                       const gint64    *starts,
                       const gint64    *values,
                       guint            n)
{
  g_autoptr(GString) svg = g_string_new (NULL);
  double plot_w = DAYS_WIDTH - PLOT_LEFT - PLOT_RIGHT;
  double plot_h = DAYS_HEIGHT - PLOT_TOP - PLOT_BOTTOM;
  double slot, bar;
  guint label_step;
  gint64 max = 0, top;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  top = nice_ceiling (max);
  slot = plot_w / n;
  bar = MAX (slot * 0.8, 0.5);
  label_step = (n + DAYS_LABELS - 1) / DAYS_LABELS;

  open_figure (svg, title, DAYS_WIDTH, DAYS_HEIGHT);
  for (guint k = 0; k <= 4; k++)
    {
      double y = PLOT_TOP + plot_h - plot_h * k / 4.0;
      g_autofree char *label = format_int (ctx, (gint64) ((double) top * k / 4.0 + 0.5));

      g_string_append_printf (svg, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"", PLOT_LEFT,
                              DAYS_WIDTH - PLOT_RIGHT);
      append_number (svg, y);
      g_string_append (svg, "\" y2=\"");
      append_number (svg, y);
      g_string_append (svg, "\"/>\n");
      append_text (svg, PLOT_LEFT - 6, y + 4, "end", label);
    }
  for (guint i = 0; i < n; i++)
    {
      double h = plot_h * (double) values[i] / (double) top;
      double x = PLOT_LEFT + i * slot + (slot - bar) / 2;
      g_autofree char *day = _pw_report_format_time (starts[i], "%Y-%m-%d");
      g_autofree char *value = format_int (ctx, values[i]);
      g_autofree char *tip = g_strdup_printf ("%s: %s", day != NULL ? day : "", value);

      g_string_append (svg, "<rect class=\"bar\" x=\"");
      append_number (svg, x);
      g_string_append (svg, "\" y=\"");
      append_number (svg, PLOT_TOP + plot_h - h);
      g_string_append (svg, "\" width=\"");
      append_number (svg, bar);
      g_string_append (svg, "\" height=\"");
      append_number (svg, h);
      g_string_append (svg, "\"><title>");
      _pw_report_html_escape (svg, tip);
      g_string_append (svg, "</title></rect>\n");
      if (i % label_step == 0)
        {
          g_autofree char *label = _pw_report_format_time (starts[i], "%m-%d");

          append_text (svg, PLOT_LEFT + (i + 0.5) * slot, DAYS_HEIGHT - 8, "middle", label);
        }
    }
  g_string_append (svg, "</svg>\n</figure>\n");
  _pw_report_append (ctx, svg->str);
}

/* One of our colours for a colorant's name, whatever the printer wrote. */
static const char *
colour_for (const char *colorant)
{
  static const struct {
    const char *word;
    const char *rgb;
  } colours[] = {
    { "black", "#2e3436" }, { "cyan", "#0093d1" }, { "magenta", "#c0007a" }, { "yellow", "#e8b800" },
  };
  g_autofree char *folded = colorant != NULL ? g_utf8_casefold (colorant, -1) : NULL;

  for (guint i = 0; folded != NULL && i < G_N_ELEMENTS (colours); i++)
    if (strstr (folded, colours[i].word) != NULL)
      return colours[i].rgb;
  return "#75507b";
}

/* At most LABEL_CHARS characters of @text. */
static char *
shorten (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  g_autofree char *cut = NULL;

  if (g_utf8_strlen (valid, -1) <= LABEL_CHARS)
    return g_steal_pointer (&valid);
  cut = g_utf8_substring (valid, 0, LABEL_CHARS - 1);
  return g_strconcat (cut, "…", NULL);
}

/**
 * _pw_report_chart_levels:
 *
 * Horizontal bars: supply levels, one row each.
 */
void
_pw_report_chart_levels (PwReportContext        *ctx,
                         const char             *title,
                         const PwReportLevelBar *bars,
                         guint                   n)
{
  g_autoptr(GString) svg = g_string_new (NULL);
  guint height = n * LEVEL_ROW + 4;

  if (n == 0)
    return;
  open_figure (svg, title, LEVELS_WIDTH, height);
  for (guint i = 0; i < n; i++)
    {
      double y = i * LEVEL_ROW + 2;
      int percent = CLAMP (bars[i].percent, 0, 100);
      g_autofree char *label = shorten (bars[i].label);
      g_autofree char *value = bars[i].note != NULL ? g_strdup_printf ("%d%% · %s", percent, bars[i].note)
                                                    : g_strdup_printf ("%d%%", percent);

      append_text (svg, LEVEL_LABEL - 8, y + 15, "end", label);
      g_string_append_printf (svg, "<rect class=\"track\" x=\"%d\" y=\"", LEVEL_LABEL);
      append_number (svg, y + 4);
      g_string_append_printf (svg, "\" width=\"%d\" height=\"14\"/>\n", LEVEL_BAR);
      g_string_append_printf (svg, "<rect fill=\"%s\" x=\"%d\" y=\"", colour_for (bars[i].colour), LEVEL_LABEL);
      append_number (svg, y + 4);
      g_string_append (svg, "\" width=\"");
      append_number (svg, LEVEL_BAR * percent / 100.0);
      g_string_append (svg, "\" height=\"14\"/>\n");
      append_text (svg, LEVEL_LABEL + LEVEL_BAR + 8, y + 15, "start", value);
    }
  g_string_append (svg, "</svg>\n</figure>\n");
  _pw_report_append (ctx, svg->str);
}
