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
#include "pw-mib-names.h"
#include "pw-profile.h"
#include "pw-text.h"

#include <string.h>

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
  [WALK_MARKER_POWER_ON_COUNT] = { "1.3.6.1.2.1.43.10.2.1.5", SMALL_TABLE_ROWS },
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
  /* Installed options: the columns pw-poller-options.c reads of small tables. */
  [WALK_INPUT] = { PRT_INPUT_ENTRY, SMALL_TABLE_ROWS, { 2, 8, 9, 10, 12, 13, 18 } },
  [WALK_OUTPUT] = { PRT_OUTPUT_ENTRY, SMALL_TABLE_ROWS, { 2, 3, 4, 5, 7, 12 } },
  [WALK_MEDIA_PATH_TYPE] = { "1.3.6.1.2.1.43.13.4.1.9", SMALL_TABLE_ROWS },
  [WALK_FINISHER] = { FIN_DEVICE_ENTRY, SMALL_TABLE_ROWS, { 2, 3, 4, 5, 6, 10 } },
  [WALK_MEMORY] = { "1.3.6.1.2.1.25.2.2", 1 },
  [WALK_STORAGE] = { HR_STORAGE_ENTRY, SMALL_TABLE_ROWS, { 2, 3, 4, 5, 6 } },
  /* ENTITY-MIB (RFC 6933): the chassis's firmware and serial number. */
  [WALK_ENTITY_CLASS] = { "1.3.6.1.2.1.47.1.1.1.1.5", SMALL_TABLE_ROWS },
  [WALK_ENTITY_FIRMWARE] = { "1.3.6.1.2.1.47.1.1.1.1.9", SMALL_TABLE_ROWS },
  [WALK_ENTITY_SOFTWARE] = { "1.3.6.1.2.1.47.1.1.1.1.10", SMALL_TABLE_ROWS },
  [WALK_ENTITY_SERIAL] = { "1.3.6.1.2.1.47.1.1.1.1.11", SMALL_TABLE_ROWS },
};

#define HR_DEVICE_PRINTER "1.3.6.1.2.1.25.3.1.5"

/* prtMarkerCounterUnit of a marker row, as a nick ("impressions"), or NULL. */
static const char *
marker_unit (GHashTable *units,
             const char *row)
{
  gint64 value = 0;
  const char *nick;

  if (!_pw_varbind_int (g_hash_table_lookup (units, row), &value))
    return NULL;
  nick = pw_mib_counter_unit_nick ((int) value);
  return g_str_equal (nick, "unknown") ? NULL : nick;
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
  g_autoptr(GHashTable) descrs = _pw_column_rows (columns, WALK_HR_DEVICE_DESCR);
  g_autoptr(GHashTable) device_status = _pw_column_rows (columns, WALK_HR_DEVICE_STATUS);
  g_autoptr(GHashTable) printer_status = _pw_column_rows (columns, WALK_HR_PRINTER_STATUS);
  g_autoptr(GHashTable) errors = _pw_column_rows (columns, WALK_HR_PRINTER_ERRORS);
  GPtrArray *types = columns[WALK_HR_DEVICE_TYPE];
  const char *row = NULL;
  gint64 device = 0, printer = 0;

  /* The printer's hrDeviceEntry; hrPrinterTable shares its index (RFC 2790). */
  for (guint i = 0; types != NULL && i < types->len && row == NULL; i++)
    {
      const PwSnmpVarbind *varbind = types->pdata[i];

      if (varbind->type == PW_SNMP_VALUE_OID && g_strcmp0 (varbind->oid_value, HR_DEVICE_PRINTER) == 0)
        row = _pw_instance_of (varbind->oid, _pw_poller_walks[WALK_HR_DEVICE_TYPE].oid);
    }
  if (row == NULL)
    return;

  *device_descr = pw_snmp_varbind_dup_text (g_hash_table_lookup (descrs, row));
  /* Out of the enumerations' ranges is as good as not told. */
  if (!_pw_varbind_int (g_hash_table_lookup (device_status, row), &device) ||
      device < PW_DEVICE_STATUS_UNKNOWN || device > PW_DEVICE_STATUS_DOWN)
    device = PW_DEVICE_STATUS_NONE;
  if (!_pw_varbind_int (g_hash_table_lookup (printer_status, row), &printer) ||
      printer < PW_PRINTER_STATUS_OTHER || printer > PW_PRINTER_STATUS_WARMUP)
    printer = PW_PRINTER_STATUS_NONE;
  pw_snapshot_set_status (snapshot, (PwDeviceStatus) device, (PwPrinterStatus) printer,
                          error_state_bits (g_hash_table_lookup (errors, row)));
}

