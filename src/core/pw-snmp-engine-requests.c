/* pw-snmp-engine-requests.c: the engine's public requests, as GTask operations.
 *
 * Runs in the caller's thread: checks the arguments, resolves host names
 * with GResolver, and hands each operation to the worker. The worker hands
 * it back through _pw_snmp_op_return(), which completes the GTask in the
 * caller's main context.
 *
 * Each task holds the engine as its source object, so operations keep it
 * alive; g_object_run_dispose() on the engine cancels them all at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-snmp-engine"

#include "config.h"

#include "pw-snmp-engine-private.h"
#include "pw-address.h"

#include <glib/gi18n-lib.h>

typedef struct {
  PwSnmpWorker *worker;  /* owned reference */
  guint64       op_id;
} CancelData;

static void
cancel_data_free (gpointer data)
{
  CancelData *cancel = data;

  _pw_snmp_worker_unref (cancel->worker);
  g_free (cancel);
}

void
_pw_snmp_op_free (PwSnmpOp *op)
{
  g_clear_object (&op->task);
  g_clear_pointer (&op->worker, _pw_snmp_worker_unref);
  g_free (op->shown);
  g_clear_object (&op->address);
  g_clear_object (&op->credentials);
  g_clear_pointer (&op->oids, g_ptr_array_unref);
  g_clear_pointer (&op->results, g_ptr_array_unref);
  g_clear_pointer (&op->todo, g_array_unref);
  g_clear_pointer (&op->batch, g_array_unref);
  g_clear_pointer (&op->walk, g_array_unref);
  g_free (op->usm_key);
  g_clear_error (&op->error);
  g_free (op);
}

static void
walk_column_clear (gpointer data)
{
  PwSnmpWalkColumn *column = data;

  g_clear_pointer (&column->last_oid, g_array_unref);
  g_clear_pointer (&column->rows, g_ptr_array_unref);
  g_clear_error (&column->error);
}

static void
rows_free (gpointer rows)
{
  if (rows != NULL)
    g_ptr_array_unref (rows);
}

/* A walk of one subtree returns its rows, or the error the agent gave for
 * it; a walk of several returns each one's rows, %NULL where it erred. */
static void
return_walk (PwSnmpOp *op)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_full (op->walk->len, rows_free);

  for (guint i = 0; i < op->walk->len; i++)
    {
      PwSnmpWalkColumn *column = &g_array_index (op->walk, PwSnmpWalkColumn, i);

      if (column->error != NULL)
        g_debug ("%s: column %u: %s", op->shown, i, column->error->message);
      else
        g_debug ("%s: column %u: %u rows", op->shown, i, column->rows->len);
      g_ptr_array_add (columns, column->error == NULL ? g_steal_pointer (&column->rows) : NULL);
    }
  if (op->walk_columns)
    g_task_return_pointer (op->task, g_steal_pointer (&columns), (GDestroyNotify) g_ptr_array_unref);
  else if (columns->pdata[0] == NULL)
    g_task_return_error (op->task, g_steal_pointer (&g_array_index (op->walk, PwSnmpWalkColumn, 0).error));
  else
    g_task_return_pointer (op->task, g_ptr_array_steal_index (columns, 0), (GDestroyNotify) g_ptr_array_unref);
}

/* Completes the task and frees @op. Any thread, but not under a lock the
 * cancellation handler takes: disconnecting waits for a running handler. */
void
_pw_snmp_op_return (PwSnmpOp *op)
{
  if (op->cancel_handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (op->task), op->cancel_handler);
  if (op->error != NULL)
    {
      g_debug ("%s: %s", op->shown, op->error->message);
      g_task_return_error (op->task, g_steal_pointer (&op->error));
    }
  else if (op->kind == PW_SNMP_OP_WALK)
    return_walk (op);
  else
    {
      g_debug ("%s: done, %u varbinds", op->shown, op->results->len);
      g_task_return_pointer (op->task, g_steal_pointer (&op->results),
                             (GDestroyNotify) g_ptr_array_unref);
    }
  _pw_snmp_op_free (op);
}

/**
 * _pw_snmp_op_set_error:
 * @detail: (nullable): what went wrong, for %PW_SNMP_ERROR_PROTOCOL,
 *   %PW_SNMP_ERROR_FAILED, %PW_SNMP_ERROR_UNREACHABLE and %PW_SNMP_ERROR_RESOLVE
 *
 * Sets the message an admin reads for one agent. No secret goes into it.
 */
