/* pw-sync-window.c: the daily transmission: when, how it went, what is sent.
 *
 * The agent's sync window (last data from the printers, last contact with
 * the server, last success, next run, last error) in local time and in
 * words, kept current by the agent's notifications and once a minute;
 * "Sync now" with its progress; the recent sync log; and the exact bytes
 * the next transmission sends, to read and copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-sync-window"

#include "config.h"

#include "pw-sync-window.h"
#include "pw-dialog-util.h"
#include "pw-dialogs.h"

#include <glib/gi18n.h>

/* Entries of the sync log shown. */
#define LOG_ROWS 30

struct _PwSyncWindow
{
  AdwWindow       parent_instance;

  PwAgent        *agent;        /* owned */
  GCancellable   *cancellable;  /* owned: all the window's calls */
  guint           tick_id;      /* the minute timer */
  gboolean        closed;

  /* template children */
  GtkStack       *stack;
  GtkWidget      *back_button;
  AdwActionRow   *last_data_row;
  AdwActionRow   *last_contact_row;
  AdwActionRow   *last_success_row;
  AdwActionRow   *next_sync_row;
  AdwActionRow   *last_error_row;
  GtkProgressBar *sync_progress;
  GtkLabel       *sync_message;
  GtkListBox     *log_list;
  GtkLabel       *payload_label;
  GtkTextView    *payload_view;
};

G_DEFINE_FINAL_TYPE (PwSyncWindow, pw_sync_window, ADW_TYPE_WINDOW)

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* "5 minutes ago (12/05/2024 14:03)"; "never". */
static char *
describe_time (gint64 when,
               gint64 now)
{
  g_autofree char *relative = pw_time_describe_relative (when, now);
  g_autoptr(GDateTime) local = when > 0 ? g_date_time_new_from_unix_local (when) : NULL;
  g_autofree char *absolute = local != NULL ? g_date_time_format (local, "%x %H:%M") : NULL;

  if (absolute == NULL)
    return g_steal_pointer (&relative);
  /* TRANSLATORS: a time in words, then as date and time: "5 minutes ago (12/05/2024 14:03)" */
  return g_strdup_printf (_("%s (%s)"), relative, absolute);
}

static void
set_time_row (AdwActionRow *row,
              gint64        when,
              gint64        now)
{
  g_autofree char *text = describe_time (when, now);

  adw_action_row_set_subtitle (row, text);
}

static void
refresh_times (PwSyncWindow *self)
{
  gint64 now = now_s ();
  g_autofree char *error = pw_agent_dup_last_error (self->agent);

  set_time_row (self->last_data_row, pw_agent_get_last_poll (self->agent), now);
  set_time_row (self->last_contact_row, pw_agent_get_last_server_contact (self->agent), now);
  set_time_row (self->last_success_row, pw_agent_get_last_success (self->agent), now);
  set_time_row (self->next_sync_row, pw_agent_get_next_sync (self->agent), now);
  adw_action_row_set_subtitle (self->last_error_row, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->last_error_row), error != NULL && error[0] != '\0');
}

static gboolean
tick_cb (gpointer user_data)
{
  refresh_times (user_data);
  return G_SOURCE_CONTINUE;
}

static const char *
event_label (const char *event)
{
  if (g_strcmp0 (event, "poll") == 0)
    return _("Printers read");
  if (g_strcmp0 (event, "queued") == 0)
    return _("Transmission prepared");
  if (g_strcmp0 (event, "upload") == 0)
    return _("Sent to the server");
  return event;
}

