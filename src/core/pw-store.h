/* pw-store.h: all of Printwatch's state, in one SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-device.h"
#include "pw-snapshot.h"

G_BEGIN_DECLS

#define PW_STORE_ERROR (pw_store_error_quark ())
typedef enum {
  PW_STORE_ERROR_FAILED,         /* anything else SQLite reports */
  PW_STORE_ERROR_NO_DIRECTORY,   /* the folder for the database does not exist */
  PW_STORE_ERROR_PERMISSION,     /* the file or its folder cannot be written */
  PW_STORE_ERROR_NOT_A_DATABASE, /* not SQLite, or SQLite but not Printwatch's */
  PW_STORE_ERROR_CORRUPT,        /* SQLite, but damaged */
  PW_STORE_ERROR_TOO_NEW,        /* written by a newer Printwatch */
  PW_STORE_ERROR_FULL,           /* the disk is full */
  PW_STORE_ERROR_BUSY,           /* another program holds the database locked */
  PW_STORE_ERROR_NOT_FOUND,      /* no such device */
  PW_STORE_ERROR_EXISTS,         /* that device is already known */
} PwStoreError;

/* A payload waiting in the outbox. A large fleet's daily data goes in parts,
 * each a payload of its own; the parts of one day share a batch. */
typedef struct {
  gint64  id;
  char   *idempotency_key;
  gint64  created_at;       /* unix seconds */
  GBytes *payload;          /* what will be sent, byte for byte; NULL from
                             * pw_store_outbox_list_brief () */
  guint   attempts;
  gint64  last_attempt_at;  /* 0 = never */
  gint64  next_attempt_at;
  char   *last_error;       /* nullable */
  char   *batch_id;         /* nullable: the batch it is a part of, when in parts */
  guint   batch_index;      /* its place in the batch, from 0 */
  guint   batch_count;      /* the parts of the batch; 1 when not in parts */
  guint   n_devices;        /* the devices in it; 0 when not recorded */
  gsize   payload_size;     /* bytes, also when @payload is not loaded */
} PwOutboxItem;

#define PW_TYPE_OUTBOX_ITEM (pw_outbox_item_get_type ())
GType         pw_outbox_item_get_type (void) G_GNUC_CONST;
PwOutboxItem *pw_outbox_item_copy     (const PwOutboxItem *item);
void          pw_outbox_item_free     (PwOutboxItem       *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwOutboxItem, pw_outbox_item_free)

/* One line of the sync log: "poll", "queued", "upload", … and how it went. */
typedef struct {
  gint64    at;               /* unix seconds */
  char     *event;
  gboolean  ok;
  char     *idempotency_key;  /* nullable */
  gint      http_status;      /* 0 = none */
  char     *message;          /* nullable: in words */
} PwSyncLogEntry;

#define PW_TYPE_SYNC_LOG_ENTRY (pw_sync_log_entry_get_type ())
GType           pw_sync_log_entry_get_type (void) G_GNUC_CONST;
PwSyncLogEntry *pw_sync_log_entry_copy     (const PwSyncLogEntry *entry);
void            pw_sync_log_entry_free     (PwSyncLogEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwSyncLogEntry, pw_sync_log_entry_free)

/* A named way to speak SNMP to printers. Its secrets (the community, the
 * SNMPv3 passphrases) are in the keyring under @secret_ref, never here. */
typedef struct {
  gint64              id;             /* 0 until stored */
  char               *name;
  PwSnmpVersion       version;
  char               *user;           /* the SNMPv3 user; NULL for v1/v2c */
  PwSnmpAuthProtocol  auth_protocol;  /* SNMPv3 only */
  PwSnmpPrivProtocol  priv_protocol;  /* SNMPv3 only */
  char               *secret_ref;     /* names the keyring items; set when stored */
} PwCredentialProfile;

#define PW_TYPE_CREDENTIAL_PROFILE (pw_credential_profile_get_type ())
GType                pw_credential_profile_get_type (void) G_GNUC_CONST;
PwCredentialProfile *pw_credential_profile_new      (const char                *name,
                                                     PwSnmpVersion              version);
PwCredentialProfile *pw_credential_profile_copy     (const PwCredentialProfile *profile);
void                 pw_credential_profile_free     (PwCredentialProfile       *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwCredentialProfile, pw_credential_profile_free)

/* A condition worth an e-mail (PwNotifier), from when a check first saw it
 * until one no longer does; it is told once. */
