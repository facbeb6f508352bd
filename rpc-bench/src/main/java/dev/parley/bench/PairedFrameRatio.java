package dev.parley.bench;

import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.SessionKeys;
import dev.parley.crypto.internal.AesGcm;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;

/**
 * A paired measurement of {@link FrameBench}'s ratio for noisy, shared machines: in one JVM, short
 * alternating slices of frame seal + open and raw JDK AES-GCM seal + open (64 KiB records) of the
 * same body, so both see the same load and the same JIT state; the ratio raw time / frame time is
 * taken per round and the median over rounds reported (1.0 = the frame costs nothing over raw
 * AES-GCM). The frame arm is a request as the client and server handle it: sealed into a new
 * frame array, opened inside it. A third arm, raw AES-GCM into freshly allocated arrays, separates
 * the cost of that allocation from the framing itself. A fourth arm, "in place", runs a response of
 * the same body without allocating: copied into one reused buffer, sealed there
 * ({@code sealResponseInPlace}) and opened there ({@code openResponseInPlace}); its ratio to raw
 * AES-GCM into reused buffers is the like-for-like one. Slices alternate their order every round. Not a JMH benchmark; run it with
 * {@code java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.PairedFrameRatio [rounds]}.
 */
public final class PairedFrameRatio {
  private static final String METHOD = "POST";
  private static final String ROUTE = "/bench";
  private static volatile int sink;

