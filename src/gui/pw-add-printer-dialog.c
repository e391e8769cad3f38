/* pw-add-printer-dialog.c: add one printer by its address.
 *
 * The address and the port are checked as they are typed, the reason in
 * words under them; "Add" waits for both to be valid. "Test connection"
 * reads the printer without storing anything and shows who answered (or
 * why nothing did); what it read becomes the printer's first snapshot
 * when it is added as tested.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-add-printer-dialog"

#include "config.h"

#include "pw-add-printer-dialog.h"
#include "pw-dialog-util.h"
#include "pw-dialogs.h"

#include <glib/gi18n.h>

struct _PwAddPrinterDialog
{
  AdwWindow     parent_instance;

  PwAgent      *agent;      /* owned */
  PwAddress    *address;    /* owned: what the fields say, or NULL while invalid */
  GCancellable *test;       /* owned while a test runs */
  char         *testing;    /* owned: the address being tested, as text */
  PwSnapshot   *answer;     /* owned: what the tested address answered */
  char         *answered;   /* owned: that address, as text */
  gboolean      closed;

  /* template children */
  GtkWidget    *add_button;
  AdwEntryRow  *address_row;
  AdwEntryRow  *port_row;
  GtkLabel     *address_message;
  GtkSpinner   *spinner;
  GtkWidget    *answer_group;
  AdwActionRow *vendor_row;
  AdwActionRow *model_row;
  AdwActionRow *serial_row;
  AdwActionRow *status_row;
  GtkLabel     *test_message;
};

G_DEFINE_FINAL_TYPE (PwAddPrinterDialog, pw_add_printer_dialog, ADW_TYPE_WINDOW)

static void
update_actions (PwAddPrinterDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-printer.add", self->address != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-printer.test", self->address != NULL && self->test == NULL);
}

static void
mark (AdwEntryRow *row,
      gboolean     bad)
{
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
address_changed_cb (PwAddPrinterDialog *self)
{
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  g_autofree char *port_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->port_row))));
  g_autoptr(GError) port_error = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = PW_SNMP_DEFAULT_PORT;
  gboolean port_ok = port_text[0] == '\0' || pw_address_parse_port (port_text, &port, &port_error);

  g_clear_pointer (&self->address, pw_address_free);
  if (host[0] != '\0')
    self->address = pw_address_parse (host, port, &error);
  if (!port_ok)
    g_clear_pointer (&self->address, pw_address_free);

  mark (self->address_row, error != NULL);
  mark (self->port_row, !port_ok);
  if (error != NULL)
    pw_dialog_set_message (self->address_message, error->message, TRUE);
  else if (!port_ok)
    pw_dialog_set_message (self->address_message, port_error->message, TRUE);
  else
    pw_dialog_set_message (self->address_message, NULL, FALSE);
  update_actions (self);
}

static void
address_activated_cb (PwAddPrinterDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "add-printer.test", NULL);
}

static void
set_answer_row (AdwActionRow *row,
                const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && value[0] != '\0' ? value : _("Not told"));
}

