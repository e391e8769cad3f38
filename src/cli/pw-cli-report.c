/* pw-cli-report.c: printwatch-cli report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"
#include "pw-enums.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#define REPORT_PARAMETERS \
  "--kind fleet|meters|supplies|alerts|sync-log --format csv|html [--from DATE] [--to DATE] " \
  "[--separator ,|;] [--decimal .|,] [--output FILE]"

typedef struct {
  GMainLoop *loop;
  GError    *error;
} Run;

static gboolean
parse_enum (GType        type,
            const char  *option,
            const char  *text,
            int         *value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *found = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (found != NULL)
    *value = found->value;
  else
    {
      g_autoptr(GString) choices = g_string_new (NULL);

      for (guint i = 0; i < klass->n_values; i++)
        g_string_append_printf (choices, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
      if (text == NULL)
        pw_cli_usage_error (_("%s is missing: choose %s"), option, choices->str);
      else
        pw_cli_usage_error (_("“%s” is no choice for %s: choose %s"), text, option, choices->str);
    }
  g_type_class_unref (klass);
  return found != NULL;
}

/* @text must be exactly one of the two characters. */
static gboolean
parse_mark (const char *option,
            const char *text,
            const char  choices[2],
            char       *mark)
{
  if (text == NULL)
    return TRUE;
  if (text[0] != '\0' && text[1] == '\0' && (text[0] == choices[0] || text[0] == choices[1]))
    {
      *mark = text[0];
      return TRUE;
    }
  pw_cli_usage_error (_("“%s” is no choice for %s: choose “%c” or “%c”"), text, option, choices[0], choices[1]);
  return FALSE;
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  pw_report_write_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;

  pw_report_save_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

int
pw_cli_report (PwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GOutputStream) stdout_stream = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *separator_text = NULL;
  g_autofree char *decimal_text = NULL;
  g_autofree char *output = NULL;
  PwReportOptions options;
  PwCliInterrupt interrupt;
  Run run = { 0 };
  int kind = 0, format = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_text,
      N_("The report: fleet, meters, supplies, alerts or sync-log"), N_("KIND") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_("csv or html"), N_("FORMAT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("First day or time (default: 30 days ago)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Last day, included, or time (default: now)"),
      N_("DATE") },
    { "separator", 0, 0, G_OPTION_ARG_STRING, &separator_text,
      N_("CSV field separator: “,” or “;” (default: your language’s)"), N_("CHAR") },
    { "decimal", 0, 0, G_OPTION_ARG_STRING, &decimal_text,
      N_("Decimal mark: “.” or “,” (default: your language’s)"), N_("CHAR") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE, whole or not at all (default: standard output)"), N_("FILE") },
    { NULL }
  };

  if (!pw_cli_parse_options ("report", REPORT_PARAMETERS,
                             N_("Write an audit report of the fleet as CSV or HTML."),
                             entries, &argc, &argv, 0, 0, &status))
    return status;

  pw_report_options_init (&options);
  if (!parse_enum (PW_TYPE_REPORT_KIND, "--kind", kind_text, &kind) ||
      !parse_enum (PW_TYPE_REPORT_FORMAT, "--format", format_text, &format) ||
      !parse_mark ("--separator", separator_text, ",;", &options.separator) ||
      !parse_mark ("--decimal", decimal_text, ".,", &options.decimal))
    return PW_CLI_EXIT_USAGE;
  options.kind = kind;
  options.format = format;
  if (from_text != NULL || to_text != NULL)
    {
      options.from = now - PW_REPORT_DEFAULT_DAYS * 86400;
      options.to = now + 1;
      if ((from_text != NULL && !pw_cli_parse_when (from_text, FALSE, &options.from, &error)) ||
          (to_text != NULL && !pw_cli_parse_when (to_text, TRUE, &options.to, &error)))
        return pw_cli_usage_error ("%s", error->message);
      if (from_text == NULL)
        options.from = options.to - PW_REPORT_DEFAULT_DAYS * 86400;
      if (options.from >= options.to)
        return pw_cli_usage_error (_("The period ends before it begins"));
    }

  if ((agent = pw_cli_make_agent (cli, &error)) == NULL)
    return pw_cli_fail (error);
  options.site_name = pw_agent_get_site_name (agent);

  run.loop = g_main_loop_new (NULL, FALSE);
  pw_cli_interrupt_init (&interrupt, cancellable);
  if (output != NULL)
    {
      file = g_file_new_for_commandline_arg (output);
      pw_report_save_async (pw_agent_get_store (agent), &options, file, cancellable, saved_cb, &run);
    }
  else
    {
      stdout_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      pw_report_write_async (pw_agent_get_store (agent), &options, stdout_stream, cancellable, written_cb, &run);
    }
  g_main_loop_run (run.loop);
  pw_cli_interrupt_clear (&interrupt);
  g_main_loop_unref (run.loop);

  if (run.error != NULL)
    status = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           ? PW_CLI_EXIT_INTERRUPTED : pw_cli_fail (run.error);
  g_clear_error (&run.error);
  return status;
}
