package io.websockex.adapter.actuate;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.WebsockexClient;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one client: {@code CONNECTED} is {@code UP}; {@code CONNECTING} is
 * {@code UNKNOWN} with the attempt count; {@code DISCONNECTED} after giving up, a fatal
 * error or a loss without reconnect is {@code DOWN} with the reason; not started or
 * closed by the user is {@code UNKNOWN}. A standby of a {@code cluster: single-active}
 * client (active on another instance) is {@code UP} with {@code role: standby}.
 */
final class WebsockexHealthIndicator implements HealthIndicator {

	private final WebsockexClient client;

	WebsockexHealthIndicator(WebsockexClient client) {
		this.client = client;
	}

	@Override
	public Health health() {
		if (this.client.role() == ClusterRole.STANDBY) {
			// A standby is healthy: restarting it would not connect it, and it is ready
			// to take over.
			return Health.up()
				.withDetail("role", "standby")
				.withDetail("url", this.client.config().maskedUrl())
				.build();
		}
		ClientMetrics metrics = this.client.metrics();
		Health.Builder builder = switch (metrics.state()) {
			case CONNECTED -> Health.up().withDetail("connectedSince", String.valueOf(metrics.connectedSince()));
			case CONNECTING ->
				Health.unknown().withDetail("state", "CONNECTING").withDetail("attempt", metrics.currentAttempt() + 1);
			case DISCONNECTED -> (metrics.disconnectReason().isFailure() ? Health.down() : Health.unknown())
				.withDetail("state", "DISCONNECTED")
				.withDetail("reason", metrics.disconnectReason().name());
		};
		builder.withDetail("url", this.client.config().maskedUrl()).withDetail("reconnects", metrics.reconnects());
		if (metrics.lastError() != null) {
			builder.withDetail("lastError", metrics.lastError());
		}
		if (this.client.role() == ClusterRole.ACTIVE) {
			builder.withDetail("role", "active").withDetail("activeSince", String.valueOf(this.client.activeSince()));
		}
		if (!this.client.members().isEmpty()) {
			// A pool is UP while one member is connected; each member's own view here.
			java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
			for (WebsockexClient member : this.client.members()) {
				members.put(member.name(), java.util.Map.of("state", member.state().name(), "healthScore",
						member.healthScore(), "subscriptions", member.subscriptions().size()));
			}
			builder.withDetail("members", members);
		}
		return builder.build();
	}

}
