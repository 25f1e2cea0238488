package org.arcstream.embedder.admin;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The annotated duration is at least {@link #value()} (a Micronaut duration: {@code 0s}, {@code 1ms}, {@code 1s}, ...).
 * jakarta.validation has no constraint for durations; checked by {@link DurationMinValidator}.
 */
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Constraint(validatedBy = {})
public @interface DurationMin {

    String value();

    String message() default "must be at least {value}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
