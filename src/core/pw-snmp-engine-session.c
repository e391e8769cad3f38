/* pw-snmp-engine-session.c: one operation's exchange with its agent.
 *
 * Part of PwSnmpEngine: with pw-snmp-engine.c, the only code that includes
 * net-snmp. Everything here runs on the engine's worker thread with the
 * net-snmp lock held: it opens the operation's session, discovers the
 * SNMPv3 engine ID, keeps net-snmp's USM user list right, builds requests
 * and hands responses to pw-snmp-engine-decode.c, which turns them into
 * PwSnmpVarbinds trusting no length an agent sends.
 *
 * SNMPv3 engine-ID discovery is done here, asynchronously: net-snmp's own
 * probe runs inside snmp_sess_open() and would block the worker for the
 * whole timeout of every silent address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* The engine's files share one log domain: G_MESSAGES_DEBUG=pw-snmp-engine narrates it all. */
#define G_LOG_DOMAIN "pw-snmp-engine"

#include "config.h"

#include "pw-snmp-engine-netsnmp-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <net-snmp/library/keytools.h>
#include <net-snmp/library/snmpusm.h>
#include <net-snmp/library/transform_oids.h>

/* Repetitions per GETBULK of a walk. A walk starts small, as most printer
 * columns hold a few rows and an agent answers every repetition asked for
 * (beyond the column's end too); it doubles while the subtree goes on, up
 * to what printers' small buffers take. */
#define WALK_FIRST_REPETITIONS 4
#define WALK_MAX_REPETITIONS   24
/* Varbinds a walk's request asks for, over all the subtrees it carries:
 * each subtree gets a share of the repetitions (at least one). */
#define WALK_VARBINDS          48
/* Objects per GET request before the agent told us tooBig. */
#define GET_CHUNK 32

/* Helpers */

static size_t
oid_from_op (GArray *subids,
             oid    *out)
{
  for (guint i = 0; i < subids->len; i++)
    out[i] = g_array_index (subids, guint32, i);
  return subids->len;
}

static PwSnmpVersion
op_version (PwSnmpOp *op)
{
  return pw_snmp_credentials_get_version (op->credentials);
}

static void
op_fail (PwSnmpOp    *op,
         PwSnmpError  code,
         const char  *detail)
{
  if (op->state == PW_SNMP_STATE_DONE)
    return;
  _pw_snmp_op_set_error (op, code, detail);
  op->state = PW_SNMP_STATE_DONE;
}

static void
op_fail_errno (PwSnmpOp *op,
               int       saved)
{
  gboolean unreachable = saved == ECONNREFUSED || saved == EHOSTUNREACH ||
                         saved == ENETUNREACH || saved == EHOSTDOWN;

  op_fail (op, unreachable ? PW_SNMP_ERROR_UNREACHABLE : PW_SNMP_ERROR_FAILED, g_strerror (saved));
}

static void
op_fail_status (PwSnmpOp    *op,
                netsnmp_pdu *pdu)
{
  g_autofree char *detail = _pw_snmp_describe_error_status (pdu);

  op_fail (op, PW_SNMP_ERROR_PROTOCOL, detail);
}

/* Varbinds */

/* Returns: (transfer full) (nullable): the varbind, or %NULL with @op failed */
static PwSnmpVarbind *
varbind_from_netsnmp (PwSnmpOp                    *op,
                      const netsnmp_variable_list *var)
{
  g_autofree char *detail = NULL;
  PwSnmpVarbind *varbind = _pw_snmp_varbind_from_netsnmp (var, &detail);

  if (varbind == NULL)
    op_fail (op, PW_SNMP_ERROR_PROTOCOL, detail);
  return varbind;
}

/* Sessions */

/* RFC 3414 A.2 hashes a megabyte per passphrase: more than the rest of an
 * SNMPv3 exchange costs. A sweep uses the same few passphrases thousands of
 * times, so the last Ku are kept, found by an HMAC under a key of this
 * process: no plain hash of a passphrase stays in memory. */
typedef struct {
  char   *id;                     /* owned; hex HMAC of hash algorithm and passphrase */
  u_char  ku[USM_AUTH_KU_LEN];
  size_t  len;
} KuEntry;

static KuEntry ku_cache[16];      /* under the net-snmp lock */
static guint ku_cache_next;

