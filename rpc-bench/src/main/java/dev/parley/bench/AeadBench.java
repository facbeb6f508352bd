package dev.parley.bench;

import dev.parley.crypto.internal.AesGcm;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * AES-256-GCM seal + open of one body: the JDK's provider (through {@link AesGcm}, Parley's code
 * path) against Bouncy Castle's pure-Java {@link GCMBlockCipher}, at 64 B, 1 KiB, 64 KiB and 1 MiB;
 * and a 1 MiB body as one {@code doFinal} against 16 records of 64 KiB. This is the measurement
 * behind choosing the JDK for AES-GCM (docs/BENCHMARKS.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AeadBench {
  private static final int RECORD = 64 * 1024;
  private static final int MIB = 1024 * 1024;
  private static final int WARM_UP_CALLS = 30_000;

  /** Keys, buffers and a nonce counter for one benchmark thread. */
  @State(Scope.Thread)
  public static class Buffers {
    final byte[] keyBytes = new byte[32];
    SecretKey jdkKey;
    KeyParameter bcKey;
    GCMModeCipher bcCipher;
    final byte[] nonce = new byte[12];
    final byte[] ad = new byte[40];
    long counter;
    byte[] plain;
    byte[] sealed;
    byte[] opened;

    @Setup(Level.Trial)
    public void setUp() {
      SecureRandom random = new SecureRandom();
      random.nextBytes(keyBytes);
      random.nextBytes(ad);
      random.nextBytes(nonce);
      jdkKey = AesGcm.key(keyBytes);
      bcKey = new KeyParameter(keyBytes);
      bcCipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
      plain = new byte[MIB];
      random.nextBytes(plain);
      sealed = new byte[MIB + 16 * AesGcm.TAG_LENGTH];
      opened = new byte[MIB];
      warmUp();
    }

    /**
     * Runs both providers on many small bodies first. HotSpot swaps in the AES-GCM intrinsics only
     * once the calling code is C2-compiled, which takes thousands of calls; a benchmark of large
     * bodies alone makes too few calls in its warm-up iterations and would measure the
     * interpreter. A server reaches this state from its ordinary traffic.
     */
    void warmUp() {
      try {
        for (int i = 0; i < WARM_UP_CALLS; i++) {
          byte[] n = nextNonce();
          int len = AesGcm.seal(jdkKey, n, ad, plain, 0, 1024, sealed, 0);
          AesGcm.open(jdkKey, n, ad, sealed, 0, len, opened, 0);
          bcCipher.init(true, new AEADParameters(bcKey, 128, n.clone(), ad));
          len = bcCipher.processBytes(plain, 0, 1024, sealed, 0);
          bcCipher.doFinal(sealed, len);
        }
      } catch (GeneralSecurityException | InvalidCipherTextException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A fresh nonce per seal, as in Parley (and the JDK refuses to re-seal with the last one). */
    byte[] nextNonce() {
      long n = ++counter;
      for (int i = 0; i < 8; i++) {
        nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
      }
      return nonce;
    }
  }

  /** The body sizes compared. */
  public static class Sized extends Buffers {
    @Param({"64", "1024", "65536", "1048576"})
    public int size;
  }

  @Benchmark
  public byte[] jdkSealOpen(Sized s) throws AEADBadTagException {
    byte[] n = s.nextNonce();
    int len = AesGcm.seal(s.jdkKey, n, s.ad, s.plain, 0, s.size, s.sealed, 0);
    AesGcm.open(s.jdkKey, n, s.ad, s.sealed, 0, len, s.opened, 0);
    return s.opened;
  }

  @Benchmark
  public byte[] bcSealOpen(Sized s) throws InvalidCipherTextException {
    byte[] n = s.nextNonce().clone();
    s.bcCipher.init(true, new AEADParameters(s.bcKey, 128, n, s.ad));
    int len = s.bcCipher.processBytes(s.plain, 0, s.size, s.sealed, 0);
    len += s.bcCipher.doFinal(s.sealed, len);
    s.bcCipher.init(false, new AEADParameters(s.bcKey, 128, n, s.ad));
    int out = s.bcCipher.processBytes(s.sealed, 0, len, s.opened, 0);
    s.bcCipher.doFinal(s.opened, out);
    return s.opened;
  }

  /** 1 MiB in a single doFinal each way (the JDK 17 large-buffer cliff). */
  @Benchmark
  public byte[] jdk1MiBSingleDoFinal(Buffers b) throws AEADBadTagException {
    byte[] n = b.nextNonce();
    int len = AesGcm.seal(b.jdkKey, n, b.ad, b.plain, 0, MIB, b.sealed, 0);
    AesGcm.open(b.jdkKey, n, b.ad, b.sealed, 0, len, b.opened, 0);
    return b.opened;
  }

  /** 1 MiB as 16 records of 64 KiB, each with its own nonce, sealed then opened. */
  @Benchmark
  public byte[] jdk1MiBAs16Records(Buffers b) throws AEADBadTagException {
    long first = b.counter;
    for (int r = 0; r < MIB / RECORD; r++) {
      AesGcm.seal(b.jdkKey, b.nextNonce(), b.ad, b.plain, r * RECORD, RECORD, b.sealed, r * (RECORD + AesGcm.TAG_LENGTH));
    }
    long last = b.counter;
    b.counter = first;
    for (int r = 0; r < MIB / RECORD; r++) {
      AesGcm.open(b.jdkKey, b.nextNonce(), b.ad, b.sealed, r * (RECORD + AesGcm.TAG_LENGTH), RECORD + AesGcm.TAG_LENGTH,
          b.opened, r * RECORD);
    }
    b.counter = last;
    return b.opened;
  }
}
