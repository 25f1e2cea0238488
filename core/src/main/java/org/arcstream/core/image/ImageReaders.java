package org.arcstream.core.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Creates the ImageIO reader for a sniffed format, always the same reader class for the same format.
 *
 * <p>Readers are never chosen by ImageIO's {@code canDecodeInput} probing: that lets any plugin with a loose
 * check claim another format's data. Each format maps to one provider class instead: TwelveMonkeys for JPEG
 * (CMYK/YCCK, broken ICC profiles), WebP and TIFF; the JDK's own for PNG, GIF and BMP.
 *
 * <p>The TwelveMonkeys providers are registered here explicitly rather than trusted to be found through
 * {@code META-INF/services}: a shaded (fat) jar that does not merge those files would silently lose them. They
 * are registered in ImageIO's default registry because the TwelveMonkeys JPEG provider finds the JDK decoder it
 * delegates to on registration, and the TIFF reader looks up the JPEG reader there for JPEG-compressed strips.
 * Registration happens once, in a class initialiser, which the JVM runs exactly once and thread-safely.
 */
final class ImageReaders {

    private ImageReaders() {}

    /** A new reader (readers are stateful and not thread-safe) for a decodable format. */
    static ImageReader create(ImageFormat format) {
        ImageReaderSpi provider = Providers.BY_FORMAT.get(format);
        if (provider == null) {
            throw new IllegalStateException("no image reader is installed for " + format.displayName());
        }
        try {
            return provider.createReaderInstance();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the " + format.displayName() + " reader", e);
        }
    }

    /** Name of the reader class used for a format, for diagnostics and tests. */
    static String readerClass(ImageFormat format) {
        ImageReaderSpi provider = Providers.BY_FORMAT.get(format);
        return provider == null ? "none" : provider.getClass().getName();
    }

    private static final class Providers {
        static final Map<ImageFormat, ImageReaderSpi> BY_FORMAT = load();

        private static Map<ImageFormat, ImageReaderSpi> load() {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            ImageReaderSpi jpeg = ensureRegistered(registry, new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi());
            ImageReaderSpi webp = ensureRegistered(registry, new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi());
            ImageReaderSpi tiff = ensureRegistered(registry, new com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi());

            Map<ImageFormat, ImageReaderSpi> map = new EnumMap<>(ImageFormat.class);
            // The TwelveMonkeys JPEG provider deregisters itself when it finds no JDK decoder to delegate to.
            map.put(ImageFormat.JPEG, jpeg != null ? jpeg : jdk(registry, "jpeg"));
            map.put(ImageFormat.WEBP, webp);
            map.put(ImageFormat.TIFF, tiff != null ? tiff : jdk(registry, "tiff"));
            map.put(ImageFormat.PNG, jdk(registry, "png"));
            map.put(ImageFormat.GIF, jdk(registry, "gif"));
            map.put(ImageFormat.BMP, jdk(registry, "bmp"));
            map.values().removeIf(Objects::isNull);
            return map;
        }

        /** Registers the provider unless one of its class is already there; returns the registered instance. */
        private static ImageReaderSpi ensureRegistered(IIORegistry registry, ImageReaderSpi provider) {
            Class<? extends ImageReaderSpi> type = provider.getClass();
            if (registry.getServiceProviderByClass(type) == null) {
                registry.registerServiceProvider(provider, ImageReaderSpi.class);
            }
            return registry.getServiceProviderByClass(type);
        }

        /** The JDK's own reader for a format, e.g. {@code com.sun.imageio.plugins.png.PNGImageReaderSpi}. */
        private static ImageReaderSpi jdk(IIORegistry registry, String plugin) {
            String prefix = "com.sun.imageio.plugins." + plugin + ".";
            Iterator<ImageReaderSpi> all = registry.getServiceProviders(ImageReaderSpi.class, false);
            while (all.hasNext()) {
                ImageReaderSpi spi = all.next();
                if (spi.getClass().getName().startsWith(prefix)) {
                    return spi;
                }
            }
            return null;
        }
    }
}
