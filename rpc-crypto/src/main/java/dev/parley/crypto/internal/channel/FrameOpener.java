package dev.parley.crypto.internal.channel;

import dev.parley.crypto.CryptoException;
import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.AesGcm;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * Opens one frame held whole in an array, in place (PROTOCOL.md §10.2): the body is split into
 * chunks by length alone, each chunk is decrypted where it lies, and the commit (replay mark, epoch
 * advance, PROTOCOL.md §11) runs only after the last chunk verified. The last chunk's nonce says it
 * is last, so a truncated or extended frame fails.
 */
public final class FrameOpener {
  /** What to do once the whole frame authenticated. */
  @FunctionalInterface
  public interface Commit {
    /** Throws a rejection if the frame must still be refused (e.g. a racing replay). */
    void run() throws CryptoException;
  }

  private FrameOpener() {}

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
        int plain = openChunk(key, direction.nonce(ctr, i, last), ad, frame, in, len);
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

  private static int openChunk(EpochKey key, byte[] nonce, byte[] ad, byte[] frame, int off, int len)
      throws CryptoException {
    try {
      return AesGcm.open(key.key, nonce, ad, frame, off, len, frame, off);
    } catch (AEADBadTagException e) {
      throw FrameFormat.rejected(Reason.AUTHENTICATION);
    } catch (IllegalStateException e) {
      if (key.key.isDestroyed()) { // the epoch was forgotten while this frame was in flight
        throw FrameFormat.rejected(Reason.REPLAY);
      }
      throw e;
    }
  }
}
