/* pw-report-html.c: reports as one HTML page.
 *
 * One self-contained file: the style inline, no script, nothing fetched
 * (a Content-Security-Policy says so to the browser as well), charts as
 * inline SVG (pw-report-chart.c). It reads on screen and prints on A4:
 * headers repeat on each page, rows do not break. Every string from a
 * printer or the network is cleaned (_pw_report_append_clean()) and
 * escaped, in text and attributes alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* U+202F NARROW NO-BREAK SPACE groups digits in both languages (ISO 80000-1). */
#define DIGIT_GROUP "\xe2\x80\xaf"

static const char STYLE[] =
  ":root{color-scheme:light}"
  "body{font:13px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
  "color:#1c1c1c;background:#fff;margin:24px}"
  "h1{font-size:22px;margin:0 0 6px}"
  "h2{font-size:16px;margin:24px 0 8px}"
  ".meta{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0 0 16px;color:#333}"
  ".meta dt{font-weight:600}.meta dd{margin:0}"
  "p.note{color:#555;margin:4px 0 8px}"
  "table{border-collapse:collapse;width:100%;font-size:12px}"
  "th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;"
  "overflow-wrap:break-word}"
  "th{background:#eeeeec;position:sticky;top:0}"
  "tbody tr:nth-child(even){background:#fafafa}"
  "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}td.t{white-space:nowrap}"
  "td.warn{background:#fcefc7}td.bad{background:#f8d7d5;font-weight:600}"
  "td.empty{color:#777;font-style:italic}"
  "figure{margin:8px 0 16px}figcaption{font-weight:600;margin-bottom:4px}"
  "svg{display:block;max-width:100%;height:auto}"
  "svg text{font-size:11px;fill:#333}svg .grid{stroke:#ddd}svg .bar{fill:#3465a4}"
  "svg .track{fill:#eeeeec}"
  "footer{margin-top:24px;color:#777;font-size:11px}"
  "@page{size:A4 landscape;margin:12mm}"
  "@media print{body{margin:0;font-size:10px}table{font-size:9px}th{position:static}"
  "thead{display:table-header-group}tr,figure{break-inside:avoid}h2{break-after:avoid}}";

/* A run of characters without a space longer than this gets a <wbr> (a
 * place to break the line), so one long word from a printer cannot push a
 * table off the page. */
#define BREAK_AFTER_CHARS 20

static void
escape_clean (GString    *out,
              const char *clean,
              gboolean    breakable)
{
  guint run = 0;

  for (const char *p = clean; *p != '\0'; p++)
    {
      if (breakable && ((guchar) *p & 0xc0) != 0x80)  /* the first byte of a character */
        {
          run = *p == ' ' ? 0 : run + 1;
          if (run > BREAK_AFTER_CHARS)
            {
              g_string_append (out, "<wbr>");
              run = 1;
            }
        }
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

/* Text made safe, then escaped for text and quoted attribute values alike. */
void
_pw_report_html_escape (GString    *out,
                        const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);

  _pw_report_append_clean (clean, text, FALSE);
  escape_clean (out, clean->str, FALSE);
}

/* The same in a table cell, with places to break long words. */
static void
escape_breakable (GString    *out,
                  const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);

  _pw_report_append_clean (clean, text, FALSE);
  escape_clean (out, clean->str, TRUE);
}

static void
append_escaped (PwReportContext *ctx,
                const char      *text)
{
  g_autoptr(GString) escaped = g_string_new (NULL);

  _pw_report_html_escape (escaped, text);
  _pw_report_append (ctx, escaped->str);
}

static void
append_grouped (GString *out,
                gint64   value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  const char *p = digits;
  gsize n;

  if (*p == '-')
    g_string_append_c (out, *p++);
  n = strlen (p);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, DIGIT_GROUP);
      g_string_append_c (out, p[i]);
    }
}

/* The language of the report's words, for <html lang>; "en" unless the
 * translation names a plausible tag. */
