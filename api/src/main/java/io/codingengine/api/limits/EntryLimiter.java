package io.codingengine.api.limits;

import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.web.ClientAddress;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The limits of contest entries, which need no key and issue one: entries by name per client
 * address (each is a new participant with allowances of its own, so identities cost time), and
 * wrong invitation tokens per client address and per contest (so tokens cannot be guessed
 * online), and wrong passwords of open contests' accounts per client address and per account.
 * Bucket4j buckets in the same store as {@link SubmissionLimiter}'s, so
 * every api process draws on the same ones; each holds its limit and refills evenly over
 * {@code limits.entry-window}. Over a limit is 429 with {@code Retry-After}.
 */
public final class EntryLimiter {

    private final LimitBuckets buckets;
    private final EngineProperties.Limits limits;

    public EntryLimiter(LimitBuckets buckets, EngineProperties.Limits limits) {
        this.buckets = buckets;
        this.limits = limits;
    }

    /** Admits one entry by name from {@code address}, or throws (429). */
    public void admitOpenEntry(String address) {
        String group = ClientAddress.bucketOf(address);
        take(
                bucket("entry-open~address~" + group, limits.openEntriesPerAddress()),
                "address " + group + " entered contests by name " + limits.openEntriesPerAddress()
                        + " times; it may enter one more every " + every(limits.openEntriesPerAddress()));
    }

    /**
     * Checks an invitation token under the failure limits: an attempt takes one from the client
     * address's bucket and from the contest's before {@code lookup} runs, and gets both back when
     * the token was right. The take comes first, so a burst of parallel guesses cannot all pass
     * before the first failure is counted, and a right token is refused as well while the
     * address or the contest is locked out: a 429 never tells whether the token was right.
     *
     * @param lookup the participant of the token, if it is one of the contest's
     * @return what {@code lookup} found
     * @throws LimitExceededException (429) while the address or the contest has no attempts left
     */
    public <T> Optional<T> tryToken(String contestId, String address, Supplier<Optional<T>> lookup) {
        String group = ClientAddress.bucketOf(address);
        return tryCredential(
                bucket("entry-token~address~" + group, limits.tokenFailuresPerAddress()),
                "address " + group + " sent " + limits.tokenFailuresPerAddress() + " wrong invitation tokens or"
                        + " passwords; it may send one more every " + every(limits.tokenFailuresPerAddress()),
                bucket("entry-token~contest~" + contestId, limits.tokenFailuresPerContest()),
                "contest " + contestId + " received " + limits.tokenFailuresPerContest()
                        + " wrong invitation tokens; it takes one more every "
                        + every(limits.tokenFailuresPerContest()),
                lookup);
    }

    /**
     * Checks a password of an open contest's account, as {@link #tryToken} checks a token: an
     * attempt takes one from the client address's bucket (the one wrong tokens take from, so
     * guessing either way costs the same) and from the account's, before {@code lookup} runs, and
     * gets both back when the password was right; while either is empty even the right password
     * gets the 429.
     *
     * @param lookup the account, if the password is right
     * @throws LimitExceededException (429) while the address or the account has no attempts left
     */
    public <T> Optional<T> tryPassword(String contestId, String login, String address, Supplier<Optional<T>> lookup) {
        String group = ClientAddress.bucketOf(address);
        return tryCredential(
                bucket("entry-token~address~" + group, limits.tokenFailuresPerAddress()),
                "address " + group + " sent " + limits.tokenFailuresPerAddress() + " wrong invitation tokens or"
                        + " passwords; it may send one more every " + every(limits.tokenFailuresPerAddress()),
                bucket("sign-in~account~" + contestId + "~" + login, limits.signInFailuresPerAccount()),
                "the account " + login + " of contest " + contestId + " received " + limits.signInFailuresPerAccount()
                        + " wrong passwords; it takes one more every " + every(limits.signInFailuresPerAccount()),
                lookup);
    }

    /** Takes one from each bucket (the first, then the second), looks up, and gives both back when found. */
    private static <T> Optional<T> tryCredential(
            BucketProxy first, String firstWhy, BucketProxy second, String secondWhy, Supplier<Optional<T>> lookup) {
        take(first, firstWhy);
        try {
            take(second, secondWhy);
        } catch (LimitExceededException e) {
            first.addTokens(1);
            throw e;
        }
        Optional<T> found = lookup.get();
        if (found.isPresent()) {
            first.addTokens(1);
            second.addTokens(1);
        }
        return found;
    }

    private BucketProxy bucket(String key, int capacity) {
        return buckets.bucket(key, capacity, limits.entryWindow());
    }

    private static void take(BucketProxy bucket, String why) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw LimitExceededException.tooMany(
                    why, Duration.ofNanos(probe.getNanosToWaitForRefill()).plusSeconds(1));
        }
    }

    private String every(int capacity) {
        return human(limits.entryWindow().dividedBy(capacity));
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
