package dev.parley.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Inflates a {@code Content-Encoding: gzip} request body. Malformed gzip data surfaces as
 * {@link Corrupt}, so it can be told apart from a broken connection (a plain {@link IOException}).
 */
final class GzipBody extends FilterInputStream {
  /** The body is not valid gzip data. */
  static final class Corrupt extends IOException {
    private static final long serialVersionUID = 1L;

    Corrupt(Throwable cause) {
      super("corrupt gzip body", cause);
    }
  }

  private GzipBody(InputStream in) {
    super(in);
  }

  static InputStream open(InputStream wire) throws IOException {
    try {
      return new GzipBody(new GZIPInputStream(wire, 8192));
    } catch (ZipException | java.io.EOFException e) {
      throw new Corrupt(e);
    }
  }

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } catch (ZipException | java.io.EOFException e) {
      throw new Corrupt(e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      return in.read(buffer, offset, length);
    } catch (ZipException | java.io.EOFException e) {
      throw new Corrupt(e);
    }
  }
}
