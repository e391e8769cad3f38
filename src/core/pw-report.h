/* pw-report.h: audit reports of the fleet, as CSV or as one HTML page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"
#include "pw-store.h"

G_BEGIN_DECLS

#define PW_REPORT_ERROR (pw_report_error_quark ())
typedef enum {
  PW_REPORT_ERROR_INVALID,  /* the options do not make a report (a period that ends before it begins, …) */
} PwReportError;

/* The days a report covers when no period is given. */
#define PW_REPORT_DEFAULT_DAYS 30

/* What to report, and how. pw_report_options_init() fills in the defaults. */
typedef struct {
  PwReportKind    kind;
  PwReportFormat  format;
  gint64          from;          /* unix seconds, included; from = to = 0: the last PW_REPORT_DEFAULT_DAYS days */
  gint64          to;            /* unix seconds, excluded */
  char            separator;     /* CSV field separator: ',' or ';' */
  char            decimal;       /* decimal mark of both formats: '.' or ',' */
  const char     *site_name;     /* nullable, borrowed: the agent's site name */
  gint64          generated_at;  /* unix seconds, or 0 for now */
} PwReportOptions;

GQuark      pw_report_error_quark         (void);
void        pw_report_options_init        (PwReportOptions        *options);
void        pw_report_options_set_period  (PwReportOptions        *options,
                                           PwReportPeriod          period,
                                           gint64                  now);
const char *pw_report_kind_get_label      (PwReportKind            kind);
char       *pw_report_suggest_filename    (const PwReportOptions  *options);

gboolean    pw_report_write               (PwStore                *store,
                                           const PwReportOptions  *options,
                                           GOutputStream          *stream,
                                           GCancellable           *cancellable,
                                           GError                **error);
void        pw_report_write_async         (PwStore                *store,
                                           const PwReportOptions  *options,
                                           GOutputStream          *stream,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
gboolean    pw_report_write_finish        (GAsyncResult           *result,
                                           GError                **error);
gboolean    pw_report_save                (PwStore                *store,
                                           const PwReportOptions  *options,
                                           GFile                  *file,
                                           GCancellable           *cancellable,
                                           GError                **error);
void        pw_report_save_async          (PwStore                *store,
                                           const PwReportOptions  *options,
                                           GFile                  *file,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
gboolean    pw_report_save_finish         (GAsyncResult           *result,
                                           GError                **error);

G_END_DECLS
