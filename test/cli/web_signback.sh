#!/bin/sh
# HTTP tests of issue 17, item 2 — the signed original back into the
# register: the Sở generates its recognition decision (numbered in its
# sổ văn bản đi), downloads it from the register, signs it outside Chiso
# (`chiso sign` with a PKCS#12 of the test CA, test/cli/lib/pki.sh) and
# uploads it back with "Tải lên bản đã ký": the row says "Bản đã ký số —
# hợp lệ" with the signer and the download serves the signed bytes. The
# unsigned file, another document's signed file (the team decision), a file signed by an
# unknown CA and a tampered one are refused (422) and change nothing; a
# school's principal may not upload, another office's entry is not found.
# The Văn bản list then serves the signed file, marked "Bản đã ký số".
# A school's register (/danh-gia/{id}/so-van-ban) takes the principal's
# signed tờ trình and lists the Sở's evaluation-side minutes of the
# assessment, filed by the Sở's staff; the office may not file the
# school's, the principal not the office's, another school neither.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=${KEEP_TMP:-$(mktemp -d)}
server_pid=
trap 'stop_server; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"
. "$(dirname "$0")/lib/pki.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
pki_make "$tmp" || { notok sign-pki "openssl could not make the test PKI"; exit 1; }
db="$tmp/chiso.db"
q() { sqlite3 -batch "$db" "$1"; }
R=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
[ -n "$R" ] || { notok setup "no round of the Sở"; exit 1; }

start_server || { notok server-start; exit 1; }
for who in admin so.binhdinh ht.52111001; do
	[ "$(signin "$tmp/$who" $who)" = 303 ] || { notok "signin-$who"; exit 1; }
done
# post JAR PATH OUT curl-args… — a multipart POST with the page's token; prints the status
post() { jar=$1 path=$2 out=$3; shift 3
	c=$(form_csrf "$jar" /)
	curl -s -o "$tmp/$out.html" -D "$tmp/$out.h" -w '%{http_code}' -b "$jar" -c "$jar" -F "_csrf=$c" "$@" "$base$path"; }
# generate LOAI OUT — the Sở generates a numbered PDF of the round; prints the status
generate() {
	c=$(form_csrf "$tmp/so.binhdinh" "/dot/$R/van-ban")
	curl -s -b "$tmp/so.binhdinh" -o "$tmp/$2" -w '%{http_code}' --data-urlencode "_csrf=$c" --data-urlencode "loai=$1" \
		--data-urlencode dinh_dang=pdf --data-urlencode cap_so=1 --data-urlencode "ngay=$(date +%Y-%m-%d)" "$base/dot/$R/van-ban"; }
register() { curl -s -b "$tmp/${2:-so.binhdinh}" "$base/dot/$R/so-van-ban" >"$tmp/$1.html"; }
row_of() { q "SELECT id FROM document_register WHERE type = '$1' ORDER BY id DESC LIMIT 1"; }
nsigned() { q "SELECT COUNT(*) FROM register_signed"; }

post "$tmp/admin" /quan-tri/chu-ky-so/ca ca -F "tep=@$tmp/ca.pem" >/dev/null
check generate-summary [ "$(generate bao-cao-tong-hop gen-rec.pdf)" = 200 ]
check generate-team [ "$(generate quyet-dinh-doan gen-team.pdf)" = 200 ]
E=$(row_of summary)
check registered [ -n "$E" ]
register reg0
check register-offers-upload has "$tmp/reg0.html" "action=\"/dot/$R/so-van-ban/$E/ban-ky\""
check register-upload-label has "$tmp/reg0.html" "Tải lên bản đã ký"
# the generated file, from the register, is what gets signed
curl -s -b "$tmp/so.binhdinh" -o "$tmp/rec.pdf" "$base/dot/$R/so-van-ban/$E"
check download-generated cmp -s "$tmp/rec.pdf" "$tmp/gen-rec.pdf"
export CHISO_P12_PASSWORD=test
"$CHISO" sign "$tmp/rec.pdf" --p12 "$tmp/good.p12" --out "$tmp/rec-signed.pdf" >/dev/null &&
"$CHISO" sign "$tmp/gen-team.pdf" --p12 "$tmp/good.p12" --out "$tmp/team-signed.pdf" >/dev/null &&
"$CHISO" sign "$tmp/rec.pdf" --p12 "$tmp/stranger.p12" --out "$tmp/rec-stranger.pdf" >/dev/null ||
	{ notok sign-fixture "chiso sign failed"; exit 1; }
