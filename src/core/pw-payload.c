/* pw-payload.c: the exact JSON that leaves the site.
 *
 * Format 1 of the upload protocol (data/printwatch-payload.schema.json):
 * site information, and for each printer under contract its identity,
 * latest meter reads, supplies, status, alerts and installed options, with
 * the time they were read. What is built here is what is stored in the
 * outbox and sent, byte for byte, and what `printwatch-cli payload` shows.
 *
 * A fleet of more than PW_PAYLOAD_PART_DEVICES devices under contract goes
 * in parts: each a whole format-1 payload of its own (site information and
 * a share of the devices) with a "batch" member that names the day's batch
 * and the part's place in it. The parts are built one after another from
 * the store, a part's devices at a time, so a large fleet is never in
 * memory whole; a fleet that fits in one payload gets one without "batch",
 * as before parts existed.
 *
 * It carries nothing a printer was not asked for: no job tables, no
 * document content, no user names, and no sysContact (often a person). No
 * SNMP credential or server password is ever within its reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-payload"

#include "config.h"

#include "pw-payload.h"
#include "pw-payload-private.h"
#include "pw-device.h"
#include "pw-json.h"
#include "pw-mib-names.h"
#include "pw-site-info.h"
#include "pw-snapshot.h"
#include "pw-store.h"

struct _PwPayload
{
  GObject  parent_instance;

  char    *id;          /* owned: the idempotency key */
  gint64   created_at;
  GBytes  *bytes;       /* owned: the JSON */
  guint    n_devices;
  char    *batch_id;    /* owned, nullable: when in parts */
  guint    part_index;
  guint    part_count;  /* 1 when not in parts */
};

G_DEFINE_FINAL_TYPE (PwPayload, pw_payload, G_TYPE_OBJECT)

/* PW_PAYLOAD_PART_DEVICES, unless a test lowered it. */
static guint part_devices = PW_PAYLOAD_PART_DEVICES;

/* Tests split a small fleet in parts with this; 0 restores the default. */
void
_pw_payload_set_part_devices (guint n)
{
  g_atomic_int_set (&part_devices, n > 0 ? n : PW_PAYLOAD_PART_DEVICES);
}

static void
pw_payload_finalize (GObject *object)
{
  PwPayload *self = PW_PAYLOAD (object);

  g_free (self->id);
  g_free (self->batch_id);
  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (pw_payload_parent_class)->finalize (object);
}

static void
pw_payload_class_init (PwPayloadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_payload_finalize;
}

static void
pw_payload_init (PwPayload *self)
{
  self->part_count = 1;
}

static void
add_identity (JsonBuilder *builder,
              PwDevice    *device)
{
  static const struct {
    const char      *member;
    PwIdentityField  field;
  } fields[] = {
    { "vendor", PW_IDENTITY_VENDOR },
    { "model", PW_IDENTITY_MODEL },
    { "serial", PW_IDENTITY_SERIAL },
    { "firmware", PW_IDENTITY_FIRMWARE },
    { "mac", PW_IDENTITY_MAC },
    { "sys_name", PW_IDENTITY_SYS_NAME },
    { "location", PW_IDENTITY_LOCATION },
    { "description", PW_IDENTITY_SYS_DESCR },
  };

  json_builder_set_member_name (builder, "identity");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    pw_json_add_string (builder, fields[i].member, pw_device_get_identity (device, fields[i].field));
  /* sysContact names a person more often than not: it stays on site. */
  pw_json_add_string (builder, "contact", NULL);
  json_builder_end_object (builder);
}

