/*
 * ce-sandbox's shared declarations. The commands and the protocol are documented in
 * ce-sandbox.c, next to main(); each command lives in the file named below with its helpers.
 * Everything not declared here is static to its file.
 */
#ifndef CE_SANDBOX_H
#define CE_SANDBOX_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <linux/nsfs.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <time.h>
#include <unistd.h>

#define MAX_CGROUPS 8
#define MAX_CGROUP_SETTINGS 16
#define MAX_ENV 64
#define MAX_LANDLOCK 512

/* The options of `run`; `box` and `service` use the few they share with it (uid, cgroups, seccomp). */
struct run_opts {
    const char *cgroup_procs[MAX_CGROUPS];
    int n_cgroups;
    const char *cgroup_dirs[MAX_CGROUPS];     /* the run's groups, made by the relay (make_cgroups) */
    int n_cgroup_dirs;
    const char *cgroup_set[MAX_CGROUP_SETTINGS]; /* FILE=VALUE, written in order once the groups exist */
    int cgroup_set_optional[MAX_CGROUP_SETTINGS]; /* skipped when FILE does not exist (no swap accounting) */
    int n_cgroup_set;
    const char *memory_peak_file; /* read when the run is over: its peak memory, or absent */
    const char *oom_events_file;  /* read when the run is over: its "oom_kill N" line */
    const char *cpu_usage_file;
    int cpu_usage_is_stat; /* cgroup v2 cpu.stat (usage_usec) instead of v1 cpuacct.usage (ns) */
    long long cpu_limit_ms;
    long long wall_limit_ms;
    long long output_limit;
    int cut_stderr;        /* stderr past output_limit is dropped and the program runs on (a judge ignores stderr) */
    int live;              /* the input is control frames (stdin as it comes, its end, signals), not raw stdin */
    long long idle_limit_ms; /* live: stop the run after this long with neither input nor output; 0: never */
    long long uid, gid;
    const char *seccomp_file;   /* a filter exported by `seccomp`, or NULL: none */
    int seccomp_fd;             /* >= 0: hand the filter to bwrap there; else load it here */
    int status_fd;
    const char *chdir;
    int info_fd, block_fd; /* bwrap's --info-fd/--block-fd: join the cgroups late (join_late) */
    int late_join;         /* the child is a monitor (bwrap's, or enter_box's): never kill it, it reaps the box init */
    const char *enter;     /* a pooled box: the directory of its pinned user, mount and uts namespaces */
    const char *work;      /* with enter: the host path of the work directory, shown as /box */
    long long tmp_bytes, tmp_inodes, shm_bytes;
    int init_here;         /* COMMAND is `init` and its options: be the box init, without an exec */
    /* One side of an interaction (interact.c): the submission's stdin and stdout are the two
     * FIFOs themselves; the output validator's are pipes to us, and we carry them to and from
     * the FIFOs, recording what passes (at most transcript_limit bytes). */
    const char *stdin_fifo, *stdout_fifo; /* the submission's side */
    const char *proxy_in, *proxy_out;     /* the validator's side: from and to the submission */
    long long transcript_limit;
    /* What the submission may send the validator (its output limit); past it the link is cut: 0, none. */
    long long flood_limit;
    long long peer_timeout_ms;            /* how long the FIFOs wait for the other side's relay */
    char *env[MAX_ENV + 1];
    int n_env;
    /* UID isolation (uid.c): the run has no namespace of its own, so every process of its uid is
     * the run's. The relay is the run's subreaper, kills every process of the uid before the run
     * and after it, and without a cgroup reads CPU time and memory from /proc and rusage. */
    int uid_isolation;
    long long memory_limit; /* with uid_isolation and no cgroup: the memory the relay enforces */
    const char *landlock_read[MAX_LANDLOCK];  /* Landlock rules (landlock.c): read and execute beneath */
    int n_landlock_read;
    const char *landlock_write[MAX_LANDLOCK]; /* every right beneath: the run's own directories */
    int n_landlock_write;
    int cpu_fd;  /* cpu_usage_file, opened once (the relay may leave the host's mount namespace) */
    /* The last cgroup's directory, opened once (O_PATH): its cgroup.procs (kill_name) is opened
     * anew for every look at what to kill, since cgroup v1 keeps an open file's pid list and
     * rereads of the same file show it as it was, not who joined since. */
    int kill_fd;
    const char *kill_name;
};

/* What enter_box opens on the host, in the relay, for box_init in its child (box.c). */
struct box_fds {
    int procs[MAX_CGROUPS]; /* where the run's first process joins its groups (open_join), open for writing */
    int self[MAX_CGROUPS];  /* procs[i] is a v1 `tasks` file: the process writes "0", itself */
    int user;               /* bwrap's nested user namespace, where the program runs */
    int work;               /* a detached clone of the host's work mount, until mounted at /box */
};

/* util.c: where die reports a failure (its definitions say when each is set). */
extern int box_error_fd;
extern int relay_box_error;
extern int relay_error;
/* run.c: the executor's connection (stdout, or the connection under `serve`). */
extern int frames_fd;
/* run.c: our command line's memory, set by main, overwritten by an init made without an exec. */
extern char *arg_area;
extern size_t arg_area_len;

/* util.c */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
long long parse_num(const char *s, const char *what);
int64_t now_ns(void);
int write_all(int fd, const void *buf, size_t len);

/* cgroup.c */
void make_cgroups(const struct run_opts *o);
int open_join(const char *procs, int *self);
int write_join(int fd, int self);
void join_cgroups(const struct run_opts *o);
int64_t read_cpu_ns(const struct run_opts *o);
long long read_counter(int fd, const char *key);

/* box.c */
void fresh_network(void);
void enter_box(const struct run_opts *o, struct box_fds *fds);
void box_init(const struct run_opts *o, const struct box_fds *fds, int status_fd);
void drop_privileges(const struct run_opts *o);
void drop_capabilities(const struct run_opts *o);
int cmd_box(int argc, char **argv);
int cmd_service(int argc, char **argv);
int cmd_hold(void);

/* run.c */
void frame(char tag, const char *data, size_t len);
pid_t read_child_pid(int info_r);
int cmd_run(int argc, char **argv, int64_t stdin_len);

/* interact.c */
struct link;
struct link *open_link(const struct run_opts *o);
int link_child_stdin(const struct link *l);
int link_child_stdout(const struct link *l);
int link_proxies(const struct link *l);
void link_forked(struct link *l, int child_stdin_w, int child_stdout_r);
int link_poll(struct link *l, struct pollfd *p, int np, int exited);
void link_ready(struct link *l, const struct pollfd *p, int np);
void link_child_ended(struct link *l);
int link_busy(const struct link *l);
void link_close(struct link *l);
int link_transcript_cut(const struct link *l);
int link_flooded(const struct link *l);

/* init.c */
int cmd_init(int argc, char **argv);

/* uid.c */
void kill_uid(long long uid, long long gid);
void scan_uid(long long uid, int64_t *cpu_ns, long long *memory);
int cmd_sweep(int argc, char **argv);

/* landlock.c */
int landlock_abi(void);
void restrict_files(const struct run_opts *o);
int cmd_landlock(void);

/* seccomp.c */
int cmd_seccomp(const char *policy, const char *path);

/* serve.c */
int cmd_serve(const char *path);

#endif
