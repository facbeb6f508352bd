package dev.parley.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import okhttp3.Connection;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * {@code --verbose}: an OkHttp network interceptor that prints each HTTP exchange as it crosses the
 * wire, curl style ({@code >} request, {@code <} answer, {@code *} notes), on standard error.
 *
 * <p>Plain JSON-RPC bodies are printed: they travel in clear anyway. Handshake messages, sealed
 * frames and rejects are printed as their size only. The SecureKey never reaches this class: it
 * sees HTTP, and no header carries key material (PROTOCOL.md §15). The decrypted plaintext of a
 * sealed frame is not reachable either: the client seals and opens inside
 * {@code dev.parley.client}, and its public API hands out neither the session keys nor the
 * plaintext. With {@code --show-plaintext} the log says what the CLI handed to the client for
 * sealing instead, labelled as such.
 */
final class WireLog implements Interceptor {
  /** Plain bodies longer than this are cut in the log (the call itself is not affected). */
  private static final int MAX_SHOWN = 64 * 1024;

  private final PrintWriter err;
  private final boolean showPlaintext;
  private volatile String sealing;

  WireLog(PrintWriter err, boolean showPlaintext) {
    this.err = err;
    this.showPlaintext = showPlaintext;
  }

  /** What the next sealed request carries, as the CLI handed it to the client. */
  void willSeal(String what) {
    this.sealing = what;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    synchronized (err) {
      Connection connection = chain.connection();
      if (connection != null) {
        err.println("* " + protocolName(connection.protocol().toString()) + " connection to "
            + connection.route().socketAddress());
      }
      err.println("> " + request.method() + " " + request.url().encodedPath() + " "
          + (connection == null ? "HTTP/1.1" : protocolName(connection.protocol().toString())));
      printHeaders("> ", request.headers());
      printRequestBody(request);
      err.flush();
    }
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException e) {
      synchronized (err) {
        err.println("* no answer: " + e);
        err.println();
        err.flush();
      }
      throw e;
    }
    synchronized (err) {
      err.println("< " + protocolName(response.protocol().toString()) + " " + response.code()
          + (response.message().isEmpty() ? "" : " " + response.message()));
      printHeaders("< ", response.headers());
      printResponseBody(response);
      err.println();
      err.flush();
    }
    return response;
  }

  private void printHeaders(String prefix, Headers headers) {
    for (int i = 0; i < headers.size(); i++) {
      err.println(prefix + headers.name(i) + ": " + headers.value(i));
    }
  }

  private void printRequestBody(Request request) throws IOException {
    RequestBody body = request.body();
    if (body == null) {
      return;
    }
    long length = body.contentLength();
    String kind = kind(body.contentType());
    boolean encoded = request.header("Content-Encoding") != null;
    if (kind.equals("json") && !encoded && !body.isOneShot()) {
      // A plain body can be written more than once (JsonBody keeps its bytes): print a copy.
      Buffer copy = new Buffer();
      body.writeTo(copy);
      printText("> ", copy);
      return;
    }
    err.println("> [" + sizeAndType(length, kind, encoded) + "]");
    if (kind.equals("sealed") && showPlaintext) {
      String what = sealing;
      err.println("* the sealed frame's plaintext is not reachable through Parley's client API; what the"
          + " CLI handed to the client to seal: " + (what == null ? "(nothing recorded)" : what));
    }
  }

  private void printResponseBody(Response response) throws IOException {
    String kind = kind(response.body().contentType());
    boolean encoded = response.header("Content-Encoding") != null;
    long length = response.body().contentLength();
    if ((kind.equals("json") || kind.equals("text")) && !encoded) {
      Buffer peeked = new Buffer();
      peeked.write(response.peekBody(MAX_SHOWN + 1L).bytes());
      if (peeked.size() > 0) {
        printText("< ", peeked);
      }
      return;
    }
    if (length == 0) {
      return;
    }
    err.println("< [" + sizeAndType(length, kind, encoded) + "]");
    if (kind.equals("sealed") && showPlaintext) {
      err.println("* the sealed answer's plaintext is not reachable through Parley's client API;"
          + " the decoded result or error follows");
    }
  }

  private void printText(String prefix, Buffer bytes) throws IOException {
    long size = bytes.size();
    boolean cut = size > MAX_SHOWN;
    String text = bytes.readString(Math.min(size, MAX_SHOWN), StandardCharsets.UTF_8);
    err.println(prefix + "[" + (cut ? "more than " + MAX_SHOWN : size) + " bytes]");
    for (String line : text.split("\n", -1)) {
      err.println(prefix + line);
    }
    if (cut) {
      err.println(prefix + "[… cut]");
    }
  }

  private static String sizeAndType(long length, String kind, boolean encoded) {
    String size = length < 0 ? "size unknown (chunked)" : length + " bytes";
    return switch (kind) {
      case "handshake" -> "handshake message, " + size + ", not shown";
      case "sealed" -> "sealed frame, " + size + ", encrypted, not shown";
      case "reject" -> "session reject, " + size + ", not shown";
      default -> size + (encoded ? ", compressed" : "") + ", not shown";
    };
  }

  /** json, text, handshake, sealed, reject, or other. */
  private static String kind(MediaType type) {
    if (type == null) {
      return "other";
    }
    String subtype = type.subtype().toLowerCase(Locale.ROOT);
    String main = type.type().toLowerCase(Locale.ROOT);
    if (main.equals("application") && (subtype.equals("json") || subtype.equals("json-rpc"))) {
      return "json";
    }
    if (main.equals("text")) {
      return "text";
    }
    return switch (subtype) {
      case "vnd.parley.handshake" -> "handshake";
      case "vnd.parley.sealed" -> "sealed";
      case "vnd.parley.reject" -> "reject";
      default -> "other";
    };
  }

  /** OkHttp names protocols in lower case ({@code http/1.1}, {@code h2_prior_knowledge}). */
  private static String protocolName(String okhttp) {
    return switch (okhttp) {
      case "http/1.0" -> "HTTP/1.0";
      case "http/1.1" -> "HTTP/1.1";
      case "h2", "h2_prior_knowledge" -> "HTTP/2";
      default -> okhttp;
    };
  }
}
