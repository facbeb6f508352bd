package dev.parley.internal.config;

import java.util.HashSet;
import java.util.Set;

/**
 * The builders' one rule for a setting given twice (as in Caffeine's and Jetty's builders): code may
 * set each setting once, and a second call fails at once, naming the value it would replace; a value
 * that came from a config file or the environment may be replaced by code (docs/CONFIG.md
 * "Precedence"). Not thread-safe, like the builders that use it.
 */
public final class SetOnce {
  private final Set<String> set = new HashSet<>();
  private final Set<String> fromConfig = new HashSet<>();

  /**
   * Records that code sets {@code name}.
   *
   * @param previous the value it would replace, shown in the message; null for a secret or a value
   *     without a useful text
   * @throws IllegalStateException {@code name} was already set in code
   */
  public void set(String name, Object previous) {
    if (!set.add(name) && !fromConfig.remove(name)) {
      throw new IllegalStateException(name + " was already set" + (previous == null ? "" : " to " + previous)
          + "; set each setting once");
    }
  }

  /**
   * Forgets {@code name} if its value came from configuration (it belonged to a value code just
   * replaced); returns whether it did.
   */
  public boolean dropConfigured(String name) {
    if (fromConfig.remove(name)) {
      set.remove(name);
      return true;
    }
    return false;
  }

  /** Whether {@code name}'s value came from configuration and code has not replaced it. */
  public boolean isFromConfig(String name) {
    return fromConfig.contains(name);
  }

  /** Marks every setting set so far as coming from configuration: code may replace each once. */
  public void allFromConfig() {
    fromConfig.addAll(set);
  }
}
