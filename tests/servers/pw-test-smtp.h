/* pw-test-smtp.h: SMTP servers on loopback, for the notifier tests.
 *
 * pw_test_smtp_start () runs servers/pw-test-smtp.py (Debian python3-aiosmtpd) with
 * $PW_PYTHON on 127.0.0.1 port 0, as a child of the test stopped by its PID
 * (pw_test_server_stop (), pw-test-tls.h). Each message it accepted is read back with
 * pw_test_smtp_messages (): the envelope and what Python's e-mail parser saw in it.
 * Errors: G_IO_ERROR_NOT_FOUND when Python or aiosmtpd is missing (g_test_skip () with the
 * message), else as pw_test_process_start ().
 *
 * For servers that do not work: pw_test_silent_server_new () listens and never answers (the
 * kernel accepts the connection: a server that hangs); pw_test_closed_port () is a port nothing
 * listens on (a server that is down).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-test-tls.h"

G_BEGIN_DECLS

typedef struct {
  const char *mode;          /* "accept" (NULL), "refuse" (550 to every recipient), "tempfail" (451) */
  const char *certificate;   /* with key: STARTTLS required; NULL: plain SMTP */
  const char *key;
  gboolean    implicit_tls;  /* TLS from the first byte instead of STARTTLS */
  const char *auth;          /* "user:password": AUTH required; NULL: none */
} PwTestSmtpOptions;

PwTestServer *pw_test_smtp_start          (const PwTestSmtpOptions  *options,
                                           GError                  **error);
GPtrArray    *pw_test_smtp_messages       (PwTestServer             *server);
GSocket      *pw_test_silent_server_new   (guint16                  *port);
guint16       pw_test_closed_port         (void);

G_END_DECLS
