#!/usr/bin/env python3
"""Target 1's client (stdlib only): a Python and a JavaScript hello, started directly (bare:
`/usr/bin/python3 -c`, `/usr/bin/node -e`: the interpreters the engine runs, not a PATH shim
such as pyenv's, which costs tens of ms) and through the Piston endpoint POST /api/v2/execute of a running engine,
interleaved (bare, engine, bare, engine, ...) so that both see the same machine. Prints the median
and p90 of each, and the median's difference and ratio. Run by bench/execute-latency.sh; the admin
key is in the environment as CE_KEY.

  execute-latency.py BASE N"""
import statistics, subprocess, sys, time
import engine_client

base, n = sys.argv[1], int(sys.argv[2])
CASES = [
    ("python", ["/usr/bin/python3", "-c", "print('hello')"], "print('hello')"),
    ("javascript", ["/usr/bin/node", "-e", "console.log('hello')"], "console.log('hello')"),
]


def bare(argv):
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, check=True).stdout
    ms = (time.perf_counter() - t0) * 1000
    assert out == b"hello\n", out
    return ms


def engine(language, source):
    body = {"language": language, "version": "*", "files": [{"content": source}]}
    t0 = time.perf_counter()
    r = engine_client.call(base, "POST", "/api/v2/execute", body)
    ms = (time.perf_counter() - t0) * 1000
    assert r["run"]["stdout"] == "hello\n", r
    return ms


def p90(xs):
    return sorted(xs)[max(0, int(round(0.9 * len(xs))) - 1)]


for language, argv, source in CASES:
    for _ in range(10):  # the engine's boxes and the interpreters' files warm
        bare(argv), engine(language, source)
    b, e = [], []
    for _ in range(n):
        b.append(bare(argv))
        e.append(engine(language, source))
    mb, me = statistics.median(b), statistics.median(e)
    print(f"{language:<11} bare median {mb:6.1f} p90 {p90(b):6.1f}   engine median {me:6.1f} p90 {p90(e):6.1f}"
          f"   difference {me - mb:+6.1f} ms  ratio {me / mb:5.2f}  (n={n}, target: difference <= 8 ms)")