static void
password_to_ku (const oid  *hash,
                size_t      hash_len,
                const char *pass,
                u_char     *ku,
                size_t     *ku_len)
{
  static guint8 secret[32];
  static gboolean have_secret;
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *id = NULL;
  KuEntry *entry;

  if (!have_secret)
    {
      if (getrandom (secret, sizeof secret, 0) != sizeof secret)
        for (gsize i = 0; i < sizeof secret; i++)
          secret[i] = (guint8) g_random_int ();
      have_secret = TRUE;
    }
  hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, sizeof secret);
  g_hmac_update (hmac, (const guchar *) hash, hash_len * sizeof (oid));
  g_hmac_update (hmac, (const guchar *) pass, strlen (pass));
  id = g_strdup (g_hmac_get_string (hmac));

  for (gsize i = 0; i < G_N_ELEMENTS (ku_cache); i++)
    if (g_strcmp0 (ku_cache[i].id, id) == 0)
      {
        memcpy (ku, ku_cache[i].ku, ku_cache[i].len);
        *ku_len = ku_cache[i].len;
        return;
      }

  *ku_len = USM_AUTH_KU_LEN;
  if (generate_Ku (hash, hash_len, (const u_char *) pass, strlen (pass), ku, ku_len) != SNMPERR_SUCCESS)
    {
      *ku_len = 0;  /* net-snmp then fails the session: no key, no user */
      return;
    }
  entry = &ku_cache[ku_cache_next++ % G_N_ELEMENTS (ku_cache)];
  g_free (entry->id);
  entry->id = g_steal_pointer (&id);
  memcpy (entry->ku, ku, *ku_len);
  entry->len = *ku_len;
}

static void
set_v3_security (netsnmp_session   *session,
                 PwSnmpCredentials *credentials)
{
#define PROTO(array) { array, G_N_ELEMENTS (array) }
  static const struct {
    oid    *proto;
    size_t  len;
  } auth[] = {
    [PW_SNMP_AUTH_NONE] = PROTO (usmNoAuthProtocol),
    [PW_SNMP_AUTH_MD5] = PROTO (usmHMACMD5AuthProtocol),
    [PW_SNMP_AUTH_SHA1] = PROTO (usmHMACSHA1AuthProtocol),
    [PW_SNMP_AUTH_SHA224] = PROTO (usmHMAC128SHA224AuthProtocol),
    [PW_SNMP_AUTH_SHA256] = PROTO (usmHMAC192SHA256AuthProtocol),
    [PW_SNMP_AUTH_SHA384] = PROTO (usmHMAC256SHA384AuthProtocol),
    [PW_SNMP_AUTH_SHA512] = PROTO (usmHMAC384SHA512AuthProtocol),
  }, priv[] = {
    [PW_SNMP_PRIV_NONE] = PROTO (usmNoPrivProtocol),
    [PW_SNMP_PRIV_DES] = PROTO (usmDESPrivProtocol),
    [PW_SNMP_PRIV_AES128] = PROTO (usmAESPrivProtocol),
    /* net-snmp's "AES-192" and "AES-256" (draft-blumenthal-aes-usm-04), as its snmpd names them */
    [PW_SNMP_PRIV_AES192] = PROTO (usmAES192PrivProtocol),
    [PW_SNMP_PRIV_AES256] = PROTO (usmAES256PrivProtocol),
  };
#undef PROTO
  PwSnmpAuthProtocol auth_protocol = pw_snmp_credentials_get_auth_protocol (credentials);
  PwSnmpPrivProtocol priv_protocol = pw_snmp_credentials_get_priv_protocol (credentials);
  const char *pass;

  session->version = SNMP_VERSION_3;
  session->securityModel = SNMP_SEC_MODEL_USM;
  session->securityName = (char *) pw_snmp_credentials_get_user (credentials);
  session->securityNameLen = strlen (session->securityName);
  session->securityLevel = auth_protocol == PW_SNMP_AUTH_NONE ? SNMP_SEC_LEVEL_NOAUTH
                         : priv_protocol == PW_SNMP_PRIV_NONE ? SNMP_SEC_LEVEL_AUTHNOPRIV
                         : SNMP_SEC_LEVEL_AUTHPRIV;
  session->securityAuthProto = auth[auth_protocol].proto;
  session->securityAuthProtoLen = auth[auth_protocol].len;
  session->securityPrivProto = priv[priv_protocol].proto;
  session->securityPrivProtoLen = priv[priv_protocol].len;
  session->contextName = (char *) "";
  session->contextNameLen = 0;

  /* Ku from the passphrases; the privacy key uses the authentication hash.
   * Localisation waits for the engine ID. */
  if ((pass = pw_snmp_credentials_get_auth_passphrase (credentials)) != NULL)
    password_to_ku (session->securityAuthProto, session->securityAuthProtoLen, pass,
                    session->securityAuthKey, &session->securityAuthKeyLen);
  if ((pass = pw_snmp_credentials_get_priv_passphrase (credentials)) != NULL)
    password_to_ku (session->securityAuthProto, session->securityAuthProtoLen, pass,
                    session->securityPrivKey, &session->securityPrivKeyLen);
}

