/* pw-test-utils.h: helpers shared by the Printwatch tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char     *pw_test_make_tmpdir            (void);
void      pw_test_remove_tree            (const char  *path);
char     *pw_test_checksum_file          (const char  *path);
gboolean  pw_test_drop_dac_override      (void);
JsonObject *pw_test_load_walks_expected  (const char  *walks_dir,
                                          JsonParser  *parser);
void      pw_test_assert_safe_text       (const char  *text);
void      pw_test_init                   (int         *argc,
                                          char      ***argv,
                                          gboolean     isolate_dirs);

G_END_DECLS
