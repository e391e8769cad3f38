/* pw-agent.c: the façade the GUI and the CLI drive.
 *
 * It owns the parts of a sync and runs them in order: poll the fleet (the
 * readings are committed by the poller), build the payload and commit it
 * to the outbox, then send what the outbox holds, oldest first. A payload
 * leaves the outbox only when the server acknowledged it, in the same
 * transaction as its log entry; killed at any point, the next run sends
 * what is left, under the same idempotency key, and the server keeps one
 * copy. The sync window (last data from the printers, last contact with
 * the server, last success, next run, last error) lives in the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-poller.h"
#include "pw-snmp-credentials.h"

#include <glib/gi18n-lib.h>

G_DEFINE_FINAL_TYPE (PwAgent, pw_agent, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-agent-error-quark, pw_agent_error)

GParamSpec *_pw_agent_properties[N_PROPS];
guint _pw_agent_signals[N_SIGNALS];

static void
pw_agent_dispose (GObject *object)
{
  PwAgent *self = PW_AGENT (object);

  pw_agent_stop (self);
  pw_agent_set_notifier (self, NULL);
  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (pw_agent_parent_class)->dispose (object);
}

static void
pw_agent_finalize (GObject *object)
{
  PwAgent *self = PW_AGENT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->uploader);
  g_clear_pointer (&self->credentials, g_ptr_array_unref);
  g_free (self->server_url);
  g_free (self->server_user);
  g_free (self->site_name);
  g_free (self->sync_time);

  G_OBJECT_CLASS (pw_agent_parent_class)->finalize (object);
}

static void
pw_agent_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PwAgent *self = PW_AGENT (object);

  switch (prop_id)
    {
    case PROP_LAST_POLL:
      g_value_set_int64 (value, pw_agent_get_last_poll (self));
      break;
    case PROP_LAST_SERVER_CONTACT:
      g_value_set_int64 (value, pw_agent_get_last_server_contact (self));
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, pw_agent_get_last_success (self));
      break;
    case PROP_NEXT_SYNC:
      g_value_set_int64 (value, pw_agent_get_next_sync (self));
      break;
    case PROP_LAST_ERROR:
      g_value_take_string (value, pw_agent_dup_last_error (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, pw_agent_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_agent_class_init (PwAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_agent_dispose;
  object_class->finalize = pw_agent_finalize;
  object_class->get_property = pw_agent_get_property;

  _pw_agent_properties[PROP_LAST_POLL] =
    g_param_spec_int64 ("last-poll", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _pw_agent_properties[PROP_LAST_SERVER_CONTACT] =
    g_param_spec_int64 ("last-server-contact", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _pw_agent_properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _pw_agent_properties[PROP_NEXT_SYNC] =
    g_param_spec_int64 ("next-sync", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _pw_agent_properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _pw_agent_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _pw_agent_properties);

  /**
   * PwAgent::device-polled:
   * @result: how polling one device went (PwPollResult)
   *
   * In every poll the agent runs: a sync's, or pw_agent_poll_async ()'s.
   */
  _pw_agent_signals[SIGNAL_DEVICE_POLLED] =
    g_signal_new ("device-polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PW_TYPE_POLL_RESULT);
  /**
   * PwAgent::poll-progress:
   * @done: devices polled so far
   * @total: devices in the poll
   */
  _pw_agent_signals[SIGNAL_POLL_PROGRESS] =
    g_signal_new ("poll-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * PwAgent::discovery-progress:
   * @done: addresses swept so far
   * @total: addresses in the sweep
   * @found: printers found so far
   *
   * In pw_agent_discover_async (), after each address.
   */
  _pw_agent_signals[SIGNAL_DISCOVERY_PROGRESS] =
    g_signal_new ("discovery-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * PwAgent::printer-found:
   * @result: the printer's first address to answer (PwDiscoveryResult)
   * @known: whether the list had it already (by address, serial or MAC)
   *
   * In pw_agent_discover_async (), once for each printer, as it answers.
   */
  _pw_agent_signals[SIGNAL_PRINTER_FOUND] =
    g_signal_new ("printer-found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PW_TYPE_DISCOVERY_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN);
}

static void
pw_agent_init (PwAgent *self)
{
  self->uploader = pw_uploader_new ();
  self->credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "public", NULL));
  self->auth = AUTH_BASIC;
  self->sync_time = g_strdup ("06:00");
}

/**
 * pw_agent_new:
 * @store: where the fleet, the outbox and the sync window are kept
 */
PwAgent *
pw_agent_new (PwStore *store)
{
  PwAgent *self;

  g_return_val_if_fail (PW_IS_STORE (store), NULL);

  self = g_object_new (PW_TYPE_AGENT, NULL);
  self->store = g_object_ref (store);
  return self;
}

PwStore *
pw_agent_get_store (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->store;
}

/**
 * pw_agent_get_uploader:
 *
 * Returns: (transfer none): the uploader, for its timeout and the like
 */
PwUploader *
pw_agent_get_uploader (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->uploader;
}

/* The setting, unless its environment variable says otherwise. */
static char *
setting (GSettings  *settings,
         const char *key,
         const char *env)
{
  const char *value = g_getenv (env);

  if (value != NULL)
    return g_strdup (value);
  return settings != NULL ? g_settings_get_string (settings, key) : g_strdup ("");
}

static char *
nonempty_or_null (char *text)
{
  if (text != NULL && text[0] == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/**
 * pw_agent_configure:
 * @settings: (nullable): Printwatch's GSettings, or %NULL when its schema is
 *   not installed (the environment variables alone then)
 *
 * Reads the server, the CA file, how to sign in, the proxy, the site name
 * and the daily time; each of PRINTWATCH_SERVER_URL, _CA_FILE, _AUTH,
 * _SERVER_USER, _PROXY, _SITE_NAME and _SYNC_TIME wins over its setting.
 */
gboolean
pw_agent_configure (PwAgent    *self,
                    GSettings  *settings,
                    GError    **error)
{
  g_autofree char *auth = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *sync_time = NULL;

  g_return_val_if_fail (PW_IS_AGENT (self), FALSE);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);

  sync_time = setting (settings, "sync-time", PW_AGENT_ENV_SYNC_TIME);
  if (!pw_agent_set_sync_time (self, sync_time[0] != '\0' ? sync_time : "06:00", error))
    return FALSE;
  auth = setting (settings, "auth-method", PW_AGENT_ENV_AUTH);
  if (g_str_equal (auth, "none"))
    self->auth = AUTH_NONE;
  else if (g_str_equal (auth, "bearer"))
    self->auth = AUTH_BEARER;
  else if (g_str_equal (auth, "basic") || auth[0] == '\0')
    self->auth = AUTH_BASIC;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is no way to sign in: use none, basic or bearer"), auth);
      return FALSE;
    }

  g_free (self->server_url);
  self->server_url = nonempty_or_null (setting (settings, "server-url", PW_AGENT_ENV_SERVER_URL));
  g_free (self->server_user);
  self->server_user = nonempty_or_null (setting (settings, "server-user", PW_AGENT_ENV_SERVER_USER));
  g_free (self->site_name);
  self->site_name = nonempty_or_null (setting (settings, "site-name", PW_AGENT_ENV_SITE_NAME));
  ca_file = nonempty_or_null (setting (settings, "ca-file", PW_AGENT_ENV_CA_FILE));
  proxy = nonempty_or_null (setting (settings, "proxy-uri", PW_AGENT_ENV_PROXY));

  pw_uploader_set_server_url (self->uploader, self->server_url);
  pw_uploader_set_ca_file (self->uploader, ca_file);
  pw_uploader_set_proxy_uri (self->uploader, proxy);
  return TRUE;
}

const char *
pw_agent_get_server_url (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->server_url;
}

const char *
pw_agent_get_site_name (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->site_name;
}

void
pw_agent_set_site_name (PwAgent    *self,
                        const char *site_name)
{
  g_return_if_fail (PW_IS_AGENT (self));
  g_free (self->site_name);
  self->site_name = g_strdup (site_name);
}

const char *
pw_agent_get_sync_time (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->sync_time;
}

/**
 * pw_agent_set_sync_time:
 * @time: "HH:MM", local time
 */
gboolean
pw_agent_set_sync_time (PwAgent     *self,
                        const char  *time,
                        GError     **error)
{
  guint hour, minute;

  g_return_val_if_fail (PW_IS_AGENT (self), FALSE);

  if (!pw_scheduler_parse_time (time, &hour, &minute, error))
    return FALSE;
  if (self->scheduler != NULL && !pw_scheduler_set_time (self->scheduler, time, error))
    return FALSE;
  g_free (self->sync_time);
  self->sync_time = g_strdup (time);
  g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_NEXT_SYNC]);
  return TRUE;
}

