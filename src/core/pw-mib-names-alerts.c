/* pw-mib-names-alerts.c: the printer's alert table in words.
 *
 * PrtAlertSeverityLevelTC as RFC 3805 defines it; PrtAlertTrainingLevelTC,
 * PrtAlertGroupTC and PrtAlertCodeTC as the IANA-PRINTER-MIB (revision
 * 2016-09-14) does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-mib-names"

#include "config.h"

#include "pw-mib-names-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* PrtAlertSeverityLevelTC: a warning is unary (an event) unless it is a
 * binary change event, a state the printer clears; a critical alert is
 * always one. */
static const PwMibName severities[] = {
  { 1, "other", N_("Other") },
  { 3, "critical", N_("Critical") },
  { 4, "warning", N_("Warning") },
  { 5, "warning-binary-change-event", N_("Warning until cleared") },
};
static const PwMibTable severity_table = PW_MIB_TABLE (severities, 0);

/* PrtAlertTrainingLevelTC: who can deal with the alert. */
static const PwMibName trainings[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "untrained", N_("Anyone") },
  { 4, "trained", N_("Trained user") },
  { 5, "field-service", N_("Service technician") },
  { 6, "management", N_("Administrator") },
  { 7, "no-intervention-required", N_("No action needed") },
};
static const PwMibTable training_table = PW_MIB_TABLE (trainings, 2);

/* PrtAlertGroupTC: labels name the part, as in "Input tray 2"; the numbers
 * follow the Printer MIB's table numbers (RFC 3805), 30 and up the Finisher
 * MIB's. */
static const PwMibName groups[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "host-resources-mib-storage-table", N_("Storage") },
  { 4, "host-resources-mib-device-table", N_("Device") },
  { 5, "general-printer", N_("Printer") },
  { 6, "cover", N_("Cover") },
  { 7, "localization", N_("Language setting") },
  { 8, "input", N_("Input tray") },
  { 9, "output", N_("Output bin") },
  { 10, "marker", N_("Print engine") },
  { 11, "marker-supplies", N_("Supply") },
  { 12, "marker-colorant", N_("Colourant") },
  { 13, "media-path", N_("Paper path") },
  { 14, "channel", N_("Print channel") },
  { 15, "interpreter", N_("Printer language") },
  { 16, "console-display-buffer", N_("Control panel display") },
  { 17, "console-lights", N_("Control panel light") },
  { 18, "alert", N_("Alert") },
  { 30, "fin-device", N_("Finisher") },
  { 31, "fin-supply", N_("Finisher supply") },
  { 32, "fin-supply-media-input", N_("Finisher paper input") },
  { 33, "fin-attribute", N_("Finisher setting") },
};
static const PwMibTable group_table = PW_MIB_TABLE (groups, 2);

/* PrtAlertCodeTC. Codes 3 to 38 are generic: prtAlertGroup tells which part
 * they are about, and labels read well after a part's name. Then by group:
 * 501 general printer (501 and 502 deprecated for 3 and 4), 801 input,
 * 901 output, 1001 marker, 1101 marker supplies, 1301 media path, 1501
 * interpreter (1508 not assigned), 1801 alert. */
