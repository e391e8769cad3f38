/* pw-collector-connections.c: the open connections, so no client holds one for long or many.
 *
 * The read timeout drops a client that goes silent; one that trickles a byte now and then
 * (slow-loris) would keep its connection for ever, and with enough of them every connection
 * the collector allows. So each connection has a deadline: from its accept, or from the end
 * of its last response on a kept-alive connection, the TLS handshake and one whole request,
 * headers and body, must be in within the request timeout, or the connection is shut down.
 * A request that has arrived is not hurried: working on it and writing the answer have the
 * write timeout. And one address may hold only so many connections at once, so that while
 * its deadlines run, it cannot take every connection the collector allows.
 *
 * glib-networking runs each TLS handshake on a thread of GTask's pool, blocked in its reads
 * until the client has sent what it needs: clients that trickle their ClientHello would each
 * hold a thread until their deadline, and the collector's own work (gunzip, JSON, SQLite) and
 * every other handshake would wait for the pool to grow. So the first TLS record, which holds
 * the ClientHello, is awaited here on the main loop, and the handshake starts only once it is
 * all in.
 *
 * SoupServer's messages name their connection only by the peer's address and port (a
 * connection handed over with soup_server_accept_iostream () has no GSocket of its own for
 * them), so that is how a message finds its connection's deadline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-collector"

#include "config.h"

#include "pw-collector-private.h"

#include <errno.h>
#include <sys/socket.h>

/* How often a ClientHello that came in part is looked at again (ms). */
#define HELLO_POLL_INTERVAL 100
/* A TLS record: its header, and at most 2^14 bytes of plaintext grown by 2048 (RFC 8446 §5.2). */
#define TLS_RECORD_HEADER 5
#define TLS_RECORD_MAX    (TLS_RECORD_HEADER + 16384 + 2048)
#define TLS_HANDSHAKE     0x16

struct _PwCollectorConnections
{
  SoupServer *server;    /* borrowed: the collector's, which outlives this */
  GPtrArray  *open;      /* owned, of Connection: one per open connection (at most the cap) */
  guint       seconds;   /* the request timeout */
};

typedef struct {
  PwCollectorConnections *owner;       /* borrowed */
  GSocketConnection      *connection;  /* weakly referenced: this goes with it */
  char                   *key;         /* owned: the peer's "address:port" */
  char                   *peer;        /* owned: its address */
  guint                   timeout_id;
} Connection;

static void
connection_free (Connection *connection)
{
  g_clear_handle_id (&connection->timeout_id, g_source_remove);
  g_free (connection->key);
  g_free (connection->peer);
  g_free (connection);
}

/* "address:port", the same for the connection and for soup's messages on it; NULL if not IP. */
static char *
peer_key (GSocketAddress  *address,
          char           **peer)
{
  g_autofree char *host = NULL;
  char *key;

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  key = g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  if (peer != NULL)
    *peer = g_steal_pointer (&host);
  return key;
}

