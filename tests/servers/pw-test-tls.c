/* pw-test-tls.c: certificates and HTTPS servers on loopback, for the upload tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-test-tls"

#include "pw-test-tls.h"
#include "pw-test-utils.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define START_TIMEOUT_S 30
#define STOP_TIMEOUT_S  20   /* the collector lets requests in progress finish */

struct _PwTestServer {
  GPid     pid;       /* reaped by us; 0 once reaped */
  int      stdin_fd;  /* the write end of its stdin, kept open (s_server quits at its end); or -1 */
  char    *dir;       /* owned: its files; removed on free */
  char    *output;    /* owned: its stdout and stderr */
  char    *database;  /* owned, nullable: the collector's */
  guint16  port;
};

static const char openssl_config[] =
  "[ req ]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[ dn ]\n"
  "CN = Printwatch Test\n"
  "[ ca_ext ]\n"
  "basicConstraints = critical, CA:TRUE\n"
  "keyUsage = critical, keyCertSign, cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[ server_ext ]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
  "[ wrong_host_ext ]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:wrong-host.invalid\n"
  "[ ca ]\n"
  "default_ca = test_ca\n"
  "[ test_ca ]\n"
  "database = index.txt\n"
  "new_certs_dir = .\n"
  "certificate = ca.pem\n"
  "private_key = ca.key\n"
  "serial = serial\n"
  "default_md = sha256\n"
  "policy = policy_any\n"
  "unique_subject = no\n"
  "[ policy_any ]\n"
  "commonName = supplied\n";

gboolean
pw_test_run_tool (const char * const  *argv,
                  const char          *input,
                  char               **output,
                  GError             **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_MERGE, error);
  if (process == NULL
      || !g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &out, NULL, error))
    return FALSE;
  if (output != NULL)
    *output = g_steal_pointer (&out);
  return g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
}

static char *
find_openssl (GError **error)
{
  char *path = g_find_program_in_path ("openssl");

  if (path == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "openssl not found (Debian package openssl), skipping");
  return path;
}

/* openssl in @dir, failing with its output. */
static gboolean
openssl (const char  *dir,
         GError     **error,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tool = find_openssl (error);
  g_autofree char *output = NULL;
  g_autofree char *here = g_get_current_dir ();
  const char *arg;
  gboolean ok;
  va_list args;

  if (tool == NULL)
    return FALSE;
  g_ptr_array_add (argv, g_steal_pointer (&tool));
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* openssl ca resolves the configuration's file names against the working folder. */
  if (g_chdir (dir) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot enter %s", dir);
      return FALSE;
    }
  ok = pw_test_run_tool ((const char * const *) argv->pdata, NULL, &output, error);
  g_assert_cmpint (g_chdir (here), ==, 0);
  if (!ok && (error == NULL || *error == NULL))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "openssl %s failed:\n%s",
                 (const char *) argv->pdata[1], output);
  return ok;
}

static char *
openssl_time (GDateTime *now,
              int        days)
{
  g_autoptr(GDateTime) when = g_date_time_add_days (now, days);

  return g_date_time_format (when, "%Y%m%d%H%M%SZ");
}

/* A key and a certificate signed by the CA, valid from @from to @to days from now. */
static gboolean
issue (PwTestPki   *pki,
       const char  *name,
       const char  *extensions,
       int          from,
       int          to,
       char       **cert,
       char       **key,
       GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *start = openssl_time (now, from);
  g_autofree char *end = openssl_time (now, to);
  g_autofree char *csr = g_strdup_printf ("%s.csr", name);

  *cert = g_strdup_printf ("%s/%s.pem", pki->dir, name);
  *key = g_strdup_printf ("%s/%s.key", pki->dir, name);
  return openssl (pki->dir, error, "req", "-new", "-config", "openssl.cnf", "-newkey", "ec",
                  "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", *key,
                  "-out", csr, "-subj", "/CN=127.0.0.1", NULL)
         && openssl (pki->dir, error, "ca", "-batch", "-config", "openssl.cnf", "-notext",
                     "-extensions", extensions, "-startdate", start, "-enddate", end,
                     "-in", csr, "-out", *cert, NULL);
}

