/* pw-test-notifier.h: what the notifier tests share: a store, a notifier pointed at an SMTP
 * server on loopback (servers/pw-test-smtp.[ch]), and printers as polls leave them in the store
 * (made-up printers at 192.0.2.0/24, never contacted).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "printwatch-core.h"
#include "servers/pw-test-smtp.h"

G_BEGIN_DECLS

#define PW_TEST_FROM "printwatch@example.com"
#define PW_TEST_SITE "Head office"

extern const char * const pw_test_recipients[];  /* admin@example.com, it@example.com */

typedef struct {
  char         *dir;
  char         *db;
  PwStore      *store;
  PwNotifier   *notifier;  /* from PW_TEST_FROM to pw_test_recipients; every rule on; 2 s timeout */
  PwTestServer *smtp;      /* nullable: pw_test_notifier_start_server () */
  gint64        now;
} PwTestNotifier;

void        pw_test_notifier_setup        (PwTestNotifier    *fixture,
                                           gconstpointer      data);
void        pw_test_notifier_teardown     (PwTestNotifier    *fixture,
                                           gconstpointer      data);
/* Starts an SMTP server (@mode as PwTestSmtpOptions has it) and points the notifier at it; FALSE
 * after g_test_skip () when aiosmtpd is missing. */
gboolean    pw_test_notifier_start_server (PwTestNotifier    *fixture,
                                           const char        *mode);
/* A check that must go well, all of its e-mails sent: returns how many it queued. */
guint       pw_test_notifier_check_ok     (PwTestNotifier    *fixture,
                                           PwNotifierCheck    checks);
gboolean    pw_test_notifier_check        (PwTestNotifier    *fixture,
                                           PwNotifySummary   *summary,
                                           GError           **error);
gboolean    pw_test_notifier_flush        (PwTestNotifier    *fixture,
                                           gboolean           force,
                                           PwNotifySummary   *summary,
                                           GError           **error);
gboolean    pw_test_notifier_send_test    (PwTestNotifier    *fixture,
                                           GError           **error);
GPtrArray  *pw_test_notifier_received     (PwTestNotifier    *fixture);
const char *pw_test_part_text             (JsonObject        *message,
                                           const char        *type);

/* One poll's reading of the test printer "Reception MFP": black toner at 80 %, a cyan toner, a
 * waste box half full, and the status and alerts asked for. */
typedef struct {
  gint64          taken_at;
  guint32         error_state;
  int             cyan;      /* the cyan toner's level of 100; -3: "some remaining" */
  gboolean        critical;  /* a critical alert: a paper jam */
  gboolean        warning;   /* a warning alert: paper low */
  const char     *sys_name;  /* NULL: "Reception MFP" */
  const char     *location;  /* NULL: "2nd floor, copy room" */
  PwDeviceStatus  status;    /* 0: running */
} PwTestReading;

gint64      pw_test_add_printer           (PwTestNotifier       *fixture,
                                           const char           *host);
void        pw_test_add_reading           (PwTestNotifier       *fixture,
                                           gint64                device_id,
                                           const PwTestReading  *reading);
void        pw_test_add_fine_reading      (PwTestNotifier       *fixture,
                                           gint64                device_id,
                                           gint64                taken_at);

G_END_DECLS
