package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HandshakeResponder;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.Plaintext;
import dev.parley.crypto.SecureKey;
import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.SessionKeys;
import dev.parley.internal.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A raw Jetty server that plays the server side of an encrypted module for the client's tests, with
 * rpc-crypto's {@link HandshakeResponder} and {@link ServerChannel} used directly (rpc-client may
 * not depend on rpc-server). It follows the HTTP binding of PROTOCOL.md §15 (content types, headers
 * and the flag byte from {@link HttpBinding}; 403/410/412/415) and has knobs for what a test needs:
 * forget every session (the authenticated 410), forge a 410, answer msg1 with a fixed status,
 * compress answers. Functions: {@code add(a, b)}, {@code echo(s)} and {@code log(...)} (a
 * notification target); every run is counted.
 */
final class SecureTestServer implements AutoCloseable {
  static final String ROUTE = "/calc";

  private final Server server = new Server();
  private final ServerConnector connector;
  /** Per request: the HTTP version it came in and the connection it came on. */
  final List<String> versions = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  final java.util.Set<Object> connections = ConcurrentHashMap.newKeySet();
  private int port;
  private final HandshakeResponder responder;   // null: this module does not encrypt (415)
  private final SecureKey secureKey;
  private final boolean forcing;
  private final Map<String, ServerChannel> sessions = new ConcurrentHashMap<>();

