// Internals for this package's own tests (the golden vectors need fixed randomness and the
// server's half of the computations). Built to dist/testing.js; not part of the package's exports.
export * as bytes from "./bytes.js";
export * as primitives from "./primitives.js";
export { ClientHandshake, Prologue, SymmetricState } from "./handshake.js";
export type { HandshakeFixture, SessionKeys } from "./handshake.js";
export { SecureChannel, associatedData, frameHeader, nonce, sealChunks } from "./channel.js";
export { SecureKey, decodeSecureKey, psk } from "./securekey.js";
export { jsonOf, sealedPlaintext } from "./compression.js";
