/* pw-site-info-host.c: the facts PwSiteInfo reads from the host.
 *
 * Each reader copes with a missing or strange source: it falls back to the
 * next source, and a fact nothing tells stays unknown (NULL or -1). Text the
 * host hands over (host name, OS name, processor model) is sanitised like
 * anything from the network: it ends up on a server and in an admin's table.
 * Nothing here sends a packet: the host name lookup asks the local resolver
 * (NSS) once, with a bound on the wait; the address comes from the kernel's
 * routing table and interface list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-site-info"

#include "config.h"

#include "pw-site-info-private.h"
#include "pw-text.h"

#include <net/if.h>
#include <net/route.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

/* Whitespace-separated fields of a line, without empty ones. */
static GStrv
split_fields (const char *line)
{
  GStrv fields = g_strsplit_set (line, " \t", -1);
  guint n = 0;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (fields[i][0] != '\0')
        fields[n++] = fields[i];
      else
        g_free (fields[i]);
    }
  fields[n] = NULL;
  return fields;
}

/* Splits "key<sep>value" at the first @sep, both sides stripped; FALSE if no @sep. */
static gboolean
split_pair (char         *line,
            char          sep,
            const char  **key,
            const char  **value)
{
  char *at = strchr (line, sep);

  if (at == NULL)
    return FALSE;
  *at = '\0';
  *key = g_strstrip (line);
  *value = g_strstrip (at + 1);
  return TRUE;
}

/**
 * _pw_site_info_clean_text:
 *
 * Host text is meant as UTF-8 (os-release(5) says so): bytes that are not
 * become U+FFFD, rather than pw_text_sanitize()'s reading of them as the
 * Latin-1 of printer firmware; then controls go as there.
 *
 * Returns: (transfer full) (nullable): the safe text, %NULL if nothing is left
 */
char *
_pw_site_info_clean_text (const char *text,
                          gsize       max_chars)
{
  g_autofree char *valid = NULL;
  g_autofree char *clean = NULL;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  clean = pw_text_sanitize (valid, -1, max_chars);
  return clean[0] != '\0' ? g_steal_pointer (&clean) : NULL;
}

/* Host name */

static gint resolve_timeout_ms = PW_SITE_INFO_RESOLVE_TIMEOUT;  /* atomic */

/* Test hook: 0 keeps the lookup from being made at all, so a test sends no
 * DNS query where the host name is not in /etc/hosts. */
void
_pw_site_info_set_resolve_timeout (guint timeout_ms)
{
  g_atomic_int_set (&resolve_timeout_ms, (gint) MIN (timeout_ms, G_MAXINT));
}

/* LDH labels (RFC 1123; underscores too, which some networks use), at most
 * 63 octets each and 253 in all, with no trailing dot. */
gboolean
_pw_site_info_is_dns_name (const char *name)
{
  gsize label = 0;
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > 253)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = name[i];

      if (c == '.')
        {
          if (label == 0 || name[i - 1] == '-')
            return FALSE;
          label = 0;
        }
      else if (g_ascii_isalnum (c) || c == '_' || (c == '-' && label > 0))
        {
          if (++label > 63)
            return FALSE;
        }
      else
        return FALSE;
    }
  return label > 0 && name[len - 1] != '-';
}

/* One lookup on its own thread, so that a resolver which does not answer
 * (an unreachable DNS server takes 5 s a try) costs the caller no more than
 * the timeout. The thread and the caller share the struct; the last one out
 * frees it. */
typedef struct {
  gatomicrefcount  ref_count;
  GMutex           lock;
  GCond            cond;
  char            *name;       /* owned */
  char            *canonical;  /* owned; under lock */
  gboolean         done;       /* under lock */
} Lookup;

static void
lookup_unref (Lookup *lookup)
{
  if (!g_atomic_ref_count_dec (&lookup->ref_count))
    return;
  g_mutex_clear (&lookup->lock);
  g_cond_clear (&lookup->cond);
  g_free (lookup->name);
  g_free (lookup->canonical);
  g_free (lookup);
}

