package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A body that stops arriving is refused once the connection's idle timeout passes. */
class StalledBodyTest {
  @Test
  void bodyThatStopsArrivingIsRequestTimeout() throws IOException {
    ServerModule module = ServerModule.builder("/stall")
        .functions(new HandWrittenFunctions("test.Stall").fn("ping", List.of(), (a, s) -> "pong")).build();
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(module)
            .idleTimeout(Duration.ofMillis(200)).build().start();
         Socket socket = new Socket("127.0.0.1", server.port())) {
      // A safety bound only: the server answers on its own once its idle timeout passes.
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /stall HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAll(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      bytes.write(buffer, 0, n);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }
}
