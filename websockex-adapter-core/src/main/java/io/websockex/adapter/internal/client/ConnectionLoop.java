package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.SessionRotation;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.internal.SerialExecutor;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The one owner of a client's connection: its phase, attempts, backoff, the session of
 * the moment and what follows each session's {@link EndCause}. It opens at most one
 * {@link Session} at a time through its {@link Connector}, runs the {@link SessionSetup}
 * on it once connected, and reconnects around it. Every transition runs on one
 * {@link SerialExecutor}, so transitions happen in one place, in order, never
 * concurrently; the fields marked "owned" are touched only there. Timers run on the
 * injected scheduler, so the whole machine runs in virtual time in its tests.
 * <p>
 * Calls go one way: the facade calls the loop, the loop calls the connector, the setup
 * and the session; none of them calls back into the loop except through the
 * {@link Connector.Attempt} callbacks, which only post transitions.
 */
final class ConnectionLoop implements SessionSetup.LateFailures {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionLoop.class);

	private static final long DRAIN_POLL_MILLIS = 20;

	private final String name;

	private final Config config;

	private final Connector connector;

	private final SessionSetup setup;

	private final RequestSender requests;

	// Completed once the client is closed for good.
	private final InboundBroadcast streams;

	private final Scheduler timer;

	private final SerialExecutor serial;

	private final ClientCounters counters;

	private final ConnectionStatus status;

	// Owned; made on the first retry, so that a client that never loses its connection
	// does not keep one.
	private @Nullable BackoffPolicy backoff;

	// Owned by the serial executor.
	private Phase phase = Phase.NEW;

	private boolean closeForGood;

	// A start() that came while a disconnect() still waited for its close handshake: run
	// once that session is closed (never beside it), unless a later disconnect() or
	// close() takes it back.
	private boolean startWhenStopped;

	private @Nullable List<Sinks.Empty<Void>> stopWaiters;

	// The generation of the main attempt or session of the moment; nextGen numbers
	// every attempt, a rotation's included.
	private long generation;

	private long nextGen;

	// A session being prepared to replace the current one (max-connection-age), and the
	// replaced one while its last requests are answered; at most one of each.
	private @Nullable Rotation rotation;

	private @Nullable Session retiring;

	private @Nullable Disposable ageTimer;

	// The new session of the seam under way (both sessions deliver), if any.
	private @Nullable Session seamOf;

	private int retriesUsed;

	private boolean everConnected;

	private @Nullable Disposable attempt;

	private @Nullable Disposable connectTimer;

	private @Nullable Disposable backoffTimer;

	// Written only by the serial executor, published for readers on any thread.
	private volatile @Nullable Session current;

	/**
	 * Create a loop; nothing happens until {@link #start()}.
	 * @param connector opens the sessions
	 * @param setup runs on each session once connected
	 * @param requests whose in-flight work fails when a session ends
	 * @param streams the client's inbound streams, completed once it is closed for good
	 * @param timer runs the connect, backoff and shutdown timers
	 */
	ConnectionLoop(String name, Config config, Connector connector, SessionSetup setup, RequestSender requests,
			InboundBroadcast streams, Scheduler timer, ClientCounters counters) {
		this.name = name;
		this.config = config;
		this.connector = connector;
		this.setup = setup;
		this.requests = requests;
		this.streams = streams;
		this.timer = timer;
		this.counters = counters;
		this.serial = new SerialExecutor(name, "state transition");
		this.status = new ConnectionStatus(name, this.serial);
		setup.onLateFailure(this);
	}

	// A token refresh whose fallback auth failed: judged like a failed setup.
	@Override
	public void failedLate(Session session, Throwable error) {
		this.serial.execute(() -> onSetupFailed(session, error));
	}

	/**
	 * What this loop publishes: state, last error, waiters.
	 * @return the status, readable from any thread
	 */
	ConnectionStatus status() {
		return this.status;
	}

	/**
	 * The session of the moment.
	 * @return the session, or {@code null} while none is connected
	 */
	@Nullable Session current() {
		return this.current;
	}

	// ---- commands ----

	void start() {
		this.serial.execute(() -> {
			if (this.phase == Phase.CLOSING && !this.closeForGood) {
				// Dropping it would leave a client its caller (or its activation gate)
				// started for good disconnected.
				this.startWhenStopped = true;
				return;
			}
			if (this.phase != Phase.NEW && this.phase != Phase.STOPPED) {
				return;
			}
			begin();
		});
	}

	// Owned.
	private void begin() {
		this.phase = Phase.RUNNING;
		this.retriesUsed = 0;
		this.status.starting();
		logger.info("websockex client '{}' starting: {}", this.name, this.config.maskedUrl());
		beginAttempt();
	}

	/**
	 * Close for good: the streams complete and the loop never starts again.
	 */
	Mono<Void> close() {
		// Made before the task below is queued, so that finishClose() (on the serial
		// executor, after it) finds it: that is its one emitter.
		Mono<Void> closed = this.status.closed();
		this.serial.execute(() -> shutDown(true));
		return closed;
	}

	/**
	 * Disconnect like {@link #close()} but keep the streams open, so {@link #start()} can
	 * connect again (a Spring context stopped and started).
	 */
	Mono<Void> disconnect() {
		// Now, not on subscription: callers may ignore the mono.
		Sinks.Empty<Void> stopped = Sinks.empty();
		this.serial.execute(() -> {
			if (this.phase == Phase.NEW || this.phase == Phase.STOPPED || this.phase == Phase.CLOSED) {
				stopped.tryEmitEmpty();
				return;
			}
			List<Sinks.Empty<Void>> waiters = this.stopWaiters;
			if (waiters == null) {
				waiters = new ArrayList<>(1);
				this.stopWaiters = waiters;
			}
			waiters.add(stopped);
			shutDown(false);
		});
		return stopped.asMono();
	}

	Mono<Void> reconnect() {
		return Mono.fromRunnable(() -> this.serial.execute(() -> {
			Session session = this.current;
			if (session != null) {
				if (session.end(EndCause.ReconnectRequested.INSTANCE)) {
					session.close(1000, "reconnect requested");
				}
			}
			else if (this.phase == Phase.RUNNING && this.status.state() == ConnectionState.CONNECTING
					&& this.backoffTimer != null && !this.backoffTimer.isDisposed()) {
				cancel(this.backoffTimer);
				beginAttempt();
			}
			else if (this.phase == Phase.STOPPED) {
				this.phase = Phase.RUNNING;
				this.retriesUsed = 0;
				beginAttempt();
			}
		}));
	}

	// ---- transitions (owned) ----

	private void beginAttempt() {
		long gen = ++this.nextGen;
		this.generation = gen;
		setState(ConnectionState.CONNECTING);
		ConnectRateLimiter connectRate = this.config.connectRate();
		if (connectRate == null) {
			openAttempt(gen);
			return;
		}
		// Wait for a turn of the limiter shared with other clients; while waiting,
		// `attempt` is the wait, so close() and disconnect() cancel it like an attempt.
		// The connect timer starts with the attempt: queueing is not connecting.
		this.attempt = connectRate.permit(this.name)
			.subscribe(null, (error) -> this.serial.execute(() -> onPermitRefused(gen, error)),
					() -> this.serial.execute(() -> {
						if (gen == this.generation && this.phase == Phase.RUNNING && this.current == null) {
							openAttempt(gen);
						}
					}));
	}

	private void onPermitRefused(long gen, Throwable error) {
		if (gen == this.generation && this.phase == Phase.RUNNING && this.current == null) {
			onConnectFailed(error);
		}
	}

	private void openAttempt(long gen) {
		this.counters.increment(ClientCounters.CONNECTION_ATTEMPTS);
		this.attempt = this.connector.open(gen, new Attempt(gen));
		this.connectTimer = this.timer.schedule(() -> this.serial.execute(() -> onConnectTimeout(gen)),
				this.config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	private void onConnected(Session session) {
		if (session.generation != this.generation || this.phase != Phase.RUNNING) {
			session.abort();
			return;
		}
		cancel(this.connectTimer);
		this.connectTimer = null;
		this.current = session;
		this.retriesUsed = 0;
		this.counters.increment(ClientCounters.CONNECTION_SUCCESSES);
		this.status.connected(Instant.now());
		if (this.everConnected) {
			this.counters.increment(ClientCounters.RECONNECTS);
		}
		this.everConnected = true;
		setState(ConnectionState.CONNECTED);
		logger.info("websockex client '{}' connected to {}", this.name, this.config.maskedUrl());
		this.status.firstAttemptOver(null);
		this.setup.run(session).subscribe(null, (error) -> this.serial.execute(() -> onSetupFailed(session, error)));
		scheduleRotation(session, 0);
	}

	private void onSetupFailed(Session session, Throwable error) {
		if (session != this.current) {
			return;
		}
		SessionSetup.Failure failure = this.setup.classify(session, error, this::describe);
		switch (failure.verdict()) {
			case IGNORE -> {
			}
			case KEEP_SESSION -> {
				recordError(failure.reason());
				logger.error("websockex client '{}': {}; the session stays up without those subscriptions", this.name,
						failure.reason());
			}
			case FATAL -> {
				if (session.end(new EndCause.Fatal(failure.reason()))) {
					recordError(failure.reason());
					logger.error("websockex client '{}': {}", this.name, failure.reason());
					session.close(1000, "authentication failed");
				}
			}
			case RECONNECT -> {
				if (session.end(new EndCause.SetupFailed(failure.reason()))) {
					logger.warn("websockex client '{}': {}; reconnecting", this.name, failure.reason());
					session.abort();
				}
			}
		}
	}

	private void onAttemptEnded(long gen, @Nullable Throwable error) {
		Session retired = this.retiring;
		if (retired != null && retired.generation == gen) {
			onRetiredEnded(retired);
			return;
		}
		if (gen != this.generation) {
			// A late callback of an attempt or session this loop has moved past.
			return;
		}
		Session session = this.current;
		if (session != null && session.generation == gen) {
			onSessionEnded(session, error);
		}
		else if (this.phase == Phase.RUNNING) {
			cancel(this.connectTimer);
			onConnectFailed((error != null) ? error : new WebsockexException("connection closed during the upgrade"));
		}
		else if (this.phase == Phase.CLOSING) {
			finishClose();
		}
	}

	private void onConnectTimeout(long gen) {
		if (gen != this.generation || this.current != null || this.phase != Phase.RUNNING) {
			return;
		}
		this.generation = ++this.nextGen;
		cancel(this.attempt);
		onConnectFailed(new TimeoutException("connect, TLS and upgrade did not finish within "
				+ this.config.connectTimeout() + " (connect-timeout)"));
	}

	private void onConnectFailed(Throwable error) {
		this.counters.increment(ClientCounters.CONNECTION_FAILURES);
		String reason = recordError(describe(error));
		this.status.firstAttemptOver(new WebsockexException("websockex client '" + this.name + "' could not connect to "
				+ this.config.maskedUrl() + ": " + reason));
		if (FailureClassifier.isFatal(error)) {
			logger.error("websockex client '{}' cannot connect to {}: {}; not retrying, fix the configuration",
					this.name, this.config.maskedUrl(), reason);
			disconnected(DisconnectReason.FATAL_ERROR);
			return;
		}
		logger.warn("websockex client '{}' failed to connect to {}: {}", this.name, this.config.maskedUrl(), reason);
		scheduleRetry();
	}

	private void onSessionEnded(Session session, @Nullable Throwable error) {
		// The first cause wins: an error seen only now loses to a close frame, a dead
		// heartbeat or a reconnect request recorded before.
		session.end((error != null) ? new EndCause.TransportError(error) : EndCause.Dropped.INSTANCE);
		EndCause cause = session.endCause();
		abandonRotation();
		this.current = null;
		this.status.notConnected();
		this.setup.onEnded(session);
		if (this.phase == Phase.CLOSING) {
			finishClose();
			return;
		}
		this.requests.failInFlight((what) -> new ConnectionLostException(this.name, what, session.endError()));
		if (cause == EndCause.ReconnectRequested.INSTANCE) {
			// Asked for (operator or API): not an error, and not subject to
			// reconnect-on-error.
			logger.info("websockex client '{}' reconnecting on request", this.name);
			beginAttempt();
			return;
		}
		String reason = recordError((cause != null) ? cause.describe(this::describe) : "connection closed");
		if (cause != null && cause.isFatal()) {
			logger.error("websockex client '{}' disconnected: {}; not reconnecting", this.name, reason);
			disconnected(DisconnectReason.FATAL_ERROR);
		}
		else if (!this.config.reconnectOnError()) {
			logger.warn("websockex client '{}' lost its connection: {}; reconnect-on-error is false", this.name,
					reason);
			disconnected(DisconnectReason.CONNECTION_LOST);
		}
		else {
			logger.warn("websockex client '{}' lost its connection: {}; reconnecting", this.name, reason);
			setState(ConnectionState.CONNECTING);
			scheduleRetry();
		}
	}

	private void scheduleRetry() {
		if (this.retriesUsed >= this.config.retryCount()) {
			logger.error("websockex client '{}' gave up after {} failed reconnect attempts in a row; last error: {}",
					this.name, this.retriesUsed, this.status.lastError());
			disconnected(DisconnectReason.GAVE_UP);
			return;
		}
		BackoffPolicy backoff = this.backoff;
		if (backoff == null) {
			backoff = new BackoffPolicy(this.config.retryDelay(), this.config.maxBackoff(), this.config.backoffJitter(),
					() -> ThreadLocalRandom.current().nextDouble());
			this.backoff = backoff;
		}
		Duration delay = backoff.delay(this.retriesUsed);
		this.retriesUsed++;
		this.status.currentAttempt(this.retriesUsed);
		long gen = this.generation;
		setState(ConnectionState.CONNECTING);
		logger.debug("websockex client '{}' retrying in {} (attempt {})", this.name, delay, this.retriesUsed);
		this.backoffTimer = this.timer.schedule(() -> this.serial.execute(() -> {
			if (this.phase == Phase.RUNNING && gen == this.generation && this.current == null) {
				beginAttempt();
			}
		}), delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void disconnected(DisconnectReason reason) {
		this.phase = (reason == DisconnectReason.CLOSED_BY_USER) ? Phase.CLOSED : Phase.STOPPED;
		this.status.disconnectReason(reason);
		this.requests
			.failInFlight((what) -> new WebsockexException("websockex client '" + this.name + "' is disconnected ("
					+ reason + ": " + this.status.lastError() + "); " + what + " was not completed"));
		setState(ConnectionState.DISCONNECTED);
	}

	private void shutDown(boolean forGood) {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		this.closeForGood |= forGood;
		// The last call wins: a start() made during an earlier disconnect is taken back.
		this.startWhenStopped = false;
		if (this.phase == Phase.CLOSING) {
			return;
		}
		boolean wasNew = this.phase == Phase.NEW;
		this.phase = Phase.CLOSING;
		cancel(this.backoffTimer);
		cancel(this.connectTimer);
		abandonRotation();
		Session session = this.current;
		if (session == null) {
			cancel(this.attempt);
			finishClose();
			return;
		}
		if (!wasNew) {
			logger.info("websockex client '{}' {}", this.name, forGood ? "closing" : "disconnecting");
		}
		long gen = session.generation;
		session.end(EndCause.ClosedByUser.INSTANCE);
		session.close(1000, forGood ? "client closed" : "client disconnected");
		this.timer.schedule(() -> this.serial.execute(() -> {
			if (this.phase == Phase.CLOSING && this.generation == gen) {
				logger.warn("websockex client '{}': no close handshake within {} (shutdown-timeout); dropping the "
						+ "connection", this.name, this.config.shutdownTimeout());
				session.abort();
			}
		}), this.config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	private void finishClose() {
		if (this.phase != Phase.CLOSING) {
			return;
		}
		boolean forGood = this.closeForGood;
		this.current = null;
		this.status.notConnected();
		this.attempt = null;
		this.setup.onEnded(null);
		// A new generation: anything still in flight from the old session is ignored.
		this.generation = ++this.nextGen;
		this.phase = forGood ? Phase.CLOSED : Phase.STOPPED;
		this.requests.failInFlight((what) -> new ClientClosedException(this.name, what, !forGood));
		this.status.stoppedByUser(forGood);
		logger.info("websockex client '{}' {}", this.name,
				forGood ? "closed" : "disconnected; start() connects it again");
		List<Sinks.Empty<Void>> stopWaiters = this.stopWaiters;
		if (stopWaiters != null) {
			this.stopWaiters = null;
			stopWaiters.forEach(Sinks.Empty::tryEmitEmpty);
		}
		if (forGood) {
			this.streams.complete();
			this.setup.complete();
			this.status.emitClosed();
		}
		else if (this.startWhenStopped) {
			this.startWhenStopped = false;
			begin();
		}
	}

	// ---- rotation (max-connection-age), owned ----

	// At nine tenths of the age, so that the next session has a tenth of it to connect,
	// authenticate and restore before a server that enforces the age cuts the old one.
	// The age counts from the connection's open, as the server counts it: a rotated-in
	// session is already as old as its setup took.
	private void scheduleRotation(Session session, long ageNow) {
		Duration age = this.config.maxConnectionAge();
		if (age == null) {
			return;
		}
		cancel(this.ageTimer);
		this.ageTimer = this.timer.schedule(() -> this.serial.execute(() -> beginRotation(session)),
				Math.max(0, age.toNanos() / 10 * 9 - ageNow), TimeUnit.NANOSECONDS);
	}

	private void beginRotation(Session old) {
		if (this.phase != Phase.RUNNING || this.current != old || this.rotation != null || old.endCause() != null) {
			return;
		}
		Session retired = this.retiring;
		if (retired != null) {
			// The one before is still answering its last requests an age later: enough.
			this.retiring = null;
			retired.end(EndCause.Rotated.INSTANCE);
			retired.abort();
			endSeam(true);
		}
		Rotation next = new Rotation(++this.nextGen);
		this.rotation = next;
		this.counters.increment(ClientCounters.CONNECTION_ATTEMPTS);
		logger.info("websockex client '{}' replacing its session before max-connection-age ({}): opening the next one",
				this.name, this.config.maxConnectionAge());
		next.attempt = this.connector.openBeside(next.gen, next, old);
		next.connectTimer = this.timer.schedule(() -> this.serial.execute(() -> {
			if (this.rotation == next && next.session == null) {
				rotationFailed(next, "connect, TLS and upgrade did not finish within " + this.config.connectTimeout()
						+ " (connect-timeout)");
			}
		}), this.config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	private void onCandidateOpened(Rotation next, Session session) {
		if (this.rotation != next || this.phase != Phase.RUNNING) {
			session.abort();
			return;
		}
		cancel(next.connectTimer);
		next.session = session;
		next.openedAt = this.timer.now(TimeUnit.NANOSECONDS);
		this.counters.increment(ClientCounters.CONNECTION_SUCCESSES);
		// From its restore on, both sessions deliver the same channels.
		this.seamOf = session;
		this.setup.seamBegins(session);
		next.setupRun = this.setup.prepare(session)
			.subscribe(null,
					(error) -> this.serial.execute(() -> rotationFailed(next, "its setup failed: " + describe(error))),
					() -> this.serial.execute(() -> switchTo(next)));
	}

	private void onCandidateEnded(Rotation next, @Nullable Throwable error) {
		if (next.session == null) {
			this.counters.increment(ClientCounters.CONNECTION_FAILURES);
		}
		rotationFailed(next, (error != null) ? describe(error) : "the new session closed before it was ready");
	}

	// The new session is connected, authenticated and restored: it takes the sends and
	// requests, the state stays CONNECTED, and the old one closes once its requests are
	// answered.
	private void switchTo(Rotation next) {
		Session old = this.current;
		Session session = next.session;
		if (this.rotation != next || this.phase != Phase.RUNNING || old == null || session == null) {
			return;
		}
		if (session.endCause() != null || !session.isOpen()) {
			rotationFailed(next, "the new session closed during its setup");
			return;
		}
		this.rotation = null;
		next.promoted = true;
		this.current = session;
		this.generation = next.gen;
		this.attempt = next.attempt;
		this.retiring = old;
		Instant now = Instant.now();
		Instant since = this.status.connectedSince();
		this.status.connected(now);
		this.counters.increment(ClientCounters.ROTATIONS);
		this.status.rotated(new SessionRotation(now, (since != null) ? Duration.between(since, now) : Duration.ZERO,
				this.counters.get(ClientCounters.ROTATIONS)));
		this.setup.handOver(session);
		scheduleRotation(session, this.timer.now(TimeUnit.NANOSECONDS) - next.openedAt);
		logger.info("websockex client '{}' moved to a new session without a gap (max-connection-age {}); the old one "
				+ "closes once its requests are answered", this.name, this.config.maxConnectionAge());
		long madeBefore = this.requests.correlator.deadline();
		long drainUntil = System.nanoTime() + this.config.requestTimeout().toNanos();
		retire(old, madeBefore, drainUntil);
	}

	private void retire(Session old, long madeBefore, long drainUntil) {
		if (this.retiring != old) {
			return;
		}
		// Bounded by request-timeout: requests made before the switch answered, and every
		// sequenced channel followed on by the new session.
		boolean busy = this.requests.correlator.hasPendingDueBy(madeBefore) || !this.setup.seamSettled();
		if (busy && System.nanoTime() - drainUntil < 0) {
			this.timer.schedule(() -> this.serial.execute(() -> retire(old, madeBefore, drainUntil)), DRAIN_POLL_MILLIS,
					TimeUnit.MILLISECONDS);
			return;
		}
		if (old.end(EndCause.Rotated.INSTANCE)) {
			old.close(1000, "session rotated");
		}
		this.timer.schedule(() -> this.serial.execute(() -> {
			if (this.retiring == old) {
				old.abort();
			}
		}), this.config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	private void onRetiredEnded(Session old) {
		this.retiring = null;
		endSeam(true);
		logger.debug("websockex client '{}': the replaced session is closed ({})", this.name,
				(old.endCause() != null) ? old.endCause().describe(this::describe) : "closed");
	}

	private void rotationFailed(Rotation next, String reason) {
		if (this.rotation != next) {
			return;
		}
		this.rotation = null;
		dispose(next);
		endSeam(false);
		this.counters.increment(ClientCounters.ROTATION_FAILURES);
		logger.warn("websockex client '{}': replacing the session failed: {}; the current session stays until it ends",
				this.name, reason);
	}

	// The current session ends or the client stops: drop what a rotation had opened.
	private void abandonRotation() {
		cancel(this.ageTimer);
		this.ageTimer = null;
		Rotation next = this.rotation;
		if (next != null) {
			this.rotation = null;
			dispose(next);
		}
		Session retired = this.retiring;
		if (retired != null) {
			this.retiring = null;
			retired.end(EndCause.Rotated.INSTANCE);
			retired.abort();
		}
		// The new session given up: drop what it held back; the old one gone too (the
		// new one ended while the old one was closing): deliver it.
		endSeam(next == null);
	}

	private void endSeam(boolean replaced) {
		Session newer = this.seamOf;
		if (newer != null) {
			this.seamOf = null;
			this.setup.seamOver(newer, replaced);
		}
	}

	private static void dispose(Rotation next) {
		cancel(next.connectTimer);
		cancel(next.setupRun);
		cancel(next.attempt);
		Session session = next.session;
		if (session != null) {
			session.end(EndCause.Rotated.INSTANCE);
			session.abort();
		}
	}

	private void setState(ConnectionState next) {
		this.status.set(next);
	}

	private String recordError(String reason) {
		return this.status.recordError(reason);
	}

	private String describe(Throwable error) {
		// The secrets are listed only when an error is described: rare, and a list kept
		// per client for it would count in every idle client's heap.
		return FailureClassifier.describe(error, FailureClassifier.secretsOf(this.config));
	}

	private static void cancel(@Nullable Disposable disposable) {
		if (disposable != null) {
			disposable.dispose();
		}
	}

	/**
	 * One attempt's callbacks: they only post transitions, tagged with the attempt's
	 * generation, so a late one from an attempt the loop has moved past is ignored.
	 */
	private final class Attempt implements Connector.Attempt {

		private final long gen;

		Attempt(long gen) {
			this.gen = gen;
		}

		@Override
		public void opened(Session session) {
			ConnectionLoop.this.serial.execute(() -> onConnected(session));
		}

		@Override
		public void ended(@Nullable Throwable error) {
			ConnectionLoop.this.serial.execute(() -> onAttemptEnded(this.gen, error));
		}

	}

	/**
	 * One rotation's attempt: its callbacks post transitions like {@link Attempt}'s; once
	 * its session has replaced the old one ({@code promoted}), its end is the client's
	 * ordinary session end.
	 */
	private final class Rotation implements Connector.Attempt {

		final long gen;

		// Owned by the serial executor.
		@Nullable Disposable attempt;

		@Nullable Disposable connectTimer;

		@Nullable Disposable setupRun;

		@Nullable Session session;

		boolean promoted;

		long openedAt;

		Rotation(long gen) {
			this.gen = gen;
		}

		@Override
		public void opened(Session session) {
			ConnectionLoop.this.serial.execute(() -> onCandidateOpened(this, session));
		}

		@Override
		public void ended(@Nullable Throwable error) {
			ConnectionLoop.this.serial.execute(() -> {
				if (this.promoted) {
					onAttemptEnded(this.gen, error);
				}
				else if (ConnectionLoop.this.rotation == this) {
					onCandidateEnded(this, error);
				}
			});
		}

	}

	private enum Phase {

		NEW, RUNNING, STOPPED, CLOSING, CLOSED

	}

}
