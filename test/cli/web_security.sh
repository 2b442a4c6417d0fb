#!/bin/sh
# Web security tests against a real `chiso serve` on the demo data set: one
# "ok NAME" / "not ok NAME" line per case (test/run.sh counts them).
#
#   headers    CSP, nosniff, frame denial, referrer policy on every kind of response
#   session    HttpOnly + SameSite=Lax cookie, a new one at sign-in (fixation), sign-out ends it
#   throttle   after 5 wrong passwords a (login, address) pair waits (429, Retry-After, a
#              Vietnamese message) whatever the letter case; the owner elsewhere still signs
#              in; 30 failures from one address over any logins stop that address
#   redirect   a sign-in's "tiep" is followed only to a local path, never another site
#   csrf       a POST without or with a wrong token is 403 and changes nothing
#   authz      every route of another school's assessment (walked from the route table) → 403/404
#   escaping   <script> in free-text fields comes back escaped
#   limits     oversize bodies → 413, before the body is read
#   api        wrong token 401, another school 403, cookie without X-CSRF-Token 403
#   shutdown   SIGTERM with a slow request in flight: it completes, exit 0, WAL checkpointed
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
start_server || { notok server-start; exit 1; }

A=ht.52101001        # the school under attack: draft, council, evidence
B=ht.52102001        # another school of the same province
[ "$(signin "$tmp/a" $A)" = 303 ] || { notok signin-a; exit 1; }
[ "$(signin "$tmp/b" $B)" = 303 ] || { notok signin-b; exit 1; }
# the current assessment: the highest one linked from the home page
current() { curl -s -b "$1" "$base/" | grep -o 'href="/danh-gia/[0-9]*' | sed 's/.*\///' | sort -n | tail -1; }
aid=$(current "$tmp/a")
bid=$(current "$tmp/b")
[ -n "$aid" ] && [ -n "$bid" ] && [ "$aid" != "$bid" ] || { notok assessments-found "a=$aid b=$bid"; exit 1; }

# ---- headers ------------------------------------------------------------------------
headers_ok() {   # URL [curl options…]
	u=$1; shift
	h=$(curl -s -D - -o /dev/null "$@" "$u" | tr -d '\r')
	printf '%s\n' "$h" | grep -qi "^Content-Security-Policy: .*default-src 'self'.*frame-ancestors 'none'" &&
	printf '%s\n' "$h" | grep -qi "^Content-Security-Policy: .*object-src 'none'" &&
	! printf '%s\n' "$h" | grep -i "^Content-Security-Policy:" | grep -q "unsafe-inline" &&
	printf '%s\n' "$h" | grep -qi '^X-Content-Type-Options: nosniff' &&
	printf '%s\n' "$h" | grep -qi '^X-Frame-Options: DENY' &&
	printf '%s\n' "$h" | grep -qi '^Referrer-Policy: same-origin'
}
check headers-signin headers_ok "$base/dang-nhap"
check headers-assessment headers_ok "$base/danh-gia/$aid" -b "$tmp/a"
check headers-print headers_ok "$base/danh-gia/$aid/in" -b "$tmp/a"
check headers-404 headers_ok "$base/khong-co-trang-nay"
check headers-static headers_ok "$base/static/chiso.css"
check headers-api headers_ok "$base/api/v1/danh-gia/$aid" -b "$tmp/a"
check headers-api-401 headers_ok "$base/api/v1/toi"
nostore() { curl -s -D - -o /dev/null -b "$tmp/a" "$base$1" | tr -d '\r' | grep -qi '^Cache-Control: no-store'; }
check no-store-pages nostore "/danh-gia/$aid"
check no-store-api nostore "/api/v1/danh-gia/$aid"

# ---- session cookie ---------------------------------------------------------------------
c=$(form_csrf "$tmp/s1" /dang-nhap)
setcookie=$(curl -s -D - -o /dev/null -b "$tmp/s1" --data-urlencode "login=$A" --data-urlencode "password=chiso2025" \
	--data-urlencode "_csrf=$c" "$base/dang-nhap" | tr -d '\r' | grep -i '^Set-Cookie: chiso_phien=')