/* prtMarkerPowerOnCount of the first marker: what it printed since it was
 * last switched on, in the unit of its life count. */
static void
read_power_on_count (GPtrArray  **columns,
                     PwSnapshot  *snapshot)
{
  g_autoptr(GPtrArray) rows = _pw_table_instances (columns, WALK_MARKER_POWER_ON_COUNT, WALK_MARKER_POWER_ON_COUNT, 1);
  g_autoptr(GHashTable) counts = _pw_column_rows (columns, WALK_MARKER_POWER_ON_COUNT);
  g_autoptr(GHashTable) units = _pw_column_rows (columns, WALK_MARKER_UNIT);
  gint64 value = 0;

  if (rows->len == 0 || !_pw_varbind_counter (g_hash_table_lookup (counts, rows->pdata[0]), &value))
    return;
  pw_snapshot_add_counter (snapshot, "since-power-on", value, marker_unit (units, rows->pdata[0]));
}

/* prtMarkerLifeCount (RFC 3805 prtMarkerTable): the first marker's is the
 * device's "total"; with several markers each is also kept by index. */
static void
read_counters (GPtrArray  **columns,
               PwSnapshot  *snapshot)
{
  g_autoptr(GHashTable) units = _pw_column_rows (columns, WALK_MARKER_UNIT);
  g_autoptr(GPtrArray) rows = _pw_table_instances (columns, WALK_MARKER_LIFE_COUNT, WALK_MARKER_LIFE_COUNT,
                                                   SMALL_TABLE_ROWS);
  g_autoptr(GHashTable) counts = _pw_column_rows (columns, WALK_MARKER_LIFE_COUNT);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      const char *unit = marker_unit (units, row);
      gint64 value = 0;

      if (!_pw_varbind_counter (g_hash_table_lookup (counts, row), &value))
        continue;
      /* A broken first marker leaves no total: another marker's count
       * would pass for the device's. */
      if (i == 0)
        pw_snapshot_add_counter (snapshot, "total", value, unit);
      if (rows->len > 1)
        {
          g_autofree char *name = g_strdup_printf ("total-marker-%d", _pw_instance_index (row));

          pw_snapshot_add_counter (snapshot, name, value, unit);
        }
    }
  read_power_on_count (columns, snapshot);
}


/* prtMarkerSuppliesTable (RFC 3805): levels and capacities
 * keep -1 other, -2 unknown, -3 "some remaining"; a missing, mistyped or
 * lower value is unknown. The colour is the colorant the row points to. */
