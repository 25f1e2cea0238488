package org.arcstream.embedder.admin;

import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.SkippedRecords;

/** Feeds the stream's events into the metrics and the recent-matches buffer. */
public final class AdminPipelineListener implements PipelineListener {

    private final PipelineMetrics metrics;
    private final RecentMatches recent;

    public AdminPipelineListener(PipelineMetrics metrics, RecentMatches recent) {
        this.metrics = metrics;
        this.recent = recent;
    }

    @Override
    public void onFrame(String camera, int faces) {
        metrics.frame(camera, faces);
    }

    @Override
    public void onBatch(int faces, long inferenceNanos) {
        metrics.batch(faces, inferenceNanos);
    }

    @Override
    public void onMatch(MatchRecord match, long frameToMatchMillis) {
        metrics.match(match.known(), frameToMatchMillis);
        recent.add(match);
    }

    @Override
    public void onIdentityRemoved(String identityId) {
        recent.forget(identityId);
    }

    @Override
    public void onDeadLetter(String stage, String reason) {
        metrics.deadLetter(stage);
    }

    @Override
    public void onSkipped(String input, String reason) {
        metrics.skipped(input, SkippedRecords.kindOf(reason));
    }
}
