package org.arcstream.deploy.typed;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/**
 * KEDA's {@code keda.sh/v1alpha1} resources as records, for the strict parse of {@link TypedObjects}: no
 * maintained Java model of KEDA is published, so these follow its CRD schema (as published in the npm
 * package {@code @kubernetes-models/keda} 2.0.0, generated from KEDA's CRDs), field by field for
 * {@code ScaledObject}, and for {@code TriggerAuthentication} the Kubernetes-native sources only
 * (secrets, ConfigMaps, container environment; the cloud secret stores are not modelled and refused).
 * Required fields are marked as the CRD marks them.
 */
public final class Keda {

    private Keda() {
    }

    public record ScaledObject(
            @JsonProperty(required = true) String apiVersion,
            @JsonProperty(required = true) String kind,
            @JsonProperty(required = true) ObjectMeta metadata,
            @JsonProperty(required = true) ScaledObjectSpec spec) {
    }

    public record ScaledObjectSpec(
            AdvancedConfig advanced,
            Integer cooldownPeriod,
            Fallback fallback,
            Integer idleReplicaCount,
            Integer initialCooldownPeriod,
            Integer maxReplicaCount,
            Integer minReplicaCount,
            Integer pollingInterval,
            @JsonProperty(required = true) ScaleTarget scaleTargetRef,
            @JsonProperty(required = true) List<ScaleTrigger> triggers) {
    }

    public record ScaleTarget(String apiVersion, String envSourceContainerName, String kind,
            @JsonProperty(required = true) String name) {
    }

    /** One trigger; its metadata is {@code map[string]string} in the CRD: a number there is refused. */
    public record ScaleTrigger(
            AuthenticationRef authenticationRef,
            @JsonProperty(required = true) Map<String, String> metadata,
            String metricType,
            String name,
            @JsonProperty(required = true) String type,
            Boolean useCachedMetrics) {
    }

    public record AuthenticationRef(String kind, @JsonProperty(required = true) String name) {
    }

    public record AdvancedConfig(HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig, Boolean restoreToOriginalReplicaCount,
            ScalingModifiers scalingModifiers) {
    }

    public record HorizontalPodAutoscalerConfig(HorizontalPodAutoscalerBehavior behavior, String name) {
    }

    public record ScalingModifiers(String activationTarget, String formula, String metricType, String target) {
    }

    public record Fallback(String behavior, @JsonProperty(required = true) Integer failureThreshold,
            @JsonProperty(required = true) Integer replicas) {
    }

    public record TriggerAuthentication(
            @JsonProperty(required = true) String apiVersion,
            @JsonProperty(required = true) String kind,
            @JsonProperty(required = true) ObjectMeta metadata,
            @JsonProperty(required = true) TriggerAuthenticationSpec spec) {
    }

    public record TriggerAuthenticationSpec(List<AuthTargetRef> secretTargetRef, List<AuthTargetRef> configMapTargetRef,
            List<AuthEnvironment> env) {

        public List<AuthTargetRef> secrets() {
            return secretTargetRef == null ? List.of() : secretTargetRef;
        }

        public List<AuthTargetRef> configMaps() {
            return configMapTargetRef == null ? List.of() : configMapTargetRef;
        }
    }

    /** A trigger parameter read from key {@code key} of the Secret or ConfigMap {@code name}. */
    public record AuthTargetRef(@JsonProperty(required = true) String parameter, @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String key) {
    }

    public record AuthEnvironment(@JsonProperty(required = true) String parameter, @JsonProperty(required = true) String name,
            String containerName) {
    }
}
