package org.arcstream.deploy.typed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.List;
import java.util.Map;
import org.arcstream.deploy.kustomize.Kustomization;
import org.arcstream.deploy.kustomize.Tree;

/**
 * Parses manifest documents into typed models the way the API server reads them: fabric8's Kubernetes
 * classes, Strimzi's api classes, and {@link Keda}'s records for KEDA. Stricter than the models' own
 * defaults: fabric8 and Strimzi keep an unknown field in {@code additionalProperties}, which would hide a
 * misspelt or misplaced field, so any-setters are switched off and unknown fields fail; scalars are not
 * coerced (a number where the schema wants a string is refused, as by the API server).
 */
public final class TypedObjects {

    /** Models by {@code apiVersion/kind}; a kind without one is an error, never a generic map. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            // Strimzi 1.x serves v1 only: the older versions are not accepted here either
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class));

    private static final ObjectMapper STRICT = strictMapper();

    private TypedObjects() {
    }

    /** The document as its typed model; an {@link IllegalArgumentException} naming the object and the field otherwise. */
    public static Object parse(Map<String, Object> document) {
        String type = Tree.string(document, "apiVersion") + "/" + Tree.string(document, "kind");
        Class<?> model = MODELS.get(type);
        if (model == null) {
            throw new IllegalArgumentException(Kustomization.id(document) + ": no typed model for " + type);
        }
        return parse(document, model);
    }

    /** The document as the given model, strictly. */
    public static <T> T parse(Map<String, Object> document, Class<T> model) {
        try {
            return STRICT.convertValue(document, model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Kustomization.id(document) + " is no valid " + model.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every document as its typed model, in order. */
    public static List<Object> parseAll(List<Map<String, Object>> documents) {
        return documents.stream().map(TypedObjects::parse).toList();
    }

    /** The typed objects of one kind. */
    public static <T> List<T> ofType(List<Object> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .annotationIntrospector(new NoAnySetter())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The models' {@code @JsonAnySetter} would take any unknown field: without it, the field is an error. */
    private static final class NoAnySetter extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE;
        }

        @Override
        public boolean hasAnySetterAnnotation(com.fasterxml.jackson.databind.introspect.AnnotatedMethod am) {
            return false;
        }
    }
}
