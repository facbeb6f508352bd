package dev.parley.testing;

import dev.parley.crypto.SecureKey;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings and setters of {@link ParleyServer.Builder}, kept apart from the server (its public
 * methods are documented as the builder's). Each setting may be given once.
 */
abstract class ParleyServerBuilderBase {
  final List<ServerModule.Builder> modules = new ArrayList<>();
  SecureKey secureKey;
  ManualTicker ticker;
  ManualDeadlines deadlines;
  ManualClock clock;
  Consumer<RpcServer.Builder> serverSettings;

  ParleyServerBuilderBase() {}

  private ParleyServer.Builder self() {
    return (ParleyServer.Builder) this;
  }

  /** {@code value}, checked: not null, and the setting {@code name} not given before (a lambda is not named). */
  private static <T> T once(String name, T current, T value) {
    Objects.requireNonNull(value, name + " == null");
    if (current != null) {
      throw new IllegalStateException(name + " was already set"
          + (current.getClass().isSynthetic() ? "" : " to " + current));
    }
    return value;
  }

  /**
   * Adds a module, given as its builder with its functions and settings, not built.
   *
   * <pre>{@code
   * .module(ServerModule.builder("/calc").autoSessionsLive(Duration.ofMinutes(1)).functions(...))
   * }</pre>
   */
  public ParleyServer.Builder module(ServerModule.Builder module) {
    Objects.requireNonNull(module, "module == null");
    if (modules.stream().anyMatch(m -> m == module)) {
      throw new IllegalStateException("this module builder was already added");
    }
    modules.add(module);
    return self();
  }

  /**
   * Gives every module a new random SecureKey (so they serve encrypted calls only), and the
   * clients {@link ParleyServer#client(String)} makes the same key.
   *
   * <pre>{@code
   * ParleyServer.builder().module(...).encrypted().build();
   * }</pre>
   */
  public ParleyServer.Builder encrypted() {
    return encrypted(TestKey.random().secureKey());
  }

  /**
   * Gives every module {@code key} (with its key id), and the clients
   * {@link ParleyServer#client(String)} makes the same key: for a second server that shares the
   * first one's key (a replica), or a key a test also writes to a file.
   *
   * <pre>{@code
   * ParleyServer replica = ParleyServer.builder().module(...).encrypted(server.secureKey()).build();
   * }</pre>
   */
  public ParleyServer.Builder encrypted(SecureKey key) {
    this.secureKey = once("encrypted", secureKey, key);
    return self();
  }

  /**
   * Every module measures session expiry with {@code ticker}: the test advances it instead of
   * sleeping.
   *
   * <pre>{@code
   * .ticker(ticker)     // then ticker.advance(Duration.ofMinutes(11)) expires the sessions
   * }</pre>
   */
  public ParleyServer.Builder ticker(ManualTicker ticker) {
    this.ticker = once("ticker", this.ticker, ticker);
    return self();
  }

  /**
   * Every module dates its sessions and handshake tokens with {@code clock}.
   *
   * <pre>{@code
   * .clock(clock)       // then clock.advance(Duration.ofHours(25)) ages the encrypted sessions
   * }</pre>
   */
  public ParleyServer.Builder clock(ManualClock clock) {
    this.clock = once("clock", this.clock, clock);
    return self();
  }

  /**
   * Every module's deadline timers are {@code deadlines}: a caller's deadline passes when the test
   * calls {@link ManualDeadlines#passNext()}, never by itself.
   *
   * <pre>{@code
   * .deadlines(deadlines)   // then deadlines.passNext() stops the running call
   * }</pre>
   */
  public ParleyServer.Builder deadlines(ManualDeadlines deadlines) {
    this.deadlines = once("deadlines", this.deadlines, deadlines);
    return self();
  }

  /**
   * More settings of the {@link RpcServer} itself, applied at each start; the host (127.0.0.1),
   * the port and the modules are the extension's.
   *
   * <pre>{@code
   * .serverSettings(b -> b.http2Cleartext(true).stopTimeout(Duration.ofSeconds(5)))
   * }</pre>
   */
  public ParleyServer.Builder serverSettings(Consumer<RpcServer.Builder> settings) {
    this.serverSettings = once("serverSettings", serverSettings, settings);
    return self();
  }
}
