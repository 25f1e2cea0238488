package org.arcstream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.util.Pair;
import java.util.List;

/** The parameter list an optimizer works on, with gradient access that frees its temporaries. */
final class Parameters {

    private Parameters() {}

    static List<Pair<String, NDArray>> check(List<Pair<String, NDArray>> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimize (are all of them frozen?)");
        }
        for (Pair<String, NDArray> p : parameters) {
            if (!p.getValue().hasGradient()) {
                throw new IllegalArgumentException("parameter '" + p.getKey() + "' has no gradient attached (frozen?)");
            }
        }
        return List.copyOf(parameters);
    }

    /** The learning rate if it is usable: positive and finite. */
    static float checkLearningRate(float learningRate) {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        return learningRate;
    }

    static void zeroGradients(List<Pair<String, NDArray>> parameters) {
        for (Pair<String, NDArray> p : parameters) {
            // the fill value becomes an array on the gradient's manager: a scratch manager frees it
            try (NDManager scratch = p.getValue().getManager().newSubManager()) {
                NDArray gradient = p.getValue().getGradient();
                gradient.attach(scratch);
                // set, not subtract: a NaN gradient must not survive the reset
                gradient.set(new NDIndex("..."), 0);
            }
        }
    }

    /** Collects the temporaries of one update so that they are freed together. */
    static final class Scratch implements AutoCloseable {
        private final NDList arrays = new NDList();

        NDArray keep(NDArray array) {
            arrays.add(array);
            return array;
        }

        @Override
        public void close() {
            arrays.close();
        }
    }
}
