/* pw-secret.c: the collection server's password or token.
 *
 * Kept in the keyring (the Secret Service, or the Secret portal in the
 * Flatpak) under the server's address. An environment variable wins, for
 * headless servers. Where there is no keyring at all, a file only its
 * owner may read (0600) stands in, with a warning. Never in the database,
 * a log, a payload or a report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-secret"

#include "config.h"

#include "pw-secret.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

static const SecretSchema *
server_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.printwatch.Printwatch.Server",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static const char *
kind_name (PwSecretKind kind)
{
  return kind == PW_SECRET_TOKEN ? "token" : "password";
}

/**
 * pw_secret_fallback_path:
 *
 * Returns: (transfer full): the 0600 file used when there is no keyring
 */
char *
pw_secret_fallback_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "printwatch", "secrets.ini", NULL);
}

/* The keyring is missing, not refusing: no Secret Service on the bus. */
static gboolean
no_keyring (const GError *error)
{
  return error != NULL && (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static char *
fallback_read (const char   *server_url,
               PwSecretKind  kind)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return NULL;
  if ((st.st_mode & 077) != 0)
    {
      g_message (_("%s may be read by others, so it is not used"), path);
      return NULL;
    }
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (file, server_url, kind_name (kind), NULL);
}

static gboolean
fallback_write (const char    *server_url,
                PwSecretKind   kind,
                const char    *secret,
                GError       **error)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);
  g_key_file_set_string (file, server_url, kind_name (kind), secret);
  data = g_key_file_to_data (file, &len, NULL);
  g_message (_("No keyring is available: the server’s %s is kept in %s, readable only by you"),
             kind_name (kind), path);
  return g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

typedef struct {
  char         *server_url;
  PwSecretKind  kind;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->server_url);
  g_free (lookup);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (res, &error);

  if (secret == NULL && (error == NULL || no_keyring (error)))
    {
      if (error != NULL)
        g_debug ("No keyring: %s", error->message);
      secret = fallback_read (lookup->server_url, lookup->kind);
    }
  if (secret != NULL)
    {
      g_task_return_pointer (task, g_strdup (secret), g_free);
      secret_password_free (secret);
    }
  else if (error != NULL && !no_keyring (error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             lookup->kind == PW_SECRET_TOKEN
                             ? _("No token for %s in the keyring (or in %s)")
                             : _("No password for %s in the keyring (or in %s)"),
                             lookup->server_url,
                             lookup->kind == PW_SECRET_TOKEN ? PW_SECRET_TOKEN_ENV : PW_SECRET_PASSWORD_ENV);
}

/**
 * pw_secret_lookup_async:
 * @server_url: the collection server the secret is for
 *
 * Finds the server's password or token: the environment variable, else the
 * keyring, else the 0600 fallback file.
 */
void
pw_secret_lookup_async (const char          *server_url,
                        PwSecretKind         kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Lookup *lookup;
  const char *env;

  g_return_if_fail (server_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_lookup_async);
  env = g_getenv (kind == PW_SECRET_TOKEN ? PW_SECRET_TOKEN_ENV : PW_SECRET_PASSWORD_ENV);
  if (env != NULL && env[0] != '\0')
    {
      g_task_return_pointer (task, g_strdup (env), g_free);
      g_object_unref (task);
      return;
    }
  lookup = g_new0 (Lookup, 1);
  lookup->server_url = g_strdup (server_url);
  lookup->kind = kind;
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  secret_password_lookup (server_schema (), cancellable, lookup_cb, task,
                          "server", server_url, "kind", kind_name (kind), NULL);
}

/**
 * pw_secret_lookup_finish:
 *
 * Returns: (transfer full): the secret; free it with g_free ()
 */
char *
pw_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *secret = g_object_get_data (G_OBJECT (task), "secret");

  if (secret_password_store_finish (res, &error))
    g_task_return_boolean (task, TRUE);
  else if (no_keyring (error))
    {
      GError *fallback_error = NULL;

      if (fallback_write (lookup->server_url, lookup->kind, secret, &fallback_error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, fallback_error);
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * pw_secret_store_async:
 * @secret: the password or token
 *
 * Keeps the secret in the keyring; without one, in the 0600 fallback file.
 */
void
pw_secret_store_async (const char          *server_url,
                       PwSecretKind         kind,
                       const char          *secret,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Lookup *lookup;
  g_autofree char *label = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_store_async);
  lookup = g_new0 (Lookup, 1);
  lookup->server_url = g_strdup (server_url);
  lookup->kind = kind;
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  g_object_set_data_full (G_OBJECT (task), "secret", g_strdup (secret), g_free);
  /* TRANSLATORS: the keyring's label of the collection server's password; %s is its address */
  label = g_strdup_printf (_("Printwatch collection server %s"), server_url);
  secret_password_store (server_schema (), SECRET_COLLECTION_DEFAULT, label, secret, cancellable, store_cb, task,
                         "server", server_url, "kind", kind_name (kind), NULL);
}

gboolean
pw_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
