/*
 * ce-sandbox: the native part of Coding Engine's sandbox.
 *
 *   ce-sandbox run [options] -- COMMAND...
 *       Host side, as root: a relay started by the executor for one run (fresh boxes, process
 *       isolation), or forked in advance by `serve`. Makes the run's cgroups (--cgroup-dir,
 *       --cgroup-set), forks COMMAND in them, as an
 *       unprivileged uid, with a seccomp filter; relays its stdout and stderr to our stdout as
 *       frames, with a cap per stream; enforces the CPU-time limit (read from the cgroup) and the
 *       wall-time limit; then writes a final status frame. The untrusted program never touches
 *       our stdout, so it cannot forge a frame or a status. COMMAND is bwrap (a fresh box per
 *       run), or with --enter DIR the box init itself, run in the pre-started box pinned at DIR
 *       (enter_box, box_init), or the box init without namespaces (process isolation). With
 *       --init-here COMMAND is `init` and its options, and the child is the box init itself,
 *       without executing a second binary. The run's peak memory and OOM kills are read from
 *       --memory-peak and --oom-events files into the status.
 *       One side of an interaction (interact.c): with --stdin-fifo IN --stdout-fifo OUT the
 *       program's stdin and stdout are those FIFOs (the submission); with --proxy-in OUT
 *       --proxy-out IN they are pipes to the relay, which carries them to and from the FIFOs and
 *       records what passes, up to --transcript-limit bytes (the output validator). Both relays
 *       meet at the FIFOs within --peer-timeout-ms (default 5000). The executor sends no stdin
 *       then; a 'k' on the connection (on stdin without `serve`) stops the run ("stopped=1").
 *       With --uid-isolation (no namespace at all: a container with Docker's default capabilities)
 *       every process of --uid is the run's: the relay kills them all before the run and when it
 *       ends (its init exits, or a limit is hit), is their subreaper, and without a cgroup reads
 *       their CPU time and memory from /proc (then rusage once they are reaped) and enforces
 *       --memory-limit itself; never with an interaction's options. --landlock-read PATH and --landlock-write PATH confine the child's
 *       file access with Landlock (landlock.c) before its seccomp filter is loaded.
 *
 *   ce-sandbox serve SOCKET
 *       A slot's resident relay server (cmd_serve): keeps one relay forked in advance, which
 *       builds the next run's network namespace while it waits, takes the next connection on
 *       SOCKET and is `run --enter` with the request it reads there.
 *
 *   ce-sandbox init --status-fd N [--rlimit NAME=VALUE]... -- PROGRAM...
 *       Inside the sandbox, as its pid 1. Sets the rlimits, forks PROGRAM, waits for it and
 *       reports how it ended (exit code or signal, and its wall time) on fd N, which the
 *       program cannot reach: it is close-on-exec and this process is not dumpable, so
 *       /proc/1/fd is closed to the program. When init exits, the kernel kills everything
 *       left in the pid namespace: daemons do not outlive the run.
 *
 *   ce-sandbox box --uid U --gid G --pins DIR -- BWRAP...
 *       Builds a pre-started box once per slot and pins its namespaces at DIR (cmd_box).
 *
 *   ce-sandbox init hold
 *       The first process of a box being pre-started: says it runs, waits for stdin to close.
 *
 *   ce-sandbox seccomp POLICY PATH
 *       Compiles the seccomp filter ("default"; "nonet" without namespaces; "uid", with nothing of
 *       the run's own, no socket or IPC at all) to BPF at PATH,
 *       once per start-up; `run --seccomp PATH` loads it.
 *
 *   ce-sandbox sweep --uid U --gid G
 *       Kills every process of uid U and waits until none is left (uid.c): for UID isolation, at
 *       the executor's start and after a relay it abandoned.
 *
 *   ce-sandbox landlock
 *       Prints the kernel's Landlock ABI version, 0 when it has no Landlock.
 *
 *   ce-sandbox service [--cgroup-procs FILE]... --uid U --gid G --seccomp PATH --seccomp-fd N -- BWRAP...
 *       A long-lived sandboxed service (the warm Java compiler): joins the given cgroups, opens the
 *       filter PATH at fd N for bwrap's --seccomp N, drops to U/G with no_new_privs and the
 *       parent-death signal, and execs BWRAP with the caller's stdin and stdout (its protocol).
 *
 * A request to `serve`: four bytes big-endian length, the `run` arguments each ended by a NUL,
 * eight bytes big-endian stdin length, then the stdin bytes, which the relay feeds to the program.
 *
 * A live run (`run --live [--idle-limit-ms N]`) reads control frames instead of stdin, on the
 * connection after the request (under `serve`) or on its own stdin: one byte tag, four bytes
 * big-endian length, payload. 'i' stdin bytes for the program, 'c' (empty) the end of its stdin,
 * 'k' four bytes big-endian of a signal for every process of the run but the box init. The end of
 * the control stream, or a frame it does not know, kills the run (its client is gone). The run is
 * also stopped when it goes N ms with neither control nor output ("timeout=idle"). A live run is
 * never a side of an interaction: `--live` with --stdin-fifo, --stdout-fifo, --proxy-in or
 * --proxy-out is refused, as is stdin sent with the request.
 *
 * Frames written by `run` on stdout (on the connection under `serve`): one byte tag, four bytes
 * big-endian length, payload.
 *   'o' stdout bytes   'e' stderr bytes   's' status, "key=value\n" lines, always last.
 *   In an interaction, on the validator's side: '<' bytes from the validator to the submission,
 *   '>' bytes from the submission to the validator, in the order they passed (the transcript).
 * The status has, besides what the box init reported (exit= or signal=, wall_ns=), command_status,
 * relay_wall_ns, cpu_ns, memory_peak, oom_kill, ended_ns (CLOCK_MONOTONIC when the relay reaped
 * the run: which side of an interaction ended first), and when they apply timeout=cpu|wall|idle,
 * exceeded=stdout|stderr, killed=1, stopped=1, transcript_cut=1.
 *
 * Exit codes of `run`: 0 when a status frame was written, 2 on an internal error (message on
 * stderr; under `serve` a status frame "error=<why>" instead). A failure to enter a pre-started box, before any untrusted code ran, is a status frame
 * with "box_error=<why>": the executor then rebuilds the box and runs again.
 *
 * The source: ce-sandbox.h declares what the files share; this file has main(). run.c is the
 * relay (`run`), interact.c one side of an interaction, serve.c `serve`, init.c `init`, box.c the pooled boxes (`box`, `init hold`,
 * entering a box for a run) and `service`, cgroup.c the run's cgroups, seccomp.c the filter
 * (`seccomp`), uid.c UID isolation's killing and accounting (`sweep`), landlock.c its file rules
 * (`landlock`), util.c die() and the small helpers every file uses.
 */

