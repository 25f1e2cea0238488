package org.arcstream.core.runtime;

import ai.djl.Device;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the inference device from the configured value ({@code auto}, {@code cpu}, {@code gpu}
 * or {@code gpu:N}) and what this host offers; a GPU request on a host without one falls back to CPU.
 */
public final class DeviceSelector {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);

    /** What the host offers: whether the loaded ONNX Runtime has the CUDA provider, and how many GPUs are visible. */
    public record HostCapabilities(boolean cudaProvider, int gpuCount) {

        /** Probes the running JVM: the ONNX Runtime build on the classpath and the CUDA driver. */
        public static HostCapabilities probe() {
            boolean cuda;
            try {
                cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                cuda = false;
            }
            int gpus = 0;
            if (cuda) {
                try {
                    gpus = CudaUtils.getGpuCount();
                } catch (RuntimeException | UnsatisfiedLinkError e) {
                    gpus = 0;
                }
            }
            return new HostCapabilities(cuda, gpus);
        }
    }

    private DeviceSelector() {}

    public static Device select(String requested, HostCapabilities host) {
        String value = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        boolean gpuUsable = host.cudaProvider() && host.gpuCount() > 0;
        switch (value) {
            case "cpu":
                return Device.cpu();
            case "auto":
            case "":
                return gpuUsable ? Device.gpu(0) : Device.cpu();
            default:
                if (!value.startsWith("gpu")) {
                    throw new IllegalArgumentException(
                            "device must be auto, cpu, gpu or gpu:N, got '" + requested + "'");
                }
                int id = parseGpuId(value, requested);
                if (!gpuUsable) {
                    LOG.warn("GPU requested but {}; running on CPU",
                            host.cudaProvider() ? "no GPU is visible" : "the ONNX Runtime build has no CUDA provider (build with -Pgpu)");
                    return Device.cpu();
                }
                if (id >= host.gpuCount()) {
                    throw new IllegalArgumentException(
                            "device gpu:" + id + " requested but only " + host.gpuCount() + " GPU(s) visible");
                }
                return Device.gpu(id);
        }
    }

    private static int parseGpuId(String value, String requested) {
        if (value.equals("gpu")) {
            return 0;
        }
        if (!value.startsWith("gpu:")) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + requested + "'");
        }
        try {
            return Integer.parseInt(value.substring(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + requested + "'");
        }
    }
}
