/**
 * The verdict store: the {@link io.codingengine.common.store.SubmissionStore} port and its
 * adapter on Azure Table Storage (or Azurite) with Blob Storage for large values,
 * {@link io.codingengine.common.store.TableSubmissionStore}, on the clients of
 * {@link io.codingengine.common.store.StorageAccount}.
 *
 * <h2>Tables, keys and properties</h2>
 * <b>{@code <prefix>submissions}</b>: one partition per submission, so every read and write of a
 * submission touches one partition and the partitions spread evenly however the load is shaped
 * ({@code StateRows}).
 * <ul>
 *   <li>PartitionKey = submission id ({@link io.codingengine.common.judge.Ids} keeps it key-safe),
 *       RowKey = {@code "state"}: the <em>state row</em>. Properties: {@code Status}, {@code Round}
 *       (Int64), {@code Attempt}, {@code TestsDone}, {@code TestsTotal}, {@code ProblemId},
 *       {@code ContestId}, {@code Participant}, {@code Language}, {@code CreatedAt},
 *       {@code UpdatedAt}, and when done {@code Verdict}, {@code Score}; the submission as JSON in
 *       {@code Submission} and the round's judgement as JSON in {@code Judgement} (see large
 *       values). Every change to it is a write conditioned on the ETag it was decided on.</li>
 *   <li>PartitionKey = submission id, RowKey = {@code "history-"} + the round as 19 digits: one
 *       <em>history row</em> per judgement that a regrade replaced ({@code Round},
 *       {@code Judgement}). Being in the state row's partition, a regrade writes the history row and
 *       resets the state row in one entity-group transaction, and a read of a submission gets the
 *       state and the whole history with one single-partition query.</li>
 * </ul>
 * <b>{@code <prefix>submissionindex}</b>: a secondary index for listings, written once when a
 * submission is created (only immutable facts, so it never needs updating; {@code SubmissionIndex}).
 * <ul>
 *   <li>PartitionKey = {@code "all"}, {@code "p~"}+problem id, {@code "c~"}+contest id or
 *       {@code "u~"}+participant (characters that keys forbid percent-encoded); one row in each
 *       applicable partition per submission.</li>
 *   <li>RowKey = {@code Long.MAX_VALUE - createdAt millis} as 19 digits + {@code "~"} + id, so a
 *       partition reads newest first, and a page continues after the last RowKey it returned
 *       (the continuation token is that RowKey; no server-side token is kept).</li>
 *   <li>Properties: {@code SubmissionId}, {@code ProblemId}, {@code ContestId},
 *       {@code Participant}, {@code CreatedAt}.</li>
 * </ul>
 * Index rows are written before the state row, and a listing skips an index row whose state row
 * is missing or disagrees. One partition takes about 2,000 writes a second on Azure, far above
 * submission rates; the {@code all} partition is the hottest.
 *
 * <h2>Large values</h2>
 * A string property holds at most 64 KiB (32 Ki UTF-16 characters) and an entity 1 MiB, while a
 * submission may carry 1 MiB of source and a judgement 64 KiB of output per visible test. A JSON
 * value of at most {@value io.codingengine.common.store.TableSubmissionStore#INLINE_LIMIT_CHARS}
 * characters is kept inline in its property; a larger one goes to a blob in the container
 * {@code <prefix>-submissions} (named {@code <id>/<kind>-<uuid>.json}, never overwritten) and the
 * property {@code <name>Blob} holds the blob's name instead ({@code PayloadBlobs}). Blobs are
 * written before the row that refers to them; a write that loses (a conflict, a duplicate)
 * deletes its own blob, once no row names it: the SDK sends a request again when its response
 * is lost, and the 409 or 412 of the repeat may follow a first sending that was applied. A write
 * that fails without an answer keeps its blob, since the row may name it; if it does not, the
 * blob is garbage until the submission is deleted, which deletes every blob under {@code <id>/}.
 */
package io.codingengine.common.store;
