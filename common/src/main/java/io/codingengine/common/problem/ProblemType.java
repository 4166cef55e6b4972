package io.codingengine.common.problem;

import io.codingengine.common.judge.CheckerSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Whether a package's problem is interactive, multi-pass or both, and how many passes it allows:
 * {@code type} ({@code interactive}, {@code multi-pass}, alone or in a list) or the legacy
 * {@code validation} ({@code custom interactive}, {@code custom multi-pass}), and
 * {@code limits.validation_passes} (an integer from 2, default 2; at most
 * {@value CheckerSpec.Custom#MAX_PASSES}). {@link ProblemYaml} has checked the keys and refused
 * every other type but pass-fail. Such a problem is judged by its custom output validator run with
 * the submission ({@link CheckerSpec.Custom#judging}); a package without one is refused, as the
 * default validator cannot interact or write {@code nextpass.in}.
 *
 * @param interactive the validator runs with the submission, talking through pipes
 * @param multiPass   the submission may run again on the validator's {@code nextpass.in}
 * @param passes      {@code limits.validation_passes} of a multi-pass problem, else 1
 */
record ProblemType(boolean interactive, boolean multiPass, int passes) {

    static final int DEFAULT_PASSES = 2;

    /** Reads {@code problem.yaml}'s text, which {@link ProblemYaml#parse} has accepted. */
    static ProblemType read(String text) {
        Map<?, ?> yaml;
        try {
            Object document = ProblemYaml.yaml().load(text);
            yaml = document instanceof Map<?, ?> map ? map : Map.of();
        } catch (YAMLException e) {
            throw new InvalidPackageException("problem.yaml is not valid YAML: " + e.getMessage(), e);
        }
        Object type = yaml.get("type");
        List<String> types = type instanceof Collection<?> list
                ? list.stream().map(t -> String.valueOf(t).strip()).toList()
                : type == null ? List.of() : List.of(String.valueOf(type).strip());
        List<String> validation = yaml.get("validation") == null
                ? List.of()
                : List.of(String.valueOf(yaml.get("validation")).strip().split("\\s+"));
        boolean interactive = types.contains("interactive") || validation.contains("interactive");
        boolean multiPass = types.contains("multi-pass") || validation.contains("multi-pass");
        int passes = 1;
        if (multiPass) {
            passes = DEFAULT_PASSES;
            Object given = yaml.get("limits") instanceof Map<?, ?> limits ? limits.get("validation_passes") : null;
            if (given != null) {
                if (!(given instanceof Integer n) || n < 2) {
                    throw new InvalidPackageException("problem.yaml: limits.validation_passes must be an integer of at"
                            + " least 2, not " + given);
                }
                if (n > CheckerSpec.Custom.MAX_PASSES) {
                    throw new InvalidPackageException("problem.yaml: limits.validation_passes " + n
                            + " is not supported:" + " the engine runs at most " + CheckerSpec.Custom.MAX_PASSES
                            + " passes of a test");
                }
                passes = n;
            }
        }
        return new ProblemType(interactive, multiPass, passes);
    }

    /**
     * The checker that judges the problem: {@code checker} itself for a pass-fail problem, its
     * interactive or multi-pass form otherwise.
     *
     * @throws InvalidPackageException when an interactive or multi-pass problem has no custom
     *                                 output validator
     */
    CheckerSpec judge(CheckerSpec checker) {
        if (!interactive && !multiPass) {
            return checker;
        }
        if (!(checker instanceof CheckerSpec.Custom validator)) {
            throw new InvalidPackageException((interactive ? "an interactive" : "a multi-pass")
                    + " problem needs its own"
                    + " output validator (output_validator/, or output_validators/ in a legacy package): the default"
                    + " validator cannot " + (interactive ? "talk with a submission" : "give the next pass's input"));
        }
        return validator.judging(interactive, passes);
    }
}
