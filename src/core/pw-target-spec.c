/* pw-target-spec.c: the addresses an admin asks to sweep for printers.
 *
 * The admin types or pastes a list of addresses, ranges, networks and host
 * names, each maybe with a port. IPv4 is kept as intervals merged per port,
 * so a /8 costs a few bytes and an address named twice is swept once. Host
 * names are checked but not looked up: they may resolve only on the office
 * network, and only when the sweep runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-target-spec"

#include "config.h"

#include "pw-target-spec.h"
#include "pw-address.h"
#include "pw-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* A 253-character host name, its root dot and ":65535"; anything longer
 * is refused before it is looked at. */
#define MAX_TOKEN_LEN 260

/* Enough of a token to find it again in a long pasted list. */
#define MAX_SHOWN_CHARS 64

typedef struct {
  guint32 first;
  guint32 last;
  guint16 port;
} Interval;

struct _PwTargetSpec
{
  GObject    parent_instance;

  GArray    *intervals;    /* owned; Interval, by port then address, disjoint */
  GPtrArray *others;       /* owned; PwAddress, IPv6 and host names as given, no repeats */
  guint64    count;
  guint      n_hostnames;
};

/* One parse, which may read several texts (the CLI's argv). */
typedef struct {
  PwTargetSpec *spec;           /* borrowed */
  GHashTable   *seen;           /* borrowed; "PORT HOST" of each of spec->others */
  guint16       default_port;
  guint64       max_addresses;
  guint         n_tokens;
} Parser;

G_DEFINE_FINAL_TYPE (PwTargetSpec, pw_target_spec, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-target-spec-error-quark, pw_target_spec_error)

static void
pw_target_spec_finalize (GObject *object)
{
  PwTargetSpec *self = PW_TARGET_SPEC (object);

  g_clear_pointer (&self->intervals, g_array_unref);
  g_clear_pointer (&self->others, g_ptr_array_unref);

  G_OBJECT_CLASS (pw_target_spec_parent_class)->finalize (object);
}

static void
pw_target_spec_class_init (PwTargetSpecClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_target_spec_finalize;
}

static void
pw_target_spec_init (PwTargetSpec *self)
{
  self->intervals = g_array_new (FALSE, FALSE, sizeof (Interval));
  self->others = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_address_free);
}

/* A pasted list may carry terminal escapes, bidi overrides or another
 * encoding; an error message quotes the token only as pw-text makes it safe. */
static char *
dup_shown (const char *token)
{
  return pw_text_sanitize (token, -1, MAX_SHOWN_CHARS);
}

/* "16,777,214" in English; the locale groups the digits. */
static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/* ngettext takes a gulong, 32 bits on some systems. Plural-Forms rules
 * test small values and n modulo 10, 100 or 1000, so the last six digits
 * above a million pick the same form as the whole guint64. */
static gulong
plural_n (guint64 n)
{
  return (gulong) (n < 1000000 ? n : n % 1000000 + 1000000);
}

/* A decimal octet without leading zeros: inet_aton(3) reads "010" as
 * octal 8, so such an address is refused rather than guessed at. */
static const char *
parse_octet (const char *p,
             guint32    *octet)
{
  guint32 value = 0;
  guint n = 0;

  while (n < 3 && g_ascii_isdigit (p[n]))
    {
      value = value * 10 + (guint32) (p[n] - '0');
      n++;
    }
  if (n == 0 || g_ascii_isdigit (p[n]) || value > 255 || (n > 1 && p[0] == '0'))
    return NULL;
  *octet = value;
  return p + n;
}

static gboolean
parse_ipv4 (const char *text,
            guint32    *address)
{
  const char *p = text;
  guint32 value = 0;

  for (guint i = 0; i < 4; i++)
    {
      guint32 octet = 0;

      if (i > 0 && *p++ != '.')
        return FALSE;
      p = parse_octet (p, &octet);
      if (p == NULL)
        return FALSE;
      value = value << 8 | octet;
    }
  if (*p != '\0')
    return FALSE;
  *address = value;
  return TRUE;
}

/* Sweeps format millions of these; snprintf would dominate the loop. */
static void
format_ipv4 (guint32  address,
             char    *buffer)
{
  char *p = buffer;

  for (int shift = 24; shift >= 0; shift -= 8)
    {
      guint octet = (address >> shift) & 0xff;

      if (octet >= 100)
        *p++ = '0' + octet / 100;
      if (octet >= 10)
        *p++ = '0' + octet / 10 % 10;
      *p++ = '0' + octet % 10;
      *p++ = shift > 0 ? '.' : '\0';
    }
}

