/* pw-discovery-dialog.c: find the printers of a network and add them.
 *
 * Three pages: what to sweep and with which credentials (the targets are
 * parsed as they are typed, the error in words under them), the sweep
 * with its progress and the printers as they answer, and a summary (new,
 * already known, and each address that failed, in words). The agent
 * sweeps and stores; the dialog only shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-discovery-dialog"

#include "config.h"

#include "pw-discovery-dialog.h"
#include "pw-dialog-util.h"
#include "pw-dialogs.h"

#include <glib/gi18n.h>

/* Beyond this, the summary counts the rest instead of listing them. */
#define MAX_SUMMARY_ROWS 200

struct _PwDiscoveryDialog
{
  AdwWindow       parent_instance;

  PwAgent        *agent;        /* owned */
  GCancellable   *cancellable;  /* owned: the dialog's own work */
  GCancellable   *sweep;        /* owned while a sweep runs */
  GPtrArray      *profiles;     /* owned, of PwCredentialProfile: the chooser's items after the first */
  GHashTable     *known;        /* owned: address → whether the list had that printer */
  gboolean        targets_ok;
  gboolean        closed;

  /* template children */
  GtkStack       *stack;
  AdwEntryRow    *targets_row;
  GtkLabel       *targets_message;
  AdwComboRow    *profile_row;
  GtkStringList  *profile_names;
  GtkLabel       *start_message;
  AdwStatusPage  *running_page;
  GtkProgressBar *progress_bar;
  GtkLabel       *found_label;
  GtkListBox     *found_list;
  AdwStatusPage  *summary_page;
  GtkListBox     *summary_list;
};

G_DEFINE_FINAL_TYPE (PwDiscoveryDialog, pw_discovery_dialog, ADW_TYPE_WINDOW)

static void
update_actions (PwDiscoveryDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "discovery.start", self->targets_ok && self->sweep == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "discovery.cancel", self->sweep != NULL);
}

static void
targets_changed_cb (PwDiscoveryDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->targets_row));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(PwTargetSpec) targets = NULL;
  g_autoptr(GError) error = NULL;

  if (trimmed[0] == '\0')
    {
      self->targets_ok = FALSE;
      pw_dialog_set_message (self->targets_message, NULL, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->targets_row), "error");
    }
  else if ((targets = pw_target_spec_parse (text, PW_SNMP_DEFAULT_PORT, 0, &error)) == NULL)
    {
      self->targets_ok = FALSE;
      pw_dialog_set_message (self->targets_message, error->message, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->targets_row), "error");
    }
  else
    {
      gulong count = (gulong) MIN (pw_target_spec_get_count (targets), G_MAXULONG);
      g_autofree char *hint = g_strdup_printf (ngettext ("%lu address to sweep", "%lu addresses to sweep", count),
                                               count);

      self->targets_ok = TRUE;
      pw_dialog_set_message (self->targets_message, hint, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->targets_row), "error");
    }
  update_actions (self);
}

static void
targets_activated_cb (PwDiscoveryDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "discovery.start", NULL);
}

static void
profiles_listed_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(PwDiscoveryDialog) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = pw_agent_list_credential_profiles_finish (PW_AGENT (source), res, &error);

  if (self == NULL || self->closed)
    return;
  if (profiles == NULL)
    {
      pw_dialog_set_message (self->start_message, error->message, TRUE);
      return;
    }
  for (guint i = 0; i < profiles->len; i++)
    {
      const PwCredentialProfile *profile = profiles->pdata[i];
      const char *kind = profile->version == PW_SNMP_VERSION_1 ? "SNMPv1"
                       : profile->version == PW_SNMP_VERSION_3 ? "SNMPv3" : "SNMPv2c";
      /* TRANSLATORS: a credentials profile in a menu: its name, then "SNMPv3" or the like */
      g_autofree char *item = g_strdup_printf (_("%s (%s)"), profile->name, kind);

      gtk_string_list_append (self->profile_names, item);
    }
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);
}

