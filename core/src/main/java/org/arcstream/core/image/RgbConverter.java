package org.arcstream.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns whatever a decoder produced (grey, palette, 16-bit, packed, CMYK converted by Java2D, with or without
 * alpha) into 8-bit RGB.
 *
 * <p>Raw samples are used, like OpenCV's imread, because the models were validated on OpenCV-decoded images.
 * Transparent pixels are composited onto white, the same way for every format: the colour stored under a fully
 * transparent pixel is whatever the encoder left there (PNG optimisers zero it, cwebp replaces it), so dropping
 * alpha would make the same picture decode differently per format. White is what a viewer shows behind a
 * cut-out portrait on a page, so it is what the person who sent it saw.
 */
final class RgbConverter {

    private RgbConverter() {}

    /** Converts a decoded image to 8-bit RGB, compositing any alpha onto white. */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[3 * w * h];
        ColorModel cm = image.getColorModel();
        if (copyInterleavedBytes(image, out) || copyPackedInts(image, out)) {
            compositeAlpha(image, out);
        } else if (copySamples(image, out)) {
            if (!(cm instanceof IndexColorModel)) {
                compositeAlpha(image, out); // palettes composite their entries in copySamples
            }
        } else {
            copyViaGetRgb(image, out);
        }
        return new RgbImage(w, h, out);
    }

    /** Composites the RGB already in {@code out} with the image's (non-premultiplied) alpha band onto white. */
    private static void compositeAlpha(BufferedImage image, byte[] out) {
        ColorModel cm = image.getColorModel();
        Raster alpha = cm.hasAlpha() ? image.getAlphaRaster() : null;
        if (alpha == null) {
            return;
        }
        int max = (1 << cm.getComponentSize(cm.getNumComponents() - 1)) - 1;
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            alpha.getSamples(alpha.getMinX(), alpha.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++, o += 3) {
                int a = row[x];
                if (a < max) {
                    out[o] = (byte) onWhite(out[o] & 0xFF, a, max);
                    out[o + 1] = (byte) onWhite(out[o + 1] & 0xFF, a, max);
                    out[o + 2] = (byte) onWhite(out[o + 2] & 0xFF, a, max);
                }
            }
        }
    }

    /** {@code c * a + 255 * (1 - a)}, rounded, for alpha {@code a} out of {@code max}. */
    static int onWhite(int c, int a, int max) {
        return (int) (((long) c * a + 255L * (max - a) + max / 2) / max);
    }

    /** Fast path for TYPE_3BYTE_BGR, TYPE_4BYTE_ABGR, TYPE_BYTE_GRAY and similar byte rasters. */
    private static boolean copyInterleavedBytes(BufferedImage image, byte[] out) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
                || !(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()) {
            return false;
        }
        boolean gray = isGray(cm);
        if (!gray && !isRgb(cm)) {
            return false;
        }
        int[] bandOffsets = sm.getBandOffsets();
        int rOff = bandOffsets[0];
        int gOff = bandOffsets[gray ? 0 : 1];
        int bOff = bandOffsets[gray ? 0 : 2];
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int tx = raster.getSampleModelTranslateX();
        int ty = raster.getSampleModelTranslateY();
        byte[] data = buffer.getData();
        int w = image.getWidth();
        int h = image.getHeight();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = buffer.getOffset() + (y - ty) * scanlineStride - tx * pixelStride;
            for (int x = 0; x < w; x++, p += pixelStride) {
                out[o++] = data[p + rOff];
                out[o++] = data[p + gOff];
                out[o++] = data[p + bOff];
            }
        }
        return true;
    }

    /** Fast path for TYPE_INT_RGB and TYPE_INT_ARGB. */
    private static boolean copyPackedInts(BufferedImage image, byte[] out) {
        Raster raster = image.getRaster();
        if (!(raster.getDataBuffer() instanceof DataBufferInt buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm)
                || !(image.getColorModel() instanceof DirectColorModel cm) || cm.isAlphaPremultiplied()
                || cm.getRedMask() != 0xFF0000 || cm.getGreenMask() != 0xFF00 || cm.getBlueMask() != 0xFF
                || !isRgb(cm)) {
            return false;
        }
        int scanlineStride = sm.getScanlineStride();
        int tx = raster.getSampleModelTranslateX();
        int ty = raster.getSampleModelTranslateY();
        int[] data = buffer.getData();
        int w = image.getWidth();
        int h = image.getHeight();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = buffer.getOffset() + (y - ty) * scanlineStride - tx;
            for (int x = 0; x < w; x++) {
                int rgb = data[p + x];
                out[o++] = (byte) (rgb >>> 16);
                out[o++] = (byte) (rgb >>> 8);
                out[o++] = (byte) rgb;
            }
        }
        return true;
    }

    /** Row-wise path for indexed, 16-bit and other integer RGB or grey rasters. */
    private static boolean copySamples(BufferedImage image, byte[] out) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int w = image.getWidth();
        int h = image.getHeight();
        int o = 0;
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            byte[] reds = new byte[size];
            byte[] greens = new byte[size];
            byte[] blues = new byte[size];
            icm.getReds(reds);
            icm.getGreens(greens);
            icm.getBlues(blues);
            if (icm.hasAlpha()) {
                for (int i = 0; i < size; i++) {
                    int a = icm.getAlpha(i);
                    reds[i] = (byte) onWhite(reds[i] & 0xFF, a, 255);
                    greens[i] = (byte) onWhite(greens[i] & 0xFF, a, 255);
                    blues[i] = (byte) onWhite(blues[i] & 0xFF, a, 255);
                }
            }
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    // A damaged palette index must not throw; clamp it into the map.
                    int index = Math.min(row[x], size - 1);
                    out[o++] = reds[index];
                    out[o++] = greens[index];
                    out[o++] = blues[index];
                }
            }
            return true;
        }
        int type = raster.getTransferType();
        boolean integral = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT;
        boolean gray = isGray(cm);
        if (!integral || cm.isAlphaPremultiplied() || !(gray || isRgb(cm))
                || !(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)) {
            return false;
        }
        int bands = raster.getNumBands();
        int[] bits = new int[3];
        for (int c = 0; c < 3; c++) {
            bits[c] = cm.getComponentSize(gray ? 0 : c);
            if (bits[c] < 1 || bits[c] > 16) {
                return false;
            }
        }
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) to8Bit(row[p + (gray ? 0 : c)], bits[c]);
                }
            }
        }
        return true;
    }

    private static int to8Bit(int value, int bits) {
        if (bits == 8) {
            return value;
        }
        if (bits > 8) {
            return value >>> (bits - 8); // keep the high byte, as OpenCV does for 16-bit PNGs
        }
        int max = (1 << bits) - 1;
        return (value * 255 + max / 2) / max;
    }

    /** Last resort (CMYK, YCbCr, float, premultiplied rasters): let Java2D convert to sRGB, then composite. */
    private static void copyViaGetRgb(BufferedImage image, byte[] out) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int a = argb >>> 24;
                out[o++] = (byte) onWhite((argb >>> 16) & 0xFF, a, 255);
                out[o++] = (byte) onWhite((argb >>> 8) & 0xFF, a, 255);
                out[o++] = (byte) onWhite(argb & 0xFF, a, 255);
            }
        }
    }

    // Any RGB colour space (sRGB or an embedded profile) is taken as-is: the models were validated on
    // OpenCV-decoded images, and OpenCV ignores colour profiles.
    private static boolean isRgb(ColorModel cm) {
        return cm.getColorSpace().getType() == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3;
    }

    // Java2D treats grey as linear and would brighten it in getRGB; image files store grey gamma-encoded.
    private static boolean isGray(ColorModel cm) {
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
    }
}
