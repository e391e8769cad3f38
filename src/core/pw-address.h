/* pw-address.h: one printer address (IP or host name, and port), validated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The SNMP agent port (RFC 3417). */
#define PW_SNMP_DEFAULT_PORT 161

#define PW_ADDRESS_ERROR (pw_address_error_quark ())
typedef enum {
  PW_ADDRESS_ERROR_INVALID_HOST,  /* neither an IP address nor a host name */
  PW_ADDRESS_ERROR_INVALID_PORT,  /* not a number from 1 to 65535 */
} PwAddressError;

typedef enum {
  PW_ADDRESS_IPV4,
  PW_ADDRESS_IPV6,
  PW_ADDRESS_HOSTNAME,
} PwAddressKind;

typedef struct {
  char          *host;  /* canonical: IP in standard notation, host name in lower-case ASCII */
  guint16        port;
  PwAddressKind  kind;
} PwAddress;

#define PW_TYPE_ADDRESS (pw_address_get_type ())

GType      pw_address_get_type    (void) G_GNUC_CONST;
GQuark     pw_address_error_quark (void);
PwAddress *pw_address_parse       (const char       *text,
                                   guint16           default_port,
                                   GError          **error);
PwAddress *pw_address_new_host    (const char       *host,
                                   guint16           port,
                                   GError          **error);
gboolean   pw_address_parse_port  (const char       *text,
                                   guint16          *port,
                                   GError          **error);
char      *pw_address_format      (const char       *host,
                                   guint16           port);
char      *pw_address_to_string   (const PwAddress  *address);
PwAddress *pw_address_copy        (const PwAddress  *address);
void       pw_address_free        (PwAddress        *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAddress, pw_address_free)

G_END_DECLS
