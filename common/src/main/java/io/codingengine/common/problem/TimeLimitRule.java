package io.codingengine.common.problem;

import java.time.Duration;
import java.util.Locale;

/**
 * How the format computes a problem's time limit from its accepted submissions when
 * {@code problem.yaml} gives none, as problemtools does:
 * <ul>
 *   <li>legacy: the slowest accepted submission's time (its slowest test) times
 *       {@code limits.time_multiplier} (default 5), rounded to whole seconds, at least 1 s;
 *       {@code time_safety_margin} (default 2) is the factor past that limit by which problemtools
 *       checks that time-limit-exceeded submissions are slow, not a part of the limit;</li>
 *   <li>2023-07 on: the slowest time times {@code limits.time_multipliers.ac_to_time_limit}
 *       (default 2), rounded up to a multiple of {@code limits.time_resolution} (default 1 s),
 *       at least one; {@code time_limit_to_tle} (default 1.5) is, likewise, for checking
 *       time-limit-exceeded submissions.</li>
 * </ul>
 *
 * @param legacy     which of the two
 * @param multiplier {@code time_multiplier} or {@code ac_to_time_limit}
 * @param margin     {@code time_safety_margin} or {@code time_limit_to_tle}: recorded, not used
 * @param resolution seconds the limit is a multiple of (1 for legacy)
 */
public record TimeLimitRule(boolean legacy, double multiplier, double margin, double resolution) {

    static TimeLimitRule legacy(double timeMultiplier, double safetyMargin) {
        return new TimeLimitRule(true, timeMultiplier, safetyMargin, 1);
    }

    static TimeLimitRule since2023(double acToTimeLimit, double timeLimitToTle, double resolution) {
        return new TimeLimitRule(false, acToTimeLimit, timeLimitToTle, resolution);
    }

    /** The limit for accepted submissions whose slowest run took {@code slowest}. */
    public Duration limitFor(Duration slowest) {
        double exact = slowest.toNanos() / 1e9 * multiplier;
        double seconds = legacy
                ? Math.max(1, Math.floor(0.5 + exact))
                : Math.max(1, Math.ceil(exact / resolution - 1e-9)) * resolution;
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    /** How {@link #limitFor} came to its value, for people: what ran slowest, and the arithmetic. */
    public String explain(Duration slowest, String submission, String test) {
        double exact = slowest.toNanos() / 1e9 * multiplier;
        String rounding = legacy
                ? "rounded to whole seconds, at least 1 s"
                : "rounded up to a multiple of time_resolution " + number(resolution) + " s";
        return String.format(
                Locale.ROOT,
                "from the accepted submissions: the slowest, %s, took %s s on %s;"
                        + " × %s %s = %s s, %s: %s s (%s %s is for checking too-slow submissions, not part of the limit)",
                submission,
                number(slowest.toMillis() / 1000.0),
                test,
                legacy ? "time_multiplier" : "ac_to_time_limit",
                number(multiplier),
                number(exact),
                rounding,
                number(limitFor(slowest).toMillis() / 1000.0),
                legacy ? "time_safety_margin" : "time_limit_to_tle",
                number(margin));
    }

    private static String number(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
