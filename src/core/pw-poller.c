/* pw-poller.c: read one full snapshot of each device.
 *
 * A device is first asked for its system group, trying the credentials in
 * order until one answers; with those, every other column is walked, all
 * side by side in one walk (one request carries the next rows of many
 * columns, kept to a size a printer's small SNMP stack takes), each capped
 * to what a sane printer holds. Only when all of it
 * is in is the snapshot built, so a printer that stops answering midway
 * leaves no half-read meters behind: its last good snapshot stays, and it
 * is marked unreachable instead. pw-poller-snapshot.c reads the columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-poller"

#include "config.h"

#include "pw-poller.h"
#include "pw-poller-private.h"
#include "pw-profile.h"
#include "pw-device.h"

#include <glib/gi18n-lib.h>

/* Devices in flight per engine slot. */
#define DEVICE_SHARE 8

struct _PwPoller
{
  GObject        parent_instance;

  PwSnmpEngine  *engine;       /* owned */
  PwStore       *store;        /* owned, nullable: then nothing is stored */

  /* One fleet poll at a time; all NULL/0 between polls. */
  GTask         *task;         /* owned */
  GPtrArray     *devices;      /* owned, of PwDevice */
  GPtrArray     *credentials;  /* owned, of PwSnmpCredentials */
  GPtrArray     *results;      /* owned, of PwPollResult, NULL where not polled (yet) */
  guint          next;
  guint          in_flight;
  guint          done;
  guint          total;
  GError        *store_failure;  /* owned: a reading that could not be committed ends the poll */
};

G_DEFINE_FINAL_TYPE (PwPoller, pw_poller, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PwPollResult, pw_poll_result, pw_poll_result_copy, pw_poll_result_free)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_DEVICE_POLLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One device being read: the task data of its GTask. */
typedef struct {
  PwSnmpEngine *engine;           /* owned */
  char         *host;
  guint16       port;
  GPtrArray    *credentials;      /* owned */
  guint         credential;       /* index being tried, then the one that answered */
  GError       *refusal;          /* owned: the last v3 refusal, told if all credentials fail */
  GError       *failure;          /* owned: the vendor requests were cancelled */
  GPtrArray    *columns[N_WALKS]; /* owned, of PwSnmpVarbind */
  guint         pending;          /* vendor requests in flight */
  gint64        taken_at;
  PwSnapshot   *snapshot;         /* owned, once built, while the vendor's MIB is asked */
  GPtrArray    *queries;          /* owned container of the profile's PwProfileQuery, then */
  GPtrArray    *vendor_answers;   /* owned, of PwSnmpVarbind: what the vendor's MIB answered */
} Poll;

PwPollResult *
pw_poll_result_copy (const PwPollResult *result)
{
  PwPollResult *copy = g_memdup2 (result, sizeof *result);

  copy->host = g_strdup (result->host);
  copy->message = g_strdup (result->message);
  if (result->snapshot != NULL)
    g_object_ref (result->snapshot);
  return copy;
}

void
pw_poll_result_free (PwPollResult *result)
{
  if (result == NULL)
    return;
  g_free (result->host);
  g_free (result->message);
  g_clear_object (&result->snapshot);
  g_free (result);
}

static void
poll_free (Poll *poll)
{
  g_object_unref (poll->engine);
  g_free (poll->host);
  g_ptr_array_unref (poll->credentials);
  g_clear_error (&poll->refusal);
  g_clear_error (&poll->failure);
  for (guint i = 0; i < N_WALKS; i++)
    g_clear_pointer (&poll->columns[i], g_ptr_array_unref);
  g_clear_object (&poll->snapshot);
  g_clear_pointer (&poll->queries, g_ptr_array_unref);
  g_clear_pointer (&poll->vendor_answers, g_ptr_array_unref);
  g_free (poll);
}

/* ---- one device ---- */

static void start_system (GTask *task);