/* The digest that tells whether a USM user entry holds these keys. */
static void
usm_digest (const netsnmp_session *session,
            guint8                *digest)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (checksum, (const guchar *) session->securityAuthProto,
                     session->securityAuthProtoLen * sizeof (oid));
  g_checksum_update (checksum, (const guchar *) session->securityPrivProto,
                     session->securityPrivProtoLen * sizeof (oid));
  g_checksum_update (checksum, session->securityAuthKey, session->securityAuthKeyLen);
  g_checksum_update (checksum, session->securityPrivKey, session->securityPrivKeyLen);
  g_checksum_get_digest (checksum, digest, &len);
}

static int response_cb (int operation, netsnmp_session *session, int reqid,
                        netsnmp_pdu *pdu, void *magic);

/* Only datagrams from the agent reach a connected UDP socket, and an ICMP
 * port or host unreachable surfaces as ECONNREFUSED or EHOSTUNREACH on the
 * next read: a closed port answers at once instead of timing out. */
static void
connect_socket (PwSnmpOp *op)
{
  netsnmp_transport *transport = snmp_sess_transport (op->session);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (op->address, op->port);
  struct sockaddr_storage native;

  if (transport == NULL || transport->sock < 0 ||
      !g_socket_address_to_native (address, &native, sizeof native, NULL))
    return;
  if (connect (transport->sock, (struct sockaddr *) &native,
               g_socket_address_get_native_size (address)) != 0)
    g_debug ("%s: cannot connect the socket (%s); ICMP errors will go unseen",
             op->shown, g_strerror (errno));
}

static gboolean
open_session (PwSnmpOp *op)
{
  netsnmp_session session;
  g_autofree char *address = g_inet_address_to_string (op->address);
  g_autofree char *peer = NULL;

  peer = g_inet_address_get_family (op->address) == G_SOCKET_FAMILY_IPV6
         ? g_strdup_printf ("udp6:[%s]:%u", address, op->port)
         : g_strdup_printf ("udp:%s:%u", address, op->port);

  snmp_sess_init (&session);
  session.peername = peer;
  session.retries = (int) op->retries;
  session.timeout = (long) op->timeout_ms * 1000;
  session.callback = response_cb;
  session.callback_magic = op;
  switch (op_version (op))
    {
    case PW_SNMP_VERSION_1:
    case PW_SNMP_VERSION_2C:
      session.version = op_version (op) == PW_SNMP_VERSION_1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
      session.community = (u_char *) pw_snmp_credentials_get_community (op->credentials);
      session.community_len = strlen ((const char *) session.community);
      break;
    case PW_SNMP_VERSION_3:
      set_v3_security (&session, op->credentials);
      usm_digest (&session, op->usm_digest);
      /* We discover the engine ID ourselves, without blocking. */
      session.flags |= SNMP_FLAGS_DONT_PROBE;
      break;
    default:
      g_assert_not_reached ();
    }

  op->session = snmp_sess_open (&session);
  explicit_bzero (session.securityAuthKey, sizeof session.securityAuthKey);
  explicit_bzero (session.securityPrivKey, sizeof session.securityPrivKey);
  if (op->session == NULL)
    {
      op_fail_errno (op, session.s_errno != 0 ? session.s_errno : EINVAL);
      return FALSE;
    }
  /* snmp_sess_open() cleared it; without it the first send would probe, blocking. */
  snmp_sess_session (op->session)->flags |= SNMP_FLAGS_DONT_PROBE;
  connect_socket (op);
  return TRUE;
}

/* Requests */

static char *
op_oid_string (GArray *subids)
{
  oid name[MAX_OID_LEN];

  return _pw_snmp_oid_to_string (name, oid_from_op (subids, name));
}

static void
request_again (PwSnmpOp *op)
{
  op->state = PW_SNMP_STATE_SEND;
  _pw_snmp_worker_queue_send (op->worker, op);
}

