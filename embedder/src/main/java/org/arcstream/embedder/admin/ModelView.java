package org.arcstream.embedder.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arcstream.core.topics.RocCurve;
import org.arcstream.embedder.model.ModelEntry;

/**
 * An embedding model version as the admin API shows it: its event's figures and ROC curves (absent when it
 * published none) and where it stands on this instance ({@code state}: AVAILABLE, PREPARING, ACTIVE, PREVIOUS,
 * RETIRED or REFUSED, with the reason).
 */
@Serdeable
public record ModelView(String version, @Nullable String parentVersion, String sha256, String location,
        Map<String, Double> metrics, long createdAt, String state, @Nullable String reason, int dimension, boolean active,
        @Nullable Map<String, Roc> roc) {

    /** A compact ROC curve: true-accept rates of the model (and of its parent on the same pairs, when known) at rising false-accept rates. */
    @Serdeable
    public record Roc(List<Double> far, List<Double> tar, @Nullable List<Double> parentTar) {}

    static ModelView of(ModelEntry e) {
        Map<String, Roc> roc = null;
        if (e.roc() != null) {
            roc = new TreeMap<>();
            for (Map.Entry<String, RocCurve> c : e.roc().entrySet()) {
                roc.put(c.getKey(), new Roc(c.getValue().far(), c.getValue().tar(), c.getValue().parentTar()));
            }
        }
        return new ModelView(e.version(), e.parentVersion(), e.sha256(), e.location(), e.metrics(), e.createdMillis(),
                e.state().name(), e.reason(), e.dimension(), e.state() == org.arcstream.embedder.model.ModelState.ACTIVE, roc);
    }
}