static gboolean
check_size (Parser      *parser,
            const char  *shown,
            guint64      count,
            GError     **error)
{
  g_autofree char *n = NULL;
  g_autofree char *limit = NULL;

  if (count <= parser->max_addresses)
    return TRUE;

  n = format_count (count);
  limit = format_count (parser->max_addresses);
  g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_TOO_LARGE,
               g_dngettext (GETTEXT_PACKAGE,
                            "“%s” covers %s address, more than the limit of %s",
                            "“%s” covers %s addresses, more than the limit of %s",
                            plural_n (count)),
               shown, n, limit);
  return FALSE;
}

static gboolean
add_interval (Parser      *parser,
              const char  *shown,
              guint32      first,
              guint32      last,
              guint16      port,
              GError     **error)
{
  Interval interval = { first, last, port };

  if (!check_size (parser, shown, (guint64) last - first + 1, error))
    return FALSE;
  g_array_append_val (parser->spec->intervals, interval);
  return TRUE;
}

static void
add_address (Parser    *parser,
             PwAddress *address)
{
  char *key = g_strdup_printf ("%u %s", address->port, address->host);

  if (!g_hash_table_add (parser->seen, key))
    {
      pw_address_free (address);
      return;
    }
  if (address->kind == PW_ADDRESS_HOSTNAME)
    parser->spec->n_hostnames++;
  g_ptr_array_add (parser->spec->others, address);
}

/* pw-address names the part it refused; when that is only a piece of the
 * token, name the token too, so that the admin finds it in a long list. */
static gboolean
fail_part (GError     **error,
           GError      *cause,
           const char  *token,
           const char  *part)
{
  g_autofree char *shown = NULL;

  if (strcmp (token, part) == 0)
    {
      g_set_error_literal (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                           cause->message);
      return FALSE;
    }
  shown = dup_shown (token);
  g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
               _("In “%s”: %s"), shown, cause->message);
  return FALSE;
}

/* Scanning IPv6 needs a list anyway: a /64 cannot be swept. */
static gboolean
refuse_ipv6_set (const char  *shown,
                 gboolean     network,
                 GError     **error)
{
  if (network)
    g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_UNSUPPORTED,
                 _("“%s” is an IPv6 network: these are not supported, list the addresses instead"),
                 shown);
  else
    g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_UNSUPPORTED,
                 _("“%s” is an IPv6 range: these are not supported, list the addresses instead"),
                 shown);
  return FALSE;
}

/* A sweep wants the hosts of a network: up to /30 the network and
 * broadcast addresses are nobody's, on a /31 (RFC 3021) and a /32
 * every address is a host. */
static gboolean
add_network (Parser      *parser,
             const char  *shown,
             const char  *host,
             guint16      port,
             GError     **error)
{
  const char *slash = strchr (host, '/');
  g_autofree char *base_text = g_strndup (host, slash - host);
  const char *prefix_text = slash + 1;
  gsize prefix_len = strlen (prefix_text);
  guint32 base = 0;
  guint32 mask;
  guint32 first;
  guint32 last;
  guint prefix;

  if (!parse_ipv4 (base_text, &base))
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” is not a valid network: “%s” is not an IPv4 address"),
                   shown, base_text);
      return FALSE;
    }
  if (prefix_len == 0 || prefix_len > 2 || strspn (prefix_text, "0123456789") != prefix_len ||
      (prefix = (guint) strtoul (prefix_text, NULL, 10)) > 32)
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” is not a valid network: the prefix length after “/” must be from 0 to 32"),
                   shown);
      return FALSE;
    }

  mask = prefix == 0 ? 0 : G_MAXUINT32 << (32 - prefix);
  /* "10.1.2.5/24", as ip(8) shows an interface, means that interface's network. */
  first = base & mask;
  last = first | ~mask;
  if (prefix <= 30)
    {
      first++;
      last--;
    }
  return add_interval (parser, shown, first, last, port, error);
}

/* Both ends are taken as typed: unlike a network, a range says exactly
 * which addresses the admin wants. */
