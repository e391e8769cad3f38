/* pw-smtp.c: one e-mail to an SMTP server (libcurl).
 *
 * libcurl's easy interface blocks, so a message goes out on a worker
 * thread (pw_smtp_send_async ()), or from a caller's own worker
 * (pw_smtp_send ()); a cancellable stops it between two reads. The
 * certificate is always checked, TLS 1.2 at least; "starttls" refuses a
 * server that does not offer STARTTLS instead of going on in the clear, and
 * a password is never sent unencrypted to anything but this computer.
 *
 * Failures come back in words, with the server's own reply where it gave
 * one, as PwSmtpError: what a later try may fix (down, silent, 4xx) apart
 * from what needs a person (5xx, sign-in, certificate, settings).
 *
 * Like PwUploader, the password has a setter but no property, and is never
 * in a message or a log line. A PwSmtp is not changed while it sends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-smtp"

#include "config.h"

#include "pw-smtp.h"
#include "pw-address.h"
#include "pw-text.h"
#include "pw-uploader-private.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#define TIMEOUT_MIN 1
#define TIMEOUT_MAX 3600
/* The longest server reply kept for an error message, in characters. */
#define REPLY_MAX_CHARS 200

struct _PwSmtp
{
  GObject         parent_instance;

  char           *host;      /* owned */
  guint16         port;
  PwSmtpSecurity  security;
  char           *ca_file;   /* owned, nullable: the system's trusted CAs */
  char           *user;      /* owned, nullable: no sign-in */
  char           *password;  /* owned, secret, nullable */
  guint           timeout;   /* seconds */
};

G_DEFINE_FINAL_TYPE (PwSmtp, pw_smtp, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-smtp-error-quark, pw_smtp_error)

static void
pw_smtp_finalize (GObject *object)
{
  PwSmtp *self = PW_SMTP (object);

  g_free (self->host);
  g_free (self->ca_file);
  g_free (self->user);
  _pw_clear_secret (&self->password);

  G_OBJECT_CLASS (pw_smtp_parent_class)->finalize (object);
}

