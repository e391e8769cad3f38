/* pw-scheduler.c: the daily time of the upload, in local time.
 *
 * A slot is the instant a local date's wall clock first reads the daily
 * time; where a spring-forward gap swallows that time, the first instant
 * after the gap. So every local date has one slot, at most; a slot whose
 * instant already belongs to the next date (a gap across midnight) is
 * dropped, as that date has its own.
 *
 * The scheduler reads the wall clock every PW_SCHEDULER_CHECK_INTERVAL
 * seconds rather than sleeping until the slot: the monotonic clock stops in
 * suspend, and the wall clock may jump. It keeps two facts in the store's
 * agent state, as unix seconds:
 *   sync.next-run   the slot it waits for
 *   sync.last-slot  the slot that fired last
 * and the store's own outbox.last-queued (when a payload last went into the
 * outbox, in the same transaction), and decides with them:
 * - the slot is reached, or the clock jumped past it by less than
 *   PW_SCHEDULER_GRACE: "due" fires, once;
 * - a slot that fired but got no payload (the program was killed while it
 *   polled) fires again at start while within PW_SCHEDULER_GRACE of it: a
 *   crash costs no day's upload, and a payload queued is never queued twice;
 * - the clock jumped further, or the program was not running at the slot
 *   (found at start, whatever the grace): the slot is missed, logged and
 *   signalled, and the next one is waited for; a missed upload is not made
 *   up at a random hour;
 * - a slot never fires on the local date of the last one that did, so a
 *   clock set back, or a daily time changed after today's upload, brings no
 *   second upload that day;
 * - a last slot more than a day ahead of the clock was fired by a clock
 *   that was wrong; it is forgotten, or nothing would fire until then.
 * It does not listen for resume from suspend: the next check, at most
 * PW_SCHEDULER_CHECK_INTERVAL later, sees the new time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-scheduler"

#include "config.h"

#include "pw-scheduler-private.h"
#include "pw-store.h"
#include "pw-text.h"

#include <glib/gi18n-lib.h>

#define DAY (24 * 3600)
/* Wider than any UTC offset a zone ever had (LMT offsets reach 15:56). */
#define OFFSET_WINDOW (17 * 3600)

static const char KEY_NEXT_RUN[] = "sync.next-run";
static const char KEY_LAST_SLOT[] = "sync.last-slot";

struct _PwScheduler
{
  GObject           parent_instance;

  PwStore          *store;           /* owned */
  GTimeZone        *tz;              /* owned; NULL for the local zone */
  PwSchedulerClock  clock;
  gpointer          clock_data;
  guint             hour;
  guint             minute;
  char             *time;            /* owned; "HH:MM" */
  gint64            next_run;        /* the slot waited for */
  gint64            last_slot;       /* the slot that fired last; 0 if none */
  gint64            missed_at_start; /* a slot missed while not running; 0 if none */
  GSource          *check_source;    /* owned */
  GSource          *idle_source;     /* owned; tells of missed_at_start */
};

G_DEFINE_FINAL_TYPE (PwScheduler, pw_scheduler, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-scheduler-error-quark, pw_scheduler_error)

enum {
  PROP_0,
  PROP_TIME,
  PROP_NEXT_RUN,
  PROP_LAST_SLOT,
  N_PROPS
};

enum {
  SIGNAL_DUE,
  SIGNAL_MISSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Time arithmetic */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a - 1) / b) - 1;
}

/* The wall clock at @t, as seconds since 1970-01-01 00:00 local. */
static gint64
local_seconds (GTimeZone *tz,
               gint64     t)
{
  return t + g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t));
}

static gint64
local_day (GTimeZone *tz,
           gint64     t)
{
  return floor_div (local_seconds (tz, t), DAY);
}

/* The first instant whose wall clock reads @wall; in a gap, the first
 * instant after it. Every instant showing @wall is @wall minus an offset in
 * force within OFFSET_WINDOW of it, so those offsets give all candidates. */
