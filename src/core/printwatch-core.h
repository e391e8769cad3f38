/* printwatch-core.h: the Printwatch core, for the GUI, the CLI and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-types.h"
#include "pw-address.h"
#include "pw-agent.h"
#include "pw-background.h"
#include "pw-device.h"
#include "pw-discovery.h"
#include "pw-json.h"
#include "pw-mib-names.h"
#include "pw-notifier.h"
#include "pw-payload.h"
#include "pw-poller.h"
#include "pw-profile.h"
#include "pw-report.h"
#include "pw-secret.h"
#include "pw-scheduler.h"
#include "pw-site-info.h"
#include "pw-smtp.h"
#include "pw-snapshot.h"
#include "pw-snmp-credentials.h"
#include "pw-snmp-engine.h"
#include "pw-snmp-varbind.h"
#include "pw-store.h"
#include "pw-store-report.h"
#include "pw-target-spec.h"
#include "pw-text.h"
#include "pw-time.h"
#include "pw-uploader.h"
