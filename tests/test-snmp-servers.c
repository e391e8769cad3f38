/* test-snmp-servers.c: the simulated printers of pw-test-snmp.[ch] answer, on loopback only.
 *
 * Each agent is asked through the net-snmp library with numeric OIDs; every answer must come
 * from the address that was asked, as a printer's would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define OID_SYS_DESCR      "1.3.6.1.2.1.1.1.0"
#define OID_SYS_OBJECT_ID  "1.3.6.1.2.1.1.2.0"
#define OID_SYS_CONTACT    "1.3.6.1.2.1.1.4.0"
#define OID_SYS_NAME       "1.3.6.1.2.1.1.5.0"
#define OID_SYS_LOCATION   "1.3.6.1.2.1.1.6.0"
#define OID_HR_DEVICE_TYPE "1.3.6.1.2.1.25.3.2.1.2.1"
#define OID_PRT_SERIAL     "1.3.6.1.2.1.43.5.1.1.17.1"
#define HR_DEVICE_PRINTER  "1.3.6.1.2.1.25.3.1.5"
#define NETSNMP_LINUX      "1.3.6.1.4.1.8072.3.2.10"

static const char * const fixture_names[] = {
  "brother-mono", "generic-colour-mfp", "generic-laser", "hostile-printer", "office-mfp", "router", NULL,
};

/* One line of a .snmprec file. */
typedef struct {
  char     *text;        /* the line, for messages */
  oid       name[MAX_OID_LEN];
  size_t    name_len;
  guint     tag;         /* BER tag, which is also net-snmp's ASN_ type */
  gboolean  hex;         /* VALUE is hex ("4x") */
  char     *value;
} Record;

static void
record_free (Record *record)
{
  g_free (record->text);
  g_free (record->value);
  g_free (record);
}

typedef struct {
  void           *sess;      /* net-snmp single session (snmp_sess_open) */
  struct in_addr  address;   /* the agent's: every answer must come from it */
} Client;

static void
client_free (Client *client)
{
  if (client->sess != NULL)
    snmp_sess_close (client->sess);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static gboolean
parse_oid (const char *text,
           oid        *name,
           size_t     *name_len)
{
  g_auto(GStrv) parts = g_strsplit (text[0] == '.' ? text + 1 : text, ".", -1);
  guint n = g_strv_length (parts);
  guint i;

  if (n < 2 || n > MAX_OID_LEN)
    return FALSE;
  for (i = 0; i < n; i++)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &value, NULL))
        return FALSE;
      name[i] = (oid) value;
    }
  *name_len = n;
  return TRUE;
}

static char *
format_oid (const oid *name,
            size_t     name_len)
{
  GString *text = g_string_new (NULL);
  size_t i;

  for (i = 0; i < name_len; i++)
    g_string_append_printf (text, i == 0 ? "%lu" : ".%lu", (unsigned long) name[i]);
  return g_string_free (text, FALSE);
}

static gboolean
is_hex (const char *value)
{
  const char *p;

  for (p = value; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return strlen (value) % 2 == 0;
}

/* NULL if @record is a valid line, else what is wrong with it. */
static char *
check_record (Record     *record,
              const char *tag_text)
{
  g_autofree char *digits = g_strdup (tag_text);
  guint64 tag = 0;
  oid name[MAX_OID_LEN];
  size_t name_len;
  struct in_addr in;

  record->hex = g_str_has_suffix (digits, "x");
  if (record->hex)
    digits[strlen (digits) - 1] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 0, 255, &tag, NULL))
    return g_strdup_printf ("bad type %s", tag_text);
  record->tag = (guint) tag;
  if (record->hex
      && (record->tag == ASN_OCTET_STR || record->tag == ASN_OPAQUE || record->tag == ASN_IPADDRESS))
    {
      if (!is_hex (record->value) || (record->tag == ASN_IPADDRESS && strlen (record->value) != 8))
        return g_strdup ("bad hex value");
      return NULL;
    }
  if (record->hex)
    return g_strdup ("hex value for a type that is not a string");
  switch (record->tag)
    {
    case ASN_INTEGER:
      return g_ascii_string_to_signed (record->value, 10, G_MININT32, G_MAXINT32, NULL, NULL)
             ? NULL : g_strdup ("bad Integer32");
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
      return g_ascii_string_to_unsigned (record->value, 10, 0, G_MAXUINT32, NULL, NULL)
             ? NULL : g_strdup ("bad 32-bit unsigned value");
    case ASN_COUNTER64:
      return g_ascii_string_to_unsigned (record->value, 10, 0, G_MAXUINT64, NULL, NULL)
             ? NULL : g_strdup ("bad Counter64");
    case ASN_OBJECT_ID:
      return parse_oid (record->value, name, &name_len) ? NULL : g_strdup ("bad OID value");
    case ASN_IPADDRESS:
      return inet_pton (AF_INET, record->value, &in) == 1 ? NULL : g_strdup ("bad IpAddress");
    case ASN_OCTET_STR:
    case ASN_OPAQUE:
      return NULL;
    case ASN_NULL:
      return record->value[0] == '\0' ? NULL : g_strdup ("NULL with a value");
    default:
      return g_strdup_printf ("unexpected type %u", record->tag);
    }
}

