/* pw-credentials-dialog.c: make or change one SNMP credentials profile.
 *
 * The agent checks the whole profile with its secrets before anything is
 * written, so what is wrong (a short passphrase, a taken name) is told
 * here, in words, and nothing half-saved stays. Secret fields left empty
 * keep what the keyring holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-credentials-dialog"

#include "config.h"

#include "pw-credentials-dialog.h"
#include "pw-dialog-util.h"

#include <glib/gi18n.h>

struct _PwCredentialsDialog
{
  AdwWindow            parent_instance;

  PwAgent             *agent;        /* owned */
  PwCredentialProfile *profile;      /* owned: the one changed, or a new one (id 0) */
  gboolean             saving;
  gboolean             closed;

  /* template children */
  AdwEntryRow         *name_row;
  AdwComboRow         *version_row;
  AdwPreferencesGroup *community_group;
  AdwPasswordEntryRow *community_row;
  AdwPreferencesGroup *v3_group;
  AdwEntryRow         *user_row;
  AdwComboRow         *auth_row;
  AdwPasswordEntryRow *auth_pass_row;
  AdwComboRow         *priv_row;
  AdwPasswordEntryRow *priv_pass_row;
  GtkLabel            *hint_label;
  GtkLabel            *message;
};

G_DEFINE_FINAL_TYPE (PwCredentialsDialog, pw_credentials_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The combo rows list versions and protocols in their enums' order. */
static void
version_changed_cb (PwCredentialsDialog *self)
{
  gboolean v3 = adw_combo_row_get_selected (self->version_row) == PW_SNMP_VERSION_3;
  gboolean auth = adw_combo_row_get_selected (self->auth_row) != PW_SNMP_AUTH_NONE;

  gtk_widget_set_visible (GTK_WIDGET (self->community_group), !v3);
  gtk_widget_set_visible (GTK_WIDGET (self->v3_group), v3);
  gtk_widget_set_sensitive (GTK_WIDGET (self->auth_pass_row), auth);
  /* RFC 3414: no privacy without authentication. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->priv_row), auth);
  gtk_widget_set_sensitive (GTK_WIDGET (self->priv_pass_row),
                            auth && adw_combo_row_get_selected (self->priv_row) != PW_SNMP_PRIV_NONE);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(PwCredentialsDialog) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  gint64 id = pw_agent_save_credential_profile_finish (PW_AGENT (source), res, &error);

  if (self == NULL || self->closed)
    return;
  self->saving = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "credentials.save", TRUE);
  if (id == 0)
    {
      pw_dialog_set_message (self->message, error->message, TRUE);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwCredentialsDialog *self = PW_CREDENTIALS_DIALOG (widget);
  g_autoptr(PwCredentialProfile) profile = pw_credential_profile_copy (self->profile);
  const char *secret, *priv_secret = NULL;
  gboolean v3;

  if (self->saving)
    return;
  g_free (profile->name);
  profile->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  profile->version = adw_combo_row_get_selected (self->version_row);
  v3 = profile->version == PW_SNMP_VERSION_3;
  g_clear_pointer (&profile->user, g_free);
  profile->auth_protocol = PW_SNMP_AUTH_NONE;
  profile->priv_protocol = PW_SNMP_PRIV_NONE;
  if (v3)
    {
      profile->user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
      profile->auth_protocol = adw_combo_row_get_selected (self->auth_row);
      if (profile->auth_protocol != PW_SNMP_AUTH_NONE)
        profile->priv_protocol = adw_combo_row_get_selected (self->priv_row);
      secret = gtk_editable_get_text (GTK_EDITABLE (self->auth_pass_row));
      priv_secret = gtk_editable_get_text (GTK_EDITABLE (self->priv_pass_row));
    }
  else
    secret = gtk_editable_get_text (GTK_EDITABLE (self->community_row));

  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "credentials.save", FALSE);
  pw_dialog_set_message (self->message, NULL, FALSE);
  /* Not cancelled by closing: a save is all or nothing, and short. */
  pw_agent_save_credential_profile_async (self->agent, profile, secret, priv_secret, NULL, saved_cb,
                                          pw_dialog_weak_new (self));
}

static void
pw_credentials_dialog_dispose (GObject *object)
{
  PwCredentialsDialog *self = PW_CREDENTIALS_DIALOG (object);

  self->closed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_CREDENTIALS_DIALOG);

  G_OBJECT_CLASS (pw_credentials_dialog_parent_class)->dispose (object);
}

static void
pw_credentials_dialog_finalize (GObject *object)
{
  PwCredentialsDialog *self = PW_CREDENTIALS_DIALOG (object);

  g_clear_object (&self->agent);
  g_clear_pointer (&self->profile, pw_credential_profile_free);

  G_OBJECT_CLASS (pw_credentials_dialog_parent_class)->finalize (object);
}

static void
pw_credentials_dialog_class_init (PwCredentialsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_credentials_dialog_dispose;
  object_class->finalize = pw_credentials_dialog_finalize;

  /**
   * PwCredentialsDialog::saved:
   *
   * The profile and its secrets are stored; the dialog closes.
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-credentials-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, community_group);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, community_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, v3_group);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, auth_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, auth_pass_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, priv_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, priv_pass_row);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, PwCredentialsDialog, message);
  gtk_widget_class_bind_template_callback (widget_class, version_changed_cb);

  gtk_widget_class_install_action (widget_class, "credentials.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pw_credentials_dialog_init (PwCredentialsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  version_changed_cb (self);
}

/**
 * pw_credentials_dialog_new:
 * @profile: (nullable): the stored profile to change, or %NULL for a new one
 */
PwCredentialsDialog *
pw_credentials_dialog_new (PwAgent                   *agent,
                           const PwCredentialProfile *profile)
{
  PwCredentialsDialog *self;

  g_return_val_if_fail (PW_IS_AGENT (agent), NULL);

  self = g_object_new (PW_TYPE_CREDENTIALS_DIALOG, NULL);
  self->agent = g_object_ref (agent);
  if (profile == NULL)
    {
      self->profile = pw_credential_profile_new ("", PW_SNMP_VERSION_2C);
      return self;
    }

  self->profile = pw_credential_profile_copy (profile);
  gtk_window_set_title (GTK_WINDOW (self), profile->name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), profile->name);
  adw_combo_row_set_selected (self->version_row, profile->version);
  if (profile->version == PW_SNMP_VERSION_3)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), profile->user != NULL ? profile->user : "");
      adw_combo_row_set_selected (self->auth_row, profile->auth_protocol);
      adw_combo_row_set_selected (self->priv_row, profile->priv_protocol);
    }
  gtk_label_set_text (self->hint_label, _("The community and the passphrases are kept in the keyring. Leave "
                                          "them empty to keep the ones stored."));
  return self;
}
