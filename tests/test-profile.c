/* test-profile.c: vendor and model identification from data/profiles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <json-glib/json-glib.h>
#include <string.h>

static void
assert_identifies (const PwIdentityClues *clues,
                   const char            *vendor,
                   const char            *model)
{
  g_autofree char *found_vendor = NULL;
  g_autofree char *found_model = NULL;

  g_assert_true (pw_profile_identify (pw_profile_get_default (), clues, &found_vendor, &found_model) ==
                 (vendor != NULL));
  g_assert_cmpstr (found_vendor, ==, vendor);
  g_assert_cmpstr (found_model, ==, model);
}

static void
test_builtin_vendors (void)
{
  static const char * const required[] = {
    "Xerox", "HP", "Ricoh", "Kyocera", "Canon", "Brother", "Lexmark", "Konica Minolta",
    "Sharp", "Epson", "OKI", "Samsung", "Dell",
  };
  PwProfile *profile = pw_profile_get_default ();

  g_assert_cmpuint (pw_profile_get_n_vendors (profile), >=, G_N_ELEMENTS (required));
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      /* Each is found by its name alone, as the start of a sysDescr. */
      g_autofree char *descr = g_strdup_printf ("%s Model 1000", required[i]);
      PwIdentityClues clues = { .sys_descr = descr };
      g_autofree char *vendor = NULL;

      g_assert_true (pw_profile_identify (profile, &clues, &vendor, NULL));
      g_assert_cmpstr (vendor, ==, required[i]);
    }
}

static void
test_rules (void)
{
  /* Enterprise number alone. */
  assert_identifies (&(PwIdentityClues) { .sys_object_id = ".1.3.6.1.4.1.253.8.62.1.2" },
                     "Xerox", NULL);
  /* An OEM brand on the maker's enterprise number wins over the maker. */
  assert_identifies (&(PwIdentityClues) { .sys_object_id = "1.3.6.1.4.1.1347.41",
                                          .sys_descr = "TA Triumph-Adler P-4020DN",
                                          .device_descr = "P-4020DN" },
                     "Triumph-Adler", "P-4020DN");
  assert_identifies (&(PwIdentityClues) { .sys_object_id = "1.3.6.1.4.1.1347.41",
                                          .device_descr = "ECOSYS P2040dn" },
                     "Kyocera", "ECOSYS P2040dn");
  /* The IEEE 1284 device ID names maker and model. */
  assert_identifies (&(PwIdentityClues) { .sys_object_id = "1.3.6.1.4.1.11.2.3.9.1",
                                          .sys_descr = "HP ETHERNET MULTI-ENVIRONMENT",
                                          .device_id = "MFG:Hewlett-Packard;CMD:PJL,PCL;MDL:HP LaserJet Pro M404dn;CLS:PRINTER;" },
                     "HP", "LaserJet Pro M404dn");
  /* hrDeviceDescr with the vendor's name and " series" taken off. */
  assert_identifies (&(PwIdentityClues) { .sys_object_id = "1.3.6.1.4.1.2435.2.3.9.1",
                                          .sys_descr = "Brother NC-8300h, Firmware Ver.1.10",
                                          .device_descr = "Brother MFC-L8900CDW series" },
                     "Brother", "MFC-L8900CDW");
  /* A vendor's own model pattern, over sysDescr. */
  assert_identifies (&(PwIdentityClues) { .sys_object_id = "1.3.6.1.4.1.367.1.1",
                                          .sys_descr = "RICOH IM C3000 1.02 / RICOH Network Printer C model" },
                     "Ricoh", "IM C3000");
  /* Nothing known. */
  assert_identifies (&(PwIdentityClues) { .sys_object_id = "1.3.6.1.4.1.8072.3.2.10",
                                          .sys_descr = "Linux router 5.10.0" },
                     NULL, NULL);
  assert_identifies (&(PwIdentityClues) { 0 }, NULL, NULL);
}