/* "Vendor Model", else the name it gives itself, else its address. */
static char *
describe_printer (PwSnapshot *identity,
                  const char *address)
{
  const char *vendor = pw_snapshot_get_identity (identity, PW_IDENTITY_VENDOR);
  const char *model = pw_snapshot_get_identity (identity, PW_IDENTITY_MODEL);
  const char *name = pw_snapshot_get_identity (identity, PW_IDENTITY_SYS_NAME);

  if (vendor != NULL && model != NULL && !g_str_has_prefix (model, vendor))
    return g_strdup_printf ("%s %s", vendor, model);
  if (model != NULL || vendor != NULL)
    return g_strdup (model != NULL ? model : vendor);
  return g_strdup (name != NULL ? name : address);
}

static GtkWidget *
printer_row_new (const PwDiscoveryResult *result,
                 const char              *state)
{
  g_autofree char *address = pw_address_format (result->host, result->port);
  g_autofree char *title = describe_printer (result->identity, address);
  const char *serial = pw_snapshot_get_identity (result->identity, PW_IDENTITY_SERIAL);
  g_autofree char *subtitle = NULL;

  /* TRANSLATORS: under a printer found: its address, its serial number, and "New" or "Already in the list" */
  if (serial != NULL)
    subtitle = g_strdup_printf (_("%s · serial %s · %s"), address, serial, state);
  else
    subtitle = g_strdup_printf (_("%s · %s"), address, state);
  return pw_dialog_row_new (title, subtitle);
}

static const char *
state_text (gboolean known)
{
  return known ? _("Already in the list") : _("New");
}

static void
progress_cb (PwAgent           *agent,
             guint              done,
             guint              total,
             guint              found,
             PwDiscoveryDialog *self)
{
  g_autofree char *text = g_strdup_printf (_("%u of %u addresses"), done, total);
  g_autofree char *found_text = g_strdup_printf (ngettext ("%u printer found so far", "%u printers found so far",
                                                           found), found);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_label_set_text (self->found_label, found_text);
}

static void
printer_found_cb (PwAgent           *agent,
                  PwDiscoveryResult *result,
                  gboolean           known,
                  PwDiscoveryDialog *self)
{
  g_hash_table_insert (self->known, pw_address_format (result->host, result->port), GINT_TO_POINTER (known));
  gtk_list_box_append (self->found_list, printer_row_new (result, state_text (known)));
  gtk_widget_set_visible (GTK_WIDGET (self->found_list), TRUE);
}

static void
add_problem_row (PwDiscoveryDialog       *self,
                 const PwDiscoveryResult *result)
{
  g_autofree char *address = pw_address_format (result->host, result->port);
  GtkWidget *row = pw_dialog_row_new (address, result->message);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->summary_list, row);
}

