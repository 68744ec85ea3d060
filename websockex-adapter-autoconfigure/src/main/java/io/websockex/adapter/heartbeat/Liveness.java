package io.websockex.adapter.heartbeat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.websockex.adapter.HeartbeatHealth;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one client's liveness across its sessions: when frames, heartbeats
 * and probes last went by, failures, round trip. Times are {@link System#nanoTime()}
 * values, turned into {@link Instant}s only for {@link #health}, so the per-frame path is
 * one ordered store and no allocation.
 */
final class Liveness {

	/** "Never" for the nanoTime fields. */
	static final long NEVER = Long.MIN_VALUE;

	private static final VarHandle LAST_FRAME;

	static {
		try {
			LAST_FRAME = MethodHandles.lookup().findVarHandle(Liveness.class, "lastFrame", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final LongSupplier clock;

	private final long originNanos;

	private final Instant origin;

	// Written per frame with setRelease (no full fence): readers tolerate a stale value
	// by the time of one timer tick.
	@SuppressWarnings("unused")
	private volatile long lastFrame = NEVER;

	/** The last server heartbeat (Deribit) or answered probe. */
	private volatile long lastBeat = NEVER;

	private volatile long lastSent = NEVER;

	private volatile long roundTrip = NEVER;

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong totalFailures = new AtomicLong();

	Liveness(LongSupplier clock) {
		this.clock = clock;
		this.originNanos = clock.getAsLong();
		this.origin = Instant.now();
	}

	long now() {
		return this.clock.getAsLong();
	}

	/** The hot path: called for every inbound frame. */
	void frame() {
		LAST_FRAME.setRelease(this, this.clock.getAsLong());
	}

	long lastFrame() {
		return (long) LAST_FRAME.getAcquire(this);
	}

	void beat(long now) {
		this.lastBeat = now;
	}

	long lastBeat() {
		return this.lastBeat;
	}

	void sent(long now) {
		this.lastSent = now;
	}

	void roundTrip(long nanos) {
		this.roundTrip = nanos;
	}

	/**
	 * A session opened: that is a proof of life, and it starts a new failure count.
	 * @param now the current nanoTime
	 */
	void connected(long now) {
		LAST_FRAME.setRelease(this, now);
		this.lastBeat = now;
		this.consecutiveFailures.set(0);
	}

	void answered() {
		this.consecutiveFailures.set(0);
	}

	/**
	 * Count a failure.
	 * @return the failures in a row, this one included
	 */
	int failed() {
		this.totalFailures.incrementAndGet();
		return this.consecutiveFailures.incrementAndGet();
	}

	HeartbeatHealth health(Heartbeat.Type type, boolean active) {
		long received = (type == Heartbeat.Type.DERIBIT) ? this.lastBeat : lastFrame();
		long rtt = this.roundTrip;
		return new HeartbeatHealth(type, active, instant(this.lastSent), instant(received),
				this.consecutiveFailures.get(), this.totalFailures.get(),
				(rtt != NEVER) ? Duration.ofNanos(rtt) : null);
	}

	private @Nullable Instant instant(long nanos) {
		return (nanos != NEVER) ? this.origin.plusNanos(nanos - this.originNanos) : null;
	}

}
