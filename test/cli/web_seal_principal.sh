#!/bin/sh
# HTTP tests of issue 17, item 4: the seal by the principal's certificate.
# The school submits (sealed by the server's key); its principal downloads
# the sealed manifest from /danh-gia/{id}/niem-phong, signs it outside with
# the openssl CLI (a detached CMS, as the CA's signing software makes) and
# uploads the signature. It becomes the latest seal; `chiso verify
# --submission` and the office's review page say the principal's
# certificate sealed it. Refused: a signature of another file, an
# untrusted certificate, garbage, anyone but the school's head, and a
# manifest that no longer matches the data.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"
. "$(dirname "$0")/lib/pki.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
has() { grep -qF -- "$2" "$1"; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
pki_make "$tmp" || { notok seal-pki "openssl could not make the test PKI"; exit 1; }
start_server || { notok server-start; exit 1; }
for who in admin so.binhdinh ht.52111001 ht.52102001; do
	[ "$(signin "$tmp/$who" $who)" = 303 ] || { notok "signin-$who"; exit 1; }
done
A=$(curl -s -b "$tmp/ht.52111001" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
post() { jar=$1 path=$2 out=$3; shift 3
	c=$(form_csrf "$jar" /)
	curl -s -o "$tmp/$out.html" -D "$tmp/$out.h" -w '%{http_code}' -b "$jar" -c "$jar" -F "_csrf=$c" "$@" "$base$path"; }
check trust-ca-installed [ "$(post "$tmp/admin" /quan-tri/chu-ky-so/ca add -F "tep=@$tmp/ca.pem")" = 303 ]

# before the submission: nothing to sign
curl -s -o /dev/null -w '%{http_code}' -b "$tmp/ht.52111001" "$base/danh-gia/$A/niem-phong/ban-ke" >"$tmp/st0"
check manifest-before-submit-404 [ "$(cat "$tmp/st0")" = 404 ]
for act in consolidate approve; do post "$tmp/ht.52111001" "/danh-gia/$A/chuyen" act -F "action=$act" >/dev/null; done
check submitted [ "$(post "$tmp/ht.52111001" "/danh-gia/$A/gui" submit -F do=send -F "letter=Kính gửi Sở Giáo dục và Đào tạo")" = 303 ]
curl -s -b "$tmp/ht.52111001" "$base/danh-gia/$A/gui" >"$tmp/gui.html"
check submit-page-links-seal has "$tmp/gui.html" "/danh-gia/$A/niem-phong"
curl -s -b "$tmp/ht.52111001" "$base/danh-gia/$A/niem-phong" >"$tmp/seal.html"
check seal-page-server-key has "$tmp/seal.html" 'data-seal="server"'
check seal-page-form has "$tmp/seal.html" "action=\"/danh-gia/$A/niem-phong\""
curl -s -b "$tmp/so.binhdinh" "$base/danh-gia/$A/niem-phong" >"$tmp/seal-office.html"
check seal-page-no-form-for-office sh -c "! grep -qF 'action=\"/danh-gia/$A/niem-phong\"' '$tmp/seal-office.html'"
curl -s -b "$tmp/ht.52111001" -o "$tmp/manifest.json" "$base/danh-gia/$A/niem-phong/ban-ke"
# the manifest served is the sealed one, byte for byte
check manifest-is-sealed [ "$(sqlite3 "$tmp/chiso.db" "SELECT manifest FROM submission_seals WHERE assessment_id = $A ORDER BY id DESC LIMIT 1")" = "$(cat "$tmp/manifest.json")" ]

# signed outside: the principal's certificate (good), a stranger's, another file
sign_cms() { openssl cms -sign -binary -md sha256 -in "$1" -signer "$tmp/$2.pem" -inkey "$tmp/$2.key" -outform "$3" -out "$4"; }
sign_cms "$tmp/manifest.json" good DER "$tmp/good.p7s"
sign_cms "$tmp/manifest.json" good PEM "$tmp/good.pem.p7s"
sign_cms "$tmp/manifest.json" stranger DER "$tmp/stranger.p7s"
printf '{"assessment_id":%s}' "$A" >"$tmp/other.json"
sign_cms "$tmp/other.json" good DER "$tmp/other.p7s"
st=$(post "$tmp/ht.52111001" "/danh-gia/$A/niem-phong" r1 -F "tep=@$tmp/other.p7s")
check principal-other-file-422 [ "$st" = 422 ] && check principal-other-file-said has "$tmp/r1.html" "không khớp với bản kê"
st=$(post "$tmp/ht.52111001" "/danh-gia/$A/niem-phong" r2 -F "tep=@$tmp/stranger.p7s")
check principal-untrusted-422 [ "$st" = 422 ] && check principal-untrusted-said has "$tmp/r2.html" "Chứng thư không thuộc tổ chức chứng thực tin cậy"
st=$(post "$tmp/ht.52111001" "/danh-gia/$A/niem-phong" r3 -F "tep=@$tmp/manifest.json")
check principal-garbage-422 [ "$st" = 422 ] && check principal-garbage-said has "$tmp/r3.html" "không phải chữ ký số CMS"
check principal-office-403 [ "$(post "$tmp/so.binhdinh" "/danh-gia/$A/niem-phong" r4 -F "tep=@$tmp/good.p7s")" = 403 ]
st=$(post "$tmp/ht.52102001" "/danh-gia/$A/niem-phong" r5 -F "tep=@$tmp/good.p7s")
check principal-other-school-refused sh -c "[ $st = 403 ] || [ $st = 404 ]"
check principal-still-server-seal [ "$(sqlite3 "$tmp/chiso.db" "SELECT COUNT(*) FROM submission_seals WHERE assessment_id = $A")" = 1 ]

# accepted (PEM as the signing software may give it)
check principal-accepted [ "$(post "$tmp/ht.52111001" "/danh-gia/$A/niem-phong" ok1 -F "tep=@$tmp/good.pem.p7s")" = 303 ]
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 0:*"dữ liệu không thay đổi"*"Khóa niêm phong: chứng thư số của hiệu trưởng — Nguyễn Văn An, Phòng Giáo dục và Đào tạo Nha Trang (Đã ký số — hợp lệ)"*)
	ok principal-seal-verifies ;; *) notok principal-seal-verifies "status $rc" "$out" ;; esac
