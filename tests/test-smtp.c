/* test-smtp.c: PwSmtp against real SMTP servers on loopback.
 *
 * aiosmtpd (servers/pw-test-smtp.py) in plain SMTP, STARTTLS, TLS and with
 * AUTH, with a CA the test makes; a server that refuses (550) or defers
 * (451); one that accepts the connection and stays silent; a port nothing
 * listens on. Each failure must come back as the right PwSmtpError, in
 * words, and retryable only when a later try can work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-utils.h"
#include "servers/pw-test-smtp.h"

#include <string.h>

#define FROM "printwatch@example.com"

static const char * const recipients[] = { "admin@example.com", "it@example.com", NULL };

static const char message_text[] =
  "From: Printwatch <" FROM ">\r\n"
  "To: admin@example.com, it@example.com\r\n"
  "Subject: A test\r\n"
  "Date: Tue, 03 Mar 2026 09:14:05 +0000\r\n"
  "Message-ID: <test-smtp@example.com>\r\n"
  "\r\n"
  "Hello.\r\n"
  ".A line that starts with a dot.\r\n";

typedef struct {
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
sent_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_smtp_send_finish (PW_SMTP (source), res, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Sends the test message the way the notifier does: on a worker, the main loop running. */
static gboolean
send (PwSmtp        *smtp,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(GBytes) message = g_bytes_new_static (message_text, strlen (message_text));
  Wait wait = { g_main_loop_new (NULL, FALSE), FALSE, NULL };

  pw_smtp_send_async (smtp, FROM, recipients, message, cancellable, sent_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static PwTestServer *
start_or_skip (const PwTestSmtpOptions *options)
{
  g_autoptr(GError) error = NULL;
  PwTestServer *server = pw_test_smtp_start (options, &error);

  if (server == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error ("%s", error->message);
      g_test_skip (error->message);
    }
  return server;
}

static PwTestPki *
pki_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  PwTestPki *pki = pw_test_pki_new (&error);

  if (pki == NULL)
    g_test_skip (error->message);
  return pki;
}

static guint
count_messages (PwTestServer *server)
{
  g_autoptr(GPtrArray) messages = pw_test_smtp_messages (server);

  return messages->len;
}

static void
test_plain (void)
{
  PwTestSmtpOptions options = { 0 };
  g_autoptr(PwTestServer) server = start_or_skip (&options);
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *message;
  JsonArray *to;

  if (server == NULL)
    return;
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_NONE);
  g_assert_true (send (smtp, NULL, &error));
  g_assert_no_error (error);

  messages = pw_test_smtp_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  message = messages->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, FROM);
  to = json_object_get_array_member (message, "rcpt_tos");
  g_assert_cmpuint (json_array_get_length (to), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (to, 0), ==, "admin@example.com");
  g_assert_cmpstr (json_array_get_string_element (to, 1), ==, "it@example.com");
  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==, "A test");
  g_assert_false (json_object_get_boolean_member (message, "tls"));
  /* SMTP's dot-stuffing undone at the other end: the line arrives as it was. */
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_array_get_object_element (json_object_get_array_member (message, "parts"), 0),
                              "text"), "\n.A line that starts with a dot."));
}

static void
test_starttls_auth (void)
{
  g_autoptr(PwTestPki) pki = pki_or_skip ();
  PwTestSmtpOptions options = { NULL, pki != NULL ? pki->server_cert : NULL, pki != NULL ? pki->server_key : NULL,
                                FALSE, "printwatch:s3cret-mail" };
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  if (pki == NULL || (server = start_or_skip (&options)) == NULL)
    return;
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_STARTTLS);
  pw_smtp_set_ca_file (smtp, pki->ca_file);

  /* A wrong password: refused, in words, and not worth trying again as it is. */
  pw_smtp_set_credentials (smtp, "printwatch", "wrong");
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_AUTH);
  g_assert_false (pw_smtp_error_is_retryable (error));
  g_assert_null (strstr (error->message, "wrong"));
  g_clear_error (&error);

  /* Without signing in, the server wants it. */
  pw_smtp_set_credentials (smtp, NULL, NULL);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_AUTH);
  g_clear_error (&error);

  pw_smtp_set_credentials (smtp, "printwatch", "s3cret-mail");
  g_assert_true (send (smtp, NULL, &error));
  g_assert_no_error (error);
  messages = pw_test_smtp_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_true (json_object_get_boolean_member (messages->pdata[0], "tls"));
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "auth_login"), ==, "printwatch");
}