static void
test_hostile_clues (void)
{
  g_autofree char *huge = g_strnfill (100000, 'X');
  g_autofree char *vendor = NULL;
  g_autofree char *model = NULL;
  PwIdentityClues clues = {
    .sys_object_id = "1.3.6.1.4.1.99999999999999999999.1",
    .sys_descr = "HP \x1b[2J<script>alert(1)</script>",
    .device_descr = huge,
    .device_id = ";;;:::MDL:;MDL",
    .printer_name = "\xff\xfe\xfd",
  };

  g_assert_cmpuint (pw_sys_object_id_enterprise (clues.sys_object_id), ==, 0);
  g_assert_true (pw_profile_identify (pw_profile_get_default (), &clues, &vendor, &model));
  g_assert_cmpstr (vendor, ==, "HP");
  /* Too long to be a model; the Latin-1 name is made printable. */
  g_assert_cmpstr (model, ==, "ÿþý");
}

static void
test_helpers (void)
{
  static const char * const mdl[] = { "MDL", "MODEL", NULL };
  g_autofree char *a = pw_device_id_lookup ("MFG:OKI;MODEL: MC873 ;MDL:;", mdl);
  g_autofree char *b = pw_device_id_lookup ("no fields here", mdl);

  g_assert_cmpstr (a, ==, "MC873");
  g_assert_null (b);
  g_assert_cmpuint (pw_sys_object_id_enterprise (".1.3.6.1.4.1.18334.1.1"), ==, 18334);
  g_assert_cmpuint (pw_sys_object_id_enterprise ("1.3.6.1.4.1.641"), ==, 641);
  g_assert_cmpuint (pw_sys_object_id_enterprise ("1.3.6.1.4.1."), ==, 0);
  g_assert_cmpuint (pw_sys_object_id_enterprise ("1.3.6.1.4.1.12x.3"), ==, 0);
  g_assert_cmpuint (pw_sys_object_id_enterprise ("1.3.6.1.2.1.1"), ==, 0);
  g_assert_cmpuint (pw_sys_object_id_enterprise (NULL), ==, 0);
}

static void
test_serial_oids (void)
{
  PwProfile *profile = pw_profile_get_default ();
  const char * const *kyocera = pw_profile_get_serial_oids (profile, "Kyocera");
  const char * const *utax = pw_profile_get_serial_oids (profile, "UTAX");

  /* An OEM brand reads its maker's MIB. */
  g_assert_nonnull (kyocera);
  g_assert_nonnull (utax);
  g_assert_cmpstr (kyocera[0], ==, utax[0]);
  g_assert_null (kyocera[1]);
  g_assert_null (pw_profile_get_serial_oids (profile, "Konica Minolta"));  /* the Printer-MIB's is enough */
  g_assert_null (pw_profile_get_serial_oids (profile, "No Such Vendor"));
  g_assert_null (pw_profile_get_serial_oids (profile, NULL));
}

/* Vendor queries: serials, firmware, counters (some only for some models)
 * and counter tables, in file order, serials first; firmware patterns. */
