/* test-collector-connections.c: printwatch-collector against clients that would hold its
 * connections (slow-loris).
 *
 * Clients trickle a byte every 250 ms, well within the read timeout, and never finish their
 * TLS handshake, their headers or their body, all from 127.0.0.2. They hold as many
 * connections as one address may (the rest are refused at once); an upload by PwUploader from
 * 127.0.0.1 goes through meanwhile, and each trickler is dropped at its deadline
 * (--request-timeout 5) instead of keeping its connection for ever. Timings are printed: the
 * upload should not wait for tricklers, which get no TLS handshake thread before their
 * ClientHello is in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-payload.h"
#include "pw-test-utils.h"
#include "servers/pw-test-tls.h"

#include <string.h>

#define ALICE "Basic YWxpY2U6c2VjcmV0MQ=="   /* alice:secret1 */

typedef enum {
  TRICKLE_HANDSHAKE,
  TRICKLE_HEADERS,
  TRICKLE_BODY,
  N_TRICKLES
} TrickleKind;

#define TLS_TRICKLERS      4   /* of the kinds past the TLS handshake: headers, body */
#define MAX_PER_ADDRESS    32  /* PW_COLLECTOR_DEFAULT_MAX_CLIENTS_PER_ADDRESS */
#define REFUSED            8

typedef struct {
  TrickleKind        kind;
  GSocketConnection *tcp;
  GIOStream         *tls;         /* nullable */
  gint64             dropped_at;  /* 0: still connected */
} Trickler;

static void
trickler_free (Trickler *trickler)
{
  g_clear_object (&trickler->tls);
  g_object_unref (trickler->tcp);
  g_free (trickler);
}

static Trickler *
trickler_new (TrickleKind   kind,
              guint16       port,
              GTlsDatabase *ca)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) loopback_2 = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback_2, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", port);
  Trickler *trickler = g_new0 (Trickler, 1);
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *start = NULL;

  trickler->kind = kind;
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_local_address (client, local);
  trickler->tcp = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (trickler->tcp), 10);
  if (kind == TRICKLE_HANDSHAKE)
    {
      /* A TLS record header promising 512 bytes of ClientHello. */
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (trickler->tcp)),
                                                "\x16\x03\x01\x02\x00", 5, NULL, NULL, &error));
      return trickler;
    }
  trickler->tls = g_tls_client_connection_new (G_IO_STREAM (trickler->tcp), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (trickler->tls), ca);
  g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (trickler->tls), NULL, &error));
  if (kind == TRICKLE_HEADERS)
    start = g_strdup ("POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ");
  else
    start = g_strdup_printf ("POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s\r\n"
                             "Content-Type: application/json\r\nIdempotency-Key: %s\r\n"
                             "Content-Length: 60000\r\n\r\n{", ALICE, key);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (trickler->tls), start, strlen (start),
                                            NULL, NULL, &error));
  return trickler;
}

