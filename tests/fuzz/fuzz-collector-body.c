/* fuzz-collector-body.c: what printwatch-collector does with an upload's body.
 *
 * The first byte picks how the rest arrives: as it is; as a gzip stream
 * (Content-Encoding: gzip); or both, compressed here, when the two must
 * come to the same verdict. The second byte picks the size limit. The body
 * goes through _pw_collector_parse_body () and
 * _pw_collector_validate_payload (), as a request worker does; a payload
 * they accept is stored (_pw_collector_store_add ()), which must not fail.
 * A refusal must be one of the collector's, with a UTF-8 message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"
#include "pw-collector-private.h"

#include <sqlite3.h>

static PwCollectorStore *store;
static sqlite3 *db;  /* the same file, to empty it between inputs */

/* Returns: (transfer full) (nullable): the payload, or %NULL with @error set */
static JsonNode *
receive (GBytes   *body,
         gboolean  gzip,
         gsize     max_body,
         GBytes  **text,
         GError  **error)
{
  g_autoptr(JsonNode) root = _pw_collector_parse_body (body, gzip, max_body, text, error);

  if (root == NULL)
    {
      if (error == NULL || *error == NULL || (*error)->domain != PW_COLLECTOR_REJECT)
        g_error ("a body was refused without a reason the collector gives");
      pw_fuzz_assert_utf8 ((*error)->message, -1, "the refusal");
      return NULL;
    }
  if (!_pw_collector_validate_payload (root, error))
    {
      if ((*error)->domain != PW_COLLECTOR_REJECT)
        g_error ("a payload was refused without a reason the collector gives");
      pw_fuzz_assert_utf8 ((*error)->message, -1, "the refusal");
      g_clear_pointer (text, g_bytes_unref);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* The collector's database, on the first input: a second one for the targets' store. */
static void
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat (pw_fuzz_get_store_path (), ".collector", NULL);

  store = _pw_collector_store_open (path, &error);
  if (store == NULL)
    g_error ("cannot open the collector's database: %s", error->message);
  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("cannot open the collector's database: %s", sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
}

static void
store_payload (JsonNode *root,
               GBytes   *text)
{
  g_autoptr(GError) error = NULL;
  gboolean duplicate = TRUE;

  if (store == NULL)
    open_store ();

  if (!_pw_collector_store_add (store, root, text, "fuzz", "192.0.2.1", &duplicate, &error))
    g_error ("a valid payload could not be stored: %s", error->message);
  if (duplicate)
    g_error ("a payload was taken for a duplicate in an empty database");
  if (sqlite3_exec (db, "DELETE FROM counters; DELETE FROM devices; DELETE FROM payloads;",
                    NULL, NULL, NULL) != SQLITE_OK)
    g_error ("cannot empty the collector's database: %s", sqlite3_errmsg (db));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const gsize limits[] = { PW_COLLECTOR_DEFAULT_MAX_BODY, 64, 4096, 65536 };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize max_body;
  guint mode;

  if (size < 2)
    return 0;
  mode = data[0] % 3;
  max_body = limits[data[1] % G_N_ELEMENTS (limits)];
  body = g_bytes_new (data + 2, size - 2);
  root = receive (body, mode == 1, max_body, &text, &error);

  if (mode == 2)
    {
      g_autoptr(GBytes) compressed = pw_fuzz_gzip (data + 2, size - 2);
      g_autoptr(GBytes) gzip_text = NULL;
      g_autoptr(GError) gzip_error = NULL;
      g_autoptr(JsonNode) gzip_root = receive (compressed, TRUE, max_body, &gzip_text, &gzip_error);

      if ((root == NULL) != (gzip_root == NULL))
        g_error ("as it is, the body is %s; compressed, %s", root != NULL ? "taken" : error->message,
                 gzip_root != NULL ? "taken" : gzip_error->message);
      if (root == NULL && !g_error_matches (gzip_error, error->domain, error->code))
        g_error ("as it is, the body is refused with “%s”; compressed, with “%s”", error->message,
                 gzip_error->message);
      if (root != NULL && !g_bytes_equal (text, gzip_text))
        g_error ("compressed, the body reads differently");
    }
  if (root != NULL)
    store_payload (root, text);
  return 0;
}
