/* pw-notifier-text.c: what the e-mails say, in the user's language.
 *
 * Each e-mail names the printer (its name, address, location and model),
 * the condition in words (the Printer-MIB's and Host Resources MIB's own,
 * from pw-mib-names), since when it holds, and what to do about it; a
 * footer names the site and the Printwatch that wrote it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-notifier"

#include "config.h"

#include "pw-notifier-private.h"
#include "pw-agent.h"
#include "pw-mib-names.h"
#include "pw-text.h"
#include "pw-time.h"

#include <glib/gi18n-lib.h>

/* What to do about each bit of hrPrinterDetectedErrorState that makes an
 * error (RFC 2790); the others (low paper, low toner, nearly full, overdue
 * maintenance) are warnings, and supplies have their own rule. */
static const char * const error_advice[PW_PRINTER_ERROR_BITS] = {
  [1] = N_("Load paper into the empty tray."),
  [3] = N_("Replace the empty toner cartridge."),
  [4] = N_("Close the open door or cover."),
  [5] = N_("Clear the paper jam: open the covers the printer’s panel shows, take out the paper, and close them."),
  [6] = N_("Bring the printer back online from its control panel."),
  [7] = N_("Read what the printer’s panel asks for, and call the service company if it asks for service."),
  [8] = N_("Put the missing input tray back."),
  [9] = N_("Put the missing output bin back."),
  [10] = N_("Fit the missing toner cartridge, ink or drum."),
  [12] = N_("Empty the full output bin."),
};

/* Whether a bit of the error state makes an error worth an e-mail. */
gboolean
_pw_notifier_error_bit_is_error (guint bit)
{
  return bit < PW_PRINTER_ERROR_BITS && error_advice[bit] != NULL;
}

/* "2026-03-03 09:14 CET (3 hours ago)", in local time. */
char *
_pw_notifier_format_time (gint64 when,
                          gint64 now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *relative = NULL;

  if (when <= 0 || (utc = g_date_time_new_from_unix_utc (when)) == NULL)
    return g_strdup (_("never"));
  local = g_date_time_to_local (utc);
  clock = g_date_time_format (local, "%Y-%m-%d %H:%M %Z");
  relative = pw_time_describe_relative (when, now);
  /* TRANSLATORS: a time and how long ago it was, e.g. "2026-03-03 09:14 CET (3 hours ago)" */
  return g_strdup_printf (C_("mail time", "%s (%s)"), clock, relative);
}

/* "Printwatch 0.1.0 at Head office", and why the reader gets this (@why, nullable). */
static void
add_footer (PwMailBody          *body,
            const PwNotifierJob *job,
            const char          *why)
{
  g_autofree char *signature = NULL;

  if (job->site_name != NULL)
    /* TRANSLATORS: the e-mail's footer; %s are the version and the site's name */
    signature = g_strdup_printf (_("Printwatch %s at %s"), PACKAGE_VERSION, job->site_name);
  else
    /* TRANSLATORS: the e-mail's footer; %s are the version and the computer's name */
    signature = g_strdup_printf (_("Printwatch %s on %s"), PACKAGE_VERSION, g_get_host_name ());
  _pw_mail_body_rule (body);
  _pw_mail_body_paragraph (body, signature);
  if (why != NULL)
    _pw_mail_body_paragraph (body, why);
}

static const char *
why_rule (void)
{
  return _("You receive this e-mail because this notification is enabled in Printwatch’s settings. "
           "Printwatch writes once for each condition, and again only when it has cleared and come back.");
}

static void
add_device_fields (PwMailBody *body,
                   PwDevice   *device)
{
  g_autofree char *address = pw_device_dup_address (device);
  const char *vendor = pw_device_get_identity (device, PW_IDENTITY_VENDOR);
  const char *model = pw_device_get_identity (device, PW_IDENTITY_MODEL);
  g_autofree char *make = NULL;

  if (vendor != NULL && model != NULL && !g_str_has_prefix (model, vendor))
    make = g_strdup_printf ("%s %s", vendor, model);
  else
    make = g_strdup (model != NULL ? model : vendor);
  _pw_mail_body_field (body, _("Printer"), pw_device_get_display_name (device));
  _pw_mail_body_field (body, _("Address"), address);
  _pw_mail_body_field (body, _("Location"), pw_device_get_identity (device, PW_IDENTITY_LOCATION));
  _pw_mail_body_field (body, _("Model"), make);
  _pw_mail_body_field (body, _("Serial number"), pw_device_get_identity (device, PW_IDENTITY_SERIAL));
}

