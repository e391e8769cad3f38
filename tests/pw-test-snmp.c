/* pw-test-snmp.c: real SNMP agents on loopback, started and stopped by the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-test-snmp"

#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define START_TIMEOUT_S  30
#define STOP_TIMEOUT_S   10
#define LOG_EXCERPT_BYTES 2000
/* net-snmp refuses shorter pass phrases (USM_LENGTH_P_MIN). */
#define PASS_MIN_LEN     8

struct _PwTestAgent {
  char *name;     /* owned: "snmpsimd" or "snmpd", for messages */
  GPid  pid;      /* the agent; reaped by us (G_SPAWN_DO_NOT_REAP_CHILD), 0 once reaped */
  char *tmpdir;   /* owned: configuration, cache, logs; removed by pw_test_agent_stop () */
  char *output;   /* owned: the agent's stdout and stderr */
  char *log;      /* owned, nullable: the log the agent writes itself */
};

typedef struct {
  gboolean drop;    /* run the agent as nobody:nogroup (the test runs as root) */
  uid_t    uid;
  gid_t    gid;
  pid_t    parent;
} ChildSetup;

typedef enum {
  PROBE_ANSWERED,
  PROBE_SILENT,
  PROBE_FAILED,     /* answered with an error that waiting will not cure */
} ProbeResult;

static const char * const auth_protocols[] = {
  "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512", NULL,
};
static const char * const priv_protocols[] = { "DES", "AES", "AES-192", "AES-256", NULL };

const char *
pw_test_walks_dir (void)
{
  const char *dir = g_getenv ("PRINTWATCH_WALKS");

  if (dir == NULL || *dir == '\0' || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return dir;
}

const char *
pw_test_fixtures_dir (void)
{
  static char *dir = NULL;

  if (g_once_init_enter (&dir))
    {
      const char *srcdir = g_getenv ("G_TEST_SRCDIR");
      char *path;

      if (srcdir == NULL)
        srcdir = g_test_get_dir (G_TEST_DIST);
      path = g_build_filename (srcdir, "fixtures", "snmp", NULL);
      g_once_init_leave (&dir, path);
    }
  return dir;
}

static gboolean
is_loopback (const struct in_addr *address)
{
  return (ntohl (address->s_addr) >> 24) == 127;
}

/* Binds without SO_REUSEADDR, so it also fails where snmpsimd (which sets it) holds the port. */
static guint16
try_bind_udp (const struct in_addr *address,
              guint16               port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port), .sin_addr = *address };
  socklen_t len = sizeof sin;
  guint16 bound = 0;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return 0;
  if (bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0
      && getsockname (fd, (struct sockaddr *) &sin, &len) == 0)
    bound = ntohs (sin.sin_port);
  close (fd);
  return bound;
}

static guint
ephemeral_port_floor (void)
{
  g_autofree char *range = NULL;
  guint64 low = 0;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL))
    return 32768;
  low = g_ascii_strtoull (range, NULL, 10);
  return low > 0 && low <= 65535 ? (guint) low : 32768;
}

/* A random port below the ephemeral range: a client's source port (snmpget, the engine) can
 * not take it between this call and the agent's bind. */
guint16
pw_test_free_udp_port (const char *address)
{
  struct in_addr in;
  guint floor_port = ephemeral_port_floor ();
  guint attempt;

  g_return_val_if_fail (address != NULL, 0);
  g_return_val_if_fail (inet_pton (AF_INET, address, &in) == 1, 0);
  g_return_val_if_fail (is_loopback (&in), 0);

  for (attempt = 0; floor_port > 20001 && attempt < 1000; attempt++)
    {
      guint16 port = try_bind_udp (&in, (guint16) g_random_int_range (20000, (gint32) floor_port));

      if (port != 0)
        return port;
    }
  return try_bind_udp (&in, 0);
}

