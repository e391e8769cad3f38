/* pw-test-demo-fleet.c: printer fleets made through the store API, for GUI tests,
 * the screenshots and the GUI benchmark.
 *
 * Device i (from 1) sits at 127.20.x.y (loopback: nothing is ever sent
 * elsewhere) and varies with i: vendor and model, mono or colour, supply
 * levels, a paper jam, low toner, a printer that stopped answering, one
 * never polled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pw-test-demo-fleet.h"

const char * const pw_test_fleet_codes[8] = { "BR", "HP", "KM", "CN", "RC", "XR", "LX", "KY" };
const char * const pw_test_fleet_vendors[8] = {
  "Brother", "HP", "Konica Minolta", "Canon", "Ricoh", "Xerox", "Lexmark", "Kyocera",
};
static const char * const models[8][2] = {
  { "HL-L5100DN", "MFC-L8900CDW" }, { "LaserJet M507", "Color LaserJet MFP M480f" },
  { "bizhub 4020i", "bizhub C300i" }, { "i-SENSYS LBP325x", "imageRUNNER ADVANCE C3530i" },
  { "SP 5300DN", "IM C3000" }, { "B410", "VersaLink C405" }, { "MS826de", "CX735adse" },
  { "ECOSYS P3155dn", "TASKalfa 2554ci" },
};
static const char * const sites[4] = { "hq", "branch", "lab", "depot" };
static const char * const colourants[4] = { "black", "cyan", "magenta", "yellow" };

#define AS_HOST(i) g_strdup_printf ("127.20.%u.%u", (i) / 250, (i) % 250 + 1)

static void
add_supplies (PwSnapshot *snapshot,
              guint       i,
              gboolean    colour)
{
  for (guint k = 0; k < (colour ? 4u : 1u); k++)
    {
      g_autofree char *description = g_strdup_printf ("%c%s Toner", g_ascii_toupper (colourants[k][0]),
                                                      colourants[k] + 1);
      PwSupply toner = {
        .index = (gint) k + 1, .description = description, .type = 3, .supply_class = 3, .unit = 19,
        .max_capacity = 100, .level = (gint64) ((i * 37 + k * 23) % 101), .colour = (char *) colourants[k],
      };

      /* Some printers tell only that there is some left (RFC 3805: -3). */
      if (i % 23 == 0)
        toner.level = -3;
      pw_snapshot_add_supply (snapshot, &toner);
    }
  if (i % 4 == 1)
    {
      PwSupply drum = {
        .index = 5, .description = (char *) "Drum Unit", .type = 9, .supply_class = 3, .unit = 19,
        .max_capacity = 100, .level = 40 + (gint64) (i % 60),
      };
      PwSupply waste = {
        .index = 6, .description = (char *) "Waste Toner Box", .type = 4, .supply_class = 4, .unit = 19,
        .max_capacity = -2, .level = -3,
      };

      pw_snapshot_add_supply (snapshot, &drum);
      pw_snapshot_add_supply (snapshot, &waste);
    }
}

static void
add_options (PwSnapshot *snapshot,
             guint       i)
{
  PwOption tray1 = { .kind = PW_OPTION_INPUT, .index = 1, .type = 4, .name = (char *) "Tray 1",
                     .media = (char *) "A4", .unit = 8, .capacity = 500, .level = (gint64) (i * 7 % 500) };
  PwOption bypass = { .kind = PW_OPTION_INPUT, .index = 2, .type = 5, .name = (char *) "Bypass Tray",
                      .unit = 8, .capacity = 100, .level = -3 };
  PwOption bin = { .kind = PW_OPTION_OUTPUT, .index = 1, .type = 3, .name = (char *) "Face-down Bin",
                   .unit = 8, .capacity = 250, .level = -2 };
  PwOption duplex = { .kind = PW_OPTION_DUPLEX, .index = 2, .type = 4 };
  PwOption memory = { .kind = PW_OPTION_MEMORY, .index = 1, .capacity = (gint64) 2 << 30 };

  pw_snapshot_add_option (snapshot, &tray1);
  pw_snapshot_add_option (snapshot, &bypass);
  pw_snapshot_add_option (snapshot, &bin);
  pw_snapshot_add_option (snapshot, &duplex);
  pw_snapshot_add_option (snapshot, &memory);
}

