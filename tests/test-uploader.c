/* test-uploader.c: PwUploader against printwatch-collector over real TLS, and against small
 * servers in this process (plain HTTP on loopback) that answer what the case needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-payload.h"
#include "pw-test-utils.h"
#include "servers/pw-test-http.h"
#include "servers/pw-test-tls.h"

#include <libsoup/soup.h>
#include <string.h>

#define CREDENTIALS "alice:secret1\ntoken:tok-123_abc\n"

static PwTestPki *pki;
static JsonNode *sample;
static char *skip_reason;

static gboolean
need_pki (void)
{
  if (pki != NULL)
    return TRUE;
  g_test_skip (skip_reason);
  return FALSE;
}

typedef struct {
  gboolean        done;
  PwUploadResult *result;
  GError         *error;
} Wait;

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = pw_uploader_upload_finish (PW_UPLOADER (object), result, &wait->error);
  g_assert_true ((wait->result == NULL) != (wait->error == NULL));
  wait->done = TRUE;
}

static PwUploadResult *
upload (PwUploader    *uploader,
        const char    *payload_id,
        GBytes        *json,
        GCancellable  *cancellable,
        GError       **error)
{
  Wait wait = { 0 };

  pw_uploader_upload_async (uploader, payload_id, json, cancellable, upload_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL)
    {
      g_test_message ("upload failed: %s", wait.error->message);
      g_propagate_error (error, wait.error);
    }
  return wait.result;
}

/* Uploads the sample with a fresh id and expects @code, with @fragment in the message. */
static void
expect_error (PwUploader *uploader,
              GQuark      domain,
              int         code,
              const char *fragment)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwUploadResult) result = upload (uploader, key, json, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, domain, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static PwTestServer *
start_collector (const char *certificate,
                 const char *key)
{
  g_autoptr(GError) error = NULL;
  PwTestServer *server = pw_test_collector_start (certificate, key, CREDENTIALS, NULL, &error);

  g_assert_no_error (error);
  return server;
}

static PwUploader *
uploader_for (PwTestServer *server,
              const char   *ca_file)
{
  PwUploader *uploader = pw_uploader_new ();
  g_autofree char *url = pw_test_server_get_url (server);

  pw_uploader_set_server_url (uploader, url);
  pw_uploader_set_ca_file (uploader, ca_file);
  pw_uploader_set_auth_basic (uploader, "alice", "secret1");
  return uploader;
}

static void
stop_collector (PwTestServer *server)
{
  g_assert_cmpint (pw_test_server_stop (server), ==, 0);
  pw_test_server_free (server);
}

static void
test_success (void)
{
  PwTestServer *server;
  g_autoptr(PwUploader) uploader = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwUploadResult) first = NULL;
  g_autoptr(PwUploadResult) second = NULL;
  g_autoptr(PwUploadResult) third = NULL;

  if (!need_pki ())
    return;
  server = start_collector (pki->server_cert, pki->server_key);
  uploader = uploader_for (server, pki->ca_file);
  json = pw_test_payload_with_id (sample, &key);

  first = upload (uploader, key, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->http_status, ==, 201);
  g_assert_true (first->acknowledged);
  g_assert_false (first->duplicate);
  g_assert_cmpstr (first->message, ==, "stored");

  second = upload (uploader, key, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->http_status, ==, 200);
  g_assert_true (second->acknowledged);
  g_assert_true (second->duplicate);

  /* A bearer token, on another payload. */
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&json, g_bytes_unref);
  json = pw_test_payload_with_id (sample, &key);
  pw_uploader_set_auth_bearer (uploader, "tok-123_abc");
  third = upload (uploader, key, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (third->http_status, ==, 201);

  stop_collector (server);
}

static void
test_certificate (gconstpointer data)
{
  const char *which = data;
  PwTestServer *server;
  g_autoptr(PwUploader) uploader = NULL;
  const char *ca_file = pki != NULL ? pki->ca_file : NULL;
  const char *fragment;

  if (!need_pki ())
    return;
  if (g_str_equal (which, "untrusted"))
    {
      server = start_collector (pki->server_cert, pki->server_key);
      ca_file = NULL;  /* the system's CAs do not know the test CA */
      fragment = "trusted certificate authority";
    }
  else if (g_str_equal (which, "expired"))
    {
      server = start_collector (pki->expired_cert, pki->expired_key);
      fragment = "expired";
    }
  else if (g_str_equal (which, "not-yet-valid"))
    {
      server = start_collector (pki->future_cert, pki->future_key);
      fragment = "not valid yet";
    }
  else
    {
      server = start_collector (pki->wrong_host_cert, pki->wrong_host_key);
      fragment = "another host, not 127.0.0.1";
    }
  uploader = uploader_for (server, ca_file);
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TLS, fragment);
  stop_collector (server);
}

