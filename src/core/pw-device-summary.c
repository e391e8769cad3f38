/* pw-device-summary.c: one device in a line, for lists of thousands.
 *
 * A list of 10,000 printers sorts and filters on every keystroke or click
 * on a column header, so what it compares is computed once per device
 * object, kept on the object, and compared with strcmp () and integers.
 * The store gives a new PwDevice for every change, so the summary never
 * goes stale; only the setters an admin uses (name, scope) change a device
 * in place, and neither touches what is summarised but the name, which a
 * list reloads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-device-summary"

#include "config.h"

#include "pw-device-summary.h"
#include "pw-device-private.h"
#include "pw-mib-names.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* hrPrinterDetectedErrorState bits (RFC 2790) that stop a printer, most
 * telling first; the rest only warn. */
static const guint error_bits[] = { 5, 4, 3, 1, 10, 8, 12, 9, 7, 6 };
static const guint warning_bits[] = { 2, 0, 13, 11, 14 };

void
_pw_device_summary_free (PwDeviceSummary *summary)
{
  g_free (summary->status);
  g_free (summary->vendor_model);
  g_free (summary->lowest_name);
  g_free (summary->search_text);
  g_free (summary->name_key);
  g_free (summary->address_key);
  g_free (summary->model_key);
  g_free (summary->serial_key);
  g_free (summary);
}

/* The conditions of @bits set in @state, joined, or NULL. */
static char *
join_conditions (guint32      state,
                 const guint *bits,
                 guint        n_bits)
{
  g_autoptr(GString) text = NULL;

  for (guint i = 0; i < n_bits; i++)
    {
      if ((state & (1u << bits[i])) == 0)
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      else
        /* TRANSLATORS: between two conditions of a printer, e.g. "Toner low, Paper low" */
        g_string_append (text, _(", "));
      g_string_append (text, pw_mib_printer_error_label (bits[i]));
    }
  return text != NULL ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
describe_health (PwDevice        *device,
                 PwDeviceSummary *summary)
{
  PwSnapshot *latest = pw_device_get_latest (device);
  guint32 state;
  char *words;

  if (!pw_device_get_reachable (device) && pw_device_get_last_error (device) != NULL)
    {
      summary->health = PW_DEVICE_HEALTH_UNREACHABLE;
      summary->status = g_strdup (_("No answer"));
      return;
    }
  if (latest == NULL)
    {
      summary->health = PW_DEVICE_HEALTH_UNKNOWN;
      summary->status = g_strdup (_("Not polled yet"));
      return;
    }

  state = pw_snapshot_get_error_state (latest);
  if ((words = join_conditions (state, error_bits, G_N_ELEMENTS (error_bits))) != NULL)
    {
      summary->health = PW_DEVICE_HEALTH_ERROR;
      summary->status = words;
      return;
    }
  if (pw_snapshot_get_device_status (latest) == PW_DEVICE_STATUS_DOWN)
    {
      summary->health = PW_DEVICE_HEALTH_ERROR;
      summary->status = g_strdup (pw_mib_device_status_label (PW_DEVICE_STATUS_DOWN));
      return;
    }
  if ((words = join_conditions (state, warning_bits, G_N_ELEMENTS (warning_bits))) != NULL)
    {
      summary->health = PW_DEVICE_HEALTH_WARNING;
      summary->status = words;
      return;
    }
  if (pw_snapshot_get_device_status (latest) == PW_DEVICE_STATUS_WARNING)
    {
      summary->health = PW_DEVICE_HEALTH_WARNING;
      summary->status = g_strdup (pw_mib_device_status_label (PW_DEVICE_STATUS_WARNING));
      return;
    }

  summary->health = PW_DEVICE_HEALTH_OK;
  switch (pw_snapshot_get_printer_status (latest))
    {
    case PW_PRINTER_STATUS_PRINTING:
    case PW_PRINTER_STATUS_WARMUP:
      summary->status = g_strdup (pw_mib_printer_status_label (pw_snapshot_get_printer_status (latest)));
      break;
    case PW_PRINTER_STATUS_IDLE:
    case PW_PRINTER_STATUS_OTHER:
    case PW_PRINTER_STATUS_UNKNOWN:
    case PW_PRINTER_STATUS_NONE:
    default:
      /* TRANSLATORS: a printer that answered and reports nothing wrong */
      summary->status = g_strdup (_("Ready"));
      break;
    }
}

static void
summarise_supplies (PwSnapshot      *latest,
                    PwDeviceSummary *summary)
{
  GPtrArray *supplies = pw_snapshot_get_supplies (latest);

  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      int percent = pw_supply_get_percent (supply);

      if (percent < 0 || (summary->lowest_percent >= 0 && percent >= summary->lowest_percent))
        continue;
      summary->lowest_percent = percent;
      g_free (summary->lowest_name);
      summary->lowest_name = g_strdup (supply->description != NULL ? supply->description
                                                                   : pw_mib_supply_type_label (supply->type));
    }
}