static void
log_listed_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(PwSyncWindow) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pw_agent_list_sync_log_finish (PW_AGENT (source), res, &error);
  gint64 now = now_s ();

  if (self == NULL || self->closed)
    return;
  pw_dialog_clear_list (self->log_list);
  if (entries == NULL)
    {
      gtk_list_box_append (self->log_list, pw_dialog_row_new (error->message, NULL));
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const PwSyncLogEntry *entry = entries->pdata[i];
      g_autofree char *when = describe_time (entry->at, now);
      g_autofree char *subtitle = entry->message != NULL ? g_strdup_printf ("%s — %s", when, entry->message)
                                                         : g_strdup (when);
      GtkWidget *row = pw_dialog_row_new (event_label (entry->event), subtitle);
      GtkWidget *icon = gtk_image_new_from_icon_name (entry->ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, entry->ok ? "success" : "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->log_list, row);
    }
}

static void
refresh_log (PwSyncWindow *self)
{
  pw_agent_list_sync_log_async (self->agent, LOG_ROWS, self->cancellable, log_listed_cb,
                                pw_dialog_weak_new (self));
}

static void
update_busy (PwSyncWindow *self)
{
  gboolean busy = pw_agent_get_busy (self->agent);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.now", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_progress), busy);
  if (busy)
    {
      gtk_progress_bar_set_fraction (self->sync_progress, 0.0);
      gtk_progress_bar_set_text (self->sync_progress, _("Starting…"));
    }
}

static void
agent_notify_cb (PwSyncWindow *self,
                 GParamSpec   *pspec)
{
  if (g_str_equal (pspec->name, "busy"))
    {
      update_busy (self);
      if (!pw_agent_get_busy (self->agent))
        refresh_log (self);
    }
  refresh_times (self);
}

static void
poll_progress_cb (PwSyncWindow *self,
                  guint         done,
                  guint         total)
{
  g_autofree char *text = NULL;

  if (!pw_agent_get_busy (self->agent))
    return;  /* a poll outside a sync: not this window's */
  if (done < total)
    text = g_strdup_printf (_("Reading the printers: %u of %u"), done, total);
  else
    text = g_strdup (_("Sending…"));
  gtk_progress_bar_set_fraction (self->sync_progress, total > 0 ? (double) done / total : 1.0);
  gtk_progress_bar_set_text (self->sync_progress, text);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(PwSyncWindow) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  PwSyncSummary summary = { 0 };
  g_autofree char *text = NULL;

  gboolean ok = pw_agent_sync_finish (PW_AGENT (source), res, &summary, &error);

  if (self == NULL || self->closed)
    return;
  if (!ok)
    pw_dialog_set_message (self->sync_message, error->message, TRUE);
  else
    {
      /* TRANSLATORS: after "Sync now": printers that answered, of those polled; payloads the server took */
      text = g_strdup_printf (ngettext ("Done: %u of %u printers answered; %u transmission sent",
                                        "Done: %u of %u printers answered; %u transmissions sent", summary.sent),
                              summary.answered, summary.polled, summary.sent);
      pw_dialog_set_message (self->sync_message, text, FALSE);
    }
  refresh_log (self);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PwSyncWindow *self = PW_SYNC_WINDOW (widget);

  if (pw_agent_get_busy (self->agent))
    return;
  pw_dialog_set_message (self->sync_message, NULL, FALSE);
  /* The agent's business once started: closing the window does not stop it. */
  pw_agent_sync_async (self->agent, PW_AGENT_SYNC_DAILY, NULL, synced_cb, pw_dialog_weak_new (self));
}

