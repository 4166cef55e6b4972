#!/usr/bin/env python3
"""Contest-burst benchmark client (stdlib only), run by bench/contest-burst.sh against a running
system; the admin key is in the environment as CE_KEY.

  unloaded N
      N Runs (Piston executes of print(1)) one after another on an idle system; prints the
      p50 and p95 latency in ms.
  burst SLOW TLE CONTESTANTS PAUSE
      Queues a backlog of SLOW slow submissions (Python, 5 tests, each sleeping 2.5 s) and TLE
      submissions (Python, 3 tests, each spinning to the 3 s CPU limit), all on the contest lane,
      then CONTESTANTS clients each send a Run, wait for its answer, pause PAUSE seconds and send
      the next, until the whole backlog is judged (CONTESTANTS 0: no Runs, judging alone). Prints: Run p50 p95 max (ms), Runs sent, judged
      submissions per second (backlog queued to last verdict), seconds, and verdicts that were not
      the expected ones (slow: AC, TLE: TLE)."""
import sys, threading, time
import engine_client

base = sys.argv[1]
mode = sys.argv[2]

RUN = {"language": "python", "version": "*", "files": [{"content": "print(1)"}]}
SLOW = "import time\ntime.sleep(2.5)\nprint(input())"
TLE = "while True:\n    pass"


def call(method, path, body=None):
    return engine_client.call(base, method, path, body)


def run_once():
    t0 = time.perf_counter()
    r = call("POST", "/api/v2/execute", RUN)
    ms = (time.perf_counter() - t0) * 1000
    assert r["run"]["stdout"] == "1\n", r
    return ms


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def submission(source, tests, i):
    return {"participant": f"burst-{time.time_ns()}-{i}", "language": "python",
            "files": [{"name": "main.py", "content": source}],
            "tests": [{"name": f"t{j}", "input": f"{j}\n", "expectedOutput": f"{j}\n", "visible": True}
                      for j in range(tests)]}


if mode == "unloaded":
    n = int(sys.argv[3])
    for _ in range(5):
        run_once()
    times = [run_once() for _ in range(n)]
    print(f"{pct(times, 50):.0f} {pct(times, 95):.0f}")
elif mode == "burst":
    slow, tle, contestants, pause = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    # Interleaved, as a contest's submissions come: slow, TLE, slow, TLE, ...
    kinds = []
    for i in range(max(slow, tle)):
        if i < slow:
            kinds.append("AC")
        if i < tle:
            kinds.append("TLE")
    batch = [submission(SLOW, 5, i) if k == "AC" else submission(TLE, 3, i) for i, k in enumerate(kinds)]
    t0 = time.perf_counter()
    tickets = [t["ticket"] for t in call("POST", "/api/v1/submissions/batch", batch)]
    done = threading.Event()
    latencies, errors = [], []

    def contestant():
        done.wait(1)  # let the workers take the backlog first: every judging slot busy
        while not done.is_set():
            try:
                latencies.append(run_once())
            except Exception as e:  # a failed Run is reported, not hidden
                errors.append(repr(e))
            done.wait(pause)

    threads = [threading.Thread(target=contestant) for _ in range(contestants)]
    for t in threads:
        t.start()
    pending = dict(zip(tickets, kinds))
    wrong = 0
    while pending:
        time.sleep(0.5)
        for ticket, want in list(pending.items()):
            v = call("GET", "/api/v1/submissions/" + ticket)
            if v["status"] == "DONE":
                wrong += v["verdict"] != want
                del pending[ticket]
    elapsed = time.perf_counter() - t0
    done.set()
    for t in threads:
        t.join()
    if errors:
        print("failed Runs:", errors[:3], file=sys.stderr)
    runs = f"{pct(latencies, 50):.0f} {pct(latencies, 95):.0f} {max(latencies):.0f}" if latencies else "- - -"
    print(f"{runs} {len(latencies)} {len(tickets) / elapsed:.3f} {elapsed:.1f} {wrong + len(errors)}")
else:
    sys.exit(__doc__)