static void
read_supplies (GPtrArray  **columns,
               PwSnapshot  *snapshot)
{
  GHashTable *cells[N_WALKS] = { NULL };
  g_autoptr(GPtrArray) rows = _pw_table_instances (columns, WALK_SUPPLY_COLORANT, WALK_SUPPLY_LEVEL,
                                                   PW_POLLER_MAX_TABLE_ROWS);

  for (guint w = WALK_SUPPLY_COLORANT; w <= WALK_COLORANT_VALUE; w++)
    cells[w] = _pw_column_rows (columns, w);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      const char *dot = strrchr (row, '.');
      g_autofree char *description = pw_snmp_varbind_dup_text (g_hash_table_lookup (cells[WALK_SUPPLY_DESCR], row));
      g_autofree char *colour = NULL;
      gint colorant = _pw_int_or (cells[WALK_SUPPLY_COLORANT], row, 0);
      PwSupply supply = {
        .index = _pw_instance_index (row),
        .description = description,
        .type = _pw_int_or (cells[WALK_SUPPLY_TYPE], row, 0),
        .supply_class = _pw_int_or (cells[WALK_SUPPLY_CLASS], row, 0),
        .unit = _pw_int_or (cells[WALK_SUPPLY_UNIT], row, 0),
        .max_capacity = _pw_int_or (cells[WALK_SUPPLY_MAX], row, -2),
        .level = _pw_int_or (cells[WALK_SUPPLY_LEVEL], row, -2),
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
  g_autoptr(GPtrArray) rows = _pw_table_instances (columns, WALK_ALERT_SEVERITY, WALK_ALERT_TIME,
                                                   PW_POLLER_MAX_TABLE_ROWS);

  for (guint w = WALK_ALERT_SEVERITY; w <= WALK_ALERT_TIME; w++)
    cells[w] = _pw_column_rows (columns, w);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      g_autofree char *description = pw_snmp_varbind_dup_text (g_hash_table_lookup (cells[WALK_ALERT_DESCR], row));
      PwAlert alert = {
        .index = _pw_instance_index (row),
        .severity = _pw_int_or (cells[WALK_ALERT_SEVERITY], row, 0),
        .training = _pw_int_or (cells[WALK_ALERT_TRAINING], row, 0),
        .group = _pw_int_or (cells[WALK_ALERT_GROUP], row, 0),
        .group_index = _pw_int_or (cells[WALK_ALERT_GROUP_INDEX], row, 0),
        .location = _pw_int_or (cells[WALK_ALERT_LOCATION], row, 0),
        .code = _pw_int_or (cells[WALK_ALERT_CODE], row, 0),
        .description = description,
        .time = 0,
      };

      if (!_pw_varbind_ticks (g_hash_table_lookup (cells[WALK_ALERT_TIME], row), &alert.time))
        alert.time = 0;
      pw_snapshot_add_alert (snapshot, &alert);
    }

  for (guint w = WALK_ALERT_SEVERITY; w <= WALK_ALERT_TIME; w++)
    g_hash_table_unref (cells[w]);
}


/* A vendor's meter: a counter, or text that starts with one ("1920
 * INCHES, 4876 CENTIMETERS"), as some private MIBs give them. */
static gboolean
vendor_counter (const PwSnmpVarbind *varbind,
                gint64              *value)
{
  const char *data;
  gsize len = 0, digits = 0;
  guint64 number = 0;

  if (_pw_varbind_counter (varbind, value))
    return TRUE;
  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_OCTET_STRING || varbind->octets == NULL)
    return FALSE;
  data = g_bytes_get_data (varbind->octets, &len);
  while (len > 0 && *data == ' ')
    data++, len--;
  /* 18 digits always fit in 63 bits. */
  for (; digits < len && digits < 18 && g_ascii_isdigit (data[digits]); digits++)
    number = number * 10 + (guint64) (data[digits] - '0');
  if (digits == 0 || (digits < len && g_ascii_isdigit (data[digits])))
    return FALSE;
  *value = (gint64) number;
  return TRUE;
}

/* The rows of a vendor's counter table, each under the name the printer
 * gives it in the names' column (a name already read stays). */
static gboolean
is_queried (GPtrArray  *queries,
            const char *oid)
{
  for (guint i = 0; i < queries->len; i++)
    if (g_str_equal (((PwProfileQuery *) queries->pdata[i])->oid, oid))
      return TRUE;
  return FALSE;
}

