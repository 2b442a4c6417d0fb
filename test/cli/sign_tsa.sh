#!/bin/sh
# CLI tests of PAdES B-T (issue 17): `chiso sign --tsa-url` asks a test
# time-stamping authority (test/cli/lib/tsa.sh: `openssl ts -reply` behind
# a python3 HTTP server on 127.0.0.1) for an RFC 3161 timestamp over the
# signature value and adds it as the unsigned attribute
# signature-time-stamp; `chiso verify` checks the token and prints
# "Dấu thời gian: … (TSA …)". Poppler's pdfsig (22.12 does not read
# timestamps) still finds the signature valid, and the token it dumps
# verifies with `openssl ts -verify` over the signature value at the same
# time Chiso prints. Bad input: a flipped byte in the token, a token of
# another signature, an expired TSA certificate, and TSAs that answer 500,
# garbage, nothing, too much, another imprint, too late or not at all.
set -u
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
CHISO=${CHISO:-build/chiso}
maker=$(dirname "$CHISO")/test/test_doc
lib=$(dirname "$0")/lib
tmp=$(mktemp -d)
TSA_PID=
trap 'tsa_stop; rm -rf "$tmp"' EXIT
unset CHISO_DB CHISO_TSA_URL CHISO_PKCS11_CHAIN
. "$lib/pki.sh"
. "$lib/tsa.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

if [ ! -x "$maker" ]; then notok tsa-fixture "$maker is not built (make test builds it)"; exit 1; fi
ids=$("$maker" --make-fixture "$tmp/doc.db") || { notok tsa-fixture "$ids"; exit 1; }
A=$(printf '%s' "$ids" | sed -n 's/.*assessment=\([0-9]*\).*/\1/p')
"$CHISO" doc plan --assessment "$A" --format pdf --db "$tmp/doc.db" --out "$tmp/plan.pdf" --no-record >/dev/null 2>&1 ||
	{ notok tsa-fixture "chiso doc plan failed"; exit 1; }
pki_make "$tmp" || { notok tsa-pki "openssl could not make the test PKI"; exit 1; }
tsa_start "$tmp" || { notok tsa-server "the test TSA did not start"; exit 1; }
ok tsa-fixture
export CHISO_P12_PASSWORD=test

# sign_bt KEY MODE OUT: chiso sign with the TSA answering as MODE
sign_bt() { "$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/$1.p12" --tsa-url "$TSA_URL/$2" --out "$3"; }

# ---- B-T: the timestamp is there and checks ------------------------------------
out=$(sign_bt good good "$tmp/bt.pdf" 2>&1); rc=$?
[ "$rc" -eq 0 ] && [ -s "$tmp/bt.pdf" ] && ok bt-signed || notok bt-signed "status $rc: $out"
v=$("$CHISO" verify "$tmp/bt.pdf" --ca "$tmp/ca.pem" 2>&1); rc=$?
case "$rc:$v" in 0:*"Dấu thời gian: "*" (TSA Chiso Test TSA)"*"(valid)") ok bt-verifies ;; *) notok bt-verifies "status $rc" "$v" ;; esac
mine=$(printf '%s\n' "$v" | sed -n 's/^  Dấu thời gian: \([0-9TZ:-]*\) .*/\1/p')
if pdfsig "$tmp/bt.pdf" | grep -q "Signature Validation: Signature is Valid"; then ok bt-pdfsig-valid
else notok bt-pdfsig-valid "$(pdfsig "$tmp/bt.pdf")"; fi
# what pdfsig dumps, checked by openssl ts: the token is over the signature value, at Chiso's time
(cd "$tmp" && pdfsig -dump bt.pdf >/dev/null 2>&1)
python3 - "$tmp/bt.pdf.sig0" "$tmp/bt.p7s" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
n = (d[2] << 8 | d[3]) + 4 if d[1] == 0x82 else d[1] + 2
open(sys.argv[2], "wb").write(d[:n])
PY
printf '%%PDF-x\n/Contents <%s>\n' "$(od -An -v -tx1 "$tmp/bt.p7s" | tr -d ' \n')" >"$tmp/dumped.pdf"
python3 "$lib/cms_parts.py" "$tmp/dumped.pdf" sigval "$tmp/sigval.bin" &&
	python3 "$lib/cms_parts.py" "$tmp/dumped.pdf" token "$tmp/token.der"
