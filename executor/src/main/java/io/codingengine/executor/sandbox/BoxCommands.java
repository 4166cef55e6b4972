package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.StageLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command lines of the native helper ({@code ce-sandbox}, whose commands {@code ce-sandbox.c}
 * documents) and of bubblewrap: a run in a fresh box or in the slot's pre-started one, building a
 * pre-started box, and a long-lived service. Only builds argument lists; {@link Slots} and
 * {@link Sandbox} start them.
 */
final class BoxCommands {

    /** Where the helper is bound inside a box, to be the box's init. */
    private static final String INIT_IN_BOX = "/.ce/init";
    // The fds the helper and bwrap agree on: the filter, the init's status, bwrap's handshake.
    private static final int SECCOMP_FD = 3;
    private static final int STATUS_FD = 4;
    private static final int INFO_FD = 5;
    private static final int BLOCK_FD = 6;
    private static final long DEV_SHM_BYTES = 16L << 20;

    private final SandboxConfig config;
    private final SandboxHost host;
    private final String helper;

    BoxCommands(SandboxConfig config, SandboxHost host) {
        this.config = config;
        this.host = host;
        this.helper = host.helper().toString();
    }

    /**
     * A run in a fresh box, by a relay started for this run alone ({@code ce-sandbox run}): bwrap
     * builds the box with namespaces, or the box init runs without them under process and UID isolation.
     */
    List<String> freshRun(Box box, RunSpec spec, RunCgroup cgroup, Isolation.Level level) {
        return freshRun(box, spec, cgroup, level, List.of());
    }