/* One more of the vendor's answers is in: when all are, the snapshot. */
static void
vendor_answered (GTask     *task,
                 GPtrArray *varbinds,
                 GError    *error)
{
  Poll *poll = g_task_get_task_data (task);

  /* Without the vendor's objects (or its answer) the snapshot is still whole. */
  if (varbinds != NULL)
    g_ptr_array_extend_and_steal (poll->vendor_answers, varbinds);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && poll->failure == NULL)
    poll->failure = g_error_copy (error);
  else
    g_debug ("%s:%u: vendor objects: %s", poll->host, poll->port, error->message);

  if (--poll->pending > 0)
    return;
  if (poll->failure != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&poll->failure));
      return;
    }
  _pw_poller_apply_vendor (poll->snapshot, poll->queries, poll->vendor_answers);
  g_task_return_pointer (task, g_steal_pointer (&poll->snapshot), g_object_unref);
}

static void
vendor_get_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *varbinds = pw_snmp_engine_get_finish (PW_SNMP_ENGINE (source), res, &error);

  vendor_answered (task, varbinds, error);
}

static void
vendor_tables_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) columns = pw_snmp_engine_walk_columns_finish (PW_SNMP_ENGINE (source), res, &error);
  GPtrArray *varbinds = NULL;

  if (columns != NULL)
    {
      varbinds = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
      for (guint i = 0; i < columns->len; i++)
        if (columns->pdata[i] != NULL)
          g_ptr_array_extend_and_steal (varbinds, g_steal_pointer (&columns->pdata[i]));
    }
  vendor_answered (task, varbinds, error);
}

/* All tables are in: the snapshot, after what the vendor's MIB adds
 * (data/profiles): its meters, and the serial number and firmware where
 * the standard MIBs had none; one GET, and one walk of the columns of the
 * counter tables, at once. */
static void
finish_device (GTask *task)
{
  Poll *poll = g_task_get_task_data (task);
  PwSnmpCredentials *credentials = poll->credentials->pdata[poll->credential];
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) oids = g_ptr_array_new ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();

  poll->snapshot = _pw_poller_build_snapshot (poll->columns, poll->taken_at);
  poll->queries = _pw_poller_vendor_queries (poll->snapshot);
  for (guint i = 0; i < poll->queries->len; i++)
    {
      PwProfileQuery *query = poll->queries->pdata[i];

      if (query->kind == PW_PROFILE_QUERY_COUNTER_TABLE)
        {
          g_ptr_array_add (columns, query->oid);
          g_ptr_array_add (columns, query->name);
        }
      /* Several meters may be packed in one object: it is read once. */
      else if (!g_ptr_array_find_with_equal_func (oids, query->oid, g_str_equal, NULL))
        g_ptr_array_add (oids, query->oid);
    }
  if (oids->len == 0 && columns->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&poll->snapshot), g_object_unref);
      return;
    }

  poll->vendor_answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  poll->pending = (oids->len > 0 ? 1 : 0) + (columns->len > 0 ? 1 : 0);
  if (oids->len > 0)
    {
      g_ptr_array_add (oids, NULL);
      pw_snmp_engine_get_async (poll->engine, poll->host, poll->port, credentials,
                                (const char * const *) oids->pdata, cancellable, vendor_get_cb, g_object_ref (task));
    }
  if (columns->len > 0)
    {
      g_autoptr(GArray) max_rows = g_array_new (FALSE, FALSE, sizeof (guint));
      guint most = PW_POLLER_COUNTER_TABLE_ROWS;

      for (guint i = 0; i < columns->len; i++)
        g_array_append_val (max_rows, most);
      g_ptr_array_add (columns, NULL);
      pw_snmp_engine_walk_columns_async (poll->engine, poll->host, poll->port, credentials,
                                         (const char * const *) columns->pdata,
                                         (const guint *) (gpointer) max_rows->data, cancellable,
                                         vendor_tables_cb, g_object_ref (task));
    }
}

/* The roots of the walk after the system group, each with its walk
 * (pw-poller-snapshot.c's table) and its row limit: the same for every
 * device, so made once. */
typedef struct {
  GPtrArray *roots;     /* of char *, NULL-terminated */
  GArray    *walks;     /* guint */
  GArray    *max_rows;  /* guint */
} Roots;

static void
roots_add (Roots *roots,
           char  *root,
           guint  walk,
           guint  max_rows)
{
  g_ptr_array_add (roots->roots, root);
  g_array_append_val (roots->walks, walk);
  g_array_append_val (roots->max_rows, max_rows);
}

