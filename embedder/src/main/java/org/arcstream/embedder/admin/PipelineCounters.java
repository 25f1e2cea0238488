package org.arcstream.embedder.admin;

import io.micronaut.serde.annotation.Serdeable;

/** Totals since the service started: frames decoded, faces found, faces recognized or unknown, records dead-lettered. */
@Serdeable
public record PipelineCounters(long frames, long faces, long recognized, long unknown, long deadLettered) {}
