/* pw-store-credentials.c: SNMP credential profiles.
 *
 * A profile names a way to speak SNMP: the version, and for SNMPv3 the
 * user and its protocols. The community and the passphrases are in the
 * keyring (pw-secret.c) under the profile's secret_ref, a random name
 * given when the profile is first stored, so a profile can be renamed
 * without moving its secrets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"
#include "pw-snmp-credentials.h"

#include <glib/gi18n-lib.h>

G_DEFINE_BOXED_TYPE (PwCredentialProfile, pw_credential_profile,
                     pw_credential_profile_copy, pw_credential_profile_free)

/* Longer names make no sense in a menu; the limit keeps rows small. */
#define MAX_NAME_CHARS 100

static const char SQL_LIST[] =
  "SELECT id, name, snmp_version, v3_user, auth_protocol, priv_protocol, secret_ref "
  "FROM credential_profiles ORDER BY name COLLATE NOCASE, id";
static const char SQL_GET[] =
  "SELECT id, name, snmp_version, v3_user, auth_protocol, priv_protocol, secret_ref "
  "FROM credential_profiles WHERE id = ?1";
static const char SQL_ADD[] =
  "INSERT INTO credential_profiles (name, snmp_version, v3_user, auth_protocol, priv_protocol, secret_ref) "
  "VALUES (?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_UPDATE[] =
  "UPDATE credential_profiles SET name = ?2, snmp_version = ?3, v3_user = ?4, auth_protocol = ?5, "
  "priv_protocol = ?6 WHERE id = ?1";
static const char SQL_REMOVE[] = "DELETE FROM credential_profiles WHERE id = ?1";

/**
 * pw_credential_profile_new:
 * @name: what the admin calls it
 *
 * Returns: (transfer full): a profile not stored yet (id 0)
 */
PwCredentialProfile *
pw_credential_profile_new (const char    *name,
                           PwSnmpVersion  version)
{
  PwCredentialProfile *profile = g_new0 (PwCredentialProfile, 1);

  profile->name = g_strdup (name);
  profile->version = version;
  return profile;
}

PwCredentialProfile *
pw_credential_profile_copy (const PwCredentialProfile *profile)
{
  PwCredentialProfile *copy = g_memdup2 (profile, sizeof *profile);

  copy->name = g_strdup (profile->name);
  copy->user = g_strdup (profile->user);
  copy->secret_ref = g_strdup (profile->secret_ref);
  return copy;
}

void
pw_credential_profile_free (PwCredentialProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->name);
  g_free (profile->user);
  g_free (profile->secret_ref);
  g_free (profile);
}

static const char *
version_to_text (PwSnmpVersion version)
{
  switch (version)
    {
    case PW_SNMP_VERSION_1:
      return "1";
    case PW_SNMP_VERSION_3:
      return "3";
    case PW_SNMP_VERSION_2C:
    default:
      return "2c";
    }
}

static gboolean
check (const PwCredentialProfile  *profile,
       GError                    **error)
{
  g_autofree char *name = g_strstrip (g_strdup (profile->name != NULL ? profile->name : ""));

  if (name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give the profile a name"));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The profile’s name is too long: use at most %d characters"), MAX_NAME_CHARS);
      return FALSE;
    }
  if (profile->version > PW_SNMP_VERSION_3)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown SNMP version"));
      return FALSE;
    }
  if (profile->version == PW_SNMP_VERSION_3 && (profile->user == NULL || profile->user[0] == '\0'))
    {
      g_set_error_literal (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_USER,
                           _("An SNMPv3 profile needs a user name"));
      return FALSE;
    }
  return TRUE;
}

/* Binds ?2..?6: name, version, user and protocols (the last three v3 only). */
static void
bind_fields (sqlite3_stmt              *stmt,
             const PwCredentialProfile *profile)
{
  g_autofree char *name = g_strstrip (g_strdup (profile->name));
  gboolean v3 = profile->version == PW_SNMP_VERSION_3;

  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, version_to_text (profile->version), -1, SQLITE_STATIC);
  _pw_bind_text (stmt, 4, v3 ? profile->user : NULL);
  _pw_bind_text (stmt, 5, v3 ? pw_snmp_auth_protocol_to_string (profile->auth_protocol) : NULL);
  _pw_bind_text (stmt, 6, v3 ? pw_snmp_priv_protocol_to_string (profile->priv_protocol) : NULL);
}

static void
set_exists (GError                    **error,
            const PwCredentialProfile  *profile)
{
  g_autofree char *name = g_strstrip (g_strdup (profile->name));

  g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_EXISTS, _("There is a profile named “%s” already"), name);
}

static void
set_profile_not_found (GError **error,
                       gint64   id)
{
  g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND, _("No credentials profile with id %lld"),
               (long long) id);
}

