package dev.parley;

import java.util.Objects;
import java.util.Optional;

/**
 * A configuration file or environment override that Parley cannot use: the file is missing or
 * unreadable, it holds an unknown key, or a value has the wrong form. Thrown by
 * {@code ServerModule.fromConfig(...)}, {@code ClientModule.fromConfig(...)} and
 * {@code RpcServer.fromConfig(...)} (and their builders' {@code build()} for combinations of settings
 * read from a file, and {@code ServerModule.reloadKeys()} for a key file read again).
 *
 * <p>The message names the key, where the value came from and the form expected, for example
 * {@code encryptionKey in file /etc/parley/server.yml: expected an integer from 16 to 64 (or 0 to
 * disable), got "8"}. It never contains the value of a secret ({@code secureKey}) or the contents
 * of a secure key file.
 *
 * <p>What the caller can do: nothing at run time; fix the file or the environment variable and
 * start again. It is an {@link IllegalArgumentException}, like the builders' own checks, so one
 * {@code catch} covers both.
 *
 * <pre>{@code
 * try {
 *   module = ServerModule.fromConfig(Path.of("server.yml")).functions(...).build();
 * } catch (ConfigException e) {
 *   System.err.println(e.getMessage());   // e.key() == Optional[encryptionKey]
 *   System.exit(2);
 * }
 * }</pre>
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String source;

  /**
   * @param key the setting the problem is about, or null when it concerns the whole file
   * @param source where the value came from, such as {@code file /etc/x.yml} or
   *     {@code environment variable PARLEY_SECURE_KEY}
   * @param message the full message; must not contain a secret
   * @param cause the underlying failure, or null; must not carry a secret in its message
   */
  public ConfigException(String key, String source, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message == null"), cause);
    this.key = key;
    this.source = Objects.requireNonNull(source, "source == null");
  }

  /** The key the problem is about; empty when it concerns the whole file (missing, not YAML, …). */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** Where the offending value came from: {@code file /etc/x.yml} or {@code environment variable …}. */
  public String source() {
    return source;
  }
}