/* @strict: our own fixtures, where every line must be valid and the OIDs strictly ascending.
 * Otherwise (the printer-walks corpus) bad lines and repeated OIDs are left out, as snmpsim does. */
static GPtrArray *
load_snmprec (const char *path,
              gboolean    strict)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint i;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (lines[i]), "|", 3);
      g_autofree char *problem = NULL;
      Record *record;

      if (lines[i][0] == '\0')
        continue;
      record = g_new0 (Record, 1);
      record->text = g_strdup (lines[i]);
      if (g_strv_length (fields) != 3 || !parse_oid (fields[0], record->name, &record->name_len))
        problem = g_strdup ("not OID|TYPE|VALUE");
      else
        {
          Record *previous = records->len > 0 ? records->pdata[records->len - 1] : NULL;

          record->value = g_strdup (fields[2]);
          problem = check_record (record, fields[1]);
          if (problem == NULL && previous != NULL
              && snmp_oid_compare (previous->name, previous->name_len, record->name, record->name_len) >= 0)
            problem = g_strdup_printf ("not after %s", previous->text);
        }
      if (problem != NULL)
        {
          record_free (record);
          if (strict)
            {
              g_autofree char *where = g_strdup_printf ("%s:%u: %s", path, i + 1, problem);

              g_assert_cmpstr (where, ==, NULL);
            }
          continue;
        }
      g_ptr_array_add (records, record);
    }
  return records;
}

static char *
fixture_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".snmprec", NULL);

  return g_build_filename (pw_test_fixtures_dir (), file, NULL);
}

/* The agent's answer for @var in snmprec notation (hex for strings when @hex). */
static char *
format_value (const netsnmp_variable_list *var,
              gboolean                     hex)
{
  GString *text;
  size_t i;

  switch (var->type)
    {
    case ASN_INTEGER:
      return g_strdup_printf ("%ld", *var->val.integer);
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
      return g_strdup_printf ("%lu", (unsigned long) *var->val.integer & 0xffffffffUL);
    case ASN_COUNTER64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT,
                              ((guint64) var->val.counter64->high << 32) | var->val.counter64->low);
    case ASN_OBJECT_ID:
      return format_oid (var->val.objid, var->val_len / sizeof (oid));
    case ASN_IPADDRESS:
      if (!hex && var->val_len == 4)
        return g_strdup_printf ("%u.%u.%u.%u", var->val.string[0], var->val.string[1],
                                var->val.string[2], var->val.string[3]);
      G_GNUC_FALLTHROUGH;
    case ASN_OCTET_STR:
    case ASN_OPAQUE:
      if (!hex)
        return g_strndup ((const char *) var->val.string, var->val_len);
      text = g_string_new (NULL);
      for (i = 0; i < var->val_len; i++)
        g_string_append_printf (text, "%02x", var->val.string[i]);
      return g_string_free (text, FALSE);
    case ASN_NULL:
      return g_strdup ("");
    default:
      return g_strdup_printf ("(type %u)", var->type);
    }
}

static void
assert_var_matches (const netsnmp_variable_list *var,
                    const Record                *record,
                    const char                  *label)
{
  g_autofree char *name = format_oid (var->name, var->name_length);
  g_autofree char *value = format_value (var, record->hex);
  g_autofree char *got = g_strdup_printf ("%s: %s|%u%s|%s", label, name, var->type,
                                          record->hex ? "x" : "", value);
  g_autofree char *want = NULL;
  g_autofree char *expected_value = record->hex ? g_ascii_strdown (record->value, -1)
                                                : g_strdup (record->value);
  g_autofree char *expected_name = format_oid (record->name, record->name_len);
  gboolean same_bytes = var->type == ASN_OCTET_STR && !record->hex
                        && var->val_len == strlen (record->value)
                        && memcmp (var->val.string, record->value, var->val_len) == 0;

  want = g_strdup_printf ("%s: %s|%u%s|%s", label, expected_name, record->tag,
                          record->hex ? "x" : "", expected_value);
  if (same_bytes && snmp_oid_compare (var->name, var->name_length, record->name, record->name_len) == 0
      && var->type == record->tag)
    return;
  g_assert_cmpstr (got, ==, want);
}