/* One row; NULL for a row this version cannot read (a protocol it does not know). */
static PwCredentialProfile *
read_row (sqlite3_stmt *stmt)
{
  g_autoptr(PwCredentialProfile) profile = g_new0 (PwCredentialProfile, 1);
  const char *version = (const char *) sqlite3_column_text (stmt, 2);

  profile->id = sqlite3_column_int64 (stmt, 0);
  profile->name = _pw_column_dup (stmt, 1);
  profile->version = g_strcmp0 (version, "1") == 0 ? PW_SNMP_VERSION_1
                   : g_strcmp0 (version, "3") == 0 ? PW_SNMP_VERSION_3 : PW_SNMP_VERSION_2C;
  profile->secret_ref = _pw_column_dup (stmt, 6);
  if (profile->version == PW_SNMP_VERSION_3)
    {
      g_autofree char *auth = _pw_column_dup (stmt, 4);
      g_autofree char *priv = _pw_column_dup (stmt, 5);
      g_autoptr(GError) error = NULL;

      profile->user = _pw_column_dup (stmt, 3);
      if (!pw_snmp_auth_protocol_parse (auth, &profile->auth_protocol, &error) ||
          !pw_snmp_priv_protocol_parse (priv, &profile->priv_protocol, &error))
        {
          g_message ("Credentials profile %lld is skipped: %s", (long long) profile->id, error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&profile);
}

static GPtrArray *
query (PwStore     *self,
       const char  *sql,
       gint64       id,
       GError     **error)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_credential_profile_free);
  gboolean ok = FALSE;

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);
    int rc = SQLITE_DONE;

    if (stmt != NULL)
      {
        if (id > 0)
          sqlite3_bind_int64 (stmt, 1, id);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            PwCredentialProfile *profile = read_row (stmt);

            if (profile != NULL)
              g_ptr_array_add (profiles, profile);
          }
        ok = rc == SQLITE_DONE;
        if (!ok)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return ok ? g_steal_pointer (&profiles) : NULL;
}

/**
 * pw_store_list_credential_profiles:
 *
 * Returns: (transfer full) (element-type PwCredentialProfile): the
 *   profiles, by name
 */
GPtrArray *
pw_store_list_credential_profiles (PwStore  *self,
                                   GError  **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), NULL);
  return query (self, SQL_LIST, 0, error);
}

/**
 * pw_store_get_credential_profile:
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with
 *   %PW_STORE_ERROR_NOT_FOUND
 */
PwCredentialProfile *
pw_store_get_credential_profile (PwStore  *self,
                                 gint64    id,
                                 GError  **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  found = id > 0 ? query (self, SQL_GET, id, error) : g_ptr_array_new ();
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      set_profile_not_found (error, id);
      return NULL;
    }
  return g_steal_pointer (&found->pdata[0]);
}

/* Runs one bound write statement under the lock; EXISTS on a taken name. */
static gboolean
write_profile (PwStore                    *self,
               const char                 *sql,
               const PwCredentialProfile  *profile,
               const char                 *secret_ref,
               gint64                     *new_id,
               GError                    **error)
{
  gboolean ok = FALSE;

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);
    int rc;

    if (stmt != NULL)
      {
        if (profile->id > 0)
          sqlite3_bind_int64 (stmt, 1, profile->id);
        bind_fields (stmt, profile);
        if (secret_ref != NULL)
          sqlite3_bind_text (stmt, 7, secret_ref, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_DONE)
          {
            ok = TRUE;
            if (new_id != NULL)
              *new_id = sqlite3_last_insert_rowid (_pw_store_get_db (self));
            else if (sqlite3_changes (_pw_store_get_db (self)) == 0)
              {
                set_profile_not_found (error, profile->id);
                ok = FALSE;
              }
          }
        else if (rc == SQLITE_CONSTRAINT_UNIQUE)
          set_exists (error, profile);
        else
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return ok;
}

/**
 * pw_store_add_credential_profile:
 * @profile: the profile; its id, and its secret_ref when it had none, are
 *   set on success
 *
 * Returns: the new profile's id, or 0 with @error set
 */
gint64
pw_store_add_credential_profile (PwStore              *self,
                                 PwCredentialProfile  *profile,
                                 GError              **error)
{
  g_autofree char *secret_ref = NULL;
  gint64 id = 0;

  g_return_val_if_fail (PW_IS_STORE (self), 0);
  g_return_val_if_fail (profile != NULL, 0);

  if (!check (profile, error))
    return 0;
  secret_ref = profile->secret_ref != NULL ? g_strdup (profile->secret_ref) : g_uuid_string_random ();
  if (!write_profile (self, SQL_ADD, &(PwCredentialProfile) { .name = profile->name, .version = profile->version,
                                                              .user = profile->user,
                                                              .auth_protocol = profile->auth_protocol,
                                                              .priv_protocol = profile->priv_protocol },
                      secret_ref, &id, error))
    return 0;
  profile->id = id;
  g_free (profile->secret_ref);
  profile->secret_ref = g_steal_pointer (&secret_ref);
  return id;
}

/**
 * pw_store_update_credential_profile:
 *
 * Writes the name, the version, the user and the protocols of the profile
 * with @profile's id; its secret_ref stays.
 */
gboolean
pw_store_update_credential_profile (PwStore                    *self,
                                    const PwCredentialProfile  *profile,
                                    GError                    **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  if (profile->id <= 0)
    {
      set_profile_not_found (error, profile->id);
      return FALSE;
    }
  return check (profile, error) && write_profile (self, SQL_UPDATE, profile, NULL, NULL, error);
}

/**
 * pw_store_remove_credential_profile:
 *
 * Removes the profile; devices that used it fall back to the default
 * credentials. Its secrets are the caller's to clear from the keyring.
 */
gboolean
pw_store_remove_credential_profile (PwStore  *self,
                                    gint64    id,
                                    GError  **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_REMOVE, error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        ok = _pw_store_step_done (self, stmt, error);
        if (ok && sqlite3_changes (_pw_store_get_db (self)) == 0)
          {
            set_profile_not_found (error, id);
            ok = FALSE;
          }
      }
  }
  _pw_store_unlock (self);
  return ok;
}