/* One more byte; TRUE while the collector keeps the connection. */
static gboolean
trickle (Trickler *trickler)
{
  GSocket *socket = g_socket_connection_get_socket (trickler->tcp);
  GIOStream *stream = trickler->tls != NULL ? trickler->tls : G_IO_STREAM (trickler->tcp);
  GIOCondition condition = g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR);
  char buffer[256];

  /* What it says when it lets go: the end of the stream, a reset, or an answer and then those. */
  if (condition & (G_IO_HUP | G_IO_ERR))
    return FALSE;
  if ((condition & G_IO_IN) && g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, NULL) <= 0)
    return FALSE;
  return g_output_stream_write (g_io_stream_get_output_stream (stream), " ", 1, NULL, NULL) == 1;
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* The sample payload, as an agent sends it. */
static void
upload_one (PwTestServer *server,
            PwTestPki    *pki)
{
  g_autoptr(PwUploader) uploader = pw_uploader_new ();
  g_autoptr(JsonNode) sample = pw_test_payload_load ("sample.json");
  g_autofree char *url = pw_test_server_get_url (server);
  g_autofree char *key = NULL;
  g_autoptr(GBytes) json = pw_test_payload_with_id (sample, &key);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(PwUploadResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pw_uploader_set_server_url (uploader, url);
  pw_uploader_set_ca_file (uploader, pki->ca_file);
  pw_uploader_set_auth_basic (uploader, "alice", "secret1");
  pw_uploader_upload_async (uploader, key, json, NULL, uploaded_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = pw_uploader_upload_finish (uploader, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->http_status, ==, 201);
}

static void
test_slow_loris (void)
{
  const char * const args[] = { "--read-timeout=2", "--request-timeout=5", NULL };
  static const char * const kind_names[N_TRICKLES] = { "the TLS handshake", "the headers", "the body" };
  g_autoptr(PwTestPki) pki = NULL;
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(GTlsDatabase) ca = NULL;
  g_autoptr(GPtrArray) tricklers = g_ptr_array_new_with_free_func ((GDestroyNotify) trickler_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  gint64 started, upload_took = 0, slowest[N_TRICKLES] = { 0 };
  guint connected;

  if ((pki = pw_test_pki_new (&error)) == NULL
      || (server = pw_test_collector_start (pki->server_cert, pki->server_key, "alice:secret1\n", args,
                                            &error)) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error ("%s", error->message);
      g_test_skip (error->message);
      return;
    }
  ca = g_tls_file_database_new (pki->ca_file, &error);
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < 2 * TLS_TRICKLERS; i++)
    g_ptr_array_add (tricklers, trickler_new (i % 2 ? TRICKLE_BODY : TRICKLE_HEADERS, pw_test_server_get_port (server),
                                              ca));
  while (tricklers->len < MAX_PER_ADDRESS + REFUSED)
    g_ptr_array_add (tricklers, trickler_new (TRICKLE_HANDSHAKE, pw_test_server_get_port (server), ca));
  g_test_message ("%u tricklers connected in %" G_GINT64_FORMAT " ms", tricklers->len,
                  (g_get_monotonic_time () - started) / 1000);
  do
    {
      gint64 now;

      g_usleep (250 * 1000);
      now = g_get_monotonic_time ();
      connected = 0;
      for (guint i = 0; i < tricklers->len; i++)
        {
          Trickler *trickler = tricklers->pdata[i];

          if (trickler->dropped_at == 0 && !trickle (trickler))
            trickler->dropped_at = now;
          connected += trickler->dropped_at == 0;
        }
      /* The ones over the limit refused, the others connected and trickling: an upload goes
       * through. */
      if (upload_took == 0 && connected <= MAX_PER_ADDRESS)
        {
          gint64 before = g_get_monotonic_time ();

          for (guint i = 0; i < tricklers->len; i++)
            if (i < MAX_PER_ADDRESS)
              g_assert_cmpint (((Trickler *) tricklers->pdata[i])->dropped_at, ==, 0);
            else
              g_assert_cmpint (((Trickler *) tricklers->pdata[i])->dropped_at, >, 0);
          upload_one (server, pki);
          upload_took = MAX (g_get_monotonic_time () - before, 1);
        }
    }
  while (connected > 0 && g_get_monotonic_time () - started < 30 * G_USEC_PER_SEC);
  g_assert_cmpint (upload_took, >, 0);

  g_test_message ("the upload beside %u tricklers took %" G_GINT64_FORMAT " ms", MAX_PER_ADDRESS,
                  upload_took / 1000);
  for (guint i = 0; i < tricklers->len; i++)
    {
      Trickler *trickler = tricklers->pdata[i];

      g_assert_cmpint (trickler->dropped_at, >, 0);
      slowest[trickler->kind] = MAX (slowest[trickler->kind], trickler->dropped_at - started);
    }
  for (guint kind = 0; kind < N_TRICKLES; kind++)
    g_test_message ("tricklers of %s dropped within %" G_GINT64_FORMAT " ms", kind_names[kind],
                    slowest[kind] / 1000);
  output = pw_test_server_get_output (server);
  g_assert_nonnull (strstr (output, "127.0.0.2: dropped, no whole request within 5 s"));
  g_assert_nonnull (strstr (output, "127.0.0.2: refused, too many connections from there"));
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/collector-connections/slow-loris", test_slow_loris);

  return g_test_run ();
}
