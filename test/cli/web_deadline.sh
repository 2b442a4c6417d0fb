#!/bin/sh
# A passed deadline is said early (issue 16, item 5): on the demo with the
# current round's self-assessment deadline moved into the past, a school that
# has not sent its file reads on its home that it is late, that the file
# cannot be sent yet, and which office alone can extend — instead of "Gửi hồ
# sơ … trước hạn"; a school that has sent its file does not. And the source
# tags of criteria come with a sentence a principal understands.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
tmp=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }

if ! demo_fixture; then notok demo-fixture "chiso demo failed"; exit 1; fi
sqlite3 "$tmp/chiso.db" "update rounds set self_due = '2026-01-05' where state = 'open'" || { notok move-deadline; exit 1; }
start_server || { notok server-start; exit 1; }
[ "$(signin "$tmp/late" ht.52101001)" = 303 ] && [ "$(signin "$tmp/sent" ht.52102001)" = 303 ] || { notok signin; exit 1; }
curl -s -b "$tmp/late" "$base/" | tr -s ' \n' ' ' >"$tmp/late.html"
check late-said-on-home grep -q 'Đã quá hạn gửi hồ sơ</strong> (05/01/2026)' "$tmp/late.html"
check late-who-extends grep -q 'Chỉ <strong>Sở Giáo dục và Đào tạo[^<]*</strong> gia hạn được' "$tmp/late.html"
check late-no-before-deadline-advice sh -c "! grep -q 'trước hạn' '$tmp/late.html'"
curl -s -b "$tmp/sent" "$base/" >"$tmp/sent.html"
check sent-not-warned sh -c "! grep -q 'Đã quá hạn gửi hồ sơ' '$tmp/sent.html'"
# plain words (issue 16, item 9): a source tag is explained in one sentence behind its info mark
aid=$(curl -s -b "$tmp/late" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1)
curl -s -b "$tmp/late" "$base/danh-gia/$aid" >"$tmp/form.html"
check source-tag-explained grep -q '<details class="source-info"><summary><span class="badge third-party">cách tính điểm: bên thứ ba</span>.*Theo bản mã hoá của một phần mềm khác, chưa đối chiếu văn bản gốc.' "$tmp/form.html"
server_clean server-clean-exit
