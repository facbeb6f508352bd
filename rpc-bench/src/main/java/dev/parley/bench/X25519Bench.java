package dev.parley.bench;

import dev.parley.crypto.internal.X25519;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * X25519 key generation and agreement: the JDK's XDH ({@code KeyPairGenerator "X25519"},
 * {@code KeyAgreement "X25519"}) against Bouncy Castle's RFC 7748 code through {@link X25519}
 * (Parley's code path). Both draw private keys from the same {@link SecureRandom}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class X25519Bench {
  private SecureRandom random;
  private KeyPairGenerator jdkGenerator;
  private KeyAgreement jdkAgreement;
  private KeyPair jdkMine;
  private KeyPair jdkPeer;
  private X25519.KeyPair bcMine;
  private X25519.KeyPair bcPeer;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    random = new SecureRandom();
    jdkGenerator = KeyPairGenerator.getInstance("X25519");
    jdkGenerator.initialize(NamedParameterSpec.X25519, random);
    jdkAgreement = KeyAgreement.getInstance("X25519");
    jdkMine = jdkGenerator.generateKeyPair();
    jdkPeer = jdkGenerator.generateKeyPair();
    bcMine = X25519.generate(random);
    bcPeer = X25519.generate(random);
  }

  @Benchmark
  public KeyPair jdkGenerate() {
    return jdkGenerator.generateKeyPair();
  }

  @Benchmark
  public X25519.KeyPair bcGenerate() {
    return X25519.generate(random);
  }

  @Benchmark
  public byte[] jdkAgree() throws GeneralSecurityException {
    jdkAgreement.init(jdkMine.getPrivate());
    jdkAgreement.doPhase(jdkPeer.getPublic(), true);
    return jdkAgreement.generateSecret();
  }

  @Benchmark
  public byte[] bcAgree() throws GeneralSecurityException {
    return X25519.agree(bcMine.privateKey(), bcPeer.publicKey());
  }
}
