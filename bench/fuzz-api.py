#!/usr/bin/env python3
"""Sends malformed requests to every endpoint of a running engine and prints each answer that is
a 5xx (or no answer): a client's mistake must get a 4xx with a message, never a 500.
Usage: bench/fuzz-api.py URL ADMIN_KEY_FILE   (e.g. after scripts/run-local.sh: its admin.key)
Exits 1 when any answer was a 5xx. Not part of the test suite; the cases it found are tests now
(JudgePipelineTest.malformedRequestsAre4xxProblemDetailsNot500, WebErrorsTest)."""
import itertools, json, os, sys, urllib.error, urllib.request

base, key = sys.argv[1].rstrip("/"), open(sys.argv[2]).read().strip()

def call(method, path, body=None, ctype="application/json", accept=None):
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": ctype, "Authorization": "Bearer " + key}
    if accept:
        headers["Accept"] = accept
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, method=method, data=data, headers=headers),
                                    timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return -1, str(e).encode()

def submission(**fields):
    s = {"participant": "p", "language": "python", "files": [{"content": "print(1)"}],
         "tests": [{"name": "t", "input": "", "expectedOutput": "1\n"}]}
    s.update(fields)
    return json.dumps(s)

BODIES = [
    "", "{", "[]", "null", "123", '"x"', "[null]", "[[]]", "[1]",
    '{"language":5}', '{"language":"python","files":"x"}', '{"language":"python","files":[null]}',
    '{"language":"python","files":[{"content":5}]}', '{"language":"python","version":[],"files":[{"content":"print(1)"}]}',
    '{"language":"python","version":"*","files":[{"content":"print(1)"}],"run_timeout":-5,"run_memory_limit":1e99}',
    '{"language":"python","version":"*","files":[{"content":"print(1)"}],"run_timeout":"abc","args":[null],"stdin":{}}',
    '{"language":"python","version":"*","files":[{"content":"%%%","encoding":"base64"}]}',
    '{"language":"python","version":"*","files":[{"content":"print(1)","encoding":"rot13"}]}',
    submission(tests=[None]), submission(tests=[{}]), submission(tests="x"), submission(files=[None]),
    submission(tests=[{"name": None, "input": 5, "expectedOutput": []}]), submission(tests=[{"name": "t" * 10000, "input": "", "expectedOutput": ""}]),
    submission(checker=None), submission(checker={}), submission(checker={"type": "ZZZ"}), submission(checker={"type": "CUSTOM"}),
    submission(checker={"type": "CUSTOM", "language": "python", "version": "*", "files": [None]}),
    submission(checker={"type": "FLOATS", "tolerance": "x"}),
    submission(participant="p" * 5000), submission(participant="a/b#c?d\\e\u0001\u007f"), submission(participant=5),
    submission(contestId="c" * 3000), submission(contestId="a/b#c"), submission(problemId=""), submission(problemId="x" * 3000),
    submission(language="x" * 10000), submission(version="x" * 10000), submission(version="99999999999"), submission(version="[1,2"),
    submission(files=[{"name": "x" * 5000, "content": "1"}]), submission(files=[{"name": "a\u0000b", "content": "1"}]),
    '{"subject":"' + "s" * 5000 + '","role":"participant"}', '{"subject":"x","role":"GOD"}', '{"subject":null,"role":null}',
    '{"key":5}', '{"name":""}', '{"name":null}', '{"token":5}', '{"timeLimitMs":1e40,"memoryLimitBytes":-1}',
    '{"title":null,"start":"yesterday","end":null,"problems":[null]}',
    '{"title":"t","start":"2026-01-01T00:00:00Z","end":"2025-01-01T00:00:00Z","problems":[],"invitations":[{"token":null}],"scoring":"WHAT"}',
]
POSTS = [("POST", "/api/v2/execute"), ("POST", "/api/v1/submissions"), ("POST", "/api/v1/submissions/batch"),
         ("POST", "/api/v1/admin/keys"), ("POST", "/api/v1/admin/keys/revoke"), ("POST", "/api/v1/contests/c1/entries"),
         ("POST", "/api/v1/contests/c1/submissions"), ("PUT", "/api/v1/admin/contests/c1"), ("PUT", "/api/v1/admin/contests/" + "c" * 2000),
         ("PUT", "/api/v1/admin/problems/p1/limits"), ("POST", "/api/v1/problems/p1/regrade")]
GETS = ["/api/v1/submissions/nope", "/api/v1/submissions/%00", "/api/v1/submissions/" + "a" * 3000,
        "/api/v1/submissions?pageSize=-1", "/api/v1/submissions?pageSize=abc", "/api/v1/submissions?pageSize=100000",
        "/api/v1/submissions?continuationToken=zzz", "/api/v1/submissions?continuationToken=%ff%fe", "/api/v1/submissions?status=WHAT",
        "/api/v1/submissions?participant=a%27%20or%20%271%27%3D%271", "/api/v1/submissions?problemId=" + "x" * 3000,
        "/api/v1/problems/nope", "/api/v1/problems/p/regrades/abc", "/api/v1/problems/p/regrades/99999999999999999999",
        "/api/v1/contests/nope", "/api/v1/contests/" + "c" * 3000 + "/scoreboard", "/api/v1/contests/nope/submissions",
        "/api/v1/admin/contests/nope", "/api/v1/admin/problems/" + "p" * 3000, "/api/v1/admin/audit?from=yesterday",
        "/api/v1/admin/audit?max=-4", "/api/v1/admin/audit?verdict=ZZ", "/api/v1/admin/audit?participant=a%27b",
        "/api/v1/admin/dead-letters?max=x", "/api/v2/runtimes", "/nope", "/api/v1/%2e%2e/admin/keys", "/actuator/env"]

bad = []
def check(what, status, body):
    if status >= 500 or status < 0:
        bad.append(f"{status} {what[:140]}: {body[:160]!r}")

for (method, path), body in itertools.product(POSTS, BODIES):
    check(f"{method} {path} {body}", *call(method, path, body))
for method, path in POSTS:
    for ctype in ["text/plain", "application/xml", "multipart/form-data", "application/zip", ""]:
        check(f"{method} {path} as {ctype}", *call(method, path, '{"language":"python"}', ctype))
for zipped in [b"PK\x03\x04garbage", b"", b"x" * 1000, os.urandom(5000)]:
    for problem in ["p1", "a" * 2000, "x%2Fy"]:
        check(f"PUT /api/v1/problems/{problem} ({len(zipped)} bytes)", *call("PUT", "/api/v1/problems/" + problem, zipped, "application/zip"))
for path in GETS:
    for accept in [None, "text/csv", "application/xml"]:
        check(f"GET {path} Accept {accept}", *call("GET", path, accept=accept))
for method in ["DELETE", "PATCH", "PUT", "OPTIONS", "HEAD"]:
    for path in ["/api/v2/execute", "/api/v1/submissions/x", "/api/v1/admin/contests/nope", "/api/v1/problems/nope"]:
        check(f"{method} {path}", *call(method, path, b"{}"))
print(f"{len(bad)} answers were 5xx or none")
print("\n".join(bad))
sys.exit(1 if bad else 0)
