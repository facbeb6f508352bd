package dev.parley.samples;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * An OkHttp network interceptor that, when armed, keeps the next exchange exactly as it crossed
 * the wire: request line, headers and body bytes, answer status, headers and body bytes. The demo
 * prints it to show what a proxy between client and server sees of an encrypted call.
 */
final class WireTap implements Interceptor {
  /** One exchange as seen on the wire. */
  record Seen(String requestLine, Headers requestHeaders, byte[] requestBody, int status,
      Headers answerHeaders, byte[] answerBody) {}

  private final AtomicReference<Boolean> armed = new AtomicReference<>(false);
  private final AtomicReference<Seen> seen = new AtomicReference<>();
  private final String contentType;

  /** Taps the next request whose Content-Type starts with {@code contentType}. */
  WireTap(String contentType) {
    this.contentType = contentType;
  }

  /** Keep the next matching exchange. */
  void arm() {
    seen.set(null);
    armed.set(true);
  }

  /** The kept exchange, or null if none went through since {@link #arm()}. */
  Seen seen() {
    return seen.get();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RequestBody body = request.body();
    String type = request.header("Content-Type");
    boolean tap = armed.get() && type != null && type.startsWith(contentType) && body != null
        && armed.compareAndSet(true, false);
    if (!tap) {
      return chain.proceed(request);
    }
    // A sealed request body is one-shot (it is written once, never read ahead): keep a copy of the
    // bytes as they are written instead of reading the body here.
    Tee tee = new Tee(body);
    Response response = chain.proceed(request.newBuilder().method(request.method(), tee).build());
    byte[] answerBytes = response.peekBody(64 * 1024).bytes();
    seen.set(new Seen(request.method() + " " + request.url().encodedPath() + " HTTP/1.1", request.headers(),
        tee.written, response.code(), response.headers(), answerBytes));
    return response;
  }

  /** Writes {@code body} through, keeping what it wrote. */
  private static final class Tee extends RequestBody {
    private final RequestBody body;
    private byte[] written = new byte[0];

    Tee(RequestBody body) {
      this.body = body;
    }

    @Override
    public okhttp3.MediaType contentType() {
      return body.contentType();
    }

    @Override
    public long contentLength() throws IOException {
      return body.contentLength();
    }

    @Override
    public boolean isOneShot() {
      return body.isOneShot();
    }

    @Override
    public void writeTo(okio.BufferedSink sink) throws IOException {
      Buffer copy = new Buffer();
      body.writeTo(copy);
      written = copy.snapshot().toByteArray();
      sink.writeAll(copy);
    }
  }
}