/* Only 127.0.0.0/8: no test ever makes an agent answer, or a probe ask, off this host. */
static gboolean
check_endpoint (const char  *endpoint,
                GError     **error)
{
  const char *colon = endpoint != NULL ? strrchr (endpoint, ':') : NULL;
  g_autofree char *host = NULL;
  struct in_addr in;
  guint64 port = 0;

  if (colon != NULL)
    host = g_strndup (endpoint, (gsize) (colon - endpoint));
  if (host == NULL || inet_pton (AF_INET, host, &in) != 1 || !is_loopback (&in)
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Endpoint “%s” is not ADDRESS:PORT with an address in 127.0.0.0/8",
                   endpoint != NULL ? endpoint : "(null)");
      return FALSE;
    }
  return TRUE;
}

static char *
find_tool (const char  *program,
           const char  *package,
           GError     **error)
{
  static const char * const sbin_dirs[] = { "/usr/local/sbin", "/usr/sbin", "/sbin", NULL };
  char *path = g_find_program_in_path (program);
  guint i;

  /* snmpd lives in sbin, which an ordinary user's PATH may lack. */
  for (i = 0; path == NULL && g_str_equal (program, "snmpd") && sbin_dirs[i] != NULL; i++)
    {
      char *candidate = g_build_filename (sbin_dirs[i], program, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        path = candidate;
      else
        g_free (candidate);
    }
  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "%s not found (Debian package %s), skipping", program, package);
  return path;
}

static gboolean
child_setup_init (ChildSetup  *setup,
                  GError     **error)
{
  struct passwd *user;
  struct group *group;

  setup->parent = getpid ();
  setup->drop = geteuid () == 0;
  if (!setup->drop)
    return TRUE;
  user = getpwnam ("nobody");
  group = getgrnam ("nogroup");
  if (user == NULL || group == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "Running as root, but there is no user nobody or group nogroup "
                           "to run the agent as");
      return FALSE;
    }
  setup->uid = user->pw_uid;
  setup->gid = group->gr_gid;
  return TRUE;
}

/* Between fork and exec. Credentials change first: the kernel clears the parent-death signal
 * when they change, and snmpsimd would refuse root anyway. The signal then stops the agent if
 * the test (precisely: the thread that started it) dies without pw_test_agent_stop (). */
static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;

  if (setup->drop && (setgroups (0, NULL) != 0 || setgid (setup->gid) != 0 || setuid (setup->uid) != 0))
    _exit (126);
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != setup->parent)
    _exit (126);
}

static gboolean
give_to_agent (const ChildSetup  *setup,
               const char        *path,
               GError           **error)
{
  int saved_errno;

  if (!setup->drop || chown (path, setup->uid, setup->gid) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Cannot give %s to nobody: %s", path, g_strerror (saved_errno));
  return FALSE;
}

static PwTestAgent *
agent_new (const char  *name,
           GError     **error)
{
  g_autofree char *template = g_strdup_printf ("pw-%s-XXXXXX", name);
  char *tmpdir = g_dir_make_tmp (template, error);
  PwTestAgent *agent;

  if (tmpdir == NULL)
    return NULL;
  agent = g_new0 (PwTestAgent, 1);
  agent->name = g_strdup (name);
  agent->tmpdir = tmpdir;
  agent->output = g_build_filename (tmpdir, "output.log", NULL);
  return agent;
}

/* TRUE once the agent has exited and been reaped, waiting up to @timeout_s. */
static gboolean
agent_reap (PwTestAgent *agent,
            guint        timeout_s,
            int         *wait_status)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (agent->pid > 0)
    {
      int status = 0;
      pid_t pid = waitpid (agent->pid, &status, WNOHANG);

      if (pid == agent->pid || (pid < 0 && errno != EINTR))
        {
          agent->pid = 0;
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

void
pw_test_agent_stop (PwTestAgent *agent)
{
  if (agent == NULL)
    return;
  if (agent->pid > 0)
    {
      kill (agent->pid, SIGTERM);
      if (!agent_reap (agent, STOP_TIMEOUT_S, NULL))
        {
          kill (agent->pid, SIGKILL);
          while (waitpid (agent->pid, NULL, 0) < 0 && errno == EINTR)
            ;
          agent->pid = 0;
        }
    }
  pw_test_remove_tree (agent->tmpdir);
  g_free (agent->name);
  g_free (agent->tmpdir);
  g_free (agent->output);
  g_free (agent->log);
  g_free (agent);
}

/* Head and tail: snmpsimd prints its error first, then its whole usage text. */
static void
append_excerpt (GString    *message,
                const char *title,
                const char *path)
{
  g_autofree char *contents = NULL;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  gsize len = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL) || len == 0)
    return;
  if (len <= LOG_EXCERPT_BYTES)
    {
      head = g_utf8_make_valid (contents, (gssize) len);
      g_string_append_printf (message, "\n--- %s ---\n%s", title, g_strstrip (head));
      return;
    }
  head = g_utf8_make_valid (contents, LOG_EXCERPT_BYTES / 2);
  tail = g_utf8_make_valid (contents + len - LOG_EXCERPT_BYTES / 2, LOG_EXCERPT_BYTES / 2);
  g_string_append_printf (message, "\n--- %s ---\n%s\n[...]\n%s", title,
                          g_strstrip (head), g_strstrip (tail));
}

static void
agent_set_error (PwTestAgent  *agent,
                 GError      **error,
                 GIOErrorEnum  code,
                 const char   *what)
{
  g_autoptr(GString) message = g_string_new (what);

  append_excerpt (message, "output", agent->output);
  append_excerpt (message, "log", agent->log);
  g_set_error_literal (error, G_IO_ERROR, code, message->str);
}

static gboolean
agent_spawn (PwTestAgent        *agent,
             GPtrArray          *argv,
             ChildSetup         *setup,
             GError            **error)
{
  gboolean ok;
  int fd = g_open (agent->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", agent->output, g_strerror (saved_errno));
      return FALSE;
    }
  g_ptr_array_add (argv, NULL);
  g_debug ("starting %s in %s", agent->name, agent->tmpdir);
  ok = g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv->pdata, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                         child_setup, setup, -1, fd, fd, NULL, NULL, 0,
                                         &agent->pid, NULL, NULL, NULL, error);
  close (fd);
  return ok;
}

