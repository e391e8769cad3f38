/* pw-device.c: one printer the agent knows, with its latest snapshot.
 *
 * Devices are read from the store; the fields an admin may edit (name,
 * in-scope flag, credentials profile) have setters and are written back
 * with pw_store_update_device(). Everything else is read-only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-device"

#include "pw-device-private.h"
#include "pw-address.h"
#include "pw-text.h"

G_DEFINE_FINAL_TYPE (PwDevice, pw_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_HOST,
  PROP_PORT,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_CREDENTIAL_PROFILE,
  PROP_IN_SCOPE,
  PROP_ADDED_AT,
  PROP_FIRST_SEEN,
  PROP_LAST_SEEN,
  PROP_REACHABLE,
  PROP_LAST_ERROR,
  PROP_LATEST,
  PROP_IDENTITY_FIRST,
  N_PROPS = PROP_IDENTITY_FIRST + PW_N_IDENTITY_FIELDS
};

static GParamSpec *properties[N_PROPS];

/* Property names of the identity fields, in PwIdentityField order. */
static const char * const identity_names[PW_N_IDENTITY_FIELDS] = {
  "vendor", "model", "serial", "firmware", "mac",
  "sys-name", "sys-descr", "sys-object-id", "location", "contact",
};

static void
pw_device_finalize (GObject *object)
{
  PwDevice *self = PW_DEVICE (object);

  g_free (self->host);
  g_free (self->name);
  for (guint i = 0; i < PW_N_IDENTITY_FIELDS; i++)
    g_free (self->identity[i]);
  g_free (self->last_error);
  g_clear_object (&self->latest);
  g_clear_pointer (&self->summary, _pw_device_summary_free);

  G_OBJECT_CLASS (pw_device_parent_class)->finalize (object);
}

static void
pw_device_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PwDevice *self = PW_DEVICE (object);

  if (prop_id >= PROP_IDENTITY_FIRST && prop_id < N_PROPS)
    {
      g_value_set_string (value, self->identity[prop_id - PROP_IDENTITY_FIRST]);
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, pw_device_get_display_name (self));
      break;
    case PROP_CREDENTIAL_PROFILE:
      g_value_set_int64 (value, self->credential_profile);
      break;
    case PROP_IN_SCOPE:
      g_value_set_boolean (value, self->in_scope);
      break;
    case PROP_ADDED_AT:
      g_value_set_int64 (value, self->added_at);
      break;
    case PROP_FIRST_SEEN:
      g_value_set_int64 (value, self->first_seen);
      break;
    case PROP_LAST_SEEN:
      g_value_set_int64 (value, self->last_seen);
      break;
    case PROP_REACHABLE:
      g_value_set_boolean (value, self->reachable);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LATEST:
      g_value_set_object (value, self->latest);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_device_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PwDevice *self = PW_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      pw_device_set_name (self, g_value_get_string (value));
      break;
    case PROP_CREDENTIAL_PROFILE:
      pw_device_set_credential_profile (self, g_value_get_int64 (value));
      break;
    case PROP_IN_SCOPE:
      pw_device_set_in_scope (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_device_class_init (PwDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pw_device_finalize;
  object_class->get_property = pw_device_get_property;
  object_class->set_property = pw_device_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, PW_SNMP_DEFAULT_PORT, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_CREDENTIAL_PROFILE] = g_param_spec_int64 ("credential-profile", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_IN_SCOPE] = g_param_spec_boolean ("in-scope", NULL, NULL, TRUE, rw);
  properties[PROP_ADDED_AT] = g_param_spec_int64 ("added-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_FIRST_SEEN] = g_param_spec_int64 ("first-seen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_SEEN] = g_param_spec_int64 ("last-seen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_REACHABLE] = g_param_spec_boolean ("reachable", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_LATEST] = g_param_spec_object ("latest", NULL, NULL, PW_TYPE_SNAPSHOT, ro);
  for (guint i = 0; i < PW_N_IDENTITY_FIELDS; i++)
    properties[PROP_IDENTITY_FIRST + i] = g_param_spec_string (identity_names[i], NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_device_init (PwDevice *self)
{
  self->port = PW_SNMP_DEFAULT_PORT;
  self->in_scope = TRUE;
}

gint64
pw_device_get_id (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), 0);
  return self->id;
}

const char *
pw_device_get_host (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);
  return self->host;
}

guint16
pw_device_get_port (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), 0);
  return self->port;
}

/* The address as an admin types it: "10.0.0.5", "10.0.0.5:1161", "[::1]:1161". */
char *
pw_device_dup_address (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);
  return pw_address_format (self->host, self->port);
}

const char *
pw_device_get_name (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);
  return self->name;
}

/**
 * pw_device_set_name:
 * @name: (nullable): the admin's label; %NULL or "" to use what the printer says
 */
void
pw_device_set_name (PwDevice   *self,
                    const char *name)
{
  g_autofree char *safe = NULL;

  g_return_if_fail (PW_IS_DEVICE (self));

  if (name != NULL)
    safe = pw_text_sanitize (name, -1, PW_TEXT_MAX_CHARS);
  if (safe != NULL && safe[0] == '\0')
    g_clear_pointer (&safe, g_free);
  if (g_strcmp0 (safe, self->name) == 0)
    return;
  g_free (self->name);
  self->name = g_steal_pointer (&safe);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

/* The admin's label, else the printer's sysName, else its address. */
const char *
pw_device_get_display_name (PwDevice *self)
{
  const char *sys_name;

  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);

  sys_name = self->identity[PW_IDENTITY_SYS_NAME];
  if (self->name != NULL)
    return self->name;
  if (sys_name != NULL && sys_name[0] != '\0')
    return sys_name;
  return self->host;
}

const char *
pw_device_get_identity (PwDevice        *self,
                        PwIdentityField  field)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);
  g_return_val_if_fail (field < PW_N_IDENTITY_FIELDS, NULL);
  return self->identity[field];
}

gint64
pw_device_get_credential_profile (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), 0);
  return self->credential_profile;
}

void
pw_device_set_credential_profile (PwDevice *self,
                                  gint64    profile_id)
{
  g_return_if_fail (PW_IS_DEVICE (self));
  g_return_if_fail (profile_id >= 0);

  if (self->credential_profile == profile_id)
    return;
  self->credential_profile = profile_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDENTIAL_PROFILE]);
}

gboolean
pw_device_get_in_scope (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), FALSE);
  return self->in_scope;
}

void
pw_device_set_in_scope (PwDevice *self,
                        gboolean  in_scope)
{
  g_return_if_fail (PW_IS_DEVICE (self));

  in_scope = !!in_scope;
  if (self->in_scope == in_scope)
    return;
  self->in_scope = in_scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_SCOPE]);
}

gint64
pw_device_get_added_at (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), 0);
  return self->added_at;
}

gint64
pw_device_get_first_seen (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), 0);
  return self->first_seen;
}

gint64
pw_device_get_last_seen (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), 0);
  return self->last_seen;
}

gboolean
pw_device_get_reachable (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), FALSE);
  return self->reachable;
}

const char *
pw_device_get_last_error (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);
  return self->last_error;
}

/**
 * pw_device_get_latest:
 *
 * Returns: (transfer none) (nullable): the newest snapshot, or %NULL before the first poll
 */
PwSnapshot *
pw_device_get_latest (PwDevice *self)
{
  g_return_val_if_fail (PW_IS_DEVICE (self), NULL);
  return self->latest;
}
