#!/bin/sh
# HTTP tests of issue 17 against a real `chiso serve` on the demo data:
# the administrator installs the test CA (and its CRL) on
# /quan-tri/chu-ky-so; a school returned for supplement uploads signed
# PDFs as evidence for 2.3.3 (valid, tampered, from an unknown CA), sees
# each status beside the file, submits again, and the Sở's reviewer sees
# the statuses on the review page; removing the CA changes the verdict;
# an office administrator stores the office's PKCS#12 key (refused with a
# wrong password, never stored in clear); the submission is sealed and
# `chiso verify --submission` checks it. The PKI is made here with the
# openssl CLI (test/cli/lib/pki.sh).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
TSA_PID=
trap 'stop_server; tsa_stop; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"
. "$(dirname "$0")/lib/pki.sh"
. "$(dirname "$0")/lib/tsa.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
has() { grep -qF -- "$2" "$1"; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
pki_make "$tmp" || { notok sign-pki "openssl could not make the test PKI"; exit 1; }
tsa_start "$tmp" || { notok sign-tsa "the test TSA did not start"; exit 1; }
# a small PDF, signed three ways
python3 - "$tmp/plain.pdf" <<'PY'
import sys
objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
out, offs = b"%PDF-1.7\n", []
for i, o in enumerate(objs):
    offs.append(len(out)); out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, o)).encode()
