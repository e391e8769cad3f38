/* pw-target-spec.h: the addresses an admin asks to sweep for printers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A /16: more than an office has printers, few enough to sweep in minutes. */
#define PW_TARGET_SPEC_DEFAULT_MAX_ADDRESSES G_GUINT64_CONSTANT (65536)

#define PW_TARGET_SPEC_ERROR (pw_target_spec_error_quark ())
typedef enum {
  PW_TARGET_SPEC_ERROR_INVALID,      /* a token is no address, range, network or host name */
  PW_TARGET_SPEC_ERROR_UNSUPPORTED,  /* an IPv6 range or network: list the addresses */
  PW_TARGET_SPEC_ERROR_TOO_LARGE,    /* more addresses than the caller allowed */
  PW_TARGET_SPEC_ERROR_EMPTY,        /* nothing but separators */
} PwTargetSpecError;

#define PW_TYPE_TARGET_SPEC (pw_target_spec_get_type ())
G_DECLARE_FINAL_TYPE (PwTargetSpec, pw_target_spec, PW, TARGET_SPEC, GObject)

/* Lives on the stack; the spec must outlive it. */
typedef struct {
  /*< private >*/
  PwTargetSpec *spec;
  guint         index;     /* an IPv4 interval, then an IPv6 address or host name */
  guint32       next;      /* the next address in the current interval */
  char          host[256]; /* a host name is at most 253 characters and a root dot */
} PwTargetIter;

GQuark        pw_target_spec_error_quark     (void);
PwTargetSpec *pw_target_spec_parse           (const char          *text,
                                              guint16              default_port,
                                              guint64              max_addresses,
                                              GError             **error);
PwTargetSpec *pw_target_spec_parse_strv      (const char * const  *tokens,
                                              guint16              default_port,
                                              guint64              max_addresses,
                                              GError             **error);
guint64       pw_target_spec_get_count       (PwTargetSpec        *self);
guint         pw_target_spec_get_n_hostnames (PwTargetSpec        *self);

void          pw_target_spec_iter_init       (PwTargetIter        *iter,
                                              PwTargetSpec        *self);
gboolean      pw_target_iter_next            (PwTargetIter        *iter,
                                              const char         **host,
                                              guint16             *port);

G_END_DECLS