/* The printer's name for a supply, else its type in words. */
static char *
supply_name (const PwSupply *supply)
{
  g_autofree char *description = pw_text_sanitize (supply->description, -1, 80);

  if (description[0] != '\0')
    return g_steal_pointer (&description);
  return g_strdup (pw_mib_supply_type_label (supply->type));
}

static char *
supply_advice (const PwSupply *supply,
               const char     *name)
{
  /* RFC 3805: a receptacle (class 4, "filled") reports the room left. */
  if (supply->supply_class == 4)
    return g_strdup_printf (_("Empty or replace “%s” before it is full."), name);
  switch (supply->type)
    {
    case 3:   /* toner */
    case 21:  /* tonerCartridge */
    case 35:  /* matteToner */
      return g_strdup_printf (_("Replace the toner cartridge “%s” soon, and keep a spare at hand."), name);
    case 5:   /* ink */
    case 6:   /* inkCartridge */
    case 7:   /* inkRibbon */
    case 12:  /* solidWax */
    case 13:  /* ribbonWax */
    case 36:  /* matteInk */
      return g_strdup_printf (_("Replace the ink “%s” soon, and keep a spare at hand."), name);
    case 4:   /* wasteToner */
    case 8:   /* wasteInk */
    case 14:  /* wasteWax */
    case 24:  /* wasteWater */
    case 26:  /* wastePaper */
      return g_strdup_printf (_("Empty or replace “%s” before it is full."), name);
    case 27:  /* bindingSupply */
    case 28:  /* bandingSupply */
    case 29:  /* stitchingWire */
    case 30:  /* shrinkWrap */
    case 31:  /* paperWrap */
    case 32:  /* staples */
    case 33:  /* inserts */
    case 34:  /* covers */
      return g_strdup_printf (_("Refill “%s”."), name);
    case 9:   /* opc */
    case 10:  /* developer */
    case 15:  /* fuser */
    case 16:  /* coronaWire */
    case 17:  /* fuserOilWick */
    case 18:  /* cleanerUnit */
    case 19:  /* fuserCleaningPad */
    case 20:  /* transferUnit */
    case 22:  /* fuserOiler */
      return g_strdup_printf (_("Order a replacement for “%s”; the printer’s panel says when to fit it."), name);
    default:
      return g_strdup_printf (_("Replace or refill “%s” soon."), name);
    }
}

static const char *
alert_advice (const PwAlert *alert)
{
  switch (alert->code)
    {
    case 3:     /* coverOpen */
    case 5:     /* interlockOpen */
    case 18:    /* subunitOpened */
    case 501:   /* doorOpen */
      return _("Close the open door or cover.");
    case 8:     /* jam */
      return _(error_advice[5]);
    case 9:     /* subunitMissing */
    case 801:   /* inputMediaTrayMissing */
    case 901:   /* outputMediaTrayMissing */
    case 1115:  /* markerTonerCartridgeMissing */
    case 1301:  /* mediaPathMediaTrayMissing */
      return _("Put the missing part back in place.");
    case 808:   /* inputMediaSupplyEmpty */
    case 810:   /* inputManualInputRequest */
      return _("Load paper into the empty tray.");
    case 15:    /* subunitFull */
    case 903:   /* outputMediaTrayFull */
    case 1303:  /* mediaPathMediaTrayFull */
      return _("Empty the full output bin.");
    case 1101:  /* markerTonerEmpty */
      return _(error_advice[3]);
    case 1102:  /* markerInkEmpty */
    case 1103:  /* markerPrintRibbonEmpty */
      return _("Replace the empty ink or ribbon.");
    case 1109:  /* markerWasteTonerReceptacleFull */
    case 1110:  /* markerWasteInkReceptacleFull */
      return _("Replace the full waste toner box or ink tank.");
    default:
      return _("Read the message on the printer’s panel and do what it says; call the service company if "
               "it asks for service.");
    }
}

static char *
describe_alert (const PwAlert *alert)
{
  g_autofree char *description = pw_text_sanitize (alert->description, -1, 160);

  /* Without the severity: the sentence around it says "critical". */
  return pw_mib_alert_describe (1, alert->group, alert->group_index, alert->code, description);
}

/* The condition in words, for the subject and the first paragraph. */
static char *
condition_label (const PwCondition *condition)
{
  if (condition->error_bit >= 0)
    return g_strdup (pw_mib_printer_error_label ((guint) condition->error_bit));
  return g_strdup (pw_mib_device_status_label (PW_DEVICE_STATUS_DOWN));
}

