package dev.parley.crypto.internal.channel;

import dev.parley.crypto.CryptoException;
import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.SecureChannel;
import dev.parley.crypto.internal.AesGcm;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Opens one frame chunk by chunk (PROTOCOL.md §10.2): a chunk's plaintext is released only after
 * its tag verified. A chunk is the last one when the input ends right after it; its nonce says so,
 * so a truncated or extended frame fails. The commit (replay mark, epoch advance, PROTOCOL.md §11)
 * runs only after the last chunk verified; until then the stream has not reached its end.
 */
public final class FrameOpener extends SecureChannel.OpeningStream {
  /** What to do once the whole frame authenticated. */
  @FunctionalInterface
  public interface Commit {
    /** Throws a rejection if the frame must still be refused (e.g. a racing replay). */
    void run() throws CryptoException;
  }

  private final ReceiveDirection direction;
  private final EpochKey key;
  private final long ctr;
  private final byte[] ad;
  private final InputStream source;
  private final Commit commit;
  private final byte[] buffer = new byte[FrameFormat.SEALED_CHUNK_LENGTH];
  private int pos;
  private int limit;
  private long index;
  private int carry = -1;
  private boolean done;
  private IOException failure;

  /** {@code source} is positioned right after the frame's header. */
  public FrameOpener(ReceiveDirection direction, EpochKey key, long ctr, byte[] ad, InputStream source, Commit commit) {
    this.direction = direction;
    this.key = key;
    this.ctr = ctr;
    this.ad = ad;
    this.source = source;
    this.commit = commit;
  }

  /** Opens a whole frame held in one array; nothing is returned unless every chunk verified. */
  public static byte[] openAll(ReceiveDirection direction, EpochKey key, long ctr, byte[] ad, byte[] frame,
      int headerLength, Commit commit) throws CryptoException {
    long sealed = frame.length - (long) headerLength;
    long chunks = FrameFormat.sealedChunkCount(sealed);
    long lastLength = sealed - (chunks - 1) * FrameFormat.SEALED_CHUNK_LENGTH;
    if (lastLength < FrameFormat.TAG_LENGTH || chunks > FrameFormat.MAX_CHUNKS) {
      throw FrameFormat.rejected(Reason.MALFORMED);
    }
    byte[] out = new byte[(int) (sealed - chunks * FrameFormat.TAG_LENGTH)];
    int in = headerLength;
    int at = 0;
    try {
      for (long i = 0; i < chunks; i++) {
        boolean last = i == chunks - 1;
        int len = last ? (int) lastLength : FrameFormat.SEALED_CHUNK_LENGTH;
        at += openChunk(key, direction.nonce(ctr, i, last), ad, frame, in, len, out, at);
        in += len;
      }
      commit.run();
    } catch (CryptoException e) {
      Arrays.fill(out, (byte) 0);
      throw e;
    }
    return out;
  }

  /**
   * Opens a whole frame held in {@code frame[offset, offset + length)} in place (PROTOCOL.md §10.2):
   * each chunk is decrypted where it lies, then its plaintext moved down next to the previous
   * chunk's, so the body's plaintext ends up contiguous at {@code frame[offset + headerLength]}; the
   * header bytes are left as they are. {@code commit} runs only after every chunk verified.
   *
   * <p>On any failure the body region {@code frame[offset + headerLength, offset + length)} is
   * zeroed before the exception propagates, so no plaintext of a rejected frame is left behind.
   *
   * @return the plaintext length
   */
  public static int openInPlace(ReceiveDirection direction, EpochKey key, long ctr, byte[] ad, byte[] frame,
      int offset, int length, int headerLength, Commit commit) throws CryptoException {
    long sealed = length - (long) headerLength;
    long chunks = FrameFormat.sealedChunkCount(sealed);
    long lastLength = sealed - (chunks - 1) * FrameFormat.SEALED_CHUNK_LENGTH;
    if (lastLength < FrameFormat.TAG_LENGTH || chunks > FrameFormat.MAX_CHUNKS) {
      throw FrameFormat.rejected(Reason.MALFORMED);
    }
    int bodyStart = offset + headerLength;
    int in = bodyStart;
    int at = bodyStart;
    boolean ok = false;
    try {
      for (long i = 0; i < chunks; i++) {
        boolean last = i == chunks - 1;
        int len = last ? (int) lastLength : FrameFormat.SEALED_CHUNK_LENGTH;
        // Same array, same offset: AesGcm.open decrypts in place. Then move the plaintext down; it
        // ends before the next chunk's ciphertext starts (at <= in), and arraycopy handles overlap.
        int plain = openChunk(key, direction.nonce(ctr, i, last), ad, frame, in, len, frame, in);
        if (at != in) {
          System.arraycopy(frame, in, frame, at, plain);
        }
        at += plain;
        in += len;
      }
      commit.run();
      ok = true;
    } finally {
      if (!ok) {
        Arrays.fill(frame, bodyStart, offset + length, (byte) 0);
      }
    }
    return at - bodyStart;
  }

  private static int openChunk(EpochKey key, byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out,
      int outOff) throws CryptoException {
    try {
      return AesGcm.open(key.key, nonce, ad, in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw FrameFormat.rejected(Reason.AUTHENTICATION);
    } catch (IllegalStateException e) {
      if (key.key.isDestroyed()) { // the epoch was forgotten while this frame was in flight
        throw FrameFormat.rejected(Reason.REPLAY);
      }
      throw e;
    }
  }

  @Override
  public long counter() {
    return ctr;
  }

  @Override
  public int read() throws IOException {
    if (!ensureData()) {
      return -1;
    }
    return buffer[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!ensureData()) {
      return -1;
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return failure == null ? limit - pos : 0;
  }

  /** Closes the source; an unfinished frame then reads as failed, never as a clean end. */
  @Override
  public void close() throws IOException {
    Arrays.fill(buffer, (byte) 0);
    pos = limit = 0;
    if (!done && failure == null) {
      failure = new IOException("stream closed before the frame was complete");
    }
    source.close();
  }

  private boolean ensureData() throws IOException {
    while (true) {
      if (failure != null) {
        throw failure;
      }
      if (pos < limit) {
        return true;
      }
      if (done) {
        return false;
      }
      nextChunk();
    }
  }

  private void nextChunk() throws IOException {
    int n = 0;
    if (carry >= 0) {
      buffer[n++] = (byte) carry;
      carry = -1;
    }
    n += source.readNBytes(buffer, n, FrameFormat.SEALED_CHUNK_LENGTH - n);
    boolean last = n < FrameFormat.SEALED_CHUNK_LENGTH;
    if (!last) {
      int peek = source.read();
      if (peek < 0) {
        last = true;
      } else {
        carry = peek;
      }
    }
    try {
      if (n < FrameFormat.TAG_LENGTH || index >= FrameFormat.MAX_CHUNKS) {
        throw FrameFormat.rejected(Reason.MALFORMED);
      }
      int plain = openChunk(key, direction.nonce(ctr, index, last), ad, buffer, 0, n, buffer, 0);
      index++;
      if (last) {
        commit.run();
        done = true;
      }
      pos = 0;
      limit = plain;
    } catch (CryptoException e) {
      Arrays.fill(buffer, (byte) 0);
      pos = limit = 0;
      failure = new IOException("frame rejected", e);
      throw failure;
    }
  }
}
