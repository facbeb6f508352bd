package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestSessionTest {
  @Test
  void aNewSessionHasAnIdOfTheServersForm() {
    assertTrue(new TestSession().id().matches("[A-Za-z0-9_-]{22}"), new TestSession().id());
  }

  @Test
  void twoNewSessionsHaveDifferentIds() {
    assertNotEquals(new TestSession().id(), new TestSession().id());
  }

  @Test
  void theGivenIdAndCreationTimeAreKept() {
    Instant created = Instant.parse("2030-01-01T00:00:00Z");
    TestSession session = new TestSession("abc", created);
    assertEquals("abc", session.id());
    assertEquals(created, session.createdAt());
  }

  @Test
  void aFunctionTakingASessionKeepsItsStateThereWithoutAServer() {
    TestSession session = new TestSession();
    CounterImpl counter = new CounterImpl();
    assertEquals(1, counter.visits(session));
    assertEquals(2, counter.visits(session));
    assertEquals(2, session.attribute("visits", AtomicInteger.class).orElseThrow().get());
    assertEquals(1, counter.visits(new TestSession()), "another session has its own state");
  }

  @Test
  void anAttributeOfAnotherTypeIsEmpty() {
    TestSession session = new TestSession();
    session.attributes().put("user", "ann");
    assertEquals(Optional.empty(), session.attribute("user", Integer.class));
  }

  @Test
  void invalidateClearsTheAttributesAndEndsTheSession() {
    TestSession session = new TestSession();
    session.attributes().put("user", "ann");
    assertTrue(session.isValid());

    session.invalidate();

    assertFalse(session.isValid());
    assertTrue(session.attributes().isEmpty());
  }
}
