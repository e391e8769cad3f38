/* pw-test-fleet.h: simulated printers on loopback addresses, one snmpsimd each,
 * and an agent with a fresh store to meet them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "printwatch-core.h"

G_BEGIN_DECLS

/* Each agent serves one recording of tests/fixtures/snmp as community
 * "public", on its own address and the fleet's one port. */
typedef struct {
  char      *dir;     /* owned: the agents' data folders */
  GPtrArray *agents;  /* owned, of PwTestAgent */
  guint16    port;
} PwTestFleet;

PwTestFleet *pw_test_fleet_start (const char * const  *recordings,  /* NULL-terminated pairs: "127.0.0.61", "generic-laser" */
                                  GError             **error);
void         pw_test_fleet_free  (PwTestFleet         *fleet);
PwTestFleet *pw_test_fleet_start_or_skip (const char * const *recordings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestFleet, pw_test_fleet_free)

/* A store in a temporary folder and an agent on it, quick to give up on
 * silent addresses. */
typedef struct {
  char    *dir;    /* owned */
  PwStore *store;  /* owned */
  PwAgent *agent;  /* owned */
} PwTestSite;

PwTestSite  *pw_test_site_new    (void);
void         pw_test_site_free   (PwTestSite          *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestSite, pw_test_site_free)

G_END_DECLS
