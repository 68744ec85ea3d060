package io.websockex.adapter.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import io.websockex.adapter.WebsockexClients;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Binds every client's figures to Micrometer, tagged {@code client=<name>}. Counters and
 * gauges read the client's snapshots when scraped, so the hot path pays nothing; the
 * request timer is fed by the client's request observer ({@code method} and
 * {@code outcome} tags, requests only: cardinality stays bounded). Meters are removed
 * when the context closes, and a client's when it is
 * {@linkplain WebsockexClients#remove(String) removed} at run time; a client
 * {@linkplain WebsockexClients#register registered} at run time gets its meters at once.
 */
public class WebsockexMeters implements MeterBinder, WebsockexClients.Listener, DisposableBean {

	private final Supplier<Map<String, WebsockexClient>> clients;

	private final @Nullable ToDoubleFunction<String> listenerErrors;

	// Per client name: registration and removal may come from any thread.
	private final Map<String, Bound> bound = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

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

	@Override
	public void registered(WebsockexClient client) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			bind(registry, client.name(), client);
		}
	}

	@Override
	public void removed(WebsockexClient client) {
		MeterRegistry registry = this.registry;
		Bound bound = this.bound.remove(client.name());
		if (registry != null && bound != null) {
			bound.unbind(registry);
		}
	}

	private void bind(MeterRegistry registry, String name, WebsockexClient client) {
		Bound bound = new Bound(name);
		if (this.bound.putIfAbsent(name, bound) != null) {
			return;
		}
		List<Meter> meters = bound.meters;
		Tags tags = Tags.of("client", name);
		counter(meters, registry, "websockex.messages.received", "Data frames received", tags, null, client,
				(c) -> c.metrics().messagesReceived());
		counter(meters, registry, "websockex.messages.sent", "Data frames sent", tags.and("type", "text"), null, client,
				(c) -> c.metrics().textMessagesSent());
		counter(meters, registry, "websockex.messages.sent", "Data frames sent", tags.and("type", "binary"), null,
				client, (c) -> c.metrics().binaryMessagesSent());
		counter(meters, registry, "websockex.bytes.received", "Payload bytes received", tags, "bytes", client,
				(c) -> c.metrics().bytesReceived());
		counter(meters, registry, "websockex.bytes.sent", "Payload bytes sent", tags, "bytes", client,
				(c) -> c.metrics().bytesSent());
		counter(meters, registry, "websockex.connection.attempts", "Connection attempts",
				tags.and("outcome", "success"), null, client, (c) -> c.metrics().connectionSuccesses());
		counter(meters, registry, "websockex.connection.attempts", "Connection attempts",
				tags.and("outcome", "failure"), null, client, (c) -> c.metrics().connectionFailures());
		counter(meters, registry, "websockex.reconnects", "Sessions opened after the first", tags, null, client,
				(c) -> c.metrics().reconnects());
		counter(meters, registry, "websockex.rotations", "Sessions replaced without a gap before max-connection-age",
				tags, null, client, (c) -> c.metrics().rotations());
		counter(meters, registry, "websockex.heartbeat.failures", "Heartbeat failures", tags, null, client,
				(c) -> c.heartbeatHealth().totalFailures());
		counter(meters, registry, "websockex.ratelimit.rejected", "Sends refused by a full rate-limit queue", tags,
				null, client, (c) -> c.metrics().rateLimitRejected());
		counter(meters, registry, "websockex.inbound.overflows", "Subscribers terminated for falling behind", tags,
				null, client, (c) -> c.metrics().inboundOverflows());
		counter(meters, registry, "websockex.inbound.rejected", "Sessions closed over bad server input",
				tags.and("reason", "too-large"), null, client, (c) -> c.metrics().inboundTooLarge());
		counter(meters, registry, "websockex.inbound.rejected", "Sessions closed over bad server input",
				tags.and("reason", "protocol-error"), null, client, (c) -> c.metrics().protocolErrors());
		ToDoubleFunction<String> errors = this.listenerErrors;
		if (errors != null) {
			meters.add(FunctionCounter.builder("websockex.listener.errors", name, errors)
				.description("Errors thrown by @WebsockexListener methods")
				.tags(tags)
				.register(registry));
		}
		gauge(meters, registry, "websockex.connected", "1 when connected, else 0", tags, client,
				(c) -> (c.state() == ConnectionState.CONNECTED) ? 1 : 0);
		if (client.role() != ClusterRole.NONE) {
			gauge(meters, registry, "websockex.cluster.active", "1 when this instance is the active one, else 0", tags,
					client, (c) -> (c.role() == ClusterRole.ACTIVE) ? 1 : 0);
		}
		gauge(meters, registry, "websockex.requests.pending", "Requests awaiting their response", tags, client,
				(c) -> c.metrics().pendingRequests());
		gauge(meters, registry, "websockex.subscriptions", "Tracked channels", tags, client,
				(c) -> c.subscriptions().size());
		gauge(meters, registry, "websockex.ratelimit.queued", "Sends waiting for rate-limit tokens", tags, client,
				(c) -> c.metrics().rateLimitQueued());
		meters.add(TimeGauge.builder("websockex.heartbeat.rtt", client, TimeUnit.MILLISECONDS, (c) -> {
			java.time.Duration rtt = c.heartbeatHealth().lastRoundTrip();
			return (rtt != null) ? rtt.toNanos() / 1e6 : Double.NaN;
		}).description("Last heartbeat round trip").tags(tags).register(registry));
		bound.observation = client.observeRequests((outcome) -> recordRequest(registry, tags, outcome));
		List<WebsockexClient> members = client.members();
		for (int i = 0; i < members.size(); i++) {
			// Per connection of a pool, under names of their own: the client's meters
			// above are the pool as a whole, and one name keeps one set of tag keys.
			Tags member = tags.and("member", String.valueOf(i));
			gauge(meters, registry, "websockex.pool.member.connected", "1 when the pool member is connected, else 0",
					member, members.get(i), (c) -> (c.state() == ConnectionState.CONNECTED) ? 1 : 0);
			gauge(meters, registry, "websockex.pool.member.subscriptions", "Channels placed on the pool member", member,
					members.get(i), (c) -> c.subscriptions().size());
			gauge(meters, registry, "websockex.pool.member.health", "Health score of the pool member, 0 to 1", member,
					members.get(i), WebsockexClient::healthScore);
			counter(meters, registry, "websockex.pool.member.reconnects",
					"Sessions the pool member opened after its first", member, null, members.get(i),
					(c) -> c.metrics().reconnects());
		}
	}

	private void recordRequest(MeterRegistry registry, Tags tags, RequestOutcome outcome) {
		// Percentiles by default (a MeterFilter can still change them): request latency
		// is
		// what a trading client is judged by, and a timer without them shows only a mean.
		Timer.builder("websockex.requests")
			.description("JSON-RPC requests")
			.publishPercentiles(0.5, 0.9, 0.99)
			.tags(tags.and("method", outcome.method(), "outcome",
					outcome.outcome().name().toLowerCase(java.util.Locale.ROOT)))
			.register(registry)
			.record(outcome.duration());
	}

	private void counter(List<Meter> meters, MeterRegistry registry, String name, String description, Tags tags,
			@Nullable String baseUnit, WebsockexClient client, ToDoubleFunction<WebsockexClient> value) {
		meters.add(FunctionCounter.builder(name, client, value)
			.description(description)
			.baseUnit(baseUnit)
			.tags(tags)
			.register(registry));
	}

	private void gauge(List<Meter> meters, MeterRegistry registry, String name, String description, Tags tags,
			WebsockexClient client, ToDoubleFunction<WebsockexClient> value) {
		meters.add(Gauge.builder(name, client, value).description(description).tags(tags).register(registry));
	}

	@Override
	public void destroy() {
		MeterRegistry registry = this.registry;
		for (String name : List.copyOf(this.bound.keySet())) {
			Bound bound = this.bound.remove(name);
			if (bound != null && registry != null) {
				bound.unbind(registry);
			}
		}
	}

	/**
	 * One client's meters and request observation.
	 */
	private static final class Bound {

		final String client;

		final List<Meter> meters = new ArrayList<>();

		@Nullable Disposable observation;

		Bound(String client) {
			this.client = client;
		}

		void unbind(MeterRegistry registry) {
			Disposable observation = this.observation;
			if (observation != null) {
				observation.dispose();
			}
			this.meters.forEach(registry::remove);
			// Request timers are made per method and outcome as requests end.
			registry.find("websockex.requests").tag("client", this.client).meters().forEach(registry::remove);
		}

	}

}
