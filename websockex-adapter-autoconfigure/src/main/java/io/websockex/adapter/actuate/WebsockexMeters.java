package io.websockex.adapter.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Binds every client's figures to Micrometer, tagged {@code client=<name>}. Counters and
 * gauges read the client's snapshots when scraped, so the hot path pays nothing; the
 * request timer is fed by the client's request observer ({@code method} and
 * {@code outcome} tags, requests only: cardinality stays bounded). Meters are removed
 * when the context closes.
 */
public class WebsockexMeters implements MeterBinder, DisposableBean {

	private final Supplier<Map<String, WebsockexClient>> clients;

	private final @Nullable ToDoubleFunction<String> listenerErrors;

	private final List<Meter> meters = new ArrayList<>();

	private final List<Disposable> observations = new ArrayList<>();

	private @Nullable MeterRegistry registry;

	/**
	 * Create the binder.
	 * @param clients the clients by name
	 * @param listenerErrors errors of {@code @WebsockexListener} methods so far, given a
	 * client's name; {@code null} when listeners are not in use
	 */
	public WebsockexMeters(Supplier<Map<String, WebsockexClient>> clients,
			@Nullable ToDoubleFunction<String> listenerErrors) {
		this.clients = clients;
		this.listenerErrors = listenerErrors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.clients.get().forEach((name, client) -> bind(registry, name, client));
	}

	private void bind(MeterRegistry registry, String name, WebsockexClient client) {
		Tags tags = Tags.of("client", name);
		counter(registry, "websockex.messages.received", "Data frames received", tags, null, client,
				(c) -> c.metrics().messagesReceived());
		counter(registry, "websockex.messages.sent", "Data frames sent", tags.and("type", "text"), null, client,
				(c) -> c.metrics().textMessagesSent());
		counter(registry, "websockex.messages.sent", "Data frames sent", tags.and("type", "binary"), null, client,
				(c) -> c.metrics().binaryMessagesSent());
		counter(registry, "websockex.bytes.received", "Payload bytes received", tags, "bytes", client,
				(c) -> c.metrics().bytesReceived());
		counter(registry, "websockex.bytes.sent", "Payload bytes sent", tags, "bytes", client,
				(c) -> c.metrics().bytesSent());
		counter(registry, "websockex.connection.attempts", "Connection attempts", tags.and("outcome", "success"), null,
				client, (c) -> c.metrics().connectionSuccesses());
		counter(registry, "websockex.connection.attempts", "Connection attempts", tags.and("outcome", "failure"), null,
				client, (c) -> c.metrics().connectionFailures());
		counter(registry, "websockex.reconnects", "Sessions opened after the first", tags, null, client,
				(c) -> c.metrics().reconnects());
		counter(registry, "websockex.heartbeat.failures", "Heartbeat failures", tags, null, client,
				(c) -> c.heartbeatHealth().totalFailures());
		counter(registry, "websockex.ratelimit.rejected", "Sends refused by a full rate-limit queue", tags, null,
				client, (c) -> c.metrics().rateLimitRejected());
		counter(registry, "websockex.inbound.overflows", "Subscribers terminated for falling behind", tags, null,
				client, (c) -> c.metrics().inboundOverflows());
		counter(registry, "websockex.inbound.rejected", "Sessions closed over bad server input",
				tags.and("reason", "too-large"), null, client, (c) -> c.metrics().inboundTooLarge());
		counter(registry, "websockex.inbound.rejected", "Sessions closed over bad server input",
				tags.and("reason", "protocol-error"), null, client, (c) -> c.metrics().protocolErrors());
		ToDoubleFunction<String> errors = this.listenerErrors;
		if (errors != null) {
			this.meters.add(FunctionCounter.builder("websockex.listener.errors", name, errors)
				.description("Errors thrown by @WebsockexListener methods")
				.tags(tags)
				.register(registry));
		}
		gauge(registry, "websockex.connected", "1 when connected, else 0", tags, client,
				(c) -> (c.state() == ConnectionState.CONNECTED) ? 1 : 0);
		if (client.role() != ClusterRole.NONE) {
			gauge(registry, "websockex.cluster.active", "1 when this instance is the active one, else 0", tags, client,
					(c) -> (c.role() == ClusterRole.ACTIVE) ? 1 : 0);
		}
		gauge(registry, "websockex.requests.pending", "Requests awaiting their response", tags, client,
				(c) -> c.metrics().pendingRequests());
		gauge(registry, "websockex.subscriptions", "Tracked channels", tags, client, (c) -> c.subscriptions().size());
		gauge(registry, "websockex.ratelimit.queued", "Sends waiting for rate-limit tokens", tags, client,
				(c) -> c.metrics().rateLimitQueued());
		this.meters.add(TimeGauge.builder("websockex.heartbeat.rtt", client, TimeUnit.MILLISECONDS, (c) -> {
			java.time.Duration rtt = c.heartbeatHealth().lastRoundTrip();
			return (rtt != null) ? rtt.toNanos() / 1e6 : Double.NaN;
		}).description("Last heartbeat round trip").tags(tags).register(registry));
		this.observations.add(client.observeRequests((outcome) -> recordRequest(registry, tags, outcome)));
	}

	private void recordRequest(MeterRegistry registry, Tags tags, RequestOutcome outcome) {
		Timer.builder("websockex.requests")
			.description("JSON-RPC requests")
			.tags(tags.and("method", outcome.method(), "outcome",
					outcome.outcome().name().toLowerCase(java.util.Locale.ROOT)))
			.register(registry)
			.record(outcome.duration());
	}

	private void counter(MeterRegistry registry, String name, String description, Tags tags, @Nullable String baseUnit,
			WebsockexClient client, ToDoubleFunction<WebsockexClient> value) {
		this.meters.add(FunctionCounter.builder(name, client, value)
			.description(description)
			.baseUnit(baseUnit)
			.tags(tags)
			.register(registry));
	}

	private void gauge(MeterRegistry registry, String name, String description, Tags tags, WebsockexClient client,
			ToDoubleFunction<WebsockexClient> value) {
		this.meters.add(Gauge.builder(name, client, value).description(description).tags(tags).register(registry));
	}

	@Override
	public void destroy() {
		this.observations.forEach(Disposable::dispose);
		this.observations.clear();
		if (this.registry != null) {
			this.meters.forEach(this.registry::remove);
			this.registry.find("websockex.requests").meters().forEach(this.registry::remove);
		}
		this.meters.clear();
	}

}
