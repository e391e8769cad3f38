/* fuzz-report.c: every report kind, CSV and HTML, of a store full of hostile text.
 *
 * The input is cut at NUL bytes. The first piece drives the numbers (how
 * many devices, levels, counts, separator and decimal mark); the others
 * are the texts a printer, an admin or the network could have put in the
 * store, used in turn: the site name, device names, every identity field,
 * counter names and units, supply descriptions and colorants, alert
 * descriptions, the reason a device did not answer, the sync log's events,
 * keys and messages. Each report must come out as tests/test-report.c
 * requires: valid UTF-8 without the control characters the cleaning
 * removes; CSV by RFC 4180 with as many cells in each row as in the header
 * and no cell a spreadsheet would run as a formula; HTML with only the
 * writer's own elements and attributes, and no script.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"

#include <sqlite3.h>
#include <string.h>

/* 2026-03-01T00:00:00Z; the period is the three days from it. */
#define T0 G_GINT64_CONSTANT (1772323200)
#define DAY 86400

typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;
  const guint8 *ctrl;       /* the first piece */
  gsize         ctrl_len;
  gsize         ctrl_pos;
} Input;

/* The next text, or NULL once the input is used up. */
static char *
next_text (Input *in)
{
  const guint8 *start, *nul;
  gsize left;

  if (in->pos >= in->len)
    return NULL;
  start = in->data + in->pos;
  left = in->len - in->pos;
  nul = memchr (start, '\0', left);
  in->pos += (nul != NULL ? (gsize) (nul - start) : left) + 1;
  return g_strndup ((const char *) start, nul != NULL ? (gsize) (nul - start) : left);
}

/* The next number from the first piece, read round and round. */
static guint
next_byte (Input *in)
{
  if (in->ctrl_len == 0)
    return 0;
  return in->ctrl[in->ctrl_pos++ % in->ctrl_len];
}

/* A level or capacity: RFC 3805's special values, or a number. */
static gint64
next_level (Input *in)
{
  guint b = next_byte (in);

  return b < 8 ? -(gint64) (b % 4) : (gint64) (b - 8);
}

static void
add_snapshot (PwStore *store,
              gint64   device,
              Input   *in,
              gint64   taken_at)
{
  g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (taken_at);
  g_autoptr(GError) error = NULL;
  guint n;

  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    {
      g_autofree char *text = next_text (in);

      pw_snapshot_set_identity (snapshot, f, text);
    }
  pw_snapshot_set_status (snapshot, next_byte (in) % (PW_DEVICE_STATUS_DOWN + 1),
                          next_byte (in) % (PW_PRINTER_STATUS_WARMUP + 1), next_byte (in) | (next_byte (in) << 8));
  n = next_byte (in) % 4;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = i == 0 ? g_strdup ("total") : next_text (in);
      g_autofree char *unit = next_text (in);

      if (name != NULL)
        pw_snapshot_add_counter (snapshot, name, (gint64) next_byte (in) * 1000 + next_byte (in), unit);
    }
  n = next_byte (in) % 4;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *description = next_text (in);
      g_autofree char *colour = next_text (in);
      PwSupply supply = { .index = (gint) i + 1, .description = description, .type = (gint) next_byte (in) % 40,
                          .supply_class = 3 + (gint) next_byte (in) % 2, .unit = 19,
                          .max_capacity = next_level (in), .level = next_level (in), .colour = colour };

      pw_snapshot_add_supply (snapshot, &supply);
    }
  n = next_byte (in) % 3;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *description = next_text (in);
      PwAlert alert = { .index = (gint) i + 1, .severity = (gint) next_byte (in) % 8,
                        .training = (gint) next_byte (in) % 8, .group = (gint) next_byte (in) % 20,
                        .group_index = 1, .code = (gint) next_byte (in) * 10, .description = description,
                        .time = next_byte (in) };

      pw_snapshot_add_alert (snapshot, &alert);
    }
  if (!pw_store_append_snapshot (store, device, snapshot, &error))
    g_error ("cannot store a snapshot: %s", error->message);
}

static gint64
add_device (PwStore *store,
            Input   *in,
            guint    number)
{
  g_autofree char *host = g_strdup_printf ("192.0.2.%u", number + 1);
  g_autofree char *name = next_text (in);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDevice) device = pw_store_add_device (store, host, PW_SNMP_DEFAULT_PORT, &error);
  gint64 id;
  guint flags = next_byte (in);

  if (device == NULL)
    g_error ("cannot add a device: %s", error->message);
  id = pw_device_get_id (device);
  pw_device_set_name (device, name);
  pw_device_set_in_scope (device, !(flags & 1));
  if (!pw_store_update_device (store, device, &error))
    g_error ("cannot update a device: %s", error->message);
  for (guint s = 0; s < 1 + flags / 2 % 3; s++)
    add_snapshot (store, id, in, T0 + s * DAY + next_byte (in) * 60);
  if (flags & 8)
    {
      g_autofree char *reason = next_text (in);

      if (!pw_store_mark_unreachable (store, id, reason != NULL ? reason : "", &error))
        g_error ("cannot mark a device unreachable: %s", error->message);
    }
  return id;
}

