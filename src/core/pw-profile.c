/* pw-profile.c: vendor knowledge, loaded from data/profiles.
 *
 * Identification is a general rule applied to data: the enterprise number
 * of sysObjectID and patterns over what the printer calls itself choose the
 * vendor; per-vendor patterns, then the IEEE 1284 device ID and the
 * hrDeviceDescr with the vendor's name taken off, give the model. Adding a
 * vendor is an entry in data/profiles/vendors.json, not code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-profile"

#include "config.h"

#include "pw-profile.h"
#include "pw-text.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define PROFILES_RESOURCE RESOURCE_PREFIX "/profiles/vendors.json"
/* No model name is longer; anything longer is a description, not a model. */
#define MAX_MODEL_CHARS 64

typedef struct {
  char      *name;
  GArray    *enterprises;  /* of guint */
  GPtrArray *names;        /* of char*: how the vendor writes its name */
  GPtrArray *patterns;     /* of GRegex: text that names the vendor */
  GPtrArray *models;       /* of GRegex with a "model" group */
  GPtrArray *serials;      /* of char*, NULL-terminated: OIDs of the serial number */
  GPtrArray *queries;      /* of PwProfileQuery: serials, firmware, counters */
  GPtrArray *firmware_patterns;  /* of GRegex with a "firmware" group, for sysDescr */
  gboolean   pml_text;     /* its private MIB's strings are HP PML: a symbol set first */
} Vendor;

struct _PwProfile
{
  GObject    parent_instance;

  GPtrArray *vendors;  /* owned, of Vendor, in file order */
};

G_DEFINE_FINAL_TYPE (PwProfile, pw_profile, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-profile-error-quark, pw_profile_error)

static void
vendor_free (gpointer data)
{
  Vendor *vendor = data;

  g_free (vendor->name);
  g_array_unref (vendor->enterprises);
  g_ptr_array_unref (vendor->names);
  g_ptr_array_unref (vendor->patterns);
  g_ptr_array_unref (vendor->models);
  g_ptr_array_unref (vendor->serials);
  g_ptr_array_unref (vendor->queries);
  g_ptr_array_unref (vendor->firmware_patterns);
  g_free (vendor);
}

static void
query_free (gpointer data)
{
  PwProfileQuery *query = data;

  g_free (query->oid);
  g_free (query->name);
  g_free (query->unit);
  g_clear_pointer (&query->model, g_regex_unref);
  g_free (query);
}

static void
pw_profile_finalize (GObject *object)
{
  PwProfile *self = PW_PROFILE (object);

  g_ptr_array_unref (self->vendors);

  G_OBJECT_CLASS (pw_profile_parent_class)->finalize (object);
}

static void
pw_profile_class_init (PwProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_profile_finalize;
}

static void
pw_profile_init (PwProfile *self)
{
  self->vendors = g_ptr_array_new_with_free_func (vendor_free);
}

/* The array in @member, or NULL if there is none or it is something else. */
static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
invalid (GError     **error,
         const char  *vendor,
         const char  *what)
{
  g_set_error (error, PW_PROFILE_ERROR, PW_PROFILE_ERROR_INVALID,
               _("Vendor profile “%s”: %s"), vendor != NULL ? vendor : "?", what);
  return FALSE;
}

/* Reads an array of strings member; a missing member is an empty array. */
static gboolean
read_strings (JsonObject  *object,
              const char  *member,
              const char  *vendor,
              GPtrArray   *out,
              gboolean     as_regex,
              GError     **error)
{
  JsonArray *array;

  if (!json_object_has_member (object, member))
    return TRUE;
  array = get_array (object, member);
  if (array == NULL)
    return invalid (error, vendor, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                       ? json_node_get_string (node) : NULL;

      if (text == NULL)
        return invalid (error, vendor, member);
      if (as_regex)
        {
          g_autoptr(GError) regex_error = NULL;
          GRegex *regex = g_regex_new (text, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &regex_error);

          if (regex == NULL)
            return invalid (error, vendor, regex_error->message);
          g_ptr_array_add (out, regex);
        }
      else
        g_ptr_array_add (out, g_strdup (text));
    }
  return TRUE;
}

