package org.arcstream.core.topics;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.ImageLimits;
import org.arcstream.core.image.RgbImage;

/** Aligned face crops as lossless PNG, the form the enrollment topic keeps them in. */
public final class CropPng {

    /**
     * Crops are a model's input size (112x112 here); 1024x1024 leaves room for any face model while a
     * record whose PNG header claims a huge image is refused before its pixels are allocated.
     */
    private static final ImageLimits LIMITS = new ImageLimits(16L << 20, 1024 * 1024, ImageLimits.DEFAULT_MIN_SIDE);

    private CropPng() {}

    public static byte[] encode(RgbImage crop) {
        BufferedImage image = new BufferedImage(crop.width(), crop.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = crop.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes a crop with the safe decoder and crop-sized limits; damaged or oversized data is an {@link org.arcstream.core.image.ImageDecodeException}. */
    public static RgbImage decode(byte[] png) {
        return new ImageDecoder(LIMITS).decode(png);
    }

    /**
     * Decodes the crop of a stored sample for a model that takes {@code size}x{@code size} crops; a sample
     * without a crop, damaged data or a crop of another size is an {@link ImageDecodeException} saying which.
     */
    public static RgbImage decode(byte[] png, int size) {
        if (png == null || png.length == 0) {
            throw new ImageDecodeException(ImageDecodeException.Reason.EMPTY, "the sample keeps no crop");
        }
        RgbImage crop = decode(png);
        if (crop.width() != size || crop.height() != size) {
            throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT,
                    "crop is " + crop.width() + "x" + crop.height() + ", the model takes " + size + "x" + size);
        }
        return crop;
    }
}
