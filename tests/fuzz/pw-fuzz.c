/* pw-fuzz.c: what the fuzz targets share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-fuzz.h"
#include "pw-poller-private.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* A fixed time for every snapshot: 2026-01-01T00:00:00Z. */
#define TAKEN_AT G_GINT64_CONSTANT (1767225600)
/* A documentation address (RFC 5737): never polled, only stored. */
#define DEVICE_HOST "192.0.2.1"

static char *scratch_dir;     /* owned; this process's, removed at exit */
static PwStore *store;        /* owned; opened once per process */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
cleanup (void)
{
  g_clear_object (&store);
  if (scratch_dir != NULL)
    remove_tree (scratch_dir);
  g_clear_pointer (&scratch_dir, g_free);
}

/* $PW_FUZZ_SCRATCH (tests/fuzz/run.sh makes one per run), else /dev/shm: a
 * store on tmpfs costs no disk writes however many inputs go through it. */
static char *
make_scratch_dir (void)
{
  const char *parent = g_getenv ("PW_FUZZ_SCRATCH");
  g_autofree char *template = NULL;

  if (parent == NULL || !g_file_test (parent, G_FILE_TEST_IS_DIR))
    parent = g_access ("/dev/shm", W_OK) == 0 ? "/dev/shm" : g_get_tmp_dir ();
  template = g_build_filename (parent, "printwatch-fuzz-XXXXXX", NULL);
  if (g_mkdtemp (template) == NULL)
    g_error ("cannot make a scratch folder in %s: %s", parent, g_strerror (errno));
  return g_steal_pointer (&template);
}

/* GLib ends a fatal message with a breakpoint trap, which libFuzzer does not
 * catch: abort instead, so it keeps the input and prints the stack. */
static GLogWriterOutput
abort_on_fatal (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  GLogWriterOutput written = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return written;
}

void
pw_fuzz_init (void)
{
  static const char * const vars[][2] = {
    { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" }, { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" }, { "XDG_RUNTIME_DIR", "runtime" }, { "HOME", "home" },
  };

  if (scratch_dir != NULL)
    return;
  /* Before GLib reads any of them: nothing of the user's is read or written
   * (net-snmp keeps its state under the cache folder). */
  scratch_dir = make_scratch_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (scratch_dir, vars[i][1], NULL);

      g_mkdir (dir, 0700);
      g_setenv (vars[i][0], dir, TRUE);
    }
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("PRINTWATCH_DB");
  setlocale (LC_ALL, "");
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (abort_on_fatal, NULL, NULL);
  atexit (cleanup);
}

/* Every target's: libFuzzer calls it once, before the first input. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pw_fuzz_init ();
  return 0;
}

PwStore *
pw_fuzz_get_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (store != NULL)
    return store;
  pw_fuzz_init ();
  path = g_build_filename (scratch_dir, "fuzz.db", NULL);
  store = pw_store_open (path, &error);
  if (store == NULL)
    g_error ("cannot open the scratch store %s: %s", path, error->message);
  return store;
}

const char *
pw_fuzz_get_store_path (void)
{
  return pw_store_get_path (pw_fuzz_get_store ());
}

GBytes *
pw_fuzz_gzip (const guint8 *data,
              gsize         len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (out, data, len, NULL, NULL, NULL) || !g_output_stream_close (out, NULL, NULL))
    g_error ("cannot compress");
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

void
pw_fuzz_assert_utf8 (const char *text,
                     gssize      len,
                     const char *what)
{
  if (text != NULL && !g_utf8_validate (text, len, NULL))
    g_error ("%s is not valid UTF-8", what);
}

/* ---- the poll's path ---- */

/* Numeric order of dotted OIDs, as agents walk them. */
int
pw_fuzz_oid_compare (const char *a,
                     const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      char *end_a, *end_b;
      guint64 x = g_ascii_strtoull (a, &end_a, 10);
      guint64 y = g_ascii_strtoull (b, &end_b, 10);

      if (x != y)
        return x < y ? -1 : 1;
      a = *end_a == '.' ? end_a + 1 : end_a;
      b = *end_b == '.' ? end_b + 1 : end_b;
      if (end_a == a && end_b == b)
        break;
    }
  return (*a != '\0') - (*b != '\0');
}

/* A walk of @root as the engine returns it: the varbinds under it, no
 * exception, each OID greater than the one before (a walk stops where an
 * agent goes back), at most @max_rows. */
