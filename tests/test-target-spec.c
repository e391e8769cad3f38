/* test-target-spec.c: what an admin types to say which addresses to sweep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <string.h>

static PwTargetSpec *
parse_ok (const char *text,
          guint64     max_addresses)
{
  g_autoptr(GError) error = NULL;
  PwTargetSpec *spec = pw_target_spec_parse (text, 161, max_addresses, &error);

  g_assert_no_error (error);
  g_assert_true (PW_IS_TARGET_SPEC (spec));
  return spec;
}

/* Every target as "HOST:PORT" ("[IPV6]:PORT"), in iteration order, one
 * space between; checks that the iterator yields exactly the count. */
static char *
list_targets (PwTargetSpec *spec)
{
  GString *out = g_string_new (NULL);
  PwTargetIter iter;
  const char *host = NULL;
  guint16 port = 0;
  guint64 n = 0;

  pw_target_spec_iter_init (&iter, spec);
  while (pw_target_iter_next (&iter, &host, &port))
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (strchr (host, ':') != NULL)
        g_string_append_printf (out, "[%s]:%u", host, port);
      else
        g_string_append_printf (out, "%s:%u", host, port);
      n++;
    }
  g_assert_false (pw_target_iter_next (&iter, &host, &port));
  g_assert_cmpuint (n, ==, pw_target_spec_get_count (spec));
  return g_string_free (out, FALSE);
}

/* An error message shows the user what they typed, so it must be text a
 * terminal or a label can show as is: UTF-8, no controls, not endless. */
static void
assert_safe_message (const char *message)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_cmpuint (strlen (message), <, 1024);
  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_false (c >= 0x202a && c <= 0x202e);
      g_assert_false (c >= 0x2066 && c <= 0x2069);
    }
}

static void
assert_error_quotes (const GError *error,
                     const char   *token)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", token);

  assert_safe_message (error->message);
  if (strstr (error->message, quoted) == NULL)
    g_error ("“%s” does not quote %s", error->message, quoted);
}

static void
test_forms (void)
{
  static const struct {
    const char *text;
    const char *targets;
    guint n_hostnames;
  } cases[] = {
    { "10.0.0.5", "10.0.0.5:161", 0 },
    { "10.0.0.5:1161", "10.0.0.5:1161", 0 },
    { "255.255.255.255", "255.255.255.255:161", 0 },
    { "10.0.0.1-10.0.0.3", "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161", 0 },
    { "10.0.0.1-3", "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161", 0 },
    { "10.0.0.1-10.0.0.3:1161", "10.0.0.1:1161 10.0.0.2:1161 10.0.0.3:1161", 0 },
    { "10.0.0.1-3:1161", "10.0.0.1:1161 10.0.0.2:1161 10.0.0.3:1161", 0 },
    { "10.0.0.1 - 10.0.0.3", "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161", 0 },
    { "10.0.0.1 -3", "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161", 0 },
    { "10.0.0.7-7", "10.0.0.7:161", 0 },
    /* A range is taken as typed, .255 and .0 included. */
    { "10.0.0.254-10.0.1.1", "10.0.0.254:161 10.0.0.255:161 10.0.1.0:161 10.0.1.1:161", 0 },
    { "255.255.255.254-255.255.255.255", "255.255.255.254:161 255.255.255.255:161", 0 },
    { "10.0.0.0/30", "10.0.0.1:161 10.0.0.2:161", 0 },
    { "10.0.0.0/31", "10.0.0.0:161 10.0.0.1:161", 0 },
    { "10.0.0.9/32", "10.0.0.9:161", 0 },
    { "0.0.0.0/31", "0.0.0.0:161 0.0.0.1:161", 0 },
    { "255.255.255.255/32", "255.255.255.255:161", 0 },
    /* An interface's address with its prefix means its network. */
    { "10.0.0.6/30:1161", "10.0.0.5:1161 10.0.0.6:1161", 0 },
    { "Printer7.LAN", "printer7.lan:161", 1 },
    { "printer7.lan:1161", "printer7.lan:1161", 1 },
    { "hp-m880", "hp-m880:161", 1 },
    { "drucker-büro.example", "xn--drucker-bro-1hb.example:161", 1 },
    { "fe80::1", "[fe80::1]:161", 0 },
    { "[fe80::1]:1161", "[fe80::1]:1161", 0 },
    { "[2001:DB8::10]", "[2001:db8::10]:161", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PwTargetSpec) spec = parse_ok (cases[i].text, 0);
      g_autofree char *targets = list_targets (spec);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (targets, ==, cases[i].targets);
      g_assert_cmpuint (pw_target_spec_get_n_hostnames (spec), ==, cases[i].n_hostnames);
    }
}

