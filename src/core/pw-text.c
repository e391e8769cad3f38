/* pw-text.c: making text from printers and the network safe to keep and show.
 *
 * Everything a printer says is untrusted: octet strings arrive in any
 * encoding, padded with NULs, and may carry terminal escapes or bidi
 * overrides that would forge what an admin sees in a table or a report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-text"

#include "pw-text.h"

#include <string.h>

static gboolean
is_unsafe_char (gunichar c)
{
  /* C0 and C1 controls, DEL, and the bidi embedding/override/isolate marks
   * (Unicode TR 9) that can reorder what surrounds them on screen. */
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0xfeff;
}

/**
 * pw_text_sanitize:
 * @data: bytes as received, in any encoding
 * @len: length of @data, or -1 if NUL-terminated
 * @max_chars: longest result in characters, or 0 for no limit
 *
 * Turns untrusted bytes into printable UTF-8: the text ends at the first NUL
 * (printers pad fixed-size fields with them); bytes that are not UTF-8 are
 * read as ISO 8859-1, which printer firmware uses most often; whitespace
 * controls become spaces and other controls U+FFFD; leading and trailing
 * spaces go; anything longer than @max_chars is cut with an ellipsis.
 *
 * Returns: (transfer full): the safe text, never %NULL
 */
char *
pw_text_sanitize (const char *data,
                  gssize      len,
                  gsize       max_chars)
{
  g_autofree char *utf8 = NULL;
  GString *out;
  const char *nul;
  const char *p;
  gsize n_chars = 0;

  if (data == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (data);
  nul = memchr (data, '\0', len);
  if (nul != NULL)
    len = nul - data;

  if (g_utf8_validate_len (data, len, NULL))
    utf8 = g_strndup (data, len);
  else
    utf8 = g_convert (data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (utf8 == NULL)  /* cannot happen for ISO 8859-1, but never trust iconv */
    utf8 = g_utf8_make_valid (data, len);

  out = g_string_sized_new (strlen (utf8));
  for (p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (max_chars > 0 && n_chars == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
        g_string_append_c (out, ' ');
      else if (is_unsafe_char (c))
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_unichar (out, c);
      n_chars++;
    }

  return g_strstrip (g_string_free (out, FALSE));
}
