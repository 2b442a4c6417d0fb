#!/bin/sh
# HTTP tests of batch documents (page_job.c, doc_batch.c, job.c) on the demo
# data set: the Sở's officer starts a batch of external-evaluation minutes for
# its current round on the "Văn bản" tab; the job runs in the server's
# background worker while its page shows a progress bar (polled JSON status,
# a meta refresh without JavaScript); the ZIP then holds one PDF per evaluated
# unit whose text names that unit (with its diacritics) and a danh-sach.csv
# whose SHA-256 values are those of the files. Another office and a school get
# 403 on create, status and download; an unknown type or format is refused in
# Vietnamese (422), as is another office's round (403); a job is cancelled; a
# server stopped with SIGTERM gives its job back and one killed with -9 mid-job
# has it run again after restart (the lease ran out).
# One "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO="$PWD/$CHISO" ;; esac
export CHISO_FRAMEWORKS="${CHISO_FRAMEWORKS:-$PWD/frameworks}"
tmp=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1 st=$2; shift 2; if [ "$st" -eq 0 ]; then ok "$name"; else notok "$name" "$@"; fi; }
has() { grep -qF -- "$2" "$1"; }
jget() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2" 2>/dev/null; }

demo_fixture || { notok fixture; exit 1; }
db="$tmp/chiso.db"
q() { sqlite3 -batch "$db" "$1"; }
"$CHISO" init --db "$db" >/dev/null 2>&1   # the jobs table, if the fixture predates it
# the Sở's current round: every workflow state
R=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
# a round of a Phòng under it: not the Sở's to batch
RP=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52100000' LIMIT 1")
EVALUATED="'evaluated', 'recognised', 'published'"
n_eval=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = $R AND state IN ($EVALUATED)")
[ -n "$R" ] && [ -n "$RP" ] && [ "$n_eval" -gt 0 ] || { notok setup "round $R/$RP, $n_eval evaluated"; exit 1; }

# a short lease, so that a killed server's job is taken again within seconds
start_server CHISO_JOB_LEASE=2 || { notok server; exit 1; }
so=$tmp/so; phong=$tmp/phong; ht=$tmp/ht
[ "$(signin "$so" so.binhdinh)" = 303 ] && [ "$(signin "$phong" phong.quynhon)" = 303 ] && [ "$(signin "$ht" ht.52100001)" = 303 ] \
	&& ok signin || { notok signin; exit 1; }

# ---- the form on the round's "Văn bản" tab ------------------------------------------------------
curl -s -b "$so" "$base/dot/$R/van-ban" -o "$tmp/tab.html"
check tab-has-batch-form "$(has "$tmp/tab.html" 'Tạo hàng loạt' && has "$tmp/tab.html" "action=\"/dot/$R/van-ban/hang-loat\"" \
	&& has "$tmp/tab.html" 'value="bien-ban-danh-gia-ngoai"'; echo $?)"
csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/tab.html" | head -1)

post() {   # post JAR PATH FIELDS… — prints the status; body in $tmp/post.html, headers in $tmp/post.h
	jar=$1 path=$2; shift 2
	c=$(form_csrf "$jar" "/dot/$R/van-ban")
	[ -n "$c" ] || c=$(form_csrf "$jar" "/")
	set -- --data-urlencode "_csrf=$c" "$@"
	curl -s -b "$jar" -o "$tmp/post.html" -D "$tmp/post.h" -w '%{http_code}' "$@" "$base$path"
}

# ---- start, follow, download --------------------------------------------------------------------
st=$(curl -s -b "$so" -o /dev/null -D "$tmp/h" -w '%{http_code}' --data-urlencode "_csrf=$csrf" \
	--data-urlencode "loai=bien-ban-danh-gia-ngoai" --data-urlencode "dinh_dang=pdf" "$base/dot/$R/van-ban/hang-loat")
loc=$(sed -n 's/^[Ll]ocation: *\([^[:space:]]*\).*/\1/p' "$tmp/h")
J=${loc##*/}
check create-redirects-to-job "$([ "$st" = 303 ] && case $loc in "/dot/$R/van-ban/hang-loat/"[0-9]*) true ;; *) false ;; esac; echo $?)" "status $st, location $loc"
curl -s -b "$so" "$base$loc" -o "$tmp/job.html"
check job-page-progress "$(has "$tmp/job.html" '<progress id="job-progress"' && has "$tmp/job.html" 'văn bản</span>' \
	&& has "$tmp/job.html" "data-job-status=\"$loc/trang-thai\""; echo $?)" "$(grep -o '<section class="card" id="cong-viec".\{0,300\}' "$tmp/job.html")"
