package io.codingengine.api.contest;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.Transliterator;
import io.codingengine.common.execution.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The rules of open contests' accounts: the login a name gives, the name shown, what a password
 * must be, and its hash (BCrypt from Spring Security Crypto, cost {@value #COST}: about 50 ms a
 * check on one core, so a stolen table is slow to attack while the entry limits stop online
 * guessing).
 */
final class Accounts {

    static final int MAX_NAME = 40;
    /** The most combining marks one character of a shown name carries (Vietnamese needs 2, some Indic clusters 4). */
    static final int MAX_MARKS = 4;

    static final int MIN_PASSWORD = 8;
    /** BCrypt reads 72 bytes of a password and ignores the rest; a longer one is refused, not cut. */
    static final int MAX_PASSWORD_BYTES = 72;

    static final int COST = 10;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BCryptPasswordEncoder ENCODER = new BCryptPasswordEncoder(COST, RANDOM);
    /** Checked against when a login is unknown, so that an unknown login takes as long as a wrong password. */
    private static final String DUMMY = ENCODER.encode("not anyone's password");

    private static final char[] ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz".toCharArray();
    /** Names in any script give an ASCII login (participant ids are ASCII): Иван is ivan, 李明 is li-ming. */
    private static final Transliterator TO_ASCII = Transliterator.getInstance("Any-Latin; Latin-ASCII");
    /** Unicode TR39 skeletons: two names with one skeleton look alike (Cyrillic а for Latin a, 1 for l). */
    private static final SpoofChecker CONFUSABLES =
            new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE).build();

    private Accounts() {}

    /**
     * The login of a name: its letters and digits, written in ASCII ({@link #TO_ASCII}: José is
     * jose), in lower case, joined by {@code -}, at most 40 characters. An ASCII name's login is
     * what it always was.
     */
    static String login(String name) {
        String ascii;
        synchronized (TO_ASCII) { // ICU does not promise that a Transliterator is thread-safe
            ascii = TO_ASCII.transliterate(
                    Normalizer.normalize(Optional.ofNullable(name).orElse("").strip(), Normalizer.Form.NFKC));
        }
        return clean(ascii);
    }

    /**
     * The login a name had before names were written in ASCII (its non-ASCII letters were
     * separators: José was jos), so that accounts registered then still sign in; empty when it is
     * {@link #login}'s or there is none.
     */
    static Optional<String> formerLogin(String name) {
        try {
            String former = clean(Optional.ofNullable(name).orElse("").trim());
            return former.equals(login(name)) ? Optional.empty() : Optional.of(former);
        } catch (InvalidRequestException noLetters) {
            return Optional.empty();
        }
    }

    private static String clean(String name) {
        String cleaned =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (cleaned.isEmpty()) {
            throw new InvalidRequestException(
                    "name is required, with at least one letter or digit (or an invitation token)");
        }
        return cleaned.substring(0, Math.min(MAX_NAME, cleaned.length())).replaceAll("-+$", "");
    }

    /**
     * What a shown name looks like, as Unicode TR39 defines it: names with the same skeleton are
     * confusable on a scoreboard (Grасe with Cyrillic а and с is Grace; Bi11 is Bill), so a
     * contest takes only one of them.
     */
    static String skeleton(String displayName) {
        return CONFUSABLES.getSkeleton(Normalizer.normalize(displayName, Normalizer.Form.NFKC));
    }

    /**
     * The name as shown: trimmed, runs of whitespace and control characters as one space, in NFC,
     * at most {@value #MAX_NAME} UTF-16 units, cut between characters as a reader sees them
     * (grapheme clusters: never inside an emoji, a surrogate pair or a letter with its accents).
     *
     * @throws InvalidRequestException (400) when a character carries more than {@value #MAX_MARKS}
     *     combining marks: such a stack draws over the scoreboard's rows above and below
     */
    static String displayName(String name) {
        String shown = Normalizer.normalize(name.strip().replaceAll("[\\s\\p{Cc}\\p{Cf}]+", " "), Normalizer.Form.NFC);
        BreakIterator characters = BreakIterator.getCharacterInstance(Locale.ROOT);
        characters.setText(shown);
        int cut = 0;
        for (int start = characters.first(), end = characters.next();
                end != BreakIterator.DONE;
                start = end, end = characters.next()) {
            long marks = shown.substring(start, end)
                    .codePoints()
                    .filter(Accounts::isMark)
                    .count();
            if (marks > MAX_MARKS) {
                throw new InvalidRequestException("name has a character with " + marks + " combining marks (accents);"
                        + " a character may carry at most " + MAX_MARKS);
            }
            if (end <= MAX_NAME) {
                cut = end;
            }
        }
        if (cut == 0) { // one character longer than the limit: cut between code points
            cut = Character.isHighSurrogate(shown.charAt(MAX_NAME - 1)) ? MAX_NAME - 1 : MAX_NAME;
        }
        return shown.substring(0, cut).strip();
    }

    private static boolean isMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** A fresh participant id for a login: the login and 6 random hex digits, so that ids of different contests stay apart. */
    static String participant(String login) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return login + "-" + HexFormat.of().formatHex(suffix);
    }

    /** @throws InvalidRequestException (400) when {@code password} is too short or too long */
    static void checkPassword(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            throw new InvalidRequestException("password needs at least " + MIN_PASSWORD
                    + " characters: it is how you sign in again, on this or another device");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new InvalidRequestException("password has more than " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
    }

    static String hash(String password) {
        return ENCODER.encode(password);
    }

    /** Whether {@code password} is the account's; for no account, as slow as for one. */
    static boolean matches(String password, Optional<AccountStore.Account> account) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            ENCODER.matches("", DUMMY);
            return false;
        }
        return ENCODER.matches(
                        password,
                        account.map(AccountStore.Account::passwordHash).orElse(DUMMY))
                && account.isPresent();
    }

    /** A new random password for an admin to hand out: 12 characters of an alphabet without look-alikes (about 59 bits). */
    static String generatePassword() {
        char[] p = new char[12];
        for (int i = 0; i < p.length; i++) {
            p[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(p);
    }
}
