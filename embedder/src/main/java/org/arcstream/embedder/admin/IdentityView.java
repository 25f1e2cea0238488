package org.arcstream.embedder.admin;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.arcstream.embedder.gallery.IdentityInfo;

/** An enrolled identity as the admin API shows it. */
@Serdeable
public record IdentityView(String id, String name, int samples, List<String> modelVersions) {

    static IdentityView of(IdentityInfo info) {
        return new IdentityView(info.id(), info.name(), info.samples(), List.copyOf(info.modelVersions()));
    }
}
