/* test-poller.c: reading whole snapshots from real simulated agents on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

/* One snmpsimd serving tests/fixtures/snmp: the community picks the recording. */
static PwTestAgent *fixtures_agent;
static char *fixtures_endpoint_host;
static guint16 fixtures_port;

static PwTestAgent *
fixtures_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  const char *endpoints[2] = { NULL, NULL };

  if (fixtures_agent != NULL)
    return fixtures_agent;
  fixtures_endpoint_host = g_strdup ("127.0.0.71");
  fixtures_port = pw_test_free_udp_port (fixtures_endpoint_host);
  endpoint = g_strdup_printf ("%s:%u", fixtures_endpoint_host, fixtures_port);
  endpoints[0] = endpoint;
  fixtures_agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  if (fixtures_agent == NULL)
    g_test_skip (error->message);
  return fixtures_agent;
}

static GPtrArray *
community (const char *name)
{
  GPtrArray *credentials = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, name, NULL));
  return credentials;
}

static PwSnmpEngine *
test_engine (guint timeout_ms)
{
  PwSnmpEngine *engine = pw_snmp_engine_new ();

  pw_snmp_engine_set_timeout (engine, timeout_ms);
  pw_snmp_engine_set_retries (engine, 1);
  return engine;
}

typedef struct {
  GMainLoop  *loop;
  PwSnapshot *snapshot;
  GPtrArray  *results;
  GError     *error;
  guint       progress;
  guint       polled;
} Run;

static void
polled_one_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  Run *run = user_data;

  run->snapshot = pw_poller_poll_one_finish (PW_POLLER (source), res, &run->error);
  g_main_loop_quit (run->loop);
}

static PwSnapshot *
poll_one (const char  *host,
          guint16      port,
          GPtrArray   *credentials,
          guint        timeout_ms,
          GError     **error)
{
  g_autoptr(PwSnmpEngine) engine = test_engine (timeout_ms);
  g_autoptr(PwPoller) poller = pw_poller_new (engine, NULL);
  Run run = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL, 0, 0 };

  pw_poller_poll_one_async (poller, host, port, credentials, NULL, polled_one_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.snapshot;
}

/* Polls one fixture through the shared agent, or NULL when it cannot run. */
static PwSnapshot *
poll_fixture (const char *name)
{
  g_autoptr(GPtrArray) credentials = community (name);
  g_autoptr(GError) error = NULL;
  PwSnapshot *snapshot;

  if (fixtures_start () == NULL)
    return NULL;
  snapshot = poll_one (fixtures_endpoint_host, fixtures_port, credentials, 2000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static PwSupply *
supply_at (PwSnapshot *snapshot,
           gint        index)
{
  GPtrArray *supplies = pw_snapshot_get_supplies (snapshot);

  for (guint i = 0; i < supplies->len; i++)
    if (((PwSupply *) supplies->pdata[i])->index == index)
      return supplies->pdata[i];
  return NULL;
}

static const PwCounter *
counter_named (PwSnapshot *snapshot,
               const char *name)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);

  for (guint i = 0; i < counters->len; i++)
    if (g_str_equal (((PwCounter *) counters->pdata[i])->name, name))
      return counters->pdata[i];
  return NULL;
}

static void
assert_supply (PwSnapshot *snapshot,
               gint        index,
               const char *description,
               gint        supply_class,
               gint        type,
               gint        unit,
               gint64      max_capacity,
               gint64      level,
               const char *colour)
{
  PwSupply *supply = supply_at (snapshot, index);

  g_assert_nonnull (supply);
  g_assert_cmpstr (supply->description, ==, description);
  g_assert_cmpint (supply->supply_class, ==, supply_class);
  g_assert_cmpint (supply->type, ==, type);
  g_assert_cmpint (supply->unit, ==, unit);
  g_assert_cmpint (supply->max_capacity, ==, max_capacity);
  g_assert_cmpint (supply->level, ==, level);
  g_assert_cmpstr (supply->colour, ==, colour);
}

static void
test_laser (void)
{
  g_autoptr(PwSnapshot) snapshot = poll_fixture ("generic-laser");
  const PwCounter *total;

  if (snapshot == NULL)
    return;
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL), ==, "LP2040-000123");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_MAC), ==, "00:00:5e:00:53:01");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SYS_NAME), ==, "lp2040-floor2");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_LOCATION), ==, "Building A, floor 2, room 214");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_CONTACT), ==, "IT Service Desk");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SYS_OBJECT_ID), ==, "1.3.6.1.4.1.32473.2.1");
  g_assert_cmpint (pw_snapshot_get_uptime (snapshot), ==, 8640123);

  total = counter_named (snapshot, "total");
  g_assert_nonnull (total);
  g_assert_cmpint (total->value, ==, 48213);
  g_assert_cmpstr (total->unit, ==, "impressions");
  g_assert_cmpint (counter_named (snapshot, "since-power-on")->value, ==, 1520);
  g_assert_cmpuint (pw_snapshot_get_counters (snapshot)->len, ==, 2);  /* one marker */
  /* No firmware anywhere in the standard MIBs, and no vendor to ask. */
  g_assert_null (pw_snapshot_get_identity (snapshot, PW_IDENTITY_FIRMWARE));

  g_assert_cmpuint (pw_snapshot_get_supplies (snapshot)->len, ==, 3);
  assert_supply (snapshot, 1, "Black Toner Cartridge LP-T20K", 3, 3, 19, 100, 40, "black");
  assert_supply (snapshot, 2, "Imaging Drum LP-D20", 3, 9, 7, 30000, 21500, NULL);
  assert_supply (snapshot, 3, "Waste Toner Box", 4, 4, 19, 100, -3, NULL);

  g_assert_cmpuint (pw_snapshot_get_alerts (snapshot)->len, ==, 0);
  g_assert_cmpint (pw_snapshot_get_device_status (snapshot), ==, PW_DEVICE_STATUS_RUNNING);
  g_assert_cmpint (pw_snapshot_get_printer_status (snapshot), ==, PW_PRINTER_STATUS_IDLE);
  g_assert_cmpuint (pw_snapshot_get_error_state (snapshot), ==, 0);
}

