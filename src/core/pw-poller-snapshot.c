/* pw-poller-snapshot.c: making a snapshot of what a poll walked.
 *
 * Everything the printer sends is untrusted. A value of the wrong type is
 * no value; text is sanitised with its real length (an agent may embed
 * NUL bytes); counters are kept only as non-negative 63-bit numbers; a
 * table's rows are capped however many the agent claims.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-poller"

#include "config.h"

#include "pw-poller-private.h"
#include "pw-profile.h"
#include "pw-text.h"

#include <string.h>

/* Few rows: scalars, or one row per marker, interface or hrDevice entry. */
#define SMALL_TABLE_ROWS 64

const PwPollerWalk _pw_poller_walks[N_WALKS] = {
  /* The scalars come before sysORTable (.9), which may be long. */
  [WALK_SYSTEM] = { "1.3.6.1.2.1.1", 16 },
  [WALK_IF_PHYS_ADDRESS] = { "1.3.6.1.2.1.2.2.1.6", 256 },
  [WALK_HR_DEVICE_TYPE] = { "1.3.6.1.2.1.25.3.2.1.2", 256 },
  [WALK_HR_DEVICE_DESCR] = { "1.3.6.1.2.1.25.3.2.1.3", 256 },
  [WALK_HR_DEVICE_STATUS] = { "1.3.6.1.2.1.25.3.2.1.5", 256 },
  [WALK_HR_PRINTER_STATUS] = { "1.3.6.1.2.1.25.3.5.1.1", SMALL_TABLE_ROWS },
  [WALK_HR_PRINTER_ERRORS] = { "1.3.6.1.2.1.25.3.5.1.2", SMALL_TABLE_ROWS },
  [WALK_PRINTER_NAME] = { "1.3.6.1.2.1.43.5.1.1.16", SMALL_TABLE_ROWS },
  [WALK_SERIAL] = { "1.3.6.1.2.1.43.5.1.1.17", SMALL_TABLE_ROWS },
  [WALK_MARKER_UNIT] = { "1.3.6.1.2.1.43.10.2.1.3", SMALL_TABLE_ROWS },
  [WALK_MARKER_LIFE_COUNT] = { "1.3.6.1.2.1.43.10.2.1.4", SMALL_TABLE_ROWS },
  [WALK_SUPPLY_COLORANT] = { "1.3.6.1.2.1.43.11.1.1.3", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_SUPPLY_CLASS] = { "1.3.6.1.2.1.43.11.1.1.4", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_SUPPLY_TYPE] = { "1.3.6.1.2.1.43.11.1.1.5", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_SUPPLY_DESCR] = { "1.3.6.1.2.1.43.11.1.1.6", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_SUPPLY_UNIT] = { "1.3.6.1.2.1.43.11.1.1.7", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_SUPPLY_MAX] = { "1.3.6.1.2.1.43.11.1.1.8", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_SUPPLY_LEVEL] = { "1.3.6.1.2.1.43.11.1.1.9", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_COLORANT_VALUE] = { "1.3.6.1.2.1.43.12.1.1.4", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_SEVERITY] = { "1.3.6.1.2.1.43.18.1.1.2", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_TRAINING] = { "1.3.6.1.2.1.43.18.1.1.3", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_GROUP] = { "1.3.6.1.2.1.43.18.1.1.4", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_GROUP_INDEX] = { "1.3.6.1.2.1.43.18.1.1.5", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_LOCATION] = { "1.3.6.1.2.1.43.18.1.1.6", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_CODE] = { "1.3.6.1.2.1.43.18.1.1.7", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_DESCR] = { "1.3.6.1.2.1.43.18.1.1.8", PW_POLLER_MAX_TABLE_ROWS },
  [WALK_ALERT_TIME] = { "1.3.6.1.2.1.43.18.1.1.9", PW_POLLER_MAX_TABLE_ROWS },
  /* The IEEE 1284 device ID, in HP's MIB, spoken by many. */
  [WALK_DEVICE_ID] = { "1.3.6.1.4.1.11.2.3.9.1.1.7", 1 },
};

#define HR_DEVICE_PRINTER "1.3.6.1.2.1.25.3.1.5"

