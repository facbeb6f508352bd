package dev.parley.internal.jsonrpc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte sink that Jackson writes responses into and the transport sends without another
 * copy ({@link #toByteBuffer()} wraps the array). {@link #size()} and {@link #truncate(int)} let the
 * writer drop a half-written response and replace it with an error. Not thread-safe.
 */
public final class ResponseBuffer extends OutputStream {
  private byte[] bytes;
  private int count;

  public ResponseBuffer(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  @Override
  public void write(int b) {
    ensure(1);
    bytes[count++] = (byte) b;
  }

  @Override
  public void write(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, count, length);
    count += length;
  }

  private void ensure(int more) {
    int needed = count + more;
    if (needed < 0) {
      throw new OutOfMemoryError("response larger than 2 GiB");
    }
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
  }

  /**
   * A buffer holding exactly {@code bytes} (not copied), for an answer already complete, such as a
   * sealed frame.
   */
  public static ResponseBuffer wrapping(byte[] bytes) {
    return wrapping(bytes, bytes.length);
  }

  /** A buffer holding {@code bytes[0, length)} (not copied), such as a frame sealed in place. */
  public static ResponseBuffer wrapping(byte[] bytes, int length) {
    java.util.Objects.checkFromIndexSize(0, length, bytes.length);
    ResponseBuffer buffer = new ResponseBuffer(0);
    buffer.bytes = bytes;
    buffer.count = length;
    return buffer;
  }

  /**
   * Makes the backing array at least {@code capacity} bytes long (exactly that when it grows), for
   * code that then fills it in place, such as sealing the written bytes where they are.
   */
  public void ensureCapacity(int capacity) {
    if (capacity > bytes.length) {
      bytes = Arrays.copyOf(bytes, capacity);
    }
  }

  /**
   * The backing array (not copied); bytes {@code 0..size()} are the written ones. Valid until the
   * next write. For code that seals from it without another copy.
   */
  public byte[] array() {
    return bytes;
  }

  /** The number of bytes written. */
  public int size() {
    return count;
  }

  /** Drops everything written after the first {@code size} bytes. */
  public void truncate(int size) {
    if (size < 0 || size > count) {
      throw new IllegalArgumentException("size " + size + " outside 0.." + count);
    }
    count = size;
  }

  /** The written bytes, wrapped (not copied). Valid until the next write. */
  public ByteBuffer toByteBuffer() {
    return ByteBuffer.wrap(bytes, 0, count);
  }

  /** Writes the bytes from offset {@code from} on to {@code out} (e.g. a sealing or deflating stream). */
  public void writeTo(OutputStream out, int from) throws IOException {
    if (from < 0 || from > count) {
      throw new IllegalArgumentException("from " + from + " outside 0.." + count);
    }
    out.write(bytes, from, count - from);
  }

  @Override
  public void close() {
    // Nothing to release; Jackson closes its target when a generator closes.
  }
}