i=0 state=
while [ $i -lt 600 ]; do
	curl -s -b "$so" "$base$loc/trang-thai" -o "$tmp/status.json"
	state=$(jget "$tmp/status.json" state)
	case $state in done|failed|cancelled) break ;; esac
	i=$((i + 1)); sleep 0.2
done
check job-done "$([ "$state" = done ] && [ "$(jget "$tmp/status.json" done)" = "$n_eval" ] && [ "$(jget "$tmp/status.json" total)" = "$n_eval" ]; echo $?)" "$(cat "$tmp/status.json")"
check status-message "$(jget "$tmp/status.json" message | grep -qF "Đã tạo $n_eval/$n_eval văn bản."; echo $?)" "$(cat "$tmp/status.json")"
curl -s -b "$so" "$base$loc" -o "$tmp/job.html"
check done-page-links-zip "$(has "$tmp/job.html" "href=\"$loc/tai-ve\"" && has "$tmp/job.html" 'Hoàn thành' && ! has "$tmp/job.html" 'http-equiv="refresh"'; echo $?)"

st=$(curl -s -b "$so" -D "$tmp/zh" -o "$tmp/batch.zip" -w '%{http_code}' "$base$loc/tai-ve")
check download-zip "$([ "$st" = 200 ] && grep -qi '^content-type: application/zip' "$tmp/zh" \
	&& grep -qi "^content-disposition: attachment; filename=\"bien-ban-danh-gia-ngoai-dot$R-[0-9-]*\.zip\"" "$tmp/zh"; echo $?)" "$(cat "$tmp/zh")"
check zip-sha-matches-job "$([ "$(sha256sum "$tmp/batch.zip" | cut -d' ' -f1)" = "$(jget "$tmp/status.json" sha256)" ]; echo $?)"

mkdir -p "$tmp/x" && (cd "$tmp/x" && unzip -q "$tmp/batch.zip")
npdf=$(ls "$tmp/x" | grep -c '\.pdf$')
check one-pdf-per-evaluated-unit "$([ "$npdf" = "$n_eval" ] && unzip -l "$tmp/batch.zip" | grep -q ' danh-sach.csv$'; echo $?)" "$npdf PDFs, $n_eval units"
check file-names-ascii "$(ls "$tmp/x" | grep '\.pdf$' | grep -qv '^[0-9][0-9][0-9]-[A-Za-z0-9-]*-bien-ban-danh-gia-ngoai\.pdf$'; [ $? = 1 ]; echo $?)" \
	"$(ls "$tmp/x" | head -3)"
# the manifest: one row per unit, names as in the database, SHA-256 of each file
tail -n +2 "$tmp/x/danh-sach.csv" | tr -d '\r' >"$tmp/rows.csv"
cut -d, -f4 "$tmp/rows.csv" | sort >"$tmp/names.csv"
q "SELECT u.name FROM assessments a JOIN units u ON u.id = a.unit_id WHERE a.round_id = $R AND a.state IN ($EVALUATED)" | sort >"$tmp/names.db"
check manifest-units "$(cmp -s "$tmp/names.csv" "$tmp/names.db"; echo $?)" "$(diff "$tmp/names.csv" "$tmp/names.db" | head -5)"
bad=0 badtext=0 checked=0 first=
while IFS=, read -r no file code name state docid sha size err; do
	checked=$((checked + 1))
	[ -f "$tmp/x/$file" ] || { bad=$((bad + 1)); continue; }
	[ "$(sha256sum "$tmp/x/$file" | cut -d' ' -f1)" = "$sha" ] || bad=$((bad + 1))
	[ "$(stat -c %s "$tmp/x/$file")" = "$size" ] || bad=$((bad + 1))
	pdftotext "$tmp/x/$file" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' | grep -qF "$name" || { badtext=$((badtext + 1)); first=${first:-$file: $name}; }
done <"$tmp/rows.csv"
check manifest-sha256-matches-files "$([ "$bad" = 0 ] && [ "$checked" = "$n_eval" ]; echo $?)" "$bad mismatches in $checked rows"
check each-pdf-names-its-unit "$([ "$badtext" = 0 ]; echo $?)" "$badtext PDFs without their unit's name, first: $first"
check alphabetical-order "$(head -1 "$tmp/rows.csv" | grep -q '^001,001-'; echo $?)"
# recorded like single generation: a documents row per file, under the officer
nrec=$(q "SELECT COUNT(*) FROM documents d JOIN accounts a ON a.id = d.generated_by WHERE a.login = 'so.binhdinh' AND d.type = 'external-minutes'")
check documents-recorded "$([ "$nrec" = "$n_eval" ]; echo $?)" "$nrec rows"
naudit=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'job.done' AND object_id = $J")
check job-audited "$([ "$naudit" = 1 ]; echo $?)"
curl -s -b "$so" "$base/dot/$R/van-ban" -o "$tmp/tab2.html"
check tab-lists-past-job "$(has "$tmp/tab2.html" 'Các lần tạo hàng loạt' && has "$tmp/tab2.html" "href=\"$loc\"" && has "$tmp/tab2.html" 'Hoàn thành'; echo $?)"

