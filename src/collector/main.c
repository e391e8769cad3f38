/* main.c: printwatch-collector, the reference server for Printwatch uploads.
 *
 * printwatch-collector --database FILE [--listen ADDR:PORT] [--tls-certificate FILE
 *                      --tls-key FILE | --insecure-http] [--credentials FILE] …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-collector"

#include "config.h"

#include "pw-collector.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_LISTEN "127.0.0.1:8443"

typedef struct {
  GMainLoop   *loop;
  PwCollector *collector;
  gboolean     stopping;
} Run;

/* "127.0.0.1:8443", "[::1]:8443": an address, not a name, so nothing is resolved. */
static GInetSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  guint64 port = 0;

  if (colon != NULL)
    host = g_strndup (text, (gsize) (colon - text));
  if (host != NULL && host[0] == '[' && g_str_has_suffix (host, "]"))
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  if (host != NULL)
    address = g_inet_address_new_from_string (host);
  if (address == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("--listen takes ADDRESS:PORT with an IP address, e.g. 127.0.0.1:8443 or "
                     "[::1]:8443, not “%s”"), text);
      return NULL;
    }
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));
}

static gboolean
parse_size (const char  *option,
            const char  *text,
            guint64     *bytes,
            GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, bytes, NULL))
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("%s takes a number of bytes from 1 to %u, not “%s”"), option, G_MAXUINT32, text);
      return FALSE;
    }
  return TRUE;
}

static void
stopped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  pw_collector_stop_finish (PW_COLLECTOR (object), result, NULL);
  g_main_loop_quit (run->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  Run *run = user_data;

  if (!run->stopping)
    {
      run->stopping = TRUE;
      pw_collector_stop_async (run->collector, NULL, stopped_cb, run);
    }
  return G_SOURCE_CONTINUE;
}

