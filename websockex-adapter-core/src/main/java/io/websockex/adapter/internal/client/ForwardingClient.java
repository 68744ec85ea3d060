package io.websockex.adapter.internal.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.SessionRotation;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link WebsockexClient} that forwards every call, {@code toString()} and the
 * interface's default methods included, to the client it wraps. Not API: it is public
 * only so that the Spring module's client bean can extend it. A subclass overrides just
 * the calls it changes, as {@link GatedClient} does for sending while standby:
 * <pre class="code">
 * class Audited extends ForwardingClient {
 *     Audited(WebsockexClient delegate) { super(delegate); }
 *     &#64;Override
 *     public Mono&lt;Void&gt; send(String text) { audit(text); return super.send(text); }
 * }
 * </pre> A method added to {@link WebsockexClient} is forwarded here, once, so that a
 * default method never answers for a wrapper instead of the client (a clustered client's
 * {@code role()} would read {@code NONE}).
 */
public abstract class ForwardingClient implements WebsockexClient {

	/** The client every call goes to. */
	protected final WebsockexClient delegate;

	/**
	 * Wrap a client.
	 * @param delegate the client every call goes to
	 */
	protected ForwardingClient(WebsockexClient delegate) {
		this.delegate = delegate;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public Config config() {
		return this.delegate.config();
	}

	@Override
	public void start() {
		this.delegate.start();
	}

	@Override
	public Mono<Void> awaitConnected() {
		return this.delegate.awaitConnected();
	}

	@Override
	public Mono<Void> awaitFirstAttempt() {
		return this.delegate.awaitFirstAttempt();
	}

	@Override
	public Mono<Void> send(String text) {
		return this.delegate.send(text);
	}

	@Override
	public Mono<Void> send(byte[] bytes) {
		return this.delegate.send(bytes);
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		return this.delegate.request(method, params);
	}

	@Override
	public Mono<JsonNode> sendRequest(ObjectNode message) {
		return this.delegate.sendRequest(message);
	}

	@Override
	public Mono<Void> subscribe(String... channels) {
		return this.delegate.subscribe(channels);
	}

	@Override
	public Mono<Void> unsubscribe(String... channels) {
		return this.delegate.unsubscribe(channels);
	}

	@Override
	public Set<String> subscriptions() {
		return this.delegate.subscriptions();
	}

	@Override
	public Flux<JsonNode> channel(String channel) {
		return this.delegate.channel(channel);
	}

	@Override
	public Flux<WebsockexMessage> messages() {
		return this.delegate.messages();
	}

	@Override
	public ConnectionState state() {
		return this.delegate.state();
	}

	@Override
	public Flux<ConnectionState> states() {
		return this.delegate.states();
	}

	@Override
	public ClientMetrics metrics() {
		return this.delegate.metrics();
	}

	@Override
	public HeartbeatHealth heartbeatHealth() {
		return this.delegate.heartbeatHealth();
	}

	@Override
	public @Nullable Instant authenticatedUntil() {
		return this.delegate.authenticatedUntil();
	}

	@Override
	public Flux<Instant> authentications() {
		return this.delegate.authentications();
	}

	@Override
	public Disposable observeRequests(Consumer<RequestOutcome> observer) {
		return this.delegate.observeRequests(observer);
	}

	@Override
	public Disposable observeRotations(Consumer<SessionRotation> observer) {
		return this.delegate.observeRotations(observer);
	}

	@Override
	public Mono<Void> disconnect() {
		return this.delegate.disconnect();
	}

	@Override
	public Mono<Void> close() {
		return this.delegate.close();
	}

	@Override
	public Mono<Void> reconnect() {
		return this.delegate.reconnect();
	}

	@Override
	public List<WebsockexClient> members() {
		return this.delegate.members();
	}

	@Override
	public double healthScore() {
		return this.delegate.healthScore();
	}

	@Override
	public ClusterRole role() {
		return this.delegate.role();
	}

	@Override
	public @Nullable Instant activeSince() {
		return this.delegate.activeSince();
	}

	@Override
	public Mono<Void> yieldActivation() {
		return this.delegate.yieldActivation();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
