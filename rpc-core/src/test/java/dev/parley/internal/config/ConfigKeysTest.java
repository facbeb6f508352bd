package dev.parley.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  @Test
  void envNameIsPrefixedUpperSnakeCase() {
    assertEquals("PARLEY_ENCRYPTION_KEY", ConfigKeys.envName(ConfigKeys.ENCRYPTION_KEY));
    assertEquals("PARLEY_AUTO_SESSIONS_LIVE", ConfigKeys.envName(ConfigKeys.AUTO_SESSIONS_LIVE));
    assertEquals("PARLEY_SECURE_KEY_FILE", ConfigKeys.envName(ConfigKeys.SECURE_KEY_FILE));
    assertEquals("PARLEY_URL", ConfigKeys.envName(ConfigKeys.URL));
  }

  @Test
  void serverKeysHaveSessionsButNoUrl() {
    assertTrue(ConfigKeys.SERVER.containsAll(java.util.Set.of("path", "autoSessionsLive", "maxSessions",
        "encryptionKey", "forceEncryption", "secureKey", "secureKeyFile", "secureKeyId",
        "allowUnauthenticated", "compression", "maxBodyBytes")));
    assertFalse(ConfigKeys.SERVER.contains(ConfigKeys.URL));
    assertFalse(ConfigKeys.SERVER.contains(ConfigKeys.AUTO_REPOST));
  }

  @Test
  void clientKeysHaveUrlTimeoutsAndAutoRepostButNoSessionSettings() {
    assertTrue(ConfigKeys.CLIENT.containsAll(java.util.Set.of("url", "path", "autoRepost", "connectTimeout",
        "readTimeout", "writeTimeout", "callTimeout", "encryptionKey", "secureKey", "compression",
        "autoSessionsPing")));
    assertEquals("PARLEY_AUTO_SESSIONS_PING", ConfigKeys.envName(ConfigKeys.AUTO_SESSIONS_PING));
    assertFalse(ConfigKeys.CLIENT.contains(ConfigKeys.AUTO_SESSIONS_LIVE));
    assertFalse(ConfigKeys.CLIENT.contains(ConfigKeys.MAX_SESSIONS));
  }

  @Test
  void onlyTheSecureKeyIsSecret() {
    assertTrue(ConfigKeys.isSecret("secureKey"));
    assertFalse(ConfigKeys.isSecret("secureKeyFile"));
  }

  @Test
  void aChosenPrefixReplacesParley() {
    assertEquals("PARLEY_CALC_AUTO_SESSIONS_LIVE", ConfigKeys.envName("PARLEY_CALC_", ConfigKeys.AUTO_SESSIONS_LIVE));
    assertEquals(java.util.Optional.of("PARLEY_CALC_"), ConfigKeys.envPrefix("PARLEY_CALC"));
    assertEquals(java.util.Optional.of("CALC_"), ConfigKeys.envPrefix("CALC_"));
    assertEquals(java.util.Optional.empty(), ConfigKeys.envPrefix("parley_calc"));
    assertEquals(java.util.Optional.empty(), ConfigKeys.envPrefix("_CALC"));
  }

  @Test
  void theServerFileHoldsJettySettingsAndNoModuleSettings() {
    assertTrue(ConfigKeys.RPC_SERVER.containsAll(java.util.Set.of("host", "port", "maxThreads", "stopTimeout",
        "drainTime", "tlsKeyStore", "healthPath", "requestLog", "corsAllowedOrigins", "shutdownHook", "envPrefix")));
    assertFalse(ConfigKeys.RPC_SERVER.contains(ConfigKeys.PATH));
    assertFalse(ConfigKeys.RPC_SERVER.contains(ConfigKeys.SECURE_KEY));
    assertTrue(ConfigKeys.isSecret(ConfigKeys.TLS_KEY_STORE_PASSWORD));
  }
}
