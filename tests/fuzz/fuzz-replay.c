/* fuzz-replay.c: a fuzz target without libFuzzer, for builds with any compiler.
 *
 * Usage: fuzz-<target> PATH...
 *
 * Runs the target once on each file named, and on each file in each folder
 * named (in name order), as libFuzzer runs it on a crash's input; prints
 * TAP. A folder that does not exist holds no inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  names = g_ptr_array_new_with_free_func (g_free);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    if (g_file_test (names->pdata[i], G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (files, g_strdup (names->pdata[i]));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  if (files->len == 0)
    {
      g_print ("1..0 # SKIP no inputs\n");
      return 0;
    }
  g_print ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (files->pdata[i], &contents, &len, &error))
        {
          g_print ("not ok %u - %s: %s\n", i + 1, (char *) files->pdata[i], error->message);
          continue;
        }
      LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
      g_print ("ok %u - %s\n", i + 1, (char *) files->pdata[i]);
    }
  return 0;
}
