/* pw-mib-names-private.h: the lookup the names tables share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-mib-names.h"

G_BEGIN_DECLS

/* One value of a MIB enumeration. */
typedef struct {
  int         value;
  const char *nick;    /* the MIB's name in kebab-case */
  const char *label;   /* N_(), translated on the way out */
} PwMibName;

/* One enumeration: its values, and the one that a value outside them reads
 * as (its "unknown"; 0 for none: then "unknown", "Unknown"). */
typedef struct {
  const PwMibName *names;
  gsize            n_names;
  int              unknown;
} PwMibTable;

#define PW_MIB_TABLE(names, unknown) { (names), G_N_ELEMENTS (names), (unknown) }

const PwMibName *_pw_mib_table_find  (const PwMibTable *table,
                                      int               value);
const char      *_pw_mib_table_nick  (const PwMibTable *table,
                                      int               value);
const char      *_pw_mib_table_label (const PwMibTable *table,
                                      int               value);

G_END_DECLS
