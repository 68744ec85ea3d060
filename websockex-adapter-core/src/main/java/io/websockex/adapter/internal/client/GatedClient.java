package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.time.Instant;

import io.websockex.adapter.ActivationGate;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.Config;
import io.websockex.adapter.NotActiveException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.internal.SerialExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client that connects only while its {@link ActivationGate} says this instance is the
 * active one. It wraps the client that owns the connection and decides only when that one
 * starts and disconnects: the wanted state ({@code started}, by the user or the context)
 * and the granted one ({@code active}, by the gate) change on one {@link SerialExecutor},
 * so a grant and a revoke arriving from different threads take effect in order, and the
 * connection's own start and disconnect are queued in that same order. What is not about
 * activation (channels, state, metrics, and a gated pool's members, each gated through
 * this client) is forwarded by {@link ForwardingClient}.
 */
public final class GatedClient extends ForwardingClient {

	private static final Logger logger = LoggerFactory.getLogger(GatedClient.class);

	private static final Duration YIELD_MARGIN = Duration.ofSeconds(5);

	private static final Duration YIELD_POLL = Duration.ofMillis(20);

	private final ActivationGate gate;

	private final SerialExecutor serial;

	// Owned by the serial executor.
	private boolean started;

	private boolean closed;

	private ActivationGate.@Nullable Registration registration;

	// Written on the serial executor, read by sends on any thread.
	private volatile boolean active;

	private volatile @Nullable Instant activeSince;

	/**
	 * Wrap a client; use {@link WebsockexClient#create(String, Config)} with a gate in
	 * the configuration.
	 * @param delegate the client that owns the connection, not started
	 * @param gate the gate
	 */
	public GatedClient(WebsockexClient delegate, ActivationGate gate) {
		super(delegate);
		this.gate = gate;
		this.serial = new SerialExecutor("activation of websockex client '" + delegate.name() + "'");
	}

	// ---- what the gate and the user change ----

	@Override
	public void start() {
		this.serial.execute(() -> {
			if (this.closed || this.started) {
				return;
			}
			this.started = true;
			if (this.registration == null) {
				this.registration = this.gate.join(name(), new Member());
			}
			if (this.active) {
				this.delegate.start();
			}
			else {
				logger.info("websockex client '{}' is a standby: it connects when this instance becomes active",
						name());
			}
		});
	}

	@Override
	public Mono<Void> disconnect() {
		return shutDown(false);
	}

	@Override
	public Mono<Void> close() {
		return shutDown(true);
	}

	// Disconnected first, then the gate left: another instance may take over only once
	// this one's session is closed. Queued now, not on subscription, as the wrapped
	// client's own close() and disconnect() act at the call: a caller that ignores the
	// Mono (WebsockexClients.remove) must not leave the session open and the gate joined.
	private Mono<Void> shutDown(boolean forGood) {
		Sinks.Empty<Void> done = Sinks.empty();
		this.serial.execute(() -> {
			this.started = false;
			this.closed |= forGood;
			ActivationGate.Registration leaving = this.registration;
			this.registration = null;
			Mono<Void> shutdown = forGood ? this.delegate.close() : this.delegate.disconnect();
			shutdown.doFinally((signal) -> {
				leave(leaving);
				done.tryEmitEmpty();
			})
				.subscribe(null, (error) -> logger.warn("websockex client '{}' did not shut down cleanly: {}", name(),
						error.toString()));
		});
		return done.asMono();
	}

	private void leave(ActivationGate.@Nullable Registration registration) {
		if (registration == null) {
			return;
		}
		try {
			registration.leave();
		}
		catch (RuntimeException ex) {
			logger.warn("websockex client '{}': leaving the activation gate failed: {}", name(), ex.toString());
		}
	}

	private void activate() {
		this.serial.execute(() -> {
			if (this.active || this.closed) {
				return;
			}
			this.activeSince = Instant.now();
			this.active = true;
			logger.info("websockex client '{}' is now active on this instance", name());
			if (this.started) {
				this.delegate.start();
			}
		});
	}

	private Mono<Void> deactivate() {
		return Mono.defer(() -> {
			Sinks.Empty<Void> done = Sinks.empty();
			this.serial.execute(() -> {
				if (!this.active) {
					done.tryEmitEmpty();
					return;
				}
				this.active = false;
				this.activeSince = null;
				logger.info("websockex client '{}' is no longer active on this instance: disconnecting", name());
				this.delegate.disconnect().doFinally((signal) -> done.tryEmitEmpty()).subscribe(null, (error) -> {
				});
			});
			return done.asMono();
		});
	}

	/** The gate's view of this client. */
	private final class Member implements ActivationGate.Member {

		@Override
		public void activate() {
			GatedClient.this.activate();
		}

		@Override
		public Mono<Void> deactivate() {
			return GatedClient.this.deactivate();
		}

	}

	@Override
	public ClusterRole role() {
		return this.active ? ClusterRole.ACTIVE : ClusterRole.STANDBY;
	}

	@Override
	public @Nullable Instant activeSince() {
		return this.activeSince;
	}

	@Override
	public Mono<Void> yieldActivation() {
		return Mono.defer(() -> {
			Sinks.Empty<Void> asked = Sinks.empty();
			this.serial.execute(() -> {
				ActivationGate.Registration current = this.registration;
				if (this.active && current != null) {
					current.yieldActivation();
				}
				asked.tryEmitEmpty();
			});
			// The gate deactivates on its own thread: wait (bounded) until it has.
			Duration wait = config().shutdownTimeout().plus(YIELD_MARGIN);
			return asked.asMono()
				.thenMany(Flux.interval(Duration.ZERO, YIELD_POLL))
				.filter((tick) -> !this.active)
				.next()
				.timeout(wait,
						Mono.error(() -> new IllegalStateException("websockex client '" + name() + "' was still active "
								+ wait + " after yielding; check its activation gate")))
				.then();
		});
	}

	// ---- sending: a standby says where the connection is ----

	private <T> Mono<T> whenActive(Mono<T> action) {
		return Mono.defer(() -> this.active ? action : Mono.error(new NotActiveException(name())));
	}

	@Override
	public Mono<Void> send(String text) {
		return whenActive(this.delegate.send(text));
	}

	@Override
	public Mono<Void> send(byte[] bytes) {
		return whenActive(this.delegate.send(bytes));
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		return whenActive(this.delegate.request(method, params));
	}

	@Override
	public Mono<JsonNode> sendRequest(ObjectNode message) {
		return whenActive(this.delegate.sendRequest(message));
	}

	@Override
	public Mono<Void> reconnect() {
		return whenActive(this.delegate.reconnect());
	}

	@Override
	public String toString() {
		return this.delegate + "[" + role() + "]";
	}

}
