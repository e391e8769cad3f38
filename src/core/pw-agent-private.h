/* pw-agent-private.h: what the agent's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-agent.h"
#include "pw-snmp-engine.h"

G_BEGIN_DECLS

/* The soonest a failed upload is tried again by a running agent (s). */
#define RETRY_FLOOR 5

typedef enum {
  AUTH_NONE,
  AUTH_BASIC,
  AUTH_BEARER,
} AuthMethod;

struct _PwAgent
{
  GObject        parent_instance;

  PwStore       *store;        /* owned */
  PwSnmpEngine  *engine;       /* owned, made on first poll */
  PwUploader    *uploader;     /* owned */
  PwScheduler   *scheduler;    /* owned while started */
  GPtrArray     *credentials;  /* owned, of PwSnmpCredentials: for polls */
  char          *server_url;
  char          *server_user;
  AuthMethod     auth;
  char          *site_name;
  char          *sync_time;    /* "HH:MM" */
  GTask         *sync;         /* the running sync, or NULL */
  guint          retry_id;     /* a timeout that sends the outbox again */
  gulong         due_id;
  GTask         *discovery;    /* the running discovery, or NULL */
  PwNotifier    *notifier;     /* owned, nullable: e-mail (pw-agent-notify.c) */
  GArray        *polled;       /* owned, nullable: gint64 ids polled since the last check */
  guint          notify_id;    /* a timeout that checks them */
  gulong         polled_id;
  gulong         busy_id;
};

enum {
  PROP_0,
  PROP_LAST_POLL,
  PROP_LAST_SERVER_CONTACT,
  PROP_LAST_SUCCESS,
  PROP_NEXT_SYNC,
  PROP_LAST_ERROR,
  PROP_BUSY,
  N_PROPS
};

extern GParamSpec *_pw_agent_properties[N_PROPS];

enum {
  SIGNAL_DEVICE_POLLED,
  SIGNAL_POLL_PROGRESS,
  SIGNAL_DISCOVERY_PROGRESS,
  SIGNAL_PRINTER_FOUND,
  N_SIGNALS
};

extern guint _pw_agent_signals[N_SIGNALS];

typedef struct _PwPoller PwPoller;
PwPoller *_pw_agent_new_poller (PwAgent *self);

void _pw_agent_start_with     (PwAgent     *self,
                               PwScheduler *scheduler);

/* pw-agent-outbox.c: what a sync reads and writes in the store, on worker threads. */

/* What one step of a sync leaves in the store, and then reads back. */
typedef struct {
  PwStore        *store;            /* owned; set by _pw_agent_note_async () */
  gint64          outbox_id;        /* an upload attempt to record, or 0 */
  gboolean        acknowledged;     /* it leaves the outbox */
  gint64          next_attempt_at;  /* when not, when to try again */
  PwSyncLogEntry *entry;            /* owned, nullable: the log line, with the attempt in one transaction */
  gint64          last_data;        /* the sync window's times to set, or 0 */
  gint64          last_contact;
  gint64          last_success;
  gboolean        set_last_error;
  char           *last_error;       /* owned, nullable: with set_last_error, the new one (NULL clears it) */
  gboolean        summarize;        /* then read what waits: */
  guint           waiting;          /*   the payloads in the outbox */
  gint64          next_due;         /*   when the soonest is due */
  GError         *error;            /* owned: recording the attempt failed */
} PwAgentNote;

PwAgentNote *_pw_agent_note_new            (void);
void         _pw_agent_note_free           (PwAgentNote          *note);
void         _pw_agent_note_log            (PwAgentNote          *note,
                                            const char           *event,
                                            gboolean              ok,
                                            const char           *key,
                                            guint                 http_status,
                                            const char           *message);
void         _pw_agent_note_set_last_error (PwAgentNote          *note,
                                            const char           *message);
void         _pw_agent_note_async          (PwAgent              *self,
                                            PwAgentNote          *note,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
PwAgentNote *_pw_agent_note_finish         (PwAgent              *self,
                                            GAsyncResult         *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAgentNote, _pw_agent_note_free)

void         _pw_agent_queue_async         (PwAgent              *self,
                                            GPtrArray            *parts,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     _pw_agent_queue_finish        (PwAgent              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void         _pw_agent_list_outbox_async   (PwAgent              *self,
                                            gint64                due_at,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray   *_pw_agent_list_outbox_finish  (PwAgent              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void         _pw_agent_load_payload_async  (PwAgent              *self,
                                            gint64                id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GBytes      *_pw_agent_load_payload_finish (PwAgent              *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