static void
test_wrong_password (void)
{
  PwTestServer *server;
  g_autoptr(PwUploader) uploader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = NULL;

  if (!need_pki ())
    return;
  server = start_collector (pki->server_cert, pki->server_key);
  uploader = uploader_for (server, pki->ca_file);
  pw_uploader_set_auth_basic (uploader, "alice", "secret2");
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_AUTH, "401");
  pw_uploader_set_auth_none (uploader);
  json = pw_test_payload_with_id (sample, &key);
  g_assert_null (upload (uploader, key, json, NULL, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_AUTH);
  g_assert_false (pw_uploader_error_is_retryable (error));
  stop_collector (server);
}

/* The server's reason reaches the caller. */
static void
test_rejected (void)
{
  PwTestServer *server;
  g_autoptr(PwUploader) uploader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *text = g_strdup_printf ("{\"format\": 2, \"payload_id\": \"%s\"}", key);
  g_autoptr(GBytes) json = g_bytes_new (text, strlen (text));

  if (!need_pki ())
    return;
  server = start_collector (pki->server_cert, pki->server_key);
  uploader = uploader_for (server, pki->ca_file);
  g_assert_null (upload (uploader, key, json, NULL, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "not format 1"));
  g_assert_false (pw_uploader_error_is_retryable (error));
  stop_collector (server);
}

/* TLS 1.1 only (openssl s_server, security level 0 as OpenSSL 3 needs for it). */
static void
test_tls_1_1 (void)
{
  const char * const args[] = { "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", NULL };
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(PwUploader) uploader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (!need_pki ())
    return;
  server = pw_test_s_server_start (pki->server_cert, pki->server_key, args, &error);
  g_assert_no_error (error);
  uploader = uploader_for (server, pki->ca_file);
  pw_uploader_set_timeout (uploader, 5);
  /* glib-networking's GnuTLS on Debian 12 does negotiate TLS 1.1; the uploader refuses it
   * right after the handshake, before it sends anything: s_server (without -www) prints
   * whatever it receives, and saw no request. */
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TLS, "TLS 1.2");
  output = pw_test_server_get_output (server);
  g_test_message ("s_server: %s", output);
  g_assert_null (strstr (output, "POST"));
  g_assert_null (strstr (output, "Idempotency-Key"));
}

static PwUploader *
uploader_for_port (guint16 port)
{
  PwUploader *uploader = pw_uploader_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/uploads", port);

  pw_uploader_set_server_url (uploader, url);
  return uploader;
}