static Client *
client_open (const char          *endpoint,
             long                 version,
             const char          *community,
             const PwTestV3User  *user,
             guint                timeout_ms,
             int                 *liberr)
{
  g_autoptr(Client) client = g_new0 (Client, 1);
  g_autofree char *peer = g_strconcat ("udp:", endpoint, NULL);
  g_autofree char *host = g_strndup (endpoint, (gsize) (strrchr (endpoint, ':') - endpoint));
  netsnmp_session session;
  oid *auth_oid = NULL;
  size_t auth_oid_len = 0;
  oid *priv_oid = NULL;
  size_t priv_oid_len = 0;

  g_assert_cmpint (inet_pton (AF_INET, host, &client->address), ==, 1);
  snmp_sess_init (&session);
  session.peername = peer;
  session.version = version;
  session.timeout = (long) timeout_ms * 1000;
  session.retries = timeout_ms >= 1000 ? 1 : 0;
  if (community != NULL)
    {
      session.community = (u_char *) community;
      session.community_len = strlen (community);
    }
  if (user != NULL)
    {
      session.securityName = (char *) user->name;
      session.securityNameLen = strlen (user->name);
      session.securityLevel = user->priv_proto != NULL ? SNMP_SEC_LEVEL_AUTHPRIV
                              : user->auth_proto != NULL ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
    }
  if (user != NULL && user->auth_proto != NULL)
    {
      auth_oid = sc_get_auth_oid (usm_lookup_auth_type (user->auth_proto), &auth_oid_len);
      g_assert_nonnull (auth_oid);
      session.securityAuthProto = auth_oid;
      session.securityAuthProtoLen = auth_oid_len;
      session.securityAuthKeyLen = USM_AUTH_KU_LEN;
      g_assert_cmpint (generate_Ku (auth_oid, (u_int) auth_oid_len, (const u_char *) user->auth_pass,
                                    strlen (user->auth_pass), session.securityAuthKey,
                                    &session.securityAuthKeyLen), ==, SNMPERR_SUCCESS);
    }
  if (user != NULL && user->priv_proto != NULL)
    {
      priv_oid = sc_get_priv_oid (usm_lookup_priv_type (user->priv_proto), &priv_oid_len);
      g_assert_nonnull (priv_oid);
      session.securityPrivProto = priv_oid;
      session.securityPrivProtoLen = priv_oid_len;
      session.securityPrivKeyLen = USM_PRIV_KU_LEN;
      g_assert_cmpint (generate_Ku (auth_oid, (u_int) auth_oid_len, (const u_char *) user->priv_pass,
                                    strlen (user->priv_pass), session.securityPrivKey,
                                    &session.securityPrivKeyLen), ==, SNMPERR_SUCCESS);
    }

  /* SNMPv3 discovers the agent's engine here, so this already talks to it. */
  client->sess = snmp_sess_open (&session);
  if (client->sess == NULL)
    {
      *liberr = session.s_snmp_errno;
      return NULL;
    }
  *liberr = SNMPERR_SUCCESS;
  return g_steal_pointer (&client);
}

static Client *
client_open_ok (const char         *endpoint,
                long                version,
                const char         *community,
                const PwTestV3User *user)
{
  int liberr = 0;
  Client *client = client_open (endpoint, version, community, user, 2000, &liberr);

  g_assert_cmpstr (snmp_api_errstring (liberr), ==, snmp_api_errstring (SNMPERR_SUCCESS));
  g_assert_nonnull (client);
  return client;
}

/* Sends @pdu (always consumed). NULL and the library's error in @liberr when no answer came. */
static netsnmp_pdu *
client_send (Client      *client,
             netsnmp_pdu *pdu,
             int         *liberr)
{
  netsnmp_pdu *response = NULL;
  const netsnmp_indexed_addr_pair *pair;
  int syserr = 0;
  char *message = NULL;

  if (snmp_sess_synch_response (client->sess, pdu, &response) != STAT_SUCCESS)
    {
      snmp_sess_error (client->sess, &syserr, liberr, &message);
      g_debug ("no answer: %s", message);
      free (message);
      if (response != NULL)
        snmp_free_pdu (response);
      return NULL;
    }
  /* A real printer answers from the address it was asked on; so must a simulated one. */
  pair = response->transport_data;
  g_assert_nonnull (pair);
  g_assert_cmpuint (response->transport_data_length, >=, sizeof *pair);
  g_assert_cmpuint (pair->remote_addr.sin.sin_addr.s_addr, ==, client->address.s_addr);
  *liberr = SNMPERR_SUCCESS;
  return response;
}

static netsnmp_pdu *
client_get (Client     *client,
            const char *oid_text,
            int        *liberr)
{
  netsnmp_pdu *pdu = snmp_pdu_create (SNMP_MSG_GET);
  oid name[MAX_OID_LEN];
  size_t name_len = 0;

  g_assert_true (parse_oid (oid_text, name, &name_len));
  snmp_add_null_var (pdu, name, name_len);
  return client_send (client, pdu, liberr);
}

static netsnmp_pdu *
client_get_ok (Client     *client,
               const char *oid_text)
{
  int liberr = 0;
  netsnmp_pdu *response = client_get (client, oid_text, &liberr);

  g_assert_cmpstr (snmp_api_errstring (liberr), ==, snmp_api_errstring (SNMPERR_SUCCESS));
  g_assert_nonnull (response);
  g_assert_cmpint (response->errstat, ==, SNMP_ERR_NOERROR);
  g_assert_nonnull (response->variables);
  return response;
}

