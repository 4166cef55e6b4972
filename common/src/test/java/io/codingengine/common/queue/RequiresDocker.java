package io.codingengine.common.queue;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips each test of a class that needs a Docker engine when none is reachable, so that the test
 * report counts every one of them as skipped, and prints the reason once in the test output.
 */
final class RequiresDocker implements ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RequiresDocker.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean docker = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent("docker", key -> ServiceBusEmulator.dockerAvailable(), Boolean.class);
        if (docker) {
            return ConditionEvaluationResult.enabled("a Docker engine is reachable");
        }
        if (context.getTestMethod().isEmpty()) {
            System.out.println("SKIPPED " + context.getDisplayName() + ": " + ServiceBusEmulator.SKIP_REASON);
            // The class runs so that each test reports itself skipped with the reason.
            return ConditionEvaluationResult.enabled("tests are skipped one by one");
        }
        return ConditionEvaluationResult.disabled(ServiceBusEmulator.SKIP_REASON);
    }
}