static void
pw_smtp_class_init (PwSmtpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_smtp_finalize;

  /* Before any thread may use libcurl (curl_global_init is not thread-safe before 7.84). */
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
pw_smtp_init (PwSmtp *self)
{
  self->timeout = PW_SMTP_DEFAULT_TIMEOUT;
}

/**
 * pw_smtp_new:
 * @host: the mail server's name or IP address
 * @port: 587 for submission with STARTTLS, 465 for TLS, 25 for plain SMTP
 */
PwSmtp *
pw_smtp_new (const char     *host,
             guint16         port,
             PwSmtpSecurity  security)
{
  PwSmtp *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (PW_TYPE_SMTP, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  return self;
}

const char *
pw_smtp_get_host (PwSmtp *self)
{
  g_return_val_if_fail (PW_IS_SMTP (self), NULL);
  return self->host;
}

guint16
pw_smtp_get_port (PwSmtp *self)
{
  g_return_val_if_fail (PW_IS_SMTP (self), 0);
  return self->port;
}

PwSmtpSecurity
pw_smtp_get_security (PwSmtp *self)
{
  g_return_val_if_fail (PW_IS_SMTP (self), PW_SMTP_SECURITY_STARTTLS);
  return self->security;
}

/**
 * pw_smtp_set_ca_file:
 * @path: (nullable): a PEM file of the authorities that may vouch for the
 *   server, or %NULL for the system's
 */
void
pw_smtp_set_ca_file (PwSmtp     *self,
                     const char *path)
{
  g_return_if_fail (PW_IS_SMTP (self));
  g_free (self->ca_file);
  self->ca_file = path != NULL && path[0] != '\0' ? g_strdup (path) : NULL;
}

/**
 * pw_smtp_set_credentials:
 * @user: (nullable): the user name, or %NULL not to sign in
 * @password: (nullable): its password
 */
void
pw_smtp_set_credentials (PwSmtp     *self,
                         const char *user,
                         const char *password)
{
  g_return_if_fail (PW_IS_SMTP (self));
  g_free (self->user);
  self->user = user != NULL && user[0] != '\0' ? g_strdup (user) : NULL;
  _pw_clear_secret (&self->password);
  self->password = self->user != NULL ? g_strdup (password != NULL ? password : "") : NULL;
}

guint
pw_smtp_get_timeout (PwSmtp *self)
{
  g_return_val_if_fail (PW_IS_SMTP (self), 0);
  return self->timeout;
}

/**
 * pw_smtp_set_timeout:
 * @seconds: how long the server may take to accept the connection, and to
 *   answer each command (1 to 3600)
 */
void
pw_smtp_set_timeout (PwSmtp *self,
                     guint   seconds)
{
  g_return_if_fail (PW_IS_SMTP (self));
  self->timeout = CLAMP (seconds, TIMEOUT_MIN, TIMEOUT_MAX);
}

/**
 * pw_smtp_describe_server:
 *
 * Returns: (transfer full): "host:port", as messages name the server
 */
char *
pw_smtp_describe_server (PwSmtp *self)
{
  g_return_val_if_fail (PW_IS_SMTP (self), NULL);
  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->host, self->port);
  return g_strdup_printf ("%s:%u", self->host, self->port);
}

/**
 * pw_smtp_address_is_valid:
 * @address: (nullable): an e-mail address, bare: "admin@example.com"
 *
 * What Printwatch accepts as a sender or recipient: one addr-spec of
 * RFC 5321 in plain ASCII, without quoting, comments or a display name, so
 * it can go into a header and an SMTP command as it is.
 */
gboolean
pw_smtp_address_is_valid (const char *address)
{
  const char *at;
  gsize len;

  if (address == NULL)
    return FALSE;
  len = strlen (address);
  at = strchr (address, '@');
  if (len > 254 || at == NULL || at == address || at - address > 64 || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = address; p < at; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-/=?^_`{|}~.", *p) == NULL)
      return FALSE;
  if (address[0] == '.' || at[-1] == '.' || strstr (address, "..") != NULL)
    return FALSE;
  /* A domain name (RFC 1035 letters, digits, hyphens) with at least one dot, or localhost. */
  if (at[1] == '\0' || at[1] == '.' || at[1] == '-' || address[len - 1] == '.' || address[len - 1] == '-')
    return FALSE;
  for (const char *p = at + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return strchr (at + 1, '.') != NULL || g_ascii_strcasecmp (at + 1, "localhost") == 0;
}

/**
 * pw_smtp_error_is_retryable:
 *
 * Returns: whether trying the same message later may work without a
 *   person changing anything: the server down or silent, or a 4xx reply
 */
gboolean
pw_smtp_error_is_retryable (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return error->domain == PW_SMTP_ERROR &&
         (error->code == PW_SMTP_ERROR_NETWORK || error->code == PW_SMTP_ERROR_TIMEOUT ||
          error->code == PW_SMTP_ERROR_TEMPORARY || error->code == PW_SMTP_ERROR_PROTOCOL);
}

/* ---- sending ---- */

typedef struct {
  const guchar *data;
  gsize         len;
  gsize         offset;
  GCancellable *cancellable;
  char         *reply;  /* owned, nullable: the server's last refusal, made safe */
} Transfer;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  Transfer *transfer = user_data;
  gsize n = MIN (size * nitems, transfer->len - transfer->offset);

  memcpy (buffer, transfer->data + transfer->offset, n);
  transfer->offset += n;
  return n;
}

static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *transfer = user_data;

  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

/* Keeps the server's last refusal (a 4xx or 5xx reply line: not the 221 of
 * the QUIT that follows it), for an error message. What we send (the
 * password among it) is never looked at. */
static int
debug_cb (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  Transfer *transfer = user_data;
  g_autofree char *line = NULL;

  if (type != CURLINFO_HEADER_IN || size < 3 || (data[0] != '4' && data[0] != '5'))
    return 0;
  line = pw_text_sanitize (data, (gssize) MIN (size, 4096), REPLY_MAX_CHARS);
  if (line[0] != '\0')
    {
      g_free (transfer->reply);
      transfer->reply = g_steal_pointer (&line);
    }
  return 0;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  return g_ascii_strcasecmp (host, "localhost") == 0 ||
         (address != NULL && g_inet_address_get_is_loopback (address));
}

/* The name we greet the server with (EHLO): this computer's, when it is one a
 * server accepts. */
static const char *
ehlo_name (void)
{
  const char *name = g_get_host_name ();

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return "localhost";
  return name[0] != '\0' ? name : "localhost";
}

static gboolean
check_settings (PwSmtp              *self,
                const char          *from,
                const char * const  *to,
                GError             **error)
{
  g_autoptr(PwAddress) address = NULL;
  g_autofree char *server = pw_smtp_describe_server (self);

  address = pw_address_new_host (self->host, self->port, NULL);
  if (address == NULL || self->port == 0)
    {
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                   _("“%s” is not the name or address of a mail server"), server);
      return FALSE;
    }
  if (!pw_smtp_address_is_valid (from))
    {
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                   _("“%s” is not an e-mail address Printwatch can send from"), from != NULL ? from : "");
      return FALSE;
    }
  if (to == NULL || to[0] == NULL)
    {
      g_set_error_literal (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG, _("No recipient is set"));
      return FALSE;
    }
  for (guint i = 0; to[i] != NULL; i++)
    if (!pw_smtp_address_is_valid (to[i]))
      {
        g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                     _("“%s” is not an e-mail address Printwatch can send to"), to[i]);
        return FALSE;
      }
  if (self->user != NULL && self->security == PW_SMTP_SECURITY_NONE && !is_loopback_host (self->host))
    {
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                   _("Signing in to %s without encryption would show the password to the network: "
                     "use STARTTLS or TLS"), server);
      return FALSE;
    }
  if (self->ca_file != NULL && g_access (self->ca_file, R_OK) != 0)
    {
      int saved = errno;

      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                   _("Cannot read the CA file %s: %s"), self->ca_file, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* The server's refusal, or libcurl's words when it gave none. */
static const char *
detail (const Transfer *transfer,
        const char     *errbuf,
        CURLcode        rc)
{
  if (transfer->reply != NULL)
    return transfer->reply;
  return errbuf[0] != '\0' ? errbuf : curl_easy_strerror (rc);
}

static void
set_curl_error (GError         **error,
                PwSmtp          *self,
                CURLcode         rc,
                long             reply_code,
                const Transfer  *transfer,
                const char      *errbuf)
{
  g_autofree char *server = pw_smtp_describe_server (self);
  const char *why = detail (transfer, errbuf, rc);

  switch ((int) rc)
    {
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sending the e-mail was cancelled"));
      return;
    case CURLE_COULDNT_RESOLVE_HOST:
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_NETWORK,
                   _("The mail server %s is unknown: its name does not resolve"), server);
      return;
    case CURLE_COULDNT_CONNECT:
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_NETWORK,
                   _("Cannot connect to the mail server %s: it is down or refuses connections (%s)"), server,
                   errbuf[0] != '\0' ? errbuf : curl_easy_strerror (rc));
      return;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TIMEOUT,
                   g_dngettext (GETTEXT_PACKAGE, "The mail server %s did not answer within %u second",
                                "The mail server %s did not answer within %u seconds", self->timeout),
                   server, self->timeout);
      return;
    case CURLE_LOGIN_DENIED:
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_AUTH,
                   _("The mail server %s refused the user name or password (%s)"), server, why);
      return;
    case CURLE_USE_SSL_FAILED:
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TLS,
                   _("The mail server %s does not offer STARTTLS; nothing was sent unencrypted"), server);
      return;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TLS,
                   _("The mail server %s could not be verified, so nothing was sent: %s"), server,
                   errbuf[0] != '\0' ? errbuf : curl_easy_strerror (rc));
      return;
    default:
      break;
    }

  /* The server said no to a command: its reply code tells how. */
  if (reply_code == 530 || reply_code == 534 || reply_code == 535 || reply_code == 538)
    g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_AUTH,
                 _("The mail server %s wants another sign-in (%s)"), server, why);
  else if (reply_code >= 500 && reply_code < 600)
    g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_REJECTED,
                 _("The mail server %s refused the e-mail: %s"), server, why);
  else if (reply_code >= 400 && reply_code < 500)
    g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TEMPORARY,
                 _("The mail server %s cannot take the e-mail now: %s"), server, why);
  else if (rc == CURLE_WEIRD_SERVER_REPLY || rc == CURLE_UNSUPPORTED_PROTOCOL)
    g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_PROTOCOL,
                 _("The mail server %s answered something that is not SMTP (%s)"), server, why);
  else
    g_set_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_NETWORK,
                 _("The connection to the mail server %s was lost (%s)"), server,
                 errbuf[0] != '\0' ? errbuf : curl_easy_strerror (rc));
}

static char *
make_url (PwSmtp *self)
{
  const char *scheme = self->security == PW_SMTP_SECURITY_TLS ? "smtps" : "smtp";

  /* The path is the name given in EHLO. */
  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u/%s", scheme, self->host, self->port, ehlo_name ());
  return g_strdup_printf ("%s://%s:%u/%s", scheme, self->host, self->port, ehlo_name ());
}

/**
 * pw_smtp_send:
 * @from: the envelope sender
 * @to: (array zero-terminated=1): the envelope recipients, one at least
 * @message: the whole message (RFC 5322), CRLF line ends
 *
 * Sends @message and blocks until the server accepted it for every
 * recipient, refused it or failed: call it on a worker thread only.
 *
 * Returns: %TRUE once the server took responsibility for the message
 */
gboolean
pw_smtp_send (PwSmtp              *self,
              const char          *from,
              const char * const  *to,
              GBytes              *message,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autofree char *url = NULL;
  g_autofree char *mail_from = NULL;
  struct curl_slist *rcpt = NULL;
  char errbuf[CURL_ERROR_SIZE] = "";
  Transfer transfer = { 0 };
  CURL *curl;
  CURLcode rc;
  long reply_code = 0;

  g_return_val_if_fail (PW_IS_SMTP (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!check_settings (self, from, to, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error_literal (error, PW_SMTP_ERROR, PW_SMTP_ERROR_NETWORK, _("Cannot start an SMTP connection"));
      return FALSE;
    }
  transfer.data = g_bytes_get_data (message, &transfer.len);
  transfer.cancellable = cancellable;
  url = make_url (self);
  mail_from = g_strdup_printf ("<%s>", from);
  for (guint i = 0; to[i] != NULL; i++)
    {
      g_autofree char *recipient = g_strdup_printf ("<%s>", to[i]);

      rcpt = curl_slist_append (rcpt, recipient);
    }

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) self->timeout);
  curl_easy_setopt (curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long) self->timeout);
  /* A server that answers each command just in time still ends. */
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) self->timeout * 4);
  curl_easy_setopt (curl, CURLOPT_USE_SSL,
                    self->security == PW_SMTP_SECURITY_NONE ? (long) CURLUSESSL_NONE : (long) CURLUSESSL_ALL);
  curl_easy_setopt (curl, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, self->ca_file);
  if (self->user != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, self->user);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
    }
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &transfer);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) transfer.len);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, &transfer);

  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply_code);
  if (rc != CURLE_OK)
    {
      g_debug ("%s: %s (reply %ld)", url, curl_easy_strerror (rc), reply_code);
      set_curl_error (error, self, rc, reply_code, &transfer, errbuf);
    }
  else
    g_debug ("%s accepted %" G_GSIZE_FORMAT " bytes", url, transfer.len);

  curl_easy_cleanup (curl);
  curl_slist_free_all (rcpt);
  g_free (transfer.reply);
  return rc == CURLE_OK;
}

typedef struct {
  char   *from;
  GStrv   to;
  GBytes *message;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->from);
  g_strfreev (data->to);
  g_bytes_unref (data->message);
  g_free (data);
}

static void
send_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *data = task_data;
  GError *error = NULL;

  if (pw_smtp_send (source_object, data->from, (const char * const *) data->to, data->message, cancellable,
                    &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pw_smtp_send_async:
 *
 * pw_smtp_send () on a worker thread.
 */
void
pw_smtp_send_async (PwSmtp              *self,
                    const char          *from,
                    const char * const  *to,
                    GBytes              *message,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (PW_IS_SMTP (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_smtp_send_async);
  data = g_new0 (SendData, 1);
  data->from = g_strdup (from);
  data->to = g_strdupv ((char **) to);
  data->message = g_bytes_ref (message);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_worker);
}

gboolean
pw_smtp_send_finish (PwSmtp        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
