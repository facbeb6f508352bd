package dev.parley.server;

import dev.parley.Compression;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * {@code Content-Encoding: gzip} for plain answers (docs/PROTOCOL.md §15.4, last paragraph). Bodies
 * under {@value #MIN_BYTES} bytes are never compressed. Sealed plaintexts carry their own flag byte
 * and raw DEFLATE instead: {@link dev.parley.crypto.HttpBinding#sealedPlaintext} and
 * {@link dev.parley.crypto.HttpBinding#openPlaintext}.
 */
final class BodyCompression {
  /** Bodies shorter than this are sent uncompressed whatever the setting. */
  static final int MIN_BYTES = 256;

  private BodyCompression() {}

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
}
