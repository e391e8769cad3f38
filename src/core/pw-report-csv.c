/* pw-report-csv.c: reports as CSV.
 *
 * RFC 4180: one header row, then one row per record, fields split by the
 * chosen separator (',' or ';' for the spreadsheets of German offices), a
 * field quoted when it holds the separator, a quote, CR or LF, quotes
 * doubled, rows ended by CRLF. UTF-8 with a byte order mark, without which
 * Excel reads UTF-8 as the ANSI code page. The headers are in the user's
 * language, like the rest of the report.
 *
 * Times are ISO 8601 in local time with the offset from UTC
 * ("2026-11-24T14:05:00+01:00"); days "2026-11-24"; yes and no are 1 and 0;
 * decimals carry the chosen mark. Every row ends with the report's site,
 * period, generation time and Printwatch version, so a row copied elsewhere
 * keeps where it came from.
 *
 * A cell whose text would run as a formula in a spreadsheet is neutralised
 * (see _pw_report_csv_neutralise()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define CSV_BOM "\xef\xbb\xbf"
#define CSV_EOL "\r\n"

static gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/**
 * _pw_report_csv_neutralise:
 *
 * Spreadsheets run a cell that starts with = + - or @, or with a tab or CR
 * before one, as a formula (OWASP, "CSV injection"). Such a cell gets an
 * apostrophe in front, which spreadsheets take as "text" and hide. So does
 * a cell that starts with apostrophes followed by one of those characters:
 * removing one apostrophe from each cell that starts with one or more
 * apostrophes and then = + - @ tab or CR gives back the text exactly.
 *
 * Returns: (transfer full): the cell as written
 */
char *
_pw_report_csv_neutralise (const char *cell)
{
  const char *p = cell;

  while (*p == '\'')
    p++;
  if (is_formula_start (*p))
    return g_strconcat ("'", cell, NULL);
  return g_strdup (cell);
}

/* Appends one field, quoted when RFC 4180 says it must be. */
static void
append_field (GString    *out,
              const char *field,
              char        separator)
{
  if (strchr (field, separator) == NULL && strpbrk (field, "\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
format_iso (gint64 unix_time)
{
  return _pw_report_format_time (unix_time, "%Y-%m-%dT%H:%M:%S%:z");
}

/* The text of one cell, before quoting. */
static char *
cell_text (PwReportContext    *ctx,
           const PwReportCell *cell)
{
  switch (cell->type)
    {
    case PW_REPORT_CELL_TEXT:
      {
        g_autoptr(GString) clean = g_string_new (NULL);

        _pw_report_append_clean (clean, cell->text, TRUE);
        return _pw_report_csv_neutralise (clean->str);
      }
    case PW_REPORT_CELL_INT:
    case PW_REPORT_CELL_PERCENT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cell->number);
    case PW_REPORT_CELL_DECIMAL:
      {
        GString *text = g_string_new (NULL);

        _pw_report_append_decimal (text, cell->decimal, ctx->options.decimal);
        return g_string_free (text, FALSE);
      }
    case PW_REPORT_CELL_TIME:
      return format_iso (cell->number);
    case PW_REPORT_CELL_DATE:
      return _pw_report_format_time (cell->number, "%Y-%m-%d");
    case PW_REPORT_CELL_BOOL:
      return g_strdup (cell->number ? "1" : "0");
    case PW_REPORT_CELL_NONE:
    default:
      return NULL;
    }
}

void
_pw_report_csv_begin (PwReportContext *ctx)
{
  const PwReportCell tail[] = {
    PW_CELL_TEXT (ctx->site_name),
    PW_CELL_TIME (ctx->from),
    PW_CELL_TIME (ctx->to),
    PW_CELL_TIME (ctx->generated_at),
    PW_CELL_TEXT (PACKAGE_VERSION),
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
    {
      g_autofree char *field = cell_text (ctx, &tail[i]);

      g_string_append_c (text, ctx->options.separator);
      append_field (text, field != NULL ? field : "", ctx->options.separator);
    }
  ctx->csv_tail = g_string_free (text, FALSE);
  _pw_report_append (ctx, CSV_BOM);
}

void
_pw_report_csv_header (PwReportContext *ctx)
{
  static const char * const tail[] = {
    N_("Site name"), N_("Period start"), N_("Period end"), N_("Generated"), N_("Printwatch version"),
  };
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean first = TRUE;

  for (guint i = 0; i < ctx->n_columns; i++)
    {
      g_autofree char *header = NULL;

      if (!(ctx->columns[i].formats & PW_REPORT_IN_CSV))
        continue;
      if (!first)
        g_string_append_c (line, ctx->options.separator);
      first = FALSE;
      header = _pw_report_csv_neutralise (_(ctx->columns[i].header));
      append_field (line, header, ctx->options.separator);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
    {
      g_string_append_c (line, ctx->options.separator);
      append_field (line, _(tail[i]), ctx->options.separator);
    }
  g_string_append (line, CSV_EOL);
  _pw_report_append (ctx, line->str);
}

void
_pw_report_csv_row (PwReportContext    *ctx,
                    const PwReportCell *cells)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean first = TRUE;

  for (guint i = 0; i < ctx->n_columns; i++)
    {
      g_autofree char *field = NULL;

      if (!(ctx->columns[i].formats & PW_REPORT_IN_CSV))
        continue;
      if (!first)
        g_string_append_c (line, ctx->options.separator);
      first = FALSE;
      field = cell_text (ctx, &cells[i]);
      if (field != NULL)
        append_field (line, field, ctx->options.separator);
    }
  g_string_append (line, ctx->csv_tail);
  g_string_append (line, CSV_EOL);
  _pw_report_append (ctx, line->str);
}