/* The certificate is checked: without the test's CA, nothing is sent. */
static void
test_untrusted (void)
{
  g_autoptr(PwTestPki) pki = pki_or_skip ();
  PwTestSmtpOptions options = { NULL, pki != NULL ? pki->server_cert : NULL, pki != NULL ? pki->server_key : NULL,
                                FALSE, NULL };
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL || (server = start_or_skip (&options)) == NULL)
    return;
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_STARTTLS);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TLS);
  g_assert_false (pw_smtp_error_is_retryable (error));
  g_clear_error (&error);

  /* A certificate for another host, from the right CA. */
  g_clear_pointer (&server, pw_test_server_free);
  options.certificate = pki->wrong_host_cert;
  options.key = pki->wrong_host_key;
  server = start_or_skip (&options);
  g_assert_nonnull (server);
  g_clear_object (&smtp);
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_STARTTLS);
  pw_smtp_set_ca_file (smtp, pki->ca_file);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TLS);
  g_assert_cmpuint (count_messages (server), ==, 0);
}

/* "starttls" and a server without it: refused, not sent in the clear. */
static void
test_no_starttls (void)
{
  PwTestSmtpOptions options = { 0 };
  g_autoptr(PwTestServer) server = start_or_skip (&options);
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;

  if (server == NULL)
    return;
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_STARTTLS);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "STARTTLS"));
  g_assert_cmpuint (count_messages (server), ==, 0);
}

static void
test_implicit_tls (void)
{
  g_autoptr(PwTestPki) pki = pki_or_skip ();
  PwTestSmtpOptions options = { NULL, pki != NULL ? pki->server_cert : NULL, pki != NULL ? pki->server_key : NULL,
                                TRUE, NULL };
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  if (pki == NULL || (server = start_or_skip (&options)) == NULL)
    return;
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_TLS);
  pw_smtp_set_ca_file (smtp, pki->ca_file);
  g_assert_true (send (smtp, NULL, &error));
  g_assert_no_error (error);
  messages = pw_test_smtp_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_true (json_object_get_boolean_member (messages->pdata[0], "tls"));
}

/* A server that speaks TLS 1.1 at most: refused in the handshake, before any SMTP (s_server
 * without -www prints whatever it receives, and saw no EHLO). */
static void
test_tls_1_1 (void)
{
  g_autoptr(PwTestPki) pki = pki_or_skip ();
  const char * const args[] = { "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", NULL };
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (pki == NULL)
    return;
  server = pw_test_s_server_start (pki->server_cert, pki->server_key, args, &error);
  g_assert_no_error (error);
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_TLS);
  pw_smtp_set_ca_file (smtp, pki->ca_file);
  pw_smtp_set_timeout (smtp, 5);
  g_assert_false (send (smtp, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TLS);
  output = pw_test_server_get_output (server);
  g_test_message ("s_server: %s", output);
  g_assert_null (strstr (output, "EHLO"));
}

/* 550 and 451: the server's own words come back, and only 451 is worth retrying. */
static void
test_refused (void)
{
  PwTestSmtpOptions options = { "refuse" };
  g_autoptr(PwTestServer) server = start_or_skip (&options);
  g_autoptr(PwSmtp) smtp = NULL;
  g_autoptr(GError) error = NULL;

  if (server == NULL)
    return;
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_NONE);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_REJECTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "550"));
  g_assert_nonnull (strstr (error->message, "Access denied"));
  g_assert_false (pw_smtp_error_is_retryable (error));
  g_clear_error (&error);

  g_clear_pointer (&server, pw_test_server_free);
  options.mode = "tempfail";
  server = start_or_skip (&options);
  g_assert_nonnull (server);
  g_clear_object (&smtp);
  smtp = pw_smtp_new ("127.0.0.1", pw_test_server_get_port (server), PW_SMTP_SECURITY_NONE);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TEMPORARY);
  g_assert_nonnull (strstr (error->message, "451"));
  g_assert_true (pw_smtp_error_is_retryable (error));
}

