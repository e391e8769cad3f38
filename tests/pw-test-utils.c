/* pw-test-utils.c: helpers shared by the Printwatch tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-utils.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <linux/capability.h>
#include <locale.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *isolated_home;

static void
remove_isolated_home (void)
{
  pw_test_remove_tree (isolated_home);
  g_free (isolated_home);
}

/* @isolate_dirs: point the XDG folders at a private, temporary home, so
 * nothing a test writes lands in the user's. GUI tests keep the system's
 * data folders, where GTK finds its schemas and icon themes.
 *
 * This is done here rather than with G_TEST_OPTION_ISOLATE_DIRS, whose
 * folder swapping in GLib 2.74 leaks the strings it replaces. */
void
pw_test_init (int        *argc,
              char     ***argv,
              gboolean    isolate_dirs)
{
  /* Messages are asserted in English; the German run is its own test. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("PRINTWATCH_DB");
  setlocale (LC_ALL, "");

  if (isolate_dirs)
    {
      static const char * const vars[][2] = {
        { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
        { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
        { "XDG_RUNTIME_DIR", "runtime" }, { "HOME", "home" },
      };

      isolated_home = g_dir_make_tmp ("printwatch-home-XXXXXX", NULL);
      g_assert_nonnull (isolated_home);
      for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
        {
          g_autofree char *dir = g_build_filename (isolated_home, vars[i][1], NULL);

          g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
          g_setenv (vars[i][0], dir, TRUE);
        }
      atexit (remove_isolated_home);
    }
  g_test_init (argc, argv, NULL);
}

/* A fresh folder under the test's temporary directory. */
char *
pw_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("printwatch-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pw_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      pw_test_remove_tree (child);
    }
  g_rmdir (path);
}

char *
pw_test_checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* Tests run as root in CI, where permission bits do not bind; dropping
 * CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from this process makes them
 * bind as for any user. Call it in a subprocess (g_test_trap_subprocess). */
gboolean
pw_test_drop_dac_override (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };

  if (geteuid () != 0)
    return TRUE;
  if (syscall (SYS_capget, &header, data) != 0)
    return FALSE;
  /* access(2) run by root checks the permitted set, so clear it there too. */
  data[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
  data[0].permitted &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
  return syscall (SYS_capset, &header, data) == 0;
}

/* The corpus's expected.json: one object per recording, keyed by its name.
 * @parser keeps the returned object alive. */
JsonObject *
pw_test_load_walks_expected (const char *walks_dir,
                             JsonParser *parser)
{
  g_autofree char *path = g_build_filename (walks_dir, "expected.json", NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* Text fit to show: present, UTF-8, no C0 control or DEL. */
void
pw_test_assert_safe_text (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      g_error ("control character 0x%02x in “%s”", (guchar) *p, text);
}