x = len(out)
out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offs)
out += ("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % x).encode()
open(sys.argv[1], "wb").write(out)
PY
export CHISO_P12_PASSWORD=test
"$CHISO" sign "$tmp/plain.pdf" --p12 "$tmp/good.p12" --out "$tmp/so-diem-ky-so.pdf" >/dev/null &&
"$CHISO" sign "$tmp/plain.pdf" --p12 "$tmp/stranger.p12" --out "$tmp/la.pdf" >/dev/null &&
"$CHISO" sign "$tmp/plain.pdf" --p12 "$tmp/good.p12" --tsa-url "$TSA_URL/good" --out "$tmp/dau-thoi-gian.pdf" >/dev/null ||
	{ notok sign-fixture "chiso sign failed"; exit 1; }
cp "$tmp/so-diem-ky-so.pdf" "$tmp/bi-sua.pdf"
printf 'X' | dd of="$tmp/bi-sua.pdf" bs=1 seek=40 conv=notrunc 2>/dev/null

# the office's key on a SoftHSM2 token too, when SoftHSM2 is installed
if pki_token "$tmp"; then token=1; else token=0; fi
start_server CHISO_PKCS11_MODULE="$PKI_MODULE" CHISO_TSA_URL="$TSA_URL/good" || { notok server-start; exit 1; }
for who in admin so.binhdinh ht.52111001 ht.52102001; do
	[ "$(signin "$tmp/$who" $who)" = 303 ] || { notok "signin-$who"; exit 1; }
done
current() { curl -s -b "$1" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1; }
A=$(current "$tmp/ht.52111001")
# post JAR PATH OUT curl-args… — a multipart POST with the page's token; prints the status
post() { jar=$1 path=$2 out=$3; shift 3
	c=$(form_csrf "$jar" /)
	curl -s -o "$tmp/$out.html" -D "$tmp/$out.h" -w '%{http_code}' -b "$jar" -c "$jar" -F "_csrf=$c" "$@" "$base$path"; }

# ---- the trust store ---------------------------------------------------------
curl -s -b "$tmp/admin" "$base/quan-tri/chu-ky-so" >"$tmp/trust0.html"
check trust-page-empty has "$tmp/trust0.html" "Chưa cài chứng thư gốc nào"
check trust-add-ca [ "$(post "$tmp/admin" /quan-tri/chu-ky-so/ca add -F "tep=@$tmp/ca.pem")" = 303 ]
check trust-add-crl [ "$(post "$tmp/admin" /quan-tri/chu-ky-so/ca crl -F "tep=@$tmp/crl.pem")" = 303 ]
check trust-add-garbage-422 [ "$(post "$tmp/admin" /quan-tri/chu-ky-so/ca bad -F "tep=@$tmp/plain.pdf")" = 422 ]
curl -s -b "$tmp/admin" "$base/quan-tri/chu-ky-so" >"$tmp/trust1.html"
check trust-page-lists-ca has "$tmp/trust1.html" "Chiso Test Root CA"
check trust-page-lists-crl has "$tmp/trust1.html" ">CRL<"
check trust-by-office-admin-403 [ "$(post "$tmp/so.binhdinh" /quan-tri/chu-ky-so/ca x -F "tep=@$tmp/other-ca.pem")" = 403 ]
check trust-by-principal-403 [ "$(post "$tmp/ht.52111001" /quan-tri/chu-ky-so/ca x -F "tep=@$tmp/other-ca.pem")" = 403 ]

# ---- signed evidence for 2.3.3 -------------------------------------------------
add_evidence() {   # TITLE FILE NAME — prints the new item's id
	post "$tmp/ht.52111001" "/danh-gia/$A/minh-chung/moi" ev -F "tieu_de=$1" -F tc=2.3.3 -F "tep=@$2;filename=$3" >/dev/null
	tr -d '\r' <"$tmp/ev.h" | sed -n 's|^Location: /minh-chung/\([0-9]*\).*|\1|p'
}
e_good=$(add_evidence "Sổ điểm điện tử có chữ ký số" "$tmp/so-diem-ky-so.pdf" "so-diem-ky-so.pdf")
e_bad=$(add_evidence "Học bạ đã ký (bị sửa)" "$tmp/bi-sua.pdf" "hoc-ba.pdf")
e_la=$(add_evidence "Học bạ ký bằng chứng thư lạ" "$tmp/la.pdf" "hoc-ba-2.pdf")
e_ts=$(add_evidence "Sổ điểm ký số có dấu thời gian" "$tmp/dau-thoi-gian.pdf" "so-diem-bt.pdf")
check evidence-created [ -n "$e_good" ] && [ -n "$e_bad" ] && [ -n "$e_la" ] && [ -n "$e_ts" ]
# PAdES B-T: the timestamp's time (Vietnam's clock) and its TSA beside the status
curl -s -b "$tmp/ht.52111001" "$base/minh-chung/$e_ts" >"$tmp/ts.html"
check evidence-timestamp-valid has "$tmp/ts.html" "Đã ký số — hợp lệ"
check evidence-timestamp-shown sh -c "grep -qE 'Dấu thời gian: [0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2} \(TSA Chiso Test TSA\)' '$tmp/ts.html'"
curl -s -b "$tmp/so.binhdinh" "$base/minh-chung/$e_good" >"$tmp/nots.html"
check evidence-no-timestamp-bb sh -c "! grep -q 'Dấu thời gian' '$tmp/nots.html'"
curl -s -b "$tmp/ht.52111001" "$base/minh-chung/$e_good" >"$tmp/good.html"
check evidence-valid has "$tmp/good.html" "Đã ký số — hợp lệ"
check evidence-signer has "$tmp/good.html" "Người ký: Nguyễn Văn An — Phòng Giáo dục và Đào tạo Nha Trang"
curl -s -b "$tmp/ht.52111001" "$base/minh-chung/$e_bad" >"$tmp/bad.html"
check evidence-tampered has "$tmp/bad.html" "Tệp đã bị sửa sau khi ký"
curl -s -b "$tmp/ht.52111001" "$base/minh-chung/$e_la" >"$tmp/la.html"
check evidence-unknown-ca has "$tmp/la.html" "Chứng thư không thuộc tổ chức chứng thực tin cậy"
curl -s -b "$tmp/ht.52111001" "$base/danh-gia/$A/minh-chung" >"$tmp/cat.html"
check catalogue-shows-status has "$tmp/cat.html" 'data-sig="valid"'
# the reviewer of the Sở sees it on the item too
curl -s -b "$tmp/so.binhdinh" "$base/minh-chung/$e_good" >"$tmp/rev-item.html"
check reviewer-sees-status has "$tmp/rev-item.html" "Đã ký số — hợp lệ"

# ---- submitted again: the review page, the seal ----------------------------------
for act in consolidate approve; do post "$tmp/ht.52111001" "/danh-gia/$A/chuyen" act -F "action=$act" >/dev/null; done
st=$(post "$tmp/ht.52111001" "/danh-gia/$A/gui" submit -F do=send -F "letter=Kính gửi Sở Giáo dục và Đào tạo")
check resubmitted [ "$st" = 303 ]
curl -s -b "$tmp/so.binhdinh" "$base/xet-duyet/$A" >"$tmp/review.html"
check review-shows-valid has "$tmp/review.html" "Đã ký số — hợp lệ"
check review-shows-tampered has "$tmp/review.html" "Tệp đã bị sửa sau khi ký"
check review-shows-seal-server has "$tmp/review.html" 'data-seal="server"'
check review-seal-intact has "$tmp/review.html" "Niêm phong hợp lệ — dữ liệu không thay đổi từ khi nộp"
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 0:*"dữ liệu không thay đổi"*"Khóa niêm phong: khóa của máy chủ Chiso"*) ok seal-intact ;;
*) notok seal-intact "status $rc" "$out" ;; esac
# a file changed behind the application's back shows; so does a forged manifest
sqlite3 "$tmp/chiso.db" "UPDATE evidence_files SET original_name = 'doi-ten.pdf' WHERE original_name = 'so-diem-ky-so.pdf'"
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 1:*"Dữ liệu đã thay đổi sau khi nộp"*"so-diem-ky-so.pdf: đã xóa"*) ok seal-shows-change ;;
*) notok seal-shows-change "status $rc" "$out" ;; esac
sqlite3 "$tmp/chiso.db" "UPDATE submission_seals SET manifest = replace(manifest, 'so-diem', 'SO-DIEM')"
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 1:*"Niêm phong không hợp lệ"*) ok seal-forged ;; *) notok seal-forged "status $rc" "$out" ;; esac

