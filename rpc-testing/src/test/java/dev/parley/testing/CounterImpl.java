package dev.parley.testing;

import dev.parley.Session;
import java.util.concurrent.atomic.AtomicInteger;

/** The server side of {@link Counter}: its state lives in the session. */
public final class CounterImpl implements Counter {
  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public int visits(Session session) {
    return ((AtomicInteger) session.attributes().computeIfAbsent("visits", k -> new AtomicInteger())).incrementAndGet();
  }

  @Override
  public String sessionCreatedAt(Session session) {
    return session.createdAt().toString();
  }
}
