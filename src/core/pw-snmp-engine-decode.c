/* pw-snmp-engine-decode.c: from net-snmp's PDUs to PwSnmpVarbinds.
 *
 * Part of PwSnmpEngine, and like its other files free to include net-snmp.
 * Every value an agent sends passes through _pw_snmp_varbind_from_netsnmp (),
 * which trusts no length or type the agent claims. Replies arrive through
 * pw-snmp-engine-session.c; _pw_snmp_engine_decode_response () takes one
 * message as raw bytes down the same path, for the fuzz targets (tests/fuzz).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* The engine's files share one log domain: G_MESSAGES_DEBUG=pw-snmp-engine narrates it all. */
#define G_LOG_DOMAIN "pw-snmp-engine"

#include "config.h"

#include "pw-snmp-engine-netsnmp-private.h"

#include <glib/gi18n-lib.h>

/* Bigger than any value a UDP datagram can carry: a larger one is a lie. */
#define MAX_VALUE_SIZE 65535
/* The largest UDP payload: no message an agent sends is longer. */
#define MAX_MESSAGE_SIZE 65507

char *
_pw_snmp_oid_to_string (const oid *subids,
                        size_t     len)
{
  GString *text = g_string_new (NULL);

  for (size_t i = 0; i < len; i++)
    g_string_append_printf (text, i == 0 ? "%lu" : ".%lu", (unsigned long) subids[i]);
  return g_string_free (text, FALSE);
}

/* The RFC 3416 error-status names, as agents' manuals use them. */
static const char *
error_status_name (long status)
{
  static const char * const names[] = {
    "noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess",
    "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation",
    "inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed",
    "authorizationError", "notWritable", "inconsistentName",
  };

  return status >= 0 && (gsize) status < G_N_ELEMENTS (names) ? names[status] : "unknown";
}

/* Returns: (transfer full): what a response's error-status says, in words */
char *
_pw_snmp_describe_error_status (const netsnmp_pdu *pdu)
{
  return g_strdup_printf (_("it answered with error-status %s (%ld) at index %ld"),
                          error_status_name (pdu->errstat), pdu->errstat, pdu->errindex);
}

