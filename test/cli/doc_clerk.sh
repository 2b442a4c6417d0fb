#!/bin/sh
# The clerk's check (issue 12, "Done when"): every document type generated as a
# Phòng's or Sở's clerk would — the PDF, and the DOCX opened and printed by
# LibreOffice — on two data sets: the demo (Gia Lai, units under wards and
# communes since 1/7/2025) and the document fixture of test_doc (a Phòng of
# Quận 7 under its district committee). In each file, read with pdftotext:
#   - the header: the parent body's line over the issuer's, each word whole
#     (the lines joined before the motto equal the parent and the issuer);
#   - decisions carry their "Căn cứ" lines, none citing a local report form;
#   - a signature caption (HIỆU TRƯỞNG, KT. GIÁM ĐỐC …) and no name line that
#     carries a title ("Nguyễn Văn A — Giám đốc");
#   - exactly one "Kính gửi" in the tờ trình, never two anywhere;
#   - no page whose body is only "Nơi nhận" and the signature;
#   - the recognition decision's Điều 1: its levels add up to its total.
# Needs soffice for the DOCX half (skipped, said so, when absent).
set -u
CHISO=${CHISO:-build/chiso}
case $CHISO in /*) ;; *) CHISO=$(pwd)/$CHISO ;; esac
maker=$(dirname "$CHISO")/test/test_doc
tmp=$(mktemp -d)
server_pid=
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/web.sh"
unset CHISO_DB

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
TYPES="plan council minutes report approval request evidence external-minutes team recognition summary"
upper() { python3 -c 'import sys; print(sys.argv[1].upper().replace("ỦY BAN NHÂN DÂN ", "UBND "))' "$1"; }

# The demo's header of a unit on date $2: "PARENT|ISSUER" — a school under the
# committee of its ward or commune ("UBND PHƯỜNG …"), a Sở under its province's
# ("Sở Giáo dục và Đào tạo tỉnh X": "UBND TỈNH X" over "SỞ GIÁO DỤC VÀ ĐÀO TẠO").
demo_header() {
	name=$(q "select name from units where id = $1")
	case $(q "select type from units where id = $1") in
	so) printf '%s|%s' "UBND $(upper "${name#*Đào tạo }")" "$(upper "${name%% tỉnh *}")" ;;
	*) parent=$(q "select o.name from unit_relations r join units o on o.id = r.other_unit_id where r.unit_id = $1
		and r.kind = 'parent' and r.valid_from <= '$2' and (r.valid_to is null or r.valid_to > '$2') limit 1")
	   printf '%s|%s' "$(upper "$parent")" "$(upper "$name")" ;;
	esac
}

# pdf_checks LABEL FILE TYPE WANT_HEADER — the checks of one printed file
pdf_checks() {
	label=$1 f=$2 t=$3 want=$4
	if [ ! -s "$f" ]; then notok "$label-made"; return; fi
	pdftotext "$f" "$tmp/t.txt" 2>/dev/null
	# the header: the lines before the national motto (one column, then the other)
	got=$(pdftotext -l 1 "$f" - | sed '/^ *$/d' | sed '/^Số:/,$d' | grep -v '^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$\|^Độc lập - Tự do - Hạnh phúc$' | paste -sd' ')
	w=$(printf '%s' "$want" | tr '|' ' ')
	if [ "$got" = "$w" ]; then ok "$label-header"; else notok "$label-header" "want: $w" "got:  $got"; fi
	flat=$(tr '\n' ' ' <"$tmp/t.txt" | sed 's/  */ /g')
	case $t in council | approval | team | recognition)
		n=$(grep -c '^Căn cứ' "$tmp/t.txt")
		if [ "$n" -ge 2 ] && ! grep '^Căn cứ' "$tmp/t.txt" | grep -q 'mẫu Báo cáo tự kiểm tra'; then ok "$label-can-cu"
		else notok "$label-can-cu" "$n Căn cứ lines" "$(grep '^Căn cứ' "$tmp/t.txt" | head -3)"; fi ;;
	esac
	if grep -Eq '^((KT|TM|Q|TL)\. )?(HIỆU TRƯỞNG|GIÁM ĐỐC|TRƯỞNG PHÒNG|PHÓ [A-ZĐ ]+|THƯ KÝ|TRƯỞNG ĐOÀN|CHỦ TỊCH HỘI ĐỒNG|TỔ TRƯỞNG|ĐẠI DIỆN ĐƠN VỊ)$' "$tmp/t.txt" &&
	   ! grep -Eq ' — (Giám đốc|Phó Giám đốc|Hiệu trưởng|Phó Hiệu trưởng|Trưởng phòng|Phó Trưởng phòng|Trưởng đoàn|Thư ký)$' "$tmp/t.txt"; then
		ok "$label-signer"
	else notok "$label-signer" "no caption, or a name line with a title"; fi
	k=$(printf '%s' "$flat" | grep -o 'Kính gửi' | wc -l)
	if [ "$t" = request ]; then [ "$k" = 1 ] && ok "$label-one-kinh-gui" || notok "$label-one-kinh-gui" "$k times"
	else [ "$k" -le 1 ] && ok "$label-kinh-gui-at-most-once" || notok "$label-kinh-gui-at-most-once" "$k times"; fi
	# the page that holds "Nơi nhận": something of the body comes before it on that page
	# (its first line is neither "Nơi nhận:" nor a signature caption in capitals)
	first=$(awk 'BEGIN { RS = "\f" } /Nơi nhận/ && NR > 1 { print; exit }' "$tmp/t.txt" | sed '/^ *$/d; /^[0-9][0-9]*$/d' | head -1)
	if [ -z "$first" ]; then
		# no recipients: the signature's page must hold something else than captions and names
		ok "$label-no-lone-signature-page"
	else
		case $first in
		"Nơi nhận:"*) notok "$label-no-lone-signature-page" "a page starts with: $first" ;;
		*) if python3 -c 'import sys; s = sys.argv[1]; sys.exit(0 if len(s) >= 6 and s == s.upper() and not s[0].isdigit() and not s.split(".")[0] in ("I", "II", "III", "IV", "V") else 1)' "$first"; then
			notok "$label-no-lone-signature-page" "a page starts with: $first"
		   else ok "$label-no-lone-signature-page"; fi ;;
		esac
	fi
	if [ "$t" = recognition ]; then
		art1=$(printf '%s' "$flat" | grep -o 'Điều 1\. Công nhận[^.]*\.')
		total=$(printf '%s' "$art1" | sed -n 's/.*đối với \([0-9]*\) cơ sở.*/\1/p')
		sum=0
		for l in $(printf '%s' "$art1" | grep -o 'Mức [123]: [0-9]* đơn vị' | sed 's/.*: \([0-9]*\) .*/\1/'); do sum=$((sum + l)); done
		if [ -n "$total" ] && [ "$sum" = "$total" ]; then ok "$label-levels-add-up"; else notok "$label-levels-add-up" "$art1"; fi
	fi
}

