package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.SharedModels;
import org.junit.jupiter.api.Test;

/** The pool's bound, the requests' own share, waiting for a returned pipeline, and the release of a replaced model. */
class FacePipelinePoolTest {

    private static final FacePipelineConfig CONFIG = FacePipelineConfig.from(Settings.load(null));

    @Test
    void borrowersBeyondTheBoundWaitThenGetAClearErrorAndRequestsCannotTakeTheStreamsShare() {
        try (FacePipelinePool pool = new FacePipelinePool(CONFIG, 1, 1, Duration.ofMillis(200))) {
            assertEquals(3, pool.maxPipelines());
            FacePipeline request = pool.borrowForRequest();
            var busy = assertThrows(PipelinesBusyException.class, pool::borrowForRequest);
            assertTrue(busy.getMessage().contains("embedder.stream.request-pipelines"), busy.getMessage());
            // the stream thread's share is still free: one for locating, one for its embedding worker
            FacePipeline stream = pool.borrow();
            FacePipeline worker = pool.borrow();
            var full = assertThrows(PipelinesBusyException.class, pool::borrow);
            assertTrue(full.getMessage().startsWith("all 3 face pipelines stayed in use"), full.getMessage());
            pool.release(worker);
            pool.release(request);
            FacePipeline again = pool.borrowForRequest();
            assertSame(request, again, "a returned pipeline is lent again, not rebuilt");
            pool.release(again);
            pool.release(stream);
        }
    }

    @Test
    void aWaitingBorrowerGetsThePipelineThatComesBack() throws Exception {
        try (FacePipelinePool pool = new FacePipelinePool(CONFIG, 1, 1, Duration.ofMinutes(1))) {
            FacePipeline first = pool.borrowForRequest();
            CompletableFuture<FacePipeline> waiting = CompletableFuture.supplyAsync(pool::borrowForRequest);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS));
            pool.release(first);
            assertSame(first, waiting.get(1, TimeUnit.MINUTES));
            pool.release(first);
        }
    }

    @Test
    void aReplacedEmbeddingModelIsUnloadedWhenItsLastPipelineComesBack() {
        Path oldFile = CONFIG.embedding().file();
        Path newFile = oldFile.resolveSibling("fr_feature.onnx");
        EmbeddingModelSpec s = CONFIG.embedding();
        FacePipelineConfig next = new FacePipelineConfig(CONFIG.detectorModel(), CONFIG.landmarkModel(),
                new EmbeddingModelSpec(newFile, "fixed", s.inputSize(), s.mean(), s.std(), s.bgr()), CONFIG.scoreThreshold(),
                CONFIG.nmsIou(), CONFIG.minFaceSize(), CONFIG.maxFaces(), CONFIG.paddedRetry(), CONFIG.embedBatch(), CONFIG.tta(),
                CONFIG.inference(), CONFIG.imageLimits());
        int oldUsersBefore = users(oldFile);
        int newUsersBefore = users(newFile);
        try (FacePipelinePool pool = new FacePipelinePool(CONFIG, 2, 1, Duration.ofSeconds(5))) {
            FacePipeline held = pool.borrow();
            pool.release(pool.borrow()); // an idle one as well
            assertEquals(oldUsersBefore + 2, users(oldFile));
            pool.switchTo(next);
            assertEquals(oldUsersBefore + 1, users(oldFile), "the idle pipeline of the old model is closed at once");
            assertEquals(newUsersBefore + 1, users(newFile), "one pipeline of the new model is ready");
            FacePipeline fresh = pool.borrow();
            assertEquals("fixed", fresh.config().embedding().id());
            pool.release(held);
            assertEquals(oldUsersBefore, users(oldFile), "the old model is let go with its last pipeline");
            pool.release(fresh);
        }
        assertEquals(newUsersBefore, users(newFile));
    }

    @Test
    void aPipelineStillLentWhenThePoolClosesKeepsWorkingUntilItComesBack() {
        Path file = CONFIG.embedding().file();
        int usersBefore = users(file);
        FacePipelinePool pool = new FacePipelinePool(CONFIG, 1, 1, Duration.ofSeconds(5));
        FacePipeline lent = pool.borrow();
        // as at a shutdown whose stream thread did not stop in time
        pool.close();
        assertEquals(512, lent.embedder().embed(List.of(new RgbImage(112, 112, new byte[112 * 112 * 3]))).get(0).length,
                "the lent pipeline's models are still open");
        pool.release(lent);
        assertEquals(usersBefore, users(file), "closed when it came back");
    }

    private static int users(Path file) {
        return SharedModels.process().loaded().stream().filter(m -> m.file().equals(file)).mapToInt(SharedModels.LoadedModel::users).sum();
    }
}
