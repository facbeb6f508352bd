package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dropped, reordered, duplicated or foreign chunks are detected (PROTOCOL.md §10.2, §10.3). */
class FrameAttackChunkTest {
  private static final int HEADER = 29;
  private static final int SEALED_CHUNK = KIB64 + 16;

  private FrameFixtures.Pair p;
  private byte[] plain;
  private byte[] frame;

  @BeforeEach
  void sealThreeChunks() throws Exception {
    p = FrameFixtures.pair();
    plain = body(2 * KIB64 + 100);
    frame = p.client().sealRequest(METHOD, ROUTE, plain).frame();
  }

  private byte[] header() {
    return Arrays.copyOf(frame, HEADER);
  }

  private byte[] chunk(byte[] f, int i) {
    int start = HEADER + i * SEALED_CHUNK;
    return Arrays.copyOfRange(f, start, Math.min(start + SEALED_CHUNK, f.length));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private void assertRejectedAndSessionUnharmed(byte[] bad) throws Exception {
    assertRequestRejected(p.server(), bad);
    p.assertWorks();
    assertArrayEquals(plain, openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @Test
  void aDroppedMiddleChunkIsRejected() throws Exception {
    assertRejectedAndSessionUnharmed(concat(header(), chunk(frame, 0), chunk(frame, 2)));
  }

  @Test
  void aDroppedLastChunkIsRejected() throws Exception {
    assertRejectedAndSessionUnharmed(concat(header(), chunk(frame, 0), chunk(frame, 1)));
  }

  @Test
  void reorderedChunksAreRejected() throws Exception {
    assertRejectedAndSessionUnharmed(concat(header(), chunk(frame, 1), chunk(frame, 0), chunk(frame, 2)));
  }

  @Test
  void aDuplicatedChunkIsRejected() throws Exception {
    assertRejectedAndSessionUnharmed(concat(header(), chunk(frame, 0), chunk(frame, 0), chunk(frame, 1),
        chunk(frame, 2)));
  }

  @Test
  void aChunkFromAnotherFrameOfTheSessionIsRejected() throws Exception {
    byte[] other = p.client().sealRequest(METHOD, ROUTE, body(2 * KIB64 + 100)).frame();
    assertRejectedAndSessionUnharmed(concat(header(), chunk(frame, 0), chunk(other, 1), chunk(frame, 2)));
  }
}
