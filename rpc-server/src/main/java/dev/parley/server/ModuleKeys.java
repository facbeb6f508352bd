package dev.parley.server;

import dev.parley.ConfigException;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.config.ConfigKeys;
import dev.parley.internal.config.ConfigSource;
import dev.parley.internal.config.KeyEntry;
import dev.parley.internal.config.SecretText;
import dev.parley.internal.config.SecureKeyFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A module's SecureKeys: the rules every set of them keeps (PROTOCOL.md §3.3), and where
 * {@link ServerModule#reloadKeys()} reads them again — the key file given in code, or the config
 * file and environment they came from. Messages name the module, never a key.
 */
final class ModuleKeys {
  /** At most this many SecureKeys overlap in a rotation. */
  static final int MAX_KEYS = 4;

  private final String module;
  private final Path file;
  private final ConfigSource config;
  private final Integer codeKeyId;

  private ModuleKeys(String module, Path file, ConfigSource config, Integer codeKeyId) {
    this.module = module;
    this.file = file;
    this.config = config;
    this.codeKeyId = codeKeyId;
  }

  /** Where the builder's keys came from; {@code module} prefixes messages ({@code "module /calc: "}). */
  static ModuleKeys of(ServerBuilderBase b, String module) {
    Integer codeKeyId = b.secureKeyId != null && !b.once.isFromConfig("secureKeyId") ? b.secureKeyId : null;
    return new ModuleKeys(module, b.keyFile, b.keyConfig, codeKeyId);
  }

  /** Whether {@link #read()} can read the keys again (they came from a file, not as objects or text in code). */
  boolean reloadable() {
    return file != null || config != null;
  }

  /**
   * The keys read again, checked by {@link #check}.
   *
   * @throws ConfigException a file cannot be used or holds no key; the message names the setting and the file
   * @throws IllegalArgumentException the keys break a rule of {@link #check}
   * @throws IllegalStateException the keys did not come from a file
   */
  List<SecureKey> read() {
    List<SecureKey> keys;
    if (file != null) {
      keys = List.of(withId(ServerBuilderBase.parseSecret(SecureKeyFile.read(file)), codeKeyId));
    } else if (config != null) {
      ConfigSource again = config.reload();
      keys = fromConfig(again, codeKeyId).orElseThrow(() -> new ConfigException(ConfigKeys.SECURE_KEY,
          again.description(), module + again.description() + " sets no secureKey, secureKeyFile or secureKeys any"
              + " more; a reload cannot turn encryption off (the keys in use stay)", null));
    } else {
      throw new IllegalStateException(module + "its SecureKeys were given as objects or text in code, so there is"
          + " nothing to read again; pass the new keys to reloadKeys(SecureKey...)");
    }
    check(keys, module);
    return keys;
  }

  /**
   * The keys {@code config} sets, with their ids: the entries of secureKeys, or the key of secureKey
   * / secureKeyFile with {@code codeKeyId} (else the config's secureKeyId, else 0); empty when none.
   */
  static Optional<List<SecureKey>> fromConfig(ConfigSource config, Integer codeKeyId) {
    Optional<SecretText> single = config.secureKey();   // refuses secureKey(File) next to secureKeys
    Optional<List<KeyEntry>> entries = config.secureKeys();
    if (entries.isPresent()) {
      if (codeKeyId != null) {
        throw new IllegalArgumentException("secureKeyId (" + codeKeyId + ", set in code) applies to secureKey or"
            + " secureKeyFile; each entry of secureKeys in " + config.description() + " has its own id");
      }
      return Optional.of(entries.get().stream()
          .map(e -> ServerBuilderBase.parseSecret(e.secret()).withKeyId(e.keyId())).toList());
    }
    if (single.isEmpty()) {
      return Optional.empty();
    }
    Integer id = codeKeyId != null ? codeKeyId : config.integer(ConfigKeys.SECURE_KEY_ID, 0, 255).orElse(null);
    return Optional.of(List.of(withId(ServerBuilderBase.parseSecret(single.get()), id)));
  }

  private static SecureKey withId(SecureKey key, Integer id) {
    return id == null || id == key.keyId() ? key : key.withKeyId(id);
  }

  /**
   * The rules of a module's key set: {@link SecureKey#none()} alone or not at all, at most
   * {@value #MAX_KEYS} keys, distinct key ids.
   */
  static void check(List<SecureKey> keys, String module) {
    boolean anyNone = keys.stream().anyMatch(SecureKey::isNone);
    if (anyNone && keys.size() > 1) {
      throw new IllegalArgumentException(module + "SecureKey.none() cannot be combined with real SecureKeys"
          + " (that would allow a downgrade); configure one or the other");
    }
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException(module + "at most " + MAX_KEYS + " SecureKeys may overlap during a"
          + " rotation; remove old keys, got " + keys.size());
    }
    Set<Integer> ids = new HashSet<>();
    for (SecureKey key : keys) {
      if (!ids.add(key.keyId())) {
        throw new IllegalArgumentException(module + "two SecureKeys share key id " + key.keyId()
            + "; give the new one another id with SecureKey.withKeyId(...)");
      }
    }
  }
}
