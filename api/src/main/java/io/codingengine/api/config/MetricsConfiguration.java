package io.codingengine.api.config;

import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The api's own series next to Spring's request metrics: how deep each lane is. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    MeterBinder queueDepth(SubmissionQueue queue) {
        return registry -> Arrays.stream(Lane.values())
                .forEach(lane -> Gauge.builder("coding_engine_queue_depth", queue, q -> q.depth(lane))
                        .description("messages waiting on a lane")
                        .tag("lane", lane.name().toLowerCase())
                        .register(registry));
    }

    @Bean
    MeterBinder deadLetters(SubmissionQueue queue) {
        return registry -> Arrays.stream(Lane.values())
                .forEach(lane -> Gauge.builder(
                                "coding_engine_dead_letters",
                                queue,
                                q -> q.deadLetters(lane, 1000).size())
                        .description("messages in a lane's dead letters (counted up to 1000)")
                        .tag("lane", lane.name().toLowerCase())
                        .register(registry));
    }
}