static void
add_counter_table (PwSnapshot           *snapshot,
                   const PwProfileQuery *table,
                   GPtrArray            *queries,
                   GPtrArray            *varbinds)
{
  g_autoptr(GHashTable) values = _pw_cells_of (varbinds, table->oid);
  g_autoptr(GHashTable) names = _pw_cells_of (varbinds, table->name);

  /* In the order walked: the first answer for each row, as _pw_cells_of () keeps. */
  for (guint i = 0; i < varbinds->len; i++)
    {
      const PwSnmpVarbind *varbind = varbinds->pdata[i];
      const char *row = _pw_instance_of (varbind->oid, table->oid);
      g_autofree char *name = NULL;
      gint64 value = 0;

      /* A row the profile names already is read under that name. */
      if (row == NULL || g_hash_table_lookup (values, row) != varbind || is_queried (queries, varbind->oid))
        continue;
      name = pw_snmp_varbind_dup_text (g_hash_table_lookup (names, row));
      if (name == NULL || g_strstrip (name)[0] == '\0' || g_utf8_strlen (name, -1) > 64 ||
          !vendor_counter (varbind, &value) || pw_snapshot_lookup_counter (snapshot, name, NULL))
        continue;
      pw_snapshot_add_counter (snapshot, name, value, table->unit);
    }
}

/* What to ask the vendor's MIB for after the standard MIBs: the profile's
 * queries for the snapshot's vendor and model, without the serial number
 * and firmware where the standard MIBs told them, and at most one GET's
 * worth of single objects.
 *
 * Returns: (transfer container) (element-type PwProfileQuery): queries the
 *   default profile owns */
GPtrArray *
_pw_poller_vendor_queries (PwSnapshot *snapshot)
{
  g_autoptr(GPtrArray) all = pw_profile_get_queries (pw_profile_get_default (),
                                                     pw_snapshot_get_identity (snapshot, PW_IDENTITY_VENDOR),
                                                     pw_snapshot_get_identity (snapshot, PW_IDENTITY_MODEL));
  GPtrArray *queries = g_ptr_array_new ();
  guint gets = 0;

  for (guint i = 0; i < all->len && gets < PW_SNMP_GET_MAX_OIDS; i++)
    {
      PwProfileQuery *query = all->pdata[i];

      if ((query->kind == PW_PROFILE_QUERY_SERIAL &&
           pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL) != NULL) ||
          (query->kind == PW_PROFILE_QUERY_FIRMWARE &&
           pw_snapshot_get_identity (snapshot, PW_IDENTITY_FIRMWARE) != NULL))
        continue;
      g_ptr_array_add (queries, query);
      if (query->kind != PW_PROFILE_QUERY_COUNTER_TABLE)
        gets++;
    }
  return queries;
}

/* What a vendor's MIB answered to pw_profile_get_queries (): the serial
 * number and firmware when the standard MIBs had none, and its meters
 * under the profile's names (a standard meter of the same name stays). */
