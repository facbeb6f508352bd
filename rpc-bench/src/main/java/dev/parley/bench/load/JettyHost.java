package dev.parley.bench.load;

import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty 12 server on 127.0.0.1 and a free port, for a handler the load driver mounts itself:
 * the raw echo, or a Parley {@code ServerModule} over TLS or h2c (RpcServer has neither option).
 * Thread pool as RpcServer's default (200 threads); selectors as RpcServer's default for the handler
 * (one per core for a non-blocking module, else Jetty's default).
 */
final class JettyHost implements AutoCloseable {
  enum Transport { HTTP1, TLS, H2C }

  private final Server server;
  private final ServerConnector connector;
  private final Transport transport;

  JettyHost(Handler handler, Transport transport, SelfSignedTls tls) throws Exception {
    this(handler, transport, tls, -1);
  }

  /** {@code selectors}: -1 for Jetty's default (one per two cores), else that many. */
  JettyHost(Handler handler, Transport transport, SelfSignedTls tls, int selectors) throws Exception {
    this.transport = transport;
    QueuedThreadPool pool = new QueuedThreadPool(200);
    pool.setName("bench-jetty");
    server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    ConnectionFactory[] factories = switch (transport) {
      case HTTP1 -> new ConnectionFactory[] {new HttpConnectionFactory(config)};
      case TLS -> new ConnectionFactory[] {
          new SslConnectionFactory(tls.jettyServer(), "http/1.1"), new HttpConnectionFactory(config)};
      case H2C -> new ConnectionFactory[] {new HTTP2CServerConnectionFactory(config)};
    };
    connector = new ServerConnector(server, -1, selectors, factories);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
  }

  String baseUrl() {
    return (transport == Transport.TLS ? "https" : "http") + "://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping Jetty failed", e);
    }
  }
}
