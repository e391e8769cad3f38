/* pw-site-info.h: the facts about this site that go with each daily upload.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-types.h"

G_BEGIN_DECLS

/* The longest the host name lookup may take before the plain host name is used (ms). */
#define PW_SITE_INFO_RESOLVE_TIMEOUT 2000

#define PW_TYPE_SITE_INFO (pw_site_info_get_type ())
G_DECLARE_FINAL_TYPE (PwSiteInfo, pw_site_info, PW, SITE_INFO, GObject)

void        pw_site_info_collect_async                (PwStore              *store,
                                                       const char           *site_name,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PwSiteInfo *pw_site_info_collect_finish               (GAsyncResult         *result,
                                                       GError              **error);

const char *pw_site_info_get_site_name                (PwSiteInfo           *self);
const char *pw_site_info_get_host_name                (PwSiteInfo           *self);
const char *pw_site_info_get_host_address             (PwSiteInfo           *self);
const char *pw_site_info_get_os_name                  (PwSiteInfo           *self);
const char *pw_site_info_get_os_type                  (PwSiteInfo           *self);
const char *pw_site_info_get_processor                (PwSiteInfo           *self);
gint64      pw_site_info_get_memory_total             (PwSiteInfo           *self);
gint64      pw_site_info_get_memory_available         (PwSiteInfo           *self);
gint64      pw_site_info_get_disk_total               (PwSiteInfo           *self);
gint64      pw_site_info_get_disk_free                (PwSiteInfo           *self);
const char *pw_site_info_get_time_zone                (PwSiteInfo           *self);
const char *pw_site_info_get_agent_version            (PwSiteInfo           *self);
gint64      pw_site_info_get_database_size            (PwSiteInfo           *self);
gint64      pw_site_info_get_discovery_data_size      (PwSiteInfo           *self);
const char *pw_site_info_get_discovery_engine_version (PwSiteInfo           *self);
guint       pw_site_info_get_devices_discovered       (PwSiteInfo           *self);
guint       pw_site_info_get_devices_in_scope         (PwSiteInfo           *self);
guint       pw_site_info_get_devices_out_of_scope     (PwSiteInfo           *self);

void        pw_site_info_to_json                      (PwSiteInfo           *self,
                                                       JsonBuilder          *builder);

G_END_DECLS