static void
assert_get_string (Client     *client,
                   const char *oid_text,
                   const char *expected)
{
  netsnmp_pdu *response = client_get_ok (client, oid_text);
  g_autofree char *value = NULL;

  g_assert_cmpuint (response->variables->type, ==, ASN_OCTET_STR);
  value = format_value (response->variables, FALSE);
  g_assert_cmpstr (value, ==, expected);
  snmp_free_pdu (response);
}

static void
assert_get_oid (Client     *client,
                const char *oid_text,
                const char *expected)
{
  netsnmp_pdu *response = client_get_ok (client, oid_text);
  g_autofree char *value = NULL;

  g_assert_cmpuint (response->variables->type, ==, ASN_OBJECT_ID);
  value = format_value (response->variables, FALSE);
  g_assert_cmpstr (value, ==, expected[0] == '.' ? expected + 1 : expected);
  snmp_free_pdu (response);
}

/* GET of every record, a few variables per request. */
static void
assert_get_all (Client     *client,
                GPtrArray  *records,
                const char *label)
{
  guint i = 0;

  while (i < records->len)
    {
      netsnmp_pdu *pdu = snmp_pdu_create (SNMP_MSG_GET);
      netsnmp_pdu *response;
      netsnmp_variable_list *var;
      guint first = i;
      int liberr = 0;

      for (; i < records->len && i < first + 8; i++)
        {
          Record *record = records->pdata[i];

          snmp_add_null_var (pdu, record->name, record->name_len);
        }
      response = client_send (client, pdu, &liberr);
      g_assert_nonnull (response);
      g_assert_cmpint (response->errstat, ==, SNMP_ERR_NOERROR);
      for (var = response->variables; var != NULL; var = var->next_variable, first++)
        assert_var_matches (var, records->pdata[first], label);
      g_assert_cmpuint (first, ==, i);
      snmp_free_pdu (response);
    }
}

/* Walks @root_text with GETBULK (or GETNEXT for SNMPv1) and compares each answer with the
 * records under it, in order. SNMPv1 has no Counter64: agents skip those (RFC 3584). */
static void
assert_walk (Client     *client,
             GPtrArray  *records,
             const char *root_text,
             gboolean    v1,
             const char *label)
{
  oid root[MAX_OID_LEN];
  size_t root_len = 0;
  oid next[MAX_OID_LEN];
  size_t next_len;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  guint seen = 0;
  guint round;
  gboolean done = FALSE;

  g_assert_true (parse_oid (root_text, root, &root_len));
  for (round = 0; round < records->len; round++)
    {
      Record *record = records->pdata[round];

      if (netsnmp_oid_is_subtree (root, root_len, record->name, record->name_len) == 0
          && !(v1 && record->tag == ASN_COUNTER64))
        g_ptr_array_add (expected, record);
    }
  memcpy (next, root, root_len * sizeof (oid));
  next_len = root_len;

  for (round = 0; !done && round <= expected->len; round++)
    {
      netsnmp_pdu *pdu = snmp_pdu_create (v1 ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
      netsnmp_pdu *response;
      netsnmp_variable_list *var;
      int liberr = 0;

      if (!v1)
        {
          pdu->non_repeaters = 0;
          pdu->max_repetitions = 16;
        }
      snmp_add_null_var (pdu, next, next_len);
      response = client_send (client, pdu, &liberr);
      g_assert_nonnull (response);
      if (v1 && response->errstat == SNMP_ERR_NOSUCHNAME)
        done = TRUE;
      else
        g_assert_cmpint (response->errstat, ==, SNMP_ERR_NOERROR);
      for (var = response->variables; !done && var != NULL; var = var->next_variable)
        {
          if (var->type == SNMP_ENDOFMIBVIEW
              || netsnmp_oid_is_subtree (root, root_len, var->name, var->name_length) != 0)
            {
              done = TRUE;
              break;
            }
          g_assert_cmpuint (seen, <, expected->len);
          assert_var_matches (var, expected->pdata[seen++], label);
          memcpy (next, var->name, var->name_length * sizeof (oid));
          next_len = var->name_length;
        }
      snmp_free_pdu (response);
    }
  g_assert_true (done);
  g_assert_cmpuint (seen, ==, expected->len);
}

static void
assert_silent (const char *endpoint,
               const char *community)
{
  g_autoptr(Client) client = NULL;
  int liberr = 0;
  netsnmp_pdu *response;

  client = client_open (endpoint, SNMP_VERSION_2c, community, NULL, 300, &liberr);
  g_assert_nonnull (client);
  response = client_get (client, OID_SYS_DESCR, &liberr);
  g_assert_null (response);
  g_assert_cmpint (liberr, ==, SNMPERR_TIMEOUT);
}

/* Nothing holds it any more: the agent is gone. */
static void
assert_port_free (const char *address,
                  guint16     port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new_from_string (address, port);

  g_assert_no_error (error);
  g_socket_bind (socket, socket_address, FALSE, &error);
  g_assert_no_error (error);
}

static char *
endpoint_on (const char *address)
{
  guint16 port = pw_test_free_udp_port (address);

  g_assert_cmpuint (port, !=, 0);
  return g_strdup_printf ("%s:%u", address, port);
}

/* @agent as a start function returned it; NULL (and the test skipped) when a tool is missing. */
static PwTestAgent *
started_or_skip (PwTestAgent  *agent,
                 GError      **error)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_test_skip ((*error)->message);
      g_clear_error (error);
      return NULL;
    }
  g_assert_no_error (*error);
  g_assert_nonnull (agent);
  return agent;
}