static const PwMibName codes[] = {
  { 1, "other", N_("Other alert") },
  { 2, "unknown", N_("Unknown alert") },
  { 3, "cover-open", N_("Cover open") },
  { 4, "cover-closed", N_("Cover closed") },
  { 5, "interlock-open", N_("Safety interlock open") },
  { 6, "interlock-closed", N_("Safety interlock closed") },
  { 7, "configuration-change", N_("Configuration changed") },
  { 8, "jam", N_("Paper jam") },
  { 9, "subunit-missing", N_("Part missing") },
  { 10, "subunit-life-almost-over", N_("Nearly worn out") },
  { 11, "subunit-life-over", N_("Worn out") },
  { 12, "subunit-almost-empty", N_("Nearly empty") },
  { 13, "subunit-empty", N_("Empty") },
  { 14, "subunit-almost-full", N_("Nearly full") },
  { 15, "subunit-full", N_("Full") },
  { 16, "subunit-near-limit", N_("Near its limit") },
  { 17, "subunit-at-limit", N_("At its limit") },
  { 18, "subunit-opened", N_("Opened") },
  { 19, "subunit-closed", N_("Closed") },
  { 20, "subunit-turned-on", N_("Turned on") },
  { 21, "subunit-turned-off", N_("Turned off") },
  { 22, "subunit-offline", N_("Offline") },
  { 23, "subunit-power-saver", N_("Power saving") },
  { 24, "subunit-warming-up", N_("Warming up") },
  { 25, "subunit-added", N_("Part added") },
  { 26, "subunit-removed", N_("Part removed") },
  { 27, "subunit-resource-added", N_("Resource added") },
  { 28, "subunit-resource-removed", N_("Resource removed") },
  { 29, "subunit-recoverable-failure", N_("Recoverable failure") },
  { 30, "subunit-unrecoverable-failure", N_("Failure, service needed") },
  { 31, "subunit-recoverable-storage-error", N_("Recoverable storage error") },
  { 32, "subunit-unrecoverable-storage-error", N_("Storage failure") },
  { 33, "subunit-motor-failure", N_("Motor failure") },
  { 34, "subunit-memory-exhausted", N_("Out of memory") },
  { 35, "subunit-under-temperature", N_("Too cold") },
  { 36, "subunit-over-temperature", N_("Overheated") },
  { 37, "subunit-timing-failure", N_("Timing failure") },
  { 38, "subunit-thermistor-failure", N_("Temperature sensor failure") },
  { 501, "door-open", N_("Door open") },
  { 502, "door-closed", N_("Door closed") },
  { 503, "power-up", N_("Switched on") },
  { 504, "power-down", N_("Switched off") },
  { 505, "printer-nms-reset", N_("Reset over the network") },
  { 506, "printer-manual-reset", N_("Reset at the printer") },
  { 507, "printer-ready-to-print", N_("Ready to print") },
  { 801, "input-media-tray-missing", N_("Input tray missing") },
  { 802, "input-media-size-change", N_("Paper size changed in an input tray") },
  { 803, "input-media-weight-change", N_("Paper weight changed in an input tray") },
  { 804, "input-media-type-change", N_("Paper type changed in an input tray") },
  { 805, "input-media-color-change", N_("Paper colour changed in an input tray") },
  { 806, "input-media-form-parts-change", N_("Form parts changed in an input tray") },
  { 807, "input-media-supply-low", N_("Paper low in an input tray") },
  { 808, "input-media-supply-empty", N_("No paper in an input tray") },
  { 809, "input-media-change-request", N_("Different paper needed in an input tray") },
  { 810, "input-manual-input-request", N_("Paper needed for manual feed") },
  { 811, "input-tray-position-failure", N_("Input tray not in position") },
  { 812, "input-tray-elevation-failure", N_("Input tray lift failure") },
  { 813, "input-cannot-feed-size-selected", N_("Input tray cannot feed the selected paper size") },
  { 901, "output-media-tray-missing", N_("Output bin missing") },
  { 902, "output-media-tray-almost-full", N_("Output bin nearly full") },
  { 903, "output-media-tray-full", N_("Output bin full") },
  { 904, "output-mailbox-select-failure", N_("Mailbox bin cannot be selected") },
  { 1001, "marker-fuser-under-temperature", N_("Fuser too cold") },
  { 1002, "marker-fuser-over-temperature", N_("Fuser overheated") },
  { 1003, "marker-fuser-timing-failure", N_("Fuser timing failure") },
  { 1004, "marker-fuser-thermistor-failure", N_("Fuser temperature sensor failure") },
  { 1005, "marker-adjusting-print-quality", N_("Adjusting print quality") },
  { 1101, "marker-toner-empty", N_("Toner empty") },
  { 1102, "marker-ink-empty", N_("Ink empty") },
  { 1103, "marker-print-ribbon-empty", N_("Ribbon empty") },
  { 1104, "marker-toner-almost-empty", N_("Toner nearly empty") },
  { 1105, "marker-ink-almost-empty", N_("Ink nearly empty") },
  { 1106, "marker-print-ribbon-almost-empty", N_("Ribbon nearly empty") },
  { 1107, "marker-waste-toner-receptacle-almost-full", N_("Waste toner box nearly full") },
  { 1108, "marker-waste-ink-receptacle-almost-full", N_("Waste ink tank nearly full") },
  { 1109, "marker-waste-toner-receptacle-full", N_("Waste toner box full") },
  { 1110, "marker-waste-ink-receptacle-full", N_("Waste ink tank full") },
  { 1111, "marker-opc-life-almost-over", N_("Drum unit nearly worn out") },
  { 1112, "marker-opc-life-over", N_("Drum unit worn out") },
  { 1113, "marker-developer-almost-empty", N_("Developer nearly empty") },
  { 1114, "marker-developer-empty", N_("Developer empty") },
  { 1115, "marker-toner-cartridge-missing", N_("Toner cartridge missing") },
  { 1301, "media-path-media-tray-missing", N_("Paper path tray missing") },
  { 1302, "media-path-media-tray-almost-full", N_("Paper path tray nearly full") },
  { 1303, "media-path-media-tray-full", N_("Paper path tray full") },
  { 1304, "media-path-cannot-duplex-media-selected", N_("Cannot print two-sided on the selected paper") },
  { 1501, "interpreter-memory-increase", N_("Printer language memory increased") },
  { 1502, "interpreter-memory-decrease", N_("Printer language memory decreased") },
  { 1503, "interpreter-cartridge-added", N_("Printer language cartridge added") },
  { 1504, "interpreter-cartridge-deleted", N_("Printer language cartridge removed") },
  { 1505, "interpreter-resource-added", N_("Printer language resource added") },
  { 1506, "interpreter-resource-deleted", N_("Printer language resource removed") },
  { 1507, "interpreter-resource-unavailable", N_("Printer language resource unavailable") },
  { 1509, "interpreter-complex-page-encountered", N_("Page too complex to print") },
  { 1801, "alert-removal-of-binary-change-entry", N_("Alert cleared") },
};
static const PwMibTable code_table = PW_MIB_TABLE (codes, 2);

