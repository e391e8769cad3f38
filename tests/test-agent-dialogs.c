/* test-agent-dialogs.c: what the GUI's dialogs ask of the agent, without GTK:
 * discovery, testing a connection and adding a printer, SNMP credential
 * profiles with their secrets.
 *
 * Simulated printers answer on loopback (snmpsimd); there is no keyring on
 * the tests' bus, so secrets land in the 0600 fallback file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-fleet.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>

#define LASER_SERIAL "LP2040-000123"
#define COMMUNITY    "s3cret-c0mmunity-4711"
#define AUTH_PASS    "correct horse battery"
#define PRIV_PASS    "staple printer"

/* Runs the main loop until the call stored its result in @slot. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
done_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* ---- discovery ---- */

typedef struct {
  guint progress;
  guint last_done;
  guint total;
  guint found;
  guint known;
} Seen;

static void
progress_cb (PwAgent *agent,
             guint    done,
             guint    total,
             guint    found,
             Seen    *seen)
{
  seen->progress++;
  g_assert_cmpuint (done, ==, seen->last_done + 1);
  seen->last_done = done;
  seen->total = total;
}

static void
printer_found_cb (PwAgent           *agent,
                  PwDiscoveryResult *result,
                  gboolean           known,
                  Seen              *seen)
{
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_PRINTER);
  seen->found++;
  seen->known += known;
}

static void
test_discover (void)
{
  const char * const recordings[] = {
    "127.0.0.61", "generic-laser", "127.0.0.62", "generic-colour-mfp", "127.0.0.63", "router", NULL
  };
  g_autoptr(PwTestFleet) fleet = pw_test_fleet_start_or_skip (recordings);
  g_autoptr(PwTestSite) site = NULL;
  g_autoptr(PwDevice) known = NULL;
  g_autoptr(GAsyncResult) res = NULL, busy_res = NULL;
  g_autoptr(GPtrArray) results = NULL, busy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *targets = NULL;
  PwDiscoverySummary summary = { 0 };
  Seen seen = { 0 };

  if (fleet == NULL)
    return;
  site = pw_test_site_new ();
  /* The MFP is in the list already, by its address. */
  known = pw_store_add_device (site->store, "127.0.0.62", fleet->port, &error);
  g_assert_no_error (error);

  g_signal_connect (site->agent, "discovery-progress", G_CALLBACK (progress_cb), &seen);
  g_signal_connect (site->agent, "printer-found", G_CALLBACK (printer_found_cb), &seen);
  targets = g_strdup_printf ("127.0.0.60-64:%u", fleet->port);
  pw_agent_discover_async (site->agent, targets, NULL, NULL, done_cb, &res);
  /* One at a time. */
  pw_agent_discover_async (site->agent, targets, NULL, NULL, done_cb, &busy_res);
  busy = pw_agent_discover_finish (site->agent, wait_for (&busy_res), NULL, &error);
  g_assert_null (busy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  results = pw_agent_discover_finish (site->agent, wait_for (&res), &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  g_assert_cmpuint (seen.progress, ==, 5);
  g_assert_cmpuint (seen.total, ==, 5);
  g_assert_cmpuint (seen.found, ==, 2);
  g_assert_cmpuint (seen.known, ==, 1);
  g_assert_cmpuint (summary.swept, ==, 5);
  g_assert_cmpuint (summary.printers, ==, 2);
  g_assert_cmpuint (summary.added, ==, 1);
  g_assert_cmpuint (summary.known, ==, 1);
  g_assert_cmpuint (summary.other, ==, 1);
  g_assert_cmpuint (summary.refused + summary.failed, ==, 0);
  g_assert_cmpuint (pw_store_count_devices (site->store, NULL), ==, 2);
  g_signal_handlers_disconnect_by_data (site->agent, &seen);

  /* A target that does not parse fails at once, naming it. */
  g_clear_object (&res);
  g_clear_pointer (&results, g_ptr_array_unref);
  pw_agent_discover_async (site->agent, "127.0.0.1 10.0.0.0/33", NULL, NULL, done_cb, &res);
  results = pw_agent_discover_finish (site->agent, wait_for (&res), NULL, &error);
  g_assert_null (results);
  g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“10.0.0.0/33”"));
}

/* ---- testing a connection, adding a printer ---- */

static void
test_connection_and_add (void)
{
  const char * const recordings[] = { "127.0.0.65", "generic-laser", NULL };
  g_autoptr(PwTestFleet) fleet = pw_test_fleet_start_or_skip (recordings);
  g_autoptr(PwTestSite) site = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(PwSnapshot) snapshot = NULL;
  g_autoptr(PwDevice) device = NULL, again = NULL;
  g_autoptr(GError) error = NULL;

  if (fleet == NULL)
    return;
  site = pw_test_site_new ();

  pw_agent_test_connection_async (site->agent, "127.0.0.65", fleet->port, NULL, NULL, done_cb, &res);
  snapshot = pw_agent_test_connection_finish (site->agent, wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL), ==, LASER_SERIAL);
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SYS_NAME), ==, "lp2040-floor2");
  g_assert_cmpuint (pw_store_count_devices (site->store, NULL), ==, 0);  /* nothing stored */

  device = pw_agent_add_device (site->agent, "127.0.0.65", fleet->port, snapshot, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_device_get_identity (device, PW_IDENTITY_SERIAL), ==, LASER_SERIAL);
  g_assert_nonnull (pw_device_get_latest (device));
  again = pw_agent_add_device (site->agent, "127.0.0.65", fleet->port, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  /* No answer: a port where nothing listens. */
  g_clear_object (&res);
  g_clear_object (&snapshot);
  pw_agent_test_connection_async (site->agent, "127.0.0.65", pw_test_free_udp_port ("127.0.0.65"), NULL, NULL,
                                  done_cb, &res);
  snapshot = pw_agent_test_connection_finish (site->agent, wait_for (&res), &error);
  g_assert_null (snapshot);
  g_assert_nonnull (error);
  g_test_message ("silent: %s", error->message);
  g_clear_error (&error);

  /* No address at all. */
  g_clear_object (&res);
  pw_agent_test_connection_async (site->agent, "300.1.2.3", 161, NULL, NULL, done_cb, &res);
  snapshot = pw_agent_test_connection_finish (site->agent, wait_for (&res), &error);
  g_assert_null (snapshot);
  g_assert_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST);
  g_clear_error (&error);
  g_assert_null (pw_agent_add_device (site->agent, "300.1.2.3", 161, NULL, &error));
  g_assert_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST);
}

