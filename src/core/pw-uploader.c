/* pw-uploader.c: one payload to the collection server over HTTPS (libsoup 3).
 *
 * The settings, their checks, the result and the retry policy. The request itself, TLS checks
 * and the mapping of failures to PwUploaderError live in pw-uploader-request.c.
 *
 * The password and the token have setters but no properties: property dumps (the GTK
 * inspector, generic serialisers) must never show a secret, and neither may an error message
 * or a log line. The caller hands them in (from the keyring); the uploader never reads them
 * from anywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-uploader"

#include "config.h"

#include "pw-uploader-private.h"
#include "pw-enums.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define TIMEOUT_MIN 1
#define TIMEOUT_MAX 3600

struct _PwUploader
{
  GObject         parent_instance;

  char           *server_url;   /* owned, nullable */
  char           *ca_file;      /* owned, nullable: system CAs */
  char           *proxy_uri;    /* owned, nullable: system proxy settings */
  guint           timeout;      /* seconds */
  PwUploaderAuth  auth;
  char           *user;         /* owned, nullable: basic */
  char           *secret;       /* owned, secret, nullable: password (basic) or token (bearer) */
  char           *user_agent;   /* owned */
};

G_DEFINE_FINAL_TYPE (PwUploader, pw_uploader, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-uploader-error-quark, pw_uploader_error)
G_DEFINE_BOXED_TYPE (PwUploadResult, pw_upload_result, pw_upload_result_copy, pw_upload_result_free)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_CA_FILE,
  PROP_PROXY_URI,
  PROP_TIMEOUT,
  PROP_AUTH,
  PROP_USER_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PwUploadResult *
pw_upload_result_copy (const PwUploadResult *result)
{
  PwUploadResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (PwUploadResult, 1);
  *copy = *result;
  copy->message = g_strdup (result->message);
  return copy;
}

void
pw_upload_result_free (PwUploadResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_free (result);
}

/* Overwritten before it is freed, so a secret does not linger in freed memory. */
void
_pw_clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

void
_pw_upload_settings_free (PwUploadSettings *settings)
{
  if (settings == NULL)
    return;
  g_clear_pointer (&settings->uri, g_uri_unref);
  _pw_clear_secret (&settings->authorization);
  g_free (settings->ca_file);
  g_free (settings->proxy_uri);
  g_free (settings->user_agent);
  g_free (settings);
}

static void
pw_uploader_finalize (GObject *object)
{
  PwUploader *self = PW_UPLOADER (object);

  g_free (self->server_url);
  g_free (self->ca_file);
  g_free (self->proxy_uri);
  g_free (self->user);
  _pw_clear_secret (&self->secret);
  g_free (self->user_agent);

  G_OBJECT_CLASS (pw_uploader_parent_class)->finalize (object);
}

static void
pw_uploader_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PwUploader *self = PW_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_PROXY_URI:
      g_value_set_string (value, self->proxy_uri);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_AUTH:
      g_value_set_enum (value, self->auth);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_uploader_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PwUploader *self = PW_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      pw_uploader_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      pw_uploader_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_PROXY_URI:
      pw_uploader_set_proxy_uri (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      pw_uploader_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_uploader_class_init (PwUploaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pw_uploader_finalize;
  object_class->get_property = pw_uploader_get_property;
  object_class->set_property = pw_uploader_set_property;

  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, flags);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, flags);
  properties[PROP_PROXY_URI] = g_param_spec_string ("proxy-uri", NULL, NULL, NULL, flags);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, TIMEOUT_MIN, TIMEOUT_MAX, PW_UPLOADER_DEFAULT_TIMEOUT, flags);
  properties[PROP_AUTH] =
    g_param_spec_enum ("auth", NULL, NULL, PW_TYPE_UPLOADER_AUTH, PW_UPLOADER_AUTH_NONE, read_only);
  properties[PROP_USER_AGENT] = g_param_spec_string ("user-agent", NULL, NULL, NULL, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_uploader_init (PwUploader *self)
{
  self->timeout = PW_UPLOADER_DEFAULT_TIMEOUT;
  self->auth = PW_UPLOADER_AUTH_NONE;
  self->user_agent = g_strdup ("Printwatch/" PACKAGE_VERSION);
}

PwUploader *
pw_uploader_new (void)
{
  return g_object_new (PW_TYPE_UPLOADER, NULL);
}

/* Empty means unset, as a settings field left blank does. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
pw_uploader_get_server_url (PwUploader *self)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), NULL);
  return self->server_url;
}

void
pw_uploader_set_server_url (PwUploader *self,
                            const char *url)
{
  g_return_if_fail (PW_IS_UPLOADER (self));
  if (set_string (&self->server_url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
}

const char *
pw_uploader_get_ca_file (PwUploader *self)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), NULL);
  return self->ca_file;
}

void
pw_uploader_set_ca_file (PwUploader *self,
                         const char *path)
{
  g_return_if_fail (PW_IS_UPLOADER (self));
  if (set_string (&self->ca_file, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

const char *
pw_uploader_get_proxy_uri (PwUploader *self)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), NULL);
  return self->proxy_uri;
}

/* NULL: the system's proxy settings (g_proxy_resolver_get_default ()); "direct://": no proxy;
 * else the proxy for every request, e.g. "http://proxy.example:3128" or "socks5://…". */
void
pw_uploader_set_proxy_uri (PwUploader *self,
                           const char *uri)
{
  g_return_if_fail (PW_IS_UPLOADER (self));
  if (set_string (&self->proxy_uri, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROXY_URI]);
}

guint
pw_uploader_get_timeout (PwUploader *self)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), 0);
  return self->timeout;
}

