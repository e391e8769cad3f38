/* pw-window.c: the Printwatch main window.
 *
 * The window shows the agent's fleet: first "Opening the Printer List…"
 * (the application opens the store), then either what a newcomer should do
 * first or the table of printers; a printer's row leads to its page. It
 * holds no state of its own but which page is shown: the fleet lives in
 * the agent and follows every poll.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-window"

#include "config.h"

#include "pw-window-private.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (PwWindow, pw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Which of opening, failed, empty and the table the list page shows. */
static void
update_view (PwWindow *self)
{
  PwFleet *fleet = self->agent != NULL ? pw_agent_get_fleet (self->agent) : NULL;
  const GError *error;

  if (fleet == NULL || !pw_fleet_get_loaded (fleet))
    {
      gtk_stack_set_visible_child_name (self->stack, "status");
      return;
    }
  error = pw_fleet_get_error (fleet);
  if (error != NULL && g_list_model_get_n_items (G_LIST_MODEL (fleet)) == 0)
    {
      pw_window_show_error (self, error);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (fleet)) > 0 ? "fleet" : "empty");
}

static void
device_activated_cb (PwWindow *self,
                     PwDevice *device)
{
  pw_window_show_device (self, device);
}

static void
device_toast_cb (PwWindow   *self,
                 const char *text)
{
  _pw_window_toast (self, text);
}

static void
device_removed_cb (PwWindow *self)
{
  pw_window_show_list (self);
}

/* The page of a printer no longer shown lets go of it once the list is back. */
static void
transition_cb (PwWindow *self)
{
  if (self->leaflet == NULL || self->device_page == NULL)
    return;  /* disposed */
  if (!adw_leaflet_get_child_transition_running (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->list_page)
    pw_device_page_set_device (self->device_page, NULL);
}

static void
search_changed_cb (PwWindow *self)
{
  pw_fleet_view_set_search_text (self->fleet_view, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
poll_clicked_cb (PwWindow *self)
{
  _pw_window_poll_clicked (self);
}

static void
pw_window_dispose (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);

  if (self->poll != NULL)
    g_cancellable_cancel (self->poll);
  g_clear_object (&self->poll);
  if (self->agent != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agent, self);
      g_signal_handlers_disconnect_by_data (pw_agent_get_fleet (self->agent), self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_WINDOW);
  g_clear_object (&self->agent);

  G_OBJECT_CLASS (pw_window_parent_class)->dispose (object);
}

static void
pw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PwWindow *self = PW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      g_value_set_object (value, self->agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PwWindow *self = PW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      pw_window_set_agent (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_window_class_init (PwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_window_dispose;
  object_class->get_property = pw_window_get_property;
  object_class->set_property = pw_window_set_property;

  /* NULL while the application opens the store. */
  properties[PROP_AGENT] =
    g_param_spec_object ("agent", NULL, NULL, PW_TYPE_AGENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_FLEET_VIEW);
  g_type_ensure (PW_TYPE_DEVICE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, list_page);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, poll_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, poll_stack);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, poll_label);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, poll_progress);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, fleet_view);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, device_page);
  gtk_widget_class_bind_template_callback (widget_class, device_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, device_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, device_removed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, poll_clicked_cb);

  _pw_window_class_add_actions (widget_class);
}

static void
pw_window_init (PwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->fleet_view));
  g_signal_connect_object (self->leaflet, "notify::child-transition-running", G_CALLBACK (transition_cb), self,
                           G_CONNECT_SWAPPED);
  _pw_window_update_actions (self);
}

/**
 * pw_window_new:
 * @application: (nullable): the application
 * @agent: (nullable): the agent, or %NULL until the store is open
 */
PwWindow *
pw_window_new (GtkApplication *application,
               PwAgent        *agent)
{
  return g_object_new (PW_TYPE_WINDOW,
                       "application", application,
                       "agent", agent,
                       NULL);
}

PwAgent *
pw_window_get_agent (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  return self->agent;
}

/**
 * pw_window_set_agent:
 * @agent: (nullable): whose fleet the window shows
 */
void
pw_window_set_agent (PwWindow *self,
                     PwAgent  *agent)
{
  PwFleet *fleet;

  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (agent == NULL || PW_IS_AGENT (agent));

  if (self->agent == agent)
    return;
  if (self->agent != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agent, self);
      g_signal_handlers_disconnect_by_data (pw_agent_get_fleet (self->agent), self);
    }
  g_set_object (&self->agent, agent);

  fleet = agent != NULL ? pw_agent_get_fleet (agent) : NULL;
  if (fleet != NULL)
    {
      g_signal_connect_object (fleet, "notify::loaded", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (fleet, "notify::n-items", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "poll-progress", G_CALLBACK (_pw_window_poll_progress), self,
                               G_CONNECT_SWAPPED);
    }
  pw_fleet_view_set_devices (self->fleet_view, G_LIST_MODEL (fleet));
  pw_device_page_set_agent (self->device_page, agent);
  pw_window_show_list (self);
  update_view (self);
  _pw_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
}

/**
 * pw_window_show_error:
 *
 * Shows why the printer list cannot be shown, e.g. the store did not open.
 */
void
pw_window_show_error (PwWindow     *self,
                      const GError *error)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  escaped = g_markup_escape_text (error->message, -1);
  adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->status_page, _("Cannot Open the Printer List"));
  adw_status_page_set_description (self->status_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

/**
 * pw_window_show_device:
 *
 * Shows the printer's page.
 */
void
pw_window_show_device (PwWindow *self,
                       PwDevice *device)
{
  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (PW_IS_DEVICE (device));

  pw_device_page_set_device (self->device_page, device);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->device_page));
}

void
pw_window_show_list (PwWindow *self)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
  transition_cb (self);
}

/* Whether "poll all" runs. */
gboolean
pw_window_get_polling (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), FALSE);
  return self->poll != NULL;
}

PwFleetView *
pw_window_get_fleet_view (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  return self->fleet_view;
}

PwDevicePage *
pw_window_get_device_page (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  return self->device_page;
}

void
_pw_window_toast (PwWindow   *self,
                  const char *text)
{
  /* A toast's title is markup in libadwaita 1.2, and the text may be a printer's. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