static gint64
first_instant_at (GTimeZone *tz,
                  gint64     wall)
{
  gint first = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, wall - OFFSET_WINDOW);
  gint last = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, wall + OFFSET_WINDOW);
  gint64 best = G_MAXINT64;
  gint64 min_offset = G_MAXINT64, max_offset = G_MININT64;
  gint64 lo, hi;

  for (gint i = first; i <= last; i++)
    {
      gint64 offset = g_time_zone_get_offset (tz, i);

      min_offset = MIN (min_offset, offset);
      max_offset = MAX (max_offset, offset);
      if (local_seconds (tz, wall - offset) == wall)
        best = MIN (best, wall - offset);
    }
  if (best != G_MAXINT64)
    return best;

  /* A gap: the clock reads less than @wall at wall - max_offset and more at
   * wall - min_offset. The first instant past @wall lies between. */
  lo = wall - max_offset;
  hi = wall - min_offset;
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (local_seconds (tz, mid) >= wall)
        hi = mid;
      else
        lo = mid;
    }
  return hi;
}

/**
 * pw_scheduler_next_run:
 * @tz: the zone of the daily time
 * @hour: 0 to 23
 * @minute: 0 to 59
 * @now_unix: the time to start from
 *
 * The first slot after @now_unix (see the top of pw-scheduler.c): on the
 * spring-forward day a time inside the gap runs when the gap ends (02:30
 * at 03:00), on the fall-back day a repeated time runs at its first
 * occurrence only.
 *
 * Returns: unix seconds, strictly after @now_unix
 */
gint64
pw_scheduler_next_run (GTimeZone *tz,
                       guint      hour,
                       guint      minute,
                       gint64     now_unix)
{
  gint64 today;

  g_return_val_if_fail (tz != NULL, now_unix + DAY);
  g_return_val_if_fail (hour < 24 && minute < 60, now_unix + DAY);

  /* From yesterday: a fall-back across midnight shows yesterday's date again. */
  today = local_day (tz, now_unix);
  for (gint64 day = today - 1; day <= today + 7; day++)
    {
      gint64 slot = first_instant_at (tz, day * DAY + hour * 3600 + minute * 60);

      if (slot > now_unix && local_day (tz, slot) == day)
        return slot;
    }
  /* No zone skips a week. */
  return now_unix + DAY;
}

/**
 * pw_scheduler_parse_time:
 * @text: "HH:MM" (or "H:MM"), 00:00 to 23:59
 * @hour: (out) (optional)
 * @minute: (out) (optional)
 */
gboolean
pw_scheduler_parse_time (const char  *text,
                         guint       *hour,
                         guint       *minute,
                         GError     **error)
{
  guint h = 0, m = 0;
  gsize i = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  for (; i < 2 && g_ascii_isdigit (text[i]); i++)
    h = h * 10 + (guint) (text[i] - '0');
  if (i == 0 || text[i] != ':' || !g_ascii_isdigit (text[i + 1]) ||
      !g_ascii_isdigit (text[i + 2]) || text[i + 3] != '\0' || h > 23)
    goto invalid;
  m = (guint) (text[i + 1] - '0') * 10 + (guint) (text[i + 2] - '0');
  if (m > 59)
    goto invalid;

  if (hour != NULL)
    *hour = h;
  if (minute != NULL)
    *minute = m;
  return TRUE;

invalid:
  {
    g_autofree char *shown = pw_text_sanitize (text, -1, 32);

    g_set_error (error, PW_SCHEDULER_ERROR, PW_SCHEDULER_ERROR_INVALID_TIME,
                 _("“%s” is not a time of day: write it as HH:MM, from 00:00 to 23:59"), shown);
    return FALSE;
  }
}

/* The object */

static gint64
now (PwScheduler *self)
{
  return self->clock != NULL ? self->clock (self->clock_data)
                             : g_get_real_time () / G_USEC_PER_SEC;
}

static GTimeZone *
dup_zone (PwScheduler *self)
{
  return self->tz != NULL ? g_time_zone_ref (self->tz) : g_time_zone_new_local ();
}