PwTestPki *
pw_test_pki_new (GError **error)
{
  g_autoptr(PwTestPki) pki = g_new0 (PwTestPki, 1);
  g_autofree char *config = NULL;
  g_autofree char *index = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *tool = find_openssl (error);

  if (tool == NULL || (pki->dir = g_dir_make_tmp ("pw-pki-XXXXXX", error)) == NULL)
    return NULL;
  config = g_build_filename (pki->dir, "openssl.cnf", NULL);
  index = g_build_filename (pki->dir, "index.txt", NULL);
  serial = g_build_filename (pki->dir, "serial", NULL);
  if (!g_file_set_contents (config, openssl_config, -1, error)
      || !g_file_set_contents (index, "", -1, error)
      || !g_file_set_contents (serial, "1000\n", -1, error))
    return NULL;

  pki->ca_file = g_build_filename (pki->dir, "ca.pem", NULL);
  if (!openssl (pki->dir, error, "req", "-x509", "-config", "openssl.cnf", "-extensions", "ca_ext",
                "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                "-subj", "/CN=Printwatch Test CA", NULL)
      || !issue (pki, "server", "server_ext", -1, 30, &pki->server_cert, &pki->server_key, error)
      || !issue (pki, "expired", "server_ext", -365, -364, &pki->expired_cert, &pki->expired_key, error)
      || !issue (pki, "future", "server_ext", 365, 730, &pki->future_cert, &pki->future_key, error)
      || !issue (pki, "wrong-host", "wrong_host_ext", -1, 30, &pki->wrong_host_cert,
                 &pki->wrong_host_key, error))
    return NULL;
  return g_steal_pointer (&pki);
}

void
pw_test_pki_free (PwTestPki *pki)
{
  if (pki == NULL)
    return;
  if (pki->dir != NULL)
    pw_test_remove_tree (pki->dir);
  g_free (pki->dir);
  g_free (pki->ca_file);
  g_free (pki->server_cert);
  g_free (pki->server_key);
  g_free (pki->expired_cert);
  g_free (pki->expired_key);
  g_free (pki->future_cert);
  g_free (pki->future_key);
  g_free (pki->wrong_host_cert);
  g_free (pki->wrong_host_key);
  g_free (pki);
}

/* Processes */

static void
child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent)
    _exit (126);
}

static PwTestServer *
server_new (const char  *name,
            GError     **error)
{
  g_autoptr(PwTestServer) server = g_new0 (PwTestServer, 1);
  g_autofree char *template = g_strdup_printf ("pw-%s-XXXXXX", name);

  server->stdin_fd = -1;
  if ((server->dir = g_dir_make_tmp (template, error)) == NULL)
    return NULL;
  server->output = g_build_filename (server->dir, "output.log", NULL);
  return g_steal_pointer (&server);
}

/* Runs @argv in the server's folder, its output into a file there. */
static gboolean
server_spawn (PwTestServer  *server,
              GPtrArray     *argv,
              GError       **error)
{
  int fd = g_open (server->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int input[2];
  gboolean ok;

  if (fd < 0 || !g_unix_open_pipe (input, FD_CLOEXEC, error))
    {
      if (fd >= 0)
        close (fd);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", server->output);
      return FALSE;
    }
  g_ptr_array_add (argv, NULL);
  ok = g_spawn_async_with_pipes_and_fds (server->dir, (const char * const *) argv->pdata, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD, child_setup,
                                         GINT_TO_POINTER (getpid ()), input[0], fd, fd,
                                         NULL, NULL, 0, &server->pid, NULL, NULL, NULL, error);
  close (fd);
  close (input[0]);
  server->stdin_fd = input[1];
  return ok;
}

/* TRUE once the process has exited and been reaped, waiting up to @timeout_s. */
static gboolean
server_reap (PwTestServer *server,
             guint         timeout_s,
             int          *wait_status)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (server->pid > 0)
    {
      int status = 0;
      pid_t pid = waitpid (server->pid, &status, WNOHANG);

      if (pid == server->pid || (pid < 0 && errno != EINTR))
        {
          server->pid = 0;
          if (wait_status != NULL)
            *wait_status = pid > 0 ? status : -1;
          break;
        }
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (10 * 1000);
    }
  return TRUE;
}

