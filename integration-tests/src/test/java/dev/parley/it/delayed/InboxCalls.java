package dev.parley.it.delayed;

import dev.parley.RemoteFunction;

/**
 * {@link Inbox} as its clients see it: the server parks {@code next}, the caller simply waits for
 * the answer, with the generated sync method or its {@code nextAsync} variant.
 */
public interface InboxCalls {
  @RemoteFunction String next(String key);

  @RemoteFunction int post(String key, String text);
}
