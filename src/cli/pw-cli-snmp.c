/* pw-cli-snmp.c: what the commands that talk SNMP share: the credential
 * and engine options, the progress display, stopping on Ctrl+C.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define BAR_WIDTH 30
/* A terminal line is redrawn at most this often. */
#define REDRAW_USEC (G_USEC_PER_SEC / 10)

void
pw_cli_snmp_options_init (PwCliSnmpOptions *options)
{
  *options = (PwCliSnmpOptions) {
    .timeout = PW_SNMP_ENGINE_DEFAULT_TIMEOUT,
    .retries = PW_SNMP_ENGINE_DEFAULT_RETRIES,
    .concurrency = PW_SNMP_ENGINE_DEFAULT_CONCURRENCY,
  };
}

void
pw_cli_snmp_options_clear (PwCliSnmpOptions *options)
{
  g_strfreev (options->communities);
  g_free (options->version);
  g_free (options->user);
  g_free (options->auth_proto);
  g_free (options->auth_pass);
  g_free (options->priv_proto);
  g_free (options->priv_pass);
}

/**
 * pw_cli_snmp_options_entries:
 * @extra: (array zero-terminated=1): the command's own entries, first
 *
 * Returns: (transfer full): @extra followed by the SNMP options, filling @options
 */
GOptionEntry *
pw_cli_snmp_options_entries (PwCliSnmpOptions   *options,
                             const GOptionEntry *extra)
{
  const GOptionEntry snmp[] = {
    { "community", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &options->communities,
      N_("An SNMP community to try (repeat for more; default: public)"), N_("COMMUNITY") },
    { "snmp-version", 0, 0, G_OPTION_ARG_STRING, &options->version,
      N_("SNMP version for the communities: 1 or 2c (default 2c)"), N_("VERSION") },
    { "v3-user", 'u', 0, G_OPTION_ARG_STRING, &options->user, N_("An SNMPv3 user to try first"), N_("USER") },
    { "auth-proto", 0, 0, G_OPTION_ARG_STRING, &options->auth_proto,
      N_("SNMPv3 authentication: SHA-512, SHA-384, SHA-256, SHA-224, SHA, MD5"), N_("PROTOCOL") },
    { "auth-pass", 0, 0, G_OPTION_ARG_STRING, &options->auth_pass,
      N_("SNMPv3 authentication passphrase (better: $PRINTWATCH_AUTH_PASS)"), N_("PASSPHRASE") },
    { "priv-proto", 0, 0, G_OPTION_ARG_STRING, &options->priv_proto,
      N_("SNMPv3 privacy: AES-256, AES-192, AES, DES"), N_("PROTOCOL") },
    { "priv-pass", 0, 0, G_OPTION_ARG_STRING, &options->priv_pass,
      N_("SNMPv3 privacy passphrase (better: $PRINTWATCH_PRIV_PASS)"), N_("PASSPHRASE") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &options->timeout,
      N_("Milliseconds to wait for an answer (default 1000)"), N_("MS") },
    { "retries", 'r', 0, G_OPTION_ARG_INT, &options->retries, N_("Times to ask again (default 1)"), N_("N") },
    { "concurrency", 'j', 0, G_OPTION_ARG_INT, &options->concurrency,
      N_("Addresses asked at once (default 512)"), N_("N") },
    { "rate", 0, 0, G_OPTION_ARG_INT, &options->rate,
      N_("At most this many packets per second (default: no limit)"), N_("N") },
  };
  guint n_extra = 0;
  GOptionEntry *entries;

  while (extra != NULL && extra[n_extra].long_name != NULL)
    n_extra++;
  entries = g_new0 (GOptionEntry, n_extra + G_N_ELEMENTS (snmp) + 1);
  if (n_extra > 0)
    memcpy (entries, extra, n_extra * sizeof *extra);
  memcpy (entries + n_extra, snmp, sizeof snmp);
  return entries;
}

/* Whether the command line names any SNMP credentials at all. */
gboolean
pw_cli_snmp_options_given (PwCliSnmpOptions *options)
{
  return options->communities != NULL || options->user != NULL || options->version != NULL;
}

