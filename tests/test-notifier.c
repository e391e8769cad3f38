/* test-notifier.c: PwNotifier's rules and e-mails, through a real SMTP server on loopback.
 *
 * The store is filled the way polls fill it (snapshots of made-up printers at
 * 192.0.2.0/24, never contacted); the notifier sends to aiosmtpd
 * (servers/pw-test-smtp.py), and the tests read what arrived as Python's
 * e-mail parser sees it. Each rule sends one e-mail for a condition, none
 * while it holds, and one again only after it cleared and came back; the
 * e-mail is well-formed MIME, in the user's language, and nothing a printer
 * says can add a header or markup. Servers that refuse, stay silent or are
 * down: test-notifier-queue.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-notifier.h"
#include "pw-test-utils.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define HOUR 3600

typedef PwTestNotifier Fixture;

/* ---- the e-mail ---- */

static void
test_mail_content (Fixture       *fixture,
                   gconstpointer  data)
{
  PwTestReading low = { .taken_at = fixture->now, .cyan = 8 };
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *message;
  JsonArray *to;
  const char *text, *html;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  pw_test_add_reading (fixture, pw_test_add_printer (fixture, "192.0.2.10"), &low);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 1);
  message = messages->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==,
                   "Reception MFP: Cyan Toner Cartridge is low (8 %)");
  g_assert_cmpstr (json_object_get_string_member (message, "content_type"), ==, "multipart/alternative");
  g_assert_cmpstr (json_object_get_string_member (message, "from"), ==, "Printwatch <" PW_TEST_FROM ">");
  g_assert_nonnull (strstr (json_object_get_string_member (message, "to"), "admin@example.com"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "to"), "it@example.com"));
  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, PW_TEST_FROM);
  to = json_object_get_array_member (message, "rcpt_tos");
  g_assert_cmpuint (json_array_get_length (to), ==, 2);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (message, "message_id"), "@example.com>"));
  g_assert_true (json_object_get_boolean_member (message, "date_ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "defects")), ==, 0);
  /* 7-bit, CRLF, short lines (RFC 5322 2.1.1): any server passes it on as it is. */
  g_assert_false (json_object_get_boolean_member (message, "eight_bit"));
  g_assert_false (json_object_get_boolean_member (message, "bare_lf"));
  g_assert_cmpint (json_object_get_int_member (message, "max_line_length"), <=, 78);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "parts")), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *part = json_array_get_object_element (json_object_get_array_member (message, "parts"), i);

      g_assert_cmpstr (json_object_get_string_member (part, "charset"), ==, "utf-8");
      g_assert_cmpstr (json_object_get_string_member (part, "encoding"), ==, "quoted-printable");
    }

  /* The printer, where it is, the condition, since when, what to do, who wrote it. */
  text = pw_test_part_text (message, "text/plain");
  html = pw_test_part_text (message, "text/html");
  for (guint i = 0; i < 2; i++)
    {
      const char *body = i == 0 ? text : html;

      g_assert_nonnull (strstr (body, "Reception MFP"));
      g_assert_nonnull (strstr (body, "192.0.2.10"));
      g_assert_nonnull (strstr (body, "2nd floor, copy room"));
      g_assert_nonnull (strstr (body, "Example ColorPrint 4500"));
      g_assert_nonnull (strstr (body, "EX4500-0042"));
      g_assert_nonnull (strstr (body, "is at 8 %, below the 10 %"));
      g_assert_nonnull (strstr (body, "Replace the toner cartridge"));
      g_assert_nonnull (strstr (body, "Printwatch " PACKAGE_VERSION " at " PW_TEST_SITE));
    }
  g_assert_nonnull (strstr (text, "Location: 2nd floor, copy room\n"));
  g_assert_nonnull (strstr (html, "<th style=\"text-align: left; padding-right: 1em\">Location</th>"));
}

/* ---- the rules ---- */

static void
test_supply (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 id;
  PwTestReading reading = { .taken_at = fixture->now - 4 * HOUR, .cyan = 9 };
  g_autoptr(GPtrArray) messages = NULL;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.11");
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);
  /* Still low, lower even: told already. */
  reading.taken_at += HOUR;
  reading.cyan = 5;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 0);
  /* "Some remaining" says nothing about a threshold: it clears, and does not warn. */
  reading.taken_at += HOUR;
  reading.cyan = -3;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  /* Replaced, then low again: a new condition. */
  pw_test_add_fine_reading (fixture, id, reading.taken_at + 60);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  reading.taken_at += HOUR;
  reading.cyan = 7;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[1], "subject"), ==,
                   "Reception MFP: Cyan Toner Cartridge is low (7 %)");
}