# ---- removing the CA changes the verdict ------------------------------------------
ca_id=$(grep -o '/quan-tri/chu-ky-so/ca/[0-9]*/xoa' "$tmp/trust1.html" | head -1 | sed 's|.*/ca/||; s|/xoa||')
check trust-remove [ "$(post "$tmp/admin" "/quan-tri/chu-ky-so/ca/$ca_id/xoa" rm)" = 303 ]
curl -s -b "$tmp/ht.52111001" "$base/minh-chung/$e_good" >"$tmp/good2.html"
check evidence-untrusted-after-remove has "$tmp/good2.html" "Chứng thư không thuộc tổ chức chứng thực tin cậy"

# ---- the office's signing key ------------------------------------------------------
curl -s -b "$tmp/so.binhdinh" "$base/quan-tri/chu-ky-so" >"$tmp/key0.html"
cq=$(grep -o 'name="cq" value="[0-9]*"' "$tmp/key0.html" | head -1 | sed 's/.*value="//; s/"//')
check key-form-offered [ -n "$cq" ]
check key-wrong-password-422 [ "$(post "$tmp/so.binhdinh" /quan-tri/chu-ky-so/khoa k1 -F "cq=$cq" -F mat_khau=sai -F "tep=@$tmp/good.p12")" = 422 ]
check key-wrong-password-said has "$tmp/k1.html" "sai mật khẩu"
check key-stored [ "$(post "$tmp/so.binhdinh" /quan-tri/chu-ky-so/khoa k2 -F "cq=$cq" -F mat_khau=test -F "tep=@$tmp/good.p12")" = 303 ]
curl -s -b "$tmp/so.binhdinh" "$base/quan-tri/chu-ky-so" >"$tmp/key1.html"
check key-shown has "$tmp/key1.html" "Khóa hiện tại: Nguyễn Văn An"
check key-other-office-403 [ "$(post "$tmp/ht.52102001" /quan-tri/chu-ky-so/khoa k3 -F "cq=$cq" -F mat_khau=test -F "tep=@$tmp/good.p12")" = 403 ]
# the office signs a document it generates; the CA is installed again to verify it
post "$tmp/admin" /quan-tri/chu-ky-so/ca add2 -F "tep=@$tmp/ca.pem" >/dev/null
curl -s -b "$tmp/so.binhdinh" "$base/danh-gia/$A/van-ban?loai=bao-cao" >"$tmp/docform.html"
check doc-sign-offered has "$tmp/docform.html" 'name="ky_so"'
c=$(form_csrf "$tmp/so.binhdinh" "/danh-gia/$A/van-ban?loai=bao-cao")
curl -s -b "$tmp/so.binhdinh" -D "$tmp/doc.h" -o "$tmp/signed-report.pdf" --data-urlencode "_csrf=$c" --data-urlencode loai=bao-cao \
	--data-urlencode dinh_dang=pdf --data-urlencode ky_so=1 "$base/danh-gia/$A/van-ban"