static gpointer
lookup_thread (gpointer data)
{
  Lookup *lookup = data;
  struct addrinfo hints = { .ai_flags = AI_CANONNAME, .ai_socktype = SOCK_STREAM };
  struct addrinfo *result = NULL;
  char *canonical = NULL;

  if (getaddrinfo (lookup->name, NULL, &hints, &result) == 0)
    {
      if (result != NULL && result->ai_canonname != NULL)
        canonical = g_strdup (result->ai_canonname);
      freeaddrinfo (result);
    }

  g_mutex_lock (&lookup->lock);
  lookup->canonical = canonical;
  lookup->done = TRUE;
  g_cond_signal (&lookup->cond);
  g_mutex_unlock (&lookup->lock);
  lookup_unref (lookup);
  return NULL;
}

static char *
resolve_canonical (const char *name,
                   guint       timeout_ms)
{
  Lookup *lookup = g_new0 (Lookup, 1);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  GThread *thread;
  char *canonical = NULL;

  g_atomic_ref_count_init (&lookup->ref_count);
  g_mutex_init (&lookup->lock);
  g_cond_init (&lookup->cond);
  lookup->name = g_strdup (name);

  g_atomic_ref_count_inc (&lookup->ref_count);  /* the thread's */
  thread = g_thread_try_new ("pw-resolve", lookup_thread, lookup, NULL);
  if (thread == NULL)
    {
      lookup_unref (lookup);
      lookup_unref (lookup);
      return NULL;
    }
  g_thread_unref (thread);

  g_mutex_lock (&lookup->lock);
  while (!lookup->done && g_cond_wait_until (&lookup->cond, &lookup->lock, deadline))
    ;
  if (lookup->done)
    canonical = g_steal_pointer (&lookup->canonical);
  else
    g_debug ("%s: no answer from the resolver within %u ms", name, timeout_ms);
  g_mutex_unlock (&lookup->lock);
  lookup_unref (lookup);
  return canonical;
}

/**
 * _pw_site_info_host_name:
 * @raw: the host name, as gethostname() tells it
 *
 * The fully qualified name when the local resolver knows one (as `hostname
 * -f` asks it), else @raw. A @raw that is no DNS name is not looked up, only
 * made safe to show. A @timeout_ms of 0 looks nothing up.
 *
 * Returns: (transfer full) (nullable): the name
 */
char *
_pw_site_info_host_name (const char *raw,
                         guint       timeout_ms)
{
  g_autofree char *canonical = NULL;

  if (raw == NULL)
    return NULL;
  if (!_pw_site_info_is_dns_name (raw))
    return _pw_site_info_clean_text (raw, 253);
  if (strchr (raw, '.') != NULL || timeout_ms == 0)
    return g_strdup (raw);

  canonical = resolve_canonical (raw, timeout_ms);
  /* "localhost.localdomain" is what a host without a name of its own gets. */
  if (canonical != NULL && strchr (canonical, '.') != NULL &&
      _pw_site_info_is_dns_name (canonical) &&
      g_ascii_strncasecmp (canonical, "localhost.", strlen ("localhost.")) != 0)
    return g_steal_pointer (&canonical);
  return g_strdup (raw);
}

/* Host address */

/**
 * _pw_site_info_default_interface:
 * @route_path: /proc/net/route, or /proc/net/ipv6_route with @ipv6
 *
 * Returns: (transfer full) (nullable): the interface of the default route
 *   with the lowest metric, if there is one
 */
