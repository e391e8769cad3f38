/* pw-snmp-credentials.c: how to speak to an SNMP agent (community or v3 user).
 *
 * Credentials are immutable once built, so one object may be shared by many
 * operations on the engine's worker thread without locking. The community
 * and the passphrases have getters but no properties: property dumps (the
 * GTK inspector, generic serialisers) must never show a secret, and neither
 * may an error message or a log line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-snmp-credentials"

#include "config.h"

#include "pw-snmp-credentials.h"
#include "pw-enums.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* RFC 3414 §11.2: passphrases of at least 8 characters. The maximum is far
 * beyond any real passphrase and keeps key derivation bounded. The messages
 * in check_passphrase() repeat both numbers. */
#define PW_SNMP_PASSPHRASE_MIN 8
#define PW_SNMP_PASSPHRASE_MAX 1024
/* SNMP-COMMUNITY-MIB snmpCommunityName, SNMP-USER-BASED-SM-MIB usmUserName. */
#define PW_SNMP_COMMUNITY_MAX 255
#define PW_SNMP_USER_MAX 32

struct _PwSnmpCredentials
{
  GObject             parent_instance;

  PwSnmpVersion       version;
  char               *community;        /* owned, secret; v1 and v2c */
  char               *user;             /* owned; v3 */
  PwSnmpAuthProtocol  auth_protocol;
  char               *auth_passphrase;  /* owned, secret; NULL without authentication */
  PwSnmpPrivProtocol  priv_protocol;
  char               *priv_passphrase;  /* owned, secret; NULL without privacy */
};

G_DEFINE_FINAL_TYPE (PwSnmpCredentials, pw_snmp_credentials, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-snmp-credentials-error-quark, pw_snmp_credentials_error)