static void
test_counts (void)
{
  static const struct {
    const char *text;
    guint64 count;
    const char *first;
    const char *last;
  } cases[] = {
    { "10.1.2.0/24", 254, "10.1.2.1", "10.1.2.254" },
    { "10.1.2.77/24", 254, "10.1.2.1", "10.1.2.254" },
    { "10.1.2.0/30", 2, "10.1.2.1", "10.1.2.2" },
    { "10.1.2.0/31", 2, "10.1.2.0", "10.1.2.1" },
    { "10.1.2.3/32", 1, "10.1.2.3", "10.1.2.3" },
    { "10.1.0.0/16", 65534, "10.1.0.1", "10.1.255.254" },
    { "10.1.2.0-10.1.2.255", 256, "10.1.2.0", "10.1.2.255" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PwTargetSpec) spec = parse_ok (cases[i].text, 0);
      g_autofree char *first = NULL;
      char last[16] = "";
      guint32 previous = 0;
      PwTargetIter iter;
      const char *host = NULL;
      guint16 port = 0;
      guint64 n = 0;

      g_assert_cmpuint (pw_target_spec_get_count (spec), ==, cases[i].count);
      pw_target_spec_iter_init (&iter, spec);
      while (pw_target_iter_next (&iter, &host, &port))
        {
          g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
          guint32 value;

          g_assert_nonnull (inet);
          memcpy (&value, g_inet_address_to_bytes (inet), sizeof value);
          value = g_ntohl (value);
          if (n > 0)
            g_assert_cmpuint (value, ==, previous + 1);
          previous = value;
          if (first == NULL)
            first = g_strdup (host);
          g_strlcpy (last, host, sizeof last);
          g_assert_cmpuint (port, ==, 161);
          n++;
        }
      g_assert_cmpuint (n, ==, cases[i].count);
      g_assert_cmpstr (first, ==, cases[i].first);
      g_assert_cmpstr (last, ==, cases[i].last);
    }
}

/* A /8 is one interval: its count comes without 16 M addresses in memory. */
static void
test_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTargetSpec) refused = pw_target_spec_parse ("10.0.0.0/8", 161, 0, &error);
  g_autoptr(PwTargetSpec) spec = NULL;
  g_autoptr(PwTargetSpec) everything = NULL;
  PwTargetIter iter;
  const char *host = NULL;
  guint16 port = 0;

  g_assert_null (refused);
  g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_TOO_LARGE);
  assert_error_quotes (error, "10.0.0.0/8");
  /* The C locale does not group digits. */
  g_assert_nonnull (strstr (error->message, "16777214"));
  g_assert_nonnull (strstr (error->message, "65536"));

  spec = parse_ok ("10.0.0.0/8", G_MAXUINT64);
  g_assert_cmpuint (pw_target_spec_get_count (spec), ==, 16777214);
  pw_target_spec_iter_init (&iter, spec);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *expected = g_strdup_printf ("10.0.0.%u", i);

      g_assert_true (pw_target_iter_next (&iter, &host, &port));
      g_assert_cmpstr (host, ==, expected);
    }

  everything = parse_ok ("0.0.0.0/0, 0.0.0.0/0:1161", G_MAXUINT64);
  g_assert_cmpuint (pw_target_spec_get_count (everything), ==, 2 * (G_GUINT64_CONSTANT (4294967296) - 2));
}

