/* screenshot.c: the README's pictures of the main window.
 *
 * Makes a demo database of 40 made-up printers (addresses in 127.20.0.0/16,
 * serial numbers and MACs from the documentation ranges), with 90 days of
 * meter readings for the chart, then opens the window at 1280×800 in the
 * light style and writes three PNGs: the fleet, a printer's page and the
 * empty state a newcomer sees. Built with the tests; not run by them.
 *
 * To make them again, from the source tree after `meson compile -C _build`:
 *
 *   xvfb-run -a -s '-screen 0 1600x1000x24' env GSETTINGS_BACKEND=memory \
 *     GSETTINGS_SCHEMA_DIR=_build/data GSK_RENDERER=cairo NO_AT_BRIDGE=1 \
 *     LC_ALL=C.UTF-8 _build/tests/screenshot data/screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-history-chart.h"
#include "pw-window.h"
#include "pw-test-demo-fleet.h"
#include "pw-test-utils.h"

#define N_PRINTERS 40
#define HISTORY_DAYS 90
#define WIDTH 1280
#define HEIGHT 800

static guint frames;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  frames++;
}

/* Runs the main loop until @done holds and then a few more frames are drawn. */
static void
settle (GtkWidget *window,
        gboolean (*done) (gpointer data),
        gpointer   data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  guint start;

  while (done != NULL && !done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  start = frames;
  while (frames < start + 5 && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  /* Transitions and spinners run on timers, not only on frames. */
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (clock, id);
}

/* The PNGs are WIDTH×HEIGHT: a window's default size may count its frame. */
static void
fit (GtkWidget *window)
{
  int width = gtk_widget_get_width (window), height = gtk_widget_get_height (window);

  if (width == WIDTH && height == HEIGHT)
    return;
  gtk_window_set_default_size (GTK_WINDOW (window), 2 * WIDTH - width, 2 * HEIGHT - height);
  settle (window, NULL, NULL);
}

static void
save_png (GtkWidget  *widget,
          const char *dir,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_print ("%s: %d×%d\n", path, width, height);
}

static gboolean
fleet_shown (gpointer data)
{
  PwWindow *window = data;
  PwFleet *fleet = pw_agent_get_fleet (pw_window_get_agent (window));

  return pw_fleet_get_loaded (fleet) && g_list_model_get_n_items (G_LIST_MODEL (fleet)) > 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (pw_window_get_fleet_view (window)));
}

static GtkWidget *
find_chart (GtkWidget *widget)
{
  if (PW_IS_HISTORY_CHART (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_chart (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
chart_drawn (gpointer data)
{
  PwWindow *window = data;
  GtkWidget *page = GTK_WIDGET (pw_window_get_device_page (window));
  GtkWidget *leaflet = gtk_widget_get_ancestor (page, ADW_TYPE_LEAFLET);
  GtkWidget *chart = find_chart (page);

  return chart != NULL && pw_history_chart_get_days (PW_HISTORY_CHART (chart)) != NULL &&
         !adw_leaflet_get_child_transition_running (ADW_LEAFLET (leaflet));
}

static gboolean
empty_shown (gpointer data)
{
  PwWindow *window = data;

  return pw_fleet_get_loaded (pw_agent_get_fleet (pw_window_get_agent (window))) &&
         gtk_widget_get_mapped (GTK_WIDGET (window));
}

static PwWindow *
open_window (PwAgent *agent)
{
  PwWindow *window = pw_window_new (NULL, agent);

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  /* No focus ring, and no hover where Xvfb's pointer happens to be. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_widget_set_can_target (GTK_WIDGET (window), FALSE);
  return window;
}

int
main (int    argc,
      char **argv)
{
  const char *out = argc > 1 ? argv[1] : "data/screenshots";
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *empty_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwStore) empty_store = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(PwAgent) empty_agent = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  PwWindow *window;
  PwDevice *device;

  pw_test_init (&argc, &argv, TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* What PwApplication (an AdwApplication) loads by itself. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_mkdir_with_parents (out, 0755);

  dir = pw_test_make_tmpdir ();
  path = g_build_filename (dir, "demo.db", NULL);
  store = pw_store_open (path, &error);
  g_assert_no_error (error);
  pw_test_fleet_fill (store, N_PRINTERS, 161, HISTORY_DAYS, now);

  agent = pw_agent_new (store);
  window = open_window (agent);
  {
    PwFleetView *view = pw_window_get_fleet_view (window);

    /* What needs someone first. */
    gtk_column_view_sort_by_column (pw_fleet_view_get_column_view (view),
                                    pw_fleet_view_get_column (view, PW_FLEET_COLUMN_STATUS),
                                    GTK_SORT_DESCENDING);
  }
  settle (GTK_WIDGET (window), fleet_shown, window);
  fit (GTK_WIDGET (window));
  save_png (GTK_WIDGET (window), out, "fleet.png");

  /* A colour printer low on toner, with an alert: printer 37. */
  device = pw_fleet_lookup (pw_agent_get_fleet (agent), 37, NULL);
  g_assert_nonnull (device);
  pw_window_show_device (window, device);
  settle (GTK_WIDGET (window), chart_drawn, window);
  save_png (GTK_WIDGET (window), out, "device.png");
  gtk_window_destroy (GTK_WINDOW (window));

  empty_path = g_build_filename (dir, "empty.db", NULL);
  empty_store = pw_store_open (empty_path, &error);
  g_assert_no_error (error);
  empty_agent = pw_agent_new (empty_store);
  window = open_window (empty_agent);
  settle (GTK_WIDGET (window), empty_shown, window);
  fit (GTK_WIDGET (window));
  save_png (GTK_WIDGET (window), out, "empty.png");
  gtk_window_destroy (GTK_WINDOW (window));

  while (g_main_context_iteration (NULL, FALSE))
    ;
  pw_test_remove_tree (dir);
  return 0;
}
