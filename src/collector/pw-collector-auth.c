/* pw-collector-auth.c: who may upload.
 *
 * The credentials file has one entry per line: "user:password" for HTTP Basic, or
 * "token:VALUE" for a bearer token (so no Basic user may be called "token"). Blank lines and
 * lines starting with '#' are skipped. Passwords never appear on the command line.
 *
 * Only the SHA-256 digest of "user:password" or of the token is kept. A check digests what
 * the client sent and compares it with every entry, always all 32 bytes of all entries, so
 * the time taken tells nothing about how much of a secret was right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-collector"

#include "config.h"

#include "pw-collector-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define DIGEST_LEN        32
/* Far beyond any real credential; bounds the work an unauthenticated client can cause. */
#define AUTHORIZATION_MAX 4096

typedef enum {
  ENTRY_BASIC,
  ENTRY_BEARER,
} EntryKind;

typedef struct {
  EntryKind  kind;
  guint8     digest[DIGEST_LEN];
  char      *user;  /* owned: Basic user name, or NULL for a token */
} Entry;

struct _PwCollectorCredentials
{
  GArray *entries;  /* of Entry */
};

static void
entry_clear (Entry *entry)
{
  g_free (entry->user);
}

void
_pw_collector_credentials_free (PwCollectorCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_array_unref (credentials->entries);
  g_free (credentials);
}

static void
digest (const void *data,
        gsize       len,
        guint8      out[DIGEST_LEN])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize out_len = DIGEST_LEN;

  g_checksum_update (checksum, data, (gssize) len);
  g_checksum_get_digest (checksum, out, &out_len);
}

/* RFC 6750 §2.1 b64token, as PwUploader checks it. */
static gboolean
is_b64token (const char *token)
{
  const char *p = token;

  while (g_ascii_isalnum (*p) || (*p != '\0' && strchr ("-._~+/", *p) != NULL))
    p++;
  if (p == token)
    return FALSE;
  while (*p == '=')
    p++;
  return *p == '\0';
}

PwCollectorCredentials *
_pw_collector_credentials_load (const char  *path,
                                GError     **error)
{
  g_autoptr(PwCollectorCredentials) credentials = g_new0 (PwCollectorCredentials, 1);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) read_error = NULL;
  gsize len = 0;

  credentials->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (credentials->entries, (GDestroyNotify) entry_clear);

  if (!g_file_get_contents (path, &contents, &len, &read_error))
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("Cannot read the credentials file: %s"), read_error->message);
      return NULL;
    }
  if (!g_utf8_validate_len (contents, len, NULL))
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("The credentials file %s is not UTF-8 text"), path);
      return NULL;
    }
  lines = g_strsplit (contents, "\n", -1);
  explicit_bzero (contents, len);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      char *colon;
      Entry entry = { 0 };

      g_strchomp (line);  /* CRLF files too */
      if (*line == '\0' || *line == '#')
        continue;
      colon = strchr (line, ':');
      if (colon == NULL || colon == line || colon[1] == '\0')
        {
          g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                       _("%s, line %u: expected “user:password” or “token:VALUE”"), path, i + 1);
          return NULL;
        }
      if (colon - line == 5 && strncmp (line, "token", 5) == 0)
        {
          if (!is_b64token (colon + 1))
            {
              g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                           _("%s, line %u: a token may contain only letters, digits and - . _ ~ + / ="),
                           path, i + 1);
              return NULL;
            }
          entry.kind = ENTRY_BEARER;
          digest (colon + 1, strlen (colon + 1), entry.digest);
        }
      else
        {
          entry.kind = ENTRY_BASIC;
          entry.user = g_strndup (line, (gsize) (colon - line));
          digest (line, strlen (line), entry.digest);
        }
      g_array_append_val (credentials->entries, entry);
      explicit_bzero (line, strlen (line));
    }
  if (credentials->entries->len == 0)
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_CONFIG,
                   _("The credentials file %s has no entries"), path);
      return NULL;
    }
  return g_steal_pointer (&credentials);
}

/* Every entry of @kind, every byte: no early exit. */
static const Entry *
find_entry (PwCollectorCredentials *credentials,
            EntryKind               kind,
            const guint8            offered[DIGEST_LEN])
{
  const Entry *found = NULL;

  for (guint i = 0; i < credentials->entries->len; i++)
    {
      const Entry *entry = &g_array_index (credentials->entries, Entry, i);
      guint8 difference = entry->kind == kind ? 0 : 1;

      for (guint b = 0; b < DIGEST_LEN; b++)
        difference |= entry->digest[b] ^ offered[b];
      if (difference == 0)
        found = entry;
    }
  return found;
}

/* TRUE when @authorization (the header's value, nullable) matches an entry. @principal: who
 * it was ("token" for a bearer token), for the log and the database. */
gboolean
_pw_collector_credentials_check (PwCollectorCredentials  *credentials,
                                 const char              *authorization,
                                 char                   **principal)
{
  guint8 offered[DIGEST_LEN];
  const Entry *entry;

  if (authorization == NULL || strlen (authorization) > AUTHORIZATION_MAX)
    return FALSE;

  /* RFC 9110 §11.1: the scheme is case-insensitive. */
  if (g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      g_autofree char *text = g_strstrip (g_strdup (authorization + 6));
      g_autofree guchar *decoded = NULL;
      gsize len = 0;

      decoded = g_base64_decode (text, &len);
      digest (decoded, len, offered);
      explicit_bzero (decoded, len);
      entry = find_entry (credentials, ENTRY_BASIC, offered);
    }
  else if (g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      const char *token = authorization + 7;

      while (*token == ' ')
        token++;
      digest (token, strlen (token), offered);
      entry = find_entry (credentials, ENTRY_BEARER, offered);
    }
  else
    return FALSE;

  if (entry == NULL)
    return FALSE;
  if (principal != NULL)
    *principal = g_strdup (entry->user != NULL ? entry->user : "token");
  return TRUE;
}
