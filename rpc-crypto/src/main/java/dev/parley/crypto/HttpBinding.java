package dev.parley.crypto;

import dev.parley.crypto.internal.channel.FrameFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The HTTP binding of PROTOCOL.md §15 as bytes, names and sizes, for both sides and with no HTTP
 * library: the content types that tell the three kinds of body apart (§15.1), the
 * {@code Parley-Session} and {@code Parley-Draining} headers (§15.1, §15.7), the largest handshake
 * message (§15.2), what a server reads from a request frame before it has any key (§15.6), the
 * largest frames for a largest plaintext (§10.2), and the flag byte and metadata block of a sealed
 * plaintext (§15.4, {@link RequestMetadata}).
 *
 * <pre>{@code
 * // sender: the JSON-RPC bytes at buf[1, n), byte 0 kept free for the flag
 * HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(buf, n, 6);   // DEFLATE level 6 from 256 bytes
 *
 * // server, before it holds any key (§15.6)
 * if (contentLength > HttpBinding.maxRequestFrame(maxBodyBytes + 1)) answer(413);
 * HttpBinding.RequestFrame head = HttpBinding.peekRequest(body, body.length);   // null: answer 400
 *
 * // client: a request that carries its timeout and trace context (§15.4 flag bit 1)
 * byte[] request = HttpBinding.withMetadata(plaintext.toByteArray(), new RequestMetadata(1500, traceparent, null));
 *
 * // receiver, once the frame opened in place
 * HttpBinding.OpenedRequest req = HttpBinding.openRequest(p.array(), p.offset(), p.length(), maxBodyBytes);
 * HttpBinding.Bytes answer = HttpBinding.openPlaintext(p.array(), p.offset(), p.length(), maxBodyBytes);
 * }</pre>
 */
public final class HttpBinding {
  /** §15.1: the {@code Content-Type} of handshake messages, both ways. */
  public static final String HANDSHAKE_TYPE = "application/vnd.parley.handshake";
  /** §15.1, §15.3: the {@code Content-Type} of request and response frames. */
  public static final String SEALED_TYPE = "application/vnd.parley.sealed";
  /** §15.5: the {@code Content-Type} of a 410 answer (the reject of §13, or an empty body). */
  public static final String REJECT_TYPE = "application/vnd.parley.reject";
  /** §15.1: the header that routes a session's requests: its id as base64url without padding. */
  public static final String SESSION_HEADER = "Parley-Session";
  /** §15.5, §15.7: the header of a plain 503 from an instance that stops gracefully. */
  public static final String DRAINING_HEADER = "Parley-Draining";

  /** §15.2: the longest handshake message, msg3 with a 1024-byte token and a 64-byte contribution. */
  public static final int MAX_HANDSHAKE_LENGTH = 4 + 1024 + 17 + 64;
  /** §15.4: the flag of a sealed plaintext whose payload is the JSON-RPC bytes as they are. */
  public static final byte FLAG_JSON = 0x00;
  /** §15.4: the flag of a sealed plaintext whose payload is raw DEFLATE (RFC 1951) of the JSON-RPC bytes. */
  public static final byte FLAG_DEFLATE = 0x01;
  /** §15.4: flag bit 1, requests only: a metadata block ({@link RequestMetadata}) follows the flag byte. */
  public static final byte FLAG_METADATA = 0x02;
  /** §15.4: JSON shorter than this is never compressed. */
  public static final int MIN_DEFLATE_LENGTH = 256;

  private static final int CHUNK = 8192;

  private HttpBinding() {}

  // ------------------------------------------------------------------------------ frames

  /**
   * The clear header and the tag of a request frame (PROTOCOL.md §10.1, §13.1), read without any
   * key: where to look the session up (§15.6) and what a reject must name. Null when
   * {@code frame[0, length)} is not at least a request header and one tag with type {@code 0x05}
   * (§10.5 step 1).
   *
   * @throws IndexOutOfBoundsException if {@code length} lies outside {@code frame}
   */
  public static RequestFrame peekRequest(byte[] frame, int length) {
    Objects.requireNonNull(frame, "frame == null");
    Objects.checkFromIndexSize(0, length, frame.length);
    if (length < FrameFormat.REQUEST_HEADER_LENGTH + FrameFormat.TAG_LENGTH || frame[0] != FrameFormat.TYPE_REQUEST) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(frame, 1, FrameFormat.REQUEST_HEADER_LENGTH - 1);
    int epoch = b.getInt();
    byte[] sid = new byte[FrameFormat.SID_LENGTH];
    b.get(sid);
    long counter = b.getLong();
    return new RequestFrame(epoch, sid, counter, Arrays.copyOfRange(frame, length - FrameFormat.TAG_LENGTH, length));
  }

