package io.codingengine.common.judge;

/**
 * The judge's word on one test or on a whole submission. A whole submission is {@link #AC} only
 * when every test is; otherwise the worker names one of its failing tests' verdicts.
 * {@link #CE} and {@link #IE} can end a submission before any test ran.
 */
public enum Verdict {
    /** Accepted: the program ended normally within every limit and the checker accepted its output. */
    AC,
    /** Wrong answer: the program ended normally within every limit but the checker rejected its output. */
    WA,
    /** Time limit exceeded: CPU time or wall time went past the limit; the run was stopped. */
    TLE,
    /** Memory limit exceeded: the memory cgroup's OOM killer ended the run. */
    MLE,
    /** Runtime error: the program exited with a non-zero code or died of a signal. */
    RE,
    /** Output limit exceeded: stdout or stderr went past the output limit; the run was stopped. */
    OLE,
    /** Compilation error: the compile stage failed, so no test ran; see the compile output. */
    CE,
    /**
     * Internal error: the engine failed (sandbox, session pool, custom checker crashed or gave
     * no answer), not the program. Never the submitter's fault; such submissions are judged again.
     */
    IE,
    /**
     * Not run: a test the judging skipped because an earlier test's rejection already decided
     * its group ({@code on_reject: break}, lazy judging). Only ever a test's verdict, never a
     * submission's.
     */
    NR;

    /** True only for {@link #AC}. */
    public boolean accepted() {
        return this == AC;
    }
}
