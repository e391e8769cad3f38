/* pw-collector-body.c: from the bytes on the wire to a checked format-1 payload.
 *
 * Everything here runs on a worker thread and trusts nothing: gzip output is bounded while it
 * is produced (a gzip bomb stops at the limit, not after it), the text must be UTF-8 and one
 * JSON value, nesting is bounded before json-glib's recursive parser sees it, and the structure
 * is checked against payload.md, as data/printwatch-payload.schema.json describes it. Unknown
 * keys are allowed (forward compatible). Messages here go to the client in the response and to the
 * log; they are protocol text in English, not translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-collector"

#include "config.h"

#include "pw-collector-private.h"

#include <string.h>

#define GUNZIP_CHUNK (64 * 1024)
/* A format-1 payload nests five deep (root, devices, a device, status, conditions). */
#define MAX_DEPTH    32
#define TIME_PATTERN "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?Z$"

G_DEFINE_QUARK (pw-collector-reject-quark, _pw_collector_reject)

static GBytes *
gunzip (GBytes  *compressed,
        gsize    limit,
        GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (GUNZIP_CHUNK);
  gsize in_left = 0;
  const guint8 *in = g_bytes_get_data (compressed, &in_left);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (decompressor), in, in_left, buffer, GUNZIP_CHUNK,
                                    G_CONVERTER_INPUT_AT_END, &bytes_read, &bytes_written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                       g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                       ? "the gzip body is truncated" : "the body is not valid gzip: %s",
                       local_error->message);
          return NULL;
        }
      in += bytes_read;
      in_left -= bytes_read;
      if (bytes_written > limit - out->len)
        {
          g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_TOO_LARGE,
                       "the body is larger than %" G_GSIZE_FORMAT " bytes once decompressed", limit);
          return NULL;
        }
      g_byte_array_append (out, buffer, (guint) bytes_written);
      if (result == G_CONVERTER_FINISHED)
        break;
      if (bytes_read == 0 && bytes_written == 0)
        {
          g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                               "the gzip body is truncated");
          return NULL;
        }
    }
  if (in_left > 0)
    {
      g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           "there are bytes after the end of the gzip stream");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* What json-glib (1.6) gets wrong, checked before it sees the text. It parses recursively: a
 * body of a million '[' would exhaust the worker's stack. And it reads an object or array after
 * the first value without an error, keeping the first and leaking the rest, where RFC 8259 §2
 * allows one value: a payload with more behind it would be stored as it came. */
static gboolean
check_structure (const char  *text,
                 gsize        len,
                 GError     **error)
{
  gboolean in_string = FALSE;
  gboolean in_scalar = FALSE;  /* a number or literal at the top level */
  gboolean ended = FALSE;      /* the top-level value is complete: only white space may follow */
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              ended = depth == 0;
            }
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          ended = ended || in_scalar;
          in_scalar = FALSE;
          continue;
        }
      if (depth == 0 && (ended || (in_scalar && (c == '{' || c == '[' || c == '"'))))
        {
          g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                               "the body holds more than one JSON value");
          return FALSE;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           "the JSON nests deeper than %d levels", MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        ended = --depth == 0;
      else if (depth == 0)
        in_scalar = TRUE;
    }
  return TRUE;
}

JsonNode *
_pw_collector_parse_body (GBytes  *body,
                          gboolean gzip,
                          gsize    max_body,
                          GBytes **text,
                          GError **error)
{
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  const char *data;
  gsize len = 0;

  if (gzip)
    plain = gunzip (body, max_body, error);
  else if (g_bytes_get_size (body) > max_body)
    g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_TOO_LARGE,
                 "the body is larger than %" G_GSIZE_FORMAT " bytes", max_body);
  else
    plain = g_bytes_ref (body);
  if (plain == NULL)
    return NULL;

  data = g_bytes_get_data (plain, &len);
  if (len == 0 || !g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           len == 0 ? "the body is empty" : "the body is not UTF-8 text");
      return NULL;
    }
  if (!check_structure (data, len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      /* json-glib quotes the bad token cut to a byte count, maybe inside a character. */
      g_autofree char *detail = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                   "the body is not JSON: %s", detail);
      return NULL;
    }
  /* json-glib parses white space alone without an error, and without a value. */
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           "the body holds no JSON value");
      return NULL;
    }
  if (text != NULL)
    *text = g_steal_pointer (&plain);
  return root;
}

