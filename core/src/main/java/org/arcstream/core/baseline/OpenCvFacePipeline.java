package org.arcstream.core.baseline;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_BACKEND_OPENCV;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_TARGET_CPU;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;

import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.align.FaceAligner;
import org.arcstream.core.align.FivePoints;
import org.arcstream.core.align.SimilarityTransform;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.landmark.FacialLandmarks;
import org.arcstream.core.landmark.LandmarkCrop;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect2d;
import org.bytedeco.opencv.opencv_core.Rect2dVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * The face pipeline written the way an OpenCV user would write it, on the same three models and settings as
 * {@link org.arcstream.core.pipeline.FacePipeline}: {@code imdecode}, {@code blobFromImage} to 320x240 for the
 * detector, {@code NMSBoxes}, a zero-padded square crop by {@code warpAffine} and {@code cvtColor} for the
 * 68 landmarks, the least-squares similarity onto the ArcFace template (the project's Umeyama: OpenCV's
 * {@code estimateAffinePartial2D} is a robust fit that may drop points) and {@code warpAffine} to the aligned
 * crop, then one embedding per face. It does not retry on a padded canvas when no face is found. Not
 * thread-safe (the nets hold their buffers); OpenCV's thread count is process-wide.
 */
public final class OpenCvFacePipeline implements AutoCloseable {

    private static final int DETECT_WIDTH = 320;
    private static final int DETECT_HEIGHT = 240;
    private static final int LANDMARK_SIZE = 64;

    private final FacePipelineConfig config;
    private final Net detector;
    private final Net landmarks;
    private final Net embedder;
    private final FaceAligner aligner;
    private final StringVector detectorOutputs = new StringVector("scores", "boxes");

    private OpenCvFacePipeline(FacePipelineConfig config, Net detector, Net landmarks, Net embedder) {
        this.config = config;
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedder = embedder;
        this.aligner = new FaceAligner(config.embedding().inputSize());
    }

    /**
     * Reads the configuration's three models into OpenCV DNN nets on the CPU and sets OpenCV's thread count to
     * {@code inference.threads} (0: one per core), the size of ONNX Runtime's pool in the project's pipeline.
     */
    public static OpenCvFacePipeline open(FacePipelineConfig config) {
        int threads = config.inference().intraOpThreads();
        opencv_core.setNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        return new OpenCvFacePipeline(config, net(config.detectorModel().toString()),
                net(config.landmarkModel().toString()), net(config.embedding().file().toString()));
    }

    private static Net net(String file) {
        Net net = opencv_dnn.readNetFromONNX(file);
        net.setPreferableBackend(DNN_BACKEND_OPENCV);
        net.setPreferableTarget(DNN_TARGET_CPU);
        return net;
    }

    /** Every face of an encoded image, best score first, each embedded. */
    public List<BaselineFace> analyze(byte[] encoded) {
        // every native buffer made for this image is freed when the scope closes, not left to the GC
        try (PointerScope scope = new PointerScope()) {
            Mat image = opencv_imgcodecs.imdecode(new Mat(1, encoded.length, CV_8UC1, new BytePointer(encoded)), IMREAD_COLOR);
            if (image.empty()) {
                throw new IllegalArgumentException("OpenCV cannot decode the image");
            }
            List<BaselineFace> faces = new ArrayList<>();
            for (FaceBox box : detect(image)) {
                FivePoints five = landmarks(image, box).toFivePoints();
                float[] embedding = embed(align(image, five));
                faces.add(new BaselineFace(box.clip(image.cols(), image.rows()), five, embedding));
            }
            return faces;
        }
    }

