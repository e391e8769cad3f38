/* pw-fleet-row.c: one row of the fleet table, whichever printer it shows.
 *
 * The table's rows are these objects, not the devices (see
 * pw-fleet-rows.c): a row stays where it is while the printer it shows
 * changes, and its cells follow "device". GTK 4.8 keeps a row's widgets
 * only while its item stays in the list, so rows that outlive a sort, a
 * search or a poll keep theirs and are only filled again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet-row"

#include "config.h"

#include "pw-fleet-row.h"

struct _PwFleetRow
{
  GObject   parent_instance;

  PwDevice *device;  /* owned */
};

G_DEFINE_FINAL_TYPE (PwFleetRow, pw_fleet_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pw_fleet_row_finalize (GObject *object)
{
  PwFleetRow *self = PW_FLEET_ROW (object);

  g_clear_object (&self->device);

  G_OBJECT_CLASS (pw_fleet_row_parent_class)->finalize (object);
}

static void
pw_fleet_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PwFleetRow *self = PW_FLEET_ROW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_fleet_row_class_init (PwFleetRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_fleet_row_finalize;
  object_class->get_property = pw_fleet_row_get_property;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, PW_TYPE_DEVICE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_fleet_row_init (PwFleetRow *self)
{
}

/**
 * pw_fleet_row_new:
 * @device: the printer the row shows first
 *
 * Returns: (transfer full): a row
 */
PwFleetRow *
pw_fleet_row_new (PwDevice *device)
{
  PwFleetRow *self;

  g_return_val_if_fail (PW_IS_DEVICE (device), NULL);

  self = g_object_new (PW_TYPE_FLEET_ROW, NULL);
  self->device = g_object_ref (device);
  return self;
}

/**
 * pw_fleet_row_get_device:
 *
 * Returns: (transfer none): the printer the row shows
 */
PwDevice *
pw_fleet_row_get_device (PwFleetRow *self)
{
  g_return_val_if_fail (PW_IS_FLEET_ROW (self), NULL);
  return self->device;
}

/* For PwFleetRows, which owns the rows. */
void
pw_fleet_row_set_device (PwFleetRow *self,
                         PwDevice   *device)
{
  g_return_if_fail (PW_IS_FLEET_ROW (self));
  g_return_if_fail (PW_IS_DEVICE (device));

  if (g_set_object (&self->device, device))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}
