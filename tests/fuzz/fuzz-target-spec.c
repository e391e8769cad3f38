/* fuzz-target-spec.c: what an admin types as targets and addresses.
 *
 * The first byte picks the default port, the second the address limit;
 * the rest is the text. It is parsed whole with pw_target_spec_parse ()
 * and line by line with pw_target_spec_parse_strv (), which must agree,
 * and iterated: every address it yields is one PwAddress accepts as it
 * is, none twice, as many as the count says. Each line is also parsed as
 * one PwAddress, whose text must parse back to the same address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"

#include <string.h>

/* Addresses iterated at most per input: a /8 is 16 million. */
#define MAX_ITERATED 4096

static void
check_address (const char *text,
               guint16     default_port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAddress) address = pw_address_parse (text, default_port, &error);
  g_autoptr(PwAddress) again = NULL;
  g_autofree char *shown = NULL;

  if (address == NULL)
    {
      if (error == NULL || error->domain != PW_ADDRESS_ERROR)
        g_error ("“%s” was refused without an address error", text);
      pw_fuzz_assert_utf8 (error->message, -1, "PwAddress's error message");
      return;
    }
  if (address->port == 0)
    g_error ("“%s” gave port 0", text);
  shown = pw_address_to_string (address);
  pw_fuzz_assert_utf8 (shown, -1, "an address");
  again = pw_address_parse (shown, PW_SNMP_DEFAULT_PORT, &error);
  if (again == NULL)
    g_error ("“%s” gave “%s”, which does not parse: %s", text, shown, error->message);
  if (!g_str_equal (again->host, address->host) || again->port != address->port || again->kind != address->kind)
    g_error ("“%s” gave “%s”, which parses to %s port %u", text, shown, again->host, again->port);
}

static GPtrArray *
iterate (PwTargetSpec *spec)
{
  GPtrArray *seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  PwTargetIter iter;
  const char *host;
  guint16 port;

  pw_target_spec_iter_init (&iter, spec);
  while (seen->len < MAX_ITERATED && pw_target_iter_next (&iter, &host, &port))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwAddress) address = pw_address_new_host (host, port, &error);
      char *key = g_strdup_printf ("%u %s", port, host);

      if (port == 0)
        g_error ("%s: port 0", host);
      if (address == NULL)
        g_error ("the spec yields “%s”, which is no address: %s", host, error->message);
      if (!g_str_equal (address->host, host))
        g_error ("the spec yields “%s”, not in canonical form “%s”", host, address->host);
      if (!g_hash_table_add (set, key))
        g_error ("the spec yields %s twice", key);
      g_ptr_array_add (seen, key);
    }
  if (seen->len < MAX_ITERATED && seen->len != pw_target_spec_get_count (spec))
    g_error ("the spec counts %" G_GUINT64_FORMAT " addresses and yields %u",
             pw_target_spec_get_count (spec), seen->len);
  return seen;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const guint16 ports[] = { PW_SNMP_DEFAULT_PORT, 1161, 65535, 1 };
  static const guint64 limits[] = { 0, 1, 300, G_MAXUINT64 };
  guint16 port;
  guint64 limit;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) strv_error = NULL;
  g_autoptr(PwTargetSpec) spec = NULL;
  g_autoptr(PwTargetSpec) strv_spec = NULL;

  if (size < 2)
    return 0;
  port = ports[data[0] % G_N_ELEMENTS (ports)];
  limit = limits[data[1] % G_N_ELEMENTS (limits)];
  text = g_strndup ((const char *) data + 2, size - 2);
  lines = g_strsplit (text, "\n", -1);

  spec = pw_target_spec_parse (text, port, limit, &error);
  strv_spec = pw_target_spec_parse_strv ((const char * const *) lines, port, limit, &strv_error);
  if ((spec == NULL) != (strv_spec == NULL))
    g_error ("whole, the text %s; line by line, %s", spec != NULL ? "parses" : error->message,
             strv_spec != NULL ? "it parses" : strv_error->message);
  if (spec == NULL)
    {
      if (error == NULL || error->domain != PW_TARGET_SPEC_ERROR || !g_error_matches (strv_error, error->domain, error->code))
        g_error ("the text was refused without the same target-spec error both ways");
      pw_fuzz_assert_utf8 (error->message, -1, "PwTargetSpec's error message");
    }
  else
    {
      g_autoptr(GPtrArray) whole = iterate (spec);
      g_autoptr(GPtrArray) by_line = iterate (strv_spec);

      if (pw_target_spec_get_count (spec) != pw_target_spec_get_count (strv_spec) ||
          pw_target_spec_get_n_hostnames (spec) != pw_target_spec_get_n_hostnames (strv_spec) ||
          whole->len != by_line->len)
        g_error ("whole and line by line, the text gives different addresses");
      for (guint i = 0; i < whole->len; i++)
        if (!g_str_equal (whole->pdata[i], by_line->pdata[i]))
          g_error ("whole and line by line, address %u differs: %s and %s", i,
                   (char *) whole->pdata[i], (char *) by_line->pdata[i]);
      if (pw_target_spec_get_count (spec) > (limit != 0 ? limit : PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES))
        g_error ("the spec holds more addresses than the limit");
    }

  for (guint i = 0; lines[i] != NULL && i < 64; i++)
    check_address (lines[i], port);
  return 0;
}