  /**
   * The clear fields of a request frame and its tag; none is authenticated until the frame opens.
   *
   * <pre>{@code
   * HttpBinding.RequestFrame head = HttpBinding.peekRequest(frame, frame.length);
   * byte[] reject = instance.reject(head.sessionId(), head.counter(), head.tag(), "/calc");
   * }</pre>
   *
   * @param epoch the epoch the frame claims (§12)
   * @param sessionId the 16-byte session id
   * @param counter the request counter
   * @param tag the frame's last 16 bytes (the tag of its last chunk), which a reject names (§13.1)
   */
  public record RequestFrame(int epoch, byte[] sessionId, long counter, byte[] tag) {
    /** The session id as the {@code Parley-Session} header shows it (base64url, no padding). */
    public String sessionIdText() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sessionId);
    }
  }

  /**
   * The longest request frame whose plaintext has at most {@code maxPlaintext} bytes: the 29-byte
   * header, the plaintext and a 16-byte tag per chunk of 64 KiB (PROTOCOL.md §10.1–§10.2). A sealed
   * plaintext is the flag byte and the JSON (§15.4), so for JSON of at most {@code m} bytes pass
   * {@code m + 1}. {@link Long#MAX_VALUE} if the bound does not fit in a long.
   */
  public static long maxRequestFrame(long maxPlaintext) {
    return FrameFormat.frameLength(FrameFormat.TYPE_REQUEST, maxPlaintext);
  }

  /** As {@link #maxRequestFrame(long)} for a response frame, whose header is 37 bytes. */
  public static long maxResponseFrame(long maxPlaintext) {
    return FrameFormat.frameLength(FrameFormat.TYPE_RESPONSE, maxPlaintext);
  }

  // ------------------------------------------------------------------------------ §15.4 flag byte, metadata

  /**
   * The sealed plaintext (PROTOCOL.md §15.4) of the JSON-RPC bytes {@code buffer[1, length)}; byte
   * 0 of {@code buffer} is the caller's room for the flag. With {@code level} 0, or JSON shorter
   * than {@value #MIN_DEFLATE_LENGTH} bytes, the flag {@link #FLAG_JSON} is written into
   * {@code buffer[0]} and {@code buffer[0, length)} is the plaintext: nothing is copied. Otherwise
   * a new array holds exactly {@link #FLAG_DEFLATE} and the raw DEFLATE of the JSON at that level.
   *
   * @param level the DEFLATE level, 0 (never compress) to 9; Parley uses 1, 6 and 9
   * @throws IllegalArgumentException if {@code level} is not 0..9 or {@code length} is less than 1
   * @throws IndexOutOfBoundsException if {@code length} is beyond {@code buffer}
   */
  public static Bytes sealedPlaintext(byte[] buffer, int length, int level) {
    Objects.requireNonNull(buffer, "buffer == null");
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("level must be a DEFLATE level 0..9, was " + level);
    }
    if (length < 1) {
      throw new IllegalArgumentException("length must count the flag byte, so at least 1, was " + length);
    }
    Objects.checkFromIndexSize(0, length, buffer.length);
    int jsonLength = length - 1;
    if (level == 0 || jsonLength < MIN_DEFLATE_LENGTH) {
      buffer[0] = FLAG_JSON;
      return new Bytes(buffer, 0, length);
    }
    Deflater deflater = new Deflater(level, true);
    try {
      deflater.setInput(buffer, 1, jsonLength);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(jsonLength / 2 + 64);
      out.write(FLAG_DEFLATE);
      byte[] chunk = new byte[CHUNK];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      byte[] plaintext = out.toByteArray();
      return new Bytes(plaintext, 0, plaintext.length);
    } finally {
      deflater.end();
    }
  }

  /**
   * The JSON-RPC bytes of an opened sealed <em>response</em> plaintext {@code array[offset, offset +
   * length)} (PROTOCOL.md §15.4): a view into {@code array} for {@link #FLAG_JSON}, a new array for
   * {@link #FLAG_DEFLATE}, inflated no further than {@code maxJson} bytes. An empty plaintext (the
   * answer to a notification, or a ping) gives an empty view. A response never carries a metadata
   * block: flag bit 1, like every other unknown bit, is refused. A request is read with
   * {@link #openRequest}.
   *
   * @throws PlaintextException {@link PlaintextException.Problem#TOO_LARGE} past {@code maxJson}
   *     bytes of JSON, {@link PlaintextException.Problem#MALFORMED} for an unknown flag or DEFLATE
   *     data that is corrupt, truncated or followed by more bytes
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside {@code array}
   */
  public static Bytes openPlaintext(byte[] array, int offset, int length, long maxJson) throws PlaintextException {
    Objects.requireNonNull(array, "array == null");
    Objects.checkFromIndexSize(offset, length, array.length);
    if (length == 0) {
      return new Bytes(array, offset, 0);
    }
    byte flag = array[offset];
    if (flag != FLAG_JSON && flag != FLAG_DEFLATE) {
      throw new PlaintextException(PlaintextException.Problem.MALFORMED, "unknown flags " + (flag & 0xff));
    }
    return payload(flag, array, offset + 1, length - 1, maxJson);
  }

  /** The payload after the flag byte (and any metadata block): as it is, or inflated. */
  private static Bytes payload(byte flag, byte[] array, int offset, int length, long maxJson) throws PlaintextException {
    if ((flag & FLAG_DEFLATE) != 0) {
      return inflate(array, offset, length, maxJson);
    }
    if (length > maxJson) {
      throw new PlaintextException(PlaintextException.Problem.TOO_LARGE, "larger than " + maxJson + " bytes");
    }
    return new Bytes(array, offset, length);
  }

  /**
   * A sealed <em>request</em> plaintext opened (PROTOCOL.md §15.4): its JSON-RPC bytes and the
   * metadata the caller sealed with them ({@link RequestMetadata#NONE} without a block).
   *
   * @param json the JSON-RPC bytes (empty for a ping)
   * @param metadata the caller's timeout and trace context
   */
  public record OpenedRequest(Bytes json, RequestMetadata metadata) {}

  /**
   * Opens a sealed request plaintext {@code array[offset, offset + length)} (PROTOCOL.md §15.4): the
   * flag byte (bits 0 and 1 only), the metadata block when bit 1 is set, and the payload as
   * {@link #openPlaintext} reads it. An empty plaintext is a ping: empty JSON, no metadata.
   *
   * @throws PlaintextException {@link PlaintextException.Problem#TOO_LARGE} past {@code maxJson}
   *     bytes of JSON; {@link PlaintextException.Problem#MALFORMED} for an unknown flag bit, a
   *     metadata block that is empty, longer than {@value RequestMetadata#MAX_BLOCK_LENGTH} bytes,
   *     runs past the plaintext or is malformed ({@link RequestMetadata}), or bad DEFLATE data
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside {@code array}
   */
  public static OpenedRequest openRequest(byte[] array, int offset, int length, long maxJson)
      throws PlaintextException {
    Objects.requireNonNull(array, "array == null");
    Objects.checkFromIndexSize(offset, length, array.length);
    if (length == 0) {
      return new OpenedRequest(new Bytes(array, offset, 0), RequestMetadata.NONE);
    }
    byte flags = array[offset];
    if ((flags & ~(FLAG_DEFLATE | FLAG_METADATA)) != 0) {
      throw new PlaintextException(PlaintextException.Problem.MALFORMED, "unknown flags " + (flags & 0xff));
    }
    int at = offset + 1;
    int end = offset + length;
    RequestMetadata metadata = RequestMetadata.NONE;
    if ((flags & FLAG_METADATA) != 0) {
      if (end - at < 2) {
        throw new PlaintextException(PlaintextException.Problem.MALFORMED, "the metadata length is cut off");
      }
      int metaLength = (array[at] & 0xff) << 8 | (array[at + 1] & 0xff);
      at += 2;
      if (metaLength > end - at) {
        throw new PlaintextException(PlaintextException.Problem.MALFORMED, "the metadata block runs past the plaintext");
      }
      metadata = RequestMetadata.decode(array, at, metaLength);
      at += metaLength;
    }
    return new OpenedRequest(payload(flags, array, at, end - at, maxJson), metadata);
  }

  /**
   * The request plaintext {@code plaintext} (a flag byte and the payload, as {@link #sealedPlaintext}
   * makes it) with {@code metadata} added (PROTOCOL.md §15.4): a new array holding the flag byte with
   * bit 1 set, {@code u16 metaLength}, the block and the payload (which stays as it is: the metadata
   * is never compressed). With {@link RequestMetadata#NONE}, {@code plaintext} itself.
   *
   * @throws IllegalArgumentException {@code plaintext} is empty (a ping carries no metadata) or
   *     already has a metadata block
   */
  public static byte[] withMetadata(byte[] plaintext, RequestMetadata metadata) {
    Objects.requireNonNull(plaintext, "plaintext == null");
    Objects.requireNonNull(metadata, "metadata == null");
    if (plaintext.length == 0 || (plaintext[0] & ~FLAG_DEFLATE) != 0) {
      throw new IllegalArgumentException("metadata goes into a plaintext of a flag byte (0 or 1) and a payload");
    }
    if (metadata.isEmpty()) {
      return plaintext;
    }
    int metaLength = metadata.encodedLength();
    byte[] out = new byte[plaintext.length + 2 + metaLength];
    out[0] = (byte) (plaintext[0] | FLAG_METADATA);
    out[1] = (byte) (metaLength >>> 8);
    out[2] = (byte) metaLength;
    metadata.encodeInto(out, 3);
    System.arraycopy(plaintext, 1, out, 3 + metaLength, plaintext.length - 1);
    return out;
  }

  private static Bytes inflate(byte[] array, int offset, int length, long maxJson) throws PlaintextException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(array, offset, length);
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length * 4L, 1 << 20));
      byte[] chunk = new byte[CHUNK];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new PlaintextException(PlaintextException.Problem.MALFORMED, "truncated DEFLATE data");
        }
        if (out.size() + (long) n > maxJson) {
          throw new PlaintextException(PlaintextException.Problem.TOO_LARGE,
              "larger than " + maxJson + " bytes once inflated");
        }
        out.write(chunk, 0, n);
      }
      if (inflater.getRemaining() > 0) {
        throw new PlaintextException(PlaintextException.Problem.MALFORMED, "bytes after the DEFLATE data");
      }
      byte[] json = out.toByteArray();
      return new Bytes(json, 0, json.length);
    } catch (DataFormatException e) {
      throw new PlaintextException(PlaintextException.Problem.MALFORMED, "corrupt DEFLATE data");
    } finally {
      inflater.end();
    }
  }

  /**
   * A part of an array: {@code array[offset, offset + length)}.
   *
   * <pre>{@code
   * HttpBinding.Bytes json = HttpBinding.openPlaintext(p.array(), p.offset(), p.length(), max);
   * parse(new ByteArrayInputStream(json.array(), json.offset(), json.length()));
   * }</pre>
   *
   * @param array the array, not copied
   * @param offset where the bytes start
   * @param length how many
   */
  public record Bytes(byte[] array, int offset, int length) {
    /** A copy of the bytes. */
    public byte[] toByteArray() {
      return Arrays.copyOfRange(array, offset, offset + length);
    }
  }

  /**
   * A sealed plaintext whose JSON-RPC bytes cannot be had (PROTOCOL.md §15.4). The message says
   * what is wrong and holds no plaintext; {@link #problem()} tells a body too large (a server
   * answers 413) from a malformed one (a server answers a JSON-RPC parse error).
   *
   * <pre>{@code
   * try {
   *   json = HttpBinding.openPlaintext(array, offset, length, maxBodyBytes);
   * } catch (HttpBinding.PlaintextException e) {
   *   return e.problem() == HttpBinding.PlaintextException.Problem.TOO_LARGE ? tooLarge() : parseError();
   * }
   * }</pre>
   */
  public static final class PlaintextException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the plaintext. */
    public enum Problem {
      /** More JSON bytes than the receiver's maximum, as sent or once inflated. */
      TOO_LARGE,
      /** An unknown flag, or DEFLATE data that is corrupt, truncated or followed by more bytes. */
      MALFORMED
    }

    private final Problem problem;

    PlaintextException(Problem problem, String message) {
      super(message);
      this.problem = problem;
    }

    /** Whether the plaintext was too large or malformed. */
    public Problem problem() {
      return problem;
    }
  }
}
