/* test-mib-names.c: the numbers printers report, in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

typedef struct {
  const char *name;
  const char *(*nick) (int value);
  const char *(*label) (int value);
  guint       n_known;   /* values with a nick other than "unknown" */
} Enumeration;

static const char *
printer_error_nick (int value)
{
  return pw_mib_printer_error_nick ((guint) value);
}

static const char *
printer_error_label (int value)
{
  return pw_mib_printer_error_label ((guint) value);
}

/* The counts are those of the MIBs: a value dropped from a table, or one
 * that lost its nick, shows here. */
static const Enumeration enumerations[] = {
  { "alert-severity", pw_mib_alert_severity_nick, pw_mib_alert_severity_label, 4 },
  { "alert-training", pw_mib_alert_training_nick, pw_mib_alert_training_label, 6 },
  { "alert-group", pw_mib_alert_group_nick, pw_mib_alert_group_label, 21 },
  /* 94 codes of their own, and 17 finisher parts × 36 generic codes */
  { "alert-code", pw_mib_alert_code_nick, pw_mib_alert_code_label, 94 + 17 * 36 },
  { "supply-type", pw_mib_supply_type_nick, pw_mib_supply_type_label, 35 },
  { "supply-class", pw_mib_supply_class_nick, pw_mib_supply_class_label, 3 },
  { "supply-unit", pw_mib_supply_unit_nick, pw_mib_supply_unit_label, 14 },
  { "counter-unit", pw_mib_counter_unit_nick, pw_mib_counter_unit_label, 10 },
  { "input-type", pw_mib_input_type_nick, pw_mib_input_type_label, 7 },
  { "output-type", pw_mib_output_type_nick, pw_mib_output_type_label, 6 },
  { "media-path-type", pw_mib_media_path_type_nick, pw_mib_media_path_type_label, 4 },
  { "finisher-type", pw_mib_finisher_type_nick, pw_mib_finisher_type_label, 17 },
  { "device-status", pw_mib_device_status_nick, pw_mib_device_status_label, 4 },
  { "printer-status", pw_mib_printer_status_nick, pw_mib_printer_status_label, 4 },
  { "printer-error", printer_error_nick, printer_error_label, 15 },
};

/* ^[a-z0-9]+(-[a-z0-9]+)*$ */
static gboolean
is_kebab_case (const char *nick)
{
  const char *p;

  if (*nick == '\0' || *nick == '-')
    return FALSE;
  for (p = nick; *p != '\0'; p++)
    {
      if (*p == '-' && (p[1] == '-' || p[1] == '\0'))
        return FALSE;
      if (*p != '-' && !g_ascii_islower (*p) && !g_ascii_isdigit (*p))
        return FALSE;
    }
  return TRUE;
}

static void
check_value (const Enumeration *e,
             int                value,
             const char        *fallback_label,
             GHashTable        *nicks,
             GHashTable        *labels)
{
  const char *nick = e->nick (value);
  const char *label = e->label (value);

  g_assert_nonnull (nick);
  g_assert_nonnull (label);
  g_assert_true (is_kebab_case (nick));
  g_assert_cmpstr (label, !=, "");
  g_assert_true (g_utf8_validate (label, -1, NULL));
  /* The same text, not just an equal one, on every call. */
  g_assert_true (e->nick (value) == nick);
  g_assert_true (g_str_equal (e->label (value), label));

  if (g_str_equal (nick, "unknown"))
    return;
  if (g_hash_table_contains (nicks, nick))
    g_error ("%s: %d repeats the nick “%s”", e->name, value, nick);
  if (g_hash_table_contains (labels, label))
    g_error ("%s: %d repeats the label “%s”", e->name, value, label);
  g_assert_cmpstr (label, !=, fallback_label);
  g_hash_table_add (nicks, g_strdup (nick));
  g_hash_table_add (labels, g_strdup (label));
}

/* Every value a printer can send, in the ranges the MIBs use and at the
 * ends of an int: a nick, a label, and for the known ones both unique. */
static void
test_every_value (void)
{
  static const int extremes[] = { G_MININT, G_MININT + 1, -65536, G_MAXINT - 1, G_MAXINT };

  for (guint i = 0; i < G_N_ELEMENTS (enumerations); i++)
    {
      const Enumeration *e = &enumerations[i];
      g_autoptr(GHashTable) nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      const char *fallback_label = e->label (G_MAXINT);

      g_test_message ("%s", e->name);
      g_assert_cmpstr (e->nick (G_MAXINT), ==, "unknown");
      for (int value = -300; value <= 2100; value++)
        check_value (e, value, fallback_label, nicks, labels);
      for (int value = 29900; value <= 32100; value++)
        check_value (e, value, fallback_label, nicks, labels);
      for (guint j = 0; j < G_N_ELEMENTS (extremes); j++)
        check_value (e, extremes[j], fallback_label, nicks, labels);
      g_assert_cmpuint (g_hash_table_size (nicks), ==, e->n_known);
    }
}

