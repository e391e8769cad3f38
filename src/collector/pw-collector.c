/* pw-collector.c: the reference collection server for Printwatch uploads (payload.md).
 *
 * The collector accepts connections itself (GSocketService) and hands each one to a
 * SoupServer with soup_server_accept_iostream (), after its own TLS handshake: that way it
 * can refuse a client that negotiated less than TLS 1.2 (glib-networking's GnuTLS backend
 * takes the system's priority string and offers no per-connection minimum), bound the
 * number of connections (all, and from one address), and give every socket a read timeout so
 * a silent client is dropped instead of holding a connection for ever, and a deadline for its
 * request so a trickling one is too (pw-collector-connections.c). Everything on the main loop is
 * asynchronous; the work that takes time (gunzip, JSON, SQLite) runs on GTask's thread pool.
 *
 * A request passes the header checks (path, method, credentials, Content-Type,
 * Content-Encoding, Idempotency-Key, Content-Length) in the early handler, before its body is
 * read; the body is then collected up to the wire limit and no further, and the worker does
 * the rest (pw-collector-body.c, pw-collector-store.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-collector"

#include "config.h"

#include "pw-collector-private.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#define REQUEST_KEY "pw-collector-request"

struct _PwCollector
{
  GObject                 parent_instance;

  PwCollectorStore       *store;          /* owned */
  PwCollectorCredentials *credentials;    /* owned, nullable: anyone may upload */
  GTlsCertificate        *certificate;    /* owned, nullable: plain HTTP */
  guint64                 max_body;
  guint64                 max_wire_body;
  guint                   read_timeout;
  SoupServer             *server;         /* owned */
  PwCollectorConnections *connections;    /* owned: their deadlines, who holds how many */
  GSocketService         *service;        /* owned, nullable until listening */
  guint16                 port;
  guint                   clients;        /* open connections */
  guint                   busy;           /* workers running + responses not yet written */
  GTask                  *stop;           /* owned, nullable: a stop waiting for busy == 0 */
  GCancellable           *cancellable;    /* owned: TLS handshakes in progress; cancelled by stop */
};

G_DEFINE_FINAL_TYPE (PwCollector, pw_collector, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-collector-error-quark, pw_collector_error)

/* One request, from its headers to its response. */
typedef struct {
  GByteArray *body;        /* owned, nullable: dropped once too large */
  gsize       limit;       /* bytes on the wire */
  gboolean    too_large;
  gboolean    gzip;
  gboolean    counted;     /* its response is in self->busy */
  char       *key;         /* owned: the Idempotency-Key */
  char       *principal;   /* owned, nullable */
} Request;

/* What a worker hands back. */
typedef struct {
  guint       status;
  const char *word;       /* payload.md's "status" */
  char       *message;    /* owned */
} Reply;

typedef struct {
  PwCollectorStore *store;      /* borrowed: the task holds the collector */
  GBytes           *body;       /* owned */
  gboolean          gzip;
  gsize             max_body;
  char             *key;        /* owned */
  char             *principal;  /* owned, nullable */
  char             *remote;     /* owned */
} Work;

static void
request_free (Request *request)
{
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request->key);
  g_free (request->principal);
  g_free (request);
}

static void
reply_free (Reply *reply)
{
  g_free (reply->message);
  g_free (reply);
}

static void
work_free (Work *work)
{
  g_bytes_unref (work->body);
  g_free (work->key);
  g_free (work->principal);
  g_free (work->remote);
  g_free (work);
}

static void
pw_collector_dispose (GObject *object)
{
  PwCollector *self = PW_COLLECTOR (object);

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  g_clear_object (&self->service);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->connections, _pw_collector_connections_free);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->stop);

  G_OBJECT_CLASS (pw_collector_parent_class)->dispose (object);
}

static void
pw_collector_finalize (GObject *object)
{
  PwCollector *self = PW_COLLECTOR (object);

  g_clear_pointer (&self->store, _pw_collector_store_free);
  g_clear_pointer (&self->credentials, _pw_collector_credentials_free);
  g_clear_object (&self->certificate);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pw_collector_parent_class)->finalize (object);
}

