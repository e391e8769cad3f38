/* pw-agent-credentials.c: SNMP credential profiles, with their secrets.
 *
 * A profile's row is in the store, its community or passphrases in the
 * keyring (pw-secret.c); the agent puts the two together into the
 * PwSnmpCredentials that polls and discoveries try, in the profiles'
 * order, or the SNMPv2c community "public" when there are none. Saving a
 * profile checks it whole (the credentials must be valid) before anything
 * is written, writes the row, then the secrets it was given; a secret not
 * given keeps the one in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-secret.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define N_KINDS 3

/* ---- one profile's credentials ---- */

typedef struct {
  PwCredentialProfile *profile;           /* owned */
  char                *secrets[N_KINDS];  /* owned, by PwSnmpSecretKind; NULL until known */
  PwSnmpSecretKind     kind;              /* the secret being looked up */
} Load;

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
load_free (Load *load)
{
  pw_credential_profile_free (load->profile);
  for (guint i = 0; i < N_KINDS; i++)
    wipe (&load->secrets[i]);
  g_free (load);
}

static gboolean
needs (const PwCredentialProfile *profile,
       PwSnmpSecretKind           kind)
{
  if (profile->version != PW_SNMP_VERSION_3)
    return kind == PW_SNMP_SECRET_COMMUNITY;
  if (kind == PW_SNMP_SECRET_AUTH)
    return profile->auth_protocol != PW_SNMP_AUTH_NONE;
  if (kind == PW_SNMP_SECRET_PRIV)
    return profile->priv_protocol != PW_SNMP_PRIV_NONE;
  return FALSE;
}

static PwSnmpCredentials *
build (Load    *load,
       GError **error)
{
  const PwCredentialProfile *profile = load->profile;

  if (profile->version != PW_SNMP_VERSION_3)
    return pw_snmp_credentials_new_community (profile->version, load->secrets[PW_SNMP_SECRET_COMMUNITY], error);
  return pw_snmp_credentials_new_v3 (profile->user, profile->auth_protocol, load->secrets[PW_SNMP_SECRET_AUTH],
                                     profile->priv_protocol, load->secrets[PW_SNMP_SECRET_PRIV], error);
}

static void
set_missing (GError                   **error,
             const PwCredentialProfile *profile,
             PwSnmpSecretKind           kind,
             gboolean                   stored)
{
  if (!stored)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         kind == PW_SNMP_SECRET_COMMUNITY ? _("Enter the community")
                         : kind == PW_SNMP_SECRET_AUTH ? _("Enter the authentication passphrase")
                         : _("Enter the privacy passphrase"));
  else if (kind == PW_SNMP_SECRET_COMMUNITY)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The community of “%s” is not in the keyring: enter it again"), profile->name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The passphrases of “%s” are not in the keyring: enter them again"), profile->name);
}

static void load_next (GTask *task);

static void
looked_up_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret = pw_secret_lookup_finish (res, &error);

  if (secret == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          set_missing (&error, load->profile, load->kind, TRUE);
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  load->secrets[load->kind] = secret;
  load_next (task);
}

/* Looks up each secret the profile needs and was not given, then builds. */
static void
load_next (GTask *task)
{
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  PwSnmpCredentials *credentials;

  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      if (!needs (load->profile, kind) || load->secrets[kind] != NULL)
        continue;
      if (load->profile->secret_ref == NULL)
        {
          set_missing (&error, load->profile, kind, FALSE);
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      load->kind = kind;
      pw_secret_snmp_lookup_async (load->profile->secret_ref, kind, g_task_get_cancellable (task), looked_up_cb, task);
      return;
    }

  credentials = build (load, &error);
  if (credentials == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, credentials, g_object_unref);
  g_object_unref (task);
}

/* @secrets: (array fixed-size=3) (nullable): given secrets, by kind; the
 * others come from the keyring. The task answers a PwSnmpCredentials. */
