#!/usr/bin/env python3
"""Pipeline benchmark client (stdlib only): Piston execute latency through the whole pipeline, and
end-to-end throughput of N judge submissions. Run by bench/pipeline.sh against a running system;
the admin key is in the environment as CE_KEY (run-local.sh writes it to $DATA/admin.key)."""
import json, os, statistics, sys, time, urllib.request

base = sys.argv[1]
mode = sys.argv[2]
key = os.environ["CE_KEY"]

def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read() or b"{}")

if mode == "execute":
    n = int(sys.argv[3])
    body = {"language": "python", "version": "*", "files": [{"content": "print('hello')"}]}
    for _ in range(5):
        call("POST", "/api/v2/execute", body)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = call("POST", "/api/v2/execute", body)
        times.append((time.perf_counter() - t0) * 1000)
        assert r["run"]["stdout"] == "hello\n", r
    print(f"{statistics.median(times):.1f}")
elif mode == "throughput":
    n = int(sys.argv[3])
    sub = {"participant": "bench", "language": "python",
           "files": [{"content": "print(sum(map(int, input().split())))"}],
           "tests": [{"name": "t", "input": "1 2\n", "expectedOutput": "3\n", "visible": True}]}
    t0 = time.perf_counter()
    ids = []
    for i in range(0, n, 50):
        # one participant per submission: the per-participant limits are not what this measures
        batch = [dict(sub, participant=f"bench-{i + j}") for j in range(min(50, n - i))]
        ids += [t["ticket"] for t in call("POST", "/api/v1/submissions/batch", batch)]
    pending = set(ids)
    verdicts = {}
    while pending:
        for i in list(pending):
            v = call("GET", "/api/v1/submissions/" + i)
            if v["status"] == "DONE":
                verdicts[i] = v["verdict"]
                pending.discard(i)
        time.sleep(0.2)
    elapsed = time.perf_counter() - t0
    bad = sum(1 for v in verdicts.values() if v != "AC")
    print(f"{n / elapsed:.1f} {elapsed:.1f} {bad}")
