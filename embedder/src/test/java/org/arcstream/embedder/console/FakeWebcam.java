package org.arcstream.embedder.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.RgbImage;

/**
 * A still image as a Y4M video (text header, then raw I420 frames: BT.601 limited-range luma and 2x2-averaged
 * chroma), the format Chromium's fake capture device plays in a loop.
 */
final class FakeWebcam {

    private FakeWebcam() {}

    static Path y4m(Path image, Path target, int frames) throws IOException {
        RgbImage rgb = new ImageDecoder().decode(image);
        int w = rgb.width() & ~1;
        int h = rgb.height() & ~1;
        byte[] y = new byte[w * h];
        byte[] u = new byte[w * h / 4];
        byte[] v = new byte[w * h / 4];
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                y[row * w + col] = (byte) Math.round(16 + 65.481 * c(rgb, col, row, 0) + 128.553 * c(rgb, col, row, 1)
                        + 24.966 * c(rgb, col, row, 2));
            }
        }
        for (int row = 0; row < h; row += 2) {
            for (int col = 0; col < w; col += 2) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int k = 0; k < 4; k++) {
                    r += c(rgb, col + k % 2, row + k / 2, 0) / 4;
                    g += c(rgb, col + k % 2, row + k / 2, 1) / 4;
                    b += c(rgb, col + k % 2, row + k / 2, 2) / 4;
                }
                int i = (row / 2) * (w / 2) + col / 2;
                u[i] = (byte) Math.round(128 - 37.797 * r - 74.203 * g + 112.0 * b);
                v[i] = (byte) Math.round(128 + 112.0 * r - 93.786 * g - 18.214 * b);
            }
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(("YUV4MPEG2 W" + w + " H" + h + " F10:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
            for (int f = 0; f < frames; f++) {
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                out.write(y);
                out.write(u);
                out.write(v);
            }
        }
        return target;
    }

    private static double c(RgbImage image, int x, int y, int channel) {
        return image.get(x, y, channel) / 255.0;
    }
}
