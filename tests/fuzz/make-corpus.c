/* make-corpus.c: the fuzz targets' seed corpora, made from the project's test data.
 *
 * Usage: make-corpus SOURCE_ROOT OUT_DIR
 *
 * Writes OUT_DIR/<target>/ for each target (tests/fuzz/README.md):
 *   snmp-response   each recording's varbinds that a poll reads, as SNMPv2c
 *                   GetResponse messages built by net-snmp (snmp_build ())
 *   snmp-varbinds   the same varbinds as pw-fuzz.h's records
 *   target-spec     the string literals of tests/test-target-spec.c and test-address.c
 *   collector-body  the JSON files of tests/fixtures/payload, as they are and gzipped
 *   report          the hostile texts of tests/fixtures/snmp/hostile-printer.snmprec
 * The recordings are the .snmprec files of tests/fixtures/snmp and, when $PRINTWATCH_WALKS
 * names a folder, the printer walks in it; nothing is copied into the tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"
#include "pw-snmp-engine-private.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <stdlib.h>
#include <string.h>

/* Varbinds per GetResponse: about what a GETBULK of a walk brings back. */
#define VARBINDS_PER_MESSAGE 30

static guint n_written;

static void
write_seed (const char   *dir,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, (const char *) data, (gssize) len, &error))
    g_error ("%s", error->message);
  n_written++;
}

static char *
make_dir (const char *out,
          const char *target)
{
  char *dir = g_build_filename (out, target, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    g_error ("cannot make %s: %s", dir, g_strerror (errno));
  return dir;
}

static GBytes *
record_bytes (const char *type,
              const char *value)
{
  gsize len = strlen (value);
  guint8 *data;

  if (!g_str_has_suffix (type, "x"))
    return g_bytes_new (value, len);
  data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i + 1 < len; i += 2)
    data[i / 2] = (guint8) (g_ascii_xdigit_value (value[i]) * 16 + g_ascii_xdigit_value (value[i + 1]));
  return g_bytes_new_take (data, len / 2);
}

/* Returns: (transfer full) (nullable): one OID|TYPE|VALUE line as the agent would send it */
static PwSnmpVarbind *
varbind_from_line (const char *line)
{
  g_auto(GStrv) fields = g_strsplit (line, "|", 3);
  g_autoptr(PwSnmpVarbind) varbind = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *oid, *value;

  if (g_strv_length (fields) != 3 || fields[0][0] == '\0')
    return NULL;
  oid = fields[0][0] == '.' ? fields[0] + 1 : fields[0];
  value = fields[2];
  varbind = pw_snmp_varbind_new (oid, PW_SNMP_VALUE_NULL);
  switch (atoi (fields[1]))
    {
    case 2:
      varbind->type = PW_SNMP_VALUE_INTEGER;
      varbind->integer = g_ascii_strtoll (value, NULL, 10);
      break;
    case 4:
      varbind->type = PW_SNMP_VALUE_OCTET_STRING;
      varbind->octets = record_bytes (fields[1], value);
      break;
    case 5:
      break;
    case 6:
      varbind->type = PW_SNMP_VALUE_OID;
      varbind->oid_value = g_strdup (value[0] == '.' ? value + 1 : value);
      break;
    case 64:
      varbind->type = PW_SNMP_VALUE_IP_ADDRESS;
      if (g_str_has_suffix (fields[1], "x"))
        varbind->octets = record_bytes (fields[1], value);
      else if ((address = g_inet_address_new_from_string (value)) != NULL &&
               g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
        varbind->octets = g_bytes_new (g_inet_address_to_bytes (address), 4);
      if (varbind->octets == NULL || g_bytes_get_size (varbind->octets) != 4)
        return NULL;
      break;
    case 65:
    case 66:
    case 67:
      varbind->type = fields[1][1] == '5' ? PW_SNMP_VALUE_COUNTER32
                    : fields[1][1] == '6' ? PW_SNMP_VALUE_GAUGE32 : PW_SNMP_VALUE_TIME_TICKS;
      varbind->counter = g_ascii_strtoull (value, NULL, 10) & 0xffffffffu;
      break;
    case 70:
      varbind->type = PW_SNMP_VALUE_COUNTER64;
      varbind->counter = g_ascii_strtoull (value, NULL, 10);
      break;
    default:
      return NULL;  /* snmpsim's own extensions */
    }
  return g_steal_pointer (&varbind);
}

static int
compare_varbinds (gconstpointer a,
                  gconstpointer b)
{
  return pw_fuzz_oid_compare ((*(PwSnmpVarbind * const *) a)->oid, (*(PwSnmpVarbind * const *) b)->oid);
}

/* Returns: (transfer full): a recording's varbinds, in the order an agent walks them */
static GPtrArray *
load_recording (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *varbinds = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      PwSnmpVarbind *varbind = varbind_from_line (g_strchomp (lines[i]));

      if (varbind != NULL)
        g_ptr_array_add (varbinds, varbind);
    }
  g_ptr_array_sort (varbinds, compare_varbinds);
  return varbinds;
}

