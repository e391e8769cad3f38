/* pw-window.c: the Printwatch main window.
 *
 * For now the window opens the database without blocking, then tells how
 * many printers it keeps, or what a newcomer should do first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-window"

#include "config.h"

#include "pw-window.h"

#include <glib/gi18n.h>

struct _PwWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *db_path;      /* owned */
  PwStore              *store;        /* owned, NULL until opened */
  GCancellable         *cancellable;  /* owned */

  /* template children */
  AdwStatusPage        *status_page;
};

G_DEFINE_FINAL_TYPE (PwWindow, pw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_error (PwWindow     *self,
            const GError *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->status_page, _("Cannot Open the Printer List"));
  adw_status_page_set_description (self->status_page, escaped);
}

static void
devices_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices_finish (PW_STORE (source), result, &error);
  PwWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  self = PW_WINDOW (user_data);
  if (devices == NULL)
    {
      show_error (self, error);
      return;
    }

  if (devices->len == 0)
    {
      adw_status_page_set_title (self->status_page, _("No Printers Yet"));
      adw_status_page_set_description (self->status_page,
                                       _("Discover the printers on your network, or add one by "
                                         "its IP address or host name."));
    }
  else
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u Printer", "%u Printers", devices->len),
                                                devices->len);
      g_autofree char *path = g_markup_escape_text (pw_store_get_path (self->store), -1);
      g_autofree char *description = g_strdup_printf (_("Kept in %s"), path);

      adw_status_page_set_title (self->status_page, title);
      adw_status_page_set_description (self->status_page, description);
    }
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = pw_store_open_finish (result, &error);
  PwWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PW_WINDOW (user_data);
  if (store == NULL)
    {
      show_error (self, error);
      return;
    }
  self->store = g_steal_pointer (&store);
  pw_store_list_devices_async (self->store, self->cancellable, devices_listed_cb, self);
}

static void
pw_window_constructed (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pw_store_resolve_path (self->db_path);

  G_OBJECT_CLASS (pw_window_parent_class)->constructed (object);

  if (!pw_store_ensure_default_dir (path, &error))
    show_error (self, error);
  else
    pw_store_open_async (path, self->cancellable, store_opened_cb, self);
}

static void
pw_window_dispose (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_WINDOW);

  G_OBJECT_CLASS (pw_window_parent_class)->dispose (object);
}

static void
pw_window_finalize (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);

  g_free (self->db_path);

  G_OBJECT_CLASS (pw_window_parent_class)->finalize (object);
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
    case PROP_DATABASE:
      g_value_set_string (value, self->db_path);
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
    case PROP_DATABASE:
      self->db_path = g_value_dup_string (value);
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

  object_class->constructed = pw_window_constructed;
  object_class->dispose = pw_window_dispose;
  object_class->finalize = pw_window_finalize;
  object_class->get_property = pw_window_get_property;
  object_class->set_property = pw_window_set_property;

  /* NULL: $PRINTWATCH_DB, else the default location. */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwWindow, status_page);
}

static void
pw_window_init (PwWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pw_window_new:
 * @db_path: (nullable): the database, or %NULL for $PRINTWATCH_DB or the default
 */
PwWindow *
pw_window_new (GtkApplication *application,
               const char     *db_path)
{
  return g_object_new (PW_TYPE_WINDOW,
                       "application", application,
                       "database", db_path,
                       NULL);
}