typedef struct {
  gint64  id;
  gint64  device_id;    /* 0: the site, not one printer */
  char   *kind;         /* "supply-low", "error", "unreachable", "critical-alert", "transmission", "digest" */
  char   *key;          /* which of the device's: a supply's index, an error's nick, …; or "" */
  gint64  first_seen;   /* unix seconds: since when it holds */
  gint64  last_seen;    /* the last check that saw it */
  gint64  notified_at;  /* 0: no e-mail yet */
  gint64  cleared_at;   /* 0: still there */
} PwNotification;

#define PW_TYPE_NOTIFICATION (pw_notification_get_type ())
GType           pw_notification_get_type (void) G_GNUC_CONST;
PwNotification *pw_notification_copy     (const PwNotification *notification);
void            pw_notification_free     (PwNotification       *notification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwNotification, pw_notification_free)

/* An e-mail waiting for the mail server. */
typedef struct {
  gint64  id;
  gint64  notification_id;  /* 0: none, or its condition was forgotten */
  gint64  created_at;       /* unix seconds */
  char   *sender;
  GStrv   recipients;
  char   *subject;          /* in words, for lists */
  GBytes *message;          /* what is sent, byte for byte (RFC 5322) */
  guint   attempts;
  gint64  last_attempt_at;  /* 0 = never */
  gint64  next_attempt_at;
  char   *last_error;       /* nullable */
} PwQueuedMail;

#define PW_TYPE_QUEUED_MAIL (pw_queued_mail_get_type ())
GType         pw_queued_mail_get_type (void) G_GNUC_CONST;
PwQueuedMail *pw_queued_mail_copy     (const PwQueuedMail *mail);
void          pw_queued_mail_free     (PwQueuedMail       *mail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwQueuedMail, pw_queued_mail_free)

/* One snapshot of one device, for pw_store_append_snapshots (). */
typedef struct {
  gint64      device_id;
  PwSnapshot *snapshot;   /* borrowed: gets its id when stored */
} PwDeviceSnapshot;

#define PW_TYPE_STORE (pw_store_get_type ())
G_DECLARE_FINAL_TYPE (PwStore, pw_store, PW, STORE, GObject)

GQuark      pw_store_error_quark         (void);
char       *pw_store_default_path        (void);
char       *pw_store_resolve_path        (const char           *explicit_path);
gboolean    pw_store_ensure_default_dir  (const char           *path,
                                          GError              **error);
guint       pw_store_schema_version      (void);

PwStore    *pw_store_open                (const char           *path,
                                          GError              **error);