    /** {@link #freshRun(Box, RunSpec, RunCgroup, Isolation.Level)} with {@code extra} options for the relay. */
    List<String> freshRun(Box box, RunSpec spec, RunCgroup cgroup, Isolation.Level level, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(helper, "run"));
        cmd.addAll(relayPrefix(box, spec, cgroup));
        cmd.addAll(extra);
        List<String> init = initArgs(spec, cgroup, level);
        if (level == Isolation.Level.UID) {
            cmd.addAll(uidRun(box, spec, cgroup));
            cmd.add("--");
            cmd.add(helper);
            cmd.addAll(init);
            return cmd;
        }
        if (level == Isolation.Level.PROCESS) {
            cmd.addAll(List.of(
                    "--seccomp",
                    host.seccompNoNetwork().toString(),
                    "--chdir",
                    box.work().toString()));
            spec.env().forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
            cmd.add("--");
            cmd.add(helper);
            cmd.addAll(init);
            return cmd;
        }
        Path tmp = box.mounts().freshTmp();
        cmd.addAll(List.of(
                "--seccomp",
                host.seccompDefault().toString(),
                "--seccomp-fd",
                Integer.toString(SECCOMP_FD),
                "--info-fd",
                Integer.toString(INFO_FD),
                "--block-fd",
                Integer.toString(BLOCK_FD)));
        cmd.add("--");
        List<String> bwrap = bwrapNamespaces(Integer.toString(box.mounts().uid()));
        bwrap.add(1, "--disable-userns");
        cmd.addAll(bwrap);
        cmd.addAll(List.of(
                "--size",
                Long.toString(DEV_SHM_BYTES),
                "--tmpfs",
                "/dev/shm",
                "--bind",
                box.work().toString(),
                "/box",
                "--bind",
                tmp.toString(),
                "/tmp",
                "--ro-bind",
                helper,
                INIT_IN_BOX,
                // Only the capped work dir, /tmp and /dev/shm stay writable; bwrap's own root and
                // /dev are tmpfs without caps.
                "--remount-ro",
                "/dev",
                "--remount-ro",
                "/",
                "--chdir",
                "/box",
                "--clearenv",
                "--info-fd",
                Integer.toString(INFO_FD),
                "--block-fd",
                Integer.toString(BLOCK_FD)));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.addAll(List.of("--seccomp", Integer.toString(SECCOMP_FD), "--", INIT_IN_BOX));
        cmd.addAll(init);
        return cmd;
    }

    /**
     * The relay's options for a run under UID isolation: the uid's processes are the run's
     * ({@code --uid-isolation}); the filter without sockets or IPC; the work directory and a fresh
     * temporary directory of the run's own, which are also its {@code HOME} and {@code TMPDIR} (the
     * box's {@code /box} and {@code /tmp} do not exist here, and the host's {@code /tmp} is
     * shared); without a cgroup the memory limit, which the relay enforces; with Landlock the
     * paths the run may read (what a box shows) and write (its two directories).
     */
    private List<String> uidRun(Box box, RunSpec spec, RunCgroup cgroup) {
        Path tmp = box.mounts().freshTmp();
        List<String> cmd = new ArrayList<>(List.of(
                "--uid-isolation",
                "--seccomp",
                host.seccompUid().toString(),
                "--chdir",
                box.work().toString()));
        if (cgroup == null) {
            cmd.addAll(List.of("--memory-limit", Long.toString(spec.limits().memoryBytes())));
        }
        if (host.landlockAbi() > 0) {
            host.readablePaths().forEach(p -> cmd.addAll(List.of("--landlock-read", p)));
            cmd.addAll(List.of("--landlock-write", box.work().toString(), "--landlock-write", tmp.toString()));
        }
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.put("HOME", box.work().toString());
        env.put("TMPDIR", tmp.toString());
        env.forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
        return cmd;
    }

    /**
     * A run in the slot's pre-started box: the arguments of {@code run --enter} (see {@link BoxPool}),
     * sent to the slot's relay server; the relay's child becomes the box init itself
     * ({@code --init-here}), without executing a second binary.
     */
    List<String> pooledRun(Box box, RunSpec spec, RunCgroup cgroup, Path pins) {
        return pooledRun(box, spec, cgroup, pins, List.of());
    }

    /** {@link #pooledRun(Box, RunSpec, RunCgroup, Path)} with {@code extra} options for the relay. */
    List<String> pooledRun(Box box, RunSpec spec, RunCgroup cgroup, Path pins, List<String> extra) {
        List<String> cmd = relayPrefix(box, spec, cgroup);
        cmd.addAll(extra);
        cmd.addAll(List.of(
                "--seccomp",
                host.seccompDefault().toString(),
                "--enter",
                pins.toString(),
                "--work",
                box.work().toString(),
                "--tmp-bytes",
                Long.toString(box.mounts().bytes()),
                "--tmp-inodes",
                Integer.toString(box.mounts().inodes()),
                "--shm-bytes",
                Long.toString(DEV_SHM_BYTES)));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
        cmd.addAll(List.of("--init-here", "--"));
        cmd.addAll(initArgs(spec, cgroup, Isolation.Level.NAMESPACES));
        return cmd;
    }

    /**
     * Builds a slot's pre-started box: bwrap makes the namespaces and read-only mounts once and
     * starts {@code init hold}; {@code ce-sandbox box} pins them at {@code pins}. The work
     * directory, /tmp, /dev/shm and /proc are mounted per run, inside the run's own mount namespace.
     */
    List<String> buildBox(int slot, Path pins) {
        String uid = Integer.toString(config.uidBase() + slot);
        List<String> cmd =
                new ArrayList<>(List.of(helper, "box", "--uid", uid, "--gid", uid, "--pins", pins.toString()));
        cmd.add("--");
        cmd.addAll(bwrapNamespaces(uid));
        cmd.addAll(List.of(
                "--dir",
                "/box",
                "--dir",
                "/tmp",
                "--ro-bind",
                helper,
                INIT_IN_BOX,
                "--remount-ro",
                "/dev",
                "--remount-ro",
                "/",
                "--chdir",
                "/",
                "--clearenv",
                "--info-fd",
                Integer.toString(INFO_FD),
                "--",
                INIT_IN_BOX,
                "init",
                "hold"));
        return cmd;
    }

    /**
     * A long-lived service ({@link Sandbox#startService}): {@code ce-sandbox service} joins
     * {@code cgroup} and hands the filter to bwrap, which builds a box with a capped {@code /tmp}
     * and the service's own binds.
     */
    List<String> service(ServiceSpec spec, RunCgroup cgroup) {
        String uid = Integer.toString(spec.uid());
        List<String> cmd = new ArrayList<>(List.of(helper, "service"));
        if (cgroup != null) {
            cgroup.procsFiles().forEach(f -> cmd.addAll(List.of("--cgroup-procs", f.toString())));
        }
        cmd.addAll(List.of(
                "--uid",
                uid,
                "--gid",
                uid,
                "--seccomp",
                host.seccompDefault().toString(),
                "--seccomp-fd",
                Integer.toString(SECCOMP_FD),
                "--"));
        List<String> bwrap = bwrapNamespaces(uid);
        bwrap.add(1, "--disable-userns");
        cmd.addAll(bwrap);
        cmd.addAll(List.of("--size", Long.toString(DEV_SHM_BYTES), "--tmpfs", "/tmp"));
        spec.readOnlyBinds().forEach((outside, inside) -> cmd.addAll(List.of("--ro-bind", outside.toString(), inside)));
        spec.binds().forEach((outside, inside) -> cmd.addAll(List.of("--bind", outside.toString(), inside)));
        cmd.addAll(List.of("--remount-ro", "/dev", "--remount-ro", "/", "--chdir", spec.chdir(), "--clearenv"));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.addAll(List.of("--seccomp", Integer.toString(SECCOMP_FD), "--"));
        cmd.addAll(spec.command());
        return cmd;
    }

    /** The relay's ({@code ce-sandbox run}'s) options common to every kind of box. */
    private static List<String> relayPrefix(Box box, RunSpec spec, RunCgroup cgroup) {
        StageLimits limits = spec.limits();
        int uid = box.mounts().uid();
        List<String> cmd = new ArrayList<>();
        if (cgroup != null) {
            cmd.addAll(cgroup.setup().relayArgs());
            cmd.addAll(List.of(
                    "--memory-peak",
                    cgroup.peakMemoryFile().toString(),
                    "--oom-events",
                    cgroup.oomEventsFile().toString()));
            cgroup.procsFiles().forEach(f -> cmd.addAll(List.of("--cgroup-procs", f.toString())));
            cmd.addAll(List.of(
                    "--cpu-usage", cgroup.cpuUsageFile().toString(), "--cpu-usage-format", cgroup.cpuUsageFormat()));
        }
        cmd.addAll(List.of(
                "--cpu-limit-ms",
                Long.toString(limits.cpuTime().toMillis()),
                "--wall-limit-ms",
                Long.toString(limits.wallTime().toMillis()),
                "--output-limit",
                Long.toString(limits.outputBytes()),
                "--uid",
                Integer.toString(uid),
                "--gid",
                Integer.toString(uid),
                "--status-fd",
                Integer.toString(STATUS_FD)));
        if (spec.cutStderr()) {
            cmd.add("--cut-stderr");
        }
        if (spec.live() != null) {
            cmd.addAll(List.of(
                    "--live",
                    "--idle-limit-ms",
                    Long.toString(spec.live().idleLimit().toMillis())));
        }
        return cmd;
    }

    /** The box init's arguments: rlimits, then the program. */
    private static List<String> initArgs(RunSpec spec, RunCgroup cgroup, Isolation.Level level) {
        List<String> init = new ArrayList<>(List.of("init", "--status-fd", Integer.toString(STATUS_FD)));
        rlimits(spec.limits(), cgroup == null, level).forEach(r -> init.addAll(List.of("--rlimit", r)));
        init.add("--");
        init.addAll(spec.command());
        return init;
    }

    private static List<String> rlimits(StageLimits limits, boolean noCgroup, Isolation.Level level) {
        long cpuBackstop = limits.cpuTime().plusMillis(999).toSeconds() + 1;
        List<String> r = new ArrayList<>(List.of(
                "core=0",
                "fsize=" + limits.fileSizeBytes(),
                "nofile=" + limits.openFiles(),
                "stack=" + limits.memoryBytes(),
                "cpu=" + cpuBackstop));
        if (noCgroup) {
            // Without a memory cgroup the address space is the only memory limit left; under UID
            // isolation the relay enforces memory itself instead, since the JVM and Node reserve
            // gigabytes of address space they never use and do not start under such a limit.
            if (level != Isolation.Level.UID) {
                r.add("as=" + limits.memoryBytes());
            }
            // The uid is the slot's alone, so its process count is the run's.
            r.add("nproc=" + (limits.processes() + 2));
        }
        return r;
    }

    /** bwrap's namespaces, identity and read-only file system, shared by fresh and pre-started boxes. */
    private List<String> bwrapNamespaces(String uid) {
        List<String> cmd = new ArrayList<>(List.of(
                config.bwrap().toString(),
                "--unshare-user",
                "--unshare-ipc",
                "--unshare-pid",
                "--unshare-uts",
                "--unshare-cgroup-try",
                "--unshare-net"));
        cmd.addAll(List.of(
                "--uid",
                uid,
                "--gid",
                uid,
                "--hostname",
                "box",
                "--die-with-parent",
                "--new-session",
                "--as-pid-1",
                "--cap-drop",
                "ALL"));
        cmd.addAll(host.readOnlyMounts());
        cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        return cmd;
    }
}