static void
list_results (PwDiscoveryDialog *self,
              GPtrArray         *results)
{
  guint shown = 0, left = 0;

  /* The printers first, then what went wrong where. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < results->len; i++)
      {
        const PwDiscoveryResult *result = results->pdata[i];
        gboolean printer = result->outcome == PW_DISCOVERY_PRINTER && !result->duplicate;
        gboolean problem = result->outcome == PW_DISCOVERY_REFUSED || result->outcome == PW_DISCOVERY_FAILED;

        if (!(pass == 0 ? printer : problem))
          continue;
        if (shown == MAX_SUMMARY_ROWS)
          {
            left++;
            continue;
          }
        shown++;
        if (printer)
          {
            g_autofree char *address = pw_address_format (result->host, result->port);
            gpointer known = NULL;

            if (g_hash_table_lookup_extended (self->known, address, NULL, &known))
              gtk_list_box_append (self->summary_list, printer_row_new (result, state_text (GPOINTER_TO_INT (known))));
            else
              gtk_list_box_append (self->summary_list, printer_row_new (result, _("Found")));
          }
        else
          add_problem_row (self, result);
      }
  if (left > 0)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("…and %u more", "…and %u more", left), left);

      gtk_list_box_append (self->summary_list, pw_dialog_row_new (more, NULL));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->summary_list), shown > 0);
}

static void
show_summary (PwDiscoveryDialog        *self,
              GPtrArray                *results,
              const PwDiscoverySummary *summary,
              const GError             *error)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;

  pw_dialog_clear_list (self->summary_list);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_list), FALSE);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      title = g_strdup (_("Discovery Failed"));
      g_string_append (description, error->message);
      adw_status_page_set_icon_name (self->summary_page, "dialog-error-symbolic");
    }
  else
    {
      if (error != NULL)
        title = g_strdup (_("Discovery Stopped"));
      else if (summary->printers == 0)
        title = g_strdup (_("No Printers Found"));
      else
        title = g_strdup_printf (ngettext ("%u Printer Found", "%u Printers Found", summary->printers),
                                 summary->printers);
      g_string_append_printf (description, ngettext ("%lu address swept", "%lu addresses swept",
                                                     (gulong) MIN (summary->swept, G_MAXULONG)),
                              (gulong) MIN (summary->swept, G_MAXULONG));
      if (summary->printers > 0)
        {
          g_string_append (description, "\n");
          g_string_append_printf (description, _("%u new, %u already in the list"), summary->added, summary->known);
        }
      if (summary->other > 0)
        {
          g_string_append (description, "\n");
          g_string_append_printf (description, ngettext ("%u other SNMP device, not a printer",
                                                         "%u other SNMP devices, not printers", summary->other),
                                  summary->other);
        }
      if (summary->refused + summary->failed > 0)
        {
          g_string_append (description, "\n");
          g_string_append_printf (description, ngettext ("%u address could not be read",
                                                         "%u addresses could not be read",
                                                         summary->refused + summary->failed),
                                  summary->refused + summary->failed);
        }
      if (results != NULL)
        list_results (self, results);
    }
  escaped = g_markup_escape_text (description->str, -1);
  adw_status_page_set_title (self->summary_page, title);
  adw_status_page_set_description (self->summary_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "summary");
}

static void
stop_listening (PwDiscoveryDialog *self)
{
  g_signal_handlers_disconnect_by_data (self->agent, self);
  g_clear_object (&self->sweep);
}

static void
discovered_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(PwDiscoveryDialog) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  PwDiscoverySummary summary = { 0 };
  g_autoptr(GPtrArray) results = pw_agent_discover_finish (PW_AGENT (source), res, &summary, &error);

  if (self == NULL || self->closed)
    return;
  stop_listening (self);
  update_actions (self);
  if (g_error_matches (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_TOO_LARGE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      pw_dialog_set_message (self->start_message, error->message, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "setup");
      return;
    }
  if (summary.printers > 0)
    {
      pw_agent_reload_fleet (self->agent);
    }
  show_summary (self, results, &summary, error);
}

static void
begin_sweep (PwDiscoveryDialog *self,
             GPtrArray         *credentials)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->targets_row));
  g_autoptr(PwTargetSpec) targets = pw_target_spec_parse (text, PW_SNMP_DEFAULT_PORT, 0, NULL);
  gulong count = targets != NULL ? (gulong) MIN (pw_target_spec_get_count (targets), G_MAXULONG) : 0;
  g_autofree char *description = g_strdup_printf (ngettext ("Sweeping %lu address", "Sweeping %lu addresses", count),
                                                  count);

  adw_status_page_set_description (self->running_page, description);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, "");
  gtk_label_set_text (self->found_label, _("No printers found yet"));
  pw_dialog_clear_list (self->found_list);
  gtk_widget_set_visible (GTK_WIDGET (self->found_list), FALSE);
  g_hash_table_remove_all (self->known);
  gtk_stack_set_visible_child_name (self->stack, "running");

  g_signal_connect_object (self->agent, "discovery-progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (self->agent, "printer-found", G_CALLBACK (printer_found_cb), self, 0);
  pw_agent_discover_async (self->agent, text, credentials, self->sweep, discovered_cb,
                           pw_dialog_weak_new (self));
}

static void
credentials_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(PwDiscoveryDialog) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwSnmpCredentials) credentials = pw_agent_profile_credentials_finish (PW_AGENT (source), res, &error);
  g_autoptr(GPtrArray) list = NULL;

  if (self == NULL || self->closed)
    return;
  if (credentials == NULL)
    {
      g_clear_object (&self->sweep);
      update_actions (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pw_dialog_set_message (self->start_message, error->message, TRUE);
      return;
    }
  list = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (list, g_steal_pointer (&credentials));
  begin_sweep (self, list);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PwDiscoveryDialog *self = PW_DISCOVERY_DIALOG (widget);
  guint selected = adw_combo_row_get_selected (self->profile_row);

  if (!self->targets_ok || self->sweep != NULL)
    return;
  self->sweep = g_cancellable_new ();
  update_actions (self);
  pw_dialog_set_message (self->start_message, NULL, FALSE);

  if (selected >= 1 && self->profiles != NULL && selected - 1 < self->profiles->len)
    pw_agent_profile_credentials_async (self->agent, self->profiles->pdata[selected - 1], self->sweep,
                                        credentials_cb, pw_dialog_weak_new (self));
  else
    {
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (list, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "public", NULL));
      begin_sweep (self, list);
    }
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PwDiscoveryDialog *self = PW_DISCOVERY_DIALOG (widget);

  /* The printers found until now are stored, then the summary tells. */
  if (self->sweep != NULL)
    g_cancellable_cancel (self->sweep);
  gtk_widget_action_set_enabled (widget, "discovery.cancel", FALSE);
}

