/* pw-poller-columns.c: reading walked columns and tables, trusting nothing.
 *
 * A value of the wrong type is no value; a table's rows are capped however
 * many the agent claims; exceptions (noSuchObject and the like) are skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-poller"

#include "config.h"

#include "pw-poller-private.h"

#include <string.h>

/* An Integer32 column (RFC 3805 types its table columns so); any other
 * type, or a value outside Integer32, is no value. */
gboolean
_pw_varbind_int (const PwSnmpVarbind *varbind,
                 gint64              *value)
{
  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_INTEGER ||
      varbind->integer < G_MININT32 || varbind->integer > G_MAXINT32)
    return FALSE;
  *value = varbind->integer;
  return TRUE;
}

/* A meter: a non-negative INTEGER, Counter32 or Counter64 that fits in gint64. */
gboolean
_pw_varbind_counter (const PwSnmpVarbind *varbind,
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
gboolean
_pw_varbind_ticks (const PwSnmpVarbind *varbind,
                   gint64              *value)
{
  if (varbind != NULL && varbind->type == PW_SNMP_VALUE_TIME_TICKS)
    {
      *value = (gint64) varbind->counter;
      return TRUE;
    }
  return varbind != NULL && varbind->type == PW_SNMP_VALUE_INTEGER && _pw_varbind_counter (varbind, value);
}

/* The instance part of @oid under @column ("1.2" of column.1.2), or NULL. */
const char *
_pw_instance_of (const char *oid,
                 const char *column)
{
  gsize len = strlen (column);

  if (oid == NULL || strncmp (oid, column, len) != 0 || oid[len] != '.' || oid[len + 1] == '\0')
    return NULL;
  return oid + len + 1;
}

/* The cells of one column by instance: the first answer for each, nothing
 * from outside the column, no exceptions. Keys and values point into
 * @varbinds. */
GHashTable *
_pw_cells_of (GPtrArray  *varbinds,
              const char *column)
{
  GHashTable *rows = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; varbinds != NULL && i < varbinds->len; i++)
    {
      PwSnmpVarbind *varbind = varbinds->pdata[i];
      const char *instance = _pw_instance_of (varbind->oid, column);

      if (instance != NULL && !pw_snmp_varbind_is_exception (varbind) &&
          !g_hash_table_contains (rows, instance))
        g_hash_table_insert (rows, (gpointer) instance, varbind);
    }
  return rows;
}

/* The rows of one walked column by instance. */
GHashTable *
_pw_column_rows (GPtrArray **columns,
                 guint       walk)
{
  return _pw_cells_of (columns[walk], _pw_poller_walks[walk].oid);
}

/* The last sub-identifier of an instance: prtMarkerSuppliesIndex of
 * "hrDeviceIndex.prtMarkerSuppliesIndex", and the like. */
gint
_pw_instance_index (const char *instance)
{
  const char *last = strrchr (instance, '.');
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (last != NULL ? last + 1 : instance, 10, 0, G_MAXINT32, &value, NULL))
    return 0;
  return (gint) value;
}

/* The rows of a table whose columns were walked separately: every
 * instance any of them answered, in walk order, at most max_rows. */
GPtrArray *
_pw_table_instances (GPtrArray **columns,
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
        const char *instance = _pw_instance_of (varbind->oid, _pw_poller_walks[w].oid);

        if (instance != NULL && !pw_snmp_varbind_is_exception (varbind) &&
            g_hash_table_add (seen, (gpointer) instance))
          g_ptr_array_add (instances, (gpointer) instance);
      }
  return instances;
}

const PwSnmpVarbind *
_pw_scalar (GPtrArray  *varbinds,
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
char *
_pw_first_text (GPtrArray *varbinds)
{
  for (guint i = 0; varbinds != NULL && i < varbinds->len; i++)
    {
      g_autofree char *text = pw_snmp_varbind_dup_text (varbinds->pdata[i]);

      if (text != NULL && text[0] != '\0')
        return g_steal_pointer (&text);
    }
  return NULL;
}

gint
_pw_int_or (GHashTable *column,
            const char *row,
            gint        fallback)
{
  gint64 value = 0;

  return _pw_varbind_int (g_hash_table_lookup (column, row), &value) ? (gint) value : fallback;
}

GHashTable *
_pw_entry_column (GPtrArray  *varbinds,
                  const char *entry,
                  guint       column)
{
  g_autofree char *oid = g_strdup_printf ("%s.%u", entry, column);

  return _pw_cells_of (varbinds, oid);
}

/* The rows of a table whose whole entry was walked: every instance under
 * any column, in walk order. The strings point into @varbinds. */
GPtrArray *
_pw_entry_rows (GPtrArray  *varbinds,
                const char *entry)
{
  GPtrArray *rows = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; varbinds != NULL && i < varbinds->len && rows->len < SMALL_TABLE_ROWS; i++)
    {
      const PwSnmpVarbind *varbind = varbinds->pdata[i];
      const char *cell = _pw_instance_of (varbind->oid, entry);
      const char *row = cell != NULL ? strchr (cell, '.') : NULL;

      if (row != NULL && row[1] != '\0' && !pw_snmp_varbind_is_exception (varbind) &&
          g_hash_table_add (seen, (gpointer) (row + 1)))
        g_ptr_array_add (rows, (gpointer) (row + 1));
    }
  return rows;
}

/* A capacity or level of RFC 3805: -1 other, -2 unknown, -3 some remaining
 * are kept; any other negative, mistyped or missing value is unknown. */
gint64
_pw_capacity_or_unknown (GHashTable *column,
                         const char *row)
{
  gint64 value = 0;

  if (!_pw_varbind_int (g_hash_table_lookup (column, row), &value) || value < -3)
    return -2;
  return value;
}
