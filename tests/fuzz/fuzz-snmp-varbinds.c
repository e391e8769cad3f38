/* fuzz-snmp-varbinds.c: varbinds an agent could send, without BER, to a stored snapshot.
 *
 * fuzz-snmp-response spends most of its inputs on BER; here the input is
 * varbinds already decoded (the records pw-fuzz.h describes: a type, a
 * name relative to a column the poll walks or a vendor's MIB, a value),
 * so every mutation reaches the poller's reading of tables, the vendor
 * profiles, the snapshot and the store (pw_fuzz_poll_and_store ()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) varbinds = pw_fuzz_varbinds_decode (data, size);

  pw_fuzz_poll_and_store (varbinds);
  return 0;
}
