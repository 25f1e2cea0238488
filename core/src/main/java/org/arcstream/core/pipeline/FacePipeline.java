package org.arcstream.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arcstream.core.align.FaceAligner;
import org.arcstream.core.align.FivePoints;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.detect.FaceDetector;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.landmark.FacialLandmarks;
import org.arcstream.core.landmark.LandmarkDetector;

/**
 * Detect, locate landmarks, align and embed: image in, faces with embeddings out.
 * Holds one predictor per model, so it is not thread-safe: use one pipeline per thread. For a batch of images,
 * {@link ParallelFacePipeline} runs several at a time.
 */
public final class FacePipeline implements AutoCloseable {

    private final FacePipelineConfig config;
    private final ImageDecoder decoder;
    private final FaceDetector detector;
    private final LandmarkDetector landmarks;
    private final FaceAligner aligner;
    private final FaceEmbedder embedder;

    public FacePipeline(FacePipelineConfig config) {
        this.config = config;
        this.decoder = new ImageDecoder(config.imageLimits());
        this.detector = new FaceDetector(config.detectorModel(), config.scoreThreshold(), config.nmsIou(), config.inference());
        try {
            this.landmarks = new LandmarkDetector(config.landmarkModel(), config.inference());
            this.embedder = new FaceEmbedder(config.embedding(), config.inference(), config.embedBatch(), config.tta());
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
        this.aligner = new FaceAligner(config.embedding().inputSize());
    }

    /**
     * {@code count} pipelines of one configuration, one per thread that will use them (the models are loaded
     * once and shared); when one cannot be made, those already made are closed.
     */
    public static List<FacePipeline> openAll(FacePipelineConfig config, int count) {
        List<FacePipeline> pipelines = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                pipelines.add(new FacePipeline(config));
            }
        } catch (RuntimeException e) {
            pipelines.forEach(FacePipeline::close);
            throw e;
        }
        return pipelines;
    }

    public FacePipelineConfig config() {
        return config;
    }

    /** The decoder configured with this pipeline's image limits. */
    public ImageDecoder decoder() {
        return decoder;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    /**
     * Every face of the image, best score first, aligned but not yet embedded. When the detector finds no face
     * and {@link FacePipelineConfig#paddedRetry()} is on, it looks once more on the image centred on a grey
     * canvas twice its size, which finds faces that touch the image border (tight crops, ID photos); images
     * with a face found at once cost nothing extra. Either way boxes are in the image's coordinates and
     * landmarks and alignment use the image's own pixels.
     */
    public List<Face> locate(RgbImage image) {
        List<FaceBox> boxes = usable(detector.detect(image));
        if (boxes.isEmpty() && config.paddedRetry()) {
            boxes = usable(detector.detectPadded(image));
        }
        List<FacialLandmarks> points = landmarks.locate(image, boxes);
        int margin = config.tta().margin();
        List<Face> faces = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            FivePoints five = points.get(i).toFivePoints();
            FaceBox box = boxes.get(i).clip(image.width(), image.height());
            if (margin == 0) {
                faces.add(new Face(i, box, five, aligner.align(image, five), null));
            } else {
                RgbImage withMargin = aligner.align(image, five, margin);
                faces.add(new Face(i, box, five, config.tta().centre(withMargin, aligner.size()), withMargin, null));
            }
        }
        return faces;
    }

    /** The boxes the configuration keeps: at least the minimum face height, at most the maximum count. */
    private List<FaceBox> usable(List<FaceBox> detected) {
        List<FaceBox> boxes = new ArrayList<>();
        for (FaceBox box : detected) {
            if (box.height() >= config.minFaceSize() && boxes.size() < config.maxFaces()) {
                boxes.add(box);
            }
        }
        return boxes;
    }

    /** Every face of the image with its embedding; all faces go through one inference call. */
    public List<Face> analyze(RgbImage image) {
        return embedAll(locate(image));
    }

    /** The highest-scoring face, embedded; empty when the image shows no face. */
    public Optional<Face> bestFace(RgbImage image) {
        List<Face> faces = locate(image);
        return faces.isEmpty() ? Optional.empty() : Optional.of(embedAll(faces.subList(0, 1)).get(0));
    }

    /**
     * Embeds located faces (of one or many images) in as few inference calls as the batch size allows; with
     * test-time augmentation every view of every face counts against the batch size.
     */
    public List<Face> embedAll(List<Face> faces) {
        if (faces.isEmpty()) {
            return List.of();
        }
        // a face without a margin (restored from an older version's pending batch) gets the views its crop allows
        boolean margins = config.tta().margin() > 0 && faces.stream().allMatch(f -> f.withMargin() != null);
        List<float[]> vectors = margins ? embedder.embedWithMargin(faces.stream().map(Face::withMargin).toList())
                : embedder.embed(faces.stream().map(Face::aligned).toList());
        List<Face> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            out.add(faces.get(i).withEmbedding(vectors.get(i)));
        }
        return out;
    }

    @Override
    public void close() {
        embedder.close();
        landmarks.close();
        detector.close();
    }
}
