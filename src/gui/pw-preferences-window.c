/* pw-preferences-window.c: Printwatch's preferences.
 *
 * Three pages: the transmission (daily time, collection server, how to
 * sign in, proxy, site name, running in the background), SNMP credential
 * profiles (PwCredentialsGroup), and e-mail notifications. Plain keys are
 * bound to GSettings; the daily time is written only when it is a valid
 * HH:MM. Passwords and tokens go to the keyring (pw-secret) when applied,
 * never to GSettings. Each change re-configures the agent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-preferences-window"

#include "config.h"

#include "pw-preferences-window.h"
#include "pw-credentials-group.h"
#include "pw-dialog-util.h"
#include "pw-dialogs.h"

#include <glib/gi18n.h>

struct _PwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  PwAgent              *agent;        /* owned */
  GSettings            *settings;     /* owned, NULL without the schema */
  GtkNativeDialog      *chooser;      /* owned while choosing the CA file */
  gboolean              closed;

  /* template children */
  AdwEntryRow          *sync_time_row;
  GtkLabel             *sync_time_message;
  AdwEntryRow          *server_url_row;
  AdwActionRow         *ca_file_row;
  AdwComboRow          *auth_row;
  AdwEntryRow          *server_user_row;
  AdwPasswordEntryRow  *server_secret_row;
  AdwEntryRow          *proxy_row;
  GtkLabel             *server_message;
  AdwEntryRow          *site_name_row;
  GtkSwitch            *background_switch;
  PwCredentialsGroup   *credentials_group;
  AdwEntryRow          *smtp_server_row;
  GtkSpinButton        *smtp_port_spin;
  AdwComboRow          *smtp_security_row;
  AdwEntryRow          *smtp_user_row;
  AdwPasswordEntryRow  *smtp_password_row;
  AdwEntryRow          *mail_from_row;
  AdwEntryRow          *mail_to_row;
  GtkLabel             *mail_message;
  GtkSpinButton        *notify_supply_spin;
  GtkSpinButton        *notify_unreachable_spin;
  GtkSwitch            *notify_critical_switch;
  GtkSwitch            *notify_failed_switch;
  GtkSwitch            *notify_digest_switch;
};

G_DEFINE_FINAL_TYPE (PwPreferencesWindow, pw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The choices of the schema's enumerated keys, in their combo rows' order. */
static const char * const auth_choices[] = { "none", "basic", "bearer", NULL };
static const char * const security_choices[] = { "starttls", "tls", "none", NULL };

/* ---- GSettings mappings ---- */

static gboolean
choice_get (GValue   *value,
            GVariant *variant,
            gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *text = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], text))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
choice_set (const GValue       *value,
            const GVariantType *expected_type,
            gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  return index < g_strv_length ((char **) choices) ? g_variant_new_string (choices[index]) : NULL;
}

static gboolean
number_get (GValue   *value,
            GVariant *variant,
            gpointer  user_data)
{
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT32))
    g_value_set_double (value, g_variant_get_uint32 (variant));
  else
    g_value_set_double (value, g_variant_get_int32 (variant));
  return TRUE;
}

static GVariant *
number_set (const GValue       *value,
            const GVariantType *expected_type,
            gpointer            user_data)
{
  double number = g_value_get_double (value);

  if (g_variant_type_equal (expected_type, G_VARIANT_TYPE_UINT32))
    return g_variant_new_uint32 ((guint32) CLAMP (number, 0, G_MAXUINT32));
  return g_variant_new_int32 ((gint32) CLAMP (number, G_MININT32, G_MAXINT32));
}

/* "a@example.com, b@example.com" ↔ ['a@example.com', 'b@example.com'] */
static gboolean
list_get (GValue   *value,
          GVariant *variant,
          gpointer  user_data)
{
  g_autofree const char **items = g_variant_get_strv (variant, NULL);

  g_value_take_string (value, g_strjoinv (", ", (char **) items));
  return TRUE;
}

static GVariant *
list_set (const GValue       *value,
          const GVariantType *expected_type,
          gpointer            user_data)
{
  const char *text = g_value_get_string (value);
  g_auto(GStrv) tokens = g_strsplit_set (text != NULL ? text : "", ",; \t\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;

  for (guint i = 0; tokens[i] != NULL; i++)
    if (tokens[i][0] != '\0')
      g_strv_builder_add (builder, tokens[i]);
  items = g_strv_builder_end (builder);
  return g_variant_new_strv ((const char * const *) items, -1);
}

/* ---- the transmission page ---- */

static void
sync_time_changed_cb (PwPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->sync_time_row));
  g_autoptr(GError) error = NULL;
  guint hour, minute;

  if (!pw_scheduler_parse_time (text, &hour, &minute, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->sync_time_row), "error");
      pw_dialog_set_message (self->sync_time_message, error->message, TRUE);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->sync_time_row), "error");
  pw_dialog_set_message (self->sync_time_message, NULL, FALSE);
  if (self->settings != NULL)
    {
      g_autofree char *stored = g_settings_get_string (self->settings, "sync-time");
      g_autofree char *normal = g_strdup_printf ("%02u:%02u", hour, minute);

      if (!g_str_equal (stored, normal))
        g_settings_set_string (self->settings, "sync-time", normal);
    }
}