char *
_pw_site_info_default_interface (const char *route_path,
                                 gboolean    ipv6)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *best = NULL;
  guint64 best_metric = G_MAXUINT64;

  if (!g_file_get_contents (route_path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = split_fields (lines[i]);
      const char *iface, *destination, *flags_text, *metric_text;
      guint64 flags = 0, metric = 0;
      gboolean is_default;

      /* IPv4: Iface Destination Gateway Flags RefCnt Use Metric Mask …
       * IPv6: destination prefix-length source prefix-length next-hop metric
       *       refcount use flags interface */
      if (g_strv_length (f) < (ipv6 ? 10 : 8))
        continue;
      iface = ipv6 ? f[9] : f[0];
      destination = f[ipv6 ? 0 : 1];
      flags_text = f[ipv6 ? 8 : 3];
      metric_text = f[ipv6 ? 5 : 6];
      if (ipv6)
        is_default = strlen (destination) == 32 && strspn (destination, "0") == 32 &&
                     g_str_equal (f[1], "00");
      else
        is_default = g_str_equal (destination, "00000000") && g_str_equal (f[7], "00000000");
      if (!is_default ||
          !g_ascii_string_to_unsigned (flags_text, 16, 0, G_MAXUINT32, &flags, NULL) ||
          !g_ascii_string_to_unsigned (metric_text, ipv6 ? 16 : 10, 0, G_MAXUINT32, &metric, NULL))
        continue;
      /* The kernel's "unreachable" default route on lo is no way out. */
      if ((flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0 ||
          strlen (iface) >= IFNAMSIZ || g_str_equal (iface, "lo"))
        continue;
      if (best == NULL || metric < best_metric)
        {
          g_free (best);
          best = g_strdup (iface);
          best_metric = metric;
        }
    }
  return g_steal_pointer (&best);
}

/* Higher is better; 0 never. */
static int
address_rank (const struct ifaddrs *ifa,
              GInetAddress         *address,
              const char           *ipv4_interface,
              const char           *ipv6_interface)
{
  gboolean v4 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;

  if ((ifa->ifa_flags & IFF_LOOPBACK) != 0 || g_inet_address_get_is_loopback (address) ||
      g_inet_address_get_is_any (address) || g_inet_address_get_is_multicast (address))
    return 0;
  /* An IPv6 link-local address means nothing without its interface; an
   * IPv4 one (169.254/16) is what a host gets when DHCP did not answer. */
  if (g_inet_address_get_is_link_local (address))
    return v4 ? 1 : 0;
  if (v4 && g_strcmp0 (ifa->ifa_name, ipv4_interface) == 0)
    return 5;
  if (!v4 && g_strcmp0 (ifa->ifa_name, ipv6_interface) == 0)
    return 4;
  return v4 ? 3 : 2;
}

/**
 * _pw_site_info_pick_address:
 * @ipv4_interface: (nullable): the interface of the IPv4 default route
 * @ipv6_interface: (nullable): the interface of the IPv6 default route
 *
 * The first IPv4 address of the default route's interface; else the IPv6
 * default route's global address; else any other interface's, IPv4 first;
 * a loopback address only when there is nothing else.
 *
 * Returns: (transfer full): the address, as text
 */
char *
_pw_site_info_pick_address (struct ifaddrs *addresses,
                            const char     *ipv4_interface,
                            const char     *ipv6_interface)
{
  g_autoptr(GInetAddress) best = NULL;
  int best_rank = 0;

  for (struct ifaddrs *ifa = addresses; ifa != NULL; ifa = ifa->ifa_next)
    {
      g_autoptr(GInetAddress) address = NULL;
      int rank;

      if (ifa->ifa_addr == NULL || ifa->ifa_name == NULL || (ifa->ifa_flags & IFF_UP) == 0)
        continue;
      if (ifa->ifa_addr->sa_family == AF_INET)
        address = g_inet_address_new_from_bytes (
          (const guint8 *) &((const struct sockaddr_in *) ifa->ifa_addr)->sin_addr,
          G_SOCKET_FAMILY_IPV4);
      else if (ifa->ifa_addr->sa_family == AF_INET6)
        address = g_inet_address_new_from_bytes (
          (const guint8 *) &((const struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr,
          G_SOCKET_FAMILY_IPV6);
      else
        continue;
      rank = address_rank (ifa, address, ipv4_interface, ipv6_interface);
      if (rank > best_rank)
        {
          g_set_object (&best, address);
          best_rank = rank;
        }
    }
  return best != NULL ? g_inet_address_to_string (best) : g_strdup ("127.0.0.1");
}

static char *
read_host_address (void)
{
  g_autofree char *ipv4_interface = _pw_site_info_default_interface ("/proc/net/route", FALSE);
  g_autofree char *ipv6_interface = _pw_site_info_default_interface ("/proc/net/ipv6_route", TRUE);
  struct ifaddrs *addresses = NULL;
  char *address;

  if (getifaddrs (&addresses) != 0)
    return NULL;
  address = _pw_site_info_pick_address (addresses, ipv4_interface, ipv6_interface);
  freeifaddrs (addresses);
  return address;
}

/* Operating system */

/**
 * _pw_site_info_read_os_release:
 * @path: an os-release(5) file
 *
 * Returns: (transfer full) (nullable): its PRETTY_NAME, else its NAME
 */
char *
_pw_site_info_read_os_release (const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *pretty_name = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *key, *value;
      char **target;

      if (!split_pair (lines[i], '=', &key, &value))
        continue;
      target = g_str_equal (key, "PRETTY_NAME") ? &pretty_name
             : g_str_equal (key, "NAME") ? &name : NULL;
      if (target != NULL && *target == NULL)
        *target = g_shell_unquote (value, NULL);
    }
  return _pw_site_info_clean_text (pretty_name != NULL ? pretty_name : name, 256);
}

static char *
read_os_name (const struct utsname *uts)
{
  g_autofree char *name = NULL;

  /* In a Flatpak, /etc/os-release is the runtime's; the host's is here. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    name = _pw_site_info_read_os_release ("/run/host/os-release");
  if (name == NULL)
    {
      g_autofree char *pretty_name = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
      g_autofree char *plain_name = g_get_os_info (G_OS_INFO_KEY_NAME);

      name = _pw_site_info_clean_text (pretty_name != NULL ? pretty_name : plain_name, 256);
    }
  if (name == NULL && uts != NULL)
    {
      g_autofree char *kernel = g_strdup_printf ("%s %s", uts->sysname, uts->release);

      name = _pw_site_info_clean_text (kernel, 256);
    }
  return g_steal_pointer (&name);
}

/**
 * _pw_site_info_os_type:
 * @pointer_bits: the width of our pointers
 * @machine: (nullable): uname's machine
 *
 * A 64-bit build runs on a 64-bit system; a 32-bit build may too, and then
 * the kernel's machine names a 64-bit architecture.
 *
 * Returns: "64-bit" or "32-bit"
 */
const char *
_pw_site_info_os_type (guint       pointer_bits,
                       const char *machine)
{
  if (pointer_bits >= 64)
    return "64-bit";
  /* x86_64, aarch64, arm64, ppc64(le), riscv64, mips64, sparc64, loongarch64, ia64; s390x, alpha */
  if (machine != NULL &&
      (strstr (machine, "64") != NULL || g_str_equal (machine, "s390x") ||
       g_str_equal (machine, "alpha")))
    return "64-bit";
  return "32-bit";
}

/* Processor */

/**
 * _pw_site_info_read_processor:
 * @cpuinfo_path: /proc/cpuinfo
 *
 * The model with the number of cores: "AMD Ryzen 5 5600G (6 cores)". Cores
 * are distinct (physical id, core id) pairs where the kernel tells them,
 * else the processors it lists, else those GLib counts. The model is the
 * first of the keys architectures use for it; the machine name without any.
 *
 * Returns: (transfer full) (nullable): the processor
 */
char *
_pw_site_info_read_processor (const char *cpuinfo_path)
{
  /* x86, 32-bit ARM, MIPS, PowerPC, RISC-V, ARM boards */
  static const char * const model_keys[] = { "model name", "Processor", "cpu model", "cpu",
                                             "uarch", "Hardware" };
  g_autoptr(GHashTable) cores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;
  g_autofree char *physical_id = NULL;
  g_autofree char *model = NULL;
  g_autofree char *clean = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) shown = NULL;
  guint model_rank = G_N_ELEMENTS (model_keys);
  guint n_processors = 0;
  guint n_cores;
  struct utsname uts;

  if (g_file_get_contents (cpuinfo_path, &text, NULL, NULL))
    lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      const char *key, *value;

      if (!split_pair (lines[i], ':', &key, &value))
        continue;
      if (g_str_equal (key, "processor"))
        {
          n_processors++;
          g_clear_pointer (&physical_id, g_free);
        }
      else if (g_str_equal (key, "physical id"))
        {
          g_free (physical_id);
          physical_id = g_strdup (value);
        }
      else if (g_str_equal (key, "core id") && physical_id != NULL &&
               g_hash_table_size (cores) < 65536)
        g_hash_table_add (cores, g_strdup_printf ("%s/%s", physical_id, value));
      for (guint k = 0; k < model_rank; k++)
        {
          if (g_str_equal (key, model_keys[k]) && value[0] != '\0')
            {
              g_free (model);
              model = g_strdup (value);
              model_rank = k;
              break;
            }
        }
    }

  if (model == NULL && uname (&uts) == 0)
    model = g_strdup (uts.machine);
  n_cores = g_hash_table_size (cores) > 0 ? g_hash_table_size (cores)
          : n_processors > 0 ? n_processors : g_get_num_processors ();

  clean = _pw_site_info_clean_text (model, 128);
  if (clean == NULL)
    return NULL;
  /* Vendors pad the model name with runs of spaces. */
  shown = g_string_new (NULL);
  for (const char *p = clean; *p != '\0'; p++)
    if (*p != ' ' || (shown->len > 0 && shown->str[shown->len - 1] != ' '))
      g_string_append_c (shown, *p);
  g_string_append_printf (shown, " (%u %s)", n_cores, n_cores == 1 ? "core" : "cores");
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

/* Memory and disk */

static gint64
kib_to_bytes (const char *value)
{
  g_auto(GStrv) f = split_fields (value);
  guint64 kib = 0;

  if (f[0] == NULL || (f[1] != NULL && !g_str_equal (f[1], "kB")) ||
      !g_ascii_string_to_unsigned (f[0], 10, 0, G_MAXINT64 / 1024, &kib, NULL))
    return -1;
  return (gint64) kib * 1024;
}

/**
 * _pw_site_info_read_memory:
 * @meminfo_path: /proc/meminfo
 * @total: (out): bytes of RAM, or -1
 * @available: (out): bytes available to start programs without swapping, or -1
 *
 * MemAvailable where the kernel has it (3.14 on), else free + buffers +
 * page cache; sysinfo(2) when the file says nothing.
 */
void
_pw_site_info_read_memory (const char *meminfo_path,
                           gint64     *total,
                           gint64     *available)
{
  static const char * const keys[] = { "MemTotal", "MemAvailable", "MemFree", "Buffers", "Cached" };
  gint64 values[G_N_ELEMENTS (keys)] = { -1, -1, -1, -1, -1 };
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  struct sysinfo si;

  if (g_file_get_contents (meminfo_path, &text, NULL, NULL))
    lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      const char *key, *value;

      if (!split_pair (lines[i], ':', &key, &value))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        if (g_str_equal (key, keys[k]) && values[k] < 0)
          values[k] = kib_to_bytes (value);
    }

  *total = values[0] > 0 ? values[0] : -1;
  *available = values[1];
  if (*available < 0 && values[2] >= 0)
    *available = values[2] + MAX (values[3], 0) + MAX (values[4], 0);
  if (*total < 0 && sysinfo (&si) == 0 && si.mem_unit > 0 &&
      si.totalram <= (guint64) G_MAXINT64 / si.mem_unit / 2)
    {
      *total = (gint64) si.totalram * si.mem_unit;
      if (*available < 0)
        *available = ((gint64) si.freeram + (gint64) si.bufferram) * si.mem_unit;
    }
  if (*total < 0)
    *available = -1;
  else if (*available > *total)
    *available = *total;
}

/**
 * _pw_site_info_read_disk:
 * @path: a file or folder; its folder is asked if it does not exist
 * @total: (out): bytes of the file system holding it, or -1
 * @free_bytes: (out): bytes left there for programs that are not root, or -1
 */
void
_pw_site_info_read_disk (const char *path,
                         gint64     *total,
                         gint64     *free_bytes)
{
  struct statvfs st;
  guint64 unit, bytes;

  *total = *free_bytes = -1;
  if (path == NULL)
    return;
  if (statvfs (path, &st) != 0)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (statvfs (dir, &st) != 0)
        return;
    }
  unit = st.f_frsize != 0 ? st.f_frsize : st.f_bsize;
  if (g_uint64_checked_mul (&bytes, st.f_blocks, unit) && bytes <= G_MAXINT64)
    *total = (gint64) bytes;
  if (g_uint64_checked_mul (&bytes, st.f_bavail, unit) && bytes <= G_MAXINT64)
    *free_bytes = (gint64) bytes;
}

