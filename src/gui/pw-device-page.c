/* pw-device-page.c: one printer, all the agent knows of it.
 *
 * The page follows its printer in the agent's fleet: when a poll brings a
 * new snapshot, the fleet holds a new PwDevice with the same id, and the
 * page shows that one. "Poll now", the contract switch and removal go
 * through the agent and the store; the page tells how they went with
 * ::toast, and that its printer is gone with ::removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-device-page"

#include "config.h"

#include "pw-device-page-private.h"

#include <glib/gi18n.h>

/* The days the chart shows. */
#define HISTORY_DAYS 90

G_DEFINE_FINAL_TYPE (PwDevicePage, pw_device_page, ADW_TYPE_BIN)

enum {
  SIGNAL_TOAST,
  SIGNAL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (PwDevicePage *self,
       const char   *text)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

static void
update_actions (PwDevicePage *self)
{
  gboolean ready = self->agent != NULL && self->device != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.poll", ready && !self->polling);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.remove", ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scope_switch), ready);
  gtk_stack_set_visible_child_name (self->poll_stack, self->polling ? "busy" : "idle");
}

/* The chart */

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) days = pw_history_load_pages_finish (result, &error);
  PwDevicePage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* another device, or the page is gone */
  self = PW_DEVICE_PAGE (user_data);
  if (days == NULL)
    g_debug ("No history: %s", error->message);
  pw_history_chart_set_days (self->history_chart, days);
}

/* Loads the chart again when the device has a new snapshot. */
static void
load_history (PwDevicePage *self,
              gboolean      same_device)
{
  PwSnapshot *latest = pw_device_get_latest (self->device);
  gint64 snapshot_id = latest != NULL ? pw_snapshot_get_id (latest) : 0;

  if (same_device && snapshot_id == self->history_of)
    return;
  self->history_of = snapshot_id;
  if (self->history_load != NULL)
    g_cancellable_cancel (self->history_load);
  g_clear_object (&self->history_load);
  if (!same_device)
    pw_history_chart_set_days (self->history_chart, NULL);
  self->history_load = g_cancellable_new ();
  pw_history_load_pages_async (pw_agent_get_store (self->agent), pw_device_get_id (self->device),
                               HISTORY_DAYS, self->history_load, history_loaded_cb, self);
}

/* Following the fleet */

static void
fleet_changed_cb (PwDevicePage *self,
                  guint         position,
                  guint         removed,
                  guint         added,
                  GListModel   *fleet)
{
  PwDevice *shown;

  if (self->device == NULL)
    return;
  shown = pw_fleet_lookup (PW_FLEET (fleet), pw_device_get_id (self->device), NULL);
  if (shown == NULL)
    g_signal_emit (self, signals[SIGNAL_REMOVED], 0);
  else if (shown != self->device)
    pw_device_page_set_device (self, shown);
}

/* Actions */

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = pw_agent_poll_finish (PW_AGENT (source), result, &error);
  PwDevicePage *self;
  const PwPollResult *poll;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PW_DEVICE_PAGE (user_data);
  self->polling = FALSE;
  update_actions (self);
  if (results == NULL || results->len == 0)
    {
      toast (self, error != NULL ? error->message : _("The printer was not polled"));
      return;
    }
  poll = results->pdata[0];
  if (poll->ok)
    /* TRANSLATORS: after "Poll now": the printer's address */
    text = g_strdup_printf (_("%s answered"), poll->host);
  else
    /* TRANSLATORS: after "Poll now": the printer's address, then why it did not answer */
    text = g_strdup_printf (_("%s did not answer: %s"), poll->host, poll->message);
  toast (self, text);
}