/* A printer whose meters come packed in Brother's private MIB. */
static void
test_brother (void)
{
  g_autoptr(PwSnapshot) snapshot = poll_fixture ("brother-mono");

  if (snapshot == NULL)
    return;
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_VENDOR), ==, "Brother");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL), ==, "E78123A9N654321");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_FIRMWARE), ==, "1.02");
  /* The Printer-MIB's total stays; the others come from the records. */
  g_assert_cmpint (counter_named (snapshot, "total")->value, ==, 7792);
  g_assert_cmpstr (counter_named (snapshot, "total")->unit, ==, "impressions");
  g_assert_cmpint (counter_named (snapshot, "black")->value, ==, 6544);
  g_assert_cmpstr (counter_named (snapshot, "black")->unit, ==, "pages");
  g_assert_cmpint (counter_named (snapshot, "duplex")->value, ==, 1073);
  /* Past the end mark: not read. */
  g_assert_null (counter_named (snapshot, "colour"));
  g_assert_cmpuint (pw_snapshot_get_counters (snapshot)->len, ==, 3);
}

/* The @n-th option of @kind, or fails. */
static const PwOption *
option_at (PwSnapshot   *snapshot,
           PwOptionKind  kind,
           guint         n)
{
  GPtrArray *options = pw_snapshot_get_options (snapshot);

  for (guint i = 0; i < options->len; i++)
    {
      const PwOption *option = options->pdata[i];

      if (option->kind == kind && n-- == 0)
        return option;
    }
  g_assert_not_reached ();
}

static guint
count_options (PwSnapshot   *snapshot,
               PwOptionKind  kind)
{
  GPtrArray *options = pw_snapshot_get_options (snapshot);
  guint n = 0;

  for (guint i = 0; i < options->len; i++)
    n += ((const PwOption *) options->pdata[i])->kind == kind;
  return n;
}

static void
assert_option (const PwOption *option,
               gint            index,
               gint            type,
               const char     *name,
               const char     *media,
               gint            unit,
               gint64          capacity,
               gint64          level)
{
  g_assert_cmpint (option->index, ==, index);
  g_assert_cmpint (option->type, ==, type);
  g_assert_cmpstr (option->name, ==, name);
  g_assert_cmpstr (option->media, ==, media);
  g_assert_cmpint (option->unit, ==, unit);
  g_assert_cmpint (option->capacity, ==, capacity);
  g_assert_cmpint (option->level, ==, level);
}

/* Trays, bins, duplex, finisher, memory, disk and the ENTITY-MIB firmware. */
static void
test_options (void)
{
  g_autoptr(PwSnapshot) snapshot = poll_fixture ("generic-colour-mfp");

  if (snapshot == NULL)
    return;
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_FIRMWARE), ==, "CM5530 System 2.14.7");
  g_assert_cmpint (counter_named (snapshot, "since-power-on")->value, ==, 4321);

  g_assert_cmpuint (count_options (snapshot, PW_OPTION_INPUT), ==, 3);
  assert_option (option_at (snapshot, PW_OPTION_INPUT, 0), 1, 3, "Tray 1", "A4 plain", 8, 500, 320);
  assert_option (option_at (snapshot, PW_OPTION_INPUT, 1), 2, 3, "Tray 2", "A3 plain", 8, 500, 0);
  assert_option (option_at (snapshot, PW_OPTION_INPUT, 2), 3, 5, "Bypass Tray", NULL, 8, 100, -2);
  g_assert_cmpuint (count_options (snapshot, PW_OPTION_OUTPUT), ==, 2);
  assert_option (option_at (snapshot, PW_OPTION_OUTPUT, 0), 1, 3, "Centre Tray", NULL, 8, 250, -3);
  /* No name: its description stands in. */
  assert_option (option_at (snapshot, PW_OPTION_OUTPUT, 1), 2, 3, "Finisher Shift Tray", NULL, 8, 1000, 1000);
  /* Simplex paths are not duplex. */
  g_assert_cmpuint (count_options (snapshot, PW_OPTION_DUPLEX), ==, 1);
  assert_option (option_at (snapshot, PW_OPTION_DUPLEX, 0), 2, 3, NULL, NULL, 0, -2, -2);
  /* The booklet unit says it is not present. */
  g_assert_cmpuint (count_options (snapshot, PW_OPTION_FINISHER), ==, 1);
  assert_option (option_at (snapshot, PW_OPTION_FINISHER, 0), 1, 3, "Staple Finisher SF-5530", NULL, 18, 5000, -3);
  g_assert_cmpuint (count_options (snapshot, PW_OPTION_MEMORY), ==, 1);
  g_assert_cmpint (option_at (snapshot, PW_OPTION_MEMORY, 0)->capacity, ==, G_GINT64_CONSTANT (2097152) * 1024);
  /* RAM in hrStorageTable is no disk. */
  g_assert_cmpuint (count_options (snapshot, PW_OPTION_DISK), ==, 1);
  assert_option (option_at (snapshot, PW_OPTION_DISK, 0), 2, 0, "Internal HDD", NULL, 0,
                 G_GINT64_CONSTANT (78125000) * 4096, G_GINT64_CONSTANT (12500000) * 4096);
}

