package org.arcstream.demo.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    /** Starts ONNX Runtime as every service does at start-up. */
    public static final class OnnxRuntimeStart {
        public static void main(String[] args) {
            OrtEnvironment.getEnvironment();
            System.out.println("ONNX Runtime started");
        }
    }

    @Test
    void aServiceWithAVeryLongClassPathStartsOnnxRuntime(@TempDir Path dir) throws Exception {
        // about 80 kB, as a test class path in a deep home folder can be; on the command line, ONNX Runtime's start
        // overflowed the native stack and the process vanished without a word
        String padding = IntStream.range(0, 2_000).mapToObj(i -> dir.resolve("absent-" + i + ".jar").toString())
                .collect(Collectors.joining(File.pathSeparator));
        String classPath = System.getProperty("java.class.path") + File.pathSeparator + padding;
        Path log = dir.resolve("probe.log");
        try (ServiceProcess probe = ServiceProcess.start(classPath, OnnxRuntimeStart.class.getName(), List.of(), Map.of(), log)) {
            assertEquals(0, probe.waitFor(120), () -> "exit code; output: " + String.join("\n", output(probe)));
            assertTrue(output(probe).contains("ONNX Runtime started"));
        }
    }

    private static List<String> output(ServiceProcess process) {
        try {
            return process.output();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
