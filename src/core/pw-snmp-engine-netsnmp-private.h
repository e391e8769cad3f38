/* pw-snmp-engine-netsnmp-private.h: what the engine's files that include
 * net-snmp share in net-snmp's own types.
 *
 * Only pw-snmp-engine*.c include this header (and with it net-snmp):
 * pw-snmp-engine-decode.c turns net-snmp's PDUs into PwSnmpVarbinds, the
 * same way for a reply on the wire and for the fuzz targets (tests/fuzz).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-snmp-engine-private.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

G_BEGIN_DECLS

/* pw-snmp-engine-decode.c */
char          *_pw_snmp_oid_to_string         (const oid                   *subids,
                                               size_t                       len);
PwSnmpVarbind *_pw_snmp_varbind_from_netsnmp  (const netsnmp_variable_list *var,
                                               char                       **detail);
char          *_pw_snmp_describe_error_status (const netsnmp_pdu           *pdu);

G_END_DECLS
