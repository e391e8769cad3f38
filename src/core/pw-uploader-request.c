/* pw-uploader-request.c: the POST itself, its TLS checks, and what a failure means.
 *
 * Each upload has its own SoupSession: one upload a day needs no connection reuse, and a new
 * connection means every upload passes the TLS checks below from the handshake on.
 *
 * Certificates: libsoup verifies the chain against the CA file (or the system's CAs) and the
 * host name; any error reaches "accept-certificate", which refuses it after noting the flags
 * for the message. TLS version: glib-networking's GnuTLS backend takes the system's priority
 * string and cannot be told a minimum per connection, so the negotiated version is checked
 * right after the handshake ("network-event" TLS_HANDSHAKED), before a byte of the request
 * is written, and anything older than TLS 1.2 cancels the request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-uploader"

#include "config.h"

#include "pw-uploader-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

/* The answer is a small JSON object; anything longer is cut (and then not JSON). */
#define RESPONSE_MAX       (64 * 1024)
#define SERVER_MESSAGE_MAX 300        /* characters of the server's message kept */
#define DEADLINE_FACTOR    10         /* a whole upload: ten times the silence timeout */

typedef struct {
  PwUploadSettings    *settings;       /* owned */
  char                *payload_id;     /* owned */
  GBytes              *json;           /* owned: the payload as given */
  GBytes              *body;           /* owned, nullable: gzipped, once prepared */
  GTlsDatabase        *database;       /* owned, nullable: from the CA file */
  SoupSession         *session;        /* owned */
  SoupMessage         *message;        /* owned */
  GInputStream        *stream;         /* owned: the response body */
  GByteArray          *response;       /* owned */
  GCancellable        *cancellable;    /* owned: ours; the caller's, the deadline and a too old
                                        * TLS version cancel it */
  GCancellable        *caller_cancellable;  /* owned, nullable */
  gulong               caller_handler;
  GSource             *deadline;       /* owned, nullable */
  GTlsCertificateFlags certificate_errors;  /* what accept-certificate refused */
  GTlsProtocolVersion  old_version;    /* non-zero: the server negotiated this, too old */
  gboolean             deadline_hit;
} Upload;

typedef struct {
  GBytes       *body;      /* owned */
  GTlsDatabase *database;  /* owned, nullable */
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  g_clear_pointer (&prepared->body, g_bytes_unref);
  g_clear_object (&prepared->database);
  g_free (prepared);
}

static void
upload_free (Upload *upload)
{
  if (upload->caller_cancellable != NULL)
    g_cancellable_disconnect (upload->caller_cancellable, upload->caller_handler);
  g_clear_object (&upload->caller_cancellable);
  if (upload->deadline != NULL)
    g_source_destroy (upload->deadline);
  g_clear_pointer (&upload->deadline, g_source_unref);
  if (upload->message != NULL)
    g_signal_handlers_disconnect_by_data (upload->message, upload);
  g_clear_object (&upload->stream);
  g_clear_object (&upload->message);
  g_clear_object (&upload->session);
  g_clear_object (&upload->database);
  g_clear_pointer (&upload->body, g_bytes_unref);
  g_clear_pointer (&upload->json, g_bytes_unref);
  g_clear_pointer (&upload->response, g_byte_array_unref);
  g_clear_object (&upload->cancellable);
  g_free (upload->payload_id);
  _pw_upload_settings_free (upload->settings);
  g_free (upload);
}

static const char *
upload_host (Upload *upload)
{
  return g_uri_get_host (upload->settings->uri);
}

/* Preparing: gzip and the CA file, on a worker thread (16 MiB of JSON takes a while) */

