/* test-secret.c: where the collection server's password or token is found.
 *
 * The tests run without a Secret Service (no keyring daemon on their bus),
 * so the keyring is absent: the environment variable, and the 0600 file
 * that stands in, are what they check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define SERVER "https://collector.example.com/api/v1/uploads"

typedef struct {
  GMainLoop *loop;
  char      *secret;
  gboolean   stored;
  GError    *error;
} Call;

static void
lookup_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Call *call = user_data;

  call->secret = pw_secret_lookup_finish (res, &call->error);
  g_main_loop_quit (call->loop);
}

static void
store_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Call *call = user_data;

  call->stored = pw_secret_store_finish (res, &call->error);
  g_main_loop_quit (call->loop);
}

static char *
lookup (PwSecretKind   kind,
        GError       **error)
{
  Call call = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };

  pw_secret_lookup_async (SERVER, kind, NULL, lookup_cb, &call);
  g_main_loop_run (call.loop);
  g_main_loop_unref (call.loop);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.secret;
}

static gboolean
store (PwSecretKind   kind,
       const char    *secret,
       GError       **error)
{
  Call call = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };

  pw_secret_store_async (SERVER, kind, secret, NULL, store_cb, &call);
  g_main_loop_run (call.loop);
  g_main_loop_unref (call.loop);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.stored;
}

static void
test_environment_wins (void)
{
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv (PW_SECRET_PASSWORD_ENV, "from-env", TRUE);
  password = lookup (PW_SECRET_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "from-env");
  /* A password is no token. */
  token = lookup (PW_SECRET_TOKEN, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, PW_SECRET_TOKEN_ENV));
  g_unsetenv (PW_SECRET_PASSWORD_ENV);
}

static void
test_fallback_file (void)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autofree char *back = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_unsetenv (PW_SECRET_TOKEN_ENV);
  g_assert_true (store (PW_SECRET_TOKEN, "t0k3n-s3cret", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  back = lookup (PW_SECRET_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back, ==, "t0k3n-s3cret");
  g_clear_pointer (&back, g_free);

  /* Readable by others: not trusted, not used. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  back = lookup (PW_SECRET_TOKEN, &error);
  g_assert_null (back);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpint (g_remove (path), ==, 0);
}

static char *
wait_lookup (Call    *call,
             GError **error)
{
  g_main_loop_run (call->loop);
  g_main_loop_unref (call->loop);
  if (call->error != NULL)
    g_propagate_error (error, call->error);
  return call->secret;
}

static gboolean
wait_store (Call    *call,
            GError **error)
{
  g_main_loop_run (call->loop);
  g_main_loop_unref (call->loop);
  if (call->error != NULL)
    g_propagate_error (error, call->error);
  return call->stored;
}

/* The mail server's password: the environment variable, else the stand-in file. */
static void
test_smtp (void)
{
  g_autofree char *path = pw_secret_fallback_path ();
  g_autofree char *back = NULL;
  g_autoptr(GError) error = NULL;
  Call call = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };

  pw_secret_smtp_store_async ("mail.example.com", "alerts", "m4il-s3cret", NULL, store_cb, &call);
  g_assert_true (wait_store (&call, &error));
  g_assert_no_error (error);

  call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  pw_secret_smtp_lookup_async ("mail.example.com", "alerts", NULL, lookup_cb, &call);
  back = wait_lookup (&call, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back, ==, "m4il-s3cret");
  g_clear_pointer (&back, g_free);

  /* Another user on that server has none. */
  call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  pw_secret_smtp_lookup_async ("mail.example.com", "other", NULL, lookup_cb, &call);
  g_assert_null (wait_lookup (&call, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_setenv (PW_SECRET_SMTP_PASSWORD_ENV, "from-env", TRUE);
  call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  pw_secret_smtp_lookup_async ("mail.example.com", "alerts", NULL, lookup_cb, &call);
  back = wait_lookup (&call, &error);
  g_assert_cmpstr (back, ==, "from-env");
  g_unsetenv (PW_SECRET_SMTP_PASSWORD_ENV);
  g_assert_cmpint (g_remove (path), ==, 0);
}

/* A profile's secrets, kept by kind, forgotten together. */
static void
test_snmp (void)
{
  static const struct { PwSnmpSecretKind kind; const char *secret; } secrets[] = {
    { PW_SNMP_SECRET_COMMUNITY, "c0mmunity" }, { PW_SNMP_SECRET_AUTH, "auth passphrase" },
    { PW_SNMP_SECRET_PRIV, "priv passphrase" },
  };
  g_autoptr(GError) error = NULL;
  Call call;

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
      pw_secret_snmp_store_async ("ref-1", secrets[i].kind, "office", secrets[i].secret, NULL, store_cb, &call);
      g_assert_true (wait_store (&call, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *back = NULL;

      call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
      pw_secret_snmp_lookup_async ("ref-1", secrets[i].kind, NULL, lookup_cb, &call);
      back = wait_lookup (&call, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, secrets[i].secret);
    }

  call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  pw_secret_snmp_clear_async ("ref-1", NULL, store_cb, &call);
  g_assert_true (wait_store (&call, &error));
  g_assert_no_error (error);
  call = (Call) { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };
  pw_secret_snmp_lookup_async ("ref-1", PW_SNMP_SECRET_AUTH, NULL, lookup_cb, &call);
  g_assert_null (wait_lookup (&call, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No session bus: the keyring is absent, as on a headless server. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);

  g_test_add_func ("/secret/environment-wins", test_environment_wins);
  g_test_add_func ("/secret/fallback-file", test_fallback_file);
  g_test_add_func ("/secret/smtp", test_smtp);
  g_test_add_func ("/secret/snmp", test_snmp);

  return g_test_run ();
}
