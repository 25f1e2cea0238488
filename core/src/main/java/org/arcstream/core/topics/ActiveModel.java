package org.arcstream.core.topics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The value of the active-model topic: which embedding model version every embedder instance must
 * embed with, and the one it replaced (kept for a roll back).
 *
 * @param active the model version to embed with
 * @param previous the version that was active before; null when there was none
 * @param reason why it changed, for people reading the topic ({@code new-model}, {@code promoted}, {@code rolled-back})
 * @param changedMillis epoch milliseconds
 */
@JsonPropertyOrder({"v", "active", "previous", "reason", "changed_at"})
public record ActiveModel(
        @JsonProperty("v") int version,
        @JsonProperty("active") String active,
        @JsonProperty("previous") String previous,
        @JsonProperty("reason") String reason,
        @JsonProperty("changed_at") long changedMillis) {

    /** Format version written into every value. */
    public static final int VERSION = 1;
    /** The single key of the active-model topic: the record for the embedding model. */
    public static final String KEY = "embedding";

    public static ActiveModel of(String active, String previous, String reason, long changedMillis) {
        return new ActiveModel(VERSION, active, previous, reason, changedMillis);
    }
}
