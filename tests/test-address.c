/* test-address.c: manual address entry, validated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <string.h>

static void
test_valid (void)
{
  static const struct {
    const char *text;
    const char *host;
    guint16 port;
    PwAddressKind kind;
    const char *shown;
  } cases[] = {
    { "10.0.0.5", "10.0.0.5", 161, PW_ADDRESS_IPV4, "10.0.0.5" },
    { " 10.0.0.5:1161 ", "10.0.0.5", 1161, PW_ADDRESS_IPV4, "10.0.0.5:1161" },
    { "255.255.255.255", "255.255.255.255", 161, PW_ADDRESS_IPV4, "255.255.255.255" },
    { "Printer7.LAN", "printer7.lan", 161, PW_ADDRESS_HOSTNAME, "printer7.lan" },
    { "printer7.lan.:65535", "printer7.lan.", 65535, PW_ADDRESS_HOSTNAME, "printer7.lan.:65535" },
    { "drucker-büro.example", "xn--drucker-bro-1hb.example", 161, PW_ADDRESS_HOSTNAME, NULL },
    { "hp_m880", "hp_m880", 161, PW_ADDRESS_HOSTNAME, "hp_m880" },
    { "fe80::1", "fe80::1", 161, PW_ADDRESS_IPV6, "fe80::1" },
    { "[2001:DB8::10]:1161", "2001:db8::10", 1161, PW_ADDRESS_IPV6, "[2001:db8::10]:1161" },
    { "[::1]", "::1", 161, PW_ADDRESS_IPV6, "::1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwAddress) address = pw_address_parse (cases[i].text, 161, &error);
      g_autofree char *shown = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (address->host, ==, cases[i].host);
      g_assert_cmpuint (address->port, ==, cases[i].port);
      g_assert_cmpint (address->kind, ==, cases[i].kind);
      shown = pw_address_to_string (address);
      if (cases[i].shown != NULL)
        g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

static void
test_invalid (void)
{
  static const struct {
    const char *text;
    int code;
    const char *quoted;  /* the offending part the message must name */
  } cases[] = {
    { "", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "   ", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "300.1.1.1", PW_ADDRESS_ERROR_INVALID_HOST, "300.1.1.1" },
    { "10.0.0", PW_ADDRESS_ERROR_INVALID_HOST, "10.0.0" },
    { "10.0.0.5.6", PW_ADDRESS_ERROR_INVALID_HOST, "10.0.0.5.6" },
    { "010.0.0.1", PW_ADDRESS_ERROR_INVALID_HOST, "010.0.0.1" },
    { "10.0.0.5:0", PW_ADDRESS_ERROR_INVALID_PORT, "0" },
    { "10.0.0.5:65536", PW_ADDRESS_ERROR_INVALID_PORT, "65536" },
    { "10.0.0.5:-1", PW_ADDRESS_ERROR_INVALID_PORT, "-1" },
    { "10.0.0.5:16x", PW_ADDRESS_ERROR_INVALID_PORT, "16x" },
    { "10.0.0.5:", PW_ADDRESS_ERROR_INVALID_PORT, NULL },
    { ":161", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "-printer", PW_ADDRESS_ERROR_INVALID_HOST, "-printer" },
    { "printer-.lan", PW_ADDRESS_ERROR_INVALID_HOST, "printer-.lan" },
    { "a..b", PW_ADDRESS_ERROR_INVALID_HOST, "a..b" },
    { "printer lan", PW_ADDRESS_ERROR_INVALID_HOST, "printer lan" },
    { "printer;rm -rf /", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "http://10.0.0.5/", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "[fe80::1", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "[10.0.0.5]:161", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "fe80::1%eth0", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "1:2:3:4:5:6:7:8:9", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
    { "\xff\xfe", PW_ADDRESS_ERROR_INVALID_HOST, NULL },
  };
  g_autofree char *too_long_label = g_strnfill (64, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwAddress) address = pw_address_parse (cases[i].text, 161, &error);

      g_assert_null (address);
      g_assert_error (error, PW_ADDRESS_ERROR, cases[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (cases[i].quoted != NULL)
        {
          g_autofree char *quoted = g_strdup_printf ("“%s”", cases[i].quoted);

          g_assert_nonnull (strstr (error->message, quoted));
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PwAddress) address = pw_address_parse (too_long_label, 161, &error);

    g_assert_null (address);
    g_assert_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST);
  }
}

/* What a message quotes of the text is UTF-8 without controls, whatever bytes
 * the command line passed (found by tests/fuzz/fuzz-target-spec, whose input
 * is tests/fuzz/regressions/target-spec/port-not-utf8). */
static void
test_hostile_messages (void)
{
  static const char * const texts[] = {
    "10.0.0.5:11\xb8", "10.0.0.5:\x1b[2J", "[\xff::1]:161", "\xff::1", "[fe80::1\x01]", "[\xff]",
    "[fe80::1]x\xff", "http://\xff/", "printer\x01.lan", "fe80::\x1b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwAddress) address = pw_address_parse (texts[i], 161, &error);

      g_assert_null (address);
      g_assert_nonnull (error);
      g_assert_true (error->domain == PW_ADDRESS_ERROR);
      pw_test_assert_safe_text (error->message);
      g_assert_nonnull (strstr (error->message, "“"));
    }
}

static void
test_no_default_port (void)
{
  g_autoptr(PwAddress) address = pw_address_parse ("10.1.1.1", 0, NULL);

  /* Port 0 tells the caller that none was given (for "remove ADDRESS"). */
  g_assert_cmpuint (address->port, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/address/valid", test_valid);
  g_test_add_func ("/address/invalid", test_invalid);
  g_test_add_func ("/address/hostile-messages", test_hostile_messages);
  g_test_add_func ("/address/no-default-port", test_no_default_port);

  return g_test_run ();
}