static gsize
oid_from_text (const char *text,
               oid        *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ".", MAX_OID_LEN);
  gsize n = 0;

  for (; parts[n] != NULL && n < MAX_OID_LEN; n++)
    out[n] = (oid) g_ascii_strtoull (parts[n], NULL, 10);
  return n;
}

static void
add_variable (netsnmp_pdu         *pdu,
              const PwSnmpVarbind *varbind)
{
  static const u_char types[] = {
    [PW_SNMP_VALUE_NULL] = ASN_NULL, [PW_SNMP_VALUE_INTEGER] = ASN_INTEGER,
    [PW_SNMP_VALUE_OCTET_STRING] = ASN_OCTET_STR, [PW_SNMP_VALUE_OID] = ASN_OBJECT_ID,
    [PW_SNMP_VALUE_IP_ADDRESS] = ASN_IPADDRESS, [PW_SNMP_VALUE_COUNTER32] = ASN_COUNTER,
    [PW_SNMP_VALUE_GAUGE32] = ASN_GAUGE, [PW_SNMP_VALUE_TIME_TICKS] = ASN_TIMETICKS,
    [PW_SNMP_VALUE_OPAQUE] = ASN_OPAQUE, [PW_SNMP_VALUE_COUNTER64] = ASN_COUNTER64,
    [PW_SNMP_VALUE_NO_SUCH_OBJECT] = SNMP_NOSUCHOBJECT, [PW_SNMP_VALUE_NO_SUCH_INSTANCE] = SNMP_NOSUCHINSTANCE,
    [PW_SNMP_VALUE_END_OF_MIB_VIEW] = SNMP_ENDOFMIBVIEW,
  };
  oid name[MAX_OID_LEN], value_oid[MAX_OID_LEN];
  gsize name_len = oid_from_text (varbind->oid, name);
  long integer = (long) varbind->integer;
  u_long counter = (u_long) varbind->counter;
  struct counter64 c64 = { varbind->counter >> 32, varbind->counter & 0xffffffffu };
  gsize size = 0;
  const void *value = NULL;

  switch (varbind->type)
    {
    case PW_SNMP_VALUE_INTEGER:
      value = &integer, size = sizeof integer;
      break;
    case PW_SNMP_VALUE_COUNTER32:
    case PW_SNMP_VALUE_GAUGE32:
    case PW_SNMP_VALUE_TIME_TICKS:
      value = &counter, size = sizeof counter;
      break;
    case PW_SNMP_VALUE_COUNTER64:
      value = &c64, size = sizeof c64;
      break;
    case PW_SNMP_VALUE_OCTET_STRING:
    case PW_SNMP_VALUE_OPAQUE:
    case PW_SNMP_VALUE_IP_ADDRESS:
      value = g_bytes_get_data (varbind->octets, &size);
      break;
    case PW_SNMP_VALUE_OID:
      value = value_oid, size = oid_from_text (varbind->oid_value, value_oid) * sizeof (oid);
      break;
    case PW_SNMP_VALUE_NULL:
    case PW_SNMP_VALUE_NO_SUCH_OBJECT:
    case PW_SNMP_VALUE_NO_SUCH_INSTANCE:
    case PW_SNMP_VALUE_END_OF_MIB_VIEW:
    default:
      break;
    }
  if (snmp_pdu_add_variable (pdu, name, name_len, types[varbind->type], value, size) == NULL)
    g_error ("net-snmp cannot take %s", varbind->oid);
}

/* One SNMPv2c GetResponse holding @varbinds[first, first + n), framed as
 * fuzz-snmp-response reads it: a 2-byte length, then the message. */
