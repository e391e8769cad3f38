/* pw-snmp-varbind.c: one object name and value, as an SNMP agent sent it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-snmp-varbind"

#include "config.h"

#include "pw-snmp-varbind.h"
#include "pw-text.h"

G_DEFINE_BOXED_TYPE (PwSnmpVarbind, pw_snmp_varbind, pw_snmp_varbind_copy, pw_snmp_varbind_free)

/* Returns: (transfer full): a varbind without value; the caller fills in the field @type uses */
PwSnmpVarbind *
pw_snmp_varbind_new (const char      *oid,
                     PwSnmpValueType  type)
{
  PwSnmpVarbind *varbind = g_new0 (PwSnmpVarbind, 1);

  g_return_val_if_fail (oid != NULL, NULL);

  varbind->oid = g_strdup (oid);
  varbind->type = type;
  return varbind;
}

PwSnmpVarbind *
pw_snmp_varbind_copy (const PwSnmpVarbind *varbind)
{
  PwSnmpVarbind *copy = g_new0 (PwSnmpVarbind, 1);

  copy->oid = g_strdup (varbind->oid);
  copy->type = varbind->type;
  copy->integer = varbind->integer;
  copy->counter = varbind->counter;
  copy->octets = varbind->octets != NULL ? g_bytes_ref (varbind->octets) : NULL;
  copy->oid_value = g_strdup (varbind->oid_value);
  return copy;
}

void
pw_snmp_varbind_free (PwSnmpVarbind *varbind)
{
  if (varbind == NULL)
    return;
  g_free (varbind->oid);
  g_clear_pointer (&varbind->octets, g_bytes_unref);
  g_free (varbind->oid_value);
  g_free (varbind);
}

/* TRUE for noSuchObject, noSuchInstance and endOfMibView: no value, a reason why not. */
gboolean
pw_snmp_varbind_is_exception (const PwSnmpVarbind *varbind)
{
  g_return_val_if_fail (varbind != NULL, FALSE);

  return varbind->type == PW_SNMP_VALUE_NO_SUCH_OBJECT ||
         varbind->type == PW_SNMP_VALUE_NO_SUCH_INSTANCE ||
         varbind->type == PW_SNMP_VALUE_END_OF_MIB_VIEW;
}

/**
 * pw_snmp_varbind_dup_text:
 * @varbind: (nullable): an OCTET STRING from an agent
 *
 * Returns: (transfer full) (nullable): its text, made safe by
 *   pw_text_sanitize () over its real length; %NULL for any other type
 */
char *
pw_snmp_varbind_dup_text (const PwSnmpVarbind *varbind)
{
  gsize len = 0;
  const char *data;

  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_OCTET_STRING || varbind->octets == NULL)
    return NULL;
  data = g_bytes_get_data (varbind->octets, &len);
  return pw_text_sanitize (data, (gssize) len, PW_TEXT_MAX_CHARS);
}

/**
 * pw_snmp_varbind_dup_pml_text:
 * @varbind: (nullable): an OCTET STRING from HP's PML MIB
 *
 * HP's PML strings begin with two bytes naming their symbol set (01 15 is
 * Roman-8) and may carry more after a control character; a value that does
 * not begin so is taken as plain text.
 *
 * Returns: (transfer full) (nullable): its text, as pw_snmp_varbind_dup_text ()
 */
char *
pw_snmp_varbind_dup_pml_text (const PwSnmpVarbind *varbind)
{
  gsize len = 0;
  const guchar *data;

  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_OCTET_STRING || varbind->octets == NULL)
    return NULL;
  data = g_bytes_get_data (varbind->octets, &len);
  if (len >= 2 && data[0] < 0x20 && data[1] < 0x20)
    {
      gsize end = 2;

      while (end < len && data[end] >= 0x20)
        end++;
      return pw_text_sanitize ((const char *) data + 2, (gssize) (end - 2), PW_TEXT_MAX_CHARS);
    }
  return pw_text_sanitize ((const char *) data, (gssize) len, PW_TEXT_MAX_CHARS);
}

/**
 * pw_snmp_varbind_dup_mac:
 * @varbind: (nullable): an ifPhysAddress value
 *
 * Returns: (transfer full) (nullable): "aa:bb:cc:dd:ee:ff" when it holds six
 *   bytes that are not all zero (the loopback interface has none)
 */
char *
pw_snmp_varbind_dup_mac (const PwSnmpVarbind *varbind)
{
  const guint8 *b;
  gsize len = 0;

  if (varbind == NULL || varbind->type != PW_SNMP_VALUE_OCTET_STRING || varbind->octets == NULL)
    return NULL;
  b = g_bytes_get_data (varbind->octets, &len);
  if (len != 6 || (b[0] | b[1] | b[2] | b[3] | b[4] | b[5]) == 0)
    return NULL;
  return g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
}
