"""The benchmark clients' one HTTP call (stdlib only): JSON to and from a running engine, with the
admin key from the environment (CE_KEY; run-local.sh writes it to $DATA/admin.key).

Each client thread keeps one HTTP/1.1 connection open, as Piston's clients do (Node's fetch and
axios keep connections alive), so what is measured is the engine, not a TCP handshake and a
connection set-up per request in the client and in Tomcat. NEW_CONNECTIONS=1 opens one per call,
as the benchmarks did before 2026-12-07 (urllib), to compare."""
import http.client, json, os, threading, urllib.error, urllib.parse, urllib.request

_local = threading.local()
_new_connections = os.environ.get("NEW_CONNECTIONS") == "1"


def _connection(base):
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    conn = conns.get(base)
    if conn is None:
        url = urllib.parse.urlsplit(base)
        conn = conns[base] = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
    return conn


def _headers():
    return {"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["CE_KEY"]}


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    if _new_connections:
        req = urllib.request.Request(base + path, method=method, data=data, headers=_headers())
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.loads(r.read() or b"{}")
    conn = _connection(base)
    for attempt in (1, 2):
        try:
            conn.request(method, path, body=data, headers=_headers())
            r = conn.getresponse()
            payload = r.read()
            break
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed a kept connection between two requests (its keep-alive limit or
            # timeout) before reading this one: nothing was done, so it is sent again once.
            conn.close()
            if attempt == 2:
                raise
    if r.status >= 400:
        raise urllib.error.HTTPError(base + path, r.status, f"{r.reason}: {payload[:500]!r}", r.headers, None)
    return json.loads(payload or b"{}")