static gboolean
is_numeric_oid (const char *oid)
{
  g_auto(GStrv) arcs = g_strsplit (oid, ".", 129);
  guint n = g_strv_length (arcs);

  if (n < 2 || n > 128)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (arcs[i][0] == '\0' || strspn (arcs[i], "0123456789") != strlen (arcs[i]) || strlen (arcs[i]) > 10)
      return FALSE;
  return TRUE;
}

static PwProfileQuery *
query_new (PwProfileQueryKind  kind,
           const char         *oid)
{
  PwProfileQuery *query = g_new0 (PwProfileQuery, 1);

  query->kind = kind;
  query->oid = g_strdup (oid);
  return query;
}

/* "firmware": ["oid", …]: where the vendor keeps the firmware version. */
static gboolean
read_firmware (JsonObject  *object,
               Vendor      *vendor,
               GError     **error)
{
  g_autoptr(GPtrArray) oids = g_ptr_array_new_with_free_func (g_free);

  if (!read_strings (object, "firmware", vendor->name, oids, FALSE, error))
    return FALSE;
  for (guint i = 0; i < oids->len; i++)
    {
      if (!is_numeric_oid (oids->pdata[i]))
        return invalid (error, vendor->name, _("a firmware OID is not numeric"));
      g_ptr_array_add (vendor->queries, query_new (PW_PROFILE_QUERY_FIRMWARE, oids->pdata[i]));
    }
  return TRUE;
}

/* "counters": [{ "name", "oid", "unit"?, "model"? }, …] */
static gboolean
read_counters (JsonObject  *object,
               Vendor      *vendor,
               GError     **error)
{
  JsonArray *counters;

  if (!json_object_has_member (object, "counters"))
    return TRUE;
  if ((counters = get_array (object, "counters")) == NULL)
    return invalid (error, vendor->name, "counters");
  for (guint i = 0; i < json_array_get_length (counters); i++)
    {
      JsonNode *node = json_array_get_element (counters, i);
      JsonObject *counter = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = counter != NULL ? json_object_get_string_member_with_default (counter, "name", NULL) : NULL;
      const char *oid = counter != NULL ? json_object_get_string_member_with_default (counter, "oid", NULL) : NULL;
      const char *unit = counter != NULL ? json_object_get_string_member_with_default (counter, "unit", NULL) : NULL;
      const char *model = counter != NULL ? json_object_get_string_member_with_default (counter, "model", NULL) : NULL;
      PwProfileQuery *query;

      if (name == NULL || name[0] == '\0' || strlen (name) > 64 || oid == NULL || !is_numeric_oid (oid))
        return invalid (error, vendor->name, _("every counter needs a name and a numeric OID"));
      query = query_new (PW_PROFILE_QUERY_COUNTER, oid);
      query->name = g_strdup (name);
      query->unit = g_strdup (unit);
      g_ptr_array_add (vendor->queries, query);
      if (model != NULL)
        {
          g_autoptr(GError) regex_error = NULL;

          query->model = g_regex_new (model, G_REGEX_CASELESS, 0, &regex_error);
          if (query->model == NULL)
            return invalid (error, vendor->name, regex_error->message);
        }
    }
  return TRUE;
}

/* "counter_tables": [{ "values", "names", "unit"? }, …]: meters in a table
 * whose rows the printer names itself. */
