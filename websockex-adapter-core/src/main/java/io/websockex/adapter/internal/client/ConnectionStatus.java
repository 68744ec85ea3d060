package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.SessionRotation;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.internal.SerialExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * What the {@link ConnectionLoop} tells the world: the state and its stream, the last
 * error, and the callers waiting for an outcome (connected, first attempt over, closed).
 * Single writer: the loop's {@link SerialExecutor}, which is the only caller of the
 * methods marked "owned"; everything else may be read from any thread.
 */
final class ConnectionStatus {

	private static final long NOT_CONNECTED = Long.MIN_VALUE;

	private static final Logger logger = LoggerFactory.getLogger(ConnectionStatus.class);

	private static final VarHandle CLOSED;

	private static final VarHandle ROTATION_OBSERVERS;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(ConnectionStatus.class, "closed", Sinks.Empty.class);
			ROTATION_OBSERVERS = MethodHandles.lookup()
				.findVarHandle(ConnectionStatus.class, "rotationObservers", List.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String name;

	private final SerialExecutor owner;

	// Owned; each made for its first waiter and dropped once settled: after start-up an
	// idle client has none.
	private @Nullable Waiters connectWaiters;

	private @Nullable Waiters firstAttemptWaiters;

	// Emitted only by the owner: one emitter at a time, so the unserialized (smaller)
	// sinks are safe. Made on the first states() subscription, by the owner, and seeded
	// there with the state of the moment: most clients never have one, and a replaying
	// sink keeps its latest value in nodes of its own.
	private volatile Sinks.@Nullable Many<ConnectionState> states;

	// Made by the first close(), through CLOSED (any caller's thread; CAS, first wins):
	// most clients live as long as the JVM. Emitted only by the owner.
	private volatile Sinks.@Nullable Empty<Void> closed;

	// Owned: the outcome of the first attempt since start(), once it is over.
	private boolean firstAttemptOver;

	private @Nullable Throwable firstAttemptError;

	// Written only by the owner.
	private volatile ConnectionState state = ConnectionState.DISCONNECTED;

	private volatile DisconnectReason disconnectReason = DisconnectReason.NOT_STARTED;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	// Epoch nanos, or NOT_CONNECTED: a long in place of an Instant kept for the whole
	// session.
	private volatile long connectedSince = NOT_CONNECTED;

	private volatile int currentAttempt;

	private volatile @Nullable Instant lastRotationAt;

	// An immutable snapshot swapped by CAS (ROTATION_OBSERVERS): changed almost never,
	// and with no observer it costs a client nothing.
	private volatile List<Consumer<SessionRotation>> rotationObservers = List.of();

	private volatile boolean closedForGood;

	ConnectionStatus(String name, SerialExecutor owner) {
		this.name = name;
		this.owner = owner;
	}

	// ---- for readers on any thread ----

	ConnectionState state() {
		return this.state;
	}

	DisconnectReason disconnectReason() {
		return this.disconnectReason;
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	@Nullable Instant lastErrorAt() {
		return this.lastErrorAt;
	}

	@Nullable Instant connectedSince() {
		long since = this.connectedSince;
		return (since != NOT_CONNECTED) ? Instant.ofEpochSecond(0, since) : null;
	}

	int currentAttempt() {
		return this.currentAttempt;
	}

	@Nullable Instant lastRotationAt() {
		return this.lastRotationAt;
	}

	boolean isClosed() {
		return this.closedForGood;
	}

	Flux<ConnectionState> states() {
		return Flux.defer(() -> {
			Sinks.Many<ConnectionState> sink = this.states;
			if (sink == null) {
				// Runs here and now unless another thread is running a transition.
				this.owner.execute(this::statesSink);
				sink = this.states;
			}
			if (sink != null) {
				return sink.asFlux();
			}
			// Another thread runs transitions: the task above makes the sink before this
			// one runs.
			return Mono
				.<Flux<ConnectionState>>create(
						(created) -> this.owner.execute(() -> created.success(statesSink().asFlux())))
				.flatMapMany(Function.identity());
		});
	}

	// Owned.
	private Sinks.Many<ConnectionState> statesSink() {
		Sinks.Many<ConnectionState> sink = this.states;
		if (sink == null) {
			sink = Sinks.unsafe().many().replay().latest();
			sink.tryEmitNext(this.state);
			if (this.closedForGood) {
				sink.tryEmitComplete();
			}
			this.states = sink;
		}
		return sink;
	}

	Mono<Void> awaitConnected() {
		return Mono.create((waiter) -> this.owner.execute(() -> {
			if (settles(this.state)) {
				settle(waiter);
			}
			else if (this.closedForGood) {
				waiter.error(new ClientClosedException(this.name, "waiting for CONNECTED"));
			}
			else {
				Waiters waiters = this.connectWaiters;
				if (waiters == null) {
					waiters = new Waiters();
					this.connectWaiters = waiters;
				}
				enlist(waiters, waiter);
			}
		}));
	}

	Mono<Void> awaitFirstAttempt() {
		return Mono.create((waiter) -> this.owner.execute(() -> {
			if (this.firstAttemptOver) {
				Throwable error = this.firstAttemptError;
				if (error != null) {
					waiter.error(error);
				}
				else {
					waiter.success();
				}
			}
			else if (this.closedForGood) {
				waiter.error(new ClientClosedException(this.name, "waiting for the first connection attempt"));
			}
			else {
				Waiters waiters = this.firstAttemptWaiters;
				if (waiters == null) {
					waiters = new Waiters();
					this.firstAttemptWaiters = waiters;
				}
				enlist(waiters, waiter);
			}
		}));
	}

	// Owned.
	private void enlist(Waiters waiters, MonoSink<Void> waiter) {
		waiters.add(waiter);
		waiter.onCancel(() -> this.owner.execute(() -> {
			waiters.remove(waiter);
			if (waiters.isEmpty()) {
				if (this.connectWaiters == waiters) {
					this.connectWaiters = null;
				}
				if (this.firstAttemptWaiters == waiters) {
					this.firstAttemptWaiters = null;
				}
			}
		}));
	}

	/**
	 * Completes once the client is closed for good.
	 * @return the signal, made by the first caller
	 */
	Mono<Void> closed() {
		Sinks.Empty<Void> closed = this.closed;
		if (closed == null) {
			Sinks.Empty<Void> created = Sinks.unsafe().empty();
			@SuppressWarnings("unchecked")
			Sinks.Empty<Void> witness = (Sinks.Empty<Void>) CLOSED.compareAndExchange(this, null, created);
			closed = (witness != null) ? witness : created;
		}
		return closed.asMono();
	}

	// ---- owned: the loop's transitions report here ----

	void set(ConnectionState next) {
		if (this.state == next) {
			return;
		}
		this.state = next;
		Sinks.Many<ConnectionState> states = this.states;
		if (states != null) {
			states.tryEmitNext(next);
		}
		Waiters waiters = this.connectWaiters;
		if (waiters != null && settles(next)) {
			this.connectWaiters = null;
			if (next == ConnectionState.CONNECTED) {
				waiters.succeed();
			}
			else {
				waiters.fail(this::didNotConnect);
			}
		}
	}

	String recordError(String reason) {
		this.lastError = reason;
		this.lastErrorAt = Instant.now();
		return reason;
	}

	void disconnectReason(DisconnectReason reason) {
		this.disconnectReason = reason;
	}

	void currentAttempt(int attempt) {
		this.currentAttempt = attempt;
	}

	void connected(Instant now) {
		this.connectedSince = now.getEpochSecond() * 1_000_000_000L + now.getNano();
		this.currentAttempt = 0;
	}

	/**
	 * A new session replaced the old one without a gap; the state stays CONNECTED.
	 * @param rotation what happened
	 */
	void rotated(SessionRotation rotation) {
		this.lastRotationAt = rotation.at();
		for (Consumer<SessionRotation> observer : this.rotationObservers) {
			try {
				observer.accept(rotation);
			}
			catch (RuntimeException ex) {
				logger.warn("websockex client '{}': a rotation observer failed", this.name, ex);
			}
		}
	}

	Disposable observeRotations(Consumer<SessionRotation> observer) {
		changeRotationObservers((list) -> {
			List<Consumer<SessionRotation>> next = new ArrayList<>(list);
			next.add(observer);
			return next;
		});
		return () -> changeRotationObservers((list) -> {
			List<Consumer<SessionRotation>> next = new ArrayList<>(list);
			next.remove(observer);
			return next;
		});
	}

	private void changeRotationObservers(UnaryOperator<List<Consumer<SessionRotation>>> change) {
		List<Consumer<SessionRotation>> current;
		List<Consumer<SessionRotation>> next;
		do {
			current = this.rotationObservers;
			next = List.copyOf(change.apply(current));
		}
		while (!ROTATION_OBSERVERS.compareAndSet(this, current, next));
	}

	void notConnected() {
		this.connectedSince = NOT_CONNECTED;
	}

	/** A start(): the next attempt is the first one. */
	void starting() {
		this.firstAttemptOver = false;
		this.firstAttemptError = null;
	}

	/**
	 * The first attempt since start() is over: settle whoever waits for it, once.
	 * @param error why it failed, or {@code null} when it connected
	 */
	void firstAttemptOver(@Nullable Throwable error) {
		if (this.firstAttemptOver) {
			return;
		}
		this.firstAttemptOver = true;
		this.firstAttemptError = error;
		Waiters waiters = this.firstAttemptWaiters;
		if (waiters == null) {
			return;
		}
		this.firstAttemptWaiters = null;
		if (error != null) {
			waiters.fail(() -> error);
		}
		else {
			waiters.succeed();
		}
	}

	/**
	 * Stopped by the user: closed for good, or disconnected to be started again.
	 * @param forGood whether for good: then the streams complete and waiters fail
	 */
	void stoppedByUser(boolean forGood) {
		this.closedForGood = forGood;
		this.disconnectReason = DisconnectReason.CLOSED_BY_USER;
		firstAttemptOver(new ClientClosedException(this.name, "waiting for the first connection attempt", !forGood));
		set(ConnectionState.DISCONNECTED);
		if (!forGood) {
			return;
		}
		Sinks.Many<ConnectionState> states = this.states;
		if (states != null) {
			states.tryEmitComplete();
		}
		// Closed before the state settled them.
		Waiters waiters = this.connectWaiters;
		if (waiters != null) {
			this.connectWaiters = null;
			waiters.fail(() -> new ClientClosedException(this.name, "waiting for CONNECTED"));
		}
	}

	/** Closed for good, and everything about it done: complete {@link #closed()}. */
	void emitClosed() {
		Sinks.Empty<Void> closed = this.closed;
		if (closed != null) {
			closed.tryEmitEmpty();
		}
	}

	// CONNECTED, or DISCONNECTED for a reason (not merely not started yet, nor stopped to
	// be started again).
	private boolean settles(ConnectionState state) {
		return state == ConnectionState.CONNECTED || (state == ConnectionState.DISCONNECTED && !isIdle());
	}

	// Only once settles(state) holds.
	private void settle(MonoSink<Void> waiter) {
		if (this.state == ConnectionState.CONNECTED) {
			waiter.success();
		}
		else {
			waiter.error(didNotConnect());
		}
	}

	private WebsockexException didNotConnect() {
		return new WebsockexException("websockex client '" + this.name + "' did not connect (" + this.disconnectReason
				+ "): " + this.lastError);
	}

	// Not started yet, or stopped to be started again: waiting for CONNECTED goes on.
	private boolean isIdle() {
		DisconnectReason reason = this.disconnectReason;
		return reason == DisconnectReason.NOT_STARTED
				|| (reason == DisconnectReason.CLOSED_BY_USER && !this.closedForGood);
	}

}
