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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A parked call whose caller closes its connection is cancelled, on a real Jetty. */
class CallerGoneTest {
  @Test
  void parkedCallIsCancelledWhenItsHttp11ConnectionCloses() throws Exception {
    parkThenClose(false);
  }

  @Test
  void parkedCallOfANonBlockingModuleIsCancelledWhenItsHttp11ConnectionCloses() throws Exception {
    parkThenClose(true);
  }

  /** A function {@code next} that parks its call under "k" and counts it parked, then cancelled. */
  private static final class Parking {
    final DelayedCalls<String, String> waiting =
        DelayedCalls.<String, String>builder().timeout(Duration.ofMinutes(5)).build();
    final CountDownLatch parked = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);

    HandWrittenFunctions functions(String service) {
      return new HandWrittenFunctions(service).fn("next", List.of(), (a, s) -> {
        CompletableFuture<String> call = waiting.park("k");
        call.whenComplete((v, f) -> {
          if (call.isCancelled()) {
            cancelled.countDown();
          }
        });
        parked.countDown();
        return call;
      });
    }
  }

  private static void parkThenClose(boolean nonBlocking) throws Exception {
    Parking parking = new Parking();
    try (ServerHarness harness = new ServerHarness(ServerModule.builder("/gone").functions(parking.functions("test.Gone"))
        .nonBlocking(nonBlocking).build())) {
      try (Socket socket = new Socket("127.0.0.1", harness.server.uri().getPort())) {
        send(socket.getOutputStream(), "/gone", "{\"jsonrpc\":\"2.0\",\"method\":\"next\",\"id\":1}");
        assertTrue(parking.parked.await(30, TimeUnit.SECONDS));
      }
      assertTrue(parking.cancelled.await(30, TimeUnit.SECONDS), "the closed connection was not noticed");
      assertEquals(0, parking.waiting.parked());
      assertEquals(0, parking.waiting.wakeUpAll("late"));
    }
  }

  @Test
  void aConnectionWhoseParkedCallWasAnsweredServesItsNextRequest() throws Exception {
    Parking parking = new Parking();
    HandWrittenFunctions functions = parking.functions("test.KeepAlive").fn("ping", List.of(), (a, s) -> "pong");
    try (ServerHarness harness = new ServerHarness(ServerModule.builder("/kept").functions(functions).build());
        Socket socket = new Socket("127.0.0.1", harness.server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      send(out, "/kept", "{\"jsonrpc\":\"2.0\",\"method\":\"next\",\"id\":1}");
      assertTrue(parking.parked.await(30, TimeUnit.SECONDS));
      assertEquals(1, parking.waiting.wakeUp("k", "woken"));
      assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"woken\"}", answer(in));

      send(out, "/kept", "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":2}");
      assertEquals("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"pong\"}", answer(in));
    }
  }

  @Test
  void aRequestPipelinedBehindAParkedCallClosesTheConnectionAndCancelsTheCall() throws Exception {
    Parking parking = new Parking();
    try (ServerHarness harness = new ServerHarness(ServerModule.builder("/piped")
            .functions(parking.functions("test.Pipelined")).build());
        Socket socket = new Socket("127.0.0.1", harness.server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      send(out, "/piped", "{\"jsonrpc\":\"2.0\",\"method\":\"next\",\"id\":1}");
      assertTrue(parking.parked.await(30, TimeUnit.SECONDS));

      send(out, "/piped", "{\"jsonrpc\":\"2.0\",\"method\":\"next\",\"id\":2}");

      assertTrue(parking.cancelled.await(30, TimeUnit.SECONDS), "the pipelined request went unnoticed");
      assertTrue(closedWithoutAnAnswer(socket), "the connection is closed, with no answer on it");
      assertEquals(0, parking.waiting.parked());
    }
  }

  /** True when the peer closed the connection before sending a byte (a reset counts as a close). */
  private static boolean closedWithoutAnAnswer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private static void send(OutputStream out, String path, String body) throws IOException {
    out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one HTTP/1.1 answer with a Content-Length and returns its body. */
  private static String answer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the answer's head: " + head);
      }
      head.write(b);
    }
    int length = -1;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    assertTrue(length >= 0, "no Content-Length in " + head);
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
