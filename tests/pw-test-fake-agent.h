/* pw-test-fake-agent.h: an SNMP agent that answers the way broken and hostile agents do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  PW_TEST_FAKE_SAME_OID,       /* every answer names root.5: a walk must not loop */
  PW_TEST_FAKE_EXTRA_VARBIND,  /* one varbind more than asked */
  PW_TEST_FAKE_OTHER_OID,      /* answers about another object */
  PW_TEST_FAKE_GEN_ERR,        /* error-status genErr */
  PW_TEST_FAKE_GARBAGE,        /* bytes that are not BER */
  PW_TEST_FAKE_TRUNCATED,      /* a well-formed answer cut off halfway */
  PW_TEST_FAKE_SLOW,           /* a real agent's answers, each held back (pw_test_slow_agent_new) */
} PwTestFakeMode;

typedef struct {
  GSocket         *socket;
  GSource         *source;    /* NULL for a silent agent */
  PwTestFakeMode   mode;
  char            *root;      /* the OID PW_TEST_FAKE_SAME_OID answers under */
  guint            requests;  /* how many it received */
  guint16          port;
  /* PW_TEST_FAKE_SLOW only */
  GSocketAddress  *upstream;  /* the real agent */
  guint            delay_ms;
  GHashTable      *peers;     /* the client's address → its own socket towards the real agent */
  GPtrArray       *held;      /* of GSource: answers waiting for their time */
} PwTestFakeAgent;

PwTestFakeAgent *pw_test_fake_agent_new  (const char       *address,
                                          PwTestFakeMode    mode,
                                          const char       *root,
                                          gboolean          answering);
/* On @address: relays every request to the agent at @upstream_address:@upstream_port
 * (e.g. snmpsimd) and each of its answers back @delay_ms later: a printer that answers,
 * but slowly. */
PwTestFakeAgent *pw_test_slow_agent_new  (const char       *address,
                                          const char       *upstream_address,
                                          guint16           upstream_port,
                                          guint             delay_ms);
void             pw_test_fake_agent_free (PwTestFakeAgent  *fake);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestFakeAgent, pw_test_fake_agent_free)

G_END_DECLS
