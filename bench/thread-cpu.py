#!/usr/bin/env python3
"""CPU per run of each thread of a process: `snap PID FILE` saves each thread's utime+stime,
`diff BEFORE AFTER N` prints CPU ms per run (of N) by thread name, digits folded (bench/profile.sh);
`jit PID` prints the CPU ms so far of a JVM's JIT compiler threads (bench/system.sh)."""
import os, sys, json, re, collections

tick = os.sysconf('SC_CLK_TCK')

def threads(pid):
    """Each live thread of pid: its id, name and utime+stime in ticks."""
    d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read()
            comm = s[s.index('(')+1:s.rindex(')')]
            f = s[s.rindex(')')+2:].split()
            d[t] = (comm, int(f[11]) + int(f[12]))
        except OSError: pass
    return d

if sys.argv[1] == 'snap':
    json.dump(threads(sys.argv[2]), open(sys.argv[3], 'w'))
elif sys.argv[1] == 'jit':
    # C1 and C2 CompilerThread<n>, truncated to 15 characters by the kernel
    print(sum(v for comm, v in threads(sys.argv[2]).values() if 'CompilerThre' in comm) * 1000 / tick)
else:
    a = json.load(open(sys.argv[2])); b = json.load(open(sys.argv[3])); n = int(sys.argv[4])
    c = collections.Counter()
    for t, (comm, v) in b.items():
        c[re.sub(r'[0-9]+', '#', comm)] += v - a.get(t, (comm, 0))[1]
    tot = sum(c.values())
    print(f'total {tot*1000/tick/n:.2f} ms/run')
    for k, v in c.most_common(15):
        if v: print(f'  {v*1000/tick/n:6.2f} {k}')
