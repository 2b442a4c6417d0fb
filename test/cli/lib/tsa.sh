# tsa.sh — a test time-stamping authority (RFC 3161) for the signing tests:
# TSA certificates issued by pki.sh's test CA (one valid, one that expired
# in 2021) and `openssl ts -reply` behind a small python3 HTTP server on
# 127.0.0.1 (a free port). The path chooses the answer:
#   /good     a token from the valid TSA certificate
#   /expired  a token from the expired TSA certificate
#   /wrong    a token over another imprint than the one asked
#   /500      HTTP 500; /garbage  an HTML page; /nothing  an empty 200;
#   /big      200 KiB of zeros; /slow  nothing for 12 s (past the 10 s limit)
# Usage: pki_make DIR; tsa_start DIR (sets TSA_URL, the server's base URL);
# tsa_stop. Needs python3 and the openssl CLI.

tsa_pki() {   # DIR
	printf '[ tsa_ext ]\nbasicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature, nonRepudiation\nextendedKeyUsage = critical, timeStamping\n' >"$1/tsa_ext.cnf"
	for t in tsa tsa-expired; do
		openssl req -new -newkey rsa:2048 -nodes -utf8 -keyout "$1/$t.key" -out "$1/$t.csr" \
			-subj "/CN=Chiso Test TSA${t#tsa}/O=Chiso Test PKI" 2>/dev/null || return 1
	done
	openssl ca -batch -utf8 -config "$1/ca.cnf" -in "$1/tsa.csr" -out "$1/tsa.pem" -extfile "$1/tsa_ext.cnf" \
		-extensions tsa_ext >/dev/null 2>&1 &&
	openssl ca -batch -utf8 -config "$1/ca.cnf" -in "$1/tsa-expired.csr" -out "$1/tsa-expired.pem" \
		-startdate 20200101000000Z -enddate 20210101000000Z -extfile "$1/tsa_ext.cnf" -extensions tsa_ext >/dev/null 2>&1 ||
		return 1
	echo 0100 >"$1/tsaserial"
	for t in good expired; do
		f=tsa; [ "$t" = expired ] && f=tsa-expired
		printf '[ tsa_%s ]\nserial = %s/tsaserial\nsigner_cert = %s/%s.pem\ncerts = %s/ca.pem\nsigner_key = %s/%s.key\n' \
			"$t" "$1" "$1" "$f" "$1" "$1" "$f"
		printf 'signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512\nordering = yes\n'
		printf 'tsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n'
	done >"$1/tsa.cnf"
}

tsa_start() {   # DIR
	tsa_pki "$1" || return 1
	cat >"$1/tsa_server.py" <<'PY'
import http.server, os, subprocess, sys, time
d = sys.argv[1]
def stamp(query, section):
    qf, rf = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
    open(qf, "wb").write(query)
    p = subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(d, "tsa.cnf"), "-section", section,
                        "-queryfile", qf, "-out", rf], capture_output=True)
    return open(rf, "rb").read() if p.returncode == 0 else b""
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        mode, status, body = self.path.strip("/"), 200, b""
        if mode == "good": body = stamp(query, "tsa_good")
        elif mode == "expired": body = stamp(query, "tsa_expired")
        elif mode == "wrong":
            other = os.path.join(d, "other.bin"); open(other, "wb").write(b"another signature")
            q = subprocess.run(["openssl", "ts", "-query", "-data", other, "-sha256", "-cert"], capture_output=True).stdout
            body = stamp(q, "tsa_good")
        elif mode == "500": status, body = 500, b"Internal Server Error"
        elif mode == "garbage": body = b"<html><body>not a timestamp</body></html>"
        elif mode == "big": body = b"0" * (200 * 1024)
        elif mode == "slow": time.sleep(12)
        self.send_response(status)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(os.path.join(d, "tsa.port.tmp"), "w").write(str(s.server_address[1]))
os.rename(os.path.join(d, "tsa.port.tmp"), os.path.join(d, "tsa.port"))
s.serve_forever()
PY
	python3 "$1/tsa_server.py" "$1" &
	TSA_PID=$!
	i=0
	while [ ! -s "$1/tsa.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1/tsa.port" ] || return 1
	TSA_URL=http://127.0.0.1:$(cat "$1/tsa.port")
}

tsa_stop() {
	[ -n "${TSA_PID:-}" ] && kill "$TSA_PID" 2>/dev/null && wait "$TSA_PID" 2>/dev/null
	TSA_PID=
}