/**
 * _pw_notifier_text_condition:
 * @since: since when it holds (unix seconds)
 */
PwMailBody *
_pw_notifier_text_condition (const PwNotifierJob *job,
                             PwDevice            *device,
                             const PwCondition   *condition,
                             gint64               since)
{
  const char *printer = pw_device_get_display_name (device);
  g_autofree char *when = _pw_notifier_format_time (since, job->now);
  g_autofree char *subject = NULL;
  g_autofree char *what = NULL;
  g_autofree char *advice = NULL;
  g_autoptr(PwMailBody) body = NULL;

  if (g_str_equal (condition->kind, PW_NOTIFY_SUPPLY_LOW))
    {
      g_autofree char *name = supply_name (condition->supply);

      if (condition->supply->supply_class == 4)
        {
          /* TRANSLATORS: an e-mail's subject: the printer, a supply, its room left in percent */
          subject = g_strdup_printf (_("%s: %s is nearly full (%d %% room left)"), printer, name,
                                     condition->percent);
          what = g_strdup_printf (_("%s has %d %% of its room left, less than the %u %% at which Printwatch "
                                    "warns."), name, condition->percent, job->rules.supply_below);
        }
      else
        {
          /* TRANSLATORS: an e-mail's subject: the printer, a supply, its level in percent */
          subject = g_strdup_printf (_("%s: %s is low (%d %%)"), printer, name, condition->percent);
          what = g_strdup_printf (_("%s is at %d %%, below the %u %% at which Printwatch warns."), name,
                                  condition->percent, job->rules.supply_below);
        }
      advice = supply_advice (condition->supply, name);
    }
  else if (g_str_equal (condition->kind, PW_NOTIFY_ERROR))
    {
      g_autofree char *label = condition_label (condition);

      /* TRANSLATORS: an e-mail's subject: the printer, then what is wrong, e.g. "Paper jam" */
      subject = g_strdup_printf (_("%s needs attention: %s"), printer, label);
      what = g_strdup_printf (_("The printer reports: %s."), label);
      advice = g_strdup (condition->error_bit >= 0
                         ? _(error_advice[condition->error_bit])
                         : _("Check the printer: it reports itself as down. Read its control panel, and "
                             "switch it off and on again if nothing else helps."));
    }
  else if (g_str_equal (condition->kind, PW_NOTIFY_CRITICAL_ALERT))
    {
      g_autofree char *alert = describe_alert (condition->alert);

      subject = g_strdup_printf (_("%s needs attention: %s"), printer, alert);
      what = g_strdup_printf (_("The printer reports a critical alert: %s."), alert);
      advice = g_strdup (alert_advice (condition->alert));
    }
  else
    {
      g_autofree char *short_when = NULL;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (since);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

      short_when = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
      /* TRANSLATORS: an e-mail's subject: the printer, and when it last answered */
      subject = g_strdup_printf (_("%s has not answered since %s"), printer, short_when);
      what = g_strdup_printf (_("Printwatch has had no answer from this printer since %s."), when);
      advice = g_strdup (_("Check that the printer is switched on and connected to the network. If its "
                           "address has changed, correct it in Printwatch."));
    }

  body = _pw_mail_body_new (subject);
  _pw_mail_body_paragraph (body, what);
  add_device_fields (body, device);
  if (g_str_equal (condition->kind, PW_NOTIFY_UNREACHABLE))
    _pw_mail_body_field (body, _("Last error"), pw_device_get_last_error (device));
  else
    _pw_mail_body_field (body, _("Since"), when);
  _pw_mail_body_heading (body, _("What to do"));
  _pw_mail_body_paragraph (body, advice);
  add_footer (body, job, why_rule ());
  return g_steal_pointer (&body);
}

/**
 * _pw_notifier_text_transmission:
 * @error: the last failure, in words
 * @since: when it was first seen
 */