/* Time zone */

/**
 * _pw_site_info_clean_time_zone:
 * @candidate: (nullable): a TZ value, an /etc/timezone line, or a path into a
 *   zoneinfo folder
 *
 * Returns: (transfer full) (nullable): the IANA identifier in it, e.g.
 *   "Europe/Berlin", or %NULL if it has none
 */
char *
_pw_site_info_clean_time_zone (const char *candidate)
{
  const char *id = candidate;
  const char *zoneinfo;
  gsize len;

  if (id == NULL)
    return NULL;
  if (id[0] == ':')
    id++;
  zoneinfo = g_strrstr (id, "zoneinfo/");
  if (zoneinfo != NULL)
    id = zoneinfo + strlen ("zoneinfo/");
  if (g_str_has_prefix (id, "posix/") || g_str_has_prefix (id, "right/"))
    id += strlen ("posix/");
  len = strlen (id);
  if (len == 0 || len > 64 || !g_ascii_isalpha (id[0]) || id[len - 1] == '/' ||
      strstr (id, "..") != NULL || strstr (id, "//") != NULL)
    return NULL;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/_+-", *p) == NULL)
      return NULL;
  return g_strdup (id);
}

/**
 * _pw_site_info_read_time_zone:
 * @etc_timezone_path: /etc/timezone (Debian's)
 * @localtime_path: /etc/localtime, a link into the zoneinfo folder
 *
 * GLib's identifier of the local zone; the others when GLib says only "UTC",
 * which is also what it says when it cannot tell.
 *
 * Returns: (transfer full) (nullable): an IANA time zone identifier
 */
