/* test-secrets.c: a secret is in the keyring and nowhere else.
 *
 * With no keyring (no session bus), the collection server's password, an SNMP community, the
 * SNMPv3 passphrases of a credential profile and the mail server's password go to the 0600
 * fallback file, and a message says so. Then printwatch-cli uses them all, with every debug
 * message on: a sync polls a printer by community (snmpsimd) and one by SNMPv3 (snmpd) and
 * sends to printwatch-collector over TLS; a test e-mail and a check of the rules go to an SMTP
 * server that wants AUTH over STARTTLS; every report kind is written as CSV and HTML; status,
 * payload, list, show and history print what they know; one payload is left waiting in the
 * outbox. None of the secrets, nor their Base64 as HTTP Basic or SMTP AUTH would carry them,
 * is then found in the database (and its WAL), the logs and output of every run and of this
 * process, the payloads at the collector, the e-mails received or the reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-enums.h"
#include "pw-test-office.h"
#include "pw-test-utils.h"
#include "servers/pw-test-smtp.h"

#include <glib/gstdio.h>
#include <string.h>

#define SERVER_PASSWORD "SrvPw-3f9a7c1e5b"
#define COMMUNITY       "Comm-7d2b94e0a1"
#define AUTH_PASS       "AuthPp-51c8e6a2f7"
#define PRIV_PASS       "PrivPp-9e04b7d3c6"
#define SMTP_USER       "mailer"
#define SMTP_PASSWORD   "SmtpPw-c61f08aa42"
#define V3_USER         "pwsecure"

/* What this process logged, debug messages too. */
static GString *logged;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

  g_string_append_printf (logged, "%s\n", line);
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Every secret, and the forms the wire gives them. */
static GPtrArray *
secret_forms (void)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func (g_free);
  static const char smtp_plain[] = "\0" SMTP_USER "\0" SMTP_PASSWORD;

  g_ptr_array_add (forms, g_strdup (SERVER_PASSWORD));
  g_ptr_array_add (forms, g_strdup (COMMUNITY));
  g_ptr_array_add (forms, g_strdup (AUTH_PASS));
  g_ptr_array_add (forms, g_strdup (PRIV_PASS));
  g_ptr_array_add (forms, g_strdup (SMTP_PASSWORD));
  /* HTTP Basic; SMTP AUTH PLAIN and LOGIN. */
  g_ptr_array_add (forms, g_base64_encode ((const guchar *) PW_TEST_OFFICE_USER ":" SERVER_PASSWORD,
                                           strlen (PW_TEST_OFFICE_USER ":" SERVER_PASSWORD)));
  g_ptr_array_add (forms, g_base64_encode ((const guchar *) smtp_plain, sizeof smtp_plain - 1));
  g_ptr_array_add (forms, g_base64_encode ((const guchar *) SMTP_PASSWORD, strlen (SMTP_PASSWORD)));
  return forms;
}

/* The first of @forms found in @data, or NULL. */
static const char *
find_secret (GPtrArray    *forms,
             const guint8 *data,
             gsize         len)
{
  for (guint i = 0; i < forms->len; i++)
    {
      const char *form = forms->pdata[i];
      gsize form_len = strlen (form);

      for (gsize at = 0; at + form_len <= len; at++)
        if (memcmp (data + at, form, form_len) == 0)
          return form;
    }
  return NULL;
}

static void
assert_nothing_in (GPtrArray    *forms,
                   const char   *what,
                   const guint8 *data,
                   gsize         len)
{
  const char *found = find_secret (forms, data, len);

  if (found != NULL)
    g_error ("“%s” is in %s", found, what);
}

/* Every file of @path (a file or a folder, walked); returns how many were read. */
static guint
assert_nothing_in_files (GPtrArray  *forms,
                         const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autofree char *contents = NULL;
  const char *name;
  gsize len = 0;
  guint n = 0;

  if (dir == NULL)
    {
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      assert_nothing_in (forms, path, (const guint8 *) contents, len);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      n += assert_nothing_in_files (forms, child);
    }
  return n;
}

