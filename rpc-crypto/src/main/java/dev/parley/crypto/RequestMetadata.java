package dev.parley.crypto;

import dev.parley.crypto.HttpBinding.PlaintextException;
import dev.parley.crypto.HttpBinding.PlaintextException.Problem;
import java.nio.charset.StandardCharsets;

/**
 * The metadata block of a sealed request plaintext (PROTOCOL.md §15.4): what a caller tells the
 * server about one request beside its JSON-RPC bytes, inside the AEAD, so that nobody on the path
 * can change it: the time the caller will wait for the answer, and the W3C trace context.
 *
 * <pre>{@code
 * RequestMetadata meta = new RequestMetadata(1500, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
 * byte[] plaintext = HttpBinding.withMetadata(HttpBinding.sealedPlaintext(buf, n, 0).toByteArray(), meta);
 * HttpBinding.OpenedRequest opened = HttpBinding.openRequest(p.array(), p.offset(), p.length(), maxBodyBytes);
 * long waits = opened.metadata().timeoutMillis();   // NO_TIMEOUT when the caller sent none
 * }</pre>
 *
 * <p>The block is {@code metaLength} bytes of entries {@code u8 key ‖ u8 length ‖ value}, each key at
 * most once, in any order; a receiver skips keys it does not know. Parley writes the keys in
 * ascending order.
 *
 * @param timeoutMillis key {@value #KEY_TIMEOUT}: the milliseconds the caller will wait for the
 *     answer, counted from when it sent the request, 0 to 2^32 − 1; {@link #NO_TIMEOUT} for none
 * @param traceparent key {@value #KEY_TRACEPARENT}: the W3C {@code traceparent} value, or null
 * @param tracestate key {@value #KEY_TRACESTATE}: the W3C {@code tracestate} value, or null
 */
public record RequestMetadata(long timeoutMillis, String traceparent, String tracestate) {
  /** {@link #timeoutMillis()} when the caller sent no timeout. */
  public static final long NO_TIMEOUT = -1;
  /** The largest timeout a block can carry (a u32 of milliseconds, about 49.7 days). */
  public static final long MAX_TIMEOUT_MILLIS = 0xFFFF_FFFFL;
  /** The longest value of one entry (its length is a u8). */
  public static final int MAX_VALUE_LENGTH = 255;
  /** The longest block a receiver accepts; longer blocks are refused as malformed. */
  public static final int MAX_BLOCK_LENGTH = 1024;
  /** Key of the timeout entry: a u32, big-endian. */
  public static final int KEY_TIMEOUT = 0x01;
  /** Key of the W3C {@code traceparent} entry: ASCII. */
  public static final int KEY_TRACEPARENT = 0x02;
  /** Key of the W3C {@code tracestate} entry: ASCII. */
  public static final int KEY_TRACESTATE = 0x03;
  /** No entry at all: a plaintext with this metadata has no block (flag bit 1 clear). */
  public static final RequestMetadata NONE = new RequestMetadata(NO_TIMEOUT, null, null);

  /**
   * @throws IllegalArgumentException a timeout outside 0..{@value #MAX_TIMEOUT_MILLIS} (other than
   *     {@link #NO_TIMEOUT}), or a trace value that is empty, longer than
   *     {@value #MAX_VALUE_LENGTH} characters or not printable ASCII
   */
  public RequestMetadata {
    if (timeoutMillis != NO_TIMEOUT && (timeoutMillis < 0 || timeoutMillis > MAX_TIMEOUT_MILLIS)) {
      throw new IllegalArgumentException("timeoutMillis must be 0 to " + MAX_TIMEOUT_MILLIS + " (or NO_TIMEOUT), was "
          + timeoutMillis);
    }
    checkValue("traceparent", traceparent);
    checkValue("tracestate", tracestate);
  }

  /** True when the caller sent a timeout. */
  public boolean hasTimeout() {
    return timeoutMillis != NO_TIMEOUT;
  }

  /** True when there is no entry (the plaintext then carries no block). */
  public boolean isEmpty() {
    return timeoutMillis == NO_TIMEOUT && traceparent == null && tracestate == null;
  }