void
_pw_poller_apply_vendor (PwSnapshot *snapshot,
                         GPtrArray  *queries,
                         GPtrArray  *varbinds)
{
  PwProfile *profile = pw_profile_get_default ();
  gboolean pml = pw_profile_get_pml_text (profile, pw_snapshot_get_identity (snapshot, PW_IDENTITY_VENDOR));

  for (guint q = 0; q < queries->len; q++)
    {
      const PwProfileQuery *query = queries->pdata[q];
      const PwSnmpVarbind *answer = _pw_scalar (varbinds, query->oid);
      g_autofree char *text = NULL;
      gint64 value = 0;

      if (answer == NULL && query->kind != PW_PROFILE_QUERY_COUNTER_TABLE)
        continue;
      switch (query->kind)
        {
        case PW_PROFILE_QUERY_SERIAL:
        case PW_PROFILE_QUERY_FIRMWARE:
          {
            PwIdentityField field = query->kind == PW_PROFILE_QUERY_SERIAL ? PW_IDENTITY_SERIAL
                                                                           : PW_IDENTITY_FIRMWARE;

            text = pml ? pw_snmp_varbind_dup_pml_text (answer) : pw_snmp_varbind_dup_text (answer);
            if (pw_snapshot_get_identity (snapshot, field) == NULL && text != NULL && text[0] != '\0')
              pw_snapshot_set_identity (snapshot, field, g_strstrip (text));
          }
          break;
        case PW_PROFILE_QUERY_COUNTER:
          if (vendor_counter (answer, &value) && !pw_snapshot_lookup_counter (snapshot, query->name, NULL))
            pw_snapshot_add_counter (snapshot, query->name, value, query->unit);
          break;
        case PW_PROFILE_QUERY_COUNTER_TABLE:
          add_counter_table (snapshot, query, queries, varbinds);
          break;
        case PW_PROFILE_QUERY_COUNTER_RECORD:
          if (answer->type == PW_SNMP_VALUE_OCTET_STRING &&
              pw_profile_read_counter_record (answer->octets, query->record, &value) &&
              !pw_snapshot_lookup_counter (snapshot, query->name, NULL))
            pw_snapshot_add_counter (snapshot, query->name, value, query->unit);
          break;
        default:
          g_assert_not_reached ();
        }
    }
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
  const PwSnmpVarbind *object_id = _pw_scalar (system, "1.3.6.1.2.1.1.2.0");
  const char *sys_object_id = object_id != NULL && object_id->type == PW_SNMP_VALUE_OID ? object_id->oid_value : NULL;
  g_autofree char *sys_descr = pw_snmp_varbind_dup_text (_pw_scalar (system, "1.3.6.1.2.1.1.1.0"));
  g_autofree char *contact = pw_snmp_varbind_dup_text (_pw_scalar (system, "1.3.6.1.2.1.1.4.0"));
  g_autofree char *sys_name = pw_snmp_varbind_dup_text (_pw_scalar (system, "1.3.6.1.2.1.1.5.0"));
  g_autofree char *location = pw_snmp_varbind_dup_text (_pw_scalar (system, "1.3.6.1.2.1.1.6.0"));
  g_autofree char *serial = _pw_first_text (columns[WALK_SERIAL]);
  g_autofree char *firmware = _pw_poller_entity_text (columns, WALK_ENTITY_FIRMWARE);
  g_autofree char *printer_name = _pw_first_text (columns[WALK_PRINTER_NAME]);
  g_autofree char *device_id = _pw_first_text (columns[WALK_DEVICE_ID]);
  g_autofree char *device_descr = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *vendor = NULL;
  g_autofree char *model = NULL;
  GPtrArray *interfaces = columns[WALK_IF_PHYS_ADDRESS];
  gint64 uptime = 0;
  PwIdentityClues clues;

  if (_pw_varbind_ticks (_pw_scalar (system, "1.3.6.1.2.1.1.3.0"), &uptime))
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
  if (serial == NULL)
    serial = _pw_poller_entity_text (columns, WALK_ENTITY_SERIAL);
  if (firmware == NULL)
    firmware = _pw_poller_entity_text (columns, WALK_ENTITY_SOFTWARE);
  if (firmware == NULL)
    firmware = pw_profile_find_firmware (pw_profile_get_default (), vendor, sys_descr);

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, vendor);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, model);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, serial);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_FIRMWARE, firmware);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MAC, mac);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME, nonempty (sys_name));
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_DESCR, nonempty (sys_descr));
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_OBJECT_ID, sys_object_id);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION, nonempty (location));
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_CONTACT, nonempty (contact));

  read_counters (columns, snapshot);
  read_supplies (columns, snapshot);
  read_alerts (columns, snapshot);
  _pw_poller_read_options (columns, snapshot);
  return g_steal_pointer (&snapshot);
}
