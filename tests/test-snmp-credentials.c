/* test-snmp-credentials.c: PwSnmpCredentials, as an admin fills them in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"

#include <string.h>

/* Weak or not, these are valid credentials. */
static PwSnmpCredentials *
v3_user (PwSnmpAuthProtocol auth,
         PwSnmpPrivProtocol priv)
{
  g_autoptr(GError) error = NULL;
  PwSnmpCredentials *credentials = pw_snmp_credentials_new_v3 ("ops", auth, "auth-passphrase", priv,
                                                               "priv-passphrase", &error);

  g_assert_no_error (error);
  return credentials;
}

static void
test_credentials_validation (void)
{
  static const char secret[] = "s3cret-passphrase";
  static const struct {
    const char *user;
    PwSnmpAuthProtocol auth;
    const char *auth_pass;
    PwSnmpPrivProtocol priv;
    const char *priv_pass;
    int code;
  } bad[] = {
#define USER PW_SNMP_CREDENTIALS_ERROR_INVALID_USER
#define PASS PW_SNMP_CREDENTIALS_ERROR_INVALID_PASSPHRASE
    { "", PW_SNMP_AUTH_SHA256, secret, PW_SNMP_PRIV_AES128, secret, USER },
    { "a-user-name-longer-than-32-bytes!", PW_SNMP_AUTH_NONE, NULL, PW_SNMP_PRIV_NONE, NULL, USER },
    { "ops", PW_SNMP_AUTH_SHA256, "xyzzy12", PW_SNMP_PRIV_NONE, NULL, PASS },
    { "ops", PW_SNMP_AUTH_SHA256, NULL, PW_SNMP_PRIV_NONE, NULL, PASS },
    { "ops", PW_SNMP_AUTH_SHA256, secret, PW_SNMP_PRIV_AES256, "1234567", PASS },
    { "ops", PW_SNMP_AUTH_SHA256, "\xff\xfe invalid UTF-8", PW_SNMP_PRIV_NONE, NULL, PASS },
    { "ops", PW_SNMP_AUTH_NONE, NULL, PW_SNMP_PRIV_AES128, secret,
      PW_SNMP_CREDENTIALS_ERROR_PRIV_WITHOUT_AUTH },
#undef USER
#undef PASS
  };
  g_autofree char *long_community = g_strnfill (256, 'c');
  g_autoptr(PwSnmpCredentials) ok = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwSnmpCredentials) credentials =
        pw_snmp_credentials_new_v3 (bad[i].user, bad[i].auth, bad[i].auth_pass, bad[i].priv,
                                    bad[i].priv_pass, &error);

      g_assert_null (credentials);
      g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, bad[i].code);
      g_assert_null (strstr (error->message, secret));
      g_assert_null (strstr (error->message, "xyzzy12"));
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "", &error));
    g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_COMMUNITY);
    g_clear_error (&error);
    g_assert_null (pw_snmp_credentials_new_community (PW_SNMP_VERSION_1, long_community, &error));
    g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_INVALID_COMMUNITY);
    g_assert_null (strstr (error->message, long_community));
  }

  ok = pw_snmp_credentials_new_v3 ("ops", PW_SNMP_AUTH_SHA256, secret, PW_SNMP_PRIV_NONE, "ignored",
                                   NULL);
  g_assert_nonnull (ok);
  g_assert_cmpint (pw_snmp_credentials_get_version (ok), ==, PW_SNMP_VERSION_3);
  g_assert_cmpstr (pw_snmp_credentials_get_user (ok), ==, "ops");
  g_assert_cmpstr (pw_snmp_credentials_get_auth_passphrase (ok), ==, secret);
  g_assert_null (pw_snmp_credentials_get_priv_passphrase (ok));
  g_assert_null (pw_snmp_credentials_get_community (ok));

  {
    /* Secrets are not properties: a property dump shows none. */
    g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (ok), NULL);
    g_autofree char *description = pw_snmp_credentials_describe (ok);

    for (guint i = 0; specs[i] != NULL; i++)
      {
        g_auto(GValue) value = G_VALUE_INIT;
        g_autofree char *shown = NULL;

        g_value_init (&value, specs[i]->value_type);
        g_object_get_property (G_OBJECT (ok), specs[i]->name, &value);
        shown = g_strdup_value_contents (&value);
        g_assert_null (strstr (shown, secret));
      }
    g_assert_cmpstr (description, ==, "SNMPv3 user “ops” (SHA-256, no encryption)");
  }
}

