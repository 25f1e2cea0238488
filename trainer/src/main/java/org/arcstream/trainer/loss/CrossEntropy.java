package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Softmax cross-entropy averaged over labelled rows, and the label checks shared by the losses. */
final class CrossEntropy {

    private CrossEntropy() {}

    /** Mean of {@code -log softmax(logits)[label]} over rows with label != -1; 0 (still on the graph) when none. */
    static NDArray mean(NDArray logits, NDArray labels) {
        NDArray target = targetMask(labels, logits);
        long labelled = countLabelled(labels);
        NDArray total = logits.logSoftmax(1).mul(target).sum().neg();
        // an all-ignored batch still yields a loss connected to the graph, so backward() gives zero gradients
        return labelled == 0 ? total.mul(0) : total.div(labelled);
    }

    /** Mask shaped, typed and placed like {@code like} (N, C): 1 at each row's target class, zeros for ignored rows. */
    static NDArray targetMask(NDArray labels, NDArray like) {
        long classes = like.getShape().get(1);
        checkLabels(labels, classes);
        // labels may live on the CPU while the logits are on a GPU
        NDArray rowLabels = labels.toDevice(like.getDevice(), false).toType(DataType.INT64, false).reshape(-1, 1);
        NDArray classIds = like.getManager().arange(0, classes, 1, DataType.INT64, like.getDevice());
        return rowLabels.eq(classIds.reshape(1, classes)).toType(like.getDataType(), false);
    }

    /**
     * The class weights as a view that belongs to the embeddings' manager, on the autograd graph like the weights
     * themselves. A PyTorch-engine result belongs to the manager of its first operand: without the view, every
     * operation on long-lived class weights (normalization, transpose) would leave an array on their manager at
     * each training step, freed only when the whole run ends.
     */
    static NDArray onManagerOf(NDArray embeddings, NDArray classWeights) {
        if (classWeights.getManager() == embeddings.getManager()) {
            return classWeights;
        }
        NDArray view = classWeights.reshape(classWeights.getShape());
        view.attach(embeddings.getManager());
        return view;
    }

    static void checkShapes(NDArray embeddings, NDArray classWeights, NDArray labels) {
        if (embeddings.getShape().dimension() != 2 || classWeights.getShape().dimension() != 2) {
            throw new IllegalArgumentException("embeddings must be (N, D) and class weights (C, D), got "
                    + embeddings.getShape() + " and " + classWeights.getShape());
        }
        if (embeddings.getShape().get(1) != classWeights.getShape().get(1)) {
            throw new IllegalArgumentException("embedding width " + embeddings.getShape().get(1)
                    + " differs from class weight width " + classWeights.getShape().get(1));
        }
        if (labels.getShape().size() != embeddings.getShape().get(0)) {
            throw new IllegalArgumentException(labels.getShape().size() + " labels for "
                    + embeddings.getShape().get(0) + " embeddings");
        }
    }

    /** Fails with the offending row when a label is neither -1 nor a class index. */
    static void checkLabels(NDArray labels, long classes) {
        long[] values = labels.toType(DataType.INT64, false).toLongArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < MarginLoss.IGNORED || values[i] >= classes) {
                throw new IllegalArgumentException("label " + values[i] + " at row " + i + " is outside [0, "
                        + classes + ") and is not " + MarginLoss.IGNORED + " (ignored)");
            }
        }
    }

    private static long countLabelled(NDArray labels) {
        long n = 0;
        for (long v : labels.toType(DataType.INT64, false).toLongArray()) {
            if (v != MarginLoss.IGNORED) {
                n++;
            }
        }
        return n;
    }
}
