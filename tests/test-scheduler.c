/* test-scheduler.c: PwScheduler: next-run arithmetic across DST, and the
 * daily slot on a fake clock, with a real store for its memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-scheduler-private.h"
#include "pw-test-utils.h"

#include <string.h>

#define HOUR 3600
#define DAY (24 * HOUR)

static gint64
utc (int year,
     int month,
     int day,
     int hour,
     int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt);
}

static GTimeZone *
zone (const char *identifier)
{
  GTimeZone *tz = g_time_zone_new_identifier (identifier);

  if (tz == NULL)
    g_error ("time zone %s is missing: install tzdata", identifier);
  return tz;
}

/* Next-run arithmetic */

typedef struct {
  const char *zone;
  const char *time;
  gint64      now;
  gint64      expected;
} Case;

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GTimeZone) tz = zone (cases[i].zone);
      guint hour, minute;
      gint64 next;

      g_assert_true (pw_scheduler_parse_time (cases[i].time, &hour, &minute, NULL));
      next = pw_scheduler_next_run (tz, hour, minute, cases[i].now);
      if (next != cases[i].expected)
        g_error ("case %" G_GSIZE_FORMAT " (%s %s from %" G_GINT64_FORMAT "): got %" G_GINT64_FORMAT
                 ", expected %" G_GINT64_FORMAT, i, cases[i].zone, cases[i].time, cases[i].now,
                 next, cases[i].expected);
    }
}

