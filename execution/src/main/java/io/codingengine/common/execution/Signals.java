package io.codingengine.common.execution;

import java.util.List;
import java.util.OptionalInt;

/** Linux's signal names by number, as Piston names them in its answers and takes them on {@code /connect}. */
public final class Signals {

    /** Index = number; 0 names none. */
    private static final List<String> NAMES = List.of(
            "",
            "SIGHUP",
            "SIGINT",
            "SIGQUIT",
            "SIGILL",
            "SIGTRAP",
            "SIGABRT",
            "SIGBUS",
            "SIGFPE",
            "SIGKILL",
            "SIGUSR1",
            "SIGSEGV",
            "SIGUSR2",
            "SIGPIPE",
            "SIGALRM",
            "SIGTERM",
            "SIGSTKFLT",
            "SIGCHLD",
            "SIGCONT",
            "SIGSTOP",
            "SIGTSTP",
            "SIGTTIN",
            "SIGTTOU",
            "SIGURG",
            "SIGXCPU",
            "SIGXFSZ",
            "SIGVTALRM",
            "SIGPROF",
            "SIGWINCH",
            "SIGIO",
            "SIGPWR",
            "SIGSYS");

    private Signals() {}

    /** The signal's name ({@code "SIGKILL"}), or {@code "SIG<n>"} for a number without one. */
    public static String name(int number) {
        return number > 0 && number < NAMES.size() ? NAMES.get(number) : "SIG" + number;
    }

    /** The number of the signal so named, or empty when none is. */
    public static OptionalInt number(String name) {
        int i = name.isEmpty() ? -1 : NAMES.indexOf(name);
        return i > 0 ? OptionalInt.of(i) : OptionalInt.empty();
    }

    /** Whether {@code number} is a signal with a name. */
    public static boolean named(long number) {
        return number > 0 && number < NAMES.size();
    }
}