static gboolean
read_counter_tables (JsonObject  *object,
                     Vendor      *vendor,
                     GError     **error)
{
  JsonArray *tables;

  if (!json_object_has_member (object, "counter_tables"))
    return TRUE;
  if ((tables = get_array (object, "counter_tables")) == NULL)
    return invalid (error, vendor->name, "counter_tables");
  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonNode *node = json_array_get_element (tables, i);
      JsonObject *table = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *values = table != NULL ? json_object_get_string_member_with_default (table, "values", NULL) : NULL;
      const char *names = table != NULL ? json_object_get_string_member_with_default (table, "names", NULL) : NULL;
      PwProfileQuery *query;

      if (values == NULL || names == NULL || !is_numeric_oid (values) || !is_numeric_oid (names))
        return invalid (error, vendor->name, _("every counter table needs numeric OIDs of its values and names"));
      query = query_new (PW_PROFILE_QUERY_COUNTER_TABLE, values);
      query->name = g_strdup (names);
      query->unit = g_strdup (json_object_get_string_member_with_default (table, "unit", NULL));
      g_ptr_array_add (vendor->queries, query);
    }
  return TRUE;
}

/* "counter_records": [{ "oid", "unit"?, "records": { "00": "total", … } }, …]:
 * meters packed into one string (pw_profile_read_counter_record ()), each
 * record's code in hexadecimal naming the meter it holds. */
static gboolean
read_counter_records (JsonObject  *object,
                      Vendor      *vendor,
                      GError     **error)
{
  JsonArray *packs;

  if (!json_object_has_member (object, "counter_records"))
    return TRUE;
  if ((packs = get_array (object, "counter_records")) == NULL)
    return invalid (error, vendor->name, "counter_records");
  for (guint i = 0; i < json_array_get_length (packs); i++)
    {
      JsonNode *node = json_array_get_element (packs, i);
      JsonObject *pack = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *oid = pack != NULL ? json_object_get_string_member_with_default (pack, "oid", NULL) : NULL;
      JsonNode *records_node = pack != NULL ? json_object_get_member (pack, "records") : NULL;
      JsonObject *records = records_node != NULL && JSON_NODE_HOLDS_OBJECT (records_node)
                            ? json_node_get_object (records_node) : NULL;
      g_autoptr(GList) codes = NULL;

      if (oid == NULL || !is_numeric_oid (oid) || records == NULL)
        return invalid (error, vendor->name, _("every counter record string needs a numeric OID and its records"));
      codes = json_object_get_members (records);
      for (GList *l = codes; l != NULL; l = l->next)
        {
          const char *name = json_object_get_string_member_with_default (records, l->data, NULL);
          guint64 code = 0;
          PwProfileQuery *query;

          if (!g_ascii_string_to_unsigned (l->data, 16, 0, 0xfe, &code, NULL) ||
              name == NULL || name[0] == '\0' || strlen (name) > 64)
            return invalid (error, vendor->name, _("a counter record needs a hexadecimal code below ff and a name"));
          query = query_new (PW_PROFILE_QUERY_COUNTER_RECORD, oid);
          query->name = g_strdup (name);
          query->unit = g_strdup (json_object_get_string_member_with_default (pack, "unit", NULL));
          query->record = (guint) code;
          g_ptr_array_add (vendor->queries, query);
        }
    }
  return TRUE;
}

/**
 * pw_profile_read_counter_record:
 * @records: (nullable): a string of counter records, as a printer sent it
 * @code: the code of the record wanted
 * @value: (out): its value
 *
 * Reads one meter of a string of records, as Brother's private MIB packs
 * them: each record a code byte, a flag byte, a length byte and that many
 * bytes of unsigned big-endian value; a code of ff ends them. A record
 * that runs past the end, or whose value would not fit 56 bits, ends them
 * too: what the printer sends is untrusted.
 *
 * Returns: whether the record was there
 */