static void
test_queries (void)
{
  static const char json[] =
    "{\"format\": 1, \"vendors\": [{\"name\": \"Acme\", \"pml_text\": true,"
    "  \"serials\": [\"1.3.6.1.4.1.32473.1.1.0\"],"
    "  \"firmware\": [\"1.3.6.1.4.1.32473.1.2.0\"],"
    "  \"firmware_patterns\": [\"Firmware (?<firmware>[0-9.]+)\"],"
    "  \"counters\": ["
    "    {\"name\": \"black\", \"oid\": \"1.3.6.1.4.1.32473.2.1.0\", \"unit\": \"impressions\"},"
    "    {\"name\": \"colour\", \"oid\": \"1.3.6.1.4.1.32473.2.2.0\", \"model\": \"^C\"}],"
    "  \"counter_tables\": [{\"values\": \"1.3.6.1.4.1.32473.3.1.2\", \"names\": \"1.3.6.1.4.1.32473.3.1.1\"}]},"
    " {\"name\": \"Plain\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_profile_new_from_bytes (bytes, &error);
  g_autoptr(GPtrArray) mono = NULL;
  g_autoptr(GPtrArray) colour = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *firmware = NULL;
  g_autofree char *no_firmware = NULL;
  const PwProfileQuery *query;

  g_assert_no_error (error);
  mono = pw_profile_get_queries (profile, "Acme", "M200");
  colour = pw_profile_get_queries (profile, "Acme", "C300");
  none = pw_profile_get_queries (profile, "Plain", NULL);
  g_assert_cmpuint (mono->len, ==, 4);
  g_assert_cmpuint (colour->len, ==, 5);
  g_assert_cmpuint (none->len, ==, 0);
  query = mono->pdata[0];
  g_assert_cmpint (query->kind, ==, PW_PROFILE_QUERY_SERIAL);
  g_assert_cmpstr (query->oid, ==, "1.3.6.1.4.1.32473.1.1.0");
  query = mono->pdata[1];
  g_assert_cmpint (query->kind, ==, PW_PROFILE_QUERY_FIRMWARE);
  query = mono->pdata[2];
  g_assert_cmpint (query->kind, ==, PW_PROFILE_QUERY_COUNTER);
  g_assert_cmpstr (query->name, ==, "black");
  g_assert_cmpstr (query->unit, ==, "impressions");
  query = mono->pdata[3];
  g_assert_cmpint (query->kind, ==, PW_PROFILE_QUERY_COUNTER_TABLE);
  g_assert_cmpstr (query->oid, ==, "1.3.6.1.4.1.32473.3.1.2");
  g_assert_cmpstr (query->name, ==, "1.3.6.1.4.1.32473.3.1.1");
  g_assert_cmpstr (((PwProfileQuery *) colour->pdata[3])->name, ==, "colour");
  g_assert_true (pw_profile_get_pml_text (profile, "Acme"));
  g_assert_false (pw_profile_get_pml_text (profile, "Plain"));
  g_assert_false (pw_profile_get_pml_text (profile, NULL));

  firmware = pw_profile_find_firmware (profile, "Acme", "Acme Laser, Firmware 2.01.7, NIC 1.0");
  no_firmware = pw_profile_find_firmware (profile, "Plain", "Acme Laser, Firmware 2.01.7");
  g_assert_cmpstr (firmware, ==, "2.01.7");
  g_assert_null (no_firmware);
}

/* Every vendor the issue names has counters, and every family member its maker's. */
static void
test_builtin_counters (void)
{
  static const char * const vendors[] = {
    "Xerox", "HP", "Ricoh", "Kyocera", "Canon", "Lexmark", "Konica Minolta", "Sharp", "Epson", "OKI", "Samsung",
    "UTAX", "Savin", "Develop",
  };
  PwProfile *profile = pw_profile_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      g_autoptr(GPtrArray) queries = pw_profile_get_queries (profile, vendors[i], NULL);
      guint counters = 0;

      for (guint q = 0; q < queries->len; q++)
        counters += ((PwProfileQuery *) queries->pdata[q])->kind != PW_PROFILE_QUERY_SERIAL &&
                    ((PwProfileQuery *) queries->pdata[q])->kind != PW_PROFILE_QUERY_FIRMWARE;
      if (counters == 0)
        g_test_message ("%s has no counters", vendors[i]);
      g_assert_cmpuint (counters, >, 0);
    }
}