PwMailBody *
_pw_notifier_text_transmission (const PwNotifierJob *job,
                                const char          *error,
                                gint64               since)
{
  g_autoptr(PwMailBody) body = _pw_mail_body_new (_("The transmission to the collection server failed"));
  g_autofree char *last_success = pw_store_get_state (job->store, PW_AGENT_KEY_LAST_SUCCESS, NULL);
  g_autoptr(GPtrArray) waiting = pw_store_outbox_list (job->store, 0, NULL);
  g_autofree char *when = _pw_notifier_format_time (since, job->now);
  g_autofree char *success = _pw_notifier_format_time (last_success != NULL ? g_ascii_strtoll (last_success,
                                                                                               NULL, 10) : 0,
                                                       job->now);
  g_autofree char *count = g_strdup_printf ("%u", waiting != NULL ? waiting->len : 0);

  _pw_mail_body_paragraph (body, _("Printwatch could not send the printers’ meter reads and supply levels to "
                                   "the collection server."));
  _pw_mail_body_field (body, _("Error"), error);
  _pw_mail_body_field (body, _("Since"), when);
  _pw_mail_body_field (body, _("Last successful transmission"), success);
  _pw_mail_body_field (body, _("Waiting to be sent"), count);
  _pw_mail_body_heading (body, _("What to do"));
  _pw_mail_body_paragraph (body, _("Nothing is lost: Printwatch keeps the data and sends it when the server "
                                   "answers again. If this lasts, check the collection server’s address, "
                                   "the network and the sign-in in Printwatch’s settings."));
  add_footer (body, job, why_rule ());
  return g_steal_pointer (&body);
}

/* One line per printer: how it is, in a few words. @low holds
 * "device-id/supply-index" of each supply-low condition still open. */
static char *
digest_line (PwDevice   *device,
             GHashTable *low)
{
  g_autofree char *address = pw_device_dup_address (device);
  const char *location = pw_device_get_identity (device, PW_IDENTITY_LOCATION);
  g_autoptr(GString) state = g_string_new (NULL);
  PwSnapshot *latest = pw_device_get_latest (device);

  if (!pw_device_get_reachable (device))
    g_string_append (state, _("not answering"));
  for (guint i = 0; latest != NULL && i < PW_PRINTER_ERROR_BITS; i++)
    if ((pw_snapshot_get_error_state (latest) & (1u << i)) && _pw_notifier_error_bit_is_error (i))
      {
        if (state->len > 0)
          g_string_append (state, ", ");
        g_string_append (state, pw_mib_printer_error_label (i));
      }
  for (guint i = 0; latest != NULL && i < pw_snapshot_get_supplies (latest)->len; i++)
    {
      const PwSupply *supply = g_ptr_array_index (pw_snapshot_get_supplies (latest), i);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%d", pw_device_get_id (device), supply->index);
      int percent = pw_supply_get_percent (supply);

      if (percent >= 0 && g_hash_table_contains (low, key))
        {
          g_autofree char *name = supply_name (supply);

          if (state->len > 0)
            g_string_append (state, ", ");
          /* TRANSLATORS: a supply and its level in the daily digest, e.g. "Cyan toner 8 %" */
          g_string_append_printf (state, _("%s %d %%"), name, percent);
        }
    }
  if (state->len == 0)
    g_string_append (state, _("fine"));
  if (location != NULL && location[0] != '\0')
    /* TRANSLATORS: a printer in the daily digest: name, address, location, then its state */
    return g_strdup_printf (_("%s (%s, %s): %s"), pw_device_get_display_name (device), address, location,
                            state->str);
  /* TRANSLATORS: a printer in the daily digest: name, address, then its state */
  return g_strdup_printf (_("%s (%s): %s"), pw_device_get_display_name (device), address, state->str);
}

/**
 * _pw_notifier_text_digest:
 * @devices: (element-type PwDevice): the fleet
 * @open: (element-type PwNotification): the conditions still open
 */