case $setcookie in
*HttpOnly*) case $setcookie in *SameSite=Lax*) case $setcookie in *"Path=/"*) ok session-cookie-flags ;; *) notok session-cookie-flags "$setcookie" ;; esac ;;
            *) notok session-cookie-flags "$setcookie" ;; esac ;;
*) notok session-cookie-flags "$setcookie" ;;
esac
# fixation: a session id chosen by an attacker and planted in the victim's browser
# is not the one the victim gets at sign-in, and never works
chosen=AttackerChoseThisSessionId0123456789abcde
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tchiso_phien\t%s\n' "$chosen" >"$tmp/victim"
signin "$tmp/victim" $A >/dev/null
after=$(cookie_value "$tmp/victim" chiso_phien)
who=$(curl -s -b "$tmp/victim" "$base/api/v1/toi" | python3 -c 'import json,sys; print(json.load(sys.stdin)["account"]["login"])' 2>/dev/null)
if [ -n "$after" ] && [ "$chosen" != "$after" ] && [ "$who" = "$A" ]; then ok session-rotated-at-signin
else notok session-rotated-at-signin "planted=$chosen after=$after who=$who"; fi
st=$(curl -s -o /dev/null -w '%{http_code}' -b "chiso_phien=$chosen" "$base/api/v1/toi")
check session-chosen-id-dead [ "$st" = 401 ]
# the attacker plants their own live session instead: the victim sees the attacker's
# name, not a sign-in form; signing out ends that session and signing in gives a new one
[ "$(signin "$tmp/att" $B)" = 303 ]
planted=$(cookie_value "$tmp/att" chiso_phien)
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tchiso_phien\t%s\n' "$planted" >"$tmp/victim2"
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/victim2" "$base/dang-nhap")
c=$(form_csrf "$tmp/victim2" /)
curl -s -o /dev/null -b "$tmp/victim2" -c "$tmp/victim2" --data-urlencode "_csrf=$c" "$base/dang-xuat"
signin "$tmp/victim2" $A >/dev/null
after=$(cookie_value "$tmp/victim2" chiso_phien)
dead=$(curl -s -o /dev/null -w '%{http_code}' -b "chiso_phien=$planted" "$base/api/v1/toi")
if [ "$st" = 303 ] && [ -n "$after" ] && [ "$after" != "$planted" ] && [ "$dead" = 401 ]; then ok session-planted-live-id-replaced
else notok session-planted-live-id-replaced "signin page $st, after=$after, planted → $dead"; fi
# a session id that was never issued gives nothing
st=$(curl -s -o /dev/null -w '%{http_code}' -b "chiso_phien=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$base/danh-gia/$aid")
check session-forged-redirects [ "$st" = 303 ]
# sign-out ends the session on the server, not only in the browser
c=$(form_csrf "$tmp/victim" /)
tok=$(cookie_value "$tmp/victim" chiso_phien)
curl -s -o /dev/null -b "$tmp/victim" -c "$tmp/victim" --data-urlencode "_csrf=$c" "$base/dang-xuat"
st=$(curl -s -o /dev/null -w '%{http_code}' -b "chiso_phien=$tok" "$base/api/v1/toi")
check signout-ends-session [ "$st" = 401 ]