static GPtrArray *
walk (GPtrArray  *varbinds,
      const char *root,
      guint       max_rows)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  const char *last = root;

  for (guint i = 0; i < varbinds->len && rows->len < max_rows; i++)
    {
      const PwSnmpVarbind *varbind = varbinds->pdata[i];

      if (_pw_instance_of (varbind->oid, root) == NULL)
        continue;
      if (pw_snmp_varbind_is_exception (varbind) || pw_fuzz_oid_compare (varbind->oid, last) <= 0)
        break;
      g_ptr_array_add (rows, pw_snmp_varbind_copy (varbind));
      last = varbind->oid;
    }
  if (rows->len == 0)
    g_clear_pointer (&rows, g_ptr_array_unref);  /* as a walk the agent failed */
  return rows;
}

/* The vendor's answers: a GET of each object, a walk of each table column. */
static GPtrArray *
vendor_answers (GPtrArray *varbinds,
                GPtrArray *queries)
{
  GPtrArray *answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);

  for (guint q = 0; q < queries->len; q++)
    {
      const PwProfileQuery *query = queries->pdata[q];

      if (query->kind == PW_PROFILE_QUERY_COUNTER_TABLE)
        {
          const char *roots[] = { query->oid, query->name };

          for (guint r = 0; r < G_N_ELEMENTS (roots); r++)
            {
              GPtrArray *rows = walk (varbinds, roots[r], PW_POLLER_COUNTER_TABLE_ROWS);

              if (rows != NULL)
                g_ptr_array_extend_and_steal (answers, rows);
            }
          continue;
        }
      for (guint i = 0; i < varbinds->len; i++)
        if (g_str_equal (((PwSnmpVarbind *) varbinds->pdata[i])->oid, query->oid))
          {
            g_ptr_array_add (answers, pw_snmp_varbind_copy (varbinds->pdata[i]));
            break;
          }
    }
  return answers;
}

static void
assert_snapshot_text (PwSnapshot *snapshot)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);
  GPtrArray *supplies = pw_snapshot_get_supplies (snapshot);
  GPtrArray *alerts = pw_snapshot_get_alerts (snapshot);
  GPtrArray *options = pw_snapshot_get_options (snapshot);

  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    pw_fuzz_assert_utf8 (pw_snapshot_get_identity (snapshot, f), -1, "an identity field");
  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];

      pw_fuzz_assert_utf8 (counter->name, -1, "a counter's name");
      pw_fuzz_assert_utf8 (counter->unit, -1, "a counter's unit");
      if (counter->value < 0)
        g_error ("counter %s is negative", counter->name);
    }
  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];

      pw_fuzz_assert_utf8 (supply->description, -1, "a supply's description");
      pw_fuzz_assert_utf8 (supply->colour, -1, "a supply's colour");
    }
  for (guint i = 0; i < alerts->len; i++)
    pw_fuzz_assert_utf8 (((PwAlert *) alerts->pdata[i])->description, -1, "an alert's description");
  for (guint i = 0; i < options->len; i++)
    {
      const PwOption *option = options->pdata[i];

      pw_fuzz_assert_utf8 (option->name, -1, "an option's name");
      pw_fuzz_assert_utf8 (option->media, -1, "an option's media");
    }
  g_strfreev (pw_snapshot_describe_status (snapshot));
}

/* What was stored is what was read: the identity of a new device is the snapshot's. */
static void
assert_stored (PwSnapshot *snapshot,
               PwDevice   *device)
{
  PwSnapshot *stored = pw_device_get_latest (device);

  if (stored == NULL)
    g_error ("the stored device has no snapshot");
  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    if (g_strcmp0 (pw_snapshot_get_identity (snapshot, f), pw_device_get_identity (device, f)) != 0)
      g_error ("identity field %u changed in the store: “%s” became “%s”", f,
               pw_snapshot_get_identity (snapshot, f), pw_device_get_identity (device, f));
  if (pw_snapshot_get_supplies (snapshot)->len != pw_snapshot_get_supplies (stored)->len ||
      pw_snapshot_get_alerts (snapshot)->len != pw_snapshot_get_alerts (stored)->len ||
      pw_snapshot_get_counters (snapshot)->len != pw_snapshot_get_counters (stored)->len)
    g_error ("the store kept %u supplies, %u alerts and %u counters of %u, %u and %u",
             pw_snapshot_get_supplies (stored)->len, pw_snapshot_get_alerts (stored)->len,
             pw_snapshot_get_counters (stored)->len, pw_snapshot_get_supplies (snapshot)->len,
             pw_snapshot_get_alerts (snapshot)->len, pw_snapshot_get_counters (snapshot)->len);
  assert_snapshot_text (stored);
}

