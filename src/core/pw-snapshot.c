/* pw-snapshot.c: what one poll read from one device at one time.
 *
 * A snapshot is built by the poller (or read back by the store) and then
 * only read. Every string that goes in is sanitised here, once, so nothing
 * downstream meets raw printer bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-snapshot"

#include "config.h"

#include "pw-snapshot.h"
#include "pw-snapshot-private.h"
#include "pw-mib-names.h"
#include "pw-text.h"

#include <glib/gi18n-lib.h>

struct _PwSnapshot
{
  GObject          parent_instance;

  gint64           id;          /* row id once stored, else 0 */
  gint64           taken_at;    /* unix seconds, UTC */
  char            *identity[PW_N_IDENTITY_FIELDS];  /* owned, NULL = not read */
  PwDeviceStatus   device_status;
  PwPrinterStatus  printer_status;
  guint32          error_state;
  gint64           uptime;      /* sysUpTime in 1/100 s, -1 = not read */
  GPtrArray       *counters;    /* owned, of PwCounter */
  GPtrArray       *supplies;    /* owned, of PwSupply */
  GPtrArray       *alerts;      /* owned, of PwAlert */
  GPtrArray       *options;     /* owned, of PwOption */
};

G_DEFINE_FINAL_TYPE (PwSnapshot, pw_snapshot, G_TYPE_OBJECT)

static char *
safe_dup (const char *text)
{
  return text != NULL ? pw_text_sanitize (text, -1, PW_TEXT_MAX_CHARS) : NULL;
}

static void
counter_free (gpointer data)
{
  PwCounter *counter = data;

  g_free (counter->name);
  g_free (counter->unit);
  g_free (counter);
}

static void
supply_free (gpointer data)
{
  PwSupply *supply = data;

  g_free (supply->description);
  g_free (supply->colour);
  g_free (supply);
}

static void
alert_free (gpointer data)
{
  PwAlert *alert = data;

  g_free (alert->description);
  g_free (alert);
}

static void
option_free (gpointer data)
{
  PwOption *option = data;

  g_free (option->name);
  g_free (option->media);
  g_free (option);
}

static void
pw_snapshot_finalize (GObject *object)
{
  PwSnapshot *self = PW_SNAPSHOT (object);

  for (guint i = 0; i < PW_N_IDENTITY_FIELDS; i++)
    g_free (self->identity[i]);
  g_ptr_array_unref (self->counters);
  g_ptr_array_unref (self->supplies);
  g_ptr_array_unref (self->alerts);
  g_ptr_array_unref (self->options);

  G_OBJECT_CLASS (pw_snapshot_parent_class)->finalize (object);
}

static void
pw_snapshot_class_init (PwSnapshotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_snapshot_finalize;
}

static void
pw_snapshot_init (PwSnapshot *self)
{
  self->uptime = -1;
  self->counters = g_ptr_array_new_with_free_func (counter_free);
  self->supplies = g_ptr_array_new_with_free_func (supply_free);
  self->alerts = g_ptr_array_new_with_free_func (alert_free);
  self->options = g_ptr_array_new_with_free_func (option_free);
}

/**
 * pw_snapshot_new:
 * @taken_at: when the poll read it, in unix seconds (UTC)
 */
PwSnapshot *
pw_snapshot_new (gint64 taken_at)
{
  PwSnapshot *self = g_object_new (PW_TYPE_SNAPSHOT, NULL);

  self->taken_at = taken_at;
  return self;
}

gint64
pw_snapshot_get_id (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), 0);
  return self->id;
}

void
_pw_snapshot_set_id (PwSnapshot *self,
                     gint64      id)
{
  self->id = id;
}

gint64
pw_snapshot_get_taken_at (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), 0);
  return self->taken_at;
}

const char *
pw_snapshot_get_identity (PwSnapshot      *self,
                          PwIdentityField  field)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), NULL);
  g_return_val_if_fail (field < PW_N_IDENTITY_FIELDS, NULL);
  return self->identity[field];
}

/**
 * pw_snapshot_set_identity:
 * @value: (nullable): as the printer sent it; sanitised here
 */
void
pw_snapshot_set_identity (PwSnapshot      *self,
                          PwIdentityField  field,
                          const char      *value)
{
  g_return_if_fail (PW_IS_SNAPSHOT (self));
  g_return_if_fail (field < PW_N_IDENTITY_FIELDS);
  g_free (self->identity[field]);
  self->identity[field] = safe_dup (value);
}

PwDeviceStatus
pw_snapshot_get_device_status (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), PW_DEVICE_STATUS_NONE);
  return self->device_status;
}

