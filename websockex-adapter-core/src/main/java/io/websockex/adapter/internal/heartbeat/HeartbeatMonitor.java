package io.websockex.adapter.internal.heartbeat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.Latency;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The heartbeat of one client, across all its sessions: started on each connect, stopped
 * on each disconnect, so there is never more than one timer per client. Internal to
 * websockex.
 * <p>
 * One self-rescheduling timer per session does everything: it probes, counts failures and
 * watches for silence, waking only when something is due. The inbound path only stores a
 * timestamp ({@link #onFrame()}); nothing is scheduled or allocated per frame. After
 * {@code max-failures} failures in a row, or {@code idle-timeout} of silence, the session
 * is handed to {@link HeartbeatLink#declareDead(String)} and the client reconnects
 * through its ordinary loss path.
 */
public final class HeartbeatMonitor {

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatMonitor.class);

	/** Timers scheduled and neither fired nor cancelled, over all clients (for tests). */
	private static final AtomicInteger armed = new AtomicInteger();

	private static final VarHandle CURRENT;

	static {
		try {
			CURRENT = MethodHandles.lookup().findVarHandle(HeartbeatMonitor.class, "current", Run.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String client;

	private final Heartbeat settings;

	private final Scheduler scheduler;

	private final Liveness liveness;

	private final @Nullable HeartbeatStrategy strategy;

	private final @Nullable IdleWatchdog watchdog;

	// Through CURRENT rather than an AtomicReference: one object less per client.
	private volatile @Nullable Run current;

	/**
	 * Create a monitor.
	 * @param client the client's name
	 * @param settings the settings
	 */
	public HeartbeatMonitor(String client, Heartbeat settings) {
		this(client, settings, Schedulers.parallel(), System::nanoTime);
	}

	HeartbeatMonitor(String client, Heartbeat settings, Scheduler scheduler, LongSupplier clock) {
		this.client = client;
		this.settings = settings;
		this.scheduler = scheduler;
		if (settings.type() == Heartbeat.Type.NONE) {
			// Only frames to watch (health, idle-timeout): no probe state.
			this.liveness = new Liveness(clock);
			this.strategy = null;
		}
		else {
			ProbedLiveness probed = new ProbedLiveness(clock);
			this.liveness = probed;
			this.strategy = strategy(client, settings, probed);
		}
		this.watchdog = (settings.idleTimeout() != null) ? new IdleWatchdog(settings.idleTimeout()) : null;
	}

	private static @Nullable HeartbeatStrategy strategy(String client, Heartbeat settings, ProbedLiveness liveness) {
		return switch (settings.type()) {
			case NONE -> null;
			case PING -> new PingHeartbeat(client, settings, liveness);
			case TEXT -> new TextHeartbeat(client, settings, liveness);
			case DERIBIT -> new DeribitHeartbeat(client, settings, liveness);
		};
	}

	/**
	 * A session opened: set up the server side (Deribit) and start the timer.
	 * @param link the session
	 * @return completes when the heartbeat is set up; never fails, so that the set-up
	 * after connect goes on
	 */
	public Mono<Void> onConnected(HeartbeatLink link) {
		return Mono.defer(() -> {
			if (this.strategy == null && this.watchdog == null) {
				return Mono.empty();
			}
			long now = this.liveness.now();
			this.liveness.connected(now);
			Run run = new Run(link, now);
			stop(swap(run));
			Mono<Void> setUp = (this.strategy != null) ? this.strategy.connected(link) : Mono.empty();
			run.schedule(now, now);
			return setUp;
		});
	}

	/**
	 * The session closed: stop the timer. Safe to call more than once.
	 */
	public void onDisconnected() {
		stop(swap(null));
	}

	private @Nullable Run swap(@Nullable Run next) {
		return (Run) CURRENT.getAndSet(this, next);
	}

	private static void stop(@Nullable Run run) {
		if (run != null) {
			run.stop();
		}
	}

	/**
	 * Any inbound frame arrived (proof of life). The per-frame hot path: one ordered
	 * store of a nanoTime.
	 */
	public void onFrame() {
		this.liveness.frame();
	}

	/**
	 * A pong frame arrived.
	 */
	public void onPong() {
		if (this.strategy != null) {
			this.strategy.pong(this.liveness.now());
		}
	}

	/**
	 * Whether inbound JSON must be parsed for this heartbeat.
	 * @return {@code true} for Deribit heartbeats
	 */
	public boolean needsJson() {
		return this.settings.type() == Heartbeat.Type.DERIBIT;
	}

	/**
	 * Consume heartbeat traffic.
	 * @param message a parsed inbound message
	 * @param link the session it arrived on
	 * @return {@code true} if the message was heartbeat traffic and is consumed
	 */
	public boolean consume(JsonNode message, HeartbeatLink link) {
		return this.strategy != null && this.strategy.consume(message, link);
	}

	/**
	 * Heartbeat round trips (probe to answer) over the last 30 to 60 seconds.
	 * @return the percentiles, {@link Latency#NONE} when none was measured lately
	 */
	public Latency latency() {
		return this.liveness.latency();
	}

	/**
	 * A snapshot.
	 * @return the health
	 */
	public HeartbeatHealth health() {
		Run run = this.current;
		return this.liveness.health(this.settings.type(), run != null && !run.stopped);
	}

	/**
	 * Heartbeat timers scheduled and not yet fired or cancelled, over all clients of this
	 * class loader: at most one per connected client, none after close.
	 * @return the count
	 */
	static int armedTimers() {
		return armed.get();
	}

	@Override
	public String toString() {
		return "HeartbeatMonitor[" + this.client + ", " + this.settings.type() + "]";
	}

	/**
	 * The heartbeat of one session: its timing state and its one pending timer.
	 */
	private final class Run {

		private final HeartbeatLink link;

		private final @Nullable ProbeTimer probes;

		/**
		 * Holds the one pending tick; disposed on stop, and then disposes any late one.
		 */
		private final Disposable.Swap timer = Disposables.swap();

		volatile boolean stopped;

		Run(HeartbeatLink link, long now) {
			this.link = link;
			HeartbeatStrategy strategy = HeartbeatMonitor.this.strategy;
			this.probes = (strategy != null) ? new ProbeTimer(HeartbeatMonitor.this.settings.interval().toNanos(),
					HeartbeatMonitor.this.settings.timeout().toNanos(), strategy.cadence(), now) : null;
		}

		// Ticks run one at a time (each schedules the next as its last act), so the
		// timing state needs no lock; the scheduler hand-off publishes it.
		void tick() {
			if (this.stopped) {
				return;
			}
			Liveness liveness = HeartbeatMonitor.this.liveness;
			long now = liveness.now();
			long next = Long.MAX_VALUE;
			boolean hasNext = false;
			IdleWatchdog watchdog = HeartbeatMonitor.this.watchdog;
			if (watchdog != null) {
				long lastFrame = liveness.lastFrame();
				if (watchdog.expired(now, lastFrame)) {
					dead(watchdog.deadReason());
					return;
				}
				next = watchdog.deadline(lastFrame);
				hasNext = true;
			}
			HeartbeatStrategy strategy = HeartbeatMonitor.this.strategy;
			ProbeTimer probes = this.probes;
			if (strategy != null && probes != null) {
				int result = probes.tick(now, strategy.lastAlive());
				if ((result & ProbeTimer.ANSWERED) != 0) {
					strategy.liveness.answered();
				}
				if ((result & ProbeTimer.FAILED) != 0 && failed(strategy)) {
					return;
				}
				if ((result & ProbeTimer.SEND) != 0) {
					strategy.probe(this.link, now);
				}
				long due = probes.nextDeadline(strategy.lastAlive());
				next = (!hasNext || due - next < 0) ? due : next;
			}
			schedule(next, now);
		}

		/**
		 * @return {@code true} if the session was declared dead
		 */
		private boolean failed(HeartbeatStrategy strategy) {
			int failures = strategy.liveness.failed();
			int max = HeartbeatMonitor.this.settings.maxFailures();
			if (failures < max) {
				logger.debug("websockex client '{}': heartbeat failure {} of {}", HeartbeatMonitor.this.client,
						failures, max);
				return false;
			}
			dead(strategy.deadReason(failures));
			return true;
		}

		private void dead(String reason) {
			// Stop this run only: by now the client may have moved on to a new session.
			CURRENT.compareAndSet(HeartbeatMonitor.this, this, null);
			stop();
			this.link.declareDead(reason);
		}

		void schedule(long deadline, long now) {
			Tick tick = new Tick(this);
			if (!this.timer.update(tick)) {
				return;
			}
			try {
				tick.task = HeartbeatMonitor.this.scheduler.schedule(tick, Math.max(0, deadline - now),
						TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// The scheduler is shut down (JVM exit): no timer, nothing to stop.
				tick.dispose();
			}
		}

		void stop() {
			this.stopped = true;
			this.timer.dispose();
		}

	}

	/**
	 * One scheduled tick, counted while armed so that a leaked timer is visible.
	 */
	private static final class Tick implements Runnable, Disposable {

		private final Run owner;

		private final AtomicBoolean done = new AtomicBoolean();

		volatile @Nullable Disposable task;

		Tick(Run owner) {
			this.owner = owner;
			armed.incrementAndGet();
		}

		@Override
		public void run() {
			if (disarm()) {
				this.owner.tick();
			}
		}

		@Override
		public void dispose() {
			if (disarm()) {
				Disposable task = this.task;
				if (task != null) {
					task.dispose();
				}
			}
		}

		@Override
		public boolean isDisposed() {
			return this.done.get();
		}

		private boolean disarm() {
			if (this.done.compareAndSet(false, true)) {
				armed.decrementAndGet();
				return true;
			}
			return false;
		}

	}

}