/* Europe/Berlin, 2026-03-29: at 01:00 UTC, 02:00 CET becomes 03:00 CEST. */
static void
test_next_run_berlin_spring (void)
{
  const Case cases[] = {
    /* In the gap: 02:30 does not exist on the 29th; the run is at 03:00 CEST. */
    { "Europe/Berlin", "02:30", utc (2026, 3, 27, 12, 0), utc (2026, 3, 28, 1, 30) },
    { "Europe/Berlin", "02:30", utc (2026, 3, 28, 12, 0), utc (2026, 3, 29, 1, 0) },
    { "Europe/Berlin", "02:30", utc (2026, 3, 29, 1, 0), utc (2026, 3, 30, 0, 30) },
    { "Europe/Berlin", "02:30", utc (2026, 3, 29, 12, 0), utc (2026, 3, 30, 0, 30) },
    /* The gap's edges. */
    { "Europe/Berlin", "02:00", utc (2026, 3, 28, 12, 0), utc (2026, 3, 29, 1, 0) },
    { "Europe/Berlin", "02:59", utc (2026, 3, 28, 12, 0), utc (2026, 3, 29, 1, 0) },
    { "Europe/Berlin", "03:00", utc (2026, 3, 28, 12, 0), utc (2026, 3, 29, 1, 0) },
    { "Europe/Berlin", "01:59", utc (2026, 3, 28, 12, 0), utc (2026, 3, 29, 0, 59) },
    /* An ordinary time: 06:00 CET is 05:00 UTC, 06:00 CEST 04:00 UTC. */
    { "Europe/Berlin", "06:00", utc (2026, 3, 27, 12, 0), utc (2026, 3, 28, 5, 0) },
    { "Europe/Berlin", "06:00", utc (2026, 3, 28, 12, 0), utc (2026, 3, 29, 4, 0) },
    { "Europe/Berlin", "06:00", utc (2026, 3, 29, 12, 0), utc (2026, 3, 30, 4, 0) },
    /* Strictly after: at the slot, the next is the next day's. */
    { "Europe/Berlin", "06:00", utc (2026, 3, 29, 4, 0), utc (2026, 3, 30, 4, 0) },
    { "Europe/Berlin", "06:00", utc (2026, 3, 29, 4, 0) - 1, utc (2026, 3, 29, 4, 0) },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Europe/Berlin, 2026-10-25: at 01:00 UTC, 03:00 CEST becomes 02:00 CET. */
static void
test_next_run_berlin_autumn (void)
{
  const Case cases[] = {
    /* 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET): only the first runs. */
    { "Europe/Berlin", "02:30", utc (2026, 10, 24, 12, 0), utc (2026, 10, 25, 0, 30) },
    { "Europe/Berlin", "02:30", utc (2026, 10, 25, 0, 30), utc (2026, 10, 26, 1, 30) },
    { "Europe/Berlin", "02:30", utc (2026, 10, 25, 1, 0), utc (2026, 10, 26, 1, 30) },
    { "Europe/Berlin", "02:30", utc (2026, 10, 25, 1, 30), utc (2026, 10, 26, 1, 30) },
    { "Europe/Berlin", "02:30", utc (2026, 10, 23, 12, 0), utc (2026, 10, 24, 0, 30) },
    { "Europe/Berlin", "06:00", utc (2026, 10, 23, 12, 0), utc (2026, 10, 24, 4, 0) },
    { "Europe/Berlin", "06:00", utc (2026, 10, 24, 12, 0), utc (2026, 10, 25, 5, 0) },
    { "Europe/Berlin", "06:00", utc (2026, 10, 25, 12, 0), utc (2026, 10, 26, 5, 0) },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* America/New_York: 2026-03-08 02:00 EST becomes 03:00 EDT (07:00 UTC);
 * 2026-11-01 02:00 EDT becomes 01:00 EST (06:00 UTC). */
static void
test_next_run_new_york (void)
{
  const Case cases[] = {
    { "America/New_York", "02:30", utc (2026, 3, 6, 12, 0), utc (2026, 3, 7, 7, 30) },
    { "America/New_York", "02:30", utc (2026, 3, 7, 12, 0), utc (2026, 3, 8, 7, 0) },
    { "America/New_York", "02:30", utc (2026, 3, 8, 12, 0), utc (2026, 3, 9, 6, 30) },
    { "America/New_York", "06:00", utc (2026, 3, 6, 12, 0), utc (2026, 3, 7, 11, 0) },
    { "America/New_York", "06:00", utc (2026, 3, 7, 12, 0), utc (2026, 3, 8, 10, 0) },
    { "America/New_York", "06:00", utc (2026, 3, 8, 12, 0), utc (2026, 3, 9, 10, 0) },
    /* Autumn: 01:30 is the repeated time (05:30 and 06:30 UTC); 02:30 happens once. */
    { "America/New_York", "01:30", utc (2026, 10, 31, 12, 0), utc (2026, 11, 1, 5, 30) },
    { "America/New_York", "01:30", utc (2026, 11, 1, 5, 30), utc (2026, 11, 2, 6, 30) },
    { "America/New_York", "01:30", utc (2026, 11, 1, 6, 0), utc (2026, 11, 2, 6, 30) },
    { "America/New_York", "02:30", utc (2026, 10, 30, 12, 0), utc (2026, 10, 31, 6, 30) },
    { "America/New_York", "02:30", utc (2026, 10, 31, 12, 0), utc (2026, 11, 1, 7, 30) },
    { "America/New_York", "02:30", utc (2026, 11, 1, 12, 0), utc (2026, 11, 2, 7, 30) },
    { "America/New_York", "06:00", utc (2026, 10, 30, 12, 0), utc (2026, 10, 31, 10, 0) },
    { "America/New_York", "06:00", utc (2026, 10, 31, 12, 0), utc (2026, 11, 1, 11, 0) },
    { "America/New_York", "06:00", utc (2026, 11, 1, 12, 0), utc (2026, 11, 2, 11, 0) },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Over two years of runs, in zones with DST gaps at 02:00, at midnight
 * (Santiago), of half an hour (Lord Howe) and none: one run on every local
 * date, none skipped, each at the daily time or right after a gap. */
static void
test_next_run_every_date_once (void)
{
  const char * const zones[] = { "Europe/Berlin", "America/New_York", "America/Santiago",
                                 "Australia/Lord_Howe", "Asia/Kolkata", "UTC" };
  const char * const times[] = { "00:00", "00:30", "01:30", "02:00", "02:30", "06:00", "23:30",
                                 "23:59" };

  for (gsize z = 0; z < G_N_ELEMENTS (zones); z++)
    for (gsize t = 0; t < G_N_ELEMENTS (times); t++)
      {
        g_autoptr(GTimeZone) tz = zone (zones[z]);
        g_autoptr(GDateTime) start = g_date_time_new (tz, 2025, 12, 31, 23, 59, 59);
        g_autoptr(GDate) expected_date = g_date_new_dmy (1, G_DATE_JANUARY, 2026);
        gint64 now = g_date_time_to_unix (start);
        guint hour, minute;

        g_assert_true (pw_scheduler_parse_time (times[t], &hour, &minute, NULL));
        for (guint i = 0; i < 800; i++)
          {
            gint64 next = pw_scheduler_next_run (tz, hour, minute, now);
            g_autoptr(GDateTime) instant = g_date_time_new_from_unix_utc (next);
            g_autoptr(GDateTime) in_zone = g_date_time_to_timezone (instant, tz);
            g_autoptr(GDateTime) before = g_date_time_add_seconds (in_zone, -1);
            g_autoptr(GDate) date = g_date_new_dmy (g_date_time_get_day_of_month (in_zone),
                                                    g_date_time_get_month (in_zone),
                                                    g_date_time_get_year (in_zone));
            guint wall = g_date_time_get_hour (in_zone) * 60 + g_date_time_get_minute (in_zone);
            guint wall_before = g_date_time_get_hour (before) * 60 + g_date_time_get_minute (before);

            g_assert_cmpint (next, >, now);
            if (g_date_compare (date, expected_date) != 0)
              g_error ("%s %s: run %u on %d-%d-%d, expected %d-%d-%d", zones[z], times[t], i,
                       g_date_get_year (date), g_date_get_month (date), g_date_get_day (date),
                       g_date_get_year (expected_date), g_date_get_month (expected_date),
                       g_date_get_day (expected_date));
            /* At the time, or it did not exist: the second before showed an earlier time. */
            if (wall != hour * 60 + minute)
              {
                g_assert_cmpuint (wall, >, hour * 60 + minute);
                g_assert_true (g_date_time_get_day_of_month (before) != g_date_get_day (date) ||
                               wall_before < hour * 60 + minute);
              }
            g_date_add_days (expected_date, 1);
            now = next;
          }
      }
}

/* Samoa skipped 2011-12-30 (from UTC-10 to UTC+14): the slot of that date
 * would fall on the 31st, which has its own; one run there, not two. */
static void
test_next_run_skipped_date (void)
{
  const Case cases[] = {
    { "Pacific/Apia", "06:00", utc (2011, 12, 29, 12, 0), utc (2011, 12, 29, 16, 0) },
    { "Pacific/Apia", "06:00", utc (2011, 12, 29, 16, 0), utc (2011, 12, 30, 16, 0) },
    { "Pacific/Apia", "06:00", utc (2011, 12, 30, 16, 0), utc (2011, 12, 31, 16, 0) },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_time (void)
{
  const struct { const char *text; guint hour, minute; } good[] = {
    { "00:00", 0, 0 }, { "06:00", 6, 0 }, { "6:05", 6, 5 }, { "23:59", 23, 59 }, { "12:30", 12, 30 },
  };
  const char * const bad[] = {
    "", "24:00", "12:60", "12:5", "1200", " 06:00", "06:00 ", "ab:cd", "06:00\n", "-1:00",
    "+6:00", "06:000", "006:00", "06", ":30", "06:", "06-00", "\xff:00", "\x1b[31m06:00",
    "99:99", "06:00:00",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint hour = 99, minute = 99;

      g_assert_true (pw_scheduler_parse_time (good[i].text, &hour, &minute, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (hour, ==, good[i].hour);
      g_assert_cmpuint (minute, ==, good[i].minute);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint hour = 99, minute = 99;

      g_assert_false (pw_scheduler_parse_time (bad[i], &hour, &minute, &error));
      g_assert_error (error, PW_SCHEDULER_ERROR, PW_SCHEDULER_ERROR_INVALID_TIME);
      g_assert_cmpuint (hour, ==, 99);
      g_assert_cmpuint (minute, ==, 99);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\x1b'));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_nonnull (strstr (error->message, "HH:MM"));
    }
}

/* The scheduler on a fake clock */

typedef struct {
  char        *dir;
  char        *path;
  PwStore     *store;
  GTimeZone   *tz;
  GMainLoop   *loop;
  gint64       now;          /* the fake wall clock */
  guint        reads;        /* of the clock: one per check */
  guint        quit_at;      /* quit the loop at this many reads */
  GArray      *due;          /* gint64 slots */
  GArray      *manual;       /* gint64 slots, of run_now */
  GArray      *missed;       /* gint64 slots */
  guint        next_run_notifies;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->reads++;
  if (fixture->quit_at != 0 && fixture->reads >= fixture->quit_at)
    {
      fixture->quit_at = 0;
      g_main_loop_quit (fixture->loop);
    }
  return fixture->now;
}

static void
on_due (PwScheduler *scheduler,
        gint64       slot,
        gboolean     manual,
        Fixture     *fixture)
{
  g_array_append_val (manual ? fixture->manual : fixture->due, slot);
}

static void
on_missed (PwScheduler *scheduler,
           gint64       slot,
           Fixture     *fixture)
{
  g_array_append_val (fixture->missed, slot);
}

static void
on_next_run (PwScheduler *scheduler,
             GParamSpec  *pspec,
             Fixture     *fixture)
{
  fixture->next_run_notifies++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = pw_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "printwatch.db", NULL);
  fixture->store = pw_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->tz = zone ("Europe/Berlin");
  fixture->loop = g_main_loop_new (NULL, FALSE);
  fixture->due = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->manual = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->missed = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_array_unref (fixture->due);
  g_array_unref (fixture->manual);
  g_array_unref (fixture->missed);
  g_main_loop_unref (fixture->loop);
  g_time_zone_unref (fixture->tz);
  g_object_unref (fixture->store);
  pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

#define SCHEDULER_TEST(name, func) \
  g_test_add ("/scheduler/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

/* Checks every 2 ms, on the fake clock. */
static PwScheduler *
start_scheduler (Fixture    *fixture,
                 const char *time)
{
  g_autoptr(GError) error = NULL;
  PwScheduler *scheduler = _pw_scheduler_new_full (fixture->store, time, fixture->tz,
                                                   fake_clock, fixture, 2, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scheduler);
  g_signal_connect (scheduler, "due", G_CALLBACK (on_due), fixture);
  g_signal_connect (scheduler, "missed", G_CALLBACK (on_missed), fixture);
  g_signal_connect (scheduler, "notify::next-run", G_CALLBACK (on_next_run), fixture);
  return scheduler;
}

/* Runs the main loop until the scheduler has checked the clock @n times. */
static void
run_checks (Fixture *fixture,
            guint    n)
{
  fixture->quit_at = fixture->reads + n;
  g_main_loop_run (fixture->loop);
}

static gint64
stored (Fixture    *fixture,
        const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = pw_store_get_state (fixture->store, key, &error);

  g_assert_no_error (error);
  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gint64
due_at (Fixture *fixture,
        guint    i)
{
  g_assert_cmpuint (fixture->due->len, >, i);
  return g_array_index (fixture->due, gint64, i);
}

/* 06:00 in Berlin in May is 04:00 UTC. */
#define SLOT_MAY_10 utc (2026, 5, 10, 4, 0)

static void
test_fires_once_at_slot (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - 60;
  scheduler = start_scheduler (fixture, "06:00");
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10);
  g_assert_cmpint (stored (fixture, "sync.next-run"), ==, SLOT_MAY_10);
  g_assert_cmpint (pw_scheduler_get_last_slot (scheduler), ==, 0);

  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 0);

  fixture->now = SLOT_MAY_10;
  run_checks (fixture, 1);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (due_at (fixture, 0), ==, SLOT_MAY_10);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
  g_assert_cmpint (pw_scheduler_get_last_slot (scheduler), ==, SLOT_MAY_10);
  g_assert_cmpint (stored (fixture, "sync.next-run"), ==, SLOT_MAY_10 + DAY);
  g_assert_cmpint (stored (fixture, "sync.last-slot"), ==, SLOT_MAY_10);

  /* Later checks the same day: nothing more. */
  fixture->now = SLOT_MAY_10 + 30;
  run_checks (fixture, 3);
  fixture->now = SLOT_MAY_10 + 20 * HOUR;
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 1);

  /* The next day's slot. */
  fixture->now = SLOT_MAY_10 + DAY + 5;
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 2);
  g_assert_cmpint (due_at (fixture, 1), ==, SLOT_MAY_10 + DAY);
  g_assert_cmpuint (fixture->missed->len, ==, 0);
}

static void
test_restart_after_missed_slot (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  g_clear_object (&scheduler);

  /* Back ten minutes after the slot, well within the grace a running
   * scheduler gives a clock jump: still not made up. */
  fixture->now = SLOT_MAY_10 + 10 * 60;
  g_test_expect_message ("pw-scheduler", G_LOG_LEVEL_MESSAGE,
                         "Missed the daily sync of 2026-05-10 06:00 CEST (Printwatch was not running)*");
  scheduler = start_scheduler (fixture, "06:00");
  g_test_assert_expected_messages ();
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
  g_assert_cmpint (stored (fixture, "sync.next-run"), ==, SLOT_MAY_10 + DAY);

  run_checks (fixture, 5);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_cmpuint (fixture->missed->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->missed, gint64, 0), ==, SLOT_MAY_10);

  /* A second restart has nothing more to report. */
  g_clear_object (&scheduler);
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->missed->len, ==, 1);
  g_assert_cmpuint (fixture->due->len, ==, 0);
}

static void
test_restart_after_firing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - 60;
  scheduler = start_scheduler (fixture, "06:00");
  fixture->now = SLOT_MAY_10 + 1;
  run_checks (fixture, 1);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_clear_object (&scheduler);

  /* Killed before the payload was queued: the slot is due again. */
  fixture->now = SLOT_MAY_10 + 5 * 60;
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 5);
  g_assert_cmpuint (fixture->due->len, ==, 2);
  g_assert_cmpint (due_at (fixture, 1), ==, SLOT_MAY_10);
  g_assert_cmpuint (fixture->missed->len, ==, 0);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
  g_assert_cmpint (pw_scheduler_get_last_slot (scheduler), ==, SLOT_MAY_10);
  g_clear_object (&scheduler);

  /* Once its payload is in the outbox, a restart leaves the slot alone. */
  g_assert_true (pw_store_set_state (fixture->store, PW_STORE_STATE_LAST_QUEUED,
                                     "1778385660" /* SLOT_MAY_10 + 60 */, NULL));
  g_assert_cmpint (SLOT_MAY_10 + 60, ==, 1778385660);
  fixture->now = SLOT_MAY_10 + 10 * 60;
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 5);
  g_assert_cmpuint (fixture->due->len, ==, 2);
  g_clear_object (&scheduler);

  /* Nor is a slot an hour gone made up at a random hour. */
  g_assert_true (pw_store_set_state (fixture->store, PW_STORE_STATE_LAST_QUEUED, NULL, NULL));
  fixture->now = SLOT_MAY_10 + 2 * HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 5);
  g_assert_cmpuint (fixture->due->len, ==, 2);
  g_assert_cmpuint (fixture->missed->len, ==, 0);
}

static void
test_restart_before_slot (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - 2 * HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  g_clear_object (&scheduler);

  fixture->now = SLOT_MAY_10 - HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10);
  fixture->now = SLOT_MAY_10;
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpuint (fixture->missed->len, ==, 0);
}

static void
test_clock_back_after_firing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - 60;
  scheduler = start_scheduler (fixture, "06:00");
  fixture->now = SLOT_MAY_10 + 2;
  run_checks (fixture, 1);
  g_assert_cmpuint (fixture->due->len, ==, 1);

  /* Set back an hour, then through the slot again. */
  fixture->now = SLOT_MAY_10 - HOUR;
  run_checks (fixture, 3);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
  fixture->now = SLOT_MAY_10;
  run_checks (fixture, 3);
  fixture->now = SLOT_MAY_10 + 60;
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpuint (fixture->missed->len, ==, 0);

  /* The same across a restart. */
  g_clear_object (&scheduler);
  fixture->now = SLOT_MAY_10 - 30 * 60;
  scheduler = start_scheduler (fixture, "06:00");
  fixture->now = SLOT_MAY_10 + 30;
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
}

