/* pw-address.c: one printer address (IP or host name, and port), validated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-address"

#include "config.h"

#include "pw-address.h"
#include "pw-text.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* Enough of what was typed to find it again in a message. */
#define MAX_SHOWN_CHARS 64

G_DEFINE_BOXED_TYPE (PwAddress, pw_address, pw_address_copy, pw_address_free)
G_DEFINE_QUARK (pw-address-error-quark, pw_address_error)

/* What a message quotes of the admin's text: the command line passes any
 * bytes, and a message must be UTF-8 without controls to be shown. */
static char *
dup_shown (const char *text)
{
  return pw_text_sanitize (text, -1, MAX_SHOWN_CHARS);
}

static gboolean
is_all (const char *s,
        const char *accept)
{
  return *s != '\0' && strspn (s, accept) == strlen (s);
}

/* RFC 1123 host names; '_' is tolerated because Windows networks use it. */
static gboolean
is_valid_hostname (const char *ascii)
{
  g_auto(GStrv) labels = NULL;
  gsize len = strlen (ascii);
  guint n;

  if (len > 0 && ascii[len - 1] == '.')
    len--;  /* a fully qualified name may end in the root dot */
  if (len == 0 || len > 253)
    return FALSE;

  labels = g_strsplit (ascii, ".", -1);
  n = g_strv_length (labels);
  if (n > 1 && labels[n - 1][0] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      gsize l = strlen (labels[i]);

      if (l == 0 || l > 63)
        return FALSE;
      if (!is_all (labels[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"))
        return FALSE;
      if (labels[i][0] == '-' || labels[i][l - 1] == '-')
        return FALSE;
    }
  /* An all-numeric last label would make "10.0.1" a host name; it is a typo. */
  return !is_all (labels[n - 1], "0123456789");
}

gboolean
pw_address_parse_port (const char  *text,
                       guint16     *port,
                       GError     **error)
{
  guint64 value = 0;

  if (text == NULL || !is_all (text, "0123456789") || strlen (text) > 5 ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &value, NULL))
    {
      g_autofree char *shown = dup_shown (text);

      g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_PORT,
                   _("“%s” is not a valid port: use a number from 1 to 65535"), shown);
      return FALSE;
    }
  *port = (guint16) value;
  return TRUE;
}

/**
 * pw_address_new_host:
 * @host: an IPv4 or IPv6 address or a host name, without port
 *
 * Validates @host and puts it in canonical form. Host names are not looked
 * up here: a printer's name may resolve only on the office network.
 */
PwAddress *
pw_address_new_host (const char  *host,
                     guint16      port,
                     GError     **error)
{
  g_autoptr(PwAddress) address = g_new0 (PwAddress, 1);
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  address->port = port;
  if (is_all (host, "0123456789."))
    {
      inet = g_inet_address_new_from_string (host);
      if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4)
        {
          g_autofree char *shown = dup_shown (host);

          g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                       _("“%s” is not a valid IPv4 address"), shown);
          return NULL;
        }
      address->kind = PW_ADDRESS_IPV4;
      address->host = g_inet_address_to_string (inet);
    }
  else if (strchr (host, ':') != NULL)
    {
      inet = g_inet_address_new_from_string (host);
      if (inet == NULL || strchr (host, '%') != NULL ||
          g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
        {
          g_autofree char *shown = dup_shown (host);

          g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                       _("“%s” is not a valid IPv6 address"), shown);
          return NULL;
        }
      address->kind = PW_ADDRESS_IPV6;
      address->host = g_inet_address_to_string (inet);
    }
  else
    {
      g_autofree char *ascii = g_utf8_validate (host, -1, NULL) ? g_hostname_to_ascii (host) : NULL;

      if (ascii == NULL || !is_valid_hostname (ascii))
        {
          g_autofree char *shown = dup_shown (host);

          g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                       _("“%s” is not a valid IP address or host name"), shown);
          return NULL;
        }
      address->kind = PW_ADDRESS_HOSTNAME;
      address->host = g_ascii_strdown (ascii, -1);
    }

  return g_steal_pointer (&address);
}

/**
 * pw_address_parse:
 * @text: "HOST", "HOST:PORT", "[IPV6]:PORT" or a bare IPv6 address
 * @default_port: the port when @text names none
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error set
 */
PwAddress *
pw_address_parse (const char  *text,
                  guint16      default_port,
                  GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *host = NULL;
  const char *colon;
  guint16 port = default_port;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (strstr (trimmed, "://") != NULL)
    {
      g_autofree char *shown = dup_shown (trimmed);

      g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                   _("“%s” is a web address: enter only the IP address or host name"), shown);
      return NULL;
    }
  if (trimmed[0] == '[')
    {
      const char *close = strchr (trimmed, ']');

      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        {
          g_autofree char *shown = dup_shown (trimmed);

          g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                       _("“%s” is not a valid address: use [IPv6]:port"), shown);
          return NULL;
        }
      if (close[1] == ':' && !pw_address_parse_port (close + 2, &port, error))
        return NULL;
      host = g_strndup (trimmed + 1, close - trimmed - 1);
      if (strchr (host, ':') == NULL)
        {
          g_autofree char *shown = dup_shown (host);

          g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                       _("“%s” is not a valid IPv6 address"), shown);
          return NULL;
        }
    }
  else if ((colon = strchr (trimmed, ':')) != NULL && strchr (colon + 1, ':') == NULL)
    {
      /* Exactly one colon: HOST:PORT. Two or more: a bare IPv6 address. */
      if (!pw_address_parse_port (colon + 1, &port, error))
        return NULL;
      host = g_strndup (trimmed, colon - trimmed);
    }
  else
    host = g_steal_pointer (&trimmed);

  if (host[0] == '\0')
    {
      g_set_error_literal (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST,
                           _("No address given: enter an IP address or host name"));
      return NULL;
    }

  return pw_address_new_host (host, port, error);
}

/* "10.0.0.5" for the SNMP port, "10.0.0.5:1161" or "[fe80::1]:1161" else. */
char *
pw_address_format (const char *host,
                   guint16     port)
{
  gboolean v6 = strchr (host, ':') != NULL;

  if (port == PW_SNMP_DEFAULT_PORT)
    return g_strdup (host);
  return v6 ? g_strdup_printf ("[%s]:%u", host, port) : g_strdup_printf ("%s:%u", host, port);
}

char *
pw_address_to_string (const PwAddress *address)
{
  return pw_address_format (address->host, address->port);
}

PwAddress *
pw_address_copy (const PwAddress *address)
{
  PwAddress *copy = g_new0 (PwAddress, 1);

  copy->host = g_strdup (address->host);
  copy->port = address->port;
  copy->kind = address->kind;
  return copy;
}

void
pw_address_free (PwAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->host);
  g_free (address);
}
