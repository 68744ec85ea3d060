package io.websockex.adapter.autoconfigure;

import java.time.Duration;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.internal.client.ForwardingClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The bean behind each auto-configured {@link WebsockexClient}: the core client (every
 * call forwarded by the core's {@link ForwardingClient}) tied to the application
 * context's lifecycle. It starts with the context when {@code auto-startup} is set (and,
 * with {@code fail-fast}, makes the start fail if the first connection fails), closes it
 * when the context stops (waiting up to {@code shutdown-timeout}), and publishes
 * {@link WebsockexConnectedEvent}, {@link WebsockexAuthenticatedEvent} and
 * {@link WebsockexDisconnectedEvent}.
 */
final class WebsockexClientLifecycle extends ForwardingClient implements SmartLifecycle, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(WebsockexClientLifecycle.class);

	// The core's own timers bound the handshake and the connect; this only guards
	// against waiting forever if they were ever not to fire.
	private static final Duration MARGIN = Duration.ofSeconds(1);

	private final boolean autoStartup;

	private final boolean failFast;

	private final int phase;

	private final ApplicationEventPublisher publisher;

	private final Disposable events;

	private volatile boolean running;

	WebsockexClientLifecycle(WebsockexClient delegate, boolean autoStartup, boolean failFast, int phase,
			ApplicationEventPublisher publisher) {
		super(delegate);
		this.autoStartup = autoStartup;
		this.failFast = failFast;
		this.phase = phase;
		this.publisher = publisher;
		this.events = Disposables.composite(publishEvents(), publishRotations());
	}

	// A rotation changes no state: it has its own observer, and its own event.
	private Disposable publishRotations() {
		return this.delegate.observeRotations((rotation) -> Schedulers.boundedElastic()
			.schedule(() -> publish(new WebsockexSessionRotatedEvent(this, rotation))));
	}

	private Disposable publishEvents() {
		// The event is captured where the state changes (so reason and message belong to
		// that change), then published off the I/O thread: listeners may block.
		return this.delegate.states().<ApplicationEvent>handle((state, sink) -> {
			ApplicationEvent event = eventFor(state);
			if (event != null) {
				sink.next(event);
			}
		})
			.mergeWith(this.delegate.authentications().map((until) -> new WebsockexAuthenticatedEvent(this, until)))
			.publishOn(Schedulers.boundedElastic())
			.subscribe(this::publish);
	}

	private @Nullable ApplicationEvent eventFor(ConnectionState state) {
		if (state == ConnectionState.CONNECTED) {
			return new WebsockexConnectedEvent(this);
		}
		if (state == ConnectionState.DISCONNECTED) {
			ClientMetrics metrics = this.delegate.metrics();
			if (metrics.disconnectReason() != DisconnectReason.NOT_STARTED) {
				return new WebsockexDisconnectedEvent(this, metrics.disconnectReason(), metrics.lastError());
			}
		}
		return null;
	}

	private void publish(ApplicationEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// A listener's failure, or a context already closed: the client goes on.
			logger.warn("websockex client '{}': publishing {} failed: {}", name(), event.getClass().getSimpleName(),
					ex.toString());
		}
	}

	// ---- SmartLifecycle ----

	@Override
	public void start() {
		this.delegate.start();
		this.running = true;
		if (this.failFast && this.delegate.role() != ClusterRole.NONE) {
			// Whether this instance connects is the election's to decide, later.
			logger.info("websockex client '{}': fail-fast does not apply with cluster: single-active, where a "
					+ "standby does not connect", name());
		}
		else if (this.failFast) {
			awaitFirstConnection();
		}
	}

	private void awaitFirstConnection() {
		if (Schedulers.isInNonBlockingThread()) {
			logger.warn("websockex client '{}': fail-fast cannot wait for the connection on a non-blocking thread; "
					+ "starting without waiting", name());
			return;
		}
		// Fail on the first failed attempt, not only once retries are exhausted: the core
		// signals the first attempt's outcome after start().
		Duration timeout = this.delegate.config().connectTimeout().plus(MARGIN);
		try {
			this.delegate.awaitFirstAttempt().timeout(timeout).block();
		}
		catch (RuntimeException ex) {
			String lastError = this.delegate.metrics().lastError();
			String reason = (lastError != null) ? lastError : "not connected within " + timeout;
			this.running = false;
			this.delegate.close().subscribe(null, (error) -> {
			});
			throw new WebsockexStartupException(name(), this.delegate.config().maskedUrl(), reason, ex);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		await(this.delegate.disconnect(), "stop");
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		this.delegate.disconnect()
			.timeout(this.delegate.config().shutdownTimeout().plus(MARGIN))
			.doFinally((signal) -> callback.run())
			.subscribe(null, (error) -> logger.warn("websockex client '{}' did not stop within {}: {}", name(),
					this.delegate.config().shutdownTimeout(), error.toString()));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public Mono<Void> close() {
		// A client removed at run time is closed this way, not destroyed as a bean.
		this.running = false;
		return this.delegate.close().doFinally((signal) -> this.events.dispose());
	}

	@Override
	public void destroy() {
		await(this.delegate.close(), "close");
		this.events.dispose();
	}

	private void await(Mono<Void> shutdown, String what) {
		try {
			shutdown.block(this.delegate.config().shutdownTimeout().plus(MARGIN));
		}
		catch (RuntimeException ex) {
			logger.warn("websockex client '{}' did not {} within {}: {}", name(), what,
					this.delegate.config().shutdownTimeout(), ex.toString());
		}
	}

}