static void
test_clock_far_back_forgets (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;
  g_autofree char *future = g_strdup_printf ("%" G_GINT64_FORMAT, SLOT_MAY_10 + 30 * DAY);

  /* A slot fired by a clock a month fast. */
  g_assert_true (pw_store_set_state (fixture->store, "sync.last-slot", future, NULL));
  fixture->now = SLOT_MAY_10 - HOUR;
  g_test_expect_message ("pw-scheduler", G_LOG_LEVEL_MESSAGE, "The last daily sync is recorded at *");
  scheduler = start_scheduler (fixture, "06:00");
  g_test_assert_expected_messages ();
  g_assert_cmpint (pw_scheduler_get_last_slot (scheduler), ==, 0);
  g_assert_cmpint (stored (fixture, "sync.last-slot"), ==, 0);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10);
  fixture->now = SLOT_MAY_10;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
}

static void
test_forward_jump_within_grace (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - 3 * HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 2);

  /* Resumed from suspend 59 minutes after the slot. */
  fixture->now = SLOT_MAY_10 + PW_SCHEDULER_GRACE - 60;
  run_checks (fixture, 4);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (due_at (fixture, 0), ==, SLOT_MAY_10);
  g_assert_cmpuint (fixture->missed->len, ==, 0);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
}

static void
test_forward_jump_beyond_grace (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - 3 * HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 2);

  fixture->now = SLOT_MAY_10 + PW_SCHEDULER_GRACE + 60;
  g_test_expect_message ("pw-scheduler", G_LOG_LEVEL_MESSAGE,
                         "Missed the daily sync of 2026-05-10 06:00 CEST (the clock jumped past it)*");
  run_checks (fixture, 4);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_cmpuint (fixture->missed->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->missed, gint64, 0), ==, SLOT_MAY_10);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);

  /* Three days ahead: one slot missed (the one waited for), then on schedule. */
  fixture->now = SLOT_MAY_10 + 3 * DAY + 2 * HOUR;
  g_test_expect_message ("pw-scheduler", G_LOG_LEVEL_MESSAGE, "Missed the daily sync of 2026-05-11 06:00*");
  run_checks (fixture, 4);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->missed->len, ==, 2);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + 4 * DAY);
  fixture->now = SLOT_MAY_10 + 4 * DAY;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
}

