#!/usr/bin/env python3
"""CPU per run of each thread of a process: `snap PID FILE` saves each thread's utime+stime,
`diff BEFORE AFTER N` prints CPU ms per run (of N) by thread name, digits folded (bench/profile.sh)."""
import os, sys, json, re, collections

tick = os.sysconf('SC_CLK_TCK')
if sys.argv[1] == 'snap':
    pid = sys.argv[2]; d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read()
            comm = s[s.index('(')+1:s.rindex(')')]
            f = s[s.rindex(')')+2:].split()
            d[t] = (comm, int(f[11]) + int(f[12]))
        except OSError: pass
    json.dump(d, open(sys.argv[3], 'w'))
else:
    a = json.load(open(sys.argv[2])); b = json.load(open(sys.argv[3])); n = int(sys.argv[4])
    c = collections.Counter()
    for t, (comm, v) in b.items():
        c[re.sub(r'[0-9]+', '#', comm)] += v - a.get(t, (comm, 0))[1]
    tot = sum(c.values())
    print(f'total {tot*1000/tick/n:.2f} ms/run')
    for k, v in c.most_common(15):
        if v: print(f'  {v*1000/tick/n:6.2f} {k}')