PwPrinterStatus
pw_snapshot_get_printer_status (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), PW_PRINTER_STATUS_NONE);
  return self->printer_status;
}

guint32
pw_snapshot_get_error_state (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), 0);
  return self->error_state;
}

void
pw_snapshot_set_status (PwSnapshot      *self,
                        PwDeviceStatus   device_status,
                        PwPrinterStatus  printer_status,
                        guint32          error_state)
{
  g_return_if_fail (PW_IS_SNAPSHOT (self));
  self->device_status = device_status;
  self->printer_status = printer_status;
  self->error_state = error_state;
}

gint64
pw_snapshot_get_uptime (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), -1);
  return self->uptime;
}

void
pw_snapshot_set_uptime (PwSnapshot *self,
                        gint64      uptime)
{
  g_return_if_fail (PW_IS_SNAPSHOT (self));
  self->uptime = uptime;
}

/**
 * pw_snapshot_add_counter:
 * @name: the counter's name; a second counter of the same name replaces the first
 * @unit: (nullable): its unit
 */
void
pw_snapshot_add_counter (PwSnapshot *self,
                         const char *name,
                         gint64      value,
                         const char *unit)
{
  PwCounter *counter;
  g_autofree char *safe_name = NULL;

  g_return_if_fail (PW_IS_SNAPSHOT (self));
  g_return_if_fail (name != NULL);

  safe_name = safe_dup (name);
  for (guint i = 0; i < self->counters->len; i++)
    if (g_str_equal (((PwCounter *) self->counters->pdata[i])->name, safe_name))
      {
        g_ptr_array_remove_index (self->counters, i);
        break;
      }

  counter = g_new0 (PwCounter, 1);
  counter->name = g_steal_pointer (&safe_name);
  counter->value = value;
  counter->unit = safe_dup (unit);
  g_ptr_array_add (self->counters, counter);
}

void
_pw_snapshot_set_counter_reset (PwSnapshot *self,
                                guint       index,
                                gboolean    reset)
{
  g_return_if_fail (index < self->counters->len);
  ((PwCounter *) self->counters->pdata[index])->reset = reset;
}

gboolean
pw_snapshot_lookup_counter (PwSnapshot *self,
                            const char *name,
                            gint64     *value)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), FALSE);

  for (guint i = 0; i < self->counters->len; i++)
    {
      PwCounter *counter = self->counters->pdata[i];

      if (g_str_equal (counter->name, name))
        {
          if (value != NULL)
            *value = counter->value;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * pw_snapshot_get_counters:
 *
 * Returns: (transfer none) (element-type PwCounter): the counters, in the order added
 */
GPtrArray *
pw_snapshot_get_counters (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), NULL);
  return self->counters;
}

void
pw_snapshot_add_supply (PwSnapshot     *self,
                        const PwSupply *supply)
{
  PwSupply *copy;

  g_return_if_fail (PW_IS_SNAPSHOT (self));
  g_return_if_fail (supply != NULL);

  copy = g_memdup2 (supply, sizeof *supply);
  copy->description = safe_dup (supply->description);
  copy->colour = safe_dup (supply->colour);
  g_ptr_array_add (self->supplies, copy);
}

/**
 * pw_snapshot_get_supplies:
 *
 * Returns: (transfer none) (element-type PwSupply): the supplies, in the order added
 */
GPtrArray *
pw_snapshot_get_supplies (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), NULL);
  return self->supplies;
}

void
pw_snapshot_add_alert (PwSnapshot    *self,
                       const PwAlert *alert)
{
  PwAlert *copy;

  g_return_if_fail (PW_IS_SNAPSHOT (self));
  g_return_if_fail (alert != NULL);

  copy = g_memdup2 (alert, sizeof *alert);
  copy->description = safe_dup (alert->description);
  g_ptr_array_add (self->alerts, copy);
}

/**
 * pw_snapshot_get_alerts:
 *
 * Returns: (transfer none) (element-type PwAlert): the alerts, in the order added
 */
GPtrArray *
pw_snapshot_get_alerts (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), NULL);
  return self->alerts;
}

void
pw_snapshot_add_option (PwSnapshot     *self,
                        const PwOption *option)
{
  PwOption *copy;

  g_return_if_fail (PW_IS_SNAPSHOT (self));
  g_return_if_fail (option != NULL);

  copy = g_memdup2 (option, sizeof *option);
  copy->name = safe_dup (option->name);
  copy->media = safe_dup (option->media);
  g_ptr_array_add (self->options, copy);
}

