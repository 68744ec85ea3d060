package io.websockex.adapter.autoconfigure.cluster;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one client has {@code cluster: single-active}: without one, the
 * cluster support adds nothing to the context.
 */
final class OnSingleActiveClientCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return ClusterModes.anySingleActive(context.getEnvironment())
				? ConditionOutcome.match("a websockex client has cluster: single-active")
				: ConditionOutcome.noMatch("no websockex client has cluster: single-active");
	}

}
