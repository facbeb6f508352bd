package dev.parley.server;

import dev.parley.Compression;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Compression of bodies (docs/PROTOCOL.md §15.4): raw DEFLATE behind a flag byte inside a sealed
 * plaintext, and {@code Content-Encoding: gzip} for plain answers. Bodies under
 * {@value #MIN_BYTES} bytes are never compressed. Inflating is always bounded by the module's
 * {@code maxBodyBytes}, so a small compressed bomb is refused like a large body.
 */
final class BodyCompression {
  /** Bodies shorter than this are sent uncompressed whatever the setting. */
  static final int MIN_BYTES = 256;
  /** Sealed plaintext flag: the JSON-RPC bytes follow as they are. */
  static final byte FLAG_NONE = 0x00;
  /** Sealed plaintext flag: raw DEFLATE (no zlib or gzip wrapper) of the JSON-RPC bytes follows. */
  static final byte FLAG_DEFLATE = 0x01;

  private BodyCompression() {}

  /**
   * The JSON-RPC bytes of a non-empty sealed plaintext (PROTOCOL.md §15.4), inflated if its flag
   * says so, as a stream that fails with {@link BoundedInputStream.TooLarge} past {@code max}
   * bytes and with {@link GzipBody.Corrupt} for an unknown flag or broken DEFLATE data.
   */
  static InputStream openSealedPlaintext(byte[] plaintext, long max) throws IOException {
    return openSealedPlaintext(plaintext, 0, plaintext.length, max);
  }

  /** As {@link #openSealedPlaintext(byte[], long)} for the plaintext {@code array[offset, offset + length)}. */
  static InputStream openSealedPlaintext(byte[] array, int offset, int length, long max) throws IOException {
    if (length == 0) {
      throw new GzipBody.Corrupt(new ZipException("empty sealed plaintext"));
    }
    InputStream rest = new ByteArrayInputStream(array, offset + 1, length - 1);
    switch (array[offset]) {
      case FLAG_NONE:
        return new BoundedInputStream(rest, max);
      case FLAG_DEFLATE:
        return new BoundedInputStream(new RawInflating(rest), max);
      default:
        throw new GzipBody.Corrupt(new ZipException("unknown compression flag"));
    }
  }

  /**
   * The sealed plaintext for {@code json} (the first byte of {@code json} is reserved for the flag
   * and already holds {@link #FLAG_NONE}): returned as is when not compressing, else a new buffer
   * holding {@link #FLAG_DEFLATE} and the raw DEFLATE of the JSON bytes.
   */
  static ResponseBuffer sealedPlaintext(ResponseBuffer json, Compression compression) {
    int length = json.size() - 1;
    if (compression == Compression.NONE || length < MIN_BYTES) {
      return json;
    }
    ResponseBuffer out = new ResponseBuffer(length / 2 + 64);
    out.write(FLAG_DEFLATE);
    Deflater deflater = new Deflater(compression.deflaterLevel(), true);
    try (DeflaterOutputStream deflating = new DeflaterOutputStream(out, deflater, 8192)) {
      json.writeTo(deflating, 1);
    } catch (IOException e) {
      throw new IllegalStateException("deflating into memory failed", e);
    } finally {
      deflater.end();
    }
    return out;
  }

  /** True when a plain answer of {@code size} bytes should be sent gzip-encoded. */
  static boolean gzipAnswer(Compression compression, String acceptEncoding, int size) {
    return compression != Compression.NONE && size >= MIN_BYTES && acceptsGzip(acceptEncoding);
  }

  /** {@code Accept-Encoding} names {@code gzip} (or {@code *}) without {@code q=0}. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      String coding = pieces[0].trim();
      if (!coding.equalsIgnoreCase("gzip") && !coding.equalsIgnoreCase("x-gzip") && !coding.equals("*")) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < pieces.length; i++) {
        String parameter = pieces[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (parameter.matches("q=0(\\.0{0,3})?")) {
          refused = true;
        }
      }
      if (!refused) {
        return true;
      }
    }
    return false;
  }

  /** The gzip encoding of {@code json} at the level of {@code compression}. */
  static ResponseBuffer gzip(ResponseBuffer json, Compression compression) {
    ResponseBuffer out = new ResponseBuffer(json.size() / 2 + 64);
    try (GZIPOutputStream gzip = new LevelGzip(out, compression.deflaterLevel())) {
      json.writeTo(gzip, 0);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return out;
  }

  /** {@link GZIPOutputStream} at a chosen level. */
  private static final class LevelGzip extends GZIPOutputStream {
    LevelGzip(ResponseBuffer out, int level) throws IOException {
      super(out, 8192);
      def.setLevel(level);
    }
  }

  /** Raw DEFLATE input whose broken data surfaces as {@link GzipBody.Corrupt}; ends its inflater on close. */
  private static final class RawInflating extends InflaterInputStream {
    RawInflating(InputStream in) {
      super(in, new Inflater(true), 8192);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (ZipException | EOFException e) {
        throw new GzipBody.Corrupt(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        inf.end();
      }
    }
  }
}
