#!/bin/sh
# Browser tests: Debian's Chromium driven by playwright-core against `chiso serve`
# started here — test/browser/run.js (the school's form) on a copy of the demo data
# set, test/browser/office.js (a whole round on the office side) on a small data set
# made with the CLI (office_fixture), test/browser/extra.js (batch documents, the Phòng's
# own 3806 page, administration, the round summary) on the school walk's server and data
# afterwards, test/browser/a11y.js (named answers, focus never hidden, skip links)
# before them on the same server. Prints their "ok NAME" / "not ok NAME" lines; screenshots go to
# build/…/artefacts/. `sh test/cli/browser.sh office` (or `school`, `extra`, `a11y`, `phone`, `inspection`,
# `signback`, `editor`) runs only one.
# test/browser/editor.js (an annex table imported, one inferred rule fixed in the rule editor, published,
# a running assessment moved to the new revision, the school's form flagging the item) has its own small data set.
# test/browser/inspection.js (the self-inspection form, with and without JavaScript) has its own demo copy,
# as has test/browser/signback.js (a signed report uploaded back into the register).
# test/browser/phone.js (phone layouts of the round's pages, "Xin gia hạn") has its own demo copy, on
# which test/browser/axe.js first runs axe-core (vendored by the lock file) on every page family.
# Needs chromium and nodejs/npm (scripts/install-deps.sh); playwright-core comes from
# test/browser/package-lock.json through `npm ci` (the npm cache is enough offline),
# and never downloads a browser.
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
server_pid= sinkpid=
trap 'stop_server; [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$here/lib/web.sh"

for tool in node npm; do
	command -v $tool >/dev/null || { echo "not ok browser-setup ($tool missing: run scripts/install-deps.sh)"; exit 1; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "not ok browser-setup (/usr/bin/chromium missing: run scripts/install-deps.sh)"; exit 1; }

# playwright-core exactly as locked; reinstalled only when the lock file changes
stamp="$root/test/browser/node_modules/.chiso-lock"
if ! cmp -s "$root/test/browser/package-lock.json" "$stamp" 2>/dev/null; then
	export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
	if ! npm ci --prefix "$root/test/browser" --offline --no-audit --no-fund >"$tmp/npm.log" 2>&1 &&
	   ! npm ci --prefix "$root/test/browser" --prefer-offline --no-audit --no-fund >>"$tmp/npm.log" 2>&1; then
		echo "not ok browser-setup (npm ci failed)"; sed 's/^/  /' "$tmp/npm.log" | tail -5; exit 1
	fi
	cp "$root/test/browser/package-lock.json" "$stamp"
fi

only=${1:-}
artefacts="$(dirname "$CHISO")/artefacts"
rc=0

