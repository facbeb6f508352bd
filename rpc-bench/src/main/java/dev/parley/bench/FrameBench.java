package dev.parley.bench;

import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.SessionKeys;
import dev.parley.crypto.internal.AesGcm;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A request frame sealed by the client and opened by the server (and a response the other way)
 * through {@link ClientChannel} and {@link ServerChannel}, the way Parley's client and server do
 * it, against raw JDK AES-256-GCM seal + open of the same body in the same run. The raw baseline
 * for bodies above 64 KiB seals 64 KiB records, the best the JDK does (a single 1 MiB doFinal is
 * far slower, see {@link AeadBench}); the target is a ratio frame/raw throughput of at least
 * 0.9 from 64 KiB up. A request is sealed into a new frame array ({@code sealRequest}) and opened
 * inside it ({@code openRequestInPlace}); a response is sealed inside the reused buffer that holds
 * its body ({@code sealResponseInPlace}, after copying the body there, as the server's answer
 * buffer holds it) and opened there ({@code openResponseInPlace}), like the raw baseline, which also
 * writes into preallocated buffers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class FrameBench {
  private static final String METHOD = "POST";
  private static final String ROUTE = "/bench";

  @Param({"64", "1024", "65536", "1048576"})
  public int size;

  private byte[] body;
  private ClientChannel client;
  private ServerChannel server;

  private RawGcm raw;
  private long requestCounter;
  private byte[] sealed;
  private byte[] opened;
  private byte[] frameBuffer;

  @Setup(Level.Trial)
  public void setUpBuffers() {
    body = RandomKeys.bytes(size);
    raw = new RawGcm();
    sealed = new byte[RawGcm.sealedLength(size)];
    opened = new byte[size];
    // a response frame (37-byte header) is the longer of the two
    frameBuffer = new byte[37 + RawGcm.sealedLength(size)];
    warmUp();
  }

  /**
   * Thousands of 1 KiB calls through both paths first, so HotSpot has compiled them with the
   * AES-GCM intrinsics before large bodies are measured (see {@link AeadBench}).
   */
  private void warmUp() {
    byte[] small = new byte[1024];
    byte[] buf = new byte[small.length + AesGcm.TAG_LENGTH];
    byte[] smallFrame = new byte[37 + small.length + AesGcm.TAG_LENGTH];
    newSession();
    try {
      for (int i = 0; i < 30_000; i++) {
        byte[] request = client.sealRequest(METHOD, ROUTE, small).frame();
        server.openRequestInPlace(request, 0, request.length, METHOD, ROUTE);
        System.arraycopy(small, 0, smallFrame, 0, small.length);
        int framed = server.sealResponseInPlace(i, 200, METHOD, ROUTE, smallFrame, small.length);
        client.openResponseInPlace(smallFrame, 0, framed, i, 200, METHOD, ROUTE);
        raw.sealOpen(small, small.length, buf, small);
      }
    } catch (CryptoException | AEADBadTagException e) {
      throw new IllegalStateException(e);
    } finally {
      endSession();
    }
  }

  /** A fresh session per iteration, so no run reaches an epoch or counter limit. */
  @Setup(Level.Iteration)
  public void newSession() {
    SessionKeys keys = RandomKeys.sessionKeys();
    client = ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
    server = ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
    keys.destroy();
  }

  @TearDown(Level.Iteration)
  public void endSession() {
    client.destroy();
    server.destroy();
  }

  /** The request as the client and server handle it: sealed into a new frame, opened inside it. */
  @Benchmark
  public int requestSealOpen() throws CryptoException {
    byte[] frame = client.sealRequest(METHOD, ROUTE, body).frame();
    return server.openRequestInPlace(frame, 0, frame.length, METHOD, ROUTE).length();
  }

  /** The response as the server and client handle it: sealed inside the buffer of its body, opened there. */
  @Benchmark
  public int responseSealOpen() throws CryptoException {
    long reqCtr = requestCounter++;
    System.arraycopy(body, 0, frameBuffer, 0, size);
    int n = server.sealResponseInPlace(reqCtr, 200, METHOD, ROUTE, frameBuffer, size);
    return client.openResponseInPlace(frameBuffer, 0, n, reqCtr, 200, METHOD, ROUTE).length();
  }

  /** Raw JDK AES-256-GCM over the same body, in records of at most 64 KiB, into preallocated buffers. */
  @Benchmark
  public byte[] rawJdkSealOpen() throws AEADBadTagException {
    raw.sealOpen(body, size, sealed, opened);
    return opened;
  }

}
