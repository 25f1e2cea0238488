package org.arcstream.trainer.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which classes a model trains on ("seen", numbered 0..k-1 in the order of their original labels)
 * and which it never sees, kept for open-set verification.
 */
public record OpenSetSplit(List<Integer> seen, List<Integer> heldOut) {

    public OpenSetSplit {
        seen = List.copyOf(seen);
        heldOut = List.copyOf(heldOut);
    }

    /** Holds out {@code heldOut} of the classes {@code 0..classes-1}; needs at least two of each kind. */
    public static OpenSetSplit holdingOut(Collection<Integer> heldOut, int classes) {
        TreeSet<Integer> out = new TreeSet<>(heldOut);
        for (int c : out) {
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("held-out class " + c + " is not one of 0.." + (classes - 1));
            }
        }
        List<Integer> seen = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (!out.contains(c)) {
                seen.add(c);
            }
        }
        if (out.size() < 2 || seen.size() < 2) {
            throw new IllegalArgumentException("need at least 2 held-out and 2 training classes, got " + out.size() + " held out of " + classes);
        }
        return new OpenSetSplit(seen, new ArrayList<>(out));
    }

    public int seenCount() {
        return seen.size();
    }

    /** Images of the seen classes, labelled 0..k-1 as the classifier numbers them. */
    public LabeledImages seenOf(LabeledImages images) {
        int[] mapping = new int[maxLabel(images) + 1];
        Arrays.fill(mapping, -1);
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i) < mapping.length) {
                mapping[seen.get(i)] = i;
            }
        }
        return images.filter(label -> label < mapping.length && mapping[label] >= 0).relabel(mapping);
    }

    /** Images of the held-out classes, with their original labels. */
    public LabeledImages heldOutOf(LabeledImages images) {
        return images.filter(heldOut::contains);
    }

    /** The original class of classifier index {@code index}. */
    public int originalClass(int index) {
        return seen.get(index);
    }

    private static int maxLabel(LabeledImages images) {
        int max = 0;
        for (int i = 0; i < images.size(); i++) {
            max = Math.max(max, images.label(i));
        }
        return max;
    }
}