void
_pw_snmp_op_set_error (PwSnmpOp    *op,
                       PwSnmpError  code,
                       const char  *detail)
{
  const char *user = pw_snmp_credentials_get_user (op->credentials);
  gboolean v3 = pw_snmp_credentials_get_version (op->credentials) == PW_SNMP_VERSION_3;
  char *message;

  if (detail == NULL)
    detail = "";

  switch (code)
    {
    case PW_SNMP_ERROR_TIMEOUT:
      /* Agents drop requests with a wrong community without a word (RFC 3584 §4). */
      if (!v3)
        message = g_strdup_printf (_("No answer from %s: the address may be silent, or the "
                                     "community may be wrong (agents ignore a wrong community "
                                     "without replying)"), op->shown);
      else if (op->engine_id_len == 0)
        message = g_strdup_printf (_("No answer from %s: the address may be silent, or it may "
                                     "not speak SNMPv3"), op->shown);
      else
        message = g_strdup_printf (_("%s answered SNMPv3 engine discovery but not the request "
                                     "itself"), op->shown);
      break;
    case PW_SNMP_ERROR_UNREACHABLE:
      message = g_strdup_printf (_("%s cannot be reached (%s): nothing answers SNMP there"),
                                 op->shown, detail);
      break;
    case PW_SNMP_ERROR_RESOLVE:
      message = g_strdup_printf (_("The host name of %s does not resolve: %s"), op->shown, detail);
      break;
    case PW_SNMP_ERROR_UNKNOWN_USER:
      message = g_strdup_printf (_("%s does not know the SNMPv3 user “%s”"), op->shown, user);
      break;
    case PW_SNMP_ERROR_AUTHENTICATION:
      message = g_strdup_printf (_("%s rejected the authentication of SNMPv3 user “%s”: check "
                                   "the authentication passphrase and protocol"), op->shown, user);
      break;
    case PW_SNMP_ERROR_DECRYPTION:
      message = g_strdup_printf (_("%s did not accept the encrypted request of SNMPv3 user “%s”: "
                                   "check the encryption passphrase and protocol"), op->shown, user);
      break;
    case PW_SNMP_ERROR_UNSUPPORTED_SECURITY_LEVEL:
      message = g_strdup_printf (_("%s does not accept SNMPv3 user “%s” at this security level: "
                                   "check whether the user has authentication and encryption "
                                   "set up"), op->shown, user);
      break;
    case PW_SNMP_ERROR_NOT_IN_TIME_WINDOW:
      message = g_strdup_printf (_("%s kept rejecting the request of SNMPv3 user “%s” as "
                                   "outside its time window, even after resynchronising"),
                                 op->shown, user);
      break;
    case PW_SNMP_ERROR_PROTOCOL:
      message = g_strdup_printf (_("%s sent a reply that makes no sense: %s"), op->shown, detail);
      break;
    case PW_SNMP_ERROR_INVALID_OID:
    case PW_SNMP_ERROR_FAILED:
    default:
      message = g_strdup_printf (_("Cannot query %s: %s"), op->shown, detail);
      break;
    }

  g_clear_error (&op->error);
  op->error = g_error_new_literal (PW_SNMP_ERROR, code, message);
  g_free (message);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  CancelData *cancel = user_data;

  _pw_snmp_worker_cancel (cancel->worker, cancel->op_id);
}

static void
submit (PwSnmpOp *op)
{
  GCancellable *cancellable = g_task_get_cancellable (op->task);

  /* Connected before the hand-over: the worker then sees a cancellation
   * either by this handler or by checking the cancellable when it takes
   * the operation in. */
  if (cancellable != NULL)
    {
      CancelData *cancel = g_new0 (CancelData, 1);

      cancel->worker = _pw_snmp_worker_ref (op->worker);
      cancel->op_id = op->id;
      op->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                  cancel, cancel_data_free);
    }
  if (!_pw_snmp_worker_submit (op->worker, op))
    {
      g_set_error_literal (&op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The SNMP engine was shut down"));
      _pw_snmp_op_return (op);
    }
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PwSnmpOp *op = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);

  if (addresses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        op->error = g_steal_pointer (&error);
      else
        _pw_snmp_op_set_error (op, PW_SNMP_ERROR_RESOLVE, error->message);
      _pw_snmp_op_return (op);
      return;
    }
  op->address = g_object_ref (addresses->data);
  g_resolver_free_addresses (addresses);
  submit (op);
}

/* Numeric dotted OIDs only ("1.3.6.1.2.1.1.1.0", a leading dot allowed):
 * Printwatch loads no MIB. */
