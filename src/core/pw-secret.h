/* pw-secret.h: the secrets Printwatch keeps in the keyring: the collection
 * server's password or token, SNMP communities and passphrases, the mail
 * server's password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Which secret: the password of basic sign-in, or a bearer token. */
typedef enum {
  PW_SECRET_PASSWORD,
  PW_SECRET_TOKEN,
} PwSecretKind;

/* For servers without a desktop session: these win over the keyring. */
#define PW_SECRET_PASSWORD_ENV "PRINTWATCH_SERVER_PASSWORD"
#define PW_SECRET_TOKEN_ENV    "PRINTWATCH_SERVER_TOKEN"
#define PW_SECRET_SMTP_PASSWORD_ENV "PRINTWATCH_SMTP_PASSWORD"

/* Which secret of an SNMP credential profile. */
typedef enum {
  PW_SNMP_SECRET_COMMUNITY,  /* SNMPv1/v2c */
  PW_SNMP_SECRET_AUTH,       /* the SNMPv3 authentication passphrase */
  PW_SNMP_SECRET_PRIV,       /* the SNMPv3 privacy passphrase */
} PwSnmpSecretKind;

void     pw_secret_lookup_async  (const char           *server_url,
                                  PwSecretKind          kind,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
char    *pw_secret_lookup_finish (GAsyncResult         *result,
                                  GError              **error);
void     pw_secret_store_async   (const char           *server_url,
                                  PwSecretKind          kind,
                                  const char           *secret,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean pw_secret_store_finish  (GAsyncResult         *result,
                                  GError              **error);
char    *pw_secret_fallback_path (void);

void     pw_secret_snmp_lookup_async (const char          *secret_ref,
                                      PwSnmpSecretKind     kind,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void     pw_secret_snmp_store_async  (const char          *secret_ref,
                                      PwSnmpSecretKind     kind,
                                      const char          *profile_name,
                                      const char          *secret,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void     pw_secret_snmp_clear_async  (const char          *secret_ref,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void     pw_secret_smtp_lookup_async (const char          *server,
                                      const char          *user,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void     pw_secret_smtp_store_async  (const char          *server,
                                      const char          *user,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

G_END_DECLS
