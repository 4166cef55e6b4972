package io.codingengine.api.config;

import io.codingengine.common.store.AzureStorage;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the api process, under {@code coding-engine.*} (README "api settings").
 *
 * @param dataDir        root-owned directory of the sandbox: its helper binary, boxes and network namespaces
 * @param slots          programs run at once; {@code null} means one per core
 * @param uidBase        first unprivileged uid of the sandbox; slot {@code i} runs as {@code uidBase + i}
 * @param isolation      {@code auto}, {@code namespaces} (refuse to start without) or {@code process}
 * @param cgroupName     name of the sandbox's group in each cgroup hierarchy
 * @param maxRequestSize largest request body accepted; a larger one is answered with 413
 */
@ConfigurationProperties("coding-engine")
public record EngineProperties(@DefaultValue("/var/lib/coding-engine") Path dataDir,
                               Integer slots,
                               @DefaultValue("60000") int uidBase,
                               @DefaultValue("auto") String isolation,
                               @DefaultValue("coding-engine") String cgroupName,
                               @DefaultValue("2MB") DataSize maxRequestSize,
                               @DefaultValue("queue") String execution,
                               @DefaultValue("") String brokerUrl,
                               @DefaultValue("61616") int brokerPort,
                               @DefaultValue(AzureStorage.AZURITE_LOCAL) String storage,
                               @DefaultValue("ce") String tablePrefix,
                               @DefaultValue("120s") Duration executeTimeout) {

    /** {@link #slots()}, or the number of cores when it is not set. */
    public int effectiveSlots() {
        return slots != null ? slots : Runtime.getRuntime().availableProcessors();
    }
}
