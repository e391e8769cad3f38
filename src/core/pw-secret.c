/* pw-secret.c: the secrets Printwatch keeps: the collection server's
 * password or token, the SNMP communities and SNMPv3 passphrases of the
 * credential profiles, and the mail server's password.
 *
 * Kept in the keyring (the Secret Service, or the Secret portal in the
 * Flatpak). An environment variable wins for the server's and the mail
 * server's, for headless servers. Where there is no keyring at all, a
 * file only its owner may read (0600) stands in, with a notice. Never in
 * the database, GSettings, a log, a payload or a report.
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
#include <string.h>

/* The keyring's schemas: one per kind of thing a secret is for. */
#define STRING_ATTRIBUTE(name) { name, SECRET_SCHEMA_ATTRIBUTE_STRING }
static const SecretSchema server_schema = {
  .name = "io.github.printwatch.Printwatch.Server",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = { STRING_ATTRIBUTE ("server"), STRING_ATTRIBUTE ("kind"), { NULL, 0 } },
};
static const SecretSchema snmp_schema = {
  .name = "io.github.printwatch.Printwatch.Snmp",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = { STRING_ATTRIBUTE ("profile"), STRING_ATTRIBUTE ("kind"), { NULL, 0 } },
};
static const SecretSchema smtp_schema = {
  .name = "io.github.printwatch.Printwatch.Smtp",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = { STRING_ATTRIBUTE ("server"), STRING_ATTRIBUTE ("user"), { NULL, 0 } },
};

static const char *
kind_name (PwSecretKind kind)
{
  return kind == PW_SECRET_TOKEN ? "token" : "password";
}

static const char *
snmp_kind_name (PwSnmpSecretKind kind)
{
  switch (kind)
    {
    case PW_SNMP_SECRET_AUTH:
      return "auth";
    case PW_SNMP_SECRET_PRIV:
      return "priv";
    case PW_SNMP_SECRET_COMMUNITY:
    default:
      return "community";
    }
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

/* ---- one secret, wherever it is kept ---- */

typedef struct {
  const SecretSchema *schema;
  GHashTable         *attributes;  /* owned, attribute name → value */
  char               *group;       /* the fallback file's group … */
  char               *key;         /* … and key; NULL: the whole group (clearing) */
  char               *label;       /* the keyring item's label, when storing */
  char               *notice;      /* told when the fallback file takes the secret */
  char               *missing;     /* the message when there is no such secret */
  char               *secret;      /* when storing */
} Item;

static Item *
item_new (const SecretSchema *schema,
          const char         *group,
          const char         *key)
{
  Item *item = g_new0 (Item, 1);

  item->schema = schema;
  item->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  item->group = g_strdup (group);
  item->key = g_strdup (key);
  return item;
}

static void
item_free (Item *item)
{
  g_hash_table_unref (item->attributes);
  g_free (item->group);
  g_free (item->key);
  g_free (item->label);
  g_free (item->notice);
  g_free (item->missing);
  if (item->secret != NULL)
    memset (item->secret, 0, strlen (item->secret));
  g_free (item->secret);
  g_free (item);
}

static void
item_set (Item       *item,
          const char *attribute,
          const char *value)
{
  g_hash_table_insert (item->attributes, (gpointer) attribute, g_strdup (value));
}

static GKeyFile *
fallback_load (const char *path)
{
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
  return g_steal_pointer (&file);
}

static char *
fallback_read (const Item *item)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autoptr(GKeyFile) file = fallback_load (path);

  return file != NULL ? g_key_file_get_string (file, item->group, item->key, NULL) : NULL;
}

static gboolean
fallback_save (const char  *path,
               GKeyFile    *file,
               GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (file, &len, NULL);
  return g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
fallback_write (const Item  *item,
                GError     **error)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);
  g_key_file_set_string (file, item->group, item->key, item->secret);
  g_message ("%s", item->notice);
  return fallback_save (path, file, error);
}

/* Forgets the item, or its whole group, in the fallback file, if there. */
static gboolean
fallback_remove (const Item  *item,
                 GError     **error)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autoptr(GKeyFile) file = fallback_load (path);
  gboolean removed;

  if (file == NULL)
    return TRUE;
  if (item->key != NULL)
    removed = g_key_file_remove_key (file, item->group, item->key, NULL);
  else
    removed = g_key_file_remove_group (file, item->group, NULL);
  return !removed || fallback_save (path, file, error);
}

