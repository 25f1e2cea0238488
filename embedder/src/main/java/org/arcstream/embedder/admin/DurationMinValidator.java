package org.arcstream.embedder.admin;

import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Checks {@link DurationMin}; a missing duration is left to {@code @NotNull}. */
@Singleton
final class DurationMinValidator implements ConstraintValidator<DurationMin, Duration> {

    @Override
    public boolean isValid(@Nullable Duration value, @NonNull AnnotationValue<DurationMin> annotation,
            @NonNull ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        Duration min = ConversionService.SHARED.convertRequired(annotation.getRequiredValue(String.class), Duration.class);
        return value.compareTo(min) >= 0;
    }
}
