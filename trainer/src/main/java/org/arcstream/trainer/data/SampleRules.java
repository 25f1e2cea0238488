package org.arcstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run trains on beyond the enrollment samples, and the rules every person's samples obey.
 *
 * @param recognitionsTopic the embedder's confident recognitions (docs/topics.md); null = enrollment samples only
 * @param labelsTopic the operators' labels: a recognition marked wrong is not a sample of the person it was matched
 *     to; null = labels are not read
 * @param perPersonCamera most recognitions of one person from one camera a run takes (the newest), so that a camera
 *     that sees someone all day does not outweigh the others and the enrollment photos
 * @param minSamples a person with fewer samples (enrollment samples and recognitions together) is left out of the
 *     run: one or two images make neither a class to train nor a same-person pair to judge
 */
public record SampleRules(String recognitionsTopic, String labelsTopic, int perPersonCamera, int minSamples) {

    // The defaults of defaults() and of the trainer service's trainer.learning.* keys; compile-time constants, because
    // the service's configuration record names them in annotations.
    public static final String RECOGNITIONS_TOPIC = "recognitions";
    public static final String LABELS_TOPIC = "labels";
    public static final int PER_PERSON_CAMERA = 5;
    public static final int MIN_SAMPLES = 3;

    public SampleRules {
        if (perPersonCamera < 1) {
            throw new IllegalArgumentException("recognitions per person and camera must be at least 1, got " + perPersonCamera);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("the least samples per person must be at least 1, got " + minSamples);
        }
        recognitionsTopic = blankToNull(recognitionsTopic);
        labelsTopic = blankToNull(labelsTopic);
    }

    /** Enrollment samples, recognitions and labels from their shipped topics, with the default cap and floor. */
    public static SampleRules defaults() {
        return new SampleRules(RECOGNITIONS_TOPIC, LABELS_TOPIC, PER_PERSON_CAMERA, MIN_SAMPLES);
    }

    /** Enrollment samples only (no recognitions, no labels), with the default floor. */
    public static SampleRules enrollmentOnly() {
        return new SampleRules(null, null, PER_PERSON_CAMERA, MIN_SAMPLES);
    }

    public SampleRules withMinSamples(int value) {
        return new SampleRules(recognitionsTopic, labelsTopic, perPersonCamera, value);
    }

    /** The crops of the people with at least {@link #minSamples} of them, in their order. */
    public List<LabeledCrop> withEnoughSamples(List<LabeledCrop> crops) {
        Map<String, Integer> count = new TreeMap<>();
        crops.forEach(c -> count.merge(c.identity(), 1, Integer::sum));
        List<LabeledCrop> kept = new ArrayList<>(crops.size());
        for (LabeledCrop c : crops) {
            if (count.get(c.identity()) >= minSamples) {
                kept.add(c);
            }
        }
        return List.copyOf(kept);
    }

    /** The people left out for having fewer than {@link #minSamples} samples. */
    public int peopleWithTooFewSamples(List<LabeledCrop> crops) {
        Map<String, Integer> count = new TreeMap<>();
        crops.forEach(c -> count.merge(c.identity(), 1, Integer::sum));
        return (int) count.values().stream().filter(n -> n < minSamples).count();
    }

    private static String blankToNull(String topic) {
        return topic == null || topic.isBlank() ? null : topic;
    }
}
