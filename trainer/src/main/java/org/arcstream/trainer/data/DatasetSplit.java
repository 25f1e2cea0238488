package org.arcstream.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded split of labeled crops into training crops, held-out images of the training identities,
 * and held-out identities that training never sees.
 */
public record DatasetSplit(List<LabeledCrop> training, List<LabeledCrop> heldOutImages, List<LabeledCrop> heldOutIdentities) {

    /** The identities of the training crops, in a fixed order: index = class label. */
    public List<String> trainingIdentities() {
        List<String> ids = new ArrayList<>(new java.util.TreeSet<>(training.stream().map(LabeledCrop::identity).toList()));
        return List.copyOf(ids);
    }

    /** Counts for reports and model metadata. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train_images", training.size());
        counts.put("train_identities", trainingIdentities().size());
        counts.put("heldout_images", heldOutImages.size());
        counts.put("heldout_identity_images", heldOutIdentities.size());
        counts.put("heldout_identities", (int) heldOutIdentities.stream().map(LabeledCrop::identity).distinct().count());
        return counts;
    }

    /**
     * @param heldOutIdentityFraction share of identities kept out of training (at least 2 are held out,
     *     so that the held-out set has different-person pairs)
     * @param heldOutImagesPerIdentity images of each training identity kept for evaluation; an identity
     *     keeps at least 2 training images
     */
    public static DatasetSplit of(List<LabeledCrop> crops, long seed, double heldOutIdentityFraction, int heldOutImagesPerIdentity) {
        Map<String, List<LabeledCrop>> byIdentity = new TreeMap<>();
        for (LabeledCrop c : crops) {
            byIdentity.computeIfAbsent(c.identity(), k -> new ArrayList<>()).add(c);
        }
        List<String> identities = new ArrayList<>(byIdentity.keySet());
        if (identities.size() < 4) {
            throw new IllegalArgumentException("fine-tuning needs at least 4 identities (2 to train, 2 to hold out), got "
                    + identities.size());
        }
        Random random = new Random(seed);
        Collections.shuffle(identities, random);
        int heldOut = Math.max(2, (int) Math.round(heldOutIdentityFraction * identities.size()));
        heldOut = Math.min(heldOut, identities.size() - 2);
        List<LabeledCrop> training = new ArrayList<>(), heldOutImages = new ArrayList<>(), heldOutIds = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            List<LabeledCrop> images = new ArrayList<>(byIdentity.get(identities.get(i)));
            if (i < heldOut) {
                heldOutIds.addAll(images);
                continue;
            }
            Collections.shuffle(images, random);
            int keep = Math.min(heldOutImagesPerIdentity, Math.max(0, images.size() - 2));
            heldOutImages.addAll(images.subList(0, keep));
            training.addAll(images.subList(keep, images.size()));
        }
        return new DatasetSplit(List.copyOf(training), List.copyOf(heldOutImages), List.copyOf(heldOutIds));
    }
}