# ---- who may ----------------------------------------------------------------------------------
for who in phong ht; do
	jar=$tmp/$who
	c=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$loc/trang-thai")
	d=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$loc/tai-ve")
	p=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$loc")
	n=$(post "$jar" "/dot/$R/van-ban/hang-loat" --data-urlencode "loai=bien-ban-danh-gia-ngoai" --data-urlencode "dinh_dang=pdf")
	k=$(post "$jar" "$loc/huy")
	check "$who-403" "$([ "$c$d$p$n$k" = 403403403403403 ]; echo $?)" "status $c, download $d, page $p, create $n, cancel $k"
done
njobs=$(q "SELECT COUNT(*) FROM jobs")
check refused-creates-nothing "$([ "$njobs" = 1 ]; echo $?)" "$njobs jobs"
# the Phòng's own round does not show the Sở's job
st=$(curl -s -b "$phong" -o "$tmp/other.html" -w '%{http_code}' "$base/dot/$RP/van-ban/hang-loat/$J/trang-thai")
check job-of-another-round-404 "$([ "$st" = 404 ]; echo $?)" "status $st"

# ---- bad input ----------------------------------------------------------------------------------
st=$(post "$so" "/dot/$R/van-ban/hang-loat" --data-urlencode "loai=bang-diem" --data-urlencode "dinh_dang=pdf")
check unknown-type-422 "$([ "$st" = 422 ] && has "$tmp/post.html" 'Loại văn bản không có trong danh sách'; echo $?)" "status $st"
st=$(post "$so" "/dot/$R/van-ban/hang-loat" --data-urlencode "loai=bao-cao" --data-urlencode "dinh_dang=odt")
check unknown-format-422 "$([ "$st" = 422 ] && has "$tmp/post.html" 'Định dạng không hợp lệ: chọn PDF hoặc DOCX'; echo $?)" "status $st"
st=$(post "$so" "/dot/$R/van-ban/hang-loat" --data-urlencode "loai=quyet-dinh-cong-nhan" --data-urlencode "dinh_dang=pdf")
check round-type-422 "$([ "$st" = 422 ] && has "$tmp/post.html" 'văn bản chung của cả đợt'; echo $?)" "status $st"
st=$(post "$so" "/dot/$RP/van-ban/hang-loat" --data-urlencode "loai=bao-cao" --data-urlencode "dinh_dang=pdf")
check foreign-round-403 "$([ "$st" = 403 ] && grep -q 'class="error"' "$tmp/post.html"; echo $?)" "status $st"
st=$(curl -s -b "$so" -o /dev/null -w '%{http_code}' --data-urlencode "loai=bao-cao" "$base/dot/$R/van-ban/hang-loat")
check no-csrf-403 "$([ "$st" = 403 ]; echo $?)" "status $st"
njobs=$(q "SELECT COUNT(*) FROM jobs")
check bad-input-creates-nothing "$([ "$njobs" = 1 ]; echo $?)" "$njobs jobs"

# ---- cancel ---------------------------------------------------------------------------------------
wait_state() {   # wait_state JOB STATE… — up to 5 min (144 reports under ASan: ~75 s); prints the state reached
	j=$1; shift
	for _ in $(seq 1500); do
		s=$(q "SELECT state FROM jobs WHERE id = $j")
		for want in "$@"; do [ "$s" = "$want" ] && { echo "$s"; return; }; done
		sleep 0.2
	done
	echo "$s"
}
# a DOCX batch of every unit's evidence catalogue: long enough to cancel
st=$(post "$so" "/dot/$R/van-ban/hang-loat" --data-urlencode "loai=danh-muc-minh-chung" --data-urlencode "dinh_dang=docx")
C=$(sed -n 's/^[Ll]ocation: .*\/\([0-9]*\)[[:space:]]*$/\1/p' "$tmp/post.h")
# while it waits or runs, the page refreshes itself when JavaScript is off
curl -s -b "$so" "$base/dot/$R/van-ban/hang-loat/$C" -o "$tmp/running.html"
check running-page-refreshes "$(has "$tmp/running.html" '<noscript><meta http-equiv="refresh" content="2"></noscript>' \
	&& has "$tmp/running.html" '>Hủy</button>'; echo $?)" "$(grep -o 'id="job-state">[^<]*' "$tmp/running.html")"
