package dev.parley.client;

import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The test servers' connector: HTTP/1.1, plus h2c with prior knowledge on the same port when asked. */
final class Http2c {
  private Http2c() {}

  static ServerConnector connector(Server server, boolean h2c) {
    HttpConfiguration config = new HttpConfiguration();
    return h2c
        ? new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config))
        : new ServerConnector(server, new HttpConnectionFactory(config));
  }
}
