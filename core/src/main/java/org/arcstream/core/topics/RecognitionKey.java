package org.arcstream.core.topics;

import java.util.Objects;

/**
 * Key of the recognitions topic, {@code identityId/camera/slot}: a person's training samples from one camera
 * take the slots {@code 0..n-1} in turn, so the compacted topic keeps at most {@code n} of them, the newest.
 * Identity ids never contain {@code /}, so a prefix scan on {@code identityId/} finds all of a person's
 * samples; the slot is after the last {@code /}, and the camera (which may contain {@code /}) in between.
 */
public record RecognitionKey(String identityId, String camera, int slot) {

    public RecognitionKey {
        SampleKey.checkIdentityId(identityId);
        Objects.requireNonNull(camera, "camera");
        if (camera.isEmpty()) {
            throw new IllegalArgumentException("camera must not be empty");
        }
        if (slot < 0) {
            throw new IllegalArgumentException("slot must not be negative, got " + slot);
        }
    }

    /** Parses {@code identityId/camera/slot}; anything else is a {@link RecordFormatException}. */
    public static RecognitionKey parse(String key) {
        if (key == null) {
            throw new RecordFormatException("recognition record has no key");
        }
        int first = key.indexOf('/');
        int last = key.lastIndexOf('/');
        if (first <= 0 || last <= first + 1 || last == key.length() - 1) {
            throw new RecordFormatException("recognition key must be identityId/camera/slot, got " + Excerpt.quote(key));
        }
        try {
            return new RecognitionKey(key.substring(0, first), key.substring(first + 1, last), Integer.parseInt(key.substring(last + 1)));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("recognition key " + Excerpt.quote(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return identityId + "/" + camera + "/" + slot;
    }
}
