package org.arcstream.core.eval;

/** An embedding with its identity label and where it came from (a file name, for reports). */
public record LabeledEmbedding(String label, String source, float[] embedding) {}
