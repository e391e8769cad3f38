/* pw-test-fake-agent.c: an SNMP agent that answers the way broken and hostile agents do.
 *
 * SNMPv1 and v2c over BER, just enough to answer GET, GETNEXT and GETBULK,
 * on a GSocket served by the thread-default main context: the test's main
 * loop runs it while it waits for the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-fake-agent.h"
#include "pw-test-snmp.h"

#include <stdlib.h>

/* Reads one TLV at *p; returns its content and moves *p past it. */
static const guint8 *
ber_read (const guint8 **p,
          const guint8  *end,
          guint8        *tag,
          gsize         *len)
{
  const guint8 *content;

  g_assert_cmpint (end - *p, >=, 2);
  *tag = (*p)[0];
  *len = (*p)[1];
  content = *p + 2;
  if (*len & 0x80)
    {
      guint n = *len & 0x7f;

      g_assert_cmpuint (n, <=, 2);
      *len = 0;
      for (guint i = 0; i < n; i++)
        *len = (*len << 8) | content[i];
      content += n;
    }
  g_assert_cmpint (end - content, >=, (gssize) *len);
  *p = content + *len;
  return content;
}

static gint64
ber_integer (const guint8 *content,
             gsize         len)
{
  gint64 value = (len > 0 && (content[0] & 0x80)) ? -1 : 0;

  for (gsize i = 0; i < len; i++)
    value = (value << 8) | content[i];
  return value;
}

static void
ber_append (GByteArray   *out,
            guint8        tag,
            const guint8 *content,
            gsize         len)
{
  guint8 header[4] = { tag, 0, 0, 0 };
  guint n = 2;

  if (len < 0x80)
    header[1] = (guint8) len;
  else
    {
      header[1] = 0x82;
      header[2] = (guint8) (len >> 8);
      header[3] = (guint8) len;
      n = 4;
    }
  g_byte_array_append (out, header, n);
  g_byte_array_append (out, content, len);
}

static void
ber_append_integer (GByteArray *out,
                    gint64      value)
{
  guint8 bytes[8];
  guint n = 8;

  for (guint i = 0; i < 8; i++)
    bytes[7 - i] = (guint8) (value >> (8 * i));
  /* Minimal two's complement: drop leading bytes that only repeat the sign. */
  while (n > 1 && ((bytes[8 - n] == 0 && !(bytes[9 - n] & 0x80)) ||
                   (bytes[8 - n] == 0xff && (bytes[9 - n] & 0x80))))
    n--;
  ber_append (out, 0x02, bytes + 8 - n, n);
}

static void
ber_append_oid (GByteArray *out,
                const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ".", -1);
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint8 first = (guint8) (atoi (parts[0]) * 40 + atoi (parts[1]));

  g_byte_array_append (content, &first, 1);
  for (guint i = 2; parts[i] != NULL; i++)
    {
      guint64 value = g_ascii_strtoull (parts[i], NULL, 10);
      guint8 bytes[10];
      guint n = 0;

      do
        {
          bytes[9 - n] = (guint8) ((value & 0x7f) | (n > 0 ? 0x80 : 0));
          value >>= 7;
          n++;
        }
      while (value > 0);
      g_byte_array_append (content, bytes + 10 - n, n);
    }
  ber_append (out, 0x06, content->data, content->len);
}

