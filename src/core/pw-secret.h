/* pw-secret.h: the collection server's password or token, in the keyring.
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

G_END_DECLS
