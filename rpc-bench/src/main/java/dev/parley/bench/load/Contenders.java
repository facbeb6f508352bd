package dev.parley.bench.load;

import dev.parley.client.ClientInterceptor;
import dev.parley.client.ClientModule;
import dev.parley.crypto.SecureKey;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts every selected contender's server (all on 127.0.0.1, free ports) and its client, and
 * stops them all. All servers stay up for the whole run so that rounds can alternate.
 */
final class Contenders implements AutoCloseable {
  /** Every contender, in table order: key, description. */
  static final Map<String, String> ALL = new LinkedHashMap<>();

  static {
    ALL.put("raw", "raw Jetty 12 handler + OkHttp + Jackson, HTTP/1.1 (the ceiling)");
    ALL.put("plain", "Parley plain, RpcServer + ClientModule, HTTP/1.1");
    ALL.put("encrypted", "Parley encrypted (encryptionKey 32, SecureKey), HTTP/1.1");
    ALL.put("plain-nb", "Parley plain, nonBlocking module (calls on Jetty's I/O threads, one selector per core), HTTP/1.1");
    ALL.put("encrypted-nb", "Parley encrypted, nonBlocking module (calls on Jetty's I/O threads, one selector per core), HTTP/1.1");
    ALL.put("encrypted-h2c-nb", "Parley encrypted, nonBlocking module, RpcServer's h2c (prior knowledge)");
    ALL.put("https", "Parley plain over HTTPS/TLS 1.3 (JDK SSLEngine), module in the driver's Jetty");
    ALL.put("https-nb", "Parley plain over HTTPS/TLS 1.3, nonBlocking module, one selector per core, module in the driver's Jetty");
    ALL.put("plain-h2c", "Parley plain over h2c (prior knowledge), module in the driver's Jetty");
    ALL.put("encrypted-h2c", "Parley encrypted over h2c (prior knowledge), module in the driver's Jetty");
    ALL.put("grpc", "gRPC-java unary, plaintext, default executors");
    ALL.put("grpc-direct", "gRPC-java unary, plaintext, directExecutor on both sides");
    ALL.put("grpc-tls", "gRPC-java unary, TLS 1.3, default executors");
    ALL.put("grpc-tls-direct", "gRPC-java unary, TLS 1.3, directExecutor on both sides");
  }

  /** Experiments, run only when named in --contenders. */
  static final Map<String, String> EXTRA = new LinkedHashMap<>();

  static {
    EXTRA.put("raw-nonblocking", "raw, but the handler declares NON_BLOCKING (runs on Jetty's selector thread; an experiment)");
    EXTRA.put("plain-intercepted", "plain, with one no-op ServerInterceptor on the module and one no-op ClientInterceptor"
        + " on the client (the interceptors' cost, docs/OPERATIONS.md)");
    EXTRA.put("encrypted-intercepted", "encrypted, with one no-op ServerInterceptor and one no-op ClientInterceptor");
    EXTRA.put("plain-no-deadline", "plain, the client's callTimeout 0: no Parley-Timeout sent, so the server sets no"
        + " deadline timer (the deadlines' cost)");
  }

  static final String PATH = "/bench";

  final SelfSignedTls tls;
  final byte[] secureKey = new byte[32];
  final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final List<AutoCloseable> servers = new ArrayList<>();
  /** Base URLs of the encrypted (HTTP/1.1) and HTTPS servers, for the handshake comparison. */
  String encryptedUrl;
  String httpsUrl;

