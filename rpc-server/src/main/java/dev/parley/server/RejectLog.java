package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The INFO lines about refused handshakes and frames of one module, rate-limited: the first refusal
 * of each kind and reason is logged at once, later ones are counted, and the next refusal of that
 * kind and reason at least {@link #INTERVAL_NANOS} after the last line logs one line with the count
 * since that line (docs/OPERATIONS.md "Logging"). A flood of forged frames thus costs one line a
 * minute per reason, and the lines hold only the module's path, the reason and counts: never a
 * session id, a header value or a byte of what was refused.
 *
 * <p>Refusals after the last line are not lost: the next line counts them, and the
 * {@link ServerListener} events (and so the metrics) see every one at once.
 */
final class RejectLog {
  /** At most one line per kind and reason a minute. */
  static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** What was refused: a handshake message or a sealed frame. */
  enum Kind {
    HANDSHAKE("handshake message", "handshake messages"),
    FRAME("sealed frame", "sealed frames");

    final String one;
    final String many;

    Kind(String one, String many) {
      this.one = one;
      this.many = many;
    }
  }

  /** The count since the last line of one kind and reason, and when that line was written. */
  private static final class Slot {
    long count;
    long lastLine;
    boolean logged;
  }

  private final String module;
  private final Ticker ticker;
  private final Consumer<String> out;
  private final Map<Kind, Map<Rejection, Slot>> slots = new EnumMap<>(Kind.class);

  /**
   * @param ticker the clock of the interval (the module's session ticker; tests advance their own)
   * @param out where a line goes (the module's logger at INFO)
   */
  RejectLog(String module, Ticker ticker, Consumer<String> out) {
    this.module = module;
    this.ticker = ticker;
    this.out = out;
    for (Kind kind : Kind.values()) {
      Map<Rejection, Slot> byReason = new EnumMap<>(Rejection.class);
      for (Rejection reason : Rejection.values()) {
        byReason.put(reason, new Slot());
      }
      slots.put(kind, byReason);   // filled once here, read-only afterwards: safe to share
    }
  }

  /** Counts one refusal, and writes a line when this kind and reason has not had one for a minute. */
  void rejected(Kind kind, Rejection reason) {
    Slot slot = slots.get(kind).get(reason);
    long now = ticker.read();
    long count;
    long since;
    boolean first;
    synchronized (slot) {   // a few instructions; refusals are not the hot path, calls are
      slot.count++;
      first = !slot.logged;
      if (!first && now - slot.lastLine < INTERVAL_NANOS) {
        return;
      }
      count = slot.count;
      since = now - slot.lastLine;
      slot.count = 0;
      slot.lastLine = now;
      slot.logged = true;
    }
    if (first) {
      out.accept(module + ": a " + kind.one + " was refused (" + reason.tag()
          + "); more of these are counted and logged at most once a minute");
    } else {
      out.accept(module + ": " + count + " " + (count == 1 ? kind.one + " was" : kind.many + " were") + " refused ("
          + reason.tag() + ") in the " + TimeUnit.NANOSECONDS.toSeconds(since) + " s since the last such line");
    }
  }
}
