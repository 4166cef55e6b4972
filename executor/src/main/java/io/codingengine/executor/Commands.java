package io.codingengine.executor;

import io.codingengine.common.execution.StageLimits;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.language.SourceLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fills a catalogue command template (see {@code LanguageDefinition}) into an argv. {@code {pch}}
 * becomes the precompiled header's include arguments, or nothing while none is ready.
 */
final class Commands {

    private static final long MIB = 1L << 20;

    private Commands() {}

    static List<String> expand(
            List<String> template,
            LanguageRuntime runtime,
            SourceLayout layout,
            Map<String, String> options,
            List<String> args,
            List<String> pch,
            StageLimits limits) {
        List<String> argv = new ArrayList<>();
        for (String part : template) {
            switch (part) {
                case "{sources}" -> argv.addAll(layout.sources());
                case "{args}" -> argv.addAll(args);
                case "{pch}" -> argv.addAll(pch);
                default -> {
                    String value = part.replace(
                                    "{toolchain}", runtime.toolchain().toString())
                            .replace("{main}", layout.main())
                            .replace("{heapMiB}", Long.toString(heapMiB(limits.memoryBytes())))
                            .replace("{stackMiB}", Long.toString(stackMiB(limits.memoryBytes())));
                    if (layout.mainClass() != null) {
                        value = value.replace("{mainClass}", layout.mainClass());
                    }
                    for (var option : options.entrySet()) {
                        value = value.replace("{" + option.getKey() + "}", option.getValue());
                    }
                    argv.add(value);
                }
            }
        }
        return argv;
    }

    /** A thread stack for deep recursion: a quarter of the memory limit, between 8 and 256 MiB. */
    static long stackMiB(long memoryBytes) {
        return Math.clamp(memoryBytes / MIB / 4, 8, 256);
    }

    /** The memory limit minus room for the runtime itself (a quarter, at least 64 MiB). */
    static long heapMiB(long memoryBytes) {
        long total = memoryBytes / MIB;
        return Math.max(16, total - Math.max(64, total / 4));
    }
}
