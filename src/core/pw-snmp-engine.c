/* pw-snmp-engine.c: asynchronous SNMP requests to many agents at once.
 *
 * net-snmp's globals (the USM user list, engine times, request ids) are not
 * thread-safe, so each engine makes all its net-snmp calls on one worker
 * thread, and the workers of several engines take turns under netsnmp_lock.
 * Each operation has its own single-session handle (snmp_sess_*) and UDP
 * socket; the worker waits on all of them in one select() over a
 * netsnmp_large_fd_set, so more than FD_SETSIZE sockets work. It keeps at
 * most "concurrency" agents in flight and sends at most "rate-limit"
 * requests a second. Callers never wait: pw-snmp-engine-requests.c hands
 * operations in and GTask carries results back to their main context.
 *
 * With pw-snmp-engine-session.c and pw-snmp-engine-decode.c, the only code
 * that includes net-snmp.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-snmp-engine"
/* net-snmp's large fd set macros use fd_set's fds_bits, which glibc names
 * so only for X/Open or GNU sources. */
#define _GNU_SOURCE

#include "config.h"

#include "pw-snmp-engine-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/library/snmpusm.h>
#include <string.h>

/* net-snmp's globals: one thread at a time. */
static GMutex netsnmp_lock;

/* net-snmp keeps one USM user, with its localised keys, per (engine ID, user
 * name), and uses it for every session to that engine. Two operations with
 * the same name but other passphrases must not share it: the second waits
 * until the first is done and then replaces the entry. */
typedef struct {
  guint8  digest[32];  /* SHA-256 of the protocols and keys the entry holds */
  guint   users;       /* operations relying on it right now */
} UsmEntry;

static GHashTable *usm_entries;  /* under netsnmp_lock; "engine-id-hex/user" -> UsmEntry */

/* Every operation in the window holds a socket. File descriptors kept free
 * for the rest of the program (SQLite, GTK, D-Bus, the outbox upload). */
#define FDS_KEPT_FREE 128
static guint fd_budget = G_MAXUINT;  /* set once in netsnmp_init () */

struct _PwSnmpWorker
{
  gatomicrefcount  ref_count;
  GThread         *thread;        /* owned; NULL once joined */
  int              wake_fd;       /* eventfd the thread's select() also waits on */
  gint             concurrency;   /* atomic */
  gint             rate_limit;    /* atomic; packets per second, 0 for no limit */
  gint             n_active;      /* atomic */
  gsize            n_requests;    /* atomic */

  GMutex           lock;          /* guards inbox, cancels and stopping */
  GQueue           inbox;         /* PwSnmpOp, handed in, not yet seen by the thread */
  GArray          *cancels;       /* guint64 operation ids */
  gboolean         stopping;

  /* The thread's own. */
  GHashTable      *ops;           /* id -> PwSnmpOp, queued or active */
  GQueue           queued;        /* PwSnmpOp waiting for a slot */
  GPtrArray       *active;        /* PwSnmpOp in the window */
  GQueue           to_send;       /* active PwSnmpOp with a request ready */
  double           tokens;        /* rate limit: packets we may send now */
  gint64           tokens_time;   /* monotonic µs of the last refill */
};

struct _PwSnmpEngine
{
  GObject        parent_instance;

  PwSnmpWorker  *worker;      /* owned; its thread runs from init to dispose */
  guint          timeout_ms;
  guint          retries;
};

G_DEFINE_FINAL_TYPE (PwSnmpEngine, pw_snmp_engine, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-snmp-error-quark, pw_snmp_error)

