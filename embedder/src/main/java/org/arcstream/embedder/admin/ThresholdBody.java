package org.arcstream.embedder.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The matcher's cosine threshold, read and written by {@code /admin/threshold}. */
@Serdeable
public record ThresholdBody(@Nullable Float threshold) {}