if [ -z "$only" ] || [ "$only" = school ] || [ "$only" = extra ] || [ "$only" = a11y ]; then
	demo_fixture || { echo "not ok browser-demo-fixture"; exit 1; }
	# reminders by e-mail go to a local sink (the commune reminds its late schools, extra.js)
	smtp_sink_start "$tmp/mail" || { echo "not ok browser-smtp-sink"; exit 1; }
	# a batch paced at 80 ms a document (extra.js watches its bar move: unpaced, its 56
	# documents are done between two of the script's polls on an idle machine)
	start_server CHISO_SMTP_URL="smtp://127.0.0.1:$sink_port" CHISO_SMTP_FROM=cds@gialai.example.vn \
		CHISO_BATCH_PACE_MS=80 || { echo "not ok browser-server-start"; exit 1; }
	mkdir -p "$artefacts" && find "$artefacts" -maxdepth 1 -type f -delete
	if [ -z "$only" ] || [ "$only" = a11y ]; then
		# read-only, and first: the principal's form is still editable
		arc=0
		CHISO_URL=$base ARTEFACTS=$artefacts timeout 480 node "$root/test/browser/a11y.js" || arc=$?
		[ $arc -eq 124 ] && echo "not ok browser-a11y-timeout (over 8 minutes)"
		[ $arc -ne 0 ] && rc=$arc
	fi
	if [ -z "$only" ] || [ "$only" = school ]; then
		CHISO_URL=$base ARTEFACTS=$artefacts timeout 600 node "$root/test/browser/run.js" || rc=$?
		[ $rc -eq 124 ] && echo "not ok browser-suite-timeout (over 10 minutes)"
	fi
	if [ -z "$only" ] || [ "$only" = extra ]; then
		# the same server and data: what extra.js expects, read from the database
		q() { sqlite3 -batch "$tmp/chiso.db" "$1"; }
		R=$(q "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
		n=$(q "SELECT COUNT(*) FROM assessments WHERE round_id = '$R' AND state IN ('evaluated', 'recognised', 'published')")
		A=$(q "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '52100000' AND a.framework_id = 'qd3806-2024'")
		# the round's self-assessment deadline three days ago: the schools still in draft are
		# late, and the commune reminds its own (extra.js, commune)
		q "UPDATE rounds SET self_due = '$(TZ=Asia/Ho_Chi_Minh date -d '-3 days' +%F)' WHERE id = $R"
		rm -rf "$artefacts/extra"
		erc=0
		CHISO_URL=$base ARTEFACTS=$artefacts EXTRA_ROUND=$R EXTRA_EVALUATED=$n EXTRA_PHONG_ASSESSMENT=$A \
			timeout 720 node "$root/test/browser/extra.js" || erc=$?
		[ $erc -eq 124 ] && echo "not ok browser-extra-timeout (over 12 minutes)"
		[ $erc -ne 0 ] && rc=$erc
	fi
	server_clean browser-server-stops-clean
fi

# The office walk's data: two Sở, two THCS of the first and one of the second, an
# officer of each, the two principals and two accounts for the external team. No
# round: the officer opens it in the browser. Seconds, against a minute for the demo.
office_fixture() {
	printf '%s\n' 'STT,Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục' \
		'1,79000000,Sở Giáo dục và Đào tạo Thử nghiệm,Sở,,,"1 Lê Duẩn, Phường Sài Gòn",Công lập' \
		'2,79001001,Trường THCS Nguyễn Huệ,THCS,79000000,79000000,"12 Nguyễn Huệ, Phường Sài Gòn",Công lập' \
		'3,79001002,Trường THCS Lê Lợi,THCS,79000000,79000000,"34 Lê Lợi, Phường Bến Thành",Công lập' \
		'4,80000000,Sở Giáo dục và Đào tạo Lân cận,Sở,,,"5 Trần Phú, Phường Lộc Thọ",Công lập' \
		'5,80001001,Trường THCS Trần Phú,THCS,80000000,80000000,"7 Trần Phú, Phường Lộc Thọ",Công lập' >"$tmp/units.csv"
	db=$tmp/chiso.db
	rm -rf "$db" "$db-wal" "$db-shm" "$tmp/files" && mkdir -p "$tmp/files"
	{
		"$CHISO" unit import "$tmp/units.csv" --db "$db" --from 2020-01-01 &&
		"$CHISO" user add cb.so --name "Phạm Thị Hà" --password chiso2025 --role officer --unit 79000000 --db "$db" &&
		"$CHISO" user add cb.lancan --name "Đỗ Văn Nam" --password chiso2025 --role officer --unit 80000000 --db "$db" &&
		"$CHISO" user add ht.nguyenhue --name "Nguyễn Văn An" --password chiso2025 --role principal --unit 79001001 --db "$db" &&
		"$CHISO" user add ht.leloi --name "Trần Thị Bình" --password chiso2025 --role principal --unit 79001002 --db "$db" &&
		"$CHISO" user add dgn.tuan --name "Trần Minh Tuấn" --password chiso2025 --db "$db" &&
		"$CHISO" user add dgn.thu --name "Lê Thị Thu" --password chiso2025 --db "$db"
	} >"$tmp/office-setup.log" 2>&1 || { sed 's/^/  /' "$tmp/office-setup.log" | tail -5; return 1; }
}

# Phones and "Xin gia hạn" (test/browser/phone.js): its own copy of the demo, as it writes
if [ -z "$only" ] || [ "$only" = phone ]; then
	demo_fixture || { echo "not ok browser-phone-fixture"; exit 1; }
	start_server || { echo "not ok browser-phone-server-start"; exit 1; }
	R=$(sqlite3 -batch "$tmp/chiso.db" "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
	rm -rf "$artefacts/phone" && mkdir -p "$artefacts/phone"
	prc=0
	# axe-core on every page family first: it only reads
	aid() { sqlite3 -batch "$tmp/chiso.db" "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '$1' AND a.round_id = $R"; }
	ids="{\"round\": $R, \"self\": $(aid 52101001), \"sent\": $(aid 52102001), \"evaluating\": $(aid 52103001), \"unit\": $(sqlite3 -batch "$tmp/chiso.db" "SELECT id FROM units WHERE code = '52112001'")}"
	CHISO_URL=$base AXE_IDS=$ids timeout 480 node "$root/test/browser/axe.js" || prc=$?
	CHISO_URL=$base ARTEFACTS=$artefacts PHONE_ROUND=$R timeout 360 node "$root/test/browser/phone.js" || prc=$?
	[ $prc -eq 124 ] && echo "not ok browser-axe-or-phone-timeout"
	[ $prc -eq 124 ] && echo "not ok browser-phone-timeout (over 6 minutes)"
	server_clean browser-phone-server-stops-clean
	[ $prc -ne 0 ] && rc=$prc
fi

# The self-inspection form (test/browser/inspection.js, issue 12): its own demo copy, as it writes
if [ -z "$only" ] || [ "$only" = inspection ]; then
	demo_fixture || { echo "not ok browser-inspection-fixture"; exit 1; }
	start_server || { echo "not ok browser-inspection-server-start"; exit 1; }
	A=$(sqlite3 -batch "$tmp/chiso.db" "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = '52101001' ORDER BY a.id DESC LIMIT 1")
	irc=0
	CHISO_URL=$base ARTEFACTS=$artefacts INSP_ASSESSMENT=$A timeout 360 node "$root/test/browser/inspection.js" || irc=$?
	[ $irc -eq 124 ] && echo "not ok browser-inspection-timeout (over 6 minutes)"
	server_clean browser-inspection-server-stops-clean
	[ $irc -ne 0 ] && rc=$irc
fi

# The signed original back into the register (test/browser/signback.js, issue 17): its own
# copy of the demo; the Sở's summary report generated and numbered with the CLI, then
# signed outside the web with `chiso sign` and the test PKI (test/cli/lib/pki.sh)
if [ -z "$only" ] || [ "$only" = signback ]; then
	. "$here/lib/pki.sh"
	demo_fixture || { echo "not ok browser-signback-fixture"; exit 1; }
	sb=$tmp/signback && mkdir -p "$sb"
	R=$(sqlite3 -batch "$tmp/chiso.db" "SELECT r.id FROM rounds r JOIN units u ON u.id = r.office_unit_id WHERE u.code = '52000000' ORDER BY r.school_year DESC, r.id DESC LIMIT 1")
	if pki_make "$sb" && "$CHISO" doc bao-cao-tong-hop --round "$R" --register --out "$sb/unsigned.pdf" --db "$tmp/chiso.db" >/dev/null 2>&1 &&
		CHISO_P12_PASSWORD=test "$CHISO" sign "$sb/unsigned.pdf" --p12 "$sb/good.p12" --out "$sb/signed.pdf" >/dev/null; then
		E=$(sqlite3 -batch "$tmp/chiso.db" "SELECT id FROM document_register WHERE type = 'summary' ORDER BY id DESC LIMIT 1")
		start_server || { echo "not ok browser-signback-server-start"; exit 1; }
		src=0
		CHISO_URL=$base ARTEFACTS=$artefacts SIGNBACK_ROUND=$R SIGNBACK_ENTRY=$E SIGNBACK_DIR=$sb \
			timeout 240 node "$root/test/browser/signback.js" || src=$?
		[ $src -eq 124 ] && echo "not ok browser-signback-timeout (over 4 minutes)"
		server_clean browser-signback-server-stops-clean
		[ $src -ne 0 ] && rc=$src
	else
		echo "not ok browser-signback-setup (pki, chiso doc or chiso sign failed)"; rc=1
	fi
fi

# The indicator set from the decision's table (test/browser/editor.js, issue 18): a Sở, one
# THCS on a round of thu-nghiem revision 1 (test/fixtures/fw_import/annex.json through
# CHISO_FRAMEWORKS), its principal, the Sở's officer and a system administrator
editor_fixture() {
	printf '%s\n' 'STT,Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị quản lý,Mã đơn vị đánh giá,Địa chỉ,Công lập/Tư thục' \
		'1,79000000,Sở Giáo dục và Đào tạo Thử nghiệm,Sở,,,"1 Lê Duẩn, Phường Sài Gòn",Công lập' \
		'2,79001001,Trường THCS Nguyễn Huệ,THCS,79000000,79000000,"12 Nguyễn Huệ, Phường Sài Gòn",Công lập' >"$tmp/units.csv"
	db=$tmp/chiso.db
	rm -rf "$db" "$db-wal" "$db-shm" "$tmp/files" "$tmp/fw" && mkdir -p "$tmp/files" "$tmp/fw"
	cp "$root/test/fixtures/fw_import/annex.json" "$tmp/fw/thu-nghiem.json"
	{
		"$CHISO" unit import "$tmp/units.csv" --db "$db" --from 2020-01-01 &&
		"$CHISO" user add quantri --name "Quản trị hệ thống" --password chiso2025 --role system_admin --db "$db" &&
		"$CHISO" user add cb.so --name "Phạm Thị Hà" --password chiso2025 --role officer --unit 79000000 --db "$db" &&
		"$CHISO" user add ht.nguyenhue --name "Nguyễn Văn An" --password chiso2025 --role principal --unit 79001001 --db "$db" &&
		CHISO_FRAMEWORKS="$tmp/fw" "$CHISO" round open --office 79000000 --year 2025-2026 --framework thcs=thu-nghiem --db "$db"
	} >"$tmp/editor-setup.log" 2>&1 || { sed 's/^/  /' "$tmp/editor-setup.log" | tail -5; return 1; }
}

if [ -z "$only" ] || [ "$only" = editor ]; then
	editor_fixture || { echo "not ok browser-editor-fixture"; exit 1; }
	start_server CHISO_FRAMEWORKS="$tmp/fw" || { echo "not ok browser-editor-server-start"; exit 1; }
	R=$(sqlite3 -batch "$tmp/chiso.db" "SELECT id FROM rounds LIMIT 1")
	A=$(sqlite3 -batch "$tmp/chiso.db" "SELECT id FROM assessments WHERE round_id = $R LIMIT 1")
	edrc=0
	CHISO_URL=$base ARTEFACTS=$artefacts EDITOR_ROUND=$R EDITOR_ASSESSMENT=$A \
		EDITOR_ANNEX="$root/test/fixtures/fw_import/annex-libreoffice.docx" timeout 180 node "$root/test/browser/editor.js" || edrc=$?
	[ $edrc -eq 124 ] && echo "not ok browser-editor-timeout (over 3 minutes)"
	server_clean browser-editor-server-stops-clean
	[ $edrc -ne 0 ] && rc=$edrc
fi

if [ -z "$only" ] || [ "$only" = office ]; then
	office_fixture || { echo "not ok browser-office-fixture"; exit 1; }
	start_server || { echo "not ok browser-office-server-start"; exit 1; }
	rm -rf "$artefacts/office" && mkdir -p "$artefacts/office"
	orc=0
	CHISO_URL=$base ARTEFACTS=$artefacts timeout 360 node "$root/test/browser/office.js" || orc=$?
	[ $orc -eq 124 ] && echo "not ok browser-office-timeout (over 6 minutes)"
	server_clean browser-office-server-stops-clean
	[ $orc -ne 0 ] && rc=$orc
fi
exit $rc
