#!/bin/sh
# chiso visit list|add|remove (cmd_visit.c): the external team's visit
# schedule of a round from the command line, on the demo data set's open
# round of the Sở, through the page's store functions (q_visit.c): a unit
# of the round, a day, members of the round's team by login; conflicts (a
# member twice the same day, a unit visited twice) recorded and flagged,
# never refused; what the page refuses the CLI refuses (a unit outside the
# round, an outsider, no member, a bad date, a closed round); the rows the
# CLI writes are the page's (the page shows them). One "ok NAME" /
# "not ok NAME" line per case.
set -u
CHISO=${CHISO:-build/chiso}
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got '$2', wanted '$3'"; fi; }
has() { if grep -qF -- "$2" "$tmp/out"; then ok "$1"; else notok "$1" "missing '$2'" "$(head -5 "$tmp/out")"; fi; }

demo_fixture || { notok demo-fixture; exit 1; }
db=$tmp/chiso.db
q() { sqlite3 "$db" "$1"; }
v() { "$CHISO" visit "$@" --db "$db" >"$tmp/out" 2>&1; echo $?; }

R=$(q "select r.id from rounds r join units o on o.id = r.office_unit_id where o.type = 'so' and r.state = 'open' order by r.id limit 1")
[ -n "$R" ] && ok demo-open-round || { notok demo-open-round; exit 1; }
team() { q "select a.login from external_team_members m join external_teams t on t.id = m.team_id join accounts a on a.id = m.account_id
            where t.round_id = $R and m.post = '$1' order by m.account_id limit 1"; }
HEAD=$(team truong_doan); SEC=$(team thu_ky); MEM=$(team thanh_vien)
SEC_NAME=$(q "select full_name from accounts where login = '$SEC'")
OUTSIDER=$(q "select login from accounts where id not in (select m.account_id from external_team_members m join external_teams t
              on t.id = m.team_id where t.round_id = $R) order by id limit 1")
unit() { q "select u.code from assessments a join units u on u.id = a.unit_id where a.round_id = $R order by u.code limit 1 offset $1"; }
U1=$(unit 0); U2=$(unit 1); U3=$(unit 2)
U1_NAME=$(q "select name from units where code = '$U1'")
FOREIGN=$(q "select code from units where id not in (select unit_id from assessments where round_id = $R) order by type = 'phong' desc, code limit 1")
if [ -n "$HEAD" ] && [ -n "$SEC" ] && [ -n "$MEM" ] && [ -n "$U3" ] && [ -n "$OUTSIDER" ] && [ -n "$FOREIGN" ]; then ok demo-team
else notok demo-team "head '$HEAD' sec '$SEC' mem '$MEM' u3 '$U3' outsider '$OUTSIDER' foreign '$FOREIGN'"; fi

is list-empty "$(v list --round "$R")" 0
has list-empty-says "Chưa có lịch kiểm tra nào."
is add-1 "$(v add --round "$R" --unit "$U1" --date 2027-01-05 --member "$HEAD" --member "$SEC")" 0
has add-1-says "Đã thêm lịch"
has add-1-no-conflict "1 lượt kiểm tra; 0 trường hợp trùng lịch."
# the secretary the same day elsewhere, and the first unit again (Vietnamese date form)
is add-2-conflict-recorded "$(v add --round "$R" --unit "$U2" --date 05/01/2027 --member "$SEC" --member "$MEM")" 0
has add-2-member-flagged "Trùng lịch: $SEC_NAME ngày 05/01/2027"
is add-3 "$(v add --round "$R" --unit "$U1" --date 2027-01-06 --member "$MEM" --note "Kiểm tra bổ sung")" 0
has add-3-unit-flagged "Đơn vị có hai lịch: $U1_NAME (ngày 05/01/2027 và 06/01/2027"
is stored "$(q "select count(*) from round_visits where round_id = $R")" 3
is members-stored "$(q "select count(*) from round_visit_members m join round_visits x on x.id = m.visit_id where x.round_id = $R")" 5
is audited "$(q "select count(*) from audit_log where action = 'round.visit' and object_id = $R")" 3
is list "$(v list --round "$R")" 0
has list-counts "3 lượt kiểm tra; 2 trường hợp trùng lịch."
has list-note "Kiểm tra bổ sung"
n=$(grep -c '^! ' "$tmp/out")
is list-marks-conflicting-rows "$n" 3

# refused as the page refuses (exit 2, the store's Vietnamese message), nothing stored
is outsider-refused "$(v add --round "$R" --unit "$U3" --date 2027-01-08 --member "$OUTSIDER")" 2
has outsider-says "không thuộc Đoàn kiểm tra của đợt"
is foreign-unit-refused "$(v add --round "$R" --unit "$FOREIGN" --date 2027-01-08 --member "$HEAD")" 2
has foreign-unit-says "Đơn vị không thuộc đợt đánh giá này"
is no-member-refused "$(v add --round "$R" --unit "$U3" --date 2027-01-08)" 2
is bad-date-refused "$(v add --round "$R" --unit "$U3" --date 2027-02-30 --member "$HEAD")" 2
is unknown-login-refused "$(v add --round "$R" --unit "$U3" --date 2027-01-08 --member khong.co.ai)" 2
is unknown-round-refused "$(v list --round 999999)" 2
is still-three "$(q "select count(*) from round_visits where round_id = $R")" 3

# the page shows what the CLI wrote, conflicts flagged
start_server || { notok server; exit 1; }
jar=$tmp/so.jar
is signin "$(signin "$jar" so.binhdinh)" 303
curl -s -b "$jar" -o "$tmp/out" "$base/dot/$R/lich-kiem-tra"
has page-shows-cli-visits "3 lượt kiểm tra; 2 trường hợp trùng lịch."

V3=$(q "select id from round_visits where round_id = $R order by id desc limit 1")
is remove "$(v remove --round "$R" --visit "$V3")" 0
is removed "$(q "select count(*) from round_visits where round_id = $R")" 2
is remove-again-refused "$(v remove --round "$R" --visit "$V3")" 2
v list --round "$R" >/dev/null
has list-after-remove "2 lượt kiểm tra; 1 trường hợp trùng lịch."

# a closed round's schedule is read, never changed
q "update rounds set state = 'closed' where id = $R"
is closed-refused "$(v add --round "$R" --unit "$U3" --date 2027-01-09 --member "$HEAD")" 2
has closed-says "Đợt đánh giá đã kết thúc"
is closed-list "$(v list --round "$R")" 0
