/* fuzz-snmp-response.c: raw SNMP replies to a stored snapshot.
 *
 * The input is one or more SNMP messages, each a 2-byte big-endian length
 * and that many bytes, as agents' UDP datagrams hold them. Each goes
 * through net-snmp's parser and the engine's conversion of its varbinds
 * (_pw_snmp_engine_decode_response (), the code every reply meets); what
 * they hold is then read as a poll reads its walks, made into a snapshot,
 * stored and read back (pw_fuzz_poll_and_store ()). A message the engine
 * refuses must say why in a protocol error, as a walk that fails does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"
#include "pw-snmp-engine-private.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) varbinds = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  gsize pos = 0;

  while (size - pos >= 2)
    {
      gsize len = MIN ((gsize) data[pos] << 8 | data[pos + 1], size - pos - 2);
      g_autoptr(GError) error = NULL;
      GPtrArray *decoded = _pw_snmp_engine_decode_response (data + pos + 2, len, &error);

      pos += 2 + len;
      if (decoded == NULL)
        {
          if (!g_error_matches (error, PW_SNMP_ERROR, PW_SNMP_ERROR_PROTOCOL))
            g_error ("a broken reply is not a protocol error: %s", error != NULL ? error->message : "(none)");
          pw_fuzz_assert_utf8 (error->message, -1, "the error message");
          continue;
        }
      for (guint i = 0; i < decoded->len; i++)
        {
          const PwSnmpVarbind *varbind = decoded->pdata[i];

          if (varbind->oid == NULL || varbind->oid[0] == '\0')
            g_error ("a varbind without a name");
          if (varbind->type == PW_SNMP_VALUE_IP_ADDRESS &&
              (varbind->octets == NULL || g_bytes_get_size (varbind->octets) != 4))
            g_error ("an IpAddress that is not 4 bytes");
        }
      g_ptr_array_extend_and_steal (varbinds, decoded);
    }
  pw_fuzz_poll_and_store (varbinds);
  return 0;
}
