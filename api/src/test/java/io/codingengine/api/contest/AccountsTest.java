package io.codingengine.api.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.InvalidRequestException;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rules of open contests' names: logins in ASCII from any script, and look-alike names found. */
@Tag("fast")
class AccountsTest {

    @Test
    void namesInAnyScriptGiveAnAsciiLogin() {
        assertEquals("ivan", Accounts.login("Иван"));
        assertEquals("alexandros", Accounts.login("Αλέξανδρος"));
        assertEquals("li-ming", Accounts.login("李明"));
        assertEquals("jose-garcia", Accounts.login("José García"));
        assertEquals("ada-lovelace", Accounts.login("  Ada   Lovelace! "));
        assertEquals("ada", Accounts.login("ＡＤＡ"), "full-width letters are letters (NFKC)");
    }

    @Test
    void aNameWithoutLettersOrDigitsIsRefused() {
        assertThrows(InvalidRequestException.class, () -> Accounts.login("🙂🙂"));
        assertThrows(InvalidRequestException.class, () -> Accounts.login(" -- "));
        assertThrows(InvalidRequestException.class, () -> Accounts.login(null));
    }

    @Test
    void anAsciiNamesLoginIsWhatItWasAndAccentedNamesKeepTheirFormerOne() {
        assertEquals("grace30641", Accounts.login("Grace30641"));
        assertEquals(Optional.empty(), Accounts.formerLogin("Grace30641"));
        assertEquals(Optional.of("jos"), Accounts.formerLogin("José"), "é was a separator before");
        assertEquals(Optional.empty(), Accounts.formerLogin("Иван"), "no former login: it could not register");
    }

    @Test
    void lookAlikeNamesHaveOneSkeleton() {
        String latin = "Grace30641";
        String cyrillic = "Gr\u0430\u0441e30641"; // а and с are Cyrillic
        assertNotEquals(Accounts.login(latin), Accounts.login(cyrillic).replace("-", "x"), "the logins differ");
        assertEquals(Accounts.skeleton(latin), Accounts.skeleton(cyrillic));
        assertEquals(Accounts.skeleton("Bill"), Accounts.skeleton("Bi11"));
        assertEquals(Accounts.skeleton("Peter"), Accounts.skeleton("\u0420eter"), "Cyrillic Р");
        assertEquals(
                Accounts.skeleton("paypal"),
                Accounts.skeleton("\u0440\u0430\u0443\u0440\u0430l"),
                "a whole word in Cyrillic");
        assertNotEquals(Accounts.skeleton("Grace"), Accounts.skeleton("Grade"));
        assertNotEquals(Accounts.skeleton("Иван"), Accounts.skeleton("Ivan"));
    }

    @Test
    void aLongNameIsCutBetweenCharactersAsReadersSeeThem() {
        String emoji = "\uD83D\uDE00"; // 😀, two UTF-16 units
        String name = "a".repeat(Accounts.MAX_NAME - 1) + emoji + "b";
        String shown = Accounts.displayName(name);
        assertEquals("a".repeat(Accounts.MAX_NAME - 1), shown, "the emoji at the cut goes whole, not half");
        assertFalse(shown.chars().anyMatch(c -> Character.isSurrogate((char) c)), shown);
        String accented = "a".repeat(Accounts.MAX_NAME - 1) + "z\u0301\u0302x"; // ź̂: a letter with 2 marks
        assertEquals(
                "a".repeat(Accounts.MAX_NAME - 1),
                Accounts.displayName(accented),
                "never a letter without its accents");
        assertEquals("Ada " + emoji, Accounts.displayName("  Ada\t" + emoji + " "));
        assertEquals("\u00e9", Accounts.displayName("e\u0301"), "composed (NFC): é is one character");
        assertEquals("Nguy\u1ec5n", Accounts.displayName("Nguy\u1ec5n"), "Vietnamese keeps its two marks");
    }

    @Test
    void aCharacterWithMoreThanFourCombiningMarksIsRefused() {
        String zalgo = "z" + "\u0301\u0302\u0303\u0304\u0305".repeat(8);
        InvalidRequestException refused =
                assertThrows(InvalidRequestException.class, () -> Accounts.displayName(zalgo));
        assertTrue(refused.getMessage().contains("at most " + Accounts.MAX_MARKS), refused.getMessage());
        assertThrows(
                InvalidRequestException.class,
                () -> Accounts.displayName("Ada x\u0316\u0317\u0318\u0319\u031a"),
                "five marks below and above");
        assertEquals("x\u0316\u0317\u0318\u0319", Accounts.displayName("x\u0316\u0317\u0318\u0319"), "four are kept");
    }
}
