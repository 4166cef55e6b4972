package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The feedback line's reading, and which checkers get the collecting program (JudgeTest runs them). */
@Tag("fast")
class FeedbackShimTest {

    private static final String MARK = "ce-feedback-0123456789abcdef01234567";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLastLineWithTheMarkerCarriesTheFiles() {
        String stdout = "wrong answer\n" + "ce-feedback-forged judgemessage.txt=" + b64("forged") + "\n" + "\n" + MARK
                + " judgemessage.txt=" + b64("expected 42 — ✓") + " teammessage.txt=" + b64("try again") + "\n";
        FeedbackShim.Feedback f = FeedbackShim.read(stdout, MARK);
        assertTrue(f.collected());
        assertEquals("expected 42 — ✓", f.judgeMessage());
        assertEquals("try again", f.teamMessage());
        assertEquals(
                "wrong answer\nce-feedback-forged judgemessage.txt=" + b64("forged") + "\n",
                f.stdout(),
                "a line with another marker is the checker's own output");
    }

    @Test
    void noMarkerMeansNothingWasCollected() {
        FeedbackShim.Feedback f = FeedbackShim.read("Traceback ...\n", MARK);
        assertFalse(f.collected());
        assertNull(f.judgeMessage());
        assertEquals("Traceback ...\n", f.stdout());
        FeedbackShim.Feedback empty = FeedbackShim.read("\n" + MARK + "\n", MARK);
        assertTrue(empty.collected());
        assertNull(empty.teamMessage(), "no file written, none collected");
        assertEquals("", empty.stdout());
    }

    @Test
    void everyCatalogueLanguageGetsTheProgramUnderItsAliases() {
        for (String language :
                List.of("python", "py3", "python3.11", "javascript", "node-js", "c", "c++", "cpp", "java")) {
            FeedbackShim.Program p =
                    FeedbackShim.wrap(new CheckerSpec.Custom(language, "*", List.of(SourceFile.utf8(null, "x"))), MARK);
            assertTrue(p.collects(), language);
            assertEquals(2, p.files().size(), language);
            assertTrue(p.files().stream().anyMatch(f -> f.content().contains(MARK)), language);
        }
        FeedbackShim.Program python = FeedbackShim.wrap(CheckerSpec.Custom.of("python", "check", "print(1)"), MARK);
        assertTrue(
                python.files().getFirst().content().contains("VALIDATOR = \"check.py\""),
                "the checker keeps the name the executor gives its main file: "
                        + python.files().getFirst().content());
        assertFalse(FeedbackShim.wrap(CheckerSpec.Custom.of("cobol", "x.cob", "x"), MARK)
                .collects());
    }
}