static const Roots *
table_roots (void)
{
  static Roots roots;
  static gsize made;

  if (g_once_init_enter (&made))
    {
      roots.roots = g_ptr_array_new ();
      roots.walks = g_array_new (FALSE, FALSE, sizeof (guint));
      roots.max_rows = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint walk = WALK_SYSTEM + 1; walk < N_WALKS; walk++)
        {
          const PwPollerWalk *spec = &_pw_poller_walks[walk];

          if (spec->columns[0] == 0)
            roots_add (&roots, g_strdup (spec->oid), walk, spec->max_rows);
          for (guint i = 0; i < G_N_ELEMENTS (spec->columns) && spec->columns[i] != 0; i++)
            roots_add (&roots, g_strdup_printf ("%s.%u", spec->oid, spec->columns[i]), walk, spec->max_rows);
        }
      g_ptr_array_add (roots.roots, NULL);
      g_once_init_leave (&made, 1);
    }
  return &roots;
}

static void
tables_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) columns = pw_snmp_engine_walk_columns_finish (PW_SNMP_ENGINE (source), res, &error);
  const Roots *roots = table_roots ();

  if (columns == NULL)
    {
      /* It answered the system group, then fell silent: a snapshot without
       * the tables would pass for a reading, so none is made. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, PW_SNMP_ERROR, PW_SNMP_ERROR_TIMEOUT) ||
          g_error_matches (error, PW_SNMP_ERROR, PW_SNMP_ERROR_UNREACHABLE))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("%s:%u: walk of the tables: %s", poll->host, poll->port, error->message);
      finish_device (task);
      return;
    }

  /* A column the agent erred on (SNMPv1 noSuchName, a broken value) is
   * left out; the others still tell. An entry's columns go together. */
  for (guint i = 0; i < columns->len; i++)
    {
      guint walk = g_array_index (roots->walks, guint, i);

      if (columns->pdata[i] == NULL)
        {
          g_debug ("%s:%u: the agent erred on %s", poll->host, poll->port, (char *) roots->roots->pdata[i]);
          continue;
        }
      if (poll->columns[walk] == NULL)
        poll->columns[walk] = g_steal_pointer (&columns->pdata[i]);
      else
        g_ptr_array_extend_and_steal (poll->columns[walk], g_steal_pointer (&columns->pdata[i]));
    }
  finish_device (task);
}

/* Every table of the poll in one walk, side by side: as many requests as
 * the longest table needs, not one walk per column. */
static void
start_tables (GTask *task)
{
  Poll *poll = g_task_get_task_data (task);
  const Roots *roots = table_roots ();

  pw_snmp_engine_walk_columns_async (poll->engine, poll->host, poll->port,
                                     poll->credentials->pdata[poll->credential],
                                     (const char * const *) roots->roots->pdata,
                                     (const guint *) (gpointer) roots->max_rows->data,
                                     g_task_get_cancellable (task), tables_cb, g_object_ref (task));
}

static void
system_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *varbinds = pw_snmp_engine_walk_finish (PW_SNMP_ENGINE (source), res, &error);
  gboolean more = poll->credential + 1 < poll->credentials->len;
  PwSnmpCredentialVerdict verdict;

  if (varbinds != NULL)
    {
      poll->columns[WALK_SYSTEM] = varbinds;
      start_tables (task);
      return;
    }

  verdict = pw_snmp_error_credential_verdict (error);
  if (verdict == PW_SNMP_VERDICT_REFUSED)
    {
      g_clear_error (&poll->refusal);
      poll->refusal = g_steal_pointer (&error);
    }
  if (verdict != PW_SNMP_VERDICT_OTHER && more)
    {
      poll->credential++;
      start_system (g_steal_pointer (&task));
      return;
    }

  /* Silent at the end: a v3 agent that told us our credentials are wrong
   * is the better explanation. */
  if (poll->refusal != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&poll->refusal));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
start_system (GTask *task)
{
  Poll *poll = g_task_get_task_data (task);

  pw_snmp_engine_walk_async (poll->engine, poll->host, poll->port, poll->credentials->pdata[poll->credential],
                             _pw_poller_walks[WALK_SYSTEM].oid, _pw_poller_walks[WALK_SYSTEM].max_rows,
                             g_task_get_cancellable (task), system_cb, task);
}