static void
test_fixtures_well_formed (void)
{
  g_autoptr(GDir) dir = g_dir_open (pw_test_fixtures_dir (), 0, NULL);
  g_autofree char *readme = g_build_filename (pw_test_fixtures_dir (), "README.md", NULL);
  const char *name;
  guint n_files = 0;
  guint i;

  g_assert_nonnull (dir);
  g_assert_true (g_file_test (readme, G_FILE_TEST_IS_REGULAR));
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (pw_test_fixtures_dir (), name, NULL);
      g_autoptr(GPtrArray) records = NULL;

      if (!g_str_has_suffix (name, ".snmprec"))
        continue;
      records = load_snmprec (path, TRUE);
      g_assert_cmpuint (records->len, >, 10);
      n_files++;
    }
  for (i = 0; fixture_names[i] != NULL; i++)
    {
      g_autofree char *path = fixture_path (fixture_names[i]);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (n_files, ==, g_strv_length ((char **) fixture_names));
}

static void
test_snmpsim_fixtures (void)
{
  g_autofree char *first = endpoint_on ("127.0.0.2");
  g_autofree char *second = endpoint_on ("127.0.0.3");
  const char *endpoints[] = { first, second, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  guint i;

  agent = started_or_skip (pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error), &error);

  if (agent == NULL)
    return;
  for (i = 0; fixture_names[i] != NULL; i++)
    {
      const char *community = fixture_names[i];
      g_autofree char *path = fixture_path (community);
      g_autoptr(GPtrArray) records = load_snmprec (path, TRUE);
      g_autoptr(Client) v2c = client_open_ok (first, SNMP_VERSION_2c, community, NULL);
      g_autoptr(Client) v1 = client_open_ok (first, SNMP_VERSION_1, community, NULL);
      g_autoptr(Client) other = client_open_ok (second, SNMP_VERSION_2c, community, NULL);
      netsnmp_pdu *response;

      g_test_message ("%s: %u records", community, records->len);
      assert_get_all (v2c, records, community);
      assert_walk (v2c, records, "1.3.6.1", FALSE, community);
      assert_walk (v1, records, "1.3.6.1", TRUE, community);
      assert_walk (other, records, "1.3.6.1.2.1.43.11", FALSE, community);

      /* What discovery tells apart: printers say so in hrDeviceType; the router has no Printer-MIB. */
      response = client_get_ok (v2c, OID_PRT_SERIAL);
      if (g_str_equal (community, "router"))
        {
          g_assert_true (response->variables->type == SNMP_NOSUCHOBJECT
                         || response->variables->type == SNMP_NOSUCHINSTANCE);
          assert_get_oid (other, OID_SYS_OBJECT_ID, NETSNMP_LINUX);
        }
      else
        {
          /* Some keep their serial number in their own MIB only. */
          gboolean has_serial = FALSE;

          for (guint r = 0; r < records->len; r++)
            has_serial |= g_str_has_prefix (((Record *) records->pdata[r])->text, OID_PRT_SERIAL "|");
          g_assert_cmpuint (response->variables->type, ==, has_serial ? ASN_OCTET_STR : SNMP_NOSUCHINSTANCE);
          assert_get_oid (other, OID_HR_DEVICE_TYPE, HR_DEVICE_PRINTER);
        }
      snmp_free_pdu (response);
    }

  /* A community that names no recording gets no answer, as from a printer with another one. */
  assert_silent (first, "public");
}

static void
test_snmpsim_hostile_bytes (void)
{
  g_autofree char *endpoint = endpoint_on ("127.0.0.4");
  const char *endpoints[] = { endpoint, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(Client) client = NULL;
  netsnmp_pdu *response;

  agent = started_or_skip (pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error), &error);

  if (agent == NULL)
    return;
  client = client_open_ok (endpoint, SNMP_VERSION_2c, "hostile-printer", NULL);
  assert_get_string (client, OID_SYS_CONTACT, "=cmd|' /C calc'!A0");
  assert_get_string (client, OID_SYS_LOCATION,
                     "Line 1\nLine 2\r\n=HYPERLINK(\"http://example.com/x\",\"click\")\tTab ");

  /* Bytes arrive as sent: NUL, invalid UTF-8, nothing cleaned on the way. */
  response = client_get_ok (client, "1.3.6.1.2.1.25.3.2.1.3.1");
  g_assert_cmpuint (response->variables->val_len, ==, 28);
  g_assert_cmpmem (response->variables->val.string, 9, "Model \xff\xfe\x00", 9);
  g_assert_false (g_utf8_validate ((const char *) response->variables->val.string,
                                   (gssize) response->variables->val_len, NULL));
  snmp_free_pdu (response);

  response = client_get_ok (client, "1.3.6.1.4.1.32473.2.666.1.1.0");
  g_assert_cmpuint (response->variables->type, ==, ASN_COUNTER64);
  g_assert_cmpuint (response->variables->val.counter64->high, ==, 0xffffffffUL);
  g_assert_cmpuint (response->variables->val.counter64->low, ==, 0xffffffffUL);
  snmp_free_pdu (response);

  response = client_get_ok (client, "1.3.6.1.2.1.43.11.1.1.9.1.5");
  g_assert_cmpint (*response->variables->val.integer, ==, G_MININT32);
  snmp_free_pdu (response);

  response = client_get_ok (client, "1.3.6.1.2.1.43.16.5.1.2.1.1");
  g_assert_cmpuint (response->variables->val_len, ==, 1800);
  snmp_free_pdu (response);
}

