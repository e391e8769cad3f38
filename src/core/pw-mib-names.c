/* pw-mib-names.c: supplies, counters, options and device status in words.
 *
 * Values as RFC 3805 and the IANA-PRINTER-MIB (revision 2016-09-14) define
 * them, FinDeviceTypeTC as IANA-FINISHER-MIB (RFC 3806) does, device status
 * as RFC 2790. The alert enumerations are in pw-mib-names-alerts.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-mib-names"

#include "config.h"

#include "pw-mib-names-private.h"

#include <glib/gi18n-lib.h>

static const PwMibName unknown_name = { 0, "unknown", N_("Unknown") };

const PwMibName *
_pw_mib_table_find (const PwMibTable *table,
                    int               value)
{
  for (gsize i = 0; i < table->n_names; i++)
    if (table->names[i].value == value)
      return &table->names[i];
  return NULL;
}

static const PwMibName *
find_or_unknown (const PwMibTable *table,
                 int               value)
{
  const PwMibName *name = _pw_mib_table_find (table, value);

  if (name == NULL && table->unknown != 0)
    name = _pw_mib_table_find (table, table->unknown);
  return name != NULL ? name : &unknown_name;
}

const char *
_pw_mib_table_nick (const PwMibTable *table,
                    int               value)
{
  return find_or_unknown (table, value)->nick;
}

const char *
_pw_mib_table_label (const PwMibTable *table,
                     int               value)
{
  return _(find_or_unknown (table, value)->label);
}

/* PrtMarkerSuppliesTypeTC; 23 and above are for finishers. */
static const PwMibName supply_types[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "toner", N_("Toner") },
  { 4, "waste-toner", N_("Waste toner box") },
  { 5, "ink", N_("Ink") },
  { 6, "ink-cartridge", N_("Ink cartridge") },
  { 7, "ink-ribbon", N_("Ink ribbon") },
  { 8, "waste-ink", N_("Waste ink tank") },
  /* TRANSLATORS: the organic photoconductor (OPC) drum of a laser printer */
  { 9, "opc", N_("Drum unit") },
  { 10, "developer", N_("Developer") },
  { 11, "fuser-oil", N_("Fuser oil") },
  { 12, "solid-wax", N_("Solid ink") },
  { 13, "ribbon-wax", N_("Wax ribbon") },
  { 14, "waste-wax", N_("Waste wax") },
  { 15, "fuser", N_("Fuser") },
  { 16, "corona-wire", N_("Corona wire") },
  { 17, "fuser-oil-wick", N_("Fuser oil wick") },
  { 18, "cleaner-unit", N_("Cleaning unit") },
  { 19, "fuser-cleaning-pad", N_("Fuser cleaning pad") },
  { 20, "transfer-unit", N_("Transfer unit") },
  { 21, "toner-cartridge", N_("Toner cartridge") },
  { 22, "fuser-oiler", N_("Fuser oiler") },
  { 23, "water", N_("Water") },
  { 24, "waste-water", N_("Waste water") },
  { 25, "glue-water-additive", N_("Glue water additive") },
  { 26, "waste-paper", N_("Waste paper") },
  { 27, "binding-supply", N_("Binding supply") },
  { 28, "banding-supply", N_("Banding supply") },
  { 29, "stitching-wire", N_("Stitching wire") },
  { 30, "shrink-wrap", N_("Shrink wrap") },
  { 31, "paper-wrap", N_("Paper wrap") },
  { 32, "staples", N_("Staples") },
  { 33, "inserts", N_("Inserts") },
  { 34, "covers", N_("Covers") },
  { 35, "matte-toner", N_("Matte toner") },
  { 36, "matte-ink", N_("Matte ink") },
};
static const PwMibTable supply_type_table = PW_MIB_TABLE (supply_types, 2);

/* PrtMarkerSuppliesClassTC: the MIB's names are sentences, so short nicks. */
static const PwMibName supply_classes[] = {
  { 1, "other", N_("Other") },
  /* TRANSLATORS: a supply that is used up, such as toner */
  { 3, "consumed", N_("Consumable") },
  /* TRANSLATORS: a receptacle that fills up, such as a waste toner box */
  { 4, "filled", N_("Waste container") },
};
static const PwMibTable supply_class_table = PW_MIB_TABLE (supply_classes, 0);

