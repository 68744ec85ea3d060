package io.websockex.adapter.actuate;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

/**
 * The {@code websockex} health contributor: one child per client, named after it. Use it
 * in health groups with
 * {@code management.endpoint.health.group.<group>.include=websockex}.
 */
public class WebsockexHealthContributor implements CompositeHealthContributor {

	private final Supplier<Map<String, WebsockexClient>> clients;

	/**
	 * Create the contributor.
	 * @param clients the clients by name
	 */
	public WebsockexHealthContributor(Supplier<Map<String, WebsockexClient>> clients) {
		this.clients = clients;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		WebsockexClient client = this.clients.get().get(name);
		return (client != null) ? new WebsockexHealthIndicator(client) : null;
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return this.clients.get()
			.entrySet()
			.stream()
			.map((entry) -> new HealthContributors.Entry(entry.getKey(),
					new WebsockexHealthIndicator(entry.getValue())));
	}

}