/* A key that sorts addresses by their numbers, then host names by name. */
static char *
address_key (PwDevice *device)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (pw_device_get_host (device));
  g_autoptr(GString) key = g_string_new (NULL);

  if (address != NULL)
    {
      const guint8 *bytes = g_inet_address_to_bytes (address);
      gsize len = g_inet_address_get_native_size (address);

      g_string_append_c (key, len == 4 ? '4' : '6');
      for (gsize i = 0; i < len; i++)
        g_string_append_printf (key, "%02x", bytes[i]);
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (pw_device_get_host (device), -1);

      g_string_append_printf (key, "h%s", folded);
    }
  g_string_append_printf (key, ":%05u", pw_device_get_port (device));
  return g_string_free (g_steal_pointer (&key), FALSE);
}

static char *
collate_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return g_utf8_collate_key (folded, -1);
}

static PwDeviceSummary *
summarise (PwDevice *device)
{
  PwDeviceSummary *summary = g_new0 (PwDeviceSummary, 1);
  PwSnapshot *latest = pw_device_get_latest (device);
  const char *vendor = pw_device_get_identity (device, PW_IDENTITY_VENDOR);
  const char *model = pw_device_get_identity (device, PW_IDENTITY_MODEL);
  const char *serial = pw_device_get_identity (device, PW_IDENTITY_SERIAL);
  g_autofree char *address = pw_device_dup_address (device);
  g_autofree char *haystack = NULL;

  describe_health (device, summary);
  summary->black = -1;
  summary->colour = -1;
  summary->lowest_percent = -1;
  if (latest != NULL)
    {
      if (!pw_snapshot_lookup_counter (latest, "black", &summary->black))
        pw_snapshot_lookup_counter (latest, "total", &summary->black);
      pw_snapshot_lookup_counter (latest, "colour", &summary->colour);
      summarise_supplies (latest, summary);
    }

  if (vendor != NULL && model != NULL && !g_str_has_prefix (model, vendor))
    summary->vendor_model = g_strdup_printf ("%s %s", vendor, model);
  else
    summary->vendor_model = g_strdup (model != NULL ? model : vendor);

  haystack = g_strjoin ("\n", pw_device_get_display_name (device), address,
                        vendor != NULL ? vendor : "", model != NULL ? model : "",
                        serial != NULL ? serial : "",
                        pw_device_get_identity (device, PW_IDENTITY_LOCATION) != NULL
                          ? pw_device_get_identity (device, PW_IDENTITY_LOCATION) : "",
                        NULL);
  summary->search_text = g_utf8_casefold (haystack, -1);
  summary->name_key = collate_key (pw_device_get_display_name (device));
  summary->address_key = address_key (device);
  summary->model_key = collate_key (summary->vendor_model);
  summary->serial_key = collate_key (serial);
  return summary;
}

/**
 * pw_device_summary_get:
 *
 * Computed on first use and kept on @device; a device is summarised in
 * one thread at a time (PwFleet does it on its loader thread, before the
 * device is shown).
 *
 * Returns: (transfer none): what a list shows of @device
 */
const PwDeviceSummary *
pw_device_summary_get (PwDevice *device)
{
  g_return_val_if_fail (PW_IS_DEVICE (device), NULL);

  /* A field, not qdata: sorting 10,000 devices asks for it a million
   * times, and a qdata lookup takes a lock (it was 3/4 of a sort). */
  if (device->summary == NULL)
    device->summary = summarise (device);
  return device->summary;
}

/**
 * pw_device_summary_matches:
 * @casefolded_text: what to look for, already g_utf8_casefold ()ed
 *
 * Returns: whether the device's name, address, vendor, model, serial
 *   number or location contains @casefolded_text, in any case
 */
gboolean
pw_device_summary_matches (PwDevice   *device,
                           const char *casefolded_text)
{
  g_return_val_if_fail (casefolded_text != NULL, FALSE);
  return strstr (pw_device_summary_get (device)->search_text, casefolded_text) != NULL;
}

/**
 * pw_supply_describe_level:
 *
 * Returns: (transfer full): the level in words: "42%", "some left" or
 *   "unknown" for the special levels of RFC 3805, or the bare level when
 *   the capacity is not told
 */
char *
pw_supply_describe_level (const PwSupply *supply)
{
  int percent;

  g_return_val_if_fail (supply != NULL, NULL);

  percent = pw_supply_get_percent (supply);
  if (percent >= 0)
    /* TRANSLATORS: a supply's level in percent */
    return g_strdup_printf (_("%d%%"), percent);
  if (supply->level == -3)
    return g_strdup (_("some left"));
  if (supply->level < 0)
    return g_strdup (_("unknown"));
  return g_strdup_printf ("%" G_GINT64_FORMAT, supply->level);
}
