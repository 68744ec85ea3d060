package io.websockex.adapter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@code fail-fast} client that did not connect at start-up.
 */
final class WebsockexStartupFailureAnalyzer extends AbstractFailureAnalyzer<WebsockexStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WebsockexStartupException cause) {
		String description = "websockex client '" + cause.clientName() + "' did not connect to " + cause.url()
				+ " at start-up, and websockex.clients." + cause.clientName() + ".fail-fast is true:\n\n    "
				+ cause.reason();
		String action = "Check that the server is reachable and accepts the connection (URL, credentials, TLS), "
				+ "raise websockex.clients." + cause.clientName() + ".connect-timeout, or set websockex.clients."
				+ cause.clientName() + ".fail-fast to false to start anyway and keep reconnecting in the background.";
		return new FailureAnalysis(description, action, cause);
	}

}
