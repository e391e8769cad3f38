/* test-fleet-rows.c: the fleet table's rows, which stay put while printers move.
 *
 * Over a GListStore of devices: the rows keep their objects through any
 * change and only show other devices, the list grows and shrinks at its
 * end alone, and the selection follows the printer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-fleet-rows.h"
#include "pw-test-utils.h"

#define N_DEVICES 5

typedef struct {
  char        *dir;
  PwStore     *store;
  GPtrArray   *devices;      /* of PwDevice, by id */
  GListStore  *list;         /* what the rows show */
  PwFleetRows *rows;
  GPtrArray   *changes;      /* of guint[3]: position, removed, added */
  GArray      *selections;   /* of guint[2]: position, n_items */
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  guint *change = g_new (guint, 3);

  change[0] = position;
  change[1] = removed;
  change[2] = added;
  g_ptr_array_add (fixture->changes, change);
  /* Already true of the list while it tells. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, g_list_model_get_n_items (G_LIST_MODEL (fixture->list)));
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      Fixture           *fixture)
{
  guint change[2] = { position, n_items };

  g_assert_cmpuint (position + n_items, <=, g_list_model_get_n_items (G_LIST_MODEL (model)));
  g_array_append_vals (fixture->selections, change, 1);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = pw_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "rows.db", NULL);
  fixture->store = pw_store_open (path, &error);
  g_assert_no_error (error);
  fixture->devices = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->list = g_list_store_new (PW_TYPE_DEVICE);
  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_autofree char *host = g_strdup_printf ("127.0.0.%u", i + 1);
      PwDevice *device = pw_store_add_device (fixture->store, host, 161, &error);

      g_assert_no_error (error);
      g_ptr_array_add (fixture->devices, device);
      g_list_store_append (fixture->list, device);
    }
  fixture->rows = pw_fleet_rows_new (G_LIST_MODEL (fixture->list));
  fixture->changes = g_ptr_array_new_with_free_func (g_free);
  fixture->selections = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  g_signal_connect (fixture->rows, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  g_signal_connect (fixture->rows, "selection-changed", G_CALLBACK (selection_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->rows), (gpointer *) &fixture->rows);
  g_object_unref (fixture->rows);
  g_assert_null (fixture->rows);
  g_clear_object (&fixture->list);
  g_clear_pointer (&fixture->devices, g_ptr_array_unref);
  g_clear_pointer (&fixture->changes, g_ptr_array_unref);
  g_clear_pointer (&fixture->selections, g_array_unref);
  g_clear_object (&fixture->store);
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static PwFleetRow *
row_at (Fixture *fixture,
        guint    position)
{
  PwFleetRow *row = g_list_model_get_item (G_LIST_MODEL (fixture->rows), position);

  g_assert_nonnull (row);
  g_object_unref (row);  /* the rows keep it */
  return row;
}

/* Every row shows the device at its position in the list. */
static void
assert_rows_show_list (Fixture *fixture)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->list));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->rows)), ==, n);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->rows)) == PW_TYPE_FLEET_ROW);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwDevice) device = g_list_model_get_item (G_LIST_MODEL (fixture->list), i);

      g_assert_true (pw_fleet_row_get_device (row_at (fixture, i)) == device);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->rows), n));
}

