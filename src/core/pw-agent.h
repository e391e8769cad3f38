/* pw-agent.h: the façade the GUI and the CLI drive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-discovery.h"
#include "pw-fleet.h"
#include "pw-payload.h"
#include "pw-scheduler.h"
#include "pw-snmp-credentials.h"
#include "pw-store.h"
#include "pw-uploader.h"
#include "pw-notifier.h"

G_BEGIN_DECLS

/* Keys of the sync window in the store's agent_state: unix seconds, or words. */
#define PW_AGENT_KEY_LAST_DATA    "sync.last-data"
#define PW_AGENT_KEY_LAST_CONTACT "sync.last-contact"
#define PW_AGENT_KEY_LAST_SUCCESS "sync.last-success"
#define PW_AGENT_KEY_LAST_ERROR   "sync.last-error"
#define PW_AGENT_KEY_NEXT_RUN     "sync.next-run"

/* Environment variables that win over the settings, for headless servers. */
#define PW_AGENT_ENV_SERVER_URL  "PRINTWATCH_SERVER_URL"
#define PW_AGENT_ENV_CA_FILE     "PRINTWATCH_CA_FILE"
#define PW_AGENT_ENV_AUTH        "PRINTWATCH_AUTH"
#define PW_AGENT_ENV_SERVER_USER "PRINTWATCH_SERVER_USER"
#define PW_AGENT_ENV_PROXY       "PRINTWATCH_PROXY"
#define PW_AGENT_ENV_SITE_NAME   "PRINTWATCH_SITE_NAME"
#define PW_AGENT_ENV_SYNC_TIME   "PRINTWATCH_SYNC_TIME"

#define PW_AGENT_ERROR (pw_agent_error_quark ())
typedef enum {
  PW_AGENT_ERROR_BUSY,       /* a sync is already running */
  PW_AGENT_ERROR_NO_SERVER,  /* no collection server is set */
} PwAgentError;

typedef enum {
  PW_AGENT_SYNC_POLL   = 1 << 0,  /* poll the fleet first */
  PW_AGENT_SYNC_QUEUE  = 1 << 1,  /* build a payload and commit it to the outbox */
  PW_AGENT_SYNC_UPLOAD = 1 << 2,  /* send what the outbox holds that is due */
  PW_AGENT_SYNC_FORCE  = 1 << 3,  /* send all of it, due or not */
} PwAgentSyncFlags;

/* The daily transmission: all of it. */
#define PW_AGENT_SYNC_DAILY (PW_AGENT_SYNC_POLL | PW_AGENT_SYNC_QUEUE | PW_AGENT_SYNC_UPLOAD)

/* How a sync went. */
typedef struct {
  guint    polled;        /* devices polled */
  guint    answered;      /* of them, those that answered */
  gboolean queued;        /* a payload went into the outbox */
  guint    sent;          /* payloads the server acknowledged */
  guint    waiting;       /* payloads still in the outbox */
} PwSyncSummary;

#define PW_TYPE_AGENT (pw_agent_get_type ())
G_DECLARE_FINAL_TYPE (PwAgent, pw_agent, PW, AGENT, GObject)

GQuark        pw_agent_error_quark          (void);
PwAgent      *pw_agent_new                  (PwStore              *store);
PwStore      *pw_agent_get_store            (PwAgent              *self);
PwUploader   *pw_agent_get_uploader         (PwAgent              *self);
gboolean      pw_agent_configure            (PwAgent              *self,
                                             GSettings            *settings,
                                             GError              **error);
const char   *pw_agent_get_server_url       (PwAgent              *self);
const char   *pw_agent_get_site_name        (PwAgent              *self);
void          pw_agent_set_site_name        (PwAgent              *self,
                                             const char           *site_name);
const char   *pw_agent_get_sync_time        (PwAgent              *self);
gboolean      pw_agent_set_sync_time        (PwAgent              *self,
                                             const char           *time,
                                             GError              **error);
void          pw_agent_set_snmp_credentials (PwAgent              *self,
                                             GPtrArray            *credentials);
