/* pw-site-info.c: the facts about this site that go with each daily upload.
 *
 * The site table of the upload format (payload.md, "site"): the host, the
 * database, the discovery engine and the device counts, read at one time
 * on a worker thread. pw-site-info-host.c reads the host.
 *
 * Sizes are kept in bytes; the JSON gives MiB (2^20 bytes), as whole
 * numbers for memory and disk, to the KiB for the database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-site-info"

#include "config.h"

#include "pw-site-info-private.h"
#include "pw-json.h"
#include "pw-snmp-engine.h"
#include "pw-store.h"

#include <glib/gstdio.h>

#define MIB (1024.0 * 1024.0)

/* The longest site name kept, in characters. */
#define SITE_NAME_MAX_CHARS 256

G_DEFINE_FINAL_TYPE (PwSiteInfo, pw_site_info, G_TYPE_OBJECT)

static void
pw_site_info_finalize (GObject *object)
{
  PwSiteInfo *self = PW_SITE_INFO (object);

  g_free (self->site_name);
  g_free (self->host_name);
  g_free (self->host_address);
  g_free (self->os_name);
  g_free (self->os_type);
  g_free (self->processor);
  g_free (self->time_zone);
  g_free (self->agent_version);
  g_free (self->discovery_engine_version);

  G_OBJECT_CLASS (pw_site_info_parent_class)->finalize (object);
}

static void
pw_site_info_class_init (PwSiteInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_site_info_finalize;
}

static void
pw_site_info_init (PwSiteInfo *self)
{
  self->memory_total = -1;
  self->memory_available = -1;
  self->disk_total = -1;
  self->disk_free = -1;
  self->database_size = -1;
  self->discovery_data_size = -1;
}

/* Collecting */

typedef struct {
  PwStore *store;      /* owned */
  char    *site_name;  /* owned; nullable */
} CollectData;

static void
collect_data_free (CollectData *data)
{
  g_clear_object (&data->store);
  g_free (data->site_name);
  g_free (data);
}

/* The database file and its write-ahead log: what the store takes on disk. */
static gint64
database_size (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;
  gint64 size;

  if (g_stat (path, &st) != 0)
    return -1;
  size = st.st_size;
  if (g_stat (wal, &st) == 0)
    size += st.st_size;
  return size;
}

static void
collect_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CollectData *data = task_data;
  g_autoptr(PwSiteInfo) info = g_object_new (PW_TYPE_SITE_INFO, NULL);
  g_autoptr(GError) error = NULL;
  const char *path = pw_store_get_path (data->store);

  info->site_name = _pw_site_info_clean_text (data->site_name, SITE_NAME_MAX_CHARS);
  info->agent_version = g_strdup (PACKAGE_VERSION);
  info->discovery_engine_version = g_strconcat ("net-snmp ",
                                                pw_snmp_engine_get_library_version (), NULL);

  if (!pw_store_count_devices_by_scope (data->store, &info->devices_in_scope,
                                        &info->devices_out_of_scope, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  info->discovery_data_size = pw_store_get_discovery_data_size (data->store, &error);
  if (info->discovery_data_size < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  info->database_size = database_size (path);

  if (g_task_return_error_if_cancelled (task))
    return;
  _pw_site_info_read_host (info, path);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
}

/**
 * pw_site_info_collect_async:
 * @store: the store whose devices and file are described
 * @site_name: (nullable): the site's name, as the admin set it
 *
 * Reads the site's facts on a worker thread. It takes at most
 * %PW_SITE_INFO_RESOLVE_TIMEOUT more than the store's queries: the host
 * name lookup is given up after that.
 */
void
pw_site_info_collect_async (PwStore             *store,
                            const char          *site_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CollectData *data;

  g_return_if_fail (PW_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_site_info_collect_async);
  data = g_new0 (CollectData, 1);
  data->store = g_object_ref (store);
  data->site_name = g_strdup (site_name);
  g_task_set_task_data (task, data, (GDestroyNotify) collect_data_free);
  g_task_run_in_thread (task, collect_worker);
}

/**
 * pw_site_info_collect_finish:
 *
 * Returns: (transfer full) (nullable): the site's facts, or %NULL with
 *   @error set (the store failed, or the collection was cancelled)
 */
PwSiteInfo *
pw_site_info_collect_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pw_site_info_collect_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Getters: strings are %NULL and sizes -1 when unknown. */

const char *
pw_site_info_get_site_name (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->site_name;
}

/* Fully qualified where the local resolver knows it. */
const char *
pw_site_info_get_host_name (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->host_name;
}

/* The address on the interface of the default route. */
const char *
pw_site_info_get_host_address (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->host_address;
}

const char *
pw_site_info_get_os_name (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->os_name;
}

/* "64-bit" or "32-bit". */
const char *
pw_site_info_get_os_type (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->os_type;
}

/* The model and the number of cores. */
const char *
pw_site_info_get_processor (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->processor;
}

/* Bytes. */
gint64
pw_site_info_get_memory_total (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), -1);
  return self->memory_total;
}

