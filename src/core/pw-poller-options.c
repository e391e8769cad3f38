/* pw-poller-options.c: a printer's installed options and the ENTITY-MIB.
 *
 * Input trays and output bins (RFC 3805), duplex media paths, finishers
 * (RFC 3806), memory and fixed disks (RFC 2790), and the chassis's
 * firmware and serial number (ENTITY-MIB), each as the printer tells.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-poller"

#include "config.h"

#include "pw-poller-private.h"

/* The columns of prtInputEntry and prtOutputEntry that describe a tray or bin. */
typedef struct {
  PwOptionKind kind;
  guint        walk;
  const char  *entry;
  guint        type, unit, capacity, level, media, name, description;
} TrayTable;

static const TrayTable tray_tables[] = {
  { PW_OPTION_INPUT, WALK_INPUT, PRT_INPUT_ENTRY, 2, 8, 9, 10, 12, 13, 18 },
  { PW_OPTION_OUTPUT, WALK_OUTPUT, PRT_OUTPUT_ENTRY, 2, 3, 4, 5, 0, 7, 12 },
};

static void
read_trays (GPtrArray       **columns,
            const TrayTable  *table,
            PwSnapshot       *snapshot)
{
  GPtrArray *varbinds = columns[table->walk];
  g_autoptr(GPtrArray) rows = _pw_entry_rows (varbinds, table->entry);
  g_autoptr(GHashTable) types = _pw_entry_column (varbinds, table->entry, table->type);
  g_autoptr(GHashTable) units = _pw_entry_column (varbinds, table->entry, table->unit);
  g_autoptr(GHashTable) capacities = _pw_entry_column (varbinds, table->entry, table->capacity);
  g_autoptr(GHashTable) levels = _pw_entry_column (varbinds, table->entry, table->level);
  g_autoptr(GHashTable) media = table->media != 0 ? _pw_entry_column (varbinds, table->entry, table->media) : NULL;
  g_autoptr(GHashTable) names = _pw_entry_column (varbinds, table->entry, table->name);
  g_autoptr(GHashTable) descriptions = _pw_entry_column (varbinds, table->entry, table->description);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      g_autofree char *name = pw_snmp_varbind_dup_text (g_hash_table_lookup (names, row));
      g_autofree char *media_name = media != NULL ? pw_snmp_varbind_dup_text (g_hash_table_lookup (media, row)) : NULL;
      PwOption option = {
        .kind = table->kind,
        .index = _pw_instance_index (row),
        .type = _pw_int_or (types, row, 0),
        .unit = _pw_int_or (units, row, 0),
        .capacity = _pw_capacity_or_unknown (capacities, row),
        .level = _pw_capacity_or_unknown (levels, row),
      };

      if (name == NULL || name[0] == '\0')
        {
          g_free (name);
          name = pw_snmp_varbind_dup_text (g_hash_table_lookup (descriptions, row));
        }
      option.name = name != NULL && name[0] != '\0' ? name : NULL;
      option.media = media_name != NULL && media_name[0] != '\0' ? media_name : NULL;
      pw_snapshot_add_option (snapshot, &option);
    }
}

/* prtMediaPathType (RFC 3805): 3 long-edge and 4 short-edge binding duplex. */
static void
read_duplex (GPtrArray  **columns,
             PwSnapshot  *snapshot)
{
  g_autoptr(GHashTable) types = _pw_column_rows (columns, WALK_MEDIA_PATH_TYPE);
  g_autoptr(GPtrArray) rows = _pw_table_instances (columns, WALK_MEDIA_PATH_TYPE, WALK_MEDIA_PATH_TYPE,
                                                   SMALL_TABLE_ROWS);

  for (guint i = 0; i < rows->len; i++)
    {
      gint type = _pw_int_or (types, rows->pdata[i], 0);
      PwOption option = { .kind = PW_OPTION_DUPLEX, .index = _pw_instance_index (rows->pdata[i]),
                          .type = type, .capacity = -2, .level = -2 };

      if (type == 3 || type == 4)
        pw_snapshot_add_option (snapshot, &option);
    }
}

/* finDeviceTable (RFC 3806): every finisher not said to be absent (5 notPresent). */
static void
read_finishers (GPtrArray  **columns,
                PwSnapshot  *snapshot)
{
  GPtrArray *varbinds = columns[WALK_FINISHER];
  g_autoptr(GPtrArray) rows = _pw_entry_rows (varbinds, FIN_DEVICE_ENTRY);
  g_autoptr(GHashTable) types = _pw_entry_column (varbinds, FIN_DEVICE_ENTRY, 2);
  g_autoptr(GHashTable) present = _pw_entry_column (varbinds, FIN_DEVICE_ENTRY, 3);
  g_autoptr(GHashTable) units = _pw_entry_column (varbinds, FIN_DEVICE_ENTRY, 4);
  g_autoptr(GHashTable) capacities = _pw_entry_column (varbinds, FIN_DEVICE_ENTRY, 5);
  g_autoptr(GHashTable) levels = _pw_entry_column (varbinds, FIN_DEVICE_ENTRY, 6);
  g_autoptr(GHashTable) descriptions = _pw_entry_column (varbinds, FIN_DEVICE_ENTRY, 10);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      g_autofree char *description = pw_snmp_varbind_dup_text (g_hash_table_lookup (descriptions, row));
      PwOption option = {
        .kind = PW_OPTION_FINISHER,
        .index = _pw_instance_index (row),
        .type = _pw_int_or (types, row, 0),
        .name = description != NULL && description[0] != '\0' ? description : NULL,
        .unit = _pw_int_or (units, row, 0),
        .capacity = _pw_capacity_or_unknown (capacities, row),
        .level = _pw_capacity_or_unknown (levels, row),
      };

      if (_pw_int_or (present, row, 0) != 5)
        pw_snapshot_add_option (snapshot, &option);
    }
}

