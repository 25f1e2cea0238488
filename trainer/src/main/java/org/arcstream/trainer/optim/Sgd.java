package org.arcstream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, PyTorch's convention:
 * {@code g = grad + wd*w; v = momentum*v + g; w -= lr*v} (no momentum: {@code w -= lr*g}).
 */
public final class Sgd implements Optimizer {

    private final List<Pair<String, NDArray>> parameters;
    private final List<NDArray> velocities = new ArrayList<>();
    private final NDManager state;
    private final float momentum;
    private final float weightDecay;
    private float learningRate;

    public Sgd(List<Pair<String, NDArray>> parameters, float learningRate, float momentum, float weightDecay) {
        this.parameters = Parameters.check(parameters);
        learningRate(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.state = this.parameters.get(0).getValue().getManager().newSubManager();
    }

    @Override
    public void step() {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getValue();
            try (Parameters.Scratch scratch = new Parameters.Scratch()) {
                NDArray g = scratch.keep(w.getGradient());
                if (weightDecay > 0) {
                    g = scratch.keep(g.add(scratch.keep(w.mul(weightDecay))));
                }
                if (momentum > 0) {
                    if (velocities.size() <= i) {
                        NDArray v = g.duplicate();
                        v.attach(state);
                        velocities.add(v);
                    } else {
                        velocities.get(i).muli(momentum).addi(g);
                    }
                    g = velocities.get(i);
                }
                w.subi(scratch.keep(g.mul(learningRate)));
            }
        }
    }

    @Override
    public void zeroGradients() {
        Parameters.zeroGradients(parameters);
    }

    @Override
    public float learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(float learningRate) {
        this.learningRate = Parameters.checkLearningRate(learningRate);
    }

    @Override
    public void close() {
        velocities.clear();
        state.close();
    }
}