static GBytes *
gzip_bytes (GBytes  *data,
            GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  gsize size = 0;
  gconstpointer bytes = g_bytes_get_data (data, &size);

  if (!g_output_stream_write_all (gzip, bytes, size, NULL, NULL, error)
      || !g_output_stream_close (gzip, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
prepare_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr(GError) error = NULL;
  Prepared *prepared = g_new0 (Prepared, 1);

  prepared->body = gzip_bytes (upload->json, &error);
  if (prepared->body == NULL)
    {
      prepared_free (prepared);
      g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED,
                               _("Cannot compress the payload: %s"), error->message);
      return;
    }
  if (upload->settings->ca_file != NULL)
    {
      prepared->database = g_tls_file_database_new (upload->settings->ca_file, &error);
      if (prepared->database == NULL)
        {
          prepared_free (prepared);
          g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                                   _("Cannot read the CA file %s: %s"),
                                   upload->settings->ca_file, error->message);
          return;
        }
    }
  g_task_return_pointer (task, prepared, (GDestroyNotify) prepared_free);
}

/* Errors */

static char *
describe_certificate_errors (GTlsCertificateFlags  flags,
                             const char           *host)
{
  g_autoptr(GString) reasons = g_string_new (NULL);

#define ADD_REASON(text) \
  G_STMT_START { if (reasons->len > 0) g_string_append (reasons, "; "); g_string_append (reasons, text); } G_STMT_END
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    ADD_REASON (_("it is not signed by a trusted certificate authority (set the CA file?)"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      g_autofree char *text = g_strdup_printf (_("it was issued for another host, not %s"), host);

      ADD_REASON (text);
    }
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    ADD_REASON (_("it is not valid yet (check the clocks)"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    ADD_REASON (_("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    ADD_REASON (_("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    ADD_REASON (_("it uses an insecure algorithm"));
  if ((flags & G_TLS_CERTIFICATE_GENERIC_ERROR) || reasons->len == 0)
    ADD_REASON (_("it could not be verified"));
#undef ADD_REASON
  return g_string_free (g_steal_pointer (&reasons), FALSE);
}

static const char *
tls_version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
      return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
      return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return "?";
    }
}

static GError *
map_transport_error (Upload *upload,
                     GError *error)
{
  const char *host = upload_host (upload);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (upload->caller_cancellable != NULL && g_cancellable_is_cancelled (upload->caller_cancellable))
        return g_error_copy (error);
      if (upload->old_version != G_TLS_PROTOCOL_VERSION_UNKNOWN)
        return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TLS,
                            _("The server %s offers only %s; Printwatch needs TLS 1.2 or newer"),
                            host, tls_version_name (upload->old_version));
      if (upload->deadline_hit)
        {
          guint seconds = upload->settings->timeout * DEADLINE_FACTOR;

          return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TIMEOUT,
                              ngettext ("The upload to %s took longer than %u second",
                                        "The upload to %s took longer than %u seconds", seconds),
                              host, seconds);
        }
    }
  if (upload->certificate_errors != 0)
    {
      g_autofree char *reasons = describe_certificate_errors (upload->certificate_errors, host);

      return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TLS,
                          _("The certificate of %s is not accepted: %s"), host, reasons);
    }
  if (error->domain == G_TLS_ERROR)
    {
      switch ((GTlsError) error->code)
        {
        case G_TLS_ERROR_EOF:
          return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK,
                              _("%s closed the connection during the TLS handshake"), host);
        case G_TLS_ERROR_NOT_TLS:
          return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TLS,
                              _("%s does not speak TLS on that port: %s"), host, error->message);
        case G_TLS_ERROR_BAD_CERTIFICATE:
        case G_TLS_ERROR_UNAVAILABLE:
        case G_TLS_ERROR_MISC:
        case G_TLS_ERROR_HANDSHAKE:
        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
        case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
        case G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD:
        default:
          return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TLS,
                              _("TLS with %s failed: %s"), host, error->message);
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TIMEOUT,
                        ngettext ("%s did not answer within %u second", "%s did not answer within %u seconds",
                                  upload->settings->timeout),
                        host, upload->settings->timeout);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_AUTH_FAILED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_NEED_AUTH)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_NOT_ALLOWED))
    return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                        _("The proxy refused the connection to %s: %s"), host, error->message);
  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_PROTOCOL,
                        _("%s did not answer in HTTP: %s"), host, error->message);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK,
                        _("Cannot find the server %s: %s"), host, error->message);
  return g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK,
                      _("Cannot reach %s: %s"), host, error->message);
}