/* In error for longer than N minutes, by the snapshots' history. */
static void
test_error (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 id;
  PwTestReading jammed = { .taken_at = fixture->now - 5 * HOUR, .cyan = 60, .error_state = 1u << 5 };
  g_autoptr(GPtrArray) messages = NULL;
  const char *text;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.12");
  pw_test_add_reading (fixture, id, &jammed);
  /* Jammed, but only just: not yet. */
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  jammed.taken_at += HOUR;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);
  jammed.taken_at += HOUR / 2;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  /* Cleared, jammed again: a new hour to wait. */
  pw_test_add_fine_reading (fixture, id, jammed.taken_at + 60);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  jammed.taken_at += HOUR / 2;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  jammed.taken_at += HOUR;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);

  /* hrDeviceStatus down is an error of its own. */
  jammed.taken_at += 60;
  jammed.status = PW_DEVICE_STATUS_DOWN;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  jammed.taken_at += HOUR;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "subject"), ==,
                   "Reception MFP needs attention: Paper jam");
  text = pw_test_part_text (messages->pdata[0], "text/plain");
  g_assert_nonnull (strstr (text, "Clear the paper jam"));
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[2], "subject"), ==,
                   "Reception MFP needs attention: Down");
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  const char *text;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.13");
  pw_test_add_fine_reading (fixture, id, fixture->now - 2 * HOUR);
  g_assert_true (pw_store_mark_unreachable (fixture->store, id, "No answer from 192.0.2.13 within 5 s", &error));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  /* It answered; then silent again, for long enough. */
  pw_test_add_fine_reading (fixture, id, fixture->now - 100 * 60);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  g_assert_true (pw_store_mark_unreachable (fixture->store, id, "No answer from 192.0.2.13 within 5 s", &error));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);
  /* Answered just now, silent since: too soon to tell. */
  pw_test_add_fine_reading (fixture, id, fixture->now);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  g_assert_true (pw_store_mark_unreachable (fixture->store, id, "No answer", &error));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (messages->pdata[0], "subject"),
                                   "Reception MFP has not answered since "));
  text = pw_test_part_text (messages->pdata[0], "text/plain");
  g_assert_nonnull (strstr (text, "No answer from 192.0.2.13 within 5 s"));
  g_assert_nonnull (strstr (text, "switched on and connected to the network"));
}

static void
test_critical_alert (Fixture       *fixture,
                     gconstpointer  data)
{
  gint64 id;
  PwTestReading reading = { .taken_at = fixture->now - 3 * HOUR, .cyan = 60, .warning = TRUE };
  g_autoptr(GPtrArray) messages = NULL;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.14");
  /* A warning is no reason to write. */
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  reading.taken_at += 60;
  reading.critical = TRUE;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);
  reading.taken_at += 60;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  reading.taken_at += 60;
  reading.critical = FALSE;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 0);
  reading.taken_at += 60;
  reading.critical = TRUE;
  pw_test_add_reading (fixture, id, &reading);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (messages->pdata[0], "subject"), "Paper jam"));
  g_assert_nonnull (strstr (pw_test_part_text (messages->pdata[0], "text/plain"), "Clear the paper jam"));
}

static void
test_transmission (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = NULL;
  const char *text;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_TRANSMISSION), ==, 0);
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_ERROR,
                                     "Cannot reach the collection server: connection refused", NULL));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_TRANSMISSION), ==, 1);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_TRANSMISSION), ==, 0);
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_ERROR, NULL, NULL));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_TRANSMISSION), ==, 0);
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_ERROR, "The server answered 503", NULL));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_TRANSMISSION), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "subject"), ==,
                   "The transmission to the collection server failed");
  text = pw_test_part_text (messages->pdata[0], "text/plain");
  g_assert_nonnull (strstr (text, "connection refused"));
  g_assert_nonnull (strstr (text, "Nothing is lost"));
}

static void
test_digest (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *slot = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->now - 120);
  g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->now - 60);
  g_autofree char *stale = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->now - 25 * HOUR);
  PwTestReading low = { .taken_at = fixture->now - 300, .cyan = 4 };
  g_autoptr(GPtrArray) messages = NULL;
  const char *text;
  gint64 id;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.15");
  pw_test_add_reading (fixture, id, &low);
  pw_test_add_fine_reading (fixture, pw_test_add_printer (fixture, "192.0.2.16"), fixture->now - 300);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);
  /* No daily transmission yet, or one from yesterday: no digest. */
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DIGEST), ==, 0);
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_SLOT, stale, NULL));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DIGEST), ==, 0);
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_SLOT, slot, NULL));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DIGEST), ==, 1);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 0);
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_SLOT, next, NULL));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DIGEST), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (messages->pdata[1], "subject"),
                                   "Printwatch daily report for " PW_TEST_SITE ", "));
  text = pw_test_part_text (messages->pdata[1], "text/plain");
  g_assert_nonnull (strstr (text, "Printers: 2\n"));
  g_assert_nonnull (strstr (text, "Needing attention: 1\n"));
  g_assert_nonnull (strstr (text, "- Reception MFP (192.0.2.15, 2nd floor, copy room): Cyan Toner Cartridge 4 %\n"));
  g_assert_nonnull (strstr (text, "- Reception MFP (192.0.2.16, 2nd floor, copy room): fine\n"));
}