  Contenders(Set<String> selected) throws Exception {
    tls = new SelfSignedTls();
    new SecureRandom().nextBytes(secureKey);
    try {
      // The handshake comparison needs these two servers whatever is selected.
      RpcServer encrypted = rpcServer(encryptedModule());
      encryptedUrl = encrypted.uri() + PATH;
      JettyHost https = host(plainModule(), JettyHost.Transport.TLS);
      httpsUrl = https.baseUrl() + PATH;
      for (String key : ALL.keySet()) {
        if (selected.contains(key)) {
          endpoints.put(key, start(key));
        }
      }
      for (String key : EXTRA.keySet()) {
        if (selected.contains(key)) {
          endpoints.put(key, start(key));
        }
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private Endpoint start(String key) throws Exception {
    switch (key) {
      case "raw": {
        JettyHost host = host(new RawEchoHandler(false), JettyHost.Transport.HTTP1);
        return new RawEndpoint(HttpClients.base().build(), host.baseUrl());
      }
      case "raw-nonblocking": {
        JettyHost host = host(new RawEchoHandler(true), JettyHost.Transport.HTTP1);
        return new RawEndpoint(HttpClients.base().build(), host.baseUrl());
      }
      case "plain":
        return parley(ClientModule.builder(rpcServer(plainModule()).uri() + PATH));
      case "encrypted":
        return parley(encryptedClient(encryptedUrl));
      case "plain-nb":
        return parley(ClientModule.builder(rpcServer(plainModule(true), false).uri() + PATH));
      case "encrypted-nb":
        return parley(encryptedClient(rpcServer(encryptedModule(true), false).uri() + PATH));
      case "encrypted-h2c-nb":
        return parley(encryptedClient(rpcServer(encryptedModule(true), true).uri() + PATH)
            .okHttpClient(HttpClients.h2c(HttpClients.base()).build()));
      case "https":
        return parley(ClientModule.builder(httpsUrl).okHttpClient(HttpClients.tls(HttpClients.base(), tls).build()));
      case "https-nb":
        return parley(ClientModule.builder(host(plainModule(true), JettyHost.Transport.TLS,
                Runtime.getRuntime().availableProcessors()).baseUrl() + PATH)
            .okHttpClient(HttpClients.tls(HttpClients.base(), tls).build()));
      case "plain-h2c":
        return parley(ClientModule.builder(host(plainModule(), JettyHost.Transport.H2C).baseUrl() + PATH)
            .okHttpClient(HttpClients.h2c(HttpClients.base()).build()));
      case "encrypted-h2c":
        return parley(encryptedClient(host(encryptedModule(), JettyHost.Transport.H2C).baseUrl() + PATH)
            .okHttpClient(HttpClients.h2c(HttpClients.base()).build()));
      case "plain-intercepted":
        return parley(ClientModule.builder(rpcServer(intercepted(plainBuilder(false))).uri() + PATH)
            .interceptors(new ClientInterceptor() {}));
      case "encrypted-intercepted":
        return parley(encryptedClient(rpcServer(intercepted(encryptedBuilder(false))).uri() + PATH)
            .interceptors(new ClientInterceptor() {}));
      case "plain-no-deadline":
        return parley(ClientModule.builder(rpcServer(plainModule()).uri() + PATH).callTimeout(java.time.Duration.ZERO));
      case "grpc":
        return grpc(false, false);
      case "grpc-direct":
        return grpc(false, true);
      case "grpc-tls":
        return grpc(true, false);
      case "grpc-tls-direct":
        return grpc(true, true);
      default:
        throw new IllegalArgumentException("unknown contender " + key + "; known: " + ALL.keySet() + ", " + EXTRA.keySet());
    }
  }

  ClientModule.Builder encryptedClient(String url) {
    return ClientModule.builder(url).encryptionKey(32).secureKey(SecureKey.fromBytes(secureKey.clone()));
  }

  private static Endpoint parley(ClientModule.Builder builder) {
    return new ParleyEndpoint(builder.build());
  }

  private Endpoint grpc(boolean withTls, boolean direct) throws Exception {
    GrpcContender grpc = new GrpcContender(withTls, direct, tls);
    servers.add(grpc);
    return grpc.endpoint();
  }

  private ServerModule plainModule() {
    return plainModule(false);
  }

  private ServerModule plainModule(boolean nonBlocking) {
    return plainBuilder(nonBlocking).build();
  }

  private static ServerModule.Builder plainBuilder(boolean nonBlocking) {
    return ServerModule.builder(PATH).functions(new BenchApiFunctions(new BenchApiImpl())).nonBlocking(nonBlocking);
  }

  /** The module with one interceptor that only proceeds. */
  private static ServerModule intercepted(ServerModule.Builder builder) {
    return builder.interceptors((call, next) -> next.proceed()).build();
  }

  private ServerModule encryptedModule() {
    return encryptedModule(false);
  }

  /** BenchApi's functions never block (add, echo), so they may run on the I/O threads. */
  private ServerModule encryptedModule(boolean nonBlocking) {
    return encryptedBuilder(nonBlocking).build();
  }

  private ServerModule.Builder encryptedBuilder(boolean nonBlocking) {
    return ServerModule.builder(PATH).functions(new BenchApiFunctions(new BenchApiImpl()))
        .encryptionKey(32).secureKey(SecureKey.fromBytes(secureKey.clone())).nonBlocking(nonBlocking);
  }

  private RpcServer rpcServer(ServerModule module) {
    return rpcServer(module, false);
  }

  private RpcServer rpcServer(ServerModule module, boolean h2c) {
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).http2Cleartext(h2c).module(module).build().start();
    servers.add(server);
    return server;
  }

  private JettyHost host(org.eclipse.jetty.server.Handler handler, JettyHost.Transport transport) throws Exception {
    return host(handler, transport, -1);
  }

  private JettyHost host(org.eclipse.jetty.server.Handler handler, JettyHost.Transport transport, int selectors)
      throws Exception {
    JettyHost host = new JettyHost(handler, transport, tls, selectors);
    servers.add(host);
    return host;
  }

  @Override
  public void close() {
    for (Endpoint endpoint : endpoints.values()) {
      endpoint.close();
    }
    for (AutoCloseable server : servers) {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("stopping a server failed: " + e);
      }
    }
  }
}