static void
append_message (GByteArray *out,
                GPtrArray  *varbinds,
                guint       first,
                guint       n,
                long        version)
{
  netsnmp_session session;
  netsnmp_pdu *pdu = snmp_pdu_create (SNMP_MSG_RESPONSE);
  u_char *packet = NULL;
  size_t packet_len = 0, offset = 0;
  const u_char *message;
  guint8 frame[2];

  snmp_sess_init (&session);
  session.version = version;
  pdu->version = version;
  pdu->community = (u_char *) g_strdup ("public");
  pdu->community_len = strlen ("public");
  pdu->reqid = (long) first + 1;
  for (guint i = first; i < first + n; i++)
    add_variable (pdu, varbinds->pdata[i]);
  /* net-snmp encodes from the end of its buffer backwards (NETSNMP_USE_REVERSE_ASNENCODING). */
  netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_REVERSE_ENCODE, 1);
  if (snmp_build (&packet, &packet_len, &offset, &session, pdu) != 0 || offset > 65535)
    g_error ("net-snmp cannot build a message of %u varbinds", n);
  message = packet + packet_len - offset;
  frame[0] = (guint8) (offset >> 8);
  frame[1] = (guint8) offset;
  g_byte_array_append (out, frame, 2);
  g_byte_array_append (out, message, (guint) offset);
  g_free (pdu->community);
  pdu->community = NULL;
  snmp_free_pdu (pdu);
  free (packet);
}

/* The seed must read back as it was made. */
static void
check_message_seed (const guint8 *data,
                    gsize         len,
                    guint         expected)
{
  guint n = 0;

  for (gsize pos = 0; pos + 2 <= len;)
    {
      gsize size = (gsize) data[pos] << 8 | data[pos + 1];
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) varbinds = _pw_snmp_engine_decode_response (data + pos + 2, size, &error);

      if (varbinds == NULL)
        g_error ("a seed message does not decode: %s", error->message);
      n += varbinds->len;
      pos += 2 + size;
    }
  if (n != expected)
    g_error ("a seed decodes to %u varbinds, not %u", n, expected);
}

static void
add_recording (const char *path,
               const char *response_dir,
               const char *varbinds_dir)
{
  g_autoptr(GPtrArray) all = load_recording (path);
  g_autoptr(GPtrArray) read = pw_fuzz_poll_subset (all);
  g_autoptr(GByteArray) ber = g_byte_array_new ();
  g_autoptr(GByteArray) records = g_byte_array_new ();
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stem = g_strndup (base, strlen (base) - strlen (".snmprec"));

  for (guint i = 0; i < read->len; i += VARBINDS_PER_MESSAGE)
    append_message (ber, read, i, MIN (VARBINDS_PER_MESSAGE, read->len - i), SNMP_VERSION_2c);
  check_message_seed (ber->data, ber->len, read->len);
  write_seed (response_dir, stem, ber->data, ber->len);

  for (guint i = 0; i < read->len; i++)
    pw_fuzz_varbinds_encode (records, read->pdata[i]);
  write_seed (varbinds_dir, stem, records->data, records->len);

  /* The system group alone, as SNMPv1: the other version, and a small seed. */
  if (g_str_equal (stem, "hostile-printer") || g_str_equal (stem, "generic-laser"))
    {
      g_autoptr(GByteArray) v1 = g_byte_array_new ();
      g_autofree char *name = g_strconcat (stem, "-v1-system", NULL);
      guint n = 0;

      while (n < read->len && g_str_has_prefix (((PwSnmpVarbind *) read->pdata[n])->oid, "1.3.6.1.2.1.1."))
        n++;
      if (n > 0)
        {
          append_message (v1, read, 0, n, SNMP_VERSION_1);
          write_seed (response_dir, name, v1->data, v1->len);
        }
    }
}

static void
add_recordings_in (const char *folder,
                   const char *response_dir,
                   const char *varbinds_dir)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".snmprec"))
      g_ptr_array_add (names, g_build_filename (folder, name, NULL));
  for (guint i = 0; i < names->len; i++)
    add_recording (names->pdata[i], response_dir, varbinds_dir);
}

/* ---- target-spec ---- */

static void
add_literals_of (const char *source,
                 const char *dir,
                 guint      *n)
{
  g_autoptr(GRegex) literal = g_regex_new ("\"((?:[^\"\\\\\\n]|\\\\.)*)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (source, &contents, NULL, NULL))
    g_error ("cannot read %s", source);
  g_regex_match (literal, contents, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *escaped = g_match_info_fetch (match, 1);
      g_autofree char *text = g_strcompress (escaped);
      g_autofree char *name = g_strdup_printf ("literal-%04u", (*n)++);
      g_autoptr(GByteArray) seed = g_byte_array_new ();

      if (text[0] == '\0' || strchr (text, '%') != NULL || g_str_has_prefix (text, "/"))
        continue;  /* format strings and test paths */
      g_byte_array_append (seed, (const guint8 *) "\0\0", 2);
      g_byte_array_append (seed, (const guint8 *) text, (guint) strlen (text));
      write_seed (dir, name, seed->data, seed->len);
    }
}

static void
add_target_spec (const char *root,
                 const char *out)
{
  /* A long pasted list over several lines, another port and limit. */
  static const char list[] = "\x01\x02" "10.0.0.1-3, printer7.lan:1161\n[fe80::1]:9161;10.1.2.0/30\n"
                             "10.0.0.2 drucker-b\xc3\xbcro.example";
  g_autofree char *dir = make_dir (out, "target-spec");
  const char *sources[] = { "test-target-spec.c", "test-address.c" };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *path = g_build_filename (root, "tests", sources[i], NULL);

      add_literals_of (path, dir, &n);
    }
  write_seed (dir, "list", (const guint8 *) list, sizeof list - 1);
}