/* A server that accepts the connection and never says a word. */
static void
test_timeout (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) silent = pw_test_silent_server_new (&port);
  g_autoptr(PwSmtp) smtp = pw_smtp_new ("127.0.0.1", port, PW_SMTP_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;

  pw_smtp_set_timeout (smtp, 1);
  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TIMEOUT);
  g_assert_true (pw_smtp_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancelled while the server is silent: it stops without waiting for the timeout. */
static void
test_cancel (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) silent = pw_test_silent_server_new (&port);
  g_autoptr(PwSmtp) smtp = pw_smtp_new ("127.0.0.1", port, PW_SMTP_SECURITY_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  pw_smtp_set_timeout (smtp, 3600);
  g_timeout_add (200, cancel_cb, cancellable);
  g_assert_false (send (smtp, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_down (void)
{
  g_autoptr(PwSmtp) smtp = pw_smtp_new ("127.0.0.1", pw_test_closed_port (), PW_SMTP_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;

  g_assert_false (send (smtp, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_NETWORK);
  g_assert_true (pw_smtp_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "down"));
}

/* Settings that cannot work fail before any connection (the hosts here do not exist). */
static void
test_settings (void)
{
  static const char * const bad[] = { "admin@example.com", "x\r\nBcc: evil@example.com", NULL };
  g_autoptr(GBytes) message = g_bytes_new_static (message_text, strlen (message_text));
  g_autoptr(PwSmtp) smtp = pw_smtp_new ("mail.example.invalid", 25, PW_SMTP_SECURITY_NONE);
  g_autoptr(PwSmtp) nameless = pw_smtp_new ("not a host", 25, PW_SMTP_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  g_assert_false (pw_smtp_send (smtp, "not an address", recipients, message, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (pw_smtp_send (smtp, FROM, bad, message, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (pw_smtp_send (nameless, FROM, recipients, message, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_clear_error (&error);
  /* A password is not sent unencrypted, except to this computer. */
  pw_smtp_set_credentials (smtp, "printwatch", "s3cret");
  g_assert_false (pw_smtp_send (smtp, FROM, recipients, message, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);
  pw_smtp_set_credentials (smtp, NULL, NULL);
  pw_smtp_set_ca_file (smtp, "/nonexistent/ca.pem");
  g_assert_false (pw_smtp_send (smtp, FROM, recipients, message, NULL, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ca.pem"));
}

static void
test_addresses (void)
{
  static const char * const good[] = {
    "admin@example.com", "first.last+printers@mail.example.co.uk", "it-desk@localhost", "o'brien@example.com",
  };
  static const char * const bad[] = {
    "", "admin", "@example.com", "admin@", "admin@example", "a@b@example.com", "admin@.example.com",
    "admin@example.com.", ".admin@example.com", "ad..min@example.com", "admin@exa mple.com",
    "Admin <admin@example.com>", "admin@example.com\r\nBcc: x@example.com", "ädmin@example.com",
    "admin@exämple.com", "admin@example.com,other@example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (pw_smtp_address_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (pw_smtp_address_is_valid (bad[i]));
  g_assert_false (pw_smtp_address_is_valid (NULL));
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/smtp/addresses", test_addresses);
  g_test_add_func ("/smtp/settings", test_settings);
  g_test_add_func ("/smtp/plain", test_plain);
  g_test_add_func ("/smtp/starttls-auth", test_starttls_auth);
  g_test_add_func ("/smtp/untrusted", test_untrusted);
  g_test_add_func ("/smtp/no-starttls", test_no_starttls);
  g_test_add_func ("/smtp/implicit-tls", test_implicit_tls);
  g_test_add_func ("/smtp/tls-1.1", test_tls_1_1);
  g_test_add_func ("/smtp/refused", test_refused);
  g_test_add_func ("/smtp/timeout", test_timeout);
  g_test_add_func ("/smtp/cancel", test_cancel);
  g_test_add_func ("/smtp/down", test_down);

  return g_test_run ();
}