/* One device's poll, from what its agent sent. */
typedef struct {
  GPtrArray  *columns[N_WALKS];  /* owned, of PwSnmpVarbind; NULL where the walk failed */
  PwSnapshot *snapshot;          /* owned */
  GPtrArray  *queries;           /* owned container */
  GPtrArray  *answers;           /* owned, of PwSnmpVarbind: the vendor's */
} Poll;

static void
poll_read (Poll      *poll,
           GPtrArray *varbinds)
{
  for (guint w = 0; w < N_WALKS; w++)
    poll->columns[w] = walk (varbinds, _pw_poller_walks[w].oid, _pw_poller_walks[w].max_rows);
  poll->snapshot = _pw_poller_build_snapshot (poll->columns, TAKEN_AT);
  poll->queries = _pw_poller_vendor_queries (poll->snapshot);
  poll->answers = vendor_answers (varbinds, poll->queries);
  _pw_poller_apply_vendor (poll->snapshot, poll->queries, poll->answers);
}

static void
poll_clear (Poll *poll)
{
  for (guint w = 0; w < N_WALKS; w++)
    g_clear_pointer (&poll->columns[w], g_ptr_array_unref);
  g_clear_object (&poll->snapshot);
  g_clear_pointer (&poll->queries, g_ptr_array_unref);
  g_clear_pointer (&poll->answers, g_ptr_array_unref);
}

void
pw_fuzz_poll_and_store (GPtrArray *varbinds)
{
  PwStore *db = pw_fuzz_get_store ();
  Poll poll = { { NULL } };
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(PwDevice) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  poll_read (&poll, varbinds);
  assert_snapshot_text (poll.snapshot);

  device = pw_store_add_device (db, DEVICE_HOST, PW_SNMP_DEFAULT_PORT, &error);
  if (device == NULL)
    g_error ("cannot add the device: %s", error->message);
  id = pw_device_get_id (device);
  /* Whatever a printer said, the poller's snapshot of it can be kept. */
  if (!pw_store_append_snapshot (db, id, poll.snapshot, &error))
    g_error ("the store refused the snapshot: %s", error->message);
  stored = pw_store_get_device (db, id, &error);
  if (stored == NULL)
    g_error ("cannot read the device back: %s", error->message);
  pw_fuzz_assert_utf8 (pw_device_get_display_name (stored), -1, "the display name");
  assert_stored (poll.snapshot, stored);
  if (!pw_store_remove_device (db, id, &error))
    g_error ("cannot remove the device: %s", error->message);
  poll_clear (&poll);
}

/* Returns: (transfer full) (element-type PwSnmpVarbind): the varbinds a poll
 *   reads of @varbinds, each once: its walks' rows, then the vendor's answers */
GPtrArray *
pw_fuzz_poll_subset (GPtrArray *varbinds)
{
  GPtrArray *subset = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Poll poll = { { NULL } };

  poll_read (&poll, varbinds);
  for (guint w = 0; w <= N_WALKS; w++)
    {
      GPtrArray *rows = w < N_WALKS ? poll.columns[w] : poll.answers;

      for (guint i = 0; rows != NULL && i < rows->len; i++)
        {
          PwSnmpVarbind *varbind = rows->pdata[i];

          if (g_hash_table_add (seen, varbind->oid))
            g_ptr_array_add (subset, pw_snmp_varbind_copy (varbind));
        }
    }
  poll_clear (&poll);
  return subset;
}

/* ---- fuzz-snmp-varbinds: varbinds without BER ---- */

/* The walked columns come first, so a base byte below N_WALKS names one. */
const char * const *
pw_fuzz_oid_bases (guint *n_bases)
{
  static const char *bases[N_WALKS + 4];
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      for (guint w = 0; w < N_WALKS; w++)
        bases[w] = _pw_poller_walks[w].oid;
      bases[N_WALKS] = "1.3.6.1.2.1";      /* mib-2 */
      bases[N_WALKS + 1] = "1.3.6.1.4.1";  /* enterprises: the vendors' MIBs */
      bases[N_WALKS + 2] = "1.3.6.1.2.1.25.3.1";  /* hrDeviceTypes, for hrDeviceType values */
      bases[N_WALKS + 3] = "";             /* nothing: the sub-identifiers are the whole OID */
      g_once_init_leave (&ready, 1);
    }
  *n_bases = G_N_ELEMENTS (bases);
  return bases;
}

