package dev.parley.crypto.internal.channel;

import dev.parley.crypto.CryptoException;
import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.AesGcm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Byte layouts of data frames: the clear header, the associated data and the per-chunk nonce
 * (PROTOCOL.md §10.1–§10.3). Pure functions, no state.
 */
public final class FrameFormat {
  /** Type byte of a request frame (client to server). */
  public static final byte TYPE_REQUEST = 0x05;
  /** Type byte of a response frame (server to client). */
  public static final byte TYPE_RESPONSE = 0x06;
  /** Type byte of the unknown-session reject (HTTP 410 body). */
  public static final byte TYPE_REJECT = 0x07;

  /** Session id length. */
  public static final int SID_LENGTH = 16;
  /** type(1) ‖ epoch(4) ‖ sid(16) ‖ ctr(8). */
  public static final int REQUEST_HEADER_LENGTH = 1 + 4 + SID_LENGTH + 8;
  /** The request header ‖ reqCtr(8). */
  public static final int RESPONSE_HEADER_LENGTH = REQUEST_HEADER_LENGTH + 8;

  /** Plaintext bytes in every chunk but the last (PROTOCOL.md §10.2). */
  public static final int CHUNK_LENGTH = 64 * 1024;
  /** Tag length of every chunk. */
  public static final int TAG_LENGTH = AesGcm.TAG_LENGTH;
  /** Wire length of every chunk but the last. */
  public static final int SEALED_CHUNK_LENGTH = CHUNK_LENGTH + TAG_LENGTH;
  /** Bit 31 of the chunk word marks the last chunk (PROTOCOL.md §10.3). */
  public static final int LAST_CHUNK_FLAG = 0x8000_0000;
  /** Chunk indexes run 0 .. 2^31 − 1. */
  public static final long MAX_CHUNKS = 1L << 31;

  /** The longest frame sealed into or opened from one array (a little under the JVM's array limit). */
  public static final int MAX_ARRAY_FRAME = Integer.MAX_VALUE - 16;

  /** Longest method or route in UTF-8 bytes (a uint16 length prefix, PROTOCOL.md §10.4). */
  public static final int MAX_AD_STRING = 0xFFFF;

  private FrameFormat() {}

  /** Header length of a frame of this type. */
  public static int headerLength(byte type) {
    return type == TYPE_RESPONSE ? RESPONSE_HEADER_LENGTH : REQUEST_HEADER_LENGTH;
  }

  /** Writes the clear header (PROTOCOL.md §10.1); {@code reqCtr} is ignored for a request. */
  public static byte[] header(byte type, int epoch, byte[] sid, long ctr, long reqCtr) {
    ByteBuffer b = ByteBuffer.allocate(headerLength(type));
    b.put(type).putInt(epoch).put(sid).putLong(ctr);
    if (type == TYPE_RESPONSE) {
      b.putLong(reqCtr);
    }
    return b.array();
  }

  /** The fields of a parsed header. */
  public record Header(byte type, int epoch, long ctr, long reqCtr) {}

  /**
   * Parses and checks the clear header of the frame held in {@code frame[offset, offset + length)}
   * (the caller has checked the slice's bounds): at least {@code minLength} bytes (a whole frame has
   * its header and one tag, PROTOCOL.md §10.5 step 1), the type, the session id and the
   * counter/epoch bounds (§10.1, §12). The session id is public, so its compare need not be
   * constant-time.
   */
  public static Header parse(byte[] frame, int offset, int length, int minLength, byte expectedType, byte[] sid,
      Limits limits) throws CryptoException {
    if (length < minLength || length < headerLength(expectedType) || frame[offset] != expectedType) {
      throw rejected(Reason.MALFORMED);
    }
    ByteBuffer b = ByteBuffer.wrap(frame, offset, length);
    b.get();
    int epoch = b.getInt();
    for (int i = 0; i < SID_LENGTH; i++) {
      if (b.get() != sid[i]) {
        throw rejected(Reason.AUTHENTICATION);
      }
    }
    long ctr = b.getLong();
    long reqCtr = expectedType == TYPE_RESPONSE ? b.getLong() : -1;
    if (Integer.compareUnsigned(epoch, limits.maxEpoch()) > 0) {
      throw rejected(Reason.LIMIT);
    }
    if (Long.compareUnsigned(ctr, limits.maxFrames()) >= 0
        || (expectedType == TYPE_RESPONSE && Long.compareUnsigned(reqCtr, limits.maxFrames()) >= 0)) {
      throw rejected(Reason.LIMIT);
    }
    return new Header(expectedType, epoch, ctr, reqCtr);
  }

