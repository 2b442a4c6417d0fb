#!/usr/bin/env python3
"""cms_parts.py — the parts of a PDF's (last) CMS signature that a PAdES B-T
check needs, read with a minimal DER walker, for the signing tests:

  cms_parts.py PDF sigval OUT    the SignerInfo's signature value
  cms_parts.py PDF token OUT     the timestamp token (unsigned attribute)
  cms_parts.py PDF offset        where the token's DER starts in the file's
                                 /Contents hex, as "HEXOFFSET DERLENGTH"
  cms_parts.py PDF flip-time     flips the last digit of the token's genTime
                                 in place (the token stays well-formed DER)
  cms_parts.py PDF put-token SRC copies SRC's token into PDF (same length)
"""
import re, sys

def tlv(b, i):
    tag, n = b[i], b[i + 1]
    j = i + 2
    if n & 0x80:
        k = n & 0x7f
        n = int.from_bytes(b[j:j + k], "big")
        j += k
    return tag, j, j + n            # tag, content start, content end

def kids(b, s, e):
    out = []
    while s < e:
        t, cs, ce = tlv(b, s)
        out.append((t, s, cs, ce))
        s = ce
    return out

def contents(path):
    d = open(path, "rb").read()
    m = list(re.finditer(rb"/Contents <([0-9A-Fa-f]+)>", d))[-1]
    return d, m.start(1), bytes.fromhex(m.group(1).decode())

def signer_info(der):
    _, cs, ce = tlv(der, 0)                       # ContentInfo
    ctx = kids(der, cs, ce)[1]                    # [0] content
    _, sd_s, sd_e = tlv(der, ctx[2])              # SignedData
    sis = kids(der, sd_s, sd_e)[-1]               # signerInfos SET
    si = kids(der, sis[2], sis[3])[-1]            # the last SignerInfo
    return kids(der, si[2], si[3])

def parts(der):
    f = signer_info(der)
    sig = next(x for x in f if x[0] == 0x04)
    unsigned = next(x for x in f if x[0] == 0xA1)
    attr = kids(der, unsigned[2], unsigned[3])[0]             # Attribute SEQUENCE
    oid, vals = kids(der, attr[2], attr[3])
    tok = kids(der, vals[2], vals[3])[0]
    return der[sig[2]:sig[3]], tok[1], tok[3]                 # sigval, token start, end

pdf, what = sys.argv[1], sys.argv[2]
d, hexat, der = contents(pdf)
sigval, ts, te = parts(der)
if what == "sigval": open(sys.argv[3], "wb").write(sigval)
elif what == "token": open(sys.argv[3], "wb").write(der[ts:te])
elif what == "offset": print(hexat + 2 * ts, te - ts)
elif what == "flip-time":
    i = der.index(b"\x18\x0f", ts)                            # the TSTInfo's GeneralizedTime
    digit = i + 2 + 13
    der = der[:digit] + bytes([0x30 + (der[digit] - 0x30 + 1) % 10]) + der[digit + 1:]
    h = der.hex().upper().encode()
    open(pdf, "wb").write(d[:hexat] + h + d[hexat + len(h):])
elif what == "put-token":
    s_d, s_hexat, s_der = contents(sys.argv[3])
    _, s_ts, s_te = parts(s_der)
    if s_te - s_ts != te - ts: sys.exit("tokens of different lengths")
    der = der[:ts] + s_der[s_ts:s_te] + der[te:]
    h = der.hex().upper().encode()
    open(pdf, "wb").write(d[:hexat] + h + d[hexat + len(h):])