static void
load_profile_async (PwAgent                   *self,
                    const PwCredentialProfile *profile,
                    const char * const        *secrets,
                    GCancellable              *cancellable,
                    GAsyncReadyCallback        callback,
                    gpointer                   user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Load *load = g_new0 (Load, 1);

  g_task_set_source_tag (task, load_profile_async);
  load->profile = pw_credential_profile_copy (profile);
  for (guint i = 0; secrets != NULL && i < N_KINDS; i++)
    load->secrets[i] = secrets[i] != NULL && needs (profile, i) ? g_strdup (secrets[i]) : NULL;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  load_next (task);
}

/**
 * pw_agent_profile_credentials_async:
 * @profile: a stored profile
 *
 * Puts the profile and its secrets from the keyring together; fails with
 * %G_IO_ERROR_NOT_FOUND, in words, when a secret is not there.
 */
void
pw_agent_profile_credentials_async (PwAgent                   *self,
                                    const PwCredentialProfile *profile,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (profile != NULL);

  load_profile_async (self, profile, NULL, cancellable, callback, user_data);
}

/**
 * pw_agent_profile_credentials_finish:
 *
 * Returns: (transfer full): the credentials
 */
PwSnmpCredentials *
pw_agent_profile_credentials_finish (PwAgent       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- listing ---- */

static void
list_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *profiles = pw_store_list_credential_profiles (task_data, &error);

  if (profiles == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profiles, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * pw_agent_list_credential_profiles_async:
 *
 * Lists the profiles, by name, off the main thread.
 */
void
pw_agent_list_credential_profiles_async (PwAgent             *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_list_credential_profiles_async);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, list_worker);
}

/**
 * pw_agent_list_credential_profiles_finish:
 *
 * Returns: (transfer full) (element-type PwCredentialProfile): the profiles
 */
GPtrArray *
pw_agent_list_credential_profiles_finish (PwAgent       *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the agent's credentials ---- */

typedef struct {
  GPtrArray *profiles;     /* owned, of PwCredentialProfile */
  GPtrArray *credentials;  /* owned, of PwSnmpCredentials */
  guint      next;
} LoadAll;

static void
load_all_free (LoadAll *all)
{
  g_clear_pointer (&all->profiles, g_ptr_array_unref);
  g_clear_pointer (&all->credentials, g_ptr_array_unref);
  g_free (all);
}

static void load_all_next (GTask *task);

static void
profile_loaded_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  GTask *task = user_data;
  LoadAll *all = g_task_get_task_data (task);
  const PwCredentialProfile *profile = all->profiles->pdata[all->next];
  g_autoptr(GError) error = NULL;
  PwSnmpCredentials *credentials = pw_agent_profile_credentials_finish (PW_AGENT (source), res, &error);

  if (credentials != NULL)
    g_ptr_array_add (all->credentials, credentials);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           !(error->domain == G_IO_ERROR || error->domain == PW_SNMP_CREDENTIALS_ERROR))
    {
      /* Cancelled, or the keyring refused (locked): not a profile's fault. */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  else
    g_message ("SNMP credentials “%s” are left out: %s", profile->name, error->message);
  all->next++;
  load_all_next (task);
}

static void
load_all_next (GTask *task)
{
  PwAgent *self = g_task_get_source_object (task);
  LoadAll *all = g_task_get_task_data (task);

  if (all->next < all->profiles->len)
    {
      load_profile_async (self, all->profiles->pdata[all->next], NULL, g_task_get_cancellable (task),
                          profile_loaded_cb, task);
      return;
    }
  if (all->credentials->len == 0)
    g_ptr_array_add (all->credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "public", NULL));
  pw_agent_set_snmp_credentials (self, all->credentials);
  g_task_return_pointer (task, g_ptr_array_ref (all->credentials), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
profiles_listed_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  GTask *task = user_data;
  LoadAll *all = g_task_get_task_data (task);
  GError *error = NULL;

  all->profiles = pw_agent_list_credential_profiles_finish (PW_AGENT (source), res, &error);
  if (all->profiles == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  load_all_next (task);
}

/**
 * pw_agent_load_snmp_credentials_async:
 *
 * Builds the credentials polls and discoveries try, from the profiles and
 * their secrets, in the profiles' order, and sets them on the agent. A
 * profile whose secrets are missing or no longer valid is left out (and
 * told in the log); with none left, the SNMPv2c community "public".
 */
void
pw_agent_load_snmp_credentials_async (PwAgent             *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  LoadAll *all;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_load_snmp_credentials_async);
  all = g_new0 (LoadAll, 1);
  all->credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, all, (GDestroyNotify) load_all_free);
  pw_agent_list_credential_profiles_async (self, cancellable, profiles_listed_cb, task);
}

