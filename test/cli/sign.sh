#!/bin/sh
# CLI tests for issue 17: `chiso sign` and `chiso verify` on a Chiso PDF,
# with a throw-away PKI made here by the openssl CLI (test/cli/lib/pki.sh):
# each status on a real case (valid, one byte flipped, appended update,
# unknown CA, expired, revoked with a CRL, two signatures, broken CMS, bad
# /ByteRange, unsigned), and poppler's pdfsig agreeing with Chiso on the
# signature check, the coverage, the expiry and the signer on every case —
# each with the key from a PKCS#12 file and from a SoftHSM2 token (PKCS#11).
set -u
# full unwinding under ASan: a leak is matched to the library it comes from
# (doc_pdf.c's suppressions) only when the stack reaches it
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
CHISO=${CHISO:-build/chiso}
maker=$(dirname "$CHISO")/test/test_doc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset CHISO_DB
. "$(dirname "$0")/lib/pki.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }

if [ ! -x "$maker" ]; then notok sign-fixture "$maker is not built (make test builds it)"; exit 1; fi
db=$tmp/doc.db
ids=$("$maker" --make-fixture "$db") || { notok sign-fixture "$ids"; exit 1; }
A=$(printf '%s' "$ids" | sed -n 's/.*assessment=\([0-9]*\).*/\1/p')
"$CHISO" doc plan --assessment "$A" --format pdf --db "$db" --out "$tmp/plan.pdf" --no-record >/dev/null 2>&1 ||
	{ notok sign-fixture "chiso doc plan failed"; exit 1; }
pki_make "$tmp" || { notok sign-pki "openssl could not make the test PKI"; exit 1; }
ok sign-fixture

# sign_with SOURCE KEY IN OUT: chiso sign with the PKCS#12 file or the
# token's key (the same key and certificate, imported into SoftHSM2)
sign_with() {
	if [ "$1" = p12 ]; then CHISO_P12_PASSWORD=test "$CHISO" sign "$3" --p12 "$tmp/$2.p12" --out "$4"
	else CHISO_PKCS11_PIN=$PKI_PIN "$CHISO" sign "$3" --pkcs11-uri "pkcs11:token=chiso-test;object=$2" \
		--pkcs11-module "$PKI_MODULE" --out "$4"; fi
}

# make_cases SOURCE: every case of the table below in $tmp/SOURCE/
make_cases() {
	d=$tmp/$1
	mkdir -p "$d"
	for k in good expired revoked stranger; do
		sign_with "$1" "$k" "$tmp/plan.pdf" "$d/$k.pdf" >/dev/null 2>&1 || notok "$pfx""sign-$k" "chiso sign failed"
	done
	if head -c "$(wc -c <"$tmp/plan.pdf")" "$d/good.pdf" | cmp -s - "$tmp/plan.pdf"; then ok "$pfx"sign-incremental
	else notok "$pfx"sign-incremental "the unsigned file is not a prefix of the signed one"; fi
	sign_with "$1" good "$d/good.pdf" "$d/two.pdf" >/dev/null 2>&1
	cp "$d/good.pdf" "$d/flipped.pdf"
	printf 'X' | dd of="$d/flipped.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
	cp "$d/good.pdf" "$d/appended.pdf"
	printf '1 0 obj\n<< >>\nendobj\n' >>"$d/appended.pdf"
	gap=$(grep -a -o '/ByteRange \[0 [0-9]*' "$d/good.pdf" | head -1 | awk '{print $3}' | sed 's/^0*//')
	cp "$d/good.pdf" "$d/broken.pdf"
	printf 'FFFFFFFFFFFFFFFFFFFF' | dd of="$d/broken.pdf" bs=1 seek=$((gap + 61)) conv=notrunc 2>/dev/null
	sed "s|/ByteRange \[0 0*$gap|/ByteRange [0 $(printf '%010d' $((gap - 30)))|" "$d/good.pdf" >"$d/badrange.pdf"
	cp "$tmp/plan.pdf" "$d/unsigned.pdf"
}