/**
 * pw_agent_set_snmp_credentials:
 * @credentials: (element-type PwSnmpCredentials): tried in order on each printer
 */
void
pw_agent_set_snmp_credentials (PwAgent   *self,
                               GPtrArray *credentials)
{
  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (credentials != NULL && credentials->len > 0);

  g_ptr_array_unref (self->credentials);
  self->credentials = g_ptr_array_ref (credentials);
}

/* The sync window */

static gint64
state_time (PwAgent    *self,
            const char *key)
{
  g_autofree char *text = pw_store_get_state (self->store, key, NULL);
  gint64 value = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return 0;
  return value;
}

/* Last time data was received from printers (unix seconds, 0 = never). */
gint64
pw_agent_get_last_poll (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), 0);
  return state_time (self, PW_AGENT_KEY_LAST_DATA);
}

/* Last time the server answered anything at all. */
gint64
pw_agent_get_last_server_contact (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), 0);
  return state_time (self, PW_AGENT_KEY_LAST_CONTACT);
}

/* Last time the server acknowledged a payload. */
gint64
pw_agent_get_last_success (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), 0);
  return state_time (self, PW_AGENT_KEY_LAST_SUCCESS);
}

/* The next scheduled transmission: the running scheduler's, else the one
 * it stored, else the next daily time from now. */
gint64
pw_agent_get_next_sync (PwAgent *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 stored;
  guint hour = 6, minute = 0;
  g_autoptr(GTimeZone) local = NULL;

  g_return_val_if_fail (PW_IS_AGENT (self), 0);

  if (self->scheduler != NULL)
    return pw_scheduler_get_next_run (self->scheduler);
  stored = state_time (self, PW_AGENT_KEY_NEXT_RUN);
  if (stored > now)
    return stored;
  if (!pw_scheduler_parse_time (self->sync_time, &hour, &minute, NULL))
    return 0;
  local = g_time_zone_new_local ();
  return pw_scheduler_next_run (local, hour, minute, now);
}

/**
 * pw_agent_dup_last_error:
 *
 * Returns: (transfer full) (nullable): what went wrong last, in words; %NULL
 *   after a sync that went well
 */
char *
pw_agent_dup_last_error (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return pw_store_get_state (self->store, PW_AGENT_KEY_LAST_ERROR, NULL);
}

gboolean
pw_agent_get_busy (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), FALSE);
  return self->sync != NULL;
}