static void
upload_return_error (GTask  *task,
                     GError *error)
{
  Upload *upload = g_task_get_task_data (task);

  g_task_return_error (task, map_transport_error (upload, error));
  g_error_free (error);
}

/* Text from the server, made safe to show: valid UTF-8, one line, not too long. */
static char *
one_line (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return g_utf8_substring (valid, 0, MIN ((glong) SERVER_MESSAGE_MAX, g_utf8_strlen (valid, -1)));
}

/* The answer's "message", if it is the flat JSON object payload.md describes. */
static char *
server_message (GByteArray *response)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonNode *member;
  guint brackets = 0;

  /* json-glib parses recursively: 64 KiB of '[' must not exhaust the stack. */
  for (guint i = 0; i < response->len; i++)
    brackets += response->data[i] == '[' || response->data[i] == '{';
  if (response->len == 0 || brackets > 16
      || !json_parser_load_from_data (parser, (const char *) response->data, response->len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  member = json_object_get_member (json_node_get_object (root), "message");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return one_line (json_node_get_string (member));
}

static void
upload_complete (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  guint status = soup_message_get_status (upload->message);
  const char *reason = soup_message_get_reason_phrase (upload->message);
  const char *host = upload_host (upload);
  g_autofree char *message = server_message (upload->response);
  g_autofree char *safe_reason = one_line (reason != NULL ? reason : "");
  const char *detail = message != NULL ? message : safe_reason;
  PwUploadResult *result;

  g_debug ("%s answered %u for %s", host, status, upload->payload_id);
  if (status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED)
    {
      result = g_new0 (PwUploadResult, 1);
      result->http_status = status;
      result->acknowledged = TRUE;
      result->duplicate = status == SOUP_STATUS_OK;
      result->message = g_steal_pointer (&message);
      g_task_return_pointer (task, result, (GDestroyNotify) pw_upload_result_free);
    }
  else if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_AUTH,
                             _("%s refused the credentials (HTTP %u): %s"), host, status, detail);
  else if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429 /* Too Many Requests, RFC 6585; libsoup 3.2 has no name */
           || (status >= 500 && status <= 599))
    g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_SERVER,
                             _("%s could not take the payload now (HTTP %u): %s"), host, status, detail);
  else if (status >= 300 && status <= 399)
    /* Following it would send the credentials wherever the answer points. */
    g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                             _("%s redirects the upload elsewhere (HTTP %u); set the server URL "
                               "to the final address"), host, status);
  else if (status >= 400 && status <= 499)
    g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED,
                             _("%s rejected the payload (HTTP %u): %s"), host, status, detail);
  else
    g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_PROTOCOL,
                             _("%s answered with HTTP status %u, which the upload protocol does not "
                               "know"), host, status);
}

/* Request and response */

static void read_response (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      upload_return_error (task, error);
      return;
    }
  g_byte_array_append (upload->response, g_bytes_get_data (chunk, NULL), (guint) g_bytes_get_size (chunk));
  if (g_bytes_get_size (chunk) == 0 || upload->response->len >= RESPONSE_MAX)
    {
      g_input_stream_close_async (upload->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      upload_complete (task);
      return;
    }
  read_response (g_steal_pointer (&task));
}

static void
read_response (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (upload->stream, RESPONSE_MAX - upload->response->len,
                                   G_PRIORITY_DEFAULT, upload->cancellable, read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  GError *error = NULL;

  upload->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (upload->stream == NULL)
    {
      upload_return_error (task, error);
      return;
    }
  upload->response = g_byte_array_new ();
  read_response (g_steal_pointer (&task));
}

/* Refuse every certificate libsoup could not verify; remember why for the message. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Upload               *upload)
{
  upload->certificate_errors |= errors;
  return FALSE;
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Upload             *upload)
{
  g_autofree char *ciphersuite = NULL;
  GTlsProtocolVersion version;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKED || !G_IS_TLS_CONNECTION (connection))
    return;
  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (connection));
  ciphersuite = g_tls_connection_get_ciphersuite_name (G_TLS_CONNECTION (connection));
  g_debug ("TLS with %s: %s, %s", upload_host (upload), tls_version_name (version),
           ciphersuite != NULL ? ciphersuite : "?");
  /* UNKNOWN is a version newer than this GLib knows. */
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_0
      || version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      upload->old_version = version;
      g_cancellable_cancel (upload->cancellable);
    }
}

