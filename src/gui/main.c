/* main.c: printwatch, the desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-application.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(PwApplication) application = NULL;
  /* The catalogs of a build tree, for the tests and `meson devenv`; LOCALEDIR is the installed one. */
  const char *localedir = g_getenv ("PRINTWATCH_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Printwatch"));
  application = pw_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
