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
 * Under each step, its phases: the model's own work (sorting or
 * filtering, until the view's model tells its change), the rows (the
 * handlers of that change: PwFleetRows and the column view, which fill
 * rows again, make or drop row widgets), the wait for the frame clock
 * (where the window also measures itself), and in that frame the layout
 * (measure and allocate) and the paint (snapshot and render); then the
 * main thread's CPU time for all of it, which the load of a shared
 * machine disturbs less, and the cells GTK made, bound to another row and
 * dropped (a row filled again in place binds none).
 *
 * Targets: first frame < 1 s, sort and filter < 100 ms, RSS < 250 MB.
 * Prints figures; asserts only that the list is all there.
 * Usage: bench-gui [DEVICES [ROUNDS]]  (under xvfb-run and dbus-run-session,
 * as meson test --benchmark runs it); with ROUNDS > 1 the steps run that
 * many times over, and the medians follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-application.h"
#include "pw-window.h"
#include "pw-test-demo-fleet.h"
#include "pw-test-utils.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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

#define N_STEPS G_N_ELEMENTS (steps)

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
  gboolean      in_step;       /* run_step () is changing the list */
  gint64        step_model;    /* the view's model told its change */
  gint64        frame_start;   /* this frame's before-paint */
  gint64        layout_end;
  gint64        paint_end;
  guint         cells[3];      /* cells GTK set up, bound, tore down since the step began */
  gint64        step_cpu;      /* the main thread's CPU time when the step began */
  gint64        frame_cpu;     /* and at its frame */
  guint         rounds;
  guint         round;         /* the round under way, from 0 */
  GArray       *settled_ms;    /* of double, [round * N_STEPS + step] */
  GArray       *frame_ms;
  guint         n_rows[N_STEPS];  /* after each step */
} Bench;

enum { CELLS_SETUP, CELLS_BIND, CELLS_TEARDOWN };

static double
ms (gint64 from,
    gint64 to)
{
  return (to - from) / 1000.0;
}

static gboolean run_step (gpointer user_data);

