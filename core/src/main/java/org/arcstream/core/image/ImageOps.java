package org.arcstream.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Static geometric operations and encoders for {@link RgbImage}. */
public final class ImageOps {

    private ImageOps() {
    }

    /**
     * Bilinear resize with OpenCV's {@code INTER_LINEAR} sampling: pixel centres are aligned
     * ({@code src = (dst + 0.5) * scale - 0.5}) and coordinates are clamped to the edge. The face models were
     * validated with OpenCV preprocessing, so matching its sampling grid matters more than any "nicer" filter.
     * Arithmetic is in float and rounded to nearest, so values may differ from OpenCV's fixed-point
     * result by one level. Downscaling does not low-pass filter first, exactly like OpenCV.
     */
    public static RgbImage resize(RgbImage src, int width, int height) {
        Objects.requireNonNull(src, "src");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        int sw = src.width();
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        samplingGrid(sw, width, x0, x1, fx);
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] fy = new float[height];
        samplingGrid(src.height(), height, y0, y1, fy);

        byte[] in = src.pixels();
        byte[] out = new byte[3 * width * height];
        int o = 0;
        for (int y = 0; y < height; y++) {
            int top = 3 * y0[y] * sw;
            int bottom = 3 * y1[y] * sw;
            float wy = fy[y];
            for (int x = 0; x < width; x++) {
                int left = 3 * x0[x];
                int right = 3 * x1[x];
                float wx = fx[x];
                for (int c = 0; c < 3; c++) {
                    float p00 = in[top + left + c] & 0xFF;
                    float p01 = in[top + right + c] & 0xFF;
                    float p10 = in[bottom + left + c] & 0xFF;
                    float p11 = in[bottom + right + c] & 0xFF;
                    float upper = p00 + (p01 - p00) * wx;
                    float lower = p10 + (p11 - p10) * wx;
                    float v = upper + (lower - upper) * wy;
                    out[o++] = (byte) Math.min(255, Math.max(0, Math.round(v)));
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** For each destination index: the two source taps and the weight of the second one, as OpenCV computes them. */
    static void samplingGrid(int srcSize, int dstSize, int[] i0, int[] i1, float[] frac) {
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            f -= s;
            if (s < 0) {
                s = 0;
                f = 0;
            }
            if (s >= srcSize - 1) {
                s = srcSize - 1;
                f = 0;
            }
            i0[d] = s;
            i1[d] = Math.min(s + 1, srcSize - 1);
            frac[d] = f;
        }
    }

    /** Horizontal flip (left becomes right). */
    public static RgbImage mirror(RgbImage src) {
        Objects.requireNonNull(src, "src");
        int w = src.width();
        int h = src.height();
        byte[] in = src.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            int row = 3 * y * w;
            for (int x = 0; x < w; x++) {
                int from = row + 3 * x;
                int to = row + 3 * (w - 1 - x);
                out[to] = in[from];
                out[to + 1] = in[from + 1];
                out[to + 2] = in[from + 2];
            }
        }
        return new RgbImage(w, h, out);
    }

    /** A {@code TYPE_3BYTE_BGR} copy of the image, for Java2D drawing and ImageIO encoding. */
    public static BufferedImage toBufferedImage(RgbImage src) {
        Objects.requireNonNull(src, "src");
        BufferedImage image = new BufferedImage(src.width(), src.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = src.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return image;
    }

    /** Lossless PNG encoding. */
    public static byte[] encodePng(RgbImage src) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        return encode(writer, toBufferedImage(src), writer.getDefaultWriteParam());
    }

    /** Baseline JPEG encoding; {@code quality} is 0..1 as in {@link ImageWriteParam#setCompressionQuality}. */
    public static byte[] encodeJpeg(RgbImage src, float quality) {
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be in 0..1, got " + quality);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        return encode(writer, toBufferedImage(src), param);
    }

    private static byte[] encode(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Memory cache: ImageIO's default stream may spill to a temp file, which is pointless for in-memory output.
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
