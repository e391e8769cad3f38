/* test-fleet-cell.c: one cell of the fleet table, drawn by one widget.
 *
 * In a real GTK session (Xvfb in CI): a cell's size does not depend on
 * what it shows; it draws its words in its CSS colour, a level bar whose
 * filled part is the level, from the start of the line in either
 * direction, and an icon only when it has one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-fleet-cell.h"
#include "pw-test-utils.h"

#include <adwaita.h>

#define WIDTH  160
#define HEIGHT  24

/* Iterates the main context until @check holds, for at most 30 s; it may
 * have nothing to do meanwhile. */
#define WAIT_UNTIL(check) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; \
    while (!(check) && g_get_monotonic_time () < deadline_) \
      if (!g_main_context_iteration (NULL, FALSE)) \
        g_usleep (1000); \
    g_assert_true (check); \
  } G_STMT_END

/* What a cell drew. */
typedef struct {
  GArray  *colours;  /* of graphene_rect_t: the colour nodes' bounds, in the cell */
  guint    texts;
  GdkRGBA  text_colour;
  guint    others;   /* other drawing nodes (an icon's) */
} Drawing;

static void
collect (GskRenderNode *node,
         Drawing       *drawing)
{
  graphene_rect_t bounds;

  if (node == NULL)
    return;
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect (gsk_container_node_get_child (node, i), drawing);
      break;
    case GSK_CLIP_NODE:
      collect (gsk_clip_node_get_child (node), drawing);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      collect (gsk_rounded_clip_node_get_child (node), drawing);
      break;
    case GSK_TRANSFORM_NODE:
      collect (gsk_transform_node_get_child (node), drawing);
      break;
    case GSK_COLOR_NODE:
      gsk_render_node_get_bounds (node, &bounds);
      g_array_append_val (drawing->colours, bounds);
      break;
    case GSK_TEXT_NODE:
      drawing->texts++;
      drawing->text_colour = *gsk_text_node_get_color (node);
      break;
    case GSK_NOT_A_RENDER_NODE:
    case GSK_CAIRO_NODE:
    case GSK_LINEAR_GRADIENT_NODE:
    case GSK_REPEATING_LINEAR_GRADIENT_NODE:
    case GSK_RADIAL_GRADIENT_NODE:
    case GSK_REPEATING_RADIAL_GRADIENT_NODE:
    case GSK_CONIC_GRADIENT_NODE:
    case GSK_BORDER_NODE:
    case GSK_TEXTURE_NODE:
    case GSK_INSET_SHADOW_NODE:
    case GSK_OUTSET_SHADOW_NODE:
    case GSK_OPACITY_NODE:
    case GSK_COLOR_MATRIX_NODE:
    case GSK_REPEAT_NODE:
    case GSK_SHADOW_NODE:
    case GSK_BLEND_NODE:
    case GSK_CROSS_FADE_NODE:
    case GSK_BLUR_NODE:
    case GSK_DEBUG_NODE:
    case GSK_GL_SHADER_NODE:
    default:
      drawing->others++;
      break;
    }
}

static Drawing
draw (GtkWidget *cell)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  Drawing drawing = { g_array_new (FALSE, FALSE, sizeof (graphene_rect_t)), 0, { 0, 0, 0, 0 }, 0 };

  g_assert_cmpint (gtk_widget_get_width (cell), ==, WIDTH);
  GTK_WIDGET_GET_CLASS (cell)->snapshot (cell, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  collect (node, &drawing);
  return drawing;
}

static void
drawing_clear (Drawing *drawing)
{
  g_array_unref (drawing->colours);
}

static gboolean
text_colour_is (GtkWidget     *cell,
                const GdkRGBA *colour)
{
  Drawing drawing = draw (cell);
  gboolean is = drawing.texts == 1 && gdk_rgba_equal (&drawing.text_colour, colour);

  drawing_clear (&drawing);
  return is;
}

/* A window of one cell of each kind, each WIDTH × HEIGHT. */
typedef struct {
  GtkWindow *window;
  GtkWidget *cells[PW_FLEET_CELL_ICON + 1];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  for (guint kind = 0; kind < G_N_ELEMENTS (fixture->cells); kind++)
    {
      fixture->cells[kind] = pw_fleet_cell_new (kind);
      gtk_widget_set_size_request (fixture->cells[kind], WIDTH, HEIGHT);
      gtk_widget_set_halign (fixture->cells[kind], GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), fixture->cells[kind]);
    }
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);
  WAIT_UNTIL (gtk_widget_get_width (fixture->cells[PW_FLEET_CELL_ICON]) == WIDTH);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->cells[0]), (gpointer *) &fixture->cells[0]);
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (fixture->cells[0]);
}

static void
measure (GtkWidget *cell,
         int        sizes[4])
{
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &sizes[0], &sizes[1], NULL, NULL);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &sizes[2], &sizes[3], NULL, NULL);
}

