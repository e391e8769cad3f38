/* pw-report.c: audit reports of the fleet, as CSV or as one HTML page.
 *
 * A report reads the store through a connection of its own, in one read
 * transaction, so it is one state of the database and never holds up the
 * poller; it streams what it writes through a small buffer, so ten
 * thousand printers never become one string. Each kind lives in its own
 * file (pw-report-fleet.c, -meters.c, -supplies.c), each format too
 * (pw-report-csv.c, pw-report-html.c, pw-report-chart.c); threads and
 * files in pw-report-save.c.
 *
 * Text from printers and the network is made safe here, once, for both
 * formats (_pw_report_append_clean()): bytes that are not UTF-8 become
 * U+FFFD, and so do control characters, the bidi embedding, override and
 * isolate marks (Unicode TR 9, a way to forge what a table shows) and
 * noncharacters. CSV keeps tabs and line breaks inside a quoted field (RFC
 * 4180); HTML shows them as spaces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"
#include "pw-enums.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (pw-report-error-quark, pw_report_error)

/**
 * pw_report_options_init:
 *
 * The defaults: the fleet audit as CSV over the last %PW_REPORT_DEFAULT_DAYS
 * days, with the separator and decimal mark the user's language expects in
 * a spreadsheet (German: ';' and ',').
 */
void
pw_report_options_init (PwReportOptions *options)
{
  /* TRANSLATORS: the field separator spreadsheets in your language expect in a CSV file: "," or ";" */
  const char *separator = C_("csv separator", ",");
  /* TRANSLATORS: the decimal mark of your language: "." or "," */
  const char *decimal = C_("decimal mark", ".");

  g_return_if_fail (options != NULL);

  *options = (PwReportOptions) {
    .kind = PW_REPORT_KIND_FLEET,
    .format = PW_REPORT_FORMAT_CSV,
    .separator = g_str_equal (separator, ";") ? ';' : ',',
    .decimal = g_str_equal (decimal, ",") ? ',' : '.',
  };
}

/**
 * pw_report_options_set_period:
 * @now: unix seconds
 *
 * Sets the period of @options to one the export dialog offers, in local
 * time: the last %PW_REPORT_DEFAULT_DAYS days and today; the calendar month
 * before this one; this year so far. %PW_REPORT_PERIOD_CUSTOM changes nothing.
 */
void
pw_report_options_set_period (PwReportOptions *options,
                              PwReportPeriod   period,
                              gint64           now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) month = NULL;
  g_autoptr(GDateTime) first = NULL;

  g_return_if_fail (options != NULL);
  g_return_if_fail (local != NULL);

  today = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                 g_date_time_get_day_of_month (local), 0, 0, 0);
  month = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local), 1, 0, 0, 0);
  switch (period)
    {
    case PW_REPORT_PERIOD_LAST_30_DAYS:
      first = g_date_time_add_days (today, -PW_REPORT_DEFAULT_DAYS);
      options->from = g_date_time_to_unix (first);
      options->to = now + 1;
      break;
    case PW_REPORT_PERIOD_LAST_MONTH:
      first = g_date_time_add_months (month, -1);
      options->from = g_date_time_to_unix (first);
      options->to = g_date_time_to_unix (month);
      break;
    case PW_REPORT_PERIOD_THIS_YEAR:
      first = g_date_time_new_local (g_date_time_get_year (local), 1, 1, 0, 0, 0);
      options->from = g_date_time_to_unix (first);
      options->to = now + 1;
      break;
    case PW_REPORT_PERIOD_CUSTOM:
    default:
      break;
    }
}

/**
 * pw_report_kind_get_label:
 *
 * Returns: (transfer none): the report's title, in the user's language
 */
const char *
pw_report_kind_get_label (PwReportKind kind)
{
  switch (kind)
    {
    case PW_REPORT_KIND_FLEET:
      return _("Fleet audit");
    case PW_REPORT_KIND_METERS:
      return _("Meter reads");
    case PW_REPORT_KIND_SUPPLIES:
      return _("Supplies");
    case PW_REPORT_KIND_ALERTS:
      return _("Alerts and diagnostics");
    case PW_REPORT_KIND_SYNC_LOG:
      return _("Sync log");
    default:
      return _("Report");
    }
}

/**
 * pw_report_suggest_filename:
 *
 * Returns: (transfer full): a file name for the report, e.g.
 *   "printwatch-meters-2026-11-24.csv"
 */