/* @a × @b, or -2 (unknown) when it does not fit in 63 bits. */
static gint64
bytes_or_unknown (gint64 a,
                  gint64 b)
{
  if (a < 0 || b <= 0 || a > G_MAXINT64 / b)
    return -2;
  return a * b;
}

/* hrMemorySize (KiB) and the fixed disks of hrStorageTable (RFC 2790). */
static void
read_memory_and_disks (GPtrArray  **columns,
                       PwSnapshot  *snapshot)
{
  GPtrArray *varbinds = columns[WALK_STORAGE];
  g_autoptr(GPtrArray) rows = _pw_entry_rows (varbinds, HR_STORAGE_ENTRY);
  g_autoptr(GHashTable) types = _pw_entry_column (varbinds, HR_STORAGE_ENTRY, 2);
  g_autoptr(GHashTable) descriptions = _pw_entry_column (varbinds, HR_STORAGE_ENTRY, 3);
  g_autoptr(GHashTable) units = _pw_entry_column (varbinds, HR_STORAGE_ENTRY, 4);
  g_autoptr(GHashTable) sizes = _pw_entry_column (varbinds, HR_STORAGE_ENTRY, 5);
  g_autoptr(GHashTable) used = _pw_entry_column (varbinds, HR_STORAGE_ENTRY, 6);
  gint64 kib = 0;

  if (_pw_varbind_int (_pw_scalar (columns[WALK_MEMORY], "1.3.6.1.2.1.25.2.2.0"), &kib) && kib > 0)
    {
      PwOption memory = { .kind = PW_OPTION_MEMORY, .capacity = bytes_or_unknown (kib, 1024), .level = -2 };

      pw_snapshot_add_option (snapshot, &memory);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = rows->pdata[i];
      const PwSnmpVarbind *type = g_hash_table_lookup (types, row);
      g_autofree char *description = NULL;
      gint64 unit = 0, size = 0, in_use = 0;
      PwOption disk = { .kind = PW_OPTION_DISK, .index = _pw_instance_index (row) };

      if (type == NULL || type->type != PW_SNMP_VALUE_OID ||
          g_strcmp0 (type->oid_value, HR_STORAGE_FIXED_DISK) != 0 ||
          !_pw_varbind_int (g_hash_table_lookup (units, row), &unit) ||
          !_pw_varbind_int (g_hash_table_lookup (sizes, row), &size) || size <= 0)
        continue;
      description = pw_snmp_varbind_dup_text (g_hash_table_lookup (descriptions, row));
      disk.name = description != NULL && description[0] != '\0' ? description : NULL;
      disk.capacity = bytes_or_unknown (size, unit);
      disk.level = _pw_varbind_int (g_hash_table_lookup (used, row), &in_use) ? bytes_or_unknown (in_use, unit) : -2;
      pw_snapshot_add_option (snapshot, &disk);
    }
}

/* ENTITY-MIB: a column's value for the chassis (entPhysicalClass 3); a
 * module's (a network card's firmware, say) is not the printer's. Only
 * when no entity tells its class is the first value taken. */
char *
_pw_poller_entity_text (GPtrArray **columns,
                        guint       walk)
{
  g_autoptr(GHashTable) classes = _pw_column_rows (columns, WALK_ENTITY_CLASS);
  g_autoptr(GHashTable) values = _pw_column_rows (columns, walk);
  g_autoptr(GPtrArray) rows = _pw_table_instances (columns, WALK_ENTITY_CLASS, WALK_ENTITY_CLASS, SMALL_TABLE_ROWS);

  if (g_hash_table_size (classes) == 0)
    return _pw_first_text (columns[walk]);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text = NULL;

      if (_pw_int_or (classes, rows->pdata[i], 0) != ENTITY_CLASS_CHASSIS)
        continue;
      text = pw_snmp_varbind_dup_text (g_hash_table_lookup (values, rows->pdata[i]));
      if (text != NULL && text[0] != '\0')
        return g_steal_pointer (&text);
    }
  return NULL;
}

void
_pw_poller_read_options (GPtrArray  **columns,
                         PwSnapshot  *snapshot)
{
  for (guint i = 0; i < G_N_ELEMENTS (tray_tables); i++)
    read_trays (columns, &tray_tables[i], snapshot);
  read_duplex (columns, snapshot);
  read_finishers (columns, snapshot);
  read_memory_and_disks (columns, snapshot);
}