static const char *
page_language (void)
{
  /* TRANSLATORS: the language tag of this translation (BCP 47), e.g. "de"; it goes into reports */
  const char *lang = C_("language tag", "en");

  for (const char *p = lang; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return "en";
  return lang[0] != '\0' && strlen (lang) < 16 ? lang : "en";
}

static void
append_meta (PwReportContext *ctx,
             const char      *term,
             const char      *value)
{
  _pw_report_append (ctx, "<dt>");
  append_escaped (ctx, term);
  _pw_report_append (ctx, "</dt><dd>");
  append_escaped (ctx, value);
  _pw_report_append (ctx, "</dd>");
}

void
_pw_report_html_begin (PwReportContext *ctx,
                       const char      *title)
{
  g_autofree char *period = _pw_report_format_period (ctx);
  g_autofree char *generated = _pw_report_format_time (ctx->generated_at, "%Y-%m-%d %H:%M");
  g_autofree char *full_title = ctx->site_name != NULL ? g_strdup_printf ("%s – %s", title, ctx->site_name)
                                                       : g_strdup (title);

  _pw_report_printf (ctx,
                     "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" "
                     "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"Printwatch %s\">\n<title>",
                     page_language (), PACKAGE_VERSION);
  append_escaped (ctx, full_title);
  _pw_report_printf (ctx, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", STYLE);
  append_escaped (ctx, title);
  _pw_report_append (ctx, "</h1>\n<dl class=\"meta\">");
  append_meta (ctx, _("Site name"), ctx->site_name != NULL ? ctx->site_name : _("not set"));
  append_meta (ctx, _("Period"), period);
  append_meta (ctx, _("Generated"), generated != NULL ? generated : "");
  append_meta (ctx, _("Printwatch version"), PACKAGE_VERSION);
  _pw_report_append (ctx, "</dl>\n</header>\n<main>\n");
}

void
_pw_report_html_end (PwReportContext *ctx)
{
  g_autofree char *generated = _pw_report_format_time (ctx->generated_at, "%Y-%m-%d %H:%M");
  /* TRANSLATORS: the foot of a report: the program's version and when the report was made */
  g_autofree char *foot = g_strdup_printf (_("Printwatch %s, %s"), PACKAGE_VERSION,
                                           generated != NULL ? generated : "");

  _pw_report_append (ctx, "</main>\n<footer><p>");
  append_escaped (ctx, foot);
  _pw_report_append (ctx, "</p></footer>\n</body>\n</html>\n");
}

void
_pw_report_html_heading (PwReportContext *ctx,
                         const char      *text)
{
  _pw_report_append (ctx, "<h2>");
  append_escaped (ctx, text);
  _pw_report_append (ctx, "</h2>\n");
}

void
_pw_report_html_note (PwReportContext *ctx,
                      const char      *text)
{
  _pw_report_append (ctx, "<p class=\"note\">");
  append_escaped (ctx, text);
  _pw_report_append (ctx, "</p>\n");
}

void
_pw_report_html_table_begin (PwReportContext *ctx,
                             const char      *title)
{
  _pw_report_append (ctx, "<section>\n");
  if (title != NULL)
    _pw_report_html_heading (ctx, title);
  _pw_report_append (ctx, "<table>\n<thead><tr>");
  for (guint i = 0; i < ctx->n_columns; i++)
    if (ctx->columns[i].formats & PW_REPORT_IN_HTML)
      {
        _pw_report_append (ctx, "<th>");
        append_escaped (ctx, _(ctx->columns[i].header));
        _pw_report_append (ctx, "</th>");
      }
  _pw_report_append (ctx, "</tr></thead>\n<tbody>\n");
}

/* The cell's text as HTML (escaped where it comes from outside). */
void
_pw_report_html_append_cell_text (PwReportContext    *ctx,
                                  GString            *out,
                                  const PwReportCell *cell)
{
  g_autofree char *text = NULL;

  switch (cell->type)
    {
    case PW_REPORT_CELL_TEXT:
      escape_breakable (out, cell->text);
      break;
    case PW_REPORT_CELL_INT:
      append_grouped (out, cell->number);
      break;
    case PW_REPORT_CELL_PERCENT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT "%%", cell->number);
      break;
    case PW_REPORT_CELL_DECIMAL:
      _pw_report_append_decimal (out, cell->decimal, ctx->options.decimal);
      break;
    case PW_REPORT_CELL_TIME:
      text = _pw_report_format_time (cell->number, "%Y-%m-%d %H:%M");
      g_string_append (out, text != NULL ? text : "");
      break;
    case PW_REPORT_CELL_DATE:
      text = _pw_report_format_time (cell->number, "%Y-%m-%d");
      g_string_append (out, text != NULL ? text : "");
      break;
    case PW_REPORT_CELL_BOOL:
      _pw_report_html_escape (out, cell->number ? _("yes") : _("no"));
      break;
    case PW_REPORT_CELL_NONE:
    default:
      break;
    }
}

void
_pw_report_html_row (PwReportContext    *ctx,
                     const PwReportCell *cells)
{
  g_autoptr(GString) line = g_string_new ("<tr>");

  for (guint i = 0; i < ctx->n_columns; i++)
    {
      const PwReportCell *cell = &cells[i];
      const char *kind = cell->type == PW_REPORT_CELL_INT || cell->type == PW_REPORT_CELL_DECIMAL ||
                         cell->type == PW_REPORT_CELL_PERCENT ? "n"
                       : cell->type == PW_REPORT_CELL_TIME || cell->type == PW_REPORT_CELL_DATE ? "t" : NULL;
      const char *mark = cell->mark == PW_REPORT_MARK_BAD ? "bad"
                       : cell->mark == PW_REPORT_MARK_WARN ? "warn" : NULL;

      if (!(ctx->columns[i].formats & PW_REPORT_IN_HTML))
        continue;
      if (kind != NULL || mark != NULL)
        g_string_append_printf (line, "<td class=\"%s%s%s\">", kind != NULL ? kind : "",
                                kind != NULL && mark != NULL ? " " : "", mark != NULL ? mark : "");
      else
        g_string_append (line, "<td>");
      _pw_report_html_append_cell_text (ctx, line, cell);
      g_string_append (line, "</td>");
    }
  g_string_append (line, "</tr>\n");
  _pw_report_append (ctx, line->str);
}

void
_pw_report_html_table_end (PwReportContext *ctx)
{
  if (ctx->n_rows == 0)
    {
      guint shown = 0;

      for (guint i = 0; i < ctx->n_columns; i++)
        if (ctx->columns[i].formats & PW_REPORT_IN_HTML)
          shown++;
      _pw_report_printf (ctx, "<tr><td class=\"empty\" colspan=\"%u\">", MAX (shown, 1));
      append_escaped (ctx, _("Nothing to report."));
      _pw_report_append (ctx, "</td></tr>\n");
    }
  _pw_report_append (ctx, "</tbody>\n</table>\n</section>\n");
}
