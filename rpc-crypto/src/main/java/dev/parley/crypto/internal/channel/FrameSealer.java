package dev.parley.crypto.internal.channel;

import dev.parley.crypto.SecureChannel;
import dev.parley.crypto.internal.AesGcm;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Seals one frame chunk by chunk into a sink (PROTOCOL.md §10.2): plaintext is buffered up to one
 * chunk; a full chunk is sealed as "not last" only when more plaintext arrives, and the buffered
 * rest is sealed as the last chunk by {@link #finish()}. At most one chunk is held.
 */
public final class FrameSealer extends SecureChannel.SealingStream {
  private final SendDirection direction;
  private final SendDirection.Reservation reservation;
  private final byte[] ad;
  private final OutputStream sink;
  private final byte[] buffer = new byte[FrameFormat.SEALED_CHUNK_LENGTH];
  private int filled;
  private long index;
  private boolean finished;
  private boolean closed;
  private byte[] lastTag;

  /** Writes the clear header to {@code sink} at once. */
  public FrameSealer(SendDirection direction, SendDirection.Reservation reservation, byte[] header, byte[] ad,
      OutputStream sink) throws IOException {
    this.direction = direction;
    this.reservation = reservation;
    this.ad = ad;
    this.sink = sink;
    sink.write(header);
  }

  /**
   * Seals a whole body into one array: header, then every chunk straight from {@code body}
   * (no intermediate copy, one {@code doFinal} per chunk).
   */
  public static byte[] sealAll(SendDirection direction, SendDirection.Reservation r, byte[] header, byte[] ad,
      byte[] body) {
    long chunks = FrameFormat.chunkCount(body.length);
    long total = header.length + (long) body.length + chunks * FrameFormat.TAG_LENGTH;
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("body too large for one array; use the streaming form");
    }
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
   * Seals a whole body {@code body[off, off + len)} into {@code out} at {@code outOff}: header, then
   * every chunk (PROTOCOL.md §10.2), the same bytes {@link #sealAll} produces for the same
   * reservation. The caller has checked that {@code out} has room for the frame and that the body
   * and the output do not overlap.
   *
   * @return the frame length written
   */
  public static int sealInto(SendDirection direction, SendDirection.Reservation r, byte[] header, byte[] ad,
      byte[] body, int off, int len, byte[] out, int outOff) {
    long chunks = FrameFormat.chunkCount(len);
    System.arraycopy(header, 0, out, outOff, header.length);
    int in = off;
    int end = off + len;
    int at = outOff + header.length;
    for (long i = 0; i < chunks; i++) {
      int n = Math.min(FrameFormat.CHUNK_LENGTH, end - in);
      boolean last = i == chunks - 1;
      byte[] nonce = direction.nonce(r, i, last, n);
      at += AesGcm.seal(r.epoch().key, nonce, ad, body, in, n, out, at);
      in += n;
    }
    return at - outOff;
  }

  /**
   * Seals the body {@code array[0, len)} in place: afterwards {@code array[0, frameLength)} is the
   * frame, the same bytes {@link #sealInto} writes for the same reservation. The caller has checked
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

  @Override
  public long counter() {
    return reservation.counter();
  }

  @Override
  public byte[] tag() {
    if (lastTag == null) {
      throw new IllegalStateException("the frame is not finished yet");
    }
    return lastTag.clone();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (finished) {
      throw new IOException("frame already finished");
    }
    while (len > 0) {
      if (filled == FrameFormat.CHUNK_LENGTH) {
        sealChunk(false);
      }
      int n = Math.min(len, FrameFormat.CHUNK_LENGTH - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void finish() throws IOException {
    if (!finished) {
      sealChunk(true);
      finished = true;
      Arrays.fill(buffer, (byte) 0);
    }
  }

  /** Flushes the sink; buffered plaintext of an unfinished chunk stays buffered. */
  @Override
  public void flush() throws IOException {
    sink.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      finish();
    } finally {
      sink.close();
    }
  }

  private void sealChunk(boolean last) throws IOException {
    if (index >= FrameFormat.MAX_CHUNKS - 1 && !last) {
      throw new IOException("body exceeds the frame's chunk limit");
    }
    byte[] nonce = direction.nonce(reservation, index, last, filled);
    int n = AesGcm.seal(reservation.epoch().key, nonce, ad, buffer, 0, filled, buffer, 0);
    sink.write(buffer, 0, n);
    if (last) {
      lastTag = Arrays.copyOfRange(buffer, n - FrameFormat.TAG_LENGTH, n);
    }
    index++;
    filled = 0;
  }
}
