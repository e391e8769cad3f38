/* pw-discovery.c: sweep addresses for printers.
 *
 * Each address gets one small probe: a GETBULK (GETNEXT for SNMPv1) whose
 * non-repeaters read the system group, the first Printer-MIB and
 * hrDeviceTable answers, the IEEE 1284 device ID and the printer's name,
 * and whose repeaters read hrDeviceType and ifPhysAddress. Whatever
 * answers under the Printer-MIB, or has an hrDeviceType of printer, is a
 * printer (RFC 3805, RFC 2790). Only a bounded window of addresses is in
 * flight, so a /16 costs no more memory than a /24.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-discovery"

#include "config.h"

#include "pw-discovery.h"
#include "pw-profile.h"
#include "pw-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* What the probe asks, in GETNEXT terms: the first object after each. */
enum {
  PROBE_SYS_DESCR,
  PROBE_SYS_OBJECT_ID,
  PROBE_SYS_CONTACT,
  PROBE_SYS_NAME,
  PROBE_SYS_LOCATION,
  PROBE_SERIAL,
  PROBE_PRINTER_NAME,
  PROBE_DEVICE_DESCR,
  PROBE_DEVICE_ID,
  PROBE_PRINTER_MIB,
  N_SCALARS,
  PROBE_HR_DEVICE_TYPE = N_SCALARS,  /* repeaters from here */
  PROBE_IF_PHYS_ADDRESS,
  N_PROBE_OIDS
};

static const char * const probe_oids[N_PROBE_OIDS + 1] = {
  [PROBE_SYS_DESCR] = "1.3.6.1.2.1.1.1",
  [PROBE_SYS_OBJECT_ID] = "1.3.6.1.2.1.1.2",
  [PROBE_SYS_CONTACT] = "1.3.6.1.2.1.1.4",
  [PROBE_SYS_NAME] = "1.3.6.1.2.1.1.5",
  [PROBE_SYS_LOCATION] = "1.3.6.1.2.1.1.6",
  [PROBE_SERIAL] = "1.3.6.1.2.1.43.5.1.1.17",          /* prtGeneralSerialNumber */
  [PROBE_PRINTER_NAME] = "1.3.6.1.2.1.43.5.1.1.16",    /* prtGeneralPrinterName */
  [PROBE_DEVICE_DESCR] = "1.3.6.1.2.1.25.3.2.1.3",     /* hrDeviceDescr */
  [PROBE_DEVICE_ID] = "1.3.6.1.4.1.11.2.3.9.1.1.7",    /* IEEE 1284 ID, in HP's MIB, spoken by many */
  [PROBE_PRINTER_MIB] = "1.3.6.1.2.1.43",
  [PROBE_HR_DEVICE_TYPE] = "1.3.6.1.2.1.25.3.2.1.2",
  [PROBE_IF_PHYS_ADDRESS] = "1.3.6.1.2.1.2.2.1.6",
  [N_PROBE_OIDS] = NULL,
};

#define HR_DEVICE_PRINTER "1.3.6.1.2.1.25.3.1.5"
/* Rows of hrDeviceType and ifPhysAddress read per probe. */
#define PROBE_REPETITIONS 6
/* Addresses in flight beyond the engine's own window, so it never idles. */
#define QUEUE_AHEAD 2

struct _PwDiscovery
{
  GObject        parent_instance;

  PwSnmpEngine  *engine;       /* owned */
  PwStore       *store;        /* owned, nullable: then results are not stored */

  /* One sweep at a time; all NULL/0 between sweeps. */
  GTask         *task;         /* owned */
  PwTargetSpec  *targets;      /* owned */
  PwTargetIter   iter;
  GPtrArray     *credentials;  /* owned, of PwSnmpCredentials */
  GPtrArray     *results;      /* owned, of PwDiscoveryResult */
  GHashTable    *seen;         /* owned, set of "serial:…" and "mac:…" of printers found */
  guint          in_flight;
  guint64        launched;
  gboolean       exhausted;
  guint64        done;
  guint64        total;
  guint          found;
};

G_DEFINE_FINAL_TYPE (PwDiscovery, pw_discovery, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PwDiscoveryResult, pw_discovery_result,
                     pw_discovery_result_copy, pw_discovery_result_free)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FOUND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  PwDiscovery *self;         /* owned */
  char        *host;
  guint16      port;
  guint64      index;        /* place in the sweep order */
  guint        credentials;  /* index being tried */
  GError      *refusal;      /* owned: the last v3 refusal, told if all credentials fail */
} Probe;

