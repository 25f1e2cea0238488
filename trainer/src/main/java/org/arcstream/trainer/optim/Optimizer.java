package org.arcstream.trainer.optim;

/**
 * Updates a fixed list of parameters from their gradients. Call {@link #step()} after the
 * {@code GradientCollector} is closed (in-place updates are not recorded), and {@link #zeroGradients()}
 * before the next backward pass: the PyTorch engine accumulates gradients across passes.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every parameter from its current gradient. */
    void step();

    /** Sets every parameter's gradient to zero in place. */
    void zeroGradients();

    float learningRate();

    /** Changes the learning rate for the following steps (for schedules and warm-up). */
    void learningRate(float learningRate);

    /** Frees the optimizer's state (momentum and moment estimates). */
    @Override
    void close();
}