/* Bytes. */
gint64
pw_site_info_get_memory_available (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), -1);
  return self->memory_available;
}

/* Bytes, of the file system holding the database. */
gint64
pw_site_info_get_disk_total (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), -1);
  return self->disk_total;
}

/* Bytes, of the file system holding the database. */
gint64
pw_site_info_get_disk_free (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), -1);
  return self->disk_free;
}

/* An IANA identifier, e.g. "Europe/Berlin". */
const char *
pw_site_info_get_time_zone (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->time_zone;
}

const char *
pw_site_info_get_agent_version (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->agent_version;
}

/* Bytes: the database file and its write-ahead log. */
gint64
pw_site_info_get_database_size (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), -1);
  return self->database_size;
}

/* Bytes: see pw_store_get_discovery_data_size(). */
gint64
pw_site_info_get_discovery_data_size (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), -1);
  return self->discovery_data_size;
}

/* "net-snmp 5.9.3". */
const char *
pw_site_info_get_discovery_engine_version (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), NULL);
  return self->discovery_engine_version;
}

/* Every device in the store: in scope and out of scope. */
guint
pw_site_info_get_devices_discovered (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), 0);
  return self->devices_in_scope + self->devices_out_of_scope;
}

/* Devices under contract: the ones whose readings are uploaded. */
guint
pw_site_info_get_devices_in_scope (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), 0);
  return self->devices_in_scope;
}

guint
pw_site_info_get_devices_out_of_scope (PwSiteInfo *self)
{
  g_return_val_if_fail (PW_IS_SITE_INFO (self), 0);
  return self->devices_out_of_scope;
}

/* JSON */

static void
add_whole_mib (JsonBuilder *builder,
               const char  *key,
               gint64       bytes)
{
  json_builder_set_member_name (builder, key);
  if (bytes >= 0)
    json_builder_add_int_value (builder, (gint64) (bytes / MIB));
  else
    json_builder_add_null_value (builder);
}

/* To the KiB: a whole number of KiB over 1024 is exact in binary, so the
 * JSON shows it in full and no more (0.0859375, not 0.085999999999999993). */
static void
add_mib (JsonBuilder *builder,
         const char  *key,
         gint64       bytes)
{
  json_builder_set_member_name (builder, key);
  if (bytes >= 0)
    json_builder_add_double_value (builder, (double) ((bytes + 512) / 1024) / 1024.0);
  else
    json_builder_add_null_value (builder);
}

static void
add_count (JsonBuilder *builder,
           const char  *key,
           guint        count)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, count);
}

/**
 * pw_site_info_to_json:
 * @builder: a builder where a value may go next (after a member name, in
 *   an array, or at the top)
 *
 * Adds the "site" object of the upload format: every key, unknown values as
 * null.
 */
void
pw_site_info_to_json (PwSiteInfo  *self,
                      JsonBuilder *builder)
{
  g_return_if_fail (PW_IS_SITE_INFO (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  pw_json_add_string (builder, "site_name", self->site_name);
  pw_json_add_string (builder, "host_name", self->host_name);
  pw_json_add_string (builder, "host_address", self->host_address);
  pw_json_add_string (builder, "os_name", self->os_name);
  pw_json_add_string (builder, "os_type", self->os_type);
  pw_json_add_string (builder, "processor", self->processor);
  add_whole_mib (builder, "memory_total_mb", self->memory_total);
  add_whole_mib (builder, "memory_available_mb", self->memory_available);
  add_whole_mib (builder, "disk_total_mb", self->disk_total);
  add_whole_mib (builder, "disk_free_mb", self->disk_free);
  pw_json_add_string (builder, "time_zone", self->time_zone);
  pw_json_add_string (builder, "agent_version", self->agent_version);
  add_mib (builder, "database_size_mb", self->database_size);
  add_mib (builder, "discovery_data_size_mb", self->discovery_data_size);
  pw_json_add_string (builder, "discovery_engine_version", self->discovery_engine_version);
  add_count (builder, "devices_discovered", pw_site_info_get_devices_discovered (self));
  add_count (builder, "devices_in_scope", self->devices_in_scope);
  add_count (builder, "devices_out_of_scope", self->devices_out_of_scope);
  json_builder_end_object (builder);
}
