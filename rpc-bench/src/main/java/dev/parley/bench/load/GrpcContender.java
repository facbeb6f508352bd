package dev.parley.bench.load;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java unary calls without protoc: two hand-made {@link MethodDescriptor}s whose marshaller is
 * Jackson, so the JSON work equals the other contenders'. Netty (grpc-netty-shaded) on both sides,
 * one channel (one HTTP/2 connection) shared by all callers; plaintext or TLS 1.3 with the run's
 * self-signed certificate; default executors or {@code directExecutor()} on both sides.
 */
final class GrpcContender implements AutoCloseable {
  static final MethodDescriptor<Json.AddRequest, Json.AddResult> ADD = method("Add", Json.AddRequest.class,
      Json.AddResult.class);
  static final MethodDescriptor<Json.Bytes, Json.Bytes> ECHO = method("Echo", Json.Bytes.class, Json.Bytes.class);
  private static final int MAX_MESSAGE = 8 << 20;

  private final Server server;
  private final ManagedChannel channel;

  GrpcContender(boolean tls, boolean direct, SelfSignedTls certificate) throws Exception {
    ServerCredentials serverCredentials = tls
        ? TlsServerCredentials.newBuilder().keyManager(certificate.keyManagers().getKeyManagers()).build()
        : InsecureServerCredentials.create();
    ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Bench")
        .addMethod(ADD, ServerCalls.asyncUnaryCall((request, observer) -> {
          observer.onNext(new Json.AddResult(request.a() + request.b()));
          observer.onCompleted();
        }))
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, observer) -> {
          observer.onNext(request);
          observer.onCompleted();
        }))
        .build();
    NettyServerBuilder serverBuilder = NettyServerBuilder
        .forAddress(new InetSocketAddress("127.0.0.1", 0), serverCredentials)
        .maxInboundMessageSize(MAX_MESSAGE)
        .addService(service);
    if (direct) {
      serverBuilder.directExecutor();
    }
    server = serverBuilder.build().start();
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    ChannelCredentials channelCredentials = tls
        ? TlsChannelCredentials.newBuilder().trustManager(certificate.trustManagers().getTrustManagers()).build()
        : InsecureChannelCredentials.create();
    NettyChannelBuilder channelBuilder = NettyChannelBuilder.forAddress("127.0.0.1", port, channelCredentials)
        .maxInboundMessageSize(MAX_MESSAGE);
    if (direct) {
      channelBuilder.directExecutor();
    }
    channel = channelBuilder.build();
  }

  Endpoint endpoint() {
    return new Endpoint() {
      @Override
      public int add(int a, int b) {
        return ClientCalls.blockingUnaryCall(channel, ADD, options(), new Json.AddRequest(a, b)).result();
      }

      @Override
      public byte[] echo(byte[] data) {
        return ClientCalls.blockingUnaryCall(channel, ECHO, options(), new Json.Bytes(data)).data();
      }

      @Override
      public void close() {}
    };
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();   // stops waiting; both were told to shut down
    }
  }

  private static <Q, R> MethodDescriptor<Q, R> method(String name, Class<Q> request, Class<R> response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Bench", name))
        .setRequestMarshaller(new JacksonMarshaller<>(request))
        .setResponseMarshaller(new JacksonMarshaller<>(response))
        .build();
  }

  /** JSON on the wire, by Jackson: the same work as the HTTP contenders. */
  private static final class JacksonMarshaller<T> implements MethodDescriptor.Marshaller<T> {
    private final Class<T> type;

    JacksonMarshaller(Class<T> type) {
      this.type = type;
    }

    @Override
    public InputStream stream(T value) {
      try {
        return new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public T parse(InputStream stream) {
      try (stream) {
        return Json.MAPPER.readValue(stream, type);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