char *
pw_test_server_get_output (PwTestServer *server)
{
  char *contents = NULL;

  if (!g_file_get_contents (server->output, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* Polls @ready until it finds the port, the process exits, or time runs out. */
static gboolean
server_wait (PwTestServer  *server,
             guint16      (*ready) (PwTestServer *server),
             GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;

  while ((server->port = ready (server)) == 0)
    {
      int status = 0;

      if (server_reap (server, 0, &status) || g_get_monotonic_time () >= deadline)
        {
          g_autofree char *output = pw_test_server_get_output (server);
          gboolean exited = server->pid == 0;

          /* 77, as automake has it: what the server needs is missing. */
          if (exited && WIFEXITED (status) && WEXITSTATUS (status) == 77)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s, skipping", g_strstrip (output));
          else
            g_set_error (error, G_IO_ERROR, exited ? G_IO_ERROR_FAILED : G_IO_ERROR_TIMED_OUT,
                         "the server %s:\n%s", exited ? "exited early" : "did not start in time", output);
          return FALSE;
        }
      g_usleep (10 * 1000);
    }
  return TRUE;
}

static guint16
port_file_ready (PwTestServer *server)
{
  g_autofree char *path = g_build_filename (server->dir, "port", NULL);
  g_autofree char *contents = NULL;
  guint64 port = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL)
      || !g_ascii_string_to_unsigned (g_strstrip (contents), 10, 1, 65535, &port, NULL))
    return 0;
  return (guint16) port;
}

PwTestServer *
pw_test_collector_start (const char          *certificate,
                         const char          *key,
                         const char          *credentials,
                         const char * const  *extra_args,
                         GError             **error)
{
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *collector = g_getenv ("PW_COLLECTOR");

  if (collector == NULL || !g_file_test (collector, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "$PW_COLLECTOR names no printwatch-collector, skipping");
      return NULL;
    }
  g_ptr_array_add (argv, (gpointer) collector);
  g_ptr_array_add (argv, (gpointer) "--listen=127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--port-file=port");
  g_ptr_array_add (argv, (gpointer) "--database=collector.db");
  if (certificate != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--tls-certificate");
      g_ptr_array_add (argv, (gpointer) certificate);
      g_ptr_array_add (argv, (gpointer) "--tls-key");
      g_ptr_array_add (argv, (gpointer) key);
    }
  else
    g_ptr_array_add (argv, (gpointer) "--insecure-http");
  if (credentials != NULL)
    g_ptr_array_add (argv, (gpointer) "--credentials=credentials");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);

  if ((server = server_new ("collector", error)) == NULL)
    return NULL;
  if (credentials != NULL)
    {
      g_autofree char *path = g_build_filename (server->dir, "credentials", NULL);

      if (!g_file_set_contents (path, credentials, -1, error))
        return NULL;
    }
  server->database = g_build_filename (server->dir, "collector.db", NULL);
  if (!server_spawn (server, argv, error) || !server_wait (server, port_file_ready, error))
    return NULL;
  return g_steal_pointer (&server);
}

static guint16
s_server_ready (PwTestServer *server)
{
  g_autofree char *output = pw_test_server_get_output (server);
  const char *accept = strstr (output, "ACCEPT 127.0.0.1:");
  guint64 port = 0;

  if (accept == NULL)
    return 0;
  port = g_ascii_strtoull (accept + strlen ("ACCEPT 127.0.0.1:"), NULL, 10);
  return port <= 65535 ? (guint16) port : 0;
}

PwTestServer *
pw_test_s_server_start (const char          *certificate,
                        const char          *key,
                        const char * const  *extra_args,
                        GError             **error)
{
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  char *tool = find_openssl (error);

  if (tool == NULL)
    return NULL;
  g_ptr_array_add (argv, tool);
  g_ptr_array_add (argv, g_strdup ("s_server"));
  g_ptr_array_add (argv, g_strdup ("-accept"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, g_strdup (certificate));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, g_strdup (key));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  if ((server = server_new ("s_server", error)) == NULL
      || !server_spawn (server, argv, error) || !server_wait (server, s_server_ready, error))
    return NULL;
  return g_steal_pointer (&server);
}

PwTestServer *
pw_test_process_start (const char          *name,
                       const char * const  *argv,
                       GError             **error)
{
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  if ((server = server_new (name, error)) == NULL
      || !server_spawn (server, args, error) || !server_wait (server, port_file_ready, error))
    return NULL;
  return g_steal_pointer (&server);
}

const char *
pw_test_server_get_dir (PwTestServer *server)
{
  return server->dir;
}

guint16
pw_test_server_get_port (PwTestServer *server)
{
  return server->port;
}

const char *
pw_test_server_get_database (PwTestServer *server)
{
  return server->database;
}

char *
pw_test_server_get_url (PwTestServer *server)
{
  return g_strdup_printf ("https://127.0.0.1:%u/api/v1/uploads", server->port);
}

int
pw_test_server_stop (PwTestServer *server)
{
  int status = 0;

  if (server->pid <= 0)
    return 0;
  kill (server->pid, SIGTERM);
  if (!server_reap (server, STOP_TIMEOUT_S, &status))
    {
      kill (server->pid, SIGKILL);
      while (waitpid (server->pid, &status, 0) < 0 && errno == EINTR)
        ;
      server->pid = 0;
    }
  return status;
}

void
pw_test_server_free (PwTestServer *server)
{
  if (server == NULL)
    return;
  pw_test_server_stop (server);
  if (server->stdin_fd >= 0)
    close (server->stdin_fd);
  if (server->dir != NULL)
    pw_test_remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->output);
  g_free (server->database);
  g_free (server);
}
