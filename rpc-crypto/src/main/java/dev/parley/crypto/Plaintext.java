package dev.parley.crypto;

import java.util.Arrays;

/**
 * The plaintext of a frame opened in place (PROTOCOL.md §10.2): {@code array[offset, offset +
 * length)}, right after the frame's header inside the caller's own frame array, and the frame's
 * counter. Returned by {@link ServerChannel#openRequestInPlace} and
 * {@link ClientChannel#openResponseInPlace}.
 *
 * <pre>{@code
 * Plaintext p = server.openRequestInPlace(frame, 0, frame.length, "POST", "/calc");
 * HttpBinding.Bytes json = HttpBinding.openPlaintext(p.array(), p.offset(), p.length(), maxBodyBytes);
 * byte[] copy = p.toByteArray();       // only if a separate array is needed
 * }</pre>
 *
 * @param counter the frame's counter (for a request: the one its response answers)
 * @param array the caller's frame array
 * @param offset where the plaintext starts
 * @param length the plaintext length
 */
public record Plaintext(long counter, byte[] array, int offset, int length) {
  /** A copy of the plaintext. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }
}