/**
 * pw_agent_load_snmp_credentials_finish:
 *
 * Returns: (transfer full) (element-type PwSnmpCredentials): what the agent
 *   now tries
 */
GPtrArray *
pw_agent_load_snmp_credentials_finish (PwAgent       *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- saving and removing ---- */

typedef struct {
  PwCredentialProfile *profile;           /* owned: what is written */
  char                *secrets[N_KINDS];  /* owned: given, to store */
  gboolean             added;             /* the row is new */
  guint                next;              /* the next secret to store */
} Save;

static void
save_free (Save *save)
{
  pw_credential_profile_free (save->profile);
  for (guint i = 0; i < N_KINDS; i++)
    wipe (&save->secrets[i]);
  g_free (save);
}

/* Runs on a worker: task_data is the Save, the source the agent. */
static void
write_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PwAgent *self = source_object;
  Save *save = task_data;
  GError *error = NULL;
  gboolean ok;

  if (save->profile->id > 0 && !save->added)
    {
      g_autoptr(PwCredentialProfile) stored = NULL;

      ok = pw_store_update_credential_profile (self->store, save->profile, &error) &&
           (stored = pw_store_get_credential_profile (self->store, save->profile->id, &error)) != NULL;
      /* The secrets go where the stored profile says, whatever the caller's copy said. */
      if (ok)
        {
          g_free (save->profile->secret_ref);
          save->profile->secret_ref = g_steal_pointer (&stored->secret_ref);
        }
    }
  else
    ok = (save->added = pw_store_add_credential_profile (self->store, save->profile, &error) > 0);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) credentials = pw_agent_load_snmp_credentials_finish (PW_AGENT (source), res, &error);
  Save *save = g_task_get_task_data (task);

  /* The change itself is done; what polls use now is the log's business. */
  if (credentials == NULL)
    g_message ("The SNMP credentials were not reloaded: %s", error->message);
  g_task_return_int (task, save->profile->id);
}

static void store_next_secret (GTask *task);

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pw_secret_store_finish (res, &error))
    {
      /* A new profile without its secrets would only fail later. */
      if (save->added)
        pw_store_remove_credential_profile (self->store, save->profile->id, NULL);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  save->next++;
  store_next_secret (task);
}

static void
store_next_secret (GTask *task)
{
  PwAgent *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);

  for (; save->next < N_KINDS; save->next++)
    if (save->secrets[save->next] != NULL)
      {
        pw_secret_snmp_store_async (save->profile->secret_ref, save->next, save->profile->name,
                                    save->secrets[save->next], g_task_get_cancellable (task), secret_stored_cb, task);
        return;
      }
  pw_agent_load_snmp_credentials_async (self, g_task_get_cancellable (task), reloaded_cb, task);
}

static void
written_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  store_next_secret (task);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(PwSnmpCredentials) credentials = pw_agent_profile_credentials_finish (PW_AGENT (source), res, &error);
  g_autoptr(GTask) write = NULL;

  if (credentials == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  write = g_task_new (source, g_task_get_cancellable (task), written_cb, task);
  g_task_set_task_data (write, save, NULL);
  g_task_run_in_thread (write, write_worker);
}

