package io.websockex.adapter.internal.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.Latency;
import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.NotConnectedException;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.WebsockexMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link WebsockexClient} over {@code pool.size} connections, each a
 * {@link ManagedClient} of its own (member {@code <name>#<i>}) that reconnects and
 * restores its own channels. Channels are placed on the member with the most room and
 * stay there; {@link #channel}, {@link #messages} and {@link #states} merge the members;
 * requests and sends go to the connected member with the best
 * {@linkplain WebsockexClient#healthScore() health score}, and one refused before it was
 * sent (that member just lost its connection) goes to the next best. The placement is the
 * only state of its own, changed under one lock, never across a call to a member.
 */
public final class PooledClient implements WebsockexClient {

	private final String name;

	private final Config config;

	private final List<WebsockexClient> members;

	private final int maxPerMember;

	// Guarded by `this`: which member carries each channel, in subscription order.
	private final Map<String, Integer> placement = new LinkedHashMap<>();

	private final int[] load;

	/**
	 * Create a pool; use {@link WebsockexClient#create(String, Config)} with
	 * {@code poolSize} above 1.
	 * @param name the client's name
	 * @param config the configuration, shared by every member
	 * @param httpClientCustomizer adjusts each member's Reactor Netty client
	 */
	public PooledClient(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer) {
		this.name = name;
		this.config = config;
		int size = config.poolSize();
		this.maxPerMember = config.maxSubscriptionsPerConnection();
		this.load = new int[size];
		// The configured channels are placed like any others, each member subscribing to
		// its share on every connect.
		List<List<String>> shares = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			shares.add(new ArrayList<>());
		}
		for (String channel : config.subscriptions()) {
			int member = leastLoaded();
			this.placement.put(channel, member);
			this.load[member]++;
			shares.get(member).add(channel);
		}
		List<WebsockexClient> members = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Config memberConfig = config.toBuilder()
				.poolSize(1)
				.maxSubscriptionsPerConnection(Integer.MAX_VALUE)
				.subscriptions(shares.get(i))
				.build();
			members.add(new ManagedClient(name + "#" + i, memberConfig, httpClientCustomizer));
		}
		this.members = Collections.unmodifiableList(members);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Config config() {
		return this.config;
	}

	@Override
	public List<WebsockexClient> members() {
		return this.members;
	}

	// ---- lifecycle: every member ----

	@Override
	public void start() {
		this.members.forEach(WebsockexClient::start);
	}

	@Override
	public Mono<Void> disconnect() {
		return all(WebsockexClient::disconnect);
	}

	@Override
	public Mono<Void> close() {
		return all(WebsockexClient::close);
	}

	@Override
	public Mono<Void> reconnect() {
		return all(WebsockexClient::reconnect);
	}

	// Each member is called now, not on subscription: a member's close() and
	// disconnect() act at the call (their Mono only reports), and so must the pool's, or
	// a caller that ignores the Mono (WebsockexClients.remove) leaves every member open.
	private Mono<Void> all(Function<WebsockexClient, Mono<Void>> action) {
		return Mono.when(this.members.stream().map(action).toList());
	}

	// The pool is up as soon as one member is; it fails only when every member has.
	@Override
	public Mono<Void> awaitConnected() {
		return Mono.firstWithValue(this.members.stream().map((m) -> m.awaitConnected().thenReturn(m)).toList()).then();
	}

	@Override
	public Mono<Void> awaitFirstAttempt() {
		return Mono.firstWithValue(this.members.stream().map((m) -> m.awaitFirstAttempt().thenReturn(m)).toList())
			.then();
	}

	// ---- sends and requests: the healthiest member ----

	@Override
	public Mono<Void> send(String text) {
		return routed((member) -> member.send(text));
	}

	@Override
	public Mono<Void> send(byte[] bytes) {
		return routed((member) -> member.send(bytes));
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		return routed((member) -> member.request(method, params));
	}

	@Override
	public Mono<JsonNode> sendRequest(ObjectNode message) {
		return routed((member) -> member.sendRequest(message));
	}

	// Members by score, best first, tried in turn while each refuses with
	// NotConnectedException: that refusal comes before anything is written, so the call
	// was not sent and may go elsewhere. Any other error (in flight when the connection
	// dropped, a timeout, an error answer) is the caller's, as with one connection.
	private <T> Mono<T> routed(Function<WebsockexClient, Mono<T>> call) {
		return Mono.defer(() -> {
			List<WebsockexClient> ranked = ranked();
			if (ranked.isEmpty()) {
				return Mono.error(new NotConnectedException(this.name, state()));
			}
			Mono<T> attempt = call.apply(ranked.get(0));
			for (int i = 1; i < ranked.size(); i++) {
				WebsockexClient next = ranked.get(i);
				attempt = attempt.onErrorResume(NotConnectedException.class, (error) -> call.apply(next));
			}
			return attempt;
		});
	}

	private List<WebsockexClient> ranked() {
		List<WebsockexClient> connected = new ArrayList<>(this.members.size());
		double[] scores = new double[this.members.size()];
		for (int i = 0; i < this.members.size(); i++) {
			WebsockexClient member = this.members.get(i);
			scores[i] = member.healthScore();
			if (scores[i] > 0) {
				connected.add(member);
			}
		}
		connected.sort((a, b) -> Double.compare(scores[this.members.indexOf(b)], scores[this.members.indexOf(a)]));
		return connected;
	}

	@Override
	public Disposable observeRequests(Consumer<RequestOutcome> observer) {
		Disposable.Composite all = Disposables.composite();
		this.members.forEach((member) -> all.add(member.observeRequests(observer)));
		return all;
	}

	// ---- subscriptions: placed where there is room ----

	@Override
	public Mono<Void> subscribe(String... channels) {
		return Mono.defer(() -> {
			Map<Integer, List<String>> byMember;
			synchronized (this) {
				byMember = place(channels);
			}
			return Flux.fromIterable(byMember.entrySet())
				.flatMap((entry) -> this.members.get(entry.getKey()).subscribe(entry.getValue().toArray(String[]::new)))
				.then();
		});
	}

	// Owned by the lock: all or nothing, so a subscribe that does not fit changes
	// nothing.
	private Map<Integer, List<String>> place(String... channels) {
		Set<String> fresh = new LinkedHashSet<>();
		for (String channel : channels) {
			if (!this.placement.containsKey(channel)) {
				fresh.add(channel);
			}
		}
		long capacity = (long) this.members.size() * this.maxPerMember;
		if (this.placement.size() + fresh.size() > capacity) {
			throw new WebsockexException("websockex client '" + this.name + "': subscribing to " + fresh.size()
					+ " more channels would carry " + (this.placement.size() + fresh.size())
					+ ", but its pool holds at most " + capacity + " (pool.size " + this.members.size()
					+ " x pool.max-subscriptions-per-connection " + this.maxPerMember
					+ "); raise pool.size, or unsubscribe from channels first");
		}
		Map<Integer, List<String>> byMember = new LinkedHashMap<>();
		for (String channel : fresh) {
			int member = leastLoaded();
			this.placement.put(channel, member);
			this.load[member]++;
			byMember.computeIfAbsent(member, (m) -> new ArrayList<>()).add(channel);
		}
		// Channels already placed are subscribed again where they are (the server's
		// confirmation is what the caller waits for).
		for (String channel : channels) {
			if (!fresh.contains(channel)) {
				byMember.computeIfAbsent(this.placement.get(channel), (m) -> new ArrayList<>()).add(channel);
			}
		}
		return byMember;
	}

	private int leastLoaded() {
		int best = 0;
		for (int i = 1; i < this.load.length; i++) {
			if (this.load[i] < this.load[best]) {
				best = i;
			}
		}
		return best;
	}

	@Override
	public Mono<Void> unsubscribe(String... channels) {
		return Mono.defer(() -> {
			Map<Integer, List<String>> byMember = new LinkedHashMap<>();
			synchronized (this) {
				for (String channel : channels) {
					Integer member = this.placement.remove(channel);
					if (member != null) {
						this.load[member]--;
						byMember.computeIfAbsent(member, (m) -> new ArrayList<>()).add(channel);
					}
				}
			}
			return Flux.fromIterable(byMember.entrySet())
				.flatMap((entry) -> this.members.get(entry.getKey())
					.unsubscribe(entry.getValue().toArray(String[]::new)))
				.then();
		});
	}

	@Override
	public synchronized Set<String> subscriptions() {
		return Collections.unmodifiableSet(new LinkedHashSet<>(this.placement.keySet()));
	}

	/**
	 * The member that carries a channel.
	 * @param channel the channel
	 * @return its member's index, or -1 if the channel is not subscribed
	 */
	public synchronized int memberOf(String channel) {
		Integer member = this.placement.get(channel);
		return (member != null) ? member : -1;
	}

	// ---- streams and snapshots: merged ----

	@Override
	public Flux<JsonNode> channel(String channel) {
		return Flux.merge(this.members.stream().map((member) -> member.channel(channel)).toList());
	}

	@Override
	public Flux<WebsockexMessage> messages() {
		return Flux.merge(this.members.stream().map(WebsockexClient::messages).toList());
	}

	@Override
	public ConnectionState state() {
		boolean connecting = false;
		for (WebsockexClient member : this.members) {
			ConnectionState state = member.state();
			if (state == ConnectionState.CONNECTED) {
				return ConnectionState.CONNECTED;
			}
			connecting |= state == ConnectionState.CONNECTING;
		}
		return connecting ? ConnectionState.CONNECTING : ConnectionState.DISCONNECTED;
	}

	@Override
	public Flux<ConnectionState> states() {
		return Flux.merge(this.members.stream().map(WebsockexClient::states).toList())
			.map((ignored) -> state())
			.distinctUntilChanged();
	}

	@Override
	public double healthScore() {
		double best = 0;
		for (WebsockexClient member : this.members) {
			best = Math.max(best, member.healthScore());
		}
		return best;
	}

	@Override
	public ClientMetrics metrics() {
		List<ClientMetrics> all = this.members.stream().map(WebsockexClient::metrics).toList();
		ConnectionState state = state();
		Instant since = null;
		int attempt = Integer.MAX_VALUE;
		ClientMetrics last = all.get(0);
		for (ClientMetrics m : all) {
			if (m.connectedSince() != null && (since == null || m.connectedSince().isBefore(since))) {
				since = m.connectedSince();
			}
			attempt = Math.min(attempt, m.currentAttempt());
			if (m.lastErrorAt() != null
					&& (last.lastErrorAt() == null || m.lastErrorAt().isAfter(last.lastErrorAt()))) {
				last = m;
			}
		}
		DisconnectReason reason = (state == ConnectionState.DISCONNECTED) ? all.get(0).disconnectReason()
				: DisconnectReason.NOT_STARTED;
		return new ClientMetrics(state, since, sum(all, ClientMetrics::connectionAttempts),
				sum(all, ClientMetrics::connectionSuccesses), sum(all, ClientMetrics::connectionFailures),
				sum(all, ClientMetrics::reconnects), attempt, reason, last.lastError(), last.lastErrorAt(),
				sum(all, ClientMetrics::messagesReceived), sum(all, ClientMetrics::messagesSent),
				sum(all, ClientMetrics::textMessagesSent), sum(all, ClientMetrics::binaryMessagesSent),
				sum(all, ClientMetrics::bytesReceived), sum(all, ClientMetrics::bytesSent),
				sum(all, ClientMetrics::inboundOverflows), sum(all, ClientMetrics::inboundTooLarge),
				sum(all, ClientMetrics::protocolErrors), (int) sum(all, ClientMetrics::pendingRequests),
				subscriptions().size(), (long) sum(all, ClientMetrics::rateLimitTokens),
				(int) sum(all, ClientMetrics::rateLimitQueued), sum(all, ClientMetrics::rateLimitRejected),
				sum(all, ClientMetrics::rotations), lastRotation(all), busiest(all, ClientMetrics::requestLatency),
				busiest(all, ClientMetrics::heartbeatLatency));
	}

	private static @Nullable Instant lastRotation(List<ClientMetrics> all) {
		Instant last = null;
		for (ClientMetrics metrics : all) {
			Instant at = metrics.lastRotationAt();
			if (at != null && (last == null || at.isAfter(last))) {
				last = at;
			}
		}
		return last;
	}

	// Percentiles do not add up: the pool shows those of the member that measured the
	// most round trips in the window (requests go to the healthiest member).
	private static Latency busiest(List<ClientMetrics> all,
			java.util.function.Function<ClientMetrics, Latency> figure) {
		Latency busiest = Latency.NONE;
		for (ClientMetrics metrics : all) {
			Latency latency = figure.apply(metrics);
			if (latency.count() > busiest.count()) {
				busiest = latency;
			}
		}
		return busiest;
	}

	private static long sum(List<ClientMetrics> all, java.util.function.ToLongFunction<ClientMetrics> figure) {
		long sum = 0;
		for (ClientMetrics metrics : all) {
			sum += figure.applyAsLong(metrics);
		}
		return sum;
	}

	// The heartbeat of the healthiest member: the one requests go to.
	@Override
	public HeartbeatHealth heartbeatHealth() {
		List<WebsockexClient> ranked = ranked();
		return (ranked.isEmpty() ? this.members.get(0) : ranked.get(0)).heartbeatHealth();
	}

	@Override
	public String toString() {
		return "WebsockexClient[" + this.name + ", " + this.config.maskedUrl() + ", pool of " + this.members.size()
				+ ", " + state() + "]";
	}

}