/* Format 1 */

typedef enum {
  K_STRING,
  K_STRING_NULL,
  K_INT,          /* an integer in [min, max] */
  K_INT_NULL,
  K_NUMBER_NULL,  /* a number ≥ min, or null */
  K_BOOL,
  K_TIME,         /* ISO 8601 UTC with Z */
  K_TIME_NULL,
  K_UUID,
  K_OBJECT,
  K_ARRAY,
} Kind;

typedef struct {
  const char *name;
  Kind        kind;
  gboolean    required;
  gint64      min;
  gint64      max;
} Field;

#define REQ(name, kind)             { name, kind, TRUE, G_MININT64, G_MAXINT64 }
#define REQ_RANGE(name, kind, a, b) { name, kind, TRUE, a, b }
#define OPT(name, kind)             { name, kind, FALSE, G_MININT64, G_MAXINT64 }
#define OPT_RANGE(name, kind, a, b) { name, kind, FALSE, a, b }

static const Field top_fields[] = {
  REQ ("payload_id", K_UUID), REQ ("created_at", K_TIME), OPT ("batch", K_OBJECT), REQ ("agent", K_OBJECT),
  REQ ("site", K_OBJECT), REQ ("devices", K_ARRAY),
};
/* A part of a large fleet's day; the store keeps the numbers as SQLite integers. */
static const Field batch_fields[] = {
  REQ ("id", K_UUID), REQ_RANGE ("index", K_INT, 0, G_MAXINT32 - 1), REQ_RANGE ("count", K_INT, 1, G_MAXINT32),
};
static const Field agent_fields[] = { REQ ("name", K_STRING), REQ ("version", K_STRING) };
static const Field site_fields[] = {
  REQ ("site_name", K_STRING_NULL), REQ ("host_name", K_STRING_NULL),
  REQ ("host_address", K_STRING_NULL), REQ ("os_name", K_STRING_NULL),
  REQ ("os_type", K_STRING_NULL), REQ ("processor", K_STRING_NULL),
  REQ_RANGE ("memory_total_mb", K_NUMBER_NULL, 0, 0),
  REQ_RANGE ("memory_available_mb", K_NUMBER_NULL, 0, 0),
  REQ_RANGE ("disk_total_mb", K_NUMBER_NULL, 0, 0), REQ_RANGE ("disk_free_mb", K_NUMBER_NULL, 0, 0),
  REQ ("time_zone", K_STRING_NULL), REQ ("agent_version", K_STRING_NULL),
  REQ_RANGE ("database_size_mb", K_NUMBER_NULL, 0, 0),
  REQ_RANGE ("discovery_data_size_mb", K_NUMBER_NULL, 0, 0),
  REQ ("discovery_engine_version", K_STRING_NULL),
  REQ_RANGE ("devices_discovered", K_INT_NULL, 0, G_MAXINT64),
  REQ_RANGE ("devices_in_scope", K_INT_NULL, 0, G_MAXINT64),
  REQ_RANGE ("devices_out_of_scope", K_INT_NULL, 0, G_MAXINT64),
};
static const Field device_fields[] = {
  REQ ("device_id", K_INT), REQ ("address", K_STRING), REQ_RANGE ("port", K_INT, 1, 65535),
  REQ ("identity", K_OBJECT), REQ ("read_at", K_TIME_NULL), REQ ("reachable", K_BOOL),
  REQ ("status", K_OBJECT), REQ ("counters", K_ARRAY), REQ ("supplies", K_ARRAY),
  REQ ("alerts", K_ARRAY),
};
static const Field identity_fields[] = {
  OPT ("vendor", K_STRING_NULL), OPT ("model", K_STRING_NULL), OPT ("serial", K_STRING_NULL),
  OPT ("firmware", K_STRING_NULL), OPT ("mac", K_STRING_NULL), OPT ("sys_name", K_STRING_NULL),
  OPT ("location", K_STRING_NULL), OPT ("contact", K_STRING_NULL),
  OPT ("description", K_STRING_NULL),
};
static const Field status_fields[] = {
  OPT ("device", K_STRING_NULL), OPT ("printer", K_STRING_NULL), OPT ("conditions", K_ARRAY),
};
static const Field counter_fields[] = {
  REQ ("name", K_STRING), REQ_RANGE ("value", K_INT, 0, G_MAXINT64), OPT ("unit", K_STRING_NULL),
  OPT ("reset", K_BOOL),
};
/* Printer-MIB prtMarkerSuppliesLevel/MaxCapacity: -1 other, -2 unknown, -3 some remaining. */
static const Field supply_fields[] = {
  REQ ("index", K_INT), OPT ("description", K_STRING_NULL), OPT ("type", K_STRING_NULL),
  OPT ("class", K_STRING_NULL), OPT ("unit", K_STRING_NULL),
  REQ_RANGE ("max_capacity", K_INT, -3, G_MAXINT64), REQ_RANGE ("level", K_INT, -3, G_MAXINT64),
  OPT_RANGE ("percent", K_INT_NULL, 0, 100), OPT ("colour", K_STRING_NULL),
};
static const Field alert_fields[] = {
  OPT ("severity", K_STRING_NULL), OPT ("training", K_STRING_NULL), OPT ("group", K_STRING_NULL),
  OPT ("code", K_STRING_NULL), OPT ("description", K_STRING_NULL), OPT ("time", K_INT),
};