static void start_probe (Probe *probe);
static void launch_more (PwDiscovery *self);

PwDiscoveryResult *
pw_discovery_result_copy (const PwDiscoveryResult *result)
{
  PwDiscoveryResult *copy = g_memdup2 (result, sizeof *result);

  copy->host = g_strdup (result->host);
  copy->message = g_strdup (result->message);
  if (result->identity != NULL)
    g_object_ref (result->identity);
  return copy;
}

void
pw_discovery_result_free (PwDiscoveryResult *result)
{
  if (result == NULL)
    return;
  g_free (result->host);
  g_free (result->message);
  g_clear_object (&result->identity);
  g_free (result);
}

static PwDiscoveryResult *
result_new (const char         *host,
            guint16             port,
            PwDiscoveryOutcome  outcome,
            const char         *message)
{
  PwDiscoveryResult *result = g_new0 (PwDiscoveryResult, 1);

  result->host = g_strdup (host);
  result->port = port;
  result->outcome = outcome;
  result->message = g_strdup (message);
  return result;
}


/* Which probe object a returned OID answers: the longest request it lies under. */
static int
probe_index (const char *oid)
{
  int best = -1;
  gsize best_len = 0;

  for (int i = 0; i < N_PROBE_OIDS; i++)
    {
      gsize len = strlen (probe_oids[i]);

      if (len > best_len && strncmp (oid, probe_oids[i], len) == 0 && oid[len] == '.')
        {
          best = i;
          best_len = len;
        }
    }
  return best;
}

static void
set_text (char **slot,
          char  *value)
{
  if (*slot == NULL && value != NULL && value[0] != '\0')
    *slot = value;
  else
    g_free (value);
}

/**
 * pw_discovery_classify:
 * @varbinds: (element-type PwSnmpVarbind): what the probe returned
 *
 * Makes a result of a probe's answer: printer or not, and who it is.
 * Every value is checked against what was asked: an agent that answers
 * with objects from elsewhere, or with the wrong types, is ignored there.
 *
 * Returns: (transfer full): the result, PRINTER or OTHER
 */
PwDiscoveryResult *
pw_discovery_classify (const char *host,
                       guint16     port,
                       GPtrArray  *varbinds)
{
  char *text[N_SCALARS] = { NULL };  /* owned, freed at the end */
  g_autofree char *mac = NULL;
  g_autofree char *vendor = NULL;
  g_autofree char *model = NULL;
  char *sys_object_id = NULL;
  gboolean printer_mib = FALSE, hr_printer = FALSE;
  PwDiscoveryResult *result;
  PwIdentityClues clues;

  for (guint i = 0; i < varbinds->len; i++)
    {
      const PwSnmpVarbind *varbind = varbinds->pdata[i];
      int index;

      if (varbind->oid == NULL || pw_snmp_varbind_is_exception (varbind))
        continue;
      index = probe_index (varbind->oid);
      switch (index)
        {
        case PROBE_PRINTER_MIB:
        case PROBE_SERIAL:
        case PROBE_PRINTER_NAME:
          printer_mib = TRUE;
          if (index != PROBE_PRINTER_MIB)
            set_text (&text[index], pw_snmp_varbind_dup_text (varbind));
          break;
        case PROBE_SYS_OBJECT_ID:
          if (varbind->type == PW_SNMP_VALUE_OID && sys_object_id == NULL)
            sys_object_id = varbind->oid_value;
          break;
        case PROBE_SYS_DESCR:
        case PROBE_SYS_CONTACT:
        case PROBE_SYS_NAME:
        case PROBE_SYS_LOCATION:
        case PROBE_DEVICE_DESCR:
        case PROBE_DEVICE_ID:
          set_text (&text[index], pw_snmp_varbind_dup_text (varbind));
          break;
        case PROBE_HR_DEVICE_TYPE:
          if (varbind->type == PW_SNMP_VALUE_OID && g_strcmp0 (varbind->oid_value, HR_DEVICE_PRINTER) == 0)
            hr_printer = TRUE;
          break;
        case PROBE_IF_PHYS_ADDRESS:
          if (mac == NULL)
            mac = pw_snmp_varbind_dup_mac (varbind);
          break;
        case N_PROBE_OIDS:
        default:
          break;  /* not something we asked for */
        }
    }

  result = result_new (host, port, printer_mib || hr_printer ? PW_DISCOVERY_PRINTER : PW_DISCOVERY_OTHER, NULL);
  result->printer_mib = printer_mib;
  result->identity = pw_snapshot_new (g_get_real_time () / G_USEC_PER_SEC);

  clues = (PwIdentityClues) {
    .sys_object_id = sys_object_id,
    .sys_descr = text[PROBE_SYS_DESCR],
    .device_descr = text[PROBE_DEVICE_DESCR],
    .device_id = text[PROBE_DEVICE_ID],
    .printer_name = text[PROBE_PRINTER_NAME],
  };
  pw_profile_identify (pw_profile_get_default (), &clues, &vendor, &model);

  pw_snapshot_set_identity (result->identity, PW_IDENTITY_VENDOR, vendor);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_MODEL, model);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_SERIAL, text[PROBE_SERIAL]);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_MAC, mac);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_SYS_NAME, text[PROBE_SYS_NAME]);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_SYS_DESCR, text[PROBE_SYS_DESCR]);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_SYS_OBJECT_ID, sys_object_id);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_LOCATION, text[PROBE_SYS_LOCATION]);
  pw_snapshot_set_identity (result->identity, PW_IDENTITY_CONTACT, text[PROBE_SYS_CONTACT]);
  for (guint i = 0; i < N_SCALARS; i++)
    g_clear_pointer (&text[i], g_free);
  return result;
}

