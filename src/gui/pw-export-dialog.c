/* pw-export-dialog.c: choose a report, its period and format, and save it.
 *
 * The file is chosen with GtkFileChooserNative, so inside Flatpak the
 * FileChooser portal asks and hands back a file we may write. PwReport
 * writes it in a worker thread, whole or not at all; a toast then offers to
 * open it. Closing the dialog cancels a report being written.
 *
 * Test hook: _pw_export_dialog_set_file_for_testing() names the file in
 * advance, and export.save then writes it without showing the chooser (a
 * native dialog cannot be driven from a test).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-export-dialog"

#include "config.h"

#include "pw-export-dialog.h"
#include "pw-dialogs.h"

#include <glib/gi18n.h>

struct _PwExportDialog
{
  AdwWindow             parent_instance;

  PwAgent              *agent;        /* owned */
  GCancellable         *cancellable;  /* owned */
  GtkFileChooserNative *chooser;      /* owned while it is shown */
  GFile                *test_file;    /* owned, nullable: see the test hook */
  GFile                *saving;       /* owned while a report is written to it */
  PwReportOptions       options;      /* of the report being written */
  gboolean              busy;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *export_button;
  GtkSpinner           *spinner;
  GtkStringList        *kinds;
  AdwComboRow          *kind_row;
  AdwComboRow          *period_row;
  AdwEntryRow          *first_day_row;
  AdwEntryRow          *last_day_row;
  AdwComboRow          *format_row;
  AdwComboRow          *separator_row;
  AdwComboRow          *decimal_row;
};

G_DEFINE_FINAL_TYPE (PwExportDialog, pw_export_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_AGENT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The report kinds in the order of PwReportKind. */
static const PwReportKind kinds[] = {
  PW_REPORT_KIND_FLEET, PW_REPORT_KIND_METERS, PW_REPORT_KIND_SUPPLIES, PW_REPORT_KIND_ALERTS,
  PW_REPORT_KIND_SYNC_LOG,
};

static void
show_toast (PwExportDialog *self,
            AdwToast       *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_message (PwExportDialog *self,
              const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  show_toast (self, adw_toast_new (escaped));
}

static void
set_busy (PwExportDialog *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_rows (PwExportDialog *self)
{
  gboolean custom = adw_combo_row_get_selected (self->period_row) == PW_REPORT_PERIOD_CUSTOM;
  gboolean csv = adw_combo_row_get_selected (self->format_row) == PW_REPORT_FORMAT_CSV;

  gtk_widget_set_visible (GTK_WIDGET (self->first_day_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->last_day_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->separator_row), csv);
}

static void
row_changed_cb (PwExportDialog *self)
{
  update_rows (self);
}

static void
day_changed_cb (GtkEditable *row)
{
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* A day of the custom period, or FALSE with the row marked and a toast shown. */
static gboolean
read_day (PwExportDialog *self,
          AdwEntryRow    *row,
          gboolean        end_of_day,
          gint64         *unix_time)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (pw_time_parse_day (text, end_of_day, unix_time))
    return TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  {
    /* TRANSLATORS: a day the user typed for a report's period */
    g_autofree char *message = g_strdup_printf (_("“%s” is not a day: use 2026-11-24"), text);

    show_message (self, message);
  }
  return FALSE;
}

/* What the rows say, as report options; FALSE after telling the user why not. */
static gboolean
read_options (PwExportDialog  *self,
              PwReportOptions *options)
{
  guint kind = adw_combo_row_get_selected (self->kind_row);
  guint period = adw_combo_row_get_selected (self->period_row);

  pw_report_options_init (options);
  options->kind = kinds[MIN (kind, G_N_ELEMENTS (kinds) - 1)];
  options->format = adw_combo_row_get_selected (self->format_row) == PW_REPORT_FORMAT_HTML
                    ? PW_REPORT_FORMAT_HTML : PW_REPORT_FORMAT_CSV;
  options->separator = adw_combo_row_get_selected (self->separator_row) == 1 ? ';' : ',';
  options->decimal = adw_combo_row_get_selected (self->decimal_row) == 1 ? ',' : '.';
  options->site_name = pw_agent_get_site_name (self->agent);
  if (period != PW_REPORT_PERIOD_CUSTOM)
    {
      pw_report_options_set_period (options, period, g_get_real_time () / G_USEC_PER_SEC);
      return TRUE;
    }
  if (!read_day (self, self->first_day_row, FALSE, &options->from) ||
      !read_day (self, self->last_day_row, TRUE, &options->to))
    return FALSE;
  if (options->from >= options->to)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->last_day_row), "error");
      show_message (self, _("The period ends before it begins"));
      return FALSE;
    }
  return TRUE;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  PwExportDialog *self;

  if (!pw_report_save_finish (result, &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the dialog is gone */
  self = PW_EXPORT_DIALOG (user_data);
  file = g_steal_pointer (&self->saving);
  set_busy (self, FALSE);
  if (error != NULL)
    show_message (self, error->message);
  else
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *title = NULL;
      g_autofree char *escaped = g_markup_escape_text (name, -1);
      AdwToast *toast;

      /* TRANSLATORS: the file name of a report just written */
      title = g_strdup_printf (_("Saved as %s"), escaped);
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Open"));
      adw_toast_set_action_name (toast, "export.open");
      adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
      show_toast (self, toast);
    }
}

static void
save_to (PwExportDialog *self,
         GFile          *file)
{
  set_busy (self, TRUE);
  g_set_object (&self->saving, file);
  pw_report_save_async (pw_agent_get_store (self->agent), &self->options, file, self->cancellable, saved_cb,
                        self);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  PwExportDialog *self = PW_EXPORT_DIALOG (user_data);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    save_to (self, file);
}

static void
export_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwExportDialog *self = PW_EXPORT_DIALOG (widget);
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->busy || self->chooser != NULL || !read_options (self, &self->options))
    return;
  if (self->test_file != NULL)
    {
      save_to (self, self->test_file);
      return;
    }

  name = pw_report_suggest_filename (&self->options);
  self->chooser = gtk_file_chooser_native_new (_("Save the Report"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  if (self->options.format == PW_REPORT_FORMAT_HTML)
    {
      gtk_file_filter_set_name (filter, _("HTML pages"));
      gtk_file_filter_add_mime_type (filter, "text/html");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_open (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  /* GtkFileLauncher is 4.10; gtk_show_uri goes through the OpenURI portal where there is one. */
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

static void
pw_export_dialog_dispose (GObject *object)
{
  PwExportDialog *self = PW_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->agent);
  g_clear_object (&self->test_file);
  g_clear_object (&self->saving);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (pw_export_dialog_parent_class)->dispose (object);
}

static void
pw_export_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PwExportDialog *self = PW_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      g_value_set_object (value, self->agent);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_export_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PwExportDialog *self = PW_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      self->agent = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_export_dialog_class_init (PwExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_export_dialog_dispose;
  object_class->get_property = pw_export_dialog_get_property;
  object_class->set_property = pw_export_dialog_set_property;

  properties[PROP_AGENT] =
    g_param_spec_object ("agent", NULL, NULL, PW_TYPE_AGENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE while a report is being written. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, kinds);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, period_row);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, first_day_row);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, last_day_row);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, separator_row);
  gtk_widget_class_bind_template_child (widget_class, PwExportDialog, decimal_row);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_changed_cb);

  gtk_widget_class_install_action (widget_class, "export.save", NULL, export_save);
  gtk_widget_class_install_action (widget_class, "export.open", "s", export_open);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