static void
item_lookup_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Item *item = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (res, &error);

  if (secret == NULL && (error == NULL || no_keyring (error)))
    {
      if (error != NULL)
        g_debug ("No keyring: %s", error->message);
      secret = fallback_read (item);
    }
  if (secret != NULL)
    {
      g_task_return_pointer (task, g_strdup (secret), g_free);
      secret_password_free (secret);
    }
  else if (error != NULL && !no_keyring (error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", item->missing);
}

/* Takes @item; the task answers the secret. */
static void
item_lookup (GTask *task,
             Item  *item)
{
  g_task_set_task_data (task, item, (GDestroyNotify) item_free);
  secret_password_lookupv (item->schema, item->attributes, g_task_get_cancellable (task), item_lookup_cb, task);
}

static void
item_store_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Item *item = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (res, &error))
    g_task_return_boolean (task, TRUE);
  else if (no_keyring (error))
    {
      GError *fallback_error = NULL;

      if (fallback_write (item, &fallback_error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, fallback_error);
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
item_store (GTask      *task,
            Item       *item,
            const char *secret)
{
  item->secret = g_strdup (secret);
  g_task_set_task_data (task, item, (GDestroyNotify) item_free);
  secret_password_storev (item->schema, item->attributes, SECRET_COLLECTION_DEFAULT, item->label, secret,
                          g_task_get_cancellable (task), item_store_cb, task);
}

static void
item_clear_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Item *item = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GError *fallback_error = NULL;

  /* Whether the keyring had it or not, no copy stays in the fallback file. */
  if (!secret_password_clear_finish (res, &error) && error != NULL && !no_keyring (error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!fallback_remove (item, &fallback_error))
    g_task_return_error (task, fallback_error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
item_clear (GTask *task,
            Item  *item)
{
  g_task_set_task_data (task, item, (GDestroyNotify) item_free);
  secret_password_clearv (item->schema, item->attributes, g_task_get_cancellable (task), item_clear_cb, task);
}

/* A task already answered from the environment variable, or NULL. */
static gboolean
answer_from_env (GTask      *task,
                 const char *variable)
{
  const char *env = g_getenv (variable);

  if (env == NULL || env[0] == '\0')
    return FALSE;
  g_task_return_pointer (task, g_strdup (env), g_free);
  return TRUE;
}

/* ---- the collection server ---- */

static Item *
server_item (const char   *server_url,
             PwSecretKind  kind)
{
  Item *item = item_new (&server_schema, server_url, kind_name (kind));

  item_set (item, "server", server_url);
  item_set (item, "kind", kind_name (kind));
  return item;
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
  g_autoptr(GTask) task = NULL;
  Item *item;

  g_return_if_fail (server_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_lookup_async);
  if (answer_from_env (task, kind == PW_SECRET_TOKEN ? PW_SECRET_TOKEN_ENV : PW_SECRET_PASSWORD_ENV))
    return;
  item = server_item (server_url, kind);
  item->missing = g_strdup_printf (kind == PW_SECRET_TOKEN
                                   ? _("No token for %s in the keyring (or in %s)")
                                   : _("No password for %s in the keyring (or in %s)"),
                                   server_url, kind == PW_SECRET_TOKEN ? PW_SECRET_TOKEN_ENV : PW_SECRET_PASSWORD_ENV);
  item_lookup (g_steal_pointer (&task), item);
}

/**
 * pw_secret_lookup_finish:
 *
 * Finishes any of the lookups: pw_secret_lookup_async (),
 * pw_secret_snmp_lookup_async () and pw_secret_smtp_lookup_async ().
 * %G_IO_ERROR_NOT_FOUND: there is no such secret.
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
  g_autofree char *path = pw_secret_fallback_path ();
  GTask *task;
  Item *item;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_store_async);
  item = server_item (server_url, kind);
  /* TRANSLATORS: the keyring's label of the collection server's password; %s is its address */
  item->label = g_strdup_printf (_("Printwatch collection server %s"), server_url);
  item->notice = g_strdup_printf (_("No keyring is available: the server’s %s is kept in %s, readable only by you"),
                                  kind_name (kind), path);
  item_store (task, item, secret);
}

/**
 * pw_secret_store_finish:
 *
 * Finishes any of the stores, and the clearing of SNMP secrets.
 */
gboolean
pw_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- SNMP credential profiles ---- */

static Item *
snmp_item (const char       *secret_ref,
           PwSnmpSecretKind  kind,
           gboolean          all_kinds)
{
  g_autofree char *group = g_strconcat ("snmp:", secret_ref, NULL);
  Item *item = item_new (&snmp_schema, group, all_kinds ? NULL : snmp_kind_name (kind));

  item_set (item, "profile", secret_ref);
  if (!all_kinds)
    item_set (item, "kind", snmp_kind_name (kind));
  return item;
}

/**
 * pw_secret_snmp_lookup_async:
 * @secret_ref: the profile's secret_ref (#PwCredentialProfile)
 *
 * Finds a community or SNMPv3 passphrase of a credential profile: the
 * keyring, else the 0600 fallback file. Finish with pw_secret_lookup_finish ().
 */
void
pw_secret_snmp_lookup_async (const char          *secret_ref,
                             PwSnmpSecretKind     kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Item *item;

  g_return_if_fail (secret_ref != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_snmp_lookup_async);
  item = snmp_item (secret_ref, kind, FALSE);
  item->missing = g_strdup (kind == PW_SNMP_SECRET_COMMUNITY ? _("The community is not in the keyring")
                            : _("The passphrase is not in the keyring"));
  item_lookup (task, item);
}

/**
 * pw_secret_snmp_store_async:
 * @profile_name: what the keyring shows the item as
 * @secret: the community or passphrase
 *
 * Finish with pw_secret_store_finish ().
 */
void
pw_secret_snmp_store_async (const char          *secret_ref,
                            PwSnmpSecretKind     kind,
                            const char          *profile_name,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *path = pw_secret_fallback_path ();
  GTask *task;
  Item *item;

  g_return_if_fail (secret_ref != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_snmp_store_async);
  item = snmp_item (secret_ref, kind, FALSE);
  /* TRANSLATORS: the keyring's label of an SNMP community or passphrase; %s is the profile's name */
  item->label = g_strdup_printf (_("Printwatch SNMP credentials “%s”"), profile_name != NULL ? profile_name : "");
  item->notice = g_strdup_printf (_("No keyring is available: SNMP secrets are kept in %s, readable only by you"),
                                  path);
  item_store (task, item, secret);
}

/**
 * pw_secret_snmp_clear_async:
 *
 * Forgets every secret of a profile, in the keyring and in the fallback
 * file. Finish with pw_secret_store_finish ().
 */
void
pw_secret_snmp_clear_async (const char          *secret_ref,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (secret_ref != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_snmp_clear_async);
  item_clear (task, snmp_item (secret_ref, PW_SNMP_SECRET_COMMUNITY, TRUE));
}

/* ---- the mail server ---- */

static Item *
smtp_item (const char *server,
           const char *user)
{
  g_autofree char *group = g_strdup_printf ("smtp:%s@%s", user, server);
  Item *item = item_new (&smtp_schema, group, "password");

  item_set (item, "server", server);
  item_set (item, "user", user);
  return item;
}

/**
 * pw_secret_smtp_lookup_async:
 * @server: the mail server (the smtp-server setting)
 * @user: the user name on it (the smtp-user setting)
 *
 * Finds the mail server's password: PRINTWATCH_SMTP_PASSWORD, else the
 * keyring, else the 0600 fallback file. Finish with pw_secret_lookup_finish ().
 */
void
pw_secret_smtp_lookup_async (const char          *server,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Item *item;

  g_return_if_fail (server != NULL && user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_smtp_lookup_async);
  if (answer_from_env (task, PW_SECRET_SMTP_PASSWORD_ENV))
    return;
  item = smtp_item (server, user);
  item->missing = g_strdup_printf (_("No password for %s on %s in the keyring (or in %s)"), user, server,
                                   PW_SECRET_SMTP_PASSWORD_ENV);
  item_lookup (g_steal_pointer (&task), item);
}

/**
 * pw_secret_smtp_store_async:
 *
 * Finish with pw_secret_store_finish ().
 */
void
pw_secret_smtp_store_async (const char          *server,
                            const char          *user,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *path = pw_secret_fallback_path ();
  GTask *task;
  Item *item;

  g_return_if_fail (server != NULL && user != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_secret_smtp_store_async);
  item = smtp_item (server, user);
  /* TRANSLATORS: the keyring's label of the mail server's password; %s is the server */
  item->label = g_strdup_printf (_("Printwatch mail server %s"), server);
  item->notice = g_strdup_printf (_("No keyring is available: the mail server’s password is kept in %s, "
                                    "readable only by you"), path);
  item_store (task, item, password);
}