/* prtMarkerCounterUnit (RFC 3805, PrtMarkerCounterUnitTC), by value. */
static const char * const marker_units[] = {
  [3] = "tenThousandthsOfInches",
  [4] = "micrometers",
  [5] = "characters",
  [6] = "lines",
  [7] = "impressions",
  [8] = "sheets",
  [9] = "dotRow",
  [11] = "hours",
  [16] = "feet",
  [17] = "meters",
};


/* An Integer32 column (RFC 3805 types its table columns so); any other
 * type, or a value outside Integer32, is no value. */
static gboolean
varbind_int (const PwSnmpVarbind *varbind,
             gint64              *value)
{
  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_INTEGER ||
      varbind->integer < G_MININT32 || varbind->integer > G_MAXINT32)
    return FALSE;
  *value = varbind->integer;
  return TRUE;
}

/* A meter: a non-negative INTEGER, Counter32 or Counter64 that fits in gint64. */
static gboolean
varbind_counter (const PwSnmpVarbind *varbind,
                 gint64              *value)
{
  if (varbind == NULL)
    return FALSE;
  if (varbind->type == PW_SNMP_VALUE_INTEGER && varbind->integer >= 0)
    {
      *value = varbind->integer;
      return TRUE;
    }
  if ((varbind->type == PW_SNMP_VALUE_COUNTER32 || varbind->type == PW_SNMP_VALUE_COUNTER64) &&
      varbind->counter <= G_MAXINT64)
    {
      *value = (gint64) varbind->counter;
      return TRUE;
    }
  return FALSE;
}

/* Uptimes and prtAlertTime are TimeTicks; some agents send INTEGER. */
static gboolean
varbind_ticks (const PwSnmpVarbind *varbind,
               gint64              *value)
{
  if (varbind != NULL && varbind->type == PW_SNMP_VALUE_TIME_TICKS)
    {
      *value = (gint64) varbind->counter;
      return TRUE;
    }
  return varbind != NULL && varbind->type == PW_SNMP_VALUE_INTEGER && varbind_counter (varbind, value);
}

/* The instance part of @oid under @column ("1.2" of column.1.2), or NULL. */
static const char *
instance_of (const char *oid,
             const char *column)
{
  gsize len = strlen (column);

  if (oid == NULL || strncmp (oid, column, len) != 0 || oid[len] != '.' || oid[len + 1] == '\0')
    return NULL;
  return oid + len + 1;
}

/* The rows of one walked column by instance: the first answer for each,
 * nothing from outside the column, no exceptions. Keys and values point
 * into the walk's varbinds. */
static GHashTable *
column_rows (GPtrArray **columns,
             guint       walk)
{
  GHashTable *rows = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *varbinds = columns[walk];

  for (guint i = 0; varbinds != NULL && i < varbinds->len; i++)
    {
      PwSnmpVarbind *varbind = varbinds->pdata[i];
      const char *instance = instance_of (varbind->oid, _pw_poller_walks[walk].oid);

      if (instance != NULL && !pw_snmp_varbind_is_exception (varbind) &&
          !g_hash_table_contains (rows, instance))
        g_hash_table_insert (rows, (gpointer) instance, varbind);
    }
  return rows;
}

/* The last sub-identifier of an instance: prtMarkerSuppliesIndex of
 * "hrDeviceIndex.prtMarkerSuppliesIndex", and the like. */
static gint
instance_index (const char *instance)
{
  const char *last = strrchr (instance, '.');
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (last != NULL ? last + 1 : instance, 10, 0, G_MAXINT32, &value, NULL))
    return 0;
  return (gint) value;
}

/* The rows of a table whose columns were walked separately: every
 * instance any of them answered, in walk order, at most max_rows. */
static GPtrArray *
table_instances (GPtrArray **columns,
                 guint       first,
                 guint       last,
                 guint       max_rows)
{
  GPtrArray *instances = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint w = first; w <= last; w++)
    for (guint i = 0; columns[w] != NULL && i < columns[w]->len && instances->len < max_rows; i++)
      {
        PwSnmpVarbind *varbind = columns[w]->pdata[i];
        const char *instance = instance_of (varbind->oid, _pw_poller_walks[w].oid);

        if (instance != NULL && !pw_snmp_varbind_is_exception (varbind) &&
            g_hash_table_add (seen, (gpointer) instance))
          g_ptr_array_add (instances, (gpointer) instance);
      }
  return instances;
}

