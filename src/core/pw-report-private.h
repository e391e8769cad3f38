/* pw-report-private.h: what the report's files share.
 *
 * A report kind (pw-report-fleet.c, pw-report-meters.c, pw-report-supplies.c)
 * describes one table, its columns and rows, once; the format (pw-report-csv.c,
 * pw-report-html.c) writes it. Charts and side tables are HTML only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-report.h"
#include "pw-store-report.h"

G_BEGIN_DECLS

/* Bytes gathered before they go to the output stream. */
#define PW_REPORT_BUFFER_SIZE (64 * 1024)

typedef enum {
  PW_REPORT_CELL_NONE,     /* empty */
  PW_REPORT_CELL_TEXT,     /* untrusted text: cleaned, escaped, neutralised */
  PW_REPORT_CELL_INT,
  PW_REPORT_CELL_DECIMAL,  /* one decimal place */
  PW_REPORT_CELL_PERCENT,  /* a whole percentage */
  PW_REPORT_CELL_TIME,     /* unix seconds; 0 or less is empty */
  PW_REPORT_CELL_DATE,     /* unix seconds, shown as the local day */
  PW_REPORT_CELL_BOOL,
} PwReportCellType;

/* How HTML marks a cell or row out. */
typedef enum {
  PW_REPORT_MARK_NONE,
  PW_REPORT_MARK_WARN,
  PW_REPORT_MARK_BAD,
} PwReportMark;

typedef struct {
  PwReportCellType type;
  PwReportMark     mark;
  const char      *text;
  gint64           number;  /* INT, PERCENT, TIME, DATE, BOOL */
  double           decimal;
} PwReportCell;

#define PW_CELL_NONE         ((PwReportCell) { .type = PW_REPORT_CELL_NONE })
#define PW_CELL_TEXT(t)      ((PwReportCell) { .type = (t) != NULL ? PW_REPORT_CELL_TEXT : PW_REPORT_CELL_NONE, .text = (t) })
#define PW_CELL_INT(n)       ((PwReportCell) { .type = PW_REPORT_CELL_INT, .number = (n) })
#define PW_CELL_DECIMAL(d)   ((PwReportCell) { .type = PW_REPORT_CELL_DECIMAL, .decimal = (d) })
#define PW_CELL_PERCENT(n)   ((PwReportCell) { .type = (n) >= 0 ? PW_REPORT_CELL_PERCENT : PW_REPORT_CELL_NONE, .number = (n) })
#define PW_CELL_TIME(t)      ((PwReportCell) { .type = PW_REPORT_CELL_TIME, .number = (t) })
#define PW_CELL_DATE(t)      ((PwReportCell) { .type = PW_REPORT_CELL_DATE, .number = (t) })
#define PW_CELL_BOOL(b)      ((PwReportCell) { .type = PW_REPORT_CELL_BOOL, .number = (b) ? 1 : 0 })

/* Which formats show a column. */
typedef enum {
  PW_REPORT_IN_CSV  = 1 << 0,
  PW_REPORT_IN_HTML = 1 << 1,
  PW_REPORT_IN_BOTH = PW_REPORT_IN_CSV | PW_REPORT_IN_HTML,
} PwReportColumnFormats;

typedef struct {
  const char            *header;   /* N_(): translated when written, CSV header too */
  PwReportColumnFormats  formats;
} PwReportColumn;

typedef struct {
  PwStore               *store;         /* owned: the report's own connection */
  PwReportOptions        options;       /* site_name points at site_name below */
  char                  *site_name;     /* owned, nullable */
  gint64                 from;          /* the period, resolved */
  gint64                 to;
  gint64                 generated_at;
  GOutputStream         *out;           /* borrowed */
  GCancellable          *cancellable;   /* borrowed, nullable */
  GString               *buffer;        /* owned: what is not yet written */
  GError                *error;         /* owned: the first failure; nothing is written after it */
  const PwReportColumn  *columns;       /* the open table's */
  guint                  n_columns;
  guint                  n_rows;
  gboolean               csv_header_done;
  char                  *csv_tail;      /* owned: the cells every CSV row ends with */
} PwReportContext;

/* pw-report.c */
gboolean     _pw_report_check_options    (const PwReportOptions *options,
                                          GError               **error);