enum {
  PROP_0,
  PROP_VERSION,
  PROP_USER,
  PROP_AUTH_PROTOCOL,
  PROP_PRIV_PROTOCOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Names as an admin types them, compared after upper-casing and dropping
 * '-', '_', '/' and spaces; the first of each protocol is how we show it. */
typedef struct {
  const char *name;
  int         protocol;  /* a PwSnmpAuthProtocol or a PwSnmpPrivProtocol; 0 is none in both */
} ProtocolName;

static const ProtocolName auth_names[] = {
  { "none", PW_SNMP_AUTH_NONE },
  { "MD5", PW_SNMP_AUTH_MD5 },
  { "SHA-1", PW_SNMP_AUTH_SHA1 },
  { "SHA-224", PW_SNMP_AUTH_SHA224 },
  { "SHA-256", PW_SNMP_AUTH_SHA256 },
  { "SHA-384", PW_SNMP_AUTH_SHA384 },
  { "SHA-512", PW_SNMP_AUTH_SHA512 },
  { "noauth", PW_SNMP_AUTH_NONE },
  { "HMAC-MD5", PW_SNMP_AUTH_MD5 },
  { "HMAC-MD5-96", PW_SNMP_AUTH_MD5 },
  { "SHA", PW_SNMP_AUTH_SHA1 },
  { "HMAC-SHA", PW_SNMP_AUTH_SHA1 },
  { "HMAC-SHA-96", PW_SNMP_AUTH_SHA1 },
  { "HMAC-SHA-1", PW_SNMP_AUTH_SHA1 },
  { "SHA2-224", PW_SNMP_AUTH_SHA224 },
  { "SHA2-256", PW_SNMP_AUTH_SHA256 },
  { "SHA2-384", PW_SNMP_AUTH_SHA384 },
  { "SHA2-512", PW_SNMP_AUTH_SHA512 },
  { "HMAC128SHA224", PW_SNMP_AUTH_SHA224 },  /* RFC 7860 object names */
  { "HMAC192SHA256", PW_SNMP_AUTH_SHA256 },
  { "HMAC256SHA384", PW_SNMP_AUTH_SHA384 },
  { "HMAC384SHA512", PW_SNMP_AUTH_SHA512 },
};

static const ProtocolName priv_names[] = {
  { "none", PW_SNMP_PRIV_NONE },
  { "DES", PW_SNMP_PRIV_DES },
  { "AES-128", PW_SNMP_PRIV_AES128 },
  { "AES-192", PW_SNMP_PRIV_AES192 },
  { "AES-256", PW_SNMP_PRIV_AES256 },
  { "nopriv", PW_SNMP_PRIV_NONE },
  { "CBC-DES", PW_SNMP_PRIV_DES },
  { "DES-CBC", PW_SNMP_PRIV_DES },
  { "AES", PW_SNMP_PRIV_AES128 },          /* RFC 3826 defines only AES-128 */
  { "CFB-AES-128", PW_SNMP_PRIV_AES128 },
  { "AES-128-CFB", PW_SNMP_PRIV_AES128 },
  { "AES-CFB-128", PW_SNMP_PRIV_AES128 },
  { "AES-192-CFB", PW_SNMP_PRIV_AES192 },
  { "AES-256-CFB", PW_SNMP_PRIV_AES256 },
};

/* Overwrites a secret before freeing it, so it does not linger in freed heap. */
static void
free_secret (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
pw_snmp_credentials_finalize (GObject *object)
{
  PwSnmpCredentials *self = PW_SNMP_CREDENTIALS (object);

  free_secret (self->community);
  free_secret (self->auth_passphrase);
  free_secret (self->priv_passphrase);
  g_free (self->user);

  G_OBJECT_CLASS (pw_snmp_credentials_parent_class)->finalize (object);
}

static void
pw_snmp_credentials_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PwSnmpCredentials *self = PW_SNMP_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_VERSION:
      g_value_set_enum (value, self->version);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_AUTH_PROTOCOL:
      g_value_set_enum (value, self->auth_protocol);
      break;
    case PROP_PRIV_PROTOCOL:
      g_value_set_enum (value, self->priv_protocol);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_snmp_credentials_class_init (PwSnmpCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_snmp_credentials_finalize;
  object_class->get_property = pw_snmp_credentials_get_property;

  properties[PROP_VERSION] =
    g_param_spec_enum ("version", NULL, NULL, PW_TYPE_SNMP_VERSION, PW_SNMP_VERSION_2C,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH_PROTOCOL] =
    g_param_spec_enum ("auth-protocol", NULL, NULL, PW_TYPE_SNMP_AUTH_PROTOCOL, PW_SNMP_AUTH_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRIV_PROTOCOL] =
    g_param_spec_enum ("priv-protocol", NULL, NULL, PW_TYPE_SNMP_PRIV_PROTOCOL, PW_SNMP_PRIV_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_snmp_credentials_init (PwSnmpCredentials *self)
{
  self->version = PW_SNMP_VERSION_2C;
}

/* @auth: the authentication passphrase, else the encryption one. Messages
 * are whole sentences per kind, so that translators see them whole. */
static gboolean
check_passphrase (const char  *passphrase,
                  gboolean     auth,
                  GError     **error)
{
  gsize len = passphrase != NULL ? strlen (passphrase) : 0;
  const char *message = NULL;

  /* Lengths count bytes, as key derivation (RFC 3414 A.2) and agents do. */
  if (len == 0)
    message = auth ? _("No authentication passphrase given")
                   : _("No encryption passphrase given");
  else if (len < PW_SNMP_PASSPHRASE_MIN)
    message = auth ? _("The authentication passphrase is too short: SNMPv3 requires at least 8 characters")
                   : _("The encryption passphrase is too short: SNMPv3 requires at least 8 characters");
  else if (len > PW_SNMP_PASSPHRASE_MAX)
    message = auth ? _("The authentication passphrase is too long: use at most 1024 characters")
                   : _("The encryption passphrase is too long: use at most 1024 characters");
  else if (!g_utf8_validate (passphrase, -1, NULL))
    message = auth ? _("The authentication passphrase is not valid text")
                   : _("The encryption passphrase is not valid text");

  if (message != NULL)
    {
      g_set_error_literal (error, PW_SNMP_CREDENTIALS_ERROR,
                           PW_SNMP_CREDENTIALS_ERROR_INVALID_PASSPHRASE, message);
      return FALSE;
    }
  return TRUE;
}

/**
 * pw_snmp_credentials_new_community:
 * @version: %PW_SNMP_VERSION_1 or %PW_SNMP_VERSION_2C
 * @community: the community string, sent in clear text with every request
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set
 */
PwSnmpCredentials *
pw_snmp_credentials_new_community (PwSnmpVersion   version,
                                   const char     *community,
                                   GError        **error)
{
  PwSnmpCredentials *self;

  g_return_val_if_fail (version == PW_SNMP_VERSION_1 || version == PW_SNMP_VERSION_2C, NULL);

  if (community == NULL || community[0] == '\0')
    {
      g_set_error_literal (error, PW_SNMP_CREDENTIALS_ERROR,
                           PW_SNMP_CREDENTIALS_ERROR_INVALID_COMMUNITY,
                           _("No community given: enter the printer’s read community, often “public”"));
      return NULL;
    }
  if (strlen (community) > PW_SNMP_COMMUNITY_MAX)
    {
      g_set_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_COMMUNITY,
                   _("The community is too long: use at most %d characters"), PW_SNMP_COMMUNITY_MAX);
      return NULL;
    }
  if (!g_utf8_validate (community, -1, NULL))
    {
      g_set_error_literal (error, PW_SNMP_CREDENTIALS_ERROR,
                           PW_SNMP_CREDENTIALS_ERROR_INVALID_COMMUNITY,
                           _("The community is not valid text"));
      return NULL;
    }

  self = g_object_new (PW_TYPE_SNMP_CREDENTIALS, NULL);
  self->version = version;
  self->community = g_strdup (community);
  return self;
}

/**
 * pw_snmp_credentials_new_v3:
 * @user: the USM user name
 * @auth_passphrase: (nullable): needed unless @auth_protocol is %PW_SNMP_AUTH_NONE
 * @priv_passphrase: (nullable): needed unless @priv_protocol is %PW_SNMP_PRIV_NONE
 *
 * The security level follows from the protocols: noAuthNoPriv, authNoPriv
 * or authPriv. Privacy without authentication does not exist in RFC 3414.
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set
 */
PwSnmpCredentials *
pw_snmp_credentials_new_v3 (const char          *user,
                            PwSnmpAuthProtocol   auth_protocol,
                            const char          *auth_passphrase,
                            PwSnmpPrivProtocol   priv_protocol,
                            const char          *priv_passphrase,
                            GError             **error)
{
  PwSnmpCredentials *self;

  g_return_val_if_fail ((guint) auth_protocol <= PW_SNMP_AUTH_SHA512, NULL);
  g_return_val_if_fail ((guint) priv_protocol <= PW_SNMP_PRIV_AES256, NULL);

  if (user == NULL || user[0] == '\0')
    {
      g_set_error_literal (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_USER,
                           _("No SNMPv3 user name given"));
      return NULL;
    }
  if (strlen (user) > PW_SNMP_USER_MAX || !g_utf8_validate (user, -1, NULL))
    {
      g_set_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_USER,
                   _("The SNMPv3 user name must be text of at most %d characters"), PW_SNMP_USER_MAX);
      return NULL;
    }
  if (auth_protocol == PW_SNMP_AUTH_NONE && priv_protocol != PW_SNMP_PRIV_NONE)
    {
      g_set_error_literal (error, PW_SNMP_CREDENTIALS_ERROR,
                           PW_SNMP_CREDENTIALS_ERROR_PRIV_WITHOUT_AUTH,
                           _("Encryption needs authentication: choose an authentication protocol "
                             "too, or no encryption"));
      return NULL;
    }
  if (auth_protocol != PW_SNMP_AUTH_NONE && !check_passphrase (auth_passphrase, TRUE, error))
    return NULL;
  if (priv_protocol != PW_SNMP_PRIV_NONE && !check_passphrase (priv_passphrase, FALSE, error))
    return NULL;

  self = g_object_new (PW_TYPE_SNMP_CREDENTIALS, NULL);
  self->version = PW_SNMP_VERSION_3;
  self->user = g_strdup (user);
  self->auth_protocol = auth_protocol;
  self->priv_protocol = priv_protocol;
  if (auth_protocol != PW_SNMP_AUTH_NONE)
    self->auth_passphrase = g_strdup (auth_passphrase);
  if (priv_protocol != PW_SNMP_PRIV_NONE)
    self->priv_passphrase = g_strdup (priv_passphrase);
  return self;
}

PwSnmpVersion
pw_snmp_credentials_get_version (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), PW_SNMP_VERSION_2C);
  return self->version;
}

