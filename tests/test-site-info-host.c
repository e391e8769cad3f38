/* test-site-info-host.c: PwSiteInfo's readers of the host, on odd and
 * hostile files and interface lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-site-info-private.h"
#include "pw-test-utils.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_dns_names (void)
{
  const char * const good[] = { "pc17", "pc17.example.lan", "a", "x-1.y_2.example", "1e100.net" };
  const char * const bad[] = {
    "", ".", "pc17.", ".pc17", "pc..17", "-pc17", "pc17-", "pc17-.lan", "pc 17", "pc17\x1b",
    "pc17\n", "pc\xc3\xa9", "pc17/lan", "a.-b",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.lan",  /* 64-octet label */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (_pw_site_info_is_dns_name (good[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    if (_pw_site_info_is_dns_name (bad[i]))
      g_error ("“%s” taken for a DNS name", bad[i]);
  g_assert_false (_pw_site_info_is_dns_name (NULL));
}

static void
test_host_name (void)
{
  g_autofree char *hostile = _pw_site_info_host_name ("pc17\x1b]0;owned\x07\xff", 100);
  g_autofree char *qualified = _pw_site_info_host_name ("pc17.example.lan", 100);
  g_autofree char *empty = _pw_site_info_host_name ("", 100);
  g_autofree char *blank = _pw_site_info_host_name ("\x01\x02", 100);
  g_autofree char *localhost = _pw_site_info_host_name ("localhost", 2000);
  g_autofree char *not_waited = _pw_site_info_host_name ("localhost", 1);
  g_autofree char *not_looked_up = _pw_site_info_host_name ("localhost", 0);

  pw_test_assert_safe_text (hostile);
  g_assert_true (g_str_has_prefix (hostile, "pc17"));
  g_assert_cmpstr (qualified, ==, "pc17.example.lan");
  g_assert_null (empty);
  /* Controls become U+FFFD: shown, never passed on raw. */
  pw_test_assert_safe_text (blank);
  /* "localhost" resolves to itself or localhost.localdomain: either way, not a site's name. */
  g_assert_cmpstr (localhost, ==, "localhost");
  /* Given up on, or never asked: the name as it is. */
  g_assert_cmpstr (not_waited, ==, "localhost");
  g_assert_cmpstr (not_looked_up, ==, "localhost");
  g_assert_null (_pw_site_info_host_name (NULL, 100));
}

static void
test_default_interface (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *v4 = write_file (dir, "route",
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "wlan0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
    "eth0\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
    "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "down0\t00000000\t0101A8C0\t0002\t0\t0\t1\t00000000\t0\t0\t0\n"
    "rej0\t00000000\t00000000\t0201\t0\t0\t1\t00000000\t0\t0\t0\n"
    "waytoolonginterfacename\t00000000\t0101A8C0\t0003\t0\t0\t1\t00000000\t0\t0\t0\n"
    "garbage\tzz\n"
    "bad\t00000000\t0101A8C0\txyz\t0\t0\t1\t00000000\t0\t0\t0\n", -1);
  g_autofree char *v6 = write_file (dir, "ipv6_route",
    "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth1\n"
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n", -1);
  g_autofree char *only_rejects = write_file (dir, "rejects",
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n", -1);
  g_autofree char *binary = write_file (dir, "binary", "\0\1\2eth0\t00000000", 17);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *got_v4 = _pw_site_info_default_interface (v4, FALSE);
  g_autofree char *got_v6 = _pw_site_info_default_interface (v6, TRUE);

  g_assert_cmpstr (got_v4, ==, "eth0");
  g_assert_cmpstr (got_v6, ==, "eth1");
  g_assert_null (_pw_site_info_default_interface (only_rejects, TRUE));
  g_assert_null (_pw_site_info_default_interface (binary, FALSE));
  g_assert_null (_pw_site_info_default_interface (missing, FALSE));
  pw_test_remove_tree (dir);
}

typedef struct {
  struct ifaddrs           ifa;
  struct sockaddr_storage  address;
} FakeInterface;

static struct ifaddrs *
fake_interfaces (FakeInterface *fakes,
                 const char    *const *spec,
                 gsize          n)
{
  /* spec: name, address, flags ("up", "loopback", "down") in threes */
  for (gsize i = 0; i < n; i++)
    {
      const char *name = spec[i * 3];
      const char *text = spec[i * 3 + 1];
      const char *flags = spec[i * 3 + 2];
      FakeInterface *fake = &fakes[i];

      memset (fake, 0, sizeof *fake);
      fake->ifa.ifa_name = (char *) name;
      fake->ifa.ifa_flags = g_str_equal (flags, "down") ? 0 : IFF_UP;
      if (g_str_equal (flags, "loopback"))
        fake->ifa.ifa_flags |= IFF_LOOPBACK;
      if (text != NULL && strchr (text, ':') != NULL)
        {
          struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &fake->address;

          sin6->sin6_family = AF_INET6;
          g_assert_cmpint (inet_pton (AF_INET6, text, &sin6->sin6_addr), ==, 1);
          fake->ifa.ifa_addr = (struct sockaddr *) sin6;
        }
      else if (text != NULL)
        {
          struct sockaddr_in *sin = (struct sockaddr_in *) &fake->address;

          sin->sin_family = AF_INET;
          g_assert_cmpint (inet_pton (AF_INET, text, &sin->sin_addr), ==, 1);
          fake->ifa.ifa_addr = (struct sockaddr *) sin;
        }
      fake->ifa.ifa_next = i + 1 < n ? &fakes[i + 1].ifa : NULL;
    }
  return n > 0 ? &fakes[0].ifa : NULL;
}

static void
test_pick_address (void)
{
  const char * const machine[] = {
    "lo", "127.0.0.1", "loopback",
    "lo", "::1", "loopback",
    "eth0", "fe80::1", "up",
    "eth0", NULL, "up",
    "docker0", "172.17.0.1", "down",
    "eth0", "192.0.2.17", "up",
    "eth0", "2001:db8::17", "up",
    "wlan0", "169.254.3.4", "up",
    "wlan0", "10.0.0.5", "up",
    "wg0", "2001:db8:1::5", "up",
  };
  const char * const loopback_only[] = { "lo", "127.0.0.1", "loopback", "lo", "::1", "loopback" };
  const char * const v6_only[] = {
    "lo", "127.0.0.1", "loopback", "eth0", "fe80::1", "up", "eth0", "2001:db8::17", "up",
  };
  const char * const link_local_only[] = { "lo", "127.0.0.1", "loopback", "eth0", "169.254.3.4", "up" };
  FakeInterface fakes[G_N_ELEMENTS (machine) / 3];
  struct {
    const char * const *spec;
    gsize n;
    const char *v4, *v6, *expected;
  } cases[] = {
    { machine, G_N_ELEMENTS (machine) / 3, "wlan0", "eth0", "10.0.0.5" },
    { machine, G_N_ELEMENTS (machine) / 3, "eth0", "eth0", "192.0.2.17" },
    { machine, G_N_ELEMENTS (machine) / 3, NULL, "wg0", "2001:db8:1::5" },
    { machine, G_N_ELEMENTS (machine) / 3, NULL, NULL, "192.0.2.17" },
    { machine, G_N_ELEMENTS (machine) / 3, "docker0", NULL, "192.0.2.17" },
    { loopback_only, 2, NULL, NULL, "127.0.0.1" },
    { v6_only, 3, NULL, NULL, "2001:db8::17" },
    { link_local_only, 2, NULL, NULL, "169.254.3.4" },
    { NULL, 0, NULL, NULL, "127.0.0.1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      struct ifaddrs *list = fake_interfaces (fakes, cases[i].spec, cases[i].n);
      g_autofree char *got = _pw_site_info_pick_address (list, cases[i].v4, cases[i].v6);

      if (g_strcmp0 (got, cases[i].expected) != 0)
        g_error ("case %" G_GSIZE_FORMAT ": got %s, expected %s", i, got, cases[i].expected);
    }
}

static void
test_os_release (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *debian = write_file (dir, "debian",
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n", -1);
  g_autofree char *name_only = write_file (dir, "name-only", "# comment\nNAME='Fedora Linux'\nID=fedora\n", -1);
  g_autofree char *hostile = write_file (dir, "hostile",
    "PRETTY_NAME=\"Evil\\\"OS \x1b]0;owned\x07 \xff\xfe\"\n", -1);
  g_autofree char *unquoted = write_file (dir, "unquoted", "PRETTY_NAME=Alpine\nNAME=x\n", -1);
  g_autofree char *broken = write_file (dir, "broken", "PRETTY_NAME=\"unterminated\n\n=\n==\n", -1);
  g_autofree char *empty = write_file (dir, "empty", "", 0);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *got = NULL;

  got = _pw_site_info_read_os_release (debian);
  g_assert_cmpstr (got, ==, "Debian GNU/Linux 12 (bookworm)");
  g_free (got);
  got = _pw_site_info_read_os_release (name_only);
  g_assert_cmpstr (got, ==, "Fedora Linux");
  g_free (got);
  got = _pw_site_info_read_os_release (hostile);
  pw_test_assert_safe_text (got);
  g_assert_true (g_str_has_prefix (got, "Evil\"OS"));
  g_free (got);
  got = _pw_site_info_read_os_release (unquoted);
  g_assert_cmpstr (got, ==, "Alpine");
  g_clear_pointer (&got, g_free);
  g_assert_null (_pw_site_info_read_os_release (broken));
  g_assert_null (_pw_site_info_read_os_release (empty));
  g_assert_null (_pw_site_info_read_os_release (missing));
  pw_test_remove_tree (dir);
}

static void
test_os_type (void)
{
  g_assert_cmpstr (_pw_site_info_os_type (64, NULL), ==, "64-bit");
  g_assert_cmpstr (_pw_site_info_os_type (64, "x86_64"), ==, "64-bit");
  g_assert_cmpstr (_pw_site_info_os_type (32, "x86_64"), ==, "64-bit");
  g_assert_cmpstr (_pw_site_info_os_type (32, "aarch64"), ==, "64-bit");
  g_assert_cmpstr (_pw_site_info_os_type (32, "s390x"), ==, "64-bit");
  g_assert_cmpstr (_pw_site_info_os_type (32, "armv7l"), ==, "32-bit");
  g_assert_cmpstr (_pw_site_info_os_type (32, "i686"), ==, "32-bit");
  g_assert_cmpstr (_pw_site_info_os_type (32, NULL), ==, "32-bit");
}

static void
test_processor (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  GString *xeon = g_string_new (NULL);
  g_autofree char *xeon_path = NULL;
  g_autofree char *arm = write_file (dir, "arm",
    "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nBogoMIPS\t: 38.40\n\n"
    "processor\t: 1\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n\n"
    "processor\t: 2\n\nprocessor\t: 3\n\nHardware\t: BCM2835\n", -1);
  g_autofree char *arm64 = write_file (dir, "arm64",
    "processor\t: 0\nBogoMIPS\t: 108.00\nCPU implementer\t: 0x41\n\nprocessor\t: 1\n\n", -1);
  g_autofree char *power = write_file (dir, "power",
    "processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\nclock\t\t: 2166.000000MHz\n", -1);
  g_autofree char *hostile = write_file (dir, "hostile",
    "processor\t: 0\nmodel name\t: Evil\x1b[2J CPU\xff\x80 \xe2\x80\xae\n", -1);
  g_autofree char *empty = write_file (dir, "empty", "", 0);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *got = NULL;
  g_autofree char *cores = g_strdup_printf (" (%u %s)", g_get_num_processors (),
                                            g_get_num_processors () == 1 ? "core" : "cores");

  /* Two sockets of two cores with two threads each: four cores. */
  for (guint socket = 0; socket < 2; socket++)
    for (guint core = 0; core < 2; core++)
      for (guint thread = 0; thread < 2; thread++)
        g_string_append_printf (xeon,
                                "processor\t: %u\nvendor_id\t: GenuineIntel\n"
                                "model name\t: Intel(R) Xeon(R) CPU           E5-2670 0 @ 2.60GHz\n"
                                "physical id\t: %u\nsiblings\t: 4\ncore id\t\t: %u\ncpu cores\t: 2\n"
                                "cpu MHz\t\t: 1200.000\n\n",
                                socket * 4 + core * 2 + thread, socket, core);
  xeon_path = write_file (dir, "xeon", xeon->str, -1);
  g_string_free (xeon, TRUE);

  got = _pw_site_info_read_processor (xeon_path);
  g_assert_cmpstr (got, ==, "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz (4 cores)");
  g_free (got);
  got = _pw_site_info_read_processor (arm);
  g_assert_cmpstr (got, ==, "ARMv7 Processor rev 4 (v7l) (4 cores)");
  g_free (got);
  got = _pw_site_info_read_processor (power);
  g_assert_cmpstr (got, ==, "POWER9 (raw), altivec supported (1 core)");
  g_free (got);
  got = _pw_site_info_read_processor (hostile);
  pw_test_assert_safe_text (got);
  g_assert_null (strstr (got, "\xe2\x80\xae"));  /* no right-to-left override */
  g_assert_true (g_str_has_prefix (got, "Evil"));
  g_clear_pointer (&got, g_free);

  /* Nothing to go by: the machine's architecture, and GLib's count. */
  for (guint i = 0; i < 3; i++)
    {
      const char *path = i == 0 ? arm64 : i == 1 ? empty : missing;
      struct utsname uts;

      g_assert_cmpint (uname (&uts), ==, 0);
      g_free (got);
      got = _pw_site_info_read_processor (path);
      g_assert_true (g_str_has_prefix (got, uts.machine));
      if (i == 0)
        g_assert_true (g_str_has_suffix (got, " (2 cores)"));
      else
        g_assert_true (g_str_has_suffix (got, cores));
    }
  pw_test_remove_tree (dir);
}

static void
test_memory (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *modern = write_file (dir, "modern",
    "MemTotal:       16270596 kB\nMemFree:         1203716 kB\nMemAvailable:    9339420 kB\n"
    "Buffers:          396884 kB\nCached:          7402104 kB\n", -1);
  g_autofree char *old = write_file (dir, "old",
    "MemTotal:        1024000 kB\nMemFree:          100000 kB\nBuffers:           20000 kB\n"
    "Cached:           300000 kB\nSwapCached:            0 kB\n", -1);
  g_autofree char *overflow = write_file (dir, "overflow",
    "MemTotal:       99999999999999999999 kB\nMemAvailable: -5 kB\n", -1);
  g_autofree char *odd = write_file (dir, "odd",
    "MemTotal: 1000 kB\nMemAvailable: 5000 kB\nMemFree: 12 MB\n", -1);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  gint64 total, available;

  _pw_site_info_read_memory (modern, &total, &available);
  g_assert_cmpint (total, ==, G_GINT64_CONSTANT (16270596) * 1024);
  g_assert_cmpint (available, ==, G_GINT64_CONSTANT (9339420) * 1024);
  _pw_site_info_read_memory (old, &total, &available);
  g_assert_cmpint (total, ==, G_GINT64_CONSTANT (1024000) * 1024);
  g_assert_cmpint (available, ==, G_GINT64_CONSTANT (420000) * 1024);
  /* Available never more than the total. */
  _pw_site_info_read_memory (odd, &total, &available);
  g_assert_cmpint (total, ==, 1000 * 1024);
  g_assert_cmpint (available, ==, total);
  /* Nonsense and no file: the kernel's sysinfo(). */
  for (guint i = 0; i < 2; i++)
    {
      _pw_site_info_read_memory (i == 0 ? overflow : missing, &total, &available);
      g_assert_cmpint (total, >, 0);
      g_assert_cmpint (available, >, 0);
      g_assert_cmpint (available, <=, total);
    }
  pw_test_remove_tree (dir);
}

static void
test_disk (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *not_yet = g_build_filename (dir, "not-yet.db", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no", "such", "folder.db", NULL);
  gint64 total, free_bytes;

  _pw_site_info_read_disk (dir, &total, &free_bytes);
  g_assert_cmpint (total, >, 0);
  g_assert_cmpint (free_bytes, <=, total);
  _pw_site_info_read_disk (not_yet, &total, &free_bytes);
  g_assert_cmpint (total, >, 0);
  _pw_site_info_read_disk (nowhere, &total, &free_bytes);
  g_assert_cmpint (total, ==, -1);
  g_assert_cmpint (free_bytes, ==, -1);
  _pw_site_info_read_disk (NULL, &total, &free_bytes);
  g_assert_cmpint (total, ==, -1);
  pw_test_remove_tree (dir);
}

static void
test_time_zone_clean (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "Europe/Berlin", "Europe/Berlin" },
    { ":Europe/Berlin", "Europe/Berlin" },
    { "/usr/share/zoneinfo/America/New_York", "America/New_York" },
    { "../usr/share/zoneinfo/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires" },
    { "/run/host/usr/share/zoneinfo/Asia/Kolkata", "Asia/Kolkata" },
    { "/usr/share/zoneinfo/posix/Europe/Paris", "Europe/Paris" },
    { "Etc/GMT+5", "Etc/GMT+5" },
    { "UTC", "UTC" },
    { "EST5EDT", "EST5EDT" },
    { "CET-1CEST,M3.5.0,M10.5.0/3", NULL },
    { "../../etc/passwd", NULL },
    { "/etc/localtime", NULL },
    { "Europe/Berlin\n", NULL },
    { "Europe//Berlin", NULL },
    { "Europe/", NULL },
    { "Europe/Berlin\x1b[2J", NULL },
    { "", NULL },
    { ":", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = _pw_site_info_clean_time_zone (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_time_zone_read (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *etc_timezone = write_file (dir, "timezone", "America/New_York\n", -1);
  g_autofree char *garbage = write_file (dir, "garbage", "\x1b[2J\n", -1);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *link = g_build_filename (dir, "localtime", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("TZ"));
  g_autofree char *got = NULL;

  g_assert_cmpint (symlink ("/usr/share/zoneinfo/Asia/Tokyo", link), ==, 0);

  g_setenv ("TZ", ":Europe/Berlin", TRUE);
  got = _pw_site_info_read_time_zone (missing, missing);
  g_assert_cmpstr (got, ==, "Europe/Berlin");
  g_free (got);

  /* A TZ that is no zone: GLib says UTC and cannot tell; the files can. */
  g_setenv ("TZ", "Nowhere/Atlantis,,", TRUE);
  got = _pw_site_info_read_time_zone (etc_timezone, link);
  g_assert_cmpstr (got, ==, "America/New_York");
  g_free (got);
  got = _pw_site_info_read_time_zone (garbage, link);
  g_assert_cmpstr (got, ==, "Asia/Tokyo");
  g_free (got);
  got = _pw_site_info_read_time_zone (missing, missing);
  g_assert_cmpstr (got, ==, "UTC");

  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
  pw_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/site-info-host/dns-names", test_dns_names);
  g_test_add_func ("/site-info-host/host-name", test_host_name);
  g_test_add_func ("/site-info-host/default-interface", test_default_interface);
  g_test_add_func ("/site-info-host/pick-address", test_pick_address);
  g_test_add_func ("/site-info-host/os-release", test_os_release);
  g_test_add_func ("/site-info-host/os-type", test_os_type);
  g_test_add_func ("/site-info-host/processor", test_processor);
  g_test_add_func ("/site-info-host/memory", test_memory);
  g_test_add_func ("/site-info-host/disk", test_disk);
  g_test_add_func ("/site-info-host/time-zone-clean", test_time_zone_clean);
  g_test_add_func ("/site-info-host/time-zone-read", test_time_zone_read);

  return g_test_run ();
}