static gboolean
add_range (Parser      *parser,
           const char  *shown,
           const char  *host,
           guint16      port,
           GError     **error)
{
  const char *dash = strchr (host, '-');
  g_autofree char *first_text = g_strndup (host, dash - host);
  const char *last_text = dash + 1;
  guint32 first = 0;
  guint32 last = 0;
  gboolean valid = parse_ipv4 (first_text, &first);

  if (valid && strchr (last_text, '.') != NULL)
    valid = parse_ipv4 (last_text, &last);
  else if (valid)
    {
      guint32 octet = 0;
      const char *end = parse_octet (last_text, &octet);

      valid = end != NULL && *end == '\0';
      last = (first & 0xffffff00) | octet;
    }
  if (!valid)
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” is not a valid range: write it as 10.1.2.5-10.1.2.80 or 10.1.2.5-80"),
                   shown);
      return FALSE;
    }
  if (last < first)
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” is not a valid range: it runs backwards, put the lower address first"),
                   shown);
      return FALSE;
    }
  return add_interval (parser, shown, first, last, port, error);
}

/* Host names may hold dashes too ("hp-m880"); a range starts with an IPv4
 * address, or is all digits, dots and dashes and so no host name at all. */
static gboolean
is_range (const char *host)
{
  const char *dash = strchr (host, '-');
  g_autofree char *before = NULL;
  guint32 address;

  if (dash == NULL)
    return FALSE;
  if (strspn (host, "0123456789.-") == strlen (host))
    return TRUE;
  before = g_strndup (host, dash - host);
  return parse_ipv4 (before, &address);
}

static gboolean
add_token (Parser      *parser,
           const char  *token,
           GError     **error)
{
  g_autofree char *shown = dup_shown (token);
  g_autofree char *safe = NULL;
  g_autofree char *host = NULL;
  g_autoptr(PwAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *port_text = NULL;
  const char *colon;
  guint16 port = parser->default_port;
  guint32 ip;

  parser->n_tokens++;
  if (strlen (token) > MAX_TOKEN_LEN)
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” is too long to be an address"), shown);
      return FALSE;
    }
  /* Screened here, pw-address may quote the token in its messages as is. */
  safe = pw_text_sanitize (token, -1, 0);
  if (strcmp (safe, token) != 0)
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” contains characters that cannot be part of an address"), shown);
      return FALSE;
    }
  if (strstr (token, "://") != NULL)
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” is a web address: enter only the IP address or host name"), shown);
      return FALSE;
    }

  if (token[0] == '[')
    {
      const char *close = strchr (token, ']');

      if (close != NULL && (close[1] == '/' || close[1] == '-'))
        return refuse_ipv6_set (shown, close[1] == '/', error);
      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        {
          g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                       _("“%s” is not a valid address: use [IPv6]:port"), shown);
          return FALSE;
        }
      host = g_strndup (token + 1, close - token - 1);
      if (close[1] == ':')
        port_text = close + 2;
      if (strchr (host, ':') == NULL)
        {
          g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                       _("“%s” is not a valid address: square brackets are only for IPv6"), shown);
          return FALSE;
        }
    }
  else if ((colon = strchr (token, ':')) != NULL && strchr (colon + 1, ':') == NULL)
    {
      /* Exactly one colon: HOST:PORT. Two or more: a bare IPv6 address. */
      host = g_strndup (token, colon - token);
      port_text = colon + 1;
    }
  else
    host = g_strdup (token);

  if (port_text != NULL && !pw_address_parse_port (port_text, &port, &local_error))
    return fail_part (error, local_error, token, port_text);
  if (host[0] == '\0')
    {
      g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_INVALID,
                   _("“%s” has no address before the port"), shown);
      return FALSE;
    }

  if (strchr (host, ':') != NULL)
    {
      if (strchr (host, '/') != NULL || strchr (host, '-') != NULL)
        return refuse_ipv6_set (shown, strchr (host, '/') != NULL, error);
    }
  else if (strchr (host, '/') != NULL)
    return add_network (parser, shown, host, port, error);
  else if (is_range (host))
    return add_range (parser, shown, host, port, error);

  address = pw_address_new_host (host, port, &local_error);
  if (address == NULL)
    return fail_part (error, local_error, token, host);
  /* The canonical form always parses; were it not to, the address would
   * still be swept, only not merged with the intervals. */
  if (address->kind == PW_ADDRESS_IPV4 && parse_ipv4 (address->host, &ip))
    return add_interval (parser, shown, ip, ip, port, error);
  add_address (parser, g_steal_pointer (&address));
  return TRUE;
}