  /** True when {@code value} may be a trace entry: 1 to 255 characters of printable ASCII (0x20 to 0x7e). */
  public static boolean isValidValue(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static void checkValue(String name, String value) {
    if (value != null && !isValidValue(value)) {
      throw new IllegalArgumentException(name + " must be 1 to " + MAX_VALUE_LENGTH
          + " characters of printable ASCII (its value is not shown)");
    }
  }

  /** The block's length in bytes: {@code metaLength} (0 for {@link #NONE}). */
  public int encodedLength() {
    return (hasTimeout() ? 2 + 4 : 0) + (traceparent == null ? 0 : 2 + traceparent.length())
        + (tracestate == null ? 0 : 2 + tracestate.length());
  }

  /** Writes the block's {@link #encodedLength()} bytes into {@code out} at {@code offset}, keys ascending. */
  void encodeInto(byte[] out, int offset) {
    int at = offset;
    if (hasTimeout()) {
      out[at++] = KEY_TIMEOUT;
      out[at++] = 4;
      for (int shift = 24; shift >= 0; shift -= 8) {
        out[at++] = (byte) (timeoutMillis >>> shift);
      }
    }
    at = entry(out, at, KEY_TRACEPARENT, traceparent);
    entry(out, at, KEY_TRACESTATE, tracestate);
  }

  private static int entry(byte[] out, int at, int key, String value) {
    if (value == null) {
      return at;
    }
    byte[] ascii = value.getBytes(StandardCharsets.US_ASCII);
    out[at++] = (byte) key;
    out[at++] = (byte) ascii.length;
    System.arraycopy(ascii, 0, out, at, ascii.length);
    return at + ascii.length;
  }

  /** The block's bytes (empty for {@link #NONE}). */
  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    encodeInto(out, 0);
    return out;
  }

  /**
   * Reads a block of {@code length} bytes at {@code offset} (PROTOCOL.md §15.4): entries that fit the
   * block exactly, each key at most once, known keys with well-formed values (a timeout of exactly
   * four bytes, trace values of printable ASCII); unknown keys are skipped.
   *
   * @throws PlaintextException {@link Problem#MALFORMED} for an empty or too long block, an entry
   *     that runs past the block, a repeated key or a malformed known value
   */
  static RequestMetadata decode(byte[] array, int offset, int length) throws PlaintextException {
    if (length < 2 || length > MAX_BLOCK_LENGTH) {
      throw malformed("a metadata block of " + length + " bytes (2 to " + MAX_BLOCK_LENGTH + " allowed)");
    }
    long timeout = NO_TIMEOUT;
    String traceparent = null;
    String tracestate = null;
    boolean[] seen = new boolean[256];
    int at = offset;
    int end = offset + length;
    while (at < end) {
      if (end - at < 2) {
        throw malformed("a metadata entry is cut off");
      }
      int key = array[at] & 0xff;
      int size = array[at + 1] & 0xff;
      int value = at + 2;
      if (size > end - value) {
        throw malformed("a metadata entry runs past the block");
      }
      if (seen[key]) {
        throw malformed("metadata key " + key + " appears twice");
      }
      seen[key] = true;
      switch (key) {
        case KEY_TIMEOUT -> timeout = timeout(array, value, size);
        case KEY_TRACEPARENT -> traceparent = ascii(array, value, size, "traceparent");
        case KEY_TRACESTATE -> tracestate = ascii(array, value, size, "tracestate");
        default -> { }   // an unknown key is skipped
      }
      at = value + size;
    }
    return new RequestMetadata(timeout, traceparent, tracestate);
  }

  private static long timeout(byte[] array, int at, int size) throws PlaintextException {
    if (size != 4) {
      throw malformed("the timeout entry is " + size + " bytes long, not 4");
    }
    long millis = 0;
    for (int i = 0; i < 4; i++) {
      millis = millis << 8 | (array[at + i] & 0xff);
    }
    return millis;
  }

  private static String ascii(byte[] array, int at, int size, String name) throws PlaintextException {
    if (size == 0) {
      throw malformed("the " + name + " entry is empty");
    }
    for (int i = at; i < at + size; i++) {
      if (array[i] < 0x20 || array[i] > 0x7e) {
        throw malformed("the " + name + " entry is not printable ASCII");
      }
    }
    return new String(array, at, size, StandardCharsets.US_ASCII);
  }

  private static PlaintextException malformed(String why) {
    return new PlaintextException(Problem.MALFORMED, why);
  }
}
