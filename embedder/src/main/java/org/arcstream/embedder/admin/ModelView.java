package org.arcstream.embedder.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;
import org.arcstream.embedder.model.ModelEntry;

/**
 * An embedding model version as the admin API shows it: its event's figures and where it stands on
 * this instance ({@code state}: AVAILABLE, PREPARING, ACTIVE, PREVIOUS, RETIRED or REFUSED, with the reason).
 */
@Serdeable
public record ModelView(String version, @Nullable String parentVersion, String sha256, String location,
        Map<String, Double> metrics, long createdAt, String state, @Nullable String reason, int dimension, boolean active) {

    static ModelView of(ModelEntry e) {
        return new ModelView(e.version(), e.parentVersion(), e.sha256(), e.location(), e.metrics(), e.createdMillis(),
                e.state().name(), e.reason(), e.dimension(), e.state() == org.arcstream.embedder.model.ModelState.ACTIVE);
    }
}