enum {
  PROP_0,
  PROP_CONCURRENCY,
  PROP_RATE_LIMIT,
  PROP_TIMEOUT,
  PROP_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* net-snmp set-up, once per process */

static int
log_from_netsnmp (int   major,
                  int   minor,
                  void *server_arg,
                  void *client_arg)
{
  const struct snmp_log_message *message = server_arg;
  g_autofree char *text = g_strdup (message != NULL ? message->msg : NULL);

  if (text != NULL)
    g_debug ("net-snmp: %s", g_strchomp (text));
  return 0;
}

/* Sweeping a subnet keeps hundreds of sockets open, and the usual soft limit
 * of 1024 open files is a default, not a policy: raise it to the hard limit
 * (as far as 65,536), then size the window to what is really there. */
static void
init_fd_budget (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536 &&
      (limit.rlim_max == RLIM_INFINITY || limit.rlim_max > limit.rlim_cur))
    {
      rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? 65536 : MIN (limit.rlim_max, 65536);
      struct rlimit raised = { wanted, limit.rlim_max };

      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit.rlim_cur = wanted;
    }
  if (limit.rlim_cur != RLIM_INFINITY)
    fd_budget = limit.rlim_cur > 2 * FDS_KEPT_FREE ? (guint) (limit.rlim_cur - FDS_KEPT_FREE)
                                                   : (guint) MAX (limit.rlim_cur / 2, 1);
  g_debug ("Open files: %llu allowed, up to %u sockets in flight",
           (unsigned long long) limit.rlim_cur, fd_budget);
}