/* The longest the server may stay silent (connecting, TLS handshake, each read and write);
 * a whole upload ends after ten times as long in any case. */
void
pw_uploader_set_timeout (PwUploader *self,
                         guint       seconds)
{
  g_return_if_fail (PW_IS_UPLOADER (self));

  seconds = CLAMP (seconds, TIMEOUT_MIN, TIMEOUT_MAX);
  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

PwUploaderAuth
pw_uploader_get_auth (PwUploader *self)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), PW_UPLOADER_AUTH_NONE);
  return self->auth;
}

static void
set_auth (PwUploader     *self,
          PwUploaderAuth  auth,
          const char     *user,
          const char     *secret)
{
  gboolean changed = self->auth != auth;

  self->auth = auth;
  g_free (self->user);
  self->user = g_strdup (user);
  _pw_clear_secret (&self->secret);
  self->secret = g_strdup (secret);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

void
pw_uploader_set_auth_none (PwUploader *self)
{
  g_return_if_fail (PW_IS_UPLOADER (self));
  set_auth (self, PW_UPLOADER_AUTH_NONE, NULL, NULL);
}

/* Checked when an upload starts (PW_UPLOADER_ERROR_CONFIG), where the user can see the
 * message: a user name without ':' or control characters, both valid UTF-8. */
void
pw_uploader_set_auth_basic (PwUploader *self,
                            const char *user,
                            const char *password)
{
  g_return_if_fail (PW_IS_UPLOADER (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);
  set_auth (self, PW_UPLOADER_AUTH_BASIC, user, password);
}

/* Checked when an upload starts: RFC 6750 b64token characters only. */
void
pw_uploader_set_auth_bearer (PwUploader *self,
                             const char *token)
{
  g_return_if_fail (PW_IS_UPLOADER (self));
  g_return_if_fail (token != NULL);
  set_auth (self, PW_UPLOADER_AUTH_BEARER, NULL, token);
}

const char *
pw_uploader_get_user_agent (PwUploader *self)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), NULL);
  return self->user_agent;
}

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
static gboolean
is_b64token (const char *token)
{
  const char *p = token;

  while (g_ascii_isalnum (*p) || (*p != '\0' && strchr ("-._~+/", *p) != NULL))
    p++;
  if (p == token)
    return FALSE;
  while (*p == '=')
    p++;
  return *p == '\0';
}

static char *
make_authorization (PwUploader  *self,
                    GError     **error)
{
  switch (self->auth)
    {
    case PW_UPLOADER_AUTH_NONE:
      return NULL;
    case PW_UPLOADER_AUTH_BASIC:
      {
        g_autofree char *pair = NULL;
        g_autofree char *encoded = NULL;
        char *header;

        /* RFC 7617 §2: the user-id cannot contain a colon. */
        if (*self->user == '\0' || !g_utf8_validate (self->user, -1, NULL)
            || strchr (self->user, ':') != NULL || has_control_chars (self->user))
          {
            g_set_error_literal (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                                 _("The user name for the server must not be empty and must not "
                                   "contain a colon or control characters"));
            return NULL;
          }
        if (!g_utf8_validate (self->secret, -1, NULL) || has_control_chars (self->secret))
          {
            g_set_error_literal (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                                 _("The password for the server must not contain control characters"));
            return NULL;
          }
        pair = g_strconcat (self->user, ":", self->secret, NULL);
        encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
        header = g_strconcat ("Basic ", encoded, NULL);
        explicit_bzero (pair, strlen (pair));
        explicit_bzero (encoded, strlen (encoded));
        return header;
      }
    case PW_UPLOADER_AUTH_BEARER:
      if (!is_b64token (self->secret))
        {
          g_set_error_literal (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                               _("The token for the server may contain only letters, digits and "
                                 "the characters - . _ ~ + / ="));
          return NULL;
        }
      return g_strconcat ("Bearer ", self->secret, NULL);
    default:
      g_assert_not_reached ();
    }
}

