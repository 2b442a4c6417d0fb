#!/bin/sh
# CLI tests for issue 17: `chiso sign` and `chiso verify` on a Chiso PDF,
# with a throw-away PKI made here by the openssl CLI (test/cli/lib/pki.sh):
# each status on a real case (valid, one byte flipped, appended update,
# unknown CA, expired, revoked with a CRL, two signatures, broken CMS, bad
# /ByteRange, unsigned), and poppler's pdfsig agreeing with Chiso on the
# signature check, the coverage, the expiry and the signer on every case.
set -u
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

export CHISO_P12_PASSWORD=test
for k in good expired revoked stranger; do
	"$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/$k.p12" --out "$tmp/$k.pdf" >/dev/null 2>&1 || notok "sign-$k" "chiso sign failed"
done
if head -c "$(wc -c <"$tmp/plan.pdf")" "$tmp/good.pdf" | cmp -s - "$tmp/plan.pdf"; then ok sign-incremental
else notok sign-incremental "the unsigned file is not a prefix of the signed one"; fi
"$CHISO" sign "$tmp/good.pdf" --p12 "$tmp/good.p12" --out "$tmp/two.pdf" >/dev/null 2>&1
cp "$tmp/good.pdf" "$tmp/flipped.pdf"
printf 'X' | dd of="$tmp/flipped.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
cp "$tmp/good.pdf" "$tmp/appended.pdf"
printf '1 0 obj\n<< >>\nendobj\n' >>"$tmp/appended.pdf"
gap=$(grep -a -o '/ByteRange \[0 [0-9]*' "$tmp/good.pdf" | head -1 | awk '{print $3}' | sed 's/^0*//')
cp "$tmp/good.pdf" "$tmp/broken.pdf"
printf 'FFFFFFFFFFFFFFFFFFFF' | dd of="$tmp/broken.pdf" bs=1 seek=$((gap + 61)) conv=notrunc 2>/dev/null
sed "s|/ByteRange \[0 0*$gap|/ByteRange [0 $(printf '%010d' $((gap - 30)))|" "$tmp/good.pdf" >"$tmp/badrange.pdf"
cp "$tmp/plan.pdf" "$tmp/unsigned.pdf"
P12_BAD=$(CHISO_P12_PASSWORD=wrong "$CHISO" sign "$tmp/plan.pdf" --p12 "$tmp/good.p12" --out "$tmp/x.pdf" 2>&1)
case "$P12_BAD" in *"sai mật khẩu"*) ok sign-wrong-password ;; *) notok sign-wrong-password "$P12_BAD" ;; esac

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
agree=0
for c in $cases; do
	name=${c%%:*}; rest=${c#*:}; want=${rest%%:*}; rest=${rest#*:}; wrc=${rest%%:*}; wpop=${rest#*:}
	out=$("$CHISO" verify "$tmp/$name.pdf" --ca "$tmp/ca.pem" --crl "$tmp/crl.pem" 2>&1); rc=$?
	if [ "$rc" -eq "$wrc" ] && printf '%s\n' "$out" | tail -1 | grep -qF "($want)"; then ok "verify-$name"
	else notok "verify-$name" "status $rc (wanted $wrc), wanted ($want)" "$out"; fi
	pop=$(pdfsig "$tmp/$name.pdf" 2>&1 | awk '
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
	if [ "$sorted_pop" = "$sorted_want" ] && [ "$mine" = "$sorted_want" ]; then ok "pdfsig-agrees-$name"; agree=$((agree + 1))
	else notok "pdfsig-agrees-$name" "pdfsig: $pop, chiso: $mine, wanted: $wpop"; fi
done
if pdfsig "$tmp/expired.pdf" | grep -q "Certificate has Expired"; then ok pdfsig-agrees-expiry
else notok pdfsig-agrees-expiry "$(pdfsig "$tmp/expired.pdf")"; fi
if pdfsig "$tmp/good.pdf" | grep -qF "Common Name: Nguyễn Văn An" &&
	"$CHISO" verify "$tmp/good.pdf" | grep -qF "Người ký: Nguyễn Văn An"; then ok pdfsig-agrees-signer
else notok pdfsig-agrees-signer "$(pdfsig "$tmp/good.pdf" | grep Name)"; fi
[ "$agree" -ge 10 ] && ok "pdfsig-agrees-10-cases" || notok "pdfsig-agrees-10-cases" "only $agree"

# the unsigned revision: its SHA-256 is the generated file's, as the register recorded it
want=$(sha256sum "$tmp/plan.pdf" | cut -d' ' -f1)
for f in good two; do
	if "$CHISO" verify "$tmp/$f.pdf" | grep -qF "SHA-256 $want"; then ok "unsigned-revision-$f"
	else notok "unsigned-revision-$f" "$("$CHISO" verify "$tmp/$f.pdf" | grep 'Bản chưa ký')"; fi
done
# no trust store: the signature checks, the CA is unknown
out=$("$CHISO" verify "$tmp/good.pdf" 2>&1)
case "$out" in *"(untrusted)"*) ok verify-no-trust ;; *) notok verify-no-trust "$out" ;; esac
out=$("$CHISO" verify "$tmp/nothing.pdf" 2>&1); rc=$?
[ "$rc" -eq 2 ] && ok verify-missing-file || notok verify-missing-file "status $rc: $out"