static void
test_limits (void)
{
  static const struct {
    const char *text;
    guint64 max_addresses;
    const char *quoted;  /* NULL: the list as a whole is too large */
    const char *count;
  } refused[] = {
    { "10.0.0.0/28", 10, "10.0.0.0/28", "14" },
    { "10.0.0.1, 10.0.0.1-11", 10, "10.0.0.1-11", "11" },
    { "10.0.0.1-6, 10.0.1.1-6", 10, NULL, "12" },
    { "10.0.0.1-6, 10.0.0.1-6:1161", 10, NULL, "12" },
    { "a.lan, b.lan, c.lan", 2, NULL, "3" },
    { "10.0.0.0/15", 0, "10.0.0.0/15", "131070" },
    { "10.0.0.0/16, 10.1.0.0/16", 0, NULL, "131068" },
  };
  static const struct {
    const char *text;
    guint64 max_addresses;
    guint64 count;
  } accepted[] = {
    { "10.0.0.1-10", 10, 10 },
    { "10.0.0.1-6, 10.0.0.3-9", 10, 9 },
    { "10.0.0.0/16", 0, 65534 },
    { "10.0.0.0-10.0.255.255", 0, 65536 },
    { "10.0.0.0/8, 10.0.0.0/8, 10.1.2.3", 16777214, 16777214 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwTargetSpec) spec = pw_target_spec_parse (refused[i].text, 161,
                                                           refused[i].max_addresses, &error);
      g_autofree char *limit = g_strdup_printf (" %" G_GUINT64_FORMAT,
                                                refused[i].max_addresses != 0 ? refused[i].max_addresses
                                                : PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES);
      g_autofree char *count = g_strdup_printf (" %s ", refused[i].count);

      g_test_message ("%s", refused[i].text);
      g_assert_null (spec);
      g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_TOO_LARGE);
      if (refused[i].quoted != NULL)
        assert_error_quotes (error, refused[i].quoted);
      assert_safe_message (error->message);
      g_assert_nonnull (strstr (error->message, count));
      g_assert_true (g_str_has_suffix (error->message, limit));
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(PwTargetSpec) spec = parse_ok (accepted[i].text, accepted[i].max_addresses);

      g_assert_cmpuint (pw_target_spec_get_count (spec), ==, accepted[i].count);
    }
}

static void
test_separators (void)
{
  static const char * const texts[] = {
    "10.0.0.1,10.0.0.2;10.0.0.3 10.0.0.4\t10.0.0.5\n10.0.0.6\r\n10.0.0.7",
    /* a column pasted from a spreadsheet */
    "10.0.0.1\r\n10.0.0.2\r\n10.0.0.3\r\n10.0.0.4\r\n10.0.0.5\r\n10.0.0.6\r\n10.0.0.7\r\n\r\n",
    /* a file with a byte order mark, no-break spaces from a web page */
    "\xef\xbb\xbf" "10.0.0.1,\xc2\xa0" "10.0.0.2\xc2\xa0" "10.0.0.3\xe2\x80\x83" "10.0.0.4\v10.0.0.5\f10.0.0.6\xe2\x80\xa8" "10.0.0.7",
    ",, ;10.0.0.1 ,, 10.0.0.2 ;; 10.0.0.3 , ,\n10.0.0.4\n\n\n10.0.0.5,\t10.0.0.6;\t10.0.0.7;;",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(PwTargetSpec) spec = parse_ok (texts[i], 0);
      g_autofree char *targets = list_targets (spec);

      g_assert_cmpstr (targets, ==,
                       "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161 10.0.0.4:161 "
                       "10.0.0.5:161 10.0.0.6:161 10.0.0.7:161");
    }
}

