/* pw-notifier-mail.c: the e-mail itself, as it goes to the server.
 *
 * One message (RFC 5322) in MIME (RFC 2045, 2046): multipart/alternative
 * with the same words as text/plain and text/html, both UTF-8 in
 * quoted-printable, so every line stays short and 7-bit whatever the
 * language. The subject is an RFC 2047 encoded-word whenever it is not
 * plain short ASCII.
 *
 * What a printer says ends up in the subject and the body. It is made safe
 * before it gets there: control characters, CR and LF among them, become
 * spaces or U+FFFD, so nothing can end a header line and start a header of
 * its own (a Bcc: in a sysName); and all of it is escaped in the HTML. The
 * headers carry only our own ASCII, addresses checked by
 * pw_smtp_address_is_valid (), and encoded words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-notifier"

#include "config.h"

#include "pw-notifier-private.h"
#include "pw-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* RFC 2045 6.7: encoded lines of at most 76 characters. */
#define QP_LINE_MAX 76
/* RFC 2047 2: an encoded-word is at most 75 characters; "=?UTF-8?B?" and
 * "?=" leave 63, so 45 bytes of text (60 base64 characters) go in each. */
#define WORD_BYTES 45

enum {
  OPEN_NONE,
  OPEN_TABLE,
  OPEN_LIST,
};

static char *
safe (const char *text)
{
  return pw_text_sanitize (text, -1, PW_TEXT_MAX_CHARS);
}

static void
append_html_escaped (GString    *html,
                     const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '&':
        g_string_append (html, "&amp;");
        break;
      case '<':
        g_string_append (html, "&lt;");
        break;
      case '>':
        g_string_append (html, "&gt;");
        break;
      case '"':
        g_string_append (html, "&quot;");
        break;
      case '\'':
        g_string_append (html, "&#39;");
        break;
      default:
        g_string_append_c (html, *p);
      }
}

/**
 * _pw_mail_body_new:
 * @subject: the subject, any text: it is made one safe line
 */
PwMailBody *
_pw_mail_body_new (const char *subject)
{
  PwMailBody *body = g_new0 (PwMailBody, 1);

  body->subject = safe (subject);
  body->text = g_string_new (NULL);
  body->html = g_string_new ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>");
  append_html_escaped (body->html, body->subject);
  g_string_append (body->html, "</title>\n</head>\n<body style=\"font-family: sans-serif\">\n");
  return body;
}

void
_pw_mail_body_free (PwMailBody *body)
{
  if (body == NULL)
    return;
  g_free (body->subject);
  g_string_free (body->text, TRUE);
  g_string_free (body->html, TRUE);
  g_free (body);
}

static void
close_open (PwMailBody *body)
{
  if (body->open == OPEN_TABLE)
    g_string_append (body->html, "</table>\n");
  else if (body->open == OPEN_LIST)
    g_string_append (body->html, "</ul>\n");
  if (body->open != OPEN_NONE)
    g_string_append_c (body->text, '\n');
  body->open = OPEN_NONE;
}

void
_pw_mail_body_heading (PwMailBody *body,
                       const char *text)
{
  g_autofree char *line = safe (text);

  close_open (body);
  g_string_append_printf (body->text, "%s\n\n", line);
  g_string_append (body->html, "<h2>");
  append_html_escaped (body->html, line);
  g_string_append (body->html, "</h2>\n");
}

void
_pw_mail_body_paragraph (PwMailBody *body,
                         const char *text)
{
  g_autofree char *line = safe (text);

  close_open (body);
  g_string_append_printf (body->text, "%s\n\n", line);
  g_string_append (body->html, "<p>");
  append_html_escaped (body->html, line);
  g_string_append (body->html, "</p>\n");
}

/* A row of a two-column table: "Printer: Reception MFP". */
void
_pw_mail_body_field (PwMailBody *body,
                     const char *label,
                     const char *value)
{
  g_autofree char *name = safe (label);
  g_autofree char *text = safe (value != NULL && value[0] != '\0' ? value : "—");

  if (body->open != OPEN_TABLE)
    {
      close_open (body);
      g_string_append (body->html, "<table>\n");
      body->open = OPEN_TABLE;
    }
  /* TRANSLATORS: a label and its value in an e-mail's plain text, e.g. "Location: 2nd floor" */
  g_string_append_printf (body->text, C_("mail field", "%s: %s"), name, text);
  g_string_append_c (body->text, '\n');
  g_string_append (body->html, "<tr><th style=\"text-align: left; padding-right: 1em\">");
  append_html_escaped (body->html, name);
  g_string_append (body->html, "</th><td>");
  append_html_escaped (body->html, text);
  g_string_append (body->html, "</td></tr>\n");
}

/* An item of a bulleted list. */
void
_pw_mail_body_item (PwMailBody *body,
                    const char *text)
{
  g_autofree char *line = safe (text);

  if (body->open != OPEN_LIST)
    {
      close_open (body);
      g_string_append (body->html, "<ul>\n");
      body->open = OPEN_LIST;
    }
  g_string_append_printf (body->text, "- %s\n", line);
  g_string_append (body->html, "<li>");
  append_html_escaped (body->html, line);
  g_string_append (body->html, "</li>\n");
}

/* The signature separator: "-- " (RFC 3676 4.3) and a rule. */
void
_pw_mail_body_rule (PwMailBody *body)
{
  close_open (body);
  g_string_append (body->text, "-- \n");
  g_string_append (body->html, "<hr>\n");
}