static void
add_status (JsonBuilder *builder,
            PwSnapshot  *latest)
{
  guint32 errors = latest != NULL ? pw_snapshot_get_error_state (latest) : 0;

  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  pw_json_add_string (builder, "device", latest != NULL && pw_snapshot_get_device_status (latest) != PW_DEVICE_STATUS_NONE
                                 ? pw_mib_device_status_nick (pw_snapshot_get_device_status (latest)) : NULL);
  pw_json_add_string (builder, "printer", latest != NULL && pw_snapshot_get_printer_status (latest) != PW_PRINTER_STATUS_NONE
                                  ? pw_mib_printer_status_nick (pw_snapshot_get_printer_status (latest)) : NULL);
  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_array (builder);
  for (guint bit = 0; bit < PW_PRINTER_ERROR_BITS; bit++)
    if (errors & (1u << bit))
      json_builder_add_string_value (builder, pw_mib_printer_error_nick (bit));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_counters (JsonBuilder *builder,
              PwSnapshot  *latest)
{
  GPtrArray *counters = latest != NULL ? pw_snapshot_get_counters (latest) : NULL;

  json_builder_set_member_name (builder, "counters");
  json_builder_begin_array (builder);
  for (guint i = 0; counters != NULL && i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];

      json_builder_begin_object (builder);
      pw_json_add_string (builder, "name", counter->name);
      pw_json_add_int (builder, "value", counter->value);
      pw_json_add_string (builder, "unit", counter->unit);
      json_builder_set_member_name (builder, "reset");
      json_builder_add_boolean_value (builder, counter->reset);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_supplies (JsonBuilder *builder,
              PwSnapshot  *latest)
{
  GPtrArray *supplies = latest != NULL ? pw_snapshot_get_supplies (latest) : NULL;

  json_builder_set_member_name (builder, "supplies");
  json_builder_begin_array (builder);
  for (guint i = 0; supplies != NULL && i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      int percent = pw_supply_get_percent (supply);

      json_builder_begin_object (builder);
      pw_json_add_int (builder, "index", supply->index);
      pw_json_add_string (builder, "description", supply->description);
      pw_json_add_string (builder, "type", pw_mib_supply_type_nick (supply->type));
      pw_json_add_string (builder, "class", pw_mib_supply_class_nick (supply->supply_class));
      pw_json_add_string (builder, "unit", pw_mib_supply_unit_nick (supply->unit));
      pw_json_add_int (builder, "max_capacity", supply->max_capacity);
      pw_json_add_int (builder, "level", supply->level);
      json_builder_set_member_name (builder, "percent");
      if (percent >= 0)
        json_builder_add_int_value (builder, percent);
      else
        json_builder_add_null_value (builder);
      pw_json_add_string (builder, "colour", supply->colour);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_alerts (JsonBuilder *builder,
            PwSnapshot  *latest)
{
  GPtrArray *alerts = latest != NULL ? pw_snapshot_get_alerts (latest) : NULL;

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      const PwAlert *alert = alerts->pdata[i];

      json_builder_begin_object (builder);
      pw_json_add_string (builder, "severity", pw_mib_alert_severity_nick (alert->severity));
      pw_json_add_string (builder, "training", pw_mib_alert_training_nick (alert->training));
      pw_json_add_string (builder, "group", pw_mib_alert_group_nick (alert->group));
      pw_json_add_int (builder, "group_index", alert->group_index);
      pw_json_add_string (builder, "code", pw_mib_alert_code_nick (alert->code));
      pw_json_add_string (builder, "description", alert->description);
      pw_json_add_int (builder, "time", alert->time);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static const char *
option_kind_nick (PwOptionKind kind)
{
  switch (kind)
    {
    case PW_OPTION_INPUT:
      return "input-tray";
    case PW_OPTION_OUTPUT:
      return "output-bin";
    case PW_OPTION_DUPLEX:
      return "duplex";
    case PW_OPTION_FINISHER:
      return "finisher";
    case PW_OPTION_MEMORY:
      return "memory";
    case PW_OPTION_DISK:
      return "disk";
    default:
      return "other";
    }
}

static void
add_options (JsonBuilder *builder,
             PwSnapshot  *latest)
{
  GPtrArray *options = latest != NULL ? pw_snapshot_get_options (latest) : NULL;

  json_builder_set_member_name (builder, "options");
  json_builder_begin_array (builder);
  for (guint i = 0; options != NULL && i < options->len; i++)
    {
      const PwOption *option = options->pdata[i];

      json_builder_begin_object (builder);
      pw_json_add_string (builder, "kind", option_kind_nick (option->kind));
      pw_json_add_int (builder, "index", option->index);
      pw_json_add_string (builder, "name", option->name);
      pw_json_add_string (builder, "media", option->media);
      pw_json_add_int (builder, "capacity", option->capacity);
      pw_json_add_int (builder, "level", option->level);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_device (JsonBuilder *builder,
            PwDevice    *device)
{
  PwSnapshot *latest = pw_device_get_latest (device);

  json_builder_begin_object (builder);
  pw_json_add_int (builder, "device_id", pw_device_get_id (device));
  pw_json_add_string (builder, "address", pw_device_get_host (device));
  pw_json_add_int (builder, "port", pw_device_get_port (device));
  add_identity (builder, device);
  pw_json_add_time (builder, "read_at", latest != NULL ? pw_snapshot_get_taken_at (latest) : 0);
  json_builder_set_member_name (builder, "reachable");
  json_builder_add_boolean_value (builder, pw_device_get_reachable (device));
  add_status (builder, latest);
  add_counters (builder, latest);
  add_supplies (builder, latest);
  add_alerts (builder, latest);
  add_options (builder, latest);
  json_builder_end_object (builder);
}

/**
 * pw_payload_new:
 * @site: what the site is
 * @devices: (element-type PwDevice): the fleet with each device's latest
 *   snapshot; only those under contract (in scope) go in
 * @payload_id: (nullable): its idempotency key; %NULL makes a new UUID
 * @created_at: unix seconds
 *
 * A payload of all of @devices, not in parts.
 */
PwPayload *
pw_payload_new (PwSiteInfo *site,
                GPtrArray  *devices,
                const char *payload_id,
                gint64      created_at)
{
  return pw_payload_new_part (site, devices, payload_id, created_at, NULL, 0, 1);
}

/**
 * pw_payload_new_part:
 * @devices: (element-type PwDevice): the part's devices; only those under
 *   contract go in
 * @batch_id: (nullable): the batch's id, a UUID shared by its parts; %NULL
 *   for a payload not in parts
 * @index: the part's place in the batch, from 0
 * @count: the parts of the batch
 *
 * One part of a batch, as pw_payload_new () makes a whole payload; it
 * carries "batch" when @batch_id is set.
 */
PwPayload *
pw_payload_new_part (PwSiteInfo *site,
                     GPtrArray  *devices,
                     const char *payload_id,
                     gint64      created_at,
                     const char *batch_id,
                     guint       index,
                     guint       count)
{
  PwPayload *self;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  char *text;

  g_return_val_if_fail (PW_IS_SITE_INFO (site), NULL);
  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (batch_id == NULL || (count > 0 && index < count), NULL);

  self = g_object_new (PW_TYPE_PAYLOAD, NULL);
  self->id = payload_id != NULL ? g_strdup (payload_id) : g_uuid_string_random ();
  self->created_at = created_at;
  self->batch_id = g_strdup (batch_id);
  self->part_index = batch_id != NULL ? index : 0;
  self->part_count = batch_id != NULL ? count : 1;

  json_builder_begin_object (builder);
  pw_json_add_int (builder, "format", PW_PAYLOAD_FORMAT);
  pw_json_add_string (builder, "payload_id", self->id);
  pw_json_add_time (builder, "created_at", created_at);
  if (batch_id != NULL)
    {
      json_builder_set_member_name (builder, "batch");
      json_builder_begin_object (builder);
      pw_json_add_string (builder, "id", batch_id);
      pw_json_add_int (builder, "index", index);
      pw_json_add_int (builder, "count", count);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "agent");
  json_builder_begin_object (builder);
  pw_json_add_string (builder, "name", "Printwatch");
  pw_json_add_string (builder, "version", PACKAGE_VERSION);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "site");
  pw_site_info_to_json (site, builder);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    if (pw_device_get_in_scope (devices->pdata[i]))
      {
        add_device (builder, devices->pdata[i]);
        self->n_devices++;
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  g_clear_object (&builder);  /* its own reference to the tree: gone before the text is made */
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  self->bytes = g_bytes_new_take (text, len);
  return self;
}

/**
 * pw_payload_new_from_bytes:
 *
 * A payload as it was built before, from the outbox.
 */
PwPayload *
pw_payload_new_from_bytes (const char *payload_id,
                           gint64      created_at,
                           GBytes     *bytes)
{
  PwPayload *self;

  g_return_val_if_fail (payload_id != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (PW_TYPE_PAYLOAD, NULL);
  self->id = g_strdup (payload_id);
  self->created_at = created_at;
  self->bytes = g_bytes_ref (bytes);
  return self;
}

/**
 * pw_payload_new_from_item:
 * @item: an outbox item with its payload loaded
 *
 * A payload as it waits in the outbox, with its place in its batch.
 */
PwPayload *
pw_payload_new_from_item (const PwOutboxItem *item)
{
  PwPayload *self;

  g_return_val_if_fail (item != NULL, NULL);

  self = pw_payload_new_from_bytes (item->idempotency_key, item->created_at, item->payload);
  self->n_devices = item->n_devices;
  self->batch_id = g_strdup (item->batch_id);
  self->part_index = item->batch_id != NULL ? item->batch_index : 0;
  self->part_count = item->batch_id != NULL ? MAX (item->batch_count, 1) : 1;
  return self;
}

/**
 * pw_payload_to_item:
 *
 * Returns: (transfer full): what the outbox keeps of it: its id, time,
 *   bytes and place in its batch
 */
PwOutboxItem *
pw_payload_to_item (PwPayload *self)
{
  PwOutboxItem *item;

  g_return_val_if_fail (PW_IS_PAYLOAD (self), NULL);

  item = g_new0 (PwOutboxItem, 1);
  item->idempotency_key = g_strdup (self->id);
  item->created_at = self->created_at;
  item->payload = g_bytes_ref (self->bytes);
  item->payload_size = g_bytes_get_size (self->bytes);
  item->batch_id = g_strdup (self->batch_id);
  item->batch_index = self->part_index;
  item->batch_count = self->part_count;
  item->n_devices = self->n_devices;
  return item;
}

const char *
pw_payload_get_id (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), NULL);
  return self->id;
}

gint64
pw_payload_get_created_at (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), 0);
  return self->created_at;
}

/**
 * pw_payload_get_bytes:
 *
 * Returns: (transfer none): the JSON, UTF-8, byte for byte as sent
 */
GBytes *
pw_payload_get_bytes (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), NULL);
  return self->bytes;
}

/* The devices in it: those under contract (0 when read back from bytes alone). */
guint
pw_payload_get_n_devices (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), 0);
  return self->n_devices;
}

