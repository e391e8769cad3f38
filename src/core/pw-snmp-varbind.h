/* pw-snmp-varbind.h: one object name and value, as an SNMP agent sent it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-types.h"

G_BEGIN_DECLS

/* The value field that holds data depends on @type; the others are 0 or NULL.
 * Octets stay the agent's raw bytes: validating and sanitising text is the
 * reader's job. */
struct _PwSnmpVarbind
{
  char            *oid;        /* numeric, dotted, no leading dot: "1.3.6.1.2.1.1.1.0" */
  PwSnmpValueType  type;
  gint64           integer;    /* INTEGER */
  guint64          counter;    /* Counter32, Gauge32, TimeTicks, Counter64 */
  GBytes          *octets;     /* OCTET STRING, Opaque, IpAddress (4 bytes, network order) */
  char            *oid_value;  /* OBJECT IDENTIFIER, dotted */
};

#define PW_TYPE_SNMP_VARBIND (pw_snmp_varbind_get_type ())

GType          pw_snmp_varbind_get_type      (void) G_GNUC_CONST;
PwSnmpVarbind *pw_snmp_varbind_new           (const char           *oid,
                                              PwSnmpValueType       type);
PwSnmpVarbind *pw_snmp_varbind_copy          (const PwSnmpVarbind  *varbind);
void           pw_snmp_varbind_free          (PwSnmpVarbind        *varbind);
gboolean       pw_snmp_varbind_is_exception  (const PwSnmpVarbind  *varbind);
char          *pw_snmp_varbind_dup_text      (const PwSnmpVarbind  *varbind);
char          *pw_snmp_varbind_dup_pml_text  (const PwSnmpVarbind  *varbind);
char          *pw_snmp_varbind_dup_mac       (const PwSnmpVarbind  *varbind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwSnmpVarbind, pw_snmp_varbind_free)

G_END_DECLS