st=$(post "$so" "/dot/$R/van-ban/hang-loat/$C/huy")
s=$(q "SELECT state FROM jobs WHERE id = $C")
check cancel "$([ "$st" = 303 ] && [ "$s" = cancelled ]; echo $?)" "status $st, state $s"
sleep 1
s=$(q "SELECT state || ' ' || COALESCE(result_sha256, '-') FROM jobs WHERE id = $C")
d=$(curl -s -b "$so" -o /dev/null -w '%{http_code}' "$base/dot/$R/van-ban/hang-loat/$C/tai-ve")
k=$(post "$so" "/dot/$R/van-ban/hang-loat/$C/huy")
check cancelled-stays-cancelled "$([ "$s" = 'cancelled -' ] && [ "$d" = 409 ] && [ "$k" = 409 ]; echo $?)" "$s, download $d, cancel again $k"

# ---- SIGTERM mid-job: the job goes back to the queue; kill -9: it is run again -------------
long() {   # queue a long batch (every unit's self-assessment report) from the CLI
	"$CHISO" job batch --round "$R" --type bao-cao --format pdf --db "$db" 2>/dev/null
}
wait_running() {   # until job $1 has made a document or two
	for _ in $(seq 300); do
		[ "$(q "SELECT state = 'running' AND done >= 2 FROM jobs WHERE id = $1")" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}
T=$(long)
wait_running "$T"; r1=$?
stop_server
s=$(q "SELECT state || ' ' || done || ' ' || COALESCE(lease_owner, '-') || ' ' || attempts FROM jobs WHERE id = $T")
check sigterm-releases-job "$([ "$r1" = 0 ] && [ "$server_rc" = 0 ] && [ "$s" = 'queued 0 - 0' ]; echo $?)" "running seen: $r1, exit $server_rc, job: $s"
start_server CHISO_JOB_LEASE=2 || { notok restart; exit 1; }
wait_running "$T"; r2=$?
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=
s=$(q "SELECT state FROM jobs WHERE id = $T")
start_server CHISO_JOB_LEASE=2 || { notok restart; exit 1; }
s2=$(wait_state "$T" done failed)
a=$(q "SELECT attempts FROM jobs WHERE id = $T")
n_rep=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = $R AND state IN ('self_assessed', 'approved', 'submitted', 'under_evaluation', $EVALUATED)")
tot=$(q "SELECT done || '/' || total FROM jobs WHERE id = $T")
check killed-job-runs-again "$([ "$r2" = 0 ] && [ "$s" = running ] && [ "$s2" = done ] && [ "$a" = 2 ] && [ "$tot" = "$n_rep/$n_rep" ]; echo $?)" \
	"running seen: $r2, after kill: $s, then: $s2, attempts $a, progress $tot of $n_rep"
sha=$(q "SELECT result_sha256 FROM jobs WHERE id = $T")
st=$(curl -s -b "$so" -o "$tmp/rep.zip" -w '%{http_code}' "$base/dot/$R/van-ban/hang-loat/$T/tai-ve")
n=$(unzip -l "$tmp/rep.zip" 2>/dev/null | grep -c 'bao-cao\.pdf$')
check restarted-job-zip "$([ "$st" = 200 ] && [ "$(sha256sum "$tmp/rep.zip" | cut -d' ' -f1)" = "$sha" ] && [ "$n" = "$n_rep" ]; echo $?)" "status $st, $n files"

# ---- several processes on one queue: the server's worker and two `chiso job run` -------------
first=$(q "SELECT COALESCE(MAX(id), 0) FROM jobs")
for f in docx pdf docx; do "$CHISO" job batch --round "$R" --type bien-ban-danh-gia-ngoai --format "$f" --db "$db" >/dev/null 2>&1; done
"$CHISO" job batch --round "$R" --type ke-hoach --format docx --db "$db" >/dev/null 2>&1
"$CHISO" job run --db "$db" --blobs "$tmp/files" >"$tmp/run1.out" 2>&1 & p1=$!
"$CHISO" job run --db "$db" --blobs "$tmp/files" >"$tmp/run2.out" 2>&1 & p2=$!
wait $p1; rc1=$?; wait $p2; rc2=$?
for id in $(q "SELECT id FROM jobs WHERE id > $first"); do wait_state "$id" done failed >/dev/null; done
s=$(q "SELECT COUNT(*) || ' ' || SUM(state = 'done') || ' ' || SUM(attempts = 1) FROM jobs WHERE id > $first")
check shared-queue-each-job-once "$([ "$rc1$rc2" = 00 ] && [ "$s" = '4 4 4' ]; echo $?)" "exit $rc1 $rc2, jobs/done/claimed once: $s; $(cat "$tmp/run1.out" "$tmp/run2.out" | tr '\n' ' ')"

server_clean server-clean-exit