static const char *
kind_name (Kind kind)
{
  switch (kind)
    {
    case K_STRING:
      return "a string";
    case K_STRING_NULL:
      return "a string or null";
    case K_INT:
      return "an integer";
    case K_INT_NULL:
      return "an integer or null";
    case K_NUMBER_NULL:
      return "a number or null";
    case K_BOOL:
      return "true or false";
    case K_TIME:
      return "an ISO 8601 UTC time like 2026-11-25T06:00:00Z";
    case K_TIME_NULL:
      return "an ISO 8601 UTC time like 2026-11-25T06:00:00Z, or null";
    case K_UUID:
      return "a UUID";
    case K_OBJECT:
      return "an object";
    case K_ARRAY:
      return "an array";
    default:
      g_assert_not_reached ();
    }
}

/* JSON has one number type: 3.0 is the integer 3, as JSON Schema counts it. */
static gboolean
node_get_integer (JsonNode *node,
                  gint64   *value)
{
  GType type = json_node_get_value_type (node);
  double d;

  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (type != G_TYPE_DOUBLE)
    return FALSE;
  d = json_node_get_double (node);
  /* In range first: converting a double outside it to gint64 is undefined. */
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || (double) (gint64) d != d)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

static gboolean
is_time (const char *text)
{
  static GRegex *regex = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new (TIME_PATTERN, G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match (regex, text, 0, NULL);
}

static gboolean
check_value (JsonNode    *node,
             const Field *field)
{
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);
  gint64 integer = 0;

  switch (field->kind)
    {
    case K_STRING_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case K_STRING:
      return json_node_get_value_type (node) == G_TYPE_STRING;
    case K_INT_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case K_INT:
      return node_get_integer (node, &integer) && integer >= field->min && integer <= field->max;
    case K_NUMBER_NULL:
      if (is_null)
        return TRUE;
      return (json_node_get_value_type (node) == G_TYPE_INT64
              || json_node_get_value_type (node) == G_TYPE_DOUBLE)
             && json_node_get_double (node) >= (double) field->min;
    case K_BOOL:
      return json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case K_TIME_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case K_TIME:
      return json_node_get_value_type (node) == G_TYPE_STRING && is_time (json_node_get_string (node));
    case K_UUID:
      return json_node_get_value_type (node) == G_TYPE_STRING
             && g_uuid_string_is_valid (json_node_get_string (node));
    case K_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case K_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_fields (JsonObject  *object,
              const Field *fields,
              gsize        n_fields,
              const char  *path,
              GError     **error)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      const Field *field = &fields[i];
      JsonNode *node = json_object_get_member (object, field->name);
      g_autofree char *range = NULL;

      if (node == NULL)
        {
          if (!field->required)
            continue;
          g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                       "%s%s%s is missing", path, *path != '\0' ? "." : "", field->name);
          return FALSE;
        }
      if (check_value (node, field))
        continue;
      if ((field->kind == K_INT || field->kind == K_INT_NULL) && field->max != G_MAXINT64)
        range = g_strdup_printf (" from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, field->min, field->max);
      else if ((field->kind == K_INT || field->kind == K_INT_NULL || field->kind == K_NUMBER_NULL)
               && field->min != G_MININT64)
        range = g_strdup_printf (" ≥ %" G_GINT64_FORMAT, field->min);
      g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                   "%s%s%s must be %s%s", path, *path != '\0' ? "." : "", field->name,
                   kind_name (field->kind), range != NULL ? range : "");
      return FALSE;
    }
  return TRUE;
}