/* Once per process, before any worker runs. */
static void
netsnmp_init (void)
{
  static const int options[] = {
    /* Nothing from snmp.conf, ~/.snmp or /var/lib/snmp: a user's files must
     * not change how we poll, and we write no state there. */
    NETSNMP_DS_LIB_DONT_READ_CONFIGS,
    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD,
    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE,
    NETSNMP_DS_LIB_DONT_PERSIST_STATE,
    NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES,
    /* No SIGALRM in a threaded program; we use no net-snmp alarms. */
    NETSNMP_DS_LIB_ALARM_DONT_USE_SIG,
  };

  g_autofree char *state_dir = g_build_filename (g_get_user_cache_dir (), "printwatch", "net-snmp",
                                                 NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, options[i], 1);
  /* Whatever the options above say, init_snmp() scans the configuration
   * folders for TLS certificates and loads (creating it if needed) an index
   * of them in the persistent folder: give it ours, not /etc/snmp, ~/.snmp,
   * /var/lib/snmp or $SNMP_PERSISTENT_DIR. Only a $SNMPCONFPATH still wins
   * for that scan; UDP never uses what it finds. */
  set_persistent_directory (state_dir);
  set_configuration_directory (state_dir);
  /* Numeric OIDs only: no MIB module to load ("mibs :", as Debian's
   * snmp.conf has it), and an empty MIB path should $MIBS name some. */
  netsnmp_set_mib_directory ("");
  netsnmp_config_remember ((char *) "mibs :");
  snmp_disable_log ();
  snmp_enable_calllog ();
  snmp_register_callback (SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_from_netsnmp, NULL);
  init_snmp ("printwatch");
  init_fd_budget ();
  usm_entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* USM user entries */

static char *
usm_key (const PwSnmpOp *op)
{
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint i = 0; i < op->engine_id_len; i++)
    g_string_append_printf (key, "%02x", op->engine_id[i]);
  g_string_append_printf (key, "/%s", pw_snmp_credentials_get_user (op->credentials));
  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* Returns: FALSE while another operation still relies on other keys for this
 * engine and user; the caller tries again later. */
static gboolean
install_usm_user (PwSnmpOp *op)
{
  netsnmp_session *session = snmp_sess_session (op->session);
  g_autofree char *key = usm_key (op);
  UsmEntry *entry = g_hash_table_lookup (usm_entries, key);
  struct usmUser *old;

  if (entry != NULL && memcmp (entry->digest, op->usm_digest, sizeof entry->digest) == 0)
    {
      entry->users++;
      op->usm_key = g_steal_pointer (&key);
      return TRUE;
    }
  if (entry != NULL && entry->users > 0)
    return FALSE;

  old = usm_get_user (op->engine_id, op->engine_id_len,
                      (char *) pw_snmp_credentials_get_user (op->credentials));
  if (old != NULL)
    {
      usm_remove_user (old);
      /* usm_free_user() would relink the neighbours it still points to. */
      old->next = old->prev = NULL;
      usm_free_user (old);
    }
  /* net-snmp took the engine ID from the probe's report; an agent that
   * answered with a response instead leaves it to us. */
  if (session->securityEngineIDLen == 0)
    {
      session->securityEngineID = netsnmp_memdup (op->engine_id, op->engine_id_len);
      session->securityEngineIDLen = op->engine_id_len;
    }
  if (session->contextEngineIDLen == 0)
    {
      session->contextEngineID = netsnmp_memdup (op->engine_id, op->engine_id_len);
      session->contextEngineIDLen = op->engine_id_len;
    }
  session->flags &= ~SNMP_FLAGS_USER_CREATED;
  if (usm_create_user_from_session (session) != SNMPERR_SUCCESS)
    {
      _pw_snmp_op_set_error (op, PW_SNMP_ERROR_FAILED, _("the SNMPv3 keys could not be prepared"));
      op->state = PW_SNMP_STATE_DONE;
      return TRUE;
    }
  if (entry == NULL)
    {
      entry = g_new0 (UsmEntry, 1);
      g_hash_table_insert (usm_entries, g_strdup (key), entry);
    }
  memcpy (entry->digest, op->usm_digest, sizeof entry->digest);
  entry->users = 1;
  op->usm_key = g_steal_pointer (&key);
  return TRUE;
}

static void
release_usm_user (PwSnmpOp *op)
{
  UsmEntry *entry;

  if (op->usm_key == NULL)
    return;
  entry = g_hash_table_lookup (usm_entries, op->usm_key);
  if (entry != NULL && entry->users > 0)
    entry->users--;
  g_clear_pointer (&op->usm_key, g_free);
}

/* Closes @op's session (net-snmp calls back for requests still pending)
 * and lets go of its USM user entry. */
static void
close_op (PwSnmpOp *op)
{
  if (op->session != NULL)
    {
      op->closing = TRUE;
      snmp_sess_close (op->session);
      op->session = NULL;
    }
  release_usm_user (op);
}

/* The worker */

PwSnmpWorker *
_pw_snmp_worker_ref (PwSnmpWorker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

void
_pw_snmp_worker_unref (PwSnmpWorker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;
  if (worker->wake_fd >= 0)
    close (worker->wake_fd);
  g_mutex_clear (&worker->lock);
  g_array_unref (worker->cancels);
  g_hash_table_unref (worker->ops);
  g_ptr_array_unref (worker->active);
  g_free (worker);
}

static void
wake (PwSnmpWorker *worker)
{
  guint64 one = 1;

  if (worker->wake_fd >= 0 && write (worker->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
    g_debug ("cannot wake the worker: %s", g_strerror (errno));
}

/* Returns: FALSE if the worker has stopped; @op is then still the caller's. */
gboolean
_pw_snmp_worker_submit (PwSnmpWorker *worker,
                        PwSnmpOp     *op)
{
  gboolean taken;

  g_mutex_lock (&worker->lock);
  taken = !worker->stopping;
  if (taken)
    g_queue_push_tail (&worker->inbox, op);
  g_mutex_unlock (&worker->lock);
  if (taken)
    wake (worker);
  return taken;
}

/* Any thread; an unknown or finished id is ignored. */
void
_pw_snmp_worker_cancel (PwSnmpWorker *worker,
                        guint64       op_id)
{
  g_mutex_lock (&worker->lock);
  g_array_append_val (worker->cancels, op_id);
  g_mutex_unlock (&worker->lock);
  wake (worker);
}

/* Takes @op out of the worker's hands; it goes back to its caller once
 * netsnmp_lock is released, in @finished. */
static void
finish_op (PwSnmpWorker *self,
           PwSnmpOp     *op,
           GPtrArray    *finished)
{
  close_op (op);
  if (g_ptr_array_remove_fast (self->active, op))
    g_atomic_int_add (&self->n_active, -1);
  else
    g_queue_remove (&self->queued, op);
  g_queue_remove_all (&self->to_send, op);
  g_hash_table_remove (self->ops, &op->id);
  op->state = PW_SNMP_STATE_DONE;
  g_ptr_array_add (finished, op);
}

static void
cancel_op (PwSnmpWorker *self,
           PwSnmpOp     *op,
           const char   *message,
           GPtrArray    *finished)
{
  g_debug ("%s: cancelled", op->shown);
  g_clear_error (&op->error);
  g_set_error_literal (&op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, message);
  finish_op (self, op, finished);
}

/* Moves what other threads handed in into the thread's own structures;
 * call with netsnmp_lock held. Returns: TRUE when the worker must stop. */
static gboolean
take_inbox (PwSnmpWorker *self,
            GPtrArray    *finished)
{
  g_autoptr(GArray) cancels = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean stopping;
  PwSnmpOp *op;

  g_mutex_lock (&self->lock);
  while ((op = g_queue_pop_head (&self->inbox)) != NULL)
    {
      op->state = PW_SNMP_STATE_QUEUED;
      g_hash_table_insert (self->ops, &op->id, op);
      g_queue_push_tail (&self->queued, op);
      /* Its cancellation id may have come, and been dropped, before it did. */
      if (g_cancellable_is_cancelled (g_task_get_cancellable (op->task)))
        g_array_append_val (cancels, op->id);
    }
  g_array_append_vals (cancels, self->cancels->data, self->cancels->len);
  g_array_set_size (self->cancels, 0);
  stopping = self->stopping;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < cancels->len; i++)
    if ((op = g_hash_table_lookup (self->ops, &g_array_index (cancels, guint64, i))) != NULL)
      cancel_op (self, op, _("Operation was cancelled"), finished);
  return stopping;
}

/* Queues @op's next request behind the rate limit; worker thread only. */
void
_pw_snmp_worker_queue_send (PwSnmpWorker *worker,
                            PwSnmpOp     *op)
{
  g_queue_push_tail (&worker->to_send, op);
}

static void
start_queued (PwSnmpWorker *self,
              GPtrArray    *finished)
{
  guint window = CLAMP ((guint) g_atomic_int_get (&self->concurrency), 1, fd_budget);
  PwSnmpOp *op;

  while (self->active->len < window && (op = g_queue_pop_head (&self->queued)) != NULL)
    {
      g_ptr_array_add (self->active, op);
      g_atomic_int_inc (&self->n_active);
      if (!_pw_snmp_op_open (op))
        {
          finish_op (self, op, finished);
          continue;
        }
      g_debug ("%s: started (%u in flight)", op->shown, self->active->len);
      op->state = PW_SNMP_STATE_SEND;
      _pw_snmp_worker_queue_send (self, op);
    }
}

static void
install_waiting (PwSnmpWorker *self)
{
  for (guint i = 0; i < self->active->len; i++)
    {
      PwSnmpOp *op = self->active->pdata[i];

      if (op->state == PW_SNMP_STATE_WAIT_USER && install_usm_user (op) &&
          op->state != PW_SNMP_STATE_DONE)
        {
          op->state = PW_SNMP_STATE_SEND;
          _pw_snmp_worker_queue_send (self, op);
        }
    }
}

/* A token bucket holding at most 100 ms worth of packets. Retransmissions
 * inside net-snmp (snmp_sess_timeout) are not counted. */
static gboolean
take_token (PwSnmpWorker *self,
            gint64       *wait_us)
{
  guint rate = (guint) g_atomic_int_get (&self->rate_limit);
  gint64 now;

  if (rate == 0)
    return TRUE;
  now = g_get_monotonic_time ();
  self->tokens = MIN (MAX (1.0, rate / 10.0),
                      self->tokens + (double) (now - self->tokens_time) * rate / G_USEC_PER_SEC);
  self->tokens_time = now;
  if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      return TRUE;
    }
  *wait_us = (gint64) ((1.0 - self->tokens) * G_USEC_PER_SEC / rate) + 1;
  return FALSE;
}

/* Returns: how long the rate limit holds back the next packet (µs), or -1 */
static gint64
send_ready (PwSnmpWorker *self)
{
  PwSnmpOp *op;
  gint64 wait_us = -1;

  while ((op = g_queue_peek_head (&self->to_send)) != NULL)
    {
      if (!take_token (self, &wait_us))
        return wait_us;
      g_queue_pop_head (&self->to_send);
      g_atomic_pointer_add (&self->n_requests, 1);
      _pw_snmp_op_send (op);
    }
  return -1;
}

static guint
reap_done (PwSnmpWorker *self,
           GPtrArray    *finished)
{
  guint n = 0;

  for (guint i = self->active->len; i > 0; i--)
    {
      PwSnmpOp *op = self->active->pdata[i - 1];

      if (op->state == PW_SNMP_STATE_DONE)
        {
          finish_op (self, op, finished);
          n++;
        }
    }
  return n;
}

/* Hands finished operations back to their callers, outside netsnmp_lock:
 * disconnecting a cancellable may wait for a handler in another thread. */
static void
return_finished (GPtrArray *finished)
{
  if (finished->len == 0)
    return;
  g_mutex_unlock (&netsnmp_lock);
  for (guint i = 0; i < finished->len; i++)
    _pw_snmp_op_return (finished->pdata[i]);
  g_ptr_array_set_size (finished, 0);
  g_mutex_lock (&netsnmp_lock);
}

static void
wait_for_events (PwSnmpWorker         *self,
                 netsnmp_large_fd_set *fdset,
                 gint64                token_wait_us)
{
  struct timeval timeout = { 0, 0 };
  int block = 1, numfds = 0, count;

  NETSNMP_LARGE_FD_ZERO (fdset);
  if (self->wake_fd >= 0)
    {
      NETSNMP_LARGE_FD_SET (self->wake_fd, fdset);
      numfds = self->wake_fd + 1;
    }
  for (guint i = 0; i < self->active->len; i++)
    {
      PwSnmpOp *op = self->active->pdata[i];

      if (op->session != NULL)
        snmp_sess_select_info2_flags (op->session, &numfds, fdset, &timeout, &block,
                                      NETSNMP_SELECT_NOALARMS);
    }
  /* Without a wake-up descriptor, look at the inbox every 50 ms. */
  if (self->wake_fd < 0 && token_wait_us < 0)
    token_wait_us = 50000;
  if (token_wait_us >= 0 &&
      (block || token_wait_us < (gint64) timeout.tv_sec * G_USEC_PER_SEC + timeout.tv_usec))
    {
      timeout.tv_sec = token_wait_us / G_USEC_PER_SEC;
      timeout.tv_usec = token_wait_us % G_USEC_PER_SEC;
      block = 0;
    }

  g_mutex_unlock (&netsnmp_lock);
  count = netsnmp_large_fd_set_select (numfds, fdset, NULL, NULL, block ? NULL : &timeout);
  if (count < 0 && errno != EINTR)
    g_debug ("select: %s", g_strerror (errno));
  if (count <= 0)
    NETSNMP_LARGE_FD_ZERO (fdset);
  if (self->wake_fd >= 0 && NETSNMP_LARGE_FD_ISSET (self->wake_fd, fdset))
    {
      guint64 value;

      if (read (self->wake_fd, &value, sizeof value) < 0 && errno != EAGAIN)
        g_debug ("cannot read the wake-up descriptor: %s", g_strerror (errno));
    }
  g_mutex_lock (&netsnmp_lock);
}

static void
process_events (PwSnmpWorker         *self,
                netsnmp_large_fd_set *fdset)
{
  for (guint i = 0; i < self->active->len; i++)
    {
      PwSnmpOp *op = self->active->pdata[i];
      netsnmp_transport *transport;

      if (op->session == NULL || op->state == PW_SNMP_STATE_DONE)
        continue;
      transport = snmp_sess_transport (op->session);
      if (transport != NULL && transport->sock >= 0 &&
          NETSNMP_LARGE_FD_ISSET (transport->sock, fdset) &&
          snmp_sess_read2 (op->session, fdset) != 0)
        _pw_snmp_op_read_failed (op);
      if (op->state != PW_SNMP_STATE_DONE)
        snmp_sess_timeout (op->session);
    }
}

static gpointer
worker_thread (gpointer data)
{
  PwSnmpWorker *self = data;
  g_autoptr(GPtrArray) finished = g_ptr_array_new ();
  netsnmp_large_fd_set fdset;
  GHashTableIter iter;
  PwSnmpOp *op;

  g_mutex_lock (&netsnmp_lock);
  netsnmp_large_fd_set_init (&fdset, FD_SETSIZE);
  while (!take_inbox (self, finished))
    {
      gint64 token_wait_us;

      /* Until nothing changes: a finished operation frees a slot or a USM entry. */
      do
        {
          start_queued (self, finished);
          install_waiting (self);
          token_wait_us = send_ready (self);
        }
      while (reap_done (self, finished) > 0);
      return_finished (finished);

      wait_for_events (self, &fdset, token_wait_us);
      process_events (self, &fdset);
      reap_done (self, finished);
      return_finished (finished);
    }

  while (g_hash_table_size (self->ops) > 0)
    {
      g_hash_table_iter_init (&iter, self->ops);
      g_hash_table_iter_next (&iter, NULL, (gpointer *) &op);
      cancel_op (self, op, _("The SNMP engine was shut down"), finished);
    }
  netsnmp_large_fd_set_cleanup (&fdset);
  return_finished (finished);
  g_mutex_unlock (&netsnmp_lock);
  _pw_snmp_worker_unref (self);
  return NULL;
}

static PwSnmpWorker *
worker_new (void)
{
  PwSnmpWorker *self = g_new0 (PwSnmpWorker, 1);

  g_atomic_ref_count_init (&self->ref_count);
  /* Without it the worker still works, polling its inbox. */
  self->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (self->wake_fd < 0)
    g_debug ("eventfd: %s", g_strerror (errno));
  self->concurrency = PW_SNMP_ENGINE_DEFAULT_CONCURRENCY;
  g_mutex_init (&self->lock);
  self->cancels = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->ops = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->active = g_ptr_array_new ();
  self->thread = g_thread_new ("pw-snmp-engine", worker_thread, _pw_snmp_worker_ref (self));
  return self;
}

/* Cancels every operation and joins the thread; safe to call twice. The
 * worker itself may drop the last reference to a task, and with it to the
 * engine: then the thread is left to finish on its own. */
static void
worker_stop (PwSnmpWorker *self)
{
  GThread *thread = g_steal_pointer (&self->thread);

  if (thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);
  wake (self);
  if (thread == g_thread_self ())
    g_thread_unref (thread);
  else
    g_thread_join (thread);
}

/* The GObject */

static void
pw_snmp_engine_dispose (GObject *object)
{
  PwSnmpEngine *self = PW_SNMP_ENGINE (object);

  if (self->worker != NULL)
    {
      worker_stop (self->worker);
      g_clear_pointer (&self->worker, _pw_snmp_worker_unref);
    }

  G_OBJECT_CLASS (pw_snmp_engine_parent_class)->dispose (object);
}

static void
pw_snmp_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PwSnmpEngine *self = PW_SNMP_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONCURRENCY:
      g_value_set_uint (value, pw_snmp_engine_get_concurrency (self));
      break;
    case PROP_RATE_LIMIT:
      g_value_set_uint (value, pw_snmp_engine_get_rate_limit (self));
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, self->retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_snmp_engine_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PwSnmpEngine *self = PW_SNMP_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONCURRENCY:
      pw_snmp_engine_set_concurrency (self, g_value_get_uint (value));
      break;
    case PROP_RATE_LIMIT:
      pw_snmp_engine_set_rate_limit (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      pw_snmp_engine_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_RETRIES:
      pw_snmp_engine_set_retries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_snmp_engine_class_init (PwSnmpEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pw_snmp_engine_dispose;
  object_class->get_property = pw_snmp_engine_get_property;
  object_class->set_property = pw_snmp_engine_set_property;

  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL, 1, 65536, PW_SNMP_ENGINE_DEFAULT_CONCURRENCY, flags);
  properties[PROP_RATE_LIMIT] =
    g_param_spec_uint ("rate-limit", NULL, NULL, 0, 1000000, 0, flags);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 10, 600000, PW_SNMP_ENGINE_DEFAULT_TIMEOUT, flags);
  properties[PROP_RETRIES] =
    g_param_spec_uint ("retries", NULL, NULL, 0, 20, PW_SNMP_ENGINE_DEFAULT_RETRIES, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* init_snmp() runs before any worker exists: it also calls setlocale(),
 * which belongs on the application's thread. */
static void
ensure_netsnmp (void)
{
  static gsize netsnmp_ready = 0;

  if (g_once_init_enter (&netsnmp_ready))
    {
      g_mutex_lock (&netsnmp_lock);
      netsnmp_init ();
      g_mutex_unlock (&netsnmp_lock);
      g_once_init_leave (&netsnmp_ready, 1);
    }
}

/* For net-snmp calls outside the workers (pw-snmp-engine-decode.c): sets
 * the library up once, then takes its lock. */
void
_pw_snmp_engine_lock_library (void)
{
  ensure_netsnmp ();
  g_mutex_lock (&netsnmp_lock);
}

void
_pw_snmp_engine_unlock_library (void)
{
  g_mutex_unlock (&netsnmp_lock);
}

static void
pw_snmp_engine_init (PwSnmpEngine *self)
{
  ensure_netsnmp ();
  self->timeout_ms = PW_SNMP_ENGINE_DEFAULT_TIMEOUT;
  self->retries = PW_SNMP_ENGINE_DEFAULT_RETRIES;
  self->worker = worker_new ();
}

PwSnmpEngine *
pw_snmp_engine_new (void)
{
  return g_object_new (PW_TYPE_SNMP_ENGINE, NULL);
}

/**
 * pw_snmp_engine_get_library_version:
 *
 * Safe from any thread, before or without an engine.
 *
 * Returns: (transfer none): the net-snmp version we run with, e.g. "5.9.3"
 */
const char *
pw_snmp_engine_get_library_version (void)
{
  return netsnmp_get_version ();
}

PwSnmpWorker *
_pw_snmp_engine_get_worker (PwSnmpEngine *self)
{
  return self->worker;
}

guint
pw_snmp_engine_get_concurrency (PwSnmpEngine *self)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), 0);
  return self->worker != NULL ? (guint) g_atomic_int_get (&self->worker->concurrency) : 0;
}

