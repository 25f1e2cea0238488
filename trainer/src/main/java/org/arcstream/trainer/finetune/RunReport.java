package org.arcstream.trainer.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.files.UnreadableImage;
import org.arcstream.trainer.gate.GateDecision;

/**
 * What a fine-tuning run did: settings, data, curves, the gate's decision with both models' figures,
 * the published version (null when the gate rejected the model), the charts it drew, and the input
 * images that could not be decoded.
 */
public record RunReport(
        @JsonProperty("parent_version") String parentVersion,
        @JsonProperty("settings") FineTuneSettings settings,
        @JsonProperty("data_counts") Map<String, Integer> dataCounts,
        @JsonProperty("curves") TrainingCurves curves,
        @JsonProperty("gate") GateDecision gate,
        @JsonProperty("published_version") String publishedVersion,
        @JsonProperty("charts") List<String> charts,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("unreadable") List<UnreadableImage> unreadable) {

    /** The same report with the images the data source could not decode (also counted in the data counts). */
    public RunReport withUnreadable(List<UnreadableImage> images) {
        Map<String, Integer> counts = new LinkedHashMap<>(dataCounts);
        counts.put("unreadable", images.size());
        return new RunReport(parentVersion, settings, counts, curves, gate, publishedVersion, charts, seconds, List.copyOf(images));
    }
}
