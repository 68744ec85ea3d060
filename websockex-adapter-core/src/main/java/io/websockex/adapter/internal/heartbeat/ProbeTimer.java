package io.websockex.adapter.internal.heartbeat;

/**
 * When a heartbeat probes and when a missing answer counts as a failure: pure timing over
 * {@link System#nanoTime()} values, with no I/O and no threads, so that it can be tested
 * on its own.
 * <p>
 * A probe is answered by any proof of life that arrives once it was sent. A probe left
 * unanswered for {@code timeout} is a failure, and a new probe goes out at once: so
 * {@code n} failures in a row take at most {@code interval + timeout * n} from the moment
 * the connection went silent, which is the detection time the design promises.
 * <p>
 * Two modes. {@code cadence}: the client probes every {@code interval} (ping, text).
 * Without cadence the server's own heartbeat is the probe (Deribit): it is due one
 * {@code interval} after the last one, a failure {@code timeout} later, and only then
 * does the client probe by itself.
 * <p>
 * Not thread-safe: driven by one timer tick at a time.
 */
final class ProbeTimer {

	/** Send a probe now. */
	static final int SEND = 1;

	/** A probe (or the server's heartbeat) went unanswered: one failure. */
	static final int FAILED = 2;

	/** A proof of life answered the outstanding probe. */
	static final int ANSWERED = 4;

	private final long interval;

	private final long timeout;

	private final boolean cadence;

	private long nextProbe;

	private boolean pending;

	/** When the oldest unanswered probe was sent. */
	private long pendingSince;

	private long lastProbe;

	/**
	 * @param interval nanos between probes, or between server heartbeats
	 * @param timeout nanos an answer may take
	 * @param cadence whether the client probes every interval
	 * @param start when the session opened
	 */
	ProbeTimer(long interval, long timeout, boolean cadence, long start) {
		this.interval = interval;
		this.timeout = timeout;
		this.cadence = cadence;
		this.nextProbe = start + interval;
	}

	/**
	 * Advance to {@code now}.
	 * @param now the current nanoTime
	 * @param lastAlive when the last proof of life arrived
	 * @return {@link #SEND}, {@link #FAILED} and {@link #ANSWERED} bits
	 */
	int tick(long now, long lastAlive) {
		int result = 0;
		// At or after: in virtual time (and with a coarse clock) an answer can carry the
		// probe's own timestamp.
		if (this.pending && lastAlive - this.pendingSince >= 0) {
			result |= ANSWERED;
			// A probe sent after that proof of life still waits for its own answer.
			this.pending = this.lastProbe - lastAlive > 0;
			this.pendingSince = this.lastProbe;
		}
		if (failsBy(now, lastAlive)) {
			result |= FAILED | SEND;
			this.pending = false;
		}
		else if (this.cadence && now - this.nextProbe >= 0) {
			result |= SEND;
		}
		if ((result & SEND) != 0) {
			if (!this.pending) {
				this.pending = true;
				this.pendingSince = now;
			}
			this.lastProbe = now;
			this.nextProbe = now + this.interval;
		}
		return result;
	}

	private boolean failsBy(long now, long lastAlive) {
		if (this.pending) {
			return now - (this.pendingSince + this.timeout) >= 0;
		}
		return !this.cadence && now - (lastAlive + this.interval + this.timeout) >= 0;
	}

	/**
	 * When {@link #tick} has something to do next, if nothing arrives before.
	 * @param lastAlive when the last proof of life arrived
	 * @return a nanoTime
	 */
	long nextDeadline(long lastAlive) {
		long failAt = this.pending ? this.pendingSince + this.timeout : lastAlive + this.interval + this.timeout;
		if (!this.cadence) {
			return failAt;
		}
		return (this.pending && failAt - this.nextProbe < 0) ? failAt : this.nextProbe;
	}

	/**
	 * @return whether a probe awaits its answer
	 */
	boolean pending() {
		return this.pending;
	}

}