static const PwSnmpVarbind *
scalar (GPtrArray  *varbinds,
        const char *oid)
{
  for (guint i = 0; varbinds != NULL && i < varbinds->len; i++)
    {
      const PwSnmpVarbind *varbind = varbinds->pdata[i];

      if (g_strcmp0 (varbind->oid, oid) == 0 && !pw_snmp_varbind_is_exception (varbind))
        return varbind;
    }
  return NULL;
}

/* The first non-empty text of a column. */
static char *
first_text (GPtrArray *varbinds)
{
  for (guint i = 0; varbinds != NULL && i < varbinds->len; i++)
    {
      g_autofree char *text = pw_snmp_varbind_dup_text (varbinds->pdata[i]);

      if (text != NULL && text[0] != '\0')
        return g_steal_pointer (&text);
    }
  return NULL;
}

/* hrPrinterDetectedErrorState (RFC 2790): bit 0 is the most significant
 * bit of the first octet. Bit n is kept as 1 << n; octets past the fourth
 * carry no bit RFC 2790 defines. */
static guint32
error_state_bits (const PwSnmpVarbind *varbind)
{
  const guint8 *b;
  gsize len = 0;
  guint32 bits = 0;

  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_OCTET_STRING || varbind->octets == NULL)
    return 0;
  b = g_bytes_get_data (varbind->octets, &len);
  for (gsize i = 0; i < MIN (len, 4); i++)
    for (guint j = 0; j < 8; j++)
      if (b[i] & (0x80 >> j))
        bits |= 1u << (i * 8 + j);
  return bits;
}

static void
read_status (GPtrArray  **columns,
             PwSnapshot  *snapshot,
             char       **device_descr)
{
  g_autoptr(GHashTable) descrs = column_rows (columns, WALK_HR_DEVICE_DESCR);
  g_autoptr(GHashTable) device_status = column_rows (columns, WALK_HR_DEVICE_STATUS);
  g_autoptr(GHashTable) printer_status = column_rows (columns, WALK_HR_PRINTER_STATUS);
  g_autoptr(GHashTable) errors = column_rows (columns, WALK_HR_PRINTER_ERRORS);
  GPtrArray *types = columns[WALK_HR_DEVICE_TYPE];
  const char *row = NULL;
  gint64 device = 0, printer = 0;

  /* The printer's hrDeviceEntry; hrPrinterTable shares its index (RFC 2790). */
  for (guint i = 0; types != NULL && i < types->len && row == NULL; i++)
    {
      const PwSnmpVarbind *varbind = types->pdata[i];

      if (varbind->type == PW_SNMP_VALUE_OID && g_strcmp0 (varbind->oid_value, HR_DEVICE_PRINTER) == 0)
        row = instance_of (varbind->oid, _pw_poller_walks[WALK_HR_DEVICE_TYPE].oid);
    }
  if (row == NULL)
    return;

  *device_descr = pw_snmp_varbind_dup_text (g_hash_table_lookup (descrs, row));
  /* Out of the enumerations' ranges is as good as not told. */
  if (!varbind_int (g_hash_table_lookup (device_status, row), &device) ||
      device < PW_DEVICE_STATUS_UNKNOWN || device > PW_DEVICE_STATUS_DOWN)
    device = PW_DEVICE_STATUS_NONE;
  if (!varbind_int (g_hash_table_lookup (printer_status, row), &printer) ||
      printer < PW_PRINTER_STATUS_OTHER || printer > PW_PRINTER_STATUS_WARMUP)
    printer = PW_PRINTER_STATUS_NONE;
  pw_snapshot_set_status (snapshot, (PwDeviceStatus) device, (PwPrinterStatus) printer,
                          error_state_bits (g_hash_table_lookup (errors, row)));
}

/* prtMarkerLifeCount (RFC 3805 prtMarkerTable): the first marker's is the
 * device's "total"; with several markers each is also kept by index. */