#include "ce-sandbox.h"

int main(int argc, char **argv) {
    arg_area = argv[0];
    arg_area_len = (size_t) (argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
    if (argc >= 2 && !strcmp(argv[1], "run")) return cmd_run(argc - 2, argv + 2, -1);
    if (argc == 3 && !strcmp(argv[1], "serve")) return cmd_serve(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "init") && !strcmp(argv[2], "hold")) return cmd_hold();
    if (argc >= 2 && !strcmp(argv[1], "init")) return cmd_init(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "box")) return cmd_box(argc - 2, argv + 2);
    if (argc == 4 && !strcmp(argv[1], "seccomp")) return cmd_seccomp(argv[2], argv[3]);
    if (argc >= 2 && !strcmp(argv[1], "service")) return cmd_service(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "sweep")) return cmd_sweep(argc - 2, argv + 2);
    if (argc == 2 && !strcmp(argv[1], "landlock")) return cmd_landlock();
    fputs("usage: ce-sandbox run [options] -- COMMAND... | serve SOCKET | init --status-fd N -- PROGRAM... | init hold"
          " | box [options] -- BWRAP... | seccomp POLICY PATH | service [options] -- BWRAP..."
          " | sweep --uid U --gid G | landlock\n", stderr);
    return 2;
}