/**
 * pw_agent_save_credential_profile_async:
 * @profile: a new profile (id 0), or a stored one, changed
 * @secret: (nullable): the community (SNMPv1/v2c) or the authentication
 *   passphrase (SNMPv3); %NULL keeps the one in the keyring
 * @priv_secret: (nullable): the privacy passphrase (SNMPv3); %NULL keeps
 *   the one in the keyring
 *
 * Checks the profile with its secrets (as pw_snmp_credentials_new_*
 * would), writes it, keeps the secrets given in the keyring and reloads
 * the agent's credentials.
 */
void
pw_agent_save_credential_profile_async (PwAgent                   *self,
                                        const PwCredentialProfile *profile,
                                        const char                *secret,
                                        const char                *priv_secret,
                                        GCancellable              *cancellable,
                                        GAsyncReadyCallback        callback,
                                        gpointer                   user_data)
{
  GTask *task;
  Save *save;
  const char *given[N_KINDS] = { NULL };

  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (profile != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_save_credential_profile_async);
  save = g_new0 (Save, 1);
  save->profile = pw_credential_profile_copy (profile);
  if (profile->version == PW_SNMP_VERSION_3)
    {
      given[PW_SNMP_SECRET_AUTH] = secret != NULL && secret[0] != '\0' ? secret : NULL;
      given[PW_SNMP_SECRET_PRIV] = priv_secret != NULL && priv_secret[0] != '\0' ? priv_secret : NULL;
    }
  else
    given[PW_SNMP_SECRET_COMMUNITY] = secret != NULL && secret[0] != '\0' ? secret : NULL;
  for (guint i = 0; i < N_KINDS; i++)
    save->secrets[i] = given[i] != NULL && needs (profile, i) ? g_strdup (given[i]) : NULL;
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  load_profile_async (self, profile, given, cancellable, checked_cb, task);
}

/**
 * pw_agent_save_credential_profile_finish:
 *
 * Returns: the profile's id, or 0 with @error set
 */
gint64
pw_agent_save_credential_profile_finish (PwAgent       *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  GError *inner = NULL;
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), &inner);
  if (inner != NULL)
    {
      g_propagate_error (error, inner);
      return 0;
    }
  return id;
}

static void
remove_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PwAgent *self = source_object;
  Save *save = task_data;
  GError *error = NULL;

  if (pw_store_remove_credential_profile (self->store, save->profile->id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
removed_reloaded_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) credentials = pw_agent_load_snmp_credentials_finish (PW_AGENT (source), res, &error);

  if (credentials == NULL)
    g_message ("The SNMP credentials were not reloaded: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* The row is gone already: a secret left behind is told, not undone. */
  if (!pw_secret_store_finish (res, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  pw_agent_load_snmp_credentials_async (self, g_task_get_cancellable (task), removed_reloaded_cb, task);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (save->profile->secret_ref == NULL)
    pw_agent_load_snmp_credentials_async (PW_AGENT (source), g_task_get_cancellable (task), removed_reloaded_cb,
                                          task);
  else
    pw_secret_snmp_clear_async (save->profile->secret_ref, g_task_get_cancellable (task), cleared_cb, task);
}

/**
 * pw_agent_remove_credential_profile_async:
 * @profile: a stored profile
 *
 * Removes the profile and its secrets, and reloads the agent's credentials.
 */
void
pw_agent_remove_credential_profile_async (PwAgent                   *self,
                                          const PwCredentialProfile *profile,
                                          GCancellable              *cancellable,
                                          GAsyncReadyCallback        callback,
                                          gpointer                   user_data)
{
  GTask *task;
  Save *save;
  g_autoptr(GTask) remove = NULL;

  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (profile != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_remove_credential_profile_async);
  save = g_new0 (Save, 1);
  save->profile = pw_credential_profile_copy (profile);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  remove = g_task_new (self, cancellable, removed_cb, task);
  g_task_set_task_data (remove, save, NULL);
  g_task_run_in_thread (remove, remove_worker);
}

gboolean
pw_agent_remove_credential_profile_finish (PwAgent       *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