  /**
   * The associated data of every chunk (PROTOCOL.md §10.4): header ‖ u16 len ‖ method ‖ u16 len ‖
   * route, then for a response ‖ u16 status. Strings are UTF-8.
   *
   * @param status the HTTP status for a response, −1 for a request
   */
  public static byte[] associatedData(byte[] header, int headerLength, String method, String route, int status) {
    return associatedData(header, 0, headerLength, method, route, status);
  }

  /** As {@link #associatedData(byte[], int, String, String, int)} with the header at {@code header[headerOffset]}. */
  public static byte[] associatedData(byte[] header, int headerOffset, int headerLength, String method, String route,
      int status) {
    byte[] m = utf8(method, "method");
    byte[] r = utf8(route, "route");
    ByteBuffer b = ByteBuffer.allocate(headerLength + 2 + m.length + 2 + r.length + (status >= 0 ? 2 : 0));
    b.put(header, headerOffset, headerLength);
    b.putShort((short) m.length).put(m);
    b.putShort((short) r.length).put(r);
    if (status >= 0) {
      b.putShort((short) status);
    }
    return b.array();
  }

  /** Checks an HTTP status given for a response's associated data. */
  public static int checkStatus(int status) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must be an HTTP status 100..999, was " + status);
    }
    return status;
  }

  private static byte[] utf8(String s, String name) {
    Objects.requireNonNull(s, name + " == null");
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_AD_STRING) {
      throw new IllegalArgumentException(name + " is longer than " + MAX_AD_STRING + " UTF-8 bytes");
    }
    return bytes;
  }

  /**
   * The chunk nonce (PROTOCOL.md §10.3): IV XOR (ctr as 8 bytes big-endian ‖ chunk word as 4 bytes
   * big-endian), chunk word = index | (last ? 2^31 : 0).
   */
  public static byte[] nonce(byte[] iv, long ctr, long index, boolean last) {
    if (index < 0 || index >= MAX_CHUNKS) {
      throw new IllegalArgumentException("chunk index out of range");
    }
    int word = (int) index | (last ? LAST_CHUNK_FLAG : 0);
    byte[] n = new byte[AesGcm.NONCE_LENGTH];
    for (int i = 0; i < 8; i++) {
      n[i] = (byte) (iv[i] ^ (ctr >>> (56 - 8 * i)));
    }
    for (int i = 0; i < 4; i++) {
      n[8 + i] = (byte) (iv[8 + i] ^ (word >>> (24 - 8 * i)));
    }
    return n;
  }

  /**
   * The length of a frame of this type around a body of {@code plainLength} bytes: the header, the
   * body and one tag per chunk (PROTOCOL.md §10.1–§10.2); {@link Long#MAX_VALUE} if it would exceed it.
   */
  public static long frameLength(byte type, long plainLength) {
    if (plainLength < 0) {
      throw new IllegalArgumentException("plaintext length must not be negative, was " + plainLength);
    }
    long tags = chunkCount(plainLength) * TAG_LENGTH;
    long fixed = headerLength(type) + tags;
    return plainLength > Long.MAX_VALUE - fixed ? Long.MAX_VALUE : fixed + plainLength;
  }

  /** Number of chunks of a body of {@code plainLength} bytes: at least one (PROTOCOL.md §10.2). */
  public static long chunkCount(long plainLength) {
    return plainLength == 0 ? 1 : (plainLength - 1) / CHUNK_LENGTH + 1;   // ceil, without overflow
  }

  /** Number of chunks in {@code sealedLength} wire bytes after the header. */
  public static long sealedChunkCount(long sealedLength) {
    return sealedLength <= SEALED_CHUNK_LENGTH ? 1 : (sealedLength + SEALED_CHUNK_LENGTH - 1) / SEALED_CHUNK_LENGTH;
  }

  /** The generic rejection; the reason is coarse and the message holds nothing secret. */
  public static CryptoException rejected(Reason reason) {
    return new CryptoException(reason, "frame rejected");
  }
}