/* The finisher codes are 30000 + 100 × part + a generic code (3 to 38):
 * parts 4 to 18 are FinDeviceTypeTC's; its stitcher (3) is split into
 * staplers (2) and stitchers (3). */
#define FINISHER_CODE_BASE 30000
static const PwMibName finisher_stitchers[] = {
  { 2, "stapler", N_("Stapler") },
  { 3, "stitcher", N_("Stitcher") },
};
static const PwMibTable finisher_stitcher_table = PW_MIB_TABLE (finisher_stitchers, 0);

static gboolean
split_finisher_code (int  code,
                     int *part,
                     int *generic)
{
  if (code < FINISHER_CODE_BASE + 2 * 100 || code > FINISHER_CODE_BASE + 18 * 100 + 99)
    return FALSE;
  *part = (code - FINISHER_CODE_BASE) / 100;
  *generic = code % 100;
  return *generic >= 3 && *generic <= 38;
}

static const char *
finisher_part_nick (int part)
{
  return part <= 3 ? _pw_mib_table_nick (&finisher_stitcher_table, part)
                   : pw_mib_finisher_type_nick (part);
}

static const char *
finisher_part_label (int part)
{
  return part <= 3 ? _pw_mib_table_label (&finisher_stitcher_table, part)
                   : pw_mib_finisher_type_label (part);
}

const char *
pw_mib_alert_severity_nick (int value)
{
  return _pw_mib_table_nick (&severity_table, value);
}

const char *
pw_mib_alert_severity_label (int value)
{
  return _pw_mib_table_label (&severity_table, value);
}

const char *
pw_mib_alert_training_nick (int value)
{
  return _pw_mib_table_nick (&training_table, value);
}

const char *
pw_mib_alert_training_label (int value)
{
  return _pw_mib_table_label (&training_table, value);
}

const char *
pw_mib_alert_group_nick (int value)
{
  return _pw_mib_table_nick (&group_table, value);
}

const char *
pw_mib_alert_group_label (int value)
{
  return _pw_mib_table_label (&group_table, value);
}

/* The finisher codes' names are made on first use and interned: at most
 * 17 × 36 of them, and per language for labels. */
