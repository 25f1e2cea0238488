package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.arcstream.trainer.graph.TrainableOnnxModel;
import org.arcstream.trainer.loss.ArcFaceLoss;
import org.junit.jupiter.api.Test;

/**
 * DJL frees native memory only when an array or its manager is closed: training steps must not leave arrays on the
 * run's manager, or a long run grows by megabytes per step until the kernel stops it.
 */
class EmbeddingTrainerMemoryTest {

    private static final int BATCHES = 5;

    @Test
    void trainingStepsLeaveNoArraysOnTheRunsManager() {
        Random random = new Random(1);
        byte[] pixels = new byte[BATCHES * 16 * 28 * 28];
        random.nextBytes(pixels);
        int[] labels = new int[BATCHES * 16];
        Arrays.setAll(labels, i -> i % 4);
        LabeledImages images = new LabeledImages(28, 28, pixels, labels);
        TrainingSettings settings = new TrainingSettings(new EmbeddingCnn.Architecture(28, 8, 16, 32, 3, true), 1, 16, 0.003f, 5e-4f,
                30f, 0.5f, ArcFaceLoss.Variant.ALGORITHM_1, ImageAugmentation.NONE, 42);
        for (LossKind kind : LossKind.values()) {
            try (NDManager run = Engine.getEngine("PyTorch").newBaseManager();
                    TrainableOnnxModel model = TrainableOnnxModel.of(EmbeddingCnn.build(settings.architecture(), 42), run)) {
                NDArray classWeights = EmbeddingTrainer.initialClassWeights(run, 4, 3, 43);
                EmbeddingTrainer trainer = new EmbeddingTrainer(model, classWeights,
                        kind.create(settings.arcFaceScale(), settings.arcFaceMarginRadians(), settings.arcFaceVariant()), settings);
                int[] live = new int[3];
                for (int i = 0; i < live.length; i++) {
                    trainer.train(images, (epoch, loss) -> {});
                    live[i] = run.getManagedArrays().size();
                }
                assertEquals(live[0], live[2], kind + ": arrays on the run's manager after each " + BATCHES + " steps: "
                        + Arrays.toString(live));
            }
        }
    }
}