/* Each element of @object's array @name must be an object with @fields. */
static gboolean
check_array_of (JsonObject  *object,
                const char  *name,
                const Field *fields,
                gsize        n_fields,
                const char  *path,
                GError     **error)
{
  JsonArray *array = json_object_get_array_member (object, name);
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *element_path = g_strdup_printf ("%s.%s[%u]", path, name, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                       "%s must be an object", element_path);
          return FALSE;
        }
      if (!check_fields (json_node_get_object (element), fields, n_fields, element_path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_device (JsonObject  *device,
              const char  *path,
              GError     **error)
{
  g_autofree char *identity_path = g_strconcat (path, ".identity", NULL);
  g_autofree char *status_path = g_strconcat (path, ".status", NULL);
  JsonObject *status;

  if (!check_fields (device, device_fields, G_N_ELEMENTS (device_fields), path, error)
      || !check_fields (json_object_get_object_member (device, "identity"), identity_fields,
                        G_N_ELEMENTS (identity_fields), identity_path, error))
    return FALSE;
  status = json_object_get_object_member (device, "status");
  if (!check_fields (status, status_fields, G_N_ELEMENTS (status_fields), status_path, error))
    return FALSE;
  if (json_object_has_member (status, "conditions"))
    {
      JsonArray *conditions = json_object_get_array_member (status, "conditions");

      for (guint i = 0; i < json_array_get_length (conditions); i++)
        if (json_node_get_value_type (json_array_get_element (conditions, i)) != G_TYPE_STRING)
          {
            g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                         "%s.conditions[%u] must be a string", status_path, i);
            return FALSE;
          }
    }
  return check_array_of (device, "counters", counter_fields, G_N_ELEMENTS (counter_fields), path, error)
         && check_array_of (device, "supplies", supply_fields, G_N_ELEMENTS (supply_fields), path, error)
         && check_array_of (device, "alerts", alert_fields, G_N_ELEMENTS (alert_fields), path, error);
}

/* "batch", when there: its fields, and a part within the count. */
static gboolean
check_batch (JsonObject  *payload,
             GError     **error)
{
  JsonObject *batch;
  gint64 index = 0, count = 0;

  if (!json_object_has_member (payload, "batch"))
    return TRUE;
  batch = json_object_get_object_member (payload, "batch");
  if (!check_fields (batch, batch_fields, G_N_ELEMENTS (batch_fields), "batch", error))
    return FALSE;
  node_get_integer (json_object_get_member (batch, "index"), &index);
  node_get_integer (json_object_get_member (batch, "count"), &count);
  if (index >= count)
    {
      g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           "batch.index must be less than batch.count");
      return FALSE;
    }
  return TRUE;
}

gboolean
_pw_collector_validate_payload (JsonNode  *root,
                                GError   **error)
{
  static const Field format_field = REQ_RANGE ("format", K_INT, 1, 1);
  JsonObject *payload;
  JsonNode *format;
  JsonArray *devices;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           "the payload must be a JSON object");
      return FALSE;
    }
  payload = json_node_get_object (root);
  format = json_object_get_member (payload, "format");
  if (format == NULL || !check_value (format, &format_field))
    {
      g_set_error_literal (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                           "not format 1: \"format\" must be 1");
      return FALSE;
    }
  if (!check_fields (payload, top_fields, G_N_ELEMENTS (top_fields), "", error)
      || !check_fields (json_object_get_object_member (payload, "agent"), agent_fields,
                        G_N_ELEMENTS (agent_fields), "agent", error)
      || !check_fields (json_object_get_object_member (payload, "site"), site_fields,
                        G_N_ELEMENTS (site_fields), "site", error)
      || !check_batch (payload, error))
    return FALSE;

  devices = json_object_get_array_member (payload, "devices");
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonNode *device = json_array_get_element (devices, i);
      g_autofree char *path = g_strdup_printf ("devices[%u]", i);

      if (!JSON_NODE_HOLDS_OBJECT (device))
        {
          g_set_error (error, PW_COLLECTOR_REJECT, PW_COLLECTOR_REJECT_INVALID,
                       "%s must be an object", path);
          return FALSE;
        }
      if (!check_device (json_node_get_object (device), path, error))
        return FALSE;
    }
  return TRUE;
}
