package org.arcstream.trainer.graph;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Locale;

/**
 * Where training runs: the first GPU when the PyTorch engine sees one, else the CPU, unless a device is
 * requested ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}; {@code cuda} is accepted for {@code gpu}).
 */
public final class TrainingDevice {

    /** The PyTorch engine; the trainer never relies on DJL's default engine, which may be ONNX Runtime. */
    public static final String ENGINE = "PyTorch";

    private TrainingDevice() {}

    /** Pure choice from the request and the number of visible GPUs; a GPU that is not there is an error, not a silent CPU. */
    public static Device select(String requested, int visibleGpus) {
        String request = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (request.isEmpty() || request.equals("auto")) {
            return visibleGpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (request.equals("cpu")) {
            return Device.cpu();
        }
        String[] parts = request.split(":", 2);
        if (!parts[0].equals("gpu") && !parts[0].equals("cuda")) {
            throw new IllegalArgumentException("unknown training device '" + requested + "': use auto, cpu, gpu or gpu:N");
        }
        int index;
        try {
            index = parts.length == 1 ? 0 : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown training device '" + requested + "': use auto, cpu, gpu or gpu:N", e);
        }
        if (index < 0 || index >= visibleGpus) {
            throw new IllegalArgumentException("training device '" + requested + "' requested but the PyTorch engine sees "
                    + visibleGpus + " GPU(s); use cpu or auto");
        }
        return Device.gpu(index);
    }

    /** The device chosen for {@code requested} on this machine. */
    public static Device select(String requested) {
        return select(requested, engine().getGpuCount());
    }

    /** A new base manager of the PyTorch engine on the chosen device; the caller closes it. */
    public static NDManager newManager(String requested) {
        Engine engine = engine();
        return engine.newBaseManager(select(requested, engine.getGpuCount()));
    }

    static Engine engine() {
        return Engine.getEngine(ENGINE);
    }
}
