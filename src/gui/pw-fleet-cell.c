/* pw-fleet-cell.c: one cell of the fleet table, drawn by one widget.
 *
 * GTK 4.8 keeps some 200 rows of widgets for a list, beyond those in
 * sight, and makes them all again whenever the list grows from a few rows
 * (a search that finds more): the cost of a row is what a search costs.
 * With a GtkBox of a GtkImage and a GtkInscription, or a GtkLevelBar (a
 * trough and two blocks), a row of the fleet table was 16 widgets of ours;
 * drawn here it is 10, one per cell. Each GtkInscription also measured the
 * font on every measure (pango_context_get_metrics () shapes a sample
 * text); the cells here measure it once per font. Their size does not
 * depend on what they show, so filling a cell only redraws it.
 *
 * Colours come from the theme: the text and icon in the cell's CSS colour
 * (so the .success, .warning, .error and .dim-label classes work as on a
 * label), the level bar as Adwaita draws a GtkLevelBar (accent_bg_color,
 * warning_bg_color at or below LOW_LEVEL, the rest of the trough in the
 * text colour at 15%).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet-cell"

#include "config.h"

#include "pw-fleet-cell.h"

#define ICON_SIZE  16  /* px, as GtkImage's normal size */
#define SPACING     6  /* px between icon or bar and text */
#define BAR_WIDTH  64  /* px */
#define BAR_HEIGHT  8  /* px, as Adwaita's level bar blocks */
#define LOW_LEVEL  15  /* %, at or below which the bar shows in the warning colour */

struct _PwFleetCell
{
  GtkWidget        parent_instance;

  PwFleetCellKind  kind;
  char            *text;       /* owned, or NULL */
  const char      *icon_name;  /* interned, or NULL */
  int              level;      /* percent, or -1 for no bar */
  PangoLayout     *layout;     /* owned, made when first drawn, or NULL */
};

G_DEFINE_FINAL_TYPE (PwFleetCell, pw_fleet_cell, GTK_TYPE_WIDGET)

/* Widths in characters (an approximate character, as GtkInscription's
 * min-chars and nat-chars), and what goes before the text, in pixels. */
static const struct {
  guint min_chars;
  guint nat_chars;
  int   lead;
} sizes[] = {
  [PW_FLEET_CELL_TEXT] = { 3, 16, 0 },
  [PW_FLEET_CELL_NUMBER] = { 3, 9, 0 },
  [PW_FLEET_CELL_STATUS] = { 3, 12, ICON_SIZE + SPACING },
  [PW_FLEET_CELL_LEVEL] = { 4, 5, BAR_WIDTH + SPACING },
  [PW_FLEET_CELL_ICON] = { 0, 0, ICON_SIZE },
};

/* The font's measures, for the last font asked about: the cells of a table
 * share one font, and measuring it means shaping a sample text. */
typedef struct {
  PangoFontDescription *font;         /* owned, or NULL */
  PangoLanguage        *language;
  PangoFontMap         *font_map;     /* compared, not kept */
  double                resolution;   /* dpi: text scaling changes it, not the font */
  int                   char_width;   /* Pango units */
  int                   line_height;  /* Pango units */
} FontMeasures;

static FontMeasures measures;

/* Cells are measured on the main thread only. */
static const FontMeasures *
measure_font (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  PangoLanguage *language = pango_context_get_language (context);
  PangoFontMap *font_map = pango_context_get_font_map (context);
  double resolution = pango_cairo_context_get_resolution (context);
  PangoFontMetrics *metrics;

  if (measures.font != NULL && measures.language == language && measures.font_map == font_map &&
      measures.resolution == resolution && pango_font_description_equal (measures.font, font))
    return &measures;

  metrics = pango_context_get_metrics (context, NULL, NULL);
  g_clear_pointer (&measures.font, pango_font_description_free);
  measures.font = pango_font_description_copy (font);
  measures.language = language;
  measures.font_map = font_map;
  measures.resolution = resolution;
  measures.char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                             pango_font_metrics_get_approximate_digit_width (metrics));
  measures.line_height = pango_font_metrics_get_ascent (metrics) + pango_font_metrics_get_descent (metrics);
  pango_font_metrics_unref (metrics);
  return &measures;
}

