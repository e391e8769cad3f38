/* pw-notifier.h: e-mail when a printer needs someone, from rules the admin enables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-smtp.h"
#include "pw-store.h"

G_BEGIN_DECLS

/* Environment variables that win over the settings, for headless servers. */
#define PW_NOTIFIER_ENV_SMTP_SERVER   "PRINTWATCH_SMTP_SERVER"
#define PW_NOTIFIER_ENV_SMTP_PORT     "PRINTWATCH_SMTP_PORT"
#define PW_NOTIFIER_ENV_SMTP_SECURITY "PRINTWATCH_SMTP_SECURITY"
#define PW_NOTIFIER_ENV_SMTP_USER     "PRINTWATCH_SMTP_USER"
#define PW_NOTIFIER_ENV_SMTP_CA_FILE  "PRINTWATCH_SMTP_CA_FILE"  /* no setting: the system's CAs */
#define PW_NOTIFIER_ENV_MAIL_FROM     "PRINTWATCH_MAIL_FROM"
#define PW_NOTIFIER_ENV_MAIL_TO       "PRINTWATCH_MAIL_TO"       /* addresses, comma-separated */

/* The store's agent_state key of the last failure to send, in words. */
#define PW_NOTIFIER_KEY_LAST_ERROR "notify.last-error"

/* What a check looks at. */
typedef enum {
  PW_NOTIFIER_CHECK_DEVICES      = 1 << 0,  /* supplies, errors, unreachable printers, critical alerts */
  PW_NOTIFIER_CHECK_TRANSMISSION = 1 << 1,  /* whether the last transmission failed */
  PW_NOTIFIER_CHECK_DIGEST       = 1 << 2,  /* the daily digest, once per daily transmission */
} PwNotifierCheck;

#define PW_NOTIFIER_CHECK_ALL \
  (PW_NOTIFIER_CHECK_DEVICES | PW_NOTIFIER_CHECK_TRANSMISSION | PW_NOTIFIER_CHECK_DIGEST)

/* The rules the admin enables (the notify-* settings). */
typedef struct {
  guint    supply_below;          /* percent: a supply below it; 0: never */
  guint    unreachable_minutes;   /* in error or silent for longer; 0: never */
  gboolean critical_alerts;       /* an alert of critical severity */
  gboolean failed_transmissions;  /* the transmission to the collection server failed */
  gboolean daily_digest;          /* one e-mail a day after the daily transmission */
} PwNotifierRules;

/* How a check or a flush went. */
typedef struct {
  guint queued;   /* e-mails it added to the queue */
  guint sent;     /* e-mails the mail server accepted */
  guint waiting;  /* e-mails still in the queue */
} PwNotifySummary;

#define PW_TYPE_NOTIFIER (pw_notifier_get_type ())
G_DECLARE_FINAL_TYPE (PwNotifier, pw_notifier, PW, NOTIFIER, GObject)

PwNotifier *pw_notifier_new               (PwStore              *store);
PwStore    *pw_notifier_get_store         (PwNotifier           *self);
gboolean    pw_notifier_configure         (PwNotifier           *self,
                                           GSettings            *settings,
                                           GError              **error);
void        pw_notifier_set_server        (PwNotifier           *self,
                                           const char           *host,
                                           guint16               port,
                                           PwSmtpSecurity        security);
const char *pw_notifier_get_server        (PwNotifier           *self);
guint16     pw_notifier_get_port          (PwNotifier           *self);
PwSmtpSecurity pw_notifier_get_security   (PwNotifier           *self);
void        pw_notifier_set_ca_file       (PwNotifier           *self,
                                           const char           *path);
void        pw_notifier_set_user          (PwNotifier           *self,
                                           const char           *user);
gboolean    pw_notifier_set_addresses     (PwNotifier           *self,
                                           const char           *from,
                                           const char * const   *to,
                                           GError              **error);
const char *pw_notifier_get_sender        (PwNotifier           *self);
const char * const *pw_notifier_get_recipients (PwNotifier      *self);
void        pw_notifier_set_rules         (PwNotifier           *self,
                                           const PwNotifierRules *rules);
void        pw_notifier_get_rules         (PwNotifier           *self,
                                           PwNotifierRules      *rules);
void        pw_notifier_set_site_name     (PwNotifier           *self,
                                           const char           *site_name);
void        pw_notifier_set_timeout       (PwNotifier           *self,
                                           guint                 seconds);
gboolean    pw_notifier_get_enabled       (PwNotifier           *self);
char       *pw_notifier_dup_last_error    (PwNotifier           *self);

void        pw_notifier_check_async       (PwNotifier           *self,
                                           PwNotifierCheck       checks,
                                           GArray               *device_ids,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    pw_notifier_check_finish      (PwNotifier           *self,
                                           GAsyncResult         *result,
                                           PwNotifySummary      *summary,
                                           GError              **error);
void        pw_notifier_flush_async       (PwNotifier           *self,
                                           gboolean              force,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    pw_notifier_flush_finish      (PwNotifier           *self,
                                           GAsyncResult         *result,
                                           PwNotifySummary      *summary,
                                           GError              **error);
void        pw_notifier_send_test_async   (PwNotifier           *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    pw_notifier_send_test_finish  (PwNotifier           *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