static void
test_change_time (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *time = NULL;

  fixture->now = SLOT_MAY_10 - HOUR;  /* 05:00 CEST */
  scheduler = start_scheduler (fixture, "6:00");
  g_assert_cmpstr (pw_scheduler_get_time (scheduler), ==, "06:00");

  /* Later today. */
  fixture->next_run_notifies = 0;
  g_assert_true (pw_scheduler_set_time (scheduler, "07:30", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pw_scheduler_get_time (scheduler), ==, "07:30");
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, utc (2026, 5, 10, 5, 30));
  g_assert_cmpint (stored (fixture, "sync.next-run"), ==, utc (2026, 5, 10, 5, 30));
  g_assert_cmpuint (fixture->next_run_notifies, ==, 1);

  /* Earlier than now: tomorrow, and nothing fires for the time passed. */
  g_object_set (scheduler, "time", "04:00", NULL);
  g_object_get (scheduler, "time", &time, NULL);
  g_assert_cmpstr (time, ==, "04:00");
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, utc (2026, 5, 11, 2, 0));
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 0);

  /* A bad time from a bound setting is refused; the old one stays. */
  g_test_expect_message ("pw-scheduler", G_LOG_LEVEL_MESSAGE, "Keeping the daily time 04:00*");
  g_object_set (scheduler, "time", "25:00", NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (pw_scheduler_get_time (scheduler), ==, "04:00");
  g_assert_false (pw_scheduler_set_time (scheduler, "4 o'clock", &error));
  g_assert_error (error, PW_SCHEDULER_ERROR, PW_SCHEDULER_ERROR_INVALID_TIME);

  /* After today's run, a later time waits for tomorrow: one upload a day. */
  g_assert_true (pw_scheduler_set_time (scheduler, "06:00", NULL));
  fixture->now = SLOT_MAY_10;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_true (pw_scheduler_set_time (scheduler, "09:00", NULL));
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, utc (2026, 5, 11, 7, 0));
  g_assert_cmpint (stored (fixture, "sync.next-run"), ==, utc (2026, 5, 11, 7, 0));
}