/* The most agents with an operation in flight; more wait their turn. */
void
pw_snmp_engine_set_concurrency (PwSnmpEngine *self,
                                guint         concurrency)
{
  g_return_if_fail (PW_IS_SNMP_ENGINE (self));
  g_return_if_fail (concurrency >= 1 && concurrency <= 65536);

  if (self->worker == NULL || pw_snmp_engine_get_concurrency (self) == concurrency)
    return;
  g_atomic_int_set (&self->worker->concurrency, (gint) concurrency);
  wake (self->worker);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCURRENCY]);
}

guint
pw_snmp_engine_get_rate_limit (PwSnmpEngine *self)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), 0);
  return self->worker != NULL ? (guint) g_atomic_int_get (&self->worker->rate_limit) : 0;
}

/* The most requests sent per second, over all agents; 0 for no limit. */
void
pw_snmp_engine_set_rate_limit (PwSnmpEngine *self,
                               guint         packets_per_second)
{
  g_return_if_fail (PW_IS_SNMP_ENGINE (self));
  g_return_if_fail (packets_per_second <= 1000000);

  if (self->worker == NULL || pw_snmp_engine_get_rate_limit (self) == packets_per_second)
    return;
  g_atomic_int_set (&self->worker->rate_limit, (gint) packets_per_second);
  wake (self->worker);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

guint
pw_snmp_engine_get_timeout (PwSnmpEngine *self)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), 0);
  return self->timeout_ms;
}