/* PrtMarkerSuppliesSupplyUnitTC; "hundreths" is the MIB's spelling. */
static const PwMibName supply_units[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "ten-thousandths-of-inches", N_("Ten-thousandths of an inch") },
  { 4, "micrometers", N_("Micrometres") },
  { 7, "impressions", N_("Impressions") },
  { 8, "sheets", N_("Sheets") },
  { 11, "hours", N_("Hours") },
  { 12, "thousandths-of-ounces", N_("Thousandths of an ounce") },
  { 13, "tenths-of-grams", N_("Tenths of a gram") },
  { 14, "hundreths-of-fluid-ounces", N_("Hundredths of a fluid ounce") },
  { 15, "tenths-of-milliliters", N_("Tenths of a millilitre") },
  { 16, "feet", N_("Feet") },
  { 17, "meters", N_("Metres") },
  { 18, "items", N_("Items") },
  { 19, "percent", N_("Percent") },
};
static const PwMibTable supply_unit_table = PW_MIB_TABLE (supply_units, 2);

/* PrtMarkerCounterUnitTC: it has no other or unknown. */
static const PwMibName counter_units[] = {
  { 3, "ten-thousandths-of-inches", N_("Ten-thousandths of an inch") },
  { 4, "micrometers", N_("Micrometres") },
  { 5, "characters", N_("Characters") },
  { 6, "lines", N_("Lines") },
  { 7, "impressions", N_("Impressions") },
  { 8, "sheets", N_("Sheets") },
  { 9, "dot-row", N_("Dot rows") },
  { 11, "hours", N_("Hours") },
  { 16, "feet", N_("Feet") },
  { 17, "meters", N_("Metres") },
};
static const PwMibTable counter_unit_table = PW_MIB_TABLE (counter_units, 0);

/* PrtInputTypeTC, sheetFeedPull (8) added in 2013. */
static const PwMibName input_types[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "sheet-feed-auto-removable-tray", N_("Removable paper tray") },
  { 4, "sheet-feed-auto-non-removable-tray", N_("Built-in paper tray") },
  { 5, "sheet-feed-manual", N_("Manual feed") },
  { 6, "continuous-roll", N_("Paper roll") },
  { 7, "continuous-fan-fold", N_("Continuous paper (fanfold)") },
  { 8, "sheet-feed-pull", N_("Sheet feed (pull)") },
};
static const PwMibTable input_type_table = PW_MIB_TABLE (input_types, 2);

/* PrtOutputTypeTC. */
static const PwMibName output_types[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "removable-bin", N_("Removable output bin") },
  { 4, "un-removable-bin", N_("Built-in output bin") },
  { 5, "continuous-roll-device", N_("Roll output") },
  { 6, "mail-box", N_("Mailbox") },
  { 7, "continuous-fan-fold", N_("Continuous paper output (fanfold)") },
};
static const PwMibTable output_type_table = PW_MIB_TABLE (output_types, 2);

/* PrtMediaPathTypeTC: a duplex path names the edge pages turn on. */
static const PwMibName media_path_types[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "long-edge-binding-duplex", N_("Two-sided, long edge") },
  { 4, "short-edge-binding-duplex", N_("Two-sided, short edge") },
  { 5, "simplex", N_("One-sided") },
};
static const PwMibTable media_path_type_table = PW_MIB_TABLE (media_path_types, 2);

/* FinDeviceTypeTC; "perforater" is the MIB's spelling. */
static const PwMibName finisher_types[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "stitcher", N_("Stapler or stitcher") },
  { 4, "folder", N_("Folder") },
  { 5, "binder", N_("Binder") },
  { 6, "trimmer", N_("Trimmer") },
  { 7, "die-cutter", N_("Die cutter") },
  { 8, "puncher", N_("Hole punch") },
  { 9, "perforater", N_("Perforator") },
  { 10, "slitter", N_("Slitter") },
  { 11, "separation-cutter", N_("Separation cutter") },
  { 12, "imprinter", N_("Imprinter") },
  { 13, "wrapper", N_("Wrapper") },
  { 14, "bander", N_("Bander") },
  { 15, "make-envelope", N_("Envelope maker") },
  { 16, "stacker", N_("Stacker") },
  { 17, "sheet-rotator", N_("Sheet rotator") },
  { 18, "inserter", N_("Inserter") },
};
static const PwMibTable finisher_type_table = PW_MIB_TABLE (finisher_types, 2);

/* hrDeviceStatus. */
static const PwMibName device_statuses[] = {
  { 1, "unknown", N_("Unknown") },
  { 2, "running", N_("Running") },
  { 3, "warning", N_("Warning") },
  { 4, "testing", N_("Testing") },
  { 5, "down", N_("Down") },
};
static const PwMibTable device_status_table = PW_MIB_TABLE (device_statuses, 1);

