/* pw-uploader.h: one payload to the collection server over HTTPS (libsoup 3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-types.h"

G_BEGIN_DECLS

/* What the caller should do about a failed upload; pw_uploader_error_is_retryable () says
 * whether trying the same payload again later can help without anyone changing anything.
 * Cancellation is G_IO_ERROR_CANCELLED, not one of these. */
#define PW_UPLOADER_ERROR (pw_uploader_error_quark ())
typedef enum {
  PW_UPLOADER_ERROR_CONFIG,    /* no or bad server URL, plain http to a host not on loopback, CA
                                * file unreadable, bad proxy URI, user name or token: fix the settings */
  PW_UPLOADER_ERROR_TLS,       /* certificate untrusted, expired, not yet valid, revoked or for
                                * another host; TLS older than 1.2; no TLS on that port */
  PW_UPLOADER_ERROR_AUTH,      /* 401 or 403: the credentials need changing */
  PW_UPLOADER_ERROR_REJECTED,  /* 400, 413, 415, any other 4xx, a redirect: never accepted as is */
  PW_UPLOADER_ERROR_SERVER,    /* 5xx, 408, 429: the server has a problem, try again later */
  PW_UPLOADER_ERROR_PROTOCOL,  /* an answer that is not HTTP, or a status the protocol lacks */
  PW_UPLOADER_ERROR_NETWORK,   /* refused, unreachable, unknown host, connection lost */
  PW_UPLOADER_ERROR_TIMEOUT,   /* the server went silent for longer than the timeout */
} PwUploaderError;

/* The server's acknowledgement: only 200 and 201 finish an upload successfully. */
typedef struct {
  guint     http_status;   /* 201 stored, 200 duplicate */
  gboolean  acknowledged;  /* TRUE: the payload may leave the outbox */
  gboolean  duplicate;     /* the server already had this payload_id (200) */
  char     *message;       /* owned, nullable: the server's "message", valid UTF-8, one line */
} PwUploadResult;

#define PW_TYPE_UPLOAD_RESULT (pw_upload_result_get_type ())
GType            pw_upload_result_get_type        (void) G_GNUC_CONST;
PwUploadResult  *pw_upload_result_copy            (const PwUploadResult *result);
void             pw_upload_result_free            (PwUploadResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwUploadResult, pw_upload_result_free)

#define PW_UPLOADER_DEFAULT_TIMEOUT 60      /* seconds */
#define PW_UPLOADER_BACKOFF_BASE    60      /* seconds */
#define PW_UPLOADER_BACKOFF_CAP     21600   /* seconds: 6 hours */

#define PW_TYPE_UPLOADER (pw_uploader_get_type ())
G_DECLARE_FINAL_TYPE (PwUploader, pw_uploader, PW, UPLOADER, GObject)

GQuark           pw_uploader_error_quark          (void);

PwUploader      *pw_uploader_new                  (void);

const char      *pw_uploader_get_server_url       (PwUploader           *self);
void             pw_uploader_set_server_url       (PwUploader           *self,
                                                   const char           *url);
const char      *pw_uploader_get_ca_file          (PwUploader           *self);
void             pw_uploader_set_ca_file          (PwUploader           *self,
                                                   const char           *path);
const char      *pw_uploader_get_proxy_uri        (PwUploader           *self);
void             pw_uploader_set_proxy_uri        (PwUploader           *self,
                                                   const char           *uri);
guint            pw_uploader_get_timeout          (PwUploader           *self);
void             pw_uploader_set_timeout          (PwUploader           *self,
                                                   guint                 seconds);
PwUploaderAuth   pw_uploader_get_auth             (PwUploader           *self);
void             pw_uploader_set_auth_none        (PwUploader           *self);
void             pw_uploader_set_auth_basic       (PwUploader           *self,
                                                   const char           *user,
                                                   const char           *password);
void             pw_uploader_set_auth_bearer      (PwUploader           *self,
                                                   const char           *token);
const char      *pw_uploader_get_user_agent       (PwUploader           *self);

void             pw_uploader_upload_async         (PwUploader           *self,
                                                   const char           *payload_id,
                                                   GBytes               *json,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
PwUploadResult  *pw_uploader_upload_finish        (PwUploader           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

gboolean         pw_uploader_error_is_retryable   (const GError         *error);
guint            pw_uploader_backoff_delay        (guint                 attempt,
                                                   GRand                *rand_or_null);

G_END_DECLS
