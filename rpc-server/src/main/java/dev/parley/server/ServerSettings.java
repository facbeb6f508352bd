package dev.parley.server;

import dev.parley.Compression;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.EncryptionRules;
import dev.parley.internal.config.SecretText;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServerModule}'s settings, checked together when its builder builds (the encryption
 * settings by the {@link EncryptionRules} the client shares): the path, the function groups, the
 * SecureKeys with their ids, and every other value with its default. Messages name the module and
 * say what to change; never a secret.
 */
final class ServerSettings {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);
  static final Duration DEFAULT_AUTO_SESSIONS_LIVE = Duration.ofMinutes(10);
  static final long DEFAULT_MAX_SESSIONS = 100_000;
  static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  final ServerBuilderBase b;
  /** The route bound into handshakes and frames (PROTOCOL.md §5, §10.4): the route setting, else the path. */
  final String route;
  /** Where a reload reads the keys again. */
  final ModuleKeys keySource;
  final int encryptionKey;
  final boolean forced;
  /** The module's SecureKeys ({@link SecureKey#none()} alone when unauthenticated); empty when it does not encrypt. */
  final List<SecureKey> keys;
  final Duration autoSessionsLive;
  final long maxSessions;
  final long maxBodyBytes;
  final Compression compression;
  final boolean nonBlocking;
  final boolean exposeErrorMessages;
  final Clock clock;

  private ServerSettings(ServerBuilderBase b, EncryptionRules.Resolved encryption, List<SecureKey> keys,
      ModuleKeys keySource) {
    this.b = b;
    this.route = b.route == null ? b.path : b.route;
    this.keySource = keySource;
    this.encryptionKey = encryption.encryptionKey();
    this.forced = encryption.forced();
    this.keys = keys;
    this.autoSessionsLive = b.autoSessionsLive == null ? DEFAULT_AUTO_SESSIONS_LIVE : b.autoSessionsLive;
    this.maxSessions = b.maxSessions == 0 ? DEFAULT_MAX_SESSIONS : b.maxSessions;
    this.maxBodyBytes = b.maxBodyBytes == 0 ? DEFAULT_MAX_BODY_BYTES : b.maxBodyBytes;
    this.compression = b.compression == null ? Compression.NONE : b.compression;
    this.nonBlocking = Boolean.TRUE.equals(b.nonBlocking);
    this.exposeErrorMessages = Boolean.TRUE.equals(b.exposeErrorMessages);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
  }

  /** Checks a builder's settings together; see {@link ServerModule.Builder#build()}. */
  static ServerSettings check(ServerBuilderBase b) {
    String path = b.path;
    checkPath("path", path);
    if (b.route != null) {
      checkPath("module " + path + ": route", b.route);
    }
    if (b.groups.isEmpty()) {
      throw new IllegalArgumentException("module " + path + " has no functions; add them with functions(...)");
    }
    String module = "module " + path + ": ";
    List<SecureKey> keys = keys(b, module);
    ModuleKeys.check(keys, module);
    boolean real = keys.stream().anyMatch(k -> !k.isNone());
    EncryptionRules.Resolved encryption = EncryptionRules.resolve(EncryptionRules.Side.SERVER, module,
        b.encryptionKey, b.forceEncryption, real, Boolean.TRUE.equals(b.allowUnauthenticated));
    if (encryption.encryptionKey() == 0) {
      keys = List.of();
    } else if (encryption.unauthenticated()) {
      keys = List.of(SecureKey.none());
      LOG.warn(SecureKey.UNAUTHENTICATED_WARNING);
    }
    return new ServerSettings(b, encryption, keys, ModuleKeys.of(b, module));
  }

  /** A plain URL path of at most 1024 bytes (a route is bound as UTF-8 of 1 to 1024 bytes, PROTOCOL.md §5). */
  private static void checkPath(String name, String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(name + " must start with '/', was \"" + path + "\"");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == '?' || c == '#' || c == '%' || c == '\\' || c >= 0x7f) {
        throw new IllegalArgumentException(name + " must be a plain URL path without spaces, '?', '#', '%' or '\\',"
            + " was \"" + path + "\"");
      }
    }
    if (path.length() > 1024) {
      throw new IllegalArgumentException(name + " must be at most 1024 characters, was " + path.length());
    }
  }

  /** The SecureKeys as given, their ids applied and checked (PROTOCOL.md §3.3). */
  private static List<SecureKey> keys(ServerBuilderBase b, String module) {
    List<SecureKey> keys = b.secureKeys == null ? List.of() : b.secureKeys;
    if (b.secureKeyId != null) {
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(module + "secureKeyId is set but there is no SecureKey; set secureKey"
            + " or secureKeyFile, or remove secureKeyId");
      }
      if (!b.keyFromText) {
        throw new IllegalArgumentException(module + "secureKeyId applies to a key given as text or file; give"
            + " SecureKey objects their id with SecureKey.withKeyId(...) (each entry of secureKeys has its own"
            + " id) and remove secureKeyId");
      }
      if (b.secureKeyId != 0) {
        keys = List.of(keys.get(0).withKeyId(b.secureKeyId));
      }
    }
    return keys;
  }

  /** Fills a builder from a config source (docs/CONFIG.md, server keys); code may replace each value once. */
  static ServerModule.Builder fromConfig(ConfigSource config) {
    ServerModule.Builder b = ServerModule.builder(config.string(ConfigKeys.PATH)
        .orElseThrow(() -> config.missing(ConfigKeys.PATH, "a path such as /calc")));
    config.encryptionKey().ifPresent(b::encryptionKey);
    config.bool(ConfigKeys.FORCE_ENCRYPTION).ifPresent(b::forceEncryption);
    config.bool(ConfigKeys.ALLOW_UNAUTHENTICATED).ifPresent(b::allowUnauthenticated);
    config.integer(ConfigKeys.SECURE_KEY_ID, 0, 255).ifPresent(b::secureKeyId);
    config.compression(ConfigKeys.COMPRESSION).ifPresent(b::compression);
    config.bool(ConfigKeys.NON_BLOCKING).ifPresent(b::nonBlocking);
    config.duration(ConfigKeys.AUTO_SESSIONS_LIVE).ifPresent(b::autoSessionsLive);
    config.longValue(ConfigKeys.MAX_SESSIONS, 1, Long.MAX_VALUE).ifPresent(b::maxSessions);
    config.longValue(ConfigKeys.MAX_BODY_BYTES, 1, Long.MAX_VALUE).ifPresent(b::maxBodyBytes);
    config.bool(ConfigKeys.EXPOSE_ERROR_MESSAGES).ifPresent(b::exposeErrorMessages);
    config.string(ConfigKeys.API_TITLE).ifPresent(b::apiTitle);
    config.string(ConfigKeys.API_VERSION).ifPresent(b::apiVersion);
    config.string(ConfigKeys.API_DESCRIPTION).ifPresent(b::apiDescription);
    config.string(ConfigKeys.ROUTE).ifPresent(route -> {
      try {
        checkPath("route", route);
      } catch (IllegalArgumentException e) {
        throw config.invalid(ConfigKeys.ROUTE, "the path the clients call, such as /api/calc (a leading /, no"
            + " spaces, ?, #, % or \\, at most 1024 characters)", e);
      }
      b.route(route);
    });
    Optional<SecretText> single = config.secureKey();   // refuses secureKey(File) next to secureKeys
    if (config.has(ConfigKeys.SECURE_KEYS)) {
      b.secureKeyEntries(ModuleKeys.fromConfig(config, null).orElseThrow(), config);
    } else {
      single.ifPresent(secret -> b.secureKeyText(secret, config));
    }
    b.once.allFromConfig();
    return b;
  }
}