/* ---- credential profiles ---- */

static gint64
save (PwTestSite                *site,
      const PwCredentialProfile *profile,
      const char                *secret,
      const char                *priv_secret,
      GError                   **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  pw_agent_save_credential_profile_async (site->agent, profile, secret, priv_secret, NULL, done_cb, &res);
  return pw_agent_save_credential_profile_finish (site->agent, wait_for (&res), error);
}

static GPtrArray *
list (PwTestSite *site)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *profiles;

  pw_agent_list_credential_profiles_async (site->agent, NULL, done_cb, &res);
  profiles = pw_agent_list_credential_profiles_finish (site->agent, wait_for (&res), &error);
  g_assert_no_error (error);
  return profiles;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  /* Binary (SQLite pages): no string functions that stop at a NUL. */
  for (gsize n = strlen (needle), i = 0; i + n <= len; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Neither the database nor its journal holds @secret. */
static void
assert_not_in_database (PwTestSite *site,
                        const char *secret)
{
  const char *path = pw_store_get_path (site->store);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (path, secret));
  g_assert_false (file_contains (wal, secret));
}

static void
test_profiles (void)
{
  g_autoptr(PwTestSite) site = pw_test_site_new ();
  g_autoptr(PwCredentialProfile) office = pw_credential_profile_new ("office", PW_SNMP_VERSION_2C);
  g_autoptr(PwCredentialProfile) secure = pw_credential_profile_new ("secure", PW_SNMP_VERSION_3);
  g_autoptr(PwCredentialProfile) weak = NULL;
  g_autoptr(PwCredentialProfile) renamed = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(PwSnmpCredentials) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fallback = pw_secret_fallback_path ();
  GPtrArray *credentials;
  gint64 office_id, secure_id;

  /* Before any profile: "public". */
  credentials = pw_agent_get_snmp_credentials (site->agent);
  g_assert_cmpuint (credentials->len, ==, 1);
  g_assert_cmpstr (pw_snmp_credentials_get_community (credentials->pdata[0]), ==, "public");

  office_id = save (site, office, COMMUNITY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (office_id, >, 0);
  secure->user = g_strdup ("pwadmin");
  secure->auth_protocol = PW_SNMP_AUTH_SHA256;
  secure->priv_protocol = PW_SNMP_PRIV_AES128;
  secure_id = save (site, secure, AUTH_PASS, PRIV_PASS, &error);
  g_assert_no_error (error);

  /* The agent tries them now, in the profiles' order. */
  credentials = pw_agent_get_snmp_credentials (site->agent);
  g_assert_cmpuint (credentials->len, ==, 2);
  g_assert_cmpstr (pw_snmp_credentials_get_community (credentials->pdata[0]), ==, COMMUNITY);
  g_assert_cmpint (pw_snmp_credentials_get_version (credentials->pdata[1]), ==, PW_SNMP_VERSION_3);
  g_assert_cmpstr (pw_snmp_credentials_get_user (credentials->pdata[1]), ==, "pwadmin");
  g_assert_cmpstr (pw_snmp_credentials_get_auth_passphrase (credentials->pdata[1]), ==, AUTH_PASS);
  g_assert_cmpstr (pw_snmp_credentials_get_priv_passphrase (credentials->pdata[1]), ==, PRIV_PASS);

  profiles = list (site);
  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_cmpstr (((PwCredentialProfile *) profiles->pdata[1])->name, ==, "secure");
  g_assert_cmpint (((PwCredentialProfile *) profiles->pdata[1])->auth_protocol, ==, PW_SNMP_AUTH_SHA256);
  g_assert_cmpint (((PwCredentialProfile *) profiles->pdata[1])->priv_protocol, ==, PW_SNMP_PRIV_AES128);
  g_assert_nonnull (((PwCredentialProfile *) profiles->pdata[1])->secret_ref);

  /* Renamed without retyping the community: it stays. */
  renamed = pw_credential_profile_copy (profiles->pdata[0]);
  g_assert_cmpint (renamed->id, ==, office_id);
  g_free (renamed->name);
  renamed->name = g_strdup ("main office");
  g_assert_cmpint (save (site, renamed, NULL, NULL, &error), ==, office_id);
  g_assert_no_error (error);
  pw_agent_profile_credentials_async (site->agent, renamed, NULL, done_cb, &res);
  loaded = pw_agent_profile_credentials_finish (site->agent, wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_snmp_credentials_get_community (loaded), ==, COMMUNITY);

  /* Refused before anything is written: a taken name, a short passphrase,
   * a new profile without its community. */
  weak = pw_credential_profile_new ("secure", PW_SNMP_VERSION_2C);
  g_assert_cmpint (save (site, weak, "other", NULL, &error), ==, 0);
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&weak, pw_credential_profile_free);
  weak = pw_credential_profile_new ("weak", PW_SNMP_VERSION_3);
  weak->user = g_strdup ("pwadmin");
  weak->auth_protocol = PW_SNMP_AUTH_SHA512;
  g_assert_cmpint (save (site, weak, "short", NULL, &error), ==, 0);
  g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_PASSPHRASE);
  g_clear_error (&error);
  g_clear_pointer (&weak, pw_credential_profile_free);
  weak = pw_credential_profile_new ("empty", PW_SNMP_VERSION_1);
  g_assert_cmpint (save (site, weak, "", NULL, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Enter the community");
  g_clear_error (&error);
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = list (site);
  g_assert_cmpuint (profiles->len, ==, 2);

  /* The secrets are in the stand-in for the keyring, never in the database. */
  g_assert_true (file_contains (fallback, COMMUNITY));
  g_assert_true (file_contains (fallback, AUTH_PASS));
  assert_not_in_database (site, COMMUNITY);
  assert_not_in_database (site, AUTH_PASS);
  assert_not_in_database (site, PRIV_PASS);

  /* Removed, with its secrets. */
  g_clear_object (&res);
  pw_agent_remove_credential_profile_async (site->agent, profiles->pdata[1], NULL, done_cb, &res);
  g_assert_true (pw_agent_remove_credential_profile_finish (site->agent, wait_for (&res), &error));
  g_assert_no_error (error);
  g_assert_false (file_contains (fallback, AUTH_PASS));
  g_assert_true (file_contains (fallback, COMMUNITY));
  g_assert_cmpuint (pw_agent_get_snmp_credentials (site->agent)->len, ==, 1);
  g_assert_null (pw_store_get_credential_profile (site->store, secure_id, &error));
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The last one gone: "public" again. */
  g_clear_object (&res);
  pw_agent_remove_credential_profile_async (site->agent, profiles->pdata[0], NULL, done_cb, &res);
  g_assert_true (pw_agent_remove_credential_profile_finish (site->agent, wait_for (&res), &error));
  g_assert_no_error (error);
  g_assert_false (file_contains (fallback, COMMUNITY));
  credentials = pw_agent_get_snmp_credentials (site->agent);
  g_assert_cmpuint (credentials->len, ==, 1);
  g_assert_cmpstr (pw_snmp_credentials_get_community (credentials->pdata[0]), ==, "public");
}

/* A profile whose secret went missing from the keyring is left out, with
 * the others still tried. */
static void
test_profile_secret_missing (void)
{
  g_autoptr(PwTestSite) site = pw_test_site_new ();
  g_autoptr(PwCredentialProfile) first = pw_credential_profile_new ("first", PW_SNMP_VERSION_2C);
  g_autoptr(PwCredentialProfile) second = pw_credential_profile_new ("second", PW_SNMP_VERSION_1);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fallback = pw_secret_fallback_path ();

  save (site, first, "community-one", NULL, &error);
  g_assert_no_error (error);
  save (site, second, "community-two", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_remove (fallback), ==, 0);

  pw_agent_load_snmp_credentials_async (site->agent, NULL, done_cb, &res);
  loaded = pw_agent_load_snmp_credentials_finish (site->agent, wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (pw_snmp_credentials_get_community (loaded->pdata[0]), ==, "public");
}

/* Credentials loaded from a v3 profile speak to a real SNMPv3 agent. */
static void
test_v3_profile_discovers (void)
{
  PwTestV3User user = { "pwadmin", "SHA-256", AUTH_PASS, "AES", PRIV_PASS };
  g_autoptr(PwTestSite) site = pw_test_site_new ();
  g_autoptr(PwCredentialProfile) secure = pw_credential_profile_new ("secure", PW_SNMP_VERSION_3);
  g_autoptr(PwTestAgent) snmpd = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  guint16 port = pw_test_free_udp_port ("127.0.0.66");
  PwDiscoveryResult *result;

  endpoint = g_strdup_printf ("127.0.0.66:%u", port);
  snmpd = pw_test_snmpd_start (endpoint, &user, 1, NULL, &error);
  if (snmpd == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  secure->user = g_strdup ("pwadmin");
  secure->auth_protocol = PW_SNMP_AUTH_SHA256;
  secure->priv_protocol = PW_SNMP_PRIV_AES128;
  save (site, secure, AUTH_PASS, PRIV_PASS, &error);
  g_assert_no_error (error);

  pw_agent_discover_async (site->agent, endpoint, NULL, NULL, done_cb, &res);
  results = pw_agent_discover_finish (site->agent, wait_for (&res), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = results->pdata[0];
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_OTHER);  /* snmpd is no printer */
  g_assert_cmpstr (pw_snapshot_get_identity (result->identity, PW_IDENTITY_SYS_NAME), ==, "pw-test-snmpd");
}

static void
test_store_profiles (void)
{
  g_autoptr(PwTestSite) site = pw_test_site_new ();
  g_autoptr(PwCredentialProfile) profile = pw_credential_profile_new ("  spaced  ", PW_SNMP_VERSION_3);
  g_autoptr(PwCredentialProfile) back = NULL;
  g_autoptr(GError) error = NULL;

  /* SNMPv3 without a user is refused. */
  g_assert_cmpint (pw_store_add_credential_profile (site->store, profile, &error), ==, 0);
  g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_USER);
  g_clear_error (&error);

  profile->user = g_strdup ("ops");
  profile->auth_protocol = PW_SNMP_AUTH_SHA384;
  profile->priv_protocol = PW_SNMP_PRIV_AES256;
  g_assert_cmpint (pw_store_add_credential_profile (site->store, profile, &error), >, 0);
  g_assert_no_error (error);
  g_assert_nonnull (profile->secret_ref);

  back = pw_store_get_credential_profile (site->store, profile->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "spaced");
  g_assert_cmpstr (back->user, ==, "ops");
  g_assert_cmpint (back->auth_protocol, ==, PW_SNMP_AUTH_SHA384);
  g_assert_cmpint (back->priv_protocol, ==, PW_SNMP_PRIV_AES256);
  g_assert_cmpstr (back->secret_ref, ==, profile->secret_ref);

  /* As v2c, the v3 fields are dropped; the secret_ref stays. */
  back->version = PW_SNMP_VERSION_2C;
  g_assert_true (pw_store_update_credential_profile (site->store, back, &error));
  g_clear_pointer (&back, pw_credential_profile_free);
  back = pw_store_get_credential_profile (site->store, profile->id, &error);
  g_assert_cmpint (back->version, ==, PW_SNMP_VERSION_2C);
  g_assert_null (back->user);
  g_assert_cmpstr (back->secret_ref, ==, profile->secret_ref);

  back->id = 999;
  g_assert_false (pw_store_update_credential_profile (site->store, back, &error));
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pw_store_remove_credential_profile (site->store, 999, &error));
  g_assert_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (pw_store_remove_credential_profile (site->store, profile->id, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No session bus: the keyring is absent, as on a headless server. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);
  g_unsetenv (PW_SECRET_PASSWORD_ENV);
  g_unsetenv (PW_SECRET_TOKEN_ENV);
  g_unsetenv (PW_SECRET_SMTP_PASSWORD_ENV);

  g_test_add_func ("/agent-dialogs/discover", test_discover);
  g_test_add_func ("/agent-dialogs/connection-and-add", test_connection_and_add);
  g_test_add_func ("/agent-dialogs/store-profiles", test_store_profiles);
  g_test_add_func ("/agent-dialogs/profiles", test_profiles);
  g_test_add_func ("/agent-dialogs/profile-secret-missing", test_profile_secret_missing);
  g_test_add_func ("/agent-dialogs/v3-profile-discovers", test_v3_profile_discovers);

  return g_test_run ();
}
