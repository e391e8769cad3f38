/* pw-test-snmp.h: real SNMP agents on loopback, started and stopped by the tests.
 *
 * Every agent binds only to 127.0.0.0/8 and runs as a child of the test: stopped by its PID
 * (pw_test_agent_stop ()), killed by the kernel if the thread that started it dies first.
 * When the test runs as root, the agents run as nobody:nogroup.
 *
 * snmpsimd serves .snmprec recordings: the community selects the recording (its file name
 * without .snmprec), on every endpoint at once. snmpd (net-snmp) serves SNMPv3 users and a
 * v1/v2c community; it answers sysName.0 = "pw-test-snmpd", sysLocation.0 = "loopback",
 * sysContact.0 = "printwatch tests" and its own sysObjectID (a net-snmp Linux agent, no
 * Printer-MIB). Both start functions return once the agent answers a real GET (sent with
 * net-snmp's snmpget), or fail with a GError holding the agent's log:
 * G_IO_ERROR_NOT_FOUND      a tool is not installed (snmpsimd: package snmpsim; snmpd; snmpget:
 *                           package snmp): g_test_skip () with the message
 * G_IO_ERROR_INVALID_ARGUMENT  an endpoint outside 127.0.0.0/8, an unknown protocol, a pass
 *                           phrase shorter than 8 characters
 * G_IO_ERROR_FAILED         the agent exited before answering (e.g. its port was taken)
 * G_IO_ERROR_TIMED_OUT      the agent did not answer within 30 s
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PwTestAgent PwTestAgent;
typedef struct {
  const char *name;
  const char *auth_proto;   /* "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512", or NULL for noAuthNoPriv */
  const char *auth_pass;
  const char *priv_proto;   /* "DES", "AES", "AES-192", "AES-256", or NULL for authNoPriv */
  const char *priv_pass;
} PwTestV3User;

const char  *pw_test_walks_dir      (void);  /* the printer-walks corpus, or NULL when absent */
const char  *pw_test_fixtures_dir   (void);  /* tests/fixtures/snmp in the source tree */
guint16      pw_test_free_udp_port  (const char *address);  /* a UDP port free on that address */
PwTestAgent *pw_test_snmpsim_start  (const char          *data_dir,
                                     const char * const  *endpoints,  /* NULL-terminated, "127.0.0.2:16100" */
                                     GError             **error);
PwTestAgent *pw_test_snmpd_start    (const char          *endpoint,   /* "127.0.0.3:16101" */
                                     const PwTestV3User  *users,
                                     guint                n_users,
                                     const char          *community,  /* v1/v2c read-only community, or NULL */
                                     GError             **error);
void         pw_test_agent_stop     (PwTestAgent *agent);             /* kill by PID, wait, remove temp files */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestAgent, pw_test_agent_stop)

G_END_DECLS