/* The credentials the options describe, v3 first; "public" over v2c when none are given. */
GPtrArray *
pw_cli_snmp_options_credentials (PwCliSnmpOptions  *options,
                                 GError           **error)
{
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  PwSnmpVersion community_version = PW_SNMP_VERSION_2C;
  const char *auth_pass = options->auth_pass;
  const char *priv_pass = options->priv_pass;

  if (g_strcmp0 (options->version, "1") == 0)
    community_version = PW_SNMP_VERSION_1;
  else if (options->version != NULL && g_strcmp0 (options->version, "2c") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an SNMP version for communities: use 1 or 2c"), options->version);
      return NULL;
    }

  if (auth_pass == NULL)
    auth_pass = g_getenv ("PRINTWATCH_AUTH_PASS");
  if (priv_pass == NULL)
    priv_pass = g_getenv ("PRINTWATCH_PRIV_PASS");
  if (options->user != NULL)
    {
      PwSnmpAuthProtocol auth = PW_SNMP_AUTH_NONE;
      PwSnmpPrivProtocol priv = PW_SNMP_PRIV_NONE;
      PwSnmpCredentials *v3;
      g_autofree char *why = NULL;

      if ((options->auth_proto != NULL && !pw_snmp_auth_protocol_parse (options->auth_proto, &auth, error)) ||
          (options->priv_proto != NULL && !pw_snmp_priv_protocol_parse (options->priv_proto, &priv, error)))
        return NULL;
      /* A passphrase without a protocol gets the strong default, never none. */
      if (options->auth_proto == NULL && auth_pass != NULL)
        auth = PW_SNMP_AUTH_SHA256;
      if (options->priv_proto == NULL && priv_pass != NULL)
        priv = PW_SNMP_PRIV_AES128;
      v3 = pw_snmp_credentials_new_v3 (options->user, auth, auth_pass, priv, priv_pass, error);
      if (v3 == NULL)
        return NULL;
      if (pw_snmp_credentials_is_weak (v3, &why))
        g_printerr (_("Warning: %s\n"), why);
      g_ptr_array_add (credentials, v3);
    }
  else if (options->auth_proto != NULL || options->auth_pass != NULL ||
           options->priv_proto != NULL || options->priv_pass != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("SNMPv3 options need --v3-user"));
      return NULL;
    }

  for (guint i = 0; options->communities != NULL && options->communities[i] != NULL; i++)
    {
      PwSnmpCredentials *community = pw_snmp_credentials_new_community (community_version,
                                                                        options->communities[i], error);
      if (community == NULL)
        return NULL;
      g_ptr_array_add (credentials, community);
    }
  if (credentials->len == 0)
    g_ptr_array_add (credentials, pw_snmp_credentials_new_community (community_version, "public", NULL));
  return g_steal_pointer (&credentials);
}

/* An engine with the options' settings, or NULL after a usage error. */
PwSnmpEngine *
pw_cli_snmp_options_engine (PwCliSnmpOptions *options)
{
  PwSnmpEngine *engine;

  if (options->timeout < 1 || options->retries < 0 || options->retries > 10 ||
      options->concurrency < 1 || options->concurrency > 65536 || options->rate < 0)
    {
      pw_cli_usage_error (_("--timeout, --retries, --concurrency and --rate need sensible numbers"));
      return NULL;
    }
  engine = pw_snmp_engine_new ();
  pw_snmp_engine_set_timeout (engine, (guint) options->timeout);
  pw_snmp_engine_set_retries (engine, (guint) options->retries);
  pw_snmp_engine_set_concurrency (engine, (guint) options->concurrency);
  pw_snmp_engine_set_rate_limit (engine, (guint) options->rate);
  return engine;
}

/* Progress */

void
pw_cli_progress_init (PwCliProgress *progress)
{
  *progress = (PwCliProgress) { .tty = isatty (STDERR_FILENO), .last_decile = G_MAXUINT };
}

/**
 * pw_cli_progress_draw:
 * @status: what has come of it so far, e.g. "3 printers found"
 *
 * A bar redrawn in place on a terminal; for logs, a plain line every tenth
 * of the way.
 */
void
pw_cli_progress_draw (PwCliProgress *progress,
                      guint64        done,
                      guint64        total,
                      const char    *status,
                      gboolean       force)
{
  gint64 now = g_get_monotonic_time ();
  guint64 shown_total = MAX (total, 1);

  if (progress->tty)
    {
      char bar[BAR_WIDTH + 1];
      guint filled = (guint) (MIN (done, shown_total) * BAR_WIDTH / shown_total);

      if (!force && now - progress->last_draw < REDRAW_USEC)
        return;
      progress->last_draw = now;
      for (guint i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
      bar[BAR_WIDTH] = '\0';
      g_printerr ("\r[%s] %llu/%llu, %s ", bar, (unsigned long long) done,
                  (unsigned long long) total, status);
    }
  else
    {
      guint decile = (guint) (MIN (done, shown_total) * 10 / shown_total);

      if (!force && decile == progress->last_decile)
        return;
      progress->last_decile = decile;
      g_printerr ("%llu/%llu, %s\n", (unsigned long long) done, (unsigned long long) total, status);
    }
}

void
pw_cli_progress_end (PwCliProgress *progress)
{
  if (progress->tty)
    g_printerr ("\n");
}

/* Ctrl+C */

static gboolean
interrupt_cb (gpointer user_data)
{
  PwCliInterrupt *interrupt = user_data;

  g_printerr ("\n%s\n", _("Stopping; what is done so far is kept…"));
  g_cancellable_cancel (interrupt->cancellable);
  interrupt->source = 0;
  return G_SOURCE_REMOVE;
}

/* Until pw_cli_interrupt_clear (), Ctrl+C cancels @cancellable. */
void
pw_cli_interrupt_init (PwCliInterrupt *interrupt,
                       GCancellable   *cancellable)
{
  interrupt->cancellable = cancellable;
  interrupt->source = g_unix_signal_add (SIGINT, interrupt_cb, interrupt);
}

void
pw_cli_interrupt_clear (PwCliInterrupt *interrupt)
{
  if (interrupt->source != 0)
    g_source_remove (interrupt->source);
  interrupt->source = 0;
}