static void
test_numbers (void)
{
  /* Alert codes: the IANA-PRINTER-MIB's numbers. */
  g_assert_cmpstr (pw_mib_alert_code_nick (8), ==, "jam");
  g_assert_cmpstr (pw_mib_alert_code_nick (501), ==, "door-open");
  g_assert_cmpstr (pw_mib_alert_code_nick (807), ==, "input-media-supply-low");
  g_assert_cmpstr (pw_mib_alert_code_nick (903), ==, "output-media-tray-full");
  g_assert_cmpstr (pw_mib_alert_code_nick (1101), ==, "marker-toner-empty");
  g_assert_cmpstr (pw_mib_alert_code_label (1101), ==, "Toner empty");
  g_assert_cmpstr (pw_mib_alert_code_nick (1107), ==, "marker-waste-toner-receptacle-almost-full");
  g_assert_cmpstr (pw_mib_alert_code_nick (1501), ==, "interpreter-memory-increase");
  g_assert_cmpstr (pw_mib_alert_code_nick (1508), ==, "unknown");
  g_assert_cmpstr (pw_mib_alert_code_nick (1801), ==, "alert-removal-of-binary-change-entry");
  g_assert_cmpstr (pw_mib_alert_code_nick (30203), ==, "stapler-cover-open");
  g_assert_cmpstr (pw_mib_alert_code_nick (30208), ==, "stapler-jam");
  g_assert_cmpstr (pw_mib_alert_code_label (30208), ==, "Stapler: Paper jam");
  g_assert_cmpstr (pw_mib_alert_code_nick (30309), ==, "stitcher-missing");
  g_assert_cmpstr (pw_mib_alert_code_nick (30713), ==, "die-cutter-empty");
  g_assert_cmpstr (pw_mib_alert_code_nick (31838), ==, "inserter-thermistor-failure");
  g_assert_cmpstr (pw_mib_alert_code_nick (30202), ==, "unknown");
  g_assert_cmpstr (pw_mib_alert_code_nick (30439), ==, "unknown");
  g_assert_cmpstr (pw_mib_alert_code_nick (31903), ==, "unknown");
  g_assert_cmpstr (pw_mib_alert_code_label (99999), ==, "Unknown alert");

  g_assert_cmpstr (pw_mib_alert_severity_nick (3), ==, "critical");
  g_assert_cmpstr (pw_mib_alert_severity_nick (5), ==, "warning-binary-change-event");
  g_assert_cmpstr (pw_mib_alert_severity_nick (2), ==, "unknown");
  g_assert_cmpstr (pw_mib_alert_training_nick (7), ==, "no-intervention-required");
  g_assert_cmpstr (pw_mib_alert_group_nick (11), ==, "marker-supplies");
  g_assert_cmpstr (pw_mib_alert_group_nick (30), ==, "fin-device");
  g_assert_cmpstr (pw_mib_alert_group_nick (34), ==, "unknown");

  g_assert_cmpstr (pw_mib_supply_type_nick (3), ==, "toner");
  g_assert_cmpstr (pw_mib_supply_type_nick (4), ==, "waste-toner");
  g_assert_cmpstr (pw_mib_supply_type_label (4), ==, "Waste toner box");
  g_assert_cmpstr (pw_mib_supply_type_nick (21), ==, "toner-cartridge");
  g_assert_cmpstr (pw_mib_supply_type_nick (36), ==, "matte-ink");
  g_assert_cmpstr (pw_mib_supply_type_nick (37), ==, "unknown");
  g_assert_cmpstr (pw_mib_supply_type_label (-1), ==, "Unknown");
  g_assert_cmpstr (pw_mib_supply_class_nick (3), ==, "consumed");
  g_assert_cmpstr (pw_mib_supply_class_nick (4), ==, "filled");
  g_assert_cmpstr (pw_mib_supply_unit_nick (15), ==, "tenths-of-milliliters");
  g_assert_cmpstr (pw_mib_supply_unit_nick (19), ==, "percent");
  g_assert_cmpstr (pw_mib_supply_unit_nick (5), ==, "unknown");
  g_assert_cmpstr (pw_mib_counter_unit_nick (7), ==, "impressions");
  g_assert_cmpstr (pw_mib_counter_unit_nick (9), ==, "dot-row");
  g_assert_cmpstr (pw_mib_counter_unit_nick (12), ==, "unknown");

  g_assert_cmpstr (pw_mib_input_type_nick (8), ==, "sheet-feed-pull");
  g_assert_cmpstr (pw_mib_output_type_nick (6), ==, "mail-box");
  g_assert_cmpstr (pw_mib_media_path_type_nick (3), ==, "long-edge-binding-duplex");
  g_assert_cmpstr (pw_mib_finisher_type_nick (15), ==, "make-envelope");

  g_assert_cmpstr (pw_mib_device_status_nick (5), ==, "down");
  g_assert_cmpstr (pw_mib_device_status_nick (0), ==, "unknown");
  g_assert_cmpstr (pw_mib_printer_status_nick (5), ==, "warmup");
  g_assert_cmpstr (pw_mib_printer_error_nick (0), ==, "low-paper");
  g_assert_cmpstr (pw_mib_printer_error_nick (3), ==, "no-toner");
  g_assert_cmpstr (pw_mib_printer_error_nick (5), ==, "jammed");
  g_assert_cmpstr (pw_mib_printer_error_nick (14), ==, "overdue-prevent-maint");
  g_assert_cmpstr (pw_mib_printer_error_nick (15), ==, "unknown");
  g_assert_cmpstr (pw_mib_printer_error_label (15), ==, "Unknown condition");
  g_assert_cmpstr (pw_mib_printer_error_nick (G_MAXUINT), ==, "unknown");
  g_assert_cmpstr (pw_mib_printer_error_nick ((guint) G_MAXINT + 1), ==, "unknown");
}

