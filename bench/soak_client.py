"""The soak's client (bench/soak): mixed reads and writes at a fixed rate.

    python3 soak_client.py HOST PORT SECONDS RATE PID COOKIE:TOKEN:ASSESSMENT ...

THREADS workers share RATE requests a second, each on one keep-alive
connection and one school: 40% the assessment page (HTML), 30% the same
through the API, 10% the public open data, 20% an answer save (item 1.4).
A save refused with 409 (two workers saving the same item, the later on a
stale version) is counted apart, not as an error. Every 10 s one line:
requests and errors so far, the achieved rate, the
server's resident memory (from /proc/PID). At the end one JSON object.
"""
import http.client
import json
import os
import sys
import threading
import time

host, port, seconds, rate, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
schools = [s.split(":") for s in sys.argv[6:]]
# more workers than the default when the disk is slow: a worker waits out its
# request, so the rate holds only while the mean latency stays under THREADS/RATE
THREADS = int(os.environ.get("SOAK_THREADS", "16"))
lock = threading.Lock()
count = {"req": 0, "err": 0, "save": 0, "conflict": 0, "lat": []}


def rss_kb():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker(k):
    cookie, token, aid = schools[k % len(schools)]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    period = THREADS / rate
    start = time.time()
    n = 0
    while True:
        due = start + n * period
        now = time.time()
        if now - start > seconds:
            break
        if due > now:
            time.sleep(due - now)
        n += 1
        pick = n % 10
        if pick < 4:
            args = ("GET", "/danh-gia/" + aid, None, {"Cookie": "chiso_phien=" + cookie})
        elif pick < 7:
            args = ("GET", "/api/v1/danh-gia/" + aid, None, {"Authorization": "Bearer " + token})
        elif pick < 8:
            args = ("GET", "/cong-khai/du-lieu.json", None, {})
        else:
            body = json.dumps({"answers": {"1.4": n % 40}})
            args = ("PUT", "/api/v1/danh-gia/%s/tra-loi" % aid, body,
                    {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        t = time.time()
        ok = conflict = False
        try:
            conn.request(*args)
            r = conn.getresponse()
            r.read()
            ok = r.status == 200
            # two workers save the same item of one school: the later one,
            # made on a stale version, is refused with 409 by design
            conflict = r.status == 409 and args[0] == "PUT"
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=10)
        with lock:
            count["req"] += 1
            count["err"] += 0 if ok or conflict else 1
            count["conflict"] += 1 if conflict else 0
            count["save"] += 1 if args[0] == "PUT" and ok else 0
            count["lat"].append(time.time() - t)


threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(THREADS)]
t0 = time.time()
for t in threads:
    t.start()
samples = []
while any(t.is_alive() for t in threads):
    time.sleep(10)
    with lock:
        req, err = count["req"], count["err"]
    el = time.time() - t0
    samples.append((el, rss_kb()))
    print("  %5.0f s  %8d requests  %5d errors  %6.0f req/s  RSS %d KB" % (el, req, err, req / el, samples[-1][1]), flush=True)
lat = sorted(count["lat"])
warm = [kb for el, kb in samples if el >= min(60, seconds / 4)] or [samples[-1][1]]
print(json.dumps({"requests": count["req"], "errors": count["err"], "saves": count["save"], "save_conflicts_409": count["conflict"],
                  "rate": round(count["req"] / (time.time() - t0)), "p50_ms": round(lat[len(lat) // 2] * 1000, 1),
                  "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 1), "rss_after_warmup_kb": warm[0],
                  "rss_end_kb": samples[-1][1], "rss_max_kb": max(kb for _, kb in samples),
                  "rss_growth_after_warmup": round((max(warm) - warm[0]) / warm[0], 3)}))
