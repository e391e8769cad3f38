/* pw-test-fleet.c: simulated printers on loopback addresses, one snmpsimd each,
 * and an agent with a fresh store to meet them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-fleet.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <unistd.h>

void
pw_test_fleet_free (PwTestFleet *fleet)
{
  if (fleet == NULL)
    return;
  g_ptr_array_unref (fleet->agents);
  pw_test_remove_tree (fleet->dir);
  g_free (fleet->dir);
  g_free (fleet);
}

/* Fails as pw_test_snmpsim_start () does (G_IO_ERROR_NOT_FOUND: no snmpsimd). */
PwTestFleet *
pw_test_fleet_start (const char * const  *recordings,
                     GError             **error)
{
  g_autoptr(PwTestFleet) fleet = g_new0 (PwTestFleet, 1);

  fleet->dir = pw_test_make_tmpdir ();
  fleet->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_test_agent_stop);
  fleet->port = pw_test_free_udp_port ("127.0.0.1");
  g_assert_cmpint (g_chmod (fleet->dir, 0755), ==, 0);  /* snmpsimd runs as nobody under root */

  for (guint i = 0; recordings[i] != NULL && recordings[i + 1] != NULL; i += 2)
    {
      g_autofree char *data = g_build_filename (fleet->dir, recordings[i], NULL);
      g_autofree char *link = g_build_filename (data, "public.snmprec", NULL);
      g_autofree char *target = g_strdup_printf ("%s/%s.snmprec", pw_test_fixtures_dir (), recordings[i + 1]);
      g_autofree char *endpoint = g_strdup_printf ("%s:%u", recordings[i], fleet->port);
      const char *endpoints[] = { endpoint, NULL };
      PwTestAgent *agent;

      g_assert_cmpint (g_mkdir (data, 0755), ==, 0);
      g_assert_cmpint (symlink (target, link), ==, 0);
      agent = pw_test_snmpsim_start (data, endpoints, error);
      if (agent == NULL)
        return NULL;
      g_ptr_array_add (fleet->agents, agent);
    }
  return g_steal_pointer (&fleet);
}

/* NULL, with the test skipped, where snmpsimd is not installed. */
PwTestFleet *
pw_test_fleet_start_or_skip (const char * const *recordings)
{
  g_autoptr(GError) error = NULL;
  PwTestFleet *fleet = pw_test_fleet_start (recordings, &error);

  if (fleet == NULL)
    g_test_skip (error->message);
  return fleet;
}

PwTestSite *
pw_test_site_new (void)
{
  PwTestSite *site = g_new0 (PwTestSite, 1);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  site->dir = pw_test_make_tmpdir ();
  path = g_build_filename (site->dir, "agent.db", NULL);
  site->store = pw_store_open (path, &error);
  g_assert_no_error (error);
  site->agent = pw_agent_new (site->store);
  /* Silent addresses cost a timeout each: keep it short on loopback. */
  pw_snmp_engine_set_timeout (pw_agent_get_engine (site->agent), 400);
  pw_snmp_engine_set_retries (pw_agent_get_engine (site->agent), 0);
  return site;
}

void
pw_test_site_free (PwTestSite *site)
{
  if (site == NULL)
    return;
  g_clear_object (&site->agent);
  g_clear_object (&site->store);
  pw_test_remove_tree (site->dir);
  g_free (site->dir);
  g_free (site);
}