    private List<FaceBox> detect(Mat image) {
        int w = image.cols(), h = image.rows();
        Mat blob = opencv_dnn.blobFromImage(image, 1 / 128.0, new Size(DETECT_WIDTH, DETECT_HEIGHT),
                new Scalar(127, 127, 127, 0), true, false, CV_32F);
        detector.setInput(blob);
        MatVector out = new MatVector();
        detector.forward(out, detectorOutputs);
        Mat scoresMat = out.get(0), boxesMat = out.get(1);
        int anchors = (int) (scoresMat.total() / 2);
        float[] scores = floats(scoresMat, 2 * anchors);
        float[] corners = floats(boxesMat, 4 * anchors);
        // only the candidates above the threshold go to NMSBoxes, as the C++ samples do
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < anchors; i++) {
            if (scores[2 * i + 1] >= config.scoreThreshold()) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Rect2dVector rects = new Rect2dVector(candidates.size());
        float[] candidateScores = new float[candidates.size()];
        for (int c = 0; c < candidates.size(); c++) {
            int i = candidates.get(c);
            double x1 = corners[4 * i] * w, y1 = corners[4 * i + 1] * h;
            double x2 = corners[4 * i + 2] * w, y2 = corners[4 * i + 3] * h;
            rects.put(c, new Rect2d(x1, y1, x2 - x1, y2 - y1));
            candidateScores[c] = scores[2 * i + 1];
        }
        IntPointer kept = new IntPointer();
        opencv_dnn.NMSBoxes(rects, new FloatPointer(candidateScores), config.scoreThreshold(), config.nmsIou(), kept);
        List<FaceBox> boxes = new ArrayList<>();
        for (int k = 0; k < kept.limit() && boxes.size() < config.maxFaces(); k++) {
            int c = kept.get(k), i = candidates.get(c);
            FaceBox box = new FaceBox(corners[4 * i] * w, corners[4 * i + 1] * h, corners[4 * i + 2] * w,
                    corners[4 * i + 3] * h, candidateScores[c]);
            if (box.height() >= config.minFaceSize()) {
                boxes.add(box);
            }
        }
        return boxes;
    }

    private FacialLandmarks landmarks(Mat image, FaceBox box) {
        LandmarkCrop crop = LandmarkCrop.around(box);
        double s = crop.side() / LANDMARK_SIZE;
        // crop pixel (u, v) samples the image at its centre's position: the zero-padded square resized to 64x64
        Mat square = warp(image, SimilarityTransform.scaleThenShift(s, crop.left() + 0.5 * s - 0.5, crop.top() + 0.5 * s - 0.5),
                LANDMARK_SIZE);
        Mat grey = new Mat();
        opencv_imgproc.cvtColor(square, grey, COLOR_BGR2GRAY);
        landmarks.setInput(opencv_dnn.blobFromImage(grey, 1 / 256.0, new Size(LANDMARK_SIZE, LANDMARK_SIZE),
                new Scalar(0, 0, 0, 0), false, false, CV_32F));
        Mat out = landmarks.forward();
        return crop.toImage(floats(out, (int) out.total()));
    }

    private Mat align(Mat image, FivePoints five) {
        return warp(image, aligner.transformFor(five).inverse(), aligner.size());
    }

    private float[] embed(Mat aligned) {
        Preprocessing p = config.embedding().preprocessing();
        int size = p.inputSize();
        double mean = p.mean();
        embedder.setInput(opencv_dnn.blobFromImage(aligned, 1.0 / p.std(), new Size(size, size),
                new Scalar(mean, mean, mean, 0), !p.bgr(), false, CV_32F));
        Mat out = embedder.forward();
        return Embeddings.normalize(floats(out, (int) out.total()));
    }

    /** A {@code size x size} crop whose pixel (u, v) is the image sampled bilinearly at {@code dstToSrc(u, v)}. */
    private static Mat warp(Mat image, SimilarityTransform dstToSrc, int size) {
        Mat m = new Mat(2, 3, CV_64F);
        try (DoubleIndexer ix = m.createIndexer()) {
            ix.put(0, 0, dstToSrc.a()).put(0, 1, -dstToSrc.b()).put(0, 2, dstToSrc.tx());
            ix.put(1, 0, dstToSrc.b()).put(1, 1, dstToSrc.a()).put(1, 2, dstToSrc.ty());
        }
        Mat out = new Mat();
        opencv_imgproc.warpAffine(image, out, m, new Size(size, size), INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT,
                new Scalar(0, 0, 0, 0));
        return out;
    }

    private static float[] floats(Mat mat, int count) {
        if (!mat.isContinuous() || mat.total() * mat.channels() < count) {
            throw new IllegalStateException("unexpected network output of " + mat.total() + " values, wanted " + count);
        }
        float[] values = new float[count];
        new FloatPointer(mat.data()).get(values);
        return values;
    }

    @Override
    public void close() {
        detectorOutputs.close();
        embedder.close();
        landmarks.close();
        detector.close();
    }
}
