/* pw-report-fleet.c: the fleet audit, alerts and diagnostics, and the sync log.
 *
 * The fleet audit is every device as last polled, one row each, written as
 * the store hands the devices over. Alerts and diagnostics are, first, what
 * is wrong with each device now (it does not answer; its status; the
 * conditions of hrPrinterDetectedErrorState, RFC 2790), then every alert
 * seen during the period, open or cleared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-report"

#include "config.h"

#include "pw-report-private.h"
#include "pw-mib-names.h"

#include <glib/gi18n-lib.h>

/* Counters with a column of their own in the fleet audit; the rest share one. */
static const char * const main_counters[] = { "total", "black", "colour" };

enum {
  FLEET_ID, FLEET_NAME, FLEET_ADDRESS, FLEET_VENDOR, FLEET_MODEL, FLEET_SERIAL, FLEET_FIRMWARE,
  FLEET_MAC, FLEET_SYS_NAME, FLEET_LOCATION, FLEET_CONTACT, FLEET_IN_SCOPE, FLEET_ANSWERS,
  FLEET_STATUS, FLEET_LAST_SEEN, FLEET_LAST_ERROR, FLEET_TOTAL, FLEET_BLACK, FLEET_COLOUR,
  FLEET_OTHER_COUNTERS, FLEET_SUPPLIES, FLEET_N_COLUMNS
};

static const PwReportColumn fleet_columns[FLEET_N_COLUMNS] = {
  { N_("Device ID"), PW_REPORT_IN_CSV },
  { N_("Name"), PW_REPORT_IN_BOTH },
  { N_("Address"), PW_REPORT_IN_BOTH },
  { N_("Vendor"), PW_REPORT_IN_BOTH },
  { N_("Model"), PW_REPORT_IN_BOTH },
  { N_("Serial number"), PW_REPORT_IN_BOTH },
  { N_("Firmware"), PW_REPORT_IN_CSV },
  { N_("MAC address"), PW_REPORT_IN_CSV },
  { N_("System name"), PW_REPORT_IN_CSV },
  { N_("Location"), PW_REPORT_IN_BOTH },
  { N_("Contact"), PW_REPORT_IN_CSV },
  { N_("Under contract"), PW_REPORT_IN_BOTH },
  { N_("Answers"), PW_REPORT_IN_BOTH },
  { N_("Status"), PW_REPORT_IN_BOTH },
  { N_("Last seen"), PW_REPORT_IN_BOTH },
  { N_("Last error"), PW_REPORT_IN_CSV },
  { N_("Total pages"), PW_REPORT_IN_BOTH },
  { N_("Black pages"), PW_REPORT_IN_BOTH },
  { N_("Colour pages"), PW_REPORT_IN_BOTH },
  { N_("Other counters"), PW_REPORT_IN_CSV },
  { N_("Supplies"), PW_REPORT_IN_BOTH },
};

static gboolean
is_main_counter (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (main_counters); i++)
    if (g_str_equal (name, main_counters[i]))
      return TRUE;
  return FALSE;
}

/* "print=1200; copy=300" in CSV (the counters' own names), "Print: 1200, Copy: 300" in HTML. */
static char *
describe_other_counters (PwReportContext *ctx,
                         PwSnapshot      *latest)
{
  GPtrArray *counters = pw_snapshot_get_counters (latest);
  GString *text = g_string_new (NULL);
  gboolean html = _pw_report_is_html (ctx);

  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];

      if (is_main_counter (counter->name))
        continue;
      if (text->len > 0)
        g_string_append (text, html ? ", " : "; ");
      if (html)
        g_string_append_printf (text, "%s: %" G_GINT64_FORMAT, pw_counter_name_get_label (counter->name),
                                counter->value);
      else
        g_string_append_printf (text, "%s=%" G_GINT64_FORMAT, counter->name, counter->value);
    }
  return g_string_free (text, text->len == 0);
}