static char *
gunzip (GBytes *data)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) memory = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) stream = g_converter_input_stream_new (memory, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* What goes over the wire: payload.md's headers and a gzipped body. */
static void
test_request_headers (void)
{
  g_autoptr(PwTestFake) fake = pw_test_fake_start (201, "application/json",
                                     "{\"status\": \"stored\", \"message\": \"ok\\u0007\\nthanks\"}");
  g_autoptr(PwUploader) uploader = uploader_for_port (fake->port);
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwUploadResult) result = NULL;
  g_autofree char *body = NULL;
  g_autofree char *user_agent = g_strdup_printf ("Printwatch/%s", "0.1.0");

  pw_uploader_set_auth_bearer (uploader, "tok-123_abc");
  result = upload (uploader, key, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->http_status, ==, 201);
  /* Control characters from the server are not passed on. */
  g_assert_cmpstr (result->message, ==, "ok  thanks");

  g_assert_cmpuint (fake->requests, ==, 1);
  g_assert_cmpstr (soup_message_headers_get_content_type (fake->last_headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (fake->last_headers, "Content-Encoding"), ==, "gzip");
  g_assert_cmpstr (soup_message_headers_get_one (fake->last_headers, "Idempotency-Key"), ==, key);
  g_assert_cmpstr (soup_message_headers_get_one (fake->last_headers, "Authorization"), ==, "Bearer tok-123_abc");
  g_assert_cmpstr (soup_message_headers_get_one (fake->last_headers, "User-Agent"), ==, user_agent);
  g_assert_cmpstr (pw_uploader_get_user_agent (uploader), ==, user_agent);
  body = gunzip (fake->last_body);
  g_assert_cmpstr (body, ==, g_bytes_get_data (json, NULL));
}

static void
test_status (gconstpointer data)
{
  static const struct {
    guint       status;
    const char *content_type;
    const char *body;
    int         code;
    gboolean    retryable;
    const char *fragment;
  } cases[] = {
    { 500, "application/json", "{\"status\": \"error\", \"message\": \"disk full\"}",
      PW_UPLOADER_ERROR_SERVER, TRUE, "disk full" },
    { 503, "text/html", "<html>maintenance</html>", PW_UPLOADER_ERROR_SERVER, TRUE, "503" },
    { 429, NULL, NULL, PW_UPLOADER_ERROR_SERVER, TRUE, "429" },
    { 413, "application/json", "{\"status\": \"too-large\", \"message\": \"over 16 MiB\"}",
      PW_UPLOADER_ERROR_REJECTED, FALSE, "over 16 MiB" },
    { 415, NULL, NULL, PW_UPLOADER_ERROR_REJECTED, FALSE, "415" },
    { 404, NULL, NULL, PW_UPLOADER_ERROR_REJECTED, FALSE, "404" },
    { 403, NULL, NULL, PW_UPLOADER_ERROR_AUTH, FALSE, "403" },
    { 302, NULL, NULL, PW_UPLOADER_ERROR_CONFIG, FALSE, "redirect" },
    { 204, NULL, NULL, PW_UPLOADER_ERROR_PROTOCOL, TRUE, "204" },
    { 202, "application/json", "{}", PW_UPLOADER_ERROR_PROTOCOL, TRUE, "202" },
  };
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(PwTestFake) fake = pw_test_fake_start (cases[i].status, cases[i].content_type, cases[i].body);
  g_autoptr(PwUploader) uploader = uploader_for_port (fake->port);
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;

  if (cases[i].status == 302)
    fake->location = "https://elsewhere.invalid/upload";
  g_assert_null (upload (uploader, key, json, NULL, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, cases[i].code);
  g_assert_cmpint (pw_uploader_error_is_retryable (error), ==, cases[i].retryable);
  g_assert_nonnull (strstr (error->message, cases[i].fragment));
  /* Not followed, not retried by libsoup. */
  g_assert_cmpuint (fake->requests, ==, 1);
}

/* An answer built to hurt: deep nesting, far too long. The uploader reads 64 KiB of it. */
static void
test_hostile_answer (void)
{
  g_autofree char *nested = g_strnfill (200000, '[');
  g_autoptr(PwTestFake) fake = pw_test_fake_start (500, "application/json", nested);
  g_autoptr(PwUploader) uploader = uploader_for_port (fake->port);

  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_SERVER, "500");
}

static void
test_timeout (void)
{
  g_autoptr(PwTestSilent) silent = pw_test_silent_start ();
  g_autoptr(PwUploader) uploader = uploader_for_port (silent->port);
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;

  pw_uploader_set_timeout (uploader, 1);
  g_assert_null (upload (uploader, key, json, NULL, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TIMEOUT);
  g_assert_true (pw_uploader_error_is_retryable (error));
  g_assert_cmpuint (silent->connections->len, ==, 1);
}

static void
test_refused (void)
{
  g_autoptr(PwUploader) uploader = uploader_for_port (pw_test_closed_port ());
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;

  pw_uploader_set_proxy_uri (uploader, "direct://");
  g_assert_null (upload (uploader, key, json, NULL, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK);
  g_assert_true (pw_uploader_error_is_retryable (error));
}

static void
test_cancel (void)
{
  g_autoptr(PwTestSilent) silent = pw_test_silent_start ();
  g_autoptr(PwUploader) uploader = uploader_for_port (silent->port);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) early = NULL;

  /* Cancelled while the server keeps it waiting (the timeout is a minute). */
  silent->cancel_on_accept = cancellable;
  g_assert_null (upload (uploader, key, json, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (pw_uploader_error_is_retryable (error));

  /* Cancelled before it starts. */
  g_cancellable_cancel (already);
  g_assert_null (upload (uploader, key, json, already, &early));
  g_assert_error (early, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* An explicit proxy gets the request (libsoup sends plain-HTTP requests to an HTTP proxy in
 * absolute form); "direct://" goes around it. */
static void
test_proxy (void)
{
  g_autoptr(PwTestFake) proxy = pw_test_fake_start (201, "application/json", "{\"status\": \"stored\"}");
  guint16 nobody = pw_test_closed_port ();
  g_autoptr(PwUploader) uploader = uploader_for_port (nobody);
  g_autofree char *proxy_uri = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwUploadResult) result = NULL;
  g_autofree char *expected_uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/uploads", nobody);

  pw_uploader_set_proxy_uri (uploader, proxy_uri);
  result = upload (uploader, key, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->http_status, ==, 201);
  g_assert_cmpuint (proxy->requests, ==, 1);
  g_assert_cmpstr (proxy->last_uri, ==, expected_uri);

  pw_uploader_set_proxy_uri (uploader, "direct://");
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK, NULL);
  g_assert_cmpuint (proxy->requests, ==, 1);
}

/* Settings the uploader refuses before any traffic. */
static void
test_config (void)
{
  g_autoptr(PwUploader) uploader = pw_uploader_new ();
  g_autofree char *missing_ca = g_build_filename (g_get_tmp_dir (), "pw-no-such-ca.pem", NULL);
  static const struct {
    const char *url;
    const char *fragment;
  } urls[] = {
    { "http://192.0.2.1/api/v1/uploads", "loopback" },
    { "http://collector.example/api/v1/uploads", "loopback" },
    { "ftp://127.0.0.1/api/v1/uploads", "https://" },
    { "https://alice:secret1@127.0.0.1/api/v1/uploads", "user name or password" },
    { "not a url", "not valid" },
    { "https:///api/v1/uploads", NULL },
  };

  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, "No server URL");
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      pw_uploader_set_server_url (uploader, urls[i].url);
      expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, urls[i].fragment);
    }

  pw_uploader_set_server_url (uploader, "https://127.0.0.1:9/api/v1/uploads");
  pw_uploader_set_auth_basic (uploader, "al:ice", "secret1");
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, "colon");
  pw_uploader_set_auth_basic (uploader, "alice", "line\nbreak");
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, "control characters");
  pw_uploader_set_auth_bearer (uploader, "tok\r\nX-Injected: 1");
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, "token");
  pw_uploader_set_auth_none (uploader);

  pw_uploader_set_proxy_uri (uploader, "gopher://proxy");
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, "proxy");
  pw_uploader_set_proxy_uri (uploader, NULL);

  pw_uploader_set_ca_file (uploader, missing_ca);
  expect_error (uploader, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG, "CA file");
}