static gboolean
expired_cb (gpointer user_data)
{
  Connection *connection = user_data;

  connection->timeout_id = 0;
  g_message ("%s: dropped, no whole request within %u s", connection->peer, connection->owner->seconds);
  /* Both ways: soup and the TLS layer see the end of the stream and let the connection go. */
  g_socket_shutdown (g_socket_connection_get_socket (connection->connection), TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
arm (Connection *connection)
{
  g_clear_handle_id (&connection->timeout_id, g_source_remove);
  connection->timeout_id = g_timeout_add_seconds (connection->owner->seconds, expired_cb, connection);
}

/* A port is reused only once its connection is gone; should one linger, the newest is it. */
static Connection *
connection_of (PwCollectorConnections *self,
               SoupServerMessage      *msg)
{
  g_autofree char *key = peer_key (soup_server_message_get_remote_address (msg), NULL);

  for (guint i = self->open->len; key != NULL && i > 0; i--)
    {
      Connection *connection = self->open->pdata[i - 1];

      if (g_str_equal (connection->key, key))
        return connection;
    }
  return NULL;
}

/* The whole request is in: no deadline while it is worked on and answered. */
static void
request_read_cb (SoupServer             *server,
                 SoupServerMessage      *msg,
                 PwCollectorConnections *self)
{
  Connection *connection = connection_of (self, msg);

  if (connection != NULL)
    g_clear_handle_id (&connection->timeout_id, g_source_remove);
}

/* Answered (or given up): the next request on the connection has its own deadline. */
static void
request_done_cb (SoupServer             *server,
                 SoupServerMessage      *msg,
                 PwCollectorConnections *self)
{
  Connection *connection = connection_of (self, msg);

  if (connection != NULL)
    arm (connection);
}

static void
connection_gone (gpointer  data,
                 GObject  *where_the_connection_was)
{
  Connection *connection = data;

  g_ptr_array_remove (connection->owner->open, connection);
}

PwCollectorConnections *
_pw_collector_connections_new (SoupServer *server,
                               guint       request_timeout)
{
  PwCollectorConnections *self = g_new0 (PwCollectorConnections, 1);

  self->server = server;
  self->seconds = request_timeout;
  self->open = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  g_signal_connect (server, "request-read", G_CALLBACK (request_read_cb), self);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_done_cb), self);
  return self;
}

void
_pw_collector_connections_free (PwCollectorConnections *self)
{
  g_signal_handlers_disconnect_by_data (self->server, self);
  for (guint i = 0; i < self->open->len; i++)
    {
      Connection *connection = self->open->pdata[i];

      g_object_weak_unref (G_OBJECT (connection->connection), connection_gone, connection);
    }
  g_ptr_array_unref (self->open);
  g_free (self);
}

/* For the connections accepted from now on. */
void
_pw_collector_connections_set_request_timeout (PwCollectorConnections *self,
                                               guint                   seconds)
{
  self->seconds = seconds;
}

/* How many connections the peer of @connection holds open already. */
guint
_pw_collector_connections_count_peer (PwCollectorConnections *self,
                                      GSocketConnection      *connection)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *peer = NULL;
  g_autofree char *key = peer_key (remote, &peer);
  guint n = 0;

  for (guint i = 0; key != NULL && i < self->open->len; i++)
    n += g_str_equal (((Connection *) self->open->pdata[i])->peer, peer);
  return n;
}

/* Keeps @connection, just accepted, until it is gone, and starts its first deadline. */
void
_pw_collector_connections_add (PwCollectorConnections *self,
                               GSocketConnection      *connection)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *peer = NULL;
  g_autofree char *key = peer_key (remote, &peer);
  Connection *kept;

  if (key == NULL)
    return;
  kept = g_new0 (Connection, 1);
  kept->owner = self;
  kept->connection = connection;
  kept->key = g_steal_pointer (&key);
  kept->peer = g_steal_pointer (&peer);
  g_ptr_array_add (self->open, kept);
  g_object_weak_ref (G_OBJECT (connection), connection_gone, kept);
  arm (kept);
}

/* ---- the ClientHello ---- */

typedef struct {
  GSocket *socket;         /* owned */
  GSource *readable;       /* owned, nullable: until the first bytes arrive */
  GSource *poll;           /* owned */
  guint8  *buffer;         /* owned, TLS_RECORD_MAX bytes */
  gsize    seen;           /* bytes waiting at the last look */
  gint64   last_progress;  /* monotonic µs */
  gint64   read_timeout;   /* µs */
} Hello;

static void
drop_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
hello_free (Hello *hello)
{
  drop_source (&hello->readable);
  drop_source (&hello->poll);
  g_object_unref (hello->socket);
  g_free (hello->buffer);
  g_free (hello);
}

