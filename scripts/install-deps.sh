#!/bin/sh
# Install every Debian package Chiso needs to build, run and test.
# Idempotent: does nothing when all are present; runs `apt-get update` at most once.
# Works as root, and through sudo otherwise. Arguments name more lists of
# packages, one a line, # comments (`make bench` passes bench/deps).
set -eu

PKGS="build-essential pkg-config
libjansson-dev libutf8proc-dev libicu-dev libsodium-dev
libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-client
libmicrohttpd-dev libcurl4-openssl-dev
libzip-dev libexpat1-dev zlib1g-dev
libcairo2-dev libpango1.0-dev libxlsxwriter-dev fonts-liberation2
poppler-utils unzip libreoffice-writer-nogui libreoffice-calc-nogui
libcmocka-dev curl python3
libssl-dev openssl
softhsm2 libengine-pkcs11-openssl opensc p11-kit libnss3-tools
clang-tidy cppcheck python3-clang-14
debhelper lintian
chromium fonts-dejavu-core"
# Signing with a PKCS#11 token (test/cli/sign.sh): SoftHSM2 as the token, libp11's
# OpenSSL engine (Debian 12 has no pkcs11-provider), opensc's pkcs11-tool to import keys;
# NSS's certutil gives poppler's pdfsig a trusted test CA (the token's chain in sign.sh).
# debhelper builds the Debian package (make deb; test/cli/deb.sh), lintian checks it.
# The browser tests: Debian's Chromium, and Node.js with npm for playwright-core.
# A Node.js installed another way (NodeSource bundles npm) is used as it is:
# Debian's npm package would conflict with it.
for list in "$@"; do PKGS="$PKGS $(sed 's/#.*//' "$list")"; done
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
