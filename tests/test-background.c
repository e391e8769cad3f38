/* test-background.c: running in the background and starting with the session.
 *
 * Outside a sandbox: the autostart entry is written and removed. In one:
 * the Background portal is asked, here a fake portal on a private bus
 * (GTestDBus), which grants or refuses as the test says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct {
  GDBusConnection *bus;       /* the portal's own connection */
  guint32          response;  /* 0 granted, 1 refused */
  gboolean         autostart_asked;
  char            *commandline;
} FakePortal;

static void
portal_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FakePortal *portal = user_data;
  g_autoptr(GVariant) options = NULL;
  g_auto(GStrv) command = NULL;
  g_autofree char *who = g_strdup (sender + 1);
  g_autofree char *handle = NULL;
  const char *parent = NULL, *token = NULL;
  GVariantBuilder results;

  g_variant_get (parameters, "(&s@a{sv})", &parent, &options);
  g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
  g_assert_true (g_variant_lookup (options, "autostart", "b", &portal->autostart_asked));
  g_assert_true (g_variant_lookup (options, "commandline", "^as", &command));
  portal->commandline = g_strjoinv (" ", command);
  g_strdelimit (who, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", who, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (portal->autostart_asked));
  g_dbus_connection_emit_signal (connection, sender, handle, "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", portal->response, &results), NULL);
}

typedef struct {
  GMainLoop          *loop;
  PwBackgroundResult  outcome;
  gboolean            ok;
  GError             *error;
} Wait;

static void
requested_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_background_request_finish (res, &wait->outcome, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
request (gboolean   enable,
         PwBackgroundResult *outcome,
         GError   **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), { 0 }, FALSE, NULL };

  pw_background_request_async (enable, NULL, NULL, requested_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  *outcome = wait.outcome;
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static void
test_autostart_entry (void)
{
  g_autofree char *path = pw_background_autostart_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  PwBackgroundResult outcome;

  g_unsetenv ("PRINTWATCH_BACKGROUND_PORTAL");
  g_assert_true (request (TRUE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_true (outcome.background && outcome.autostart);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Exec=" PW_BACKGROUND_COMMAND "\n"));
  g_assert_nonnull (strstr (contents, "Icon=" APP_ID "\n"));

  g_assert_true (request (FALSE, &outcome, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Off twice is still off. */
  g_assert_true (request (FALSE, &outcome, &error));
  g_assert_no_error (error);
}

static void
test_portal (void)
{
  g_autoptr(GTestDBus) dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  g_autoptr(GError) error = NULL;
  GDBusInterfaceVTable vtable = { portal_method_cb, NULL, NULL, { 0 } };
  FakePortal portal = { 0 };
  PwBackgroundResult outcome = { 0 };
  guint object, name;

  g_test_dbus_up (dbus);
  portal.bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (dbus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  object = g_dbus_connection_register_object (portal.bus, "/org/freedesktop/portal/desktop", info->interfaces[0],
                                              &vtable, &portal, NULL, &error);
  g_assert_no_error (error);
  name = g_bus_own_name_on_connection (portal.bus, "org.freedesktop.portal.Desktop", G_BUS_NAME_OWNER_FLAGS_NONE,
                                       NULL, NULL, NULL, NULL);
  g_setenv ("PRINTWATCH_BACKGROUND_PORTAL", "1", TRUE);

  g_assert_true (request (TRUE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_true (portal.autostart_asked);
  g_assert_cmpstr (portal.commandline, ==, PW_BACKGROUND_COMMAND);
  g_assert_true (outcome.background);
  g_assert_true (outcome.autostart);
  /* The portal writes the autostart entry itself, not us. */
  {
    g_autofree char *entry = pw_background_autostart_path ();

    g_assert_false (g_file_test (entry, G_FILE_TEST_EXISTS));
  }
  g_clear_pointer (&portal.commandline, g_free);

  portal.response = 1;
  g_assert_false (request (TRUE, &outcome, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_clear_pointer (&portal.commandline, g_free);

  g_unsetenv ("PRINTWATCH_BACKGROUND_PORTAL");
  g_bus_unown_name (name);
  g_dbus_connection_unregister_object (portal.bus, object);
  g_dbus_connection_close_sync (portal.bus, NULL, NULL);
  g_clear_object (&portal.bus);
  g_test_dbus_down (dbus);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/background/autostart-entry", test_autostart_entry);
  g_test_add_func ("/background/portal", test_portal);

  return g_test_run ();
}
