/* pw-fleet.c: the printers the store keeps, as a live list model.
 *
 * A GListModel of PwDevice, each with its latest snapshot, in the store's
 * order (by id). It loads on a worker thread, where each device is also
 * summarised (PwDeviceSummary), so a view of 10,000 printers sorts and
 * filters without touching SQLite or parsing anything.
 *
 * Changes arrive one device at a time (pw_fleet_refresh_device (), which
 * PwAgent calls for every device a poll reads): the device is read again
 * on a worker and only its position changes. A reload compares what it
 * read with what is shown, keeps the objects of devices that did not
 * change and tells one range, so views keep their rows, their scroll
 * position and their selection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-fleet"

#include "config.h"

#include "pw-fleet.h"
#include "pw-device-summary.h"

struct _PwFleet
{
  GObject        parent_instance;

  PwStore       *store;         /* owned */
  GPtrArray     *devices;       /* owned, of PwDevice, by id */
  GCancellable  *cancellable;   /* owned, cancelled on dispose */
  GError        *error;         /* owned, why the last load failed, or NULL */
  guint          reloads;       /* reloads started; only the newest is applied */
  guint          running;       /* reloads still running */
  gboolean       loaded;        /* a reload was applied (or failed) once */
  GHashTable    *pending;       /* owned, set of gint64: devices to read again */
  gboolean       refreshing;    /* a refresh worker runs */
  GHashTable    *touched;       /* owned, ids refreshed since the newest reload began */
};

static void pw_fleet_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PwFleet, pw_fleet, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pw_fleet_list_model_init))

enum {
  PROP_0,
  PROP_LOADED,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One device read again: NULL when it is gone from the store. */
typedef struct {
  gint64    id;
  PwDevice *device;
} Refreshed;

static void
refreshed_clear (gpointer data)
{
  g_clear_object (&((Refreshed *) data)->device);
}

static GType
pw_fleet_get_item_type (GListModel *model)
{
  return PW_TYPE_DEVICE;
}

static guint
pw_fleet_get_n_items (GListModel *model)
{
  return PW_FLEET (model)->devices->len;
}

static gpointer
pw_fleet_get_item (GListModel *model,
                   guint       position)
{
  PwFleet *self = PW_FLEET (model);

  if (position >= self->devices->len)
    return NULL;
  return g_object_ref (self->devices->pdata[position]);
}

static void
pw_fleet_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pw_fleet_get_item_type;
  iface->get_n_items = pw_fleet_get_n_items;
  iface->get_item = pw_fleet_get_item;
}