/* "localhost" or an address in 127.0.0.0/8 or ::1: traffic that never leaves this computer. */
static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GUri *
check_server_url (const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    {
      g_set_error_literal (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                           _("No server URL is set"));
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &parse_error);
  if (uri == NULL)
    {
      g_set_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                   _("The server URL “%s” is not valid: %s"), url, parse_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                   _("The server URL “%s” must start with https://"), url);
      return NULL;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                   _("The server URL “%s” names no host"), url);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                           _("The server URL must not contain a user name or password; set "
                             "them as the server’s credentials instead"));
      return NULL;
    }
  /* Meter reads, site details and credentials travel in this request: in clear text only to
   * a collector on this computer. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                   _("Plain http:// is allowed only to this computer (loopback); use https:// "
                     "for %s"), host);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

static gboolean
check_proxy_uri (const char  *proxy_uri,
                 GError     **error)
{
  static const char * const schemes[] = {
    "direct", "http", "https", "socks", "socks4", "socks4a", "socks5", NULL,
  };
  g_autofree char *scheme = NULL;
  g_autofree char *lower = NULL;

  if (proxy_uri == NULL)
    return TRUE;
  scheme = g_uri_parse_scheme (proxy_uri);
  if (scheme != NULL)
    lower = g_ascii_strdown (scheme, -1);
  if (lower == NULL || !g_uri_is_valid (proxy_uri, G_URI_FLAGS_NONE, NULL)
      || !g_strv_contains (schemes, lower))
    {
      g_set_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_CONFIG,
                   _("The proxy “%s” is not a valid http, https or socks proxy URI"), proxy_uri);
      return FALSE;
    }
  return TRUE;
}

PwUploadSettings *
_pw_uploader_snapshot (PwUploader  *self,
                       GError     **error)
{
  g_autoptr(PwUploadSettings) settings = g_new0 (PwUploadSettings, 1);

  if ((settings->uri = check_server_url (self->server_url, error)) == NULL
      || !check_proxy_uri (self->proxy_uri, error))
    return NULL;
  if (self->auth != PW_UPLOADER_AUTH_NONE
      && (settings->authorization = make_authorization (self, error)) == NULL)
    return NULL;
  settings->ca_file = g_strdup (self->ca_file);
  settings->proxy_uri = g_strdup (self->proxy_uri);
  settings->timeout = self->timeout;
  settings->user_agent = g_strdup (self->user_agent);
  return g_steal_pointer (&settings);
}

/* Sends @json (the payload, not yet compressed) to the server URL, gzipped, with
 * Idempotency-Key @payload_id. Succeeds only when the server acknowledged it (200 or 201);
 * anything else is a PwUploaderError, or G_IO_ERROR_CANCELLED. */
void
pw_uploader_upload_async (PwUploader          *self,
                          const char          *payload_id,
                          GBytes              *json,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PwUploadSettings) settings = NULL;
  GError *error = NULL;

  g_return_if_fail (PW_IS_UPLOADER (self));
  g_return_if_fail (payload_id != NULL);
  g_return_if_fail (json != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_uploader_upload_async);

  /* It becomes a header: only a UUID, as payload.md says, so nothing can be smuggled in. */
  if (!g_uuid_string_is_valid (payload_id) || g_bytes_get_size (json) == 0)
    {
      g_task_return_new_error (task, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED, "%s",
                               _("The payload is empty or its id is not a UUID"));
      return;
    }
  settings = _pw_uploader_snapshot (self, &error);
  if (settings == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _pw_uploader_start (self, g_steal_pointer (&settings), payload_id, json, task);
}

PwUploadResult *
pw_uploader_upload_finish (PwUploader    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PW_IS_UPLOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pw_uploader_upload_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* TRUE when the same payload may succeed later without anyone changing a setting: the
 * server or the network had a problem. FALSE for settings, certificates, credentials, a
 * payload the server refused, cancellation, and any error of another domain. */
gboolean
pw_uploader_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != PW_UPLOADER_ERROR)
    return FALSE;
  switch ((PwUploaderError) error->code)
    {
    case PW_UPLOADER_ERROR_SERVER:
    case PW_UPLOADER_ERROR_PROTOCOL:
    case PW_UPLOADER_ERROR_NETWORK:
    case PW_UPLOADER_ERROR_TIMEOUT:
      return TRUE;
    case PW_UPLOADER_ERROR_CONFIG:
    case PW_UPLOADER_ERROR_TLS:
    case PW_UPLOADER_ERROR_AUTH:
    case PW_UPLOADER_ERROR_REJECTED:
      return FALSE;
    default:
      return FALSE;
    }
}

/* Seconds to wait before retrying after @attempt failed tries in a row (0 after the first).
 * Exponential backoff with full jitter: uniform in [1, min (cap, base × 2^attempt)], so a
 * fleet of agents that failed together (a server restart) does not come back together.
 * @rand_or_null: a seeded GRand for reproducible delays (tests), else the global one. */
guint
pw_uploader_backoff_delay (guint  attempt,
                           GRand *rand_or_null)
{
  guint ceiling = PW_UPLOADER_BACKOFF_BASE;

  for (guint i = 0; i < attempt && ceiling < PW_UPLOADER_BACKOFF_CAP; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, PW_UPLOADER_BACKOFF_CAP);

  if (rand_or_null != NULL)
    return (guint) g_rand_int_range (rand_or_null, 1, (gint32) ceiling + 1);
  return (guint) g_random_int_range (1, (gint32) ceiling + 1);
}
