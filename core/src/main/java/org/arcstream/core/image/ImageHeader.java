package org.arcstream.core.image;

/**
 * What a per-format header check learned before any decoder runs.
 *
 * @param format       the sniffed format
 * @param width        width of the image the decoder will return (before orientation is applied)
 * @param height       height of the image the decoder will return
 * @param orientation  EXIF/TIFF orientation 1..8 (1 = as stored)
 * @param truncation   null when the data is complete, else what is missing ("... (file truncated?)")
 * @param decoderInput the bytes to hand to the decoder: the input itself, or a copy without ancillary parts
 *                     that the decoder would otherwise parse (see {@link PngStructure})
 */
record ImageHeader(ImageFormat format, int width, int height, int orientation, String truncation, byte[] decoderInput) {}