static int
fail (const GError *error)
{
  g_printerr ("printwatch-collector: %s\n", error->message);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwCollector) collector = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *certificate_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *database = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *max_body = NULL;
  g_autofree char *max_wire_body = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *address_text = NULL;
  gboolean insecure_http = FALSE;
  gboolean version = FALSE;
  int read_timeout = PW_COLLECTOR_DEFAULT_READ_TIMEOUT;
  int request_timeout = PW_COLLECTOR_DEFAULT_REQUEST_TIMEOUT;
  guint64 body_limit = PW_COLLECTOR_DEFAULT_MAX_BODY;
  guint64 wire_limit = PW_COLLECTOR_DEFAULT_MAX_WIRE_BODY;
  guint sigterm_id;
  guint sigint_id;
  Run run = { 0 };
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:8443; port 0 picks a free one)"),
      N_("ADDRESS:PORT") },
    { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &certificate_file,
      N_("The server’s certificate chain (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The certificate’s private key (PEM)"), N_("FILE") },
    { "insecure-http", 0, 0, G_OPTION_ARG_NONE, &insecure_http,
      N_("Speak plain HTTP, without TLS (loopback addresses only)"), NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The SQLite file that keeps what arrives (created if missing)"), N_("FILE") },
    { "credentials", 'c', 0, G_OPTION_ARG_FILENAME, &credentials,
      N_("Who may upload: lines “user:password” or “token:VALUE” (default: anyone)"), N_("FILE") },
    { "max-body", 0, 0, G_OPTION_ARG_STRING, &max_body,
      N_("Largest payload once decompressed (default 16 MiB)"), N_("BYTES") },
    { "max-wire-body", 0, 0, G_OPTION_ARG_STRING, &max_wire_body,
      N_("Largest request body as sent (default 4 MiB)"), N_("BYTES") },
    { "read-timeout", 0, 0, G_OPTION_ARG_INT, &read_timeout,
      N_("Seconds a client may stay silent before it is dropped (default 30)"), N_("SECONDS") },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &request_timeout,
      N_("Seconds a client has for the TLS handshake and one whole request, however slowly it "
         "sends them (default 120)"), N_("SECONDS") },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file,
      N_("Write the port listened on to this file once ready"), N_("FILE") },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, N_("Show the version and quit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Receives the daily uploads of Printwatch agents over "
                                           "HTTPS (POST /api/v1/uploads) and keeps them in SQLite."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error);
  if (version)
    {
      g_print ("printwatch-collector %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc > 1)
    {
      g_set_error (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("unexpected argument “%s”"), argv[1]);
      return fail (error);
    }
  if (database == NULL)
    {
      g_set_error_literal (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("--database FILE is required"));
      return fail (error);
    }
  if ((address = parse_listen (listen != NULL ? listen : DEFAULT_LISTEN, &error)) == NULL
      || !parse_size ("--max-body", max_body, &body_limit, &error)
      || !parse_size ("--max-wire-body", max_wire_body, &wire_limit, &error))
    return fail (error);
  if (read_timeout < 1)
    {
      g_set_error_literal (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("--read-timeout takes a number of seconds from 1"));
      return fail (error);
    }
  if (request_timeout < 1)
    {
      g_set_error_literal (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("--request-timeout takes a number of seconds from 1"));
      return fail (error);
    }
  if ((certificate_file == NULL) != (key_file == NULL))
    {
      g_set_error_literal (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("--tls-certificate and --tls-key go together"));
      return fail (error);
    }
  if (certificate_file == NULL && !insecure_http)
    {
      g_set_error_literal (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("no TLS certificate: give --tls-certificate and --tls-key, or "
                             "--insecure-http to listen on a loopback address without TLS"));
      return fail (error);
    }
  if (certificate_file != NULL && insecure_http)
    {
      g_set_error_literal (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("--insecure-http and a TLS certificate exclude each other"));
      return fail (error);
    }
  address_text = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  /* Uploads carry credentials and site details: in clear text only on this computer. */
  if (insecure_http && !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_set_error (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("--insecure-http is allowed only on loopback addresses, not %s"), address_text);
      return fail (error);
    }

  if ((collector = pw_collector_new (database, &error)) == NULL)
    return fail (error);
  if (credentials != NULL && !pw_collector_load_credentials (collector, credentials, &error))
    return fail (error);
  if (credentials == NULL)
    g_printerr ("printwatch-collector: %s\n", _("no --credentials: accepting uploads from anyone"));
  if (certificate_file != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autoptr(GError) tls_error = NULL;

      certificate = g_tls_certificate_new_from_files (certificate_file, key_file, &tls_error);
      if (certificate == NULL)
        {
          g_set_error (&error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                       _("Cannot load the TLS certificate and key: %s"), tls_error->message);
          return fail (error);
        }
      pw_collector_set_tls_certificate (collector, certificate);
    }
  pw_collector_set_max_body (collector, body_limit);
  pw_collector_set_max_wire_body (collector, wire_limit);
  pw_collector_set_read_timeout (collector, (guint) read_timeout);
  pw_collector_set_request_timeout (collector, (guint) request_timeout);
  if (!pw_collector_listen (collector, address, &error))
    return fail (error);
  if (port_file != NULL)
    {
      g_autofree char *port = g_strdup_printf ("%u\n", pw_collector_get_port (collector));

      /* Written whole (a temporary file renamed): a reader never sees half a number. */
      if (!g_file_set_contents (port_file, port, -1, &error))
        return fail (error);
    }
  {
    gboolean v6 = strchr (address_text, ':') != NULL;
    g_autofree char *url = g_strdup_printf ("%s://%s%s%s:%u%s", certificate_file != NULL ? "https" : "http",
                                            v6 ? "[" : "", address_text, v6 ? "]" : "",
                                            pw_collector_get_port (collector), PW_COLLECTOR_PATH);

    g_printerr ("printwatch-collector: ");
    g_printerr (_("listening on %s\n"), url);
  }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.collector = collector;
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &run);
  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &run);
  g_main_loop_run (loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  /* Let closed connections finish going before the collector does. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