static void
test_colour_mfp (void)
{
  g_autoptr(PwSnapshot) snapshot = poll_fixture ("generic-colour-mfp");
  const PwCounter *total;
  GPtrArray *alerts;
  PwAlert *alert;

  if (snapshot == NULL)
    return;
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL), ==, "CM5530-004711");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_MAC), ==, "00:00:5e:00:53:02");
  total = counter_named (snapshot, "total");
  g_assert_nonnull (total);
  g_assert_cmpint (total->value, ==, 1234567);
  g_assert_cmpstr (total->unit, ==, "impressions");

  g_assert_cmpuint (pw_snapshot_get_supplies (snapshot)->len, ==, 7);
  assert_supply (snapshot, 1, "Black Toner CM-TK5530K", 3, 3, 19, 100, 62, "black");
  assert_supply (snapshot, 2, "Cyan Toner CM-TK5530C", 3, 3, 19, 100, 4, "cyan");
  assert_supply (snapshot, 3, "Magenta Toner CM-TK5530M", 3, 3, 19, 100, 55, "magenta");
  assert_supply (snapshot, 4, "Yellow Toner CM-TK5530Y", 3, 3, 19, 100, 81, "yellow");
  assert_supply (snapshot, 5, "Waste Toner Box CM-WT5530", 4, 4, 19, 100, 8, NULL);
  assert_supply (snapshot, 6, "Fuser Unit", 3, 15, 7, 200000, 150320, NULL);
  assert_supply (snapshot, 7, "Transfer Belt", 3, 20, 7, 150000, 99000, NULL);

  alerts = pw_snapshot_get_alerts (snapshot);
  g_assert_cmpuint (alerts->len, ==, 3);
  alert = alerts->pdata[0];
  g_assert_cmpint (alert->index, ==, 1);
  g_assert_cmpint (alert->severity, ==, 4);
  g_assert_cmpint (alert->training, ==, 4);
  g_assert_cmpint (alert->group, ==, 11);
  g_assert_cmpint (alert->group_index, ==, 2);
  g_assert_cmpint (alert->location, ==, -2);
  g_assert_cmpint (alert->code, ==, 1104);
  g_assert_cmpstr (alert->description, ==, "Cyan toner low");
  g_assert_cmpint (alert->time, ==, 251000000);
  alert = alerts->pdata[1];
  g_assert_cmpint (alert->group, ==, 8);
  g_assert_cmpint (alert->code, ==, 808);
  g_assert_cmpstr (alert->description, ==, "Tray 2 empty");
  alert = alerts->pdata[2];
  g_assert_cmpint (alert->group_index, ==, 5);
  g_assert_cmpstr (alert->description, ==, "Waste toner box almost full");

  g_assert_cmpint (pw_snapshot_get_device_status (snapshot), ==, PW_DEVICE_STATUS_WARNING);
  g_assert_cmpint (pw_snapshot_get_printer_status (snapshot), ==, PW_PRINTER_STATUS_IDLE);
  /* 20 04: lowToner (bit 2) and inputTrayEmpty (bit 13), RFC 2790. */
  g_assert_cmpuint (pw_snapshot_get_error_state (snapshot), ==, (1u << 2) | (1u << 13));
}

static void
assert_harmless (const char *text)
{
  g_assert_true (text == NULL || g_utf8_validate (text, -1, NULL));
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
    }
}

