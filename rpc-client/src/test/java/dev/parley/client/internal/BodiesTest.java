package dev.parley.client.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The content-type check of sealed answers. */
class BodiesTest {
  private static final String SEALED = "application/vnd.parley.sealed";

  @Test
  void theMediaTypeMatchesWhateverTheCaseParametersAndSpaces() {
    assertTrue(Bodies.hasMediaType(SEALED, SEALED));
    assertTrue(Bodies.hasMediaType("Application/VND.Parley.Sealed", SEALED));
    assertTrue(Bodies.hasMediaType(" application/vnd.parley.sealed ; charset=binary", SEALED));
  }

  @Test
  void anotherOrAMissingMediaTypeDoesNotMatch() {
    assertFalse(Bodies.hasMediaType(null, SEALED));
    assertFalse(Bodies.hasMediaType("", SEALED));
    assertFalse(Bodies.hasMediaType("application/json", SEALED));
    assertFalse(Bodies.hasMediaType("application/vnd.parley.sealedx", SEALED));
    assertFalse(Bodies.hasMediaType("application/vnd.parley.handshake; x=application/vnd.parley.sealed", SEALED));
  }
}