static void
pw_fleet_dispose (GObject *object)
{
  PwFleet *self = PW_FLEET (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (pw_fleet_parent_class)->dispose (object);
}

static void
pw_fleet_finalize (GObject *object)
{
  PwFleet *self = PW_FLEET (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pw_fleet_parent_class)->finalize (object);
}

static void
pw_fleet_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PwFleet *self = PW_FLEET (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, pw_fleet_get_loading (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->devices->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_fleet_class_init (PwFleetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pw_fleet_dispose;
  object_class->finalize = pw_fleet_finalize;
  object_class->get_property = pw_fleet_get_property;

  /* TRUE once the first load ended, well or not (see pw_fleet_get_error ()). */
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_fleet_init (PwFleet *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->touched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * pw_fleet_new:
 * @store: where the devices are kept
 *
 * Returns: (transfer full): an empty fleet; pw_fleet_reload_async () fills it
 */
PwFleet *
pw_fleet_new (PwStore *store)
{
  PwFleet *self;

  g_return_val_if_fail (PW_IS_STORE (store), NULL);

  self = g_object_new (PW_TYPE_FLEET, NULL);
  self->store = g_object_ref (store);
  return self;
}

PwStore *
pw_fleet_get_store (PwFleet *self)
{
  g_return_val_if_fail (PW_IS_FLEET (self), NULL);
  return self->store;
}

gboolean
pw_fleet_get_loaded (PwFleet *self)
{
  g_return_val_if_fail (PW_IS_FLEET (self), FALSE);
  return self->loaded;
}

gboolean
pw_fleet_get_loading (PwFleet *self)
{
  g_return_val_if_fail (PW_IS_FLEET (self), FALSE);
  return self->running > 0;
}

/**
 * pw_fleet_get_error:
 *
 * Returns: (transfer none) (nullable): why the last load failed, or %NULL
 */
const GError *
pw_fleet_get_error (PwFleet *self)
{
  g_return_val_if_fail (PW_IS_FLEET (self), NULL);
  return self->error;
}

/* Binary search by id; @position gets where the device is, or would go. */
static PwDevice *
find (PwFleet *self,
      gint64   device_id,
      guint   *position)
{
  guint lo = 0, hi = self->devices->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 id = pw_device_get_id (self->devices->pdata[mid]);

      if (id == device_id)
        {
          *position = mid;
          return self->devices->pdata[mid];
        }
      if (id < device_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  *position = lo;
  return NULL;
}

/**
 * pw_fleet_lookup:
 * @position: (out) (optional): where the device is in the list
 *
 * Returns: (transfer none) (nullable): the device with that id, or %NULL
 */
PwDevice *
pw_fleet_lookup (PwFleet *self,
                 gint64   device_id,
                 guint   *position)
{
  guint pos = 0;
  PwDevice *device;

  g_return_val_if_fail (PW_IS_FLEET (self), NULL);

  device = find (self, device_id, &pos);
  if (device != NULL && position != NULL)
    *position = pos;
  return device;
}

static void
changed (PwFleet *self,
         guint    position,
         guint    removed,
         guint    added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Whether the store's @fresh says anything @shown does not. */
static gboolean
same_device (PwDevice *shown,
             PwDevice *fresh)
{
  PwSnapshot *a = pw_device_get_latest (shown);
  PwSnapshot *b = pw_device_get_latest (fresh);

  if ((a == NULL) != (b == NULL) || (a != NULL && pw_snapshot_get_id (a) != pw_snapshot_get_id (b)))
    return FALSE;
  if (pw_device_get_reachable (shown) != pw_device_get_reachable (fresh) ||
      pw_device_get_last_seen (shown) != pw_device_get_last_seen (fresh) ||
      pw_device_get_in_scope (shown) != pw_device_get_in_scope (fresh) ||
      pw_device_get_credential_profile (shown) != pw_device_get_credential_profile (fresh) ||
      g_strcmp0 (pw_device_get_last_error (shown), pw_device_get_last_error (fresh)) != 0 ||
      g_strcmp0 (pw_device_get_name (shown), pw_device_get_name (fresh)) != 0 ||
      g_strcmp0 (pw_device_get_host (shown), pw_device_get_host (fresh)) != 0 ||
      pw_device_get_port (shown) != pw_device_get_port (fresh))
    return FALSE;
  for (guint i = 0; i < PW_N_IDENTITY_FIELDS; i++)
    if (g_strcmp0 (pw_device_get_identity (shown, i), pw_device_get_identity (fresh, i)) != 0)
      return FALSE;
  return TRUE;
}

/* Replaces the list by @fresh (by id), keeping the objects that did not
 * change, and tells the one range in between. */
static void
apply_list (PwFleet   *self,
            GPtrArray *fresh)
{
  GPtrArray *old = self->devices;
  g_autoptr(GPtrArray) merged = g_ptr_array_new_full (fresh->len, g_object_unref);
  guint i = 0, prefix = 0, suffix = 0;

  for (guint j = 0; j < fresh->len; j++)
    {
      PwDevice *device = fresh->pdata[j];
      gint64 id = pw_device_get_id (device);

      while (i < old->len && pw_device_get_id (old->pdata[i]) < id)
        i++;
      if (i < old->len && pw_device_get_id (old->pdata[i]) == id && same_device (old->pdata[i], device))
        g_ptr_array_add (merged, g_object_ref (old->pdata[i]));
      else
        g_ptr_array_add (merged, g_object_ref (device));
    }

  while (prefix < old->len && prefix < merged->len && old->pdata[prefix] == merged->pdata[prefix])
    prefix++;
  while (suffix < old->len - prefix && suffix < merged->len - prefix &&
         old->pdata[old->len - 1 - suffix] == merged->pdata[merged->len - 1 - suffix])
    suffix++;

  self->devices = g_steal_pointer (&merged);
  if (old->len - prefix - suffix > 0 || self->devices->len - prefix - suffix > 0)
    changed (self, prefix, old->len - prefix - suffix, self->devices->len - prefix - suffix);
  g_ptr_array_unref (old);
}

static void
summarise_all (GPtrArray *devices)
{
  for (guint i = 0; i < devices->len; i++)
    pw_device_summary_get (devices->pdata[i]);
}

/* Reloading */

static void
reload_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = pw_store_list_devices (task_data, &error);

  if (devices == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  summarise_all (devices);
  g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

static void queue_refresh (PwFleet *self,
                           gint64   device_id);

static void
reloaded_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  PwFleet *self = PW_FLEET (source);
  g_autoptr(GTask) task = user_data;
  guint serial = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = g_task_propagate_pointer (G_TASK (res), &error);
  gboolean was_loaded = self->loaded;

  self->running--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  /* An older reload read the store before a newer one: only the newest counts. */
  if (serial == self->reloads)
    {
      g_clear_error (&self->error);
      if (devices != NULL)
        {
          GHashTableIter iter;
          gpointer key;

          apply_list (self, devices);
          /* What polls changed while this reload read may be older in it. */
          g_hash_table_iter_init (&iter, self->touched);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            queue_refresh (self, *(gint64 *) key);
          g_hash_table_remove_all (self->touched);
        }
      else
        self->error = g_error_copy (error);
      self->loaded = TRUE;
    }

  if (!was_loaded && self->loaded)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pw_fleet_reload_async:
 *
 * Reads every device again, off the main thread, and shows what changed.
 * When reloads overlap, the newest one wins.
 */
void
pw_fleet_reload_async (PwFleet             *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (PW_IS_FLEET (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_fleet_reload_async);
  self->reloads++;
  self->running++;
  g_task_set_task_data (task, GUINT_TO_POINTER (self->reloads), NULL);
  g_hash_table_remove_all (self->touched);

  /* The read runs to its end and is shown whatever the caller does: a
   * caller's cancel only turns its own answer into G_IO_ERROR_CANCELLED. */
  worker = g_task_new (self, self->cancellable, reloaded_cb, task);
  g_task_set_source_tag (worker, pw_fleet_reload_async);
  g_task_set_return_on_cancel (worker, TRUE);
  g_task_set_task_data (worker, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (worker, reload_worker);
  if (self->running == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gboolean
pw_fleet_reload_finish (PwFleet       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Refreshing single devices */

typedef struct {
  PwStore *store;
  GArray  *ids;
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *refresh = data;

  g_object_unref (refresh->store);
  g_array_unref (refresh->ids);
  g_free (refresh);
}

static void
refresh_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *refresh = task_data;
  g_autoptr(GArray) results = g_array_sized_new (FALSE, TRUE, sizeof (Refreshed), refresh->ids->len);

  g_array_set_clear_func (results, refreshed_clear);
  for (guint i = 0; i < refresh->ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      Refreshed item = { g_array_index (refresh->ids, gint64, i), NULL };

      if (g_cancellable_is_cancelled (cancellable))
        break;
      item.device = pw_store_get_device (refresh->store, item.id, &error);
      if (item.device != NULL)
        pw_device_summary_get (item.device);
      else if (!g_error_matches (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND))
        {
          /* Shown as it was; the next poll or reload tries again. */
          g_debug ("device %" G_GINT64_FORMAT ": %s", item.id, error->message);
          continue;
        }
      g_array_append_val (results, item);
    }
  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_array_unref);
}

static void start_refresh (PwFleet *self);

static void
apply_refreshed (PwFleet   *self,
                 Refreshed *item)
{
  guint position = 0;
  PwDevice *shown = find (self, item->id, &position);

  if (self->running > 0)
    {
      gint64 id = item->id;

      g_hash_table_add (self->touched, g_memdup2 (&id, sizeof id));
    }
  if (shown != NULL && item->device != NULL)
    {
      g_ptr_array_index (self->devices, position) = g_steal_pointer (&item->device);
      g_object_unref (shown);
      changed (self, position, 1, 1);
    }
  else if (shown != NULL)
    {
      g_ptr_array_remove_index (self->devices, position);
      changed (self, position, 1, 0);
    }
  else if (item->device != NULL)
    {
      g_ptr_array_insert (self->devices, (gint) position, g_steal_pointer (&item->device));
      changed (self, position, 0, 1);
    }
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  PwFleet *self = PW_FLEET (source);
  g_autoptr(GArray) results = g_task_propagate_pointer (G_TASK (res), NULL);

  self->refreshing = FALSE;
  if (results == NULL)
    return;  /* cancelled: the fleet is going away */
  for (guint i = 0; i < results->len; i++)
    apply_refreshed (self, &g_array_index (results, Refreshed, i));
  if (g_hash_table_size (self->pending) > 0)
    start_refresh (self);
}

static void
start_refresh (PwFleet *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, refreshed_cb, NULL);
  RefreshData *refresh = g_new0 (RefreshData, 1);
  GHashTableIter iter;
  gpointer key;

  refresh->store = g_object_ref (self->store);
  refresh->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (self->pending));
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (refresh->ids, *(gint64 *) key);
  g_hash_table_remove_all (self->pending);
  self->refreshing = TRUE;

  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, refresh, refresh_data_free);
  g_task_run_in_thread (task, refresh_worker);
}

static void
queue_refresh (PwFleet *self,
               gint64   device_id)
{
  g_hash_table_add (self->pending, g_memdup2 (&device_id, sizeof device_id));
  if (!self->refreshing)
    start_refresh (self);
}

/**
 * pw_fleet_refresh_device:
 * @device_id: a device that was polled, added, changed or removed
 *
 * Reads the device again off the main thread; then its position alone
 * changes (or it appears, or it goes). Devices asked for while a read
 * runs are read together next.
 */
void
pw_fleet_refresh_device (PwFleet *self,
                         gint64   device_id)
{
  g_return_if_fail (PW_IS_FLEET (self));
  g_return_if_fail (device_id > 0);

  queue_refresh (self, device_id);
}