static void
test_hostile (void)
{
  g_autoptr(PwSnapshot) snapshot = poll_fixture ("hostile-printer");
  GPtrArray *counters, *supplies, *alerts;

  if (snapshot == NULL)
    return;
  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    assert_harmless (pw_snapshot_get_identity (snapshot, f));
  g_assert_nonnull (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL));
  /* Eight bytes are no MAC address. */
  g_assert_null (pw_snapshot_get_identity (snapshot, PW_IDENTITY_MAC));

  /* Meters: only non-negative numbers that fit. */
  counters = pw_snapshot_get_counters (snapshot);
  for (guint i = 0; i < counters->len; i++)
    {
      PwCounter *counter = counters->pdata[i];

      g_assert_cmpint (counter->value, >=, 0);
      assert_harmless (counter->name);
      assert_harmless (counter->unit);
    }
  g_assert_nonnull (counter_named (snapshot, "total"));
  g_assert_cmpint (counter_named (snapshot, "total")->value, ==, G_MAXUINT32);
  g_assert_null (counter_named (snapshot, "total")->unit);  /* no prtMarkerCounterUnit */

  supplies = pw_snapshot_get_supplies (snapshot);
  g_assert_cmpuint (supplies->len, ==, 7);
  for (guint i = 0; i < supplies->len; i++)
    {
      PwSupply *supply = supplies->pdata[i];

      assert_harmless (supply->description);
      assert_harmless (supply->colour);
      g_assert_cmpint (supply->level, >=, -3);
      g_assert_cmpint (supply->max_capacity, >=, -3);
    }
  g_assert_cmpint (supply_at (snapshot, 1)->level, ==, -3);
  g_assert_cmpint (supply_at (snapshot, 2)->max_capacity, ==, -2);
  g_assert_cmpint (supply_at (snapshot, 3)->max_capacity, ==, 0);
  g_assert_cmpint (supply_at (snapshot, 4)->level, ==, 150);                /* kept raw: above max */
  g_assert_cmpint (supply_at (snapshot, 5)->level, ==, -2);                 /* -2^31: out of range */
  g_assert_cmpint (supply_at (snapshot, 6)->level, ==, -1);
  g_assert_cmpint (supply_at (snapshot, 7)->level, ==, -2);                 /* "50%": a string */
  g_assert_null (supply_at (snapshot, 7)->colour);                          /* colorant 99 absent */
  g_assert_nonnull (supply_at (snapshot, 1)->colour);

  alerts = pw_snapshot_get_alerts (snapshot);
  g_assert_cmpuint (alerts->len, ==, 1);
  assert_harmless (((PwAlert *) alerts->pdata[0])->description);
  g_assert_cmpint (((PwAlert *) alerts->pdata[0])->group_index, ==, -5);

  /* Options: names made harmless, impossible numbers unknown. */
  for (guint i = 0; i < pw_snapshot_get_options (snapshot)->len; i++)
    {
      const PwOption *option = pw_snapshot_get_options (snapshot)->pdata[i];

      assert_harmless (option->name);
      assert_harmless (option->media);
      g_assert_true (option->kind == PW_OPTION_MEMORY || option->kind == PW_OPTION_DISK ||
                     (option->capacity >= -3 && option->level >= -3));
    }
  g_assert_cmpint (option_at (snapshot, PW_OPTION_OUTPUT, 0)->capacity, ==, -2);  /* -7 */
  g_assert_cmpint (option_at (snapshot, PW_OPTION_OUTPUT, 0)->level, ==, -2);     /* "full" */
  g_assert_nonnull (option_at (snapshot, PW_OPTION_FINISHER, 0)->name);
  g_assert_cmpint (option_at (snapshot, PW_OPTION_DISK, 0)->capacity, ==,          /* absurd, but it fits */
                   G_GINT64_CONSTANT (2147483647) * 2147483647);
  g_assert_cmpint (option_at (snapshot, PW_OPTION_DISK, 0)->level, ==, -2);       /* negative */

  /* hrDeviceStatus 99 and hrPrinterStatus -7 are no status. */
  g_assert_cmpint (pw_snapshot_get_device_status (snapshot), ==, PW_DEVICE_STATUS_NONE);
  g_assert_cmpint (pw_snapshot_get_printer_status (snapshot), ==, PW_PRINTER_STATUS_NONE);
  g_assert_cmpuint (pw_snapshot_get_error_state (snapshot), ==, G_MAXUINT32);
}

static void
test_router (void)
{
  g_autoptr(PwSnapshot) snapshot = poll_fixture ("router");

  if (snapshot == NULL)
    return;
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SYS_NAME), ==, "edge-router");
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_MAC), ==, "00:00:5e:00:53:10");
  g_assert_null (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL));
  g_assert_cmpuint (pw_snapshot_get_counters (snapshot)->len, ==, 0);
  g_assert_cmpuint (pw_snapshot_get_supplies (snapshot)->len, ==, 0);
  g_assert_cmpuint (pw_snapshot_get_alerts (snapshot)->len, ==, 0);
  g_assert_cmpint (pw_snapshot_get_device_status (snapshot), ==, PW_DEVICE_STATUS_NONE);
  g_assert_cmpint (pw_snapshot_get_printer_status (snapshot), ==, PW_PRINTER_STATUS_NONE);
}

/* A wrong community first: silence, then the next credentials answer. */
static void
test_credentials_in_order (void)
{
  g_autoptr(GPtrArray) credentials = community ("no-such-recording");
  g_autoptr(PwSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  if (fixtures_start () == NULL)
    return;
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "generic-laser", NULL));
  snapshot = poll_one (fixtures_endpoint_host, fixtures_port, credentials, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL), ==, "LP2040-000123");

  g_ptr_array_remove_index (credentials, 1);
  g_clear_object (&snapshot);
  snapshot = poll_one (fixtures_endpoint_host, fixtures_port, credentials, 300, &error);
  g_assert_null (snapshot);
  g_assert_error (error, PW_SNMP_ERROR, PW_SNMP_ERROR_TIMEOUT);
}

/* SNMPv1 walks with GETNEXT and ends a subtree the agent lacks with
 * noSuchName: the same snapshot comes out. */
static void
test_v1 (void)
{
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PwSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  if (fixtures_start () == NULL)
    return;
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_1, "generic-colour-mfp", NULL));
  snapshot = poll_one (fixtures_endpoint_host, fixtures_port, credentials, 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL), ==, "CM5530-004711");
  g_assert_true (pw_snapshot_lookup_counter (snapshot, "total", &total));
  g_assert_cmpint (total, ==, 1234567);
  g_assert_cmpuint (pw_snapshot_get_supplies (snapshot)->len, ==, 7);
  g_assert_cmpuint (pw_snapshot_get_alerts (snapshot)->len, ==, 3);
  g_assert_cmpstr (supply_at (snapshot, 4)->colour, ==, "yellow");
}

