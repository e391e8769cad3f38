/* pw-payload.h: the exact JSON that leaves the site.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-types.h"
#include "pw-site-info.h"

G_BEGIN_DECLS

/* The upload format's version: data/printwatch-payload.schema.json. */
#define PW_PAYLOAD_FORMAT 1

#define PW_TYPE_PAYLOAD (pw_payload_get_type ())
G_DECLARE_FINAL_TYPE (PwPayload, pw_payload, PW, PAYLOAD, GObject)

PwPayload  *pw_payload_new              (PwSiteInfo           *site,
                                         GPtrArray            *devices,
                                         const char           *payload_id,
                                         gint64                created_at);
PwPayload  *pw_payload_new_from_bytes   (const char           *payload_id,
                                         gint64                created_at,
                                         GBytes               *bytes);
const char *pw_payload_get_id           (PwPayload            *self);
gint64      pw_payload_get_created_at   (PwPayload            *self);
GBytes     *pw_payload_get_bytes        (PwPayload            *self);
guint       pw_payload_get_n_devices    (PwPayload            *self);
void        pw_payload_build_async      (PwStore              *store,
                                         const char           *site_name,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
PwPayload  *pw_payload_build_finish     (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