static netsnmp_pdu *
build_probe (void)
{
  /* RFC 3414 §4: an unauthenticated request with an empty user name makes
   * the agent report its snmpEngineID. */
  netsnmp_pdu *pdu = snmp_pdu_create (SNMP_MSG_GET);

  pdu->version = SNMP_VERSION_3;
  pdu->securityName = strdup ("");
  pdu->securityNameLen = 0;
  pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
  pdu->securityModel = SNMP_SEC_MODEL_USM;
  return pdu;
}

static netsnmp_pdu *
build_request (PwSnmpOp *op)
{
  oid name[MAX_OID_LEN];
  netsnmp_pdu *pdu;

  switch (op->kind)
    {
    case PW_SNMP_OP_GET:
    case PW_SNMP_OP_GET_NEXT:
      pdu = snmp_pdu_create (op->kind == PW_SNMP_OP_GET ? SNMP_MSG_GET : SNMP_MSG_GETNEXT);
      g_array_set_size (op->batch, 0);
      for (guint i = 0; i < op->todo->len && i < op->chunk; i++)
        {
          guint slot = g_array_index (op->todo, guint, i);

          g_array_append_val (op->batch, slot);
          snmp_add_null_var (pdu, name, oid_from_op (op->oids->pdata[slot], name));
        }
      return pdu;
    case PW_SNMP_OP_GET_BULK:
      pdu = snmp_pdu_create (SNMP_MSG_GETBULK);
      pdu->non_repeaters = op->bulk_non_repeaters;
      pdu->max_repetitions = op->bulk_repetitions;
      for (guint i = 0; i < op->oids->len; i++)
        snmp_add_null_var (pdu, name, oid_from_op (op->oids->pdata[i], name));
      return pdu;
    case PW_SNMP_OP_WALK:
      {
        guint most_left = 0;

        /* The first subtrees not done yet, and as many rows of each as fit. */
        g_array_set_size (op->batch, 0);
        for (guint i = 0; i < op->walk->len && op->batch->len < op->width; i++)
          {
            PwSnmpWalkColumn *column = &g_array_index (op->walk, PwSnmpWalkColumn, i);

            if (column->done)
              continue;
            g_array_append_val (op->batch, i);
            most_left = MAX (most_left, column->max_rows - column->rows->len);
          }
        op->repetitions = MIN (MIN (op->chunk, MAX (1, WALK_VARBINDS / op->batch->len)), most_left);
        if (op_version (op) == PW_SNMP_VERSION_1)
          {
            pdu = snmp_pdu_create (SNMP_MSG_GETNEXT);
            op->repetitions = 1;
          }
        else
          {
            pdu = snmp_pdu_create (SNMP_MSG_GETBULK);
            pdu->non_repeaters = 0;
            pdu->max_repetitions = op->repetitions;
          }
        for (guint i = 0; i < op->batch->len; i++)
          {
            GArray *last = g_array_index (op->walk, PwSnmpWalkColumn,
                                          g_array_index (op->batch, guint, i)).last_oid;

            snmp_add_null_var (pdu, (oid *) (gpointer) last->data, last->len);
          }
        return pdu;
      }
    default:
      g_assert_not_reached ();
    }
}

void
_pw_snmp_op_send (PwSnmpOp *op)
{
  gboolean probe = op_version (op) == PW_SNMP_VERSION_3 && op->engine_id_len == 0;
  netsnmp_pdu *pdu = probe ? build_probe () : build_request (op);

  op->state = probe ? PW_SNMP_STATE_PROBING : PW_SNMP_STATE_WAITING;
  if (snmp_sess_async_send (op->session, pdu, response_cb, op) == 0)
    {
      netsnmp_session *session = snmp_sess_session (op->session);

      /* A failed send has told response_cb() already, most of the time. */
      snmp_free_pdu (pdu);
      op_fail_errno (op, session->s_errno != 0 ? session->s_errno : EIO);
    }
}

/* Responses */