/* The batch it is a part of, or %NULL when not in parts. */
const char *
pw_payload_get_batch_id (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), NULL);
  return self->batch_id;
}

/* Its place in its batch, from 0 (0 when not in parts). */
guint
pw_payload_get_part_index (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), 0);
  return self->part_index;
}

/* The parts of its batch (1 when not in parts). */
guint
pw_payload_get_part_count (PwPayload *self)
{
  g_return_val_if_fail (PW_IS_PAYLOAD (self), 1);
  return self->part_count;
}

/* Building from the store: site information, then on a worker thread the
 * ids of the devices under contract, which fix the parts and their count,
 * then each part: its devices loaded, its JSON made, the devices dropped. */

typedef struct {
  PwStore    *store;     /* owned */
  PwSiteInfo *site;      /* owned, once collected */
  guint       per_part;  /* devices in a part at most */
} Build;

static void
build_free (Build *build)
{
  g_object_unref (build->store);
  g_clear_object (&build->site);
  g_free (build);
}

/* The devices of @ids (ascending) as the store has them now; one removed
 * meanwhile is left out. */
static GPtrArray *
load_part (PwStore       *store,
           const gint64  *ids,
           guint          n_ids,
           GError       **error)
{
  g_autoptr(GPtrArray) range = pw_store_list_devices_between (store, ids[0], ids[n_ids - 1], error);
  GPtrArray *devices;
  guint next = 0;

  if (range == NULL)
    return NULL;
  /* Both by id: the range also holds the devices out of scope between them. */
  devices = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < range->len && next < n_ids; i++)
    {
      gint64 id = pw_device_get_id (range->pdata[i]);

      while (next < n_ids && ids[next] < id)
        next++;
      if (next < n_ids && ids[next] == id)
        g_ptr_array_add (devices, g_object_ref (range->pdata[i]));
    }
  return devices;
}