char *
_pw_site_info_read_time_zone (const char *etc_timezone_path,
                              const char *localtime_path)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *glib_id = _pw_site_info_clean_time_zone (g_time_zone_get_identifier (local));
  g_autofree char *etc_timezone = NULL;
  g_autofree char *link = NULL;
  char *id = NULL;

  if (glib_id != NULL && !g_str_equal (glib_id, "UTC"))
    return g_steal_pointer (&glib_id);

  id = _pw_site_info_clean_time_zone (g_getenv ("TZ"));
  if (id == NULL && g_file_get_contents (etc_timezone_path, &etc_timezone, NULL, NULL))
    {
      char *newline = strchr (etc_timezone, '\n');

      if (newline != NULL)
        *newline = '\0';
      id = _pw_site_info_clean_time_zone (g_strstrip (etc_timezone));
    }
  if (id == NULL && (link = g_file_read_link (localtime_path, NULL)) != NULL)
    id = _pw_site_info_clean_time_zone (link);
  return id != NULL ? id : g_steal_pointer (&glib_id);
}

/* All of it */

void
_pw_site_info_read_host (PwSiteInfo *self,
                         const char *db_path)
{
  struct utsname uts;
  gboolean have_uts = uname (&uts) == 0;

  self->host_name = _pw_site_info_host_name (g_get_host_name (),
                                             (guint) g_atomic_int_get (&resolve_timeout_ms));
  self->host_address = read_host_address ();
  self->os_name = read_os_name (have_uts ? &uts : NULL);
  self->os_type = g_strdup (_pw_site_info_os_type (GLIB_SIZEOF_VOID_P * 8,
                                                   have_uts ? uts.machine : NULL));
  self->processor = _pw_site_info_read_processor ("/proc/cpuinfo");
  _pw_site_info_read_memory ("/proc/meminfo", &self->memory_total, &self->memory_available);
  _pw_site_info_read_disk (db_path, &self->disk_total, &self->disk_free);
  self->time_zone = _pw_site_info_read_time_zone ("/etc/timezone", "/etc/localtime");
}
