package org.arcstream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): {@code w -= lr*wd*w}, then the bias-corrected
 * Adam update {@code w -= lr * m_hat / (sqrt(v_hat) + eps)}.
 */
public final class AdamW implements Optimizer {

    private final List<Pair<String, NDArray>> parameters;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final NDManager state;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private float learningRate;
    private int steps;

    public AdamW(List<Pair<String, NDArray>> parameters, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        this.parameters = Parameters.check(parameters);
        learningRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("epsilon must be > 0 and weight decay >= 0, got " + epsilon + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.state = this.parameters.get(0).getValue().getManager().newSubManager();
    }

    /** The usual defaults: betas 0.9 and 0.999, epsilon 1e-8, weight decay 0.01. */
    public AdamW(List<Pair<String, NDArray>> parameters, float learningRate) {
        this(parameters, learningRate, 0.9f, 0.999f, 1e-8f, 0.01f);
    }

    @Override
    public void step() {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getValue();
            try (Parameters.Scratch scratch = new Parameters.Scratch()) {
                NDArray g = scratch.keep(w.getGradient());
                if (firstMoments.size() <= i) {
                    firstMoments.add(state(w));
                    secondMoments.add(state(w));
                }
                NDArray m = firstMoments.get(i).muli(beta1).addi(scratch.keep(g.mul(1 - beta1)));
                NDArray v = secondMoments.get(i).muli(beta2).addi(scratch.keep(scratch.keep(g.square()).mul(1 - beta2)));
                if (weightDecay > 0) {
                    w.subi(scratch.keep(w.mul(learningRate * weightDecay)));
                }
                NDArray denominator = scratch.keep(scratch.keep(scratch.keep(v.div(correction2)).sqrt()).add(epsilon));
                w.subi(scratch.keep(scratch.keep(m.mul(learningRate / correction1)).div(denominator)));
            }
        }
    }

    private NDArray state(NDArray like) {
        NDArray zeros = like.zerosLike();
        zeros.attach(state);
        return zeros;
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
        firstMoments.clear();
        secondMoments.clear();
        state.close();
    }
}