static void
test_snmpsim_many_addresses (void)
{
  guint net = (guint) g_random_int_range (0, 256);
  g_autofree char *first_address = g_strdup_printf ("127.1.%u.1", net);
  guint16 port = pw_test_free_udp_port (first_address);
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unused = NULL;
  guint i;

  g_assert_cmpuint (port, !=, 0);
  for (i = 1; i <= 32; i++)
    g_ptr_array_add (endpoints, g_strdup_printf ("127.1.%u.%u:%u", net, i, port));
  g_ptr_array_add (endpoints, NULL);
  agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), (const char * const *) endpoints->pdata,
                                 &error);
  agent = started_or_skip (agent, &error);
  if (agent == NULL)
    return;

  for (i = 0; i < 32; i++)
    {
      g_autoptr(Client) client = client_open_ok (endpoints->pdata[i], SNMP_VERSION_2c,
                                                 i % 2 == 0 ? "generic-laser" : "router", NULL);

      assert_get_string (client, OID_SYS_NAME, i % 2 == 0 ? "lp2040-floor2" : "edge-router");
    }
  /* The address after the last stays silent: a sweep finds nothing there. */
  unused = g_strdup_printf ("127.1.%u.33:%u", net, port);
  assert_silent (unused, "generic-laser");

  g_clear_pointer (&agent, pw_test_agent_stop);
  assert_silent (endpoints->pdata[0], "generic-laser");
  assert_port_free (first_address, port);
}

/* The corpus answers as expected.json says the real printers did. */
static void
test_snmpsim_walks (void)
{
  const char *walks = pw_test_walks_dir ();
  g_autofree char *endpoint = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  const char *endpoints[2] = { NULL, NULL };
  JsonObject *expected;
  GList *l;

  if (walks == NULL)
    {
      g_test_skip ("printer-walks corpus not found, skipping");
      return;
    }
  endpoint = endpoint_on ("127.0.0.5");
  endpoints[0] = endpoint;
  agent = started_or_skip (pw_test_snmpsim_start (walks, endpoints, &error), &error);
  if (agent == NULL)
    return;

  expected = pw_test_load_walks_expected (walks, parser);
  members = json_object_get_members (expected);
  g_assert_cmpuint (g_list_length (members), >, 0);
  for (l = members; l != NULL; l = l->next)
    {
      const char *community = l->data;
      JsonObject *device = json_object_get_object_member (expected, community);
      g_autofree char *file = g_strconcat (community, ".snmprec", NULL);
      g_autofree char *path = g_build_filename (walks, file, NULL);
      g_autoptr(GPtrArray) records = load_snmprec (path, FALSE);
      g_autoptr(Client) client = client_open_ok (endpoint, SNMP_VERSION_2c, community, NULL);

      g_test_message ("%s: %u records", community, records->len);
      assert_get_string (client, OID_SYS_DESCR, json_object_get_string_member (device, "sysDescr"));
      assert_get_oid (client, OID_SYS_OBJECT_ID, json_object_get_string_member (device, "sysObjectID"));
      assert_walk (client, records, "1.3.6.1.2.1.43.11", FALSE, community);
    }
}

static const PwTestV3User v3_users[] = {
  { "pw-noauth", NULL, NULL, NULL, NULL },
  { "pw-md5", "MD5", "md5-pass-phrase", NULL, NULL },
  { "pw-sha", "SHA", "sha-pass-phrase", NULL, NULL },
  { "pw-sha224", "SHA-224", "sha224-pass-phrase", NULL, NULL },
  { "pw-sha256", "SHA-256", "sha256-pass-phrase", NULL, NULL },
  { "pw-sha384", "SHA-384", "sha384-pass-phrase", NULL, NULL },
  { "pw-sha512", "SHA-512", "sha512-pass-phrase", NULL, NULL },
  { "pw-md5-des", "MD5", "md5-pass-phrase", "DES", "des-pass-phrase" },
  { "pw-sha-aes", "SHA", "sha-pass-phrase", "AES", "aes-pass-phrase" },
  { "pw-sha256-aes192", "SHA-256", "sha256-pass-phrase", "AES-192", "aes192-pass-phrase" },
  { "pw-sha512-aes256", "SHA-512", "sha512-pass-phrase", "AES-256", "aes256-pass-phrase" },
  { "pw-quoted", "SHA-256", "a \"quoted\" \\ pass phrase", "AES", "it's got 'spaces'" },
};