gboolean     _pw_report_ok               (PwReportContext       *ctx);
gboolean     _pw_report_take_error       (PwReportContext       *ctx,
                                          GError                *error);
gboolean     _pw_report_walk_on          (PwReportContext       *ctx,
                                          GError               **error);
void         _pw_report_append           (PwReportContext       *ctx,
                                          const char            *text);
void         _pw_report_printf           (PwReportContext       *ctx,
                                          const char            *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void         _pw_report_append_clean     (GString               *out,
                                          const char            *text,
                                          gboolean               keep_breaks);
void         _pw_report_append_decimal   (GString               *out,
                                          double                 value,
                                          char                   decimal);
char        *_pw_report_format_time      (gint64                 unix_time,
                                          const char            *format);
char        *_pw_report_format_period    (PwReportContext       *ctx);
const char  *_pw_report_device_label     (PwDevice              *device);
char        *_pw_report_describe_status  (PwDevice              *device);
void         _pw_report_begin_table      (PwReportContext       *ctx,
                                          const char            *title,
                                          const PwReportColumn  *columns,
                                          guint                  n_columns);
void         _pw_report_row              (PwReportContext       *ctx,
                                          const PwReportCell    *cells);
void         _pw_report_end_table        (PwReportContext       *ctx);
gboolean     _pw_report_is_html          (PwReportContext       *ctx);

/* pw-report-csv.c */
void         _pw_report_csv_begin        (PwReportContext       *ctx);
void         _pw_report_csv_header       (PwReportContext       *ctx);
void         _pw_report_csv_row          (PwReportContext       *ctx,
                                          const PwReportCell    *cells);
char        *_pw_report_csv_neutralise   (const char            *cell);

/* pw-report-html.c */
void         _pw_report_html_escape      (GString               *out,
                                          const char            *text);
void         _pw_report_html_begin       (PwReportContext       *ctx,
                                          const char            *title);
void         _pw_report_html_end         (PwReportContext       *ctx);
void         _pw_report_html_heading     (PwReportContext       *ctx,
                                          const char            *text);
void         _pw_report_html_note        (PwReportContext       *ctx,
                                          const char            *text);
void         _pw_report_html_table_begin (PwReportContext       *ctx,
                                          const char            *title);
void         _pw_report_html_row         (PwReportContext       *ctx,
                                          const PwReportCell    *cells);
void         _pw_report_html_table_end   (PwReportContext       *ctx);
void         _pw_report_html_append_cell_text (PwReportContext *ctx,
                                          GString               *out,
                                          const PwReportCell    *cell);

/* pw-report-chart.c: inline SVG */
void         _pw_report_chart_days       (PwReportContext       *ctx,
                                          const char            *title,
                                          const gint64          *starts,
                                          const gint64          *values,
                                          guint                  n);
typedef struct {
  const char *label;     /* untrusted */
  const char *colour;    /* untrusted colorant name, nullable */
  int         percent;   /* 0..100 */
  const char *note;      /* e.g. the days left; nullable */
} PwReportLevelBar;
void         _pw_report_chart_levels     (PwReportContext       *ctx,
                                          const char            *title,
                                          const PwReportLevelBar *bars,
                                          guint                  n);

/* The kinds */
gboolean     _pw_report_write_fleet      (PwReportContext       *ctx);
gboolean     _pw_report_write_alerts     (PwReportContext       *ctx);
gboolean     _pw_report_write_sync_log   (PwReportContext       *ctx);
gboolean     _pw_report_write_meters     (PwReportContext       *ctx);
gboolean     _pw_report_write_supplies   (PwReportContext       *ctx);

/* Device names and addresses by id, for kinds whose rows come by device id. */
typedef struct {
  const char *label;    /* the display name */
  const char *address;
  gboolean    in_scope;
} PwReportDeviceInfo;
GHashTable  *_pw_report_device_infos_new (void);
void         _pw_report_device_infos_add (GHashTable            *infos,
                                          GStringChunk          *chunk,
                                          PwDevice              *device);
GHashTable  *_pw_report_device_infos     (PwReportContext       *ctx,
                                          GStringChunk          *chunk);

G_END_DECLS