static void
pw_discovery_dispose (GObject *object)
{
  PwDiscovery *self = PW_DISCOVERY (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pw_discovery_parent_class)->dispose (object);
}

static void
pw_discovery_class_init (PwDiscoveryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pw_discovery_dispose;

  /* Emitted after each address is done; read the done/total/found getters. */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted for each address that answers as a printer, as it does (before
   * it is stored; which of two addresses of one printer is the duplicate is
   * settled when the sweep ends). */
  signals[SIGNAL_FOUND] = g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        PW_TYPE_DISCOVERY_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pw_discovery_init (PwDiscovery *self)
{
}

/**
 * pw_discovery_new:
 * @store: (nullable): where printers found are stored, or %NULL to only report them
 */
PwDiscovery *
pw_discovery_new (PwSnmpEngine *engine,
                  PwStore      *store)
{
  PwDiscovery *self = g_object_new (PW_TYPE_DISCOVERY, NULL);

  g_return_val_if_fail (PW_IS_SNMP_ENGINE (engine), NULL);

  self->engine = g_object_ref (engine);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  return self;
}

guint64
pw_discovery_get_done (PwDiscovery *self)
{
  g_return_val_if_fail (PW_IS_DISCOVERY (self), 0);
  return self->done;
}

guint64
pw_discovery_get_total (PwDiscovery *self)
{
  g_return_val_if_fail (PW_IS_DISCOVERY (self), 0);
  return self->total;
}

guint
pw_discovery_get_found (PwDiscovery *self)
{
  g_return_val_if_fail (PW_IS_DISCOVERY (self), 0);
  return self->found;
}

static void
probe_free (Probe *probe)
{
  g_object_unref (probe->self);
  g_free (probe->host);
  g_clear_error (&probe->refusal);
  g_free (probe);
}

static GCancellable *
sweep_cancellable (PwDiscovery *self)
{
  return g_task_get_cancellable (self->task);
}

/* Same printer as one already in @seen (a second interface)? Adds its keys. */
static gboolean
is_duplicate (GHashTable        *seen,
              PwDiscoveryResult *result)
{
  const char *serial = pw_snapshot_get_identity (result->identity, PW_IDENTITY_SERIAL);
  const char *mac = pw_snapshot_get_identity (result->identity, PW_IDENTITY_MAC);
  gboolean duplicate = FALSE;

  /* Some firmware reports a placeholder serial; a short one is no identity. */
  if (serial != NULL && strlen (serial) >= 4)
    {
      g_autofree char *key = g_strconcat ("serial:", serial, NULL);

      duplicate = g_hash_table_contains (seen, key);
      g_hash_table_add (seen, g_steal_pointer (&key));
    }
  if (mac != NULL)
    {
      g_autofree char *key = g_strconcat ("mac:", mac, NULL);

      duplicate = duplicate || g_hash_table_contains (seen, key);
      g_hash_table_add (seen, g_steal_pointer (&key));
    }
  return duplicate;
}

static void
store_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PwDiscovery *self = source_object;
  GPtrArray *results = task_data;
  GError *first_error = NULL;

  for (guint i = 0; i < results->len; i++)
    {
      PwDiscoveryResult *result = results->pdata[i];
      g_autoptr(GError) error = NULL;

      if (result->outcome != PW_DISCOVERY_PRINTER || result->duplicate)
        continue;
      result->device_id = pw_store_note_discovered (self->store, result->host, result->port,
                                                    result->identity, &error);
      if (result->device_id == 0 && first_error == NULL)
        first_error = g_steal_pointer (&error);
    }

  if (first_error != NULL)
    g_task_return_error (task, first_error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  PwDiscovery *self = PW_DISCOVERY (source);
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GPtrArray) results = g_steal_pointer (&self->results);
  GError *error = NULL;

  g_clear_object (&self->targets);
  g_clear_pointer (&self->credentials, g_ptr_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);

  if (!g_task_propagate_boolean (G_TASK (res), &error) ||
      g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

static int
compare_index (gconstpointer a,
               gconstpointer b)
{
  const PwDiscoveryResult *ra = *(PwDiscoveryResult * const *) a;
  const PwDiscoveryResult *rb = *(PwDiscoveryResult * const *) b;

  return ra->index < rb->index ? -1 : ra->index > rb->index;
}

/* Everything is in: settle which address of a printer seen twice is the
 * duplicate (the later one in sweep order, whatever answered first), store
 * the printers (on a worker: SQLite blocks), then answer. */
static void
finish_sweep (PwDiscovery *self)
{
  g_autoptr(GTask) store_task = g_task_new (self, NULL, stored_cb, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_ptr_array_sort (self->results, compare_index);
  for (guint i = 0; i < self->results->len; i++)
    {
      PwDiscoveryResult *result = self->results->pdata[i];

      if (result->outcome == PW_DISCOVERY_PRINTER)
        result->duplicate = is_duplicate (seen, result);
    }

  g_debug ("Sweep done: %" G_GUINT64_FORMAT " addresses, %u printers", self->done, self->found);
  g_task_set_task_data (store_task, g_ptr_array_ref (self->results), (GDestroyNotify) g_ptr_array_unref);
  if (self->store != NULL)
    g_task_run_in_thread (store_task, store_worker);
  else
    g_task_return_boolean (store_task, TRUE);
}

static void
address_done (Probe             *probe,
              PwDiscoveryResult *result)
{
  PwDiscovery *self = probe->self;

  if (result != NULL)
    {
      result->credentials = probe->credentials;
      result->index = probe->index;
      if (result->outcome == PW_DISCOVERY_PRINTER)
        {
          /* Counted once however many addresses it answers on. */
          if (!is_duplicate (self->seen, result))
            self->found++;
          g_signal_emit (self, signals[SIGNAL_FOUND], 0, result);
        }
      g_ptr_array_add (self->results, result);
    }

  self->done++;
  self->in_flight--;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  launch_more (self);
  if (self->in_flight == 0 && (self->exhausted || g_cancellable_is_cancelled (sweep_cancellable (self))))
    finish_sweep (self);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Probe *probe = user_data;
  PwDiscovery *self = probe->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) varbinds = NULL;
  PwSnmpCredentials *credentials = self->credentials->pdata[probe->credentials];
  gboolean more = probe->credentials + 1 < self->credentials->len;
  PwSnmpCredentialVerdict verdict;

  if (pw_snmp_credentials_get_version (credentials) == PW_SNMP_VERSION_1)
    varbinds = pw_snmp_engine_get_next_finish (PW_SNMP_ENGINE (source), res, &error);
  else
    varbinds = pw_snmp_engine_get_bulk_finish (PW_SNMP_ENGINE (source), res, &error);

  if (varbinds != NULL)
    {
      address_done (probe, pw_discovery_classify (probe->host, probe->port, varbinds));
      probe_free (probe);
      return;
    }

  verdict = pw_snmp_error_credential_verdict (error);
  if (verdict == PW_SNMP_VERDICT_REFUSED)
    {
      g_clear_error (&probe->refusal);
      probe->refusal = g_steal_pointer (&error);
    }
  if (verdict != PW_SNMP_VERDICT_OTHER && more)
    {
      probe->credentials++;
      start_probe (probe);
      return;
    }
  /* An error worth telling: the name does not resolve, a broken reply. */
  if (verdict == PW_SNMP_VERDICT_OTHER && error->domain == PW_SNMP_ERROR &&
      error->code != PW_SNMP_ERROR_UNREACHABLE)
    {
      address_done (probe, result_new (probe->host, probe->port, PW_DISCOVERY_FAILED, error->message));
      probe_free (probe);
      return;
    }

  /* Silent, unreachable, or cancelled: nothing to report, unless a v3 agent
   * told us that our credentials are wrong. */
  address_done (probe, probe->refusal != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                       ? result_new (probe->host, probe->port, PW_DISCOVERY_REFUSED, probe->refusal->message)
                       : NULL);
  probe_free (probe);
}

static void
start_probe (Probe *probe)
{
  PwDiscovery *self = probe->self;
  PwSnmpCredentials *credentials = self->credentials->pdata[probe->credentials];

  if (pw_snmp_credentials_get_version (credentials) == PW_SNMP_VERSION_1)
    {
      /* SNMPv1 has no GETBULK, and one object past the end of an agent's
       * MIB fails a whole GETNEXT: ask only what every agent has. */
      static const char * const v1_oids[] = {
        "1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1.2", "1.3.6.1.2.1.1.5", "1.3.6.1.2.1.1.6",
        "1.3.6.1.2.1.25.3.2.1.2", "1.3.6.1.2.1.2.2.1.6", NULL
      };

      pw_snmp_engine_get_next_async (self->engine, probe->host, probe->port, credentials, v1_oids,
                                     sweep_cancellable (self), probe_cb, probe);
    }
  else
    pw_snmp_engine_get_bulk_async (self->engine, probe->host, probe->port, credentials, probe_oids,
                                   N_SCALARS, PROBE_REPETITIONS, sweep_cancellable (self),
                                   probe_cb, probe);
}

static void
launch_more (PwDiscovery *self)
{
  guint window = pw_snmp_engine_get_concurrency (self->engine) * QUEUE_AHEAD;

  while (!self->exhausted && self->in_flight < window &&
         !g_cancellable_is_cancelled (sweep_cancellable (self)))
    {
      const char *host = NULL;
      guint16 port = 0;
      Probe *probe;

      if (!pw_target_iter_next (&self->iter, &host, &port))
        {
          self->exhausted = TRUE;
          break;
        }
      probe = g_new0 (Probe, 1);
      probe->self = g_object_ref (self);
      probe->host = g_strdup (host);
      probe->port = port;
      probe->index = self->launched++;
      self->in_flight++;
      start_probe (probe);
    }
}

/**
 * pw_discovery_run_async:
 * @targets: the addresses to sweep
 * @credentials: (element-type PwSnmpCredentials): tried in order on each address
 *
 * Sweeps @targets; emits ::progress after each address and ::found for each
 * printer. Printers are stored (identity, address, last seen), one printer
 * seen on two addresses once. When cancelled, the printers found so far are
 * stored, then the sweep ends with %G_IO_ERROR_CANCELLED.
 */
void
pw_discovery_run_async (PwDiscovery         *self,
                        PwTargetSpec        *targets,
                        GPtrArray           *credentials,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_DISCOVERY (self));
  g_return_if_fail (PW_IS_TARGET_SPEC (targets));
  g_return_if_fail (credentials != NULL && credentials->len > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_discovery_run_async);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("A discovery is already running"));
      return;
    }

  self->task = g_steal_pointer (&task);
  self->targets = g_object_ref (targets);
  self->credentials = g_ptr_array_ref (credentials);
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_discovery_result_free);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->in_flight = 0;
  self->launched = 0;
  self->exhausted = FALSE;
  self->done = 0;
  self->found = 0;
  self->total = pw_target_spec_get_count (targets);
  pw_target_spec_iter_init (&self->iter, targets);

  launch_more (self);
  if (self->in_flight == 0)
    finish_sweep (self);
}

/**
 * pw_discovery_run_finish:
 *
 * Returns: (transfer full) (element-type PwDiscoveryResult): one result per
 *   address that answered or failed in a way worth telling; silent
 *   addresses are counted, not listed
 */
GPtrArray *
pw_discovery_run_finish (PwDiscovery   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
