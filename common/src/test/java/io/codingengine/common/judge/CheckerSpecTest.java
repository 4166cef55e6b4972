package io.codingengine.common.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.json.Json;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link CheckerSpec.Tokens} in its two modes, in JSON as the api, the stores and the queue carry it. */
@Tag("fast")
class CheckerSpecTest {

    @Test
    void tokensWithoutFlagsStayTheExactComparison() {
        CheckerSpec read = Json.read("{\"type\":\"TOKENS\"}", CheckerSpec.class);
        assertEquals(new CheckerSpec.Tokens(), read);
        assertFalse(((CheckerSpec.Tokens) read).kattis());
        assertEquals(read, Json.read(Json.write(read), CheckerSpec.class));
    }

    @Test
    void kattisFlagsRoundTrip() {
        for (CheckerSpec.Tokens tokens : List.of(
                CheckerSpec.Tokens.KATTIS,
                new CheckerSpec.Tokens("case_sensitive"),
                new CheckerSpec.Tokens("float_tolerance 1e-6 space_change_sensitive"))) {
            String json = Json.write(tokens);
            assertTrue(json.contains("\"type\":\"TOKENS\""), json);
            assertTrue(json.contains("\"validatorFlags\":"), json);
            assertFalse(json.contains("kattis") || json.contains("flags\":{"), "components only: " + json);
            CheckerSpec read = Json.read(json, CheckerSpec.class);
            assertEquals(tokens, read);
            assertTrue(((CheckerSpec.Tokens) read).kattis());
        }
        assertEquals(
                new CheckerSpec.Tokens("float_relative_tolerance 1e-4"),
                Json.read(
                        "{\"type\":\"TOKENS\",\"validatorFlags\":\"float_relative_tolerance 1e-4\"}",
                        CheckerSpec.class));
    }

    @Test
    void flagsTheDefaultValidatorRefusesAreRefusedWhenRead() {
        // The api answers 400 to a submission whose checker cannot be read.
        assertThrows(
                RuntimeException.class,
                () -> Json.read("{\"type\":\"TOKENS\",\"validatorFlags\":\"ignore_case\"}", CheckerSpec.class));
        assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Tokens("float_tolerance"));
        assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Tokens("float_tolerance nan"));
    }

    @Test
    void validatorFlagsAreReadLeftToRight() {
        assertEquals(new CheckerSpec.ValidatorFlags(false, false, -1, -1), CheckerSpec.Tokens.KATTIS.flags());
        assertEquals(
                new CheckerSpec.ValidatorFlags(true, true, 1e-3, 1e-6),
                new CheckerSpec.Tokens(
                                "case_sensitive float_tolerance 1e-6 space_change_sensitive float_absolute_tolerance 1e-3")
                        .flags());
        assertEquals(
                CheckerSpec.Tokens.kattis(List.of("float_tolerance", "0.5")),
                new CheckerSpec.Tokens("float_tolerance 0.5"));
        assertThrows(IllegalArgumentException.class, () -> CheckerSpec.Tokens.kattis(List.of("float_tolerance 0.5")));
    }
}