static GtkSizeRequestMode
pw_fleet_cell_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
pw_fleet_cell_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  PwFleetCell *self = PW_FLEET_CELL (widget);
  const FontMeasures *font = measure_font (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = sizes[self->kind].lead + PANGO_PIXELS_CEIL (sizes[self->kind].min_chars * font->char_width);
      *natural = sizes[self->kind].lead + PANGO_PIXELS_CEIL (sizes[self->kind].nat_chars * font->char_width);
    }
  else
    {
      int height = self->kind == PW_FLEET_CELL_ICON ? 0 : PANGO_PIXELS_CEIL (font->line_height);

      if (self->kind == PW_FLEET_CELL_STATUS || self->kind == PW_FLEET_CELL_ICON)
        height = MAX (height, ICON_SIZE);
      *minimum = *natural = height;
    }
}

/* x of something @size wide, @from pixels from the cell's start. */
static float
start_x (GtkWidget *widget,
         int        from,
         int        size)
{
  return gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? gtk_widget_get_width (widget) - from - size : from;
}

static void
snapshot_icon (PwFleetCell *self,
               GtkSnapshot *snapshot,
               const GdkRGBA *colour)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = NULL;
  /* Symbolic icons' foreground, success, warning and error colours: all
   * the cell's, which its CSS class sets. */
  const GdkRGBA colours[4] = { *colour, *colour, *colour, *colour };
  float x = self->kind == PW_FLEET_CELL_ICON ? (gtk_widget_get_width (widget) - ICON_SIZE) / 2
                                             : start_x (widget, 0, ICON_SIZE);

  icon = gtk_icon_theme_lookup_icon (theme, self->icon_name, NULL, ICON_SIZE, gtk_widget_get_scale_factor (widget),
                                     gtk_widget_get_direction (widget), 0);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (gtk_widget_get_height (widget) - ICON_SIZE) / 2));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON_SIZE, ICON_SIZE, colours,
                                            G_N_ELEMENTS (colours));
  gtk_snapshot_restore (snapshot);
}

static void
append_pill (GtkSnapshot   *snapshot,
             float          x,
             float          y,
             float          width,
             const GdkRGBA *colour)
{
  GskRoundedRect pill;

  if (width <= 0)
    return;
  gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (x, y, width, BAR_HEIGHT),
                                   MIN (width, BAR_HEIGHT) / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, colour, &pill.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_bar (PwFleetCell   *self,
              GtkSnapshot   *snapshot,
              const GdkRGBA *colour)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int filled = (BAR_WIDTH * self->level + 50) / 100;
  float y = (gtk_widget_get_height (widget) - BAR_HEIGHT) / 2;
  GdkRGBA full, empty = *colour;

  empty.alpha *= 0.15f;
  if (!gtk_style_context_lookup_color (style, self->level <= LOW_LEVEL ? "warning_bg_color" : "accent_bg_color",
                                       &full))
    full = *colour;
  /* As GtkLevelBar's two blocks: the filled part from the start, then the rest. */
  append_pill (snapshot, start_x (widget, 0, filled), y, filled, &full);
  append_pill (snapshot, start_x (widget, filled, BAR_WIDTH - filled), y, BAR_WIDTH - filled, &empty);
}

static void
snapshot_text (PwFleetCell   *self,
               GtkSnapshot   *snapshot,
               const GdkRGBA *colour)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int lead = sizes[self->kind].lead;
  int room = MAX (gtk_widget_get_width (widget) - lead, 0);
  gboolean end = self->kind == PW_FLEET_CELL_NUMBER || self->kind == PW_FLEET_CELL_LEVEL;
  PangoRectangle logical;
  float x;

  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (widget, self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      if (end)
        {
          g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

          /* Tabular figures, as Adwaita's .numeric class asks for. */
          pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (self->layout, attributes);
        }
    }
  pango_layout_set_width (self->layout, room * PANGO_SCALE);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  if (end == (gtk_widget_get_direction (widget) != GTK_TEXT_DIR_RTL))
    x = (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? 0 : lead) + room - logical.width - logical.x;
  else
    x = (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? 0 : lead) - logical.x;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (gtk_widget_get_height (widget) - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, self->layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
pw_fleet_cell_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  PwFleetCell *self = PW_FLEET_CELL (widget);
  GdkRGBA colour;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colour);

  gtk_snapshot_push_clip (snapshot,
                          &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget)));
  if (self->icon_name != NULL && (self->kind == PW_FLEET_CELL_STATUS || self->kind == PW_FLEET_CELL_ICON))
    snapshot_icon (self, snapshot, &colour);
  if (self->kind == PW_FLEET_CELL_LEVEL && self->level >= 0)
    snapshot_bar (self, snapshot, &colour);
  if (self->text != NULL && self->text[0] != '\0' && self->kind != PW_FLEET_CELL_ICON)
    snapshot_text (self, snapshot, &colour);
  gtk_snapshot_pop (snapshot);
}

