/* pw-test-report.h: reading reports back, for tests/test-report.c and the export dialog's test.
 *
 * CSV goes through Python's csv module, HTML through html5lib and headless
 * Chromium (tests/test-report-check.py); the database through SQLite
 * itself. Where a tool is missing the test is skipped, with the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pw-snapshot.h"

G_BEGIN_DECLS

/* A CSV report read back: row 0 is the header. */
typedef struct _PwTestCsv PwTestCsv;

PwTestCsv  *pw_test_csv_read            (const char  *path,
                                         char         separator);
void        pw_test_csv_free            (PwTestCsv   *csv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestCsv, pw_test_csv_free)
guint       pw_test_csv_n_rows          (PwTestCsv   *csv);  /* records, without the header */
const char *pw_test_csv_get             (PwTestCsv   *csv,
                                         guint        row,
                                         const char  *column);
guint       pw_test_csv_find            (PwTestCsv   *csv,
                                         const char  *column,
                                         const char  *value,
                                         const char  *column2,
                                         const char  *value2);
void        pw_test_csv_assert_text     (PwTestCsv   *csv,
                                         guint        row,
                                         const char  *column,
                                         const char  *stored);
void        pw_test_csv_assert_int      (PwTestCsv   *csv,
                                         guint        row,
                                         const char  *column,
                                         gint64       value);
void        pw_test_csv_assert_time     (PwTestCsv   *csv,
                                         guint        row,
                                         const char  *column,
                                         gint64       unix_time);
void        pw_test_csv_assert_harmless (PwTestCsv   *csv);
void        pw_test_csv_assert_tail     (PwTestCsv   *csv,
                                         const char  *site,
                                         gint64       from,
                                         gint64       to,
                                         gint64       generated,
                                         const char  *version);
char       *pw_test_report_expect       (const char  *stored);

/* The database read with plain SQL. */
typedef struct _PwTestSql PwTestSql;
PwTestSql  *pw_test_sql_open            (const char  *db_path);
void        pw_test_sql_free            (PwTestSql   *sql);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestSql, pw_test_sql_free)
gboolean    pw_test_sql_step            (PwTestSql   *sql,
                                         const char  *query);
gboolean    pw_test_sql_step_period     (PwTestSql   *sql,
                                         const char  *query,
                                         gint64       from,
                                         gint64       to);
gint64      pw_test_sql_int             (PwTestSql   *sql,
                                         int          column);
const char *pw_test_sql_text            (PwTestSql   *sql,
                                         int          column);

gboolean    pw_test_html_check          (const char         *path,
                                         const char * const *shown);
void        pw_test_html_render         (const char  *path);
int         pw_test_run_cli             (const char         *db_path,
                                         const char * const *args,
                                         char              **out);
guint       pw_test_count_files         (const char  *dir,
                                         const char  *suffix);
PwSnapshot *pw_test_poll_fixture        (const char  *name);

G_END_DECLS