/* Rules switched off send nothing, and e-mail not set up does nothing at all. */
static void
test_rules_off (Fixture       *fixture,
                gconstpointer  data)
{
  PwNotifierRules off = { 0 };
  PwTestReading bad = { .taken_at = fixture->now - 2 * HOUR, .cyan = 1, .error_state = 1u << 4, .critical = TRUE };
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  gint64 id;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.17");
  pw_test_add_reading (fixture, id, &bad);
  bad.taken_at = fixture->now;
  pw_test_add_reading (fixture, id, &bad);
  g_assert_true (pw_store_mark_unreachable (fixture->store, id, "No answer", NULL));
  g_assert_true (pw_store_set_state (fixture->store, PW_AGENT_KEY_LAST_ERROR, "Refused", NULL));
  pw_notifier_set_rules (fixture->notifier, &off);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 0);

  pw_notifier_set_server (fixture->notifier, NULL, 25, PW_SMTP_SECURITY_NONE);
  g_assert_false (pw_notifier_get_enabled (fixture->notifier));
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 0);
  open = pw_store_notifications_list (fixture->store, TRUE, NULL);
  g_assert_cmpuint (open->len, ==, 0);
  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 0);
}

/* What a printer says cannot add a header, or markup. */
static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  static const char * const expected[] = {
    "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Auto-Submitted", "X-Mailer", "Content-Type",
  };
  PwTestReading hostile = {
    .taken_at = fixture->now, .cyan = 3,
    .sys_name = "Evil\r\nBcc: victim@example.net\r\nX-Injected: yes\r\n\r\n<b>body</b>",
    .location = "<script>alert(1)</script>\nSubject: owned\r\n.\r\nQUIT",
  };
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *message;
  JsonArray *names, *to;
  const char *html;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  pw_test_add_reading (fixture, pw_test_add_printer (fixture, "192.0.2.18"), &hostile);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 1);
  message = messages->pdata[0];
  names = json_object_get_array_member (message, "header_names");
  g_assert_cmpuint (json_array_get_length (names), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (json_array_get_string_element (names, i), ==, expected[i]);
  to = json_object_get_array_member (message, "rcpt_tos");
  g_assert_cmpuint (json_array_get_length (to), ==, 2);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "subject"), "Evil"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "subject"), "Bcc: victim@example.net"));
  pw_test_assert_safe_text (json_object_get_string_member (message, "subject"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "defects")), ==, 0);
  html = pw_test_part_text (message, "text/html");
  g_assert_null (strstr (html, "<script>"));
  g_assert_null (strstr (html, "<b>body"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  g_assert_nonnull (strstr (pw_test_part_text (message, "text/plain"), "<script>alert(1)</script> Subject: owned"));
}

/* The words go through the catalog: under LANGUAGE=de, the MIB's labels in the e-mail are German. */
static void
test_german (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  PwTestReading jammed = { .taken_at = fixture->now - 2 * HOUR, .cyan = 60, .error_state = 1u << 5 };
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *subject = NULL;
  gint64 id;

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no compiled German catalog in the build");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_setenv ("LANGUAGE", "de", TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("LANGUAGE");
      g_test_trap_assert_passed ();
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  id = pw_test_add_printer (fixture, "192.0.2.19");
  pw_test_add_reading (fixture, id, &jammed);
  jammed.taken_at = fixture->now;
  pw_test_add_reading (fixture, id, &jammed);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_DEVICES), ==, 1);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 1);
  /* The subject is encoded (RFC 2047) and arrives whole, non-ASCII or not; its words are the
   * catalog's (the sentence around the label is German once po/de.po has it). */
  subject = g_strdup_printf (_("%s needs attention: %s"), "Reception MFP", "Papierstau");
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "subject"), ==, subject);
  g_assert_nonnull (strstr (pw_test_part_text (messages->pdata[0], "text/plain"), "Standort"));
  g_assert_nonnull (strstr (pw_test_part_text (messages->pdata[0], "text/plain"), "Seriennummer"));
  g_assert_nonnull (strstr (pw_test_part_text (messages->pdata[0], "text/html"), "Papierstau"));
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No session bus: the keyring is absent, as on a headless server. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, pw_test_notifier_setup, func, pw_test_notifier_teardown)
  ADD ("/notifier/mail/content", test_mail_content);
  ADD ("/notifier/mail/hostile", test_hostile);
  ADD ("/notifier/mail/german", test_german);
  ADD ("/notifier/rules/supply", test_supply);
  ADD ("/notifier/rules/error", test_error);
  ADD ("/notifier/rules/unreachable", test_unreachable);
  ADD ("/notifier/rules/critical-alert", test_critical_alert);
  ADD ("/notifier/rules/transmission", test_transmission);
  ADD ("/notifier/rules/digest", test_digest);
  ADD ("/notifier/rules/off", test_rules_off);
#undef ADD

  return g_test_run ();
}