static gint64
thread_cpu_time (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
print_phases (Bench *bench)
{
  gint64 model = bench->step_model != 0 ? bench->step_model : bench->step_settled;
  gint64 layout_end = MAX (bench->layout_end, bench->frame_start);
  gint64 paint_end = MAX (bench->paint_end, layout_end);

  g_print ("  %-26s %7.1f ms model, %5.1f ms rows, %5.1f ms wait, %5.1f ms layout, %5.1f ms paint;"
           " %5.1f ms CPU; cells: %u made, %u bound, %u dropped\n", "phases:",
           ms (bench->step_start, model), ms (model, bench->step_settled),
           ms (bench->step_settled, bench->frame_start), ms (bench->frame_start, layout_end),
           ms (layout_end, paint_end), ms (bench->step_cpu, bench->frame_cpu), bench->cells[CELLS_SETUP],
           bench->cells[CELLS_BIND], bench->cells[CELLS_TEARDOWN]);
}

/* The first items-changed of the view's model in a step: its model's work is
 * done, the rows' begins (emission hooks run before any handler). */
static gboolean
items_changed_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  Bench *bench = user_data;

  if (bench->in_step && bench->step_model == 0 &&
      g_value_get_object (&values[0]) == (gpointer) pw_fleet_view_get_model (pw_window_get_fleet_view (bench->window)))
    bench->step_model = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
cell_hook (GSignalInvocationHint *hint,
           guint                  n_values,
           const GValue          *values,
           gpointer               user_data)
{
  guint *count = user_data;

  (*count)++;
  return TRUE;
}

static void
frame_phase_cb (GdkFrameClock *clock,
                gint64        *when)
{
  *when = g_get_monotonic_time ();
}

static void
print_step (guint  step,
            double settled,
            double frame,
            guint  n_rows)
{
  g_print ("%-28s %7.1f ms to the sorted model, %7.1f ms to the next frame, %5u rows (target < 100 ms)\n",
           steps[step].what, settled, frame, n_rows);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *figures,
        guint   rounds,
        guint   step)
{
  g_autofree double *sorted = g_new (double, rounds);

  for (guint i = 0; i < rounds; i++)
    sorted[i] = g_array_index (figures, double, i * N_STEPS + step);
  qsort (sorted, rounds, sizeof (double), compare_doubles);
  return rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
}

static void
print_medians (Bench *bench)
{
  g_print ("median of %u rounds:\n", bench->rounds);
  for (guint i = 0; i < N_STEPS; i++)
    print_step (i, median (bench->settled_ms, bench->rounds, i), median (bench->frame_ms, bench->rounds, i),
                bench->n_rows[i]);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();
  double settled, frame;

  if (bench->waiting)
    bench->frame_cpu = thread_cpu_time ();

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
  settled = ms (bench->step_start, bench->step_settled);
  frame = ms (bench->step_start, now);
  g_array_index (bench->settled_ms, double, bench->round * N_STEPS + bench->step) = settled;
  g_array_index (bench->frame_ms, double, bench->round * N_STEPS + bench->step) = frame;
  bench->n_rows[bench->step] = g_list_model_get_n_items (pw_fleet_view_get_model (pw_window_get_fleet_view (bench->window)));
  print_step (bench->step, settled, frame, bench->n_rows[bench->step]);
  print_phases (bench);
  bench->step++;
  if ((guint) bench->step == N_STEPS && ++bench->round < bench->rounds)
    bench->step = 0;
  if ((guint) bench->step < N_STEPS)
    g_idle_add (run_step, bench);
  else
    {
      struct rusage usage;

      if (bench->rounds > 1)
        print_medians (bench);

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
  bench->step_model = bench->frame_start = bench->layout_end = bench->paint_end = 0;
  memset (bench->cells, 0, sizeof bench->cells);
  bench->in_step = TRUE;
  bench->step_cpu = thread_cpu_time ();
  bench->step_start = g_get_monotonic_time ();
  /* Neither model is incremental: each settles before these calls return. */
  if ((int) step->column >= 0)
    gtk_column_view_sort_by_column (pw_fleet_view_get_column_view (view), pw_fleet_view_get_column (view, step->column),
                                    step->order);
  else
    pw_fleet_view_set_search_text (view, step->search);
  bench->step_settled = g_get_monotonic_time ();
  bench->in_step = FALSE;
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
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  bench->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), bench);
  /* After GTK's own handlers of each phase. */
  g_signal_connect_after (clock, "before-paint", G_CALLBACK (frame_phase_cb), &bench->frame_start);
  g_signal_connect_after (clock, "layout", G_CALLBACK (frame_phase_cb), &bench->layout_end);
  g_signal_connect_after (clock, "paint", G_CALLBACK (frame_phase_cb), &bench->paint_end);
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
  guint rounds = argc > 2 ? MAX ((guint) g_ascii_strtoull (argv[2], NULL, 10), 1) : 1;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PwApplication) application = NULL;
  char *app_argv[] = { (char *) "printwatch", (char *) "--database", NULL, NULL };
  Bench bench = { .n_devices = n_devices, .step = -1, .rounds = rounds };
  const char * const cell_signals[] = { "setup", "bind", "teardown" };
  gint64 start;
  gulong hook_id;

  pw_test_init (&argc, &argv, TRUE);
  if (!gtk_init_check ())
    {
      g_print ("no display: run under xvfb-run\n");
      return 0;
    }
  bench.settled_ms = g_array_sized_new (FALSE, TRUE, sizeof (double), rounds * N_STEPS);
  bench.frame_ms = g_array_sized_new (FALSE, TRUE, sizeof (double), rounds * N_STEPS);
  g_array_set_size (bench.settled_ms, rounds * N_STEPS);
  g_array_set_size (bench.frame_ms, rounds * N_STEPS);

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
  g_type_class_unref (g_type_class_ref (GTK_TYPE_SIGNAL_LIST_ITEM_FACTORY));  /* its signals exist */
  for (guint i = 0; i < G_N_ELEMENTS (cell_signals); i++)
    g_signal_add_emission_hook (g_signal_lookup (cell_signals[i], GTK_TYPE_SIGNAL_LIST_ITEM_FACTORY), 0, cell_hook,
                                &bench.cells[i], NULL);
  hook_id = g_signal_add_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), 0,
                                        items_changed_hook, &bench, NULL);
  bench.start = g_get_monotonic_time ();
  g_application_run (G_APPLICATION (application), 3, app_argv);
  g_signal_remove_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), hook_id);
  g_assert_cmpint (bench.first_frame, >, 0);

  pw_test_remove_tree (dir);
  g_array_unref (bench.settled_ms);
  g_array_unref (bench.frame_ms);
  return 0;
}