check doc-signed-header grep -qi '^X-Chiso-Signed: 1' "$tmp/doc.h"
out=$("$CHISO" verify "$tmp/signed-report.pdf" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 0:*"Người ký: Nguyễn Văn An"*) ok doc-signed-verifies ;; *) notok doc-signed-verifies "status $rc" "$out" ;; esac
# the server's operator named a TSA (CHISO_TSA_URL): the office's documents are PAdES B-T
case "$out" in *"Dấu thời gian: "*"(TSA Chiso Test TSA)"*) ok doc-signed-timestamped ;; *) notok doc-signed-timestamped "$out" ;; esac
check doc-signed-pdfsig sh -c "pdfsig '$tmp/signed-report.pdf' | grep -q 'Signature is Valid'"
check doc-signed-pades sh -c "pdfsig '$tmp/signed-report.pdf' | grep -q 'Signature Type: ETSI.CAdES.detached'"
# signed in the server: the signature shows in the report's signature block
check doc-signed-visible [ "$(pki_blue_pixels "$tmp/signed-report.pdf")" -gt 200 ]
# the recorded SHA-256 is the unsigned revision's, the signed file's prefix
rec=$(tr -d '\r' <"$tmp/doc.h" | sed -n 's/^[Xx]-[Cc]hiso-[Ss]ha256: //p')
len=$(grep -a -o '/ByteRange \[0 [0-9]*' "$tmp/signed-report.pdf" | head -1 | awk '{print $3}' | sed 's/^0*//')
pre=$(python3 -c '
import sys, hashlib, re
d = open(sys.argv[1], "rb").read(); i = d.find(b"\n%%EOF")
print(hashlib.sha256(d[:i + 7]).hexdigest())' "$tmp/signed-report.pdf")
check doc-unsigned-revision-recorded [ -n "$rec" ] && [ "$rec" = "$pre" ] && [ -n "$len" ]
# sealed: the PKCS#12 file's bytes are nowhere in the database
check key-not-in-clear python3 -c '
import sys; p12 = open(sys.argv[1], "rb").read(); db = open(sys.argv[2], "rb").read()
sys.exit(1 if p12[16:80] in db else 0)' "$tmp/good.p12" "$tmp/chiso.db"
# ---- the seal by the office's certificate (its key is stored now) -------------------
st=$(post "$tmp/so.binhdinh" "/xet-duyet/$A/tra-lai" ret -F "ly_do=Bổ sung minh chứng" -F han=)
check seal-office-returned [ "$st" = 303 ]
for act in consolidate approve; do post "$tmp/ht.52111001" "/danh-gia/$A/chuyen" act -F "action=$act" >/dev/null; done
st=$(post "$tmp/ht.52111001" "/danh-gia/$A/gui" submit2 -F do=send -F "letter=Kính gửi Sở Giáo dục và Đào tạo")
check seal-office-resubmitted [ "$st" = 303 ]
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 0:*"dữ liệu không thay đổi"*"Khóa niêm phong: chứng thư số của cơ quan — Nguyễn Văn An, Phòng Giáo dục và Đào tạo Nha Trang (Đã ký số — hợp lệ)"*)
	ok seal-office-cms ;; *) notok seal-office-cms "status $rc" "$out" ;; esac
check seal-office-cms-stored [ "$(sqlite3 "$tmp/chiso.db" "SELECT signer_unit_id = $cq AND length(signature) > 64 FROM submission_seals WHERE assessment_id = $A ORDER BY id DESC LIMIT 1")" = 1 ]
curl -s -b "$tmp/so.binhdinh" "$base/xet-duyet/$A" >"$tmp/review2.html"
check review-shows-seal-office has "$tmp/review2.html" 'data-seal="office"'
check review-seal-office-signer has "$tmp/review2.html" "chứng thư số của cơ quan — Nguyễn Văn An, Phòng Giáo dục và Đào tạo Nha Trang"
# the CA removed: the office's seal is no longer trusted; a forged manifest breaks its CMS
for ca2 in $(curl -s -b "$tmp/admin" "$base/quan-tri/chu-ky-so" | grep -o '/quan-tri/chu-ky-so/ca/[0-9]*/xoa' | sed 's|.*/ca/||; s|/xoa||'); do
	post "$tmp/admin" "/quan-tri/chu-ky-so/ca/$ca2/xoa" rm2 >/dev/null
done
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 1:*"Chứng thư niêm phong không được tin cậy"*) ok seal-office-untrusted ;; *) notok seal-office-untrusted "status $rc" "$out" ;; esac
sqlite3 "$tmp/chiso.db" "UPDATE submission_seals SET manifest = replace(manifest, 'assessment_id', 'Assessment_id') WHERE id = (SELECT MAX(id) FROM submission_seals)"
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 1:*"Niêm phong không hợp lệ"*) ok seal-office-forged ;; *) notok seal-office-forged "status $rc" "$out" ;; esac
curl -s -b "$tmp/so.binhdinh" "$base/xet-duyet/$A" >"$tmp/review3.html"
check review-seal-forged has "$tmp/review3.html" "Niêm phong không hợp lệ (bản kê đã bị sửa)"


