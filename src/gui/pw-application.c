/* pw-application.c: the Printwatch desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-application"

#include "config.h"

#include "pw-application.h"
#include "pw-window.h"

#include <glib/gi18n.h>

struct _PwApplication
{
  AdwApplication  parent_instance;

  char           *db_path;  /* owned; --database, or NULL */
};

G_DEFINE_FINAL_TYPE (PwApplication, pw_application, ADW_TYPE_APPLICATION)

static void
pw_application_activate (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (pw_window_new (GTK_APPLICATION (application), self->db_path));
  gtk_window_present (window);
}

static int
pw_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  PwApplication *self = PW_APPLICATION (application);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &path))
    self->db_path = g_strdup (path);
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("printwatch %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Printwatch developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Printwatch"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Finds the network printers of an office, reads their "
                                      "meters and supplies, and reports them."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
pw_application_startup (GApplication *application)
{
  static const GActionEntry actions[] = {
    { "about", about_action },
    { "quit", quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (pw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
pw_application_finalize (GObject *object)
{
  PwApplication *self = PW_APPLICATION (object);

  g_free (self->db_path);

  G_OBJECT_CLASS (pw_application_parent_class)->finalize (object);
}

static void
pw_application_class_init (PwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pw_application_finalize;
  app_class->activate = pw_application_activate;
  app_class->startup = pw_application_startup;
  app_class->handle_local_options = pw_application_handle_local_options;
}

static void
pw_application_init (PwApplication *self)
{
  static const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The database file (default: $PRINTWATCH_DB, else under the XDG data folder)"),
      N_("PATH") },
    { "version", 'V', 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

PwApplication *
pw_application_new (void)
{
  return g_object_new (PW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