# clerk NAME DB ROUND ASSESSMENT SCHOOL_HEADER OFFICE_HEADER — every type, PDF then
# DOCX through LibreOffice
clerk() {
	set_name=$1 db=$2 round=$3 a=$4 want_school=$5 want_office=$6
	mkdir -p "$tmp/$set_name"
	for t in $TYPES; do
		case $t in team | recognition | summary) obj="--round $round" ;; *) obj="--assessment $a" ;; esac
		for f in pdf docx; do
			# shellcheck disable=SC2086
			"$CHISO" doc "$t" $obj --format "$f" --db "$db" --out "$tmp/$set_name/$t.$f" --no-record >/dev/null 2>&1
		done
	done
	for t in $TYPES; do
		want=$want_school
		case $t in team | recognition | summary | external-minutes) want=$want_office ;; esac
		pdf_checks "$set_name-$t-pdf" "$tmp/$set_name/$t.pdf" "$t" "$want"
	done
	if ! command -v soffice >/dev/null; then
		echo "ok $set_name-docx-libreoffice # SKIP soffice is not installed"
		return
	fi
	(cd "$tmp/$set_name" && HOME=$tmp timeout 300 soffice -env:UserInstallation="file://$tmp/lo" --headless \
		--convert-to pdf --outdir "$tmp/$set_name/lo" ./*.docx >"$tmp/lo.log" 2>&1)
	for t in $TYPES; do
		want=$want_school
		case $t in team | recognition | summary | external-minutes) want=$want_office ;; esac
		pdf_checks "$set_name-$t-docx" "$tmp/$set_name/lo/$t.pdf" "$t" "$want"
	done
}

# the demo: the current round's recognition, the lower-secondary school the other tests use
if demo_fixture; then
	q() { sqlite3 "$tmp/chiso.db" "$1"; }
	round=$(q "select round_id from assessments where recognition_decision_id = (select max(recognition_decision_id) from assessments) limit 1")
	a=$(q "select a.id from assessments a join units u on u.id = a.unit_id where u.code = '52102001' and a.round_id = $round")
	on=$(q "select coalesce(self_due, date('now')) from rounds where id = $round")
	clerk demo "$tmp/chiso.db" "$round" "$a" "$(demo_header "$(q "select unit_id from assessments where id = $a")" "$on")" \
		"$(demo_header "$(q "select office_unit_id from rounds where id = $round")" "$on")"
else
	notok demo-fixture
fi
# the document fixture (test_doc): a Phòng of Quận 7, before 1/7/2025
if [ -x "$maker" ] && ids=$("$maker" --make-fixture "$tmp/fx.db"); then
	A=$(printf '%s' "$ids" | sed -n 's/.*assessment=\([0-9]*\).*/\1/p')
	R=$(printf '%s' "$ids" | sed -n 's/.*round=\([0-9]*\).*/\1/p')
	# a school under its Phòng before 1/7/2025 (the parent abbreviated, as ND 30 allows), the
	# Phòng under its district's committee
	clerk fixture "$tmp/fx.db" "$R" "$A" "PHÒNG GD&ĐT QUẬN 7|TRƯỜNG THCS NGUYỄN HỮU THỌ" "UBND QUẬN 7|PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
else
	notok doc-fixture "$maker is not built (make test builds it)"
fi
