/* pw-uploader-private.h: what pw-uploader.c and pw-uploader-request.c share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-uploader.h"

G_BEGIN_DECLS

/* Everything one upload needs, copied from the uploader when it starts: changing the settings
 * during an upload affects the next one only. */
typedef struct {
  GUri  *uri;            /* owned: checked, https (or http to loopback) */
  char  *authorization;  /* owned, secret, nullable: the Authorization header's value */
  char  *ca_file;        /* owned, nullable: else the system's trusted CAs */
  char  *proxy_uri;      /* owned, nullable: else the system's proxy settings */
  guint  timeout;        /* seconds */
  char  *user_agent;     /* owned */
} PwUploadSettings;

void              _pw_upload_settings_free  (PwUploadSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwUploadSettings, _pw_upload_settings_free)

PwUploadSettings *_pw_uploader_snapshot     (PwUploader       *self,
                                             GError          **error);
void              _pw_uploader_start        (PwUploader       *self,
                                             PwUploadSettings *settings,
                                             const char       *payload_id,
                                             GBytes           *json,
                                             GTask            *task);
void              _pw_clear_secret          (char            **secret);

G_END_DECLS