static void
test_bad_payload (void)
{
  g_autoptr(PwUploader) uploader = uploader_for_port (9);
  g_autoptr(GBytes) json = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) empty_error = NULL;
  g_autofree char *key = g_uuid_string_random ();

  g_assert_null (upload (uploader, "x\r\nX-Injected: 1", json, NULL, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED);
  g_assert_null (upload (uploader, key, empty, NULL, &empty_error));
  g_assert_error (empty_error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_properties (void)
{
  g_autoptr(PwUploader) uploader = pw_uploader_new ();
  guint notified = 0;
  g_autofree char *url = NULL;
  guint timeout = 0;
  PwUploaderAuth auth = PW_UPLOADER_AUTH_BASIC;

  g_assert_cmpuint (pw_uploader_get_timeout (uploader), ==, PW_UPLOADER_DEFAULT_TIMEOUT);
  g_assert_cmpint (pw_uploader_get_auth (uploader), ==, PW_UPLOADER_AUTH_NONE);
  g_assert_null (pw_uploader_get_server_url (uploader));
  g_assert_null (pw_uploader_get_ca_file (uploader));
  g_assert_null (pw_uploader_get_proxy_uri (uploader));
  g_assert_true (g_str_has_prefix (pw_uploader_get_user_agent (uploader), "Printwatch/"));

  g_signal_connect (uploader, "notify", G_CALLBACK (notify_cb), &notified);
  pw_uploader_set_server_url (uploader, "https://collector.example/api/v1/uploads");
  pw_uploader_set_server_url (uploader, "https://collector.example/api/v1/uploads");
  g_assert_cmpuint (notified, ==, 1);
  pw_uploader_set_ca_file (uploader, "");  /* empty is unset */
  g_assert_cmpuint (notified, ==, 1);
  pw_uploader_set_timeout (uploader, 0);  /* clamped to 1 */
  pw_uploader_set_auth_bearer (uploader, "t");
  pw_uploader_set_auth_bearer (uploader, "u");
  g_assert_cmpuint (notified, ==, 3);
  g_object_get (uploader, "server-url", &url, "timeout", &timeout, "auth", &auth, NULL);
  g_assert_cmpstr (url, ==, "https://collector.example/api/v1/uploads");
  g_assert_cmpuint (timeout, ==, 1);
  g_assert_cmpint (auth, ==, PW_UPLOADER_AUTH_BEARER);
  /* No property shows a secret. */
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (uploader), "password"));
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (uploader), "token"));
}