static void
test_mixed (void)
{
  g_autoptr(PwTargetSpec) spec = parse_ok ("printer7.lan:1161, 10.0.0.0/30; fe80::1 10.0.0.9-10:1161\n"
                                           "[fe80::2]:1161, hp-m880\t10.0.0.20", 0);
  g_autofree char *targets = list_targets (spec);

  /* IPv4 by port, then ascending; the rest as given. */
  g_assert_cmpstr (targets, ==,
                   "10.0.0.1:161 10.0.0.2:161 10.0.0.20:161 10.0.0.9:1161 10.0.0.10:1161 "
                   "printer7.lan:1161 [fe80::1]:161 [fe80::2]:1161 hp-m880:161");
  g_assert_cmpuint (pw_target_spec_get_count (spec), ==, 9);
  g_assert_cmpuint (pw_target_spec_get_n_hostnames (spec), ==, 2);
}

static void
test_default_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTargetSpec) spec = pw_target_spec_parse ("10.0.0.1, printer7.lan, fe80::1, 10.0.0.2:161",
                                                       1161, 0, &error);
  g_autofree char *targets = NULL;

  g_assert_no_error (error);
  targets = list_targets (spec);
  g_assert_cmpstr (targets, ==, "10.0.0.2:161 10.0.0.1:1161 printer7.lan:1161 [fe80::1]:1161");
}

static void
test_merge (void)
{
  static const struct {
    const char *text;
    const char *targets;  /* NULL: check the count only */
    guint64 count;
    guint n_hostnames;
  } cases[] = {
    { "10.0.0.0/24, 10.0.0.10-10.0.0.20, 10.0.0.5, 10.0.0.5, 10.0.0.200-10.0.1.5", NULL, 261, 0 },
    { "10.0.0.1-5, 10.0.0.6-9", NULL, 9, 0 },
    { "10.0.0.3, 10.0.0.1-2, 10.0.0.4", "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161 10.0.0.4:161", 4, 0 },
    { "10.0.0.1-10.0.0.9, 10.0.0.2-10.0.0.3", NULL, 9, 0 },
    { "10.0.0.1, 10.0.0.1:161, 10.0.0.1:1161", "10.0.0.1:161 10.0.0.1:1161", 2, 0 },
    { "printer7.lan, PRINTER7.lan, printer7.lan:161, printer7.lan:1161",
      "printer7.lan:161 printer7.lan:1161", 2, 2 },
    { "fe80::1, fe80:0:0::1, [fe80::1]:161, [FE80::1], [fe80::1]:1161",
      "[fe80::1]:161 [fe80::1]:1161", 2, 0 },
    { "255.255.255.250-255.255.255.255, 255.255.255.255, 255.255.255.252/30", NULL, 6, 0 },
    { "0.0.0.0-0.0.0.3, 0.0.0.0/31", NULL, 4, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PwTargetSpec) spec = parse_ok (cases[i].text, 0);
      g_autofree char *targets = list_targets (spec);

      g_test_message ("%s", cases[i].text);
      if (cases[i].targets != NULL)
        g_assert_cmpstr (targets, ==, cases[i].targets);
      g_assert_cmpuint (pw_target_spec_get_count (spec), ==, cases[i].count);
      g_assert_cmpuint (pw_target_spec_get_n_hostnames (spec), ==, cases[i].n_hostnames);
    }
}

static void
test_order (void)
{
  g_autoptr(PwTargetSpec) spec = parse_ok ("10.0.0.9, 10.0.0.1:1161, 10.0.0.3, 10.0.0.2:1161, 10.0.0.1, "
                                           "10.0.0.2:162, 9.255.255.255", 0);
  g_autofree char *targets = list_targets (spec);

  g_assert_cmpstr (targets, ==,
                   "9.255.255.255:161 10.0.0.1:161 10.0.0.3:161 10.0.0.9:161 "
                   "10.0.0.2:162 10.0.0.1:1161 10.0.0.2:1161");
}

