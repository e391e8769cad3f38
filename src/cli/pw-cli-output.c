/* pw-cli-output.c: errors, option parsing, times and tables for the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <stdio.h>

/* Widest a cell may be before it is cut, so one long sysDescr cannot wreck the table. */
#define MAX_CELL_WIDTH 40

PwStore *
pw_cli_open_store (PwCli   *cli,
                   GError **error)
{
  g_autofree char *path = NULL;

  if (cli->store != NULL)
    return cli->store;

  path = pw_store_resolve_path (cli->db_path);
  if (!pw_store_ensure_default_dir (path, error))
    return NULL;
  cli->store = pw_store_open (path, error);
  return cli->store;
}

/* Printwatch's settings when its schema is installed; else NULL, and the
 * environment variables alone configure the agent. */
GSettings *
pw_cli_open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE)
                                                     : NULL;

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

PwAgent *
pw_cli_make_agent (PwCli   *cli,
                   GError **error)
{
  g_autoptr(GSettings) settings = pw_cli_open_settings ();
  g_autoptr(PwAgent) agent = NULL;
  PwStore *store;

  if ((store = pw_cli_open_store (cli, error)) == NULL)
    return NULL;
  agent = pw_agent_new (store);
  if (!pw_agent_configure (agent, settings, error))
    return NULL;
  return g_steal_pointer (&agent);
}

static void
print_error_line (const char *message)
{
  /* One line, whatever the message quotes (a hostile name may hold newlines). */
  g_autofree char *safe = pw_text_sanitize (message, -1, 0);

  g_printerr ("printwatch-cli: %s\n", safe);
}

int
pw_cli_fail (const GError *error)
{
  print_error_line (error->message);
  return PW_CLI_EXIT_FAILED;
}

int
pw_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_error_line (message);
  return PW_CLI_EXIT_USAGE;
}

/**
 * pw_cli_parse_options:
 * @argv: the command's arguments, argv[0] being the command name
 *
 * Parses a command's options; on a mistake prints one line and sets
 * @exit_status. Positional arguments are left in @argv from index 1.
 */
gboolean
pw_cli_parse_options (const char     *command,
                      const char     *parameters,
                      const char     *summary,
                      GOptionEntry   *entries,
                      int            *argc,
                      char         ***argv,
                      int             min_args,
                      int             max_args,
                      int            *exit_status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *usage = g_strdup_printf ("%s %s", command, parameters);
  int n_args;

  context = g_option_context_new (usage);
  g_option_context_set_summary (context, _(summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = pw_cli_usage_error (_("%s (see “printwatch-cli %s --help”)"),
                                         error->message, command);
      return FALSE;
    }
  n_args = *argc - 1;
  if (n_args < min_args || (max_args >= 0 && n_args > max_args))
    {
      *exit_status = pw_cli_usage_error (_("usage: printwatch-cli %s %s"), command, parameters);
      return FALSE;
    }
  return TRUE;
}

/* Local time for people: "2026-11-24 14:05", or "never". */
char *
pw_cli_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup (_("never"));
  utc = g_date_time_new_from_unix_utc (unix_time);
  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* ISO 8601 in UTC for machines, or NULL for "never". */
char *
pw_cli_format_iso_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (unix_time <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (unix_time);
  return utc != NULL ? g_date_time_format_iso8601 (utc) : NULL;
}

/* "2026-11-24" (local midnight; @end_of_day: the midnight after),
 * "2026-11-24 08:00" or "2026-11-24T08:00" (local), or a full ISO 8601 time
 * ("2026-11-24T08:00:00Z", local unless it names its zone). */
gboolean
pw_cli_parse_when (const char  *text,
                   gboolean     end_of_day,
                   gint64      *unix_time,
                   GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) when = NULL;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, n = 0;
  gint64 midnight = 0;
  char sep = 0;

  if (sscanf (text, "%4d-%2d-%2d%c%2d:%2d%n", &year, &month, &day, &sep, &hour, &minute, &n) == 6 &&
      (sep == 'T' || sep == ' ') && text[n] == '\0')
    when = g_date_time_new (local, year, month, day, hour, minute, 0);
  else if (pw_time_parse_day (text, end_of_day, &midnight))
    when = g_date_time_new_from_unix_local (midnight);
  else
    when = g_date_time_new_from_iso8601 (text, local);

  if (when == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a date: use 2026-11-24 or 2026-11-24T08:00"), text);
      return FALSE;
    }
  *unix_time = g_date_time_to_unix (when);
  return TRUE;
}

