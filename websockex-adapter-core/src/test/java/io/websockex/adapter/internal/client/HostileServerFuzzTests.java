package io.websockex.adapter.internal.client;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.test.RawFrameServer;
import io.websockex.adapter.testing.TransportUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that sends seeded random mutations of valid traffic over hundreds of
 * connections ({@link HostileTraffic}). For every case the client delivers the message,
 * or counts it and closes with the code RFC 6455 requires, and reconnects; no error
 * reaches a subscriber; heap and threads stay bounded. Runs in the build's heap-capped
 * JVM ({@code -Xmx128m}).
 * <p>
 * A failure names the seed and connection: rerun with
 * {@code -Dwebsockex.fuzz.seed=<seed>}; {@code -Dwebsockex.fuzz.cases=<n>} runs more.
 */
@Tag("heap-capped")
class HostileServerFuzzTests {

	private static final Logger logger = LoggerFactory.getLogger(HostileServerFuzzTests.class);

	private static final long SEED = Long.getLong("websockex.fuzz.seed", 20261130L);

	private static final int CASES = Integer.getInteger("websockex.fuzz.cases", 6000);

	private static final Duration WAIT = Duration.ofSeconds(120);

	@Test
	void everyMutationIsDeliveredOrCountedAndClosedWithTheRfcCodeAndTheClientReconnects() throws Exception {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		// A first small run warms up what every client shares (event loops, timers).
		fuzz(SEED - 1, false, 50);
		System.gc();
		long heapBefore = memory.getHeapMemoryUsage().getUsed();
		int threadsBefore = threads.getThreadCount();
		long started = System.nanoTime();

		Run plain = fuzz(SEED, false, CASES / 2);
		int threadsBetween = threads.getThreadCount();
		Run compressed = fuzz(SEED + 1, true, CASES - CASES / 2);

		Duration took = Duration.ofNanos(System.nanoTime() - started);
		System.gc();
		long heapAfter = memory.getHeapMemoryUsage().getUsed();
		int threadsAfter = threads.getThreadCount();
		logger.info("fuzzed {} cases over {} connections in {} (seed {}); heap {} -> {} KB, threads {} -> {} -> {}",
				plain.cases + compressed.cases, plain.connections + compressed.connections, took, SEED,
				heapBefore / 1024, heapAfter / 1024, threadsBefore, threadsBetween, threadsAfter);
		assertThat(plain.cases + compressed.cases).isGreaterThanOrEqualTo(CASES);
		assertThat(plain.connections + compressed.connections).isGreaterThan(CASES / 20);
		assertThat(threadsAfter).as("threads after the run").isLessThanOrEqualTo(threadsBefore + 4);
		assertThat(heapAfter - heapBefore).as("heap growth over the run").isLessThan(16L * 1024 * 1024);
	}

	private Run fuzz(long seed, boolean deflate, int target) throws Exception {
		Queue<String> expected = new ConcurrentLinkedQueue<>();
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		AtomicInteger cases = new AtomicInteger();
		AtomicInteger counted = new AtomicInteger();
		AtomicInteger planned = new AtomicInteger();
		RawFrameServer.Script script = (connection, index) -> {
			if (cases.get() >= target) {
				// Done: stay connected until the client closes.
				connection.awaitClientClose();
				return;
			}
			String where = "seed " + seed + (deflate ? " (deflate)" : "") + ", connection " + index;
			HostileTraffic.Plan plan = HostileTraffic.plan(new Random(seed * 1_000_003L + index), deflate);
			for (String delivery : plan.deliveries()) {
				expected.add(where + ": " + delivery);
			}
			if (plan.counted()) {
				counted.incrementAndGet();
			}
			planned.incrementAndGet();
			for (byte[] bytes : plan.writes()) {
				connection.writeRaw(bytes);
			}
			if (plan.closeCode() == HostileTraffic.NO_CLOSE_FRAME) {
				connection.shutdownOutput();
			}
			int code = connection.awaitClientClose();
			int pongs = connection.pongs();
			if (!closedAsRequired(plan.closeCode(), code) && !(plan.dropAllowed() && code == -1)) {
				failures.add(where + ": after '" + plan.terminal() + "' the client closed with " + code + ", expected "
						+ plan.closeCode());
			}
			if (pongs != plan.pings()) {
				failures.add(where + ": " + plan.pings() + " pings were answered with " + pongs + " pongs");
			}
			cases.addAndGet(plan.cases());
		};
		try (RawFrameServer server = deflate ? RawFrameServer.startWithDeflate(script) : RawFrameServer.start(script)) {
			Config config = Config.builder(server.url())
				.compression(deflate)
				.maxFrameSize(HostileTraffic.MAX_FRAME_SIZE)
				.retryDelay(Duration.ofMillis(1))
				.maxBackoff(Duration.ofMillis(1))
				.backoffJitter(0)
				.build();
			WebsockexClient client = TransportUnderTest.create("fuzz", config);
			Queue<String> received = new ConcurrentLinkedQueue<>();
			Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
			client.messages().subscribe((message) -> received.add(describe(message)), errors::add);
			client.channel("fuzz").subscribe((data) -> {
			}, errors::add);
			client.start();
			try {
				await().atMost(WAIT)
					.until(() -> (cases.get() >= target && received.size() >= expected.size())
							|| !server.errors().isEmpty() || !errors.isEmpty());
				await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
				assertThat(server.errors()).as("server errors").isEmpty();
				assertThat(failures).as("close codes and pongs").isEmpty();
				assertThat(errors).as("errors that reached a subscriber").isEmpty();
				assertSameDeliveries(expected, received);
				assertThat(client.metrics().protocolErrors() + client.metrics().inboundTooLarge()).as("counted")
					.isEqualTo(counted.get());
				return new Run(cases.get(), planned.get());
			}
			finally {
				client.close().block(Duration.ofSeconds(15));
			}
		}
	}

	private static boolean closedAsRequired(int expected, int actual) {
		if (expected == HostileTraffic.ANY_VALID) {
			return actual == 1000 || actual == 1001 || actual == 1005 || (actual >= 3000 && actual <= 4999)
					|| (actual >= 1002 && actual <= 1011);
		}
		return actual == expected;
	}

	private static void assertSameDeliveries(Queue<String> expected, Queue<String> received) {
		List<String> want = new ArrayList<>(expected);
		List<String> got = new ArrayList<>(received);
		for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
			String wanted = want.get(i);
			String delivery = wanted.substring(wanted.indexOf(": ") + 2);
			assertThat(got.get(i)).as("delivery %d, from %s", i, wanted.substring(0, wanted.indexOf(": ")))
				.isEqualTo(delivery);
		}
		assertThat(got).hasSameSizeAs(want);
	}

	private static String describe(WebsockexMessage message) {
		if (message instanceof WebsockexMessage.Text text) {
			try {
				// Parsing is the user's, and may fail on odd JSON: that is the user's to
				// see.
				text.json();
			}
			catch (RuntimeException ex) {
				// Expected for input that is not JSON.
			}
			return HostileTraffic.describeText(text.text());
		}
		return HostileTraffic.describeBinary(((WebsockexMessage.Binary) message).bytes());
	}

	private record Run(int cases, int connections) {
	}

}