static GByteArray *
build_answer (PwTestFakeAgent *fake,
              const guint8    *packet,
              gsize            len)
{
  const guint8 *p = packet, *end = packet + len, *message, *pdu, *field, *asked;
  g_autoptr(GByteArray) varbinds = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize message_len, pdu_len, field_len, asked_len;
  gint64 version, reqid;
  guint8 tag;
  g_autofree char *oid = g_strdup_printf ("%s.5", fake->root);

  message = ber_read (&p, end, &tag, &message_len);
  p = message;
  end = message + message_len;
  field = ber_read (&p, end, &tag, &field_len);
  version = ber_integer (field, field_len);
  field = ber_read (&p, end, &tag, &field_len);  /* community */
  ber_append_integer (body, version);
  ber_append (body, 0x04, field, field_len);
  pdu = ber_read (&p, end, &tag, &pdu_len);
  p = pdu;
  field = ber_read (&p, pdu + pdu_len, &tag, &field_len);
  reqid = ber_integer (field, field_len);
  ber_read (&p, pdu + pdu_len, &tag, &field_len);  /* error-status, non-repeaters */
  ber_read (&p, pdu + pdu_len, &tag, &field_len);  /* error-index, max-repetitions */
  field = ber_read (&p, pdu + pdu_len, &tag, &field_len);  /* the varbind list */
  p = field;
  field = ber_read (&p, p + field_len, &tag, &field_len);  /* the first varbind */
  p = field;
  asked = ber_read (&p, field + field_len, &tag, &asked_len);

  {
    g_autoptr(GByteArray) varbind = g_byte_array_new ();

    if (fake->mode == PW_TEST_FAKE_EXTRA_VARBIND)
      ber_append (varbind, 0x06, asked, asked_len);
    else
      ber_append_oid (varbind, fake->mode == PW_TEST_FAKE_OTHER_OID ? "1.3.6.1.2.1.1.5.0" : oid);
    ber_append_integer (varbind, 42);
    ber_append (varbinds, 0x30, varbind->data, varbind->len);
    if (fake->mode == PW_TEST_FAKE_EXTRA_VARBIND)
      ber_append (varbinds, 0x30, varbind->data, varbind->len);
  }
  {
    g_autoptr(GByteArray) response = g_byte_array_new ();

    ber_append_integer (response, reqid);
    ber_append_integer (response, fake->mode == PW_TEST_FAKE_GEN_ERR ? 5 : 0);
    ber_append_integer (response, fake->mode == PW_TEST_FAKE_GEN_ERR ? 1 : 0);
    ber_append (response, 0x30, varbinds->data, varbinds->len);
    ber_append (body, 0xa2, response->data, response->len);
  }
  ber_append (out, 0x30, body->data, body->len);
  return g_steal_pointer (&out);
}

/* ---- the slow relay ---- */

typedef struct {
  PwTestFakeAgent *fake;
  GSocketAddress  *client;    /* owned */
  GSocket         *socket;    /* owned: towards the real agent */
  GSource         *source;    /* owned */
} Peer;

typedef struct {
  PwTestFakeAgent *fake;
  GSocketAddress  *client;    /* owned */
  GBytes          *answer;    /* owned */
  GSource         *source;    /* borrowed: fake->held has it */
} Held;

static void
peer_free (Peer *peer)
{
  g_source_destroy (peer->source);
  g_source_unref (peer->source);
  g_object_unref (peer->socket);
  g_object_unref (peer->client);
  g_free (peer);
}

static void
held_free (Held *held)
{
  g_object_unref (held->client);
  g_bytes_unref (held->answer);
  g_free (held);
}

static void
held_source_drop (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
release_cb (gpointer user_data)
{
  Held *held = user_data;
  PwTestFakeAgent *fake = held->fake;
  gsize len = 0;
  const char *data = g_bytes_get_data (held->answer, &len);

  g_socket_send_to (fake->socket, held->client, data, len, NULL, NULL);
  g_ptr_array_remove_fast (fake->held, held->source);  /* destroys the source, then held */
  return G_SOURCE_REMOVE;
}

static gboolean
upstream_readable (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  Peer *peer = user_data;
  Held *held;
  char packet[65536];
  gssize len = g_socket_receive (socket, packet, sizeof packet, NULL, NULL);

  if (len <= 0)
    return G_SOURCE_CONTINUE;
  held = g_new0 (Held, 1);
  held->fake = peer->fake;
  held->client = g_object_ref (peer->client);
  held->answer = g_bytes_new (packet, (gsize) len);
  held->source = g_timeout_source_new (peer->fake->delay_ms);
  g_source_set_callback (held->source, release_cb, held, (GDestroyNotify) held_free);
  g_source_attach (held->source, NULL);
  g_ptr_array_add (peer->fake->held, held->source);
  return G_SOURCE_CONTINUE;
}

static Peer *
peer_for (PwTestFakeAgent *fake,
          GSocketAddress  *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) any = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (any, 0);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (client)));
  g_autofree char *key = g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (client)));
  Peer *peer = g_hash_table_lookup (fake->peers, key);

  if (peer != NULL)
    return peer;
  peer = g_new0 (Peer, 1);
  peer->fake = fake;
  peer->client = g_object_ref (client);
  peer->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (peer->socket, local, FALSE, &error);
  g_assert_no_error (error);
  g_socket_connect (peer->socket, fake->upstream, NULL, &error);
  g_assert_no_error (error);
  peer->source = g_socket_create_source (peer->socket, G_IO_IN, NULL);
  g_source_set_callback (peer->source, G_SOURCE_FUNC (upstream_readable), peer, NULL);
  g_source_attach (peer->source, NULL);
  g_hash_table_insert (fake->peers, g_steal_pointer (&key), peer);
  return peer;
}