# behind nginx (CHISO_BEHIND_PROXY=1) an HTTPS request gets a Secure cookie; without
# it the forwarded headers are not believed (a client cannot claim HTTPS or another
# address to slip past sign-in throttling)
secure_cookie() {   # BASE — the sign-in Set-Cookie with X-Forwarded-Proto: https
	c=$(curl -s -b "$tmp/p$1" -c "$tmp/p$1" "$2/dang-nhap" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -D - -o /dev/null -b "$tmp/p$1" -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.7' \
		--data-urlencode "login=$A" --data-urlencode "password=chiso2025" --data-urlencode "_csrf=$c" "$2/dang-nhap" |
		tr -d '\r' | grep -i '^Set-Cookie: chiso_phien='
}
main_pid=$server_pid; main_base=$base
start_server CHISO_BEHIND_PROXY=1 || notok proxy-server-start
proxy_cookie=$(secure_cookie 1 "$base")
stop_server
server_pid=$main_pid; base=$main_base
plain_cookie=$(secure_cookie 2 "$base")
case $proxy_cookie in *"; Secure"*) ok cookie-secure-behind-tls ;; *) notok cookie-secure-behind-tls "$proxy_cookie" ;; esac
case $plain_cookie in *Secure*) notok forwarded-proto-ignored-without-proxy "$plain_cookie" ;; *) ok forwarded-proto-ignored-without-proxy ;; esac

# ---- sign-in throttling ---------------------------------------------------------------------
# Counted per (login, address) pair on the one normal form of the login (trimmed, lower
# case), plus a limit per address over any logins; never per login alone, so a guesser
# cannot lock the owner out. curl --interface picks the source address (127.0.0.0/8 is
# all loopback): the attacker is 127.0.0.1, the owner 127.0.0.2.
# signin_at ADDR JAR LOGIN PASSWORD — the status of a sign-in from ADDR with a fresh cookie jar
# (a signed-in jar gets no sign-in form); headers in $tmp/signin.h
signin_at() {
	rm -f "$2"
	c=$(curl -s --interface "$1" -b "$2" -c "$2" "$base/dang-nhap" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s --interface "$1" -D "$tmp/signin.h" -o "$tmp/signin.html" -w '%{http_code}' -b "$2" -c "$2" \
		--data-urlencode "login=$3" --data-urlencode "password=$4" --data-urlencode "_csrf=$c" "$base/dang-nhap"
}
retry_after() { tr -d '\r' <"$tmp/signin.h" | sed -n 's/^[Rr]etry-[Aa]fter: *//p'; }
T=ht.52132001
codes=""
for i in 1 2 3 4 5; do codes="$codes $(signin_at 127.0.0.1 "$tmp/thr" $T sai-mat-khau-$i)"; done
st6=$(signin_at 127.0.0.1 "$tmp/thr" $T chiso2025)    # even the right password, now, from this address
ra=$(retry_after)
if [ "$codes" = " 422 422 422 422 422" ] && [ "$st6" = 429 ] && grep -qE "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau [0-9]+ (giây|phút)\." "$tmp/signin.html" &&
	[ -n "$ra" ] && [ "$ra" -gt 0 ] && [ "$ra" -le 60 ]; then
	ok signin-throttled-6th
else notok signin-throttled-6th "codes:$codes then $st6, Retry-After '$ra'"; fi
# the same login in other letter case (and with blanks around it) is the same pair
st=$(signin_at 127.0.0.1 "$tmp/thr" HT.52132001 chiso2025)
st2=$(signin_at 127.0.0.1 "$tmp/thr" " Ht.52132001 " chiso2025)
if [ "$st" = 429 ] && [ "$st2" = 429 ]; then ok signin-throttle-ignores-case
else notok signin-throttle-ignores-case "HT.52132001 → $st, ' Ht.52132001 ' → $st2"; fi
# the owner, from another address, signs in while the attacker's address waits …
st=$(signin_at 127.0.0.2 "$tmp/owner" $T chiso2025)
check signin-owner-other-address [ "$st" = 303 ]
# … and that success does not give the attacker's address fresh tries
st=$(signin_at 127.0.0.1 "$tmp/thr" $T chiso2025)
check signin-owner-success-keeps-attacker-waiting [ "$st" = 429 ]
st=$(signin "$tmp/thr2" ht.52103001)      # another account from the same address still signs in
check signin-throttle-per-account [ "$st" = 303 ]
# the per-address limit is kept: 30 failures over any logins from one address stop it
codes=""
for i in $(seq 1 30); do codes="$codes$(signin_at 127.0.0.3 "$tmp/spray" "khong.co.$i" sai-mat-khau)"; done
st=$(signin_at 127.0.0.3 "$tmp/spray" ht.52104001 chiso2025)
if [ "$codes" = "$(for i in $(seq 1 30); do printf 422; done)" ] && [ "$st" = 429 ] && [ -n "$(retry_after)" ]; then ok signin-throttle-per-address
else notok signin-throttle-per-address "codes $codes then $st"; fi
st=$(signin_at 127.0.0.2 "$tmp/owner2" ht.52104001 chiso2025)
check signin-per-address-spares-others [ "$st" = 303 ]

# ---- redirect after sign-in ---------------------------------------------------------------------
# "tiep" is followed only when it is a plain local path: a tab, a second slash, a
# backslash or a scheme would take the browser to another site.
# signin_next NEXT — the Location a sign-in with tiep=NEXT answers
signin_next() {
	rm -f "$tmp/nx"
	c=$(form_csrf "$tmp/nx" /dang-nhap)
	curl -s -D - -o /dev/null -b "$tmp/nx" -c "$tmp/nx" --data-urlencode "login=$A" --data-urlencode "password=chiso2025" \
		--data-urlencode "_csrf=$c" --data-urlencode "tiep=$1" "$base/dang-nhap" | tr -d '\r' | sed -n 's/^[Ll]ocation: *//p'
}
bad=""
for next in "$(printf '/\t/evil.example')" //evil.example '/\evil.example' 'https://evil.example' '/\/evil.example' \
	"$(printf '/x\n/evil.example')" '/ /evil.example' "/$(head -c 600 /dev/zero | tr '\0' a)"; do
	loc=$(signin_next "$next")
	[ "$loc" = "/?tb=dang-nhap" ] || bad="$bad [$next → $loc]"
done
if [ -z "$bad" ]; then ok signin-next-foreign-refused; else notok signin-next-foreign-refused "$bad"; fi
check signin-next-local-kept [ "$(signin_next /danh-gia/1)" = "/danh-gia/1?tb=dang-nhap" ]
# the form does not carry a refused value over either
curl -s "$base/dang-nhap?tiep=/%09/evil.example" >"$tmp/page.html"
check signin-next-form-refused grep -q 'name="tiep" value="/"' "$tmp/page.html"

# ---- CSRF ---------------------------------------------------------------------------------------
answers_of() { curl -s -b "$tmp/a" "$base/api/v1/danh-gia/$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"], json.dumps(d["answers"], sort_keys=True))'; }
before=$(answers_of "$aid")
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" --data-urlencode "f:1.1=1" --data-urlencode "v:1.1=0" "$base/danh-gia/$aid")
check csrf-missing-403 [ "$st" = 403 ]
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" --data-urlencode "f:1.1=1" --data-urlencode "v:1.1=0" \
	--data-urlencode "_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$base/danh-gia/$aid")
