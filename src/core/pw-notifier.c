/* pw-notifier.c: e-mail when a printer needs someone, from rules the admin enables.
 *
 * The settings, and the jobs: a check reads the rules against the store and
 * queues the e-mails they call for (pw-notifier-rules.c), then sends what
 * the queue holds that is due; a flush only sends; the test e-mail goes
 * straight out. Each job runs on a worker thread (SQLite and libcurl
 * block), one at a time under the notifier's lock, so no condition is told
 * twice and no e-mail sent twice.
 *
 * An e-mail is committed to the queue before its first attempt and leaves
 * it only when the mail server accepted it. One that fails waits, longer
 * each time (the uploader's back-off), and what a later try cannot fix
 * (a refusal, a sign-in, a certificate) waits the longest; while it lives,
 * the notifier wakes itself for the next that is due. Each attempt is in
 * the sync log; the last failure, in words, is kept for the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-notifier"

#include "config.h"

#include "pw-notifier-private.h"
#include "pw-agent.h"
#include "pw-secret.h"
#include "pw-uploader.h"

#include <glib/gi18n-lib.h>

G_DEFINE_FINAL_TYPE (PwNotifier, pw_notifier, G_TYPE_OBJECT)

GParamSpec *_pw_notifier_properties[N_PROPS];

static void
pw_notifier_dispose (GObject *object)
{
  PwNotifier *self = PW_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  G_OBJECT_CLASS (pw_notifier_parent_class)->dispose (object);
}

static void
pw_notifier_finalize (GObject *object)
{
  PwNotifier *self = PW_NOTIFIER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->host);
  g_free (self->ca_file);
  g_free (self->user);
  g_free (self->sender);
  g_strfreev (self->recipients);
  g_free (self->site_name);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pw_notifier_parent_class)->finalize (object);
}

static void
pw_notifier_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PwNotifier *self = PW_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_LAST_ERROR:
      g_value_take_string (value, pw_notifier_dup_last_error (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_notifier_class_init (PwNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_notifier_dispose;
  object_class->finalize = pw_notifier_finalize;
  object_class->get_property = pw_notifier_get_property;

  /**
   * PwNotifier:last-error:
   *
   * Why the last e-mail could not be sent, in words; %NULL once one went.
   */
  _pw_notifier_properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _pw_notifier_properties);
}

static void
pw_notifier_init (PwNotifier *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
  self->port = 587;
  self->security = PW_SMTP_SECURITY_STARTTLS;
  self->recipients = g_new0 (char *, 1);
  self->timeout = PW_SMTP_DEFAULT_TIMEOUT;
  /* The schema's defaults. */
  self->rules.supply_below = 10;
  self->rules.unreachable_minutes = 60;
  self->rules.critical_alerts = TRUE;
  self->rules.failed_transmissions = TRUE;
}

/**
 * pw_notifier_new:
 * @store: where the conditions and the queue are kept
 */
PwNotifier *
pw_notifier_new (PwStore *store)
{
  PwNotifier *self;

  g_return_val_if_fail (PW_IS_STORE (store), NULL);

  self = g_object_new (PW_TYPE_NOTIFIER, NULL);
  self->store = g_object_ref (store);
  return self;
}

PwStore *
pw_notifier_get_store (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), NULL);
  return self->store;
}

/* ---- settings ---- */

