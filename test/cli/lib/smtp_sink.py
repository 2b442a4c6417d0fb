# smtp_sink.py OUTDIR — a tiny local SMTP server for the reminder tests: prints
# its port, writes every accepted message to OUTDIR/N.eml (an "X-Rcpt:" line per
# recipient first) and every AUTH PLAIN login to OUTDIR/auth.log ("user password").
# Advertises AUTH PLAIN; no TLS (the tests allow credentials in clear).
import base64, socket, sys, threading
out = sys.argv[1]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
print(srv.getsockname()[1], flush=True)
count = [0]
lock = threading.Lock()
def login(b64):
    parts = base64.b64decode(b64).split(b"\0")
    with lock, open(out + "/auth.log", "ab") as f:
        f.write(parts[-2] + b" " + parts[-1] + b"\n")
def serve(conn):
    f = conn.makefile("rb")
    say = lambda s: conn.sendall(s.encode() + b"\r\n")
    say("220 sink ESMTP")
    rcpt, data, lines, auth = [], False, [], False
    for line in f:
        if data:
            if line.rstrip(b"\r\n") == b".":
                with lock:
                    count[0] += 1
                    n = count[0]
                with open("%s/%d.eml" % (out, n), "wb") as m:
                    m.write(b"".join(b"X-Rcpt: " + r.encode() + b"\r\n" for r in rcpt) + b"".join(lines))
                rcpt, data, lines = [], False, []
                say("250 queued")
            else:
                lines.append(line[1:] if line.startswith(b"..") else line)
            continue
        if auth:
            login(line.strip()); auth = False; say("235 ok"); continue
        cmd = line.decode("ascii", "replace").strip()
        up = cmd.upper()
        if up.startswith("EHLO"): conn.sendall(b"250-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
        elif up.startswith("AUTH PLAIN "): login(cmd[11:].strip()); say("235 ok")
        elif up == "AUTH PLAIN": auth = True; conn.sendall(b"334 \r\n")
        elif up.startswith("HELO") or up.startswith("MAIL FROM") or up in ("RSET", "NOOP"): say("250 OK")
        elif up.startswith("RCPT TO"): rcpt.append(cmd[8:].strip()); say("250 OK")
        elif up == "DATA": data = True; say("354 go ahead")
        elif up == "QUIT": say("221 bye"); break
        else: say("502 no")
    conn.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