static void
done_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* In this process, as the preferences window would: the profiles, the passwords. */
static void
keep_secrets (PwTestOffice *office)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open (office->db, &error);
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(PwCredentialProfile) community = pw_credential_profile_new ("office", PW_SNMP_VERSION_2C);
  g_autoptr(PwCredentialProfile) secure = pw_credential_profile_new ("secure", PW_SNMP_VERSION_3);
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) saved_v3 = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) stored_smtp = NULL;
  g_autofree char *url = pw_test_server_get_url (office->collector);

  g_assert_no_error (error);
  agent = pw_agent_new (store);
  secure->user = g_strdup (V3_USER);
  secure->auth_protocol = PW_SNMP_AUTH_SHA256;
  secure->priv_protocol = PW_SNMP_PRIV_AES128;
  pw_agent_save_credential_profile_async (agent, community, COMMUNITY, NULL, NULL, done_cb, &saved);
  g_assert_cmpint (pw_agent_save_credential_profile_finish (agent, wait_for (&saved), &error), >, 0);
  g_assert_no_error (error);
  pw_agent_save_credential_profile_async (agent, secure, AUTH_PASS, PRIV_PASS, NULL, done_cb, &saved_v3);
  g_assert_cmpint (pw_agent_save_credential_profile_finish (agent, wait_for (&saved_v3), &error), >, 0);
  g_assert_no_error (error);
  pw_secret_store_async (url, PW_SECRET_PASSWORD, SERVER_PASSWORD, NULL, done_cb, &stored);
  g_assert_true (pw_secret_store_finish (wait_for (&stored), &error));
  g_assert_no_error (error);
  pw_secret_smtp_store_async ("127.0.0.1", SMTP_USER, SMTP_PASSWORD, NULL, done_cb, &stored_smtp);
  g_assert_true (pw_secret_store_finish (wait_for (&stored_smtp), &error));
  g_assert_no_error (error);
}

static int
run (PwTestOffice       *office,
     const char         *log_path,
     const char * const *args)
{
  int status = pw_test_office_run_cli (office, log_path, "all", args);

  g_test_message ("printwatch-cli %s: %d", args[0], status);
  return status;
}