static void
payload_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(PwSyncWindow) self = pw_dialog_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payloads = pw_agent_next_payload_finish (PW_AGENT (source), res, &error);
  g_autoptr(GString) text = NULL;
  g_autofree char *size = NULL;
  g_autofree char *label = NULL;
  gsize total = 0;
  guint n_devices = 0;

  if (self == NULL || self->closed)
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.show-payload", TRUE);
  if (payloads == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pw_dialog_set_message (self->sync_message, error->message, TRUE);
      return;
    }
  /* A large fleet's goes in parts: each shown as it leaves, one after the other. */
  text = g_string_new (NULL);
  for (guint i = 0; i < payloads->len; i++)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (pw_payload_get_bytes (payloads->pdata[i]), &len);
      /* Were it ever not UTF-8, the view would show it repaired. */
      g_autofree char *valid = g_utf8_make_valid (data != NULL ? data : "", (gssize) len);

      if (text->len > 0 && text->str[text->len - 1] != '\n')
        g_string_append_c (text, '\n');
      g_string_append (text, valid);
      total += len;
      n_devices += pw_payload_get_n_devices (payloads->pdata[i]);
    }
  size = g_format_size (total);
  label = g_strdup_printf (ngettext ("The next transmission, %s, about %u printer, exactly as it is sent:",
                                     "The next transmission, %s, about %u printers, exactly as it is sent:",
                                     n_devices),
                           size, n_devices);
  gtk_label_set_text (self->payload_label, label);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->payload_view), text->str, (int) text->len);
  gtk_stack_set_visible_child_name (self->stack, "payload");
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.copy-payload", TRUE);
}

static void
show_payload_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PwSyncWindow *self = PW_SYNC_WINDOW (widget);

  gtk_widget_action_set_enabled (widget, "sync.show-payload", FALSE);
  pw_agent_next_payload_async (self->agent, FALSE, self->cancellable, payload_cb, pw_dialog_weak_new (self));
}

static void
copy_payload_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PwSyncWindow *self = PW_SYNC_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->payload_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwSyncWindow *self = PW_SYNC_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->stack, "status");
  gtk_widget_set_visible (self->back_button, FALSE);
}

static void
pw_sync_window_dispose (GObject *object)
{
  PwSyncWindow *self = PW_SYNC_WINDOW (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_SYNC_WINDOW);

  G_OBJECT_CLASS (pw_sync_window_parent_class)->dispose (object);
}

static void
pw_sync_window_finalize (GObject *object)
{
  PwSyncWindow *self = PW_SYNC_WINDOW (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pw_sync_window_parent_class)->finalize (object);
}

static void
pw_sync_window_class_init (PwSyncWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_sync_window_dispose;
  object_class->finalize = pw_sync_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-sync-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, last_data_row);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, last_contact_row);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, last_success_row);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, next_sync_row);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, last_error_row);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, sync_progress);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, sync_message);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, log_list);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, payload_label);
  gtk_widget_class_bind_template_child (widget_class, PwSyncWindow, payload_view);

  gtk_widget_class_install_action (widget_class, "sync.now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "sync.show-payload", NULL, show_payload_action);
  gtk_widget_class_install_action (widget_class, "sync.copy-payload", NULL, copy_payload_action);
  gtk_widget_class_install_action (widget_class, "sync.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pw_sync_window_init (PwSyncWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.copy-payload", FALSE);
}

PwSyncWindow *
pw_sync_window_new (PwAgent *agent)
{
  PwSyncWindow *self;

  g_return_val_if_fail (PW_IS_AGENT (agent), NULL);

  self = g_object_new (PW_TYPE_SYNC_WINDOW, NULL);
  self->agent = g_object_ref (agent);
  g_signal_connect_object (agent, "notify", G_CALLBACK (agent_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (agent, "poll-progress", G_CALLBACK (poll_progress_cb), self, G_CONNECT_SWAPPED);
  refresh_times (self);
  update_busy (self);
  refresh_log (self);
  /* Relative times age: "just now" becomes "5 minutes ago". */
  self->tick_id = g_timeout_add_seconds (60, tick_cb, self);
  return self;
}

/**
 * pw_show_sync_window:
 * @parent: (nullable): the window it belongs to
 *
 * Opens the transmission window over @parent (not modal: it may stay open).
 */
void
pw_show_sync_window (GtkWindow *parent,
                     PwAgent   *agent)
{
  g_return_if_fail (PW_IS_AGENT (agent));

  pw_dialog_present (GTK_WINDOW (pw_sync_window_new (agent)), parent, FALSE);
}
