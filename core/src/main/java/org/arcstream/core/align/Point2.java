package org.arcstream.core.align;

/** A point in image pixel coordinates. */
public record Point2(double x, double y) {}
