package org.arcstream.trainer.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.graph.TrainableOnnxModel;

/**
 * The frozen layers' outputs of each training view (a crop, or its mirror image), computed the first time a batch
 * needs the view and kept: when only the last layers train, the frozen layers give the same values in every epoch,
 * and they are most of the forward pass. Training on the kept values gives the same steps as running the whole graph.
 */
final class PrefixCache {

    private final TrainableOnnxModel graph;
    private final TrainableOnnxModel.Prefix prefix;
    private final List<LabeledCrop> training;
    private final Preprocessing preprocessing;
    /** View key (2 x crop index + 1 when mirrored) to one row per prefix output. */
    private final Map<Integer, float[][]> rows = new HashMap<>();
    private final Map<String, Shape> rowShapes = new LinkedHashMap<>();

    PrefixCache(TrainableOnnxModel graph, TrainableOnnxModel.Prefix prefix, List<LabeledCrop> training, Preprocessing preprocessing) {
        this.graph = graph;
        this.prefix = prefix;
        this.training = training;
        this.preprocessing = preprocessing;
    }

    /** The prefix outputs of a batch of views, batched in {@code scope}, ready for {@link TrainableOnnxModel#forwardFrom}. */
    Map<String, NDArray> batch(int[] crops, boolean[] mirrored, NDManager scope) {
        List<Integer> missing = new ArrayList<>();
        for (int b = 0; b < crops.length; b++) {
            int key = key(crops[b], mirrored[b]);
            if (!rows.containsKey(key) && !missing.contains(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            compute(missing, scope);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Shape> e : rowShapes.entrySet()) {
            int size = (int) e.getValue().size();
            float[] flat = new float[crops.length * size];
            for (int b = 0; b < crops.length; b++) {
                System.arraycopy(rows.get(key(crops[b], mirrored[b]))[k], 0, flat, b * size, size);
            }
            out.put(e.getKey(), scope.create(flat, new Shape(crops.length).addAll(e.getValue())));
            k++;
        }
        return out;
    }

    private void compute(List<Integer> keys, NDManager scope) {
        int size = preprocessing.inputSize();
        float[] pixels = new float[keys.size() * 3 * size * size];
        for (int i = 0; i < keys.size(); i++) {
            RgbImage crop = training.get(keys.get(i) / 2).crop();
            preprocessing.write(keys.get(i) % 2 == 1 ? ImageOps.mirror(crop) : crop, pixels, i * 3 * size * size);
        }
        try (NDManager local = scope.newSubManager()) {
            Map<String, NDArray> outputs = graph.forwardPrefix(prefix, local.create(pixels, new Shape(keys.size(), 3, size, size)));
            float[][][] perView = new float[keys.size()][prefix.outputs().size()][];
            int k = 0;
            for (String name : prefix.outputs()) {
                NDArray value = outputs.get(name);
                Shape row = value.getShape().slice(1);
                rowShapes.putIfAbsent(name, row);
                float[] flat = value.toFloatArray();
                int n = (int) row.size();
                for (int i = 0; i < keys.size(); i++) {
                    perView[i][k] = java.util.Arrays.copyOfRange(flat, i * n, (i + 1) * n);
                }
                k++;
            }
            for (int i = 0; i < keys.size(); i++) {
                rows.put(keys.get(i), perView[i]);
            }
        }
    }

    private static int key(int crop, boolean mirrored) {
        return 2 * crop + (mirrored ? 1 : 0);
    }
}