static void
pw_collector_class_init (PwCollectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_collector_dispose;
  object_class->finalize = pw_collector_finalize;
}

/* Responses */

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *word,
         const char        *key,
         const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *remote = soup_server_message_get_remote_host (msg);
  g_autofree char *logged = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, word);
  json_builder_set_member_name (builder, "payload_id");
  if (key != NULL)
    json_builder_add_string_value (builder, key);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Basic realm=\"printwatch\"");
  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    soup_message_headers_replace (headers, "Allow", "POST");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));

  /* A parser's message may quote the body: one line in the log, whatever it says. */
  logged = g_strdup (message);
  for (char *p = logged; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_message ("%s %u %s %s: %s", remote != NULL ? remote : "?", status, word,
             key != NULL ? key : "-", logged);
}

/* Before the body is read: the connection closes after the answer, so an unread body is
 * never taken for the next request. */
static void
refuse_early (SoupServerMessage *msg,
              guint              status,
              const char        *word,
              const char        *key,
              const char        *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  respond (msg, status, word, key, message);
}

static void
respond_reject (SoupServerMessage *msg,
                const char        *key,
                const GError      *error)
{
  switch ((PwCollectorReject) error->code)
    {
    case PW_COLLECTOR_REJECT_TOO_LARGE:
      respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", key, error->message);
      break;
    case PW_COLLECTOR_REJECT_UNSUPPORTED:
      respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported", key, error->message);
      break;
    case PW_COLLECTOR_REJECT_INVALID:
    default:
      respond (msg, SOUP_STATUS_BAD_REQUEST, "invalid", key, error->message);
      break;
    }
}

static void
maybe_finish_stop (PwCollector *self)
{
  g_autoptr(GTask) stop = NULL;

  if (self->stop == NULL || self->busy > 0)
    return;
  stop = g_steal_pointer (&self->stop);
  soup_server_disconnect (self->server);
  g_task_return_boolean (stop, TRUE);
}

/* The worker */

static Reply *
reply_new (guint       status,
           const char *word,
           const char *message)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->word = word;
  reply->message = g_strdup (message);
  return reply;
}

/* NULL with a PW_COLLECTOR_REJECT error when the body is refused. */
static Reply *
process (Work    *work,
         GError **error)
{
  g_autoptr(GError) store_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) text = NULL;
  gboolean found = FALSE;
  const char *payload_id;

  /* payload.md: a known payload_id is acknowledged again, its body ignored. */
  if (!_pw_collector_store_has (work->store, work->key, &found, &store_error))
    return reply_new (SOUP_STATUS_INTERNAL_SERVER_ERROR, "error", store_error->message);
  if (found)
    return reply_new (SOUP_STATUS_OK, "duplicate", "already stored");

  root = _pw_collector_parse_body (work->body, work->gzip, work->max_body, &text, error);
  if (root == NULL || !_pw_collector_validate_payload (root, error))
    return NULL;
  payload_id = json_object_get_string_member (json_node_get_object (root), "payload_id");
  if (strcmp (payload_id, work->key) != 0)
    return reply_new (SOUP_STATUS_BAD_REQUEST, "invalid",
                      "the Idempotency-Key header does not match the body's payload_id");
  if (!_pw_collector_store_add (work->store, root, text, work->principal, work->remote, &found,
                                &store_error))
    return reply_new (SOUP_STATUS_INTERNAL_SERVER_ERROR, "error", store_error->message);
  if (found)
    return reply_new (SOUP_STATUS_OK, "duplicate", "already stored");
  return reply_new (SOUP_STATUS_CREATED, "stored", "stored");
}

static void
process_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  Reply *reply = process (task_data, &error);

  if (reply != NULL)
    g_task_return_pointer (task, reply, (GDestroyNotify) reply_free);
  else
    g_task_return_error (task, error);
}

static void
process_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PwCollector *self = PW_COLLECTOR (object);
  g_autoptr(SoupServerMessage) msg = user_data;
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);

  if (reply != NULL)
    respond (msg, reply->status, reply->word, request->key, reply->message);
  else
    respond_reject (msg, request->key, error);
  g_clear_pointer (&reply, reply_free);
  soup_server_message_unpause (msg);
  self->busy--;
  maybe_finish_stop (self);
}