static void
pw_discovery_dialog_dispose (GObject *object)
{
  PwDiscoveryDialog *self = PW_DISCOVERY_DIALOG (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->sweep != NULL)
    g_cancellable_cancel (self->sweep);
  if (self->agent != NULL)
    stop_listening (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_DISCOVERY_DIALOG);

  G_OBJECT_CLASS (pw_discovery_dialog_parent_class)->dispose (object);
}

static void
pw_discovery_dialog_finalize (GObject *object)
{
  PwDiscoveryDialog *self = PW_DISCOVERY_DIALOG (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);

  G_OBJECT_CLASS (pw_discovery_dialog_parent_class)->finalize (object);
}

static void
pw_discovery_dialog_class_init (PwDiscoveryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_discovery_dialog_dispose;
  object_class->finalize = pw_discovery_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-discovery-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, targets_row);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, targets_message);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, profile_row);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, profile_names);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, start_message);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, running_page);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, found_label);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, found_list);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, summary_page);
  gtk_widget_class_bind_template_child (widget_class, PwDiscoveryDialog, summary_list);
  gtk_widget_class_bind_template_callback (widget_class, targets_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, targets_activated_cb);

  gtk_widget_class_install_action (widget_class, "discovery.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "discovery.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pw_discovery_dialog_init (PwDiscoveryDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

PwDiscoveryDialog *
pw_discovery_dialog_new (PwAgent *agent)
{
  PwDiscoveryDialog *self;

  g_return_val_if_fail (PW_IS_AGENT (agent), NULL);

  self = g_object_new (PW_TYPE_DISCOVERY_DIALOG, NULL);
  self->agent = g_object_ref (agent);
  pw_agent_list_credential_profiles_async (agent, self->cancellable, profiles_listed_cb,
                                           pw_dialog_weak_new (self));
  return self;
}

/**
 * pw_show_discovery_dialog:
 * @parent: (nullable): the window it belongs to
 *
 * Opens the discovery dialog, modal over @parent.
 */
void
pw_show_discovery_dialog (GtkWindow *parent,
                          PwAgent   *agent)
{
  g_return_if_fail (PW_IS_AGENT (agent));

  pw_dialog_present (GTK_WINDOW (pw_discovery_dialog_new (agent)), parent, TRUE);
}