  final AtomicInteger msg1 = new AtomicInteger();
  final AtomicInteger msg3 = new AtomicInteger();
  final AtomicInteger sealed = new AtomicInteger();
  final AtomicInteger plainCalls = new AtomicInteger();
  final List<String> contentTypes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  final List<String> frames = java.util.Collections.synchronizedList(new java.util.ArrayList<>());      // base64 of every sealed request
  final List<dev.parley.crypto.RequestMetadata> requestMetadata =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());   // the sealed metadata of each request
  final List<Integer> requestFlags = java.util.Collections.synchronizedList(new java.util.ArrayList<>());  // compression flag of each opened request
  final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  volatile int msg1Status;                 // 0: answer normally
  volatile boolean rejectAlways;           // every sealed request gets the authentic 410
  final AtomicInteger forgedRejects = new AtomicInteger();   // this many sealed requests get a forged 410
  volatile boolean compressAnswers;
  final AtomicInteger frameRejects = new AtomicInteger();    // this many sealed requests get 400
  final List<String> plainEncodings = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  volatile java.util.concurrent.CountDownLatch holdSealed;     // when set: sealed requests wait for it
  volatile java.util.concurrent.CountDownLatch sealedArrived;  // counted down as a held request arrives
  final AtomicInteger dropConnections = new AtomicInteger();  // this many sealed requests: connection closed, no answer
  final AtomicInteger cutAnswers = new AtomicInteger();       // this many sealed answers: half the frame, then the connection closes
  final AtomicInteger pings = new AtomicInteger();            // empty sealed requests answered
  volatile boolean drainingSealed;                            // sealed calls get the authenticated 503 (a graceful stop)
  final java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);  // a draining answer went out

  /** An encrypting module with {@code key} ({@link SecureKey#none()}: unauthenticated). */
  SecureTestServer(SecureKey key, boolean forcing) throws Exception {
    this(key, forcing, 0);
  }

  /** The same on {@code port} (0: a free one), for example the port of a stopped one (a restart). */
  SecureTestServer(SecureKey key, boolean forcing, int port) throws Exception {
    this(key, forcing, port, false);
  }

  /** The same, also speaking h2c (HTTP/2 cleartext with prior knowledge) when {@code h2c}. */
  SecureTestServer(SecureKey key, boolean forcing, int port, boolean h2c) throws Exception {
    this.connector = Http2c.connector(server, h2c);
    this.secureKey = key;
    this.forcing = forcing;
    this.responder = key == null ? null : HandshakeResponder.builder(ROUTE).secureKey(key).encryptionKey(32).build();
    connector.setHost("127.0.0.1");
    connector.setReuseAddress(true);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        versions.add(request.getConnectionMetaData().getHttpVersion().asString());
        connections.add(request.getConnectionMetaData().getConnection());
        contentTypes.add(String.valueOf(type));
        byte[] body = Content.Source.asInputStream(request).readAllBytes();
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if ("gzip".equals(encoding)) {
          body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        if (type != null && type.startsWith("application/json")) {
          plainEncodings.add(String.valueOf(encoding));
        }
        serve(type == null ? "" : type, body, request, response, callback);
        return true;
      }
    });
    server.start();
    this.port = connector.getLocalPort();
  }

  /** A module that does not encrypt: handshakes get 415, plain calls run. */
  static SecureTestServer plain() throws Exception {
    return new SecureTestServer(null, false);
  }

  /** The bound port; still known after {@link #close()}. */
  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + ROUTE;
  }

  int runs(String function) {
    AtomicInteger n = runs.get(function);
    return n == null ? 0 : n.get();
  }

  /** Forgets every session, as after expiry or a restart: the next sealed call gets the authentic 410. */
  void forgetSessions() {
    sessions.clear();
  }

  private void serve(String type, byte[] body, Request request, Response response, Callback callback) throws Exception {
    if (type.startsWith("application/json")) {
      plainCalls.incrementAndGet();
      if (forcing) {
        answer(response, callback, 412, "text/plain", "encryption required".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] out = dispatch(body);
      answer(response, callback, out.length == 0 ? 204 : 200, "application/json", out.length == 0 ? null : out);
      return;
    }
    if (responder == null) {
      response.getHeaders().put("Accept-Post", "application/json");
      answer(response, callback, 415, "text/plain", "unsupported".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (type.equals(HttpBinding.HANDSHAKE_TYPE)) {
      handshake(body, response, callback);
      return;
    }
    if (type.equals(HttpBinding.SEALED_TYPE)) {
      java.util.concurrent.CountDownLatch hold = holdSealed;
      if (hold != null) {
        sealedArrived.countDown();
        hold.await();
      }
      if (dropConnections.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        sealed.incrementAndGet();
        frames.add(Base64.getEncoder().encodeToString(body));
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(new java.io.IOException("connection dropped by the test"));
        return;
      }
      sealedCall(body, request.getHeaders().get(HttpBinding.SESSION_HEADER), response, callback);
      return;
    }
    answer(response, callback, 415, "text/plain", "unsupported".getBytes(StandardCharsets.UTF_8));
  }

  private void handshake(byte[] body, Response response, Callback callback) {
    try {
      if (body.length > 1 && body[1] == 1) {
        msg1.incrementAndGet();
        if (msg1Status != 0) {
          answer(response, callback, msg1Status, "text/plain", "nope".getBytes(StandardCharsets.UTF_8));
          return;
        }
        answer(response, callback, 200, HttpBinding.HANDSHAKE_TYPE, responder.answerMessage1(body));
        return;
      }
      msg3.incrementAndGet();
      HandshakeResponder.Accepted done = responder.acceptMessage3(body);
      SessionKeys keys = done.sessionKeys();
      sessions.put(keys.sessionIdText(), ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC()));
      response.getHeaders().put(HttpBinding.SESSION_HEADER, keys.sessionIdText());
      answer(response, callback, 200, HttpBinding.HANDSHAKE_TYPE, done.message4());
    } catch (CryptoException e) {
      answer(response, callback, 403, "text/plain", "handshake rejected".getBytes(StandardCharsets.UTF_8));
    }
  }

  private void sealedCall(byte[] frame, String sid, Response response, Callback callback) throws Exception {
    sealed.incrementAndGet();
    frames.add(Base64.getEncoder().encodeToString(frame));
    if (forgedRejects.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      byte[] forged = new byte[26 + 32];
      new SecureRandom().nextBytes(forged);
      answer(response, callback, 410, HttpBinding.REJECT_TYPE, forged);
      return;
    }
    if (frameRejects.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(response, callback, 400, "text/plain", "frame rejected".getBytes(StandardCharsets.UTF_8));
      return;
    }
    ServerChannel channel = sid == null ? null : sessions.get(sid);
    if (channel == null || rejectAlways) {
      answer(response, callback, 410, HttpBinding.REJECT_TYPE, responder.instance().reject(frame, ROUTE));
      return;
    }
    Plaintext opened;
    try {
      opened = channel.openRequestInPlace(frame, 0, frame.length, "POST", ROUTE);
    } catch (CryptoException e) {
      answer(response, callback, 400, "text/plain", "frame rejected".getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] plaintext = opened.toByteArray();
    if (plaintext.length == 0) {   // PROTOCOL.md §15.4: a ping runs nothing
      pings.incrementAndGet();
      byte[] pong = sealResponse(channel, opened.counter(), drainingSealed ? 503 : 200, new byte[0]);
      answer(response, callback, drainingSealed ? 503 : 200, HttpBinding.SEALED_TYPE, pong);
      return;
    }
    if (drainingSealed) {   // PROTOCOL.md §15.7: authenticated, marked, not run
      drained.countDown();
      answer(response, callback, 503, HttpBinding.SEALED_TYPE,
          sealResponse(channel, opened.counter(), 503, new byte[0]));
      return;
    }
    requestFlags.add(plaintext[0] & HttpBinding.FLAG_DEFLATE);
    HttpBinding.OpenedRequest request = HttpBinding.openRequest(plaintext, 0, plaintext.length, Long.MAX_VALUE);
    requestMetadata.add(request.metadata());
    byte[] json = request.json().toByteArray();
    byte[] out = dispatch(json);
    byte[] answerPlaintext = out.length == 0 ? new byte[0] : withFlag(out);
    byte[] answerFrame = sealResponse(channel, opened.counter(), 200, answerPlaintext);
    if (cutAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      // The whole frame's Content-Length, half of its bytes, then the connection goes.
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpBinding.SEALED_TYPE);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answerFrame.length);
      response.write(false, ByteBuffer.wrap(answerFrame, 0, answerFrame.length / 2), Callback.from(
          () -> callback.failed(new java.io.IOException("answer cut by the test")), callback::failed));
      return;
    }
    answer(response, callback, 200, HttpBinding.SEALED_TYPE, answerFrame);
  }

  /** Seals {@code plaintext} as the response to the request with counter {@code counter}, in a buffer of its own. */
  private static byte[] sealResponse(ServerChannel channel, long counter, int status, byte[] plaintext)
      throws CryptoException {
    byte[] buffer = Arrays.copyOf(plaintext, channel.sealedLength(plaintext.length));
    int length = channel.sealResponseInPlace(counter, status, "POST", ROUTE, buffer, plaintext.length);
    return Arrays.copyOf(buffer, length);
  }

  /** The sealed plaintext of PROTOCOL.md §15.4: deflated at level 6 when compressing (from 256 bytes). */
  private byte[] withFlag(byte[] json) {
    byte[] buffer = new byte[json.length + 1];
    System.arraycopy(json, 0, buffer, 1, json.length);
    return HttpBinding.sealedPlaintext(buffer, buffer.length, compressAnswers ? 6 : 0).toByteArray();
  }

  /** A tiny JSON-RPC dispatcher: empty bytes when nothing is to be answered. */
  private byte[] dispatch(byte[] json) throws Exception {
    JsonNode request = Json.MAPPER.readTree(json);
    if (request.isArray()) {
      ArrayNode answers = Json.MAPPER.createArrayNode();
      for (JsonNode entry : request) {
        JsonNode answer = run(entry);
        if (answer != null) {
          answers.add(answer);
        }
      }
      return answers.isEmpty() ? new byte[0] : Json.MAPPER.writeValueAsBytes(answers);
    }
    JsonNode answer = run(request);
    return answer == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(answer);
  }

  private JsonNode run(JsonNode request) {
    String method = request.get("method").asText();
    runs.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    JsonNode params = request.get("params");
    Object result = switch (method) {
      case "add" -> params.get("a").asInt() + params.get("b").asInt();
      case "echo" -> params.get("s").asText();
      default -> null;
    };
    if (!request.has("id")) {
      return null;
    }
    ObjectNode answer = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
    answer.set("result", Json.MAPPER.valueToTree(result));
    answer.set("id", request.get("id"));
    return answer;
  }

  private static void answer(Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    if (body == null) {
      callback.succeeded();
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the test server", e);
    }
  }
}
