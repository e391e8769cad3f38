/* pw-dialog-util.c: small pieces the dialogs share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-dialog-util.h"

/**
 * pw_dialog_row_new:
 * @subtitle: (nullable)
 *
 * A row of plain text: what it shows may come from a printer, and is
 * never read as markup.
 */
GtkWidget *
pw_dialog_row_new (const char *title,
                   const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/**
 * pw_dialog_set_message:
 * @text: (nullable): what to say under a field; %NULL hides the label
 * @is_error: shown as an error, else as a quiet hint
 */
void
pw_dialog_set_message (GtkLabel   *label,
                       const char *text,
                       gboolean    is_error)
{
  GtkWidget *widget = GTK_WIDGET (label);

  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (widget, text != NULL && text[0] != '\0');
  if (is_error)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_remove_css_class (widget, "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (widget, "dim-label");
      gtk_widget_remove_css_class (widget, "error");
    }
}

/* Removes the rows, and only them: the placeholder stays. */
void
pw_dialog_clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/**
 * pw_dialog_weak_new:
 *
 * A callback's hold on a dialog that may be closed before the call ends:
 * a closed dialog is finalized at once, and its dispose cancels its work.
 *
 * Returns: (transfer full): give it to the call as user_data
 */
gpointer
pw_dialog_weak_new (gpointer object)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

/**
 * pw_dialog_weak_take:
 * @weak: (transfer full): from pw_dialog_weak_new ()
 *
 * Returns: (transfer full) (nullable): the dialog, or %NULL if it is gone
 */
gpointer
pw_dialog_weak_take (gpointer weak)
{
  gpointer object = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return object;
}

/* Shows @dialog over @parent, destroyed with it. */
void
pw_dialog_present (GtkWindow *dialog,
                   GtkWindow *parent,
                   gboolean   modal)
{
  gtk_window_set_transient_for (dialog, parent);
  gtk_window_set_modal (dialog, modal && parent != NULL);
  gtk_window_set_destroy_with_parent (dialog, TRUE);
  gtk_window_present (dialog);
}