/* How long to wait for each answer, in ms; applies to operations started later. */
void
pw_snmp_engine_set_timeout (PwSnmpEngine *self,
                            guint         timeout_ms)
{
  g_return_if_fail (PW_IS_SNMP_ENGINE (self));
  g_return_if_fail (timeout_ms >= 10 && timeout_ms <= 600000);

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
pw_snmp_engine_get_retries (PwSnmpEngine *self)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), 0);
  return self->retries;
}

/* How often to send a request again before giving up; applies to operations started later. */
void
pw_snmp_engine_set_retries (PwSnmpEngine *self,
                            guint         retries)
{
  g_return_if_fail (PW_IS_SNMP_ENGINE (self));
  g_return_if_fail (retries <= 20);

  if (self->retries == retries)
    return;
  self->retries = retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRIES]);
}

/* Thread-safe: how many agents have an operation in flight right now. */
guint
pw_snmp_engine_get_n_active (PwSnmpEngine *self)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), 0);
  return self->worker != NULL ? (guint) g_atomic_int_get (&self->worker->n_active) : 0;
}

/* Thread-safe: the requests sent so far (not counting net-snmp's own
 * retries on a timeout), for benchmarks and logs. */
guint64
pw_snmp_engine_get_n_requests (PwSnmpEngine *self)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), 0);
  return self->worker != NULL ? (guint64) g_atomic_pointer_get (&self->worker->n_requests) : 0;
}