static gint64
load (PwScheduler *self,
      const char  *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = pw_store_get_state (self->store, key, &error);
  gint64 value = 0;

  if (error != NULL)
    g_message ("Cannot read the sync schedule (%s): %s", key, error->message);
  if (text != NULL && !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &value, NULL))
    value = 0;
  return value;
}

static void
save (PwScheduler *self,
      const char  *key,
      gint64       value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = value > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;

  /* Kept in memory regardless: the schedule holds while the program runs. */
  if (!pw_store_set_state (self->store, key, text, &error))
    g_message ("Cannot save the sync schedule (%s): %s", key, error->message);
}

static char *
format_local (GTimeZone *tz,
              gint64     t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M %Z")
                       : g_strdup_printf ("%" G_GINT64_FORMAT, t);
}

/* The first slot after @now_unix on a later date than the last one fired. */
static gint64
compute_next_run (PwScheduler *self,
                  gint64       now_unix)
{
  g_autoptr(GTimeZone) tz = dup_zone (self);
  gint64 last_day = self->last_slot > 0 ? local_day (tz, self->last_slot) : G_MININT64;
  gint64 slot = now_unix;

  /* The last slot is at most a day ahead (forget_wrong_last_slot), so two
   * steps reach a later date; four for a zone that skips one. */
  for (guint i = 0; i < 4; i++)
    {
      slot = pw_scheduler_next_run (tz, self->hour, self->minute, slot);
      if (local_day (tz, slot) > last_day)
        break;
    }
  return slot;
}

static void
set_next_run (PwScheduler *self,
              gint64       next_run)
{
  if (self->next_run == next_run)
    return;
  self->next_run = next_run;
  save (self, KEY_NEXT_RUN, next_run);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN]);
}

static void
set_last_slot (PwScheduler *self,
               gint64       last_slot)
{
  if (self->last_slot == last_slot)
    return;
  self->last_slot = last_slot;
  save (self, KEY_LAST_SLOT, last_slot);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SLOT]);
}

static void
forget_wrong_last_slot (PwScheduler *self,
                        gint64       now_unix)
{
  if (self->last_slot > now_unix + DAY)
    {
      g_message ("The last daily sync is recorded at %" G_GINT64_FORMAT ", more than a day "
                 "ahead of the clock; the clock was wrong then or is now. Forgetting it",
                 self->last_slot);
      set_last_slot (self, 0);
    }
}

static void
log_missed (PwScheduler *self,
            gint64       slot,
            const char  *why)
{
  g_autoptr(GTimeZone) tz = dup_zone (self);
  g_autofree char *shown = format_local (tz, slot);

  g_message ("Missed the daily sync of %s (%s); the next one is at the next daily time",
             shown, why);
}

static void
check (PwScheduler *self)
{
  gint64 now_unix = now (self);
  gint64 slot = self->next_run;

  forget_wrong_last_slot (self, now_unix);
  if (now_unix < slot)
    {
      /* Normally the same slot; earlier if the clock went back. */
      set_next_run (self, compute_next_run (self, now_unix));
      return;
    }

  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  if (now_unix - slot < PW_SCHEDULER_GRACE)
    {
      /* Recorded before anyone acts on it: a crash in a handler must not fire it twice. */
      set_last_slot (self, slot);
      set_next_run (self, compute_next_run (self, now_unix));
      g_object_thaw_notify (G_OBJECT (self));
      g_debug ("Slot %" G_GINT64_FORMAT " due", slot);
      g_signal_emit (self, signals[SIGNAL_DUE], 0, slot, FALSE);
    }
  else
    {
      log_missed (self, slot, "the clock jumped past it");
      set_next_run (self, compute_next_run (self, now_unix));
      g_object_thaw_notify (G_OBJECT (self));
      g_signal_emit (self, signals[SIGNAL_MISSED], 0, slot);
    }
  g_object_unref (self);
}

