package io.codingengine.api.limits;

import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.web.ClientAddress;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
                List.of(
                        addressFailures(group),
                        new Charge(
                                bucket("entry-token~contest~" + contestId, limits.tokenFailuresPerContest()),
                                "contest " + contestId + " received " + limits.tokenFailuresPerContest()
                                        + " wrong invitation tokens; it takes one more every "
                                        + every(limits.tokenFailuresPerContest()))),
                List.of(),
                lookup);
    }

    /**
     * Checks a password of an open contest's account, as {@link #tryToken} checks a token: an
     * attempt takes one from the client address's bucket (the one wrong tokens take from, so
     * guessing either way costs the same) and from the failure bucket of every account it may
     * check ({@code logins}: the name's login and its former login, whichever the lookup finds),
     * before {@code lookup} runs, and gets them back when the password was right; while any is
     * empty even the right password gets the 429, so no spelling of a name gets more guesses
     * than the account's. A sign-in also takes one from each of those accounts' sign-in buckets
     * ({@code sign-ins-per-account}), which a wrong password gets back: each right one costs a
     * BCrypt check and issues a key, so they are not free either.
     *
     * @param logins the logins of the accounts {@code lookup} may find
     * @param lookup the account, if the password is right
     * @throws LimitExceededException (429) while the address or an account has no attempts left
     */
    public <T> Optional<T> tryPassword(
            String contestId, Collection<String> logins, String address, Supplier<Optional<T>> lookup) {
        String group = ClientAddress.bucketOf(address);
        List<Charge> failures = new ArrayList<>();
        failures.add(addressFailures(group));
        List<Charge> signIns = new ArrayList<>();
        for (String login : new LinkedHashSet<>(logins)) {
            failures.add(new Charge(
                    bucket("sign-in~account~" + contestId + "~" + login, limits.signInFailuresPerAccount()),
                    "the account " + login + " of contest " + contestId + " received "
                            + limits.signInFailuresPerAccount() + " wrong passwords; it takes one more every "
                            + every(limits.signInFailuresPerAccount())));
            signIns.add(new Charge(
                    bucket("sign-in-ok~account~" + contestId + "~" + login, limits.signInsPerAccount()),
                    "the account " + login + " of contest " + contestId + " signed in "
                            + limits.signInsPerAccount() + " times; it may sign in once more every "
                            + every(limits.signInsPerAccount())));
        }
        return tryCredential(failures, signIns, lookup);
    }

    /** The wrong tokens and passwords of a client address (a group of them: {@link ClientAddress#bucketOf}). */
    private Charge addressFailures(String group) {
        return new Charge(
                bucket("entry-token~address~" + group, limits.tokenFailuresPerAddress()),
                "address " + group + " sent " + limits.tokenFailuresPerAddress() + " wrong invitation tokens or"
                        + " passwords; it may send one more every " + every(limits.tokenFailuresPerAddress()));
    }

    /** A bucket an attempt takes one from, and why it is refused when the bucket is empty. */
    private record Charge(BucketProxy bucket, String why) {}

    /**
     * Takes one from each bucket in order (giving back what it took when one is empty), looks up,
     * and gives back the failure buckets' tokens when found, the success buckets' when not.
     */
    private static <T> Optional<T> tryCredential(
            List<Charge> failures, List<Charge> successes, Supplier<Optional<T>> lookup) {
        List<Charge> all = new ArrayList<>(failures);
        all.addAll(successes);
        List<Charge> taken = new ArrayList<>();
        try {
            for (Charge c : all) {
                take(c.bucket(), c.why());
                taken.add(c);
            }
        } catch (LimitExceededException e) {
            taken.forEach(c -> c.bucket().addTokens(1));
            throw e;
        }
        Optional<T> found = lookup.get();
        (found.isPresent() ? failures : successes).forEach(c -> c.bucket().addTokens(1));
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
