/* pw-device-private.h: the device record, filled in by the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-device.h"
#include "pw-device-summary.h"
#include "pw-snapshot.h"

G_BEGIN_DECLS

struct _PwDevice
{
  GObject     parent_instance;

  gint64      id;
  char       *host;                           /* owned, canonical (see PwAddress) */
  guint16     port;
  char       *name;                           /* owned, the admin's label, or NULL */
  char       *identity[PW_N_IDENTITY_FIELDS]; /* owned, NULL = never read */
  gint64      credential_profile;             /* 0 = the default profile */
  gboolean    in_scope;                       /* under contract: its data is uploaded */
  gint64      added_at;                       /* unix seconds, UTC */
  gint64      first_seen;                     /* 0 = has never answered */
  gint64      last_seen;
  gboolean    reachable;
  char       *last_error;                     /* owned, why the last poll failed, or NULL */
  PwSnapshot *latest;                         /* owned, or NULL before the first poll */
  PwDeviceSummary *summary;                   /* owned, made when first asked for (pw-device-summary.c) */
};

void _pw_device_summary_free (PwDeviceSummary *summary);

G_END_DECLS
