/* pw-test-http.c: small HTTP servers inside the test process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-http.h"

#include <string.h>

static void
copy_header (const char         *name,
             const char         *value,
             SoupMessageHeaders *copy)
{
  soup_message_headers_append (copy, name, value);
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  PwTestFake *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  fake->requests++;
  g_clear_pointer (&fake->last_headers, soup_message_headers_unref);
  fake->last_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (headers, (SoupMessageHeadersForeachFunc) copy_header, fake->last_headers);
  g_clear_pointer (&fake->last_body, g_bytes_unref);
  fake->last_body = soup_message_body_flatten (body);
  g_free (fake->last_uri);
  fake->last_uri = g_uri_to_string (soup_server_message_get_uri (msg));
  if (fake->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", fake->location);
  soup_server_message_set_status (msg, fake->status, NULL);
  if (fake->body != NULL)
    soup_server_message_set_response (msg, fake->content_type, SOUP_MEMORY_STATIC, fake->body,
                                      strlen (fake->body));
}

static GSocketAddress *
loopback_any_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (loopback, 0);
}

/* Connections are accepted here and handed to the SoupServer, as printwatch-collector does:
 * libsoup 3.2's own listener leaks each accepted GSocket. */
static gboolean
fake_incoming (GSocketService    *service,
               GSocketConnection *connection,
               GObject           *source,
               PwTestFake        *fake)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  soup_server_accept_iostream (fake->server, G_IO_STREAM (connection), local, remote, &error);
  g_assert_no_error (error);
  return TRUE;
}

PwTestFake *
pw_test_fake_start (guint       status,
                    const char *content_type,
                    const char *body)
{
  PwTestFake *fake = g_new0 (PwTestFake, 1);
  g_autoptr(GSocketAddress) address = loopback_any_port ();
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  fake->status = status;
  fake->content_type = content_type;
  fake->body = body;
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  fake->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (fake->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  fake->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (fake->service, "incoming", G_CALLBACK (fake_incoming), fake);
  g_socket_service_start (fake->service);
  return fake;
}

void
pw_test_fake_free (PwTestFake *fake)
{
  g_socket_service_stop (fake->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->service));
  g_object_unref (fake->service);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_clear_pointer (&fake->last_headers, soup_message_headers_unref);
  g_clear_pointer (&fake->last_body, g_bytes_unref);
  g_free (fake->last_uri);
  g_free (fake);
}

static gboolean
silent_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 PwTestSilent      *silent)
{
  g_ptr_array_add (silent->connections, g_object_ref (connection));
  if (silent->cancel_on_accept != NULL)
    g_cancellable_cancel (silent->cancel_on_accept);
  return TRUE;
}

PwTestSilent *
pw_test_silent_start (void)
{
  PwTestSilent *silent = g_new0 (PwTestSilent, 1);
  g_autoptr(GSocketAddress) address = loopback_any_port ();
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  silent->service = g_socket_service_new ();
  silent->connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_socket_listener_add_address (G_SOCKET_LISTENER (silent->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  silent->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (silent->service, "incoming", G_CALLBACK (silent_incoming), silent);
  g_socket_service_start (silent->service);
  return silent;
}

void
pw_test_silent_free (PwTestSilent *silent)
{
  g_socket_service_stop (silent->service);
  g_socket_listener_close (G_SOCKET_LISTENER (silent->service));
  g_object_unref (silent->service);
  g_ptr_array_unref (silent->connections);
  g_free (silent);
}

guint16
pw_test_closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) address = loopback_any_port ();
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}
