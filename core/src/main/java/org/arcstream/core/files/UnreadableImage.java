package org.arcstream.core.files;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An image file that could not be read or decoded, and why (the decoder's message, which names the
 * format when it recognised one). Commands report it on stderr and count it in their summaries.
 */
@JsonPropertyOrder({"file", "reason"})
public record UnreadableImage(@JsonProperty("file") String file, @JsonProperty("reason") String reason) {

    /** {@code FILE: REASON}, the line commands print for it. */
    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
