package org.arcstream.trainer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TrainingDeviceTest {

    @Test
    void autoPrefersTheFirstGpu() {
        assertEquals(Device.gpu(0), TrainingDevice.select("auto", 2));
        assertEquals(Device.gpu(0), TrainingDevice.select(null, 1));
        assertEquals(Device.gpu(0), TrainingDevice.select(" ", 1));
        assertEquals(Device.cpu(), TrainingDevice.select("auto", 0));
    }

    @Test
    void explicitRequestsWin() {
        assertEquals(Device.cpu(), TrainingDevice.select("CPU", 4));
        assertEquals(Device.gpu(1), TrainingDevice.select("gpu:1", 2));
        assertEquals(Device.gpu(0), TrainingDevice.select("cuda", 1));
    }

    @Test
    void aMissingGpuIsAnErrorNotASilentCpu() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TrainingDevice.select("gpu", 0));
        assertTrue(none.getMessage().contains("sees 0 GPU"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingDevice.select("gpu:2", 2));
        assertThrows(IllegalArgumentException.class, () -> TrainingDevice.select("gpu:x", 2));
        assertThrows(IllegalArgumentException.class, () -> TrainingDevice.select("tpu", 2));
    }

    @Test
    void managerOnThisMachineUsesThePyTorchEngine() {
        try (NDManager manager = TrainingDevice.newManager("cpu")) {
            assertEquals("PyTorch", manager.getEngine().getEngineName());
            assertEquals(Device.cpu(), manager.getDevice());
        }
    }
}
