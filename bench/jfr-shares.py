#!/usr/bin/env python3
"""Each part's share of a JFR recording's CPU samples (bench/profile.sh): a sample counts for the
first part below found anywhere on its stack, in this order; then the own frames' inclusive shares.
Usage: bench/jfr-shares.py FILE.jfr [event=jdk.CPUTimeSample]   (jfr on the PATH: scripts/jdk.sh)"""
import json, subprocess, sys, collections
f = sys.argv[1]; ev = sys.argv[2] if len(sys.argv) > 2 else 'jdk.CPUTimeSample'
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '200', '--events', ev, f], capture_output=True, text=True).stdout
events = json.loads(out)['recording']['events']
# category: first match scanning from leaf to root over these patterns (ordered by priority: most specific first)
cats = [l.split('=',1) for l in '''bucket4j=io/github/bucket4j
audit=AuditLog
jdbc=org/postgresql
hikari=com/zaxxer
logging=ch/qos/logback
logging=org/slf4j
logging=org/apache/logging
json=tools/jackson
json=com/fasterxml
observation=io/micrometer
queue-depth=depth
artemis-send=ArtemisSubmissionQueue.send
reply=ReplyChannel
artemis-server=org/apache/activemq/artemis/core/server
artemis-server=org/apache/activemq/artemis/core/persistence
artemis-server=org/apache/activemq/artemis/core/journal
artemis=org/apache/activemq
netty=io/netty
uuid=java/util/UUID
process=java/lang/Process
process=ProcessImpl
sandbox=io/codingengine/executor
spring-mvc=org/springframework/web
tomcat=org/apache/catalina
tomcat=org/apache/coyote
tomcat=org/apache/tomcat
'''.split() ]
c = collections.Counter(); own = collections.Counter()
n = 0
def name(fr):
    m = fr['method']; return m['type']['name'] + '.' + m['name']
for e in events:
    st = e['values'].get('stackTrace')
    if not st or not st['frames']: continue
    n += 1
    names = [name(fr) for fr in st['frames']]
    # innermost "interesting" category: check each frame leaf->root; first category matched by any frame in priority order
    found = None
    for cat, pat in cats:
        if any(pat in x for x in names):
            found = cat; break
    c[found or 'other:' + names[-1].split('.')[0]] += 1
    for x in names:
        if x.startswith('io/codingengine') or x.startswith('io.codingengine'):
            own[x.split('$$')[0]] += 1
print(n, 'samples', ev)
for k, v in c.most_common(30): print(f'{100*v/n:5.1f}% {k}')
print('-- own frames inclusive')
for k, v in own.most_common(30): print(f'{100*v/n:5.1f}% {k}')