static void
handle_get (PwSnmpOp    *op,
            netsnmp_pdu *pdu)
{
  gboolean next = op->kind == PW_SNMP_OP_GET_NEXT;
  netsnmp_variable_list *var = pdu->variables;
  guint n;

  if (pdu->errstat == SNMP_ERR_TOOBIG && op->batch->len > 1)
    {
      op->chunk = op->batch->len / 2;
      g_debug ("%s: tooBig for %u objects, asking for %u at a time", op->shown,
               op->batch->len, op->chunk);
      request_again (op);
      return;
    }
  /* An SNMPv1 agent fails the whole request for one unknown object (RFC 1157
   * §4.1.2): mark that one as SNMPv2 would, and ask again for the others. */
  if (pdu->errstat == SNMP_ERR_NOSUCHNAME && op_version (op) == PW_SNMP_VERSION_1 &&
      pdu->errindex >= 1 && pdu->errindex <= op->batch->len)
    {
      guint slot = g_array_index (op->batch, guint, pdu->errindex - 1);
      g_autofree char *name = op_oid_string (op->oids->pdata[slot]);

      g_clear_pointer (&op->results->pdata[slot], pw_snmp_varbind_free);
      op->results->pdata[slot] = pw_snmp_varbind_new (name, next ? PW_SNMP_VALUE_END_OF_MIB_VIEW
                                                                 : PW_SNMP_VALUE_NO_SUCH_OBJECT);
      g_array_remove_index (op->todo, pdu->errindex - 1);
      if (op->todo->len == 0)
        op->state = PW_SNMP_STATE_DONE;
      else
        request_again (op);
      return;
    }
  if (pdu->errstat != SNMP_ERR_NOERROR)
    {
      op_fail_status (op, pdu);
      return;
    }

  for (n = 0; var != NULL && n < op->batch->len; var = var->next_variable, n++)
    {
      guint slot = g_array_index (op->batch, guint, n);
      oid asked[MAX_OID_LEN];
      size_t asked_len = oid_from_op (op->oids->pdata[slot], asked);
      PwSnmpVarbind *varbind;

      if (!next && snmp_oid_compare (var->name, var->name_length, asked, asked_len) != 0)
        {
          g_autofree char *wanted = _pw_snmp_oid_to_string (asked, asked_len);
          g_autofree char *detail = g_strdup_printf (_("it answered about another object than %s"),
                                                     wanted);

          op_fail (op, PW_SNMP_ERROR_PROTOCOL, detail);
          return;
        }
      if ((varbind = varbind_from_netsnmp (op, var)) == NULL)
        return;
      g_clear_pointer (&op->results->pdata[slot], pw_snmp_varbind_free);
      op->results->pdata[slot] = varbind;
    }
  if (var != NULL || n != op->batch->len)
    {
      g_autofree char *detail = g_strdup_printf (_("it answered %u objects where %u were asked for"),
                                                 n + (var != NULL), op->batch->len);

      op_fail (op, PW_SNMP_ERROR_PROTOCOL, detail);
      return;
    }

  g_array_remove_range (op->todo, 0, op->batch->len);
  if (op->todo->len == 0)
    op->state = PW_SNMP_STATE_DONE;
  else
    request_again (op);
}

static void
handle_bulk (PwSnmpOp    *op,
             netsnmp_pdu *pdu)
{
  /* RFC 3416 §4.2.3: never more than N + M × R varbinds. */
  guint repeaters = op->oids->len - op->bulk_non_repeaters;
  guint64 most = op->bulk_non_repeaters + (guint64) op->bulk_repetitions * repeaters;

  if (pdu->errstat != SNMP_ERR_NOERROR)
    {
      op_fail_status (op, pdu);
      return;
    }
  for (netsnmp_variable_list *var = pdu->variables; var != NULL; var = var->next_variable)
    {
      PwSnmpVarbind *varbind;

      if (op->results->len >= most)
        {
          op_fail (op, PW_SNMP_ERROR_PROTOCOL, _("it answered more objects than were asked for"));
          return;
        }
      if ((varbind = varbind_from_netsnmp (op, var)) == NULL)
        return;
      g_ptr_array_add (op->results, varbind);
    }
  op->state = PW_SNMP_STATE_DONE;
}

/* A walk's subtree ends at its end, at endOfMibView, at the caller's row
 * limit, and when an agent repeats or goes back: a broken agent must not
 * keep us walking in circles. */
static void
walk_column_fail (PwSnmpOp         *op,
                  PwSnmpWalkColumn *column,
                  PwSnmpError       code,
                  const char       *detail)
{
  _pw_snmp_op_set_error (op, code, detail);
  g_clear_error (&column->error);
  column->error = g_steal_pointer (&op->error);
  column->done = TRUE;
}

