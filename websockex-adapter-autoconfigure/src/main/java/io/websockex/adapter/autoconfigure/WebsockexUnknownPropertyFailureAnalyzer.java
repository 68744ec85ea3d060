package io.websockex.adapter.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains unknown keys under {@code websockex} (a typo such as
 * {@code websockex.clients.feed.retry-dely} would otherwise be ignored without a word):
 * names each key, where it was set, and the nearest valid key. Ordered ahead of Boot's
 * generic analysis of unbound properties, which has no suggestion.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class WebsockexUnknownPropertyFailureAnalyzer
		extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(WebsockexPropertyNames.PREFIX);

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.filter((property) -> ROOT.isAncestorOf(property.getName()))
			.toList();
		if (unknown.isEmpty()) {
			return null;
		}
		StringBuilder description = new StringBuilder("Unknown websockex configuration ")
			.append((unknown.size() == 1) ? "key" : "keys")
			.append(":\n");
		for (ConfigurationProperty property : unknown) {
			description.append("\n    ").append(property.getName()).append(": ").append(suggestion(property.getName()));
			if (property.getOrigin() != null) {
				description.append("\n        (set in ").append(property.getOrigin()).append(")");
			}
		}
		String action = "Rename each key to the valid one, or remove it. The keys, their meaning and their "
				+ "defaults are in your IDE's completion and in the README's configuration reference; "
				+ "websockex.defaults.* takes every key of websockex.clients.<name>.* except url.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private static String suggestion(ConfigurationPropertyName name) {
		String group = name.getElement(1, ConfigurationPropertyName.Form.DASHED);
		if (group.equals("defaults") && name.getNumberOfElements() == 3
				&& name.getLastElement(ConfigurationPropertyName.Form.DASHED).equals("url")) {
			return "a URL belongs to one client: set websockex.clients.<name>.url";
		}
		List<String> nearest = WebsockexPropertyNames.nearest(name);
		return "no such key; did you mean `" + relative(nearest) + "` (" + WebsockexPropertyNames.key(nearest) + ")?";
	}

	// The key as written inside a client's entry or websockex.defaults:
	// `heartbeat.interval` for websockex.clients.feed.heartbeat.interval.
	private static String relative(List<String> elements) {
		int from = switch (elements.get(0)) {
			case "clients" -> 2;
			case "defaults" -> 1;
			default -> 0;
		};
		return String.join(".", elements.subList(Math.min(from, elements.size() - 1), elements.size()));
	}

}