void        pw_store_open_async          (const char           *path,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
PwStore    *pw_store_open_finish         (GAsyncResult         *result,
                                          GError              **error);
const char *pw_store_get_path            (PwStore              *self);

PwDevice   *pw_store_add_device          (PwStore              *self,
                                          const char           *host,
                                          guint16               port,
                                          GError              **error);
gboolean    pw_store_update_device       (PwStore              *self,
                                          PwDevice             *device,
                                          GError              **error);
gboolean    pw_store_remove_device       (PwStore              *self,
                                          gint64                device_id,
                                          GError              **error);
PwDevice   *pw_store_get_device          (PwStore              *self,
                                          gint64                device_id,
                                          GError              **error);
PwDevice   *pw_store_find_device         (PwStore              *self,
                                          const char           *host,
                                          guint16               port,
                                          GError              **error);
GPtrArray  *pw_store_find_devices_by_host (PwStore             *self,
                                          const char           *host,
                                          GError              **error);
GPtrArray  *pw_store_list_devices        (PwStore              *self,
                                          GError              **error);
void        pw_store_list_devices_async  (PwStore              *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray  *pw_store_list_devices_finish (PwStore              *self,
                                          GAsyncResult         *result,
                                          GError              **error);
GPtrArray  *pw_store_list_devices_between (PwStore             *self,
                                          gint64                first_id,
                                          gint64                last_id,
                                          GError              **error);
GArray     *pw_store_list_in_scope_ids   (PwStore              *self,
                                          GError              **error);
guint       pw_store_count_devices       (PwStore              *self,
                                          GError              **error);
gboolean    pw_store_count_devices_by_scope (PwStore           *self,
                                          guint                *in_scope,
                                          guint                *out_of_scope,
                                          GError              **error);
gint64      pw_store_get_discovery_data_size (PwStore          *self,
                                          GError              **error);

gboolean    pw_store_append_snapshot     (PwStore              *self,
                                          gint64                device_id,
                                          PwSnapshot           *snapshot,
                                          GError              **error);
gboolean    pw_store_append_snapshots    (PwStore              *self,
                                          const PwDeviceSnapshot *entries,
                                          gsize                 n_entries,
                                          GError              **error);
gint64      pw_store_note_discovered     (PwStore              *self,
                                          const char           *host,
                                          guint16               port,
                                          PwSnapshot           *identity,
                                          GError              **error);
gboolean    pw_store_mark_unreachable    (PwStore              *self,
                                          gint64                device_id,
                                          const char           *reason,
                                          GError              **error);
GPtrArray  *pw_store_get_history         (PwStore              *self,
                                          gint64                device_id,
                                          gint64                from,
                                          gint64                to,
                                          GError              **error);

/* Agent state the store keeps itself: when a payload last went into the
 * outbox (unix seconds), written in the same transaction. */
#define PW_STORE_STATE_LAST_QUEUED "outbox.last-queued"

char       *pw_store_get_state           (PwStore              *self,
                                          const char           *key,
                                          GError              **error);
gboolean    pw_store_set_state           (PwStore              *self,
                                          const char           *key,
                                          const char           *value,
                                          GError              **error);

gint64      pw_store_outbox_add          (PwStore              *self,
                                          const char           *idempotency_key,
                                          GBytes               *payload,
                                          gint64                created_at,
                                          GError              **error);
gboolean    pw_store_outbox_add_batch    (PwStore              *self,
                                          GPtrArray            *items,
                                          GError              **error);
GPtrArray  *pw_store_outbox_list         (PwStore              *self,
                                          gint64                due_at,
                                          GError              **error);
GPtrArray  *pw_store_outbox_list_brief   (PwStore              *self,
                                          gint64                due_at,
                                          GError              **error);
GBytes     *pw_store_outbox_get_payload  (PwStore              *self,
                                          gint64                id,
                                          GError              **error);
gboolean    pw_store_outbox_get_summary  (PwStore              *self,
                                          guint                *waiting,
                                          gint64               *next_due,
                                          GError              **error);
gboolean    pw_store_outbox_record_attempt (PwStore            *self,
                                          gint64                id,
                                          gboolean              acknowledged,
                                          gint64                next_attempt_at,
                                          const PwSyncLogEntry *entry,
                                          GError              **error);
gboolean    pw_store_sync_log_add        (PwStore              *self,
                                          const PwSyncLogEntry *entry,
                                          GError              **error);
GPtrArray  *pw_store_sync_log_list       (PwStore              *self,
                                          guint                 limit,
                                          gint64                from,
                                          gint64                to,
                                          GError              **error);

GPtrArray  *pw_store_list_credential_profiles  (PwStore              *self,
                                                GError              **error);
PwCredentialProfile *pw_store_get_credential_profile (PwStore        *self,
                                                gint64                id,
                                                GError              **error);
gint64      pw_store_add_credential_profile    (PwStore              *self,
                                                PwCredentialProfile  *profile,
                                                GError              **error);
gboolean    pw_store_update_credential_profile (PwStore              *self,
                                                const PwCredentialProfile *profile,
                                                GError              **error);
gboolean    pw_store_remove_credential_profile (PwStore              *self,
                                                gint64                id,
                                                GError              **error);

GPtrArray  *pw_store_notifications_update (PwStore             *self,
                                          gint64                device_id,
                                          const char * const   *kinds,
                                          GPtrArray            *present,
                                          gint64                now,
                                          GError              **error);
GPtrArray  *pw_store_notifications_list  (PwStore              *self,
                                          gboolean              open_only,
                                          GError              **error);
gint64      pw_store_get_status_since    (PwStore              *self,
                                          gint64                device_id,
                                          guint32               error_mask,
                                          PwDeviceStatus        device_status,
                                          GError              **error);
gint64      pw_store_mail_queue_add      (PwStore              *self,
                                          const PwQueuedMail   *mail,
                                          GError              **error);
GPtrArray  *pw_store_mail_queue_list     (PwStore              *self,
                                          gint64                due_at,
                                          GError              **error);
gboolean    pw_store_mail_queue_record_attempt (PwStore        *self,
                                          gint64                id,
                                          gboolean              sent,
                                          gint64                next_attempt_at,
                                          const PwSyncLogEntry *entry,
                                          GError              **error);

G_END_DECLS