gboolean
pw_profile_read_counter_record (GBytes *records,
                                guint   code,
                                gint64 *value)
{
  const guint8 *data;
  gsize len = 0;

  if (records == NULL)
    return FALSE;
  data = g_bytes_get_data (records, &len);
  for (gsize at = 0; at + 3 <= len && data[at] != 0xff; at += 3 + (gsize) data[at + 2])
    {
      guint n = data[at + 2];
      guint64 number = 0;

      if (n == 0 || n > 7 || at + 3 + n > len)
        return FALSE;
      if (data[at] != code)
        continue;
      for (guint i = 0; i < n; i++)
        number = number << 8 | data[at + 3 + i];
      *value = (gint64) number;
      return TRUE;
    }
  return FALSE;
}

static Vendor *
read_vendor (JsonNode  *node,
             GError   **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  Vendor *vendor;
  JsonArray *enterprises;
  const char *name;

  if (object == NULL || (name = json_object_get_string_member_with_default (object, "name", NULL)) == NULL ||
      name[0] == '\0')
    {
      invalid (error, NULL, _("every vendor needs a name"));
      return NULL;
    }

  vendor = g_new0 (Vendor, 1);
  vendor->name = g_strdup (name);
  vendor->enterprises = g_array_new (FALSE, FALSE, sizeof (guint));
  vendor->names = g_ptr_array_new_with_free_func (g_free);
  vendor->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  vendor->models = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  vendor->serials = g_ptr_array_new_with_free_func (g_free);
  vendor->queries = g_ptr_array_new_with_free_func (query_free);
  vendor->firmware_patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  vendor->pml_text = json_object_get_boolean_member_with_default (object, "pml_text", FALSE);

  enterprises = get_array (object, "enterprises");
  for (guint i = 0; enterprises != NULL && i < json_array_get_length (enterprises); i++)
    {
      JsonNode *element = json_array_get_element (enterprises, i);
      gint64 number = JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_INT64
                    ? json_node_get_int (element) : 0;
      guint value = (guint) number;

      if (number <= 0 || number > G_MAXUINT32)
        {
          invalid (error, name, "enterprises");
          vendor_free (vendor);
          return NULL;
        }
      g_array_append_val (vendor->enterprises, value);
    }

  if (!read_strings (object, "names", name, vendor->names, FALSE, error) ||
      !read_strings (object, "patterns", name, vendor->patterns, TRUE, error) ||
      !read_strings (object, "models", name, vendor->models, TRUE, error) ||
      !read_strings (object, "serials", name, vendor->serials, FALSE, error) ||
      !read_strings (object, "firmware_patterns", name, vendor->firmware_patterns, TRUE, error))
    {
      vendor_free (vendor);
      return NULL;
    }
  for (guint i = 0; i < vendor->serials->len; i++)
    if (!is_numeric_oid (vendor->serials->pdata[i]))
      {
        invalid (error, name, _("a serial number OID is not numeric, like 1.3.6.1.4.1.367.3.2.1.2.1.4.0"));
        vendor_free (vendor);
        return NULL;
      }
    else
      g_ptr_array_add (vendor->queries, query_new (PW_PROFILE_QUERY_SERIAL, vendor->serials->pdata[i]));
  g_ptr_array_add (vendor->serials, NULL);
  if (!read_firmware (object, vendor, error) || !read_counters (object, vendor, error) ||
      !read_counter_tables (object, vendor, error) || !read_counter_records (object, vendor, error))
    {
      vendor_free (vendor);
      return NULL;
    }
  for (guint i = 0; i < vendor->firmware_patterns->len; i++)
    if (g_regex_get_string_number (vendor->firmware_patterns->pdata[i], "firmware") < 0)
      {
        invalid (error, name, _("a firmware pattern has no (?<firmware>…) group"));
        vendor_free (vendor);
        return NULL;
      }
  for (guint i = 0; i < vendor->models->len; i++)
    if (g_regex_get_string_number (vendor->models->pdata[i], "model") < 0)
      {
        invalid (error, name, _("a model pattern has no (?<model>…) group"));
        vendor_free (vendor);
        return NULL;
      }
  return vendor;
}

/**
 * pw_profile_new_from_bytes:
 * @json: the contents of a vendors.json
 */
