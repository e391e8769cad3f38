/* pw-snmp-varbind.c: one object name and value, as an SNMP agent sent it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-snmp-varbind"

#include "config.h"

#include "pw-snmp-varbind.h"

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
