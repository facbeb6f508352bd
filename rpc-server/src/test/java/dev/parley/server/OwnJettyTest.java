package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** A module mounted in a user's own Jetty handles its path and leaves every other to the next handler. */
class OwnJettyTest {
  @Test
  void moduleServesItsPathAndLetsTheNextHandlerServeOthers() throws Exception {
    ServerModule module = ServerModule.builder("/calc")
        .functions(new HandWrittenFunctions("test.Own").fn("ping", List.of(), (a, s) -> "pong")).build();
    Handler fallback = new Handler.Abstract() {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
        response.write(true, ByteBuffer.wrap("fallback".getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    };
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(new Handler.Sequence(module, fallback));
    jetty.start();
    try {
      String base = "http://127.0.0.1:" + connector.getLocalPort();
      ServerHarness.Answer rpc = ServerHarness.send(new Request.Builder().url(base + "/calc")
          .post(RequestBody.create("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}", ServerHarness.JSON)).build());
      assertEquals("pong", rpc.json().get("result").asText());
      ServerHarness.Answer other = ServerHarness.send(new Request.Builder().url(base + "/index.html").get().build());
      assertEquals("fallback", other.body());
    } finally {
      jetty.stop();
    }
  }
}