char *
pw_report_suggest_filename (const PwReportOptions *options)
{
  GEnumClass *kinds = g_type_class_ref (PW_TYPE_REPORT_KIND);
  GEnumValue *kind = g_enum_get_value (kinds, options->kind);
  g_autoptr(GDateTime) now = options->generated_at > 0 ? g_date_time_new_from_unix_local (options->generated_at)
                                                        : g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  char *name = g_strdup_printf ("printwatch-%s-%s.%s", kind != NULL ? kind->value_nick : "report", day,
                                options->format == PW_REPORT_FORMAT_HTML ? "html" : "csv");

  g_type_class_unref (kinds);
  return name;
}

/* Writing */

static gboolean
flush_buffer (PwReportContext *ctx)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (ctx->error == NULL && ctx->buffer->len > 0 &&
      !g_output_stream_write_all (ctx->out, ctx->buffer->str, ctx->buffer->len, &written, ctx->cancellable,
                                  &error))
    g_set_error (&ctx->error, error->domain, error->code, _("Cannot write the report: %s"), error->message);
  g_string_truncate (ctx->buffer, 0);
  return ctx->error == NULL;
}

/* FALSE once anything failed or the report was cancelled: stop writing. */
gboolean
_pw_report_ok (PwReportContext *ctx)
{
  if (ctx->error == NULL)
    g_cancellable_set_error_if_cancelled (ctx->cancellable, &ctx->error);
  return ctx->error == NULL;
}

/* Keeps @error as the report's failure unless it has one already; FALSE. */
gboolean
_pw_report_take_error (PwReportContext *ctx,
                       GError          *error)
{
  if (ctx->error == NULL)
    ctx->error = error;
  else
    g_clear_error (&error);
  return FALSE;
}

void
_pw_report_append (PwReportContext *ctx,
                   const char      *text)
{
  if (ctx->error != NULL)
    return;
  g_string_append (ctx->buffer, text);
  if (ctx->buffer->len >= PW_REPORT_BUFFER_SIZE)
    flush_buffer (ctx);
}

void
_pw_report_printf (PwReportContext *ctx,
                   const char      *format,
                   ...)
{
  va_list args;

  if (ctx->error != NULL)
    return;
  va_start (args, format);
  g_string_append_vprintf (ctx->buffer, format, args);
  va_end (args);
  if (ctx->buffer->len >= PW_REPORT_BUFFER_SIZE)
    flush_buffer (ctx);
}

static gboolean
is_unsafe_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||                 /* C0, DEL, C1 */
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||  /* bidi controls */
         c == 0x200e || c == 0x200f || c == 0x061c ||               /* bidi marks */
         c == 0xfeff ||                                              /* a BOM mid-text */
         (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;   /* noncharacters */
}

/**
 * _pw_report_append_clean:
 * @keep_breaks: keep tab, CR and LF (CSV), else they become spaces (HTML)
 *
 * Appends @text made safe: see the comment atop this file.
 */
void
_pw_report_append_clean (GString    *out,
                         const char *text,
                         gboolean    keep_breaks)
{
  const char *end = NULL;
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, &end))
    text = valid = g_utf8_make_valid (text, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || c == '\r' || c == '\n')
        {
          if (keep_breaks)
            g_string_append_c (out, (char) c);
          else
            g_string_append_c (out, ' ');
        }
      else if (is_unsafe_char (c))
        g_string_append (out, "\xef\xbf\xbd");
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
}

/* One decimal place, with @decimal as the mark. */
void
_pw_report_append_decimal (GString *out,
                           double   value,
                           char     decimal)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *dot;

  g_ascii_formatd (buf, sizeof buf, "%.1f", value);
  dot = strchr (buf, '.');
  if (dot != NULL)
    *dot = decimal;
  g_string_append (out, buf);
}

/* Local time in @format, or NULL for none (0 or less). */
char *
_pw_report_format_time (gint64      unix_time,
                        const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return NULL;
  local = g_date_time_new_from_unix_local (unix_time);
  return local != NULL ? g_date_time_format (local, format) : NULL;
}

static gboolean
is_local_midnight (gint64 unix_time)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_time);

  return local != NULL && g_date_time_get_hour (local) == 0 && g_date_time_get_minute (local) == 0 &&
         g_date_time_get_second (local) == 0;
}

/* The period for people: whole days when it runs from midnight to midnight. */
char *
_pw_report_format_period (PwReportContext *ctx)
{
  gboolean days = is_local_midnight (ctx->from) && is_local_midnight (ctx->to);
  const char *format = days ? "%Y-%m-%d" : "%Y-%m-%d %H:%M";
  g_autofree char *from = _pw_report_format_time (ctx->from, format);
  g_autofree char *to = _pw_report_format_time (days ? ctx->to - 1 : ctx->to, format);

  /* TRANSLATORS: a report's period, first and last day (or time) */
  return g_strdup_printf (C_("period", "%s – %s"), from != NULL ? from : "", to != NULL ? to : "");
}

