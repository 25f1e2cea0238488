package org.arcstream.deploy.workloads;

import java.util.Map;
import java.util.TreeMap;
import org.arcstream.deploy.kustomize.Rendering;

/** The topics a service uses: the topic keys of its application.yml, with the values the manifests set for them. */
public final class ServiceTopics {

    private ServiceTopics() {
    }

    /**
     * Topic name by configuration key ({@code embedder.topics.frames}, {@code trainer.models-topic}, ...); empty
     * when the service's application.yml has no section of its own in this checkout.
     */
    public static Map<String, String> of(String service) {
        Map<String, String> topics = new TreeMap<>();
        if (!ServiceConfig.hasOwnSection(service)) {
            return topics;
        }
        ServiceConfig config = ServiceConfig.read(service);
        config.values().forEach((key, value) -> {
            if ((key.endsWith("-topic") || key.contains(".topics.")) && !value.isEmpty()) {
                topics.put(key, value);
            }
        });
        Rendering rendering = Rendering.of("cpu");
        Map<String, String> env = EnvironmentTest.environment(rendering, Rendering.mainContainer(rendering.get("Deployment", service)));
        env.forEach((variable, value) -> {
            String key = config.keyOf(variable);
            if (key != null && topics.containsKey(key)) {
                topics.put(key, value);
            }
        });
        return topics;
    }
}
