package org.arcstream.demo.drill;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One drill: frames sent, frames whose verdict (a match per face, or one dead letter) arrived exactly once,
 * frames without one, frames with one twice or more, and seconds from the fault to the first verdict of a
 * frame captured after it.
 */
@JsonPropertyOrder({"name", "frames_sent", "matched_once", "lost", "duplicated", "recovered_s"})
public record DrillResult(
        @JsonProperty("name") String name,
        @JsonProperty("frames_sent") long framesSent,
        @JsonProperty("matched_once") long matchedOnce,
        @JsonProperty("lost") long lost,
        @JsonProperty("duplicated") long duplicated,
        @JsonProperty("recovered_s") Double recoveredSeconds) {}
