package dev.parley.crypto;

import static dev.parley.crypto.Handshake.rejected;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.AesGcm;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Seals the server's handshake state between msg2 and msg3 into the token (PROTOCOL.md §6.3) under
 * a process-local key that rotates every generation; the previous generation's key is still
 * accepted. Thread-safe and lock-free.
 */
final class TokenSealer {
  static final long GENERATION_MILLIS = 300_000;
  static final long TTL_MILLIS = 30_000;
  static final int LENGTH = 106;
  private static final int HEADER = 16;
  private static final int PLAINTEXT = 8 + 1 + 1 + 32 + 32;

  /** What a token holds (PROTOCOL.md §6.3); the caller zeroes ck2 and h2. */
  record Contents(int keyId, int a, byte[] ck2, byte[] h2) {
    @Override
    public String toString() {
      return "Token.Contents[keyId=" + keyId + "]";
    }
  }

  /** The keys of the newest generation and of the one before it (-1 / null when absent). */
  private record Keys(long generation, SecretKey current, long previousGeneration, SecretKey previous) {}

  private final AtomicReference<Keys> keys = new AtomicReference<>(new Keys(-1, null, -1, null));
  private final Clock clock;
  private final SecureRandom random;
  private final long ttlMillis;

  TokenSealer(Clock clock, SecureRandom random, long ttlMillis) {
    this.clock = clock;
    this.random = random;
    this.ttlMillis = ttlMillis;
  }

  /** PROTOCOL.md §6.3: gen ‖ nonce ‖ Seal(tokenKey[gen], nonce, gen ‖ nonce, tp). */
  byte[] seal(int keyId, int a, byte[] ck2, byte[] h2) {
    long now = clock.millis();
    long generation = now / GENERATION_MILLIS;
    SecretKey key = keyForSealing(generation);
    byte[] token = new byte[LENGTH];
    ByteBuffer.wrap(token).putInt((int) generation);
    byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, token, 4, nonce.length);
    byte[] tp = ByteBuffer.allocate(PLAINTEXT)
        .putLong(now + ttlMillis).put((byte) keyId).put((byte) a).put(ck2).put(h2).array();
    AesGcm.seal(key, nonce, token, 0, HEADER, tp, 0, tp.length, token, HEADER);
    Arrays.fill(tp, (byte) 0);
    return token;
  }

  /** PROTOCOL.md §6.6, msg3 steps 2–4: opens the token at msg3[offset, offset + LENGTH). */
  Contents open(byte[] msg3, int offset) throws CryptoException {
    long now = clock.millis();
    long current = now / GENERATION_MILLIS;
    long generation = ByteBuffer.wrap(msg3, offset, 4).getInt() & 0xffffffffL;
    SecretKey key = null;
    if (generation == current || generation == current - 1) {
      Keys k = keys.get();
      key = k.generation == generation ? k.current : k.previousGeneration == generation ? k.previous : null;
    }
    if (key == null) {
      throw rejected(Reason.EXPIRED);
    }
    byte[] nonce = Arrays.copyOfRange(msg3, offset + 4, offset + HEADER);
    byte[] tp = new byte[PLAINTEXT];
    try {
      AesGcm.open(key, nonce, msg3, offset, HEADER, msg3, offset + HEADER, LENGTH - HEADER, tp, 0);
    } catch (AEADBadTagException e) {
      throw rejected(Reason.AUTHENTICATION);
    } catch (IllegalStateException e) {  // the key was rotated out (and zeroed) meanwhile
      throw rejected(Reason.EXPIRED);
    }
    ByteBuffer in = ByteBuffer.wrap(tp);
    long expiresAt = in.getLong();
    if (now >= expiresAt) {
      Arrays.fill(tp, (byte) 0);
      throw rejected(Reason.EXPIRED);
    }
    Contents contents = new Contents(in.get() & 0xff, in.get() & 0xff,
        Arrays.copyOfRange(tp, 10, 42), Arrays.copyOfRange(tp, 42, 74));
    Arrays.fill(tp, (byte) 0);
    return contents;
  }

  /**
   * Forgets every token key at once: tokens sealed so far fail as EXPIRED (their clients start the
   * handshake over). For a SecureKey that was replaced ({@link HandshakeResponder#replaceKeys}). The
   * dropped keys are not zeroed here: a seal or open may be using them at this moment.
   */
  void dropKeys() {
    keys.set(new Keys(-1, null, -1, null));
  }

  /** The key of {@code generation}, drawn on first use; older keys are dropped and zeroed. */
  private SecretKey keyForSealing(long generation) {
    while (true) {
      Keys k = keys.get();
      if (k.generation == generation) {
        return k.current;
      }
      if (k.previousGeneration == generation) {  // the clock stepped back a little
        return k.previous;
      }
      byte[] raw = new byte[AesGcm.KEY_LENGTH];
      random.nextBytes(raw);
      SecretKey fresh = Handshake.ownedKey(raw);
      boolean keepCurrent = k.generation == generation - 1;
      Keys next = new Keys(generation, fresh, keepCurrent ? k.generation : -1, keepCurrent ? k.current : null);
      if (keys.compareAndSet(k, next)) {
        if (k.previous != null) {
          Handshake.destroy(k.previous);
        }
        if (!keepCurrent && k.current != null) {
          Handshake.destroy(k.current);
        }
        return fresh;
      }
      Handshake.destroy(fresh);
    }
  }
}
