package org.arcstream.embedder.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The embedding models of this instance: the active version, the one a roll back returns to, a promotion under way, and every known version. */
@Serdeable
public record ModelsView(String active, @Nullable String previous, @Nullable String promoting, List<ModelView> versions) {}
