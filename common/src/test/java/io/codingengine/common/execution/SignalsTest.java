package io.codingengine.common.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class SignalsTest {

    @Test
    void aNumberHasLinuxsNameAndOneWithoutANameIsSaidByItsNumber() {
        assertEquals("SIGKILL", Signals.name(9));
        assertEquals("SIGSEGV", Signals.name(11));
        assertEquals("SIGSYS", Signals.name(31));
        assertEquals("SIG0", Signals.name(0));
        assertEquals("SIG34", Signals.name(34));
    }

    @Test
    void aNameGivesItsNumberAndNothingElseGivesOne() {
        assertEquals(OptionalInt.of(2), Signals.number("SIGINT"));
        assertEquals(OptionalInt.of(31), Signals.number("SIGSYS"));
        assertEquals(OptionalInt.empty(), Signals.number(""));
        assertEquals(OptionalInt.empty(), Signals.number("sigint"));
        assertEquals(OptionalInt.empty(), Signals.number("SIGFOO"));
    }

    @Test
    void onlyTheNamedNumbersAreSignals() {
        assertTrue(Signals.named(1));
        assertTrue(Signals.named(31));
        assertFalse(Signals.named(0));
        assertFalse(Signals.named(32));
        assertFalse(Signals.named(-9));
    }
}