/* Looks at what waits, without taking it: TRUE once the task is answered. */
static gboolean
hello_check (GTask *task)
{
  Hello *hello = g_task_get_task_data (task);
  gssize n = recv (g_socket_get_fd (hello->socket), hello->buffer, TLS_RECORD_MAX, MSG_PEEK | MSG_DONTWAIT);
  int saved = errno;
  gint64 now = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    return TRUE;
  if (n == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "closed before its ClientHello");
      return TRUE;
    }
  if (n < 0 && saved != EAGAIN && saved != EWOULDBLOCK && saved != EINTR)
    {
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return TRUE;
    }
  n = MAX (n, 0);
  /* Not a TLS handshake record: GnuTLS says so at once, on what is there. */
  if (n >= TLS_RECORD_HEADER
      && (hello->buffer[0] != TLS_HANDSHAKE
          || (gsize) n >= TLS_RECORD_HEADER + ((gsize) hello->buffer[3] << 8 | hello->buffer[4])))
    {
      g_task_return_boolean (task, TRUE);
      return TRUE;
    }
  if ((gsize) n > hello->seen)
    {
      hello->seen = (gsize) n;
      hello->last_progress = now;
    }
  else if (now - hello->last_progress >= hello->read_timeout)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "silent before the end of its ClientHello");
      return TRUE;
    }
  return FALSE;
}

static gboolean
hello_poll_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!hello_check (task))
    return G_SOURCE_CONTINUE;
  drop_source (&((Hello *) g_task_get_task_data (task))->readable);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* The first bytes: most clients send the ClientHello whole, and go on at once. Later looks
 * are the poll's: while bytes wait unread, the socket would be readable all the time. */
static gboolean
hello_readable_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Hello *hello = g_task_get_task_data (task);

  g_clear_pointer (&hello->readable, g_source_unref);
  if (hello_check (task))
    {
      drop_source (&hello->poll);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

/* Answers once the first TLS record from @connection is all in, or fails when the client goes
 * (G_IO_ERROR_CONNECTION_CLOSED, or what the socket says), stays silent for @read_timeout
 * seconds (G_IO_ERROR_TIMED_OUT), or @cancellable says so. Reads nothing. */
static void
await_hello (GSocketConnection   *connection,
             guint                read_timeout,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (connection, cancellable, callback, user_data);
  Hello *hello = g_new0 (Hello, 1);

  g_task_set_source_tag (task, await_hello);
  hello->socket = g_object_ref (g_socket_connection_get_socket (connection));
  hello->buffer = g_malloc (TLS_RECORD_MAX);
  hello->last_progress = g_get_monotonic_time ();
  hello->read_timeout = (gint64) read_timeout * G_USEC_PER_SEC;
  g_task_set_task_data (task, hello, (GDestroyNotify) hello_free);
  /* Each source holds the task; whichever answers it lets go of both. */
  hello->readable = g_socket_create_source (hello->socket, G_IO_IN, NULL);
  g_source_set_callback (hello->readable, G_SOURCE_FUNC (hello_readable_cb), task, NULL);
  g_source_attach (hello->readable, NULL);
  hello->poll = g_timeout_source_new (HELLO_POLL_INTERVAL);
  g_source_set_callback (hello->poll, hello_poll_cb, task, NULL);
  g_source_attach (hello->poll, NULL);
}

static void
handshaken_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
hello_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_tls_connection_handshake_async (g_task_get_source_object (task), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), handshaken_cb, g_object_ref (task));
}

/**
 * _pw_collector_connections_handshake_async:
 * @tls: the server side of TLS over @connection
 *
 * The TLS handshake, begun once the ClientHello is all in: see await_hello ().
 */
void
_pw_collector_connections_handshake_async (GSocketConnection   *connection,
                                           GTlsConnection      *tls,
                                           guint                read_timeout,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task = g_task_new (tls, cancellable, callback, user_data);

  g_task_set_source_tag (task, _pw_collector_connections_handshake_async);
  await_hello (connection, read_timeout, cancellable, hello_cb, task);
}

gboolean
_pw_collector_connections_handshake_finish (GTlsConnection  *tls,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, tls), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
