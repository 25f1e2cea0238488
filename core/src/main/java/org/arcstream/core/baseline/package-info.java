/**
 * An independent implementation of the face pipeline on OpenCV DNN, the yardstick of the {@code benchmark}
 * command. Its classes need the optional OpenCV dependency of core: only the benchmark loads them, and the
 * services built on core do not ship OpenCV.
 */
package org.arcstream.core.baseline;
