/* pw-poller.h: read one full snapshot of each device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-snapshot.h"
#include "pw-snmp-engine.h"
#include "pw-store.h"

G_BEGIN_DECLS

/* Rows read at most from one printer table (supplies, colorants, alerts). */
#define PW_POLLER_MAX_TABLE_ROWS 1000

/* What polling one device came to. */
typedef struct {
  gint64      device_id;    /* the stored device, or 0 for a bare address */
  char       *host;
  guint16     port;
  gboolean    ok;           /* it answered and the snapshot was read (and stored) */
  char       *message;      /* why not, when !ok; else NULL */
  guint       credentials;  /* index of the credentials that answered, when ok */
  PwSnapshot *snapshot;     /* what was read, when ok; else NULL */
} PwPollResult;

#define PW_TYPE_POLL_RESULT (pw_poll_result_get_type ())
GType         pw_poll_result_get_type (void) G_GNUC_CONST;
PwPollResult *pw_poll_result_copy     (const PwPollResult *result);
void          pw_poll_result_free     (PwPollResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwPollResult, pw_poll_result_free)

#define PW_TYPE_POLLER (pw_poller_get_type ())
G_DECLARE_FINAL_TYPE (PwPoller, pw_poller, PW, POLLER, GObject)

PwPoller   *pw_poller_new             (PwSnmpEngine         *engine,
                                       PwStore              *store);
guint       pw_poller_get_done        (PwPoller             *self);
guint       pw_poller_get_total       (PwPoller             *self);
void        pw_poller_poll_async      (PwPoller             *self,
                                       GPtrArray            *devices,
                                       GPtrArray            *credentials,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GPtrArray  *pw_poller_poll_finish     (PwPoller             *self,
                                       GAsyncResult         *result,
                                       GError              **error);
void        pw_poller_poll_one_async  (PwPoller             *self,
                                       const char           *host,
                                       guint16               port,
                                       GPtrArray            *credentials,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
PwSnapshot *pw_poller_poll_one_finish (PwPoller             *self,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