static gboolean
check_cb (gpointer user_data)
{
  check (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
missed_at_start_cb (gpointer user_data)
{
  PwScheduler *self = user_data;
  gint64 slot = self->missed_at_start;

  g_clear_pointer (&self->idle_source, g_source_unref);
  self->missed_at_start = 0;
  g_signal_emit (self, signals[SIGNAL_MISSED], 0, slot);
  return G_SOURCE_REMOVE;
}

static gboolean
unfinished_at_start_cb (gpointer user_data)
{
  PwScheduler *self = user_data;

  g_clear_pointer (&self->idle_source, g_source_unref);
  g_debug ("Slot %" G_GINT64_FORMAT " fired but got no payload: due again", self->last_slot);
  g_signal_emit (self, signals[SIGNAL_DUE], 0, self->last_slot, FALSE);
  return G_SOURCE_REMOVE;
}

static GSource *
attach (GSource     *source,
        GSourceFunc  func,
        gpointer     data)
{
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* What the store remembers from the last run, then the timer. */
static void
start (PwScheduler *self,
       guint        check_interval_ms)
{
  gint64 now_unix = now (self);
  gint64 saved_next_run = load (self, KEY_NEXT_RUN);

  self->last_slot = load (self, KEY_LAST_SLOT);
  forget_wrong_last_slot (self, now_unix);
  self->next_run = saved_next_run;
  if (saved_next_run > 0 && saved_next_run <= now_unix && saved_next_run > self->last_slot)
    {
      log_missed (self, saved_next_run, "Printwatch was not running");
      self->missed_at_start = saved_next_run;
      self->idle_source = attach (g_idle_source_new (), missed_at_start_cb, self);
    }
  else if (self->last_slot > 0 && now_unix >= self->last_slot &&
           now_unix - self->last_slot < PW_SCHEDULER_GRACE &&
           load (self, PW_STORE_STATE_LAST_QUEUED) < self->last_slot)
    self->idle_source = attach (g_idle_source_new (), unfinished_at_start_cb, self);
  set_next_run (self, compute_next_run (self, now_unix));

  if (check_interval_ms == 0)
    check_interval_ms = PW_SCHEDULER_CHECK_INTERVAL * 1000;
  self->check_source = attach (check_interval_ms % 1000 == 0
                                 ? g_timeout_source_new_seconds (check_interval_ms / 1000)
                                 : g_timeout_source_new (check_interval_ms),
                               check_cb, self);
}

static void
pw_scheduler_dispose (GObject *object)
{
  PwScheduler *self = PW_SCHEDULER (object);

  if (self->check_source != NULL)
    g_source_destroy (self->check_source);
  g_clear_pointer (&self->check_source, g_source_unref);
  if (self->idle_source != NULL)
    g_source_destroy (self->idle_source);
  g_clear_pointer (&self->idle_source, g_source_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pw_scheduler_parent_class)->dispose (object);
}

static void
pw_scheduler_finalize (GObject *object)
{
  PwScheduler *self = PW_SCHEDULER (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->time);

  G_OBJECT_CLASS (pw_scheduler_parent_class)->finalize (object);
}

static void
pw_scheduler_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PwScheduler *self = PW_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_string (value, self->time);
      break;
    case PROP_NEXT_RUN:
      g_value_set_int64 (value, self->next_run);
      break;
    case PROP_LAST_SLOT:
      g_value_set_int64 (value, self->last_slot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_scheduler_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PwScheduler *self = PW_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_TIME:
      {
        g_autoptr(GError) error = NULL;
        const char *time = g_value_get_string (value);

        /* A bound setting may hold anything an admin typed: keep the old time. */
        if (time == NULL || !pw_scheduler_set_time (self, time, &error))
          g_message ("Keeping the daily time %s: %s", self->time,
                     error != NULL ? error->message : "no time given");
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_scheduler_class_init (PwSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pw_scheduler_dispose;
  object_class->finalize = pw_scheduler_finalize;
  object_class->get_property = pw_scheduler_get_property;
  object_class->set_property = pw_scheduler_set_property;

  /* "HH:MM", local time. */
  properties[PROP_TIME] =
    g_param_spec_string ("time", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Unix seconds of the slot waited for. */
  properties[PROP_NEXT_RUN] = g_param_spec_int64 ("next-run", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Unix seconds of the slot that fired last; 0 if none did. */
  properties[PROP_LAST_SLOT] = g_param_spec_int64 ("last-slot", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwScheduler::due:
   * @slot: unix seconds of the slot; the time of the request if @manual
   * @manual: %TRUE for pw_scheduler_run_now()
   *
   * Time to upload. Emitted once per slot.
   */
  signals[SIGNAL_DUE] =
    g_signal_new ("due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  /**
   * PwScheduler::missed:
   * @slot: unix seconds of the slot
   *
   * A slot passed without firing: the program was not running, or the clock
   * jumped more than %PW_SCHEDULER_GRACE past it. The upload waits for the
   * next slot.
   */
  signals[SIGNAL_MISSED] =
    g_signal_new ("missed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
pw_scheduler_init (PwScheduler *self)
{
}

PwScheduler *
_pw_scheduler_new_full (PwStore           *store,
                        const char        *time,
                        GTimeZone         *tz,
                        PwSchedulerClock   clock,
                        gpointer           clock_data,
                        guint              check_interval_ms,
                        GError           **error)
{
  PwScheduler *self;
  guint hour, minute;

  g_return_val_if_fail (PW_IS_STORE (store), NULL);
  g_return_val_if_fail (time != NULL, NULL);

  if (!pw_scheduler_parse_time (time, &hour, &minute, error))
    return NULL;

  self = g_object_new (PW_TYPE_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->tz = tz != NULL ? g_time_zone_ref (tz) : NULL;
  self->clock = clock;
  self->clock_data = clock_data;
  self->hour = hour;
  self->minute = minute;
  self->time = g_strdup_printf ("%02u:%02u", hour, minute);
  start (self, check_interval_ms);
  return self;
}

/**
 * pw_scheduler_new:
 * @store: where the schedule is remembered between runs
 * @time: the daily time, "HH:MM" in local time
 *
 * Starts waiting for the next slot on the thread-default main context. A
 * slot missed while the program was not running is signalled ("missed")
 * from an idle callback, and not made up.
 *
 * Returns: (transfer full) (nullable): the scheduler, or %NULL if @time is
 *   not a time of day
 */
PwScheduler *
pw_scheduler_new (PwStore     *store,
                  const char  *time,
                  GError     **error)
{
  return _pw_scheduler_new_full (store, time, NULL, NULL, NULL, 0, error);
}

const char *
pw_scheduler_get_time (PwScheduler *self)
{
  g_return_val_if_fail (PW_IS_SCHEDULER (self), NULL);
  return self->time;
}

/**
 * pw_scheduler_set_time:
 * @time: "HH:MM" in local time
 *
 * Moves the daily time and waits for its next slot; if today's upload was
 * made already, that is tomorrow's.
 */
gboolean
pw_scheduler_set_time (PwScheduler  *self,
                       const char   *time,
                       GError      **error)
{
  guint hour, minute;

  g_return_val_if_fail (PW_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (time != NULL, FALSE);

  if (!pw_scheduler_parse_time (time, &hour, &minute, error))
    return FALSE;
  if (hour == self->hour && minute == self->minute)
    return TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  self->hour = hour;
  self->minute = minute;
  g_free (self->time);
  self->time = g_strdup_printf ("%02u:%02u", hour, minute);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
  set_next_run (self, compute_next_run (self, now (self)));
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

gint64
pw_scheduler_get_next_run (PwScheduler *self)
{
  g_return_val_if_fail (PW_IS_SCHEDULER (self), 0);
  return self->next_run;
}

gint64
pw_scheduler_get_last_slot (PwScheduler *self)
{
  g_return_val_if_fail (PW_IS_SCHEDULER (self), 0);
  return self->last_slot;
}

/**
 * pw_scheduler_run_now:
 *
 * Emits "due" with manual %TRUE, now. The daily slot stays as it is.
 */
void
pw_scheduler_run_now (PwScheduler *self)
{
  g_return_if_fail (PW_IS_SCHEDULER (self));

  g_signal_emit (self, signals[SIGNAL_DUE], 0, now (self), TRUE);
}