# case, Chiso's conclusion, exit status, pdfsig's signature check of each
# signature (V valid, M mismatch, F failure), its coverage (T total, P part)
cases="good:valid:0:VT
flipped:modified:1:MT
appended:valid-partial:1:VP
stranger:untrusted:1:VT
expired:expired:1:VT
revoked:revoked:1:VT
two:valid:0:VT,VP
broken:broken:1:FT
badrange:bad-range:1:MP
unsigned:unsigned:1:"

# check_cases SOURCE: chiso verify and pdfsig on every case, both against the table
check_cases() {
	d=$tmp/$1
	agree=0
	for c in $cases; do
		name=${c%%:*}; rest=${c#*:}; want=${rest%%:*}; rest=${rest#*:}; wrc=${rest%%:*}; wpop=${rest#*:}
		out=$("$CHISO" verify "$d/$name.pdf" --ca "$tmp/ca.pem" --crl "$tmp/crl.pem" 2>&1); rc=$?
		if [ "$rc" -eq "$wrc" ] && printf '%s\n' "$out" | tail -1 | grep -qF "($want)"; then ok "$pfx""verify-$name"
		else notok "$pfx""verify-$name" "status $rc (wanted $wrc), wanted ($want)" "$out"; fi
		pop=$(pdfsig "$d/$name.pdf" 2>&1 | awk '
			/Not total document signed/ { cov = cov "P"; next }
			/Total document signed/ { cov = cov "T"; next }
			/Signature Validation: Signature is Valid/ { v = v "V"; next }
			/Signature Validation: Digest Mismatch/ { v = v "M"; next }
			/Signature Validation:/ { v = v "F" }
			END { for (i = 1; i <= length(v); i++) printf "%s%s%s", (i > 1 ? "," : ""), substr(v, i, 1), substr(cov, i, 1) }')
		# the order of signatures may differ: compare them sorted
		sorted_pop=$(printf '%s' "$pop" | tr ',' '\n' | sort | tr '\n' ',')
		sorted_want=$(printf '%s' "$wpop" | tr ',' '\n' | sort | tr '\n' ',')
		mine=$(printf '%s\n' "$out" | awk '
			/^Chữ ký [0-9]+:/ { if (s != "") printf "%s%s,", s, c; s = ($0 ~ /\((modified)\)/) ? "M" : ($0 ~ /\((broken)\)/) ? "F" : ($0 ~ /\(bad-range\)/) ? "M" : "V" }
			/Phủ toàn tệp: có/ { c = "T" } /Phủ toàn tệp: không/ { c = "P" }
			END { if (s != "") printf "%s%s,", s, c }' | tr ',' '\n' | sort | tr '\n' ',')
		if [ "$sorted_pop" = "$sorted_want" ] && [ "$mine" = "$sorted_want" ]; then ok "$pfx""pdfsig-agrees-$name"; agree=$((agree + 1))
		else notok "$pfx""pdfsig-agrees-$name" "pdfsig: $pop, chiso: $mine, wanted: $wpop"; fi
	done
	if pdfsig "$d/expired.pdf" | grep -q "Certificate has Expired"; then ok "$pfx"pdfsig-agrees-expiry
	else notok "$pfx"pdfsig-agrees-expiry "$(pdfsig "$d/expired.pdf")"; fi
	if pdfsig "$d/good.pdf" | grep -qF "Common Name: Nguyễn Văn An" &&
		"$CHISO" verify "$d/good.pdf" | grep -qF "Người ký: Nguyễn Văn An"; then ok "$pfx"pdfsig-agrees-signer
	else notok "$pfx"pdfsig-agrees-signer "$(pdfsig "$d/good.pdf" | grep Name)"; fi
	[ "$agree" -ge 10 ] && ok "$pfx""pdfsig-agrees-10-cases" || notok "$pfx""pdfsig-agrees-10-cases" "only $agree"
	# PAdES B-B: SubFilter ETSI.CAdES.detached, and the signed attribute ESS
	# signing-certificate-v2 holding the SHA-256 of the signer's certificate
	if pdfsig "$d/good.pdf" | grep -qF "Signature Type: ETSI.CAdES.detached"; then ok "$pfx"pades-subfilter
	else notok "$pfx"pades-subfilter "$(pdfsig "$d/good.pdf" | grep Type)"; fi
	python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
h = bytes.fromhex(re.search(rb"/Contents <([0-9A-Fa-f]+)>", d).group(1).decode())
n = (h[2] << 8 | h[3]) + 4 if h[1] == 0x82 else h[1] + 2   # the DER SEQUENCE, without the zero padding
open(sys.argv[2], "wb").write(h[:n])' "$d/good.pdf" "$d/good.cms"
	cert_hash=$(openssl x509 -in "$tmp/good.pem" -outform DER | sha256sum | cut -c1-64 | tr a-f A-F)
	attrs=$(openssl cms -cmsout -print -inform DER -in "$d/good.cms" 2>&1)
	case "$attrs" in *signingCertificateV2*"$cert_hash"*) ok "$pfx"pades-ess-signing-certificate-v2 ;;
		*) notok "$pfx"pades-ess-signing-certificate-v2 "no ESS signing-certificate-v2 with $cert_hash" ;; esac
	# the visible signature: a widget with an appearance in the signature
	# block, drawn by poppler in the signature's blue; the second is invisible
	rect=$(grep -a -o '/Rect \[[0-9 ]*\] /AP << /N [0-9]* 0 R' "$d/good.pdf")
	blue=$(pki_blue_pixels "$d/good.pdf")
	if [ -n "$rect" ] && [ "$blue" -gt 200 ] && [ "$(pki_blue_pixels "$tmp/plan.pdf")" -eq 0 ]; then ok "$pfx"visible-signature
	else notok "$pfx"visible-signature "widget: $rect; blue pixels: $blue"; fi
	[ "$(grep -a -c '/AP << /N' "$d/two.pdf")" -eq 1 ] && ok "$pfx"second-signature-invisible ||
		notok "$pfx"second-signature-invisible "$(grep -a -c '/AP << /N' "$d/two.pdf") appearances"
}

pfx=""
make_cases p12
check_cases p12
P12_BAD=$(CHISO_P12_PASSWORD=wrong "$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/good.p12" --out "$tmp/x.pdf" 2>&1)
case "$P12_BAD" in *"sai mật khẩu"*) ok sign-wrong-password ;; *) notok sign-wrong-password "$P12_BAD" ;; esac

