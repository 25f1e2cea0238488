package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.embedder.model.Promotions.OnPublished;
import org.arcstream.embedder.model.Promotions.Promotion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The promotion state machine alone: no Kafka, no model files, no threads. */
class PromotionsTest {

    private static final String START = "start";
    private final ModelCatalog catalog = new ModelCatalog();
    private Promotions promotions;

    @BeforeEach
    void startModel() {
        catalog.add(new ModelEntry(START, null, "00".repeat(32), "file:///start.onnx", Map.of(), 0, ModelState.ACTIVE, "started", 0));
        promotions = new Promotions(catalog);
    }

    private static ModelEvent event(String hexByte, long createdMillis) {
        return ModelEvent.of(hexByte.repeat(32), START, "file:///" + hexByte + ".onnx", Map.of(), createdMillis);
    }

    private ModelState state(String version) {
        return catalog.get(version).orElseThrow().state();
    }

    @Test
    void aNewVersionIsPromotedAutomaticallyOnlyWhenAutoPromotionIsOn() {
        assertEquals(OnPublished.AUTO_PROMOTE, promotions.published(event("aa", 10), START, true));
        assertEquals(OnPublished.NOTHING, promotions.published(event("bb", 20), START, false));
        assertEquals(ModelState.AVAILABLE, state(event("aa", 10).modelVersion()));
    }

    @Test
    void anEventOlderThanTheStandingDecisionIsNotPromotedAgain() {
        promotions.decided(ActiveModel.of(START, null, "promoted", 50));
        assertEquals(OnPublished.NOTHING, promotions.published(event("aa", 40), START, true));
        assertEquals(OnPublished.AUTO_PROMOTE, promotions.published(event("bb", 60), START, true));
    }

    @Test
    void aDecisionThatCameBeforeItsEventIsFollowedWhenTheEventArrives() {
        ModelEvent e = event("aa", 10);
        promotions.decided(ActiveModel.of(e.modelVersion(), START, "promoted", 5));
        assertEquals(OnPublished.FOLLOW_DECISION, promotions.published(e, START, true));
    }

    @Test
    void oneOperatorPromotionAtATimeOfAKnownVersionThatIsNotActive() {
        ModelEvent a = event("aa", 10);
        ModelEvent b = event("bb", 20);
        promotions.published(a, START, false);
        promotions.published(b, START, false);
        assertThrows(NoSuchElementException.class, () -> promotions.begin("unknown", START, "promoted"));
        assertThrows(IllegalStateException.class, () -> promotions.begin(START, START, "promoted"));

        Promotion p = promotions.begin(a.modelVersion(), START, "promoted");
        assertEquals(ModelState.PREPARING, state(a.modelVersion()));
        assertEquals(Optional.of(a.modelVersion()), promotions.promoting());
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> promotions.begin(b.modelVersion(), START, "promoted"));
        assertTrue(busy.getMessage().contains(a.modelVersion()), busy.getMessage());
        assertEquals(Optional.empty(), promotions.beginAutomatic(b, START), "no automatic promotion while another runs");

        promotions.ended();
        assertEquals(Optional.empty(), promotions.promoting());
        assertEquals(ModelState.AVAILABLE, p.before());
    }

    @Test
    void anAutomaticPromotionGivesWayToANewerVersion() {
        ModelEvent older = event("aa", 10);
        ModelEvent newer = event("bb", 20);
        promotions.published(older, START, true);
        promotions.published(newer, START, true);
        assertEquals(Optional.empty(), promotions.beginAutomatic(older, START));
        Promotion p = promotions.beginAutomatic(newer, START).orElseThrow();
        assertEquals("new-model", p.reason());
        assertEquals(ModelState.PREPARING, state(newer.modelVersion()));
    }

    @Test
    void aSwitchMakesTheReplacedVersionPreviousAndRetiresTheOneBefore() {
        ModelEvent a = event("aa", 10);
        ModelEvent b = event("bb", 20);
        promotions.published(a, START, false);
        promotions.published(b, START, false);

        assertEquals(List.of(), promotions.switched(ActiveModel.of(a.modelVersion(), START, "promoted", 11)));
        assertEquals(ModelState.ACTIVE, state(a.modelVersion()));
        assertEquals(ModelState.PREVIOUS, state(START));

        assertEquals(List.of(START), promotions.switched(ActiveModel.of(b.modelVersion(), a.modelVersion(), "promoted", 21)));
        assertEquals(ModelState.ACTIVE, state(b.modelVersion()));
        assertEquals(ModelState.PREVIOUS, state(a.modelVersion()));
        assertEquals(ModelState.RETIRED, state(START));
    }

    @Test
    void aFailedPromotionReturnsTheVersionWhereItWasAndARefusedOneStaysRefused() {
        ModelEvent a = event("aa", 10);
        ModelEvent b = event("bb", 20);
        promotions.published(a, START, false);
        promotions.published(b, START, false);
        promotions.failed(promotions.begin(a.modelVersion(), START, "promoted"), "broker gone");
        promotions.ended();
        assertEquals(ModelState.AVAILABLE, state(a.modelVersion()));
        assertEquals("promotion failed: broker gone", catalog.get(a.modelVersion()).orElseThrow().reason());

        promotions.begin(b.modelVersion(), START, "promoted");
        promotions.refused(b.modelVersion(), "sha256 mismatch");
        promotions.ended();
        assertEquals(ModelState.REFUSED, state(b.modelVersion()));
    }

    @Test
    void aRollBackNeedsAPreviousVersion() {
        assertThrows(IllegalStateException.class, () -> promotions.beginRollback(START));
        ModelEvent a = event("aa", 10);
        promotions.published(a, START, false);
        promotions.decided(ActiveModel.of(START, a.modelVersion(), "rolled-back", 30));
        Promotion back = promotions.beginRollback(START);
        assertEquals(a.modelVersion(), back.version());
        assertEquals("rolled-back", back.reason());
    }
}