/* A supply's level in words: "45%", "some left", "unknown". */
static char *
describe_level (const PwSupply *supply)
{
  int percent = pw_supply_get_percent (supply);

  if (percent >= 0)
    return g_strdup_printf ("%d%%", percent);
  if (supply->level == -3)  /* RFC 3805: some remaining */
    return g_strdup (_("some left"));
  return g_strdup (_("unknown"));
}

/* "Black Toner: 45%; Drum: 70%" */
static char *
describe_supplies (PwSnapshot *latest,
                   int        *lowest)
{
  GPtrArray *supplies = pw_snapshot_get_supplies (latest);
  GString *text = g_string_new (NULL);

  *lowest = -1;
  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      g_autofree char *level = describe_level (supply);
      int percent = pw_supply_get_percent (supply);
      const char *name = supply->description != NULL && supply->description[0] != '\0'
                         ? supply->description : pw_mib_supply_type_label (supply->type);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* TRANSLATORS: a supply and its level in a report, e.g. "Black Toner: 45%" */
      g_string_append_printf (text, C_("supply level", "%s: %s"), name, level);
      if (percent >= 0 && (*lowest < 0 || percent < *lowest))
        *lowest = percent;
    }
  return g_string_free (text, text->len == 0);
}

static PwReportCell
counter_cell (PwSnapshot *latest,
              const char *name)
{
  gint64 value;

  if (latest != NULL && pw_snapshot_lookup_counter (latest, name, &value))
    return PW_CELL_INT (value);
  return PW_CELL_NONE;
}

static gboolean
write_fleet_row (PwDevice  *device,
                 gpointer   user_data,
                 GError   **error)
{
  PwReportContext *ctx = user_data;
  PwSnapshot *latest = pw_device_get_latest (device);
  g_autofree char *address = pw_device_dup_address (device);
  g_autofree char *status = _pw_report_describe_status (device);
  g_autofree char *others = latest != NULL ? describe_other_counters (ctx, latest) : NULL;
  int lowest = -1;
  g_autofree char *supplies = latest != NULL ? describe_supplies (latest, &lowest) : NULL;
  gboolean answers = pw_device_get_reachable (device);
  PwReportCell cells[FLEET_N_COLUMNS] = {
    [FLEET_ID] = PW_CELL_INT (pw_device_get_id (device)),
    [FLEET_NAME] = PW_CELL_TEXT (_pw_report_device_label (device)),
    [FLEET_ADDRESS] = PW_CELL_TEXT (address),
    [FLEET_VENDOR] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_VENDOR)),
    [FLEET_MODEL] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_MODEL)),
    [FLEET_SERIAL] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_SERIAL)),
    [FLEET_FIRMWARE] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_FIRMWARE)),
    [FLEET_MAC] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_MAC)),
    [FLEET_SYS_NAME] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_SYS_NAME)),
    [FLEET_LOCATION] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_LOCATION)),
    [FLEET_CONTACT] = PW_CELL_TEXT (pw_device_get_identity (device, PW_IDENTITY_CONTACT)),
    [FLEET_IN_SCOPE] = PW_CELL_BOOL (pw_device_get_in_scope (device)),
    [FLEET_ANSWERS] = PW_CELL_BOOL (answers),
    [FLEET_STATUS] = PW_CELL_TEXT (status),
    [FLEET_LAST_SEEN] = PW_CELL_TIME (pw_device_get_last_seen (device)),
    [FLEET_LAST_ERROR] = PW_CELL_TEXT (pw_device_get_last_error (device)),
    [FLEET_TOTAL] = counter_cell (latest, "total"),
    [FLEET_BLACK] = counter_cell (latest, "black"),
    [FLEET_COLOUR] = counter_cell (latest, "colour"),
    [FLEET_OTHER_COUNTERS] = PW_CELL_TEXT (others),
    [FLEET_SUPPLIES] = PW_CELL_TEXT (supplies),
  };

  if (!answers)
    cells[FLEET_ANSWERS].mark = PW_REPORT_MARK_BAD;
  if (lowest >= 0 && lowest <= 10)
    cells[FLEET_SUPPLIES].mark = lowest == 0 ? PW_REPORT_MARK_BAD : PW_REPORT_MARK_WARN;
  _pw_report_row (ctx, cells);
  return _pw_report_walk_on (ctx, error);
}