/* A printer that claims 1,500 supplies: the poll keeps the first 1,000. */
static void
test_huge_table (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "huge.snmprec", NULL);
  g_autoptr(GString) text = g_string_new ("1.3.6.1.2.1.1.1.0|4|Huge printer\n");
  g_autoptr(GPtrArray) credentials = community ("huge");
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(PwSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  const char *endpoints[2] = { NULL, NULL };
  guint16 port = pw_test_free_udp_port ("127.0.0.72");
  GPtrArray *supplies;

  for (guint column = 6; column <= 9; column++)
    for (guint row = 1; row <= 1500; row++)
      if (column == 6)
        g_string_append_printf (text, "1.3.6.1.2.1.43.11.1.1.6.1.%u|4|Supply %u\n", row, row);
      else
        g_string_append_printf (text, "1.3.6.1.2.1.43.11.1.1.%u.1.%u|2|%u\n", column, row, column == 9 ? 50 : 100);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);  /* snmpsimd runs as nobody */
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  endpoint = g_strdup_printf ("127.0.0.72:%u", port);
  endpoints[0] = endpoint;
  agent = pw_test_snmpsim_start (dir, endpoints, &error);
  if (agent == NULL)
    {
      g_test_skip (error->message);
      pw_test_remove_tree (dir);
      return;
    }
  snapshot = poll_one ("127.0.0.72", port, credentials, 2000, &error);
  g_assert_no_error (error);
  supplies = pw_snapshot_get_supplies (snapshot);
  g_assert_cmpuint (supplies->len, ==, PW_POLLER_MAX_TABLE_ROWS);
  g_assert_cmpint (((PwSupply *) supplies->pdata[999])->index, ==, 1000);
  g_assert_cmpstr (((PwSupply *) supplies->pdata[999])->description, ==, "Supply 1000");
  g_assert_cmpint (((PwSupply *) supplies->pdata[999])->level, ==, 50);
  g_assert_cmpint (((PwSupply *) supplies->pdata[999])->max_capacity, ==, 100);
  pw_test_remove_tree (dir);
}

/* One snmpsimd per address, each serving one recording as community
 * "public", so that stored devices (one per address) differ. */
static PwTestAgent *
agent_at (const char *dir,
          const char *address,
          guint16     port,
          const char *recording)
{
  g_autofree char *data = g_build_filename (dir, address, NULL);
  g_autofree char *link = g_build_filename (data, "public.snmprec", NULL);
  g_autofree char *path = g_strdup_printf ("%s/%s.snmprec", pw_test_fixtures_dir (), recording);
  g_autofree char *endpoint = g_strdup_printf ("%s:%u", address, port);
  const char *endpoints[] = { endpoint, NULL };
  g_autoptr(GError) error = NULL;
  PwTestAgent *agent;

  g_assert_cmpint (g_mkdir (data, 0755), ==, 0);
  g_assert_cmpint (symlink (path, link), ==, 0);
  agent = pw_test_snmpsim_start (data, endpoints, &error);
  if (agent == NULL)
    g_test_skip (error->message);
  return agent;
}

static void
progress_cb (PwPoller *poller,
             Run      *run)
{
  run->progress++;
  g_assert_cmpuint (pw_poller_get_done (poller), ==, run->progress);
  g_assert_cmpuint (pw_poller_get_done (poller), <=, pw_poller_get_total (poller));
}

static void
device_polled_cb (PwPoller     *poller,
                  PwPollResult *result,
                  Run          *run)
{
  g_assert_true (result->ok == (result->snapshot != NULL));
  g_assert_true (result->ok == (result->message == NULL));
  run->polled++;
}

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Run *run = user_data;

  run->results = pw_poller_poll_finish (PW_POLLER (source), res, &run->error);
  g_main_loop_quit (run->loop);
}

static GPtrArray *
poll_fleet_full (PwStore       *store,
                 GPtrArray     *devices,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(PwSnmpEngine) engine = test_engine (500);
  g_autoptr(PwPoller) poller = pw_poller_new (engine, store);
  g_autoptr(GPtrArray) credentials = community ("public");
  Run run = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL, 0, 0 };

  g_signal_connect (poller, "progress", G_CALLBACK (progress_cb), &run);
  g_signal_connect (poller, "device-polled", G_CALLBACK (device_polled_cb), &run);
  pw_poller_poll_async (poller, devices, credentials, cancellable, polled_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return NULL;
    }
  g_assert_cmpuint (run.progress, ==, devices->len);
  g_assert_cmpuint (run.polled, ==, devices->len);
  g_assert_cmpuint (pw_poller_get_total (poller), ==, devices->len);
  g_assert_cmpuint (run.results->len, ==, devices->len);
  return run.results;
}

static GPtrArray *
poll_fleet (PwStore   *store,
            GPtrArray *devices)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = poll_fleet_full (store, devices, NULL, &error);

  g_assert_no_error (error);
  return results;
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cancel.db", NULL);
  g_autoptr(PwStore) store = pw_store_open (db, &error);
  g_autoptr(GPtrArray) results = NULL;

  g_assert_no_error (error);
  g_ptr_array_add (devices, pw_store_add_device (store, "127.0.0.85", 9, &error));
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  results = poll_fleet_full (store, devices, cancellable, &error);
  g_assert_null (results);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  pw_test_remove_tree (dir);
}