check csrf-wrong-403 [ "$st" = 403 ]
# B's own valid token does not work for A's session
cb=$(form_csrf "$tmp/b" /)
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" --data-urlencode "action=consolidate" --data-urlencode "_csrf=$cb" "$base/danh-gia/$aid/chuyen")
check csrf-other-session-403 [ "$st" = 403 ]
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" "$base/dang-xuat" -X POST)
check csrf-signout-403 [ "$st" = 403 ]
check csrf-nothing-changed [ "$(answers_of "$aid")" = "$before" ]

# ---- authorisation: every route of A's assessment, as B ---------------------------------------------
# The victim's own pages give the concrete URLs (member, task, evidence, file ids of A);
# the route table gives every pattern, so a route added later is walked too.
"$CHISO" test-routes >"$tmp/routes"
: >"$tmp/urls"
for p in / "/danh-gia/$aid" "/danh-gia/$aid/hoi-dong" "/danh-gia/$aid/minh-chung" "/danh-gia/$aid/gui" "/danh-gia/$aid/bo-sung"; do
	curl -s -b "$tmp/a" "$base$p" | grep -oE '(href|action)="/[^"#?]*' | sed 's/^[a-z]*="//' >>"$tmp/urls"
done
for e in $(grep -oE '^/minh-chung/[0-9]+$' "$tmp/urls" | sort -u); do
	curl -s -b "$tmp/a" "$base$e" | grep -oE '(href|action)="/[^"#?]*' | sed 's/^[a-z]*="//' >>"$tmp/urls"
