#!/usr/bin/env python3
"""Contest load test (stdlib only; not part of the tests). Simulates CONTESTANTS contestants
against a running system (scripts/run-local.sh): each gets a participant key from the admin,
then runs its code on the sample (Piston execute) and submits correct and wrong solutions in
every language, polling each until its verdict. Reports throughput, p50/p95/p99
submit-to-verdict latency and errors, and checks that every submission got exactly one verdict
(DONE with the expected verdict, and exactly one audit entry).

    bench/load.py BASE_URL ADMIN_KEY [contestants=200] [submissions_each=2] [runs_each=1]
"""
import json, random, sys, threading, time, urllib.error, urllib.request

base, admin = sys.argv[1], sys.argv[2]
contestants = int(sys.argv[3]) if len(sys.argv) > 3 else 200
subs_each = int(sys.argv[4]) if len(sys.argv) > 4 else 2
runs_each = int(sys.argv[5]) if len(sys.argv) > 5 else 1
DEADLINE = time.time() + 900  # the whole run stops by itself after 15 minutes

SOLUTIONS = {  # language -> (correct, wrong) for "print a+b"
    "python": ("a,b=map(int,input().split())\nprint(a+b)", "a,b=map(int,input().split())\nprint(a-b)"),
    "javascript": ("const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/).map(Number);console.log(a+b)",
                   "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/).map(Number);console.log(a*b)"),
    "c": ("#include <stdio.h>\nint main(){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a+b);}",
          "#include <stdio.h>\nint main(){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a);}"),
    "c++": ("#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}",
            "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<b<<'\\n';}"),
    "java": ("import java.util.*;public class Main{public static void main(String[] x){Scanner s=new Scanner(System.in);"
             "System.out.println(s.nextLong()+s.nextLong());}}",
             "import java.util.*;public class Main{public static void main(String[] x){Scanner s=new Scanner(System.in);"
             "System.out.println(s.nextLong()-s.nextLong());}}"),
}
TESTS = [{"name": "sample", "input": "1 2\n", "expectedOutput": "3\n", "visible": True},
         {"name": "big", "input": "1000000000 2000000000\n", "expectedOutput": "3000000000\n"},
         {"name": "neg", "input": "-5 5\n", "expectedOutput": "0\n"}]

lock = threading.Lock()
latencies, errors, limited, submitted, runs = [], [], [0], [], [0]


def call(method, path, key, body=None, accept="application/json"):
    """(status, headers, parsed body); retries 429/503 after Retry-After."""
    while time.time() < DEADLINE:
        req = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Accept": accept,
                                              "Authorization": "Bearer " + key})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                raw = r.read()
                return r.status, r.headers, (json.loads(raw) if raw and accept == "application/json" else raw)
        except urllib.error.HTTPError as e:
            if e.code in (429, 503):
                with lock:
                    limited[0] += 1
                time.sleep(float(e.headers.get("Retry-After", "1")))
                continue
            return e.code, e.headers, e.read()
    raise TimeoutError("load test deadline")


def contestant(i):
    try:
        status, _, issued = call("POST", "/api/v1/admin/keys", admin, {"subject": f"load-{stamp}-{i}", "role": "PARTICIPANT"})
        if status != 201:
            raise RuntimeError(f"key: {status} {issued}")
        key = issued["key"]
        rnd = random.Random(i)
        for _ in range(runs_each):
            lang = rnd.choice(list(SOLUTIONS))
            status, _, r = call("POST", "/api/v2/execute", key, {"language": lang, "version": "*",
                                "files": [{"content": SOLUTIONS[lang][0]}], "stdin": "1 2"})
            if status != 200 or r["run"]["stdout"] != "3\n":
                raise RuntimeError(f"run {lang}: {status} {r}")
            with lock:
                runs[0] += 1
        for n in range(subs_each):
            lang = list(SOLUTIONS)[(i + n) % len(SOLUTIONS)]
            correct = (i + n) % 2 == 0
            t0 = time.time()
            status, _, t = call("POST", "/api/v1/submissions", key, {"language": lang, "tests": TESTS,
                                "files": [{"content": SOLUTIONS[lang][0 if correct else 1]}]})
            if status != 202:
                raise RuntimeError(f"submit {lang}: {status} {t}")
            while True:
                _, _, v = call("GET", "/api/v1/submissions/" + t["ticket"], key)
                if v["status"] == "DONE":
                    break
                time.sleep(2)  # a contest page polls every few seconds
            with lock:
                latencies.append(time.time() - t0)
                submitted.append((t["ticket"], "AC" if correct else "WA", v["verdict"], lang))
    except Exception as e:  # counted, reported
        with lock:
            errors.append(f"contestant {i}: {e}")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


stamp = int(time.time())
t0 = time.time()
threads = [threading.Thread(target=contestant, args=(i,)) for i in range(contestants)]
for t in threads:
    t.start()
    time.sleep(0.02)  # contestants arrive over a few seconds, not in one instant
for t in threads:
    t.join()
elapsed = time.time() - t0

wrong = [s for s in submitted if s[1] != s[2]]
status, _, csv = call("GET", f"/api/v1/admin/audit?from={time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t0 - 60))}"
                             f"&max=10000", admin, accept="text/csv")
audit_rows = csv.decode().splitlines()[1:] if status == 200 else []
per_ticket = {}
for row in audit_rows:
    ticket = row.split(",")[0].strip('"')
    per_ticket[ticket] = per_ticket.get(ticket, 0) + 1
not_once = [s[0] for s in submitted if per_ticket.get(s[0]) != 1]

print(f"contestants {contestants}, submissions {len(submitted)}, sample runs {runs[0]}, in {elapsed:.1f} s")
print(f"throughput {len(submitted) / elapsed:.2f} verdicts/s")
print(f"submit-to-verdict latency p50 {pct(latencies, 50):.2f} s, p95 {pct(latencies, 95):.2f} s, p99 {pct(latencies, 99):.2f} s")
print(f"errors {len(errors)}, 429/503 answers (retried) {limited[0]}, unexpected verdicts {len(wrong)}, "
      f"submissions without exactly one audit entry {len(not_once)}")
for e in errors[:10]:
    print("  " + e)
for w in wrong[:10]:
    print("  unexpected", w)
ok = not errors and not wrong and not not_once and len(submitted) == contestants * subs_each
print("RESULT", "OK: every submission got exactly one verdict, the expected one" if ok else "FAILED")
sys.exit(0 if ok else 1)