static void
test_size (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *text = pw_fleet_cell_new (PW_FLEET_CELL_TEXT);
  int empty[4], filled[4], status[4], again[4];

  g_object_ref_sink (text);
  measure (text, empty);
  g_assert_cmpint (empty[0], >, 0);
  g_assert_cmpint (empty[1], >, empty[0]);
  g_assert_cmpint (empty[2], >, 0);
  g_assert_cmpint (empty[3], ==, empty[2]);

  /* What it shows changes nothing. */
  pw_fleet_cell_set_text (PW_FLEET_CELL (text), "A printer with a name far longer than the column is wide");
  g_assert_cmpstr (pw_fleet_cell_get_text (PW_FLEET_CELL (text)), ==,
                   "A printer with a name far longer than the column is wide");
  measure (text, filled);
  g_assert_cmpmem (empty, sizeof empty, filled, sizeof filled);
  g_object_unref (text);

  /* An icon goes before the status's words: wider, and at least as high as the icon. */
  measure (fixture->cells[PW_FLEET_CELL_STATUS], status);
  g_assert_cmpint (status[0], >, empty[0]);
  g_assert_cmpint (status[2], >=, 16);
  pw_fleet_cell_set_icon (PW_FLEET_CELL (fixture->cells[PW_FLEET_CELL_STATUS]), "dialog-error-symbolic");
  pw_fleet_cell_set_text (PW_FLEET_CELL (fixture->cells[PW_FLEET_CELL_STATUS]), "Paper jam, Door open");
  measure (fixture->cells[PW_FLEET_CELL_STATUS], again);
  g_assert_cmpmem (status, sizeof status, again, sizeof again);
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  PwFleetCell *cell = PW_FLEET_CELL (fixture->cells[PW_FLEET_CELL_STATUS]);
  Drawing drawing = draw (GTK_WIDGET (cell));
  GdkRGBA plain;

  /* Nothing to show, nothing drawn. */
  g_assert_cmpuint (drawing.texts, ==, 0);
  g_assert_cmpuint (drawing.others, ==, 0);
  drawing_clear (&drawing);

  pw_fleet_cell_set_text (cell, "Ready");
  pw_fleet_cell_set_icon (cell, "emblem-ok-symbolic");
  drawing = draw (GTK_WIDGET (cell));
  g_assert_cmpuint (drawing.texts, ==, 1);
  g_assert_cmpuint (drawing.others, >, 0);
  plain = drawing.text_colour;
  drawing_clear (&drawing);

  /* The words take the CSS colour, as a label's would. */
  gtk_widget_add_css_class (GTK_WIDGET (cell), "error");
  WAIT_UNTIL (!text_colour_is (GTK_WIDGET (cell), &plain));

  /* An icon-only cell never draws its text, which is for assistive technologies. */
  cell = PW_FLEET_CELL (fixture->cells[PW_FLEET_CELL_ICON]);
  pw_fleet_cell_set_text (cell, "Under contract");
  drawing = draw (GTK_WIDGET (cell));
  g_assert_cmpuint (drawing.texts, ==, 0);
  g_assert_cmpuint (drawing.others, ==, 0);
  drawing_clear (&drawing);
  pw_fleet_cell_set_icon (cell, "object-select-symbolic");
  drawing = draw (GTK_WIDGET (cell));
  g_assert_cmpuint (drawing.others, >, 0);
  drawing_clear (&drawing);
  pw_fleet_cell_set_text (cell, NULL);
  g_assert_null (pw_fleet_cell_get_text (cell));
}

/* The level bar's blocks, filled first: their x and width. */
static void
assert_bar (PwFleetCell *cell,
            float        filled_x,
            float        filled_width,
            float        rest_x,
            float        rest_width)
{
  Drawing drawing = draw (GTK_WIDGET (cell));
  const graphene_rect_t *blocks = (const graphene_rect_t *) (gpointer) drawing.colours->data;
  guint i = 0;

  g_assert_cmpuint (drawing.colours->len, ==, (filled_width > 0) + (rest_width > 0));
  if (filled_width > 0)
    {
      g_assert_cmpfloat_with_epsilon (blocks[i].origin.x, filled_x, 0.01);
      g_assert_cmpfloat_with_epsilon (blocks[i].size.width, filled_width, 0.01);
      i++;
    }
  if (rest_width > 0)
    {
      g_assert_cmpfloat_with_epsilon (blocks[i].origin.x, rest_x, 0.01);
      g_assert_cmpfloat_with_epsilon (blocks[i].size.width, rest_width, 0.01);
    }
  g_assert_cmpuint (drawing.texts, ==, pw_fleet_cell_get_text (cell) != NULL);
  drawing_clear (&drawing);
}

static void
test_level (Fixture       *fixture,
            gconstpointer  data)
{
  PwFleetCell *cell = PW_FLEET_CELL (fixture->cells[PW_FLEET_CELL_LEVEL]);

  g_assert_cmpint (pw_fleet_cell_get_level (cell), ==, -1);
  assert_bar (cell, 0, 0, 0, 0);

  /* 64 px: 42% fills 27 of them. */
  pw_fleet_cell_set_level (cell, 42);
  pw_fleet_cell_set_text (cell, "42%");
  assert_bar (cell, 0, 27, 27, 37);
  pw_fleet_cell_set_level (cell, 0);
  assert_bar (cell, 0, 0, 0, 64);
  pw_fleet_cell_set_level (cell, 250);
  g_assert_cmpint (pw_fleet_cell_get_level (cell), ==, 100);
  assert_bar (cell, 0, 64, 0, 0);
  pw_fleet_cell_set_level (cell, -7);
  g_assert_cmpint (pw_fleet_cell_get_level (cell), ==, -1);
  pw_fleet_cell_set_text (cell, NULL);
  assert_bar (cell, 0, 0, 0, 0);

  /* Right to left, the bar fills from the right. */
  gtk_widget_set_direction (GTK_WIDGET (cell), GTK_TEXT_DIR_RTL);
  pw_fleet_cell_set_level (cell, 42);
  assert_bar (cell, WIDTH - 27, 27, WIDTH - 64, 37);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under xvfb-run");
      return g_test_run ();
    }
  adw_init ();  /* the application's style: .error and the others */

  g_test_add ("/fleet-cell/size", Fixture, NULL, fixture_set_up, test_size, fixture_tear_down);
  g_test_add ("/fleet-cell/text", Fixture, NULL, fixture_set_up, test_text, fixture_tear_down);
  g_test_add ("/fleet-cell/level", Fixture, NULL, fixture_set_up, test_level, fixture_tear_down);

  return g_test_run ();
}
