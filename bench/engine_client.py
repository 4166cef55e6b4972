"""The benchmark clients' one HTTP call (stdlib only): JSON to and from a running engine, with the
admin key from the environment (CE_KEY; run-local.sh writes it to $DATA/admin.key)."""
import json, os, urllib.request


def call(base, method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer " + os.environ["CE_KEY"]})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read() or b"{}")
