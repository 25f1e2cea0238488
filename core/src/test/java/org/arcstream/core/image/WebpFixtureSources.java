package org.arcstream.core.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import org.arcstream.core.TestData;

/**
 * Writes the PNG sources the committed WebP fixtures were made from (Java cannot write WebP; cwebp can). Not a
 * test: run by hand, then run the commands in {@code src/test/resources/org/arcstream/core/image/README.md}.
 * The tests rebuild the expected pixels from the same {@link TestImages} patterns, so these files are not kept.
 */
public final class WebpFixtureSources {

    private WebpFixtureSources() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "webp-sources"));
        write(dir, "texture-64x48.png", TestImages.texture(64, 48, 21));
        write(dir, "gradient-64x48.png", TestImages.gradient(64, 48));
        write(dir, "quadrants-64x48.png", TestImages.quadrants(64, 48));
        ImageIO.write(TestImages.withAlpha(TestImages.texture(64, 48, 22)), "png", dir.resolve("texture-alpha-64x48.png").toFile());
        ImageIO.write(TestImages.withAlpha(TestImages.gradient(64, 48)), "png", dir.resolve("gradient-alpha-64x48.png").toFile());
        write(dir, "texture-48x64-stored-for-orientation-6.png", TestImages.rotateCounterClockwise(TestImages.texture(64, 48, 23)));
        RgbImage face = new ImageDecoder().decode(TestData.lfwImage("Colin_Powell", 1));
        write(dir, "Colin_Powell_0001.png", face);
    }

    private static void write(Path dir, String name, RgbImage image) throws IOException {
        Files.write(dir.resolve(name), ImageOps.encodePng(image));
    }
}