static void
test_snmpd_v3 (void)
{
  /* net-snmp keeps one key per user name and engine in the process: this user is only ever
   * asked with the wrong pass phrase. */
  static const PwTestV3User wrong_key = {
    "pw-wrong-key", "SHA-256", "not-the-pass-phrase", NULL, NULL,
  };
  static const PwTestV3User unknown = { "pw-unknown", NULL, NULL, NULL, NULL };
  g_autofree char *endpoint = endpoint_on ("127.0.0.6");
  g_autoptr(GArray) users = g_array_new (FALSE, FALSE, sizeof (PwTestV3User));
  PwTestV3User right_key = { "pw-wrong-key", "SHA-256", "the-right-pass-phrase", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(Client) client = NULL;
  netsnmp_pdu *response;
  int liberr = 0;
  guint i;

  g_array_append_vals (users, v3_users, G_N_ELEMENTS (v3_users));
  g_array_append_val (users, right_key);
  agent = pw_test_snmpd_start (endpoint, (const PwTestV3User *) users->data, users->len,
                               "pw-public", &error);
  agent = started_or_skip (agent, &error);
  if (agent == NULL)
    return;

  for (i = 0; i < G_N_ELEMENTS (v3_users); i++)
    {
      g_autoptr(Client) user_client = client_open_ok (endpoint, SNMP_VERSION_3, NULL, &v3_users[i]);

      g_test_message ("user %s: %s/%s", v3_users[i].name,
                      v3_users[i].auth_proto != NULL ? v3_users[i].auth_proto : "noAuth",
                      v3_users[i].priv_proto != NULL ? v3_users[i].priv_proto : "noPriv");
      assert_get_string (user_client, OID_SYS_NAME, "pw-test-snmpd");
      assert_get_string (user_client, OID_SYS_LOCATION, "loopback");
      assert_get_oid (user_client, OID_SYS_OBJECT_ID, NETSNMP_LINUX);
    }

  client = client_open_ok (endpoint, SNMP_VERSION_3, NULL, &wrong_key);
  response = client_get (client, OID_SYS_NAME, &liberr);
  g_assert_null (response);
  g_assert_cmpstr (snmp_api_errstring (liberr), ==, snmp_api_errstring (SNMPERR_AUTHENTICATION_FAILURE));
  g_clear_pointer (&client, client_free);

  client = client_open_ok (endpoint, SNMP_VERSION_3, NULL, &unknown);
  response = client_get (client, OID_SYS_NAME, &liberr);
  g_assert_null (response);
  g_assert_cmpstr (snmp_api_errstring (liberr), ==, snmp_api_errstring (SNMPERR_UNKNOWN_USER_NAME));
  g_clear_pointer (&client, client_free);

  client = client_open_ok (endpoint, SNMP_VERSION_2c, "pw-public", NULL);
  assert_get_string (client, OID_SYS_CONTACT, "printwatch tests");
  g_clear_pointer (&client, client_free);
  client = client_open_ok (endpoint, SNMP_VERSION_1, "pw-public", NULL);
  assert_get_string (client, OID_SYS_NAME, "pw-test-snmpd");
  assert_silent (endpoint, "public");
}

static void
test_snmpd_v3_only (void)
{
  static const PwTestV3User user = {
    "pw-only", "SHA-512", "only-pass-phrase", "AES-256", "only-priv-phrase",
  };
  g_autofree char *endpoint = endpoint_on ("127.0.0.7");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(Client) client = NULL;

  agent = started_or_skip (pw_test_snmpd_start (endpoint, &user, 1, NULL, &error), &error);

  if (agent == NULL)
    return;
  client = client_open_ok (endpoint, SNMP_VERSION_3, NULL, &user);
  assert_get_string (client, OID_SYS_NAME, "pw-test-snmpd");
  assert_silent (endpoint, "public");

  g_clear_pointer (&agent, pw_test_agent_stop);
  assert_silent (endpoint, "public");
  assert_port_free ("127.0.0.7", (guint16) g_ascii_strtoull (strrchr (endpoint, ':') + 1, NULL, 10));
}

static void
assert_invalid_snmpsim (const char *endpoint)
{
  const char *endpoints[] = { "127.0.0.2:16100", endpoint, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (agent);
}

static void
assert_invalid_snmpd (const char         *endpoint,
                      const PwTestV3User *user,
                      const char         *community)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;

  agent = pw_test_snmpd_start (endpoint, user, user != NULL ? 1 : 0, community, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (agent);
}

/* Refused before anything starts, so no tool is needed. */
static void
test_bad_arguments (void)
{
  static const PwTestV3User short_pass = { "pw-short", "SHA", "short", NULL, NULL };
  static const PwTestV3User priv_only = { "pw-priv", NULL, NULL, "AES", "aes-pass-phrase" };
  static const PwTestV3User unknown_auth = { "pw-sha1024", "SHA-1024", "sha-pass-phrase", NULL, NULL };
  static const PwTestV3User unknown_priv = { "pw-3des", "SHA", "sha-pass-phrase", "3DES", "des-pass-phrase" };
  static const PwTestV3User newline = { "pw-newline", "SHA", "pass\nrwuser x", NULL, NULL };
  static const PwTestV3User fine = { "pw-fine", "SHA", "sha-pass-phrase", NULL, NULL };

  assert_invalid_snmpsim ("192.0.2.1:16100");
  assert_invalid_snmpsim ("0.0.0.0:16100");
  assert_invalid_snmpsim ("localhost:16100");
  assert_invalid_snmpsim ("127.0.0.2");
  assert_invalid_snmpsim ("127.0.0.2:0");
  assert_invalid_snmpsim ("127.0.0.2:65536");
  assert_invalid_snmpsim ("[::1]:16100");
  assert_invalid_snmpsim ("127.1:16100");

  assert_invalid_snmpd ("10.0.0.1:161", &fine, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", NULL, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", &short_pass, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", &priv_only, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", &unknown_auth, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", &unknown_priv, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", &newline, NULL);
  assert_invalid_snmpd ("127.0.0.2:16100", NULL, "public\nrwcommunity private");
}

/* An agent that cannot bind exits at once: the error says so, with its own words. */
static void
test_port_taken (void)
{
  g_autofree char *endpoint = endpoint_on ("127.0.0.8");
  const char *endpoints[] = { endpoint, NULL };
  g_autoptr(GSocket) holder = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  gint64 started;
  guint port;

  holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  port = (guint) g_ascii_strtoull (strrchr (endpoint, ':') + 1, NULL, 10);
  address = g_inet_socket_address_new_from_string ("127.0.0.8", port);
  g_socket_bind (holder, address, FALSE, &error);
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  g_assert_null (agent);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_test_message ("%s", error->message);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "snmpsimd exited before answering"));
      g_assert_nonnull (strstr (error->message, "Address already in use"));
    }
  g_clear_error (&error);

  agent = pw_test_snmpd_start (endpoint, NULL, 0, "public", &error);
  g_assert_null (agent);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_test_message ("%s", error->message);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "snmpd exited before answering"));
    }
  g_assert_cmpint (g_get_monotonic_time () - started, <, 20 * G_USEC_PER_SEC);
}