static GArray *
parse_oid (const char  *text,
           GError     **error)
{
  g_autoptr(GArray) subids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    text = "";
  parts = g_strsplit (text[0] == '.' ? text + 1 : text, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value = 0;
      guint32 subid;

      if (parts[i][0] < '0' || parts[i][0] > '9' ||
          !g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &value, NULL) ||
          subids->len == PW_SNMP_MAX_SUBIDS)
        {
          g_array_set_size (subids, 0);
          break;
        }
      subid = (guint32) value;
      g_array_append_val (subids, subid);
    }
  /* X.690 §8.19.4: two sub-identifiers at least, the first 0, 1 or 2. */
  if (subids->len < 2 || g_array_index (subids, guint32, 0) > 2)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, PW_SNMP_ERROR, PW_SNMP_ERROR_INVALID_OID,
                   _("“%s” is not a numeric OID such as 1.3.6.1.2.1.1.1.0"), shown);
      return NULL;
    }
  return g_steal_pointer (&subids);
}

/* Builds the operation, or completes @task with an error and returns NULL. */
static PwSnmpOp *
op_new (PwSnmpEngine        *self,
        PwSnmpOpKind         kind,
        guint16              port,
        PwSnmpCredentials   *credentials,
        const char * const  *oids,
        GTask               *task)
{
  static gsize last_id;
  PwSnmpOp *op = g_new0 (PwSnmpOp, 1);
  GError *error = NULL;

  op->id = (guint64) g_atomic_pointer_add (&last_id, 1) + 1;
  op->kind = kind;
  op->task = g_object_ref (task);
  op->port = port;
  op->credentials = g_object_ref (credentials);
  op->timeout_ms = pw_snmp_engine_get_timeout (self);
  op->retries = pw_snmp_engine_get_retries (self);
  op->oids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; oids[i] != NULL; i++)
    {
      GArray *subids = parse_oid (oids[i], &error);

      if (subids == NULL)
        {
          g_task_return_error (task, error);
          _pw_snmp_op_free (op);
          return NULL;
        }
      g_ptr_array_add (op->oids, subids);
    }
  return op;
}

/* Validates @host, resolves it if it is a name, then submits @op. */
static void
start (PwSnmpEngine *self,
       PwSnmpOp     *op,
       const char   *host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAddress) address = pw_address_new_host (host, op->port, &error);
  PwSnmpWorker *worker = _pw_snmp_engine_get_worker (self);

  if (address == NULL || worker == NULL)
    {
      if (address == NULL)
        g_task_return_error (op->task, g_steal_pointer (&error));
      else
        g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The SNMP engine was shut down"));
      _pw_snmp_op_free (op);
      return;
    }
  op->worker = _pw_snmp_worker_ref (worker);
  op->shown = pw_address_to_string (address);
  if (address->kind == PW_ADDRESS_HOSTNAME)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, address->host, g_task_get_cancellable (op->task),
                                       resolved_cb, op);
      return;
    }
  op->address = g_inet_address_new_from_string (address->host);
  submit (op);
}

/* The part all requests share. Returns: (nullable): the operation, or %NULL
 * once the task has its error */
static PwSnmpOp *
request_new (PwSnmpEngine        *self,
             PwSnmpOpKind         kind,
             gpointer             source_tag,
             guint16              port,
             PwSnmpCredentials   *credentials,
             const char * const  *oids,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "pw-snmp-engine request");
  if (kind == PW_SNMP_OP_GET_BULK &&
      pw_snmp_credentials_get_version (credentials) == PW_SNMP_VERSION_1)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("GETBULK needs SNMPv2c or SNMPv3; SNMPv1 has no such request"));
      return NULL;
    }
  return op_new (self, kind, port, credentials, oids, task);
}

