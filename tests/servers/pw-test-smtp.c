/* pw-test-smtp.c: SMTP servers on loopback, for the notifier tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-test-smtp"

#include "pw-test-smtp.h"

PwTestServer *
pw_test_smtp_start (const PwTestSmtpOptions  *options,
                    GError                  **error)
{
  const char *python = g_getenv ("PW_PYTHON");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "servers", "pw-test-smtp.py", NULL);
  g_autofree char *mode = g_strdup_printf ("--mode=%s", options->mode != NULL ? options->mode : "accept");
  g_autofree char *auth = options->auth != NULL ? g_strdup_printf ("--auth=%s", options->auth) : NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  if (python == NULL || !g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "$PW_PYTHON names no Python, skipping");
      return NULL;
    }
  g_ptr_array_add (argv, (gpointer) python);
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, mode);
  if (options->certificate != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--tls-cert");
      g_ptr_array_add (argv, (gpointer) options->certificate);
      g_ptr_array_add (argv, (gpointer) "--tls-key");
      g_ptr_array_add (argv, (gpointer) options->key);
      if (options->implicit_tls)
        g_ptr_array_add (argv, (gpointer) "--implicit-tls");
    }
  if (auth != NULL)
    g_ptr_array_add (argv, auth);
  g_ptr_array_add (argv, NULL);
  return pw_test_process_start ("smtp", (const char * const *) argv->pdata, error);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * pw_test_smtp_messages:
 *
 * Returns: (transfer full) (element-type JsonObject): what the server accepted, in order
 */
GPtrArray *
pw_test_smtp_messages (PwTestServer *server)
{
  g_autofree char *folder = g_build_filename (pw_test_server_get_dir (server), "mail", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_file (parser, names->pdata[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      g_ptr_array_add (messages, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }
  return messages;
}

/* A listening socket on 127.0.0.1 that never accepts: connections complete in the kernel's
 * backlog and then hear nothing. */
GSocket *
pw_test_silent_server_new (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, FALSE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

/* A port on 127.0.0.1 that was free a moment ago: connecting to it is refused. */
guint16
pw_test_closed_port (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) socket = pw_test_silent_server_new (&port);

  g_socket_close (socket, NULL);
  return port;
}