gboolean
_pw_report_write_fleet (PwReportContext *ctx)
{
  GError *error = NULL;

  if (_pw_report_is_html (ctx))
    {
      guint in_scope = 0, out_of_scope = 0;

      if (!pw_store_count_devices_by_scope (ctx->store, &in_scope, &out_of_scope, &error))
        return _pw_report_take_error (ctx, error);
      {
        g_autofree char *in = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u printer under contract",
                                                            "%u printers under contract", in_scope), in_scope);
        g_autofree char *out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u not under contract",
                                                             "%u not under contract", out_of_scope),
                                                out_of_scope);
        /* TRANSLATORS: e.g. "12 printers under contract, 2 not under contract. As last polled." */
        g_autofree char *note = g_strdup_printf (_("%s, %s. As last polled."), in, out);

        _pw_report_html_note (ctx, note);
      }
    }
  _pw_report_begin_table (ctx, _("Printers"), fleet_columns, FLEET_N_COLUMNS);
  if (!pw_store_foreach_device (ctx->store, write_fleet_row, ctx, ctx->cancellable, &error))
    return _pw_report_take_error (ctx, error);
  _pw_report_end_table (ctx);
  return _pw_report_ok (ctx);
}

/* Alerts and diagnostics */

enum {
  ALERT_KIND, ALERT_ID, ALERT_NAME, ALERT_ADDRESS, ALERT_SEVERITY, ALERT_PART, ALERT_WHAT,
  ALERT_KEY, ALERT_TEXT, ALERT_FIRST, ALERT_LAST, ALERT_CLEARED, ALERT_TRAINING, ALERT_N_COLUMNS
};

static const PwReportColumn alert_columns[ALERT_N_COLUMNS] = {
  { N_("Kind"), PW_REPORT_IN_BOTH },
  { N_("Device ID"), PW_REPORT_IN_CSV },
  { N_("Name"), PW_REPORT_IN_BOTH },
  { N_("Address"), PW_REPORT_IN_BOTH },
  { N_("Severity"), PW_REPORT_IN_BOTH },
  { N_("Part"), PW_REPORT_IN_BOTH },
  { N_("What"), PW_REPORT_IN_BOTH },
  { N_("Code"), PW_REPORT_IN_CSV },
  { N_("Printer’s text"), PW_REPORT_IN_BOTH },
  { N_("First seen"), PW_REPORT_IN_BOTH },
  { N_("Last seen"), PW_REPORT_IN_BOTH },
  { N_("Cleared"), PW_REPORT_IN_BOTH },
  { N_("Handled by"), PW_REPORT_IN_CSV },
};

typedef struct {
  PwReportContext *ctx;
  GHashTable      *infos;  /* id -> PwReportDeviceInfo */
  GStringChunk    *chunk;  /* their text */
} AlertWalk;

static void
write_condition (PwReportContext *ctx,
                 PwDevice        *device,
                 const char      *kind,
                 const char      *what,
                 const char      *key,
                 const char      *text,
                 gint64           since,
                 PwReportMark     mark)
{
  g_autofree char *address = pw_device_dup_address (device);
  PwReportCell cells[ALERT_N_COLUMNS] = {
    [ALERT_KIND] = PW_CELL_TEXT (kind),
    [ALERT_ID] = PW_CELL_INT (pw_device_get_id (device)),
    [ALERT_NAME] = PW_CELL_TEXT (_pw_report_device_label (device)),
    [ALERT_ADDRESS] = PW_CELL_TEXT (address),
    [ALERT_SEVERITY] = PW_CELL_NONE,
    [ALERT_PART] = PW_CELL_NONE,
    [ALERT_WHAT] = PW_CELL_TEXT (what),
    [ALERT_KEY] = PW_CELL_TEXT (key),
    [ALERT_TEXT] = PW_CELL_TEXT (text),
    [ALERT_FIRST] = PW_CELL_NONE,
    [ALERT_LAST] = PW_CELL_TIME (since),
    [ALERT_CLEARED] = PW_CELL_NONE,
    [ALERT_TRAINING] = PW_CELL_NONE,
  };

  cells[ALERT_WHAT].mark = mark;
  _pw_report_row (ctx, cells);
}