# ---- the office's key on a PKCS#11 token -------------------------------------
if [ "$token" = 1 ]; then
	check token-form-offered has "$tmp/key1.html" 'action="/quan-tri/chu-ky-so/token"'
	tpost() { jar=$1; c=$(form_csrf "$jar" /); shift
		curl -s -o "$tmp/t.html" -w '%{http_code}' -b "$jar" --data-urlencode "_csrf=$c" --data-urlencode "cq=$cq" \
			"$@" "$base/quan-tri/chu-ky-so/token"; }
	check token-wrong-pin-422 [ "$(tpost "$tmp/so.binhdinh" --data-urlencode "uri=pkcs11:token=chiso-test;object=good" --data-urlencode pin=0000)" = 422 ]
	check token-wrong-pin-said has "$tmp/t.html" "sai mã PIN"
	check token-not-a-uri-422 [ "$(tpost "$tmp/so.binhdinh" --data-urlencode "uri=/etc/passwd" --data-urlencode "pin=$PKI_PIN")" = 422 ]
	check token-stored [ "$(tpost "$tmp/so.binhdinh" --data-urlencode "uri=pkcs11:token=chiso-test;object=revoked" --data-urlencode "pin=$PKI_PIN")" = 303 ]
	curl -s -b "$tmp/so.binhdinh" "$base/quan-tri/chu-ky-so" >"$tmp/key2.html"
	check token-key-shown has "$tmp/key2.html" "Khóa hiện tại: Lê Văn Cường — Phòng Giáo dục và Đào tạo Nha Trang (USB token)"
	c=$(form_csrf "$tmp/so.binhdinh" "/danh-gia/$A/van-ban?loai=bao-cao")
	curl -s -b "$tmp/so.binhdinh" -D "$tmp/tdoc.h" -o "$tmp/token-report.pdf" --data-urlencode "_csrf=$c" --data-urlencode loai=bao-cao \
		--data-urlencode dinh_dang=pdf --data-urlencode ky_so=1 "$base/danh-gia/$A/van-ban"
	check token-doc-signed-header grep -qi '^X-Chiso-Signed: 1' "$tmp/tdoc.h"
	# signed on the token by the revoked signer's key: the CRL says so, pdfsig checks the signature
	out=$("$CHISO" verify "$tmp/token-report.pdf" --ca "$tmp/ca.pem" --crl "$tmp/crl.pem" 2>&1); rc=$?
	case "$rc:$out" in 1:*"Người ký: Lê Văn Cường"*"(revoked)"*) ok token-doc-verifies ;; *) notok token-doc-verifies "status $rc" "$out" ;; esac
	check token-doc-pdfsig sh -c "pdfsig '$tmp/token-report.pdf' | grep -q 'Signature is Valid'"
	check token-doc-visible [ "$(pki_blue_pixels "$tmp/token-report.pdf")" -gt 200 ]
	check token-pin-not-in-clear sh -c "! grep -qaF '$PKI_PIN' '$tmp/chiso.db'"
	# another office's administrator cannot name a token for this office
	check token-other-office-403 [ "$(tpost "$tmp/ht.52102001" --data-urlencode "uri=pkcs11:token=chiso-test;object=good" --data-urlencode "pin=$PKI_PIN")" = 403 ]
	# the office whose key is on the token seals with it (a CMS by the token's certificate), not the server's key
	st=$(post "$tmp/so.binhdinh" "/xet-duyet/$A/tra-lai" tret -F "ly_do=Bổ sung minh chứng lần nữa" -F han=)
	for act in consolidate approve; do post "$tmp/ht.52111001" "/danh-gia/$A/chuyen" act -F "action=$act" >/dev/null; done
	st2=$(post "$tmp/ht.52111001" "/danh-gia/$A/gui" tsubmit -F do=send -F "letter=Kính gửi Sở Giáo dục và Đào tạo")
	check token-seal-resubmitted [ "$st:$st2" = 303:303 ]
	out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1)
	case "$out" in *"Khóa niêm phong: chứng thư số của cơ quan — Lê Văn Cường, Phòng Giáo dục và Đào tạo Nha Trang"*) ok token-seal-by-office ;;
	*) notok token-seal-by-office "$out" ;; esac
	check token-seal-cms-stored [ "$(sqlite3 "$tmp/chiso.db" "SELECT signer_unit_id = $cq AND length(signature) > 64 FROM submission_seals WHERE assessment_id = $A ORDER BY id DESC LIMIT 1")" = 1 ]
	curl -s -b "$tmp/so.binhdinh" "$base/xet-duyet/$A" >"$tmp/review-token.html"
	check token-seal-review-office has "$tmp/review-token.html" 'data-seal="office"'
else
	echo "ok token-office-key # skip: SoftHSM2 or pkcs11-tool missing (scripts/install-deps.sh installs softhsm2 and opensc)"
fi
server_clean server-clean-exit