/* A new font or direction: the layout is made again when next drawn. */
static void
pw_fleet_cell_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  PwFleetCell *self = PW_FLEET_CELL (widget);

  GTK_WIDGET_CLASS (pw_fleet_cell_parent_class)->css_changed (widget, change);

  g_clear_object (&self->layout);
  gtk_widget_queue_draw (widget);
}

static void
pw_fleet_cell_direction_changed (GtkWidget        *widget,
                                 GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (pw_fleet_cell_parent_class)->direction_changed (widget, previous);

  gtk_widget_queue_draw (widget);
}

static void
pw_fleet_cell_finalize (GObject *object)
{
  PwFleetCell *self = PW_FLEET_CELL (object);

  g_free (self->text);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (pw_fleet_cell_parent_class)->finalize (object);
}

static void
pw_fleet_cell_class_init (PwFleetCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pw_fleet_cell_finalize;

  widget_class->get_request_mode = pw_fleet_cell_get_request_mode;
  widget_class->measure = pw_fleet_cell_measure;
  widget_class->snapshot = pw_fleet_cell_snapshot;
  widget_class->css_changed = pw_fleet_cell_css_changed;
  widget_class->direction_changed = pw_fleet_cell_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "fleetcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
pw_fleet_cell_init (PwFleetCell *self)
{
  self->level = -1;
}

/**
 * pw_fleet_cell_new:
 *
 * Returns: (transfer floating): an empty cell
 */
GtkWidget *
pw_fleet_cell_new (PwFleetCellKind kind)
{
  PwFleetCell *self;

  g_return_val_if_fail (kind <= PW_FLEET_CELL_ICON, NULL);

  self = g_object_new (PW_TYPE_FLEET_CELL, NULL);
  self->kind = kind;
  return GTK_WIDGET (self);
}

/**
 * pw_fleet_cell_set_text:
 * @text: (nullable): what the cell says; an icon-only cell tells it to
 *   assistive technologies alone
 */
void
pw_fleet_cell_set_text (PwFleetCell *self,
                        const char  *text)
{
  g_return_if_fail (PW_IS_FLEET_CELL (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text != NULL ? text : "", -1);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
pw_fleet_cell_get_text (PwFleetCell *self)
{
  g_return_val_if_fail (PW_IS_FLEET_CELL (self), NULL);
  return self->text;
}

/**
 * pw_fleet_cell_set_icon:
 * @icon_name: (nullable): a symbolic icon's name
 */
void
pw_fleet_cell_set_icon (PwFleetCell *self,
                        const char  *icon_name)
{
  const char *interned = g_intern_string (icon_name);

  g_return_if_fail (PW_IS_FLEET_CELL (self));

  if (self->icon_name == interned)
    return;
  self->icon_name = interned;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * pw_fleet_cell_set_level:
 * @percent: 0 to 100, or -1 for no bar
 */
void
pw_fleet_cell_set_level (PwFleetCell *self,
                         int          percent)
{
  g_return_if_fail (PW_IS_FLEET_CELL (self));

  percent = percent < 0 ? -1 : MIN (percent, 100);
  if (self->level == percent)
    return;
  self->level = percent;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
pw_fleet_cell_get_level (PwFleetCell *self)
{
  g_return_val_if_fail (PW_IS_FLEET_CELL (self), -1);
  return self->level;
}
