package dev.parley.it.secure;

import dev.parley.crypto.HttpBinding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An HTTP relay between a client module and a server, for attack tests: a small Jetty server on
 * 127.0.0.1, port 0, that forwards each request to {@code upstream} with OkHttp and relays the
 * answer. Every exchange is recorded as it went over the wire (after any tampering). Scripts,
 * queued per {@link Kind} with {@link #next}, change one request (body, headers, path), answer it
 * themselves, change its answer, or hold several requests to release them in another order.
 *
 * <pre>{@code
 * try (AttackProxy proxy = new AttackProxy(server.uri().toString())) {
 *   proxy.next(Kind.SEALED, AttackProxy.flipRequestByte(40));
 *   ClientModule module = ClientModule.builder(proxy.url("/calc"))…build();
 * }
 * }</pre>
 */
final class AttackProxy implements AutoCloseable {
  static final String JSON = "application/json";
  static final String HANDSHAKE = HttpBinding.HANDSHAKE_TYPE;
  static final String SEALED = HttpBinding.SEALED_TYPE;
  static final String REJECT = HttpBinding.REJECT_TYPE;
  static final String SESSION_HEADER = HttpBinding.SESSION_HEADER;

  /** What a request body is, told from its content type (and, for handshakes, byte 1). */
  enum Kind { PLAIN, MSG1, MSG3, SEALED, OTHER }

  /** A request on its way through the proxy; scripts may change every field. */
  static final class Hop {
    final Kind kind;
    String method;
    String path;
    final Map<String, String> headers;
    /** Header lines sent before {@link #headers}, for example a second {@code Parley-Session}. */
    final List<String[]> prepended = new ArrayList<>();
    byte[] body;
    /** Another server to forward to (a base URI such as {@code http://127.0.0.1:1234}); null: the proxy's. */
    String upstream;

    Hop(Kind kind, String method, String path, Map<String, String> headers, byte[] body) {
      this.kind = kind;
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    void setHeader(String name, String value) {
      headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      if (value != null) {
        headers.put(name, value);
      }
    }
  }

  /** An HTTP answer: status, content type (may be null), other headers and body. */
  record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
    /** Not an answer: the proxy closes the client's connection without answering. */
    static final Answer DROP_CONNECTION = new Answer(-1, null, new byte[0]);

    Answer(int status, String contentType, byte[] body) {
      this(status, contentType, Map.of(), body);
    }

    Answer withBody(byte[] newBody) {
      return new Answer(status, contentType, headers, newBody);
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** One request as it was forwarded (or answered by a script), and the answer the client got. */
  record Exchange(Kind kind, String method, String path, Map<String, String> headers, byte[] body,
      Answer answer) {
    String contentType() {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase("Content-Type")) {
          return e.getValue();
        }
      }
      return null;
    }

    int status() {
      return answer.status();
    }

    @Override
    public String toString() {
      return kind + " " + method + " " + path + " " + contentType() + " (" + body.length + " bytes) -> "
          + answer.status() + " " + answer.contentType() + " (" + answer.body().length + " bytes)";
    }
  }

  /** Changes one request, or its answer. */
  interface Script {
    /** Called before forwarding; may change {@code hop}. A non-null answer is sent instead of forwarding. */
    default Answer beforeForward(Hop hop) throws Exception {
      return null;
    }

    /** Called with the upstream answer; returns the answer the client gets. */
    default Answer afterForward(Hop hop, Answer answer) throws Exception {
      return answer;
    }
  }

  private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length",
      "transfer-encoding", "keep-alive", "te", "trailer", "upgrade", "proxy-connection");
  private static final long WAIT_SECONDS = 20;

  private final String upstream;
  private final OkHttpClient http;
  private final Server jetty;
  private final ServerConnector connector;
  private final Map<Kind, Queue<Script>> scripts = new EnumMap<>(Kind.class);
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  /** A path prefix the relay removes from every request under it, or null. */
  private volatile String strippedPrefix;

  /** Starts a relay to {@code upstream}, a base URI such as {@code http://127.0.0.1:1234}. */
  AttackProxy(String upstream) {
    this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
    this.http = new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
    this.jetty = new Server();
    this.connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(new Relay());
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException("the proxy did not start", e);
    }
  }

  /** The proxy's URL for a module path, e.g. {@code http://127.0.0.1:40001/calc}. */
  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  /**
   * From now on relays {@code prefix/x} to the server's {@code /x}, as a reverse proxy that strips a
   * path prefix does (docs/DEPLOYING.md "Path prefixes and rewriting proxies").
   */
  AttackProxy stripPrefix(String prefix) {
    this.strippedPrefix = prefix;
    return this;
  }

  /** Applies {@code script} to the next request of {@code kind} (scripts of one kind run in order). */
  AttackProxy next(Kind kind, Script script) {
    synchronized (scripts) {
      scripts.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(script);
    }
    return this;
  }

  /** Applies {@code script} to each of the next {@code count} requests of {@code kind}. */
  AttackProxy nextEach(Kind kind, int count, Script script) {
    for (int i = 0; i < count; i++) {
      next(kind, script);
    }
    return this;
  }

  /** Every exchange so far, in the order their answers were sent. */
  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** The exchanges of one kind. */
  List<Exchange> exchanges(Kind kind) {
    List<Exchange> list = new ArrayList<>();
    for (Exchange e : exchanges) {
      if (e.kind() == kind) {
        list.add(e);
      }
    }
    return list;
  }

  /** The number of requests of {@code kind} seen so far. */
  int count(Kind kind) {
    return exchanges(kind).size();
  }

  /** The last exchange of {@code kind}. */
  Exchange last(Kind kind) {
    List<Exchange> list = exchanges(kind);
    if (list.isEmpty()) {
      throw new AssertionError("no " + kind + " request went through the proxy; saw " + exchanges);
    }
    return list.get(list.size() - 1);
  }

  /** Failures inside the relay itself (a script that threw): a test should see none. */
  List<Throwable> failures() {
    return List.copyOf(failures);
  }

  /** Sends a recorded request to the server again, byte for byte, and returns the server's answer. */
  Answer replay(Exchange exchange) throws IOException {
    return forward(new Hop(exchange.kind(), exchange.method(), exchange.path(),
        new LinkedHashMap<>(exchange.headers()), exchange.body().clone()));
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  // ---------------------------------------------------------------- ready-made scripts

  /** Flips the bits of the request body byte at {@code index} (negative: from the end). */
  static Script flipRequestByte(int index) {
    return new Script() {
      @Override
      public Answer beforeForward(Hop hop) {
        hop.body = flip(hop.body, index);
        return null;
      }
    };
  }

  /** Flips the bits of the answer body byte at {@code index} (negative: from the end). */
  static Script flipAnswerByte(int index) {
    return new Script() {
      @Override
      public Answer afterForward(Hop hop, Answer answer) {
        return answer.withBody(flip(answer.body(), index));
      }
    };
  }

  /** Sets (or, with null, removes) a request header. */
  static Script setHeader(String name, String value) {
    return new Script() {
      @Override
      public Answer beforeForward(Hop hop) {
        hop.setHeader(name, value);
        return null;
      }
    };
  }

  /** Sends the request to another path on the server. */
  static Script setPath(String path) {
    return new Script() {
      @Override
      public Answer beforeForward(Hop hop) {
        hop.path = path;
        return null;
      }
    };
  }

  /** Answers the request itself, without forwarding it: the server never sees it. */
  static Script answer(int status, String contentType, byte[] body) {
    return new Script() {
      @Override
      public Answer beforeForward(Hop hop) {
        return new Answer(status, contentType, body);
      }
    };
  }

  /** A script that only watches: forwards the request and keeps it for the test. */
  static final class Capture implements Script {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Hop hop;
    private volatile byte[] body;
    private volatile Map<String, String> headers;

    @Override
    public Answer beforeForward(Hop hop) {
      this.hop = hop;
      this.body = hop.body.clone();
      this.headers = new LinkedHashMap<>(hop.headers);
      return null;
    }

    @Override
    public Answer afterForward(Hop hop, Answer answer) {
      done.countDown();
      return answer;
    }

    /** The captured request as an exchange that {@link AttackProxy#replay} can send again. */
    Exchange request() throws InterruptedException {
      await(done);
      return new Exchange(hop.kind, hop.method, hop.path, headers, body, new Answer(0, null, new byte[0]));
    }
  }

  /**
   * Holds {@code n} requests until all have arrived, then forwards them one at a time in the
   * reverse order of arrival (each after the previous one was answered). Queue it with
   * {@code nextEach(kind, n, script)}.
   */
  static final class Reverse implements Script {
    private final int n;
    private final CountDownLatch arrived;
    private final CountDownLatch[] turn;
    private final AtomicInteger arrivals = new AtomicInteger();
    private final List<Integer> forwardOrder = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Integer> position = new ThreadLocal<>();

    Reverse(int n) {
      this.n = n;
      this.arrived = new CountDownLatch(n);
      this.turn = new CountDownLatch[n];
      for (int i = 0; i < n; i++) {
        turn[i] = new CountDownLatch(1);
      }
      turn[0].countDown();
    }

    @Override
    public Answer beforeForward(Hop hop) throws Exception {
      int index = arrivals.getAndIncrement();
      arrived.countDown();
      await(arrived);
      int p = n - 1 - index;
      position.set(p);
      await(turn[p]);
      forwardOrder.add(index);
      return null;
    }

    @Override
    public Answer afterForward(Hop hop, Answer answer) {
      int p = position.get();
      if (p + 1 < n) {
        turn[p + 1].countDown();
      }
      return answer;
    }

    /** The arrival indexes in the order the requests were forwarded. */
    List<Integer> forwardOrder() {
      return List.copyOf(forwardOrder);
    }
  }

  /** Holds two requests until both have answers, then gives each the other's answer. */
  static final class SwapAnswers implements Script {
    private final Exchanger<Answer> exchanger = new Exchanger<>();

    @Override
    public Answer afterForward(Hop hop, Answer answer) throws Exception {
      return exchanger.exchange(answer, WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    int i = index < 0 ? copy.length + index : index;
    copy[i] ^= (byte) 0xff;
    return copy;
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a held request waited more than " + WAIT_SECONDS + " s");
    }
  }

  // ---------------------------------------------------------------- the relay

  private Script takeScript(Kind kind) {
    synchronized (scripts) {
      Queue<Script> queue = scripts.get(kind);
      return queue == null ? null : queue.poll();
    }
  }

  private static Kind kindOf(String contentType, byte[] body) {
    if (contentType == null) {
      return Kind.OTHER;
    }
    String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    switch (type) {
      case JSON:
        return Kind.PLAIN;
      case SEALED:
        return Kind.SEALED;
      case HANDSHAKE:
        if (body.length > 1 && body[1] == 0x01) {
          return Kind.MSG1;
        }
        return body.length > 1 && body[1] == 0x03 ? Kind.MSG3 : Kind.OTHER;
      default:
        return Kind.OTHER;
    }
  }

  /** Sends {@code hop} to the server (its own upstream if it names one) and returns the answer. */
  Answer forward(Hop hop) throws IOException {
    Request.Builder request = new Request.Builder().url((hop.upstream == null ? upstream : hop.upstream) + hop.path);
    String contentType = hop.header("Content-Type");
    for (String[] line : hop.prepended) {
      request.addHeader(line[0], line[1]);
    }
    for (Map.Entry<String, String> e : hop.headers.entrySet()) {
      if (!e.getKey().equalsIgnoreCase("Content-Type")) {
        request.addHeader(e.getKey(), e.getValue());
      }
    }
    byte[] body = hop.body;
    RequestBody requestBody = new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return body.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(body);
      }
    };
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(hop.method, hop.method.equals("GET") || hop.method.equals("HEAD") ? null : requestBody);
    try (Response response = http.newCall(request.build()).execute()) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : response.headers().names()) {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("Content-Type")) {
          headers.put(name, response.header(name));
        }
      }
      return new Answer(response.code(), response.header("Content-Type"), headers, response.body().bytes());
    }
  }

  private final class Relay extends Handler.Abstract {
    Relay() {
      super(InvocationType.BLOCKING);
    }

    @Override
    public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
        Callback callback) {
      try {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
          body = in.readAllBytes();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
          if (!HOP_BY_HOP.contains(field.getLowerCaseName())) {
            headers.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
          }
        }
        String path = request.getHttpURI().getPathQuery();
        String prefix = strippedPrefix;
        if (prefix != null && path.startsWith(prefix + "/")) {
          path = path.substring(prefix.length());
        }
        Kind kind = kindOf(request.getHeaders().get("Content-Type"), body);
        Hop hop = new Hop(kind, request.getMethod(), path, headers, body);
        Script script = takeScript(kind);
        Answer answer = script == null ? null : script.beforeForward(hop);
        if (answer == null) {
          answer = forward(hop);
          if (script != null) {
            answer = script.afterForward(hop, answer);
          }
        }
        exchanges.add(new Exchange(kind, hop.method, hop.path, Map.copyOf(hop.headers), hop.body.clone(), answer));
        if (answer == Answer.DROP_CONNECTION) {
          // A reset after the request was delivered: the client gets no answer at all.
          request.getConnectionMetaData().getConnection().getEndPoint().close();
          callback.failed(new IOException("connection dropped by the attack proxy"));
          return true;
        }
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
          response.getHeaders().put("Content-Type", answer.contentType());
        }
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put("Content-Length", answer.body().length);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
      } catch (Exception | AssertionError e) {
        failures.add(e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        callback.failed(e);
      }
      return true;
    }
  }

  @Override
  public String toString() {
    return "AttackProxy[" + url("") + " -> " + upstream + ", " + exchanges.size() + " exchanges]";
  }

  static String hex(byte[] bytes, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(max, bytes.length); i++) {
      sb.append(String.format("%02x", bytes[i]));
    }
    return sb.toString();
  }

}