static void
tested_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(PwAddPrinterDialog) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwSnapshot) snapshot = pw_agent_test_connection_finish (PW_AGENT (source), res, &error);
  g_auto(GStrv) status = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *tested = NULL;

  if (self == NULL || self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  tested = g_steal_pointer (&self->testing);
  g_clear_object (&self->test);
  gtk_spinner_stop (self->spinner);
  update_actions (self);
  if (snapshot == NULL)
    {
      /* TRANSLATORS: %s says why a printer did not answer */
      g_autofree char *message = g_strdup_printf (_("No answer: %s"), error->message);

      pw_dialog_set_message (self->test_message, message, TRUE);
      g_clear_object (&self->answer);
      g_clear_pointer (&self->answered, g_free);
      return;
    }

  status = pw_snapshot_describe_status (snapshot);
  status_text = g_strv_length (status) > 0 ? g_strjoinv (", ", status) : NULL;
  set_answer_row (self->vendor_row, pw_snapshot_get_identity (snapshot, PW_IDENTITY_VENDOR));
  set_answer_row (self->model_row, pw_snapshot_get_identity (snapshot, PW_IDENTITY_MODEL));
  set_answer_row (self->serial_row, pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL));
  set_answer_row (self->status_row, status_text);
  gtk_widget_set_visible (self->answer_group, TRUE);
  pw_dialog_set_message (self->test_message, _("The printer answered."), FALSE);
  g_set_object (&self->answer, snapshot);
  g_free (self->answered);
  self->answered = g_steal_pointer (&tested);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwAddPrinterDialog *self = PW_ADD_PRINTER_DIALOG (widget);

  if (self->address == NULL || self->test != NULL)
    return;
  self->test = g_cancellable_new ();
  update_actions (self);
  gtk_widget_set_visible (self->answer_group, FALSE);
  gtk_spinner_start (self->spinner);
  pw_dialog_set_message (self->test_message, _("Asking the printer…"), FALSE);
  /* The answer belongs to this address: "Add" uses it only if the fields still say it. */
  g_free (self->testing);
  self->testing = pw_address_to_string (self->address);
  pw_agent_test_connection_async (self->agent, self->address->host, self->address->port, NULL, self->test,
                                  tested_cb, pw_dialog_weak_new (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PwAddPrinterDialog *self = PW_ADD_PRINTER_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = NULL;
  g_autofree char *shown = NULL;
  PwSnapshot *answer;

  if (self->address == NULL)
    return;
  shown = pw_address_to_string (self->address);
  answer = g_strcmp0 (self->answered, shown) == 0 ? self->answer : NULL;
  device = pw_agent_add_device (self->agent, self->address->host, self->address->port, answer, &error);
  if (device == NULL)
    {
      pw_dialog_set_message (self->address_message, error->message, TRUE);
      return;
    }
  pw_agent_reload_fleet (self->agent);
  gtk_window_close (GTK_WINDOW (self));
}

static void
pw_add_printer_dialog_dispose (GObject *object)
{
  PwAddPrinterDialog *self = PW_ADD_PRINTER_DIALOG (object);

  self->closed = TRUE;
  if (self->test != NULL)
    g_cancellable_cancel (self->test);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_ADD_PRINTER_DIALOG);

  G_OBJECT_CLASS (pw_add_printer_dialog_parent_class)->dispose (object);
}

static void
pw_add_printer_dialog_finalize (GObject *object)
{
  PwAddPrinterDialog *self = PW_ADD_PRINTER_DIALOG (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->test);
  g_clear_object (&self->answer);
  g_clear_pointer (&self->address, pw_address_free);
  g_free (self->testing);
  g_free (self->answered);

  G_OBJECT_CLASS (pw_add_printer_dialog_parent_class)->finalize (object);
}

static void
pw_add_printer_dialog_class_init (PwAddPrinterDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_add_printer_dialog_dispose;
  object_class->finalize = pw_add_printer_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-add-printer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, address_message);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, answer_group);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, vendor_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, serial_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, PwAddPrinterDialog, test_message);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_activated_cb);

  gtk_widget_class_install_action (widget_class, "add-printer.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "add-printer.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pw_add_printer_dialog_init (PwAddPrinterDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

PwAddPrinterDialog *
pw_add_printer_dialog_new (PwAgent *agent)
{
  PwAddPrinterDialog *self;

  g_return_val_if_fail (PW_IS_AGENT (agent), NULL);

  self = g_object_new (PW_TYPE_ADD_PRINTER_DIALOG, NULL);
  self->agent = g_object_ref (agent);
  return self;
}

/**
 * pw_show_add_printer_dialog:
 * @parent: (nullable): the window it belongs to
 *
 * Opens the dialog that adds a printer by its address, modal over @parent.
 */
void
pw_show_add_printer_dialog (GtkWindow *parent,
                            PwAgent   *agent)
{
  g_return_if_fail (PW_IS_AGENT (agent));

  pw_dialog_present (GTK_WINDOW (pw_add_printer_dialog_new (agent)), parent, TRUE);
}