done
sort -u "$tmp/urls" -o "$tmp/urls"
tb=$("$CHISO" token create $B --label "kiểm thử" --db "$tmp/chiso.db" 2>/dev/null)
cb=$(form_csrf "$tmp/b" /)
walked=0; refused=0; bad=""
while read -r method pattern _; do
	case $pattern in *"{id}"*) ;; *) continue ;; esac
	re="^$(printf '%s' "$pattern" | sed 's/{id}/[0-9]+/g')\$"
	url=$(grep -E "$re" "$tmp/urls" | grep -E "^(/api/v1)?/danh-gia/$aid(/|\$)|^/minh-chung/" | head -1)
	if [ -z "$url" ]; then
		case $pattern in
		/danh-gia/\{id\}*|/api/v1/danh-gia/\{id\}*) url=$(printf '%s' "$pattern" | sed "s/{id}/$aid/; s/{id}/1/g") ;;
		*) continue ;;   # not a URL of A's assessment (another office's round, a token…)
		esac
	fi
	walked=$((walked + 1))
	case $url in
	/api/*)
		case $method in
		GET) st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tb" "$base$url") ;;
		*) body='{"answers": {"1.1": false}, "action": "consolidate"}'
		   case $url in */tra-loi) body='{"answers": {"1.1": false}}' ;; */chuyen) body='{"action": "consolidate"}' ;; esac
		   st=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" -H "Authorization: Bearer $tb" \
			-H 'Content-Type: application/json' --data-binary "$body" "$base$url") ;;
		esac ;;
	*)
		case $method in
		GET) st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/b" "$base$url") ;;
		# with B's valid CSRF token: what stops B must be authz, not the token
		*) st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/b" -X "$method" --data-urlencode "_csrf=$cb" \
			--data-urlencode "action=consolidate" --data-urlencode "f:1.1=1" --data-urlencode "v:1.1=0" \
			--data-urlencode "title=Tiêm" --data-urlencode "name=x" "$base$url") ;;
		esac ;;
	esac
	case $st in 403|404) refused=$((refused + 1)) ;; *) bad="$bad $method:$url→$st" ;; esac
done <"$tmp/routes"
if [ "$walked" -ge 20 ] && [ -z "$bad" ]; then ok "authz-other-school-every-route ($walked routes)"
else notok authz-other-school-every-route "walked $walked, refused $refused; let through:$bad"; fi
check authz-nothing-changed [ "$(answers_of "$aid")" = "$before" ]
# the walk is not vacuous: A's own GET routes open for A
own_bad=""
while read -r method pattern _; do
	[ "$method" = GET ] || continue
	case $pattern in /danh-gia/\{id\}*) ;; *) continue ;; esac
	re="^$(printf '%s' "$pattern" | sed 's/{id}/[0-9]+/g')\$"
	url=$(grep -E "$re" "$tmp/urls" | grep "^/danh-gia/$aid" | head -1)
	[ -n "$url" ] || continue
	st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" "$base$url")
	[ "$st" = 200 ] || own_bad="$own_bad $url→$st"
done <"$tmp/routes"
check authz-own-school-opens [ -z "$own_bad" ]

