package dev.parley.client.internal;

import dev.parley.Compression;
import dev.parley.crypto.HttpBinding;
import dev.parley.internal.jsonrpc.ClientResponseException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPOutputStream;
import okio.Buffer;

/**
 * Body helpers: the sealed plaintext of an okio buffer and back (the flag byte itself is
 * {@link HttpBinding}'s, PROTOCOL.md §15.4), gzip for plain request bodies, and size limits on what
 * the client reads (a zip bomb or a huge answer fails instead of filling the heap).
 */
public final class Bodies {
  /** Bodies shorter than this are never compressed. */
  public static final int MIN_COMPRESS = 256;

  private Bodies() {}

  /** A part of an array: the JSON-RPC bytes inside an opened plaintext, without copying them out. */
  public record Slice(byte[] bytes, int offset, int length) {
    /** The empty slice: the answer to a notification. */
    public static final Slice EMPTY = new Slice(new byte[0], 0, 0);

    public boolean isEmpty() {
      return length == 0;
    }

    public InputStream stream() {
      return new java.io.ByteArrayInputStream(bytes, offset, length);
    }
  }

  /**
   * The sealed plaintext of PROTOCOL.md §15.4 for {@code json} ({@link HttpBinding#sealedPlaintext}:
   * the flag byte, then the bytes, deflated at the level of {@code compression} from 256 bytes).
   * Consumes {@code json} (its segments go back to okio's pool), so the caller does not hold the
   * request twice while it is sealed and sent; {@link #restoreJson} refills it.
   */
  public static byte[] sealedPlaintext(Buffer json, Compression compression) {
    byte[] buffer = new byte[1 + Math.toIntExact(json.size())];   // byte 0: room for the flag
    for (int at = 1; at < buffer.length; ) {
      at += json.read(buffer, at, buffer.length - at);   // the one copy; leaves json empty
    }
    // Both forms fill their array exactly: buffer as it is, or a new array of the deflated plaintext.
    return HttpBinding.sealedPlaintext(buffer, buffer.length, compression.deflaterLevel()).array();
  }

  /**
   * Writes the JSON-RPC bytes of a plaintext made by {@link #sealedPlaintext} back into
   * {@code json} (emptied by it): a call that falls back to plain JSON-RPC after it was sealed.
   */
  public static void restoreJson(byte[] plaintext, Buffer json) {
    try {
      Slice bytes = openedJson(plaintext, Long.MAX_VALUE);
      json.clear();
      json.write(bytes.bytes(), bytes.offset(), bytes.length());
    } catch (ClientResponseException e) {
      throw new IllegalStateException("a plaintext this client made does not open", e);
    }
  }

  /**
   * The JSON-RPC bytes of an opened sealed plaintext ({@link HttpBinding#openPlaintext}). An empty
   * plaintext (a notification's answer) gives an empty slice.
   *
   * @throws ClientResponseException unknown flag, corrupt DEFLATE data, or more than
   *     {@code maxBytes} once inflated
   */
  public static Slice openedJson(byte[] plaintext, long maxBytes) throws ClientResponseException {
    return openedJson(plaintext, 0, plaintext.length, maxBytes);
  }

  /** As {@link #openedJson(byte[], long)} for the plaintext {@code array[offset, offset + length)}. */
  public static Slice openedJson(byte[] array, int offset, int length, long maxBytes) throws ClientResponseException {
    if (length == 0) {
      return Slice.EMPTY;
    }
    try {
      HttpBinding.Bytes json = HttpBinding.openPlaintext(array, offset, length, maxBytes);
      return new Slice(json.array(), json.offset(), json.length());
    } catch (HttpBinding.PlaintextException e) {
      throw new ClientResponseException(e.problem() == HttpBinding.PlaintextException.Problem.TOO_LARGE
          ? "the answer is larger than maxBodyBytes (" + maxBytes + " bytes)"
          : "the sealed answer's plaintext is malformed: " + e.getMessage());
    }
  }

  /** gzip of a plain request body (standard {@code Content-Encoding: gzip}). */
  public static Buffer gzip(Buffer json, Compression compression) {
    Buffer out = new Buffer();
    try (GZIPOutputStream gz = new GZIPOutputStream(out.outputStream(), 8192) {
      {
        def.setLevel(compression.deflaterLevel());
      }
    }) {
      json.copy().copyTo(gz);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into a buffer failed", e); // an okio Buffer does not fail
    }
    return out;
  }

  /**
   * Reads {@code in} whole, failing when it holds more than {@code max} bytes.
   *
   * @throws ClientResponseException the body is larger than {@code max}
   */
  public static byte[] readAtMost(InputStream in, long max, String what) throws IOException {
    return readAtMost(in, max, what, -1);
  }

  /**
   * {@link #readAtMost(InputStream, long, String)} into an array of exactly {@code contentLength}
   * bytes when the length is known (no intermediate copies).
   */
  public static byte[] readAtMost(InputStream in, long max, String what, long contentLength) throws IOException {
    if (contentLength > max) {
      throw new ClientResponseException(what + " is larger than " + max + " bytes");
    }
    if (contentLength >= 0) {
      // Straight into the one array (InputStream.readNBytes(int) would gather 8 KiB pieces and copy
      // them once more). Allocating the declared length up front is safe here: the client asked for
      // this answer, and the length is already bounded by max.
      byte[] body = new byte[(int) contentLength];
      int read = in.readNBytes(body, 0, body.length);
      if (read != contentLength) {
        throw new java.io.EOFException(what + " ended after " + read + " of " + contentLength + " bytes");
      }
      // Read on to the end: over HTTP/2 OkHttp completes the stream only once it saw the end, and
      // closing a response whose end was not read resets the stream (CANCEL).
      if (in.read() != -1) {
        throw new ClientResponseException(what + " is longer than its Content-Length of " + contentLength + " bytes");
      }
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) != -1) {
      total += n;
      if (total > max) {
        throw new ClientResponseException(what + " is larger than " + max + " bytes");
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * True when the {@code Content-Type} value {@code contentType} names {@code mediaType} (lower
   * case, no parameters), ignoring case, parameters and surrounding spaces; false for null. A plain
   * string check: OkHttp's {@code MediaType} parse runs a regular expression, too much per call.
   */
  public static boolean hasMediaType(String contentType, String mediaType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase(mediaType);
  }

  /** {@code in}, failing with a {@link ClientResponseException} once more than {@code max} bytes were read. */
  public static InputStream limited(InputStream in, long max) {
    return new FilterInputStream(in) {
      private long count;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      private void count(int n) throws ClientResponseException {
        count += n;
        if (count > max) {
          throw new ClientResponseException("the answer is larger than maxBodyBytes (" + max + " bytes)");
        }
      }
    };
  }
}
