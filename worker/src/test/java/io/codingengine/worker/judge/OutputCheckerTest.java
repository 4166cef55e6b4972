package io.codingengine.worker.judge;

import io.codingengine.common.judge.CheckerSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputCheckerTest {

    @ParameterizedTest(name = "{0}: ''{1}'' vs ''{2}'' -> {3}")
    @CsvSource(delimiter = '|', value = {
            "EXACT|1 2\\n|1 2\\n|true", "EXACT|1 2\\n|1 2|false", "EXACT|1 2\\n|1  2\\n|false",
            "LINES|1 2\\n|1 2|true", "LINES|1 2\\n|1 2   \\n\\n\\n|true", "LINES|1 2\\n|1  2\\n|false",
            "LINES|a\\nb\\n|a\\r\\nb\\r\\n|true", "LINES|a\\nb\\n|a\\n\\nb\\n|false", "LINES|a\\n|' a'|false",
            "TOKENS|1 2\\n3|1\\n2 3|true", "TOKENS|1 2 3|1 2|false", "TOKENS|''|'  \\n'|true",
            "FLOAT|0.333333|0.3333334|true", "FLOAT|0.333333|0.3334|false", "FLOAT|1e9|1000000001|true",
            "FLOAT|2.5 x|2.5000001 x|true", "FLOAT|2.5 x|2.5 y|false", "FLOAT|1|NaN|false", "FLOAT|1 2|1|false"
    })
    void builtInCheckers(String type, String expected, String actual, boolean accepted) {
        CheckerSpec spec = switch (type) {
            case "EXACT" -> new CheckerSpec.Exact();
            case "LINES" -> new CheckerSpec.Lines();
            case "TOKENS" -> new CheckerSpec.Tokens();
            default -> CheckerSpec.Floats.DEFAULT;
        };
        assertEquals(accepted, OutputChecker.of(spec).check(unescape(expected), unescape(actual)).accepted());
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r");
    }
}
