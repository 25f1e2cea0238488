package org.arcstream.core.topics;

import java.util.Objects;

/**
 * Key of the enrollment topic, {@code identityId/sampleId}. Identity ids never contain {@code /},
 * so the identity part is everything before the first one and a prefix scan on {@code identityId/}
 * finds exactly that identity's samples.
 */
public record SampleKey(String identityId, String sampleId) {

    /** Longest identity id accepted, in characters. */
    public static final int MAX_IDENTITY_ID_LENGTH = 128;

    public SampleKey {
        checkIdentityId(identityId);
        Objects.requireNonNull(sampleId, "sampleId");
        if (sampleId.isEmpty()) {
            throw new IllegalArgumentException("sample id must not be empty");
        }
    }

    /** Parses {@code identityId/sampleId}; anything else is a {@link RecordFormatException}. */
    public static SampleKey parse(String key) {
        if (key == null) {
            throw new RecordFormatException("enrollment record has no key");
        }
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new RecordFormatException("enrollment key must be identityId/sampleId, got '" + key + "'");
        }
        try {
            return new SampleKey(key.substring(0, slash), key.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("enrollment key '" + key + "': " + e.getMessage(), e);
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
                throw new IllegalArgumentException("identity id must not contain '/' or control characters: '" + identityId + "'");
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
