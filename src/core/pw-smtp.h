/* pw-smtp.h: one e-mail to an SMTP server (libcurl).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"

G_BEGIN_DECLS

/* What went wrong with a message; pw_smtp_error_is_retryable () says whether
 * the same message may go through later without anyone changing anything.
 * Cancellation is G_IO_ERROR_CANCELLED, not one of these. */
#define PW_SMTP_ERROR (pw_smtp_error_quark ())
typedef enum {
  PW_SMTP_ERROR_CONFIG,     /* no server, a bad address, a CA file that cannot be read, a password
                             * to be sent unencrypted: fix the settings */
  PW_SMTP_ERROR_NETWORK,    /* refused, unreachable, unknown host, connection lost */
  PW_SMTP_ERROR_TIMEOUT,    /* the server went silent for longer than the timeout */
  PW_SMTP_ERROR_TLS,        /* certificate untrusted or for another host, no STARTTLS offered */
  PW_SMTP_ERROR_AUTH,       /* the server refused the user name or password */
  PW_SMTP_ERROR_REJECTED,   /* a 5xx reply: the sender, a recipient or the message refused */
  PW_SMTP_ERROR_TEMPORARY,  /* a 4xx reply: the server cannot take it now */
  PW_SMTP_ERROR_PROTOCOL,   /* an answer that is not SMTP */
} PwSmtpError;

#define PW_SMTP_DEFAULT_TIMEOUT 60  /* seconds */

#define PW_TYPE_SMTP (pw_smtp_get_type ())
G_DECLARE_FINAL_TYPE (PwSmtp, pw_smtp, PW, SMTP, GObject)

GQuark          pw_smtp_error_quark        (void);
PwSmtp         *pw_smtp_new                (const char           *host,
                                            guint16               port,
                                            PwSmtpSecurity        security);
const char     *pw_smtp_get_host           (PwSmtp               *self);
guint16         pw_smtp_get_port           (PwSmtp               *self);
PwSmtpSecurity  pw_smtp_get_security       (PwSmtp               *self);
void            pw_smtp_set_ca_file        (PwSmtp               *self,
                                            const char           *path);
void            pw_smtp_set_credentials    (PwSmtp               *self,
                                            const char           *user,
                                            const char           *password);
guint           pw_smtp_get_timeout        (PwSmtp               *self);
void            pw_smtp_set_timeout        (PwSmtp               *self,
                                            guint                 seconds);
char           *pw_smtp_describe_server    (PwSmtp               *self);

gboolean        pw_smtp_send               (PwSmtp               *self,
                                            const char           *from,
                                            const char * const   *to,
                                            GBytes               *message,
                                            GCancellable         *cancellable,
                                            GError              **error);
void            pw_smtp_send_async         (PwSmtp               *self,
                                            const char           *from,
                                            const char * const   *to,
                                            GBytes               *message,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean        pw_smtp_send_finish        (PwSmtp               *self,
                                            GAsyncResult         *result,
                                            GError              **error);

gboolean        pw_smtp_error_is_retryable (const GError         *error);
gboolean        pw_smtp_address_is_valid   (const char           *address);

G_END_DECLS