PwProfile *
pw_profile_new_from_bytes (GBytes  *json,
                           GError **error)
{
  g_autoptr(PwProfile) self = g_object_new (PW_TYPE_PROFILE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *vendors;
  gsize len = 0;
  const char *data = g_bytes_get_data (json, &len);

  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;
  root = json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
       ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  vendors = get_array (root, "vendors");
  if (vendors == NULL || json_object_get_int_member_with_default (root, "format", 0) != 1)
    {
      g_set_error_literal (error, PW_PROFILE_ERROR, PW_PROFILE_ERROR_INVALID,
                           _("Vendor profiles: not a format 1 file with a “vendors” list"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (vendors); i++)
    {
      Vendor *vendor = read_vendor (json_array_get_element (vendors, i), error);

      if (vendor == NULL)
        return NULL;
      g_ptr_array_add (self->vendors, vendor);
    }
  return g_steal_pointer (&self);
}

/**
 * pw_profile_get_default:
 *
 * The profiles built into Printwatch, loaded once.
 *
 * Returns: (transfer none): the default profile
 */
PwProfile *
pw_profile_get_default (void)
{
  static PwProfile *profile;

  if (g_once_init_enter (&profile))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_resources_lookup_data (PROFILES_RESOURCE, 0, &error);
      PwProfile *loaded = bytes != NULL ? pw_profile_new_from_bytes (bytes, &error) : NULL;

      /* The built-in data is checked by the tests; broken, it is a build bug. */
      if (loaded == NULL)
        g_error ("Built-in vendor profiles: %s", error->message);
      g_once_init_leave (&profile, loaded);
    }
  return profile;
}

static const Vendor *
find_vendor (PwProfile  *self,
             const char *vendor)
{
  for (guint i = 0; vendor != NULL && i < self->vendors->len; i++)
    {
      const Vendor *candidate = self->vendors->pdata[i];

      if (g_str_equal (candidate->name, vendor))
        return candidate;
    }
  return NULL;
}

/**
 * pw_profile_get_serial_oids:
 * @vendor: a vendor name, as pw_profile_identify () gives it
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): where the
 *   vendor keeps the serial number, for printers whose Printer-MIB has none
 */
const char * const *
pw_profile_get_serial_oids (PwProfile  *self,
                            const char *vendor)
{
  const Vendor *found;

  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  found = find_vendor (self, vendor);
  return found != NULL && found->serials->len > 1 ? (const char * const *) found->serials->pdata : NULL;
}

/**
 * pw_profile_get_queries:
 * @vendor: (nullable): a vendor name, as pw_profile_identify () gives it
 * @model: (nullable): its model, for queries only some models answer
 *
 * Returns: (transfer container) (element-type PwProfileQuery): what to ask
 *   the vendor's MIB for, serial numbers first; empty for an unknown vendor
 */
GPtrArray *
pw_profile_get_queries (PwProfile  *self,
                        const char *vendor,
                        const char *model)
{
  const Vendor *found;
  GPtrArray *queries = g_ptr_array_new ();

  g_return_val_if_fail (PW_IS_PROFILE (self), queries);

  found = find_vendor (self, vendor);
  for (guint i = 0; found != NULL && i < found->queries->len; i++)
    {
      PwProfileQuery *query = found->queries->pdata[i];

      if (query->model == NULL || (model != NULL && g_regex_match (query->model, model, 0, NULL)))
        g_ptr_array_add (queries, query);
    }
  return queries;
}

/**
 * pw_profile_get_pml_text:
 *
 * Returns: whether the vendor's private strings are HP PML values, whose
 *   first two bytes name a symbol set
 */
gboolean
pw_profile_get_pml_text (PwProfile  *self,
                         const char *vendor)
{
  const Vendor *found;

  g_return_val_if_fail (PW_IS_PROFILE (self), FALSE);
  found = find_vendor (self, vendor);
  return found != NULL && found->pml_text;
}

/**
 * pw_profile_find_firmware:
 * @text: (nullable): what the printer says of itself (sysDescr)
 *
 * Returns: (transfer full) (nullable): the firmware version a vendor's
 *   pattern finds in @text
 */
char *
pw_profile_find_firmware (PwProfile  *self,
                          const char *vendor,
                          const char *text)
{
  const Vendor *found;

  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  found = find_vendor (self, vendor);
  for (guint i = 0; found != NULL && text != NULL && i < found->firmware_patterns->len; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (found->firmware_patterns->pdata[i], text, 0, &match))
        {
          g_autofree char *firmware = g_match_info_fetch_named (match, "firmware");

          if (firmware != NULL && firmware[0] != '\0' && g_utf8_strlen (firmware, -1) <= MAX_MODEL_CHARS)
            return g_steal_pointer (&firmware);
        }
    }
  return NULL;
}

guint
pw_profile_get_n_vendors (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->vendors->len;
}

/**
 * pw_sys_object_id_enterprise:
 *
 * Returns: the private enterprise number N of 1.3.6.1.4.1.N…, or 0
 */
guint
pw_sys_object_id_enterprise (const char *sys_object_id)
{
  const char *prefix = "1.3.6.1.4.1.";
  guint64 number = 0;
  const char *p;

  if (sys_object_id == NULL)
    return 0;
  if (sys_object_id[0] == '.')
    sys_object_id++;
  if (!g_str_has_prefix (sys_object_id, prefix))
    return 0;
  p = sys_object_id + strlen (prefix);
  while (g_ascii_isdigit (*p) && number <= G_MAXUINT32)
    number = number * 10 + (guint64) (*p++ - '0');
  if ((*p != '\0' && *p != '.') || number == 0 || number > G_MAXUINT32)
    return 0;
  return (guint) number;
}

/**
 * pw_device_id_lookup:
 * @device_id: an IEEE 1284 device ID, "KEY:value;KEY:value;…"
 * @keys: the keys to look for, e.g. { "MDL", "MODEL", NULL }; case-insensitive
 *
 * Returns: (transfer full) (nullable): the first value found, trimmed
 */
char *
pw_device_id_lookup (const char         *device_id,
                     const char * const *keys)
{
  g_auto(GStrv) fields = NULL;

  if (device_id == NULL)
    return NULL;
  fields = g_strsplit (device_id, ";", 64);
  for (guint k = 0; keys[k] != NULL; k++)
    for (guint i = 0; fields[i] != NULL; i++)
      {
        char *colon = strchr (fields[i], ':');
        g_autofree char *key = NULL;

        if (colon == NULL)
          continue;
        key = g_strstrip (g_strndup (fields[i], colon - fields[i]));
        if (g_ascii_strcasecmp (key, keys[k]) == 0)
          {
            char *value = g_strstrip (g_strdup (colon + 1));

            if (value[0] != '\0')
              return value;
            g_free (value);
          }
      }
  return NULL;
}

static gboolean
vendor_names_text (const Vendor *vendor,
                   const char   *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < vendor->patterns->len; i++)
    if (g_regex_match (vendor->patterns->pdata[i], text, 0, NULL))
      return TRUE;
  return FALSE;
}