cp "$tmp/rec-signed.pdf" "$tmp/rec-tampered.pdf"
printf 'X' | dd of="$tmp/rec-tampered.pdf" bs=1 seek=200 conv=notrunc 2>/dev/null

# ---- refused, nothing changed ---------------------------------------------------
up() { post "$tmp/${3:-so.binhdinh}" "/dot/$R/so-van-ban/$1/ban-ky" "$2" -F "tep=@$4;filename=ban-ky.pdf"; }
check unsigned-refused-422 [ "$(up "$E" u1 so.binhdinh "$tmp/rec.pdf")" = 422 ]
check unsigned-said has "$tmp/u1.html" "Tệp chưa được ký số"
check other-decision-refused-422 [ "$(up "$E" u2 so.binhdinh "$tmp/team-signed.pdf")" = 422 ]
check other-decision-said has "$tmp/u2.html" "không khớp với văn bản đã tạo"
check unknown-ca-refused-422 [ "$(up "$E" u3 so.binhdinh "$tmp/rec-stranger.pdf")" = 422 ]
check unknown-ca-said has "$tmp/u3.html" "Chứng thư không thuộc tổ chức chứng thực tin cậy"
check tampered-refused-422 [ "$(up "$E" u4 so.binhdinh "$tmp/rec-tampered.pdf")" = 422 ]
check principal-refused-403 [ "$(up "$E" u5 ht.52111001 "$tmp/rec-signed.pdf")" = 403 ]
check nothing-recorded [ "$(nsigned)" = 0 ]
register reg1
check register-unchanged hasnt "$tmp/reg1.html" "Bản đã ký số — hợp lệ"
curl -s -b "$tmp/so.binhdinh" -o "$tmp/still.pdf" "$base/dot/$R/so-van-ban/$E"
check download-still-generated cmp -s "$tmp/still.pdf" "$tmp/gen-rec.pdf"

# ---- accepted: the document of record --------------------------------------------
check signed-accepted-303 [ "$(up "$E" ok1 so.binhdinh "$tmp/rec-signed.pdf")" = 303 ]
check recorded-once [ "$(nsigned)" = 1 ]
check recorded-sha [ "$(q "SELECT sha256 FROM register_signed WHERE register_id = $E")" = "$(sha256sum "$tmp/rec-signed.pdf" | cut -c1-64)" ]
register reg2
row=$(tr -d '\n' <"$tmp/reg2.html" | grep -o "<tr data-register=\"$E\">.*" | sed 's|</tr>.*||')
case $row in *"Bản đã ký số — hợp lệ"*"Người ký: Nguyễn Văn An"*"Tải bản đã ký"*) ok register-row-signed ;;
*) notok register-row-signed "$row" ;; esac
curl -s -b "$tmp/so.binhdinh" -D "$tmp/dl.h" -o "$tmp/dl.pdf" "$base/dot/$R/so-van-ban/$E"
check download-signed-bytes cmp -s "$tmp/dl.pdf" "$tmp/rec-signed.pdf"
check download-signed-name grep -q 'da-ky.pdf' "$tmp/dl.h"
check audited [ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'register.signed' AND object_id = $E")" = 1 ]
# an entry of another office is not this round's
other=$(q "SELECT r.id FROM document_register r WHERE r.issuer_unit_id <> (SELECT office_unit_id FROM rounds WHERE id = $R) LIMIT 1")
if [ -n "$other" ]; then check other-office-404 [ "$(up "$other" u6 so.binhdinh "$tmp/rec-signed.pdf")" = 404 ]
else check missing-entry-404 [ "$(up 999999 u6 so.binhdinh "$tmp/rec-signed.pdf")" = 404 ]; fi
# ---- the Văn bản list serves the signed original ------------------------------------
curl -s -b "$tmp/so.binhdinh" "$base/dot/$R/van-ban" >"$tmp/docs.html"
D=$(q "SELECT id FROM documents WHERE sha256 = '$(sha256sum "$tmp/gen-rec.pdf" | cut -c1-64)' ORDER BY id DESC LIMIT 1")
check docs-list-marks-signed has "$tmp/docs.html" 'data-sig="signed-original">Bản đã ký số</span> <a href="/dot/'"$R/van-ban/$D"'"'
curl -s -b "$tmp/so.binhdinh" -D "$tmp/dd.h" -o "$tmp/dd.pdf" "$base/dot/$R/van-ban/$D"
check docs-list-serves-signed cmp -s "$tmp/dd.pdf" "$tmp/rec-signed.pdf"
check docs-list-signed-header grep -qi '^X-Chiso-Signed-Original: 1' "$tmp/dd.h"
# the team decision has no signed original: its generated file, unmarked
DT=$(q "SELECT id FROM documents WHERE sha256 = '$(sha256sum "$tmp/gen-team.pdf" | cut -c1-64)' ORDER BY id DESC LIMIT 1")
curl -s -b "$tmp/so.binhdinh" -o "$tmp/dt.pdf" "$base/dot/$R/van-ban/$DT"
check docs-list-unsigned-generated cmp -s "$tmp/dt.pdf" "$tmp/gen-team.pdf"
check docs-list-one-mark [ "$(grep -o 'data-sig="signed-original"' "$tmp/docs.html" | wc -l)" -eq 1 ]

