package org.arcstream.core.embed;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.image.Tensors;

/**
 * How aligned face crops become an embedding model's input: square crops of {@code inputSize} pixels,
 * each channel value mapped to (pixel - mean) / std, channels in RGB or BGR order. It belongs to the
 * model: an ONNX file states it in its metadata ({@link PreprocessingMetadata}), and training,
 * evaluation, benchmarks and the stream all read it from there.
 */
@JsonPropertyOrder({"input_size", "mean", "std", "channel_order"})
public record Preprocessing(
        @JsonProperty("input_size") int inputSize,
        @JsonProperty("mean") float mean,
        @JsonProperty("std") float std,
        @JsonProperty("channel_order") ChannelOrder channelOrder) {

    /** The order of the three colour planes of the input tensor. */
    public enum ChannelOrder {
        RGB, BGR;

        /** {@code rgb} or {@code bgr}, in any case. */
        @JsonCreator
        public static ChannelOrder parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "rgb" -> RGB;
                case "bgr" -> BGR;
                default -> throw new IllegalArgumentException("channel order must be rgb or bgr, got '" + value + "'");
            };
        }

        /** {@code rgb} or {@code bgr}, as written in settings, metadata and model events. */
        @JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The layout of the default fr_feature model, for models that do not state theirs: 112x112 RGB, (pixel - 127) / 128. */
    public static final Preprocessing DEFAULT = new Preprocessing(112, 127f, 128f, ChannelOrder.RGB);

    public Preprocessing {
        if (inputSize < 16) {
            throw new IllegalArgumentException("embedding input size must be at least 16, got " + inputSize);
        }
        if (!Float.isFinite(mean)) {
            throw new IllegalArgumentException("embedding normalization mean must be a finite number, got " + mean);
        }
        if (std == 0 || !Float.isFinite(std)) {
            throw new IllegalArgumentException("embedding normalization std must be a finite number other than 0, got " + std);
        }
        if (channelOrder == null) {
            throw new IllegalArgumentException("embedding channel order must be rgb or bgr");
        }
    }

    @JsonIgnore
    public boolean bgr() {
        return channelOrder == ChannelOrder.BGR;
    }

    /** Writes the crop's (C, H, W) input planes into {@code out} at {@code offset}; the crop must be inputSize square. */
    public void write(RgbImage crop, float[] out, int offset) {
        if (crop.width() != inputSize || crop.height() != inputSize) {
            throw new IllegalArgumentException(
                    "aligned crop must be " + inputSize + "x" + inputSize + ", got " + crop.width() + "x" + crop.height());
        }
        Tensors.writeChw(crop, mean, std, bgr(), out, offset);
    }

    /** One crop's input planes. */
    public float[] toChw(RgbImage crop) {
        float[] out = new float[3 * inputSize * inputSize];
        write(crop, out, 0);
        return out;
    }

    @Override
    public String toString() {
        return inputSize + "x" + inputSize + " " + channelOrder.text() + ", (pixel - " + mean + ") / " + std;
    }
}