static gboolean
deadline_cb (gpointer user_data)
{
  Upload *upload = user_data;

  upload->deadline_hit = TRUE;
  g_cancellable_cancel (upload->cancellable);
  g_clear_pointer (&upload->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
send_request (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  PwUploadSettings *settings = upload->settings;
  SoupMessageHeaders *headers;

  upload->session = soup_session_new_with_options ("timeout", settings->timeout,
                                                   "idle-timeout", settings->timeout,
                                                   "user-agent", settings->user_agent,
                                                   NULL);
  if (upload->database != NULL)
    soup_session_set_tls_database (upload->session, upload->database);
  if (settings->proxy_uri != NULL && g_str_has_prefix (settings->proxy_uri, "direct:"))
    soup_session_set_proxy_resolver (upload->session, NULL);
  else if (settings->proxy_uri != NULL)
    {
      g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (settings->proxy_uri, NULL);

      soup_session_set_proxy_resolver (upload->session, resolver);
    }
  /* The Authorization header is ours alone: no challenge handling, no cached credentials. */
  soup_session_remove_feature_by_type (upload->session, SOUP_TYPE_AUTH_MANAGER);

  upload->message = soup_message_new_from_uri (SOUP_METHOD_POST, settings->uri);
  soup_message_add_flags (upload->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (upload->message);
  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_headers_replace (headers, "Idempotency-Key", upload->payload_id);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (settings->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", settings->authorization);
  soup_message_set_request_body_from_bytes (upload->message, "application/json", upload->body);
  g_signal_connect (upload->message, "accept-certificate", G_CALLBACK (accept_certificate_cb), upload);
  g_signal_connect (upload->message, "network-event", G_CALLBACK (network_event_cb), upload);

  upload->deadline = g_timeout_source_new_seconds (settings->timeout * DEADLINE_FACTOR);
  g_source_set_callback (upload->deadline, deadline_cb, upload, NULL);
  g_source_set_static_name (upload->deadline, "[pw-uploader] deadline");
  g_source_attach (upload->deadline, g_task_get_context (task));

  g_debug ("POST %zu bytes (%zu gzipped) to %s as %s", g_bytes_get_size (upload->json),
           g_bytes_get_size (upload->body), upload_host (upload), upload->payload_id);
  soup_session_send_async (upload->session, upload->message, G_PRIORITY_DEFAULT,
                           upload->cancellable, send_cb, task);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Prepared *prepared;
  GError *error = NULL;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  if (prepared == NULL)
    {
      if (error->domain == PW_UPLOADER_ERROR)
        g_task_return_error (task, error);
      else
        upload_return_error (task, error);
      return;
    }
  upload->body = g_steal_pointer (&prepared->body);
  upload->database = g_steal_pointer (&prepared->database);
  prepared_free (prepared);
  send_request (g_steal_pointer (&task));
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
_pw_uploader_start (PwUploader       *self,
                    PwUploadSettings *settings,
                    const char       *payload_id,
                    GBytes           *json,
                    GTask            *task)
{
  Upload *upload = g_new0 (Upload, 1);
  GCancellable *caller = g_task_get_cancellable (task);
  g_autoptr(GTask) prepare = NULL;

  upload->settings = settings;
  upload->payload_id = g_strdup (payload_id);
  upload->json = g_bytes_ref (json);
  upload->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);
  if (caller != NULL)
    {
      upload->caller_cancellable = g_object_ref (caller);
      upload->caller_handler = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled_cb),
                                                      upload->cancellable, NULL);
    }

  prepare = g_task_new (NULL, upload->cancellable, prepared_cb, g_object_ref (task));
  g_task_set_source_tag (prepare, _pw_uploader_start);
  g_task_set_task_data (prepare, upload, NULL);
  g_task_run_in_thread (prepare, prepare_worker);
}
