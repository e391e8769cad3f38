/* pw-collector.h: the reference collection server for Printwatch uploads (payload.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PW_COLLECTOR_ERROR (pw_collector_error_quark ())
typedef enum {
  PW_COLLECTOR_ERROR_CONFIG,    /* a bad credentials file, certificate, key or limit */
  PW_COLLECTOR_ERROR_DATABASE,  /* SQLite cannot open, create or write the database */
  PW_COLLECTOR_ERROR_LISTEN,    /* the address cannot be bound */
} PwCollectorError;

#define PW_COLLECTOR_PATH                            "/api/v1/uploads"
#define PW_COLLECTOR_DEFAULT_MAX_BODY                (16 * 1024 * 1024)  /* bytes, decompressed */
#define PW_COLLECTOR_DEFAULT_MAX_WIRE_BODY           (4 * 1024 * 1024)   /* bytes, as sent */
#define PW_COLLECTOR_DEFAULT_READ_TIMEOUT            30   /* seconds a client may stay silent */
#define PW_COLLECTOR_DEFAULT_REQUEST_TIMEOUT         120  /* seconds for its TLS handshake and one request */
#define PW_COLLECTOR_DEFAULT_MAX_CLIENTS             256  /* connections at once */
#define PW_COLLECTOR_DEFAULT_MAX_CLIENTS_PER_ADDRESS 32   /* connections at once from one address */

#define PW_TYPE_COLLECTOR (pw_collector_get_type ())
G_DECLARE_FINAL_TYPE (PwCollector, pw_collector, PW, COLLECTOR, GObject)

GQuark        pw_collector_error_quark         (void);

PwCollector  *pw_collector_new                 (const char           *database_path,
                                                GError              **error);
gboolean      pw_collector_load_credentials    (PwCollector          *self,
                                                const char           *path,
                                                GError              **error);
void          pw_collector_set_tls_certificate (PwCollector          *self,
                                                GTlsCertificate      *certificate);
void          pw_collector_set_max_body        (PwCollector          *self,
                                                guint64               bytes);
void          pw_collector_set_max_wire_body   (PwCollector          *self,
                                                guint64               bytes);
void          pw_collector_set_read_timeout    (PwCollector          *self,
                                                guint                 seconds);
void          pw_collector_set_request_timeout (PwCollector          *self,
                                                guint                 seconds);
gboolean      pw_collector_listen              (PwCollector          *self,
                                                GInetSocketAddress   *address,
                                                GError              **error);
guint16       pw_collector_get_port            (PwCollector          *self);
void          pw_collector_stop_async          (PwCollector          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      pw_collector_stop_finish         (PwCollector          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
