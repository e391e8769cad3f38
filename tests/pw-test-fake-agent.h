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
} PwTestFakeMode;

typedef struct {
  GSocket         *socket;
  GSource         *source;    /* NULL for a silent agent */
  PwTestFakeMode   mode;
  char            *root;      /* the OID PW_TEST_FAKE_SAME_OID answers under */
  guint            requests;  /* how many it received */
  guint16          port;
} PwTestFakeAgent;

PwTestFakeAgent *pw_test_fake_agent_new  (const char       *address,
                                          PwTestFakeMode    mode,
                                          const char       *root,
                                          gboolean          answering);
void             pw_test_fake_agent_free (PwTestFakeAgent  *fake);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestFakeAgent, pw_test_fake_agent_free)

G_END_DECLS
