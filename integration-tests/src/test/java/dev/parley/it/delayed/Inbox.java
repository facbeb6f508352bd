package dev.parley.it.delayed;

import dev.parley.RemoteFunction;
import java.util.concurrent.CompletableFuture;

/** A long-poll inbox: {@link #next} waits for the next {@link #post} to its key. */
public interface Inbox {
  /** The next text posted to {@code key}, answered when it is posted (a delayed call). */
  @RemoteFunction CompletableFuture<String> next(String key);

  /** Posts {@code text} to the calls waiting on {@code key}; returns how many were answered. */
  @RemoteFunction int post(String key, String text);
}
