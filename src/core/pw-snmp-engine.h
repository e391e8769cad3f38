/* pw-snmp-engine.h: asynchronous SNMP requests to many agents at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-snmp-credentials.h"
#include "pw-snmp-varbind.h"

G_BEGIN_DECLS

/* Silent addresses hold their slot for the whole timeout: a sweep is as fast
 * as this window is wide. Capped by the open files the process may have. */
#define PW_SNMP_ENGINE_DEFAULT_CONCURRENCY 512
#define PW_SNMP_ENGINE_DEFAULT_TIMEOUT     1000  /* ms */
#define PW_SNMP_ENGINE_DEFAULT_RETRIES     1
/* A walk never returns more rows than this, whatever the caller asks. */
#define PW_SNMP_WALK_MAX_ROWS              100000
/* Nor does one GET carry more objects. */
#define PW_SNMP_GET_MAX_OIDS               1024

#define PW_SNMP_ERROR (pw_snmp_error_quark ())
typedef enum {
  PW_SNMP_ERROR_FAILED,                      /* a local failure: no socket, too many open files */
  PW_SNMP_ERROR_INVALID_OID,                 /* a caller's OID is not in numeric dotted form */
  PW_SNMP_ERROR_RESOLVE,                     /* the host name does not resolve */
  PW_SNMP_ERROR_UNREACHABLE,                 /* ICMP unreachable: nothing listens there */
  PW_SNMP_ERROR_TIMEOUT,                     /* no answer after all retries */
  PW_SNMP_ERROR_UNKNOWN_USER,                /* v3 report usmStatsUnknownUserNames */
  PW_SNMP_ERROR_AUTHENTICATION,              /* v3 report usmStatsWrongDigests */
  PW_SNMP_ERROR_DECRYPTION,                  /* v3 usmStatsDecryptionErrors, or silence once authenticated */
  PW_SNMP_ERROR_UNSUPPORTED_SECURITY_LEVEL,  /* v3 report usmStatsUnsupportedSecLevels */
  PW_SNMP_ERROR_NOT_IN_TIME_WINDOW,          /* v3 report usmStatsNotInTimeWindows, after resync */
  PW_SNMP_ERROR_PROTOCOL,                    /* an error-status, or a reply that makes no sense */
} PwSnmpError;

/* What an error says about the credentials a request was sent with. */
typedef enum {
  PW_SNMP_VERDICT_OTHER,    /* nothing: unreachable, unresolved, a broken reply, cancelled */
  PW_SNMP_VERDICT_SILENT,   /* no answer: agents drop a wrong community without a word */
  PW_SNMP_VERDICT_REFUSED,  /* an SNMPv3 agent said they are wrong */
} PwSnmpCredentialVerdict;

#define PW_TYPE_SNMP_ENGINE (pw_snmp_engine_get_type ())
G_DECLARE_FINAL_TYPE (PwSnmpEngine, pw_snmp_engine, PW, SNMP_ENGINE, GObject)

GQuark        pw_snmp_error_quark              (void);
PwSnmpCredentialVerdict pw_snmp_error_credential_verdict (const GError *error);

PwSnmpEngine *pw_snmp_engine_new               (void);
const char   *pw_snmp_engine_get_library_version (void);
guint         pw_snmp_engine_get_concurrency   (PwSnmpEngine         *self);
void          pw_snmp_engine_set_concurrency   (PwSnmpEngine         *self,
                                                guint                 concurrency);
guint         pw_snmp_engine_get_rate_limit    (PwSnmpEngine         *self);
void          pw_snmp_engine_set_rate_limit    (PwSnmpEngine         *self,
                                                guint                 packets_per_second);
guint         pw_snmp_engine_get_timeout       (PwSnmpEngine         *self);
void          pw_snmp_engine_set_timeout       (PwSnmpEngine         *self,
                                                guint                 timeout_ms);
guint         pw_snmp_engine_get_retries       (PwSnmpEngine         *self);
void          pw_snmp_engine_set_retries       (PwSnmpEngine         *self,
                                                guint                 retries);
guint         pw_snmp_engine_get_n_active      (PwSnmpEngine         *self);
guint64       pw_snmp_engine_get_n_requests    (PwSnmpEngine         *self);

void          pw_snmp_engine_get_async         (PwSnmpEngine         *self,
                                                const char           *host,
                                                guint16               port,
                                                PwSnmpCredentials    *credentials,
                                                const char * const   *oids,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray    *pw_snmp_engine_get_finish        (PwSnmpEngine         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          pw_snmp_engine_get_next_async    (PwSnmpEngine         *self,
                                                const char           *host,
                                                guint16               port,
                                                PwSnmpCredentials    *credentials,
                                                const char * const   *oids,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray    *pw_snmp_engine_get_next_finish   (PwSnmpEngine         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          pw_snmp_engine_get_bulk_async    (PwSnmpEngine         *self,
                                                const char           *host,
                                                guint16               port,
                                                PwSnmpCredentials    *credentials,
                                                const char * const   *oids,
                                                guint                 non_repeaters,
                                                guint                 max_repetitions,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray    *pw_snmp_engine_get_bulk_finish   (PwSnmpEngine         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          pw_snmp_engine_walk_async        (PwSnmpEngine         *self,
                                                const char           *host,
                                                guint16               port,
                                                PwSnmpCredentials    *credentials,
                                                const char           *root_oid,
                                                guint                 max_rows,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray    *pw_snmp_engine_walk_finish       (PwSnmpEngine         *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          pw_snmp_engine_walk_columns_async (PwSnmpEngine        *self,
                                                const char           *host,
                                                guint16               port,
                                                PwSnmpCredentials    *credentials,
                                                const char * const   *roots,
                                                const guint          *max_rows,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray    *pw_snmp_engine_walk_columns_finish (PwSnmpEngine       *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