/* Reads one device; the task returns its PwSnapshot. */
static void
poll_device_async (PwPoller            *self,
                   const char          *host,
                   guint16              port,
                   GPtrArray           *credentials,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Poll *poll = g_new0 (Poll, 1);

  g_task_set_source_tag (task, poll_device_async);
  poll->engine = g_object_ref (self->engine);
  poll->host = g_strdup (host);
  poll->port = port;
  poll->credentials = g_ptr_array_ref (credentials);
  poll->taken_at = g_get_real_time () / G_USEC_PER_SEC;
  g_task_set_task_data (task, poll, (GDestroyNotify) poll_free);
  start_system (task);
}

/* ---- the fleet ---- */

static void launch_more (PwPoller *self);

static GCancellable *
fleet_cancellable (PwPoller *self)
{
  return g_task_get_cancellable (self->task);
}

static void
finish_fleet (PwPoller *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GPtrArray) results = g_steal_pointer (&self->results);
  g_autoptr(GError) store_failure = g_steal_pointer (&self->store_failure);
  GError *error = NULL;

  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->credentials, g_ptr_array_unref);

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (store_failure != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&store_failure));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

static void
device_done (PwPoller     *self,
             guint         index,
             PwPollResult *result)
{
  g_debug ("%s:%u: %s", result->host, result->port, result->ok ? "polled" : result->message);
  self->results->pdata[index] = result;
  self->done++;
  self->in_flight--;
  g_signal_emit (self, signals[SIGNAL_DEVICE_POLLED], 0, result);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  launch_more (self);
  if (self->in_flight == 0 &&
      (self->next == self->devices->len || self->store_failure != NULL ||
       g_cancellable_is_cancelled (fleet_cancellable (self))))
    finish_fleet (self);
}

/* A reading is committed before anything else sees it (DESIGN.md); SQLite
 * blocks, so on a worker. The task fails when the store does (a full disk,
 * a damaged file): polling on would only read what cannot be kept. A device
 * removed meanwhile is no such failure. */
static void
store_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PwPoller *self = source_object;
  PwPollResult *result = task_data;
  g_autoptr(GError) error = NULL;

  if (result->ok && !pw_store_append_snapshot (self->store, result->device_id, result->snapshot, &error))
    {
      result->ok = FALSE;
      result->message = g_strdup (error->message);
      g_clear_object (&result->snapshot);
    }
  else if (!result->ok && !pw_store_mark_unreachable (self->store, result->device_id, result->message, &error))
    g_debug ("device %" G_GINT64_FORMAT ": %s", result->device_id, error->message);
  if (error != NULL && !g_error_matches (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  PwPoller *self = PW_POLLER (source);
  PwPollResult *result = g_task_get_task_data (G_TASK (res));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      if (self->store_failure == NULL)
        self->store_failure = error;
      else
        g_error_free (error);
    }
  device_done (self, GPOINTER_TO_UINT (user_data), pw_poll_result_copy (result));
}

static void
device_polled_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  PwPoller *self = PW_POLLER (source);
  guint index = GPOINTER_TO_UINT (user_data);
  PwDevice *device = self->devices->pdata[index];
  Poll *poll = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  PwPollResult *result = g_new0 (PwPollResult, 1);
  g_autoptr(GTask) store_task = NULL;

  result->device_id = pw_device_get_id (device);
  result->host = g_strdup (pw_device_get_host (device));
  result->port = pw_device_get_port (device);
  result->snapshot = g_task_propagate_pointer (G_TASK (res), &error);
  result->ok = result->snapshot != NULL;
  result->credentials = result->ok ? poll->credential : 0;
  if (!result->ok)
    result->message = g_strdup (error->message);

  /* Cancelled is no news about the device: nothing to store. */
  if (self->store == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      device_done (self, index, result);
      return;
    }
  store_task = g_task_new (self, NULL, stored_cb, user_data);
  g_task_set_task_data (store_task, result, (GDestroyNotify) pw_poll_result_free);
  g_task_run_in_thread (store_task, store_worker);
}