static PwSnapshot *
make_snapshot (guint  i,
               gint64 taken_at,
               gint64 total)
{
  PwSnapshot *snapshot = pw_snapshot_new (taken_at);
  guint v = i % 8;
  gboolean colour = i % 3 != 0;
  g_autofree char *serial = g_strdup_printf ("%s-%04u", pw_test_fleet_codes[v], i);
  g_autofree char *name = g_strdup_printf ("%s-f%u-%s%02u", sites[i % 4], i % 5, colour ? "mfp" : "laser", i % 97);
  g_autofree char *location = g_strdup_printf ("Building %c, floor %u, room %u", 'A' + (char) (i % 4), i % 5,
                                               100 + i % 5 * 100 + i % 40);
  g_autofree char *mac = g_strdup_printf ("00:00:5e:00:53:%02x", i % 256);
  guint32 errors = 0;
  PwPrinterStatus printer = i % 19 == 4 ? PW_PRINTER_STATUS_PRINTING : PW_PRINTER_STATUS_IDLE;
  PwDeviceStatus device = PW_DEVICE_STATUS_RUNNING;

  pw_snapshot_set_identity (snapshot, PW_IDENTITY_VENDOR, pw_test_fleet_vendors[v]);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MODEL, models[v][colour]);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, serial);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_SYS_NAME, name);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_LOCATION, location);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_FIRMWARE, "2.31.7");
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_MAC, mac);
  pw_snapshot_set_identity (snapshot, PW_IDENTITY_CONTACT, "IT Service Desk");
  pw_snapshot_set_uptime (snapshot, (gint64) (i % 30) * 8640000 + 360000);

  if (i % 10 == 3)
    {
      PwAlert jam = { .index = 1, .severity = 3, .training = 3, .group = 13, .group_index = 1, .code = 8 };

      errors |= 1u << 5;
      device = PW_DEVICE_STATUS_DOWN;
      pw_snapshot_add_alert (snapshot, &jam);
    }
  else if (i % 7 == 2)
    {
      PwAlert low = { .index = 1, .severity = 4, .training = 3, .group = 11, .group_index = 1, .code = 1104 };

      errors |= 1u << 2;
      device = PW_DEVICE_STATUS_WARNING;
      pw_snapshot_add_alert (snapshot, &low);
    }
  else if (i % 11 == 5)
    {
      errors |= 1u << 0;
      device = PW_DEVICE_STATUS_WARNING;
    }
  pw_snapshot_set_status (snapshot, device, printer, errors);

  pw_snapshot_add_counter (snapshot, "total", total, "impressions");
  if (colour)
    {
      pw_snapshot_add_counter (snapshot, "black", total * 7 / 10, "impressions");
      pw_snapshot_add_counter (snapshot, "colour", total - total * 7 / 10, "impressions");
      pw_snapshot_add_counter (snapshot, "copy", total / 4, "impressions");
      pw_snapshot_add_counter (snapshot, "scan", total / 9, "sheets");
    }
  add_supplies (snapshot, i, colour);
  add_options (snapshot, i);
  return snapshot;
}

static gint64
total_of (guint i)
{
  return 1000 + (gint64) i * 7919 % 400000;
}

static gint64
pages_on (guint  i,
          guint  d,
          gint64 taken_at)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (taken_at);

  if (g_date_time_get_day_of_week (when) >= 6)
    return (gint64) (d * 7 % 20);  /* weekends */
  return 180 + (gint64) ((d * 131 + i * 17) % 420);
}

/* A reading a day for the @n_days days before @now, fewer pages on
 * weekends, ending below @latest_total. */
static void
add_history (PwStore *store,
             gint64   device_id,
             guint    i,
             guint    n_days,
             gint64   latest_total,
             gint64   now)
{
  gint64 total = latest_total;

  for (guint d = 1; d <= n_days; d++)
    total -= pages_on (i, d, now - (gint64) d * 86400);
  for (guint d = n_days; d >= 1; d--)
    {
      g_autoptr(GError) error = NULL;
      gint64 taken_at = now - (gint64) d * 86400;
      g_autoptr(PwSnapshot) snapshot = make_snapshot (i, taken_at, MAX (total, 0));

      g_assert_true (pw_store_append_snapshot (store, device_id, snapshot, &error));
      g_assert_no_error (error);
      total += pages_on (i, d, taken_at);
    }
}

/**
 * pw_test_fleet_fill:
 * @port: their SNMP port
 * @history_days: days of daily readings before the latest (0 for none)
 * @now: unix seconds; the latest readings are from the hours before
 *
 * Adds devices 1 to @n_devices.
 */
void
pw_test_fleet_fill (PwStore *store,
                    guint    n_devices,
                    guint16  port,
                    guint    history_days,
                    gint64   now)
{
  for (guint i = 1; i <= n_devices; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = AS_HOST (i);
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, port, &error);
      g_autoptr(PwSnapshot) snapshot = NULL;
      gint64 taken_at = now - (gint64) (i % 600) * 60;

      g_assert_no_error (error);
      if (i % 17 == 0)
        continue;  /* never polled */
      add_history (store, pw_device_get_id (device), i, history_days, total_of (i), taken_at);
      snapshot = make_snapshot (i, taken_at, total_of (i));
      g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (device), snapshot, &error));
      g_assert_no_error (error);
      if (i % 13 == 0)
        {
          g_assert_true (pw_store_mark_unreachable (store, pw_device_get_id (device), "No answer after 2 tries",
                                                    &error));
          g_assert_no_error (error);
        }
    }
}