/* The stored time, unless the row already says it (while being typed). */
static void
show_sync_time (PwPreferencesWindow *self)
{
  g_autofree char *stored = g_settings_get_string (self->settings, "sync-time");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->sync_time_row));
  guint hour, minute;
  g_autofree char *shown = pw_scheduler_parse_time (text, &hour, &minute, NULL)
                           ? g_strdup_printf ("%02u:%02u", hour, minute) : NULL;

  if (g_strcmp0 (shown, stored) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->sync_time_row), stored);
}

static void
show_ca_file (PwPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "ca-file");

  adw_action_row_set_subtitle (self->ca_file_row, path[0] != '\0' ? path : _("The system’s trusted authorities"));
}

static void
auth_changed_cb (PwPreferencesWindow *self)
{
  guint auth = adw_combo_row_get_selected (self->auth_row);

  gtk_widget_set_visible (GTK_WIDGET (self->server_user_row), auth == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->server_secret_row), auth != 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->server_secret_row),
                                 auth == 2 ? _("Token") : _("Password"));
}

static void
settings_changed_cb (PwPreferencesWindow *self,
                     const char          *key)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (key, "sync-time"))
    show_sync_time (self);
  else if (g_str_equal (key, "ca-file"))
    show_ca_file (self);
  if (!pw_agent_configure (self->agent, self->settings, &error))
    pw_dialog_set_message (self->server_message, error->message, TRUE);
}

static void
ca_file_response_cb (GtkNativeDialog     *chooser,
                     int                  response,
                     PwPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->settings != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "ca-file", path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PwPreferencesWindow *self = PW_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Certificate Authorities"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PEM certificates"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (ca_file_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
clear_ca_file_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PwPreferencesWindow *self = PW_PREFERENCES_WINDOW (widget);

  if (self->settings != NULL)
    g_settings_reset (self->settings, "ca-file");
}

/* ---- secrets ---- */

typedef struct {
  gpointer             weak;     /* owned: the window, if still open */
  AdwPasswordEntryRow *row;      /* the row whose text was kept */
  GtkLabel            *message;  /* where to tell */
} Kept;

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autofree Kept *kept = user_data;
  g_autoptr(PwPreferencesWindow) self = pw_dialog_weak_take (kept->weak);
  g_autoptr(GError) error = NULL;
  gboolean ok = pw_secret_store_finish (res, &error);

  if (self == NULL || self->closed)
    return;
  if (!ok)
    {
      pw_dialog_set_message (kept->message, error->message, TRUE);
      return;
    }
  /* Out of the field as soon as it is kept: nothing to read over a shoulder. */
  gtk_editable_set_text (GTK_EDITABLE (kept->row), "");
  pw_dialog_set_message (kept->message, _("Kept in the keyring."), FALSE);
}

static Kept *
kept_new (PwPreferencesWindow *self,
          AdwPasswordEntryRow *row,
          GtkLabel            *message)
{
  Kept *kept = g_new0 (Kept, 1);

  kept->weak = pw_dialog_weak_new (self);
  kept->row = row;
  kept->message = message;
  return kept;
}

static void
server_secret_apply_cb (PwPreferencesWindow *self)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->server_secret_row));
  g_autofree char *url = self->settings != NULL ? g_settings_get_string (self->settings, "server-url") : NULL;
  guint auth = adw_combo_row_get_selected (self->auth_row);

  if (secret[0] == '\0' || auth == 0)
    return;
  if (url == NULL || url[0] == '\0')
    {
      pw_dialog_set_message (self->server_message,
                             _("Enter the server’s address first: the password is kept for that server"), TRUE);
      return;
    }
  /* Not cancelled by closing: what was applied is kept. */
  pw_secret_store_async (url, auth == 2 ? PW_SECRET_TOKEN : PW_SECRET_PASSWORD, secret, NULL,
                         secret_stored_cb, kept_new (self, self->server_secret_row, self->server_message));
}

static void
smtp_password_apply_cb (PwPreferencesWindow *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->smtp_password_row));
  g_autofree char *server = self->settings != NULL ? g_settings_get_string (self->settings, "smtp-server") : NULL;
  g_autofree char *user = self->settings != NULL ? g_settings_get_string (self->settings, "smtp-user") : NULL;

  if (password[0] == '\0')
    return;
  if (server == NULL || server[0] == '\0' || user == NULL || user[0] == '\0')
    {
      pw_dialog_set_message (self->mail_message,
                             _("Enter the mail server and the user name first: the password is kept for them"),
                             TRUE);
      return;
    }
  pw_secret_smtp_store_async (server, user, password, NULL, secret_stored_cb,
                              kept_new (self, self->smtp_password_row, self->mail_message));
}

/* ---- the window ---- */

