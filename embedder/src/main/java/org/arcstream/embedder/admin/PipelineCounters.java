package org.arcstream.embedder.admin;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Totals since the service started: frames decoded, faces found, faces recognized or unknown, records
 * dead-lettered, and records skipped (unusable records of topics without a dead-letter path: centroids,
 * models, active-model; each is logged with its reason).
 */
@Serdeable
public record PipelineCounters(long frames, long faces, long recognized, long unknown, long deadLettered, long skipped) {}