static GPtrArray *
finish (PwSnmpEngine  *self,
        GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (PW_IS_SNMP_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

#define CHECK_REQUEST(self, host, port, credentials, oids) \
  G_STMT_START { \
    g_return_if_fail (PW_IS_SNMP_ENGINE (self)); \
    g_return_if_fail (host != NULL); \
    g_return_if_fail (port != 0); \
    g_return_if_fail (PW_IS_SNMP_CREDENTIALS (credentials)); \
    g_return_if_fail (oids != NULL && oids[0] != NULL); \
    g_return_if_fail (g_strv_length ((char **) oids) <= PW_SNMP_GET_MAX_OIDS); \
  } G_STMT_END

/**
 * pw_snmp_engine_get_async:
 * @host: an IP address or a host name
 * @oids: (array zero-terminated=1): numeric OIDs, at most %PW_SNMP_GET_MAX_OIDS
 *
 * Reads the objects with GET, in as many requests as the agent's message
 * size needs. An SNMPv1 agent's noSuchName is turned into noSuchObject.
 */
void
pw_snmp_engine_get_async (PwSnmpEngine        *self,
                          const char          *host,
                          guint16              port,
                          PwSnmpCredentials   *credentials,
                          const char * const  *oids,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  PwSnmpOp *op;

  CHECK_REQUEST (self, host, port, credentials, oids);
  op = request_new (self, PW_SNMP_OP_GET, pw_snmp_engine_get_async, port, credentials, oids,
                    cancellable, callback, user_data);
  if (op != NULL)
    start (self, op, host);
}

/**
 * pw_snmp_error_credential_verdict:
 * @error: (nullable): how a request failed
 *
 * Whether other credentials might do better: after SILENT or REFUSED, try
 * the next ones; a REFUSED error is the one worth telling when all fail.
 */
PwSnmpCredentialVerdict
pw_snmp_error_credential_verdict (const GError *error)
{
  if (error == NULL || error->domain != PW_SNMP_ERROR)
    return PW_SNMP_VERDICT_OTHER;
  switch ((PwSnmpError) error->code)
    {
    case PW_SNMP_ERROR_TIMEOUT:
      return PW_SNMP_VERDICT_SILENT;
    case PW_SNMP_ERROR_UNKNOWN_USER:
    case PW_SNMP_ERROR_AUTHENTICATION:
    case PW_SNMP_ERROR_DECRYPTION:
    case PW_SNMP_ERROR_UNSUPPORTED_SECURITY_LEVEL:
    case PW_SNMP_ERROR_NOT_IN_TIME_WINDOW:
      return PW_SNMP_VERDICT_REFUSED;
    case PW_SNMP_ERROR_UNREACHABLE:
    case PW_SNMP_ERROR_RESOLVE:
    case PW_SNMP_ERROR_PROTOCOL:
    case PW_SNMP_ERROR_FAILED:
    case PW_SNMP_ERROR_INVALID_OID:
    default:
      return PW_SNMP_VERDICT_OTHER;
    }
}

/**
 * pw_snmp_engine_get_finish:
 *
 * Returns: (transfer container) (element-type PwSnmpVarbind): one varbind
 *   per OID asked for, in order; noSuchObject and noSuchInstance are values
 */
GPtrArray *
pw_snmp_engine_get_finish (PwSnmpEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish (self, result, pw_snmp_engine_get_async, error);
}

/**
 * pw_snmp_engine_get_next_async:
 * @oids: (array zero-terminated=1): numeric OIDs, at most %PW_SNMP_GET_MAX_OIDS
 *
 * Reads the object following each OID, with GETNEXT.
 */
void
pw_snmp_engine_get_next_async (PwSnmpEngine        *self,
                               const char          *host,
                               guint16              port,
                               PwSnmpCredentials   *credentials,
                               const char * const  *oids,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PwSnmpOp *op;

  CHECK_REQUEST (self, host, port, credentials, oids);
  op = request_new (self, PW_SNMP_OP_GET_NEXT, pw_snmp_engine_get_next_async, port, credentials,
                    oids, cancellable, callback, user_data);
  if (op != NULL)
    start (self, op, host);
}

/* Returns: (transfer container) (element-type PwSnmpVarbind): one varbind per OID asked for */
GPtrArray *
pw_snmp_engine_get_next_finish (PwSnmpEngine  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish (self, result, pw_snmp_engine_get_next_async, error);
}

/**
 * pw_snmp_engine_get_bulk_async:
 * @oids: (array zero-terminated=1): numeric OIDs, at most %PW_SNMP_GET_MAX_OIDS
 * @non_repeaters: how many of the first @oids get one GETNEXT each
 * @max_repetitions: how many successors of each other OID to read
 *
 * One GETBULK request (RFC 3416 §4.2.3), SNMPv2c and v3 only.
 */
void
pw_snmp_engine_get_bulk_async (PwSnmpEngine        *self,
                               const char          *host,
                               guint16              port,
                               PwSnmpCredentials   *credentials,
                               const char * const  *oids,
                               guint                non_repeaters,
                               guint                max_repetitions,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PwSnmpOp *op;

  CHECK_REQUEST (self, host, port, credentials, oids);
  g_return_if_fail (max_repetitions <= PW_SNMP_WALK_MAX_ROWS);

  op = request_new (self, PW_SNMP_OP_GET_BULK, pw_snmp_engine_get_bulk_async, port, credentials,
                    oids, cancellable, callback, user_data);
  if (op == NULL)
    return;
  op->bulk_non_repeaters = MIN (non_repeaters, op->oids->len);
  op->bulk_repetitions = max_repetitions;
  start (self, op, host);
}

/* Returns: (transfer container) (element-type PwSnmpVarbind): the varbinds as the agent sent them */
GPtrArray *
pw_snmp_engine_get_bulk_finish (PwSnmpEngine  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish (self, result, pw_snmp_engine_get_bulk_async, error);
}

static PwSnmpOp *
walk_new (PwSnmpEngine        *self,
          gpointer             source_tag,
          guint16              port,
          PwSnmpCredentials   *credentials,
          const char * const  *roots,
          const guint         *max_rows,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  PwSnmpOp *op = request_new (self, PW_SNMP_OP_WALK, source_tag, port, credentials, roots,
                              cancellable, callback, user_data);

  if (op == NULL)
    return NULL;
  op->walk = g_array_sized_new (FALSE, TRUE, sizeof (PwSnmpWalkColumn), op->oids->len);
  g_array_set_clear_func (op->walk, walk_column_clear);
  g_array_set_size (op->walk, op->oids->len);
  for (guint i = 0; i < op->oids->len; i++)
    {
      guint most = max_rows != NULL ? max_rows[i] : 0;

      g_array_index (op->walk, PwSnmpWalkColumn, i).max_rows =
        most == 0 ? PW_SNMP_WALK_MAX_ROWS : MIN (most, PW_SNMP_WALK_MAX_ROWS);
    }
  return op;
}

/**
 * pw_snmp_engine_walk_async:
 * @root_oid: the subtree to read, numeric
 * @max_rows: stop after this many rows; 0 means %PW_SNMP_WALK_MAX_ROWS
 *
 * Reads every object under @root_oid: GETBULK for SNMPv2c and v3, GETNEXT
 * for SNMPv1. Stops at the end of the subtree, at endOfMibView, at
 * @max_rows, and where a broken agent answers an OID that does not
 * increase, keeping the rows read so far.
 */
void
pw_snmp_engine_walk_async (PwSnmpEngine        *self,
                           const char          *host,
                           guint16              port,
                           PwSnmpCredentials   *credentials,
                           const char          *root_oid,
                           guint                max_rows,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  const char * const oids[] = { root_oid, NULL };
  PwSnmpOp *op;

  CHECK_REQUEST (self, host, port, credentials, oids);

  op = walk_new (self, pw_snmp_engine_walk_async, port, credentials, oids, &max_rows,
                 cancellable, callback, user_data);
  if (op != NULL)
    start (self, op, host);
}

/* Returns: (transfer container) (element-type PwSnmpVarbind): the rows, in OID order */
GPtrArray *
pw_snmp_engine_walk_finish (PwSnmpEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish (self, result, pw_snmp_engine_walk_async, error);
}

/**
 * pw_snmp_engine_walk_columns_async:
 * @host: an IP address or a host name
 * @roots: (array zero-terminated=1): the subtrees to read, numeric, at most
 *   %PW_SNMP_GET_MAX_OIDS: typically columns of tables
 * @max_rows: (array) (nullable): for each root, the most rows to read of it;
 *   0 or %NULL means %PW_SNMP_WALK_MAX_ROWS
 *
 * Reads every object under each root, as pw_snmp_engine_walk_async() does,
 * but all side by side: each GETBULK (GETNEXT for SNMPv1) asks for the next
 * rows of several subtrees at once, as many as fit a modest reply, so a
 * table of several columns costs as many requests as one column of it.
 * An agent that errs on one subtree (an error status, a malformed value)
 * costs only that subtree; silence or a refusal fails the whole walk.
 */
void
pw_snmp_engine_walk_columns_async (PwSnmpEngine        *self,
                                   const char          *host,
                                   guint16              port,
                                   PwSnmpCredentials   *credentials,
                                   const char * const  *roots,
                                   const guint         *max_rows,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  PwSnmpOp *op;

  CHECK_REQUEST (self, host, port, credentials, roots);

  op = walk_new (self, pw_snmp_engine_walk_columns_async, port, credentials, roots, max_rows,
                 cancellable, callback, user_data);
  if (op == NULL)
    return;
  op->walk_columns = TRUE;
  start (self, op, host);
}

/**
 * pw_snmp_engine_walk_columns_finish:
 *
 * Returns: (transfer container) (element-type GPtrArray): one element per root, in the order
 *   given: its rows (a #GPtrArray of #PwSnmpVarbind, in OID order), or %NULL where the agent
 *   erred on that subtree
 */
GPtrArray *
pw_snmp_engine_walk_columns_finish (PwSnmpEngine  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish (self, result, pw_snmp_engine_walk_columns_async, error);
}
