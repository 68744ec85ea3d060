package io.websockex.adapter.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts inbound frames on the connection's one I/O thread and notes the time at connect,
 * after the first {@code coldFrames} frames, at the end of the warm-up part and at the
 * last frame.
 */
final class FrameCounter {

	private final long total;

	private final long warmup;

	private final long coldFrames;

	private final CountDownLatch done = new CountDownLatch(1);

	// Written only by the I/O thread; read after the latch, which publishes them.
	private long count;

	private long checksum;

	private long startNanos;

	private long warmNanos;

	private long coldEndNanos;

	private long firstNanos;

	private long endNanos;

	private long warmCpuNanos;

	private long endCpuNanos;

	FrameCounter(long total, long warmup, long coldFrames) {
		this.total = total;
		this.warmup = warmup;
		this.coldFrames = Math.min(coldFrames, total);
	}

	/**
	 * Where the cold-start figures start.
	 * @param nanos a {@link System#nanoTime()} taken before the client was made
	 */
	void start(long nanos) {
		this.startNanos = nanos;
	}

	/**
	 * One frame arrived.
	 * @param size anything derived from the frame, so that nothing is optimised away
	 */
	void onFrame(int size) {
		this.checksum += size;
		long n = ++this.count;
		if (n == 1) {
			this.firstNanos = System.nanoTime();
		}
		if (n == this.coldFrames) {
			this.coldEndNanos = System.nanoTime();
		}
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

	/**
	 * Fails unless exactly the frames the server sent arrived: a client that drops or
	 * repeats frames must not post a rate.
	 * @throws IllegalStateException otherwise
	 */
	void checkReceivedAll() {
		long received = this.count;
		if (received != this.total) {
			throw new IllegalStateException(received + " frames arrived, the server sent " + this.total);
		}
	}

	/**
	 * @return milliseconds from before the client was made to the first frame: the
	 * client's start-up and handshake, which the cold rates include
	 */
	double firstFrameMillis() {
		return (this.firstNanos - this.startNanos) / 1e6;
	}

	long received() {
		return this.count;
	}

	/**
	 * @return msgs/s over the first {@code coldFrames} frames, from before the client was
	 * made
	 */
	double coldStartPerSecond() {
		return this.coldFrames * 1e9 / (this.coldEndNanos - this.startNanos);
	}

	double coldPerSecond() {
		return this.total * 1e9 / (this.endNanos - this.startNanos);
	}

	long checksum() {
		return this.checksum;
	}

}
