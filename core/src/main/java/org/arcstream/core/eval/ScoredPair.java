package org.arcstream.core.eval;

/** A compared pair: its similarity score and whether the two faces truly are the same person. */
public record ScoredPair(double score, boolean same) {}