static void
poll_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwDevicePage *self = PW_DEVICE_PAGE (widget);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->agent == NULL || self->device == NULL || self->polling)
    return;
  g_ptr_array_add (devices, g_object_ref (self->device));
  self->polling = TRUE;
  update_actions (self);
  pw_agent_poll_async (self->agent, devices, self->cancellable, polled_cb, self);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PwDevicePage *self;

  if (!pw_agent_remove_device_finish (PW_AGENT (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PW_DEVICE_PAGE (user_data);
  if (error != NULL)
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Printer removed"));
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0);
}

static void
remove_response_cb (PwDevicePage     *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "pw-device-id"));

  if (!g_str_equal (response, "remove") || self->agent == NULL)
    return;
  pw_agent_remove_device_async (self->agent, id, self->cancellable, removed_cb, self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PwDevicePage *self = PW_DEVICE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->agent == NULL || self->device == NULL)
    return;
  /* TRANSLATORS: the question before a printer is removed: its name */
  heading = g_strdup_printf (_("Remove “%s”?"), pw_device_get_display_name (self->device));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Its meter history is deleted with it. A discovery finds it again "
                                     "while it is on the network."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The answer is about this printer, whatever the page shows by then. */
  g_object_set_data (G_OBJECT (dialog), "pw-device-id", GSIZE_TO_POINTER (pw_device_get_id (self->device)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
scope_changed_cb (PwDevicePage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_switch_get_active (self->scope_switch);

  if (self->showing || self->device == NULL || self->agent == NULL ||
      active == pw_device_get_in_scope (self->device))
    return;
  pw_device_set_in_scope (self->device, active);
  if (!pw_store_update_device (pw_agent_get_store (self->agent), self->device, &error))
    {
      pw_device_set_in_scope (self->device, !active);
      self->showing = TRUE;
      gtk_switch_set_active (self->scope_switch, !active);
      self->showing = FALSE;
      toast (self, error->message);
      return;
    }
  pw_fleet_refresh_device (pw_agent_get_fleet (self->agent), pw_device_get_id (self->device));
}

/* GObject */

static void
pw_device_page_dispose (GObject *object)
{
  PwDevicePage *self = PW_DEVICE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->history_load != NULL)
    g_cancellable_cancel (self->history_load);
  g_clear_object (&self->history_load);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_DEVICE_PAGE);
  g_clear_object (&self->device);
  g_clear_object (&self->agent);

  G_OBJECT_CLASS (pw_device_page_parent_class)->dispose (object);
}

static void
pw_device_page_finalize (GObject *object)
{
  PwDevicePage *self = PW_DEVICE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (pw_device_page_parent_class)->finalize (object);
}

static void
pw_device_page_class_init (PwDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_device_page_dispose;
  object_class->finalize = pw_device_page_finalize;

  /**
   * PwDevicePage::toast:
   * @text: how an action went, in words
   */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * PwDevicePage::removed:
   *
   * The page's printer is gone from the fleet.
   */
  signals[SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (PW_TYPE_HISTORY_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-device-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, poll_stack);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, status_group);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, history_group);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, supplies_group);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, counters_group);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, identity_group);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, options_group);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, history_chart);
  gtk_widget_class_bind_template_child (widget_class, PwDevicePage, scope_switch);
  gtk_widget_class_bind_template_callback (widget_class, scope_changed_cb);

  gtk_widget_class_install_action (widget_class, "device.poll", NULL, poll_action);
  gtk_widget_class_install_action (widget_class, "device.remove", NULL, remove_action);
}

static void
pw_device_page_init (PwDevicePage *self)
{
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
pw_device_page_new (void)
{
  return g_object_new (PW_TYPE_DEVICE_PAGE, NULL);
}

/**
 * pw_device_page_set_agent:
 * @agent: (nullable): whose fleet the page follows
 */
void
pw_device_page_set_agent (PwDevicePage *self,
                          PwAgent      *agent)
{
  g_return_if_fail (PW_IS_DEVICE_PAGE (self));
  g_return_if_fail (agent == NULL || PW_IS_AGENT (agent));

  if (self->agent == agent)
    return;
  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_func (pw_agent_get_fleet (self->agent), fleet_changed_cb, self);
  pw_device_page_set_device (self, NULL);
  g_set_object (&self->agent, agent);
  if (agent != NULL)
    g_signal_connect_object (pw_agent_get_fleet (agent), "items-changed", G_CALLBACK (fleet_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update_actions (self);
}

/**
 * pw_device_page_set_device:
 * @device: (nullable): the printer to show
 */
void
pw_device_page_set_device (PwDevicePage *self,
                           PwDevice     *device)
{
  gboolean same_device;

  g_return_if_fail (PW_IS_DEVICE_PAGE (self));
  g_return_if_fail (device == NULL || PW_IS_DEVICE (device));

  if (self->device == device)
    return;
  same_device = self->device != NULL && device != NULL && pw_device_get_id (self->device) == pw_device_get_id (device);
  g_set_object (&self->device, device);

  _pw_device_page_fill (self);
  if (device != NULL)
    {
      g_autofree char *address = pw_device_dup_address (device);

      adw_window_title_set_title (self->window_title, pw_device_get_display_name (device));
      adw_window_title_set_subtitle (self->window_title, address);
      self->showing = TRUE;
      gtk_switch_set_active (self->scope_switch, pw_device_get_in_scope (device));
      self->showing = FALSE;
      if (self->agent != NULL)
        load_history (self, same_device);
    }
  else
    {
      adw_window_title_set_title (self->window_title, "");
      adw_window_title_set_subtitle (self->window_title, NULL);
      pw_history_chart_set_days (self->history_chart, NULL);
      self->history_of = 0;
    }
  update_actions (self);
}

/**
 * pw_device_page_get_device:
 *
 * Returns: (transfer none) (nullable): the printer shown
 */
PwDevice *
pw_device_page_get_device (PwDevicePage *self)
{
  g_return_val_if_fail (PW_IS_DEVICE_PAGE (self), NULL);
  return self->device;
}