/* Returns: FALSE once @column is done */
static gboolean
walk_column_take (PwSnmpOp                    *op,
                  PwSnmpWalkColumn            *column,
                  const netsnmp_variable_list *var)
{
  GArray *root = op->oids->pdata[column - &g_array_index (op->walk, PwSnmpWalkColumn, 0)];
  oid root_oid[MAX_OID_LEN];
  size_t root_len = oid_from_op (root, root_oid);
  g_autofree char *detail = NULL;
  PwSnmpVarbind *varbind;

  if (var->type == SNMP_ENDOFMIBVIEW || var->type == SNMP_NOSUCHOBJECT ||
      var->type == SNMP_NOSUCHINSTANCE ||
      netsnmp_oid_is_subtree (root_oid, root_len, var->name, var->name_length) != 0)
    return column->done = TRUE, FALSE;
  if (snmp_oid_compare (var->name, var->name_length,
                        (oid *) (gpointer) column->last_oid->data, column->last_oid->len) <= 0)
    {
      g_debug ("%s: the agent answered a non-increasing OID after %u rows; walk stopped",
               op->shown, column->rows->len);
      return column->done = TRUE, FALSE;
    }
  if ((varbind = _pw_snmp_varbind_from_netsnmp (var, &detail)) == NULL)
    {
      walk_column_fail (op, column, PW_SNMP_ERROR_PROTOCOL, detail);
      return FALSE;
    }
  g_ptr_array_add (column->rows, varbind);
  g_array_set_size (column->last_oid, 0);
  g_array_append_vals (column->last_oid, var->name, var->name_length);
  if (column->rows->len >= column->max_rows)
    {
      g_debug ("%s: walk stopped at the limit of %u rows", op->shown, column->max_rows);
      return column->done = TRUE, FALSE;
    }
  return TRUE;
}

static void
walk_go_on (PwSnmpOp *op)
{
  for (guint i = 0; i < op->walk->len; i++)
    if (!g_array_index (op->walk, PwSnmpWalkColumn, i).done)
      {
        request_again (op);
        return;
      }
  op->state = PW_SNMP_STATE_DONE;
}

/* A GETBULK's reply holds its rows one after the other, each with one
 * varbind per subtree asked (RFC 3416 §4.2.3); an agent may cut it short
 * after any varbind, so a subtree not reached is asked again from where
 * it stood. */
static void
handle_walk (PwSnmpOp    *op,
             netsnmp_pdu *pdu)
{
  guint width = op->batch->len;
  guint asked = width * op->repetitions;
  guint n = 0;

#define BATCH_COLUMN(i) (&g_array_index (op->walk, PwSnmpWalkColumn, g_array_index (op->batch, guint, (i))))
  if (pdu->errstat == SNMP_ERR_TOOBIG && (op->repetitions > 1 || width > 1))
    {
      if (op->repetitions > 1)
        op->chunk = op->chunk_max = op->repetitions / 2;
      else
        op->width = width / 2;
      g_debug ("%s: tooBig, walking %u subtrees %u rows at a time", op->shown,
               MIN (width, op->width), op->chunk);
      request_again (op);
      return;
    }
  /* SNMPv1 tells the end of the MIB as noSuchName (RFC 1157 §4.1.3), for
   * the first subtree that reached it; the others are asked again. */
  if (pdu->errstat == SNMP_ERR_NOSUCHNAME && op_version (op) == PW_SNMP_VERSION_1)
    {
      if (pdu->errindex >= 1 && pdu->errindex <= width)
        BATCH_COLUMN (pdu->errindex - 1)->done = TRUE;
      else
        for (guint i = 0; i < width; i++)
          BATCH_COLUMN (i)->done = TRUE;
      walk_go_on (op);
      return;
    }
  if (pdu->errstat != SNMP_ERR_NOERROR)
    {
      g_autofree char *detail = NULL;

      /* Which subtree the agent balks at: ask for each alone from now on. */
      if (width > 1)
        {
          op->width = 1;
          request_again (op);
          return;
        }
      detail = _pw_snmp_describe_error_status (pdu);
      walk_column_fail (op, BATCH_COLUMN (0), PW_SNMP_ERROR_PROTOCOL, detail);
      walk_go_on (op);
      return;
    }

  for (netsnmp_variable_list *var = pdu->variables; var != NULL && n < asked;
       var = var->next_variable, n++)
    {
      PwSnmpWalkColumn *column = BATCH_COLUMN (n % width);

      if (!column->done)
        walk_column_take (op, column, var);
    }
  /* An empty reply would ask the same again for ever. */
  if (n == 0)
    for (guint i = 0; i < width; i++)
      BATCH_COLUMN (i)->done = TRUE;
  else if (n == asked && op_version (op) != PW_SNMP_VERSION_1)
    op->chunk = MIN (op->chunk * 2, op->chunk_max);
#undef BATCH_COLUMN
  walk_go_on (op);
}