ts_ok=$(openssl ts -verify -data "$tmp/sigval.bin" -in "$tmp/token.der" -token_in -CAfile "$tmp/ca.pem" 2>&1)
case "$ts_ok" in *"Verification: OK"*) ok bt-openssl-ts-verifies ;; *) notok bt-openssl-ts-verifies "$ts_ok" ;; esac
theirs=$(openssl ts -reply -in "$tmp/token.der" -token_in -text 2>/dev/null | sed -n 's/^Time stamp: //p')
theirs_iso=$(python3 -c 'import sys, datetime
print(datetime.datetime.strptime(" ".join(sys.argv[1].split()), "%b %d %H:%M:%S %Y GMT").strftime("%Y-%m-%dT%H:%M:%SZ"))' "$theirs" 2>/dev/null)
[ -n "$mine" ] && [ "$mine" = "$theirs_iso" ] && ok bt-time-agrees || notok bt-time-agrees "chiso: $mine, openssl: $theirs"
# the signing time pdfsig reads is the CMS's, within seconds of the TSA's
sig_time=$(pdfsig "$tmp/bt.pdf" | sed -n 's/^  - Signing Time: //p')
if python3 -c 'import sys, datetime
a = datetime.datetime.strptime(sys.argv[1], "%b %d %Y %H:%M:%S"); b = datetime.datetime.strptime(sys.argv[2], "%Y-%m-%dT%H:%M:%SZ")
sys.exit(0 if abs((a - b).total_seconds()) <= 5 else 1)' "$sig_time" "$mine" 2>/dev/null; then ok bt-pdfsig-time-near
else notok bt-pdfsig-time-near "pdfsig: $sig_time, TSA: $mine"; fi
# B-B stays B-B: no TSA, no timestamp
"$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/good.p12" --out "$tmp/bb.pdf" >/dev/null 2>&1
v=$("$CHISO" verify "$tmp/bb.pdf" --ca "$tmp/ca.pem" 2>&1)
case "$v" in *"Dấu thời gian"*) notok bb-no-timestamp "$v" ;; *"(valid)") ok bb-no-timestamp ;; *) notok bb-no-timestamp "$v" ;; esac
# CHISO_TSA_URL stands for --tsa-url
CHISO_TSA_URL=$TSA_URL/good "$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/good.p12" --out "$tmp/env.pdf" >/dev/null 2>&1
"$CHISO" verify "$tmp/env.pdf" --ca "$tmp/ca.pem" | grep -q "Dấu thời gian: .*(TSA Chiso Test TSA)" && ok bt-env-url ||
	notok bt-env-url "no timestamp with CHISO_TSA_URL"

# ---- bad tokens in a signed file --------------------------------------------------
cp "$tmp/bt.pdf" "$tmp/flipped.pdf"
python3 "$lib/cms_parts.py" "$tmp/flipped.pdf" flip-time
v=$("$CHISO" verify "$tmp/flipped.pdf" --ca "$tmp/ca.pem" 2>&1); rc=$?
case "$rc:$v" in 1:*"dấu thời gian bị sửa"*"(bad-timestamp)") ok token-flipped-reported ;; *) notok token-flipped-reported "status $rc" "$v" ;; esac
# the signed bytes did not change: pdfsig, which ignores the timestamp, still finds the signature valid
pdfsig "$tmp/flipped.pdf" | grep -q "Signature is Valid" && ok token-flipped-pdfsig-signature-valid ||
	notok token-flipped-pdfsig-signature-valid "$(pdfsig "$tmp/flipped.pdf")"
# another signature's token (same TSA, same length): the imprint is not this signature's
sign_bt revoked good "$tmp/other.pdf" >/dev/null 2>&1
cp "$tmp/bt.pdf" "$tmp/swapped.pdf"
if python3 "$lib/cms_parts.py" "$tmp/swapped.pdf" put-token "$tmp/other.pdf"; then
	v=$("$CHISO" verify "$tmp/swapped.pdf" --ca "$tmp/ca.pem" 2>&1); rc=$?
	case "$rc:$v" in 1:*"không phải của chữ ký này"*"(bad-timestamp)") ok token-wrong-imprint-reported ;;
	*) notok token-wrong-imprint-reported "status $rc" "$v" ;; esac
else notok token-wrong-imprint-reported "could not swap the tokens"; fi
# a TSA whose certificate had expired when it stamped
out=$(sign_bt good expired "$tmp/tsa-expired.pdf" 2>&1)
v=$("$CHISO" verify "$tmp/tsa-expired.pdf" --ca "$tmp/ca.pem" 2>&1); rc=$?
case "$rc:$v" in 1:*"(TSA Chiso Test TSA-expired) — chứng thư của máy chủ cấp dấu thời gian hết hạn"*"(bad-timestamp)") ok tsa-cert-expired-reported ;;
*) notok tsa-cert-expired-reported "status $rc" "$out" "$v" ;; esac
# a TSA the trust store does not know: the CA (of signer and TSA) not installed
v=$("$CHISO" verify "$tmp/bt.pdf" --ca "$tmp/other-ca.pem" 2>&1); rc=$?
case "$rc:$v" in 1:*"máy chủ cấp dấu thời gian không thuộc tổ chức chứng thực tin cậy"*) ok tsa-untrusted-reported ;;
*) notok tsa-untrusted-reported "status $rc" "$v" ;; esac

# ---- TSAs that fail: refused, nothing written -------------------------------------
refused() {   # NAME MODE|URL EXPECTED-TEXT
	case $2 in *://*) url=$2 ;; *) url=$TSA_URL/$2 ;; esac
	rm -f "$tmp/refused.pdf"
	out=$("$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/good.p12" --tsa-url "$url" --out "$tmp/refused.pdf" 2>&1); rc=$?
	case "$rc:$out" in 2:*"$3"*) if [ -e "$tmp/refused.pdf" ]; then notok "$1" "a file was written"; else ok "$1"; fi ;;
	*) notok "$1" "status $rc: $out" ;; esac
}
refused tsa-500-refused 500 "báo lỗi HTTP 500"
refused tsa-garbage-refused garbage "không phải một dấu thời gian RFC 3161"
refused tsa-nothing-refused nothing "không phải một dấu thời gian RFC 3161"
refused tsa-too-big-refused big "trả lời quá lớn"
refused tsa-wrong-imprint-refused wrong "dấu băm hay nonce không khớp"
refused tsa-unreachable-refused "http://127.0.0.1:1/" "Không kết nối được máy chủ cấp dấu thời gian"
refused tsa-not-http-refused "file:///etc/passwd" "Không kết nối được máy chủ cấp dấu thời gian"
start=$(date +%s)
refused tsa-timeout-refused slow "không trả lời trong 10 giây"
took=$(( $(date +%s) - start ))
[ "$took" -le 12 ] && ok tsa-timeout-bounded || notok tsa-timeout-bounded "took $took s"