/* One GET of sysDescr.0 with net-snmp's snmpget, reading no configuration and no MIB. Any
 * answer counts, noSuchObject too; a timeout means not yet. A short wait first, a longer one
 * once the agent has had time to start, in case it is merely slow (sanitizers, a busy CI). */
static ProbeResult
agent_probe (PwTestAgent         *agent,
             const char          *snmpget,
             const char * const  *security,
             const char          *endpoint,
             guint                attempt,
             char               **message)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *probe_dir = g_build_filename (agent->tmpdir, "probe", NULL);
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  guint i;

  envp = g_environ_setenv (envp, "MIBS", "", TRUE);
  envp = g_environ_setenv (envp, "SNMPCONFPATH", probe_dir, TRUE);
  envp = g_environ_setenv (envp, "SNMP_PERSISTENT_DIR", probe_dir, TRUE);
  g_ptr_array_add (argv, (gpointer) snmpget);
  g_ptr_array_add (argv, (gpointer) "-m");
  g_ptr_array_add (argv, (gpointer) "");
  g_ptr_array_add (argv, (gpointer) "-On");
  g_ptr_array_add (argv, (gpointer) "-t");
  g_ptr_array_add (argv, (gpointer) (attempt < 20 ? "0.1" : "1"));
  g_ptr_array_add (argv, (gpointer) "-r");
  g_ptr_array_add (argv, (gpointer) "0");
  for (i = 0; security[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) security[i]);
  g_ptr_array_add (argv, (gpointer) endpoint);
  g_ptr_array_add (argv, (gpointer) "1.3.6.1.2.1.1.1.0");
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (message, g_free);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &wait_status, &error))
    {
      *message = g_strdup (error->message);
      return PROBE_FAILED;
    }
  if (g_spawn_check_wait_status (wait_status, NULL))
    return PROBE_ANSWERED;
  *message = g_strstrip (g_strdup (err));
  return strstr (err, "Timeout") != NULL ? PROBE_SILENT : PROBE_FAILED;
}

