/* pw-site-info-private.h: what the site info's files share: the struct, and
 * reading the host's facts (pw-site-info-host.c), each from a path the tests
 * may point elsewhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <ifaddrs.h>

#include "pw-site-info.h"

G_BEGIN_DECLS

/* Sizes are bytes, -1 when unknown; strings NULL when unknown. */
struct _PwSiteInfo
{
  GObject  parent_instance;

  char    *site_name;                 /* owned */
  char    *host_name;                 /* owned */
  char    *host_address;              /* owned */
  char    *os_name;                   /* owned */
  char    *os_type;                   /* owned */
  char    *processor;                 /* owned */
  gint64   memory_total;
  gint64   memory_available;
  gint64   disk_total;
  gint64   disk_free;
  char    *time_zone;                 /* owned */
  char    *agent_version;             /* owned */
  gint64   database_size;
  gint64   discovery_data_size;
  char    *discovery_engine_version;  /* owned */
  guint    devices_in_scope;
  guint    devices_out_of_scope;
};

/* Everything but the store's figures; never fails, never waits longer than
 * PW_SITE_INFO_RESOLVE_TIMEOUT. Runs on a worker thread. */
void        _pw_site_info_read_host          (PwSiteInfo       *self,
                                              const char       *db_path);

void        _pw_site_info_set_resolve_timeout (guint        timeout_ms);
char       *_pw_site_info_clean_text         (const char       *text,
                                              gsize             max_chars);
gboolean    _pw_site_info_is_dns_name        (const char       *name);
char       *_pw_site_info_host_name          (const char       *raw,
                                              guint             timeout_ms);
char       *_pw_site_info_default_interface  (const char       *route_path,
                                              gboolean          ipv6);
char       *_pw_site_info_pick_address       (struct ifaddrs   *addresses,
                                              const char       *ipv4_interface,
                                              const char       *ipv6_interface);
char       *_pw_site_info_read_os_release    (const char       *path);
const char *_pw_site_info_os_type            (guint             pointer_bits,
                                              const char       *machine);
char       *_pw_site_info_read_processor     (const char       *cpuinfo_path);
void        _pw_site_info_read_memory        (const char       *meminfo_path,
                                              gint64           *total,
                                              gint64           *available);
void        _pw_site_info_read_disk          (const char       *path,
                                              gint64           *total,
                                              gint64           *free_bytes);
char       *_pw_site_info_clean_time_zone    (const char       *candidate);
char       *_pw_site_info_read_time_zone     (const char       *etc_timezone_path,
                                              const char       *localtime_path);

G_END_DECLS
