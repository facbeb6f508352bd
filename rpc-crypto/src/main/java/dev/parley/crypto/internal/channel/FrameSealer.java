package dev.parley.crypto.internal.channel;

import dev.parley.crypto.internal.AesGcm;
import java.util.Arrays;

/**
 * Seals one frame held whole in an array (PROTOCOL.md §10.2): the header, then the body in chunks
 * of at most 64 KiB, each sealed with its own nonce (§10.3) and the frame's associated data (§10.4).
 * One {@code doFinal} per chunk, no intermediate copy.
 */
public final class FrameSealer {
  private FrameSealer() {}

  /** Seals a whole body into a new array: header, then every chunk straight from {@code body}. */
  public static byte[] sealAll(SendDirection direction, SendDirection.Reservation r, byte[] header, byte[] ad,
      byte[] body) {
    long total = FrameFormat.frameLength(header[0], body.length);
    if (total > FrameFormat.MAX_ARRAY_FRAME) {
      throw new IllegalArgumentException("body too large for one frame array");
    }
    long chunks = FrameFormat.chunkCount(body.length);
    byte[] out = Arrays.copyOf(header, (int) total);
    int in = 0;
    int at = header.length;
    for (long i = 0; i < chunks; i++) {
      int len = Math.min(FrameFormat.CHUNK_LENGTH, body.length - in);
      boolean last = i == chunks - 1;
      byte[] nonce = direction.nonce(r, i, last, len);
      at += AesGcm.seal(r.epoch().key, nonce, ad, body, in, len, out, at);
      in += len;
    }
    return out;
  }

  /**
   * Seals the body {@code array[0, len)} in place: afterwards {@code array[0, frameLength)} is the
   * frame, the same bytes {@link #sealAll} produces for the same reservation. The caller has checked
   * that {@code array} has room for the frame. The chunks are sealed last to first: chunk {@code i}
   * lands at {@code header + i × (chunk + tag)}, after its plaintext at {@code i × chunk} and before
   * the already-sealed chunk {@code i + 1}, so no unsealed plaintext is ever overwritten. Each
   * chunk is first moved to its place and sealed there (in place, same offset), then the header is
   * written over the first chunk's old position.
   *
   * @return the frame length
   */
  public static int sealInPlace(SendDirection direction, SendDirection.Reservation r, byte[] header, byte[] ad,
      byte[] array, int len) {
    long chunks = FrameFormat.chunkCount(len);
    for (long i = chunks - 1; i >= 0; i--) {
      int in = (int) (i * FrameFormat.CHUNK_LENGTH);
      int n = Math.min(FrameFormat.CHUNK_LENGTH, len - in);
      int at = header.length + (int) (i * FrameFormat.SEALED_CHUNK_LENGTH);
      System.arraycopy(array, in, array, at, n);   // overlapping ranges: arraycopy moves as if through a copy
      byte[] nonce = direction.nonce(r, i, i == chunks - 1, n);
      AesGcm.seal(r.epoch().key, nonce, ad, array, at, n, array, at);
    }
    System.arraycopy(header, 0, array, 0, header.length);
    return header.length + len + (int) chunks * FrameFormat.TAG_LENGTH;
  }
}
