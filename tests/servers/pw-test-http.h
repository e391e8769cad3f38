/* pw-test-http.h: small HTTP servers inside the test process, plain HTTP on 127.0.0.1 with
 * port 0, run by the test's main context: one that answers what the test sets and records
 * the request, one that accepts connections and never answers, and a port nobody serves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  SoupServer         *server;        /* owned */
  GSocketService     *service;       /* owned: accepts for the server */
  guint16             port;
  guint               status;        /* the answer, as set by the test */
  const char         *content_type;  /* nullable */
  const char         *body;          /* nullable */
  const char         *location;      /* nullable: a Location header */
  guint               requests;      /* how many it got */
  SoupMessageHeaders *last_headers;  /* owned, nullable: the last request's */
  GBytes             *last_body;     /* owned, nullable */
  char               *last_uri;      /* owned, nullable: as the request named it */
} PwTestFake;

PwTestFake *pw_test_fake_start   (guint        status,
                                  const char  *content_type,
                                  const char  *body);
void        pw_test_fake_free    (PwTestFake  *fake);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestFake, pw_test_fake_free)

typedef struct {
  GSocketService *service;           /* owned */
  GPtrArray      *connections;       /* owned: held open, never answered */
  guint16         port;
  GCancellable   *cancel_on_accept;  /* borrowed, nullable: cancelled at each connection */
} PwTestSilent;

PwTestSilent *pw_test_silent_start (void);
void          pw_test_silent_free  (PwTestSilent *silent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTestSilent, pw_test_silent_free)

guint16       pw_test_closed_port  (void);   /* bound on 127.0.0.1, then closed */

G_END_DECLS