static gboolean
copy_value (PwSnmpVarbind               *varbind,
            const netsnmp_variable_list *var)
{
  gboolean has_integer = var->val.integer != NULL && var->val_len >= sizeof (long);
  gboolean has_counter64 = var->val.counter64 != NULL && var->val_len >= sizeof (struct counter64);

  switch (var->type)
    {
    case ASN_INTEGER:
      varbind->type = PW_SNMP_VALUE_INTEGER;
      varbind->integer = has_integer ? *var->val.integer : 0;
      return has_integer;
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
    case ASN_UINTEGER:
      varbind->type = var->type == ASN_COUNTER ? PW_SNMP_VALUE_COUNTER32
                    : var->type == ASN_TIMETICKS ? PW_SNMP_VALUE_TIME_TICKS
                    : PW_SNMP_VALUE_GAUGE32;
      varbind->counter = has_integer ? (guint64) (*var->val.integer & 0xffffffffUL) : 0;
      return has_integer;
    case ASN_COUNTER64:
    case ASN_OPAQUE_COUNTER64:
    case ASN_OPAQUE_U64:
      varbind->type = PW_SNMP_VALUE_COUNTER64;
      if (has_counter64)
        varbind->counter = ((guint64) (var->val.counter64->high & 0xffffffffUL) << 32) |
                           (var->val.counter64->low & 0xffffffffUL);
      return has_counter64;
    case ASN_OPAQUE_I64:
      varbind->type = PW_SNMP_VALUE_INTEGER;
      if (has_counter64)
        varbind->integer = (gint64) (((guint64) (var->val.counter64->high & 0xffffffffUL) << 32) |
                                     (var->val.counter64->low & 0xffffffffUL));
      return has_counter64;
    case ASN_OCTET_STR:
    case ASN_BIT_STR:
    case ASN_NSAP:
    case ASN_IPADDRESS:
    case ASN_OPAQUE:
    case ASN_OPAQUE_FLOAT:
    case ASN_OPAQUE_DOUBLE:
      /* Opaque floats keep their IEEE bytes, which is what the Opaque wrapped. */
      varbind->type = var->type == ASN_IPADDRESS ? PW_SNMP_VALUE_IP_ADDRESS
                    : var->type == ASN_OPAQUE || var->type == ASN_OPAQUE_FLOAT ||
                      var->type == ASN_OPAQUE_DOUBLE ? PW_SNMP_VALUE_OPAQUE
                    : PW_SNMP_VALUE_OCTET_STRING;
      if (var->val_len > MAX_VALUE_SIZE || (var->val_len > 0 && var->val.string == NULL) ||
          (var->type == ASN_IPADDRESS && var->val_len != 4))
        return FALSE;
      varbind->octets = g_bytes_new (var->val.string, var->val_len);
      return TRUE;
    case ASN_OBJECT_ID:
      varbind->type = PW_SNMP_VALUE_OID;
      if (var->val.objid == NULL || var->val_len % sizeof (oid) != 0 ||
          var->val_len / sizeof (oid) > MAX_OID_LEN)
        return FALSE;
      varbind->oid_value = _pw_snmp_oid_to_string (var->val.objid, var->val_len / sizeof (oid));
      return TRUE;
    case ASN_NULL:
      varbind->type = PW_SNMP_VALUE_NULL;
      return TRUE;
    case SNMP_NOSUCHOBJECT:
      varbind->type = PW_SNMP_VALUE_NO_SUCH_OBJECT;
      return TRUE;
    case SNMP_NOSUCHINSTANCE:
      varbind->type = PW_SNMP_VALUE_NO_SUCH_INSTANCE;
      return TRUE;
    case SNMP_ENDOFMIBVIEW:
      varbind->type = PW_SNMP_VALUE_END_OF_MIB_VIEW;
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * _pw_snmp_varbind_from_netsnmp:
 * @detail: (out): on failure, what is wrong with it, in words
 *
 * Returns: (transfer full) (nullable): the varbind, or %NULL with @detail set
 */
PwSnmpVarbind *
_pw_snmp_varbind_from_netsnmp (const netsnmp_variable_list  *var,
                               char                        **detail)
{
  g_autofree char *name = NULL;
  g_autoptr(PwSnmpVarbind) varbind = NULL;

  if (var->name == NULL || var->name_length < 2 || var->name_length > MAX_OID_LEN)
    {
      *detail = g_strdup (_("it sent an object without a valid name"));
      return NULL;
    }
  name = _pw_snmp_oid_to_string (var->name, var->name_length);
  varbind = pw_snmp_varbind_new (name, PW_SNMP_VALUE_NULL);
  if (!copy_value (varbind, var))
    {
      *detail = g_strdup_printf (_("the value of %s (type 0x%02x) is malformed"), name, var->type);
      return NULL;
    }
  return g_steal_pointer (&varbind);
}

static char *
decode_pdu (const netsnmp_pdu *pdu,
            GPtrArray         *varbinds)
{
  char *detail = NULL;

  if (pdu->command != SNMP_MSG_RESPONSE)
    return g_strdup (_("it answered with something other than a response"));
  if (pdu->errstat != SNMP_ERR_NOERROR)
    return _pw_snmp_describe_error_status (pdu);
  for (const netsnmp_variable_list *var = pdu->variables; var != NULL; var = var->next_variable)
    {
      PwSnmpVarbind *varbind = _pw_snmp_varbind_from_netsnmp (var, &detail);

      if (varbind == NULL)
        return detail;
      g_ptr_array_add (varbinds, varbind);
    }
  return NULL;
}

/**
 * _pw_snmp_engine_decode_response:
 * @data: (array length=len): one SNMP message, as an agent's UDP datagram holds it
 *
 * Parses @data with net-snmp's own parser, for a session that takes any
 * version, and turns the response's varbinds into PwSnmpVarbinds as the
 * engine does for a reply to its requests. Safe from any thread.
 *
 * Returns: (transfer full) (element-type PwSnmpVarbind): the varbinds, in
 *   the order sent, or %NULL with %PW_SNMP_ERROR_PROTOCOL
 */
GPtrArray *
_pw_snmp_engine_decode_response (const guint8  *data,
                                 gsize          len,
                                 GError       **error)
{
  g_autoptr(GPtrArray) varbinds = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  g_autofree guint8 *packet = NULL;
  g_autofree char *detail = NULL;
  netsnmp_session session;
  netsnmp_pdu *pdu;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0 || len > MAX_MESSAGE_SIZE)
    {
      g_set_error_literal (error, PW_SNMP_ERROR, PW_SNMP_ERROR_PROTOCOL, _("its replies could not be decoded"));
      return NULL;
    }
  /* net-snmp's parser takes a writable buffer; it never writes to it. */
  packet = g_memdup2 (data, len);

  _pw_snmp_engine_lock_library ();
  snmp_sess_init (&session);
  pdu = SNMP_MALLOC_TYPEDEF (netsnmp_pdu);
  if (pdu == NULL)
    g_error ("%s: out of memory", G_STRFUNC);
  if (snmp_parse (NULL, &session, pdu, packet, len) != SNMPERR_SUCCESS)
    detail = g_strdup (_("its replies could not be decoded"));
  else
    detail = decode_pdu (pdu, varbinds);
  snmp_free_pdu (pdu);
  _pw_snmp_engine_unlock_library ();

  if (detail != NULL)
    {
      g_set_error_literal (error, PW_SNMP_ERROR, PW_SNMP_ERROR_PROTOCOL, detail);
      return NULL;
    }
  return g_steal_pointer (&varbinds);
}
