/* pw-background.h: keep running when the window is closed, and start with the session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the system allowed. */
typedef struct {
  gboolean background;  /* may keep running without a window */
  gboolean autostart;   /* starts with the session */
} PwBackgroundResult;

/* The command a session starts: the app without a window. */
#define PW_BACKGROUND_COMMAND "printwatch --gapplication-service"

void     pw_background_request_async  (gboolean              enable,
                                       const char           *reason,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean pw_background_request_finish (GAsyncResult         *result,
                                       PwBackgroundResult   *outcome,
                                       GError              **error);
char    *pw_background_autostart_path (void);

G_END_DECLS
