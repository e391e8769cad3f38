/* test-window.c: the main window in a real GTK session (Xvfb in CI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-application.h"
#include "pw-window.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>

static AdwStatusPage *
find_status_page (GtkWidget *widget)
{
  if (ADW_IS_STATUS_PAGE (widget))
    return ADW_STATUS_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwStatusPage *page = find_status_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

/* Runs the main loop until the window has finished opening its database. */
static const char *
wait_for_title (PwWindow   *window,
                const char *opening_title)
{
  AdwStatusPage *page = find_status_page (GTK_WIDGET (window));
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_nonnull (page);
  while (g_strcmp0 (adw_status_page_get_title (page), opening_title) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return adw_status_page_get_title (page);
}

static void
destroy_and_check_finalized (PwWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
}

static void
test_empty_state (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "gui.db", NULL);
  PwWindow *window = pw_window_new (NULL, path);
  AdwStatusPage *page = find_status_page (GTK_WIDGET (window));
  g_autofree char *opening = g_strdup (adw_status_page_get_title (page));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (wait_for_title (window, opening), ==, "No Printers Yet");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  destroy_and_check_finalized (window);
  pw_test_remove_tree (dir);
}

static void
test_counts_devices (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "gui.db", NULL);
  PwWindow *window;
  g_autofree char *opening = NULL;

  {
    g_autoptr(PwStore) store = pw_store_open (path, NULL);
    g_autoptr(PwDevice) a = pw_store_add_device (store, "10.0.0.1", 161, NULL);
    g_autoptr(PwDevice) b = pw_store_add_device (store, "10.0.0.2", 161, NULL);
  }
  window = pw_window_new (NULL, path);
  opening = g_strdup (adw_status_page_get_title (find_status_page (GTK_WIDGET (window))));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (wait_for_title (window, opening), ==, "2 Printers");
  destroy_and_check_finalized (window);
  pw_test_remove_tree (dir);
}

static void
test_refused_database (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);
  PwWindow *window;
  g_autofree char *opening = NULL;

  g_assert_true (g_file_set_contents (path, "<b>not</b> a database", -1, NULL));
  window = pw_window_new (NULL, path);
  opening = g_strdup (adw_status_page_get_title (find_status_page (GTK_WIDGET (window))));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (wait_for_title (window, opening), ==, "Cannot Open the Printer List");
  g_assert_true (g_str_has_suffix (adw_status_page_get_description (find_status_page (GTK_WIDGET (window))),
                                   "it was left untouched"));
  destroy_and_check_finalized (window);
  pw_test_remove_tree (dir);
}

static void
test_closed_while_opening (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "gui.db", NULL);
  PwWindow *window = pw_window_new (NULL, path);

  /* Closing at once must cancel the work in flight, not crash when it ends. */
  destroy_and_check_finalized (window);
  for (int i = 0; i < 50; i++)
    {
      g_usleep (2000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  pw_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, FALSE);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under xvfb-run");
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/window/empty-state", test_empty_state);
  g_test_add_func ("/window/counts-devices", test_counts_devices);
  g_test_add_func ("/window/refused-database", test_refused_database);
  g_test_add_func ("/window/closed-while-opening", test_closed_while_opening);

  return g_test_run ();
}