static gboolean
agent_wait_ready (PwTestAgent         *agent,
                  const char          *snmpget,
                  const char * const  *security,
                  const char * const  *endpoints,
                  GError             **error)
{
  gint64 started = g_get_monotonic_time ();
  gint64 deadline = started + START_TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *message = NULL;
  guint attempt = 0;
  guint i = 0;

  while (endpoints[i] != NULL)
    {
      int wait_status = 0;
      ProbeResult result;

      if (agent_reap (agent, 0, &wait_status))
        {
          g_autoptr(GError) exit_error = NULL;
          g_autofree char *what = NULL;

          g_spawn_check_wait_status (wait_status, &exit_error);
          what = g_strdup_printf ("%s exited before answering on %s (%s)", agent->name, endpoints[i],
                                  exit_error != NULL ? exit_error->message : "status 0");
          agent_set_error (agent, error, G_IO_ERROR_FAILED, what);
          return FALSE;
        }
      result = agent_probe (agent, snmpget, security, endpoints[i], attempt++, &message);
      if (result == PROBE_ANSWERED)
        {
          i++;
          continue;
        }
      if (result == PROBE_FAILED || g_get_monotonic_time () >= deadline)
        {
          g_autofree char *what = NULL;

          if (result == PROBE_FAILED)
            what = g_strdup_printf ("%s on %s answered with an error: %s",
                                    agent->name, endpoints[i], message);
          else
            what = g_strdup_printf ("%s did not answer on %s within %d s (%s)%s", agent->name,
                                    endpoints[i], START_TIMEOUT_S, message,
                                    geteuid () == 0 ? "; can user nobody read its files?" : "");
          agent_set_error (agent, error,
                           result == PROBE_FAILED ? G_IO_ERROR_FAILED : G_IO_ERROR_TIMED_OUT, what);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
  g_debug ("%s answers on %s after %" G_GINT64_FORMAT " ms", agent->name, endpoints[0],
           (g_get_monotonic_time () - started) / 1000);
  return TRUE;
}

/* snmpsimd picks the recording by community: the probe needs the name of one. */
static char *
first_recording (const char  *data_dir,
                 GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (data_dir, 0, error);
  const char *name;
  char *first = NULL;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".snmprec") && (first == NULL || strcmp (name, first) < 0))
        {
          g_free (first);
          first = g_strdup (name);
        }
    }
  if (first == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No .snmprec recording in %s", data_dir);
      return NULL;
    }
  first[strlen (first) - strlen (".snmprec")] = '\0';
  return first;
}

