#!/usr/bin/env python3
"""Pipeline benchmark client (stdlib only): Piston execute latency through the whole pipeline, and
end-to-end throughput of N judge submissions. Run by bench/pipeline.sh and bench/saturation.sh
against a running system; the admin key is in the environment as CE_KEY (run-local.sh writes it
to $DATA/admin.key).

  execute N             median ms of N sequential Piston executes (Python hello)
  throughput N          submissions/s of N judge submissions (a+b), polling every ticket
  judge-saturation N    runs/s of N Python hello submissions (one test each), polling in order
  execute-saturation N C  runs/s of N Piston executes (Python hello) from C clients at once"""
import statistics, sys, time
import engine_client
from concurrent.futures import ThreadPoolExecutor

base = sys.argv[1]
mode = sys.argv[2]

def call(method, path, body=None):
    return engine_client.call(base, method, path, body)

HELLO = {"language": "python", "version": "*", "files": [{"content": "print('hello')"}]}

def submit_all(sub, n):
    """Submits n copies in batches of 50, one participant each (the per-participant limits are
    not what is measured); returns the tickets."""
    ids = []
    for i in range(0, n, 50):
        batch = [dict(sub, participant=f"bench-{time.time_ns()}-{i + j}") for j in range(min(50, n - i))]
        ids += [t["ticket"] for t in call("POST", "/api/v1/submissions/batch", batch)]
    return ids

if mode == "execute":
    n = int(sys.argv[3])
    body = HELLO
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
    ids = submit_all(sub, n)
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
elif mode == "judge-saturation":
    n = int(sys.argv[3])
    sub = {"participant": "bench", "language": "python", "files": [{"content": "print('hello')"}],
           "tests": [{"name": "t", "input": "", "expectedOutput": "hello\n", "visible": True}]}
    t0 = time.perf_counter()
    ids = submit_all(sub, n)
    # In submission order, one ticket at a time: the queue is roughly first in, first out, so this
    # costs the api about n + 10/s requests instead of n every round.
    for i in ids:
        while call("GET", "/api/v1/submissions/" + i)["status"] != "DONE":
            time.sleep(0.1)
    elapsed = time.perf_counter() - t0
    bad = sum(1 for i in ids if call("GET", "/api/v1/submissions/" + i)["verdict"] != "AC")
    print(f"{n / elapsed:.1f} {elapsed:.1f} {bad}")
elif mode == "execute-saturation":
    n, clients = int(sys.argv[3]), int(sys.argv[4])
    def one(_):
        r = call("POST", "/api/v2/execute", HELLO)
        return r["run"]["stdout"] == "hello\n"
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        ok = sum(pool.map(one, range(n)))
    elapsed = time.perf_counter() - t0
    print(f"{n / elapsed:.1f} {elapsed:.1f} {n - ok}")
