package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A body that stops arriving is cut off once the connection's idle timeout passes: answered 408
 * when the module is already reading it (the usual case), or with the connection closed when the
 * timeout strikes before (Jetty then fails the request itself). Either way nothing runs, in a
 * blocking module (its stream read fails) and in a non-blocking one (its collected body ends in the
 * failure).
 */
class StalledBodyTest {
  private static final AtomicInteger CALLS = new AtomicInteger();

  @ParameterizedTest(name = "nonBlocking {0}")
  @ValueSource(booleans = {false, true})
  void bodyThatStopsArrivingIsCutOffAndRunsNothing(boolean nonBlocking) throws IOException {
    ServerModule module = ServerModule.builder("/stall").nonBlocking(nonBlocking)
        .functions(new HandWrittenFunctions("test.Stall").fn("ping", List.of(), (a, s) -> {
          CALLS.incrementAndGet();
          return "pong";
        })).build();
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module)
            .idleTimeout(Duration.ofSeconds(1)).build().start()) {
      // The server answers on its own once its idle timeout passes.
      String answer = sendAndRead(server.port(), "POST /stall HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"ping\",");
      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408 "), answer);
      assertEquals(0, CALLS.get());
    }
  }

  /**
   * Writes {@code request} (a head and perhaps part of a body) on a new connection to
   * {@code port} and returns everything the server sends until it closes. The 30 s read timeout
   * is a safety bound only: waiting that long makes the caller's assertions fail.
   */
  static String sendAndRead(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return readAll(socket.getInputStream());
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      bytes.write(buffer, 0, n);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }
}