static void
read_counters (GPtrArray  **columns,
               PwSnapshot  *snapshot)
{
  g_autoptr(GHashTable) units = column_rows (columns, WALK_MARKER_UNIT);
  g_autoptr(GPtrArray) rows = table_instances (columns, WALK_MARKER_LIFE_COUNT, WALK_MARKER_LIFE_COUNT,
                                               SMALL_TABLE_ROWS);
  g_autoptr(GHashTable) counts = column_rows (columns, WALK_MARKER_LIFE_COUNT);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      const char *unit = NULL;
      gint64 value = 0, unit_value = 0;

      if (!varbind_counter (g_hash_table_lookup (counts, row), &value))
        continue;
      if (varbind_int (g_hash_table_lookup (units, row), &unit_value) &&
          unit_value >= 0 && unit_value < (gint64) G_N_ELEMENTS (marker_units))
        unit = marker_units[unit_value];
      /* A broken first marker leaves no total: another marker's count
       * would pass for the device's. */
      if (i == 0)
        pw_snapshot_add_counter (snapshot, "total", value, unit);
      if (rows->len > 1)
        {
          g_autofree char *name = g_strdup_printf ("total-marker-%d", instance_index (row));

          pw_snapshot_add_counter (snapshot, name, value, unit);
        }
    }
}

static gint
int_or (GHashTable *column,
        const char *row,
        gint        fallback)
{
  gint64 value = 0;

  return varbind_int (g_hash_table_lookup (column, row), &value) ? (gint) value : fallback;
}

/* prtMarkerSuppliesTable (RFC 3805): levels and capacities
 * keep -1 other, -2 unknown, -3 "some remaining"; a missing, mistyped or
 * lower value is unknown. The colour is the colorant the row points to. */
static void
read_supplies (GPtrArray  **columns,
               PwSnapshot  *snapshot)
{
  GHashTable *cells[N_WALKS] = { NULL };
  g_autoptr(GPtrArray) rows = table_instances (columns, WALK_SUPPLY_COLORANT, WALK_SUPPLY_LEVEL,
                                               PW_POLLER_MAX_TABLE_ROWS);

  for (guint w = WALK_SUPPLY_COLORANT; w <= WALK_COLORANT_VALUE; w++)
    cells[w] = column_rows (columns, w);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      const char *dot = strrchr (row, '.');
      g_autofree char *description = pw_snmp_varbind_dup_text (g_hash_table_lookup (cells[WALK_SUPPLY_DESCR], row));
      g_autofree char *colour = NULL;
      gint colorant = int_or (cells[WALK_SUPPLY_COLORANT], row, 0);
      PwSupply supply = {
        .index = instance_index (row),
        .description = description,
        .type = int_or (cells[WALK_SUPPLY_TYPE], row, 0),
        .supply_class = int_or (cells[WALK_SUPPLY_CLASS], row, 0),
        .unit = int_or (cells[WALK_SUPPLY_UNIT], row, 0),
        .max_capacity = int_or (cells[WALK_SUPPLY_MAX], row, -2),
        .level = int_or (cells[WALK_SUPPLY_LEVEL], row, -2),
      };

      if (supply.max_capacity < -3)
        supply.max_capacity = -2;
      if (supply.level < -3)
        supply.level = -2;
      /* prtMarkerColorantTable shares the hrDeviceIndex; 0 means no colorant. */
      if (colorant > 0)
        {
          g_autofree char *key = dot != NULL ? g_strdup_printf ("%.*s.%d", (int) (dot - row), row, colorant)
                                             : g_strdup_printf ("%d", colorant);

          colour = pw_snmp_varbind_dup_text (g_hash_table_lookup (cells[WALK_COLORANT_VALUE], key));
          if (colour != NULL && colour[0] == '\0')
            g_clear_pointer (&colour, g_free);
        }
      supply.colour = colour;
      pw_snapshot_add_supply (snapshot, &supply);
    }

  for (guint w = WALK_SUPPLY_COLORANT; w <= WALK_COLORANT_VALUE; w++)
    g_hash_table_unref (cells[w]);
}

