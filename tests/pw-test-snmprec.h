/* pw-test-snmprec.h: the project's .snmprec recordings, read back to check what agents serve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "printwatch-core.h"

G_BEGIN_DECLS

/* One OID|TYPE|VALUE line; see shared/printer-walks/README.md for the format. */
typedef struct {
  char *oid;
  char *type;   /* "4", "4x", "66"...: the BER tag, "x" when VALUE is hex */
  char *value;
} PwTestRecord;

GPtrArray          *pw_test_snmprec_load           (const char           *name);
const PwTestRecord *pw_test_snmprec_next           (GPtrArray            *records,
                                                    const char           *oid,
                                                    guint                 skip);
void                pw_test_assert_varbind_matches (const PwSnmpVarbind  *varbind,
                                                    const PwTestRecord   *record);

G_END_DECLS