static gint64
stored_total (PwStore *store,
              gint64   device_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = pw_store_get_device (store, device_id, &error);
  gint64 value = -1;

  g_assert_no_error (error);
  if (pw_device_get_latest (device) == NULL ||
      !pw_snapshot_lookup_counter (pw_device_get_latest (device), "total", &value))
    return -1;
  return value;
}

/* A fleet poll stores each snapshot; a device that stops answering is
 * marked unreachable and keeps the snapshot it had. */
static void
test_store_and_unreachable (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "poller.db", NULL);
  guint16 port = pw_test_free_udp_port ("127.0.0.81");
  g_autoptr(PwTestAgent) laser = NULL;
  g_autoptr(PwTestAgent) mfp = NULL;
  g_autoptr(PwTestAgent) hostile = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  const char * const hosts[] = { "127.0.0.81", "127.0.0.82", "127.0.0.83", "127.0.0.84" };
  PwPollResult *result;

  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);  /* snmpsimd runs as nobody */
  laser = agent_at (dir, hosts[0], port, "generic-laser");
  if (laser == NULL)
    goto out;
  mfp = agent_at (dir, hosts[1], port, "generic-colour-mfp");
  if (mfp == NULL)
    goto out;
  hostile = agent_at (dir, hosts[3], port, "hostile-printer");
  if (hostile == NULL)
    goto out;
  store = pw_store_open (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)  /* the third is silent */
    {
      g_ptr_array_add (devices, pw_store_add_device (store, hosts[i], port, &error));
      g_assert_no_error (error);
    }

  results = poll_fleet (store, devices);
  result = results->pdata[0];
  g_assert_true (result->ok);
  g_assert_cmpint (result->device_id, ==, pw_device_get_id (devices->pdata[0]));
  g_assert_cmpint (stored_total (store, result->device_id), ==, 48213);
  result = results->pdata[1];
  g_assert_true (result->ok);
  g_assert_cmpint (stored_total (store, result->device_id), ==, 1234567);
  result = results->pdata[2];
  g_assert_false (result->ok);
  g_assert_nonnull (result->message);
  device = pw_store_get_device (store, result->device_id, &error);
  g_assert_no_error (error);
  g_assert_false (pw_device_get_reachable (device));
  g_assert_cmpstr (pw_device_get_last_error (device), ==, result->message);
  g_clear_object (&device);

  device = pw_store_get_device (store, pw_device_get_id (devices->pdata[0]), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_device_get_identity (device, PW_IDENTITY_SERIAL), ==, "LP2040-000123");
  g_clear_object (&device);

  /* What the hostile printer said is stored harmless, its meters sane. */
  result = results->pdata[3];
  g_assert_true (result->ok);
  device = pw_store_get_device (store, result->device_id, &error);
  g_assert_no_error (error);
  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    assert_harmless (pw_device_get_identity (device, f));
  g_assert_nonnull (pw_device_get_latest (device));
  {
    GPtrArray *counters = pw_snapshot_get_counters (pw_device_get_latest (device));

    GPtrArray *options = pw_snapshot_get_options (pw_device_get_latest (device));

    g_assert_cmpuint (counters->len, ==, 2);
    g_assert_cmpint (counter_named (pw_device_get_latest (device), "total")->value, ==, G_MAXUINT32);
    g_assert_cmpint (counter_named (pw_device_get_latest (device), "since-power-on")->value, ==, 0);
    g_assert_cmpuint (options->len, >, 0);
    for (guint i = 0; i < options->len; i++)
      assert_harmless (((PwOption *) options->pdata[i])->name);
    for (guint i = 0; i < pw_snapshot_get_supplies (pw_device_get_latest (device))->len; i++)
      assert_harmless (((PwSupply *) pw_snapshot_get_supplies (pw_device_get_latest (device))->pdata[i])->description);
  }
  g_clear_object (&device);

  /* The laser printer goes away: unreachable, its snapshot unchanged. */
  g_clear_pointer (&laser, pw_test_agent_stop);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = poll_fleet (store, devices);
  result = results->pdata[0];
  g_assert_false (result->ok);
  g_test_message ("unreachable: %s", result->message);
  device = pw_store_get_device (store, result->device_id, &error);
  g_assert_no_error (error);
  g_assert_false (pw_device_get_reachable (device));
  g_assert_nonnull (pw_device_get_last_error (device));
  g_assert_cmpint (stored_total (store, result->device_id), ==, 48213);
  g_assert_true (((PwPollResult *) results->pdata[1])->ok);

out:
  pw_test_remove_tree (dir);
}

/* What expected.json says of one OID's counter, or -1. */
static gint64
expected_counter (JsonObject *entry,
                  const char *oid)
{
  JsonNode *node = json_object_get_member (entry, "counters");
  JsonArray *counters;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return -1;
  counters = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (counters); i++)
    {
      JsonObject *counter = json_array_get_object_element (counters, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (counter, "oid", NULL), oid) == 0)
        return json_object_get_int_member (counter, "value");
    }
  return -1;
}

/* LibreNMS's supply percentage: -3 ("some remaining") is 50; otherwise
 * level over a positive capacity. FALSE when there is no number to make. */