static void
test_bad_profiles (void)
{
  static const char * const bad[] = {
    "",
    "[]",
    "{\"format\": 2, \"vendors\": []}",
    "{\"format\": 1, \"vendors\": [{}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"patterns\": [\"(\"]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"models\": [\"^X (.*)\"]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"enterprises\": [-4]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"names\": [3]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"patterns\": 7}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"enterprises\": [{}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"enterprises\": [\"253\"]}]}",
    "{\"format\": 1, \"vendors\": {\"name\": \"X\"}}",
    "{\"format\": 1, \"vendors\": [[]]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"serials\": [\"1.3.6.x\"]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"serials\": [\"1..3\"]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"serials\": [7]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"firmware\": [\"v1\"]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"firmware_patterns\": [\"Ver (.*)\"]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counters\": [{\"name\": \"black\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counters\": [{\"oid\": \"1.3.6.1\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counters\": [{\"name\": \"\", \"oid\": \"1.3\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counters\": [{\"name\": \"a\", \"oid\": \"1.3\", \"model\": \"(\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counters\": {}}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_tables\": [{\"values\": \"1.3\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_tables\": [{\"values\": \"1.3\", \"names\": \"x\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_records\": [{\"oid\": \"1.3\"}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_records\": [{\"oid\": \"x\", \"records\": {}}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_records\": [{\"oid\": \"1.3\", \"records\": {\"zz\": \"total\"}}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_records\": [{\"oid\": \"1.3\", \"records\": {\"ff\": \"total\"}}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_records\": [{\"oid\": \"1.3\", \"records\": {\"01\": 5}}]}]}",
    "{\"format\": 1, \"vendors\": [{\"name\": \"X\", \"counter_records\": {}}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = pw_profile_new_from_bytes (bytes, &error);

      g_assert_null (profile);
      g_assert_nonnull (error);
    }
}

/* The bytes of hex digits from @hex up to @end. */
static GString *
hex_decode (const char *hex,
            const char *end)
{
  GString *bytes = g_string_new (NULL);

  for (const char *p = hex; p + 1 < end; p += 2)
    g_string_append_c (bytes, (char) ((g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1])));
  return bytes;
}

/* Meters packed as records (Brother): a code, a flag, a length, a value. */
static void
test_counter_records (void)
{
  static const struct {
    const char *hex;
    guint       code;
    gint64      value;   /* -1: not found */
  } cases[] = {
    { "00010400001e70" "0101040000199" "0", 0x00, 7792 },
    { "00010400001e70" "01010400001990", 0x01, 6544 },
    { "00010400001e70" "ff" "01010400001990", 0x01, -1 },  /* after the end mark */
    { "000102abcd" "0601010b", 0x06, 11 },                    /* other lengths */
    { "0001070102030405060708", 0x00, 0x01020304050607 },      /* 7 bytes: the most */
    { "000108010203040506070809", 0x00, -1 },                  /* 8 bytes: refused */
    { "00010000" "01010105", 0x01, -1 },                       /* a zero length ends them */
    { "000104000000", 0x00, -1 },                              /* cut short */
    { "0001", 0x00, -1 },
    { "", 0x00, -1 },
    { "0101040000000a" "0101040000000b", 0x01, 10 },           /* the first of two */
  };
  gint64 value;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GString *data = hex_decode (cases[i].hex, cases[i].hex + strlen (cases[i].hex));
      g_autoptr(GBytes) bytes = g_string_free_to_bytes (data);
      gboolean found;

      value = -1;
      found = pw_profile_read_counter_record (bytes, cases[i].code, &value);
      g_assert_cmpint (found, ==, cases[i].value >= 0);
      g_assert_cmpint (value, ==, cases[i].value);
    }
  g_assert_false (pw_profile_read_counter_record (NULL, 0, &value));
}

/* The printer-walks corpus: identify each recording from the values a
 * discovery probe reads, and compare with what another monitor asserts. */

static char *
snmprec_value (const char *contents,
               const char *oid)
{
  g_autofree char *needle = g_strdup_printf ("\n%s|", oid);
  g_autofree char *padded = g_strconcat ("\n", contents, NULL);
  const char *line = strstr (padded, needle);
  const char *type, *value, *end;

  if (line == NULL)
    return NULL;
  type = line + strlen (needle);
  value = strchr (type, '|');
  if (value == NULL)
    return NULL;
  value++;
  end = strchr (value, '\n');
  if (end == NULL)
    end = value + strlen (value);
  if (value[-2] == 'x')
    return g_string_free (hex_decode (value, end), FALSE);
  return g_strndup (value, end - value);
}