/* The name a device goes by in reports. */
const char *
_pw_report_device_label (PwDevice *device)
{
  return pw_device_get_display_name (device);
}

/* The latest snapshot's status in words, or NULL before the first poll. */
char *
_pw_report_describe_status (PwDevice *device)
{
  PwSnapshot *latest = pw_device_get_latest (device);
  g_auto(GStrv) status = NULL;

  if (latest == NULL)
    return NULL;
  status = pw_snapshot_describe_status (latest);
  return status[0] != NULL ? g_strjoinv (", ", status) : NULL;
}

gboolean
_pw_report_is_html (PwReportContext *ctx)
{
  return ctx->options.format == PW_REPORT_FORMAT_HTML;
}

/* Tables: a CSV report is exactly one table. */

void
_pw_report_begin_table (PwReportContext      *ctx,
                        const char           *title,
                        const PwReportColumn *columns,
                        guint                 n_columns)
{
  ctx->columns = columns;
  ctx->n_columns = n_columns;
  ctx->n_rows = 0;
  if (_pw_report_is_html (ctx))
    _pw_report_html_table_begin (ctx, title);
  else
    {
      g_return_if_fail (!ctx->csv_header_done);
      _pw_report_csv_header (ctx);
      ctx->csv_header_done = TRUE;
    }
}

void
_pw_report_row (PwReportContext    *ctx,
                const PwReportCell *cells)
{
  if (ctx->error != NULL)
    return;
  ctx->n_rows++;
  if (_pw_report_is_html (ctx))
    _pw_report_html_row (ctx, cells);
  else
    _pw_report_csv_row (ctx, cells);
}

void
_pw_report_end_table (PwReportContext *ctx)
{
  if (_pw_report_is_html (ctx))
    _pw_report_html_table_end (ctx);
  ctx->columns = NULL;
  ctx->n_columns = 0;
}

/* For a store walk's callback: TRUE to go on, else FALSE with @error set to stop the walk. */
gboolean
_pw_report_walk_on (PwReportContext  *ctx,
                    GError          **error)
{
  if (_pw_report_ok (ctx))
    return TRUE;
  g_propagate_error (error, g_error_copy (ctx->error));
  return FALSE;
}

/* Device names by id */

GHashTable *
_pw_report_device_infos_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/* Notes @device's name and address in @infos, their text in @chunk. */
void
_pw_report_device_infos_add (GHashTable   *infos,
                             GStringChunk *chunk,
                             PwDevice     *device)
{
  PwReportDeviceInfo *info = g_new0 (PwReportDeviceInfo, 1);
  g_autofree char *address = pw_device_dup_address (device);
  gint64 id = pw_device_get_id (device);

  info->label = g_string_chunk_insert (chunk, _pw_report_device_label (device));
  info->address = g_string_chunk_insert (chunk, address);
  info->in_scope = pw_device_get_in_scope (device);
  g_hash_table_insert (infos, g_memdup2 (&id, sizeof id), info);
}

typedef struct {
  GHashTable   *infos;
  GStringChunk *chunk;
} InfoWalk;

static gboolean
add_device_info (PwDevice  *device,
                 gpointer   user_data,
                 GError   **error)
{
  InfoWalk *walk = user_data;

  _pw_report_device_infos_add (walk->infos, walk->chunk, device);
  return TRUE;
}

/**
 * _pw_report_device_infos:
 * @chunk: holds the strings of the infos
 *
 * Returns: (transfer full) (nullable): gint64 id -> PwReportDeviceInfo of
 *   every device, or %NULL with ctx->error set
 */
GHashTable *
_pw_report_device_infos (PwReportContext *ctx,
                         GStringChunk    *chunk)
{
  g_autoptr(GHashTable) infos = _pw_report_device_infos_new ();
  InfoWalk walk = { infos, chunk };
  GError *error = NULL;

  if (!pw_store_foreach_device (ctx->store, add_device_info, &walk, ctx->cancellable, &error))
    {
      _pw_report_take_error (ctx, error);
      return NULL;
    }
  return g_steal_pointer (&infos);
}

/* The whole report */

