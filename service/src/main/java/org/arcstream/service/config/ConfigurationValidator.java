package org.arcstream.service.config;

import io.micronaut.context.BeanResolutionContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.InjectionPoint;
import io.micronaut.validation.validator.DefaultValidator;
import io.micronaut.validation.validator.ValidatorConfiguration;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Micronaut's validator, except that a bad value of a configuration record is reported by its key, its
 * environment variable and the value given ({@code embedder.stream.batch-size (EMBEDDER_STREAM_BATCH_SIZE) must be
 * greater than or equal to 1, got 0}) rather than by the record's class and component name, which an operator
 * never sees. The constraints themselves are the jakarta.validation annotations on the records.
 */
@Singleton
@Replaces(DefaultValidator.class)
public final class ConfigurationValidator extends DefaultValidator {

    public ConfigurationValidator(ValidatorConfiguration configuration) {
        super(configuration);
    }

    @Override
    public <T> void validateBeanArgument(BeanResolutionContext context, InjectionPoint injectionPoint, Argument<T> argument,
            int index, T value) {
        Optional<String> prefix = injectionPoint.getDeclaringBean().stringValue(ConfigurationReader.class, ConfigurationReader.PREFIX);
        if (prefix.isEmpty()) {
            super.validateBeanArgument(context, injectionPoint, argument, index, value);
            return;
        }
        Set<ConstraintViolation<Object>> violations = validateConstructorParameters(injectionPoint.getDeclaringBean().getBeanType(),
                new Argument<?>[] {argument}, new Object[] {value}, new Class<?>[0]);
        if (!violations.isEmpty()) {
            Set<String> messages = new TreeSet<>();
            violations.forEach(v -> messages.add(v.getMessage()));
            String key = prefix.get() + "." + NameUtils.hyphenate(argument.getName());
            throw new BeanInstantiationException(key + " (" + NameUtils.environmentName(key) + ") "
                    + String.join(" and ", messages) + ", got " + shown(value));
        }
    }

    private static String shown(Object value) {
        if (value instanceof Duration d) {
            return d.toMillis() + "ms";
        }
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
