package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** Opens the sensitive management endpoints (/prometheus) to the admin user; Micronaut keeps them closed until told who may see them. */
@Singleton
@Replaces(SensitiveEndpointRule.class)
public final class AdminSensitiveEndpointRule extends SensitiveEndpointRule {

    public AdminSensitiveEndpointRule(EndpointSensitivityProcessor processor) {
        super(processor);
    }

    @Override
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(HttpRequest<?> request,
            Authentication authentication, ExecutableMethod<?, ?> method) {
        return Mono.just(authentication.getRoles().contains(ConfiguredUserAuthenticationProvider.ROLE)
                ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }
}
