/* pw-snmp-credentials.h: how to speak to an SNMP agent (community or v3 user).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-types.h"

G_BEGIN_DECLS

#define PW_SNMP_CREDENTIALS_ERROR (pw_snmp_credentials_error_quark ())
typedef enum {
  PW_SNMP_CREDENTIALS_ERROR_INVALID_COMMUNITY,  /* empty, longer than 255 bytes, or not text */
  PW_SNMP_CREDENTIALS_ERROR_INVALID_USER,       /* empty, longer than 32 bytes, or not text */
  PW_SNMP_CREDENTIALS_ERROR_INVALID_PASSPHRASE, /* missing, under 8 characters, or too long */
  PW_SNMP_CREDENTIALS_ERROR_PRIV_WITHOUT_AUTH,  /* privacy asked for without authentication */
  PW_SNMP_CREDENTIALS_ERROR_UNKNOWN_PROTOCOL,   /* a protocol name we do not know */
} PwSnmpCredentialsError;

#define PW_TYPE_SNMP_CREDENTIALS (pw_snmp_credentials_get_type ())
G_DECLARE_FINAL_TYPE (PwSnmpCredentials, pw_snmp_credentials, PW, SNMP_CREDENTIALS, GObject)

GQuark              pw_snmp_credentials_error_quark         (void);

PwSnmpCredentials  *pw_snmp_credentials_new_community       (PwSnmpVersion        version,
                                                             const char          *community,
                                                             GError             **error);
PwSnmpCredentials  *pw_snmp_credentials_new_v3              (const char          *user,
                                                             PwSnmpAuthProtocol   auth_protocol,
                                                             const char          *auth_passphrase,
                                                             PwSnmpPrivProtocol   priv_protocol,
                                                             const char          *priv_passphrase,
                                                             GError             **error);

PwSnmpVersion       pw_snmp_credentials_get_version         (PwSnmpCredentials   *self);
const char         *pw_snmp_credentials_get_community       (PwSnmpCredentials   *self);
const char         *pw_snmp_credentials_get_user            (PwSnmpCredentials   *self);
PwSnmpAuthProtocol  pw_snmp_credentials_get_auth_protocol   (PwSnmpCredentials   *self);
const char         *pw_snmp_credentials_get_auth_passphrase (PwSnmpCredentials   *self);
PwSnmpPrivProtocol  pw_snmp_credentials_get_priv_protocol   (PwSnmpCredentials   *self);
const char         *pw_snmp_credentials_get_priv_passphrase (PwSnmpCredentials   *self);
gboolean            pw_snmp_credentials_is_weak             (PwSnmpCredentials   *self,
                                                             char               **reason);
char               *pw_snmp_credentials_describe            (PwSnmpCredentials   *self);
char               *pw_snmp_describe                        (PwSnmpVersion        version,
                                                             const char          *user,
                                                             PwSnmpAuthProtocol   auth_protocol,
                                                             PwSnmpPrivProtocol   priv_protocol);

gboolean            pw_snmp_auth_protocol_parse             (const char          *text,
                                                             PwSnmpAuthProtocol  *protocol,
                                                             GError             **error);
gboolean            pw_snmp_priv_protocol_parse             (const char          *text,
                                                             PwSnmpPrivProtocol  *protocol,
                                                             GError             **error);
const char         *pw_snmp_auth_protocol_to_string         (PwSnmpAuthProtocol   protocol);
const char         *pw_snmp_priv_protocol_to_string         (PwSnmpPrivProtocol   protocol);

G_END_DECLS