# ---- escaping ----------------------------------------------------------------------------------------
XSS='<script>alert("xss")</script><img src=x onerror=alert(1)>'
# an information item's free text, saved through the API, shown on the form and the print view
info=$(curl -s -b "$tmp/a" "$base/api/v1/danh-gia/$aid" | python3 -c 'import json,sys; print(next(i["code"] for i in json.load(sys.stdin)["items"] if i["kind"] == "info"))')
xa=$(cookie_value "$tmp/a" chiso_phien)
xc=$(curl -s -b "$tmp/a" "$base/api/v1/toi" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
body=$(python3 -c 'import json,sys; print(json.dumps({"answers": {sys.argv[1]: {"text": sys.argv[2]}}}))' "$info" "$XSS")
st=$(curl -s -o "$tmp/put.json" -w '%{http_code}' -X PUT -b "chiso_phien=$xa" -H "X-CSRF-Token: $xc" \
	-H 'Content-Type: application/json' --data-binary "$body" "$base/api/v1/danh-gia/$aid/tra-loi")
escaped() {   # PATH JAR — the payload appears escaped, never raw
	curl -s -b "$2" "$base$1" >"$tmp/page.html"
	! grep -qF '<script>alert("xss")' "$tmp/page.html" && ! grep -qF '<img src=x' "$tmp/page.html" &&
	grep -qF '&lt;script&gt;alert(' "$tmp/page.html"
}
check xss-answer-saved [ "$st" = 200 ]
check xss-answer-form-escaped escaped "/danh-gia/$aid" "$tmp/a"
check xss-answer-print-escaped escaped "/danh-gia/$aid/in" "$tmp/a"
# a person's name (shown in the top bar of every page)
"$CHISO" user add xss.nguoidung --name "$XSS" --password chiso2025 --db "$tmp/chiso.db" >/dev/null 2>&1
[ "$(signin "$tmp/x" xss.nguoidung)" = 303 ]
check xss-account-name-escaped escaped / "$tmp/x"
# whatever is typed back into the sign-in form on an error
c=$(form_csrf "$tmp/x2" /dang-nhap)
curl -s -b "$tmp/x2" --data-urlencode "login=$XSS" --data-urlencode "password=x" --data-urlencode "_csrf=$c" "$base/dang-nhap" >"$tmp/page.html"
if ! grep -qF '<script>alert("xss")' "$tmp/page.html" && grep -qF '&lt;script&gt;' "$tmp/page.html"; then ok xss-signin-login-escaped
else notok xss-signin-login-escaped; fi
# evidence: every text field of the new-evidence form
c=$(form_csrf "$tmp/a" "/danh-gia/$aid/minh-chung/moi")
curl -s -b "$tmp/a" "$base/danh-gia/$aid/minh-chung/moi" >"$tmp/form.html"
fields=$(grep -oE '<(input|textarea)[^>]*>' "$tmp/form.html" | grep -vE 'type="(hidden|file|checkbox|radio|date|submit)"' |
	grep -o 'name="[^"]*"' | sed 's/name="\([^"]*\)"/\1/' | sort -u)
crit=$(grep -oE '<input type="checkbox" name="[^"]*" value="[^"]*"' "$tmp/form.html" | head -1)
set -- --data-urlencode "_csrf=$c"
for f in $fields; do
	case $f in
	*duong_dan*|*url*|*link*) set -- "$@" --data-urlencode "$f=https://truong.edu.vn/?q=%3Cscript%3E $XSS" ;;
	*) set -- "$@" --data-urlencode "$f=$XSS" ;;
	esac
done
[ -n "$crit" ] && set -- "$@" --data-urlencode "$(printf '%s' "$crit" | sed 's/.*name="\([^"]*\)" value="\([^"]*\)"/\1=\2/')"
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/a" "$@" "$base/danh-gia/$aid/minh-chung/moi")
ev=$(curl -s -b "$tmp/a" "$base/danh-gia/$aid/minh-chung" | grep -o 'href="/minh-chung/[0-9]*"' | sed 's/[^0-9]//g' | sort -n | tail -1)
if [ -n "$fields" ] && [ "$st" = 303 ] && escaped "/danh-gia/$aid/minh-chung" "$tmp/a" && escaped "/minh-chung/$ev" "$tmp/a"; then
	ok "xss-evidence-fields-escaped ($(echo $fields | wc -w) fields)"
else notok xss-evidence-fields-escaped "status $st; fields: $(echo $fields)"; fi

