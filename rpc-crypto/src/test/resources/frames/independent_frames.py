#!/usr/bin/env python3
"""An independent implementation of docs/PROTOCOL.md §10-§13 (data frames, the reject), written
from the document's text alone, not from the Java code. It prints the vectors of Appendix A.4; they
must equal the document's and FrameGoldenVectorsTest's. Needs pyca/cryptography (AES-GCM); run:
    python3 rpc-crypto/src/test/resources/frames/independent_frames.py"""
import hashlib, hmac, struct, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

H = bytes.fromhex
sid = H("1c8fa0c74c2b29544901e27cdfe2724b")
c2sKey = H("39b2d6d68085aefc7fbac588dad1bec1857b21395c45ebd7f927215e1a1ead92")
c2sIv = H("56c770316047391ba995c88d")
s2cKey = H("bc8582d45a637e0de164b0ba4af77e9a92a64100f7c96028fbfbb7fa72ec16de")
s2cIv = H("f3d1cb1e252742ce31e49d81")
rejectKey = H("0d6f7823d2a70124643dd4802fd7ae98b26d7e553ec15327fa62639effaf6ee9")

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
    w = i + (2**31 if last else 0)
    x = struct.pack(">QI", ctr, w)
    return bytes(a ^ b for a, b in zip(iv, x))
def seal(key, iv, ctr, a, P):
    n = max(1, -(-len(P) // 65536))
    out, nonces = b"", []
    for i in range(n):
        nn = nonce(iv, ctr, i, i == n - 1); nonces.append(nn)
        out += AESGCM(key).encrypt(nn, P[i*65536:(i+1)*65536], a)
    return out, nonces

def show(name, inputs, outputs):
    print("```text")
    print("# vector: " + name)
    print("# inputs")
    for k, v in inputs: print(f"# {v}" if k == "#" else f"{k} = {v}")
    print("# outputs")
    for k, v in outputs: print(f"# {v}" if k == "#" else f"{k} = {v}")
    print("```")
    print()

M, R = "POST", "/calc"
# A.3.1 request
req = b'{"jsonrpc":"2.0","method":"add","params":{"a":1,"b":2},"id":1}'
h1 = header(0x05, 0, 0); a1 = ad(h1, M, R)
b1, n1 = seal(c2sKey, c2sIv, 0, a1, req); f1 = h1 + b1
show("frame-request", [("key", "c2sKey"), ("iv", "c2sIv"), ("epoch", 0), ("ctr", 0), ("method", M), ("route", R),
     ("plaintext", req.hex()), ("#", "plaintext is the ASCII text " + req.decode())],
     [("header", h1.hex()), ("ad", a1.hex()), ("nonce0", n1[0].hex()), ("frame", f1.hex())])
# A.3.2 response
resp = b'{"jsonrpc":"2.0","result":3,"id":1}'
h2 = header(0x06, 0, 0, 0); a2 = ad(h2, M, R, 200)
b2, n2 = seal(s2cKey, s2cIv, 0, a2, resp); f2 = h2 + b2
show("frame-response", [("key", "s2cKey"), ("iv", "s2cIv"), ("epoch", 0), ("ctr", 0), ("reqCtr", 0), ("method", M),
     ("route", R), ("status", 200), ("plaintext", resp.hex()), ("#", "plaintext is the ASCII text " + resp.decode())],
     [("header", h2.hex()), ("ad", a2.hex()), ("nonce0", n2[0].hex()), ("frame", f2.hex())])
# A.3.3 reject of A.3.1
tag = f1[-16:]
prefix = bytes([0x07]) + sid + struct.pack(">Q", 0) + bytes([1])
mac = hmac.new(rejectKey, b"parley v1 reject" + prefix + tag, hashlib.sha256).digest()
show("frame-reject", [("#", "the reject of frame-request (ctr 0); requestTag = its last 16 bytes"), ("requestTag", tag.hex()), ("n", 1)],
     [("prefix", prefix.hex()), ("mac1", mac.hex()), ("reject", (prefix + mac).hex())])
# A.3.4 two chunks
big = bytes(i % 251 for i in range(65537))
h4 = header(0x05, 0, 1); a4 = ad(h4, M, R)
b4, n4 = seal(c2sKey, c2sIv, 1, a4, big); f4 = h4 + b4
show("frame-request-two-chunks", [("key", "c2sKey"), ("iv", "c2sIv"), ("epoch", 0), ("ctr", 1), ("method", M), ("route", R),
     ("#", "plaintext is 65537 bytes, byte j = j mod 251 (j = 0 .. 65536)"), ("plaintextLength", 65537), ("plaintextSha256", hashlib.sha256(big).hexdigest())],
     [("header", h4.hex()), ("nonce0", n4[0].hex()), ("nonce1", n4[1].hex()), ("frameLength", len(f4)),
      ("chunk0Tag", f4[29 + 65536:29 + 65552].hex()), ("chunk1", f4[29 + 65552:].hex()),
      ("frameSha256", hashlib.sha256(f4).hexdigest())])
# A.3.5 epoch 1, empty body
k1 = expand(c2sKey, b"parley v1 epoch key", 32)
h5 = header(0x05, 1, 2); a5 = ad(h5, M, R)
b5, n5 = seal(k1, c2sIv, 2, a5, b""); f5 = h5 + b5
show("frame-request-epoch1-empty", [("#", "K1 = Expand(c2sKey, \"parley v1 epoch key\", 32)"), ("key", "K1"), ("iv", "c2sIv"),
     ("epoch", 1), ("ctr", 2), ("method", M), ("route", R), ("plaintextLength", 0)],
     [("K1", k1.hex()), ("header", h5.hex()), ("ad", a5.hex()), ("nonce0", n5[0].hex()), ("frame", f5.hex())])