static gboolean
vendor_has_enterprise (const Vendor *vendor,
                       guint         enterprise)
{
  for (guint i = 0; i < vendor->enterprises->len; i++)
    if (g_array_index (vendor->enterprises, guint, i) == enterprise)
      return TRUE;
  return FALSE;
}

/* The vendor's name off the front, " series" off the end, then sane or NULL. */
static char *
clean_model (const Vendor *vendor,
             const char   *text)
{
  g_autofree char *model = pw_text_sanitize (text, -1, 0);
  const char *start = model;
  gsize len;

  for (guint i = 0; vendor != NULL && i < vendor->names->len; i++)
    {
      const char *name = vendor->names->pdata[i];
      gsize n = strlen (name);

      if (g_ascii_strncasecmp (start, name, n) == 0 && (start[n] == ' ' || start[n] == '_'))
        {
          start += n + 1;
          break;
        }
    }
  while (*start == ' ')
    start++;
  len = strlen (start);
  if (len > 7 && g_ascii_strcasecmp (start + len - 7, " series") == 0)
    len -= 7;
  while (len > 0 && start[len - 1] == ' ')
    len--;
  if (len == 0 || g_utf8_strlen (start, len) > MAX_MODEL_CHARS)
    return NULL;
  return g_strndup (start, len);
}

