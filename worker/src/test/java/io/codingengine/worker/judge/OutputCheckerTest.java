package io.codingengine.worker.judge;

import io.codingengine.common.judge.CheckerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    /**
     * The reasons quote the expected output: the judge shows them for visible tests only and
     * keeps a hidden test's for judges (JudgeTest checks that part).
     */
    @Test
    void reasonsSayWhereAndWhatDiffers() {
        assertEquals("token 2 differs: expected 3, got 4", OutputChecker.of(new CheckerSpec.Tokens()).check("1 3", "1 4").message());
        assertEquals("token 1 differs: expected 1.5, got x", OutputChecker.of(CheckerSpec.Floats.DEFAULT).check("1.5", "x").message());
        assertEquals("expected 2 tokens, got 1", OutputChecker.of(new CheckerSpec.Tokens()).check("1 3", "1").message());
        assertEquals("line 2 differs", OutputChecker.of(new CheckerSpec.Lines()).check("a\nb", "a\nc").message());
        assertNull(OutputChecker.of(new CheckerSpec.Exact()).check("a", "a").message());
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r");
    }
}