PwTestAgent *
pw_test_snmpsim_start (const char          *data_dir,
                       const char * const  *endpoints,
                       GError             **error)
{
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *snmpsimd = NULL;
  g_autofree char *snmpget = NULL;
  g_autofree char *data = NULL;
  g_autofree char *community = NULL;
  g_autofree char *cache = NULL;
  const char *security[4] = { "-v2c", "-c", NULL, NULL };
  const char *probe[3] = { NULL, NULL, NULL };
  ChildSetup setup;
  guint n = 0;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (endpoints != NULL && endpoints[0] != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (n = 0; endpoints[n] != NULL; n++)
    if (!check_endpoint (endpoints[n], error))
      return NULL;
  if ((snmpsimd = find_tool ("snmpsimd", "snmpsim", error)) == NULL
      || (snmpget = find_tool ("snmpget", "snmp", error)) == NULL)
    return NULL;
  data = g_canonicalize_filename (data_dir, NULL);
  if ((community = first_recording (data, error)) == NULL
      || !child_setup_init (&setup, error)
      || (agent = agent_new ("snmpsimd", error)) == NULL)
    return NULL;

  cache = g_build_filename (agent->tmpdir, "cache", NULL);
  if (g_mkdir (cache, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", cache);
      return NULL;
    }
  if (!give_to_agent (&setup, agent->tmpdir, error) || !give_to_agent (&setup, cache, error))
    return NULL;

  g_ptr_array_add (argv, g_strdup (snmpsimd));
  g_ptr_array_add (argv, g_strdup_printf ("--data-dir=%s", data));
  g_ptr_array_add (argv, g_strdup_printf ("--cache-dir=%s", cache));
  g_ptr_array_add (argv, g_strdup ("--logging-method=null"));
  if (setup.drop)
    {
      /* Already nobody by then (child_setup ()); as root it would refuse to run without them. */
      g_ptr_array_add (argv, g_strdup ("--process-user=nobody"));
      g_ptr_array_add (argv, g_strdup ("--process-group=nogroup"));
    }
  for (n = 0; endpoints[n] != NULL; n++)
    g_ptr_array_add (argv, g_strdup_printf ("--agent-udpv4-endpoint=%s", endpoints[n]));
  if (!agent_spawn (agent, argv, &setup, error))
    return NULL;

  /* snmpsimd binds every endpoint before it serves any: first and last answering is enough. */
  security[2] = community;
  probe[0] = endpoints[0];
  probe[1] = n > 1 ? endpoints[n - 1] : NULL;
  if (!agent_wait_ready (agent, snmpget, security, probe, error))
    return NULL;
  return g_steal_pointer (&agent);
}

static const char *
lookup_protocol (const char * const *known,
                 const char         *name)
{
  guint i;

  for (i = 0; name != NULL && known[i] != NULL; i++)
    if (g_ascii_strcasecmp (known[i], name) == 0)
      return known[i];
  return NULL;
}

/* Values end up in a line-based configuration file. */
static gboolean
check_word (const char  *what,
            const char  *value,
            gsize        min_len,
            GError     **error)
{
  const char *p;

  if (value == NULL || strlen (value) < MAX (min_len, 1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The %s must have at least %" G_GSIZE_FORMAT " characters", what, MAX (min_len, 1));
      return FALSE;
    }
  for (p = value; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "The %s holds a control character", what);
          return FALSE;
        }
    }
  return TRUE;
}

/* A quoted token for net-snmp's read_config (copy_nword (): backslash escapes inside quotes). */
static void
append_word (GString    *conf,
             const char *value)
{
  const char *p;

  g_string_append (conf, " \"");
  for (p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (conf, '\\');
      g_string_append_c (conf, *p);
    }
  g_string_append_c (conf, '"');
}

/* createUser and rouser lines for one user; the probe's security arguments for the first. */
static gboolean
append_user (GString             *conf,
             const PwTestV3User  *user,
             GPtrArray           *probe_security,
             GError             **error)
{
  const char *auth = lookup_protocol (auth_protocols, user->auth_proto);
  const char *priv = lookup_protocol (priv_protocols, user->priv_proto);
  const char *level = priv != NULL ? "priv" : auth != NULL ? "auth" : "noauth";

  if (!check_word ("user name", user->name, 1, error))
    return FALSE;
  if ((user->auth_proto != NULL && auth == NULL) || (user->priv_proto != NULL && priv == NULL)
      || (priv != NULL && auth == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "User %s: unknown protocol pair %s/%s (privacy needs authentication)", user->name,
                   user->auth_proto != NULL ? user->auth_proto : "none",
                   user->priv_proto != NULL ? user->priv_proto : "none");
      return FALSE;
    }
  if ((auth != NULL && !check_word ("authentication pass phrase", user->auth_pass, PASS_MIN_LEN, error))
      || (priv != NULL && !check_word ("privacy pass phrase", user->priv_pass, PASS_MIN_LEN, error)))
    return FALSE;

  g_string_append (conf, "createUser");
  append_word (conf, user->name);
  if (auth != NULL)
    {
      g_string_append_printf (conf, " %s", auth);
      append_word (conf, user->auth_pass);
    }
  if (priv != NULL)
    {
      g_string_append_printf (conf, " %s", priv);
      append_word (conf, user->priv_pass);
    }
  g_string_append (conf, "\nrouser");
  append_word (conf, user->name);
  g_string_append_printf (conf, " %s\n", level);

  if (probe_security->len > 0)
    return TRUE;
  g_ptr_array_add (probe_security, g_strdup ("-v3"));
  g_ptr_array_add (probe_security, g_strdup ("-l"));
  g_ptr_array_add (probe_security,
                   g_strdup (priv != NULL ? "authPriv" : auth != NULL ? "authNoPriv" : "noAuthNoPriv"));
  g_ptr_array_add (probe_security, g_strdup ("-u"));
  g_ptr_array_add (probe_security, g_strdup (user->name));
  if (auth != NULL)
    {
      g_ptr_array_add (probe_security, g_strdup ("-a"));
      g_ptr_array_add (probe_security, g_strdup (auth));
      g_ptr_array_add (probe_security, g_strdup ("-A"));
      g_ptr_array_add (probe_security, g_strdup (user->auth_pass));
    }
  if (priv != NULL)
    {
      g_ptr_array_add (probe_security, g_strdup ("-x"));
      g_ptr_array_add (probe_security, g_strdup (priv));
      g_ptr_array_add (probe_security, g_strdup ("-X"));
      g_ptr_array_add (probe_security, g_strdup (user->priv_pass));
    }
  return TRUE;
}

static gboolean
write_agent_file (const ChildSetup  *setup,
                  const char        *path,
                  const char        *contents,
                  GError           **error)
{
  return g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0600, error)
         && give_to_agent (setup, path, error);
}

