/* pw-background.c: keep running when the window is closed, and start with
 * the session.
 *
 * In a Flatpak the Background portal decides (org.freedesktop.portal.
 * Background.RequestBackground): it asks the user once, and writes the
 * autostart entry itself. Outside a sandbox there is no such portal, and
 * an autostart entry in $XDG_CONFIG_HOME/autostart, under the name the
 * portal uses too, does the same; switching off removes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-background"

#include "config.h"

#include "pw-background.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define PORTAL_BUS_NAME   "org.freedesktop.portal.Desktop"
#define PORTAL_PATH       "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND "org.freedesktop.portal.Background"
#define PORTAL_REQUEST    "org.freedesktop.portal.Request"

/* Set by tests: talk to the portal even outside a sandbox. */
#define FORCE_PORTAL_ENV  "PRINTWATCH_BACKGROUND_PORTAL"

/**
 * pw_background_autostart_path:
 *
 * Returns: (transfer full): the autostart entry outside a sandbox
 */
char *
pw_background_autostart_path (void)
{
  g_autofree char *name = g_strconcat (APP_ID, ".desktop", NULL);

  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

static gboolean
sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv (FORCE_PORTAL_ENV) != NULL;
}

/* Without a portal: the autostart entry, written or removed. */
static gboolean
write_autostart (gboolean   enable,
                 GError   **error)
{
  g_autofree char *path = pw_background_autostart_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;

  if (!enable)
    {
      if (g_remove (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot remove %s: %s"), path,
                       g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  contents = g_strdup_printf ("[Desktop Entry]\n"
                              "Type=Application\n"
                              "Name=Printwatch\n"
                              "Exec=%s\n"
                              "Icon=%s\n"
                              "Terminal=false\n"
                              "X-GNOME-Autostart-enabled=true\n",
                              PW_BACKGROUND_COMMAND, APP_ID);
  return g_file_set_contents (path, contents, -1, error);
}

typedef struct {
  GDBusConnection *bus;         /* owned */
  char            *handle;      /* owned: the Request object the answer comes on */
  guint            subscription;
  gboolean         enable;
} Request;

static void
request_free (Request *request)
{
  if (request->subscription != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->subscription);
  g_clear_object (&request->bus);
  g_free (request->handle);
  g_free (request);
}

static void
response_cb (GDBusConnection *bus,
             const char      *sender,
             const char      *path,
             const char      *interface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  PwBackgroundResult *outcome;
  guint32 response = 2;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_dbus_connection_signal_unsubscribe (bus, request->subscription);
  request->subscription = 0;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  if (response != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               response == 1 ? _("Running in the background was not allowed")
                                             : _("The request to run in the background failed"));
      g_object_unref (task);
      return;
    }
  outcome = g_new0 (PwBackgroundResult, 1);
  if (!g_variant_lookup (results, "background", "b", &outcome->background))
    outcome->background = FALSE;
  if (!g_variant_lookup (results, "autostart", "b", &outcome->autostart))
    outcome->autostart = FALSE;
  g_task_return_pointer (task, outcome, g_free);
  g_object_unref (task);
}

static void
requested_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);

  if (reply == NULL)
    {
      Request *request = g_task_get_task_data (task);

      g_dbus_error_strip_remote_error (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The Background portal is not available: %s"), error->message);
      g_dbus_connection_signal_unsubscribe (request->bus, request->subscription);
      request->subscription = 0;
      g_object_unref (task);
    }
  /* else the answer comes as the Request's Response signal. */
}

/**
 * pw_background_request_async:
 * @enable: keep running and start with the session, or stop doing so
 * @reason: (nullable): why, in words, for the portal's question
 *
 * Asks the Background portal in a sandbox; outside one, writes or removes
 * the autostart entry.
 */
void
pw_background_request_async (gboolean             enable,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autoptr(GVariantBuilder) options = NULL;
  const char * const command[] = { "printwatch", "--gapplication-service", NULL };
  Request *request;

  g_task_set_source_tag (task, pw_background_request_async);
  if (!sandboxed ())
    {
      if (write_autostart (enable, &error))
        {
          PwBackgroundResult *outcome = g_new0 (PwBackgroundResult, 1);

          outcome->background = enable;
          outcome->autostart = enable;
          g_task_return_pointer (task, outcome, g_free);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  request = g_new0 (Request, 1);
  request->enable = enable;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &error);
  if (request->bus == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* The Request's path is known before the call: subscribe first, so the
   * answer cannot come too early (xdg-desktop-portal's documented way). */
  token = g_strdup_printf ("printwatch%u", g_random_int ());
  sender = g_strdup (g_dbus_connection_get_unique_name (request->bus) + 1);
  g_strdelimit (sender, ".", '_');
  request->handle = g_strdup_printf ("%s/request/%s/%s", PORTAL_PATH, sender, token);
  request->subscription = g_dbus_connection_signal_subscribe (request->bus, PORTAL_BUS_NAME, PORTAL_REQUEST,
                                                              "Response", request->handle, NULL,
                                                              G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, response_cb,
                                                              task, NULL);
  options = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (options, "{sv}", "reason",
                         g_variant_new_string (reason != NULL ? reason
                                                              : _("Printwatch sends the printers’ readings every day")));
  g_variant_builder_add (options, "{sv}", "autostart", g_variant_new_boolean (enable));
  g_variant_builder_add (options, "{sv}", "commandline", g_variant_new_strv (command, -1));
  g_variant_builder_add (options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (request->bus, PORTAL_BUS_NAME, PORTAL_PATH, PORTAL_BACKGROUND, "RequestBackground",
                          g_variant_new ("(sa{sv})", "", options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, cancellable, requested_cb, task);
}

/**
 * pw_background_request_finish:
 * @outcome: (out) (optional): what was allowed
 */
gboolean
pw_background_request_finish (GAsyncResult        *result,
                              PwBackgroundResult  *outcome,
                              GError             **error)
{
  g_autofree PwBackgroundResult *got = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  got = g_task_propagate_pointer (G_TASK (result), error);
  if (got == NULL)
    return FALSE;
  if (outcome != NULL)
    *outcome = *got;
  return TRUE;
}
