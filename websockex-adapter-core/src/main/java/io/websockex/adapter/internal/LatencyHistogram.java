package io.websockex.adapter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import io.websockex.adapter.Latency;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-memory, lock-free histogram of round trips over a sliding window, for the
 * percentiles of {@code metrics()}. Log-linear buckets in microseconds: exact below 16
 * µs, then eight per power of two (a bucket is at most 12.5% wide, and a percentile is
 * reported at its bucket's middle, so within about 6%), up to some 38 hours; longer ones
 * count in the last bucket. Two windows of {@code window / 2} each: the current one takes
 * what is recorded, and a snapshot merges it with the one before, so it covers between a
 * half and a whole window. Nothing is allocated until the first value (many clients never
 * make a request), then one window of about 1 KB per half-window while values come.
 * Internal to websockex.
 */
public final class LatencyHistogram {

	static final int BUCKETS = 16 + 34 * 8;

	private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);

	private static final VarHandle PHASE;

	static {
		try {
			PHASE = MethodHandles.lookup().findVarHandle(LatencyHistogram.class, "phase", Phase.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final long halfWindow;

	// Replaced as a whole by CAS when the current window is over: recorders that still
	// write into the one before only make it a little fuller.
	private volatile @Nullable Phase phase;

	/** A histogram over the last 30 to 60 seconds. */
	public LatencyHistogram() {
		this(Duration.ofMinutes(1));
	}

	/**
	 * A histogram over a window.
	 * @param window how far back a snapshot looks, at most
	 */
	public LatencyHistogram(Duration window) {
		this.halfWindow = Math.max(1, window.toNanos() / 2);
	}

	/**
	 * Count one round trip.
	 * @param nanos how long it took
	 * @param now the time, in {@link System#nanoTime()} terms
	 */
	public void record(long nanos, long now) {
		Window window = current(now);
		int bucket = bucket(Math.max(0, nanos) / 1000);
		COUNTS.getAndAdd(window.counts, bucket, 1);
		window.raiseMax(nanos);
	}

	/**
	 * The percentiles of the window.
	 * @param now the time, in {@link System#nanoTime()} terms
	 * @return the figures, or {@link Latency#NONE} when nothing was recorded lately
	 */
	public Latency snapshot(long now) {
		Phase phase = this.phase;
		if (phase == null) {
			return Latency.NONE;
		}
		int[] merged = new int[BUCKETS];
		long max = 0;
		long count = 0;
		for (Window window : phase.recent(now, this.halfWindow)) {
			for (int i = 0; i < BUCKETS; i++) {
				int n = (int) COUNTS.getVolatile(window.counts, i);
				merged[i] += n;
				count += n;
			}
			max = Math.max(max, window.max);
		}
		if (count == 0) {
			return Latency.NONE;
		}
		return new Latency(count, percentile(merged, count, 0.50, max), percentile(merged, count, 0.90, max),
				percentile(merged, count, 0.99, max), Duration.ofNanos(max));
	}

	private Window current(long now) {
		while (true) {
			Phase phase = this.phase;
			if (phase != null && now - phase.current.start < this.halfWindow) {
				return phase.current;
			}
			// A window is over (or none yet): the next one starts at a multiple of the
			// half-window after the first, so that windows never overlap.
			Window previous = (phase != null && now - phase.current.start < 2 * this.halfWindow) ? phase.current : null;
			long start = (phase == null) ? now
					: phase.current.start + ((now - phase.current.start) / this.halfWindow) * this.halfWindow;
			Phase next = new Phase(new Window(start), previous);
			if (PHASE.compareAndSet(this, phase, next)) {
				return next.current;
			}
		}
	}

	private static Duration percentile(int[] counts, long total, double quantile, long max) {
		long rank = (long) Math.ceil(quantile * total);
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += counts[i];
			if (seen >= rank) {
				return Duration.ofNanos(Math.min(max, middleMicros(i) * 1000));
			}
		}
		return Duration.ofNanos(max);
	}

	static int bucket(long micros) {
		if (micros < 16) {
			return (int) micros;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(micros);
		int index = 16 + (exponent - 4) * 8 + (int) ((micros >>> (exponent - 3)) & 7);
		return Math.min(index, BUCKETS - 1);
	}

	// The middle of a bucket's range of microseconds.
	static long middleMicros(int bucket) {
		if (bucket < 16) {
			return bucket;
		}
		int exponent = (bucket - 16) / 8 + 4;
		long sub = (bucket - 16) % 8;
		long width = 1L << (exponent - 3);
		long low = (1L << exponent) + sub * width;
		return low + width / 2;
	}

	/** The windows of the moment: the current one and the one before it, if recent. */
	private record Phase(Window current, @Nullable Window previous) {

		Window[] recent(long now, long halfWindow) {
			if (now - this.current.start >= 2 * halfWindow) {
				return new Window[0];
			}
			Window previous = this.previous;
			if (now - this.current.start >= halfWindow || previous == null) {
				return new Window[] { this.current };
			}
			return new Window[] { this.current, previous };
		}

	}

	private static final class Window {

		private static final VarHandle MAX;

		static {
			try {
				MAX = MethodHandles.lookup().findVarHandle(Window.class, "max", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		final long start;

		final int[] counts = new int[BUCKETS];

		volatile long max;

		Window(long start) {
			this.start = start;
		}

		void raiseMax(long nanos) {
			long current = this.max;
			while (nanos > current && !MAX.compareAndSet(this, current, nanos)) {
				current = this.max;
			}
		}

	}

}
