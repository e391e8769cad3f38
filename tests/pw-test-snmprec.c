/* pw-test-snmprec.c: the project's .snmprec recordings, read back to check what agents serve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-snmprec.h"
#include "pw-test-snmp.h"

#include <stdlib.h>
#include <string.h>

static void
record_free (PwTestRecord *record)
{
  g_free (record->oid);
  g_free (record->type);
  g_free (record->value);
  g_free (record);
}

/* Returns: (element-type PwTestRecord): the lines of tests/fixtures/snmp/@name.snmprec, in file
 * (and OID) order */
GPtrArray *
pw_test_snmprec_load (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.snmprec", name);
  g_autofree char *path = g_build_filename (pw_test_fixtures_dir (), file, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "|", 3);
      PwTestRecord *record;

      if (g_strv_length (fields) != 3)
        continue;
      record = g_new0 (PwTestRecord, 1);
      record->oid = g_strdup (fields[0]);
      record->type = g_strdup (fields[1]);
      record->value = g_strdup (fields[2]);
      g_ptr_array_add (records, record);
    }
  return records;
}

static GBytes *
record_bytes (const PwTestRecord *record)
{
  gsize len = strlen (record->value);
  guint8 *data;

  if (!g_str_has_suffix (record->type, "x"))
    return g_bytes_new (record->value, len);
  data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i + 1 < len; i += 2)
    data[i / 2] = (guint8) (g_ascii_xdigit_value (record->value[i]) * 16 +
                            g_ascii_xdigit_value (record->value[i + 1]));
  return g_bytes_new_take (data, len / 2);
}

void
pw_test_assert_varbind_matches (const PwSnmpVarbind *varbind,
                                const PwTestRecord  *record)
{
  int type = atoi (record->type);

  g_assert_cmpstr (varbind->oid, ==, record->oid);
  switch (type)
    {
    case 2:
      g_assert_cmpint (varbind->type, ==, PW_SNMP_VALUE_INTEGER);
      g_assert_cmpint (varbind->integer, ==, g_ascii_strtoll (record->value, NULL, 10));
      break;
    case 4:
      {
        g_autoptr(GBytes) expected = record_bytes (record);

        g_assert_cmpint (varbind->type, ==, PW_SNMP_VALUE_OCTET_STRING);
        g_assert_true (g_bytes_equal (varbind->octets, expected));
      }
      break;
    case 6:
      g_assert_cmpint (varbind->type, ==, PW_SNMP_VALUE_OID);
      g_assert_cmpstr (varbind->oid_value, ==, record->value);
      break;
    case 64:
      {
        g_autoptr(GInetAddress) address = g_inet_address_new_from_string (record->value);

        g_assert_cmpint (varbind->type, ==, PW_SNMP_VALUE_IP_ADDRESS);
        g_assert_cmpmem (g_bytes_get_data (varbind->octets, NULL), g_bytes_get_size (varbind->octets),
                         g_inet_address_to_bytes (address), 4);
      }
      break;
    case 65:
    case 66:
    case 67:
    case 70:
      g_assert_cmpint (varbind->type, ==, type == 65 ? PW_SNMP_VALUE_COUNTER32
                                          : type == 66 ? PW_SNMP_VALUE_GAUGE32
                                          : type == 67 ? PW_SNMP_VALUE_TIME_TICKS
                                          : PW_SNMP_VALUE_COUNTER64);
      g_assert_cmpuint (varbind->counter, ==, g_ascii_strtoull (record->value, NULL, 10));
      break;
    default:
      g_error ("%s: type %s not compared", record->oid, record->type);
    }
}

static int
oid_compare (const char *a,
             const char *b)
{
  g_auto(GStrv) pa = g_strsplit (a, ".", -1);
  g_auto(GStrv) pb = g_strsplit (b, ".", -1);

  for (guint i = 0; pa[i] != NULL || pb[i] != NULL; i++)
    {
      guint64 x, y;

      if (pa[i] == NULL || pb[i] == NULL)
        return pa[i] == NULL ? -1 : 1;
      x = g_ascii_strtoull (pa[i], NULL, 10);
      y = g_ascii_strtoull (pb[i], NULL, 10);
      if (x != y)
        return x < y ? -1 : 1;
    }
  return 0;
}

/* Returns: the record GETNEXT finds after @oid, or @skip records further; fails past the end */
const PwTestRecord *
pw_test_snmprec_next (GPtrArray  *records,
                      const char *oid,
                      guint       skip)
{
  guint i = 0;

  while (i < records->len && oid_compare (((PwTestRecord *) records->pdata[i])->oid, oid) <= 0)
    i++;
  g_assert_cmpuint (i + skip, <, records->len);
  return records->pdata[i + skip];
}