static gboolean
readable (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  PwTestFakeAgent *fake = user_data;
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GByteArray) answer = NULL;
  guint8 packet[4096];
  gssize len = g_socket_receive_from (socket, &from, (char *) packet, sizeof packet, NULL, NULL);

  if (len <= 0)
    return G_SOURCE_CONTINUE;
  fake->requests++;
  if (fake->mode == PW_TEST_FAKE_SLOW)
    {
      g_socket_send (peer_for (fake, from)->socket, (const char *) packet, (gsize) len, NULL, NULL);
      return G_SOURCE_CONTINUE;
    }
  if (fake->mode == PW_TEST_FAKE_GARBAGE)
    {
      static const char junk[] = "\x30\x7f not an SNMP message";

      g_socket_send_to (socket, from, junk, sizeof junk - 1, NULL, NULL);
      return G_SOURCE_CONTINUE;
    }
  answer = build_answer (fake, packet, (gsize) len);
  /* Truncated: the outer length promises more than the datagram holds. */
  g_socket_send_to (socket, from, (const char *) answer->data,
                    fake->mode == PW_TEST_FAKE_TRUNCATED ? answer->len / 2 : answer->len, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

/* @answering: FALSE for a silent agent: bound, never reading, never answering. */
PwTestFakeAgent *
pw_test_fake_agent_new (const char     *address,
                        PwTestFakeMode  mode,
                        const char     *root,
                        gboolean        answering)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) bound = NULL;
  PwTestFakeAgent *fake = g_new0 (PwTestFakeAgent, 1);

  fake->mode = mode;
  fake->root = g_strdup (root);
  fake->port = pw_test_free_udp_port (address);
  fake->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  bound = g_inet_socket_address_new (inet, fake->port);
  g_socket_bind (fake->socket, bound, FALSE, &error);
  g_assert_no_error (error);
  if (answering)
    {
      fake->source = g_socket_create_source (fake->socket, G_IO_IN, NULL);
      g_source_set_callback (fake->source, G_SOURCE_FUNC (readable), fake, NULL);
      g_source_attach (fake->source, NULL);
    }
  return fake;
}

PwTestFakeAgent *
pw_test_slow_agent_new (const char *address,
                        const char *upstream_address,
                        guint16     upstream_port,
                        guint       delay_ms)
{
  PwTestFakeAgent *fake = pw_test_fake_agent_new (address, PW_TEST_FAKE_SLOW, "1.3", TRUE);
  g_autoptr(GInetAddress) upstream = g_inet_address_new_from_string (upstream_address);

  g_assert_nonnull (upstream);
  fake->upstream = g_inet_socket_address_new (upstream, upstream_port);
  fake->delay_ms = delay_ms;
  fake->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) peer_free);
  fake->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_source_drop);
  return fake;
}

void
pw_test_fake_agent_free (PwTestFakeAgent *fake)
{
  g_clear_pointer (&fake->held, g_ptr_array_unref);
  g_clear_pointer (&fake->peers, g_hash_table_unref);
  g_clear_object (&fake->upstream);
  if (fake->source != NULL)
    {
      g_source_destroy (fake->source);
      g_source_unref (fake->source);
    }
  g_object_unref (fake->socket);
  g_free (fake->root);
  g_free (fake);
}

