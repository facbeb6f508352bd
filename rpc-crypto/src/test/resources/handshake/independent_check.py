# Independent re-implementation of docs/PROTOCOL.md §3-§7 in Python with pyca/cryptography (OpenSSL
# primitives), written from the document; checks the vectors of Appendix A.1, A.2 and A.3.
# Run: python3 rpc-crypto/src/test/resources/handshake/independent_check.py  (needs pyca cryptography >= 44 for Argon2id)
import re, hmac, hashlib, struct, base64, sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
import pathlib
doc=(pathlib.Path(__file__).resolve().parents[5]/'docs'/'PROTOCOL.md').read_text()
def vec(name):
    m=re.search(r"# vector: "+re.escape(name)+r"\n(.*?)```",doc,re.S)
    d={}
    for l in m.group(1).splitlines():
        if '=' in l and not l.strip().startswith('#'):
            k,v=l.split('=',1); d[k.strip()]=v.strip()
    return d
H=lambda *a: hashlib.sha256(b"".join(a)).digest()
HM=lambda k,*a: hmac.new(k,b"".join(a),hashlib.sha256).digest()
def expand(prk,info,L):
    out=b"";t=b"";i=1
    while len(out)<L: t=HM(prk,t,info,bytes([i])); out+=t; i+=1
    return out[:L]
def pub(priv): return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes_raw()
def dh(priv,p): return X25519PrivateKey.from_private_bytes(priv).exchange(X25519PublicKey.from_public_bytes(p))
def seal(k,n,ad,p): return AESGCM(k).encrypt(n,p,ad)
for name in ["handshake-psk","handshake-nn"]:
    v=vec(name); x=lambda k: bytes.fromhex(v[k]); got={}
    psk_mode = v["secureKey"]!="none"
    suite=1 if psk_mode else 2; keyId=int(v["keyId"]) if psk_mode else 0
    A=int(v["A"]); B=int(v["B"]); now=int(v["now"]); route=v["route"].encode()
    prk=HM(b"parley v1 securekey", x("secureKey") if psk_mode else b"")
    psk=expand(prk,b"parley v1 psk",32)
    nm=(b"Noise_NNpsk0_25519_AESGCM_SHA256" if psk_mode else b"Noise_NN_25519_AESGCM_SHA256")
    st={"h":nm.ljust(32,b"\0"),"k":None,"n":0}; st["ck"]=st["h"]
    def mixhash(d): st["h"]=H(st["h"],d)
    def mixkey(i):
        t=HM(st["ck"],i); st["ck"]=HM(t,b"\x01"); st["k"]=HM(t,st["ck"],b"\x02"); st["n"]=0
    def mixkeyandhash(i):
        t=HM(st["ck"],i); st["ck"]=HM(t,b"\x01"); t2=HM(t,st["ck"],b"\x02"); k3=HM(t,t2,b"\x03"); mixhash(t2); st["k"]=k3; st["n"]=0
    def enc(p):
        c=p
        if st["k"] is not None: c=seal(st["k"],b"\0"*4+struct.pack(">Q",st["n"]),st["h"],p); st["n"]+=1
        mixhash(c); return c
    prologue=bytes([1,suite,keyId,0,A])+struct.pack(">H",len(route))+route
    mixhash(prologue)
    eC=pub(x("eC.priv"))
    if psk_mode: mixkeyandhash(psk)
    mixhash(eC)
    if psk_mode: mixkey(eC)
    tag=enc(b"")
    got["msg1"]=bytes([1,1,suite,keyId,0,A])+eC+tag
    eS=pub(x("eS.priv")); mixhash(eS)
    if psk_mode: mixkey(eS)
    mixkey(dh(x("eS.priv"),eC)); c2=enc(b"\0"); ck2,h2=st["ck"],st["h"]
    gen=now//300000; hdr=struct.pack(">I",gen)+x("tokenNonce")
    tp=struct.pack(">Q",now+30000)+bytes([keyId,A])+ck2+h2
    token=hdr+seal(x("tokenKey"),x("tokenNonce"),hdr,tp)
    got["msg2"]=b"\x01\x02"+eS+c2+struct.pack(">H",len(token))+token
    k3=expand(ck2,b"parley v1 msg3 key",32)
    m3h=b"\x01\x03"+struct.pack(">H",len(token))+token
    sid=x("sid")  # §7.1: chosen by the client
    msg3=m3h+seal(k3,b"\0"*12,h2+m3h,bytes([B])+sid+x("C2")); got["msg3"]=msg3
    h3=H(h2,msg3); ck3=HM(ck2,x("C2"))
    Ls=max(B,int(v["serverEncryptionKey"])); k4=expand(ck3,b"parley v1 msg4 key",32)
    rk=expand(x("instanceSecret"),b"parley v1 session reject key"+sid,32); got["sessionRejectKey"]=rk
    m4h=b"\x01\x04"+x("n4"); msg4=m4h+seal(k4,x("n4"),h3+m4h,bytes([Ls])+x("S2")+sid+x("instanceId")+rk); got["msg4"]=msg4
    h4=H(h3,msg4); ck4=HM(ck3,x("S2"))
    for lab,L,key in [(b"c2s key",32,"c2sKey"),(b"c2s iv",12,"c2sIv"),(b"s2c key",32,"s2cKey"),(b"s2c iv",12,"s2cIv")]:
        got[key]=expand(ck4,b"parley v1 "+lab+h4,L)
    got["sidText"]=base64.urlsafe_b64encode(sid).rstrip(b"=")
    bad=0
    for k,val in got.items():
        exp=v[k]; mine=val.decode() if k=="sidText" else val.hex()
        if exp!=mine: print(name,k,"MISMATCH\n doc ",exp,"\n mine",mine); bad+=1
    print(name, "OK" if not bad else f"{bad} mismatches", len(got), "values")
# Appendix A.3: SecureKey derivations (§3.1, §3.2)
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
v=vec("securekey-base64"); prk=HM(b"parley v1 securekey", base64.b64decode(v["text"]))
ok = expand(prk,b"parley v1 psk",32).hex()==v["psk"]
print("securekey-base64", "OK" if ok else "MISMATCH")
for name,m,t in [("securekey-password",65536,3),("securekey-password-test-cost",64,1)]:
    v=vec(name)
    prk=Argon2id(salt=bytes.fromhex(v["salt"]),length=32,iterations=t,lanes=4,memory_cost=m).derive(v["password"].encode())
    ok = prk.hex()==v["prk"] and expand(prk,b"parley v1 psk",32).hex()==v["psk"]
    print(name, "OK" if ok else "MISMATCH")