static void
message_finished_cb (SoupServerMessage *msg,
                     PwCollector       *self)
{
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);

  if (request != NULL && request->counted)
    {
      request->counted = FALSE;
      self->busy--;
      maybe_finish_stop (self);
    }
}

/* Handlers */

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              Request           *request)
{
  gsize size = g_bytes_get_size (chunk);

  if (request->too_large)
    return;
  if (size > request->limit - request->body->len)
    {
      request->too_large = TRUE;
      g_clear_pointer (&request->body, g_byte_array_unref);
      return;
    }
  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), (guint) size);
}

/* "application/json", optionally with charset=utf-8: RFC 8259 §11 defines no other. */
static gboolean
content_type_ok (SoupMessageHeaders *headers)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  const char *charset;

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
    return FALSE;
  charset = params != NULL ? g_hash_table_lookup (params, "charset") : NULL;
  return charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0;
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  PwCollector *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autofree char *principal = NULL;
  Request *request;
  gboolean gzip = FALSE;
  gsize limit;

  if (strcmp (path, PW_COLLECTOR_PATH) != 0)
    {
      refuse_early (msg, SOUP_STATUS_NOT_FOUND, "not-found", NULL, "uploads go to " PW_COLLECTOR_PATH);
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      refuse_early (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", NULL, "only POST");
      return;
    }
  if (self->credentials != NULL
      && !_pw_collector_credentials_check (self->credentials,
                                           soup_message_headers_get_one (headers, "Authorization"),
                                           &principal))
    {
      refuse_early (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL, "wrong or missing credentials");
      return;
    }
  if (!content_type_ok (headers))
    {
      refuse_early (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported", NULL,
                    "Content-Type must be application/json (UTF-8)");
      return;
    }
  if (encoding != NULL && (g_ascii_strcasecmp (encoding, "gzip") == 0 || g_ascii_strcasecmp (encoding, "x-gzip") == 0))
    gzip = TRUE;
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      refuse_early (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported", NULL,
                    "Content-Encoding must be gzip or identity");
      return;
    }
  if (key == NULL || !g_uuid_string_is_valid (key))
    {
      refuse_early (msg, SOUP_STATUS_BAD_REQUEST, "invalid", NULL, "Idempotency-Key must be the payload_id, a UUID");
      return;
    }
  limit = (gsize) (gzip ? self->max_wire_body : MIN (self->max_wire_body, self->max_body));
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > limit)
    {
      g_autofree char *message = g_strdup_printf ("the body is larger than %" G_GSIZE_FORMAT " bytes", limit);

      refuse_early (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", key, message);
      return;
    }

  request = g_new0 (Request, 1);
  request->body = g_byte_array_new ();
  request->limit = limit;
  request->gzip = gzip;
  request->key = g_strdup (key);
  request->principal = g_steal_pointer (&principal);
  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, request, (GDestroyNotify) request_free);
  /* Collected by got_chunk_cb () up to the limit, instead of all of it by libsoup. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), request);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  PwCollector *self = user_data;
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
  g_autoptr(GTask) task = NULL;
  const char *remote = soup_server_message_get_remote_host (msg);
  Work *work;

  if (request == NULL)
    {
      respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "error", NULL, "request lost its state");
      return;
    }
  if (request->too_large)
    {
      g_autofree char *message = g_strdup_printf ("the body is larger than %" G_GSIZE_FORMAT " bytes",
                                                  request->limit);

      respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", request->key, message);
      return;
    }

  work = g_new0 (Work, 1);
  work->store = self->store;
  work->body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
  work->gzip = request->gzip;
  work->max_body = (gsize) self->max_body;
  work->key = g_strdup (request->key);
  work->principal = g_strdup (request->principal);
  work->remote = g_strdup (remote != NULL ? remote : "?");

  soup_server_message_pause (msg);
  request->counted = TRUE;
  self->busy += 2;  /* the worker, then the response */
  g_signal_connect_object (msg, "finished", G_CALLBACK (message_finished_cb), self, 0);

  task = g_task_new (self, NULL, process_done, g_object_ref (msg));
  g_task_set_source_tag (task, handler);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, process_worker);
}