# ---- a school's register: the principal files the school's signed tờ trình ----------
[ "$(signin "$tmp/ht.52102001" ht.52102001)" = 303 ] || notok signin-other-school
A=$(curl -s -b "$tmp/ht.52111001" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
gen_assess() {   # JAR LOAI OUT — a numbered PDF of the assessment; prints the status
	c=$(form_csrf "$tmp/$1" "/danh-gia/$A/van-ban")
	curl -s -b "$tmp/$1" -o "$tmp/$3" -w '%{http_code}' --data-urlencode "_csrf=$c" --data-urlencode "loai=$2" \
		--data-urlencode dinh_dang=pdf --data-urlencode cap_so=1 --data-urlencode "ngay=$(date +%Y-%m-%d)" "$base/danh-gia/$A/van-ban"; }
check school-generate [ "$(gen_assess ht.52111001 to-trinh gen-ttr.pdf)" = 200 ]
check office-generate-eval-side [ "$(gen_assess so.binhdinh bien-ban-danh-gia-ngoai gen-bb.pdf)" = 200 ]
ES=$(q "SELECT id FROM document_register WHERE type = 'request' AND object_id = $A ORDER BY id DESC LIMIT 1")
EO=$(q "SELECT id FROM document_register WHERE type = 'external-minutes' AND object_id = $A ORDER BY id DESC LIMIT 1")
check school-registered [ -n "$ES" ] && [ -n "$EO" ]
curl -s -b "$tmp/ht.52111001" "$base/danh-gia/$A/so-van-ban" >"$tmp/sreg0.html"
check school-register-offers-upload has "$tmp/sreg0.html" "action=\"/danh-gia/$A/so-van-ban/$ES/ban-ky\""
check school-register-lists-office-doc has "$tmp/sreg0.html" "<tr data-register=\"$EO\">"
check school-register-no-upload-of-office-doc hasnt "$tmp/sreg0.html" "action=\"/danh-gia/$A/so-van-ban/$EO/ban-ky\""
"$CHISO" sign "$tmp/gen-ttr.pdf" --p12 "$tmp/good.p12" --out "$tmp/ttr-signed.pdf" >/dev/null &&
"$CHISO" sign "$tmp/gen-bb.pdf" --p12 "$tmp/good.p12" --out "$tmp/bb-signed.pdf" >/dev/null || notok sign-school-fixture
sup() { post "$tmp/$3" "/danh-gia/$A/so-van-ban/$1/ban-ky" "$2" -F "tep=@$4;filename=ban-ky.pdf"; }
n0=$(nsigned)
check school-unsigned-422 [ "$(sup "$ES" s1 ht.52111001 "$tmp/gen-ttr.pdf")" = 422 ]
check school-unsigned-said has "$tmp/s1.html" "Tệp chưa được ký số"
check school-other-doc-422 [ "$(sup "$ES" s2 ht.52111001 "$tmp/bb-signed.pdf")" = 422 ]
check school-other-doc-said has "$tmp/s2.html" "không khớp với văn bản đã tạo"
check school-by-office-403 [ "$(sup "$ES" s3 so.binhdinh "$tmp/ttr-signed.pdf")" = 403 ]
check school-by-other-school-403 [ "$(sup "$ES" s4 ht.52102001 "$tmp/ttr-signed.pdf")" = 403 ]
check school-office-doc-by-principal-403 [ "$(sup "$EO" s5 ht.52111001 "$tmp/bb-signed.pdf")" = 403 ]
check school-round-entry-404 [ "$(sup "$E" s6 ht.52111001 "$tmp/rec-signed.pdf")" = 404 ]
check school-nothing-recorded [ "$(nsigned)" = "$n0" ]
check school-signed-303 [ "$(sup "$ES" s7 ht.52111001 "$tmp/ttr-signed.pdf")" = 303 ]
check office-eval-side-signed-303 [ "$(sup "$EO" s8 so.binhdinh "$tmp/bb-signed.pdf")" = 303 ]
check school-recorded [ "$(q "SELECT origin_sha256 = '$(sha256sum "$tmp/gen-ttr.pdf" | cut -c1-64)' FROM register_signed WHERE register_id = $ES")" = 1 ]
check school-audited [ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'register.signed' AND object_id IN ($ES, $EO)")" = 2 ]
curl -s -b "$tmp/ht.52111001" "$base/danh-gia/$A/so-van-ban" >"$tmp/sreg1.html"
row=$(tr -d '\n' <"$tmp/sreg1.html" | grep -o "<tr data-register=\"$ES\">.*" | sed 's|</tr>.*||')
case $row in *"Bản đã ký số — hợp lệ"*"Người ký: Nguyễn Văn An"*"Tải bản đã ký"*) ok school-register-row-signed ;;
*) notok school-register-row-signed "$row" ;; esac
curl -s -b "$tmp/ht.52111001" -o "$tmp/sdl.pdf" "$base/danh-gia/$A/so-van-ban/$ES"
check school-download-signed cmp -s "$tmp/sdl.pdf" "$tmp/ttr-signed.pdf"
curl -s -b "$tmp/so.binhdinh" -o "$tmp/odl.pdf" "$base/danh-gia/$A/so-van-ban/$EO"
check office-eval-side-download-signed cmp -s "$tmp/odl.pdf" "$tmp/bb-signed.pdf"
check school-download-other-school-403 [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht.52102001" "$base/danh-gia/$A/so-van-ban/$ES")" = 403 ]
check school-download-round-entry-404 [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht.52111001" "$base/danh-gia/$A/so-van-ban/$E")" = 404 ]
# the school's Văn bản list: both signed originals marked, served signed
curl -s -b "$tmp/ht.52111001" "$base/danh-gia/$A/van-ban" >"$tmp/sdocs.html"
check school-docs-marks-signed [ "$(grep -o 'data-sig="signed-original"' "$tmp/sdocs.html" | wc -l)" -eq 2 ]
DS=$(q "SELECT id FROM documents WHERE sha256 = '$(sha256sum "$tmp/gen-ttr.pdf" | cut -c1-64)' ORDER BY id DESC LIMIT 1")
curl -s -b "$tmp/ht.52111001" -o "$tmp/sdd.pdf" "$base/danh-gia/$A/van-ban/$DS"
check school-docs-serves-signed cmp -s "$tmp/sdd.pdf" "$tmp/ttr-signed.pdf"

server_clean server-clean-exit