/* As on a machine without the packages: a clean NOT_FOUND to skip on. */
static void
test_missing_tools (void)
{
  if (g_test_subprocess ())
    {
      const char *endpoints[] = { "127.0.0.2:16100", NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(PwTestAgent) agent = NULL;

      g_setenv ("PATH", "/nonexistent", TRUE);
      agent = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
      g_assert_null (agent);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "snmpsimd not found"));
      g_clear_error (&error);

      agent = pw_test_snmpd_start ("127.0.0.2:16100", NULL, 0, "public", &error);
      g_assert_null (agent);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, " not found (Debian package "));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_free_port (void)
{
  guint16 port = pw_test_free_udp_port ("127.0.0.9");
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.9", port);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (port, >=, 1024);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  /* Now taken: another call must find another. */
  g_assert_cmpuint (pw_test_free_udp_port ("127.0.0.9"), !=, port);
}

int
main (int    argc,
      char **argv)
{
  int status;

  pw_test_init (&argc, &argv, TRUE);

  /* Numeric OIDs only: no MIB file, no configuration file, nothing persisted. */
  g_setenv ("MIBS", "", TRUE);
  netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
  netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
  netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
  init_snmp ("pw-test-snmp-servers");

  g_test_add_func ("/snmp-servers/fixtures-well-formed", test_fixtures_well_formed);
  g_test_add_func ("/snmp-servers/free-port", test_free_port);
  g_test_add_func ("/snmp-servers/bad-arguments", test_bad_arguments);
  g_test_add_func ("/snmp-servers/missing-tools", test_missing_tools);
  g_test_add_func ("/snmp-servers/port-taken", test_port_taken);
  g_test_add_func ("/snmp-servers/snmpsim/fixtures", test_snmpsim_fixtures);
  g_test_add_func ("/snmp-servers/snmpsim/hostile-bytes", test_snmpsim_hostile_bytes);
  g_test_add_func ("/snmp-servers/snmpsim/many-addresses", test_snmpsim_many_addresses);
  g_test_add_func ("/snmp-servers/snmpsim/walks", test_snmpsim_walks);
  g_test_add_func ("/snmp-servers/snmpd/v3", test_snmpd_v3);
  g_test_add_func ("/snmp-servers/snmpd/v3-only", test_snmpd_v3_only);

  status = g_test_run ();
  snmp_shutdown ("pw-test-snmp-servers");
  return status;
}