const char *
pw_mib_alert_code_nick (int value)
{
  int part, generic;
  const char *suffix;
  g_autofree char *nick = NULL;

  if (!split_finisher_code (value, &part, &generic))
    return _pw_mib_table_nick (&code_table, value);

  /* staplerMissing, not staplerSubunitMissing */
  suffix = _pw_mib_table_nick (&code_table, generic);
  if (g_str_has_prefix (suffix, "subunit-"))
    suffix += strlen ("subunit-");
  nick = g_strconcat (finisher_part_nick (part), "-", suffix, NULL);
  return g_intern_string (nick);
}

const char *
pw_mib_alert_code_label (int value)
{
  int part, generic;
  g_autofree char *label = NULL;

  if (!split_finisher_code (value, &part, &generic))
    return _pw_mib_table_label (&code_table, value);

  /* TRANSLATORS: a finisher's part, then what happened to it, e.g. "Stapler: Nearly empty" */
  label = g_strdup_printf (C_("finisher alert", "%s: %s"), finisher_part_label (part),
                           _pw_mib_table_label (&code_table, generic));
  return g_intern_string (label);
}

static gboolean
is_known_code (int code)
{
  int part, generic;

  return (_pw_mib_table_find (&code_table, code) != NULL && code != 1 && code != 2) ||
         split_finisher_code (code, &part, &generic);
}

/* The part an alert is about, e.g. "Input tray 2"; NULL when the printer
 * did not say or it says nothing (the printer itself, -1 for none). */
static char *
describe_place (int group,
                int group_index)
{
  if (group_index <= 0 || group <= 2 || group == 5 || _pw_mib_table_find (&group_table, group) == NULL)
    return NULL;
  /* TRANSLATORS: a printer's part and its number, e.g. "Input tray 2" */
  return g_strdup_printf (C_("alert place", "%s %d"), pw_mib_alert_group_label (group), group_index);
}

/**
 * pw_mib_alert_describe:
 * @severity: prtAlertSeverityLevel
 * @group: prtAlertGroup
 * @group_index: prtAlertGroupIndex: which part of @group, -1 for none
 * @code: prtAlertCode
 * @description: (nullable): prtAlertDescription, already sanitised
 *
 * One line for one prtAlertTable row, in the user's language: severity,
 * what happened, where, and the printer's own words when they add to it,
 * e.g. "Warning: Paper low in an input tray (Input tray 2) — “Tray 2 low”".
 * A code with no words of its own gives way to the printer's description,
 * or else is shown by its number.
 *
 * Returns: (transfer full): the line, never %NULL
 */
char *
pw_mib_alert_describe (int         severity,
                       int         group,
                       int         group_index,
                       int         code,
                       const char *description)
{
  g_autofree char *what = NULL;
  g_autofree char *place = describe_place (group, group_index);
  g_autofree char *line = NULL;

  if (description != NULL && *description == '\0')
    description = NULL;

  if (is_known_code (code))
    what = g_strdup (pw_mib_alert_code_label (code));
  else if (description != NULL)
    {
      what = g_strdup (description);
      description = NULL;
    }
  else if (code == 1 || code == 2)
    what = g_strdup (pw_mib_alert_code_label (code));
  else
    /* TRANSLATORS: an alert code Printwatch has no words for */
    what = g_strdup_printf (_("Alert code %d"), code);

  if (place != NULL)
    /* TRANSLATORS: what happened, then where, e.g. "Toner empty (Supply 1)" */
    line = g_strdup_printf (C_("alert", "%s (%s)"), what, place);
  else
    line = g_strdup (what);

  if (description != NULL)
    {
      g_autofree char *said = g_utf8_casefold (description, -1);
      g_autofree char *ours = g_utf8_casefold (what, -1);

      if (!g_str_equal (said, ours))
        {
          char *with;

          /* TRANSLATORS: our words, then the printer's own description */
          with = g_strdup_printf (C_("alert", "%s — “%s”"), line, description);
          g_free (line);
          line = with;
        }
    }

  /* A warning is a warning to an admin, whether or not the printer will
   * clear it. */
  if (severity == 3 || severity == 4 || severity == 5)
    /* TRANSLATORS: a severity, then the alert, e.g. "Critical: Toner empty (Supply 1)" */
    return g_strdup_printf (C_("alert", "%s: %s"), pw_mib_alert_severity_label (MIN (severity, 4)),
                            line);
  return g_steal_pointer (&line);
}