/* What is wrong with @device now: rows of kind "Not answering", "Status", "Condition". */
static gboolean
write_diagnostics (PwDevice  *device,
                   gpointer   user_data,
                   GError   **error)
{
  AlertWalk *walk = user_data;
  PwReportContext *ctx = walk->ctx;
  PwSnapshot *latest = pw_device_get_latest (device);

  _pw_report_device_infos_add (walk->infos, walk->chunk, device);
  if (!pw_device_get_reachable (device) &&
      (pw_device_get_last_seen (device) > 0 || pw_device_get_last_error (device) != NULL))
    write_condition (ctx, device, _("Not answering"), _("Does not answer"), "unreachable",
                     pw_device_get_last_error (device), pw_device_get_last_seen (device), PW_REPORT_MARK_BAD);
  if (latest != NULL)
    {
      PwDeviceStatus status = pw_snapshot_get_device_status (latest);
      guint32 errors = pw_snapshot_get_error_state (latest);
      gint64 when = pw_snapshot_get_taken_at (latest);

      if (status == PW_DEVICE_STATUS_WARNING || status == PW_DEVICE_STATUS_DOWN)
        write_condition (ctx, device, _("Status"), pw_mib_device_status_label (status),
                         pw_mib_device_status_nick (status), NULL, when,
                         status == PW_DEVICE_STATUS_DOWN ? PW_REPORT_MARK_BAD : PW_REPORT_MARK_WARN);
      for (guint bit = 0; bit < PW_PRINTER_ERROR_BITS; bit++)
        if (errors & (1u << bit))
          write_condition (ctx, device, _("Condition"), pw_mib_printer_error_label (bit),
                           pw_mib_printer_error_nick (bit), NULL, when, PW_REPORT_MARK_WARN);
    }
  return _pw_report_walk_on (ctx, error);
}

static gboolean
write_alert (const PwStoreAlertSpan  *span,
             gpointer                 user_data,
             GError                 **error)
{
  AlertWalk *walk = user_data;
  PwReportContext *ctx = walk->ctx;
  const PwAlert *alert = &span->alert;
  PwReportDeviceInfo *info = g_hash_table_lookup (walk->infos, &span->device_id);
  g_autofree char *part = NULL;
  PwReportCell cells[ALERT_N_COLUMNS] = {
    [ALERT_KIND] = PW_CELL_TEXT (_("Alert")),
    [ALERT_ID] = PW_CELL_INT (span->device_id),
    [ALERT_NAME] = PW_CELL_TEXT (info != NULL ? info->label : NULL),
    [ALERT_ADDRESS] = PW_CELL_TEXT (info != NULL ? info->address : NULL),
    [ALERT_SEVERITY] = PW_CELL_TEXT (pw_mib_alert_severity_label (alert->severity)),
    [ALERT_PART] = PW_CELL_NONE,
    [ALERT_WHAT] = PW_CELL_TEXT (pw_mib_alert_code_label (alert->code)),
    [ALERT_KEY] = PW_CELL_TEXT (pw_mib_alert_code_nick (alert->code)),
    [ALERT_TEXT] = PW_CELL_TEXT (alert->description),
    [ALERT_FIRST] = PW_CELL_TIME (span->first_seen),
    [ALERT_LAST] = PW_CELL_TIME (span->last_seen),
    [ALERT_CLEARED] = PW_CELL_TIME (span->cleared_at),
    [ALERT_TRAINING] = PW_CELL_TEXT (pw_mib_alert_training_label (alert->training)),
  };

  if (alert->group_index > 0)
    /* TRANSLATORS: a part of a printer and its number, e.g. "Input tray 2" */
    part = g_strdup_printf (C_("printer part", "%s %d"), pw_mib_alert_group_label (alert->group),
                            alert->group_index);
  else
    part = g_strdup (pw_mib_alert_group_label (alert->group));
  cells[ALERT_PART] = PW_CELL_TEXT (part);
  /* prtAlertSeverityLevel 3 is critical (RFC 3805). */
  if (span->cleared_at <= 0)
    cells[ALERT_SEVERITY].mark = alert->severity == 3 ? PW_REPORT_MARK_BAD : PW_REPORT_MARK_WARN;
  _pw_report_row (ctx, cells);
  return _pw_report_walk_on (ctx, error);
}

