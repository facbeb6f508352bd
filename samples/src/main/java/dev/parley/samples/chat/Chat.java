package dev.parley.samples.chat;

import dev.parley.RemoteFunction;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A small chat on delayed calls (server push by long poll): {@link #listen} answers at once when
 * the room has messages the caller has not seen, and otherwise waits on the server, holding no
 * thread, until someone {@link #say}s something or the wait times out (answered with no messages).
 */
public interface Chat {
  /** One message of a room, numbered from 1 in the order the server received them. */
  record Message(long number, String from, String text) {}

  /**
   * The room's messages numbered above {@code after}; if there are none yet, the next ones as they
   * are said, or an empty list when the server's wait times out. Call it again with the last
   * number seen.
   */
  @RemoteFunction CompletableFuture<List<Message>> listen(String room, long after);

  /** Says {@code text} in {@code room}; returns the message's number. */
  @RemoteFunction long say(String room, String from, String text);
}