static void
build_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Build *build = task_data;
  GError *error = NULL;
  g_autoptr(GArray) ids = pw_store_list_in_scope_ids (build->store, &error);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *batch_id = NULL;
  guint per_part = build->per_part;
  gint64 created_at = g_get_real_time () / G_USEC_PER_SEC;
  guint count;

  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  count = MAX ((ids->len + per_part - 1) / per_part, 1);
  if (count > 1)
    batch_id = g_uuid_string_random ();
  for (guint k = 0; k < count; k++)
    {
      guint first = k * per_part;
      guint n = MIN (per_part, ids->len - first);
      g_autoptr(GPtrArray) devices = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      devices = n > 0 ? load_part (build->store, &g_array_index (ids, gint64, first), n, &error)
                      : g_ptr_array_new ();
      if (devices == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (parts, pw_payload_new_part (build->site, devices, NULL, created_at, batch_id, k, count));
    }
  g_task_return_pointer (task, g_steal_pointer (&parts), (GDestroyNotify) g_ptr_array_unref);
}

/* The part size: PW_PAYLOAD_PART_DEVICES, or less as the environment or a test says. */
static guint
part_size (void)
{
  const char *env = g_getenv (PW_PAYLOAD_ENV_PART_DEVICES);
  guint64 value = 0;
  guint size = (guint) g_atomic_int_get (&part_devices);

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, PW_PAYLOAD_PART_DEVICES, &value, NULL))
    size = MIN (size, (guint) value);
  return size;
}

static void
site_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Build *build = g_task_get_task_data (task);
  GError *error = NULL;

  build->site = pw_site_info_collect_finish (res, &error);
  if (build->site == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, build_worker);
}

/**
 * pw_payload_build_async:
 * @site_name: (nullable): the site's name, as the admin set it
 *
 * Builds what would be sent now: site information and the latest state of
 * every device under contract, in parts of at most
 * %PW_PAYLOAD_PART_DEVICES devices, or fewer as
 * %PW_PAYLOAD_ENV_PART_DEVICES says (one payload for a fleet that fits).
 */
void
pw_payload_build_async (PwStore             *store,
                        const char          *site_name,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Build *build;

  g_return_if_fail (PW_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_payload_build_async);
  build = g_new0 (Build, 1);
  build->store = g_object_ref (store);
  build->per_part = part_size ();
  g_task_set_task_data (task, build, (GDestroyNotify) build_free);
  pw_site_info_collect_async (store, site_name, cancellable, site_cb, task);
}

/**
 * pw_payload_build_finish:
 *
 * Returns: (transfer full) (element-type PwPayload): the parts, in order;
 *   one when the fleet fits in one payload
 */
GPtrArray *
pw_payload_build_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