static void
handle_response (PwSnmpOp    *op,
                 netsnmp_pdu *pdu)
{
  switch (op->kind)
    {
    case PW_SNMP_OP_GET:
    case PW_SNMP_OP_GET_NEXT:
      handle_get (op, pdu);
      break;
    case PW_SNMP_OP_GET_BULK:
      handle_bulk (op, pdu);
      break;
    case PW_SNMP_OP_WALK:
      handle_walk (op, pdu);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
take_engine_id (PwSnmpOp    *op,
                netsnmp_pdu *pdu)
{
  /* RFC 3411 SnmpEngineID is 5 to 32 octets; some agents send fewer. */
  if (pdu->securityEngineID == NULL || pdu->securityEngineIDLen == 0 ||
      pdu->securityEngineIDLen > sizeof op->engine_id)
    return FALSE;
  memcpy (op->engine_id, pdu->securityEngineID, pdu->securityEngineIDLen);
  op->engine_id_len = pdu->securityEngineIDLen;
  return TRUE;
}

/* @report: net-snmp's SNMPERR_* for the report @pdu, or for a local failure */
static void
fail_security (PwSnmpOp    *op,
               int          report,
               netsnmp_pdu *pdu)
{
  g_autofree char *detail = NULL;

  switch (report)
    {
    case SNMPERR_UNKNOWN_USER_NAME:
    case SNMPERR_USM_UNKNOWNSECURITYNAME:
      op_fail (op, PW_SNMP_ERROR_UNKNOWN_USER, NULL);
      break;
    case SNMPERR_AUTHENTICATION_FAILURE:
    case SNMPERR_USM_AUTHENTICATIONFAILURE:
      op_fail (op, PW_SNMP_ERROR_AUTHENTICATION, NULL);
      break;
    case SNMPERR_DECRYPTION_ERR:
    case SNMPERR_USM_DECRYPTIONERROR:
      op_fail (op, PW_SNMP_ERROR_DECRYPTION, NULL);
      break;
    case SNMPERR_UNSUPPORTED_SEC_LEVEL:
    case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
      op_fail (op, PW_SNMP_ERROR_UNSUPPORTED_SECURITY_LEVEL, NULL);
      break;
    case SNMPERR_NOT_IN_TIME_WINDOW:
    case SNMPERR_USM_NOTINTIMEWINDOW:
      op_fail (op, PW_SNMP_ERROR_NOT_IN_TIME_WINDOW, NULL);
      break;
    default:
      if (pdu != NULL && pdu->command == SNMP_MSG_REPORT && pdu->variables != NULL &&
          pdu->variables->name_length <= MAX_OID_LEN)
        {
          g_autofree char *name = _pw_snmp_oid_to_string (pdu->variables->name,
                                                           pdu->variables->name_length);

          detail = g_strdup_printf (_("it sent an unexpected report (%s)"), name);
          op_fail (op, PW_SNMP_ERROR_PROTOCOL, detail);
        }
      else
        op_fail (op, PW_SNMP_ERROR_FAILED, snmp_api_errstring (report));
    }
}

static void
finish_probe (PwSnmpOp    *op,
              int          operation,
              netsnmp_pdu *pdu,
              int          local_error)
{
  if (pdu != NULL && take_engine_id (op, pdu))
    op->state = PW_SNMP_STATE_WAIT_USER;
  else if (pdu != NULL && pdu->command == SNMP_MSG_REPORT)
    fail_security (op, snmpv3_get_report_type (pdu), pdu);
  else if (operation == NETSNMP_CALLBACK_OP_SEC_ERROR)
    fail_security (op, local_error, NULL);
  else
    op_fail (op, PW_SNMP_ERROR_PROTOCOL, _("it did not tell its SNMPv3 engine ID"));
}

/* Called by net-snmp inside snmp_sess_read2(), snmp_sess_timeout() and
 * snmp_sess_close(): records what happened; the worker loop acts on it.
 * A report comes twice, as OP_RECEIVED_MESSAGE and OP_SEC_ERROR, in an
 * order Debian's net-snmp (do_not_callback_for_failed_reports.diff)
 * reverses: whichever comes first decides. After notInTimeWindow net-snmp
 * resends by itself and calls OP_SEC_ERROR only when it gives up. */
static int
response_cb (int              operation,
             netsnmp_session *session,
             int              reqid,
             netsnmp_pdu     *pdu,
             void            *magic)
{
  PwSnmpOp *op = magic;
  gboolean report = pdu != NULL && pdu->command == SNMP_MSG_REPORT;

  if (op->closing ||
      (op->state != PW_SNMP_STATE_PROBING && op->state != PW_SNMP_STATE_WAITING))
    return 1;

  switch (operation)
    {
    case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
    case NETSNMP_CALLBACK_OP_SEC_ERROR:
      if (op->state == PW_SNMP_STATE_PROBING)
        finish_probe (op, operation, pdu, session->s_snmp_errno);
      else if (report)
        {
          int type = snmpv3_get_report_type (pdu);

          g_debug ("%s: report: %s", op->shown, snmp_api_errstring (type));
          if (type != SNMPERR_NOT_IN_TIME_WINDOW || operation == NETSNMP_CALLBACK_OP_SEC_ERROR)
            fail_security (op, type, pdu);
        }
      else if (operation == NETSNMP_CALLBACK_OP_SEC_ERROR)
        fail_security (op, session->s_snmp_errno, NULL);  /* before sending: no keys, no user */
      else if (pdu->command != SNMP_MSG_RESPONSE)
        op_fail (op, PW_SNMP_ERROR_PROTOCOL, _("it answered with something other than a response"));
      else
        handle_response (op, pdu);
      return 1;
    case NETSNMP_CALLBACK_OP_TIMED_OUT:
      /* An agent that answered our engine-ID probe but not the encrypted
       * request itself: agents (net-snmp's snmpd among them) drop what they
       * cannot decrypt and send usmStatsDecryptionErrors only when the
       * ciphertext is malformed, not when the key is wrong. */
      if (op->undecodable)
        op_fail (op, PW_SNMP_ERROR_PROTOCOL, _("its replies could not be decoded"));
      else if (op->state == PW_SNMP_STATE_WAITING && op->engine_id_len > 0 &&
               pw_snmp_credentials_get_priv_protocol (op->credentials) != PW_SNMP_PRIV_NONE)
        op_fail (op, PW_SNMP_ERROR_DECRYPTION, NULL);
      else
        op_fail (op, PW_SNMP_ERROR_TIMEOUT, NULL);
      return 1;
    case NETSNMP_CALLBACK_OP_SEND_FAILED:
      op_fail_errno (op, session->s_errno != 0 ? session->s_errno : EIO);
      return 1;
    default:
      return 1;
    }
}

static void
init_op_state (PwSnmpOp *op)
{
  op->results = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  switch (op->kind)
    {
    case PW_SNMP_OP_GET:
    case PW_SNMP_OP_GET_NEXT:
      g_ptr_array_set_size (op->results, op->oids->len);
      op->todo = g_array_sized_new (FALSE, FALSE, sizeof (guint), op->oids->len);
      for (guint i = 0; i < op->oids->len; i++)
        g_array_append_val (op->todo, i);
      op->batch = g_array_new (FALSE, FALSE, sizeof (guint));
      op->chunk = GET_CHUNK;
      break;
    case PW_SNMP_OP_GET_BULK:
      break;
    case PW_SNMP_OP_WALK:
      for (guint i = 0; i < op->walk->len; i++)
        {
          PwSnmpWalkColumn *column = &g_array_index (op->walk, PwSnmpWalkColumn, i);
          oid root[MAX_OID_LEN];
          size_t len = oid_from_op (op->oids->pdata[i], root);

          column->last_oid = g_array_sized_new (FALSE, FALSE, sizeof (oid), MAX_OID_LEN);
          g_array_append_vals (column->last_oid, root, len);
          column->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
        }
      op->batch = g_array_new (FALSE, FALSE, sizeof (guint));
      op->chunk = WALK_FIRST_REPETITIONS;
      op->chunk_max = WALK_MAX_REPETITIONS;
      op->width = WALK_VARBINDS;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* After snmp_sess_read2() failed on the operation's socket. */
void
_pw_snmp_op_read_failed (PwSnmpOp *op)
{
  netsnmp_session *session = snmp_sess_session (op->session);

  if (session->s_snmp_errno != SNMPERR_BAD_RECVFROM)
    op->undecodable = TRUE;  /* not ASN.1, or not for any request of ours */
  else if (session->s_errno != EAGAIN && session->s_errno != EINTR)
    op_fail_errno (op, session->s_errno);
}

/* Returns: FALSE with @op failed if no session could be opened */
gboolean
_pw_snmp_op_open (PwSnmpOp *op)
{
  init_op_state (op);
  return open_session (op);
}
