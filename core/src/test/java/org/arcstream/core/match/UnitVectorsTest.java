package org.arcstream.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arcstream.core.embed.Embeddings;
import org.junit.jupiter.api.Test;

class UnitVectorsTest {

    @Test
    void finiteNormalizedVectorsPassAndEverythingElseIsNamed() {
        assertEquals(Optional.empty(), UnitVectors.defect(Embeddings.normalize(new float[] {3, 4, 12})));
        assertEquals(Optional.empty(), UnitVectors.defect(new float[] {1.005f, 0}), "within 1 % of unit length");
        assertEquals(Optional.of("is empty"), UnitVectors.defect(new float[0]));
        assertEquals(Optional.of("is all zeros"), UnitVectors.defect(new float[4]));
        assertEquals(Optional.of("has a NaN value at index 1"), UnitVectors.defect(new float[] {1, Float.NaN}));
        assertEquals(Optional.of("has an infinite value at index 0"), UnitVectors.defect(new float[] {Float.NEGATIVE_INFINITY, 0}));
        assertTrue(UnitVectors.defect(new float[] {3, 4}).orElseThrow().startsWith("has L2 norm 5.000"));
        assertTrue(UnitVectors.defect(new float[] {Float.MAX_VALUE, Float.MAX_VALUE}).isPresent(), "no overflow to a norm of infinity");
    }

    @Test
    void anEmbeddingWithANanValueMatchesNobodyInsteadOfFailing() {
        CentroidIndex index = CentroidIndex.of(Map.of(new Identity("ann", "Ann"), List.of(new float[] {1, 0})));
        MatchResult result = index.match(new float[] {Float.NaN, 0}, 0.5f);
        assertFalse(result.known());
        assertNull(result.bestCandidate());
    }
}
