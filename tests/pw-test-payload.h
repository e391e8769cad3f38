/* pw-test-payload.h: upload payloads for the tests (tests/fixtures/payload).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *pw_test_payload_load       (const char  *name);       /* fixtures/payload/NAME */
JsonNode *pw_test_payload_copy       (JsonNode    *node);       /* deep, unlike json_node_copy () */
GBytes   *pw_test_payload_with_id    (JsonNode    *payload,
                                      char       **payload_id);  /* a fresh UUID, as text */
JsonNode *pw_test_payload_apply      (JsonNode    *payload,
                                      JsonObject  *variant);     /* one of variants.json */
GBytes   *pw_test_gzip               (GBytes      *data);

G_END_DECLS