/**
 * pw_snapshot_get_options:
 *
 * Returns: (transfer none) (element-type PwOption): the installed options, in the order added
 */
GPtrArray *
pw_snapshot_get_options (PwSnapshot *self)
{
  g_return_val_if_fail (PW_IS_SNAPSHOT (self), NULL);
  return self->options;
}

/**
 * pw_snapshot_describe_status:
 *
 * The device's state in words: the hrDeviceStatus and hrPrinterStatus it
 * reported, then every condition set in hrPrinterDetectedErrorState
 * (RFC 2790), in the user's language.
 *
 * Returns: (transfer full): the conditions, most general first; empty if
 *   the printer told nothing
 */
GStrv
pw_snapshot_describe_status (PwSnapshot *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PW_IS_SNAPSHOT (self), NULL);

  /* An unknown status says nothing worth a word. */
  switch (self->device_status)
    {
    case PW_DEVICE_STATUS_RUNNING:
    case PW_DEVICE_STATUS_WARNING:
    case PW_DEVICE_STATUS_TESTING:
    case PW_DEVICE_STATUS_DOWN:
      g_strv_builder_add (builder, pw_mib_device_status_label (self->device_status));
      break;
    case PW_DEVICE_STATUS_UNKNOWN:
    case PW_DEVICE_STATUS_NONE:
    default:
      break;
    }
  switch (self->printer_status)
    {
    case PW_PRINTER_STATUS_IDLE:
    case PW_PRINTER_STATUS_PRINTING:
    case PW_PRINTER_STATUS_WARMUP:
      g_strv_builder_add (builder, pw_mib_printer_status_label (self->printer_status));
      break;
    case PW_PRINTER_STATUS_OTHER:
    case PW_PRINTER_STATUS_UNKNOWN:
    case PW_PRINTER_STATUS_NONE:
    default:
      break;
    }
  for (guint i = 0; i < PW_PRINTER_ERROR_BITS; i++)
    if (self->error_state & (1u << i))
      g_strv_builder_add (builder, pw_mib_printer_error_label (i));
  return g_strv_builder_end (builder);
}

/**
 * pw_supply_get_percent:
 *
 * Returns: the level in percent of the maximum (0 to 100), or -1 when the
 *   printer's numbers do not allow it: an unknown or unlimited capacity, or
 *   a special level (-1 other, -2 unknown, -3 some remaining; RFC 3805)
 */
int
pw_supply_get_percent (const PwSupply *supply)
{
  g_return_val_if_fail (supply != NULL, -1);

  if (supply->max_capacity <= 0 || supply->level < 0)
    return -1;
  /* In floating point: a printer may report capacities near G_MAXINT64. */
  return (int) ((double) MIN (supply->level, supply->max_capacity) * 100.0 / (double) supply->max_capacity);
}

/**
 * pw_counter_name_get_label:
 * @name: a counter's name: "total", "black", "copy-colour", …, or one a
 *   printer gave
 *
 * Returns: (transfer none): the name in the user's language, or @name
 *   itself when Printwatch does not know it
 */
const char *
pw_counter_name_get_label (const char *name)
{
  static const struct {
    const char *name;
    const char *label;
  } labels[] = {
    { "total", N_("Total") },
    { "black", N_("Black") },
    { "colour", N_("Colour") },
    { "two-colour", N_("Two-colour") },
    { "print", N_("Print") },
    { "print-black", N_("Print, black") },
    { "print-colour", N_("Print, colour") },
    { "copy", N_("Copy") },
    { "copy-black", N_("Copy, black") },
    { "copy-colour", N_("Copy, colour") },
    { "fax", N_("Fax") },
    { "scan", N_("Scan") },
    { "duplex", N_("Duplex") },
    { "large", N_("Large format") },
    { "large-black", N_("Large format, black") },
    { "large-colour", N_("Large format, colour") },
    { "since-power-on", N_("Since switched on") },
  };

  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].name, name))
      return _(labels[i].label);
  return name;
}

const char *
pw_option_kind_get_label (PwOptionKind kind)
{
  switch (kind)
    {
    case PW_OPTION_INPUT:
      return _("Input tray");
    case PW_OPTION_OUTPUT:
      return _("Output bin");
    case PW_OPTION_DUPLEX:
      return _("Duplex unit");
    case PW_OPTION_FINISHER:
      return _("Finisher");
    case PW_OPTION_MEMORY:
      return _("Memory");
    case PW_OPTION_DISK:
      return _("Disk");
    default:
      return _("Other");
    }
}
