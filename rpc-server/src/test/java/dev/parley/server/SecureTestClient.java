package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureKey;
import dev.parley.crypto.SessionKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The client side of PROTOCOL.md §15 driven by hand: rpc-crypto's {@link ClientHandshake},
 * {@link ClientChannel} and {@link HttpBinding} over a real OkHttp client (rpc-server may not depend
 * on rpc-client).
 */
final class SecureTestClient {
  static final MediaType HANDSHAKE = MediaType.get(HttpBinding.HANDSHAKE_TYPE);
  static final MediaType SEALED = MediaType.get(HttpBinding.SEALED_TYPE);
  static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String OTHER_KEY_HEX = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1eff";

  /** A raw HTTP answer. */
  record Raw(int status, String contentType, String session, String header, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One sealed request: its frame and counter. */
  record Call(ClientChannel.Sealed sealed) {
    byte[] frame() {
      return sealed.frame();
    }

    /** A copy of the frame with one bit flipped 20 bytes from its end, in the ciphertext: a forgery. */
    byte[] tamperedFrame() {
      byte[] tampered = frame().clone();
      tampered[tampered.length - 20] ^= 1;
      return tampered;
    }

    long counter() {
      return sealed.counter();
    }
  }

  final String url;
  final String route;
  final SecureKey key;
  final SessionKeys keys;
  final ClientChannel channel;
  final byte[] msg3;

  private SecureTestClient(String url, String route, SecureKey key, SessionKeys keys, byte[] msg3) {
    this.url = url;
    this.route = route;
    this.key = key;
    this.keys = keys;
    this.channel = ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
    this.msg3 = msg3;
  }

  /** Runs msg1..msg4 against the module {@code route} of {@code harness} with the test key {@link #KEY_HEX}. */
  static SecureTestClient connect(ServerHarness harness, String route) {
    return connect(harness.url(), route, SecureKey.parse(KEY_HEX));
  }

  /** Runs msg1..msg4 against {@code url}; fails the test unless both answers are 200. */
  static SecureTestClient connect(String url, String route, SecureKey key) {
    ClientHandshake handshake = ClientHandshake.start(key, route, 32, new SecureRandom());
    byte[] msg1 = handshake.message1();
    Map<String, String> routing = Map.of(HttpBinding.SESSION_HEADER, handshake.sessionIdText());   // PROTOCOL.md §15.2
    Raw answer2 = post(url, HANDSHAKE, msg1, routing, null);
    assertEquals(200, answer2.status(), "msg1 answer");
    try {
      byte[] msg3 = handshake.message3(answer2.body());
      Raw answer4 = post(url, HANDSHAKE, msg3, routing, null);
      assertEquals(200, answer4.status(), "msg3 answer");
      SessionKeys keys = handshake.finish(answer4.body());
      assertEquals(keys.sessionIdText(), answer4.session());
      return new SecureTestClient(url, route, key, keys, msg3);
    } catch (CryptoException e) {
      throw new AssertionError("handshake failed: " + e.reason(), e);
    }
  }

  String sid() {
    return keys.sessionIdText();
  }

  /**
   * Seals {@code json} with the flag byte of PROTOCOL.md §15.4: raw DEFLATE (level 6) when
   * {@code deflate}, which needs JSON of at least 256 bytes (shorter JSON is never deflated).
   */
  Call seal(String json, boolean deflate) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, buffer, 1, bytes.length);
    byte[] plaintext = HttpBinding.sealedPlaintext(buffer, buffer.length, deflate ? 6 : 0).toByteArray();
    if (deflate && plaintext[0] != HttpBinding.FLAG_DEFLATE) {
      throw new AssertionError("JSON of " + bytes.length + " bytes is never deflated; a test that needs a deflated"
          + " request must send at least " + HttpBinding.MIN_DEFLATE_LENGTH);
    }
    return sealPlaintext(plaintext);
  }

  Call sealPlaintext(byte[] plaintext) {
    try {
      return new Call(channel.sealRequest("POST", route, plaintext));
    } catch (CryptoException e) {
      throw new AssertionError(e);
    }
  }

  Raw send(Call call) {
    return send(call.frame(), sid());
  }

  /** Sends {@code call}'s frame with these {@code Parley-Session} header values, in order (none, one or several). */
  Raw sendWithSessionHeaders(Call call, List<String> values) {
    Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(call.frame(), SEALED));
    values.forEach(v -> request.addHeader(HttpBinding.SESSION_HEADER, v));
    return execute(request.build(), null);
  }

  /** Sends {@code call}'s frame, with its own session header, to another URL (another module, another server). */
  Raw sendTo(String otherUrl, Call call) {
    return post(otherUrl, SEALED, call.frame(), Map.of(HttpBinding.SESSION_HEADER, sid()), null);
  }

  Raw send(byte[] frame, String sessionHeader) {
    return post(url, SEALED, frame, sessionHeader == null ? Map.of() : Map.of(HttpBinding.SESSION_HEADER, sessionHeader), null);
  }

  /** Sends {@code call}'s frame with {@code Transfer-Encoding: chunked} (no Content-Length), in 8 KiB writes. */
  Raw sendChunked(Call call) {
    byte[] frame = call.frame();
    RequestBody chunked = new RequestBody() {
      @Override
      public MediaType contentType() {
        return SEALED;
      }

      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws IOException {
        for (int at = 0; at < frame.length; at += 8192) {
          sink.write(frame, at, Math.min(8192, frame.length - at));
          sink.flush();
        }
      }
    };
    return execute(new Request.Builder().url(url).header(HttpBinding.SESSION_HEADER, sid()).post(chunked).build(), null);
  }

  /** The response plaintext (flag byte included) of a 200 answer to {@code call}. */
  byte[] openPlaintext(Call call, Raw answer) {
    assertEquals(200, answer.status(), () -> "sealed call answered " + answer.status() + " " + answer.text());
    assertEquals("application/vnd.parley.sealed", answer.contentType());
    return openResponse(call, answer, 200);
  }

  /** Opens a copy of the answer's frame in place (the answer keeps its bytes) and copies the plaintext out. */
  private byte[] openResponse(Call call, Raw answer, int status) {
    byte[] frame = answer.body().clone();
    try {
      return channel.openResponseInPlace(frame, 0, frame.length, call.counter(), status, "POST", route).toByteArray();
    } catch (CryptoException e) {
      throw new AssertionError("response did not open: " + e.reason(), e);
    }
  }

  /** The JSON-RPC text of a sealed answer, inflated if flagged. */
  String open(Call call, Raw answer) {
    return json(openPlaintext(call, answer));
  }

  static String json(byte[] plaintext) {
    try {
      HttpBinding.Bytes json = HttpBinding.openPlaintext(plaintext, 0, plaintext.length, Long.MAX_VALUE);
      return new String(json.array(), json.offset(), json.length(), StandardCharsets.UTF_8);
    } catch (HttpBinding.PlaintextException e) {
      throw new AssertionError("the sealed answer's plaintext: " + e.getMessage(), e);
    }
  }

  /** Seals, sends and opens one call. */
  String call(String json) {
    Call call = seal(json, false);
    return open(call, send(call));
  }

  ClientChannel.RejectCheck rejectCheck(Call call, Raw answer) {
    return channel.checkReject(answer.body(), call.counter(), call.sealed().tag(), route);
  }

  /** The plaintext of an answer sealed with {@code status} (for example the 503 draining answer). */
  byte[] openPlaintext(Call call, Raw answer, int status) {
    assertEquals(status, answer.status());
    return openResponse(call, answer, status);
  }

  /**
   * Asserts {@code answer} to {@code call} is a 410 and returns what its reject proves about the
   * call (PROTOCOL.md §13).
   */
  ClientChannel.RejectCheck assertGone(Call call, Raw answer) {
    assertEquals(410, answer.status(), "the answer to a call of a session the server does not hold");
    return rejectCheck(call, answer);
  }

  boolean rejectVerifies(Call call, Raw answer) {
    return channel.checkReject(answer.body(), call.counter(), call.sealed().tag(), route)
        == ClientChannel.RejectCheck.VERIFIED;
  }

  /** Posts one handshake message with no other header; its answer. */
  static Raw handshake(String url, byte[] message) {
    return post(url, HANDSHAKE, message, Map.of(), null);
  }

  static Raw post(String url, MediaType type, byte[] body, Map<String, String> headers, String headerOfInterest) {
    Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, type));
    headers.forEach(request::header);
    return execute(request.build(), headerOfInterest);
  }

  private static Raw execute(Request request, String headerOfInterest) {
    try (Response response = ServerHarness.HTTP.newCall(request).execute()) {
      return new Raw(response.code(), response.header("Content-Type"), response.header(HttpBinding.SESSION_HEADER),
          headerOfInterest == null ? null : response.header(headerOfInterest), response.body().bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
