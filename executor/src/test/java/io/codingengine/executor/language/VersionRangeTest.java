package io.codingengine.executor.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("fast")
class VersionRangeTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "*, 3.11.2, true",
        "x, 0.0.1, true",
        "'', 1.2.3, true",
        "3, 3.11.2, true",
        "3, 4.0.0, false",
        "3.x, 3.0.0, true",
        "3.11, 3.11.9, true",
        "3.11, 3.12.0, false",
        "3.11.2, 3.11.2, true",
        "3.11.2, 3.11.3, false",
        "v3.11.2, 3.11.2, true",
        ">=3.9, 3.11.2, true",
        ">=3.9, 3.8.9, false",
        ">= 17, 25.0.3, true",
        ">17, 17.0.15, false",
        ">17, 18.0.0, true",
        "<4, 3.99.99, true",
        "<4, 4.0.0, false",
        "<=3.11, 3.11.7, true",
        "<=3.11, 3.12.0, false",
        ">=3.9 <3.12, 3.11.2, true",
        ">=3.9 <3.11, 3.11.2, false",
        "^3.10.1, 3.99.0, true",
        "^3.10.1, 3.10.0, false",
        "^0.2.3, 0.3.0, false",
        "^0.0.3, 0.0.3, true",
        "~3.10.1, 3.10.9, true",
        "~3.10.1, 3.11.0, false",
        "~3, 3.9.0, true",
        "3.9 - 3.11, 3.11.5, true",
        "3.9 - 3.11, 3.12.0, false",
        "3.9 - 3.11, 3.8.0, false",
        "2 || 3, 3.1.0, true",
        "2 || 4, 3.1.0, false",
        "latest, 3.11.2, false",
        "3.11.2.1.1, 3.11.2, false",
        ">=>3, 3.0.0, false",
        "xx, 3.11.2, false",
        "3.1x, 3.11.2, false",
        "99999999999, 3.11.2, false",
        ">=3.99999999999, 3.11.2, false"
    })
    void nodeSemverRanges(String range, String version, boolean expected) {
        assertEquals(expected, VersionRange.parse(range).matches(Version.parse(version)));
    }

    @Test
    void manyAlternativesCostNoStackAndPastNodeSemversLengthMatchNothing() {
        String longest = ("1 || ").repeat(50) + "3";
        assertEquals(
                true, VersionRange.parse(longest).matches(Version.parse("3.11.2")), longest.length() + " characters");
        // A client once sent 50,000 alternatives: the parse overflowed the stack (a 500).
        assertEquals(false, VersionRange.parse("3" + "||3".repeat(50_000)).matches(Version.parse("3.11.2")));
    }
}