static gboolean
same_model (const char *expected,
            const char *found)
{
  g_autofree char *want = g_ascii_strdown (expected, -1);
  g_autofree char *got = found != NULL ? g_ascii_strdown (found, -1) : NULL;

  /* LibreNMS keeps the vendor in some models ("Dell S5830dn") and appends
   * junk to others ("HL-5370DW [001ba90ba752]"); ours is the bare model. */
  return got != NULL && strlen (got) >= 4 && strstr (want, got) != NULL;
}

static void
test_walks (void)
{
  const char *walks = g_getenv ("PRINTWATCH_WALKS");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) names = NULL;
  JsonObject *expected;
  guint n = 0, vendors_ok = 0, models_ok = 0, models_asserted = 0;

  if (walks == NULL || !g_file_test (walks, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("printer-walks corpus not found, skipping");
      return;
    }
  expected = pw_test_load_walks_expected (walks, parser);
  names = json_object_get_members (expected);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_get_object_member (expected, l->data);
      g_autofree char *file = g_strdup_printf ("%s/%s.snmprec", walks, (char *) l->data);
      g_autofree char *contents = NULL;
      g_autofree char *sys_object_id = NULL, *sys_descr = NULL, *device_descr = NULL;
      g_autofree char *device_id = NULL, *printer_name = NULL;
      g_autofree char *vendor = NULL, *model = NULL;
      const char *want_vendor = json_object_get_string_member (entry, "vendor");
      const char *want_model = json_object_get_string_member_with_default (entry, "model", NULL);
      PwIdentityClues clues;

      if (!g_file_get_contents (file, &contents, NULL, NULL))
        continue;
      sys_object_id = snmprec_value (contents, "1.3.6.1.2.1.1.2.0");
      sys_descr = snmprec_value (contents, "1.3.6.1.2.1.1.1.0");
      device_descr = snmprec_value (contents, "1.3.6.1.2.1.25.3.2.1.3.1");
      device_id = snmprec_value (contents, "1.3.6.1.4.1.11.2.3.9.1.1.7.0");
      printer_name = snmprec_value (contents, "1.3.6.1.2.1.43.5.1.1.16.1");
      clues = (PwIdentityClues) { sys_object_id, sys_descr, device_descr, device_id, printer_name };

      pw_profile_identify (pw_profile_get_default (), &clues, &vendor, &model);
      n++;
      /* The corpus labels brands loosely ("UTAX (Kyocera-built)"). */
      if (vendor != NULL && g_str_has_prefix (want_vendor, vendor))
        vendors_ok++;
      else
        g_test_message ("%s: vendor %s, expected %s", (char *) l->data, vendor, want_vendor);
      if (want_model != NULL)
        {
          models_asserted++;
          if (same_model (want_model, model))
            models_ok++;
          else
            g_test_message ("%s: model %s, expected %s", (char *) l->data, model, want_model);
        }
    }

  g_test_message ("walks: vendor %u/%u, model %u/%u", vendors_ok, n, models_ok, models_asserted);
  g_printerr ("walks: vendor %u/%u, model %u/%u\n", vendors_ok, n, models_ok, models_asserted);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (vendors_ok, ==, n);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/profile/builtin-vendors", test_builtin_vendors);
  g_test_add_func ("/profile/rules", test_rules);
  g_test_add_func ("/profile/hostile-clues", test_hostile_clues);
  g_test_add_func ("/profile/helpers", test_helpers);
  g_test_add_func ("/profile/bad-profiles", test_bad_profiles);
  g_test_add_func ("/profile/serial-oids", test_serial_oids);
  g_test_add_func ("/profile/queries", test_queries);
  g_test_add_func ("/profile/builtin-counters", test_builtin_counters);
  g_test_add_func ("/profile/counter-records", test_counter_records);
  g_test_add_func ("/profile/walks", test_walks);

  return g_test_run ();
}
