/* pw-mib-names.h: the numbers printers report, in words.
 *
 * The enumerations of RFC 3805 (Printer MIB v2) and of IANA-PRINTER-MIB,
 * which now keeps most of them; FinDeviceTypeTC of IANA-FINISHER-MIB
 * (RFC 3806); hrDeviceStatus, hrPrinterStatus and the bits of
 * hrPrinterDetectedErrorState of RFC 2790 (Host Resources MIB).
 *
 * Each enumeration has two functions, and neither allocates:
 *
 * - pw_mib_<enum>_nick (value): a stable, untranslated kebab-case name for
 *   JSON payloads and CSV files: the MIB's own name of the value in
 *   kebab-case ("markerTonerEmpty" becomes "marker-toner-empty"), except
 *   for the supply classes "consumed" and "filled". A value the enumeration
 *   does not define gives "unknown". Never %NULL, for any int.
 *
 * - pw_mib_<enum>_label (value): the value for an office admin, in the
 *   user's language and sentence case ("Waste toner box nearly full"). A
 *   value the enumeration does not define reads as its unknown ("Unknown",
 *   "Unknown alert", "Unknown condition"). Never %NULL; the text stays valid
 *   for the life of the program.
 *
 * Only pw_mib_alert_describe() returns allocated text: one line for one
 * alert, with the numbers where the words run out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PrtAlertSeverityLevelTC (RFC 3805): 1 other, 3 critical, 4 warning,
 * 5 warningBinaryChangeEvent. */
const char *pw_mib_alert_severity_nick    (int          value);
const char *pw_mib_alert_severity_label   (int          value);

/* PrtAlertTrainingLevelTC (IANA-PRINTER-MIB): who can clear an alert. */
const char *pw_mib_alert_training_nick    (int          value);
const char *pw_mib_alert_training_label   (int          value);

/* PrtAlertGroupTC (IANA-PRINTER-MIB): the kind of part an alert is about;
 * the label names the part ("Input tray"). */
const char *pw_mib_alert_group_nick       (int          value);
const char *pw_mib_alert_group_label      (int          value);

/* PrtAlertCodeTC (IANA-PRINTER-MIB), the finisher codes 30203…31838 too. */
const char *pw_mib_alert_code_nick        (int          value);
const char *pw_mib_alert_code_label       (int          value);

/* PrtMarkerSuppliesTypeTC (IANA-PRINTER-MIB). */
const char *pw_mib_supply_type_nick       (int          value);
const char *pw_mib_supply_type_label      (int          value);

/* PrtMarkerSuppliesClassTC (RFC 3805): "consumed" or "filled". */
const char *pw_mib_supply_class_nick      (int          value);
const char *pw_mib_supply_class_label     (int          value);

/* PrtMarkerSuppliesSupplyUnitTC (RFC 3805). */
const char *pw_mib_supply_unit_nick       (int          value);
const char *pw_mib_supply_unit_label      (int          value);

/* PrtMarkerCounterUnitTC (RFC 3805). */
const char *pw_mib_counter_unit_nick      (int          value);
const char *pw_mib_counter_unit_label     (int          value);

/* PrtInputTypeTC, PrtOutputTypeTC, PrtMediaPathTypeTC (IANA-PRINTER-MIB)
 * and FinDeviceTypeTC (IANA-FINISHER-MIB): the installed options. */
const char *pw_mib_input_type_nick        (int          value);
const char *pw_mib_input_type_label       (int          value);
const char *pw_mib_output_type_nick       (int          value);
const char *pw_mib_output_type_label      (int          value);
const char *pw_mib_media_path_type_nick   (int          value);
const char *pw_mib_media_path_type_label  (int          value);
const char *pw_mib_finisher_type_nick     (int          value);
const char *pw_mib_finisher_type_label    (int          value);

/* hrDeviceStatus and hrPrinterStatus (RFC 2790). */
const char *pw_mib_device_status_nick     (int          value);
const char *pw_mib_device_status_label    (int          value);
const char *pw_mib_printer_status_nick    (int          value);
const char *pw_mib_printer_status_label   (int          value);

/* hrPrinterDetectedErrorState (RFC 2790) by bit number: 0 lowPaper …
 * 14 overduePreventMaint; 15 and above are not assigned. */
const char *pw_mib_printer_error_nick     (guint        bit);
const char *pw_mib_printer_error_label    (guint        bit);

char       *pw_mib_alert_describe         (int          severity,
                                           int          group,
                                           int          group_index,
                                           int          code,
                                           const char  *description);

G_END_DECLS
