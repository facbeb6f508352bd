/**
 * Building blocks of Parley's secure channel: AES-256-GCM, X25519, HMAC/HKDF-SHA256, the Noise
 * symmetric state and the RFC 6479 replay window.
 *
 * <p><b>Internal:</b> anything in this package can be changed or removed at any time; it is public
 * only so that the protocol classes in {@code dev.parley.crypto} can use it. Application code uses
 * the public API in {@code dev.parley.crypto}.
 *
 * <p>Provider choice (measured, see docs/BENCHMARKS.md): the JDK's SunJCE provider for AES-GCM,
 * SHA-256 and HMAC-SHA256 (hardware AES/CLMUL intrinsics; Bouncy Castle's pure-Java AEAD is
 * 20–40× slower) and Bouncy Castle's lightweight RFC 7748 code for X25519 (faster than the JDK's
 * XDH for both key generation and agreement). Bouncy Castle is used directly, never registered as
 * a JCA provider.
 *
 * <pre>{@code
 * SecretKey k = AesGcm.key(key32);
 * int n = AesGcm.seal(k, nonce12, ad, buf, 0, len, buf, 0);   // in place, n = len + 16
 * }</pre>
 */
package dev.parley.crypto.internal;