gboolean
_pw_report_write_alerts (PwReportContext *ctx)
{
  g_autoptr(GHashTable) infos = _pw_report_device_infos_new ();
  GStringChunk *chunk = g_string_chunk_new (4096);
  AlertWalk walk = { ctx, infos, chunk };
  GError *error = NULL;
  gboolean ok;

  if (_pw_report_is_html (ctx))
    _pw_report_html_note (ctx, _("First what is wrong with the printers now, then every alert they "
                                 "showed during the period."));
  _pw_report_begin_table (ctx, _("Alerts and diagnostics"), alert_columns, ALERT_N_COLUMNS);
  ok = pw_store_foreach_device (ctx->store, write_diagnostics, &walk, ctx->cancellable, &error) &&
       pw_store_foreach_alert (ctx->store, ctx->from, ctx->to, write_alert, &walk, ctx->cancellable, &error);
  g_string_chunk_free (chunk);
  if (!ok)
    return _pw_report_take_error (ctx, error);
  _pw_report_end_table (ctx);
  return _pw_report_ok (ctx);
}

/* The sync log */

enum {
  LOG_TIME, LOG_EVENT, LOG_OK, LOG_HTTP, LOG_KEY, LOG_MESSAGE, LOG_N_COLUMNS
};

static const PwReportColumn log_columns[LOG_N_COLUMNS] = {
  { N_("Time"), PW_REPORT_IN_BOTH },
  { N_("Event"), PW_REPORT_IN_BOTH },
  { N_("Succeeded"), PW_REPORT_IN_BOTH },
  { N_("HTTP status"), PW_REPORT_IN_BOTH },
  { N_("Payload ID"), PW_REPORT_IN_BOTH },
  { N_("Message"), PW_REPORT_IN_BOTH },
};

gboolean
_pw_report_write_sync_log (PwReportContext *ctx)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) entries = pw_store_sync_log_list (ctx->store, 0, ctx->from, ctx->to, &error);

  if (entries == NULL)
    return _pw_report_take_error (ctx, error);
  _pw_report_begin_table (ctx, _("Sync log"), log_columns, LOG_N_COLUMNS);
  for (guint i = 0; i < entries->len && _pw_report_ok (ctx); i++)
    {
      const PwSyncLogEntry *entry = entries->pdata[i];
      PwReportCell cells[LOG_N_COLUMNS] = {
        [LOG_TIME] = PW_CELL_TIME (entry->at),
        [LOG_EVENT] = PW_CELL_TEXT (entry->event),
        [LOG_OK] = PW_CELL_BOOL (entry->ok),
        [LOG_HTTP] = entry->http_status > 0 ? PW_CELL_INT (entry->http_status) : PW_CELL_NONE,
        [LOG_KEY] = PW_CELL_TEXT (entry->idempotency_key),
        [LOG_MESSAGE] = PW_CELL_TEXT (entry->message),
      };

      if (!entry->ok)
        cells[LOG_OK].mark = PW_REPORT_MARK_BAD;
      _pw_report_row (ctx, cells);
    }
  _pw_report_end_table (ctx);
  return _pw_report_ok (ctx);
}
