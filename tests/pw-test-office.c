/* pw-test-office.c: a whole office on loopback, for the tests that run printwatch-cli against it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-office.h"
#include "pw-test-utils.h"

#include "printwatch-core.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* The agent's settings pw_test_office_set_env () gives. */
static const char * const site_env[] = {
  PW_AGENT_ENV_SERVER_URL, PW_AGENT_ENV_CA_FILE, PW_AGENT_ENV_SERVER_USER, PW_AGENT_ENV_AUTH,
  PW_AGENT_ENV_SITE_NAME, PW_SECRET_PASSWORD_ENV, NULL
};

static gboolean
skip_or_fail (GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_error ("%s", error->message);
  g_test_skip (error->message);
  return FALSE;
}

static gboolean
start_printers (PwTestOffice              *office,
                const PwTestOfficeOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *recording = g_strdup_printf ("%s/%s.snmprec", pw_test_fixtures_dir (),
                                                options->recording != NULL ? options->recording : "generic-laser");
  g_autofree char *name = g_strconcat (office->community, ".snmprec", NULL);
  g_autofree char *link = NULL;

  /* snmpsimd picks the recording by community; it runs as nobody when we are root. */
  office->data_dir = pw_test_make_tmpdir ();
  g_assert_cmpint (g_chmod (office->data_dir, 0755), ==, 0);
  link = g_build_filename (office->data_dir, name, NULL);
  g_assert_cmpint (symlink (recording, link), ==, 0);

  for (guint i = 1; i <= options->n_printers; i++)
    {
      char *host = g_strdup_printf ("%s.%u", options->subnet, i);
      guint16 port = pw_test_free_udp_port (host);

      g_ptr_array_add (office->hosts, host);
      g_array_append_val (office->ports, port);
      g_ptr_array_add (endpoints, g_strdup_printf ("%s:%u", host, port));
    }
  g_ptr_array_add (endpoints, NULL);
  office->snmp = pw_test_snmpsim_start (office->data_dir, (const char * const *) endpoints->pdata, &error);
  return office->snmp != NULL || skip_or_fail (error);
}

static gboolean
start_collector (PwTestOffice *office,
                 const char   *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *credentials = g_strdup_printf (PW_TEST_OFFICE_USER ":%s\n", password);

  office->pki = pw_test_pki_new (&error);
  if (office->pki == NULL)
    return skip_or_fail (error);
  office->collector = pw_test_collector_start (office->pki->server_cert, office->pki->server_key, credentials, NULL,
                                             &error);
  return office->collector != NULL || skip_or_fail (error);
}

PwTestOffice *
pw_test_office_new (const PwTestOfficeOptions *options)
{
  g_autoptr(PwTestOffice) office = g_new0 (PwTestOffice, 1);
  g_autoptr(PwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  office->dir = pw_test_make_tmpdir ();
  office->db = g_build_filename (office->dir, "agent.db", NULL);
  office->community = g_strdup (options->community != NULL ? options->community
                              : options->recording != NULL ? options->recording : "generic-laser");
  office->hosts = g_ptr_array_new_with_free_func (g_free);
  office->ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  if (g_getenv ("PW_CLI") == NULL)
    {
      g_test_skip ("$PW_CLI names no printwatch-cli");
      return NULL;
    }
  if (!start_printers (office, options) || (options->password != NULL && !start_collector (office, options->password)))
    return NULL;

  store = pw_store_open (office->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < office->hosts->len; i++)
    {
      g_autoptr(PwDevice) device = pw_store_add_device (store, office->hosts->pdata[i],
                                                        g_array_index (office->ports, guint16, i), &error);

      g_assert_no_error (error);
    }
  return g_steal_pointer (&office);
}

void
pw_test_office_free (PwTestOffice *office)
{
  g_clear_pointer (&office->collector, pw_test_server_free);
  g_clear_pointer (&office->pki, pw_test_pki_free);
  g_clear_pointer (&office->snmp, pw_test_agent_stop);
  if (office->data_dir != NULL)
    pw_test_remove_tree (office->data_dir);
  pw_test_remove_tree (office->dir);
  g_ptr_array_unref (office->hosts);
  g_array_unref (office->ports);
  g_free (office->community);
  g_free (office->data_dir);
  g_free (office->db);
  g_free (office->dir);
  g_free (office);
}

void
pw_test_office_set_env (PwTestOffice *office,
                        const char   *password)
{
  g_autofree char *url = pw_test_server_get_url (office->collector);

  g_setenv (PW_AGENT_ENV_SERVER_URL, url, TRUE);
  g_setenv (PW_AGENT_ENV_CA_FILE, office->pki->ca_file, TRUE);
  g_setenv (PW_AGENT_ENV_SERVER_USER, PW_TEST_OFFICE_USER, TRUE);
  g_setenv (PW_AGENT_ENV_AUTH, "basic", TRUE);
  g_setenv (PW_AGENT_ENV_SITE_NAME, "Test site", TRUE);
  if (password != NULL)
    g_setenv (PW_SECRET_PASSWORD_ENV, password, TRUE);
  else
    g_unsetenv (PW_SECRET_PASSWORD_ENV);
}

void
pw_test_office_unset_env (void)
{
  for (guint i = 0; site_env[i] != NULL; i++)
    g_unsetenv (site_env[i]);
}

GSubprocessLauncher *
pw_test_office_launcher (const char *log_path,
                         const char *debug_domains,
                         gboolean    with_stdout)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (with_stdout ? G_SUBPROCESS_FLAGS_NONE
                                                             : G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  int fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  /* One file, appended to by both: the lines stay in the order they were written. */
  if (with_stdout)
    g_subprocess_launcher_take_stdout_fd (launcher, dup (fd));
  g_subprocess_launcher_take_stderr_fd (launcher, fd);
  if (debug_domains != NULL)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", debug_domains, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  return launcher;
}

GSubprocess *
pw_test_office_spawn_with (PwTestOffice         *office,
                           GSubprocessLauncher  *launcher,
                           const char * const   *args,
                           GError              **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("PW_CLI"));
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, office->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

GSubprocess *
pw_test_office_spawn_cli (PwTestOffice        *office,
                          const char          *log_path,
                          const char          *debug_domains,
                          const char * const  *args,
                          GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = pw_test_office_launcher (log_path, debug_domains, TRUE);

  return pw_test_office_spawn_with (office, launcher, args, error);
}

int
pw_test_office_run_cli (PwTestOffice       *office,
                        const char         *log_path,
                        const char         *debug_domains,
                        const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = pw_test_office_spawn_cli (office, log_path, debug_domains, args, &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    {
      g_autofree char *log = NULL;

      /* Killed: what it said last tells why. */
      if (log_path != NULL && g_file_get_contents (log_path, &log, NULL, NULL))
        g_printerr ("printwatch-cli %s ended by signal %d; its log ends:\n%s\n", args[0],
                    g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : 0,
                    log + (strlen (log) > 8000 ? strlen (log) - 8000 : 0));
      return -1;
    }
  return g_subprocess_get_exit_status (process);
}

/* Read-write, as the agent's next start would open it: a crashed writer's WAL is recovered. */
sqlite3 *
pw_test_sql_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* The first column of the first row as a number; @text_arg binds ?1 when given. */
gint64
pw_test_sql_int (sqlite3    *db,
                 const char *sql,
                 const char *text_arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (text_arg != NULL)
    sqlite3_bind_text (stmt, 1, text_arg, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return value;
}

/* PRAGMA integrity_check says "ok", and the foreign keys hold. */
void
pw_test_sql_assert_intact (const char *path)
{
  sqlite3 *db = pw_test_sql_open (path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}
