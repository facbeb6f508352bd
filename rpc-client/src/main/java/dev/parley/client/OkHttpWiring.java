package dev.parley.client;

import dev.parley.client.internal.ConnectionProbe;
import dev.parley.client.internal.NoDelaySocketFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The OkHttp client one {@link ClientModule} calls through: its own, or one derived from a shared
 * client with {@code newBuilder()} (sharing its pool and dispatcher), set up for RPC (docs/CLIENT.md
 * "Transport"): the module's timeouts, no silent retry and no redirects (either could run a POST
 * twice), TCP_NODELAY, and the probe that finds a pooled connection the server closed before a
 * request is written on it.
 */
final class OkHttpWiring {
  private OkHttpWiring() {}

  static OkHttpClient client(ClientSettings s) {
    OkHttpClient.Builder http = s.shared != null ? s.shared.newBuilder() : new OkHttpClient.Builder();
    if (s.http2PriorKnowledge) {
      // h2c with prior knowledge: the connection opens with the HTTP/2 preface (RFC 9113 §3.3).
      http.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    }
    SocketFactory sockets = s.shared != null ? s.shared.socketFactory() : SocketFactory.getDefault();
    http.connectTimeout(s.connectTimeout)
        .readTimeout(s.readTimeout)
        .writeTimeout(s.writeTimeout)
        .callTimeout(s.callTimeout)
        // A POST that failed after it was sent may have run: never re-send it silently.
        .retryOnConnectionFailure(false)
        // A redirect would re-post (307/308) or turn the call into a GET (301/302).
        .followRedirects(false)
        .followSslRedirects(false)
        // Channel-backed sockets (for the probe) unless only HTTP/2 is spoken, which is never probed.
        .socketFactory(new NoDelaySocketFactory(
            sockets instanceof NoDelaySocketFactory nd ? nd.delegate() : sockets, !s.http2PriorKnowledge));
    if (!http.networkInterceptors().contains(ConnectionProbe.INSTANCE)) {
      // Checks a pooled connection for a server-side close before the request is written.
      http.addNetworkInterceptor(ConnectionProbe.INSTANCE);
    }
    if (s.shared == null) {
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(Math.max(64, s.maxRequestsPerHost));
      dispatcher.setMaxRequestsPerHost(s.maxRequestsPerHost);
      http.dispatcher(dispatcher).connectionPool(new ConnectionPool(s.maxRequestsPerHost, 5, TimeUnit.MINUTES));
    }
    return http.build();
  }

  /** Stops what the module's own client started: dispatcher threads and idle connections. */
  static void shutdown(OkHttpClient http) {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
