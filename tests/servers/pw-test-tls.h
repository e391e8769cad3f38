/* pw-test-tls.h: certificates and HTTPS servers on loopback, for the upload tests.
 *
 * pw_test_pki_new () makes, with the openssl tool, a throw-away CA and server certificates
 * signed by it (EC P-256), all for IP 127.0.0.1 and DNS localhost unless said otherwise:
 *   server       valid now
 *   expired      valid for a day, a year ago
 *   future       valid from a year from now
 *   wrong_host   valid now, but for wrong-host.invalid only
 * The server processes (printwatch-collector, openssl s_server) bind only to 127.0.0.1 with
 * port 0, run as children of the test, are stopped by their PID, and are killed by the kernel
 * if the test dies first. Errors:
 * G_IO_ERROR_NOT_FOUND   openssl (Debian package openssl) or the collector is missing:
 *                        g_test_skip () with the message
 * G_IO_ERROR_FAILED      a tool failed or the server exited early (the message holds its output)
 * G_IO_ERROR_TIMED_OUT   the server did not become ready within 30 s
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *dir;               /* removed by pw_test_pki_free () */
  char *ca_file;
  char *server_cert;
  char *server_key;
  char *expired_cert;
  char *expired_key;
  char *future_cert;
  char *future_key;
  char *wrong_host_cert;
  char *wrong_host_key;
} PwTestPki;

PwTestPki   *pw_test_pki_new                 (GError             **error);
void         pw_test_pki_free                (PwTestPki           *pki);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestPki, pw_test_pki_free)

typedef struct _PwTestServer PwTestServer;

/* printwatch-collector ($PW_COLLECTOR) on 127.0.0.1 port 0. @certificate and @key: PEM files,
 * or both NULL for --insecure-http. @credentials: the credentials file's text, or NULL.
 * @extra_args: more options, NULL-terminated, or NULL. */
PwTestServer *pw_test_collector_start        (const char          *certificate,
                                              const char          *key,
                                              const char          *credentials,
                                              const char * const  *extra_args,
                                              GError             **error);
/* openssl s_server on 127.0.0.1 port 0 with @extra_args (e.g. "-tls1_1"); without "-www"
 * among them, it prints what it receives (pw_test_server_get_output ()). */
PwTestServer *pw_test_s_server_start         (const char          *certificate,
                                              const char          *key,
                                              const char * const  *extra_args,
                                              GError             **error);
/* Any server program: @argv (NULL-terminated) runs in a folder of its own, its working folder,
 * and is ready when it has written its port to the file "port" there. A program that exits 77
 * (what it needs is missing) gives G_IO_ERROR_NOT_FOUND with its output. */
PwTestServer *pw_test_process_start          (const char          *name,
                                              const char * const  *argv,
                                              GError             **error);
const char   *pw_test_server_get_dir         (PwTestServer        *server);  /* its working folder */
guint16       pw_test_server_get_port        (PwTestServer        *server);
const char   *pw_test_server_get_database    (PwTestServer        *server);  /* the collector's */
char         *pw_test_server_get_url         (PwTestServer        *server);  /* https://127.0.0.1:PORT/api/v1/uploads */
char         *pw_test_server_get_output      (PwTestServer        *server);  /* its stdout and stderr so far */
/* SIGTERM, wait, remove its files; returns the wait status (0: it exited cleanly). */
int           pw_test_server_stop            (PwTestServer        *server);
void          pw_test_server_free            (PwTestServer        *server);  /* stops it if running */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestServer, pw_test_server_free)

/* Runs @argv (NULL-terminated) to its end with @input on stdin; TRUE if it exited 0.
 * @output: its stdout and stderr. */
gboolean      pw_test_run_tool               (const char * const  *argv,
                                              const char          *input,
                                              char               **output,
                                              GError             **error);

G_END_DECLS