check principal-seal-audited [ "$(sqlite3 "$tmp/chiso.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'seal.principal'")" = 1 ]
curl -s -b "$tmp/so.binhdinh" "$base/xet-duyet/$A" >"$tmp/review.html"
check review-shows-principal has "$tmp/review.html" 'data-seal="principal"'
check review-principal-signer has "$tmp/review.html" "chứng thư số của hiệu trưởng — Nguyễn Văn An"
check review-principal-intact has "$tmp/review.html" "Niêm phong hợp lệ — dữ liệu không thay đổi từ khi nộp"

# the data changed since: the principal's seal shows it, and a new signature is refused
sqlite3 "$tmp/chiso.db" "UPDATE evidence_files SET original_name = 'doi-ten-' || original_name WHERE id = (SELECT MIN(f.id) FROM evidence_files f JOIN evidence e ON e.id = f.evidence_id WHERE e.assessment_id = $A)"
out=$("$CHISO" verify --submission "$A" --db "$tmp/chiso.db" 2>&1); rc=$?
case "$rc:$out" in 1:*"Dữ liệu đã thay đổi sau khi nộp"*"hiệu trưởng"*) ok principal-seal-shows-change ;; *) notok principal-seal-shows-change "status $rc" "$out" ;; esac
st=$(post "$tmp/ht.52111001" "/danh-gia/$A/niem-phong" r6 -F "tep=@$tmp/good.p7s")
check principal-after-change-422 [ "$st" = 422 ] && check principal-after-change-said has "$tmp/r6.html" "đã thay đổi sau khi gửi"
server_clean server-clean-exit