static void
add_sync_log (PwStore *store,
              Input   *in)
{
  guint n = next_byte (in) % 4;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *event = next_text (in);
      g_autofree char *key = next_text (in);
      g_autofree char *message = next_text (in);
      g_autoptr(GError) error = NULL;
      PwSyncLogEntry entry = { .at = T0 + DAY + i, .event = event != NULL ? event : (char *) "upload",
                               .ok = next_byte (in) & 1, .idempotency_key = key,
                               .http_status = (gint) next_byte (in) * 3, .message = message };

      if (!pw_store_sync_log_add (store, &entry, &error))
        g_error ("cannot add to the sync log: %s", error->message);
    }
}

/* ---- what a report must be ---- */

/* What the cleaning (pw-report.c) leaves out of any text. */
static gboolean
is_forbidden (gunichar c)
{
  return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f ||
         c == 0x061c || c == 0xfeff || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

static void
assert_clean_text (const char *text,
                   gsize       len,
                   const char *what)
{
  const char *end = text + len;

  pw_fuzz_assert_utf8 (text, (gssize) len, what);
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    if (is_forbidden (g_utf8_get_char (p)))
      g_error ("%s holds U+%04X at byte %" G_GSIZE_FORMAT, what, g_utf8_get_char (p), (gsize) (p - text));
}

/* -?[0-9]+([.,][0-9]+)? : a number, which no spreadsheet runs. */
static gboolean
is_number (const char *cell)
{
  const char *p = cell + (cell[0] == '-');
  gsize digits = strspn (p, "0123456789");

  if (digits == 0)
    return FALSE;
  p += digits;
  if (*p == '.' || *p == ',')
    {
      digits = strspn (++p, "0123456789");
      if (digits == 0)
        return FALSE;
      p += digits;
    }
  return *p == '\0';
}

/* RFC 4180 read back: the same width in every row; no cell a spreadsheet would run. */
static void
check_csv (const char *csv,
           gsize       len,
           char        separator)
{
  const char *p = csv, *end = csv + len;
  g_autoptr(GString) cell = g_string_new (NULL);
  guint width = 0, cells = 0, row = 0;

  if (len < 3 || memcmp (csv, "\xef\xbb\xbf", 3) != 0)
    g_error ("the CSV does not start with a byte order mark");
  assert_clean_text (csv + 3, len - 3, "the CSV");
  for (p += 3; p < end;)
    {
      g_string_truncate (cell, 0);
      if (*p == '"')
        {
          for (p++;; p++)
            {
              if (p >= end)
                g_error ("row %u: a quoted cell does not end", row);
              if (*p == '"' && p + 1 < end && p[1] == '"')
                g_string_append_c (cell, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (cell, *p);
            }
          p++;
        }
      else
        for (; p < end && *p != separator && *p != '\r' && *p != '\n' && *p != '"'; p++)
          g_string_append_c (cell, *p);

      if (cell->len > 0 && strchr ("=+-@\t\r", cell->str[0]) != NULL && !is_number (cell->str))
        g_error ("row %u, cell %u would run as a formula: “%s”", row, cells, cell->str);
      cells++;
      if (p < end && *p == separator)
        {
          p++;
          continue;
        }
      if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
        g_error ("row %u, cell %u: no separator or CRLF after it", row, cells);
      p += 2;
      if (row == 0)
        width = cells;
      else if (cells != width)
        g_error ("row %u has %u cells, the header %u", row, cells, width);
      row++;
      cells = 0;
    }
  if (row == 0)
    g_error ("the CSV has no header");
}

/* The elements and attributes pw-report-html.c and pw-report-chart.c write. */
static const char * const html_elements[] = {
  "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "main", "section",
  "table", "thead", "tbody", "tr", "th", "td", "p", "dl", "dt", "dd", "footer", "wbr", "figure",
  "figcaption", "svg", "rect", "text", "line", NULL,
};

static void
check_html (const char *html,
            gsize       len)
{
  g_autofree char *text = g_strndup (html, len);
  g_autofree char *folded = g_ascii_strdown (text, -1);
  const char *script;

  if (strlen (text) != len)
    g_error ("the HTML holds a NUL byte");
  assert_clean_text (text, len, "the HTML");
  /* (A "javascript:" in text is text: only an attribute could make it a link, see below.) */
  if ((script = strstr (folded, "<script")) != NULL)
    g_error ("the HTML holds a script at byte %" G_GSIZE_FORMAT, (gsize) (script - folded));

  for (const char *p = strchr (text, '<'); p != NULL; p = strchr (p, '<'))
    {
      gboolean closing = p[1] == '/';
      const char *name = p + 1 + closing;
      gsize n = strspn (name, "!ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
      g_autofree char *element = g_strndup (name, n);
      const char *q = name + n;

      if (!g_strv_contains (html_elements, element))
        g_error ("the HTML holds an element the writer never writes: <%s", element);
      /* Attributes: names, then a quoted value; whatever is in a value stays in it. */
      while (*q != '>')
        {
          gsize attr;

          q += strspn (q, " \n/");
          if (*q == '>')
            break;
          attr = strspn (q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:");
          if (attr == 0)
            g_error ("<%s: a stray “%c” among the attributes", element, *q);
          if (g_ascii_strncasecmp (q, "on", 2) == 0 || g_ascii_strncasecmp (q, "href", 4) == 0 ||
              g_ascii_strncasecmp (q, "src", 3) == 0)
            g_error ("<%s: an attribute the writer never writes: %.*s", element, (int) attr, q);
          q += attr;
          if (*q == '=')
            {
              const char *close;

              if (q[1] != '"' || (close = strchr (q + 2, '"')) == NULL)
                g_error ("<%s: an attribute value without quotes", element);
              if (memchr (q + 2, '<', (gsize) (close - q - 2)) != NULL)
                g_error ("<%s: a “<” in an attribute value", element);
              q = close + 1;
            }
        }
      p = q;
      /* The style sheet is ours: nothing of the store's goes into it. */
      if (g_str_equal (element, "style") && !closing && (p = strstr (q, "</style>")) == NULL)
        g_error ("the style element does not end");
    }
}

static void
write_reports (PwStore *store,
               Input   *in)
{
  g_autofree char *site = next_text (in);
  char separator = next_byte (in) & 1 ? ';' : ',';
  char decimal = next_byte (in) & 1 ? ',' : '.';

  for (guint kind = PW_REPORT_KIND_FLEET; kind <= PW_REPORT_KIND_SYNC_LOG; kind++)
    for (guint format = PW_REPORT_FORMAT_CSV; format <= PW_REPORT_FORMAT_HTML; format++)
      {
        g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
        g_autoptr(GError) error = NULL;
        PwReportOptions options;
        const char *data;
        gsize len;

        pw_report_options_init (&options);
        options.kind = kind;
        options.format = format;
        options.from = T0;
        options.to = T0 + 3 * DAY;
        options.separator = separator;
        options.decimal = decimal;
        options.site_name = site;
        options.generated_at = T0 + 3 * DAY;
        if (!pw_report_write (store, &options, out, NULL, &error))
          g_error ("the %s report failed: %s", pw_report_kind_get_label (kind), error->message);
        g_output_stream_close (out, NULL, NULL);
        data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
        len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
        if (format == PW_REPORT_FORMAT_CSV)
          check_csv (data, len, separator);
        else
          check_html (data, len);
      }
}

/* Back to an empty store for the next input: the devices (and with them
 * their history), and the sync log, which the store never deletes. */
static void
empty_store (PwStore *store,
             GArray  *ids)
{
  static sqlite3 *db;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < ids->len; i++)
    if (!pw_store_remove_device (store, g_array_index (ids, gint64, i), &error))
      g_error ("cannot remove a device: %s", error->message);
  if (db == NULL && sqlite3_open (pw_fuzz_get_store_path (), &db) != SQLITE_OK)
    g_error ("cannot open the scratch store: %s", sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_exec (db, "DELETE FROM sync_log", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("cannot empty the sync log: %s", sqlite3_errmsg (db));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  PwStore *store = pw_fuzz_get_store ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const guint8 *nul = memchr (data, '\0', size);
  Input in = { .data = data, .len = size, .ctrl = data };
  guint n_devices;

  in.ctrl_len = nul != NULL ? (gsize) (nul - data) : size;
  in.pos = in.ctrl_len + 1;
  n_devices = 1 + next_byte (&in) % 3;
  for (guint i = 0; i < n_devices; i++)
    {
      gint64 id = add_device (store, &in, i);

      g_array_append_val (ids, id);
    }
  add_sync_log (store, &in);
  write_reports (store, &in);
  empty_store (store, ids);
  return 0;
}
