package org.arcstream.core.topics;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Key of the enrollment topic, {@code identityId/sampleId}. Identity ids never contain {@code /},
 * so the identity part is everything before the first one and a prefix scan on {@code identityId/}
 * finds exactly that identity's samples.
 */
public record SampleKey(String identityId, String sampleId) {

    /** Longest identity id accepted, in characters. */
    public static final int MAX_IDENTITY_ID_LENGTH = 128;
    /** Longest sample id accepted, in UTF-8 bytes: the centroid record keeps each sample id with a one-byte length. */
    public static final int MAX_SAMPLE_ID_BYTES = 0xFF;

    public SampleKey {
        checkIdentityId(identityId);
        Objects.requireNonNull(sampleId, "sampleId");
        if (sampleId.isEmpty()) {
            throw new IllegalArgumentException("sample id must not be empty");
        }
        int bytes = sampleId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SAMPLE_ID_BYTES) {
            throw new IllegalArgumentException("sample id is " + bytes + " bytes long, more than " + MAX_SAMPLE_ID_BYTES);
        }
    }

    /** Parses {@code identityId/sampleId}; anything else is a {@link RecordFormatException}. */
    public static SampleKey parse(String key) {
        if (key == null) {
            throw new RecordFormatException("enrollment record has no key");
        }
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new RecordFormatException("enrollment key must be identityId/sampleId, got " + Excerpt.quote(key));
        }
        try {
            return new SampleKey(key.substring(0, slash), key.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("enrollment key " + Excerpt.quote(key) + ": " + e.getMessage(), e);
        }
    }

    /** The prefix shared by every key of one identity (also the prefix of its centroid keys). */
    public static String prefix(String identityId) {
        return checkIdentityId(identityId) + "/";
    }

    /**
     * Refuses identity ids that would break the keys: empty, longer than {@value #MAX_IDENTITY_ID_LENGTH}
     * characters, or containing {@code /} or control characters.
     */
    public static String checkIdentityId(String identityId) {
        if (identityId == null || identityId.isBlank()) {
            throw new IllegalArgumentException("identity id must not be empty");
        }
        if (identityId.length() > MAX_IDENTITY_ID_LENGTH) {
            throw new IllegalArgumentException("identity id is longer than " + MAX_IDENTITY_ID_LENGTH + " characters");
        }
        for (int i = 0; i < identityId.length(); i++) {
            char c = identityId.charAt(i);
            if (c == '/' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("identity id must not contain '/' or control characters: " + Excerpt.quote(identityId));
            }
        }
        if (identityId.equals(MatchRecord.UNKNOWN)) {
            throw new IllegalArgumentException("'" + MatchRecord.UNKNOWN + "' is reserved for faces that match nobody");
        }
        return identityId;
    }

    @Override
    public String toString() {
        return identityId + "/" + sampleId;
    }
}
