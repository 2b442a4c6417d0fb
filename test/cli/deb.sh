#!/bin/sh
# The Debian package (issue 14, item 3): `make deb` builds it (in build/deb),
# dpkg installs it, and with the installed files only — /usr/bin/chiso run as
# the chiso user from /, no environment — the server postinst prepared serves
# the sign-in page and signs in the administrator with the one-time password
# postinst printed; `dpkg -r` keeps /var/lib/chiso, `dpkg --purge` removes it.
# Needs root (dpkg -i): otherwise one "ok … # skip" line says why. Also run
# alone by `make deb-check`. One "ok NAME" / "not ok NAME" line per case.
set -u
src=$(pwd)
tmp=$(mktemp -d)
server_pid= installed=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	[ -n "$installed" ] && dpkg --purge chiso >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$src/test/cli/lib/web.sh"

ok() { echo "ok $1"; }
notok() { echo "not ok $1"; shift; for l in "$@"; do echo "  $l"; done; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi; }
skip() { echo "ok deb-package # skip: $1"; exit 0; }

[ "$(id -u)" -eq 0 ] || skip "not root (dpkg -i needs root; CI runs make check as root)"
command -v dh >/dev/null 2>&1 || skip "debhelper not installed (scripts/install-deps.sh installs it)"
if dpkg-query -W -f='${Status}' chiso 2>/dev/null | grep -q installed; then
	skip "a chiso package is already installed on this machine; not touching it"
fi

# build: one package build at a time (make check runs this for the plain and the ASan build)
mkdir -p build
if ! (flock 9; make --no-print-directory deb BUILD=build DEB_BUILD_OPTIONS=nocheck) >"$tmp/build.log" 2>&1 9>build/.deb.lock; then
	notok deb-builds "$(tail -20 "$tmp/build.log")"; exit 1
fi
deb=$(ls build/deb/chiso_*.deb 2>/dev/null | head -1)
check deb-builds test -f "$deb"
cp "$deb" "$tmp/chiso.deb"

# install: postinst makes the user, /var/lib/chiso, the database and the administrator
if DEBIAN_FRONTEND=noninteractive dpkg -i "$tmp/chiso.deb" >"$tmp/install.log" 2>&1; then
	installed=1; ok deb-installs
else
	installed=1; notok deb-installs "$(tail -20 "$tmp/install.log")"; exit 1
fi
pw=$(sed -n 's/^Mật khẩu dùng một lần (one-time password): //p' "$tmp/install.log")
check postinst-prints-one-time-password test -n "$pw"
check installed-files sh -c 'test -x /usr/bin/chiso && test -f /usr/share/chiso/frameworks/qd4725-2022.json &&
	test -f /usr/share/man/man1/chiso.1.gz && test -f /usr/share/doc/chiso/examples/chiso.conf'
unit=$(ls /lib/systemd/system/chiso.service /usr/lib/systemd/system/chiso.service 2>/dev/null | head -1)
check systemd-unit-hardened-as-chiso sh -c "grep -qx 'User=chiso' '$unit' && grep -qx 'ProtectSystem=strict' '$unit' &&
	grep -q '^ExecStart=/usr/bin/chiso serve' '$unit' && ! grep -q DynamicUser '$unit'"
check system-user-and-state-dir sh -c 'getent passwd chiso >/dev/null &&
	[ "$(stat -c %U:%a /var/lib/chiso)" = chiso:700 ] && [ "$(stat -c %U /var/lib/chiso/chiso.db)" = chiso ]'
check man-page-vietnamese sh -c 'zcat /usr/share/man/man1/chiso.1.gz | grep -q "^.SH CÁC LỆNH (COMMANDS)" &&
	zcat /usr/share/man/man1/chiso.1.gz | grep -q "Tạo quản trị viên đầu tiên"'

# a second configure (an upgrade) keeps the administrator's password
dpkg-reconfigure chiso >"$tmp/reconf.log" 2>&1 || DEBIAN_FRONTEND=noninteractive dpkg -i "$tmp/chiso.deb" >"$tmp/reconf.log" 2>&1
check reinstall-keeps-administrator grep -q "already exists, nothing changed" "$tmp/reconf.log"

# with systemd running, postinst started the unit: stop it, this test starts its own
[ -d /run/systemd/system ] && systemctl stop chiso >/dev/null 2>&1

# the installed files only: as chiso, from /, no environment, frameworks from /usr/share
as_chiso() { (cd / && exec env -i PATH=/usr/bin:/bin setpriv --reuid chiso --regid chiso --init-groups "$@"); }
fw=$(as_chiso /usr/bin/chiso frameworks --db /var/lib/chiso/chiso.db 2>&1)
if printf '%s' "$fw" | grep -q '/usr/share/chiso/frameworks'; then ok frameworks-from-usr-share
else notok frameworks-from-usr-share "$(printf '%s' "$fw" | head -6)"; fi
port=$(free_port)
base="http://127.0.0.1:$port"
(cd / && exec env -i PATH=/usr/bin:/bin setpriv --reuid chiso --regid chiso --init-groups \
	/usr/bin/chiso serve --db /var/lib/chiso/chiso.db --blobs /var/lib/chiso/files --port "$port" --quiet) \
	>"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
i=0
until curl -s -o /dev/null "$base/dang-nhap"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then break; fi
	sleep 0.1
done
code=$(curl -s -o "$tmp/signin-page.html" -w '%{http_code}' "$base/dang-nhap")
if [ "$code" = 200 ] && grep -q 'name="_csrf"' "$tmp/signin-page.html"; then ok signin-page
else notok signin-page "status $code" "$(cat "$tmp/serve.err" | head -5)"; fi
check server-runs-as-chiso sh -c "[ \"\$(ps -o user= -p $server_pid)\" = chiso ]"
code=$(signin "$tmp/jar" admin "$pw")
home=$(curl -s -b "$tmp/jar" "$base/")
if [ "$code" = 303 ] && printf '%s' "$home" | grep -q 'Quản trị hệ thống'; then ok admin-signs-in
else notok admin-signs-in "sign-in status $code" "$(printf '%s' "$home" | head -3)"; fi
kill -TERM "$server_pid"; wait "$server_pid"; rc=$?; server_pid=
check server-stops-cleanly test "$rc" -eq 0

# remove keeps the data, purge removes it
DEBIAN_FRONTEND=noninteractive dpkg -r chiso >"$tmp/remove.log" 2>&1
check remove-keeps-data sh -c '! test -e /usr/bin/chiso && test -f /var/lib/chiso/chiso.db && test -f /var/lib/chiso/chiso.db.secret'
DEBIAN_FRONTEND=noninteractive dpkg --purge chiso >"$tmp/purge.log" 2>&1
installed=
check purge-removes-data sh -c '! test -e /var/lib/chiso && ! dpkg-query -W chiso >/dev/null 2>&1'
