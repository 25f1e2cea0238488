package org.arcstream.embedder.model;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ModelEvent;

/**
 * The promotion state machine of one embedder instance: which model versions it knows and in which
 * state, the standing switch decision, and the one promotion that may run at a time. Decides and
 * records; fetches, loads and sends nothing, so every transition can be checked without Kafka or
 * models. Thread-safe.
 *
 * <p>A version goes AVAILABLE (published) → PREPARING (checked, gallery re-embedded) → ACTIVE (the
 * decision names it) → PREVIOUS (kept for a roll back) → RETIRED; a version that fails its checks is
 * REFUSED, a promotion that fails otherwise returns the version to where it was.
 */
final class Promotions {

    /** A promotion under way: the version, its state before, and why it runs ({@code promoted}, {@code rolled-back}, {@code new-model}). */
    record Promotion(String version, ModelState before, String reason) {}

    /** What a newly published version asks of the instance. */
    enum OnPublished {
        NOTHING,
        /** the standing decision named this version before its event arrived: switch to it now */
        FOLLOW_DECISION,
        /** a new version nobody decided about yet: promote it (if this instance coordinates) */
        AUTO_PROMOTE
    }

    private final ModelCatalog catalog;
    private ActiveModel decision;
    private String promoting;

    /** @param catalog holds the model the instance was started with, {@link ModelState#ACTIVE} */
    Promotions(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    synchronized Optional<ModelEntry> known(String version) {
        return catalog.get(version);
    }

    synchronized Optional<ActiveModel> decision() {
        return Optional.ofNullable(decision);
    }

    /** The version a roll back returns to, if any. */
    synchronized Optional<String> previous() {
        return decision == null ? Optional.empty() : Optional.ofNullable(decision.previous());
    }

    synchronized Optional<String> promoting() {
        return Optional.ofNullable(promoting);
    }

    /**
     * Starts an operator's promotion (or roll back) of {@code version}.
     *
     * @throws NoSuchElementException for a version never published
     * @throws IllegalStateException when it is already active or another promotion is running
     */
    synchronized Promotion begin(String version, String activeVersion, String reason) {
        ModelEntry entry = catalog.get(version).orElseThrow(() -> new NoSuchElementException("no model version '" + version + "' is known"));
        if (promoting != null) {
            throw new IllegalStateException("model " + promoting + " is being promoted; try again when it is done");
        }
        if (version.equals(activeVersion)) {
            throw new IllegalStateException("model " + version + " is already active");
        }
        return start(new Promotion(version, entry.state(), reason));
    }

    /** Starts a roll back to the previous version; {@link IllegalStateException} when there is none. */
    synchronized Promotion beginRollback(String activeVersion) {
        String previous = previous().orElseThrow(() -> new IllegalStateException("there is no previous model version to roll back to"));
        return begin(previous, activeVersion, "rolled-back");
    }

    /** Starts the automatic promotion of a published version, unless a newer one waits, it moved on, or a promotion runs. */
    synchronized Optional<Promotion> beginAutomatic(ModelEvent event, String activeVersion) {
        String version = event.modelVersion();
        boolean newerWaiting = catalog.all().stream()
                .anyMatch(e -> e.state() == ModelState.AVAILABLE && e.createdMillis() > event.createdMillis());
        ModelEntry current = catalog.get(version).orElseThrow();
        if (newerWaiting || current.state() != ModelState.AVAILABLE || version.equals(activeVersion) || promoting != null) {
            return Optional.empty();
        }
        return Optional.of(start(new Promotion(version, ModelState.AVAILABLE, "new-model")));
    }

    private Promotion start(Promotion p) {
        promoting = p.version();
        catalog.update(p.version(), e -> e.with(ModelState.PREPARING, p.reason() + ": checking the model"));
        return p;
    }

    /** The promotion reached its next step (shown in the admin API). */
    synchronized void progress(Promotion p, String step) {
        catalog.update(p.version(), e -> e.with(ModelState.PREPARING, p.reason() + ": " + step));
    }

    /** The model passed its checks: its embedding length is known. */
    synchronized void checked(String version, int dimension) {
        catalog.update(version, e -> e.withDimension(dimension));
    }

    /** The model cannot be used; it stays refused. */
    synchronized void refused(String version, String reason) {
        catalog.update(version, e -> e.with(ModelState.REFUSED, reason));
    }

    /** The promotion failed for a reason other than the model: the version returns to where it was (unless it became active). */
    synchronized void failed(Promotion p, String message) {
        catalog.update(p.version(), e -> e.state() == ModelState.ACTIVE ? e
                : e.with(p.before() == ModelState.PREPARING ? ModelState.AVAILABLE : p.before(), "promotion failed: " + message));
    }

    synchronized void interrupted(Promotion p) {
        catalog.update(p.version(), e -> e.with(p.before(), "promotion interrupted"));
    }

    /** The promotion is over, whatever its outcome: the next one may start. */
    synchronized void ended() {
        promoting = null;
    }

    /** Records a published version and says what it asks for; an event read again changes nothing. */
    synchronized OnPublished published(ModelEvent event, String activeVersion, boolean autoPromote) {
        ModelEntry entry = catalog.add(new ModelEntry(event.modelVersion(), event.parentVersion(), event.sha256(), event.location(),
                event.metrics(), event.createdMillis(), ModelState.AVAILABLE, "published", 0, event.roc()));
        boolean running = event.modelVersion().equals(activeVersion);
        if (decision != null && decision.active().equals(event.modelVersion()) && !running) {
            return OnPublished.FOLLOW_DECISION;
        }
        // an event older than the standing decision was decided about already (on a restart, old events are read again)
        boolean decidedAlready = decision != null && event.createdMillis() <= decision.changedMillis();
        return autoPromote && !decidedAlready && entry.state() == ModelState.AVAILABLE && !running
                ? OnPublished.AUTO_PROMOTE : OnPublished.NOTHING;
    }

    /** The switch decision every instance follows; it stands even while this instance cannot follow it yet. */
    synchronized void decided(ActiveModel record) {
        decision = record;
    }

    /**
     * Marks the states after this instance switched to the decision's version: it is ACTIVE, the version
     * it replaced PREVIOUS, what was active or previous before is RETIRED.
     *
     * @return the versions retired now (their files may go)
     */
    synchronized List<String> switched(ActiveModel record) {
        List<String> retired = new ArrayList<>();
        for (ModelEntry e : catalog.all()) {
            if (e.version().equals(record.active())) {
                catalog.update(e.version(), x -> x.with(ModelState.ACTIVE, record.reason()));
            } else if (e.version().equals(record.previous())) {
                catalog.update(e.version(), x -> x.with(ModelState.PREVIOUS, "kept for a roll back"));
            } else if (e.state() == ModelState.ACTIVE || e.state() == ModelState.PREVIOUS) {
                catalog.update(e.version(), x -> x.with(ModelState.RETIRED, "replaced by " + record.active()));
                retired.add(e.version());
            }
        }
        return retired;
    }
}
