#!/bin/sh
# HTTP tests of the 2025-2026 chain of responsibility (issue 11) on the demo
# data set: the merged province (Gia Lai from 1/7/2025, the dissolved Sở
# of Bình Định keeping its 2024-2025 rounds, documents headed by the
# bodies of their date); a commune's dashboard of the schools it manages
# and its reminders to the late ones (page_commune.c); the Sở's province
# roll-up across its own rounds and those of the dissolved Phòng
# (page_province.c). One "ok NAME" / "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
tmp=$(mktemp -d)
server_pid= sinkpid=
cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
# check NAME WANT GOT [PATTERN]: the status, and a fixed string in the last body
check() {
	if [ "$3" = "$2" ] && { [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/out"; }; then ok "$1"
	else notok "$1" "status $3 (wanted $2)${4:+, pattern: $4}" "$(sed 's/<[^>]*>/ /g' "$tmp/out" | tr -s ' \n' ' ' | head -c 400)"; fi
}
# lacks NAME PATTERN: the last body does not hold the fixed string
lacks() { if grep -qF -- "$2" "$tmp/out"; then notok "$1" "found: $2"; else ok "$1"; fi; }

demo_fixture || { notok demo-fixture; exit 1; }
db="$tmp/chiso.db"
q() { sqlite3 -batch "$db" "$1"; }

# ---- the demo: the merged province ----------------------------------------------------------
name_of() { q "SELECT name FROM units WHERE code = '$1'"; }
[ "$(name_of 52000000)" = "Sở Giáo dục và Đào tạo tỉnh Gia Lai" ] && [ "$(name_of 52000001)" = "Sở Giáo dục và Đào tạo tỉnh Bình Định" ] \
	&& ok demo-two-so || notok demo-two-so "$(name_of 52000000) / $(name_of 52000001)"
CUR=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC LIMIT 1")
OLD=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000001' AND r.title LIKE 'Đánh giá mức độ chuyển đổi số năm học%'")
[ -n "$CUR" ] && [ -n "$OLD" ] && [ "$(q "SELECT school_year FROM rounds WHERE id = $OLD")" = 2024-2025 ] \
	&& ok demo-rounds-by-office || notok demo-rounds-by-office "cur=$CUR old=$OLD"
# a THPT: the Sở of Bình Định until 30/6/2025, the Sở of Gia Lai from 1/7/2025
THPT=$(q "SELECT id FROM units WHERE code = '52103001'")
rel() { q "SELECT o.code FROM unit_relations r JOIN units o ON o.id = r.other_unit_id WHERE r.unit_id = $THPT AND r.kind = '$1' AND r.valid_from <= '$2' AND (r.valid_to IS NULL OR r.valid_to > '$2')"; }
[ "$(rel evaluator 2025-05-31)" = 52000001 ] && [ "$(rel evaluator 2025-09-05)" = 52000000 ] && [ "$(rel parent 2025-09-05)" = 52000000 ] \
	&& ok demo-upper-secondary-moves-on-reform || notok demo-upper-secondary-moves-on-reform "$(rel evaluator 2025-05-31) $(rel evaluator 2025-09-05)"
# documents of each year are headed by that year's bodies, UBND tỉnh above the Sở
heading() {
	"$CHISO" doc recognition --round "$1" --format docx --db "$db" --out "$tmp/h.docx" >/dev/null 2>&1 &&
		unzip -p "$tmp/h.docx" word/document.xml | sed 's/<[^>]*>/ /g' | tr -s ' ' | head -c 400
}
h=$(heading "$CUR")
case $h in *"ỦY BAN NHÂN DÂN TỈNH GIA LAI SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH GIA LAI"*) ok doc-current-headed-gia-lai ;;
	*) notok doc-current-headed-gia-lai "$h" ;; esac
h=$(heading "$OLD")
case $h in *"ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH BÌNH ĐỊNH"*"Bình Định, ngày"*) ok doc-2024-headed-binh-dinh ;;
	*) notok doc-2024-headed-binh-dinh "$h" ;; esac