/* Returns: (nullable): the community; %NULL for SNMPv3 */
const char *
pw_snmp_credentials_get_community (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), NULL);
  return self->community;
}

/* Returns: (nullable): the v3 user name; %NULL for v1 and v2c */
const char *
pw_snmp_credentials_get_user (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), NULL);
  return self->user;
}

PwSnmpAuthProtocol
pw_snmp_credentials_get_auth_protocol (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), PW_SNMP_AUTH_NONE);
  return self->auth_protocol;
}

const char *
pw_snmp_credentials_get_auth_passphrase (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), NULL);
  return self->auth_passphrase;
}

PwSnmpPrivProtocol
pw_snmp_credentials_get_priv_protocol (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), PW_SNMP_PRIV_NONE);
  return self->priv_protocol;
}

const char *
pw_snmp_credentials_get_priv_passphrase (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), NULL);
  return self->priv_passphrase;
}

/**
 * pw_snmp_credentials_is_weak:
 * @reason: (out) (optional) (transfer full): one sentence saying why, for the admin
 *
 * Weak credentials still work (old printers may offer nothing better), but
 * the admin should know: a community or MD5 and DES protect little.
 */
gboolean
pw_snmp_credentials_is_weak (PwSnmpCredentials  *self,
                             char              **reason)
{
  const char *why = NULL;

  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), FALSE);

  if (self->version != PW_SNMP_VERSION_3)
    why = _("SNMPv1 and SNMPv2c send the community in clear text: anyone on the network path "
            "can read it and use it. Prefer SNMPv3 with SHA-256 and AES where the printer offers it.");
  else if (self->auth_protocol == PW_SNMP_AUTH_NONE)
    why = _("This SNMPv3 user has neither authentication nor encryption: anyone can pose as it. "
            "Prefer SHA-256 and AES where the printer offers them.");
  else if (self->auth_protocol == PW_SNMP_AUTH_MD5 && self->priv_protocol == PW_SNMP_PRIV_DES)
    why = _("MD5 and DES are obsolete: MD5 no longer resists forgery well and DES keys can be "
            "found by brute force. Prefer SHA-256 and AES where the printer offers them.");
  else if (self->auth_protocol == PW_SNMP_AUTH_MD5)
    why = _("MD5 is obsolete and no longer resists forgery well. Prefer SHA-256 where the "
            "printer offers it.");
  else if (self->priv_protocol == PW_SNMP_PRIV_DES)
    why = _("DES is obsolete: its 56-bit keys can be found by brute force. Prefer AES where "
            "the printer offers it.");

  if (reason != NULL)
    *reason = g_strdup (why);
  return why != NULL;
}