static void
test_iter (void)
{
  g_autoptr(PwTargetSpec) spec = parse_ok ("10.0.0.1-2, printer7.lan", 0);
  g_autofree char *first = list_targets (spec);
  g_autofree char *second = list_targets (spec);
  PwTargetIter iter;
  guint n = 0;

  /* Iterating does not use the spec up, and the out arguments are optional. */
  g_assert_cmpstr (first, ==, second);
  pw_target_spec_iter_init (&iter, spec);
  while (pw_target_iter_next (&iter, NULL, NULL))
    n++;
  g_assert_cmpuint (n, ==, 3);
  g_assert_false (pw_target_iter_next (&iter, NULL, NULL));
}

static void
test_strv (void)
{
  static const char * const argv[] = {
    "10.0.0.1", "10.0.0.2,10.0.0.3", "printer7.lan:1161", "10.0.0.0/30", "10.0.0.1", NULL,
  };
  static const char * const split_range[] = { "10.0.0.1", "-", "10.0.0.3", NULL };
  static const char * const blanks[] = { "", " ", ",\n", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTargetSpec) spec = pw_target_spec_parse_strv (argv, 161, 0, &error);
  g_autoptr(PwTargetSpec) refused = NULL;
  g_autofree char *targets = NULL;

  g_assert_no_error (error);
  targets = list_targets (spec);
  g_assert_cmpstr (targets, ==, "10.0.0.1:161 10.0.0.2:161 10.0.0.3:161 printer7.lan:1161");

  /* Each argument is its own text: the shell already split them. */
  refused = pw_target_spec_parse_strv (split_range, 161, 0, &error);
  g_assert_null (refused);
  g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID);
  assert_error_quotes (error, "-");
  g_clear_error (&error);

  g_assert_null (pw_target_spec_parse_strv (blanks, 161, 0, &error));
  g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (pw_target_spec_parse_strv (none, 161, 0, &error));
  g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (pw_target_spec_parse_strv (NULL, 161, 0, &error));
  g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_EMPTY);
}

static void
test_empty (void)
{
  static const char * const texts[] = { "", "   ", ",;\n\r\n\t", "\xef\xbb\xbf", "\xc2\xa0\xc2\xa0" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwTargetSpec) spec = pw_target_spec_parse (texts[i], 161, 0, &error);

      g_assert_null (spec);
      g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_EMPTY);
      assert_safe_message (error->message);
    }
}

