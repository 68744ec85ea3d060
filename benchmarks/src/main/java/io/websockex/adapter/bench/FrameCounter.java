package io.websockex.adapter.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts inbound frames on the connection's one I/O thread and notes the time at connect,
 * at the end of the warm-up part and at the last frame.
 */
final class FrameCounter {

	private final long total;

	private final long warmup;

	private final CountDownLatch done = new CountDownLatch(1);

	// Written only by the I/O thread; read after the latch, which publishes them.
	private long count;

	private long checksum;

	private long startNanos;

	private long warmNanos;

	private long endNanos;

	private long warmCpuNanos;

	private long endCpuNanos;

	FrameCounter(long total, long warmup) {
		this.total = total;
		this.warmup = warmup;
	}

	void start() {
		this.startNanos = System.nanoTime();
	}

	/**
	 * One frame arrived.
	 * @param size anything derived from the frame, so that nothing is optimised away
	 */
	void onFrame(int size) {
		this.checksum += size;
		long n = ++this.count;
		if (n == this.warmup) {
			this.warmNanos = System.nanoTime();
			this.warmCpuNanos = CpuTime.processNanos();
		}
		if (n == this.total) {
			this.endNanos = System.nanoTime();
			this.endCpuNanos = CpuTime.processNanos();
			this.done.countDown();
		}
	}

	void await(long timeoutSeconds) throws InterruptedException {
		if (!this.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
			throw new IllegalStateException(
					"only " + this.count + " of " + this.total + " frames arrived within " + timeoutSeconds + "s");
		}
	}

	double steadyPerSecond() {
		return (this.total - this.warmup) * 1e9 / (this.endNanos - this.warmNanos);
	}

	double cpuNanosPerFrame() {
		return (this.endCpuNanos - this.warmCpuNanos) / (double) (this.total - this.warmup);
	}

	double coldPerSecond() {
		return this.total * 1e9 / (this.endNanos - this.startNanos);
	}

	long checksum() {
		return this.checksum;
	}

}
