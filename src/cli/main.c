/* main.c: printwatch-cli, the headless front end on the Printwatch core.
 *
 * printwatch-cli [--database PATH] COMMAND [OPTIONS] [ARGUMENTS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

static const PwCliCommand commands[] = {
  { "add", "ADDRESS[:PORT]", N_("Add a printer by IP address or host name"), pw_cli_add },
  { "discover", "TARGET…", N_("Find the printers on networks, ranges or addresses"), pw_cli_discover },
  { "list", "[--json]", N_("List the printers and their latest state"), pw_cli_list },
  { "poll", "[ADDRESS[:PORT]|ID…] [--all]", N_("Read meters, supplies, status and alerts now"), pw_cli_poll },
  { "remove", "ADDRESS[:PORT]|ID", N_("Remove a printer and its history"), pw_cli_remove },
  { "show", "ADDRESS[:PORT]|ID", N_("Show everything known about a printer"), pw_cli_show },
  { "history", "ADDRESS[:PORT]|ID", N_("Show a printer’s meter reads over a period"), pw_cli_history },
  { "report", "-k KIND -f csv|html", N_("Write an audit report as CSV or HTML"), pw_cli_report },
  { "status", "", N_("Show the sync window: last data, last server contact, next transmission"), pw_cli_status },
  { "payload", "[--new]", N_("Print what is sent next to the collection server, byte for byte"), pw_cli_payload },
  { "sync", "[--now] [--retry]", N_("Poll and send to the collection server, at the daily time or now"),
    pw_cli_sync },
  { "daemon", "", N_("Run headless, sending every day at the daily time"), pw_cli_daemon },
  { "notify", "[--test|--check|--retry]", N_("Show, check and send the e-mail notifications"), pw_cli_notify },
};

static char *
commands_description (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *call = g_strdup_printf ("%s %s", commands[i].name, commands[i].parameters);

      g_string_append_printf (text, "\n  %-26s %s", call, _(commands[i].summary));
    }
  g_string_append_printf (text, "\n\n%s\n%s",
                          _("The database is $PRINTWATCH_DB when set, else the default under "
                            "the XDG data folder."),
                          _("Run “printwatch-cli COMMAND --help” for a command’s options."));
  return g_string_free (text, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *db_path = NULL;
  gboolean version = FALSE;
  const PwCliCommand *command = NULL;
  PwCli cli = { 0 };
  int status;
  /* The catalogs of a build tree, for the tests and `meson devenv`; LOCALEDIR is the installed one. */
  const char *localedir = g_getenv ("PRINTWATCH_LOCALEDIR");
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The database file (default: $PRINTWATCH_DB, else under the XDG data folder)"),
      N_("PATH") },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, N_("Show the version and quit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  description = commands_description ();
  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Printwatch finds the network printers of an office, "
                                           "reads their meters and supplies, and keeps them."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Stop at the command: what follows it is the command's own. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pw_cli_usage_error (_("%s (see “printwatch-cli --help”)"), error->message);

  if (version)
    {
      g_print ("printwatch-cli %s\n", PACKAGE_VERSION);
      return PW_CLI_EXIT_OK;
    }
  if (argc < 2)
    return pw_cli_usage_error (_("no command given (see “printwatch-cli --help”)"));

  for (guint i = 0; i < G_N_ELEMENTS (commands) && command == NULL; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      command = &commands[i];
  if (command == NULL)
    return pw_cli_usage_error (_("unknown command “%s” (see “printwatch-cli --help”)"), argv[1]);

  cli.db_path = g_steal_pointer (&db_path);
  status = command->run (&cli, argc - 1, argv + 1);

  g_clear_object (&cli.store);
  g_free (cli.db_path);
  return status;
}