# ---- body limits ------------------------------------------------------------------------------------
# a declared length over the limit is refused before a byte of it is read
st=$(printf 'x' | curl -s -o "$tmp/413.txt" -w '%{http_code}' -b "$tmp/a" -H 'Content-Length: 70000000' \
	-H 'Content-Type: application/x-www-form-urlencoded' --data-binary @- "$base/danh-gia/$aid" --max-time 10)
check body-over-limit-413 [ "$st" = 413 ]
check body-over-limit-message grep -q "quá lớn" "$tmp/413.txt"
# a JSON body over 1 MiB, sent for real (no length given: chunked)
head -c 1200000 /dev/zero | tr '\0' 'a' | sed 's/^/{"answers": {"1.1": "/; s/$/"}}/' >"$tmp/big.json"
st=$(curl -s -o "$tmp/413.json" -w '%{http_code}' -H "Authorization: Bearer $tb" -H 'Content-Type: application/json' \
	-H 'Transfer-Encoding: chunked' -X PUT --data-binary @"$tmp/big.json" "$base/api/v1/danh-gia/$bid/tra-loi" --max-time 20)
check api-body-over-limit-413 [ "$st" = 413 ]
check api-413-is-json python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["code"] == "body_too_large"' "$tmp/413.json"

# ---- API authentication and authorisation --------------------------------------------------------------
apist() { curl -s -o "$tmp/api.json" -w '%{http_code}' "$@"; }
check api-no-auth-401 [ "$(apist "$base/api/v1/danh-gia/$bid")" = 401 ]
check api-wrong-token-401 [ "$(apist -H "Authorization: Bearer chiso_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$base/api/v1/danh-gia/$bid")" = 401 ]
check api-garbage-token-401 [ "$(apist -H "Authorization: Bearer ' OR 1=1 --" "$base/api/v1/danh-gia/$bid")" = 401 ]
check api-basic-auth-401 [ "$(apist -u "$B:chiso2025" "$base/api/v1/danh-gia/$bid")" = 401 ]
check api-401-www-authenticate sh -c "curl -s -D - -o /dev/null '$base/api/v1/toi' | grep -qi '^WWW-Authenticate: Bearer'"
check api-own-school-200 [ "$(apist -H "Authorization: Bearer $tb" "$base/api/v1/danh-gia/$bid")" = 200 ]
check api-other-school-403 [ "$(apist -H "Authorization: Bearer $tb" "$base/api/v1/danh-gia/$aid")" = 403 ]
check api-403-vietnamese grep -q '"message": "Đơn vị này' "$tmp/api.json"
check api-missing-404 [ "$(apist -H "Authorization: Bearer $tb" "$base/api/v1/danh-gia/999999")" = 404 ]
# a token with a wrong cookie beside it: the token decides
check api-token-beats-cookie [ "$(apist -b "$tmp/a" -H "Authorization: Bearer $tb" "$base/api/v1/danh-gia/$aid")" = 403 ]
# cookie sign-in: state changes need X-CSRF-Token
st=$(apist -b "$tmp/a" -X PUT -H 'Content-Type: application/json' --data-binary '{"answers": {"1.1": false}}' "$base/api/v1/danh-gia/$aid/tra-loi")
check api-cookie-without-csrf-403 [ "$st" = 403 ]
st=$(apist -b "$tmp/a" -X PUT -H "X-CSRF-Token: $cb" -H 'Content-Type: application/json' --data-binary '{"answers": {"1.1": false}}' "$base/api/v1/danh-gia/$aid/tra-loi")
check api-cookie-other-csrf-403 [ "$st" = 403 ]
# a token cannot mint tokens; a revoked token stops working
st=$(apist -H "Authorization: Bearer $tb" -H 'Content-Type: application/json' --data-binary '{"label": "x"}' "$base/api/v1/token")
check api-token-cannot-mint-403 [ "$st" = 403 ]
tid=$("$CHISO" token list $B --db "$tmp/chiso.db" | awk 'NR == 1 { print $1 }')
"$CHISO" token revoke $B "$tid" --db "$tmp/chiso.db" >/dev/null
check api-revoked-token-401 [ "$(apist -H "Authorization: Bearer $tb" "$base/api/v1/danh-gia/$bid")" = 401 ]
check db-stores-no-token sh -c "! grep -qaF '$tb' '$tmp/chiso.db'"
# malformed bodies: 400/415 with a Vietnamese message, nothing stored
ta=$("$CHISO" token create $A --label "kiểm thử A" --db "$tmp/chiso.db" 2>/dev/null)
st=$(apist -X PUT -H "Authorization: Bearer $ta" -H 'Content-Type: application/json' --data-binary '{"answers": {"1.1": true, "1.1": false}}' "$base/api/v1/danh-gia/$aid/tra-loi")
check api-duplicate-keys-400 [ "$st" = 400 ]
st=$(printf '{"answers": {"%s": {"text": "\377"}}}' "$info" | apist -X PUT -H "Authorization: Bearer $ta" -H 'Content-Type: application/json' --data-binary @- "$base/api/v1/danh-gia/$aid/tra-loi")
check api-invalid-utf8-400 [ "$st" = 400 ]
st=$(apist -X PUT -H "Authorization: Bearer $ta" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'answers=1' "$base/api/v1/danh-gia/$aid/tra-loi")
check api-form-body-415 [ "$st" = 415 ]
st=$(apist -X PUT -H "Authorization: Bearer $ta" -H 'Content-Type: application/json; charset=iso-8859-1' --data-binary '{"answers": {"1.1": true}}' "$base/api/v1/danh-gia/$aid/tra-loi")
check api-latin1-charset-415 [ "$st" = 415 ]
# NFD in, NFC stored
nfd=$(python3 -c 'import unicodedata; print(unicodedata.normalize("NFD", "Hệ thống quản lý học tập"))')
body=$(python3 -c 'import json,sys; print(json.dumps({"answers": {sys.argv[1]: {"text": sys.argv[2]}}}))' "$info" "$nfd")
apist -X PUT -H "Authorization: Bearer $ta" -H 'Content-Type: application/json' --data-binary "$body" "$base/api/v1/danh-gia/$aid/tra-loi" >/dev/null
check api-text-stored-nfc python3 -c '
import json, sys, unicodedata
t = json.load(open(sys.argv[1]))["assessment"]["answers"][sys.argv[2]]["text"]
assert t == unicodedata.normalize("NFC", t) == "Hệ thống quản lý học tập", t' "$tmp/api.json" "$info"

# ---- graceful shutdown ---------------------------------------------------------------------------------
# A save whose body is still arriving when SIGTERM comes must finish and be stored.
(sleep 2; printf '{"answers": {"1.1": true}}') | curl -s -o "$tmp/slow.json" -w '%{http_code}' -X PUT -T - \
	-H "Authorization: Bearer $ta" -H 'Content-Type: application/json' "$base/api/v1/danh-gia/$aid/tra-loi" >"$tmp/slow.code" &
slow=$!
sleep 1
kill -TERM "$server_pid"
wait "$slow"
wait "$server_pid"; rc=$?
server_pid=
check shutdown-inflight-completes [ "$(cat "$tmp/slow.code")" = 200 ]
check shutdown-exit-0 [ "$rc" = 0 ]
check server-no-sanitizer-report sh -c "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$tmp/serve.err'"
check shutdown-wal-checkpointed sh -c "[ ! -s '$tmp/chiso.db-wal' ]"
check shutdown-stored python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
v = c.execute("SELECT value_json FROM answers WHERE assessment_id = ? AND item_code = ? AND side = ? ORDER BY version DESC LIMIT 1", (int(sys.argv[2]), "1.1", "self")).fetchone()
assert v and v[0] == "true", v' "$tmp/chiso.db" "$aid"
st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/dang-nhap")
check shutdown-port-closed [ "$st" = 000 ]
