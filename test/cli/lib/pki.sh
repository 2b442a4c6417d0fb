# pki.sh — a throw-away PKI for the signing tests, made with the openssl CLI
# in a temporary directory (no private key is committed): a trusted root CA
# and an untrusted one, signers (valid, expired, revoked) as PKCS#12 files
# with the password "test", and a CRL naming the revoked one.
# Usage: pki_make DIR. Then DIR/ca.pem, DIR/other-ca.pem, DIR/crl.pem,
# DIR/{good,expired,revoked,stranger}.p12.

pki_ca_conf() {   # DIR NAME
	mkdir -p "$1/$2.db"
	: >"$1/$2.db/index.txt"
	echo 1000 >"$1/$2.db/serial"
	echo 1000 >"$1/$2.db/crlnumber"
	cat >"$1/$2.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
dir = $1/$2.db
database = \$dir/index.txt
serial = \$dir/serial
crlnumber = \$dir/crlnumber
new_certs_dir = \$dir
certificate = $1/$2.pem
private_key = $1/$2.key
default_md = sha256
default_days = 365
default_crl_days = 30
policy = any
unique_subject = no
copy_extensions = none
x509_extensions = signer
[ any ]
commonName = supplied
organizationName = optional
[ signer ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, nonRepudiation
CNF
}

pki_root() {   # DIR NAME CN
	openssl req -x509 -newkey rsa:2048 -nodes -utf8 -keyout "$1/$2.key" -out "$1/$2.pem" -days 3650 \
		-subj "/CN=$3/O=Chiso Test PKI" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null && pki_ca_conf "$1" "$2"
}

pki_signer() {   # DIR CA NAME CN [STARTDATE ENDDATE]
	openssl req -new -newkey rsa:2048 -nodes -utf8 -keyout "$1/$3.key" -out "$1/$3.csr" \
		-subj "/CN=$4/O=Phòng Giáo dục và Đào tạo Nha Trang" 2>/dev/null || return 1
	if [ $# -ge 6 ]; then dates="-startdate $5 -enddate $6"; else dates=""; fi
	# shellcheck disable=SC2086
	openssl ca -batch -utf8 -config "$1/$2.cnf" -in "$1/$3.csr" -out "$1/$3.pem" $dates >/dev/null 2>&1 || return 1
	openssl pkcs12 -export -inkey "$1/$3.key" -in "$1/$3.pem" -certfile "$1/$2.pem" \
		-passout pass:test -out "$1/$3.p12" 2>/dev/null
}

pki_make() {   # DIR
	pki_root "$1" ca "Chiso Test Root CA" &&
	pki_root "$1" other-ca "Unknown Test CA" &&
	pki_signer "$1" ca good "Nguyễn Văn An" &&
	pki_signer "$1" ca expired "Trần Thị Bình" 20200101000000Z 20210101000000Z &&
	pki_signer "$1" ca revoked "Lê Văn Cường" &&
	pki_signer "$1" other-ca stranger "Phạm Thị Dung" &&
	openssl ca -batch -config "$1/ca.cnf" -revoke "$1/revoked.pem" >/dev/null 2>&1 &&
	openssl ca -batch -config "$1/ca.cnf" -gencrl -out "$1/crl.pem" >/dev/null 2>&1
}

# pki_token DIR: a SoftHSM2 token "chiso-test" (user PIN $PKI_PIN) in DIR/tokens
# holding the keys and certificates of good, expired, revoked and stranger,
# each key and certificate under the object label of its name, imported
# with opensc's pkcs11-tool. Exports SOFTHSM2_CONF; sets PKI_MODULE.
# Returns 1 when SoftHSM2 or pkcs11-tool is missing.
PKI_MODULE=/usr/lib/softhsm/libsofthsm2.so
PKI_PIN=chiso-pin-7731
pki_token() {   # DIR
	command -v softhsm2-util >/dev/null 2>&1 && command -v pkcs11-tool >/dev/null 2>&1 && [ -f "$PKI_MODULE" ] || return 1
	mkdir -p "$1/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$1" >"$1/softhsm2.conf"
	SOFTHSM2_CONF=$1/softhsm2.conf
	export SOFTHSM2_CONF
	softhsm2-util --init-token --free --label chiso-test --pin "$PKI_PIN" --so-pin 56785678 >/dev/null 2>&1 || return 1
	id=1
	for k in good expired revoked stranger; do
		openssl pkcs8 -topk8 -nocrypt -in "$1/$k.key" -outform DER -out "$1/$k.key.der" 2>/dev/null &&
		openssl x509 -in "$1/$k.pem" -outform DER -out "$1/$k.der" &&
		pkcs11-tool --module "$PKI_MODULE" --token-label chiso-test --login --pin "$PKI_PIN" --write-object "$1/$k.key.der" \
			--type privkey --id "0$id" --label "$k" >/dev/null 2>&1 &&
		pkcs11-tool --module "$PKI_MODULE" --token-label chiso-test --login --pin "$PKI_PIN" --write-object "$1/$k.der" \
			--type cert --id "0$id" --label "$k" >/dev/null 2>&1 || return 1
		rm -f "$1/$k.key.der"
		id=$((id + 1))
	done
}

# pki_blue_pixels PDF: how many pixels of the pages, rendered by poppler's
# pdftoppm at 50 dpi, are the dark blue of Chiso's visible signature (the
# documents themselves are black on white).
pki_blue_pixels() {   # PDF
	bdir=$(mktemp -d)
	pdftoppm -r 50 "$1" "$bdir/p" 2>/dev/null
	python3 - "$bdir" <<'PY'
import os, sys
blue = 0
for name in os.listdir(sys.argv[1]):
    data = open(os.path.join(sys.argv[1], name), "rb").read()
    # P6 header: magic, width, height, maxval, each followed by whitespace
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace(): i += 1
        j = i
        while not data[j:j + 1].isspace(): j += 1
        fields.append(data[i:j]); i = j
    px = data[i + 1:]
    blue += sum(1 for k in range(0, len(px) - 2, 3) if px[k + 2] > 100 and px[k + 2] > px[k] + 50)
print(blue)
PY
	rm -rf "$bdir"
}

# pki_intermediate DIR: an intermediate CA "inter" under the root CA and a
# signer "chained" (Võ Thị Em) it issues, as DIR/inter.pem and
# DIR/chained.{key,pem,p12}; with pki_token made, also on the token
# (label "chained"), without the intermediate (a token seldom holds it).
pki_intermediate() {   # DIR
	printf '[ ca_ext ]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n' >"$1/ca_ext.cnf"
	openssl req -new -newkey rsa:2048 -nodes -utf8 -keyout "$1/inter.key" -out "$1/inter.csr" \
		-subj "/CN=Chiso Test Intermediate CA/O=Chiso Test PKI" 2>/dev/null &&
	openssl ca -batch -utf8 -config "$1/ca.cnf" -in "$1/inter.csr" -out "$1/inter.pem" -extfile "$1/ca_ext.cnf" \
		-extensions ca_ext >/dev/null 2>&1 &&
	pki_ca_conf "$1" inter && pki_signer "$1" inter chained "Võ Thị Em" || return 1
	[ -n "${SOFTHSM2_CONF:-}" ] || return 0
	openssl pkcs8 -topk8 -nocrypt -in "$1/chained.key" -outform DER -out "$1/chained.key.der" 2>/dev/null &&
	openssl x509 -in "$1/chained.pem" -outform DER -out "$1/chained.der" &&
	pkcs11-tool --module "$PKI_MODULE" --token-label chiso-test --login --pin "$PKI_PIN" --write-object "$1/chained.key.der" \
		--type privkey --id 09 --label chained >/dev/null 2>&1 &&
	pkcs11-tool --module "$PKI_MODULE" --token-label chiso-test --login --pin "$PKI_PIN" --write-object "$1/chained.der" \
		--type cert --id 09 --label chained >/dev/null 2>&1 || return 1
	rm -f "$1/chained.key.der"
}

# pki_nssdb DIR: an NSS database DIR/nss trusting the root CA, for poppler's
# pdfsig (-nssdir sql:DIR/nss) to validate certificate chains; 1 without certutil.
pki_nssdb() {   # DIR
	command -v certutil >/dev/null 2>&1 || return 1
	mkdir -p "$1/nss" && certutil -N -d "sql:$1/nss" --empty-password >/dev/null 2>&1 &&
	certutil -A -d "sql:$1/nss" -n chiso-test-root -t "C,C,C" -i "$1/ca.pem" >/dev/null 2>&1
}