  private PairedFrameRatio() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
    System.out.printf("%-9s %-12s %-12s %-12s %-15s %-26s %-26s %s%n", "size", "frame us/op", "inPlace us/op",
        "raw us/op", "rawAlloc us/op", "raw/frame med [p25,p75]", "raw/inPlace med [p25,p75]",
        "rawAlloc/frame med [p25,p75]");
    for (int size : new int[] {64, 1024, 64 * 1024, 1024 * 1024}) {
      measure(size, rounds);
    }
  }

  private static void measure(int size, int rounds) throws Exception {
    Fixture f = new Fixture(size);
    int opsPerSlice = Math.max(16, (32 << 20) / Math.max(size, 1024));  // 32 MiB per slice, tens of ms
    for (int i = 0; i < 30_000; i++) {  // warm the AES-GCM intrinsics (see AeadBench)
      f.small();
    }
    for (int i = 0; i < 3 * opsPerSlice; i++) {
      f.frame();
      f.inPlace();
      f.raw(false);
      f.raw(true);
    }
    double[] ratios = new double[rounds];
    double[] allocRatios = new double[rounds];
    double[] inPlaceRatios = new double[rounds];
    double frameTotal = 0;
    double inPlaceTotal = 0;
    double rawTotal = 0;
    double allocTotal = 0;
    for (int r = 0; r < rounds; r++) {
      long frameNanos;
      long inPlaceNanos;
      long rawNanos;
      long allocNanos;
      if (r % 2 == 0) {
        frameNanos = f.timeFrame(opsPerSlice);
        inPlaceNanos = f.timeInPlace(opsPerSlice);
        rawNanos = f.timeRaw(opsPerSlice, false);
        allocNanos = f.timeRaw(opsPerSlice, true);
      } else {
        allocNanos = f.timeRaw(opsPerSlice, true);
        rawNanos = f.timeRaw(opsPerSlice, false);
        inPlaceNanos = f.timeInPlace(opsPerSlice);
        frameNanos = f.timeFrame(opsPerSlice);
      }
      ratios[r] = (double) rawNanos / frameNanos;
      allocRatios[r] = (double) allocNanos / frameNanos;
      inPlaceRatios[r] = (double) rawNanos / inPlaceNanos;
      frameTotal += frameNanos;
      inPlaceTotal += inPlaceNanos;
      rawTotal += rawNanos;
      allocTotal += allocNanos;
    }
    Arrays.sort(ratios);
    Arrays.sort(allocRatios);
    Arrays.sort(inPlaceRatios);
    double ops = (double) rounds * opsPerSlice;
    System.out.printf("%-9d %-12.2f %-12.2f %-12.2f %-15.2f %-26s %-26s %s%n", size, frameTotal / ops / 1e3,
        inPlaceTotal / ops / 1e3, rawTotal / ops / 1e3, allocTotal / ops / 1e3, quartiles(ratios),
        quartiles(inPlaceRatios), quartiles(allocRatios));
    f.close();
  }

  private static String quartiles(double[] sorted) {
    int n = sorted.length;
    return String.format("%.3f [%.3f, %.3f]", sorted[n / 2], sorted[n / 4], sorted[(3 * n) / 4]);
  }

  /** One session pair, one raw key and the buffers for one body size. */
  private static final class Fixture {
    final int size;
    final byte[] body;
    final ClientChannel client;
    final ServerChannel server;
    final RawGcm raw = new RawGcm();
    final byte[] sealed;
    final byte[] opened;
    final byte[] frameBuffer;
    final byte[] smallFrame = new byte[37 + 1024 + AesGcm.TAG_LENGTH];
    final byte[] small = new byte[1024];
    final byte[] smallSealed = new byte[1024 + AesGcm.TAG_LENGTH];
    long requestCounter;

    Fixture(int size) {
      this.size = size;
      this.body = RandomKeys.bytes(size);
      SessionKeys keys = RandomKeys.sessionKeys();
      client = ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
      server = ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
      keys.destroy();
      sealed = new byte[RawGcm.sealedLength(size)];
      opened = new byte[size];
      frameBuffer = new byte[server.sealedLength(size)];
    }

    long timeFrame(int ops) throws CryptoException {
      long t0 = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        frame();
      }
      return System.nanoTime() - t0;
    }

    long timeInPlace(int ops) throws CryptoException {
      long t0 = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        inPlace();
      }
      return System.nanoTime() - t0;
    }

    long timeRaw(int ops, boolean allocate) throws GeneralSecurityException {
      long t0 = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        raw(allocate);
      }
      return System.nanoTime() - t0;
    }

    void frame() throws CryptoException {
      byte[] frame = client.sealRequest(METHOD, ROUTE, body).frame();
      sink += server.openRequestInPlace(frame, 0, frame.length, METHOD, ROUTE).length();
    }

    /** A response of the same body copied into the reused frame buffer, sealed and opened in place there. */
    void inPlace() throws CryptoException {
      long reqCtr = requestCounter++;
      System.arraycopy(body, 0, frameBuffer, 0, size);
      int n = server.sealResponseInPlace(reqCtr, 200, METHOD, ROUTE, frameBuffer, size);
      sink += client.openResponseInPlace(frameBuffer, 0, n, reqCtr, 200, METHOD, ROUTE).length();
    }

    /**
     * Raw AES-GCM in 64 KiB records; with {@code allocate}, into new arrays per call as the
     * frame arm does (to tell allocation cost from framing cost).
     */
    void raw(boolean allocate) throws GeneralSecurityException {
      byte[] sealed = allocate ? new byte[this.sealed.length] : this.sealed;
      byte[] opened = allocate ? new byte[this.opened.length] : this.opened;
      raw.sealOpen(body, size, sealed, opened);
      sink += opened[0];
    }

    void small() throws GeneralSecurityException, CryptoException {
      byte[] request = client.sealRequest(METHOD, ROUTE, small).frame();
      server.openRequestInPlace(request, 0, request.length, METHOD, ROUTE);
      long reqCtr = requestCounter++;
      System.arraycopy(small, 0, smallFrame, 0, small.length);
      int framed = server.sealResponseInPlace(reqCtr, 200, METHOD, ROUTE, smallFrame, small.length);
      client.openResponseInPlace(smallFrame, 0, framed, reqCtr, 200, METHOD, ROUTE);
      raw.sealOpen(small, small.length, smallSealed, small);
    }

    void close() {
      client.destroy();
      server.destroy();
    }
  }

}