typedef struct {
  const guint8 *p;
  const guint8 *end;
} Reader;

static gboolean
read_byte (Reader *r,
           guint8 *out)
{
  if (r->p >= r->end)
    return FALSE;
  *out = *r->p++;
  return TRUE;
}

/* Base-128, most significant group first, at most 32 bits, as BER writes sub-identifiers. */
static gboolean
read_varint (Reader  *r,
             guint32 *out)
{
  guint64 value = 0;
  guint8 b = 0x80;

  for (guint i = 0; i < 5 && (b & 0x80); i++)
    {
      if (!read_byte (r, &b))
        return FALSE;
      value = (value << 7) | (b & 0x7f);
    }
  *out = (guint32) MIN (value, G_MAXUINT32);
  return TRUE;
}

static gboolean
read_be (Reader  *r,
         guint    n,
         guint64 *out)
{
  guint8 b;

  *out = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!read_byte (r, &b))
        return FALSE;
      *out = (*out << 8) | b;
    }
  return TRUE;
}

/* RFC 2578 §3.5: at most 128 sub-identifiers. */
#define MAX_SUBIDS 128

/* @n_subids: (out): how many sub-identifiers the name has */
static char *
read_name (Reader *r,
           guint  *n_subids)
{
  guint n_bases;
  const char * const *bases = pw_fuzz_oid_bases (&n_bases);
  g_autoptr(GString) name = NULL;
  guint8 base, count;

  if (!read_byte (r, &base) || !read_byte (r, &count))
    return NULL;
  name = g_string_new (bases[base % n_bases]);
  *n_subids = 0;
  for (const char *p = name->str; *p != '\0'; p++)
    *n_subids += p == name->str || *p == '.';
  for (guint i = 0; i < count; i++)
    {
      guint32 subid;

      if (!read_varint (r, &subid))
        return NULL;
      if (*n_subids >= MAX_SUBIDS)
        continue;
      if (name->len > 0)
        g_string_append_c (name, '.');
      g_string_append_printf (name, "%" G_GUINT32_FORMAT, subid);
      (*n_subids)++;
    }
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Returns: (transfer full) (element-type PwSnmpVarbind): what @data holds, until it ends */
GPtrArray *
pw_fuzz_varbinds_decode (const guint8 *data,
                         gsize         len)
{
  GPtrArray *varbinds = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_snmp_varbind_free);
  Reader r = { data, data + len };
  guint8 type;

  while (read_byte (&r, &type))
    {
      guint n_subids = 0;
      g_autofree char *name = read_name (&r, &n_subids);
      g_autoptr(PwSnmpVarbind) varbind = NULL;
      guint64 number = 0;
      guint32 size = 0;

      /* The engine refuses a reply with a name of fewer than two sub-identifiers. */
      if (name == NULL || n_subids < 2)
        break;
      varbind = pw_snmp_varbind_new (name, (PwSnmpValueType) (type % (PW_SNMP_VALUE_END_OF_MIB_VIEW + 1)));
      switch (varbind->type)
        {
        case PW_SNMP_VALUE_INTEGER:
          if (!read_be (&r, 8, &number))
            return varbinds;
          varbind->integer = (gint64) number;
          break;
        case PW_SNMP_VALUE_COUNTER64:
          if (!read_be (&r, 8, &varbind->counter))
            return varbinds;
          break;
        case PW_SNMP_VALUE_COUNTER32:
        case PW_SNMP_VALUE_GAUGE32:
        case PW_SNMP_VALUE_TIME_TICKS:
          if (!read_be (&r, 4, &varbind->counter))
            return varbinds;
          break;
        case PW_SNMP_VALUE_IP_ADDRESS:
          if ((gsize) (r.end - r.p) < 4)
            return varbinds;
          varbind->octets = g_bytes_new (r.p, 4);
          r.p += 4;
          break;
        case PW_SNMP_VALUE_OCTET_STRING:
        case PW_SNMP_VALUE_OPAQUE:
          /* The engine takes at most 65535 bytes of a value. */
          if (!read_varint (&r, &size) || size > 65535 || size > (gsize) (r.end - r.p))
            return varbinds;
          varbind->octets = g_bytes_new (r.p, size);
          r.p += size;
          break;
        case PW_SNMP_VALUE_OID:
          if ((varbind->oid_value = read_name (&r, &n_subids)) == NULL)
            return varbinds;
          break;
        case PW_SNMP_VALUE_NULL:
        case PW_SNMP_VALUE_NO_SUCH_OBJECT:
        case PW_SNMP_VALUE_NO_SUCH_INSTANCE:
        case PW_SNMP_VALUE_END_OF_MIB_VIEW:
        default:
          break;
        }
      g_ptr_array_add (varbinds, g_steal_pointer (&varbind));
    }
  return varbinds;
}

