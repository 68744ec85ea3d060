package io.websockex.adapter.internal.heartbeat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.function.LongSupplier;

import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.Latency;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one client's liveness across its sessions: when frames last went
 * by. A client that probes keeps a {@link ProbedLiveness}, which adds heartbeats, probes,
 * failures and round trips; one without a heartbeat type (the default) keeps only this,
 * half the size. Times are {@link System#nanoTime()} values, turned into {@link Instant}s
 * only for {@link #health}, so the per-frame path is one ordered store and no allocation.
 */
class Liveness {

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

	// Epoch nanos rather than an Instant: one object less per client.
	private final long originEpochNanos;

	// Written per frame with setRelease (no full fence): readers tolerate a stale value
	// by the time of one timer tick.
	@SuppressWarnings("unused")
	private volatile long lastFrame = NEVER;

	Liveness(LongSupplier clock) {
		this.clock = clock;
		this.originNanos = clock.getAsLong();
		Instant origin = Instant.now();
		this.originEpochNanos = origin.getEpochSecond() * 1_000_000_000L + origin.getNano();
	}

	long now() {
		return this.clock.getAsLong();
	}

	/** The hot path: called for every inbound frame. */
	final void frame() {
		LAST_FRAME.setRelease(this, this.clock.getAsLong());
	}

	final long lastFrame() {
		return (long) LAST_FRAME.getAcquire(this);
	}

	/**
	 * A session opened: that is a proof of life.
	 * @param now the current nanoTime
	 */
	void connected(long now) {
		LAST_FRAME.setRelease(this, now);
	}

	/**
	 * Heartbeat round trips lately.
	 * @return the percentiles; {@link Latency#NONE} without probes
	 */
	Latency latency() {
		return Latency.NONE;
	}

	HeartbeatHealth health(Heartbeat.Type type, boolean active) {
		return new HeartbeatHealth(type, active, null, instant(lastFrame()), 0, 0, null);
	}

	final @Nullable Instant instant(long nanos) {
		return (nanos != NEVER) ? Instant.ofEpochSecond(0, this.originEpochNanos + (nanos - this.originNanos)) : null;
	}

}