/* ---- collector-body ---- */

static void
add_collector_body (const char *root,
                    const char *out)
{
  g_autofree char *dir = make_dir (out, "collector-body");
  g_autofree char *fixtures = g_build_filename (root, "tests", "fixtures", "payload", NULL);
  g_autoptr(GDir) folder = g_dir_open (fixtures, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixtures, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_str_has_suffix (name, ".json") || !g_file_get_contents (path, &contents, &len, NULL))
        continue;
      for (guint mode = 0; mode < 3; mode++)
        {
          g_autoptr(GBytes) body = mode == 1 ? pw_fuzz_gzip ((const guint8 *) contents, len)
                                             : g_bytes_new (contents, len);
          g_autoptr(GByteArray) seed = g_byte_array_new ();
          g_autofree char *seed_name = g_strdup_printf ("%s-%s", name, mode == 0 ? "plain" : mode == 1 ? "gzip" : "both");
          guint8 header[2] = { (guint8) mode, 0 };
          gsize size = 0;
          const guint8 *data = g_bytes_get_data (body, &size);

          g_byte_array_append (seed, header, 2);
          g_byte_array_append (seed, data, (guint) size);
          write_seed (dir, seed_name, seed->data, seed->len);
        }
    }
}

/* ---- report ---- */

static void
add_report (const char *root,
            const char *out)
{
  /* The first piece: devices, flags, counts, levels (fuzz-report.c reads it round and round). */
  static const char * const controls[] = {
    "\x02\x0b\x03\x02\x01\x03\x02\x31\x07\x05\x40\x02\x09\x01",
    "\x01\x09\x02\x05\x04\x0a\x03\x03\x63\x02\x13\x01\x02",
    "\x03\x06\x05\x03\x03\x02\x02\x02\x02\x02\x02\x02\x03\x01\x01",
  };
  g_autofree char *dir = make_dir (out, "report");
  g_autofree char *path = g_build_filename (root, "tests", "fixtures", "snmp", "hostile-printer.snmprec", NULL);
  g_autoptr(GPtrArray) varbinds = load_recording (path);
  g_autoptr(GByteArray) texts = g_byte_array_new ();

  for (guint i = 0; i < varbinds->len; i++)
    {
      const PwSnmpVarbind *varbind = varbinds->pdata[i];
      gsize size = 0;
      const guint8 *data;

      if (varbind->type != PW_SNMP_VALUE_OCTET_STRING)
        continue;
      data = g_bytes_get_data (varbind->octets, &size);
      g_byte_array_append (texts, (const guint8 *) "", 1);
      g_byte_array_append (texts, data, (guint) size);
    }
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      g_autoptr(GByteArray) seed = g_byte_array_new ();
      g_autofree char *name = g_strdup_printf ("hostile-%u", i);

      g_byte_array_append (seed, (const guint8 *) controls[i], (guint) strlen (controls[i]));
      g_byte_array_append (seed, texts->data, texts->len);
      write_seed (dir, name, seed->data, seed->len);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *walks = g_getenv ("PRINTWATCH_WALKS");
  g_autofree char *response_dir = NULL;
  g_autofree char *varbinds_dir = NULL;
  g_autofree char *fixtures = NULL;

  if (argc != 3)
    {
      g_printerr ("usage: %s SOURCE_ROOT OUT_DIR\n", argv[0]);
      return 2;
    }
  pw_fuzz_init ();
  response_dir = make_dir (argv[2], "snmp-response");
  varbinds_dir = make_dir (argv[2], "snmp-varbinds");
  fixtures = g_build_filename (argv[1], "tests", "fixtures", "snmp", NULL);
  add_recordings_in (fixtures, response_dir, varbinds_dir);
  if (walks != NULL && g_file_test (walks, G_FILE_TEST_IS_DIR))
    add_recordings_in (walks, response_dir, varbinds_dir);
  else
    g_print ("make-corpus: printer-walks corpus not found (PRINTWATCH_WALKS), seeding from the fixtures only\n");
  add_target_spec (argv[1], argv[2]);
  add_collector_body (argv[1], argv[2]);
  add_report (argv[1], argv[2]);
  g_print ("make-corpus: %u seeds in %s\n", n_written, argv[2]);
  return 0;
}
