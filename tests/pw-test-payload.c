/* pw-test-payload.c: upload payloads for the tests (tests/fixtures/payload).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-payload.h"

#include <string.h>

JsonNode *
pw_test_payload_load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "payload", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

JsonNode *
pw_test_payload_copy (JsonNode *node)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *copy;

  /* A value is copied whole already; json-glib parses only containers. */
  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return json_node_copy (node);
  text = json_to_string (node, FALSE);
  copy = json_from_string (text, &error);
  g_assert_no_error (error);
  return copy;
}

GBytes *
pw_test_payload_with_id (JsonNode  *payload,
                         char     **payload_id)
{
  g_autoptr(JsonNode) copy = pw_test_payload_copy (payload);
  g_autofree char *id = g_uuid_string_random ();
  char *text;

  if (JSON_NODE_HOLDS_OBJECT (copy))
    json_object_set_string_member (json_node_get_object (copy), "payload_id", id);
  text = json_to_string (copy, FALSE);
  if (payload_id != NULL)
    *payload_id = g_steal_pointer (&id);
  return g_bytes_new_take (text, strlen (text));
}

/* As test-payload-schema.py applies it: "path" names members (strings) and elements
 * (numbers); the last one is set to "value", or deleted; an empty path replaces it all. */
JsonNode *
pw_test_payload_apply (JsonNode   *payload,
                       JsonObject *variant)
{
  g_autoptr(JsonNode) result = pw_test_payload_copy (payload);
  JsonArray *path = json_object_get_array_member (variant, "path");
  guint n = json_array_get_length (path);
  JsonNode *value = json_object_get_member (variant, "value");
  gboolean delete = json_object_has_member (variant, "delete");
  JsonNode *parent = result;
  JsonNode *last;

  if (n == 0)
    return pw_test_payload_copy (value);
  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *step = json_array_get_element (path, i);

      parent = json_node_get_value_type (step) == G_TYPE_STRING
               ? json_object_get_member (json_node_get_object (parent), json_node_get_string (step))
               : json_array_get_element (json_node_get_array (parent), (guint) json_node_get_int (step));
    }
  last = json_array_get_element (path, n - 1);
  if (json_node_get_value_type (last) == G_TYPE_STRING && delete)
    json_object_remove_member (json_node_get_object (parent), json_node_get_string (last));
  else if (json_node_get_value_type (last) == G_TYPE_STRING)
    json_object_set_member (json_node_get_object (parent), json_node_get_string (last),
                            pw_test_payload_copy (value));
  else
    {
      JsonArray *array = json_node_get_array (parent);
      guint index = (guint) json_node_get_int (last);
      g_autoptr(JsonArray) replaced = json_array_new ();

      g_assert_false (delete);
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (replaced, pw_test_payload_copy (i == index ? value
                                                                : json_array_get_element (array, i)));
      json_node_take_array (parent, g_steal_pointer (&replaced));
    }
  return g_steal_pointer (&result);
}

GBytes *
pw_test_gzip (GBytes *data)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  gconstpointer bytes = g_bytes_get_data (data, &size);

  g_output_stream_write_all (gzip, bytes, size, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (gzip, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}
