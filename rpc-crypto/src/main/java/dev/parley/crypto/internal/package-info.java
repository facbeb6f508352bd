/**
 * Building blocks of Parley's secure channel: AES-256-GCM, X25519, HMAC/HKDF-SHA256, the Noise
 * symmetric state and the RFC 6479 replay window.
 *
 * <p><b>Internal:</b> anything in this package can be changed or removed at any time; it is public
 * only so that the protocol classes in {@code dev.parley.crypto} can use it. Application code uses
 * the public API in {@code dev.parley.crypto}.
 *
 * <p>Provider choice, by measurement (docs/BENCHMARKS.md): the JDK's SunJCE provider for AES-GCM,
 * SHA-256 and HMAC-SHA256 (hardware AES/CLMUL intrinsics; Bouncy Castle's pure-Java GCM measured
 * 3.5× slower at 64 B and 20–45× slower from 1 KiB up) and Bouncy Castle's lightweight RFC 7748
 * code for X25519 (the JDK's XDH measured 1.6–2.5× slower for agreement and 3–10× for key
 * generation). Bouncy Castle is used directly, never registered as a JCA provider. Hand AES-GCM
 * at most 64 KiB per call: a single 1 MiB {@code doFinal} on JDK 17 ran 15–75× slower than the same
 * data as 64 KiB records.
 *
 * <pre>{@code
 * SecretKey k = AesGcm.key(key32);
 * int n = AesGcm.seal(k, nonce12, ad, buf, 0, len, buf, 0);   // in place, n = len + 16
 * }</pre>
 */
package dev.parley.crypto.internal;
