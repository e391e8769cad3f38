/* bench-gui.c: the main window on 10,000 printers.
 *
 * Makes a database of 10,000 printers through the store API (not timed),
 * then runs PwApplication on it and measures, with the window's frame clock
 * (the first "after-paint" that follows each change):
 *
 *   - from g_application_run () to the first frame showing the populated list;
 *   - each sort by a column header: until the sorted model settled, and
 *     until the next frame;
 *   - each search text: the same;
 *   - the peak resident set size.
 *
 * Targets: first frame < 1 s, sort and filter < 100 ms, RSS < 250 MB.
 * Prints figures; asserts only that the list is all there.
 * Usage: bench-gui [DEVICES]  (under xvfb-run and dbus-run-session, as
 * meson test --benchmark runs it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-application.h"
#include "pw-window.h"
#include "pw-test-demo-fleet.h"
#include "pw-test-utils.h"

#include <sys/resource.h>

typedef struct {
  const char     *what;
  PwFleetColumn   column;      /* a sort, or -1 */
  GtkSortType     order;
  const char     *search;      /* a search, when column is -1 */
} Step;

static const Step steps[] = {
  { "sort by name", PW_FLEET_COLUMN_NAME, GTK_SORT_ASCENDING, NULL },
  { "sort by name, descending", PW_FLEET_COLUMN_NAME, GTK_SORT_DESCENDING, NULL },
  { "sort by serial number", PW_FLEET_COLUMN_SERIAL, GTK_SORT_ASCENDING, NULL },
  { "sort by lowest supply", PW_FLEET_COLUMN_SUPPLY, GTK_SORT_ASCENDING, NULL },
  { "sort by black counter", PW_FLEET_COLUMN_BLACK, GTK_SORT_DESCENDING, NULL },
  { "sort by last seen", PW_FLEET_COLUMN_LAST_SEEN, GTK_SORT_ASCENDING, NULL },
  { "sort by status", PW_FLEET_COLUMN_STATUS, GTK_SORT_DESCENDING, NULL },
  { "search \"k\"", -1, 0, "k" },
  { "search \"km-00\"", -1, 0, "km-00" },
  { "search \"km-0042\"", -1, 0, "km-0042" },
  { "search \"building b\"", -1, 0, "building b" },
  { "search cleared", -1, 0, "" },
};

typedef struct {
  GApplication *application;
  PwWindow     *window;
  guint         n_devices;
  gint64        start;         /* g_application_run () */
  gboolean      populated;     /* the list is in the model before this frame */
  gint64        first_frame;
  int           step;          /* the step waiting for its frame, or -1 */
  gint64        step_start;
  gint64        step_settled;
  gboolean      waiting;       /* a step changed the list and waits for its frame */
  gulong        paint_id;
} Bench;

static double
ms (gint64 from,
    gint64 to)
{
  return (to - from) / 1000.0;
}

static gboolean run_step (gpointer user_data);

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (bench->first_frame == 0)
    {
      if (!bench->populated)
        return;
      bench->first_frame = now;
      g_print ("first frame with the list: %.0f ms (target < 1000 ms)\n", ms (bench->start, now));
      g_idle_add (run_step, bench);
      return;
    }
  if (!bench->waiting)
    return;
  bench->waiting = FALSE;
  g_print ("%-28s %7.1f ms to the sorted model, %7.1f ms to the next frame, %5u rows (target < 100 ms)\n",
           steps[bench->step].what, ms (bench->step_start, bench->step_settled), ms (bench->step_start, now),
           g_list_model_get_n_items (pw_fleet_view_get_model (pw_window_get_fleet_view (bench->window))));
  bench->step++;
  if ((guint) bench->step < G_N_ELEMENTS (steps))
    g_idle_add (run_step, bench);
  else
    {
      struct rusage usage;

      getrusage (RUSAGE_SELF, &usage);
      g_print ("peak RSS: %.0f MB (target < 250 MB)\n", usage.ru_maxrss / 1024.0);
      bench->step = -1;
      g_signal_handler_disconnect (clock, bench->paint_id);
      gtk_window_destroy (GTK_WINDOW (bench->window));
      g_application_quit (bench->application);
    }
}

static gboolean
run_step (gpointer user_data)
{
  Bench *bench = user_data;
  PwFleetView *view = pw_window_get_fleet_view (bench->window);
  const Step *step;

  if (bench->step < 0)
    bench->step = 0;
  step = &steps[bench->step];
  bench->step_start = g_get_monotonic_time ();
  /* Neither model is incremental: each settles before these calls return. */
  if ((int) step->column >= 0)
    gtk_column_view_sort_by_column (pw_fleet_view_get_column_view (view), pw_fleet_view_get_column (view, step->column),
                                    step->order);
  else
    pw_fleet_view_set_search_text (view, step->search);
  bench->step_settled = g_get_monotonic_time ();
  bench->waiting = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  return G_SOURCE_REMOVE;
}

static void
n_items_cb (PwFleet *fleet,
            GParamSpec *pspec,
            Bench   *bench)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (fleet)) == bench->n_devices)
    bench->populated = TRUE;
}

static void
realize_cb (GtkWidget *widget,
            Bench     *bench)
{
  bench->paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                      G_CALLBACK (after_paint_cb), bench);
}

static void
agent_cb (PwWindow   *window,
          GParamSpec *pspec,
          Bench      *bench)
{
  PwAgent *agent = pw_window_get_agent (window);

  if (agent != NULL)
    g_signal_connect (pw_agent_get_fleet (agent), "notify::n-items", G_CALLBACK (n_items_cb), bench);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Bench          *bench)
{
  if (!PW_IS_WINDOW (window) || bench->window != NULL)
    return;
  bench->window = PW_WINDOW (window);
  gtk_window_set_default_size (window, 1280, 800);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), bench);
  g_signal_connect (window, "notify::agent", G_CALLBACK (agent_cb), bench);
  agent_cb (bench->window, NULL, bench);
}

int
main (int    argc,
      char **argv)
{
  guint n_devices = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PwApplication) application = NULL;
  char *app_argv[] = { (char *) "printwatch", (char *) "--database", NULL, NULL };
  Bench bench = { NULL, NULL, n_devices, 0, FALSE, 0, -1, 0, 0, FALSE, 0 };
  gint64 start;

  pw_test_init (&argc, &argv, TRUE);
  if (!gtk_init_check ())
    {
      g_print ("no display: run under xvfb-run\n");
      return 0;
    }

  dir = pw_test_make_tmpdir ();
  path = g_build_filename (dir, "bench.db", NULL);
  start = g_get_monotonic_time ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PwStore) store = pw_store_open (path, &error);

    g_assert_no_error (error);
    pw_test_fleet_fill (store, n_devices, 16100, 0, g_get_real_time () / G_USEC_PER_SEC);
  }
  g_print ("gui: %u printers (database made in %.1f s)\n", n_devices, (g_get_monotonic_time () - start) / 1e6);

  application = pw_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), &bench);
  bench.application = G_APPLICATION (application);
  app_argv[2] = path;
  bench.start = g_get_monotonic_time ();
  g_application_run (G_APPLICATION (application), 3, app_argv);
  g_assert_cmpint (bench.first_frame, >, 0);

  pw_test_remove_tree (dir);
  return 0;
}
