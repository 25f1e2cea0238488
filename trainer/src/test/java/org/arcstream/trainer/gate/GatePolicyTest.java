package org.arcstream.trainer.gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GatePolicyTest {

    private static ModelEvaluation eval(String v, double idAuc, double idTar, double imgAuc, double imgTar) {
        return new ModelEvaluation(v, new SetFigures(20, 90, 100, idAuc, idTar), new SetFigures(10, 50, 60, imgAuc, imgTar), List.of(), List.of());
    }

    @Test
    void acceptsEqualAndWithinToleranceAndBetter() {
        GatePolicy gate = new GatePolicy(0.002, 0.01);
        ModelEvaluation old = eval("old", 0.98, 0.90, 0.99, 0.95);
        assertTrue(gate.decide(old, eval("same", 0.98, 0.90, 0.99, 0.95)).accepted());
        assertTrue(gate.decide(old, eval("slightly", 0.9785, 0.8905, 0.989, 0.941)).accepted());
        assertTrue(gate.decide(old, eval("better", 0.99, 0.97, 0.995, 0.99)).accepted());
    }

    @Test
    void rejectsAnyDropBeyondToleranceOnAnySetAndSaysWhich() {
        GatePolicy gate = new GatePolicy(0.002, 0.01);
        ModelEvaluation old = eval("old", 0.98, 0.90, 0.99, 0.95);
        GateDecision aucDrop = gate.decide(old, eval("a", 0.97, 0.95, 0.999, 0.99));
        assertFalse(aucDrop.accepted());
        assertTrue(aucDrop.reason().contains("held-out identities: AUC"), aucDrop.reason());
        GateDecision tarDrop = gate.decide(old, eval("b", 0.99, 0.95, 0.995, 0.93));
        assertFalse(tarDrop.accepted());
        assertTrue(tarDrop.reason().contains("held-out images: TAR"), tarDrop.reason());
    }

    private static ModelEvaluation byCamera(String v, double pooledTar, double entranceTar, double carParkTar) {
        return new ModelEvaluation(v, new SetFigures(20, 90, 100, 0.98, 0.90), new SetFigures(30, 150, 900, 0.99, pooledTar), List.of(), List.of(),
                java.util.Map.of("entrance", new SetFigures(24, 120, 720, 0.99, entranceTar),
                        "car-park", new SetFigures(6, 30, 180, 0.97, carParkTar)));
    }

    @Test
    void aModelThatGainsOnOneCameraWhileLosingOnAnotherIsRejectedThoughThePooledFiguresRise() {
        GatePolicy gate = new GatePolicy(0.002, 0.01);
        ModelEvaluation old = byCamera("old", 0.80, 0.80, 0.80);
        // the busy entrance camera gains 0.10, the car park loses 0.10: pooled, the images still gain 0.06
        GateDecision decision = gate.decide(old, byCamera("new", 0.86, 0.90, 0.70));
        assertFalse(decision.accepted(), decision.reason());
        assertTrue(decision.reason().contains("held-out images of camera car-park: TAR"), decision.reason());
        assertFalse(decision.reason().contains("camera entrance"), decision.reason());
        // within the tolerance on every camera it passes
        assertTrue(gate.decide(old, byCamera("new", 0.86, 0.90, 0.795)).accepted());
    }

    @Test
    void aCameraOnlyOneModelWasMeasuredOnIsNotJudged() {
        GatePolicy gate = new GatePolicy(0.002, 0.01);
        assertTrue(gate.decide(eval("old", 0.98, 0.90, 0.99, 0.95), byCamera("new", 0.95, 0.95, 0.10)).accepted());
    }

    @Test
    void zeroToleranceMeansNoDropAtAll() {
        GatePolicy strict = new GatePolicy(0, 0);
        ModelEvaluation old = eval("old", 0.98, 0.90, 0.99, 0.95);
        assertFalse(strict.decide(old, eval("n", 0.9799, 0.90, 0.99, 0.95)).accepted());
        assertThrows(IllegalArgumentException.class, () -> new GatePolicy(-0.1, 0));
    }
}
