package org.arcstream.trainer.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.arcstream.trainer.gate.GateDecision;

/**
 * What a fine-tuning run did: settings, data, curves, the gate's decision with both models' figures,
 * the published version (null when the gate rejected the model) and the charts it drew.
 */
public record RunReport(
        @JsonProperty("parent_version") String parentVersion,
        @JsonProperty("settings") FineTuneSettings settings,
        @JsonProperty("data_counts") Map<String, Integer> dataCounts,
        @JsonProperty("curves") TrainingCurves curves,
        @JsonProperty("gate") GateDecision gate,
        @JsonProperty("published_version") String publishedVersion,
        @JsonProperty("charts") List<String> charts,
        @JsonProperty("seconds") double seconds) {}
