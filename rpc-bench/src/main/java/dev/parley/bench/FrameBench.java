package dev.parley.bench;

import dev.parley.crypto.CryptoException;
import dev.parley.crypto.SecureChannel;
import dev.parley.crypto.SessionKeys;
import dev.parley.crypto.internal.AesGcm;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
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
 * through {@link SecureChannel}, against raw JDK AES-256-GCM seal + open of the same body in the
 * same run. The raw baseline for bodies above 64 KiB seals 64 KiB records, the best the JDK does
 * (a single 1 MiB doFinal is far slower, see {@link AeadBench}); the target is a ratio
 * frame/raw throughput of at least 0.9 from 64 KiB up. The {@code ...InPlace} benchmarks use the
 * allocation-free forms ({@code sealRequestInto}/{@code sealResponseInto} into one reused buffer,
 * then {@code openRequestInPlace}/{@code openResponseInPlace} on it), the fair match for the raw
 * baseline, which also writes into preallocated buffers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class FrameBench {
  private static final int RECORD = 64 * 1024;
  private static final String METHOD = "POST";
  private static final String ROUTE = "/bench";

  @Param({"64", "1024", "65536", "1048576"})
  public int size;

  private final SecureRandom random = new SecureRandom();
  private byte[] body;
  private SecureChannel client;
  private SecureChannel server;

  private SecretKey rawKey;
  private final byte[] nonce = new byte[12];
  private final byte[] ad = new byte[64];
  private long counter;
  private long requestCounter;
  private byte[] sealed;
  private byte[] opened;
  private byte[] frameBuffer;

  @Setup(Level.Trial)
  public void setUpBuffers() {
    body = new byte[size];
    random.nextBytes(body);
    random.nextBytes(ad);
    rawKey = AesGcm.key(bytes(32));
    int records = Math.max(1, (size + RECORD - 1) / RECORD);
    sealed = new byte[size + records * AesGcm.TAG_LENGTH];
    opened = new byte[size];
    // a response frame (37-byte header) is the longer of the two
    frameBuffer = new byte[37 + size + records * AesGcm.TAG_LENGTH];
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
        SecureChannel.Sealed request = client.sealRequest(METHOD, ROUTE, small);
        server.openRequest(request.frame(), METHOD, ROUTE);
        SecureChannel.SealedSlice s = client.sealRequestInto(METHOD, ROUTE, small, 0, small.length, smallFrame, 0);
        server.openRequestInPlace(smallFrame, 0, s.length(), METHOD, ROUTE);
        byte[] n = nextNonce();
        AesGcm.seal(rawKey, n, ad, small, 0, small.length, buf, 0);
        AesGcm.open(rawKey, n, ad, buf, 0, buf.length, small, 0);
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
    SessionKeys keys = new SessionKeys(bytes(16), bytes(32), bytes(12), bytes(32), bytes(12), bytes(32), bytes(16));
    client = SecureChannel.client(keys);
    server = SecureChannel.server(keys);
    keys.destroy();
  }

  @TearDown(Level.Iteration)
  public void endSession() {
    client.destroy();
    server.destroy();
  }

  @Benchmark
  public byte[] requestSealOpen() throws CryptoException {
    SecureChannel.Sealed request = client.sealRequest(METHOD, ROUTE, body);
    return server.openRequest(request.frame(), METHOD, ROUTE).body();
  }

  @Benchmark
  public byte[] responseSealOpen() throws CryptoException {
    long reqCtr = requestCounter++;
    byte[] frame = server.sealResponse(reqCtr, 200, METHOD, ROUTE, body);
    return client.openResponse(frame, reqCtr, 200, METHOD, ROUTE);
  }

  /** The request through the allocation-free forms: sealed into one reused buffer, opened in place. */
  @Benchmark
  public int requestSealOpenInPlace() throws CryptoException {
    SecureChannel.SealedSlice s = client.sealRequestInto(METHOD, ROUTE, body, 0, size, frameBuffer, 0);
    return server.openRequestInPlace(frameBuffer, 0, s.length(), METHOD, ROUTE).length();
  }

  /** The response through the allocation-free forms. */
  @Benchmark
  public int responseSealOpenInPlace() throws CryptoException {
    long reqCtr = requestCounter++;
    SecureChannel.SealedSlice s = server.sealResponseInto(reqCtr, 200, METHOD, ROUTE, body, 0, size, frameBuffer, 0);
    return client.openResponseInPlace(frameBuffer, 0, s.length(), reqCtr, 200, METHOD, ROUTE).length();
  }

  /** Raw JDK AES-256-GCM over the same body, in records of at most 64 KiB, into preallocated buffers. */
  @Benchmark
  public byte[] rawJdkSealOpen() throws AEADBadTagException {
    long first = counter;
    int out = 0;
    for (int off = 0; off < size; off += RECORD) {
      out += AesGcm.seal(rawKey, nextNonce(), ad, body, off, Math.min(RECORD, size - off), sealed, out);
    }
    counter = first;
    int in = 0;
    for (int off = 0; off < size; off += RECORD) {
      int len = Math.min(RECORD, size - off) + AesGcm.TAG_LENGTH;
      AesGcm.open(rawKey, nextNonce(), ad, sealed, in, len, opened, off);
      in += len;
    }
    return opened;
  }

  private byte[] nextNonce() {
    long n = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
    }
    return nonce;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