static void
test_nowhere_but_the_keyring (void)
{
  PwTestOfficeOptions options = { "127.0.13", 1, "generic-laser", COMMUNITY, SERVER_PASSWORD };
  PwTestV3User user = { V3_USER, "SHA-256", AUTH_PASS, "AES", PRIV_PASS };
  g_autoptr(PwTestOffice) office = pw_test_office_new (&options);
  g_autoptr(PwTestAgent) snmpd = NULL;
  g_autoptr(PwTestServer) smtp = NULL;
  g_autoptr(GPtrArray) forms = secret_forms ();
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fallback = pw_secret_fallback_path ();
  g_autofree char *fallback_text = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *reports = NULL;
  g_autofree char *snmpd_endpoint = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *cli_log = NULL;
  guint16 snmpd_port = pw_test_free_udp_port ("127.0.13.2");
  g_autoptr(GEnumClass) kinds = NULL;
  GStatBuf st;
  guint n;

  if (office == NULL)
    return;
  snmpd_endpoint = g_strdup_printf ("127.0.13.2:%u", snmpd_port);
  snmpd = pw_test_snmpd_start (snmpd_endpoint, &user, 1, NULL, &error);
  if (snmpd == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  smtp = pw_test_smtp_start (&(PwTestSmtpOptions) { NULL, office->pki->server_cert, office->pki->server_key, FALSE,
                                                    SMTP_USER ":" SMTP_PASSWORD }, &error);
  if (smtp == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  {
    g_autoptr(PwStore) store = pw_store_open (office->db, &error);
    g_autoptr(PwDevice) device = pw_store_add_device (store, "127.0.13.2", snmpd_port, &error);

    g_assert_no_error (error);
  }

  /* No keyring: the fallback file, 0600, and a word about it. */
  keep_secrets (office);
  g_assert_cmpint (g_stat (fallback, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (fallback, &fallback_text, NULL, NULL));
  for (guint i = 0; i < 5; i++)
    g_assert_nonnull (strstr (fallback_text, forms->pdata[i]));
  g_assert_nonnull (find_secret (forms, (const guint8 *) fallback_text, strlen (fallback_text)));
  g_assert_nonnull (strstr (logged->str, "No keyring is available: the server’s password is kept in"));
  g_assert_nonnull (strstr (logged->str, "No keyring is available: SNMP secrets are kept in"));
  g_assert_nonnull (strstr (logged->str, "No keyring is available: the mail server’s password is kept in"));

  /* Everything the command line does, the secrets from that file. */
  pw_test_office_set_env (office, NULL);
  port_text = g_strdup_printf ("%u", pw_test_server_get_port (smtp));
  g_setenv (PW_NOTIFIER_ENV_SMTP_SERVER, "127.0.0.1", TRUE);
  g_setenv (PW_NOTIFIER_ENV_SMTP_PORT, port_text, TRUE);
  g_setenv (PW_NOTIFIER_ENV_SMTP_SECURITY, "starttls", TRUE);
  g_setenv (PW_NOTIFIER_ENV_SMTP_USER, SMTP_USER, TRUE);
  g_setenv (PW_NOTIFIER_ENV_SMTP_CA_FILE, office->pki->ca_file, TRUE);
  g_setenv (PW_NOTIFIER_ENV_MAIL_FROM, "printwatch@example.com", TRUE);
  g_setenv (PW_NOTIFIER_ENV_MAIL_TO, "admin@example.com", TRUE);
  log_path = g_build_filename (office->dir, "cli.log", NULL);
  reports = g_build_filename (office->dir, "reports", NULL);
  g_assert_cmpint (g_mkdir (reports, 0700), ==, 0);

  g_assert_cmpint (run (office, log_path, (const char * const[]) { "sync", "--now", NULL }), ==, 0);
  g_assert_true (g_file_get_contents (log_path, &cli_log, NULL, NULL));
  g_assert_nonnull (strstr (cli_log, "2 of 2 printers answered."));
  g_assert_nonnull (strstr (cli_log, "1 payload sent, 0 waiting."));
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "notify", "--test", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "notify", "--check", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "notify", NULL }), ==, 0);
  kinds = g_type_class_ref (PW_TYPE_REPORT_KIND);
  for (guint k = 0; k < kinds->n_values; k++)
    for (guint html = 0; html < 2; html++)
      {
        const char *kind = kinds->values[k].value_nick;
        g_autofree char *name = g_strdup_printf ("%s.%s", kind, html ? "html" : "csv");
        g_autofree char *path = g_build_filename (reports, name, NULL);

        g_assert_cmpint (run (office, log_path, (const char * const[]) { "report", "--kind", kind,
                                                                         "--format", html ? "html" : "csv",
                                                                         "--output", path, NULL }), ==, 0);
      }
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "status", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "list", "--json", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "list", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "show", "1", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "show", "2", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "history", "1", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "payload", "--new", NULL }), ==, 0);
  /* The server gone: a payload waits in the outbox, and is shown. */
  g_setenv (PW_AGENT_ENV_SERVER_URL, "https://127.0.0.1:9/api/v1/uploads", TRUE);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "sync", "--now", NULL }), ==, 1);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "payload", NULL }), ==, 0);
  g_assert_cmpint (run (office, log_path, (const char * const[]) { "status", NULL }), ==, 0);
  {
    sqlite3 *db = pw_test_sql_open (office->db);

    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM outbox", NULL), ==, 1);
    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM credential_profiles", NULL), ==, 2);
    sqlite3_close (db);
  }
  mails = pw_test_smtp_messages (smtp);
  g_assert_cmpuint (mails->len, >=, 1);

  /* Nowhere. The database is read as it lies, WAL and all, before anything checkpoints it. */
  n = 0;
  for (const char * const *suffix = (const char * const[]) { "", "-wal", "-shm", NULL }; *suffix != NULL; suffix++)
    {
      g_autofree char *path = g_strconcat (office->db, *suffix, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        n += assert_nothing_in_files (forms, path);
    }
  g_assert_cmpuint (n, >=, 1);
  g_clear_pointer (&cli_log, g_free);
  g_assert_true (g_file_get_contents (log_path, &cli_log, NULL, NULL));
  g_assert_nonnull (strstr (cli_log, "pw-uploader-DEBUG"));  /* the debug messages were on */
  assert_nothing_in (forms, "the command line's output", (const guint8 *) cli_log, strlen (cli_log));
  assert_nothing_in (forms, "this process's log", (const guint8 *) logged->str, logged->len);
  g_assert_cmpuint (assert_nothing_in_files (forms, reports), ==, 2 * kinds->n_values);
  {
    g_autofree char *mail_dir = g_build_filename (pw_test_server_get_dir (smtp), "mail", NULL);

    g_assert_cmpuint (assert_nothing_in_files (forms, mail_dir), >=, mails->len);
  }
  for (const char * const *suffix = (const char * const[]) { "", "-wal", NULL }; *suffix != NULL; suffix++)
    {
      g_autofree char *path = g_strconcat (pw_test_server_get_database (office->collector), *suffix, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        assert_nothing_in_files (forms, path);
    }
  {
    sqlite3 *db = pw_test_sql_open (pw_test_server_get_database (office->collector));

    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM payloads", NULL), ==, 1);
    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM payloads WHERE instr (json, ?1) > 0", SERVER_PASSWORD),
                     ==, 0);
    sqlite3_close (db);
  }

  pw_test_office_unset_env ();
  for (const char * const *name = (const char * const[]) { PW_NOTIFIER_ENV_SMTP_SERVER, PW_NOTIFIER_ENV_SMTP_PORT,
                                                            PW_NOTIFIER_ENV_SMTP_SECURITY, PW_NOTIFIER_ENV_SMTP_USER,
                                                            PW_NOTIFIER_ENV_SMTP_CA_FILE, PW_NOTIFIER_ENV_MAIL_FROM,
                                                            PW_NOTIFIER_ENV_MAIL_TO, NULL };
       *name != NULL; name++)
    g_unsetenv (*name);
}

int
main (int    argc,
      char **argv)
{
  int status;

  logged = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  pw_test_init (&argc, &argv, TRUE);
  /* No session bus: the keyring is absent, as on a headless server; nor are the variables
   * that would stand in for it. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);
  g_unsetenv (PW_SECRET_PASSWORD_ENV);
  g_unsetenv (PW_SECRET_TOKEN_ENV);
  g_unsetenv (PW_SECRET_SMTP_PASSWORD_ENV);

  g_test_add_func ("/secrets/nowhere-but-the-keyring", test_nowhere_but_the_keyring);

  status = g_test_run ();
  g_string_free (logged, TRUE);
  return status;
}