PwTestAgent *
pw_test_snmpd_start (const char          *endpoint,
                     const PwTestV3User  *users,
                     guint                n_users,
                     const char          *community,
                     GError             **error)
{
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) security = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) conf = g_string_new (NULL);
  g_autoptr(GString) users_conf = g_string_new (NULL);
  g_autofree char *snmpd = NULL;
  g_autofree char *snmpget = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *persist = NULL;
  const char *probe[2] = { endpoint, NULL };
  ChildSetup setup;
  guint i;

  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (users != NULL || n_users == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_endpoint (endpoint, error))
    return NULL;
  if (community == NULL && n_users == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "snmpd needs a community or at least one user to answer");
      return NULL;
    }
  if (community != NULL)
    {
      if (!check_word ("community", community, 1, error))
        return NULL;
      g_ptr_array_add (security, g_strdup ("-v2c"));
      g_ptr_array_add (security, g_strdup ("-c"));
      g_ptr_array_add (security, g_strdup (community));
    }
  for (i = 0; i < n_users; i++)
    if (!append_user (users_conf, &users[i], security, error))
      return NULL;
  g_ptr_array_add (security, NULL);
  if ((snmpd = find_tool ("snmpd", "snmpd", error)) == NULL
      || (snmpget = find_tool ("snmpget", "snmp", error)) == NULL
      || !child_setup_init (&setup, error)
      || (agent = agent_new ("snmpd", error)) == NULL)
    return NULL;

  persist = g_build_filename (agent->tmpdir, "persist", NULL);
  conf_path = g_build_filename (agent->tmpdir, "snmpd.conf", NULL);
  agent->log = g_build_filename (agent->tmpdir, "snmpd.log", NULL);
  if (g_mkdir (persist, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", persist);
      return NULL;
    }
  /* The persistent directory keeps the users' localized keys and the engine boots: private. */
  g_string_append_printf (conf,
                          "# Written by pw-test-snmp.c; snmpd reads no other configuration (-C).\n"
                          "agentAddress udp:%s\n"
                          "[snmp] persistentDir %s\n"
                          "sysName pw-test-snmpd\n"
                          "sysLocation loopback\n"
                          "sysContact printwatch tests\n"
                          "%s",
                          endpoint, persist, users_conf->str);
  if (community != NULL)
    {
      g_string_append (conf, "rocommunity");
      append_word (conf, community);
      g_string_append (conf, " 127.0.0.0/8\n");
    }
  if (!give_to_agent (&setup, agent->tmpdir, error) || !give_to_agent (&setup, persist, error)
      || !write_agent_file (&setup, conf_path, conf->str, error))
    return NULL;

  g_ptr_array_add (argv, g_strdup (snmpd));
  g_ptr_array_add (argv, g_strdup ("-f"));          /* foreground: its PID stays ours */
  g_ptr_array_add (argv, g_strdup ("-C"));          /* no /etc/snmp, no ~/.snmp */
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (conf_path));
  g_ptr_array_add (argv, g_strdup ("-m"));          /* no MIB files: Debian ships few, and we use numbers */
  g_ptr_array_add (argv, g_strdup (""));
  g_ptr_array_add (argv, g_strdup ("-I"));          /* SMUX would listen on TCP 127.0.0.1:199 */
  g_ptr_array_add (argv, g_strdup ("-smux"));
  g_ptr_array_add (argv, g_strdup ("-Lf"));
  g_ptr_array_add (argv, g_strdup (agent->log));
  if (!agent_spawn (agent, argv, &setup, error)
      || !agent_wait_ready (agent, snmpget, (const char * const *) security->pdata, probe, error))
    return NULL;
  return g_steal_pointer (&agent);
}