/**
 * pw_snmp_describe:
 * @user: (nullable): the SNMPv3 user
 *
 * Returns: (transfer full): a short description of credentials without any
 *   secret, for logs and for the admin: "SNMPv2c community",
 *   "SNMPv3 user “ops” (SHA-256, AES-128)"
 */
char *
pw_snmp_describe (PwSnmpVersion       version,
                  const char         *user,
                  PwSnmpAuthProtocol  auth_protocol,
                  PwSnmpPrivProtocol  priv_protocol)
{
  switch (version)
    {
    case PW_SNMP_VERSION_1:
      return g_strdup (_("SNMPv1 community"));
    case PW_SNMP_VERSION_2C:
      return g_strdup (_("SNMPv2c community"));
    case PW_SNMP_VERSION_3:
      if (user == NULL)
        user = "";
      if (auth_protocol == PW_SNMP_AUTH_NONE)
        return g_strdup_printf (_("SNMPv3 user “%s” (no authentication)"), user);
      if (priv_protocol == PW_SNMP_PRIV_NONE)
        return g_strdup_printf (_("SNMPv3 user “%s” (%s, no encryption)"), user,
                                pw_snmp_auth_protocol_to_string (auth_protocol));
      return g_strdup_printf (_("SNMPv3 user “%s” (%s, %s)"), user,
                              pw_snmp_auth_protocol_to_string (auth_protocol),
                              pw_snmp_priv_protocol_to_string (priv_protocol));
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pw_snmp_credentials_describe:
 *
 * Returns: (transfer full): pw_snmp_describe () of these credentials
 */
char *
pw_snmp_credentials_describe (PwSnmpCredentials *self)
{
  g_return_val_if_fail (PW_IS_SNMP_CREDENTIALS (self), NULL);

  return pw_snmp_describe (self->version, self->user, self->auth_protocol, self->priv_protocol);
}

/* "sha-256" -> "SHA256", "AES 128" -> "AES128": what admins vary on. */
static char *
normalise_protocol_name (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (strchr ("-_/ \t", *p) == NULL)
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

/* Returns: the protocol @text names, none for %NULL or empty, or -1 */
static int
lookup_protocol (const ProtocolName *names,
                 gsize               n_names,
                 const char         *text)
{
  g_autofree char *wanted = normalise_protocol_name (text != NULL ? text : "");

  if (wanted[0] == '\0')
    return 0;
  for (gsize i = 0; i < n_names; i++)
    {
      g_autofree char *known = normalise_protocol_name (names[i].name);

      if (g_str_equal (wanted, known))
        return names[i].protocol;
    }
  return -1;
}

static const char *
protocol_to_string (const ProtocolName *names,
                    gsize               n_names,
                    int                 protocol)
{
  for (gsize i = 0; i < n_names; i++)
    if (names[i].protocol == protocol)
      return names[i].name;
  g_return_val_if_reached (NULL);
}

/**
 * pw_snmp_auth_protocol_parse:
 * @text: (nullable): "SHA-256", "sha256", "HMAC-SHA", "MD5", "none"...;
 *   %NULL or empty means none
 */
gboolean
pw_snmp_auth_protocol_parse (const char          *text,
                             PwSnmpAuthProtocol  *protocol,
                             GError             **error)
{
  int found = lookup_protocol (auth_names, G_N_ELEMENTS (auth_names), text);

  g_return_val_if_fail (protocol != NULL, FALSE);

  if (found < 0)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_UNKNOWN_PROTOCOL,
                   _("Unknown authentication protocol “%s”: use MD5, SHA-1, SHA-224, SHA-256, "
                     "SHA-384 or SHA-512"), shown);
      return FALSE;
    }
  *protocol = found;
  return TRUE;
}

/**
 * pw_snmp_priv_protocol_parse:
 * @text: (nullable): "AES", "AES-256", "aes128", "DES", "none"...;
 *   %NULL or empty means none
 */
gboolean
pw_snmp_priv_protocol_parse (const char          *text,
                             PwSnmpPrivProtocol  *protocol,
                             GError             **error)
{
  int found = lookup_protocol (priv_names, G_N_ELEMENTS (priv_names), text);

  g_return_val_if_fail (protocol != NULL, FALSE);

  if (found < 0)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_UNKNOWN_PROTOCOL,
                   _("Unknown encryption protocol “%s”: use DES, AES-128, AES-192 or AES-256"),
                   shown);
      return FALSE;
    }
  *protocol = found;
  return TRUE;
}

/* Returns: the name we show: "SHA-256", "none" */
const char *
pw_snmp_auth_protocol_to_string (PwSnmpAuthProtocol protocol)
{
  return protocol_to_string (auth_names, G_N_ELEMENTS (auth_names), protocol);
}

/* Returns: the name we show: "AES-128", "none" */
const char *
pw_snmp_priv_protocol_to_string (PwSnmpPrivProtocol protocol)
{
  return protocol_to_string (priv_names, G_N_ELEMENTS (priv_names), protocol);
}
