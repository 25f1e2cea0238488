package org.arcstream.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import org.arcstream.core.runtime.DeviceSelector.HostCapabilities;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {

    private static final HostCapabilities CPU_ONLY = new HostCapabilities(false, 0);
    private static final HostCapabilities CUDA_BUILD_NO_GPU = new HostCapabilities(true, 0);
    private static final HostCapabilities TWO_GPUS = new HostCapabilities(true, 2);

    @Test
    void autoPicksTheGpuOnlyWhenOneIsUsable() {
        assertEquals(Device.cpu(), DeviceSelector.select("auto", CPU_ONLY));
        assertEquals(Device.cpu(), DeviceSelector.select("auto", CUDA_BUILD_NO_GPU));
        assertEquals(Device.gpu(0), DeviceSelector.select("auto", TWO_GPUS));
        assertEquals(Device.gpu(0), DeviceSelector.select(null, TWO_GPUS));
    }

    @Test
    void gpuRequestFallsBackToCpuWithoutAGpu() {
        assertEquals(Device.cpu(), DeviceSelector.select("gpu", CPU_ONLY));
        assertEquals(Device.cpu(), DeviceSelector.select("GPU:1", CUDA_BUILD_NO_GPU));
    }

    @Test
    void explicitChoicesAreHonoured() {
        assertEquals(Device.cpu(), DeviceSelector.select("cpu", TWO_GPUS));
        assertEquals(Device.gpu(1), DeviceSelector.select("gpu:1", TWO_GPUS));
    }

    @Test
    void probeOnThisHostGivesAUsableAnswer() {
        Device device = DeviceSelector.select("auto", HostCapabilities.probe());
        HostCapabilities host = HostCapabilities.probe();
        assertEquals(host.cudaProvider() && host.gpuCount() > 0, device.isGpu());
    }

    @Test
    void nonsenseIsRejectedWithTheAllowedValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("tpu", CPU_ONLY));
        assertEquals("device must be auto, cpu, gpu or gpu:N, got 'tpu'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("gpu:x", TWO_GPUS));
        assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("gpu:2", TWO_GPUS));
    }
}
