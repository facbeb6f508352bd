// SecureKey text (PROTOCOL.md §3.1) and the settings a client refuses at once, with messages that
// say what to change and never show the key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ParleyClient, SecureKey } from "../../dist/parley.min.js";

const HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const B64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

test("surrounding spaces, tabs and line breaks are removed before a key is read", async () => {
  const a = await SecureKey.parse(HEX);
  const b = await SecureKey.parse(` \t${HEX.toUpperCase()}\r\n`);
  assert.equal(String(a), String(b));
});

test("base64 is read with or without padding, in either alphabet", async () => {
  for (const text of [B64, B64.replace(/=$/, ""), "-_" + "A".repeat(42)]) await SecureKey.parse(text);
});

test("keys shorter than 32 bytes or longer than 1024 are refused and the message shows neither key", async () => {
  const short = "ab".repeat(31);
  assert.throws(() => SecureKey.parse(short), (e) => e instanceof RangeError && /32 to 1024 bytes, this one is 31/.test(e.message) && !e.message.includes(short));
  assert.throws(() => SecureKey.parse("ab".repeat(1025)), RangeError);
  assert.throws(() => SecureKey.parse("   "), /empty/);
});

test("mixed base64 alphabets, wrong padding and other characters are refused", () => {
  assert.throws(() => SecureKey.parse("+_" + "A".repeat(42)), /mixes the standard/);
  assert.throws(() => SecureKey.parse(B64 + "=="), /neither hex nor base64/);
  assert.throws(() => SecureKey.parse("A".repeat(43) + "!"), /neither hex nor base64/);
});

test("a key id outside 0..255 is refused", () => {
  assert.throws(() => SecureKey.parse(HEX, 256), /0\.\.255/);
});

test("a SecureKey shows only its key id in toString and JSON", async () => {
  const key = await SecureKey.parse(HEX, 7);
  assert.equal(String(key), "SecureKey[keyId=7]");
  assert.equal(JSON.stringify({ key }), '{"key":"SecureKey[keyId=7]"}');
});

test("a client refuses settings that do not fit together, at construction", async () => {
  const url = "https://api.example.com/calc";
  assert.throws(() => new ParleyClient("ftp://x/calc"), /http:\/\/ or https:\/\//);
  assert.throws(() => new ParleyClient("https://user:pw@x/calc"), /user info/);
  assert.throws(() => new ParleyClient(`${url}?x=1`), /query or fragment/);
  assert.throws(() => new ParleyClient(url, { secureKey: "short" }), TypeError);
  assert.throws(() => new ParleyClient(url, { encryptionKey: 8 }), /0 or 16\.\.64/);
  assert.throws(() => new ParleyClient(url, { encryptionKey: 32 }), /allowUnauthenticated/);
  assert.throws(() => new ParleyClient(url, { forceEncryption: true }), /forceEncryption needs encryptionKey/);
  assert.throws(() => new ParleyClient(url, { secureKey: HEX, forceEncryption: false }), /needs encryption/);
  assert.throws(() => new ParleyClient(url, { secureKeyId: 1 }), /needs a secureKey/);
  assert.throws(() => new ParleyClient(url, { timeoutMs: -1 }), /timeoutMs/);
  await assert.rejects(new ParleyClient(url).call(""), /non-empty string/);
});