gint64        pw_agent_get_last_poll        (PwAgent              *self);
gint64        pw_agent_get_last_server_contact (PwAgent           *self);
gint64        pw_agent_get_last_success     (PwAgent              *self);
gint64        pw_agent_get_next_sync        (PwAgent              *self);
char         *pw_agent_dup_last_error       (PwAgent              *self);
gboolean      pw_agent_get_busy             (PwAgent              *self);
void          pw_agent_sync_async           (PwAgent              *self,
                                             PwAgentSyncFlags      flags,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      pw_agent_sync_finish          (PwAgent              *self,
                                             GAsyncResult         *result,
                                             PwSyncSummary        *summary,
                                             GError              **error);
void          pw_agent_next_payload_async   (PwAgent              *self,
                                             gboolean              fresh,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray    *pw_agent_next_payload_finish  (PwAgent              *self,
                                             GAsyncResult         *result,
                                             GError              **error);
PwSnmpEngine *pw_agent_get_engine           (PwAgent              *self);
GPtrArray    *pw_agent_get_snmp_credentials (PwAgent              *self);
void          pw_agent_poll_async           (PwAgent              *self,
                                             GPtrArray            *devices,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray    *pw_agent_poll_finish          (PwAgent              *self,
                                             GAsyncResult         *result,
                                             GError              **error);
gboolean      pw_agent_start                (PwAgent              *self,
                                             GError              **error);
void          pw_agent_stop                 (PwAgent              *self);
PwFleet      *pw_agent_get_fleet            (PwAgent              *self);
void          pw_agent_reload_fleet         (PwAgent              *self);
void          pw_agent_remove_device_async  (PwAgent              *self,
                                             gint64                device_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      pw_agent_remove_device_finish (PwAgent              *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* How a discovery went (pw-agent-discovery.c). */
typedef struct {
  guint64 swept;     /* addresses swept */
  guint   printers;  /* printers found: one per printer, however many addresses it answers on */
  guint   added;     /* of them, new in the list */
  guint   known;     /* of them, in the list already */
  guint   other;     /* SNMP agents that are no printers */
  guint   refused;   /* addresses whose agent refused every credential */
  guint   failed;    /* addresses that failed in a way worth telling */
} PwDiscoverySummary;

void          pw_agent_discover_async       (PwAgent              *self,
                                             const char           *targets_text,
                                             GPtrArray            *credentials,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray    *pw_agent_discover_finish      (PwAgent              *self,
                                             GAsyncResult         *result,
                                             PwDiscoverySummary   *summary,
                                             GError              **error);
void          pw_agent_test_connection_async (PwAgent             *self,
                                             const char           *host,
                                             guint16               port,
                                             GPtrArray            *credentials,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
PwSnapshot   *pw_agent_test_connection_finish (PwAgent            *self,
                                             GAsyncResult         *result,
                                             GError              **error);
PwDevice     *pw_agent_add_device           (PwAgent              *self,
                                             const char           *host,
                                             guint16               port,
                                             PwSnapshot           *identity,
                                             GError              **error);

/* The sync log, for the sync window (pw-agent-log.c). */
void          pw_agent_list_sync_log_async  (PwAgent              *self,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray    *pw_agent_list_sync_log_finish (PwAgent              *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* SNMP credential profiles (pw-agent-credentials.c). */
void          pw_agent_list_credential_profiles_async  (PwAgent                   *self,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
GPtrArray    *pw_agent_list_credential_profiles_finish (PwAgent                   *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error);
void          pw_agent_load_snmp_credentials_async     (PwAgent                   *self,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
GPtrArray    *pw_agent_load_snmp_credentials_finish    (PwAgent                   *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error);
void          pw_agent_profile_credentials_async       (PwAgent                   *self,
                                                        const PwCredentialProfile *profile,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
PwSnmpCredentials *pw_agent_profile_credentials_finish (PwAgent                   *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error);
void          pw_agent_save_credential_profile_async   (PwAgent                   *self,
                                                        const PwCredentialProfile *profile,
                                                        const char                *secret,
                                                        const char                *priv_secret,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
gint64        pw_agent_save_credential_profile_finish  (PwAgent                   *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error);
void          pw_agent_remove_credential_profile_async (PwAgent                   *self,
                                                        const PwCredentialProfile *profile,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
gboolean      pw_agent_remove_credential_profile_finish (PwAgent                  *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error);

/* E-mail notifications after each poll and sync (pw-agent-notify.c). */

/* The scheduler's last daily slot (unix seconds): the daily digest's key. */
#define PW_AGENT_KEY_LAST_SLOT "sync.last-slot"

void          pw_agent_set_notifier         (PwAgent              *self,
                                             PwNotifier           *notifier);
PwNotifier   *pw_agent_get_notifier         (PwAgent              *self);
gboolean      pw_agent_enable_notifications (PwAgent              *self,
                                             GSettings            *settings,
                                             GError              **error);

G_END_DECLS
