/* pw-credentials-group.c: the SNMP credential profiles, listed to add,
 * change and remove (the SNMP page of the preferences).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-credentials-group"

#include "config.h"

#include "pw-credentials-group.h"
#include "pw-credentials-dialog.h"
#include "pw-dialog-util.h"

#include <glib/gi18n.h>

struct _PwCredentialsGroup
{
  AdwPreferencesGroup  parent_instance;

  PwAgent             *agent;        /* owned */
  GCancellable        *cancellable;  /* owned */
  GPtrArray           *profiles;     /* owned, of PwCredentialProfile: as listed */
  gboolean             closed;

  /* template children */
  GtkListBox          *list;
  GtkLabel            *message;
};

G_DEFINE_FINAL_TYPE (PwCredentialsGroup, pw_credentials_group, ADW_TYPE_PREFERENCES_GROUP)

static GtkWidget *
row_button (const char *icon,
            const char *tooltip,
            const char *action,
            gint64      id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  return button;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(PwCredentialsGroup) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = pw_agent_list_credential_profiles_finish (PW_AGENT (source), res, &error);

  if (self == NULL || self->closed)
    return;
  if (profiles == NULL)
    {
      pw_dialog_set_message (self->message, error->message, TRUE);
      return;
    }
  pw_dialog_clear_list (self->list);
  for (guint i = 0; i < profiles->len; i++)
    {
      const PwCredentialProfile *profile = profiles->pdata[i];
      g_autofree char *description = pw_snmp_describe (profile->version, profile->user, profile->auth_protocol,
                                                       profile->priv_protocol);
      GtkWidget *row = pw_dialog_row_new (profile->name, description);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button ("document-edit-symbolic", _("Change"),
                                                                   "credentials.edit", profile->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button ("user-trash-symbolic", _("Remove"),
                                                                   "credentials.remove", profile->id));
      gtk_list_box_append (self->list, row);
    }
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);
}

/**
 * pw_credentials_group_reload:
 *
 * Lists the profiles again, as the store has them.
 */
void
pw_credentials_group_reload (PwCredentialsGroup *self)
{
  g_return_if_fail (PW_IS_CREDENTIALS_GROUP (self));

  if (self->agent != NULL)
    pw_agent_list_credential_profiles_async (self->agent, self->cancellable, listed_cb,
                                             pw_dialog_weak_new (self));
}

static const PwCredentialProfile *
find_profile (PwCredentialsGroup *self,
              GVariant           *parameter)
{
  gint64 id = g_variant_get_int64 (parameter);

  for (guint i = 0; self->profiles != NULL && i < self->profiles->len; i++)
    if (((PwCredentialProfile *) self->profiles->pdata[i])->id == id)
      return self->profiles->pdata[i];
  return NULL;
}

static void
open_editor (PwCredentialsGroup        *self,
             const PwCredentialProfile *profile)
{
  PwCredentialsDialog *dialog = pw_credentials_dialog_new (self->agent, profile);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (pw_credentials_group_reload), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (PW_CREDENTIALS_GROUP (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwCredentialsGroup *self = PW_CREDENTIALS_GROUP (widget);
  const PwCredentialProfile *profile = find_profile (self, parameter);

  if (profile != NULL)
    open_editor (self, profile);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(PwCredentialsGroup) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;

  gboolean ok = pw_agent_remove_credential_profile_finish (PW_AGENT (source), res, &error);

  if (self == NULL || self->closed)
    return;
  if (!ok)
    pw_dialog_set_message (self->message, error->message, TRUE);
  pw_credentials_group_reload (self);
}

static void
confirm_cb (AdwMessageDialog   *dialog,
            const char         *response,
            PwCredentialsGroup *self)
{
  const PwCredentialProfile *profile = g_object_get_data (G_OBJECT (dialog), "profile");

  if (g_strcmp0 (response, "remove") == 0 && profile != NULL && !self->closed)
    /* Not cancelled by closing: the row and its secrets go together. */
    pw_agent_remove_credential_profile_async (self->agent, profile, NULL, removed_cb, pw_dialog_weak_new (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PwCredentialsGroup *self = PW_CREDENTIALS_GROUP (widget);
  const PwCredentialProfile *profile = find_profile (self, parameter);
  GtkWidget *dialog;

  if (profile == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove “%s”?"), profile->name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Its community or passphrases are removed from the keyring too. Printers "
                                 "that answer only to it will no longer be read."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "profile", pw_credential_profile_copy (profile),
                          (GDestroyNotify) pw_credential_profile_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pw_credentials_group_dispose (GObject *object)
{
  PwCredentialsGroup *self = PW_CREDENTIALS_GROUP (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_CREDENTIALS_GROUP);

  G_OBJECT_CLASS (pw_credentials_group_parent_class)->dispose (object);
}

static void
pw_credentials_group_finalize (GObject *object)
{
  PwCredentialsGroup *self = PW_CREDENTIALS_GROUP (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);

  G_OBJECT_CLASS (pw_credentials_group_parent_class)->finalize (object);
}

static void
pw_credentials_group_class_init (PwCredentialsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_credentials_group_dispose;
  object_class->finalize = pw_credentials_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-credentials-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsGroup, list);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsGroup, message);

  gtk_widget_class_install_action (widget_class, "credentials.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "credentials.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "credentials.remove", "x", remove_action);
}

static void
pw_credentials_group_init (PwCredentialsGroup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pw_credentials_group_set_agent (PwCredentialsGroup *self,
                                PwAgent            *agent)
{
  g_return_if_fail (PW_IS_CREDENTIALS_GROUP (self));
  g_return_if_fail (PW_IS_AGENT (agent));

  g_set_object (&self->agent, agent);
  pw_credentials_group_reload (self);
}
