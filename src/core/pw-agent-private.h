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

void _pw_agent_set_state_time (PwAgent    *self,
                               const char *key,
                               gint64      when,
                               guint       prop);
void _pw_agent_set_last_error (PwAgent    *self,
                               const char *message);
void _pw_agent_start_with     (PwAgent     *self,
                               PwScheduler *scheduler);
void _pw_agent_log_event      (PwAgent    *self,
                               const char *event,
                               gboolean    ok,
                               const char *key,
                               guint       http_status,
                               const char *message);

G_END_DECLS
