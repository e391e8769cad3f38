/* pw-test-office.h: a whole office on loopback, for the tests that run printwatch-cli against it.
 *
 * Printers served by one snmpsimd (a recording of tests/fixtures/snmp under a community of the
 * test's choosing), printwatch-collector over TLS with a CA of its own (servers/pw-test-tls.h),
 * and an agent database that lists the printers. printwatch-cli ($PW_CLI) runs against it with
 * its output in a file; SQLite answers the checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "pw-test-snmp.h"
#include "servers/pw-test-tls.h"

G_BEGIN_DECLS

#define PW_TEST_OFFICE_USER "printwatch"

typedef struct {
  const char *subnet;      /* "127.0.9": the printers are at .1, .2, … */
  guint       n_printers;
  const char *recording;   /* NULL: "generic-laser" */
  const char *community;   /* NULL: the recording's name */
  const char *password;    /* the collector's for PW_TEST_OFFICE_USER; NULL: no collector */
} PwTestOfficeOptions;

typedef struct {
  char          *dir;        /* owned, 0700, removed on free: the agent's database is here */
  char          *db;
  char          *data_dir;   /* what snmpsimd serves */
  char          *community;
  GPtrArray     *hosts;      /* of char *: "127.0.9.1", … */
  GArray        *ports;      /* of guint16 */
  PwTestPki     *pki;        /* nullable */
  PwTestAgent   *snmp;
  PwTestServer  *collector;  /* nullable */
} PwTestOffice;

/* NULL after g_test_skip () when a tool is missing. */
PwTestOffice        *pw_test_office_new        (const PwTestOfficeOptions  *options);
void                 pw_test_office_free       (PwTestOffice               *office);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestOffice, pw_test_office_free)

/* The agent's settings for the collector, in the environment the CLI inherits; with
 * @password, PRINTWATCH_SERVER_PASSWORD too. pw_test_office_unset_env () takes them back. */
void                 pw_test_office_set_env    (PwTestOffice               *office,
                                                const char                 *password);
void                 pw_test_office_unset_env  (void);

/* For printwatch-cli: its stderr (and with @with_stdout, its stdout) appended to @log_path,
 * with the debug messages of @debug_domains (NULL: none). */
GSubprocessLauncher *pw_test_office_launcher   (const char                 *log_path,
                                                const char                 *debug_domains,
                                                gboolean                    with_stdout);
/* printwatch-cli --database DB @args… */
GSubprocess         *pw_test_office_spawn_with (PwTestOffice               *office,
                                                GSubprocessLauncher        *launcher,
                                                const char * const         *args,
                                                GError                    **error);
/* Both at once, stdout too. */
GSubprocess         *pw_test_office_spawn_cli  (PwTestOffice               *office,
                                                const char                 *log_path,
                                                const char                 *debug_domains,
                                                const char * const         *args,
                                                GError                    **error);
/* The same, run to its end: its exit status, or -1 when a signal ended it. */
int                  pw_test_office_run_cli    (PwTestOffice               *office,
                                                const char                 *log_path,
                                                const char                 *debug_domains,
                                                const char * const         *args);

/* SQLite, for the checks. */
sqlite3             *pw_test_sql_open          (const char                 *path);
gint64               pw_test_sql_int           (sqlite3                    *db,
                                                const char                 *sql,
                                                const char                 *text_arg);
void                 pw_test_sql_assert_intact (const char                 *path);

G_END_DECLS
