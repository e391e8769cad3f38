/* pw-window-actions.c: what the main window can do, and its keys.
 *
 * The dialogs (discover, add a printer, the sync window, export) are
 * pw-dialogs.h's; "poll all" runs here, its progress in the header bar.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-window"

#include "config.h"

#include "pw-window-private.h"
#include "pw-dialogs.h"

#include <glib/gi18n.h>

static const char * const agent_actions[] = {
  "win.discover", "win.add-printer", "win.sync-window", "win.export-report",
};

void
_pw_window_update_actions (PwWindow *self)
{
  gboolean ready = self->agent != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (agent_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), agent_actions[i], ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.poll", ready && self->poll == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->poll_button), ready);
  gtk_stack_set_visible_child_name (self->poll_stack, self->poll != NULL ? "busy" : "idle");
  gtk_widget_set_visible (GTK_WIDGET (self->poll_progress), self->poll != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->poll_button),
                               self->poll != NULL ? _("Stop Polling") : _("Poll All Printers Now"));
}

static void
dialog_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  GtkWindow *window = GTK_WINDOW (widget);

  if (self->agent == NULL)
    return;
  if (g_str_equal (action_name, "win.discover"))
    pw_show_discovery_dialog (window, self->agent);
  else if (g_str_equal (action_name, "win.add-printer"))
    pw_show_add_printer_dialog (window, self->agent);
  else if (g_str_equal (action_name, "win.sync-window"))
    pw_show_sync_window (window, self->agent);
  else if (g_str_equal (action_name, "win.export-report"))
    pw_show_export_dialog (window, self->agent);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  pw_window_show_list (self);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pw_window_show_list (PW_WINDOW (widget));
}

/* Poll all */

void
_pw_window_poll_progress (PwWindow *self,
                          guint     done,
                          guint     total)
{
  g_autofree char *text = NULL;

  if (self->poll == NULL || total == 0)
    return;
  /* TRANSLATORS: printers polled so far, of all: "12 of 40" */
  text = g_strdup_printf (C_("poll progress", "%u of %u"), done, total);
  gtk_label_set_text (self->poll_label, text);
  gtk_progress_bar_set_fraction (self->poll_progress, (double) done / total);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
polled_all_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PwWindow) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = pw_agent_poll_finish (PW_AGENT (source), result, &error);
  g_autofree char *text = NULL;
  guint answered = 0;

  weak_ref_free (ref);
  if (self == NULL || self->poll == NULL)
    return;  /* the window is gone, or going */
  g_clear_object (&self->poll);
  _pw_window_update_actions (self);
  if (results == NULL)
    {
      _pw_window_toast (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Polling stopped")
                                                                                       : error->message);
      return;
    }
  for (guint i = 0; i < results->len; i++)
    answered += ((PwPollResult *) results->pdata[i])->ok;
  /* TRANSLATORS: after "poll all": printers polled, then how many of them answered */
  text = g_strdup_printf (ngettext ("Polled %u printer, %u answered", "Polled %u printers, %u answered",
                                    results->len),
                          results->len, answered);
  _pw_window_toast (self, text);
}

static void
poll_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  GWeakRef *ref;

  if (self->agent == NULL || self->poll != NULL)
    return;
  self->poll = g_cancellable_new ();
  gtk_label_set_text (self->poll_label, "");
  gtk_progress_bar_set_fraction (self->poll_progress, 0);
  _pw_window_update_actions (self);
  /* The window may close while the poll runs: its callback must not keep it. */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  pw_agent_poll_async (self->agent, NULL, self->poll, polled_all_cb, ref);
}

void
_pw_window_poll_clicked (PwWindow *self)
{
  if (self->poll != NULL)
    g_cancellable_cancel (self->poll);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.poll", NULL);
}

void
_pw_window_class_add_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (agent_actions); i++)
    gtk_widget_class_install_action (widget_class, agent_actions[i], NULL, dialog_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.poll", NULL, poll_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, show_list_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.poll", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-printer", NULL);
}