# the same cases with the keys on a PKCS#11 token (SoftHSM2)
pfx="token-"
if pki_token "$tmp"; then
	ok token-made
	make_cases token
	check_cases token
	out=$(CHISO_PKCS11_PIN=9999 "$CHISO" sign "$tmp/plan.pdf" --pkcs11-uri "pkcs11:token=chiso-test;object=good" \
		--pkcs11-module "$PKI_MODULE" --out "$tmp/x.pdf" 2>&1); rc=$?
	case "$rc:$out" in 2:*"sai mã PIN"*) ok token-wrong-pin ;; *) notok token-wrong-pin "status $rc: $out" ;; esac
	out=$(CHISO_PKCS11_PIN=$PKI_PIN "$CHISO" sign "$tmp/plan.pdf" --pkcs11-uri "pkcs11:token=chiso-test;object=nobody" \
		--pkcs11-module "$PKI_MODULE" --out "$tmp/x.pdf" 2>&1); rc=$?
	[ "$rc" -eq 2 ] && [ ! -e "$tmp/x.pdf" ] && ok token-no-such-key || notok token-no-such-key "status $rc: $out"
	# the PIN is never an argument: there is no option for it
	out=$("$CHISO" sign "$tmp/plan.pdf" --pkcs11-uri "pkcs11:token=chiso-test;object=good" --pkcs11-pin "$PKI_PIN" \
		--pkcs11-module "$PKI_MODULE" --out "$tmp/x.pdf" 2>&1); rc=$?
	[ "$rc" -eq 2 ] && ok token-no-pin-option || notok token-no-pin-option "status $rc: $out"
	# the token's chain: the signer's certificate is issued by an intermediate CA
	# the token does not hold; --chain puts it into the CMS, and both Chiso
	# (trusting the root only) and pdfsig (an NSS database trusting the root) validate the chain
	if pki_intermediate "$tmp"; then
		CHISO_PKCS11_PIN=$PKI_PIN "$CHISO" sign "$tmp/plan.pdf" --pkcs11-uri "pkcs11:token=chiso-test;object=chained" \
			--pkcs11-module "$PKI_MODULE" --out "$tmp/nochain.pdf" >/dev/null 2>&1
		CHISO_PKCS11_PIN=$PKI_PIN "$CHISO" sign "$tmp/plan.pdf" --pkcs11-uri "pkcs11:token=chiso-test;object=chained" \
			--pkcs11-module "$PKI_MODULE" --chain "$tmp/inter.pem" --out "$tmp/chain.pdf" >/dev/null 2>&1
		out=$("$CHISO" verify "$tmp/nochain.pdf" --ca "$tmp/ca.pem" 2>&1); rc=$?
		case "$rc:$out" in 1:*"(untrusted)"*) ok token-without-chain-untrusted ;; *) notok token-without-chain-untrusted "status $rc" "$out" ;; esac
		out=$("$CHISO" verify "$tmp/chain.pdf" --ca "$tmp/ca.pem" 2>&1); rc=$?
		case "$rc:$out" in 0:*"Người ký: Võ Thị Em"*"(valid)") ok token-chain-valid ;; *) notok token-chain-valid "status $rc" "$out" ;; esac
		out=$(CHISO_PKCS11_PIN=$PKI_PIN CHISO_PKCS11_CHAIN=$tmp/inter.pem "$CHISO" sign "$tmp/plan.pdf" \
			--pkcs11-uri "pkcs11:token=chiso-test;object=chained" --pkcs11-module "$PKI_MODULE" --out "$tmp/envchain.pdf" 2>&1)
		"$CHISO" verify "$tmp/envchain.pdf" --ca "$tmp/ca.pem" >/dev/null 2>&1 && ok token-chain-env || notok token-chain-env "$out"
		out=$(CHISO_PKCS11_PIN=$PKI_PIN "$CHISO" sign "$tmp/plan.pdf" --pkcs11-uri "pkcs11:token=chiso-test;object=chained" \
			--pkcs11-module "$PKI_MODULE" --chain "$tmp/plan.pdf" --out "$tmp/x.pdf" 2>&1); rc=$?
		case "$rc:$out" in 2:*"không chứa chứng thư"*) ok token-chain-not-pem-refused ;; *) notok token-chain-not-pem-refused "status $rc: $out" ;; esac
		if pki_nssdb "$tmp"; then
			if pdfsig -nssdir "sql:$tmp/nss" "$tmp/chain.pdf" | grep -q "Certificate Validation: Certificate is Trusted" &&
				! pdfsig -nssdir "sql:$tmp/nss" "$tmp/nochain.pdf" | grep -q "Certificate is Trusted"; then ok token-chain-pdfsig-agrees
			else notok token-chain-pdfsig-agrees "$(pdfsig -nssdir "sql:$tmp/nss" "$tmp/chain.pdf")" "$(pdfsig -nssdir "sql:$tmp/nss" "$tmp/nochain.pdf")"; fi
		else echo "ok token-chain-pdfsig-agrees # skip: certutil missing (scripts/install-deps.sh installs libnss3-tools)"; fi
	else notok token-chain-pki "could not make the intermediate CA"; fi
else
	echo "ok token-made # skip: SoftHSM2 or pkcs11-tool missing (scripts/install-deps.sh installs softhsm2 and opensc)"
fi
pfx=""
d=$tmp/p12

# the unsigned revision: its SHA-256 is the generated file's, as the register recorded it
want=$(sha256sum "$tmp/plan.pdf" | cut -d' ' -f1)
for f in good two; do
	if "$CHISO" verify "$d/$f.pdf" | grep -qF "SHA-256 $want"; then ok "unsigned-revision-$f"
	else notok "unsigned-revision-$f" "$("$CHISO" verify "$d/$f.pdf" | grep 'Bản chưa ký')"; fi
done
# no trust store: the signature checks, the CA is unknown
out=$("$CHISO" verify "$d/good.pdf" 2>&1)
case "$out" in *"(untrusted)"*) ok verify-no-trust ;; *) notok verify-no-trust "$out" ;; esac
out=$("$CHISO" verify "$tmp/nothing.pdf" 2>&1); rc=$?
[ "$rc" -eq 2 ] && ok verify-missing-file || notok verify-missing-file "status $rc: $out"