/* Connections */

typedef struct {
  PwCollector       *self;        /* owned */
  GSocketConnection *connection;  /* owned: the TCP connection under the TLS one */
  GIOStream         *tls;         /* owned */
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_object_unref (handshake->self);
  g_object_unref (handshake->connection);
  g_object_unref (handshake->tls);
  g_free (handshake);
}

/* When the last reference to a client's TCP connection goes, so does the client. */
static void
client_gone (gpointer  data,
             GObject  *where_the_connection_was)
{
  PwCollector *self = data;

  self->clients--;
  g_object_unref (self);
}

static char *
describe_peer (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static void
hand_to_soup (PwCollector       *self,
              GIOStream         *stream,
              GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (self->server, stream, local, remote, &error))
    {
      g_message ("cannot serve a connection: %s", error->message);
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handshake *handshake = user_data;
  GTlsConnection *tls = G_TLS_CONNECTION (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = describe_peer (handshake->connection);
  GTlsProtocolVersion version;

  if (!_pw_collector_connections_handshake_finish (tls, result, &error))
    {
      g_message ("%s: TLS handshake failed: %s", peer, error->message);
      g_io_stream_close_async (handshake->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      handshake_free (handshake);
      return;
    }
  version = g_tls_connection_get_protocol_version (tls);
  /* UNKNOWN would be a version newer than this GLib knows. */
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_0
      || version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      g_message ("%s: refused, it negotiated a TLS version older than 1.2", peer);
      g_io_stream_close_async (handshake->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      handshake_free (handshake);
      return;
    }
  hand_to_soup (handshake->self, handshake->tls, handshake->connection);
  handshake_free (handshake);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             PwCollector       *self)
{
  g_autoptr(GError) error = NULL;
  GIOStream *tls;
  Handshake *handshake;

  if (self->stop != NULL || self->clients >= PW_COLLECTOR_DEFAULT_MAX_CLIENTS
      || _pw_collector_connections_count_peer (self->connections, connection)
         >= PW_COLLECTOR_DEFAULT_MAX_CLIENTS_PER_ADDRESS)
    {
      g_autofree char *peer = describe_peer (connection);

      g_message ("%s: refused, %s", peer, self->stop != NULL ? "stopping"
                 : self->clients >= PW_COLLECTOR_DEFAULT_MAX_CLIENTS ? "too many connections"
                 : "too many connections from there");
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  self->clients++;
  g_object_weak_ref (G_OBJECT (connection), client_gone, g_object_ref (self));
  /* Reads and writes (the TLS handshake too) fail after this long without progress. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), self->read_timeout);
  _pw_collector_connections_add (self->connections, connection);

  if (self->certificate == NULL)
    {
      hand_to_soup (self, G_IO_STREAM (connection), connection);
      return TRUE;
    }
  tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
  if (tls == NULL)
    {
      g_message ("cannot start TLS: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  handshake = g_new0 (Handshake, 1);
  handshake->self = g_object_ref (self);
  handshake->connection = g_object_ref (connection);
  handshake->tls = tls;
  _pw_collector_connections_handshake_async (connection, G_TLS_CONNECTION (tls), self->read_timeout,
                                             self->cancellable, handshake_cb, handshake);
  return TRUE;
}

/* Public API */

static void
pw_collector_init (PwCollector *self)
{
  self->max_body = PW_COLLECTOR_DEFAULT_MAX_BODY;
  self->max_wire_body = PW_COLLECTOR_DEFAULT_MAX_WIRE_BODY;
  self->read_timeout = PW_COLLECTOR_DEFAULT_READ_TIMEOUT;
  self->cancellable = g_cancellable_new ();
  self->server = soup_server_new ("server-header", "printwatch-collector/" PACKAGE_VERSION, NULL);
  soup_server_add_early_handler (self->server, PW_COLLECTOR_PATH, early_handler, self, NULL);
  soup_server_add_handler (self->server, PW_COLLECTOR_PATH, handler, self, NULL);
  self->connections = _pw_collector_connections_new (self->server, PW_COLLECTOR_DEFAULT_REQUEST_TIMEOUT);
}

/* Opens (or creates) the database; listening comes later. */
PwCollector *
pw_collector_new (const char  *database_path,
                  GError     **error)
{
  g_autoptr(PwCollector) self = NULL;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (PW_TYPE_COLLECTOR, NULL);
  self->store = _pw_collector_store_open (database_path, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/* Without credentials anyone may upload. */
gboolean
pw_collector_load_credentials (PwCollector  *self,
                               const char   *path,
                               GError      **error)
{
  PwCollectorCredentials *credentials;

  g_return_val_if_fail (PW_IS_COLLECTOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  credentials = _pw_collector_credentials_load (path, error);
  if (credentials == NULL)
    return FALSE;
  g_clear_pointer (&self->credentials, _pw_collector_credentials_free);
  self->credentials = credentials;
  return TRUE;
}

/* With a certificate (and its private key) every connection speaks TLS ≥ 1.2; without one,
 * plain HTTP. Set it before listening. */
void
pw_collector_set_tls_certificate (PwCollector     *self,
                                  GTlsCertificate *certificate)
{
  g_return_if_fail (PW_IS_COLLECTOR (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  g_set_object (&self->certificate, certificate);
}

void
pw_collector_set_max_body (PwCollector *self,
                           guint64      bytes)
{
  g_return_if_fail (PW_IS_COLLECTOR (self));
  g_return_if_fail (bytes > 0 && bytes <= G_MAXUINT32);

  self->max_body = bytes;
}

void
pw_collector_set_max_wire_body (PwCollector *self,
                                guint64      bytes)
{
  g_return_if_fail (PW_IS_COLLECTOR (self));
  g_return_if_fail (bytes > 0 && bytes <= G_MAXUINT32);

  self->max_wire_body = bytes;
}

void
pw_collector_set_read_timeout (PwCollector *self,
                               guint        seconds)
{
  g_return_if_fail (PW_IS_COLLECTOR (self));
  g_return_if_fail (seconds > 0);

  self->read_timeout = seconds;
}

/* How long a client may take over the TLS handshake and one whole request, however it
 * trickles them in; for connections accepted from now on. */
void
pw_collector_set_request_timeout (PwCollector *self,
                                  guint        seconds)
{
  g_return_if_fail (PW_IS_COLLECTOR (self));
  g_return_if_fail (seconds > 0);

  _pw_collector_connections_set_request_timeout (self->connections, seconds);
}

gboolean
pw_collector_listen (PwCollector         *self,
                     GInetSocketAddress  *address,
                     GError             **error)
{
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (PW_IS_COLLECTOR (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->service = g_socket_service_new ();
  /* GLib's backlog of 10 drops the SYNs of a burst of clients, who then wait a second to retry. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), PW_COLLECTOR_DEFAULT_MAX_CLIENTS);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), G_SOCKET_ADDRESS (address),
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, &local_error))
    {
      text = g_inet_address_to_string (g_inet_socket_address_get_address (address));
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_LISTEN,
                   _("Cannot listen on %s port %u: %s"), text,
                   g_inet_socket_address_get_port (address), local_error->message);
      g_clear_object (&self->service);
      return FALSE;
    }
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_service_start (self->service);
  return TRUE;
}

guint16
pw_collector_get_port (PwCollector *self)
{
  g_return_val_if_fail (PW_IS_COLLECTOR (self), 0);
  return self->port;
}

/* Stops accepting connections, lets the requests in progress finish (their responses
 * written), then closes every connection. */
void
pw_collector_stop_async (PwCollector         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_COLLECTOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_collector_stop_async);
  if (self->stop != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  g_cancellable_cancel (self->cancellable);
  self->stop = g_steal_pointer (&task);
  maybe_finish_stop (self);
}

gboolean
pw_collector_stop_finish (PwCollector   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