static void
launch_more (PwPoller *self)
{
  guint window = MAX (1, pw_snmp_engine_get_concurrency (self->engine) / DEVICE_SHARE);

  while (self->next < self->devices->len && self->in_flight < window && self->store_failure == NULL &&
         !g_cancellable_is_cancelled (fleet_cancellable (self)))
    {
      PwDevice *device = self->devices->pdata[self->next];

      self->in_flight++;
      poll_device_async (self, pw_device_get_host (device), pw_device_get_port (device), self->credentials,
                         fleet_cancellable (self), device_polled_cb, GUINT_TO_POINTER (self->next));
      self->next++;
    }
}

static void
pw_poller_dispose (GObject *object)
{
  PwPoller *self = PW_POLLER (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_error (&self->store_failure);

  G_OBJECT_CLASS (pw_poller_parent_class)->dispose (object);
}

static void
pw_poller_class_init (PwPollerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pw_poller_dispose;

  /* Emitted after each device is done; read the done/total getters. */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted for each device once its snapshot is stored, or it is marked unreachable. */
  signals[SIGNAL_DEVICE_POLLED] = g_signal_new ("device-polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                                PW_TYPE_POLL_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pw_poller_init (PwPoller *self)
{
}

/**
 * pw_poller_new:
 * @store: (nullable): where snapshots go, or %NULL to only report them
 */
PwPoller *
pw_poller_new (PwSnmpEngine *engine,
               PwStore      *store)
{
  PwPoller *self;

  g_return_val_if_fail (PW_IS_SNMP_ENGINE (engine), NULL);

  self = g_object_new (PW_TYPE_POLLER, NULL);
  self->engine = g_object_ref (engine);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  return self;
}

guint
pw_poller_get_done (PwPoller *self)
{
  g_return_val_if_fail (PW_IS_POLLER (self), 0);
  return self->done;
}

guint
pw_poller_get_total (PwPoller *self)
{
  g_return_val_if_fail (PW_IS_POLLER (self), 0);
  return self->total;
}

/**
 * pw_poller_poll_async:
 * @devices: (element-type PwDevice): what to poll
 * @credentials: (element-type PwSnmpCredentials): tried in order on each device
 *
 * Reads a snapshot of each device, many at once, and stores it; a device
 * that does not answer keeps its last snapshot and is marked unreachable.
 * Emits ::device-polled and ::progress after each. When cancelled, what
 * was read so far is stored, then the poll ends with %G_IO_ERROR_CANCELLED.
 * When a reading cannot be committed (a full disk), the devices not yet
 * asked are left alone and the poll ends with that %PW_STORE_ERROR.
 */
void
pw_poller_poll_async (PwPoller            *self,
                      GPtrArray           *devices,
                      GPtrArray           *credentials,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_POLLER (self));
  g_return_if_fail (devices != NULL);
  g_return_if_fail (credentials != NULL && credentials->len > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_poller_poll_async);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("A poll is already running"));
      return;
    }

  self->task = g_steal_pointer (&task);
  self->devices = g_ptr_array_ref (devices);
  self->credentials = g_ptr_array_ref (credentials);
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_poll_result_free);
  g_ptr_array_set_size (self->results, devices->len);
  self->next = 0;
  self->in_flight = 0;
  self->done = 0;
  self->total = devices->len;

  launch_more (self);
  if (self->in_flight == 0)
    finish_fleet (self);
}

/**
 * pw_poller_poll_finish:
 *
 * Returns: (transfer full) (element-type PwPollResult): one result per
 *   device, in the order given
 */
GPtrArray *
pw_poller_poll_finish (PwPoller      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pw_poller_poll_one_async:
 * @credentials: (element-type PwSnmpCredentials): tried in order
 *
 * Reads a snapshot of one address without storing it: for "test
 * connection" and for tests. Runs beside a fleet poll.
 */
void
pw_poller_poll_one_async (PwPoller            *self,
                          const char          *host,
                          guint16              port,
                          GPtrArray           *credentials,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PW_IS_POLLER (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (credentials != NULL && credentials->len > 0);

  poll_device_async (self, host, port, credentials, cancellable, callback, user_data);
}

/**
 * pw_poller_poll_one_finish:
 *
 * Returns: (transfer full): what was read
 */
PwSnapshot *
pw_poller_poll_one_finish (PwPoller      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == poll_device_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