/* The setting, unless its environment variable says otherwise; NULL when empty. */
static char *
setting (GSettings  *settings,
         const char *key,
         const char *env)
{
  const char *value = env != NULL ? g_getenv (env) : NULL;
  char *text;

  if (value != NULL)
    text = g_strdup (value);
  else
    text = settings != NULL ? g_settings_get_string (settings, key) : NULL;
  if (text != NULL)
    g_strstrip (text);
  if (text != NULL && text[0] == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static gboolean
parse_security (const char      *text,
                PwSmtpSecurity  *security,
                GError         **error)
{
  if (text == NULL || g_str_equal (text, "starttls"))
    *security = PW_SMTP_SECURITY_STARTTLS;
  else if (g_str_equal (text, "tls"))
    *security = PW_SMTP_SECURITY_TLS;
  else if (g_str_equal (text, "none"))
    *security = PW_SMTP_SECURITY_NONE;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is no way to secure e-mail: use starttls, tls or none"), text);
      return FALSE;
    }
  return TRUE;
}

/* The recipients: $PRINTWATCH_MAIL_TO (comma-separated) or the mail-to setting. */
static GStrv
recipients_setting (GSettings *settings)
{
  const char *env = g_getenv (PW_NOTIFIER_ENV_MAIL_TO);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  if (env != NULL)
    list = g_strsplit (env, ",", -1);
  else if (settings != NULL)
    list = g_settings_get_strv (settings, "mail-to");
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (g_strstrip (list[i])[0] != '\0')
      g_strv_builder_add (builder, list[i]);
  return g_strv_builder_end (builder);
}

/**
 * pw_notifier_configure:
 * @settings: (nullable): Printwatch's GSettings, or %NULL when its schema is
 *   not installed (the environment variables alone, and the defaults, then)
 *
 * Reads the mail server, the addresses, the site name and the rules; each
 * of PRINTWATCH_SMTP_SERVER, _SMTP_PORT, _SMTP_SECURITY, _SMTP_USER,
 * _SMTP_CA_FILE, _MAIL_FROM, _MAIL_TO and _SITE_NAME wins over its setting.
 * The password is looked up in the keyring (or $PRINTWATCH_SMTP_PASSWORD)
 * when an e-mail goes.
 */
gboolean
pw_notifier_configure (PwNotifier  *self,
                       GSettings   *settings,
                       GError     **error)
{
  g_autofree char *host = setting (settings, "smtp-server", PW_NOTIFIER_ENV_SMTP_SERVER);
  g_autofree char *security_text = setting (settings, "smtp-security", PW_NOTIFIER_ENV_SMTP_SECURITY);
  g_autofree char *port_text = setting (NULL, NULL, PW_NOTIFIER_ENV_SMTP_PORT);
  g_autofree char *user = setting (settings, "smtp-user", PW_NOTIFIER_ENV_SMTP_USER);
  g_autofree char *ca_file = setting (NULL, NULL, PW_NOTIFIER_ENV_SMTP_CA_FILE);
  g_autofree char *from = setting (settings, "mail-from", PW_NOTIFIER_ENV_MAIL_FROM);
  g_autofree char *site_name = setting (settings, "site-name", PW_AGENT_ENV_SITE_NAME);
  g_auto(GStrv) to = recipients_setting (settings);
  PwSmtpSecurity security;
  guint16 port = 587;

  g_return_val_if_fail (PW_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);

  if (!parse_security (security_text, &security, error))
    return FALSE;
  if (port_text != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &value, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a port number from 1 to 65535"), port_text);
          return FALSE;
        }
      port = (guint16) value;
    }
  else if (settings != NULL)
    port = (guint16) CLAMP (g_settings_get_uint (settings, "smtp-port"), 1, 65535);
  if (from == NULL && to[0] == NULL)
    {
      /* E-mail not set up: nothing to check. */
      g_clear_pointer (&self->sender, g_free);
      g_strfreev (self->recipients);
      self->recipients = g_new0 (char *, 1);
    }
  else if (!pw_notifier_set_addresses (self, from, (const char * const *) to, error))
    return FALSE;

  pw_notifier_set_server (self, host, port, security);
  pw_notifier_set_user (self, user);
  pw_notifier_set_ca_file (self, ca_file);
  pw_notifier_set_site_name (self, site_name);
  if (settings != NULL)
    {
      PwNotifierRules rules = {
        .supply_below = (guint) CLAMP (g_settings_get_int (settings, "notify-supply-below"), 0, 100),
        .unreachable_minutes = g_settings_get_uint (settings, "notify-unreachable-minutes"),
        .critical_alerts = g_settings_get_boolean (settings, "notify-critical-alerts"),
        .failed_transmissions = g_settings_get_boolean (settings, "notify-failed-transmissions"),
        .daily_digest = g_settings_get_boolean (settings, "notify-daily-digest"),
      };

      pw_notifier_set_rules (self, &rules);
    }
  return TRUE;
}

/**
 * pw_notifier_set_server:
 * @host: (nullable): the mail server, or %NULL for no e-mail at all
 */
void
pw_notifier_set_server (PwNotifier     *self,
                        const char     *host,
                        guint16         port,
                        PwSmtpSecurity  security)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  g_free (self->host);
  self->host = host != NULL && host[0] != '\0' ? g_strdup (host) : NULL;
  self->port = port;
  self->security = security;
}