static gboolean
supply_percent (const PwSupply *supply,
                gint64         *percent)
{
  if (supply->level == -3)
    *percent = 50;
  else if (supply->level >= 0 && supply->max_capacity > 0)
    *percent = (100 * supply->level + supply->max_capacity / 2) / supply->max_capacity;
  else
    return FALSE;
  return TRUE;
}

/* The counter our profile reads from @oid (a vendor's), or NULL. */
static const char *
profile_counter_name (PwSnapshot *snapshot,
                      const char *oid)
{
  g_autoptr(GPtrArray) queries = pw_profile_get_queries (pw_profile_get_default (),
                                                         pw_snapshot_get_identity (snapshot, PW_IDENTITY_VENDOR),
                                                         pw_snapshot_get_identity (snapshot, PW_IDENTITY_MODEL));

  for (guint i = 0; i < queries->len; i++)
    {
      const PwProfileQuery *query = queries->pdata[i];

      if (query->kind == PW_PROFILE_QUERY_COUNTER && g_strcmp0 (query->oid, oid[0] == '.' ? oid + 1 : oid) == 0)
        return query->name;
    }
  return NULL;
}

/* One field's tally over the corpus. */
typedef struct {
  const char *field;
  guint       matched;
  guint       told;
} Tally;

static void
tally (Tally      *t,
       const char *recording,
       gboolean    matched,
       const char *got,
       const char *want)
{
  t->told++;
  if (matched)
    t->matched++;
  else
    g_test_message ("%s: %s %s, expected %s", recording, t->field, got != NULL ? got : "(none)", want);
}