static void
bind_settings (PwPreferencesWindow *self)
{
  static const struct { const char *key; gsize offset; const char *property; } plain[] = {
    { "server-url", G_STRUCT_OFFSET (PwPreferencesWindow, server_url_row), "text" },
    { "server-user", G_STRUCT_OFFSET (PwPreferencesWindow, server_user_row), "text" },
    { "proxy-uri", G_STRUCT_OFFSET (PwPreferencesWindow, proxy_row), "text" },
    { "site-name", G_STRUCT_OFFSET (PwPreferencesWindow, site_name_row), "text" },
    { "run-in-background", G_STRUCT_OFFSET (PwPreferencesWindow, background_switch), "active" },
    { "smtp-server", G_STRUCT_OFFSET (PwPreferencesWindow, smtp_server_row), "text" },
    { "smtp-user", G_STRUCT_OFFSET (PwPreferencesWindow, smtp_user_row), "text" },
    { "mail-from", G_STRUCT_OFFSET (PwPreferencesWindow, mail_from_row), "text" },
    { "notify-critical-alerts", G_STRUCT_OFFSET (PwPreferencesWindow, notify_critical_switch), "active" },
    { "notify-failed-transmissions", G_STRUCT_OFFSET (PwPreferencesWindow, notify_failed_switch), "active" },
    { "notify-daily-digest", G_STRUCT_OFFSET (PwPreferencesWindow, notify_digest_switch), "active" },
  };
  static const struct { const char *key; gsize offset; } numbers[] = {
    { "smtp-port", G_STRUCT_OFFSET (PwPreferencesWindow, smtp_port_spin) },
    { "notify-supply-below", G_STRUCT_OFFSET (PwPreferencesWindow, notify_supply_spin) },
    { "notify-unreachable-minutes", G_STRUCT_OFFSET (PwPreferencesWindow, notify_unreachable_spin) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    g_settings_bind (self->settings, plain[i].key, G_STRUCT_MEMBER (gpointer, self, plain[i].offset),
                     plain[i].property, G_SETTINGS_BIND_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_settings_bind_with_mapping (self->settings, numbers[i].key, G_STRUCT_MEMBER (gpointer, self, numbers[i].offset),
                                  "value", G_SETTINGS_BIND_DEFAULT, number_get, number_set, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "auth-method", self->auth_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_get, choice_set, (gpointer) auth_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "smtp-security", self->smtp_security_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_get, choice_set, (gpointer) security_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "mail-to", self->mail_to_row, "text", G_SETTINGS_BIND_DEFAULT,
                                list_get, list_set, NULL, NULL);

  show_sync_time (self);
  show_ca_file (self);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
pw_preferences_window_dispose (GObject *object)
{
  PwPreferencesWindow *self = PW_PREFERENCES_WINDOW (object);

  self->closed = TRUE;
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (pw_preferences_window_parent_class)->dispose (object);
}

static void
pw_preferences_window_finalize (GObject *object)
{
  PwPreferencesWindow *self = PW_PREFERENCES_WINDOW (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pw_preferences_window_parent_class)->finalize (object);
}

static void
pw_preferences_window_class_init (PwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_preferences_window_dispose;
  object_class->finalize = pw_preferences_window_finalize;

  g_type_ensure (PW_TYPE_CREDENTIALS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, sync_time_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, sync_time_message);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, auth_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, server_user_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, server_secret_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, server_message);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, site_name_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, smtp_server_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, smtp_port_spin);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, smtp_security_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, smtp_user_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, smtp_password_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, mail_from_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, mail_to_row);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, mail_message);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, notify_supply_spin);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, notify_unreachable_spin);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, notify_critical_switch);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, notify_failed_switch);
  gtk_widget_class_bind_template_child (widget_class, PwPreferencesWindow, notify_digest_switch);
  gtk_widget_class_bind_template_callback (widget_class, sync_time_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, auth_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, smtp_password_apply_cb);

  gtk_widget_class_install_action (widget_class, "prefs.choose-ca-file", NULL, choose_ca_file_action);
  gtk_widget_class_install_action (widget_class, "prefs.clear-ca-file", NULL, clear_ca_file_action);
}

static void
pw_preferences_window_init (PwPreferencesWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  else
    g_message ("The schema %s is not installed: preferences are not kept", APP_ID);
}

PwPreferencesWindow *
pw_preferences_window_new (PwAgent *agent)
{
  PwPreferencesWindow *self;

  g_return_val_if_fail (PW_IS_AGENT (agent), NULL);

  self = g_object_new (PW_TYPE_PREFERENCES_WINDOW, NULL);
  self->agent = g_object_ref (agent);
  pw_credentials_group_set_agent (self->credentials_group, agent);
  if (self->settings != NULL)
    bind_settings (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_url_row), self->settings != NULL);
  auth_changed_cb (self);
  return self;
}

/**
 * pw_show_preferences:
 * @parent: (nullable): the window it belongs to
 *
 * Opens the preferences, modal over @parent.
 */
void
pw_show_preferences (GtkWindow *parent,
                     PwAgent   *agent)
{
  g_return_if_fail (PW_IS_AGENT (agent));

  pw_dialog_present (GTK_WINDOW (pw_preferences_window_new (agent)), parent, TRUE);
}
