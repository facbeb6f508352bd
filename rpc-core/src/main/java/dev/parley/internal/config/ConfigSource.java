package dev.parley.internal.config;

import dev.parley.Compression;
import dev.parley.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The settings of one server or client module, read from a config file and overlaid with
 * environment overrides, as strings that remember where they came from; typed getters check and
 * convert them with messages that name the key, the source and the form expected.
 *
 * <p>Sources, later ones winning:
 * <ol>
 *   <li>a file: YAML ({@code .yml}, {@code .yaml}; a flat mapping of keys to single values) or
 *       properties ({@code .properties}, read as UTF-8); or a map ({@link #of});
 *   <li>environment variables {@code PARLEY_<KEY_IN_UPPER_SNAKE_CASE>} ({@link ConfigKeys#envName})
 *       for the allowed keys, or with the prefix the caller or the file's {@code envPrefix} chose
 *       ({@code PARLEY_CALC_ENCRYPTION_KEY}); then only those. {@code secureKey},
 *       {@code secureKeyFile} and {@code secureKeys} are one setting: an environment variable for
 *       any of them replaces every file value of the three (so do the two of
 *       {@code tlsKeyStorePassword}).
 * </ol>
 * An empty value (blank, or YAML {@code ~}/nothing) counts as not set, in the file and in the
 * environment. A key the caller does not allow is an error in a file (typos must not silently do
 * nothing); environment variables are only looked up for allowed keys, so unrelated
 * {@code PARLEY_*} variables are ignored.
 *
 * <p>How a builder uses it ({@code ServerModule.fromConfig}):
 * <pre>{@code
 * ConfigSource config = ConfigSource.load(file, ConfigKeys.SERVER);
 * Builder b = builder(config.string(ConfigKeys.PATH).orElseThrow(() -> config.missing(ConfigKeys.PATH, "a path such as /calc")));
 * config.encryptionKey().ifPresent(b::encryptionKey);
 * config.bool(ConfigKeys.FORCE_ENCRYPTION).ifPresent(b::forceEncryption);
 * config.duration(ConfigKeys.AUTO_SESSIONS_LIVE).ifPresent(b::autoSessionsLive);
 * config.secureKey().ifPresent(secret -> {
 *   secret.warning().ifPresent(LOG::warn);
 *   try {
 *     b.secureKey(SecureKey.parse(secret.text()));
 *   } catch (IllegalArgumentException e) {            // its message never shows the key
 *     throw secret.invalid("a hex or base64 key of 32 to 1024 bytes", e);
 *   }
 * });
 * }</pre>
 *
 * <p>Every getter throws {@link ConfigException} for a malformed value; a secret key's value
 * ({@link ConfigKeys#SECRET}) never appears in a message. Getters throw
 * {@link IllegalArgumentException} for a key outside the allowed set (a programming error).
 * Instances are immutable and thread-safe.
 */
public final class ConfigSource {
  /** A config file holds a few short keys; anything larger is not one. */
  static final int MAX_FILE_BYTES = ConfigFiles.MAX_BYTES;

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
  private static final String DURATION_FORM = "a duration such as 500ms, 30s, 10m, 2h, 1d or PT30S";

  /** Settings that are one: an environment variable for any of them replaces every file value of the group. */
  private static final List<Set<String>> ONE_SETTING = List.of(
      Set.of(ConfigKeys.SECURE_KEY, ConfigKeys.SECURE_KEY_FILE, ConfigKeys.SECURE_KEYS),
      Set.of(ConfigKeys.TLS_KEY_STORE_PASSWORD, ConfigKeys.TLS_KEY_STORE_PASSWORD_FILE));

  private final Map<String, ConfigValue> values;
  private final Set<String> allowed;
  private final String description;
  private final String envPrefix;
  private final Reload reload;

  private ConfigSource(Map<String, ConfigValue> values, Set<String> allowed, String description, String envPrefix,
      Reload reload) {
    this.values = values;
    this.allowed = allowed;
    this.description = description;
    this.envPrefix = envPrefix;
    this.reload = reload;
  }

  /** How to read the same settings again ({@link #reload()}). */
  private interface Reload {
    ConfigSource again();
  }

  /** {@link #load(Path, Set, Map)} with the process environment. */
  public static ConfigSource load(Path file, Set<String> allowedKeys) {
    return load(file, allowedKeys, System.getenv());
  }

  /** {@link #load(Path, Set, Map, String)} with the file's own {@code envPrefix}, or {@code PARLEY_}. */
  public static ConfigSource load(Path file, Set<String> allowedKeys, Map<String, String> env) {
    return load(file, allowedKeys, env, null);
  }

  /**
   * Reads {@code file} (by its extension: {@code .yml}, {@code .yaml} or {@code .properties}) and
   * overlays the environment overrides found in {@code env}.
   *
   * @param allowedKeys the keys the file may hold, e.g. {@link ConfigKeys#SERVER}
   * @param env the environment ({@code System.getenv()}; a map in tests)
   * @param envPrefix the prefix of the environment overrides ({@code PARLEY_CALC} or
   *     {@code PARLEY_CALC_}); null: the file's {@code envPrefix}, or {@code PARLEY_}
   * @throws ConfigException the file is missing, unreadable, larger than 1 MiB, not valid YAML
   *     or properties, nested, holds a key twice or an unknown key, or a malformed envPrefix
   * @throws IllegalArgumentException {@code envPrefix} is malformed
   */
  public static ConfigSource load(Path file, Set<String> allowedKeys, Map<String, String> env, String envPrefix) {
    Objects.requireNonNull(file, "file == null");
    Path path = file.toAbsolutePath().normalize();
    String where = "file " + path;
    Map<String, String> raw = ConfigFiles.read(path, where);
    return build(raw, where, path.getParent(), allowedKeys, env, envPrefix,
        () -> load(file, allowedKeys, env, envPrefix));
  }

  /**
   * Settings from a map (programmatic use and tests) with environment overrides from
   * {@code env}. Relative paths resolve against the working directory.
   */
  public static ConfigSource of(Map<String, String> settings, Set<String> allowedKeys,
      Map<String, String> env) {
    Objects.requireNonNull(settings, "settings == null");
    Map<String, String> raw = new LinkedHashMap<>();
    settings.forEach((k, v) -> raw.put(Objects.requireNonNull(k, "key == null"), v));
    Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    return build(raw, "settings map", null, allowedKeys, env, null, () -> of(copy, allowedKeys, env));
  }

  private static ConfigSource build(Map<String, String> raw, String where, Path baseDir,
      Set<String> allowedKeys, Map<String, String> env, String givenPrefix, Reload reload) {
    Set<String> allowed = Set.copyOf(Objects.requireNonNull(allowedKeys, "allowedKeys == null"));
    Objects.requireNonNull(env, "env == null");
    String prefix = envPrefix(givenPrefix, raw.get(ConfigKeys.ENV_PREFIX_SETTING), where);
    List<String> unknown = new ArrayList<>();
    for (String key : raw.keySet()) {
      if (!allowed.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw ConfigFiles.unknownKeys(unknown, where, allowed);
    }
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    raw.forEach((key, text) -> {
      if (text != null && !text.isBlank()) {
        values.put(key, new ConfigValue(text.strip(), where, baseDir));
      }
    });
    ConfigValue inline = values.get(ConfigKeys.TLS_KEY_STORE_PASSWORD);
    if (inline != null) {
      throw new ConfigException(ConfigKeys.TLS_KEY_STORE_PASSWORD, where, ConfigKeys.TLS_KEY_STORE_PASSWORD + " in "
          + where + ": a password does not belong in a config file; put it in a file named by "
          + ConfigKeys.TLS_KEY_STORE_PASSWORD_FILE + ", or in the environment variable "
          + ConfigKeys.envName(prefix, ConfigKeys.TLS_KEY_STORE_PASSWORD) + " (not shown: it is secret)", null);
    }
    Map<String, ConfigValue> fromEnv = new LinkedHashMap<>();
    for (String key : allowed) {
      String envName = ConfigKeys.envName(prefix, key);
      String text = key.equals(ConfigKeys.ENV_PREFIX_SETTING) ? null : env.get(envName);
      if (text != null && !text.isBlank()) {
        fromEnv.put(key, new ConfigValue(text.strip(), "environment variable " + envName, null));
      }
    }
    for (Set<String> group : ONE_SETTING) {
      if (group.stream().anyMatch(fromEnv::containsKey)) {
        group.forEach(values::remove);
      }
    }
    if (fromEnv.containsKey(ConfigKeys.SECURE_KEYS)) {
      values.remove(ConfigKeys.SECURE_KEY_ID);   // the file's id belonged to the file's key
    }
    values.putAll(fromEnv);
    return new ConfigSource(Collections.unmodifiableMap(values), allowed, where, prefix, reload);
  }

  /** The prefix given in code, else the file's envPrefix, else PARLEY_; always ending in {@code _}. */
  private static String envPrefix(String given, String inFile, String where) {
    if (given != null) {
      return ConfigKeys.envPrefix(given).orElseThrow(() -> new IllegalArgumentException("the environment prefix"
          + " must be upper-case letters, digits and _ starting with a letter, such as PARLEY_CALC_; was "
          + Shown.value(given)));
    }
    if (inFile == null || inFile.isBlank()) {
      return ConfigKeys.ENV_PREFIX;
    }
    return ConfigKeys.envPrefix(inFile.strip()).orElseThrow(() -> new ConfigException(ConfigKeys.ENV_PREFIX_SETTING,
        where, ConfigKeys.ENV_PREFIX_SETTING + " in " + where + ": expected upper-case letters, digits and _"
            + " starting with a letter, such as PARLEY_CALC_, got " + Shown.value(inFile.strip()), null));
  }

  /**
   * The same settings read again: the file (or map) and the environment given to {@link #load}, with
   * the same prefix. For a reload of SecureKeys ({@code ServerModule.reloadKeys()}).
   *
   * @throws ConfigException as {@link #load} does
   */
  public ConfigSource reload() {
    return reload.again();
  }

  /** The prefix of the environment overrides, ending in {@code _}: {@code PARLEY_} unless chosen. */
  public String envPrefix() {
    return envPrefix;
  }

  /** Where the settings were read from: {@code file /etc/parley/server.yml} or {@code settings map}. */
  public String description() {
    return description;
  }

  /** The keys that have a (non-empty) value, from the file or the environment. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** Whether {@code key} has a value. */
  public boolean has(String key) {
    return values.containsKey(checkAllowed(key));
  }

  /** Where {@code key}'s value came from ({@code file …} or {@code environment variable …}). */
  public Optional<String> source(String key) {
    return Optional.ofNullable(values.get(checkAllowed(key))).map(ConfigValue::source);
  }

  /** The value as text, trimmed. For {@code secureKey} prefer {@link #secureKey()}. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(values.get(checkAllowed(key))).map(ConfigValue::text);
  }

  /**
   * A whole number from {@code min} to {@code max}; digits may be grouped with {@code _}
   * ({@code 100_000}).
   */
  public Optional<Integer> integer(String key, int min, int max) {
    return longValue(key, min, max, "an integer from " + min + " to " + max).map(Long::intValue);
  }

  /** A whole number from {@code min} to {@code max} ({@code Long.MAX_VALUE} for no upper limit). */
  public Optional<Long> longValue(String key, long min, long max) {
    String form = max == Long.MAX_VALUE ? "a whole number of at least " + min
        : "a whole number from " + min + " to " + max;
    return longValue(key, min, max, form);
  }

  /**
   * {@link ConfigKeys#ENCRYPTION_KEY}: 0 (this side does not encrypt) or
   * {@value ConfigKeys#MIN_ENCRYPTION_KEY} to {@value ConfigKeys#MAX_ENCRYPTION_KEY}.
   */
  public Optional<Integer> encryptionKey() {
    String key = ConfigKeys.ENCRYPTION_KEY;
    String form = "an integer from " + ConfigKeys.MIN_ENCRYPTION_KEY + " to "
        + ConfigKeys.MAX_ENCRYPTION_KEY + " (or 0 to disable)";
    Optional<Long> n = longValue(key, 0, ConfigKeys.MAX_ENCRYPTION_KEY, form);
    if (n.isPresent() && n.get() != 0 && n.get() < ConfigKeys.MIN_ENCRYPTION_KEY) {
      throw invalid(key, form);
    }
    return n.map(Long::intValue);
  }

  /** {@code true}/{@code false}, also {@code yes}/{@code no} and {@code on}/{@code off}, any case. */
  public Optional<Boolean> bool(String key) {
    return parse(key, "true or false (or yes/no, on/off)", text -> {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true": case "yes": case "on":
          return Boolean.TRUE;
        case "false": case "no": case "off":
          return Boolean.FALSE;
        default:
          return null;
      }
    });
  }

  /**
   * A positive duration: ISO-8601 ({@code PT30S}, {@code P1D}) or a number and a unit
   * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}).
   */
  public Optional<Duration> duration(String key) {
    return parse(key, "a positive " + DURATION_FORM.substring(2), text -> {
      Duration d = ConfigValue.parseDuration(text);
      return d == null || d.isNegative() || d.isZero() ? null : d;
    });
  }

  /** Like {@link #duration} but zero ({@code 0}, {@code 0s}) is allowed: a timeout, 0 = no limit. */
  public Optional<Duration> timeout(String key) {
    return parse(key, DURATION_FORM + " (0 for no limit)", text -> {
      Duration d = text.equals("0") ? Duration.ZERO : ConfigValue.parseDuration(text);
      return d == null || d.isNegative() ? null : d;
    });
  }

  /**
   * A file path. A relative path from a file resolves against that file's folder; one from an
   * environment variable (or a map) against the working directory.
   */
  public Optional<Path> path(String key) {
    ConfigValue value = values.get(checkAllowed(key));
    if (value == null) {
      return Optional.empty();
    }
    Path path = parse(key, "a file path", text -> {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        return null;
      }
    }).orElseThrow();
    Path resolved = path.isAbsolute() || value.baseDir() == null ? path.toAbsolutePath()
        : value.baseDir().resolve(path);
    return Optional.of(resolved.normalize());
  }

  /** {@code none}, {@code fast}, {@code default} or {@code max}, any case. */
  public Optional<Compression> compression(String key) {
    return parse(key, "one of none, fast, default or max", text -> {
      try {
        return Compression.parse(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    });
  }

  /**
   * The SecureKey text from {@code secureKey} or, read by {@link SecureKeyFile}, from the file
   * named by {@code secureKeyFile}; empty when neither is set.
   *
   * @throws ConfigException both are set in the same place (the file, or the environment), or
   *     the key file cannot be used
   */
  public Optional<SecretText> secureKey() {
    if (allowed.contains(ConfigKeys.SECURE_KEYS) && values.containsKey(ConfigKeys.SECURE_KEYS)) {
      ConfigValue list = values.get(ConfigKeys.SECURE_KEYS);
      ConfigValue single = values.getOrDefault(ConfigKeys.SECURE_KEY, values.get(ConfigKeys.SECURE_KEY_FILE));
      if (single != null) {
        throw bothSet(single == values.get(ConfigKeys.SECURE_KEY) ? ConfigKeys.SECURE_KEY : ConfigKeys.SECURE_KEY_FILE,
            single, ConfigKeys.SECURE_KEYS, list);
      }
      return Optional.empty();
    }
    return secret(ConfigKeys.SECURE_KEY, ConfigKeys.SECURE_KEY_FILE, "key file", "the key (hex or base64)");
  }

  /**
   * The keystore password of {@code tlsKeyStorePassword} (from the environment) or read from the
   * file named by {@code tlsKeyStorePasswordFile}; empty when neither is set.
   */
  public Optional<SecretText> tlsKeyStorePassword() {
    return secret(ConfigKeys.TLS_KEY_STORE_PASSWORD, ConfigKeys.TLS_KEY_STORE_PASSWORD_FILE, "password file",
        "the password");
  }

  /**
   * The SecureKeys of {@code secureKeys}, each read from its file with its key id, in the order
   * given; empty when it is not set.
   *
   * @throws ConfigException an entry is malformed, two share a key id, {@code secureKeyId} is set
   *     too, or a key file cannot be used
   */
  public Optional<List<KeyEntry>> secureKeys() {
    ConfigValue value = values.get(checkAllowed(ConfigKeys.SECURE_KEYS));
    if (value == null) {
      return Optional.empty();
    }
    ConfigValue id = values.get(ConfigKeys.SECURE_KEY_ID);
    if (id != null) {
      throw new ConfigException(ConfigKeys.SECURE_KEY_ID, id.source(), ConfigKeys.SECURE_KEY_ID + " in " + id.source()
          + " applies to secureKey or secureKeyFile; each entry of secureKeys (in " + value.source()
          + ") has its own id: remove secureKeyId", null);
    }
    return Optional.of(KeyEntry.parse(value.text(), value.source(), value.baseDir()));
  }

  private Optional<SecretText> secret(String textKey, String fileKey, String noun, String content) {
    ConfigValue inline = values.get(checkAllowed(textKey));
    ConfigValue file = values.get(checkAllowed(fileKey));
    if (inline != null && file != null) {
      throw bothSet(textKey, inline, fileKey, file);
    }
    if (inline != null) {
      return Optional.of(new SecretText(inline.text(), textKey, inline.source(), null));
    }
    if (file != null) {
      Path path = path(fileKey).orElseThrow();
      return Optional.of(SecureKeyFile.read(path, fileKey, file.source(), noun, content));
    }
    return Optional.empty();
  }

  private static ConfigException bothSet(String key, ConfigValue value, String otherKey, ConfigValue other) {
    String both = value.source().equals(other.source()) ? value.source() : value.source() + " and " + other.source();
    return new ConfigException(key, value.source(), key + " and " + otherKey + " are both set (in " + both
        + "); set only one of them", null);
  }

  /**
   * The exception for a value of {@code key} that does not have the form {@code expected}, for
   * checks the caller makes itself. The value is shown unless the key is secret.
   */
  public ConfigException invalid(String key, String expected) {
    return invalid(key, expected, null);
  }

  /** {@link #invalid(String, String)} with a cause (whose message must not hold a secret). */
  public ConfigException invalid(String key, String expected, Throwable cause) {
    ConfigValue value = values.get(checkAllowed(key));
    if (value == null) {
      throw new IllegalArgumentException(key + " has no value in " + description);
    }
    String got = ConfigKeys.isSecret(key)
        ? "a value that does not match (not shown: " + key + " is secret)"
        : Shown.value(value.text());
    return new ConfigException(key, value.source(), key + " in " + value.source() + ": expected "
        + expected + ", got " + got, cause);
  }

  /** The exception for a required {@code key} that has no value. */
  public ConfigException missing(String key, String expected) {
    checkAllowed(key);
    return new ConfigException(key, description, key + " is missing in " + description + " (and no "
        + ConfigKeys.envName(envPrefix, key) + " environment variable is set); expected " + expected, null);
  }

  @Override
  public String toString() {
    return "ConfigSource[" + description + ", keys " + values.keySet() + ", environment prefix " + envPrefix + "]";
  }

  private Optional<Long> longValue(String key, long min, long max, String form) {
    return parse(key, form, text -> {
      if (!INTEGER.matcher(text).matches()) {
        return null;
      }
      try {
        long n = Long.parseLong(text.replace("_", ""));
        return n < min || n > max ? null : n;
      } catch (NumberFormatException e) {
        return null; // out of long's range
      }
    });
  }

  /** Converts with {@code parser}, which returns null for a malformed value. */
  private <T> Optional<T> parse(String key, String form, Function<String, T> parser) {
    ConfigValue value = values.get(checkAllowed(key));
    if (value == null) {
      return Optional.empty();
    }
    T result = parser.apply(value.text());
    if (result == null) {
      throw invalid(key, form);
    }
    return Optional.of(result);
  }

  private String checkAllowed(String key) {
    if (!allowed.contains(Objects.requireNonNull(key, "key == null"))) {
      throw new IllegalArgumentException("key " + key + " is not among the allowed keys " + allowed);
    }
    return key;
  }

}
