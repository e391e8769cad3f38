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
  if (fake->mode == PW_TEST_FAKE_GARBAGE)
    {
      static const char junk[] = "\x30\x7f not an SNMP message";

      g_socket_send_to (socket, from, junk, sizeof junk - 1, NULL, NULL);
      return G_SOURCE_CONTINUE;
    }
  answer = build_answer (fake, packet, (gsize) len);
  g_socket_send_to (socket, from, (const char *) answer->data, answer->len, NULL, NULL);
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

void
pw_test_fake_agent_free (PwTestFakeAgent *fake)
{
  if (fake->source != NULL)
    {
      g_source_destroy (fake->source);
      g_source_unref (fake->source);
    }
  g_object_unref (fake->socket);
  g_free (fake->root);
  g_free (fake);
}

