#!/usr/bin/env python3
"""What a process pays to join a cgroup v1 group, the two ways (as root, on a cgroup v1 host).

Usage: python3 bench/cgroup-join.py [pause-seconds] [rounds]

Each round forks a single-threaded child that sleeps `pause` (default 0.05 s: no other
cgroup migration on the host just before, as between two runs of a quiet engine) and then
moves itself into a scratch pids group: "process" writes its pid to cgroup.procs (what a run's
first process did), "thread" writes "0" to tasks (what it does now: its own thread, which the
kernel moves without cgroup_threadgroup_rwsem and so without waiting for an RCU grace period).
Prints the median, min and max of each in milliseconds.
"""
import os
import statistics
import sys
import time

GROUP = "/sys/fs/cgroup/pids/ce-join-bench-%d" % os.getpid()


def join_once(pause, file, text):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        time.sleep(pause)
        start = time.perf_counter()
        fd = os.open(file, os.O_WRONLY)
        os.write(fd, text())
        os.close(fd)
        os.write(w, repr((time.perf_counter() - start) * 1000).encode())
        os._exit(0)
    os.close(w)
    took = float(os.read(r, 64))
    os.close(r)
    os.waitpid(pid, 0)
    return took


def main():
    pause = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    os.mkdir(GROUP)
    try:
        ways = {
            "process (pid to cgroup.procs)": (GROUP + "/cgroup.procs", lambda: str(os.getpid()).encode()),
            "thread (0 to tasks)": (GROUP + "/tasks", lambda: b"0"),
        }
        for name, (file, text) in ways.items():
            ts = [join_once(pause, file, text) for _ in range(rounds)]
            print("%-30s median %.3f ms  min %.3f  max %.3f  (%d rounds, %.3f s pause)"
                  % (name, statistics.median(ts), min(ts), max(ts), rounds, pause))
    finally:
        for _ in range(100):
            try:
                os.rmdir(GROUP)
                break
            except OSError:
                time.sleep(0.01)


if __name__ == "__main__":
    main()