PwMailBody *
_pw_notifier_text_digest (const PwNotifierJob *job,
                          GPtrArray           *devices,
                          GPtrArray           *open)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *subject = NULL;
  g_autoptr(PwMailBody) body = NULL;
  g_autofree char *last_success = pw_store_get_state (job->store, PW_AGENT_KEY_LAST_SUCCESS, NULL);
  g_autofree char *last_error = pw_store_get_state (job->store, PW_AGENT_KEY_LAST_ERROR, NULL);
  g_autoptr(GPtrArray) waiting = pw_store_outbox_list (job->store, 0, NULL);
  g_autofree char *success = _pw_notifier_format_time (last_success != NULL ? g_ascii_strtoll (last_success,
                                                                                               NULL, 10) : 0,
                                                       job->now);
  g_autoptr(GHashTable) troubled = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) low = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint in_scope = 0, answering = 0, attention = 0;

  for (guint i = 0; i < open->len; i++)
    {
      const PwNotification *row = open->pdata[i];

      if (row->device_id <= 0)
        continue;
      g_hash_table_add (troubled, g_memdup2 (&row->device_id, sizeof row->device_id));
      if (g_str_equal (row->kind, PW_NOTIFY_SUPPLY_LOW))
        g_hash_table_add (low, g_strdup_printf ("%" G_GINT64_FORMAT "/%s", row->device_id, row->key));
    }
  for (guint i = 0; i < devices->len; i++)
    {
      PwDevice *device = devices->pdata[i];
      gint64 id = pw_device_get_id (device);

      if (!pw_device_get_in_scope (device))
        continue;
      in_scope++;
      if (pw_device_get_reachable (device))
        answering++;
      if (g_hash_table_contains (troubled, &id) || !pw_device_get_reachable (device))
        attention++;
    }

  if (job->site_name != NULL)
    /* TRANSLATORS: the daily digest's subject: the site's name and the date */
    subject = g_strdup_printf (_("Printwatch daily report for %s, %s"), job->site_name, date);
  else
    /* TRANSLATORS: the daily digest's subject: the date */
    subject = g_strdup_printf (_("Printwatch daily report, %s"), date);
  body = _pw_mail_body_new (subject);
  _pw_mail_body_paragraph (body, _("How the printers were at the daily transmission."));
  {
    g_autofree char *n_printers = g_strdup_printf ("%u", in_scope);
    g_autofree char *n_answering = g_strdup_printf ("%u", answering);
    g_autofree char *n_attention = g_strdup_printf ("%u", attention);
    g_autofree char *n_waiting = g_strdup_printf ("%u", waiting != NULL ? waiting->len : 0);

    _pw_mail_body_field (body, _("Printers"), n_printers);
    _pw_mail_body_field (body, _("Answering"), n_answering);
    _pw_mail_body_field (body, _("Needing attention"), n_attention);
    _pw_mail_body_field (body, _("Last successful transmission"), success);
    _pw_mail_body_field (body, _("Waiting to be sent"), n_waiting);
    if (last_error != NULL)
      _pw_mail_body_field (body, _("Last error"), last_error);
  }
  if (in_scope > 0)
    {
      _pw_mail_body_heading (body, _("Printers"));
      for (guint i = 0; i < devices->len; i++)
        if (pw_device_get_in_scope (devices->pdata[i]))
          {
            g_autofree char *line = digest_line (devices->pdata[i], low);

            _pw_mail_body_item (body, line);
          }
    }
  add_footer (body, job, _("You receive this e-mail because the daily digest is enabled in Printwatch’s "
                            "settings."));
  return g_steal_pointer (&body);
}

static const char *
security_label (PwSmtpSecurity security)
{
  switch (security)
    {
    case PW_SMTP_SECURITY_TLS:
      return _("TLS");
    case PW_SMTP_SECURITY_NONE:
      return _("none (unencrypted)");
    case PW_SMTP_SECURITY_STARTTLS:
    default:
      return _("STARTTLS");
    }
}

PwMailBody *
_pw_notifier_text_test (const PwNotifierJob *job)
{
  g_autoptr(PwMailBody) body = _pw_mail_body_new (_("Printwatch test e-mail"));
  g_autofree char *server = pw_smtp_describe_server (job->smtp);
  g_autofree char *supply = job->rules.supply_below > 0
                            ? g_strdup_printf (_("below %u %%"), job->rules.supply_below) : g_strdup (_("off"));
  g_autofree char *unreachable = job->rules.unreachable_minutes > 0
                                 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "after %u minute",
                                                                 "after %u minutes",
                                                                 job->rules.unreachable_minutes),
                                                    job->rules.unreachable_minutes)
                                 : g_strdup (_("off"));

  _pw_mail_body_paragraph (body, _("E-mail from Printwatch works. It writes to this address when a printer "
                                   "needs attention, as the rules below say."));
  _pw_mail_body_field (body, _("Mail server"), server);
  _pw_mail_body_field (body, _("Security"), security_label (pw_smtp_get_security (job->smtp)));
  _pw_mail_body_field (body, _("Supply low"), supply);
  _pw_mail_body_field (body, _("In error or not answering"), unreachable);
  _pw_mail_body_field (body, _("Critical alerts"), job->rules.critical_alerts ? _("on") : _("off"));
  _pw_mail_body_field (body, _("Failed transmissions"), job->rules.failed_transmissions ? _("on") : _("off"));
  _pw_mail_body_field (body, _("Daily digest"), job->rules.daily_digest ? _("on") : _("off"));
  add_footer (body, job, NULL);
  return g_steal_pointer (&body);
}
