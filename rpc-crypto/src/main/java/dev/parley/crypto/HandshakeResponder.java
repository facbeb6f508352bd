package dev.parley.crypto;

import static dev.parley.crypto.Handshake.KEY;
import static dev.parley.crypto.Handshake.rejected;
import static dev.parley.crypto.Handshake.zero;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.SymmetricState;
import dev.parley.crypto.internal.X25519;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The server side of the handshake for one module route (PROTOCOL.md §6). Thread-safe and
 * stateless between messages: {@link #answerMessage1} checks msg1's length and tag before any
 * Diffie-Hellman and keeps nothing; the state it needs later travels in msg2's token, sealed under
 * a process-local key that rotates every 5 minutes (PROTOCOL.md §6.3).
 *
 * <p>The SecureKeys it accepts can be replaced while it serves ({@link #replaceKeys}): handshakes
 * that start afterwards use the new set, a msg3 whose key id was removed is refused, and sessions
 * made before keep their keys (a session's keys do not depend on the SecureKey any more).
 *
 * <pre>{@code
 * HandshakeResponder responder = HandshakeResponder.builder("/calc")
 *     .secureKey(currentKey)                  // several keys with distinct key ids: rotation
 *     .instance(instance)                     // who owns the sessions: see ServerInstance
 *     .build();
 * byte[] msg2 = responder.answerMessage1(msg1);
 * HandshakeResponder.Accepted done = responder.acceptMessage3(msg3);
 * if (sessions.putIfAbsent(done.sessionKeys().sessionIdText(), ...) != null) {
 *   done.sessionKeys().destroy();            // a replayed msg3: no second session
 * } else {
 *   reply(done.message4());
 * }
 * }</pre>
 */
public final class HandshakeResponder {
  /** By key id; a single none() in the NN suite. Replaced whole, never changed in place. */
  private volatile Map<Integer, SecureKey> keys;
  private final byte suite;
  private final byte[] route;
  private final int encryptionKey;
  private final SecureRandom random;
  private final TokenSealer tokens;
  private final ServerInstance instance;
  private final LongAdder dhOperations = new LongAdder();

  private HandshakeResponder(Builder b) {
    this.keys = Map.copyOf(checkedKeys(b.keys.values(), IllegalStateException::new));
    this.suite = b.keys.values().iterator().next().isNone() ? Handshake.SUITE_NN : Handshake.SUITE_PSK;
    this.route = b.route;
    this.encryptionKey = b.encryptionKey;
    this.random = b.random;
    this.tokens = new TokenSealer(b.clock, b.random, b.tokenTtl.toMillis());
    this.instance = b.instance;
  }

  /** The server instance that owns the sessions this responder creates. */
  public ServerInstance instance() {
    return instance;
  }

  /** The key ids of the SecureKeys accepted now, ascending. */
  public List<Integer> keyIds() {
    return List.copyOf(new TreeMap<>(keys).keySet());
  }

  /**
   * Replaces the SecureKeys this responder accepts, for handshakes from now on (PROTOCOL.md §3.3): a
   * key rotation without a restart. Sessions made before keep working. A msg3 whose msg1 was
   * answered under a key id that is no longer there is refused; if a key id now names another key,
   * every handshake between msg1 and msg3 is refused (its token is dropped) and its client starts
   * over, so no session is ever made under a key that was replaced. Thread-safe; concurrent
   * handshakes see either the old or the new set, never a mix.
   *
   * @throws IllegalArgumentException no key, two keys with one key id, {@link SecureKey#none()}
   *     mixed with real keys, or a change between keyed and unauthenticated mode (another suite,
   *     PROTOCOL.md §8: a new responder, not a reload); the keys in use stay as they were
   */
  public synchronized void replaceKeys(Collection<SecureKey> newKeys) {
    Map<Integer, SecureKey> next = checkedKeys(newKeys, IllegalArgumentException::new);
    byte nextSuite = next.values().iterator().next().isNone() ? Handshake.SUITE_NN : Handshake.SUITE_PSK;
    if (nextSuite != suite) {
      throw new IllegalArgumentException(suite == Handshake.SUITE_PSK
          ? "the new keys would turn off authentication (SecureKey.none()); that needs a new module, not a key reload"
          : "this responder runs without a SecureKey (unauthenticated); adding keys needs a new module, not a key reload");
    }
    Map<Integer, SecureKey> previous = keys;
    boolean replaced = false;
    for (Map.Entry<Integer, SecureKey> e : next.entrySet()) {
      SecureKey old = previous.get(e.getKey());
      replaced |= old != null && old != e.getValue() && !MessageDigest.isEqual(old.psk(), e.getValue().psk());
    }
    keys = Map.copyOf(next);
    if (replaced) {
      tokens.dropKeys();   // tokens of handshakes begun under the replaced key now fail as EXPIRED
    }
  }

  /**
   * The keys by id, checked: at least one, distinct ids, {@link SecureKey#none()} alone or not at all.
   * {@code error} makes the exception (the builder throws IllegalStateException, a reload IllegalArgumentException).
   */
  private static Map<Integer, SecureKey> checkedKeys(Collection<SecureKey> given,
      java.util.function.Function<String, RuntimeException> error) {
    Map<Integer, SecureKey> byId = new TreeMap<>();
    for (SecureKey key : given) {
      Objects.requireNonNull(key, "key == null");
      if (byId.putIfAbsent(key.keyId(), key) != null) {
        throw new IllegalArgumentException("two SecureKeys share key id " + key.keyId()
            + "; give the new one another id with withKeyId(...)");
      }
    }
    if (byId.isEmpty()) {
      throw error.apply("add a SecureKey with secureKey(...), or SecureKey.none() to"
          + " opt in to unauthenticated encryption");
    }
    if (byId.size() > 1 && byId.values().stream().anyMatch(SecureKey::isNone)) {
      throw error.apply("SecureKey.none() cannot be combined with real SecureKeys"
          + " (that would allow a downgrade); configure one or the other");
    }
    return byId;
  }

  /** A builder for the module at {@code route} (the exact route string the clients use). */
  public static Builder builder(String route) {
    return new Builder(route);
  }

  /** The result of an accepted msg3: the session keys and msg4 to send back. */
  public record Accepted(SessionKeys sessionKeys, byte[] message4) {
    @Override
    public String toString() {
      return "Accepted[" + sessionKeys + "]";
    }
  }

  /**
   * PROTOCOL.md §6.6 (msg1) and §6.2: checks msg1 and returns msg2. Allocates nothing that outlives
   * the call; no X25519 unless msg1's tag verified (suite NNpsk0).
   *
   * @throws CryptoException if msg1 is rejected; answer it like any rejected handshake message
   */
  public byte[] answerMessage1(byte[] msg1) throws CryptoException {
    Objects.requireNonNull(msg1, "msg1 == null");
    while (true) {
      Map<Integer, SecureKey> used = keys;
      byte[] msg2 = answerMessage1(msg1, used);
      // A reload between reading the keys and sealing the token: its token might have escaped the
      // reload's dropKeys() under a key that is gone now. Answer again under the keys in force.
      if (keys == used) {
        return msg2;
      }
    }
  }

  private byte[] answerMessage1(byte[] msg1, Map<Integer, SecureKey> keys) throws CryptoException {
    // Steps 1–5: exact length and header, before any cryptography.
    if (msg1.length < Handshake.MSG1_HEADER || msg1[0] != Handshake.VERSION || msg1[1] != Handshake.MSG1) {
      throw rejected(Reason.MALFORMED);
    }
    if (msg1[2] != suite) {
      throw rejected(Reason.DOWNGRADE);
    }
    int a = msg1[5] & 0xff;
    int expectedLength = Handshake.MSG1_HEADER + KEY + (suite == Handshake.SUITE_PSK ? Handshake.TAG : 0);
    if (msg1.length != expectedLength || msg1[4] != 0
        || a < Handshake.MIN_CONTRIBUTION || a > Handshake.MAX_CONTRIBUTION) {
      throw rejected(Reason.MALFORMED);
    }
    int keyId = msg1[3] & 0xff;
    SecureKey key = keys.get(keyId);
    if (key == null) {
      throw rejected(Reason.UNKNOWN_KEY_ID);
    }
    // Step 6: msg1's tag (hashes and one AES-GCM, no DH).
    byte[] eC = Arrays.copyOfRange(msg1, 6, 6 + KEY);
    SymmetricState state = Handshake.newState(suite);
    byte[] ePrivate = null;
    byte[] dh = null;
    byte[] ck2 = null;
    byte[] h2 = null;
    try {
      byte[] prologue = Handshake.prologue(msg1[2], keyId, msg1[4], a, route);  // PROTOCOL.md §5, from msg1's own bytes
      state.mixHash(prologue);
      if (suite == Handshake.SUITE_PSK) {
        state.mixKeyAndHash(key.psk());
      }
      state.mixHash(eC);
      if (suite == Handshake.SUITE_PSK) {
        state.mixKey(eC);
      }
      try {
        state.decryptAndHash(Arrays.copyOfRange(msg1, 6 + KEY, msg1.length));
      } catch (AEADBadTagException e) {
        throw rejected(Reason.AUTHENTICATION);
      }
      // Step 7: msg2, PROTOCOL.md §6.2.
      ePrivate = new byte[KEY];
      random.nextBytes(ePrivate);
      byte[] eS = X25519.fromPrivate(ePrivate).publicKey();
      Handshake.mixServerEphemeral(state, suite, eS);
      dhOperations.increment();
      try {
        dh = X25519.agree(ePrivate, eC);
      } catch (InvalidKeyException e) {  // low-order or zero point
        throw rejected(Reason.AUTHENTICATION);
      }
      state.mixKey(dh);
      byte[] c2 = state.encryptAndHash(new byte[] {0});  // serverFlags
      ck2 = state.chainingKey();
      h2 = state.handshakeHash();
      byte[] token = tokens.seal(keyId, a, ck2, h2);
      byte[] msg2 = new byte[Handshake.MSG2_FIXED + token.length];
      msg2[0] = Handshake.VERSION;
      msg2[1] = Handshake.MSG2;
      System.arraycopy(eS, 0, msg2, 2, KEY);
      System.arraycopy(c2, 0, msg2, 34, c2.length);
      msg2[51] = (byte) (token.length >>> 8);
      msg2[52] = (byte) token.length;
      System.arraycopy(token, 0, msg2, Handshake.MSG2_FIXED, token.length);
      return msg2;
    } finally {
      state.destroy();
      zero(ePrivate, dh, ck2, h2);
    }
  }

  /**
   * PROTOCOL.md §6.6 (msg3), §6.5 and §7: opens the token, checks msg3 and returns the session keys
   * with msg4. The session id is the one the client chose (§7.1); a replayed msg3 carries the same
   * one: create a session only if that id is not live yet (PROTOCOL.md §6.6).
   *
   * @throws CryptoException if msg3 is rejected (EXPIRED: the token is too old; the client starts over)
   */
  public Accepted acceptMessage3(byte[] msg3) throws CryptoException {
    Objects.requireNonNull(msg3, "msg3 == null");
    int minimum = Handshake.MSG3_FIXED + TokenSealer.LENGTH + Handshake.MIN_CONTRIBUTION;
    if (msg3.length < minimum || msg3[0] != Handshake.VERSION || msg3[1] != Handshake.MSG3
        || ((msg3[2] & 0xff) << 8 | (msg3[3] & 0xff)) != TokenSealer.LENGTH) {
      throw rejected(Reason.MALFORMED);
    }
    TokenSealer.Contents token = tokens.open(msg3, 4);
    SecretKey k3 = null;
    SecretKey k4 = null;
    byte[] p3 = null;
    byte[] ck3 = null;
    byte[] s2 = null;
    byte[] p4 = null;
    byte[] ck4 = null;
    byte[] rejectKey = null;
    try {
      SecureKey key = keys.get(token.keyId());
      if (key == null) {
        throw rejected(Reason.UNKNOWN_KEY_ID);
      }
      int headerLength = 4 + TokenSealer.LENGTH;
      if (msg3.length != Handshake.MSG3_FIXED + TokenSealer.LENGTH + token.a()) {
        throw rejected(Reason.MALFORMED);
      }
      // PROTOCOL.md §6.4
      k3 = Handshake.msg3Key(token.ck2());
      byte[] ad = Handshake.concat(token.h2(), Arrays.copyOf(msg3, headerLength));
      p3 = Handshake.open(k3, new byte[12], ad, msg3, headerLength, msg3.length - headerLength);
      int b = p3[0] & 0xff;
      if (b < Handshake.MIN_CONTRIBUTION || b > Handshake.MAX_CONTRIBUTION) {
        throw rejected(Reason.MALFORMED);
      }
      byte[] sid = Arrays.copyOfRange(p3, 1, 1 + Handshake.SID);    // PROTOCOL.md §7.1
      byte[] h3 = Hkdf.sha256(token.h2(), msg3);
      ck3 = Hkdf.extract(token.ck2(), Arrays.copyOfRange(p3, 1 + Handshake.SID, p3.length));

      // PROTOCOL.md §6.5
      int sLength = Math.max(b, encryptionKey);
      s2 = new byte[sLength];
      random.nextBytes(s2);
      byte[] msg4 = new byte[Handshake.MSG4_FIXED + sLength];
      msg4[0] = Handshake.VERSION;
      msg4[1] = Handshake.MSG4;
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      System.arraycopy(nonce, 0, msg4, 2, 12);
      rejectKey = instance.sessionRejectKey(sid);
      byte[] instanceId = instance.id();
      p4 = Handshake.concat(new byte[] {(byte) sLength}, s2, sid, instanceId, rejectKey);
      k4 = Handshake.msg4Key(ck3);
      byte[] c4 = Handshake.seal(k4, nonce, Handshake.concat(h3, Arrays.copyOf(msg4, 14)), p4);
      System.arraycopy(c4, 0, msg4, 14, c4.length);

      // PROTOCOL.md §7.2
      byte[] h4 = Hkdf.sha256(h3, msg4);
      ck4 = Hkdf.extract(ck3, s2);
      return new Accepted(Handshake.sessionKeys(sid, ck4, h4, rejectKey, instanceId), msg4);
    } finally {
      zero(token.ck2(), token.h2(), p3, ck3, s2, p4, ck4, rejectKey);
      if (k3 != null) {
        Handshake.destroy(k3);
      }
      if (k4 != null) {
        Handshake.destroy(k4);
      }
    }
  }

  /** The number of X25519 agreements performed so far (for tests: a rejected msg1 performs none). */
  long dhOperations() {
    return dhOperations.sum();
  }

  /** Shows the key ids, never a key. */
  @Override
  public String toString() {
    return "HandshakeResponder[keyIds=" + new TreeMap<>(keys).keySet() + "]";
  }

  /**
   * Configures a {@link HandshakeResponder}; validates at {@link #build()}.
   */
  public static final class Builder {
    private final byte[] route;
    private final Map<Integer, SecureKey> keys = new TreeMap<>();
    private int encryptionKey = Handshake.DEFAULT_CONTRIBUTION;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;
    private ServerInstance instance;
    private Duration tokenTtl = Duration.ofMillis(TokenSealer.TTL_MILLIS);

    private Builder(String route) {
      this.route = Handshake.routeBytes(route);
    }

    /**
     * Adds a SecureKey the module accepts; add several with distinct key ids to rotate keys, or
     * exactly one {@link SecureKey#none()} for unauthenticated encryption (PROTOCOL.md §8).
     *
     * @throws IllegalArgumentException if another key already has this key id
     */
    public Builder secureKey(SecureKey key) {
      Objects.requireNonNull(key, "key == null");
      SecureKey previous = keys.putIfAbsent(key.keyId(), key);
      if (previous != null) {
        throw new IllegalArgumentException("two SecureKeys share key id " + key.keyId()
            + "; give the new one another id with withKeyId(...)");
      }
      return this;
    }

    /** The server's EncryptionKey: the minimum length of its contribution S2, 16 to 64 (default 32). */
    public Builder encryptionKey(int bytes) {
      this.encryptionKey = Handshake.checkContribution(bytes, "encryptionKey");
      return this;
    }

    /** The clock for token generations and expiry (default: the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The random source (default: a new {@link SecureRandom}). */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random == null");
      return this;
    }

    /**
     * The server instance that owns the sessions (PROTOCOL.md §6.5, §13): give the one whose
     * {@link ServerInstance#reject} answers frames for sessions this module does not hold. Default:
     * a new random instance (then fetch it with {@link HandshakeResponder#instance()}).
     */
    public Builder instance(ServerInstance instance) {
      this.instance = Objects.requireNonNull(instance, "instance == null");
      return this;
    }

    /** TEST HOOK: another token TTL than PROTOCOL.md §6.3's 30 seconds. */
    Builder tokenTtl(Duration ttl) {
      this.tokenTtl = Objects.requireNonNull(ttl, "ttl == null");
      return this;
    }

    /**
     * @throws IllegalStateException if no SecureKey was added, or {@link SecureKey#none()} was mixed
     *     with real keys
     */
    public HandshakeResponder build() {
      checkedKeys(keys.values(), IllegalStateException::new);
      if (random == null) {
        random = new SecureRandom();
      }
      if (instance == null) {
        instance = ServerInstance.random();
      }
      return new HandshakeResponder(this);
    }
  }
}
