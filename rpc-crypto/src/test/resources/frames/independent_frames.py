#!/usr/bin/env python3
"""An independent implementation of docs/PROTOCOL.md §10-§13 (data frames, the reject), written
from the document's text alone, not from the Java code. It computes the vectors of Appendix A.4 from
the session keys of A.1, and the request plaintext with a metadata block of A.5 (§15.4), and
compares every value with the document. Needs pyca/cryptography (AES-GCM); run:  python3 rpc-crypto/src/test/resources/frames/independent_frames.py"""
import hashlib, hmac, pathlib, re, struct
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

doc = (pathlib.Path(__file__).resolve().parents[5] / "docs" / "PROTOCOL.md").read_text()
def vec(name):
    m = re.search(r"# vector: " + re.escape(name) + r"\n(.*?)```", doc, re.S)
    return {k.strip(): v.strip() for k, v in (l.split("=", 1) for l in m.group(1).splitlines()
            if "=" in l and not l.strip().startswith("#"))}
A1 = vec("handshake-psk")
H = bytes.fromhex
sid, c2sKey, c2sIv = H(A1["sid"]), H(A1["c2sKey"]), H(A1["c2sIv"])
s2cKey, s2cIv = H(A1["s2cKey"]), H(A1["s2cIv"])
instanceId, instanceSecret = H(A1["instanceId"]), H(A1["instanceSecret"])

def expand(prk, info, L):
    out, t, i = b"", b"", 1
    while len(out) < L:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t; i += 1
    return out[:L]
def u16(x): return struct.pack(">H", x)
def header(t, epoch, ctr, reqCtr=None):
    h = bytes([t]) + struct.pack(">I", epoch) + sid + struct.pack(">Q", ctr)
    return h + (struct.pack(">Q", reqCtr) if reqCtr is not None else b"")
def ad(hdr, m, r, status=None):
    m, r = m.encode(), r.encode()
    return hdr + u16(len(m)) + m + u16(len(r)) + r + (u16(status) if status is not None else b"")
def nonce(iv, ctr, i, last):
    x = struct.pack(">QI", ctr, i + (2**31 if last else 0))
    return bytes(a ^ b for a, b in zip(iv, x))
def seal(key, iv, ctr, a, P):
    n = max(1, -(-len(P) // 65536))
    out, nonces = b"", []
    for i in range(n):
        nn = nonce(iv, ctr, i, i == n - 1); nonces.append(nn)
        out += AESGCM(key).encrypt(nn, P[i*65536:(i+1)*65536], a)
    return out, nonces

bad = 0
def check(name, got):
    global bad
    v = vec(name)
    for k, val in got.items():
        mine = val if isinstance(val, str) else (str(val) if isinstance(val, int) else val.hex())
        if v.get(k) != mine:
            print(name, k, "MISMATCH\n doc ", v.get(k), "\n mine", mine); bad += 1
    print(name, "checked", len(got), "values")

M, R = "POST", "/calc"
req = H(vec("frame-request")["plaintext"])
h1 = header(0x05, 0, 0); a1 = ad(h1, M, R)
b1, n1 = seal(c2sKey, c2sIv, 0, a1, req); f1 = h1 + b1
check("frame-request", {"header": h1, "ad": a1, "nonce0": n1[0], "frame": f1})
resp = H(vec("frame-response")["plaintext"])
h2 = header(0x06, 0, 0, 0); a2 = ad(h2, M, R, 200)
b2, n2 = seal(s2cKey, s2cIv, 0, a2, resp)
check("frame-response", {"header": h2, "ad": a2, "nonce0": n2[0], "frame": h2 + b2})
# §13.1: the reject of frame-request by the instance of A.1
tag = f1[-16:]
prefix = bytes([0x07]) + sid + struct.pack(">Q", 0) + instanceId
rk = expand(instanceSecret, b"parley v1 session reject key" + sid, 32)
mac = hmac.new(rk, b"parley v1 reject" + prefix + u16(len(R)) + R.encode() + tag, hashlib.sha256).digest()
check("frame-reject", {"requestTag": tag, "prefix": prefix, "mac": mac, "reject": prefix + mac})
big = bytes(i % 251 for i in range(65537))
h4 = header(0x05, 0, 1); a4 = ad(h4, M, R)
b4, n4 = seal(c2sKey, c2sIv, 1, a4, big); f4 = h4 + b4
check("frame-request-two-chunks", {"plaintextSha256": hashlib.sha256(big).hexdigest(), "header": h4,
      "nonce0": n4[0], "nonce1": n4[1], "frameLength": len(f4), "chunk0Tag": f4[29 + 65536:29 + 65552],
      "chunk1": f4[29 + 65552:], "frameSha256": hashlib.sha256(f4).hexdigest()})
k1 = expand(c2sKey, b"parley v1 epoch key", 32)
h5 = header(0x05, 1, 2); a5 = ad(h5, M, R)
b5, n5 = seal(k1, c2sIv, 2, a5, b"")
check("frame-request-epoch1-empty", {"K1": k1, "header": h5, "ad": a5, "nonce0": n5[0], "frame": h5 + b5})
# §15.4: flags 0x02, u16 metaLength, entries u8 key ‖ u8 length ‖ value (keys ascending), the JSON as it is
m = vec("plaintext-request-metadata")
tp, ts = m["traceparent"].encode("ascii"), m["tracestate"].encode("ascii")
meta = (bytes([0x01, 4]) + struct.pack(">I", int(m["timeoutMillis"])) + bytes([0x02, len(tp)]) + tp
        + bytes([0x03, len(ts)]) + ts)
check("plaintext-request-metadata", {"metaLength": len(meta), "meta": meta,
      "plaintext": bytes([0x02]) + u16(len(meta)) + meta + H(m["json"])})
print("A.4, A.5", "OK" if not bad else f"{bad} mismatches")
