package org.arcstream.deploy.workloads;

import java.util.Map;
import org.arcstream.deploy.kustomize.Rendering;

/** The HTTP port a service listens on in an overlay: MICRONAUT_SERVER_PORT of its container, else its application.yml's. */
public final class ServerPort {

    private ServerPort() {
    }

    public static int of(Rendering rendering, String service) {
        Map<String, Object> container = Rendering.mainContainer(rendering.get("Deployment", service));
        String fromEnv = EnvironmentTest.environment(rendering, container).get("MICRONAUT_SERVER_PORT");
        if (fromEnv != null) {
            return Integer.parseInt(fromEnv);
        }
        String configured = ServiceConfig.read(service).values().get("micronaut.server.port");
        if (configured == null || configured.isEmpty()) {
            throw new AssertionError(ServiceConfig.file(service) + " sets no micronaut.server.port");
        }
        return Integer.parseInt(configured);
    }
}
