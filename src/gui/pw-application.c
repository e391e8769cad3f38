/* pw-application.c: the Printwatch desktop application.
 *
 * At startup it opens the store without blocking and makes the agent on
 * it, configured by the application's settings (and again whenever they
 * change), and starts it: the daily sync runs while the application does.
 * Its windows show the agent's fleet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-application"

#include "config.h"

#include "pw-application.h"
#include "pw-dialogs.h"
#include "pw-window.h"

#include <glib/gi18n.h>

struct _PwApplication
{
  AdwApplication  parent_instance;

  char           *db_path;      /* owned; --database, or NULL */
  PwAgent        *agent;        /* owned, NULL until the store is open */
  GError         *open_error;   /* owned, why the store did not open, or NULL */
  GSettings      *settings;     /* owned, NULL when the schema is not installed */
  GCancellable   *cancellable;  /* owned, cancelled at shutdown */
  gboolean        background;   /* held for running in the background */
};

G_DEFINE_FINAL_TYPE (PwApplication, pw_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (PwApplication *self)
{
  GAction *preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");

  if (preferences != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), self->agent != NULL);
}

static void
configure (PwApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (!pw_agent_configure (self->agent, self->settings, &error))
    g_message ("The settings are not usable: %s", error->message);
}

static void
credentials_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) credentials = pw_agent_load_snmp_credentials_finish (PW_AGENT (source), result, &error);

  if (credentials == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The SNMP credential profiles are not usable: %s", error->message);
}

static void
background_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PwApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  PwBackgroundResult outcome = { FALSE, FALSE };
  gboolean wanted = self->settings != NULL && g_settings_get_boolean (self->settings, "run-in-background");

  if (!pw_background_request_finish (result, &outcome, &error))
    {
      g_message ("Running in the background: %s", error->message);
      outcome.background = FALSE;
    }
  /* Held while allowed and wanted: closing the window keeps the daily sync running. */
  if (wanted && outcome.background && !self->background)
    {
      g_application_hold (G_APPLICATION (self));
      self->background = TRUE;
    }
  else if ((!wanted || !outcome.background) && self->background)
    {
      g_application_release (G_APPLICATION (self));
      self->background = FALSE;
    }
}

static void
apply_background (PwApplication *self)
{
  gboolean wanted = self->settings != NULL && g_settings_get_boolean (self->settings, "run-in-background");

  if (!wanted && !self->background)
    return;
  pw_background_request_async (wanted, NULL, self->cancellable, background_cb, g_object_ref (self));
}

static void
settings_changed_cb (PwApplication *self,
                     const char    *key)
{
  if (g_strcmp0 (key, "run-in-background") == 0)
    apply_background (self);
  else if (self->agent != NULL)
    configure (self);
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open_finish (result, &error);
  PwApplication *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* shut down while opening */
  self = PW_APPLICATION (user_data);
  g_application_release (G_APPLICATION (self));
  if (store == NULL)
    {
      self->open_error = g_steal_pointer (&error);
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        if (PW_IS_WINDOW (l->data))
          pw_window_show_error (l->data, self->open_error);
      return;
    }

  self->agent = pw_agent_new (store);
  configure (self);
  pw_agent_load_snmp_credentials_async (self->agent, self->cancellable, credentials_loaded_cb, NULL);
  if (self->settings != NULL && !pw_agent_enable_notifications (self->agent, self->settings, &error))
    {
      g_message ("E-mail notifications are off: %s", error->message);
      g_clear_error (&error);
    }
  if (!pw_agent_start (self->agent, &error))
    g_message ("The daily sync does not run: %s", error->message);
  apply_background (self);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PW_IS_WINDOW (l->data))
      pw_window_set_agent (l->data, self->agent);
  update_actions (self);
}

static void
open_store (PwApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pw_store_resolve_path (self->db_path);

  if (!pw_store_ensure_default_dir (path, &error))
    {
      self->open_error = g_steal_pointer (&error);
      return;
    }
  /* Kept running until the store answers, window or not. */
  g_application_hold (G_APPLICATION (self));
  pw_store_open_async (path, self->cancellable, store_opened_cb, self);
}

static void
pw_application_activate (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      PwWindow *pw_window = pw_window_new (GTK_APPLICATION (application), self->agent);

      if (self->open_error != NULL)
        pw_window_show_error (pw_window, self->open_error);
      window = GTK_WINDOW (pw_window);
    }
  gtk_window_present (window);
}

static int
pw_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  PwApplication *self = PW_APPLICATION (application);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &path))
    {
      g_free (self->db_path);
      self->db_path = g_strdup (path);
    }
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
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PwApplication *self = PW_APPLICATION (user_data);

  if (self->agent != NULL)
    pw_show_preferences (gtk_application_get_active_window (GTK_APPLICATION (self)), self->agent);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* The settings, unless the schema is not installed (a build run in place). */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE)
                                                     : NULL;

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: using the defaults", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
pw_application_startup (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);
  static const GActionEntry actions[] = {
    { "about", about_action },
    { "preferences", preferences_action },
    { "quit", quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (pw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  update_actions (self);

  self->settings = load_settings ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                             G_CONNECT_SWAPPED);
  open_store (self);
}

static void
pw_application_shutdown (GApplication *application)
{
  PwApplication *self = PW_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->agent != NULL)
    pw_agent_stop (self->agent);

  G_APPLICATION_CLASS (pw_application_parent_class)->shutdown (application);
}

static void
pw_application_finalize (GObject *object)
{
  PwApplication *self = PW_APPLICATION (object);

  g_free (self->db_path);
  g_clear_object (&self->agent);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (pw_application_parent_class)->finalize (object);
}

static void
pw_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PwApplication *self = PW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_string (value, self->db_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PwApplication *self = PW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_free (self->db_path);
      self->db_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_application_class_init (PwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pw_application_finalize;
  object_class->get_property = pw_application_get_property;
  object_class->set_property = pw_application_set_property;
  app_class->activate = pw_application_activate;
  app_class->startup = pw_application_startup;
  app_class->shutdown = pw_application_shutdown;
  app_class->handle_local_options = pw_application_handle_local_options;

  /* The database file; NULL: $PRINTWATCH_DB, else the default. Read at startup. */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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

  self->cancellable = g_cancellable_new ();
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

/**
 * pw_application_get_agent:
 *
 * Returns: (transfer none) (nullable): the agent, or %NULL until the store is open
 */
PwAgent *
pw_application_get_agent (PwApplication *self)
{
  g_return_val_if_fail (PW_IS_APPLICATION (self), NULL);
  return self->agent;
}
