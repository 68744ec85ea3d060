package io.websockex.adapter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code websockex.clients.<name>} entry (bad URL, negative duration,
 * unknown heartbeat type, missing SSL bundle, listener naming an unknown client, ...)
 * into a short description naming the exact property, and an action.
 */
final class WebsockexFailureAnalyzer extends AbstractFailureAnalyzer<WebsockexConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WebsockexConfigurationException cause) {
		String description = "Invalid configuration of websockex client '" + cause.clientName() + "':\n\n    "
				+ cause.fullProperty() + " " + cause.problem();
		return new FailureAnalysis(description, cause.action(), cause);
	}

}
