package org.arcstream.core.runtime;

/**
 * How models are run: the device wish ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
 * and the size of ONNX Runtime's process-wide thread pool (0 = one thread per core), which the
 * first model loaded in a process fixes.
 */
public record InferenceOptions(String device, int intraOpThreads) {

    public static InferenceOptions defaults() {
        return new InferenceOptions("auto", 0);
    }
}