/* ---- MIME ---- */

/* RFC 2045 6.7, with each line of @text ending in CRLF. Besides what the
 * RFC asks, a "." or "From " starting a line is encoded, so neither SMTP
 * (RFC 5321 4.5.2) nor an mbox can take it for something else. */
static void
append_quoted_printable (GString    *out,
                         const char *text)
{
  gsize line = 0;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      gboolean line_end = p[1] == '\0' || p[1] == '\n';
      char token[4];

      if (*p == '\n')
        {
          g_string_append (out, "\r\n");
          line = 0;
          continue;
        }
      if (*p == '\r')
        continue;
      if ((*p >= 33 && *p <= 126 && *p != '=' && !(line == 0 && *p == '.') &&
           !(line == 0 && strncmp ((const char *) p, "From ", 5) == 0)) ||
          ((*p == ' ' || *p == '\t') && !line_end))
        {
          token[0] = (char) *p;
          token[1] = '\0';
        }
      else
        g_snprintf (token, sizeof token, "=%02X", *p);
      /* A soft line break ("=" at the end) keeps room for itself. */
      if (line + strlen (token) > QP_LINE_MAX - 1 && !(line_end && line + strlen (token) <= QP_LINE_MAX))
        {
          g_string_append (out, "=\r\n");
          line = 0;
        }
      g_string_append (out, token);
      line += strlen (token);
    }
  if (line > 0)
    g_string_append (out, "\r\n");
}

static gboolean
is_plain_header_text (const char *text)
{
  if (strlen (text) > 60 || strstr (text, "=?") != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
      return FALSE;
  return TRUE;
}

/* "Subject: …" as encoded-words (RFC 2047), cut between characters and
 * folded onto lines of their own. */
static void
append_subject (GString    *out,
                const char *subject)
{
  const char *p = subject;

  g_string_append (out, "Subject:");
  if (is_plain_header_text (subject))
    {
      g_string_append_printf (out, " %s\r\n", subject);
      return;
    }
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *word = NULL;

      while (*end != '\0' && (gsize) (g_utf8_next_char (end) - p) <= WORD_BYTES)
        end = g_utf8_next_char (end);
      if (end == p)  /* cannot happen for valid UTF-8: a character is at most 4 bytes */
        end = g_utf8_next_char (p);
      word = g_base64_encode ((const guchar *) p, end - p);
      g_string_append_printf (out, "%s=?UTF-8?B?%s?=", p == subject ? " " : "\r\n ", word);
      p = end;
    }
  g_string_append (out, "\r\n");
}

/* RFC 5322 3.3, with English names whatever the locale. */
static char *
format_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  gint64 offset = g_date_time_get_utc_offset (date) / G_USEC_PER_SEC / 60;
  gint64 magnitude = ABS (offset);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1], g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1], g_date_time_get_year (date),
                          g_date_time_get_hour (date), g_date_time_get_minute (date),
                          g_date_time_get_second (date), offset < 0 ? '-' : '+',
                          (int) (magnitude / 60), (int) (magnitude % 60));
}

static void
append_part (GString    *out,
             const char *boundary,
             const char *type,
             const char *content)
{
  g_string_append_printf (out, "--%s\r\n", boundary);
  g_string_append_printf (out, "Content-Type: %s; charset=UTF-8\r\n", type);
  g_string_append (out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
  append_quoted_printable (out, content);
}

/**
 * _pw_mail_build:
 * @from: the sender, checked by pw_smtp_address_is_valid ()
 * @to: (array zero-terminated=1): the recipients, checked alike
 * @date: when it was written
 *
 * Returns: (transfer full): the whole message, CRLF line ends, 7-bit
 */
GBytes *
_pw_mail_build (PwMailBody          *body,
                const char          *from,
                const char * const  *to,
                GDateTime           *date)
{
  GString *out = g_string_new (NULL);
  g_autofree char *when = format_date (date);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = NULL;
  g_autofree char *html = NULL;
  const char *domain = strchr (from, '@');

  g_return_val_if_fail (domain != NULL && to != NULL && to[0] != NULL, NULL);

  close_open (body);
  boundary = g_strdup_printf ("=_printwatch_%s", uuid);
  g_strdelimit (boundary, "-", '_');
  g_string_append_printf (out, "From: Printwatch <%s>\r\n", from);
  g_string_append (out, "To: ");
  for (guint i = 0; to[i] != NULL; i++)
    g_string_append_printf (out, "%s<%s>", i == 0 ? "" : ",\r\n ", to[i]);
  g_string_append (out, "\r\n");
  append_subject (out, body->subject);
  g_string_append_printf (out, "Date: %s\r\n", when);
  g_string_append_printf (out, "Message-ID: <%s@%s>\r\n", uuid, domain + 1);
  g_string_append (out, "MIME-Version: 1.0\r\n");
  /* RFC 3834: no vacation replies to a robot. */
  g_string_append (out, "Auto-Submitted: auto-generated\r\n");
  g_string_append (out, "X-Mailer: Printwatch " PACKAGE_VERSION "\r\n");
  g_string_append_printf (out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", boundary);
  g_string_append (out, "This is a message in MIME format.\r\n");
  append_part (out, boundary, "text/plain", body->text->str);
  html = g_strconcat (body->html->str, "</body>\n</html>\n", NULL);
  append_part (out, boundary, "text/html", html);
  g_string_append_printf (out, "--%s--\r\n", boundary);
  return g_string_free_to_bytes (out);
}
