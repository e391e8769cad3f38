/* pw-fuzz.h: what the fuzz targets share (tests/fuzz/README.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "printwatch-core.h"

G_BEGIN_DECLS

/* The entry points libFuzzer (or fuzz-replay.c's main) calls: each target
 * defines LLVMFuzzerTestOneInput; LLVMFuzzerInitialize, in pw-fuzz.c, calls
 * pw_fuzz_init (). */
int        LLVMFuzzerInitialize        (int            *argc,
                                        char         ***argv);
int        LLVMFuzzerTestOneInput      (const guint8   *data,
                                        size_t          size);

/* Once per process: hermetic environment (UTC, no user configuration), every
 * GLib warning and critical fatal, as in the test suite. */
void       pw_fuzz_init                (void);

/* A PwStore on a scratch file in /dev/shm (else the temporary folder),
 * opened once per process and deleted when it exits. */
PwStore   *pw_fuzz_get_store           (void);
const char *pw_fuzz_get_store_path     (void);

/* Numeric order of dotted OIDs, as agents walk them. */
int        pw_fuzz_oid_compare         (const char     *a,
                                        const char     *b);

/* @data as a gzip stream (Content-Encoding: gzip). */
GBytes    *pw_fuzz_gzip                (const guint8   *data,
                                        gsize           len);

/* Aborts, naming @what, unless @text is NULL or valid UTF-8. */
void       pw_fuzz_assert_utf8         (const char     *text,
                                        gssize          len,
                                        const char     *what);

/* What a poll does with the varbinds an agent sent: each goes into the walk
 * of the poll's columns it answers (in increasing order, capped, as the
 * engine's walks are), the snapshot is built from them, the vendor's MIB
 * is answered from them too, and the snapshot is stored and read back. */
void       pw_fuzz_poll_and_store      (GPtrArray      *varbinds);
/* What of @varbinds such a poll reads (for make-corpus). */
GPtrArray *pw_fuzz_poll_subset         (GPtrArray      *varbinds);

/* fuzz-snmp-varbinds: varbinds without BER. One record per varbind:
 *   type byte (PwSnmpValueType), name, value
 * where a name is a base byte (an index into pw_fuzz_oid_bases ()), a
 * count byte and that many sub-identifiers as base-128 varints, and the
 * value is 8 bytes (INTEGER, Counter64; big-endian), 4 bytes (Counter32,
 * Gauge32, TimeTicks, IpAddress), a varint length and the octets (OCTET
 * STRING, Opaque), a name (OBJECT IDENTIFIER) or nothing. */
const char * const *pw_fuzz_oid_bases  (guint          *n_bases);
GPtrArray *pw_fuzz_varbinds_decode     (const guint8   *data,
                                        gsize           len);
void       pw_fuzz_varbinds_encode     (GByteArray     *out,
                                        const PwSnmpVarbind *varbind);

G_END_DECLS