static void
write_varint (GByteArray *out,
              guint32     value)
{
  guint8 groups[5];
  guint n = 0;

  do
    groups[n++] = value & 0x7f;
  while ((value >>= 7) != 0);
  while (n-- > 0)
    {
      guint8 b = groups[n] | (n > 0 ? 0x80 : 0);

      g_byte_array_append (out, &b, 1);
    }
}

static void
write_be (GByteArray *out,
          guint64     value,
          guint       n)
{
  for (guint i = n; i-- > 0;)
    {
      guint8 b = (guint8) (value >> (8 * i));

      g_byte_array_append (out, &b, 1);
    }
}

/* The longest base that is a whole prefix of @oid, then the rest. */
static void
write_name (GByteArray *out,
            const char *oid)
{
  guint n_bases;
  const char * const *bases = pw_fuzz_oid_bases (&n_bases);
  guint best = n_bases - 1;
  const char *rest = oid;
  g_auto(GStrv) subids = NULL;
  guint8 header[2];

  for (guint i = 0; i < n_bases; i++)
    {
      const char *after = bases[i][0] != '\0' ? _pw_instance_of (oid, bases[i]) : NULL;

      if (after != NULL && strlen (bases[i]) > strlen (bases[best]))
        {
          best = i;
          rest = after;
        }
    }
  subids = rest[0] != '\0' ? g_strsplit (rest, ".", -1) : g_new0 (char *, 1);
  header[0] = (guint8) best;
  header[1] = (guint8) MIN (g_strv_length (subids), 255);
  g_byte_array_append (out, header, 2);
  for (guint i = 0; i < header[1]; i++)
    write_varint (out, (guint32) g_ascii_strtoull (subids[i], NULL, 10));
}

void
pw_fuzz_varbinds_encode (GByteArray          *out,
                         const PwSnmpVarbind *varbind)
{
  guint8 type = (guint8) varbind->type;
  gsize size = 0;
  const guint8 *bytes = varbind->octets != NULL ? g_bytes_get_data (varbind->octets, &size) : NULL;

  g_byte_array_append (out, &type, 1);
  write_name (out, varbind->oid);
  switch (varbind->type)
    {
    case PW_SNMP_VALUE_INTEGER:
      write_be (out, (guint64) varbind->integer, 8);
      break;
    case PW_SNMP_VALUE_COUNTER64:
      write_be (out, varbind->counter, 8);
      break;
    case PW_SNMP_VALUE_COUNTER32:
    case PW_SNMP_VALUE_GAUGE32:
    case PW_SNMP_VALUE_TIME_TICKS:
      write_be (out, varbind->counter, 4);
      break;
    case PW_SNMP_VALUE_IP_ADDRESS:
      g_byte_array_append (out, size == 4 ? bytes : (const guint8 *) "\0\0\0\0", 4);
      break;
    case PW_SNMP_VALUE_OCTET_STRING:
    case PW_SNMP_VALUE_OPAQUE:
      write_varint (out, (guint32) size);
      if (size > 0)
        g_byte_array_append (out, bytes, (guint) size);
      break;
    case PW_SNMP_VALUE_OID:
      write_name (out, varbind->oid_value != NULL ? varbind->oid_value : "");
      break;
    case PW_SNMP_VALUE_NULL:
    case PW_SNMP_VALUE_NO_SUCH_OBJECT:
    case PW_SNMP_VALUE_NO_SUCH_INSTANCE:
    case PW_SNMP_VALUE_END_OF_MIB_VIEW:
    default:
      break;
    }
}