static void
test_run_now (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  fixture->now = SLOT_MAY_10 - HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  pw_scheduler_run_now (scheduler);
  g_assert_cmpuint (fixture->manual->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->manual, gint64, 0), ==, SLOT_MAY_10 - HOUR);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10);
  g_assert_cmpint (pw_scheduler_get_last_slot (scheduler), ==, 0);

  /* The daily slot still fires. */
  fixture->now = SLOT_MAY_10;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpuint (fixture->manual->len, ==, 1);
}

static void
test_garbage_state (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  g_assert_true (pw_store_set_state (fixture->store, "sync.next-run", "soon\x1b[2J", NULL));
  g_assert_true (pw_store_set_state (fixture->store, "sync.last-slot", "-5", NULL));
  fixture->now = SLOT_MAY_10 + HOUR;
  scheduler = start_scheduler (fixture, "06:00");
  run_checks (fixture, 3);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_cmpuint (fixture->missed->len, ==, 0);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, SLOT_MAY_10 + DAY);
  g_assert_cmpint (stored (fixture, "sync.next-run"), ==, SLOT_MAY_10 + DAY);
}

/* Across the spring-forward night: 02:30 fires at 03:00 CEST. */
static void
test_dst_gap_fires (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;
  gint64 slot = utc (2026, 3, 29, 1, 0);

  fixture->now = utc (2026, 3, 28, 22, 0);
  scheduler = start_scheduler (fixture, "02:30");
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, slot);
  fixture->now = slot - 1;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  fixture->now = slot;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, utc (2026, 3, 30, 0, 30));
}

