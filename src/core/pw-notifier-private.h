/* pw-notifier-private.h: what the notifier's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-notifier.h"
#include "pw-device.h"
#include "pw-snapshot.h"

G_BEGIN_DECLS

/* The kinds of condition, as the notifications table keeps them. */
#define PW_NOTIFY_SUPPLY_LOW     "supply-low"
#define PW_NOTIFY_ERROR          "error"
#define PW_NOTIFY_UNREACHABLE    "unreachable"
#define PW_NOTIFY_CRITICAL_ALERT "critical-alert"
#define PW_NOTIFY_TRANSMISSION   "transmission"
#define PW_NOTIFY_DIGEST         "digest"

/* The error key of hrDeviceStatus down (the others are the error bits' nicks). */
#define PW_NOTIFY_KEY_DOWN "down"

/* The soonest a failed e-mail is tried again by the notifier's timer (s). */
#define PW_NOTIFIER_RETRY_FLOOR 10

struct _PwNotifier
{
  GObject          parent_instance;

  PwStore         *store;        /* owned */
  char            *host;         /* owned, nullable: no e-mail */
  guint16          port;
  PwSmtpSecurity   security;
  char            *ca_file;      /* owned, nullable */
  char            *user;         /* owned, nullable: no sign-in */
  char            *sender;       /* owned, nullable */
  GStrv            recipients;   /* owned, never NULL */
  char            *site_name;    /* owned, nullable */
  guint            timeout;      /* seconds */
  PwNotifierRules  rules;
  GMutex           lock;         /* held by a job's worker */
  GCancellable    *cancellable;  /* owned: the timer's jobs; cancelled on dispose */
  guint            retry_id;     /* a timeout that sends the queue again */
};

enum {
  PROP_0,
  PROP_LAST_ERROR,
  N_PROPS
};

extern GParamSpec *_pw_notifier_properties[N_PROPS];

/* One job on a worker thread: a check, a flush, or the test e-mail. Copied
 * from the notifier when it starts, so the settings may change meanwhile. */
typedef struct {
  PwStore          *store;         /* owned */
  GMutex           *lock;          /* the notifier's: one job at a time touches the queue */
  PwNotifierCheck   checks;        /* 0: only send */
  GArray           *device_ids;    /* owned, nullable: all devices */
  PwNotifierRules   rules;
  char             *sender;        /* owned */
  GStrv             recipients;    /* owned */
  char             *site_name;     /* owned, nullable */
  PwSmtp           *smtp;          /* owned */
  GError           *secret_error;  /* owned, nullable: the password was not found */
  gboolean          force;         /* send every queued e-mail, due or not */
  gboolean          test;          /* send the test e-mail, queue nothing */
  gint64            now;
  PwNotifySummary   summary;
} PwNotifierJob;

/* One condition a check found, before the store knows it. */
typedef struct {
  const char     *kind;       /* static: PW_NOTIFY_* */
  char           *key;        /* owned */
  gint64          since;      /* unix seconds */
  gboolean        ready;      /* it has held long enough to be told */
  const PwSupply *supply;     /* borrowed from the snapshot: supply-low */
  int             percent;
  int             error_bit;  /* error: a bit of the error state, or -1 for hrDeviceStatus down */
  const PwAlert  *alert;      /* borrowed from the snapshot: critical-alert */
} PwCondition;

gboolean _pw_notifier_evaluate (PwNotifierJob  *job,
                                GError        **error);

/* The words of one e-mail, written once as plain text and as HTML. Every
 * string handed in is made safe first: control characters go, and the HTML
 * is escaped. */
typedef struct {
  char    *subject;  /* owned, one line */
  GString *text;     /* owned */
  GString *html;     /* owned */
  int      open;     /* the HTML element a run of fields or items left open */
} PwMailBody;

PwMailBody *_pw_mail_body_new       (const char        *subject);
void        _pw_mail_body_free      (PwMailBody        *body);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwMailBody, _pw_mail_body_free)
void        _pw_mail_body_heading   (PwMailBody        *body,
                                     const char        *text);
void        _pw_mail_body_paragraph (PwMailBody        *body,
                                     const char        *text);
void        _pw_mail_body_field     (PwMailBody        *body,
                                     const char        *label,
                                     const char        *value);
void        _pw_mail_body_item      (PwMailBody        *body,
                                     const char        *text);
void        _pw_mail_body_rule      (PwMailBody        *body);
GBytes     *_pw_mail_build          (PwMailBody        *body,
                                     const char        *from,
                                     const char * const *to,
                                     GDateTime         *date);

/* The words (pw-notifier-text.c). */
gboolean    _pw_notifier_error_bit_is_error (guint           bit);
char       *_pw_notifier_format_time (gint64             when,
                                      gint64             now);
PwMailBody *_pw_notifier_text_condition    (const PwNotifierJob  *job,
                                            PwDevice             *device,
                                            const PwCondition    *condition,
                                            gint64                since);
PwMailBody *_pw_notifier_text_transmission (const PwNotifierJob  *job,
                                            const char           *error,
                                            gint64                since);
PwMailBody *_pw_notifier_text_digest       (const PwNotifierJob  *job,
                                            GPtrArray            *devices,
                                            GPtrArray            *open);
PwMailBody *_pw_notifier_text_test         (const PwNotifierJob  *job);

G_END_DECLS