static void
check_describe (int         severity,
                int         group,
                int         group_index,
                int         code,
                const char *description,
                const char *expected)
{
  g_autofree char *line = pw_mib_alert_describe (severity, group, group_index, code, description);

  g_assert_cmpstr (line, ==, expected);
}

static void
test_describe (void)
{
  check_describe (3, 11, 1, 1101, NULL, "Critical: Toner empty (Supply 1)");
  check_describe (4, 8, 2, 807, "Tray 2 low",
                  "Warning: Paper low in an input tray (Input tray 2) — “Tray 2 low”");
  /* The printer's words add nothing when they are ours. */
  check_describe (5, 8, 2, 807, "PAPER LOW in an input tray",
                  "Warning: Paper low in an input tray (Input tray 2)");
  check_describe (4, 9, 1, 903, "", "Warning: Output bin full (Output bin 1)");
  /* No place for the printer as a whole, nor for no index. */
  check_describe (4, 5, 1, 503, NULL, "Warning: Switched on");
  check_describe (3, 6, -1, 3, NULL, "Critical: Cover open");
  /* A code without words of its own gives way to the printer's. */
  check_describe (4, 5, 1, 1, "Service due soon", "Warning: Service due soon");
  check_describe (4, 10, 1, 40000, "Drum 3 worn", "Warning: Drum 3 worn (Print engine 1)");
  check_describe (1, 2, 1, 40000, NULL, "Alert code 40000");
  check_describe (3, 1, 1, 2, NULL, "Critical: Unknown alert");
  check_describe (4, 30, 1, 30213, NULL, "Warning: Stapler: Empty (Finisher 1)");
  check_describe (G_MININT, G_MAXINT, G_MAXINT, G_MININT, "",
                  "Alert code -2147483648");
  check_describe (G_MAXINT, 8, G_MAXINT, 808, NULL,
                  "No paper in an input tray (Input tray 2147483647)");
}

/* PwSnapshot words its status with these tables. */
static void
test_snapshot_status (void)
{
  g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (0);
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) none = NULL;

  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_WARNING, PW_PRINTER_STATUS_IDLE,
                          (1u << 2) | (1u << 4) | (1u << 5) | (1u << 15));
  words = pw_snapshot_describe_status (snapshot);
  g_assert_cmpuint (g_strv_length (words), ==, 6);
  g_assert_cmpstr (words[0], ==, "Warning");
  g_assert_cmpstr (words[1], ==, "Idle");
  g_assert_cmpstr (words[2], ==, "Toner low");
  g_assert_cmpstr (words[3], ==, "Door open");
  g_assert_cmpstr (words[4], ==, "Paper jam");
  g_assert_cmpstr (words[5], ==, "Unknown condition");

  pw_snapshot_set_status (snapshot, PW_DEVICE_STATUS_UNKNOWN, PW_PRINTER_STATUS_OTHER, 0);
  none = pw_snapshot_describe_status (snapshot);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

/* The labels go through the catalog: with the German one built beside the
 * tests, a string it has long had comes out in German. */
static void
test_german (void)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no compiled German catalog in the build");
      return;
    }
  if (g_test_subprocess ())
    {
      bindtextdomain (GETTEXT_PACKAGE, podir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_assert_cmpstr (pw_mib_printer_error_label (0), ==, "Wenig Papier");
      g_assert_cmpstr (pw_mib_alert_severity_label (4), ==, "Warnung");
      g_assert_cmpstr (pw_mib_printer_error_nick (0), ==, "low-paper");
      return;
    }
  g_setenv ("LANGUAGE", "de", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, FALSE);

  g_test_add_func ("/mib-names/every-value", test_every_value);
  g_test_add_func ("/mib-names/numbers", test_numbers);
  g_test_add_func ("/mib-names/describe", test_describe);
  g_test_add_func ("/mib-names/snapshot-status", test_snapshot_status);
  g_test_add_func ("/mib-names/german", test_german);

  return g_test_run ();
}
