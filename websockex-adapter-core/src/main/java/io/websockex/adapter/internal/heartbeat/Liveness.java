package io.websockex.adapter.internal.heartbeat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.Latency;
import io.websockex.adapter.internal.LatencyHistogram;
import io.websockex.adapter.heartbeat.Heartbeat;
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

	private static final VarHandle CONSECUTIVE_FAILURES;

	private static final VarHandle TOTAL_FAILURES;

	private static final VarHandle ROUND_TRIPS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			LAST_FRAME = lookup.findVarHandle(Liveness.class, "lastFrame", long.class);
			CONSECUTIVE_FAILURES = lookup.findVarHandle(Liveness.class, "consecutiveFailures", int.class);
			TOTAL_FAILURES = lookup.findVarHandle(Liveness.class, "totalFailures", long.class);
			ROUND_TRIPS = lookup.findVarHandle(Liveness.class, "roundTrips", LatencyHistogram.class);
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

	/** The last server heartbeat (Deribit) or answered probe. */
	private volatile long lastBeat = NEVER;

	private volatile long lastSent = NEVER;

	private volatile long roundTrip = NEVER;

	// Made at the first round trip (through ROUND_TRIPS, first wins): a client without
	// probes never has one.
	private volatile @Nullable LatencyHistogram roundTrips;

	// Updated through VarHandles: an atomic wrapper object each would cost more than the
	// counters.
	private volatile int consecutiveFailures;

	private volatile long totalFailures;

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
		LatencyHistogram roundTrips = this.roundTrips;
		if (roundTrips == null) {
			ROUND_TRIPS.compareAndSet(this, null, new LatencyHistogram());
			roundTrips = this.roundTrips;
		}
		roundTrips.record(nanos, this.clock.getAsLong());
	}

	Latency latency() {
		LatencyHistogram roundTrips = this.roundTrips;
		return (roundTrips != null) ? roundTrips.snapshot(this.clock.getAsLong()) : Latency.NONE;
	}

	/**
	 * A session opened: that is a proof of life, and it starts a new failure count.
	 * @param now the current nanoTime
	 */
	void connected(long now) {
		LAST_FRAME.setRelease(this, now);
		this.lastBeat = now;
		this.consecutiveFailures = 0;
	}

	void answered() {
		this.consecutiveFailures = 0;
	}

	/**
	 * Count a failure.
	 * @return the failures in a row, this one included
	 */
	int failed() {
		TOTAL_FAILURES.getAndAdd(this, 1L);
		return (int) CONSECUTIVE_FAILURES.getAndAdd(this, 1) + 1;
	}

	HeartbeatHealth health(Heartbeat.Type type, boolean active) {
		long received = (type == Heartbeat.Type.DERIBIT) ? this.lastBeat : lastFrame();
		long rtt = this.roundTrip;
		return new HeartbeatHealth(type, active, instant(this.lastSent), instant(received), this.consecutiveFailures,
				this.totalFailures, (rtt != NEVER) ? Duration.ofNanos(rtt) : null);
	}

	private @Nullable Instant instant(long nanos) {
		return (nanos != NEVER) ? Instant.ofEpochSecond(0, this.originEpochNanos + (nanos - this.originNanos)) : null;
	}

}