set_day (AdwEntryRow *row,
         GDateTime   *day)
{
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
pw_export_dialog_init (PwExportDialog *self)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (today, -PW_REPORT_DEFAULT_DAYS);
  PwReportOptions defaults;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_string_list_append (self->kinds, pw_report_kind_get_label (kinds[i]));
  pw_report_options_init (&defaults);
  adw_combo_row_set_selected (self->separator_row, defaults.separator == ';' ? 1 : 0);
  adw_combo_row_set_selected (self->decimal_row, defaults.decimal == ',' ? 1 : 0);
  set_day (self->first_day_row, month_ago);
  set_day (self->last_day_row, today);
  update_rows (self);
}

/**
 * pw_export_dialog_new:
 * @parent: (nullable): the window it belongs to
 */
PwExportDialog *
pw_export_dialog_new (GtkWindow *parent,
                      PwAgent   *agent)
{
  g_return_val_if_fail (PW_IS_AGENT (agent), NULL);

  return g_object_new (PW_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "agent", agent,
                       NULL);
}

gboolean
pw_export_dialog_get_busy (PwExportDialog *self)
{
  g_return_val_if_fail (PW_IS_EXPORT_DIALOG (self), FALSE);
  return self->busy;
}

/* Test hook: export.save writes @file instead of asking for one. */
void
_pw_export_dialog_set_file_for_testing (PwExportDialog *self,
                                        GFile          *file)
{
  g_return_if_fail (PW_IS_EXPORT_DIALOG (self));
  g_set_object (&self->test_file, file);
}

void
pw_show_export_dialog (GtkWindow *parent,
                       PwAgent   *agent)
{
  gtk_window_present (GTK_WINDOW (pw_export_dialog_new (parent, agent)));
}
