/* pw-payload.h: the exact JSON that leaves the site.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-types.h"
#include "pw-site-info.h"
#include "pw-store.h"

G_BEGIN_DECLS

/* The upload format's version: data/printwatch-payload.schema.json. */
#define PW_PAYLOAD_FORMAT 1

/* The most devices one payload carries. A larger fleet's daily data goes in
 * parts of this many devices, each a payload of its own with its own
 * payload_id, all of one batch: a device takes about 4 KB of JSON, so a
 * part stays far below what a collector takes (payload.md: 16 MiB once
 * decompressed, 4 MiB on the wire). */
#define PW_PAYLOAD_PART_DEVICES 1000
/* Lowers it (1 to PW_PAYLOAD_PART_DEVICES), for a server with smaller limits. */
#define PW_PAYLOAD_ENV_PART_DEVICES "PRINTWATCH_PART_DEVICES"

#define PW_TYPE_PAYLOAD (pw_payload_get_type ())
G_DECLARE_FINAL_TYPE (PwPayload, pw_payload, PW, PAYLOAD, GObject)

PwPayload  *pw_payload_new              (PwSiteInfo           *site,
                                         GPtrArray            *devices,
                                         const char           *payload_id,
                                         gint64                created_at);
PwPayload  *pw_payload_new_part         (PwSiteInfo           *site,
                                         GPtrArray            *devices,
                                         const char           *payload_id,
                                         gint64                created_at,
                                         const char           *batch_id,
                                         guint                 index,
                                         guint                 count);
PwPayload  *pw_payload_new_from_bytes   (const char           *payload_id,
                                         gint64                created_at,
                                         GBytes               *bytes);
PwPayload  *pw_payload_new_from_item    (const PwOutboxItem   *item);
const char *pw_payload_get_id           (PwPayload            *self);
gint64      pw_payload_get_created_at   (PwPayload            *self);
GBytes     *pw_payload_get_bytes        (PwPayload            *self);
guint       pw_payload_get_n_devices    (PwPayload            *self);
const char *pw_payload_get_batch_id     (PwPayload            *self);
guint       pw_payload_get_part_index   (PwPayload            *self);
guint       pw_payload_get_part_count   (PwPayload            *self);
PwOutboxItem *pw_payload_to_item        (PwPayload            *self);
void        pw_payload_build_async      (PwStore              *store,
                                         const char           *site_name,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray  *pw_payload_build_finish     (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
