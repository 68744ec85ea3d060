package io.websockex.adapter.internal.heartbeat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.function.LongSupplier;

import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.Latency;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.internal.LatencyHistogram;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Liveness} of a client with a heartbeat type: also when heartbeats and probes
 * last went by, failures, round trips.
 */
final class ProbedLiveness extends Liveness {

	private static final VarHandle CONSECUTIVE_FAILURES;

	private static final VarHandle TOTAL_FAILURES;

	private static final VarHandle ROUND_TRIPS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CONSECUTIVE_FAILURES = lookup.findVarHandle(ProbedLiveness.class, "consecutiveFailures", int.class);
			TOTAL_FAILURES = lookup.findVarHandle(ProbedLiveness.class, "totalFailures", long.class);
			ROUND_TRIPS = lookup.findVarHandle(ProbedLiveness.class, "roundTrips", LatencyHistogram.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The last server heartbeat (Deribit) or answered probe. */
	private volatile long lastBeat = NEVER;

	private volatile long lastSent = NEVER;

	private volatile long roundTrip = NEVER;

	// Made at the first round trip (through ROUND_TRIPS, first wins).
	private volatile @Nullable LatencyHistogram roundTrips;

	// Updated through VarHandles: an atomic wrapper object each would cost more than the
	// counters.
	private volatile int consecutiveFailures;

	private volatile long totalFailures;

	ProbedLiveness(LongSupplier clock) {
		super(clock);
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
		roundTrips.record(nanos, now());
	}

	@Override
	Latency latency() {
		LatencyHistogram roundTrips = this.roundTrips;
		return (roundTrips != null) ? roundTrips.snapshot(now()) : Latency.NONE;
	}

	/**
	 * A session opened: that is a proof of life, and it starts a new failure count.
	 * @param now the current nanoTime
	 */
	@Override
	void connected(long now) {
		super.connected(now);
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

	@Override
	HeartbeatHealth health(Heartbeat.Type type, boolean active) {
		long received = (type == Heartbeat.Type.DERIBIT) ? this.lastBeat : lastFrame();
		long rtt = this.roundTrip;
		return new HeartbeatHealth(type, active, instant(this.lastSent), instant(received), this.consecutiveFailures,
				this.totalFailures, (rtt != NEVER) ? Duration.ofNanos(rtt) : null);
	}

}