/* prtAlertTable (RFC 3805). */
static void
read_alerts (GPtrArray  **columns,
             PwSnapshot  *snapshot)
{
  GHashTable *cells[N_WALKS] = { NULL };
  g_autoptr(GPtrArray) rows = table_instances (columns, WALK_ALERT_SEVERITY, WALK_ALERT_TIME,
                                               PW_POLLER_MAX_TABLE_ROWS);

  for (guint w = WALK_ALERT_SEVERITY; w <= WALK_ALERT_TIME; w++)
    cells[w] = column_rows (columns, w);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      g_autofree char *description = pw_snmp_varbind_dup_text (g_hash_table_lookup (cells[WALK_ALERT_DESCR], row));
      PwAlert alert = {
        .index = instance_index (row),
        .severity = int_or (cells[WALK_ALERT_SEVERITY], row, 0),
        .training = int_or (cells[WALK_ALERT_TRAINING], row, 0),
        .group = int_or (cells[WALK_ALERT_GROUP], row, 0),
        .group_index = int_or (cells[WALK_ALERT_GROUP_INDEX], row, 0),
        .location = int_or (cells[WALK_ALERT_LOCATION], row, 0),
        .code = int_or (cells[WALK_ALERT_CODE], row, 0),
        .description = description,
        .time = 0,
      };

      if (!varbind_ticks (g_hash_table_lookup (cells[WALK_ALERT_TIME], row), &alert.time))
        alert.time = 0;
      pw_snapshot_add_alert (snapshot, &alert);
    }

  for (guint w = WALK_ALERT_SEVERITY; w <= WALK_ALERT_TIME; w++)
    g_hash_table_unref (cells[w]);
}

/* An empty string is as good as not told. */
static const char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* Makes a snapshot of the walked columns, taken at @taken_at (unix seconds). */
PwSnapshot *
_pw_poller_build_snapshot (GPtrArray **columns,
                           gint64      taken_at)
{
  g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (taken_at);
  GPtrArray *system = columns[WALK_SYSTEM];
  const PwSnmpVarbind *object_id = scalar (system, "1.3.6.1.2.1.1.2.0");
  const char *sys_object_id = object_id != NULL && object_id->type == PW_SNMP_VALUE_OID ? object_id->oid_value : NULL;
  g_autofree char *sys_descr = pw_snmp_varbind_dup_text (scalar (system, "1.3.6.1.2.1.1.1.0"));
  g_autofree char *contact = pw_snmp_varbind_dup_text (scalar (system, "1.3.6.1.2.1.1.4.0"));
  g_autofree char *sys_name = pw_snmp_varbind_dup_text (scalar (system, "1.3.6.1.2.1.1.5.0"));
  g_autofree char *location = pw_snmp_varbind_dup_text (scalar (system, "1.3.6.1.2.1.1.6.0"));
  g_autofree char *serial = first_text (columns[WALK_SERIAL]);
  g_autofree char *printer_name = first_text (columns[WALK_PRINTER_NAME]);
  g_autofree char *device_id = first_text (columns[WALK_DEVICE_ID]);
  g_autofree char *device_descr = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *vendor = NULL;
  g_autofree char *model = NULL;
  GPtrArray *interfaces = columns[WALK_IF_PHYS_ADDRESS];
  gint64 uptime = 0;
  PwIdentityClues clues;

  if (varbind_ticks (scalar (system, "1.3.6.1.2.1.1.3.0"), &uptime))
    pw_snapshot_set_uptime (snapshot, uptime);
  for (guint i = 0; interfaces != NULL && i < interfaces->len && mac == NULL; i++)
    mac = pw_snmp_varbind_dup_mac (interfaces->pdata[i]);
  read_status (columns, snapshot, &device_descr);

  clues = (PwIdentityClues) {
    .sys_object_id = sys_object_id,
    .sys_descr = sys_descr,
    .device_descr = device_descr,
    .device_id = device_id,
    .printer_name = printer_name,
  };
  pw_profile_identify (pw_profile_get_default (), &clues, &vendor, &model);

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, vendor);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, model);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, serial);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MAC, mac);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME, nonempty (sys_name));
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_DESCR, nonempty (sys_descr));
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_OBJECT_ID, sys_object_id);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION, nonempty (location));
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_CONTACT, nonempty (contact));

  read_counters (columns, snapshot);
  read_supplies (columns, snapshot);
  read_alerts (columns, snapshot);
  return g_steal_pointer (&snapshot);
}