static void
test_retryable (void)
{
  static const struct {
    int      code;
    gboolean retryable;
  } cases[] = {
    { PW_UPLOADER_ERROR_CONFIG, FALSE }, { PW_UPLOADER_ERROR_TLS, FALSE },
    { PW_UPLOADER_ERROR_AUTH, FALSE }, { PW_UPLOADER_ERROR_REJECTED, FALSE },
    { PW_UPLOADER_ERROR_SERVER, TRUE }, { PW_UPLOADER_ERROR_PROTOCOL, TRUE },
    { PW_UPLOADER_ERROR_NETWORK, TRUE }, { PW_UPLOADER_ERROR_TIMEOUT, TRUE },
  };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (PW_UPLOADER_ERROR, cases[i].code, "x");

      g_assert_cmpint (pw_uploader_error_is_retryable (error), ==, cases[i].retryable);
    }
  g_assert_false (pw_uploader_error_is_retryable (NULL));
  g_assert_false (pw_uploader_error_is_retryable (cancelled));
  g_assert_false (pw_uploader_error_is_retryable (other));
}

static void
test_backoff (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  guint below_half = 0;
  guint above_half = 0;

  for (guint attempt = 0; attempt < 200; attempt++)
    {
      guint ceiling = attempt >= 20 ? PW_UPLOADER_BACKOFF_CAP
                      : MIN (PW_UPLOADER_BACKOFF_CAP, PW_UPLOADER_BACKOFF_BASE << attempt);

      for (guint i = 0; i < 500; i++)
        {
          guint with_rand = pw_uploader_backoff_delay (attempt, rand);
          guint global = pw_uploader_backoff_delay (attempt, NULL);

          g_assert_cmpuint (with_rand, >=, 1);
          g_assert_cmpuint (with_rand, <=, ceiling);
          g_assert_cmpuint (global, >=, 1);
          g_assert_cmpuint (global, <=, ceiling);
          if (attempt == 30)
            {
              below_half += with_rand < ceiling / 2;
              above_half += with_rand > ceiling / 2;
            }
        }
    }
  /* Jitter spreads the delays over the whole window. */
  g_assert_cmpuint (below_half, >, 100);
  g_assert_cmpuint (above_half, >, 100);
  g_assert_cmpuint (pw_uploader_backoff_delay (G_MAXUINT, NULL), <=, PW_UPLOADER_BACKOFF_CAP);
  /* The same seed, the same delays. */
  {
    g_autoptr(GRand) a = g_rand_new_with_seed (7);
    g_autoptr(GRand) b = g_rand_new_with_seed (7);

    for (guint i = 0; i < 20; i++)
      g_assert_cmpuint (pw_uploader_backoff_delay (i, a), ==, pw_uploader_backoff_delay (i, b));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  pw_test_init (&argc, &argv, TRUE);
  /* The system's proxy settings would otherwise decide where loopback requests go. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("ALL_PROXY");
  sample = pw_test_payload_load ("sample.json");
  pki = pw_test_pki_new (&error);
  if (pki == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    skip_reason = g_strdup (error->message);
  else if (pki == NULL || g_getenv ("PW_COLLECTOR") == NULL)
    g_error ("cannot make the test certificates: %s", error != NULL ? error->message : "no $PW_COLLECTOR");

  g_test_add_func ("/uploader/success", test_success);
  g_test_add_data_func ("/uploader/certificate/untrusted", "untrusted", test_certificate);
  g_test_add_data_func ("/uploader/certificate/expired", "expired", test_certificate);
  g_test_add_data_func ("/uploader/certificate/not-yet-valid", "not-yet-valid", test_certificate);
  g_test_add_data_func ("/uploader/certificate/wrong-host", "wrong-host", test_certificate);
  g_test_add_func ("/uploader/wrong-password", test_wrong_password);
  g_test_add_func ("/uploader/rejected", test_rejected);
  g_test_add_func ("/uploader/tls-1.1", test_tls_1_1);
  g_test_add_func ("/uploader/request-headers", test_request_headers);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *path = g_strdup_printf ("/uploader/status/%u", i);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_status);
    }
  g_test_add_func ("/uploader/hostile-answer", test_hostile_answer);
  g_test_add_func ("/uploader/timeout", test_timeout);
  g_test_add_func ("/uploader/refused", test_refused);
  g_test_add_func ("/uploader/cancel", test_cancel);
  g_test_add_func ("/uploader/proxy", test_proxy);
  g_test_add_func ("/uploader/config", test_config);
  g_test_add_func ("/uploader/bad-payload", test_bad_payload);
  g_test_add_func ("/uploader/properties", test_properties);
  g_test_add_func ("/uploader/retryable", test_retryable);
  g_test_add_func ("/uploader/backoff", test_backoff);
  status = g_test_run ();

  g_clear_pointer (&pki, pw_test_pki_free);
  g_clear_pointer (&sample, json_node_unref);
  g_free (skip_reason);
  return status;
}