/* hrPrinterStatus. */
static const PwMibName printer_statuses[] = {
  { 1, "other", N_("Other") },
  { 2, "unknown", N_("Unknown") },
  { 3, "idle", N_("Idle") },
  { 4, "printing", N_("Printing") },
  { 5, "warmup", N_("Warming up") },
};
static const PwMibTable printer_status_table = PW_MIB_TABLE (printer_statuses, 2);

/* hrPrinterDetectedErrorState, by bit; bit 15 is not assigned. */
static const PwMibName printer_errors[] = {
  { 0, "low-paper", N_("Paper low") },
  { 1, "no-paper", N_("No paper") },
  { 2, "low-toner", N_("Toner low") },
  { 3, "no-toner", N_("No toner") },
  { 4, "door-open", N_("Door open") },
  { 5, "jammed", N_("Paper jam") },
  { 6, "offline", N_("Offline") },
  { 7, "service-requested", N_("Service requested") },
  { 8, "input-tray-missing", N_("Input tray missing") },
  { 9, "output-tray-missing", N_("Output bin missing") },
  { 10, "marker-supply-missing", N_("Supply missing") },
  { 11, "output-near-full", N_("Output bin nearly full") },
  { 12, "output-full", N_("Output bin full") },
  { 13, "input-tray-empty", N_("Input tray empty") },
  { 14, "overdue-prevent-maint", N_("Preventive maintenance overdue") },
  { 15, "unknown", N_("Unknown condition") },
};
static const PwMibTable printer_error_table = PW_MIB_TABLE (printer_errors, 15);

const char *
pw_mib_supply_type_nick (int value)
{
  return _pw_mib_table_nick (&supply_type_table, value);
}

const char *
pw_mib_supply_type_label (int value)
{
  return _pw_mib_table_label (&supply_type_table, value);
}

const char *
pw_mib_supply_class_nick (int value)
{
  return _pw_mib_table_nick (&supply_class_table, value);
}

const char *
pw_mib_supply_class_label (int value)
{
  return _pw_mib_table_label (&supply_class_table, value);
}

const char *
pw_mib_supply_unit_nick (int value)
{
  return _pw_mib_table_nick (&supply_unit_table, value);
}

const char *
pw_mib_supply_unit_label (int value)
{
  return _pw_mib_table_label (&supply_unit_table, value);
}

const char *
pw_mib_counter_unit_nick (int value)
{
  return _pw_mib_table_nick (&counter_unit_table, value);
}

const char *
pw_mib_counter_unit_label (int value)
{
  return _pw_mib_table_label (&counter_unit_table, value);
}

const char *
pw_mib_input_type_nick (int value)
{
  return _pw_mib_table_nick (&input_type_table, value);
}

const char *
pw_mib_input_type_label (int value)
{
  return _pw_mib_table_label (&input_type_table, value);
}

const char *
pw_mib_output_type_nick (int value)
{
  return _pw_mib_table_nick (&output_type_table, value);
}

const char *
pw_mib_output_type_label (int value)
{
  return _pw_mib_table_label (&output_type_table, value);
}

const char *
pw_mib_media_path_type_nick (int value)
{
  return _pw_mib_table_nick (&media_path_type_table, value);
}

const char *
pw_mib_media_path_type_label (int value)
{
  return _pw_mib_table_label (&media_path_type_table, value);
}

const char *
pw_mib_finisher_type_nick (int value)
{
  return _pw_mib_table_nick (&finisher_type_table, value);
}

const char *
pw_mib_finisher_type_label (int value)
{
  return _pw_mib_table_label (&finisher_type_table, value);
}

const char *
pw_mib_device_status_nick (int value)
{
  return _pw_mib_table_nick (&device_status_table, value);
}

const char *
pw_mib_device_status_label (int value)
{
  return _pw_mib_table_label (&device_status_table, value);
}

const char *
pw_mib_printer_status_nick (int value)
{
  return _pw_mib_table_nick (&printer_status_table, value);
}

const char *
pw_mib_printer_status_label (int value)
{
  return _pw_mib_table_label (&printer_status_table, value);
}

/* A bit number past G_MAXINT must not wrap onto a defined one. */
static int
bit_value (guint bit)
{
  return bit < G_N_ELEMENTS (printer_errors) ? (int) bit : -1;
}

const char *
pw_mib_printer_error_nick (guint bit)
{
  return _pw_mib_table_nick (&printer_error_table, bit_value (bit));
}

const char *
pw_mib_printer_error_label (guint bit)
{
  return _pw_mib_table_label (&printer_error_table, bit_value (bit));
}
