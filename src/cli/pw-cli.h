/* pw-cli.h: what the printwatch-cli commands share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "printwatch-core.h"

G_BEGIN_DECLS

/* Exit statuses: a usage mistake is told apart from a failed operation. */
enum {
  PW_CLI_EXIT_OK = 0,
  PW_CLI_EXIT_FAILED = 1,
  PW_CLI_EXIT_USAGE = 2,
  PW_CLI_EXIT_INTERRUPTED = 130,  /* as a shell reports SIGINT */
};

typedef struct {
  char    *db_path;  /* owned; --database, or NULL for $PRINTWATCH_DB / the default */
  PwStore *store;    /* owned, opened on first use */
} PwCli;

typedef int (*PwCliCommandFunc) (PwCli  *cli,
                                 int     argc,
                                 char  **argv);

typedef struct {
  const char       *name;
  const char       *parameters;  /* e.g. "ADDRESS[:PORT]" */
  const char       *summary;     /* N_() */
  PwCliCommandFunc  run;
} PwCliCommand;

PwStore   *pw_cli_open_store      (PwCli           *cli,
                                   GError         **error);
PwAgent   *pw_cli_make_agent      (PwCli           *cli,
                                   GError         **error);
gboolean   pw_cli_parse_when      (const char      *text,
                                   gboolean         end_of_day,
                                   gint64          *unix_time,
                                   GError         **error);
GSettings *pw_cli_open_settings   (void);
int        pw_cli_fail            (const GError    *error);
int        pw_cli_usage_error     (const char      *format,
                                   ...) G_GNUC_PRINTF (1, 2);
gboolean   pw_cli_parse_options   (const char      *command,
                                   const char      *parameters,
                                   const char      *summary,
                                   GOptionEntry    *entries,
                                   int             *argc,
                                   char          ***argv,
                                   int              min_args,
                                   int              max_args,
                                   int             *exit_status);

PwDevice  *pw_cli_resolve_device  (PwStore         *store,
                                   const char      *text,
                                   GError         **error);
char      *pw_cli_pad             (const char      *text,
                                   guint            width);
char      *pw_cli_format_time     (gint64           unix_time);
char      *pw_cli_format_iso_time (gint64           unix_time);

typedef struct _PwCliTable PwCliTable;
PwCliTable *pw_cli_table_new      (guint            n_columns,
                                   const char      *first_header,
                                   ...) G_GNUC_NULL_TERMINATED;
void        pw_cli_table_add_row  (PwCliTable      *table,
                                   const char      *first_cell,
                                   ...);
PwCliTable *pw_cli_table_new_v    (guint               n_columns,
                                   const char * const *headers);
void        pw_cli_table_add_row_v (PwCliTable        *table,
                                   const char * const *cells);
void        pw_cli_table_print    (PwCliTable      *table,
                                   FILE            *stream);
void        pw_cli_table_free     (PwCliTable      *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwCliTable, pw_cli_table_free)

/* The SNMP options shared by discover and poll (pw-cli-snmp.c). */
typedef struct {
  char **communities;
  char  *version;
  char  *user;
  char  *auth_proto;
  char  *auth_pass;
  char  *priv_proto;
  char  *priv_pass;
  int    timeout;
  int    retries;
  int    concurrency;
  int    rate;
} PwCliSnmpOptions;

void          pw_cli_snmp_options_init        (PwCliSnmpOptions    *options);
void          pw_cli_snmp_options_clear       (PwCliSnmpOptions    *options);
GOptionEntry *pw_cli_snmp_options_entries     (PwCliSnmpOptions    *options,
                                               const GOptionEntry  *extra);
GPtrArray    *pw_cli_snmp_options_credentials (PwCliSnmpOptions    *options,
                                               GError             **error);
gboolean      pw_cli_snmp_options_given       (PwCliSnmpOptions    *options);
PwSnmpEngine *pw_cli_snmp_options_engine      (PwCliSnmpOptions    *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PwCliSnmpOptions, pw_cli_snmp_options_clear)

typedef struct {
  gboolean tty;
  gint64   last_draw;
  guint    last_decile;
} PwCliProgress;

void pw_cli_progress_init (PwCliProgress *progress);
void pw_cli_progress_draw (PwCliProgress *progress,
                           guint64        done,
                           guint64        total,
                           const char    *status,
                           gboolean       force);
void pw_cli_progress_end  (PwCliProgress *progress);

typedef struct {
  GCancellable *cancellable;
  guint         source;
} PwCliInterrupt;

void pw_cli_interrupt_init  (PwCliInterrupt *interrupt,
                             GCancellable   *cancellable);
void pw_cli_interrupt_clear (PwCliInterrupt *interrupt);

int pw_cli_add      (PwCli *cli, int argc, char **argv);
int pw_cli_discover (PwCli *cli, int argc, char **argv);
int pw_cli_list   (PwCli *cli, int argc, char **argv);
int pw_cli_poll     (PwCli *cli, int argc, char **argv);
int pw_cli_remove   (PwCli *cli, int argc, char **argv);
int pw_cli_show     (PwCli *cli, int argc, char **argv);
int pw_cli_history  (PwCli *cli, int argc, char **argv);
int pw_cli_report   (PwCli *cli, int argc, char **argv);
int pw_cli_status   (PwCli *cli, int argc, char **argv);
int pw_cli_payload  (PwCli *cli, int argc, char **argv);
int pw_cli_sync     (PwCli *cli, int argc, char **argv);
int pw_cli_daemon   (PwCli *cli, int argc, char **argv);
int pw_cli_notify   (PwCli *cli, int argc, char **argv);

G_END_DECLS
