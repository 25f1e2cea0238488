package org.arcstream.core.runtime;

/**
 * How models are run: the device wish ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
 * and ONNX Runtime's intra-op thread count (0 = let ONNX Runtime decide).
 */
public record InferenceOptions(String device, int intraOpThreads) {

    public static InferenceOptions defaults() {
        return new InferenceOptions("auto", 0);
    }
}
