/* pw-snmp-engine-private.h: what the engine's files share.
 *
 * pw-snmp-engine.c owns the worker thread and net-snmp's process-wide
 * state; pw-snmp-engine-session.c does one operation's exchange with its
 * agent; pw-snmp-engine-decode.c turns replies into PwSnmpVarbinds (these
 * three are the only code that includes net-snmp, which is why no net-snmp
 * type appears here: they share those in pw-snmp-engine-netsnmp-private.h);
 * pw-snmp-engine-requests.c turns the public calls into operations,
 * resolves host names and hands results back through GTask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-snmp-engine.h"

G_BEGIN_DECLS

/* RFC 2578 §3.5: at most 128 sub-identifiers, each below 2^32. */
#define PW_SNMP_MAX_SUBIDS 128

typedef struct _PwSnmpWorker PwSnmpWorker;

typedef enum {
  PW_SNMP_STATE_QUEUED,     /* waiting for a slot in the window */
  PW_SNMP_STATE_SEND,       /* a request is ready, waiting for the rate limit */
  PW_SNMP_STATE_PROBING,    /* v3: engine-ID discovery in flight */
  PW_SNMP_STATE_WAIT_USER,  /* v3: engine ID known, the USM user entry is not ours yet */
  PW_SNMP_STATE_WAITING,    /* a request is in flight */
  PW_SNMP_STATE_DONE,       /* finished: results or error are set */
} PwSnmpOpState;

/* One subtree of a walk: a walk reads several side by side, one varbind
 * of each per row of a GETBULK (or GETNEXT), as snmptable does. */
typedef struct {
  GArray             *last_oid;        /* owned; net-snmp oids: where to go on from */
  GPtrArray          *rows;            /* owned; PwSnmpVarbind, in OID order */
  guint               max_rows;
  gboolean            done;
  GError             *error;           /* owned; the agent erred on this subtree alone */
} PwSnmpWalkColumn;

typedef enum {
  PW_SNMP_OP_GET,
  PW_SNMP_OP_GET_NEXT,
  PW_SNMP_OP_GET_BULK,
  PW_SNMP_OP_WALK,
} PwSnmpOpKind;

/* One request (or walk) to one agent. The requests file fills in the first
 * part, then hands the operation to the worker, which alone touches it until
 * it hands it back with _pw_snmp_op_return(). */
typedef struct {
  guint64             id;
  PwSnmpOpKind        kind;
  GTask              *task;            /* owned */
  PwSnmpWorker       *worker;          /* owned reference */
  gulong              cancel_handler;  /* on the task's cancellable; 0 if none */
  char               *shown;           /* owned; "printer7.lan:1161", for messages and logs */
  GInetAddress       *address;         /* owned; the resolved address */
  guint16             port;
  PwSnmpCredentials  *credentials;     /* owned */
  guint               timeout_ms;
  guint               retries;
  GPtrArray          *oids;            /* owned; GArray of guint32 sub-identifiers each */
  guint               bulk_non_repeaters;
  guint               bulk_repetitions;
  GArray             *walk;            /* owned; walk: PwSnmpWalkColumn, one per root in @oids */
  gboolean            walk_columns;    /* walk: the caller wants every column's rows, not one subtree */

  /* The worker's own state (pw-snmp-engine.c, pw-snmp-engine-session.c). */
  PwSnmpOpState       state;
  gpointer            session;         /* net-snmp single-session handle */
  GPtrArray          *results;         /* owned; PwSnmpVarbind, in request order for GET */
  GArray             *todo;            /* owned; GET: indices into @oids not yet answered */
  GArray             *batch;           /* owned; GET: indices into @oids, walk: into @walk, that the
                                        * request in flight carries */
  guint               chunk;           /* GET: most OIDs per request; walk: repetitions; halved on tooBig */
  guint               chunk_max;       /* walk: what the repetitions may grow to */
  guint               width;           /* walk: most subtrees per request; halved on tooBig */
  guint               repetitions;     /* walk: the repetitions the request in flight asked for */
  guint8              engine_id[32];   /* v3: the agent's snmpEngineID (RFC 3411: 5..32 octets) */
  guint               engine_id_len;
  guint8              usm_digest[32];  /* v3: SHA-256 of protocols and keys, to match USM users */
  char               *usm_key;         /* owned; v3: key of the USM user entry in use */
  gboolean            undecodable;     /* a reply arrived that net-snmp could not decode */
  gboolean            closing;         /* the session is being closed: ignore its callbacks */
  GError             *error;           /* owned; set when the operation failed */
} PwSnmpOp;

/* pw-snmp-engine.c */
PwSnmpWorker *_pw_snmp_worker_ref             (PwSnmpWorker  *worker);
void          _pw_snmp_worker_unref           (PwSnmpWorker  *worker);
gboolean      _pw_snmp_worker_submit          (PwSnmpWorker  *worker,
                                               PwSnmpOp      *op);
void          _pw_snmp_worker_cancel          (PwSnmpWorker  *worker,
                                               guint64        op_id);
void          _pw_snmp_worker_queue_send      (PwSnmpWorker  *worker,
                                               PwSnmpOp      *op);
PwSnmpWorker *_pw_snmp_engine_get_worker      (PwSnmpEngine  *self);
void          _pw_snmp_engine_lock_library    (void);
void          _pw_snmp_engine_unlock_library  (void);

/* pw-snmp-engine-session.c: worker thread, net-snmp lock held */
gboolean      _pw_snmp_op_open                (PwSnmpOp      *op);
void          _pw_snmp_op_send                (PwSnmpOp      *op);
void          _pw_snmp_op_read_failed         (PwSnmpOp      *op);

/* pw-snmp-engine-decode.c: one message, as the engine reads a reply; for the fuzz targets */
GPtrArray    *_pw_snmp_engine_decode_response (const guint8  *data,
                                               gsize          len,
                                               GError       **error);

/* pw-snmp-engine-requests.c */
void          _pw_snmp_op_free                (PwSnmpOp      *op);
void          _pw_snmp_op_return              (PwSnmpOp      *op);
void          _pw_snmp_op_set_error           (PwSnmpOp      *op,
                                               PwSnmpError    code,
                                               const char    *detail);

G_END_DECLS