/* Across the fall-back night: 02:30 fires at its first occurrence only. */
static void
test_dst_repeat_fires_once (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PwScheduler) scheduler = NULL;
  gint64 first = utc (2026, 10, 25, 0, 30);

  fixture->now = utc (2026, 10, 24, 22, 0);
  scheduler = start_scheduler (fixture, "02:30");
  fixture->now = first;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  fixture->now = first + HOUR;  /* 02:30 CET */
  run_checks (fixture, 2);
  fixture->now = first + HOUR + 10 * 60;
  run_checks (fixture, 2);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), ==, utc (2026, 10, 26, 1, 30));
}

static void
test_real_clock (void)
{
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "printwatch.db", NULL);
  g_autoptr(PwStore) store = pw_store_open (path, NULL);
  g_autoptr(PwScheduler) scheduler = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_nonnull (store);
  g_assert_null (pw_scheduler_new (store, "24:00", &error));
  g_assert_error (error, PW_SCHEDULER_ERROR, PW_SCHEDULER_ERROR_INVALID_TIME);

  scheduler = pw_scheduler_new (store, "06:00", NULL);
  g_assert_nonnull (scheduler);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), >, now);
  g_assert_cmpint (pw_scheduler_get_next_run (scheduler), <=, now + DAY + HOUR);
  g_clear_object (&scheduler);
  g_clear_object (&store);
  pw_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/scheduler/next-run/berlin-spring", test_next_run_berlin_spring);
  g_test_add_func ("/scheduler/next-run/berlin-autumn", test_next_run_berlin_autumn);
  g_test_add_func ("/scheduler/next-run/new-york", test_next_run_new_york);
  g_test_add_func ("/scheduler/next-run/every-date-once", test_next_run_every_date_once);
  g_test_add_func ("/scheduler/next-run/skipped-date", test_next_run_skipped_date);
  g_test_add_func ("/scheduler/parse-time", test_parse_time);
  g_test_add_func ("/scheduler/real-clock", test_real_clock);
  SCHEDULER_TEST ("fires-once-at-slot", test_fires_once_at_slot);
  SCHEDULER_TEST ("restart-after-missed-slot", test_restart_after_missed_slot);
  SCHEDULER_TEST ("restart-after-firing", test_restart_after_firing);
  SCHEDULER_TEST ("restart-before-slot", test_restart_before_slot);
  SCHEDULER_TEST ("clock-back-after-firing", test_clock_back_after_firing);
  SCHEDULER_TEST ("clock-far-back-forgets", test_clock_far_back_forgets);
  SCHEDULER_TEST ("forward-jump-within-grace", test_forward_jump_within_grace);
  SCHEDULER_TEST ("forward-jump-beyond-grace", test_forward_jump_beyond_grace);
  SCHEDULER_TEST ("change-time", test_change_time);
  SCHEDULER_TEST ("run-now", test_run_now);
  SCHEDULER_TEST ("garbage-state", test_garbage_state);
  SCHEDULER_TEST ("dst-gap-fires", test_dst_gap_fires);
  SCHEDULER_TEST ("dst-repeat-fires-once", test_dst_repeat_fires_once);

  return g_test_run ();
}
