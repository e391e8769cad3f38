/* pw-discovery.h: sweep addresses for printers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-snapshot.h"
#include "pw-snmp-engine.h"
#include "pw-store.h"
#include "pw-target-spec.h"

G_BEGIN_DECLS

/* What one address turned out to be. */
typedef enum {
  PW_DISCOVERY_PRINTER,  /* answered, and is a printer (Printer-MIB or hrDeviceType) */
  PW_DISCOVERY_OTHER,    /* answered, but is not a printer */
  PW_DISCOVERY_REFUSED,  /* answered that none of the credentials are right (SNMPv3) */
  PW_DISCOVERY_FAILED,   /* an error worth telling: the name does not resolve, a broken reply */
} PwDiscoveryOutcome;

typedef struct {
  char               *host;
  guint16             port;
  PwDiscoveryOutcome  outcome;
  char               *message;      /* why, for REFUSED and FAILED; else NULL */
  guint               credentials;  /* index of the credentials that answered */
  PwSnapshot         *identity;     /* identity fields read, for PRINTER and OTHER; else NULL */
  gboolean            printer_mib;  /* it answered under the Printer-MIB */
  gboolean            duplicate;    /* same serial or MAC as a printer at an earlier address */
  guint64             index;        /* the address's place in the sweep order */
  gint64              device_id;    /* the stored device, or 0 */
} PwDiscoveryResult;

#define PW_TYPE_DISCOVERY_RESULT (pw_discovery_result_get_type ())
GType              pw_discovery_result_get_type (void) G_GNUC_CONST;
PwDiscoveryResult *pw_discovery_result_copy     (const PwDiscoveryResult *result);
void               pw_discovery_result_free     (PwDiscoveryResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwDiscoveryResult, pw_discovery_result_free)

#define PW_TYPE_DISCOVERY (pw_discovery_get_type ())
G_DECLARE_FINAL_TYPE (PwDiscovery, pw_discovery, PW, DISCOVERY, GObject)

PwDiscovery *pw_discovery_new          (PwSnmpEngine         *engine,
                                        PwStore              *store);
guint64      pw_discovery_get_done     (PwDiscovery          *self);
guint64      pw_discovery_get_total    (PwDiscovery          *self);
guint        pw_discovery_get_found    (PwDiscovery          *self);
void         pw_discovery_run_async    (PwDiscovery          *self,
                                        PwTargetSpec         *targets,
                                        GPtrArray            *credentials,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GPtrArray   *pw_discovery_run_finish   (PwDiscovery          *self,
                                        GAsyncResult         *result,
                                        GError              **error);
PwDiscoveryResult *pw_discovery_classify (const char         *host,
                                        guint16               port,
                                        GPtrArray            *varbinds);

G_END_DECLS
