package dev.parley.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The raw Jetty 12 server under the client's test servers ({@link FakeServer}, {@link
 * SecureTestServer}): 127.0.0.1 on a given port, HTTP/1.1 plus h2c with prior knowledge on the same
 * port when asked, and the HTTP version and connection of every request. A subclass answers in
 * {@link #serve} and calls {@link #start} at the end of its constructor.
 */
abstract class TestJetty implements AutoCloseable {
  private final Server server = new Server();
  private final ServerConnector connector;
  private int port;
  /** Per request: the HTTP version it came in and the connection it came on. */
  final List<String> versions = Collections.synchronizedList(new ArrayList<>());
  final Set<Object> connections = ConcurrentHashMap.newKeySet();

  TestJetty(boolean h2c) {
    HttpConfiguration config = new HttpConfiguration();
    connector = h2c
        ? new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config))
        : new ServerConnector(server, new HttpConnectionFactory(config));
  }

  /** Answers one request; Jetty's contract: complete the callback exactly once. */
  abstract void serve(Request request, Response response, Callback callback) throws Exception;

  /** Listens on {@code port} (0: a free one; a stopped server's port for a restart) and starts. */
  final void start(int port) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setReuseAddress(true);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        versions.add(request.getConnectionMetaData().getHttpVersion().asString());
        connections.add(request.getConnectionMetaData().getConnection());
        serve(request, response, callback);
        return true;
      }
    });
    server.start();
    this.port = connector.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  /** The bound port; still known after {@link #close()}. */
  int port() {
    return port;
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