static void
test_credentials_protocol_names (void)
{
  static const struct {
    const char *text;
    PwSnmpAuthProtocol protocol;
  } auth[] = {
    { "SHA-256", PW_SNMP_AUTH_SHA256 }, { "sha256", PW_SNMP_AUTH_SHA256 },
    { " SHA 256 ", PW_SNMP_AUTH_SHA256 }, { "HMAC192SHA256", PW_SNMP_AUTH_SHA256 },
    { "SHA", PW_SNMP_AUTH_SHA1 }, { "sha-1", PW_SNMP_AUTH_SHA1 }, { "md5", PW_SNMP_AUTH_MD5 },
    { "SHA2-512", PW_SNMP_AUTH_SHA512 }, { "sha_384", PW_SNMP_AUTH_SHA384 },
    { "SHA224", PW_SNMP_AUTH_SHA224 }, { "none", PW_SNMP_AUTH_NONE }, { "", PW_SNMP_AUTH_NONE },
  };
  static const struct {
    const char *text;
    PwSnmpPrivProtocol protocol;
  } priv[] = {
    { "AES", PW_SNMP_PRIV_AES128 }, { "aes128", PW_SNMP_PRIV_AES128 },
    { "AES-256", PW_SNMP_PRIV_AES256 }, { "aes 192", PW_SNMP_PRIV_AES192 },
    { "DES", PW_SNMP_PRIV_DES }, { "CBC-DES", PW_SNMP_PRIV_DES }, { "NoPriv", PW_SNMP_PRIV_NONE },
  };
  static const char * const unknown[] = { "SHA-3", "AES-512", "3DES", "blowfish" };

  for (gsize i = 0; i < G_N_ELEMENTS (auth); i++)
    {
      PwSnmpAuthProtocol protocol = PW_SNMP_AUTH_MD5;

      g_assert_true (pw_snmp_auth_protocol_parse (auth[i].text, &protocol, NULL));
      g_assert_cmpint (protocol, ==, auth[i].protocol);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (priv); i++)
    {
      PwSnmpPrivProtocol protocol = PW_SNMP_PRIV_DES;

      g_assert_true (pw_snmp_priv_protocol_parse (priv[i].text, &protocol, NULL));
      g_assert_cmpint (protocol, ==, priv[i].protocol);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = NULL;
      PwSnmpAuthProtocol auth_protocol;
      PwSnmpPrivProtocol priv_protocol;

      g_assert_false (pw_snmp_auth_protocol_parse (unknown[i], &auth_protocol, &error));
      g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_UNKNOWN_PROTOCOL);
      g_assert_nonnull (strstr (error->message, unknown[i]));
      g_clear_error (&error);
      g_assert_false (pw_snmp_priv_protocol_parse (unknown[i], &priv_protocol, &error));
      g_assert_error (error, PW_SNMP_CREDENTIALS_ERROR, PW_SNMP_CREDENTIALS_ERROR_UNKNOWN_PROTOCOL);
    }
  g_assert_cmpstr (pw_snmp_auth_protocol_to_string (PW_SNMP_AUTH_SHA512), ==, "SHA-512");
  g_assert_cmpstr (pw_snmp_priv_protocol_to_string (PW_SNMP_PRIV_AES192), ==, "AES-192");
}

static void
test_credentials_weak (void)
{
  g_autoptr(PwSnmpCredentials) v2c = pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "public",
                                                                       NULL);
  g_autoptr(PwSnmpCredentials) md5des = v3_user (PW_SNMP_AUTH_MD5, PW_SNMP_PRIV_DES);
  g_autoptr(PwSnmpCredentials) md5 = v3_user (PW_SNMP_AUTH_MD5, PW_SNMP_PRIV_AES128);
  g_autoptr(PwSnmpCredentials) des = v3_user (PW_SNMP_AUTH_SHA256, PW_SNMP_PRIV_DES);
  g_autoptr(PwSnmpCredentials) sha1 = v3_user (PW_SNMP_AUTH_SHA1, PW_SNMP_PRIV_AES128);
  g_autoptr(PwSnmpCredentials) strong = v3_user (PW_SNMP_AUTH_SHA512, PW_SNMP_PRIV_AES256);
  g_autofree char *reason = NULL;

  g_assert_true (pw_snmp_credentials_is_weak (v2c, &reason));
  g_assert_nonnull (strstr (reason, "clear text"));
  g_assert_null (strstr (reason, "public"));
  g_clear_pointer (&reason, g_free);
  g_assert_true (pw_snmp_credentials_is_weak (md5des, &reason));
  g_assert_nonnull (strstr (reason, "MD5 and DES"));
  g_clear_pointer (&reason, g_free);
  g_assert_true (pw_snmp_credentials_is_weak (md5, &reason));
  g_assert_nonnull (strstr (reason, "MD5"));
  g_clear_pointer (&reason, g_free);
  g_assert_true (pw_snmp_credentials_is_weak (des, NULL));
  g_assert_false (pw_snmp_credentials_is_weak (sha1, NULL));
  g_assert_false (pw_snmp_credentials_is_weak (strong, &reason));
  g_assert_null (reason);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/snmp-credentials/validation", test_credentials_validation);
  g_test_add_func ("/snmp-credentials/protocol-names", test_credentials_protocol_names);
  g_test_add_func ("/snmp-credentials/weak", test_credentials_weak);

  return g_test_run ();
}
