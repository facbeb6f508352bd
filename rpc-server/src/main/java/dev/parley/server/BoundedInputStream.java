package dev.parley.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through and fails with {@link TooLarge} as soon as the source
 * holds more, so a chunked body larger than the limit is refused without ever being held in full.
 */
final class BoundedInputStream extends FilterInputStream {
  /** The body exceeded the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("request body larger than " + limit + " bytes");
    }
  }

  private final long limit;
  private long count;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0 && ++count > limit) {
      throw new TooLarge(limit);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    // Ask for at most one byte past the limit: enough to detect an oversized body.
    long allowed = limit - count + 1;
    int n = in.read(buffer, offset, (int) Math.min(length, allowed));
    if (n > 0) {
      count += n;
      if (count > limit) {
        throw new TooLarge(limit);
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
