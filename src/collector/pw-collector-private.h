/* pw-collector-private.h: what the files of printwatch-collector share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-collector.h"

G_BEGIN_DECLS

/* Why a request is refused: each code is one HTTP status and one "status" word of payload.md. */
#define PW_COLLECTOR_REJECT (_pw_collector_reject_quark ())
typedef enum {
  PW_COLLECTOR_REJECT_INVALID,      /* 400 "invalid" */
  PW_COLLECTOR_REJECT_TOO_LARGE,    /* 413 "too-large" */
  PW_COLLECTOR_REJECT_UNSUPPORTED,  /* 415 "unsupported" */
} PwCollectorReject;

GQuark  _pw_collector_reject_quark (void);

/* pw-collector-auth.c: who may upload. Credentials are kept only as SHA-256 digests, compared
 * in constant time. */
typedef struct _PwCollectorCredentials PwCollectorCredentials;

PwCollectorCredentials *_pw_collector_credentials_load  (const char              *path,
                                                         GError                 **error);
void                    _pw_collector_credentials_free  (PwCollectorCredentials  *credentials);
gboolean                _pw_collector_credentials_check (PwCollectorCredentials  *credentials,
                                                         const char              *authorization,
                                                         char                   **principal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwCollectorCredentials, _pw_collector_credentials_free)

/* pw-collector-body.c: from the bytes on the wire to a checked format-1 payload; worker-safe. */
JsonNode *_pw_collector_parse_body        (GBytes      *body,
                                           gboolean     gzip,
                                           gsize        max_body,
                                           GBytes     **text,
                                           GError     **error);
gboolean  _pw_collector_validate_payload  (JsonNode    *root,
                                           GError     **error);

/* pw-collector-store.c: SQLite, one connection shared by the workers under its own lock. */
typedef struct _PwCollectorStore PwCollectorStore;

PwCollectorStore *_pw_collector_store_open  (const char        *path,
                                             GError           **error);
void              _pw_collector_store_free  (PwCollectorStore  *store);
gboolean          _pw_collector_store_has   (PwCollectorStore  *store,
                                             const char        *payload_id,
                                             gboolean          *found,
                                             GError           **error);
gboolean          _pw_collector_store_add   (PwCollectorStore  *store,
                                             JsonNode          *payload,
                                             GBytes            *text,
                                             const char        *principal,
                                             const char        *remote,
                                             gboolean          *duplicate,
                                             GError           **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwCollectorStore, _pw_collector_store_free)

/* pw-collector-connections.c: the open connections: each one's deadline for its TLS handshake
 * and request, how many each address holds, and its ClientHello awaited on the main loop. */
typedef struct _PwCollectorConnections PwCollectorConnections;

PwCollectorConnections *_pw_collector_connections_new                 (SoupServer              *server,
                                                                       guint                    request_timeout);
void                    _pw_collector_connections_free                (PwCollectorConnections  *self);
void                    _pw_collector_connections_set_request_timeout (PwCollectorConnections  *self,
                                                                       guint                    seconds);
guint                   _pw_collector_connections_count_peer          (PwCollectorConnections  *self,
                                                                       GSocketConnection       *connection);
void                    _pw_collector_connections_add                 (PwCollectorConnections  *self,
                                                                       GSocketConnection       *connection);
void                    _pw_collector_connections_handshake_async     (GSocketConnection       *connection,
                                                                       GTlsConnection          *tls,
                                                                       guint                    read_timeout,
                                                                       GCancellable            *cancellable,
                                                                       GAsyncReadyCallback      callback,
                                                                       gpointer                 user_data);
gboolean                _pw_collector_connections_handshake_finish    (GTlsConnection          *tls,
                                                                       GAsyncResult            *result,
                                                                       GError                 **error);

G_END_DECLS
