/* test-text.c: text from printers made safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

static void
check (const char *input,
       gssize      len,
       gsize       max,
       const char *expected)
{
  g_autofree char *out = pw_text_sanitize (input, len, max);

  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_cmpstr (out, ==, expected);
}

static void
test_sanitize (void)
{
  check ("HP LaserJet", -1, 0, "HP LaserJet");
  check ("Gro\xdf" "e Halle", -1, 0, "Große Halle");             /* ISO 8859-1 */
  check ("Büro", -1, 0, "Büro");                                  /* already UTF-8 */
  check ("  padded  ", -1, 0, "padded");
  check ("HP\0\0garbage", 12, 0, "HP");                           /* NUL padding */
  check ("line1\r\nline2\ttab", -1, 0, "line1  line2 tab");
  check ("\x1b[31mred\x1b[0m", -1, 0, "\xef\xbf\xbd[31mred\xef\xbf\xbd[0m");
  check ("a\xe2\x80\xae" "b\xe2\x81\xa6" "c", -1, 0, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");  /* bidi */
  check ("\x7f\xc2\x85", -1, 0, "\xef\xbf\xbd\xef\xbf\xbd");      /* DEL, C1 NEL */
  check ("abcdef", -1, 3, "abc…");
  check ("äöüß", -1, 4, "äöüß");
  check (NULL, -1, 0, "");
  check ("", 0, 0, "");
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/text/sanitize", test_sanitize);

  return g_test_run ();
}
