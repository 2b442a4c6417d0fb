"""Answer saves against a running server while the database is taken away.

    python3 save_load.py BASE SECONDS TOKEN:ASSESSMENT ...

One writer per assessment, each saving item 1.4 (a count) = 1, 2, 3, ...
through PUT /api/v1/danh-gia/{id}/tra-loi, one save after the other. Prints
one JSON object: per assessment the last value acknowledged (200) and the
last value attempted, and the counts of acknowledged and failed saves, and
of saves acknowledged after the first failure (the server came back).
A writer whose saves have failed keeps going past SECONDS until one is
acknowledged again, for at most 60 s more: on a loaded machine the
database may take longer than the run to come back.
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.request

base, seconds = sys.argv[1], float(sys.argv[2])
pairs = [a.split(":") for a in sys.argv[3:]]
result = {}


def writer(token, aid):
    acked = attempted = ok = failed = after_failure = 0
    end = time.time() + seconds
    n = 0
    while time.time() < end or (failed and not after_failure and time.time() < end + 60):
        n += 1
        body = json.dumps({"answers": {"1.4": n}}).encode()
        req = urllib.request.Request(base + "/api/v1/danh-gia/%s/tra-loi" % aid, data=body, method="PUT",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        attempted = n
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                if r.status == 200:
                    acked, ok = n, ok + 1
                    after_failure += 1 if failed else 0
                    continue
        except (urllib.error.URLError, OSError):
            pass
        failed += 1
        time.sleep(0.05)
    result[aid] = {"acked": acked, "attempted": attempted, "ok": ok, "failed": failed, "ok_after_failure": after_failure}


threads = [threading.Thread(target=writer, args=p) for p in pairs]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(result))
