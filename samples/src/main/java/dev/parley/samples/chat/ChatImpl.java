package dev.parley.samples.chat;

import dev.parley.server.DelayedCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Chat} in memory: each room keeps its messages, and the listeners that have seen them all
 * wait in a {@link DelayedCalls} registry keyed by room until the next message wakes them.
 */
public final class ChatImpl implements Chat {
  private final DelayedCalls<String, List<Message>> listeners;
  private final Map<String, List<Message>> rooms = new HashMap<>();   // guarded by itself

  /** A chat whose listeners wait at most {@code wait} for a message. */
  public ChatImpl(Duration wait) {
    this.listeners = DelayedCalls.<String, List<Message>>builder()
        .timeout(wait)
        .timeoutValue(List.of())
        .maxParked(10_000)
        .build();
  }

  @Override
  public CompletableFuture<List<Message>> listen(String room, long after) {
    synchronized (rooms) {
      // Checked and parked under the lock that say() adds under: a message is either seen here or
      // added after this call parked, and then it wakes the call. None falls in between.
      List<Message> messages = rooms.getOrDefault(room, List.of());
      List<Message> unseen = new ArrayList<>();
      for (Message message : messages) {
        if (message.number() > after) {
          unseen.add(message);
        }
      }
      return unseen.isEmpty() ? listeners.park(room) : CompletableFuture.completedFuture(unseen);
    }
  }

  @Override
  public long say(String room, String from, String text) {
    synchronized (rooms) {
      List<Message> messages = rooms.computeIfAbsent(room, r -> new ArrayList<>());
      Message message = new Message(messages.size() + 1L, from, text);
      messages.add(message);
      // Woken under the lock too, so that two messages said at once wake their listeners in order.
      listeners.wakeUp(room, List.of(message));
      return message.number();
    }
  }

  /** How many listeners wait now, in all rooms. */
  public int waiting() {
    return listeners.parked();
  }
}