/* Each recording of the corpus polled in turn; compared with expected.json. */
static void
test_walks (void)
{
  const char *walks = pw_test_walks_dir ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  const char *endpoints[2] = { NULL, NULL };
  guint16 port;
  JsonObject *expected;
  guint n = 0, polled = 0;
  guint serials = 0, serials_told = 0, models = 0, models_told = 0;
  guint totals = 0, totals_told = 0, levels = 0, levels_told = 0, levels_skipped = 0, models_exact = 0;
  guint matched, told;
  Tally firmware = { "firmware", 0, 0 }, sys_names = { "sysName", 0, 0 }, counters = { "counter", 0, 0 };
  Tally counters_unread = { "counter not read", 0, 0 };

  if (walks == NULL)
    {
      g_test_skip ("printer-walks corpus not found, skipping");
      return;
    }
  port = pw_test_free_udp_port ("127.0.0.91");
  endpoint = g_strdup_printf ("127.0.0.91:%u", port);
  endpoints[0] = endpoint;
  agent = pw_test_snmpsim_start (walks, endpoints, &error);
  if (agent == NULL)
    {
      g_test_skip (error->message);
      return;
    }

  expected = pw_test_load_walks_expected (walks, parser);
  names = json_object_get_members (expected);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonObject *entry = json_object_get_object_member (expected, name);
      const char *want_serial = json_object_get_string_member_with_default (entry, "serial", NULL);
      const char *want_model = json_object_get_string_member_with_default (entry, "model", NULL);
      gint64 want_total = expected_counter (entry, ".1.3.6.1.2.1.43.10.2.1.4.1.1");
      JsonNode *supplies_node = json_object_get_member (entry, "supplies");
      g_autoptr(GPtrArray) credentials = community (name);
      g_autoptr(PwSnapshot) snapshot = NULL;
      const char *serial, *model;
      gint64 total = -1;

      n++;
      snapshot = poll_one ("127.0.0.91", port, credentials, 2000, &error);
      if (snapshot == NULL)
        {
          g_test_message ("%s: %s", name, error->message);
          g_clear_error (&error);
          continue;
        }
      polled++;
      serial = pw_snapshot_get_identity (snapshot, PW_IDENTITY_SERIAL);
      model = pw_snapshot_get_identity (snapshot, PW_IDENTITY_MODEL);
      if (want_serial != NULL)
        {
          serials_told++;
          if (g_strcmp0 (serial, want_serial) == 0)
            serials++;
          else
            g_test_message ("%s: serial %s, expected %s", name, serial, want_serial);
        }
      if (want_model != NULL)
        {
          models_told++;
          /* LibreNMS decorates some models ("HL-5370DW [mac]"): ours inside
           * theirs counts, and exact matches are told apart. */
          models_exact += g_strcmp0 (model, want_model) == 0;
          if (model != NULL && strstr (want_model, model) != NULL)
            models++;
          else
            g_test_message ("%s: model %s, expected %s", name, model, want_model);
        }
      if (json_object_get_string_member_with_default (entry, "firmware", NULL) != NULL)
        {
          const char *want = json_object_get_string_member (entry, "firmware");
          const char *got = pw_snapshot_get_identity (snapshot, PW_IDENTITY_FIRMWARE);

          tally (&firmware, name, g_strcmp0 (got, want) == 0, got, want);
        }
      if (json_object_get_string_member_with_default (entry, "sysName", NULL) != NULL)
        {
          const char *want = json_object_get_string_member (entry, "sysName");
          const char *got = pw_snapshot_get_identity (snapshot, PW_IDENTITY_SYS_NAME);

          /* LibreNMS lowercases some names; a name's case is not its identity. */
          tally (&sys_names, name, got != NULL && g_ascii_strcasecmp (got, want) == 0, got, want);
        }
      if (JSON_NODE_HOLDS_ARRAY (json_object_get_member (entry, "counters")))
        {
          JsonArray *want_counters = json_object_get_array_member (entry, "counters");

          for (guint i = 0; i < json_array_get_length (want_counters); i++)
            {
              JsonObject *want = json_array_get_object_element (want_counters, i);
              const char *oid = json_object_get_string_member_with_default (want, "oid", "");
              const char *counter = g_str_equal (oid, ".1.3.6.1.2.1.43.10.2.1.4.1.1") ? "total"
                                  : g_str_equal (oid, ".1.3.6.1.2.1.43.10.2.1.5.1.1") ? "since-power-on"
                                  : profile_counter_name (snapshot, oid);
              gint64 value = -1, want_value = json_object_get_int_member (want, "value");
              g_autofree char *got = NULL;
              g_autofree char *wanted = g_strdup_printf ("%s %" G_GINT64_FORMAT " (%s)",
                                                         json_object_get_string_member (want, "description"),
                                                         want_value, oid);

              if (counter == NULL || !pw_snapshot_lookup_counter (snapshot, counter, &value))
                {
                  tally (&counters_unread, name, FALSE, NULL, wanted);
                  continue;
                }
              got = g_strdup_printf ("%s %" G_GINT64_FORMAT, counter, value);
              tally (&counters, name, value == want_value, got, wanted);
            }
        }

      pw_snapshot_lookup_counter (snapshot, "total", &total);
      if (want_total >= 0)
        {
          totals_told++;
          g_test_message ("%s: total %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, name, total, want_total);
          g_assert_cmpint (total, ==, want_total);
          totals++;
        }

      if (supplies_node != NULL && JSON_NODE_HOLDS_ARRAY (supplies_node))
        {
          JsonArray *supplies = json_node_get_array (supplies_node);

          for (guint i = 0; i < json_array_get_length (supplies); i++)
            {
              JsonObject *want = json_array_get_object_element (supplies, i);
              const char *oid = json_object_get_string_member_with_default (want, "oid", NULL);
              const char *prefix = ".1.3.6.1.2.1.43.11.1.1.9.";
              PwSupply *supply;
              gint64 percent = 0;
              const char *dot;

              /* Printer-MIB supply rows only: trays and vendor OIDs are not ours. */
              if (oid == NULL || !g_str_has_prefix (oid, prefix) ||
                  !JSON_NODE_HOLDS_VALUE (json_object_get_member (want, "level_percent")))
                continue;
              dot = strrchr (oid, '.');
              supply = supply_at (snapshot, atoi (dot + 1));
              if (supply == NULL || !supply_percent (supply, &percent))
                {
                  levels_skipped++;
                  g_test_message ("%s: supply %s not read or no percentage", name, oid);
                  continue;
                }
              levels_told++;
              if (percent == json_object_get_int_member (want, "level_percent"))
                levels++;
              else
                g_test_message ("%s: supply %s at %" G_GINT64_FORMAT "%%, expected %" G_GINT64_FORMAT "%%",
                                name, oid, percent, json_object_get_int_member (want, "level_percent"));
            }
        }
    }

  matched = serials + models + totals + levels;
  told = serials_told + models_told + totals_told + levels_told;
  g_printerr ("walks: polled %u/%u; serial %u/%u, model %u/%u (%u exact), total page counter %u/%u, "
              "supply level %u/%u (%u not computable); overall %u/%u (%.0f%%)\n",
              polled, n, serials, serials_told, models, models_told, models_exact, totals, totals_told,
              levels, levels_told, levels_skipped, matched, told, told > 0 ? 100.0 * matched / told : 0.0);
  g_printerr ("walks: firmware %u/%u, sysName %u/%u, counters read %u/%u right, %u of the corpus's "
              "counters not read\n", firmware.matched, firmware.told, sys_names.matched, sys_names.told,
              counters.matched, counters.told, counters_unread.told);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (polled, ==, n);
  /* A counter read from the OID the corpus names must have its value. */
  g_assert_cmpuint (counters.matched, ==, counters.told);
  /* Serial (Printer-MIB, else the vendor's OID from data/profiles) and the
   * total page counter must match wherever the corpus states them. */
  g_assert_cmpuint (serials, ==, serials_told);
  g_assert_cmpuint (totals, ==, totals_told);
}

int
main (int    argc,
      char **argv)
{
  int status;

  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/poller/laser", test_laser);
  g_test_add_func ("/poller/colour-mfp", test_colour_mfp);
  g_test_add_func ("/poller/brother", test_brother);
  g_test_add_func ("/poller/options", test_options);
  g_test_add_func ("/poller/hostile", test_hostile);
  g_test_add_func ("/poller/router", test_router);
  g_test_add_func ("/poller/credentials-in-order", test_credentials_in_order);
  g_test_add_func ("/poller/v1", test_v1);
  g_test_add_func ("/poller/cancel", test_cancel);
  g_test_add_func ("/poller/huge-table", test_huge_table);
  g_test_add_func ("/poller/store-and-unreachable", test_store_and_unreachable);
  g_test_add_func ("/poller/walks", test_walks);

  status = g_test_run ();
  g_clear_pointer (&fixtures_agent, pw_test_agent_stop);
  g_free (fixtures_endpoint_host);
  return status;
}