/* Tables */

struct _PwCliTable
{
  guint      n_columns;
  GPtrArray *cells;  /* owned, of owned strings, row-major; the first row is the header */
};

static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* @text followed by spaces up to @width terminal columns. */
char *
pw_cli_pad (const char *text,
            guint       width)
{
  GString *padded = g_string_new (text);

  for (guint w = display_width (text); w < width; w++)
    g_string_append_c (padded, ' ');
  return g_string_free (padded, FALSE);
}

/* Safe for a terminal and at most MAX_CELL_WIDTH columns wide. */
static char *
make_cell (const char *text)
{
  g_autofree char *safe = pw_text_sanitize (text != NULL ? text : "", -1, 0);
  GString *cut;
  guint width = 0;

  if (display_width (safe) <= MAX_CELL_WIDTH)
    return g_steal_pointer (&safe);

  cut = g_string_new (NULL);
  for (const char *p = safe; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (width + w > MAX_CELL_WIDTH - 1)
        break;
      g_string_append_unichar (cut, c);
      width += w;
    }
  g_string_append (cut, "…");
  return g_string_free (cut, FALSE);
}

static void
add_cells (PwCliTable *table,
           const char *first,
           va_list     args)
{
  const char *cell = first;

  for (guint i = 0; i < table->n_columns; i++)
    {
      g_ptr_array_add (table->cells, make_cell (cell));
      if (i + 1 < table->n_columns)
        cell = va_arg (args, const char *);
    }
}

PwCliTable *
pw_cli_table_new (guint       n_columns,
                  const char *first_header,
                  ...)
{
  PwCliTable *table = g_new0 (PwCliTable, 1);
  va_list args;

  table->n_columns = n_columns;
  table->cells = g_ptr_array_new_with_free_func (g_free);
  va_start (args, first_header);
  add_cells (table, first_header, args);
  va_end (args);
  return table;
}

/* Takes exactly as many cells as the table has columns; NULL is an empty cell. */
void
pw_cli_table_add_row (PwCliTable *table,
                      const char *first_cell,
                      ...)
{
  va_list args;

  va_start (args, first_cell);
  add_cells (table, first_cell, args);
  va_end (args);
}

/* A table whose columns are known only at run time. */
PwCliTable *
pw_cli_table_new_v (guint               n_columns,
                    const char * const *headers)
{
  PwCliTable *table = g_new0 (PwCliTable, 1);

  table->n_columns = n_columns;
  table->cells = g_ptr_array_new_with_free_func (g_free);
  pw_cli_table_add_row_v (table, headers);
  return table;
}

void
pw_cli_table_add_row_v (PwCliTable         *table,
                        const char * const *cells)
{
  for (guint i = 0; i < table->n_columns; i++)
    g_ptr_array_add (table->cells, make_cell (cells[i]));
}

void
pw_cli_table_print (PwCliTable *table,
                    FILE       *stream)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < table->cells->len; i++)
    widths[i % table->n_columns] = MAX (widths[i % table->n_columns],
                                        display_width (table->cells->pdata[i]));

  for (guint i = 0; i < table->cells->len; i++)
    {
      guint column = i % table->n_columns;
      const char *cell = table->cells->pdata[i];

      g_string_append (line, cell);
      if (column + 1 < table->n_columns)
        {
          for (guint pad = display_width (cell); pad < widths[column] + 2; pad++)
            g_string_append_c (line, ' ');
        }
      else
        {
          while (line->len > 0 && line->str[line->len - 1] == ' ')
            g_string_truncate (line, line->len - 1);
          fprintf (stream, "%s\n", line->str);
          g_string_truncate (line, 0);
        }
    }
}

void
pw_cli_table_free (PwCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->cells);
  g_free (table);
}