static char *
find_model (const Vendor          *vendor,
            const PwIdentityClues *clues)
{
  static const char * const model_keys[] = { "MDL", "MODEL", NULL };
  g_autofree char *id_model = pw_device_id_lookup (clues->device_id, model_keys);
  const char *sources[] = { id_model, clues->device_descr, clues->sys_descr, clues->printer_name };
  char *model;

  /* The vendor's own patterns know its quirks best, over every source. */
  for (guint s = 0; vendor != NULL && s < G_N_ELEMENTS (sources); s++)
    for (guint r = 0; sources[s] != NULL && r < vendor->models->len; r++)
      {
        g_autoptr(GMatchInfo) match = NULL;

        if (g_regex_match (vendor->models->pdata[r], sources[s], 0, &match))
          {
            g_autofree char *found = g_match_info_fetch_named (match, "model");

            if ((model = clean_model (vendor, found)) != NULL)
              return model;
          }
      }

  /* Then what is a model name by definition: the 1284 MDL, the device's own
   * description, its name. A sysDescr alone is too often an interface card's. */
  if ((model = clean_model (vendor, id_model)) != NULL ||
      (model = clean_model (vendor, clues->device_descr)) != NULL ||
      (model = clean_model (vendor, clues->printer_name)) != NULL)
    return model;
  return NULL;
}

/**
 * pw_profile_identify:
 * @vendor: (out) (optional) (transfer full) (nullable): the vendor, or %NULL if unknown
 * @model: (out) (optional) (transfer full) (nullable): the model, or %NULL if unknown
 *
 * A vendor whose enterprise number and patterns both match beats one whose
 * patterns alone match (an OEM brand over the maker's number), which beats
 * one known by its enterprise number alone.
 *
 * Returns: %TRUE if the vendor is known
 */
gboolean
pw_profile_identify (PwProfile              *self,
                     const PwIdentityClues  *clues,
                     char                  **vendor,
                     char                  **model)
{
  static const char * const mfg_keys[] = { "MFG", "MANUFACTURER", NULL };
  g_autofree char *id_maker = NULL;
  guint enterprise;
  const Vendor *best = NULL;
  int best_score = 0;

  g_return_val_if_fail (PW_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (clues != NULL, FALSE);

  enterprise = pw_sys_object_id_enterprise (clues->sys_object_id);
  id_maker = pw_device_id_lookup (clues->device_id, mfg_keys);
  for (guint i = 0; i < self->vendors->len; i++)
    {
      const Vendor *candidate = self->vendors->pdata[i];
      gboolean named = vendor_names_text (candidate, clues->sys_descr) ||
                       vendor_names_text (candidate, clues->device_descr) ||
                       vendor_names_text (candidate, id_maker) ||
                       vendor_names_text (candidate, clues->printer_name);
      int score = (named ? 2 : 0) + (enterprise != 0 && vendor_has_enterprise (candidate, enterprise) ? 1 : 0);

      if (score > best_score)
        {
          best = candidate;
          best_score = score;
        }
    }

  if (vendor != NULL)
    *vendor = best != NULL ? g_strdup (best->name) : NULL;
  if (model != NULL)
    *model = find_model (best, clues);
  return best != NULL;
}