static void
count_cb (GObject    *row,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
assert_change (Fixture *fixture,
               guint    index,
               guint    position,
               guint    removed,
               guint    added)
{
  const guint *change = fixture->changes->pdata[index];

  g_assert_cmpuint (change[0], ==, position);
  g_assert_cmpuint (change[1], ==, removed);
  g_assert_cmpuint (change[2], ==, added);
}

static void
test_reorder (Fixture       *fixture,
              gconstpointer  data)
{
  PwFleetRow *before[N_DEVICES];
  gpointer reversed[N_DEVICES];
  guint notified = 0;

  assert_rows_show_list (fixture);
  for (guint i = 0; i < N_DEVICES; i++)
    {
      before[i] = row_at (fixture, i);
      g_signal_connect (before[i], "notify::device", G_CALLBACK (count_cb), &notified);
      reversed[i] = fixture->devices->pdata[N_DEVICES - 1 - i];
    }

  /* A sort: the rows stay, the list tells nothing, the rows whose device
   * changed tell it (all but the middle one). */
  g_list_store_splice (fixture->list, 0, N_DEVICES, reversed, N_DEVICES);
  assert_rows_show_list (fixture);
  for (guint i = 0; i < N_DEVICES; i++)
    g_assert_true (row_at (fixture, i) == before[i]);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_cmpuint (notified, ==, N_DEVICES - 1);

  /* One device read again (a poll): its row alone. */
  notified = 0;
  g_list_store_splice (fixture->list, 1, 1, &fixture->devices->pdata[0], 1);
  assert_rows_show_list (fixture);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

static void
test_grow_shrink (Fixture       *fixture,
                  gconstpointer  data)
{
  PwFleetRow *first = row_at (fixture, 0);

  /* A narrower search: the rows at the end go. */
  g_list_store_splice (fixture->list, 1, 3, NULL, 0);
  assert_rows_show_list (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 2, 3, 0);
  g_assert_true (row_at (fixture, 0) == first);

  /* A wider one: rows come at the end, whatever the list's change. */
  g_list_store_splice (fixture->list, 0, 0, &fixture->devices->pdata[1], 3);
  assert_rows_show_list (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  assert_change (fixture, 1, 2, 0, 3);
  g_assert_true (row_at (fixture, 0) == first);

  g_list_store_remove_all (fixture->list);
  assert_rows_show_list (fixture);
  assert_change (fixture, 2, 0, N_DEVICES, 0);
}

static gboolean
is_selected (Fixture *fixture,
             guint    position)
{
  return gtk_selection_model_is_selected (GTK_SELECTION_MODEL (fixture->rows), position);
}

static void
test_selection (Fixture       *fixture,
                gconstpointer  data)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (fixture->rows);
  PwDevice *chosen = fixture->devices->pdata[1];
  gpointer reversed[N_DEVICES];
  g_autoptr(GtkBitset) selection = NULL;

  g_assert_null (pw_fleet_rows_get_selected_device (fixture->rows));
  g_assert_true (gtk_selection_model_select_item (model, 1, TRUE));
  g_assert_true (pw_fleet_rows_get_selected_device (fixture->rows) == chosen);
  g_assert_true (is_selected (fixture, 1));
  g_assert_false (is_selected (fixture, 0));
  g_assert_cmpuint (fixture->selections->len, ==, 1);
  selection = gtk_selection_model_get_selection (model);
  g_assert_cmpuint (gtk_bitset_get_size (selection), ==, 1);
  g_assert_true (gtk_bitset_contains (selection, 1));
  g_clear_pointer (&selection, gtk_bitset_unref);
  selection = gtk_selection_model_get_selection_in_range (model, 2, 3);
  g_assert_true (gtk_bitset_is_empty (selection));

  /* After a sort it is where the printer went, and both rows were told. */
  for (guint i = 0; i < N_DEVICES; i++)
    reversed[i] = fixture->devices->pdata[N_DEVICES - 1 - i];
  g_list_store_splice (fixture->list, 0, N_DEVICES, reversed, N_DEVICES);
  g_assert_false (is_selected (fixture, 1));
  g_assert_true (is_selected (fixture, N_DEVICES - 2));
  g_assert_true (pw_fleet_rows_get_selected_device (fixture->rows) == chosen);
  g_assert_cmpuint (fixture->selections->len, ==, 3);

  /* A search that hides it: no row is selected; it comes back with the printer. */
  g_list_store_remove (fixture->list, N_DEVICES - 2);
  for (guint i = 0; i < N_DEVICES - 1; i++)
    g_assert_false (is_selected (fixture, i));
  g_assert_null (pw_fleet_rows_get_selected_device (fixture->rows));
  g_list_store_insert (fixture->list, 0, chosen);
  g_assert_true (is_selected (fixture, 0));
  g_assert_true (pw_fleet_rows_get_selected_device (fixture->rows) == chosen);

  /* Another row takes it; then none has it. */
  g_assert_true (gtk_selection_model_select_item (model, 3, TRUE));
  g_assert_false (is_selected (fixture, 0));
  g_assert_true (is_selected (fixture, 3));
  g_assert_true (gtk_selection_model_unselect_item (model, 0));
  g_assert_true (is_selected (fixture, 3));
  g_assert_true (gtk_selection_model_unselect_item (model, 3));
  g_assert_null (pw_fleet_rows_get_selected_device (fixture->rows));
  g_assert_true (gtk_selection_model_select_item (model, 2, TRUE));
  g_assert_true (gtk_selection_model_unselect_all (model));
  g_assert_false (is_selected (fixture, 2));
  g_assert_false (gtk_selection_model_select_item (model, N_DEVICES, TRUE));
  g_assert_false (gtk_selection_model_select_all (model));
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add ("/fleet-rows/reorder", Fixture, NULL, fixture_set_up, test_reorder, fixture_tear_down);
  g_test_add ("/fleet-rows/grow-shrink", Fixture, NULL, fixture_set_up, test_grow_shrink, fixture_tear_down);
  g_test_add ("/fleet-rows/selection", Fixture, NULL, fixture_set_up, test_selection, fixture_tear_down);

  return g_test_run ();
}