static void
test_invalid (void)
{
  static const struct {
    const char *text;
    int code;
    const char *quoted;  /* the token the message must name */
  } cases[] = {
    { "10.0.0.300/24", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.300/24" },
    { "10.0.0/24", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0/24" },
    { "10.0.0.0/33", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/33" },
    { "10.0.0.0/", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/" },
    { "10.0.0.0/-1", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/-1" },
    { "10.0.0.0/024", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/024" },
    { "10.0.0.0/24/8", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/24/8" },
    { "10.0.0.0/ 24", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/" },
    { "printer.lan/24", PW_TARGET_SPEC_ERROR_INVALID, "printer.lan/24" },
    { "10.0.0.9-10.0.0.1", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.9-10.0.0.1" },
    { "10.0.0.9-1", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.9-1" },
    { "10.0.0.1-256", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-256" },
    { "10.0.0.1-01", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-01" },
    { "10.0.0.1-", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-" },
    { "-10.0.0.1", PW_TARGET_SPEC_ERROR_INVALID, "-10.0.0.1" },
    { "10.0.0.1-10.0.0.5-10.0.0.9", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-10.0.0.5-10.0.0.9" },
    { "10.0.0.1-1O", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-1O" },
    { "10.0.0.1-10.0.0.300", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-10.0.0.300" },
    { "300.0.0.1", PW_TARGET_SPEC_ERROR_INVALID, "300.0.0.1" },
    { "10.0.0", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0" },
    { "10.0.0.01", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.01" },
    { "10.0.0.0/24:0", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/24:0" },
    { "10.0.0.1-9:65536", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1-9:65536" },
    { "printer7.lan:99999", PW_TARGET_SPEC_ERROR_INVALID, "printer7.lan:99999" },
    { "10.0.0.1:", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1:" },
    { "10.0.0.1:http", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.1:http" },
    { ":161", PW_TARGET_SPEC_ERROR_INVALID, ":161" },
    { "[]:161", PW_TARGET_SPEC_ERROR_INVALID, "[]:161" },
    { "fe80::/64", PW_TARGET_SPEC_ERROR_UNSUPPORTED, "fe80::/64" },
    { "[fe80::]/64", PW_TARGET_SPEC_ERROR_UNSUPPORTED, "[fe80::]/64" },
    { "fe80::1-fe80::9", PW_TARGET_SPEC_ERROR_UNSUPPORTED, "fe80::1-fe80::9" },
    { "fe80::1-9", PW_TARGET_SPEC_ERROR_UNSUPPORTED, "fe80::1-9" },
    { "[fe80::1]-[fe80::9]", PW_TARGET_SPEC_ERROR_UNSUPPORTED, "[fe80::1]-[fe80::9]" },
    { "[fe80::1", PW_TARGET_SPEC_ERROR_INVALID, "[fe80::1" },
    { "[fe80::1]x", PW_TARGET_SPEC_ERROR_INVALID, "[fe80::1]x" },
    { "[10.0.0.1]:161", PW_TARGET_SPEC_ERROR_INVALID, "[10.0.0.1]:161" },
    { "[fe80::1]:0", PW_TARGET_SPEC_ERROR_INVALID, "[fe80::1]:0" },
    { "fe80::1%eth0", PW_TARGET_SPEC_ERROR_INVALID, "fe80::1%eth0" },
    { "1:2:3:4:5:6:7:8:9", PW_TARGET_SPEC_ERROR_INVALID, "1:2:3:4:5:6:7:8:9" },
    { "http://10.0.0.1/", PW_TARGET_SPEC_ERROR_INVALID, "http://10.0.0.1/" },
    { "printer_7!.lan", PW_TARGET_SPEC_ERROR_INVALID, "printer_7!.lan" },
    { "a..b", PW_TARGET_SPEC_ERROR_INVALID, "a..b" },
    { "-printer", PW_TARGET_SPEC_ERROR_INVALID, "-printer" },
    { "\"10.0.0.1\"", PW_TARGET_SPEC_ERROR_INVALID, "\"10.0.0.1\"" },
    /* In a list, the message names the bad token and no other. */
    { "10.0.0.1, 10.0.0.999, 10.0.0.2", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.999" },
    { "10.0.0.1\n10.0.0.0/40\n10.0.0.2", PW_TARGET_SPEC_ERROR_INVALID, "10.0.0.0/40" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwTargetSpec) spec = pw_target_spec_parse (cases[i].text, 161, G_MAXUINT64, &error);

      g_test_message ("%s: %s", cases[i].text, error != NULL ? error->message : "accepted");
      g_assert_null (spec);
      g_assert_error (error, PW_TARGET_SPEC_ERROR, cases[i].code);
      assert_error_quotes (error, cases[i].quoted);
      g_assert_null (strstr (error->message, "“10.0.0.1”"));
      g_assert_null (strstr (error->message, "“10.0.0.2”"));
    }
}

static void
test_hostile (void)
{
  g_autofree char *long_name = g_strnfill (100000, 'a');
  g_autofree char *long_digits = g_strnfill (100000, '1');
  g_autofree char *nines = g_strnfill (1000, '9');
  g_autofree char *long_prefix = g_strconcat ("10.0.0.0/", nines, NULL);
  g_autofree char *long_range = g_strconcat ("10.0.0.1-", nines, NULL);
  g_autofree char *long_port = g_strconcat ("10.0.0.1:", nines, NULL);
  g_autofree char *long_network = g_strconcat (nines, "/24", NULL);
  g_autofree char *long_v6 = g_strnfill (5000, ':');
  const char *texts[] = {
    long_name, long_digits, long_prefix, long_range, long_port, long_network, long_v6,
    "10.0.0.1\x01", "\x1b[31mprinter", "printer\x7f", "printer\xc2\x9b" "2J",
    "printer\xe2\x80\xae" "nal.", "printer\xe2\x81\xa6" "7", "printer\x08\x08\x08" "evil",
    "\xff\xfe", "10.0.0.\xc3", "printer\xe9.lan", "\xc0\xaf", "\xed\xa0\x80", "10.0.0.1:\xff",
    "[fe80::1\x01]", "[\xff::1]:161", "fe80::\x1b", "10.0.0.0/\x01", "10.0.0.1-\xff",
    "10.0.0.1, \x01printer",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwTargetSpec) spec = pw_target_spec_parse (texts[i], 161, G_MAXUINT64, &error);

      g_assert_null (spec);
      g_assert_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID);
      assert_safe_message (error->message);
      g_assert_nonnull (strstr (error->message, "“"));
    }
}

/* Many tokens are fine; naming one address a hundred thousand times
 * sweeps it once. */
static void
test_many_tokens (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr(PwTargetSpec) spec = NULL;
  g_autofree char *targets = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "10.0.0.1-2,\n");
  spec = parse_ok (text->str, 0);
  g_string_free (text, TRUE);
  targets = list_targets (spec);
  g_assert_cmpstr (targets, ==, "10.0.0.1:161 10.0.0.2:161");
}

/* Random text from the characters the parser cares about, plus bytes it
 * must refuse: an answer every time, never a crash. */
static void
test_fuzz (void)
{
  static const char alphabet[] = "0123456789.../--::[],; \nabx%\xff\xc3\x01";
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwTargetSpec) spec = NULL;
      char text[41];
      guint len = (guint) g_rand_int_range (rand, 0, sizeof text);

      for (guint j = 0; j < len; j++)
        text[j] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      text[len] = '\0';

      spec = pw_target_spec_parse (text, 161, 0, &error);
      if (spec == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == PW_TARGET_SPEC_ERROR);
          assert_safe_message (error->message);
        }
      else
        {
          g_autofree char *targets = NULL;

          g_assert_no_error (error);
          g_assert_cmpuint (pw_target_spec_get_count (spec), >, 0);
          g_assert_cmpuint (pw_target_spec_get_count (spec), <=, PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES);
          targets = list_targets (spec);
        }
    }
  g_rand_free (rand);
}

static void
test_lifetime (void)
{
  PwTargetSpec *spec = parse_ok ("10.0.0.0/24, printer7.lan, fe80::1", 0);

  g_object_add_weak_pointer (G_OBJECT (spec), (gpointer *) &spec);
  g_object_unref (spec);
  g_assert_null (spec);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/target-spec/forms", test_forms);
  g_test_add_func ("/target-spec/counts", test_counts);
  g_test_add_func ("/target-spec/large", test_large);
  g_test_add_func ("/target-spec/limits", test_limits);
  g_test_add_func ("/target-spec/separators", test_separators);
  g_test_add_func ("/target-spec/mixed", test_mixed);
  g_test_add_func ("/target-spec/default-port", test_default_port);
  g_test_add_func ("/target-spec/merge", test_merge);
  g_test_add_func ("/target-spec/order", test_order);
  g_test_add_func ("/target-spec/iter", test_iter);
  g_test_add_func ("/target-spec/strv", test_strv);
  g_test_add_func ("/target-spec/empty", test_empty);
  g_test_add_func ("/target-spec/invalid", test_invalid);
  g_test_add_func ("/target-spec/hostile", test_hostile);
  g_test_add_func ("/target-spec/many-tokens", test_many_tokens);
  g_test_add_func ("/target-spec/fuzz", test_fuzz);
  g_test_add_func ("/target-spec/lifetime", test_lifetime);

  return g_test_run ();
}
