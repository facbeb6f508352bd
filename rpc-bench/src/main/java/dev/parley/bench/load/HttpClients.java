package dev.parley.bench.load;

import dev.parley.client.internal.NoDelaySocketFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.TlsVersion;

/**
 * OkHttp clients for the contenders: TCP_NODELAY (the client's own socket factory, with plain
 * sockets: the contenders never probe a connection), no retries, a pool as large as the callers.
 */
final class HttpClients {
  private HttpClients() {}

  static OkHttpClient.Builder base() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(256);
    return new OkHttpClient.Builder()
        .socketFactory(new NoDelaySocketFactory(SocketFactory.getDefault(), false))
        .connectionPool(new ConnectionPool(128, 5, TimeUnit.MINUTES))
        .dispatcher(dispatcher)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(30))
        .callTimeout(Duration.ofSeconds(60));
  }

  static OkHttpClient.Builder tls(OkHttpClient.Builder builder, SelfSignedTls tls) throws Exception {
    return builder
        .sslSocketFactory(tls.clientContext().getSocketFactory(), tls.trustManager())
        .connectionSpecs(List.of(new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
            .tlsVersions(TlsVersion.TLS_1_3).build()));
  }

  static OkHttpClient.Builder h2c(OkHttpClient.Builder builder) {
    return builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
  }
}
