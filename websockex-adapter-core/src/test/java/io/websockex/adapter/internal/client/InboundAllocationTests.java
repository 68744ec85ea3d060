package io.websockex.adapter.internal.client;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.RawFrameServer;
import io.websockex.adapter.testing.TransportUnderTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The per-frame path allocates, per text frame delivered to a {@code messages()}
 * subscriber, the copy of the payload the message owns and the message: nothing per frame
 * besides (no frame object, no buffer view, no queue node for a subscriber that keeps
 * up). Counted in bytes on the event loop, which is where every frame is decoded and
 * delivered, over frames sent in bulk after a warm-up: a guard for what
 * docs/benchmarks.md measures, in bytes rather than time, so it holds on any machine.
 */
class InboundAllocationTests {

	private static final int WARMUP = 50_000;

	private static final int MEASURED = 100_000;

	private static final int FRAMES_PER_WRITE = 1_000;

	// Room for what is amortised over many frames (a read's buffer object, a sampled
	// leak record); a view or frame object per frame (24 bytes or more) does not fit.
	private static final long SLACK_BYTES_PER_FRAME = 16;

	@Test
	void aTextFrameCostsItsPayloadCopyAndTheMessageOnly() throws Exception {
		com.sun.management.ThreadMXBean threads = allocationCounter();
		byte[] payload = ("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.BTC-PERPETUAL"
				+ ".raw\",\"data\":{\"timestamp\":1700000000000,\"best_bid_price\":64000.5,\"best_ask_price\":"
				+ "64001.0,\"mark_price\":64000.75}}}")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] block = block(payload);
		int total = WARMUP + MEASURED;
		try (RawFrameServer server = RawFrameServer.start((connection, index) -> {
			for (int sent = 0; sent < total; sent += FRAMES_PER_WRITE) {
				connection.writeRaw(block);
			}
			connection.awaitClientClose();
		})) {
			WebsockexClient client = TransportUnderTest.create("alloc",
					Config.builder(server.url()).platform(Platforms.raw()).build());
			Counting counting = new Counting(threads, total);
			client.messages().subscribe(counting::onMessage);
			client.start();
			try {
				assertThat(counting.done.await(60, TimeUnit.SECONDS)).as("every frame arrived").isTrue();
			}
			finally {
				client.close().block(Duration.ofSeconds(10));
			}
			assertThat(counting.sizes).isEqualTo((long) total * payload.length);
			long perFrame = (counting.endBytes - counting.startBytes) / MEASURED;
			long owned = byteArraySize(payload.length) + messageSize();
			assertThat(perFrame).as("bytes allocated per frame on the event loop (the copy and the message: %d)", owned)
				.isLessThanOrEqualTo(owned + SLACK_BYTES_PER_FRAME);
			assertThat(server.errors()).isEmpty();
		}
	}

	private static com.sun.management.ThreadMXBean allocationCounter() {
		java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
		assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
		assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
		threads.setThreadAllocatedMemoryEnabled(true);
		return threads;
	}

	private static byte[] block(byte[] payload) {
		byte[] frame = RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT, payload, false);
		byte[] block = new byte[frame.length * FRAMES_PER_WRITE];
		for (int i = 0; i < FRAMES_PER_WRITE; i++) {
			System.arraycopy(frame, 0, block, i * frame.length, frame.length);
		}
		return block;
	}

	// With compressed pointers (heaps under 32 GB, the default): a 12-byte object header
	// and 4-byte references; without, 16 and 8.
	private static boolean compressedPointers() {
		HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		return "true".equals(hotSpot.getVMOption("UseCompressedOops").getValue());
	}

	// A byte[]: its header and length (16 or 24 bytes), the bytes, rounded up to 8.
	private static long byteArraySize(int length) {
		return align((compressedPointers() ? 16 : 24) + length);
	}

	// WebsockexMessage.Text: a header, three references and an int.
	private static long messageSize() {
		return compressedPointers() ? align(12 + 3 * 4 + 4) : align(16 + 3 * 8 + 4);
	}

	private static long align(long size) {
		return (size + 7) / 8 * 8;
	}

	/** Counts on the event loop; the counter's own work allocates nothing. */
	private static final class Counting {

		private final com.sun.management.ThreadMXBean threads;

		private final int total;

		private final CountDownLatch done = new CountDownLatch(1);

		// Written on the event loop only; read after the latch.
		private long count;

		// Kept, as an application keeps what it receives: a message that does not escape
		// could be optimised away by the JIT and would hide what it costs.
		private @Nullable WebsockexMessage last;

		private long sizes;

		private long startBytes;

		private long endBytes;

		Counting(com.sun.management.ThreadMXBean threads, int total) {
			this.threads = threads;
			this.total = total;
		}

		void onMessage(WebsockexMessage message) {
			this.last = message;
			this.sizes += message.size();
			long n = ++this.count;
			if (n == WARMUP) {
				this.startBytes = this.threads.getCurrentThreadAllocatedBytes();
			}
			else if (n == this.total) {
				this.endBytes = this.threads.getCurrentThreadAllocatedBytes();
				this.done.countDown();
			}
		}

	}

}