const char *
pw_notifier_get_server (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), NULL);
  return self->host;
}

guint16
pw_notifier_get_port (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), 0);
  return self->port;
}

PwSmtpSecurity
pw_notifier_get_security (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), PW_SMTP_SECURITY_STARTTLS);
  return self->security;
}

/**
 * pw_notifier_set_ca_file:
 * @path: (nullable): the authorities that may vouch for the mail server,
 *   or %NULL for the system's
 */
void
pw_notifier_set_ca_file (PwNotifier *self,
                         const char *path)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  g_free (self->ca_file);
  self->ca_file = path != NULL && path[0] != '\0' ? g_strdup (path) : NULL;
}

/**
 * pw_notifier_set_user:
 * @user: (nullable): the user name to sign in with; its password is in the
 *   keyring under the server's host name
 */
void
pw_notifier_set_user (PwNotifier *self,
                      const char *user)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  g_free (self->user);
  self->user = user != NULL && user[0] != '\0' ? g_strdup (user) : NULL;
}

/**
 * pw_notifier_set_addresses:
 * @from: the sender
 * @to: (array zero-terminated=1): the recipients
 *
 * Returns: %FALSE, changing nothing, when an address is not one
 *   Printwatch can use (pw_smtp_address_is_valid ())
 */
gboolean
pw_notifier_set_addresses (PwNotifier          *self,
                           const char          *from,
                           const char * const  *to,
                           GError             **error)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), FALSE);

  if (from == NULL || from[0] == '\0')
    {
      g_set_error_literal (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG, _("No sender address is set"));
      return FALSE;
    }
  if (!pw_smtp_address_is_valid (from))
    {
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                   _("“%s” is not an e-mail address Printwatch can send from"), from != NULL ? from : "");
      return FALSE;
    }
  for (guint i = 0; to != NULL && to[i] != NULL; i++)
    if (!pw_smtp_address_is_valid (to[i]))
      {
        g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                     _("“%s” is not an e-mail address Printwatch can send to"), to[i]);
        return FALSE;
      }
  g_free (self->sender);
  self->sender = g_strdup (from);
  g_strfreev (self->recipients);
  self->recipients = to != NULL ? g_strdupv ((char **) to) : g_new0 (char *, 1);
  return TRUE;
}

const char *
pw_notifier_get_sender (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), NULL);
  return self->sender;
}

/**
 * pw_notifier_get_recipients:
 *
 * Returns: (transfer none) (array zero-terminated=1): the recipients
 */
const char * const *
pw_notifier_get_recipients (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), NULL);
  return (const char * const *) self->recipients;
}

void
pw_notifier_set_rules (PwNotifier            *self,
                       const PwNotifierRules *rules)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  g_return_if_fail (rules != NULL);
  self->rules = *rules;
  self->rules.supply_below = MIN (self->rules.supply_below, 100);
}

void
pw_notifier_get_rules (PwNotifier      *self,
                       PwNotifierRules *rules)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  g_return_if_fail (rules != NULL);
  *rules = self->rules;
}

/**
 * pw_notifier_set_site_name:
 * @site_name: (nullable): the site, as the e-mails' footer names it
 */
void
pw_notifier_set_site_name (PwNotifier *self,
                           const char *site_name)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  g_free (self->site_name);
  self->site_name = site_name != NULL && site_name[0] != '\0' ? g_strdup (site_name) : NULL;
}

/**
 * pw_notifier_set_timeout:
 * @seconds: how long the mail server may take to accept a connection and to
 *   answer each command
 */
void
pw_notifier_set_timeout (PwNotifier *self,
                         guint       seconds)
{
  g_return_if_fail (PW_IS_NOTIFIER (self));
  self->timeout = seconds;
}

/* Whether e-mail is set up: a server, a sender and a recipient at least. */
gboolean
pw_notifier_get_enabled (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), FALSE);
  return self->host != NULL && self->sender != NULL && self->recipients[0] != NULL;
}

/**
 * pw_notifier_dup_last_error:
 *
 * Returns: (transfer full) (nullable): why the last e-mail could not be
 *   sent, in words; %NULL once one went
 */
char *
pw_notifier_dup_last_error (PwNotifier *self)
{
  g_return_val_if_fail (PW_IS_NOTIFIER (self), NULL);
  return pw_store_get_state (self->store, PW_NOTIFIER_KEY_LAST_ERROR, NULL);
}
