package org.arcstream.embedder.gallery;

import java.util.List;

/** An enrolled identity: id, display name, number of stored samples and the model versions it has centroids for. */
public record IdentityInfo(String id, String name, int samples, List<String> modelVersions) {}