/* Commas, semicolons and any white space separate tokens, so that a column
 * pasted from a spreadsheet (CRLF), a row of one (tabs) or a list from a
 * web page (no-break spaces) all work; the byte order mark a pasted file
 * may start with goes too. Sets @blank for spaces and tabs. */
static gsize
separator_length (const char *p,
                  gboolean   *blank)
{
  gunichar c;

  *blank = FALSE;
  if (*p == ',' || *p == ';' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
    return 1;
  if (*p == ' ' || *p == '\t')
    {
      *blank = TRUE;
      return 1;
    }
  if ((guchar) *p < 0x80)
    return 0;

  c = g_utf8_get_char_validated (p, -1);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return 0;
  if (g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
    *blank = TRUE;
  else if (!g_unichar_isspace (c) && c != 0xfeff)
    return 0;
  return g_utf8_next_char (p) - p;
}

/* "10.1.2.5 - 10.1.2.80" is one range: blanks beside the dash of what can
 * only be an IPv4 range do not split it. No host name starts or ends with
 * a dash, so this never glues two host names together. */
static gboolean
joins_range (const GString *token,
             const char    *next)
{
  if (token->len == 0 || !g_ascii_isdigit (token->str[0]) ||
      strspn (token->str, "0123456789.-") != token->len)
    return FALSE;
  return token->str[token->len - 1] == '-' || *next == '-';
}

static gboolean
add_text (Parser      *parser,
          const char  *text,
          GError     **error)
{
  g_autoptr(GString) token = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      gboolean blank = FALSE;
      gsize len = separator_length (p, &blank);

      if (len == 0)
        {
          g_string_append_c (token, *p++);
          continue;
        }
      p += len;
      if (blank)
        {
          while ((len = separator_length (p, &blank)) > 0 && blank)
            p += len;
          if (joins_range (token, p))
            continue;
        }
      if (token->len > 0 && !add_token (parser, token->str, error))
        return FALSE;
      g_string_truncate (token, 0);
    }
  return token->len == 0 || add_token (parser, token->str, error);
}

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const Interval *x = a;
  const Interval *y = b;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return 0;
}

static gboolean
finish (Parser  *parser,
        GError **error)
{
  PwTargetSpec *self = parser->spec;
  GArray *intervals = self->intervals;
  g_autofree char *n = NULL;
  g_autofree char *limit = NULL;
  guint kept = 0;

  if (parser->n_tokens == 0)
    {
      g_set_error_literal (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_EMPTY,
                           _("No addresses given: enter IP addresses, ranges, networks or host names"));
      return FALSE;
    }

  g_array_sort (intervals, compare_intervals);
  for (guint i = 0; i < intervals->len; i++)
    {
      const Interval *next = &g_array_index (intervals, Interval, i);
      Interval *prev = kept > 0 ? &g_array_index (intervals, Interval, kept - 1) : NULL;

      /* Overlapping or touching: one interval, so each address comes once. */
      if (prev != NULL && prev->port == next->port &&
          (guint64) next->first <= (guint64) prev->last + 1)
        prev->last = MAX (prev->last, next->last);
      else
        g_array_index (intervals, Interval, kept++) = *next;
    }
  g_array_set_size (intervals, kept);

  self->count = self->others->len;
  for (guint i = 0; i < intervals->len; i++)
    {
      const Interval *interval = &g_array_index (intervals, Interval, i);

      self->count += (guint64) interval->last - interval->first + 1;
    }
  if (self->count <= parser->max_addresses)
    return TRUE;

  n = format_count (self->count);
  limit = format_count (parser->max_addresses);
  g_set_error (error, PW_TARGET_SPEC_ERROR, PW_TARGET_SPEC_ERROR_TOO_LARGE,
               g_dngettext (GETTEXT_PACKAGE,
                            "Together these cover %s address, more than the limit of %s",
                            "Together these cover %s addresses, more than the limit of %s",
                            plural_n (self->count)),
               n, limit);
  return FALSE;
}

/**
 * pw_target_spec_parse_strv:
 * @tokens: (nullable) (array zero-terminated=1): texts as for
 *   pw_target_spec_parse(), such as the command line's arguments
 * @default_port: the port for entries that name none
 * @max_addresses: the most addresses to accept, 0 for
 *   %PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES, %G_MAXUINT64 for no limit
 *
 * Returns: (transfer full) (nullable): the spec, or %NULL with @error set
 */
