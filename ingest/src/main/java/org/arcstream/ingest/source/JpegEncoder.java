package org.arcstream.ingest.source;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes decoded video frames as JPEG at a fixed quality; one per source, as ImageIO writers are not thread-safe. */
final class JpegEncoder implements AutoCloseable {

    private final ImageWriter writer;
    private final ImageWriteParam param;

    JpegEncoder(float quality) {
        writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
    }

    byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