gboolean
_pw_report_check_options (const PwReportOptions  *options,
                          GError                **error)
{
  if ((guint) options->kind > PW_REPORT_KIND_SYNC_LOG || (guint) options->format > PW_REPORT_FORMAT_HTML)
    {
      g_set_error_literal (error, PW_REPORT_ERROR, PW_REPORT_ERROR_INVALID, _("No such report"));
      return FALSE;
    }
  if (options->separator != ',' && options->separator != ';')
    {
      g_set_error_literal (error, PW_REPORT_ERROR, PW_REPORT_ERROR_INVALID,
                           _("The field separator must be a comma or a semicolon"));
      return FALSE;
    }
  if (options->decimal != '.' && options->decimal != ',')
    {
      g_set_error_literal (error, PW_REPORT_ERROR, PW_REPORT_ERROR_INVALID,
                           _("The decimal mark must be a point or a comma"));
      return FALSE;
    }
  if ((options->from != 0 || options->to != 0) && options->from >= options->to)
    {
      g_set_error_literal (error, PW_REPORT_ERROR, PW_REPORT_ERROR_INVALID,
                           _("The period ends before it begins"));
      return FALSE;
    }
  return TRUE;
}

static void
resolve_period (PwReportContext *ctx)
{
  ctx->generated_at = ctx->options.generated_at > 0 ? ctx->options.generated_at
                                                     : g_get_real_time () / G_USEC_PER_SEC;
  if (ctx->options.from != 0 || ctx->options.to != 0)
    {
      ctx->from = ctx->options.from;
      ctx->to = ctx->options.to;
    }
  else
    {
      PwReportOptions defaults = ctx->options;

      pw_report_options_set_period (&defaults, PW_REPORT_PERIOD_LAST_30_DAYS, ctx->generated_at);
      ctx->from = defaults.from;
      ctx->to = defaults.to;
    }
}

static void
context_free (PwReportContext *ctx)
{
  g_clear_object (&ctx->store);
  g_free (ctx->site_name);
  g_free (ctx->csv_tail);
  g_string_free (ctx->buffer, TRUE);
  g_clear_error (&ctx->error);
  g_free (ctx);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwReportContext, context_free)

static gboolean
write_kind (PwReportContext *ctx)
{
  switch (ctx->options.kind)
    {
    case PW_REPORT_KIND_FLEET:
      return _pw_report_write_fleet (ctx);
    case PW_REPORT_KIND_METERS:
      return _pw_report_write_meters (ctx);
    case PW_REPORT_KIND_SUPPLIES:
      return _pw_report_write_supplies (ctx);
    case PW_REPORT_KIND_ALERTS:
      return _pw_report_write_alerts (ctx);
    case PW_REPORT_KIND_SYNC_LOG:
      return _pw_report_write_sync_log (ctx);
    default:
      g_assert_not_reached ();
    }
}

/**
 * pw_report_write:
 * @store: the database; the report reads it through a connection of its own
 * @stream: where the report goes; not closed
 *
 * Writes one report. Blocks: call it from a worker thread, or use
 * pw_report_write_async(). On failure part of the report may have been
 * written already: pw_report_save() writes a file whole or not at all.
 */
gboolean
pw_report_write (PwStore                *store,
                 const PwReportOptions  *options,
                 GOutputStream          *stream,
                 GCancellable           *cancellable,
                 GError                **error)
{
  g_autoptr(PwReportContext) ctx = NULL;
  gboolean read_open;

  g_return_val_if_fail (PW_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!_pw_report_check_options (options, error))
    return FALSE;

  ctx = g_new0 (PwReportContext, 1);
  ctx->options = *options;
  ctx->site_name = options->site_name != NULL && options->site_name[0] != '\0' ? g_strdup (options->site_name)
                                                                               : NULL;
  ctx->options.site_name = ctx->site_name;
  ctx->out = stream;
  ctx->cancellable = cancellable;
  ctx->buffer = g_string_sized_new (PW_REPORT_BUFFER_SIZE + 4096);
  resolve_period (ctx);

  ctx->store = pw_store_open (pw_store_get_path (store), &ctx->error);
  read_open = ctx->store != NULL && pw_store_read_begin (ctx->store, &ctx->error);
  if (read_open)
    {
      if (_pw_report_is_html (ctx))
        _pw_report_html_begin (ctx, pw_report_kind_get_label (options->kind));
      else
        _pw_report_csv_begin (ctx);
      if (_pw_report_ok (ctx) && write_kind (ctx) && _pw_report_is_html (ctx))
        _pw_report_html_end (ctx);
      pw_store_read_end (ctx->store);
    }
  if (_pw_report_ok (ctx))
    flush_buffer (ctx);
  if (ctx->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&ctx->error));
      return FALSE;
    }
  return TRUE;
}