PwTargetSpec *
pw_target_spec_parse_strv (const char * const  *tokens,
                           guint16              default_port,
                           guint64              max_addresses,
                           GError             **error)
{
  g_autoptr(PwTargetSpec) self = NULL;
  g_autoptr(GHashTable) seen = NULL;
  Parser parser = { NULL };

  g_return_val_if_fail (default_port != 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PW_TYPE_TARGET_SPEC, NULL);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parser.spec = self;
  parser.seen = seen;
  parser.default_port = default_port;
  parser.max_addresses = max_addresses != 0 ? max_addresses : PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES;

  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    {
      if (!add_text (&parser, tokens[i], error))
        return NULL;
    }
  if (!finish (&parser, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * pw_target_spec_parse:
 * @text: addresses ("10.1.2.5", "fe80::1", "[fe80::1]:1161"), ranges
 *   ("10.1.2.5-10.1.2.80", "10.1.2.5-80"), networks ("10.1.2.0/24") and
 *   host names, each maybe with ":PORT", separated by commas, semicolons,
 *   white space or new lines
 * @default_port: the port for entries that name none
 * @max_addresses: the most addresses to accept, 0 for
 *   %PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES, %G_MAXUINT64 for no limit
 *
 * Networks up to /30 leave out their network and broadcast addresses.
 * Entries that overlap are swept once.
 *
 * Returns: (transfer full) (nullable): the spec, or %NULL with @error set
 */
PwTargetSpec *
pw_target_spec_parse (const char  *text,
                      guint16      default_port,
                      guint64      max_addresses,
                      GError     **error)
{
  const char * const texts[] = { text, NULL };

  g_return_val_if_fail (text != NULL, NULL);

  return pw_target_spec_parse_strv (texts, default_port, max_addresses, error);
}

/* Addresses to sweep, after merging: host names count one each. */
guint64
pw_target_spec_get_count (PwTargetSpec *self)
{
  g_return_val_if_fail (PW_IS_TARGET_SPEC (self), 0);

  return self->count;
}

/* Each host name costs a DNS lookup before it can be swept. */
guint
pw_target_spec_get_n_hostnames (PwTargetSpec *self)
{
  g_return_val_if_fail (PW_IS_TARGET_SPEC (self), 0);

  return self->n_hostnames;
}

void
pw_target_spec_iter_init (PwTargetIter *iter,
                          PwTargetSpec *self)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (PW_IS_TARGET_SPEC (self));

  iter->spec = self;
  iter->index = 0;
  iter->next = self->intervals->len > 0 ? g_array_index (self->intervals, Interval, 0).first : 0;
  iter->host[0] = '\0';
}

/**
 * pw_target_iter_next:
 * @host: (out) (optional): the next address or host name, in the
 *   iterator's buffer until the next call
 * @port: (out) (optional): its port
 *
 * IPv4 addresses come first, by port and then in ascending order; IPv6
 * addresses and host names follow in the order given.
 *
 * Returns: %FALSE when all have been returned
 */
gboolean
pw_target_iter_next (PwTargetIter  *iter,
                     const char   **host,
                     guint16       *port)
{
  PwTargetSpec *self;
  guint n_intervals;

  g_return_val_if_fail (iter != NULL && PW_IS_TARGET_SPEC (iter->spec), FALSE);

  self = iter->spec;
  n_intervals = self->intervals->len;
  if (iter->index < n_intervals)
    {
      const Interval *interval = &g_array_index (self->intervals, Interval, iter->index);

      format_ipv4 (iter->next, iter->host);
      if (port != NULL)
        *port = interval->port;
      if (iter->next < interval->last)
        iter->next++;
      else if (++iter->index < n_intervals)
        iter->next = g_array_index (self->intervals, Interval, iter->index).first;
    }
  else if (iter->index - n_intervals < self->others->len)
    {
      const PwAddress *address = g_ptr_array_index (self->others, iter->index - n_intervals);

      g_strlcpy (iter->host, address->host, sizeof iter->host);
      if (port != NULL)
        *port = address->port;
      iter->index++;
    }
  else
    return FALSE;

  if (host != NULL)
    *host = iter->host;
  return TRUE;
}
