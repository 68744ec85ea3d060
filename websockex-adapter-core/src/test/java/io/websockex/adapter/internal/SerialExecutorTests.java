package io.websockex.adapter.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain loop on its own: order, one task at a time, failures, the step after each
 * batch.
 */
class SerialExecutorTests {

	@Test
	void aTaskSubmittedWhileIdleRunsAtOnceOnTheCallersThread() {
		SerialExecutor serial = new SerialExecutor("test");
		Thread[] ranOn = new Thread[1];
		serial.execute(() -> ranOn[0] = Thread.currentThread());
		assertThat(ranOn[0]).isSameAs(Thread.currentThread());
	}

	@Test
	void tasksSubmittedFromATaskRunAfterItInSubmissionOrder() {
		SerialExecutor serial = new SerialExecutor("client", "test");
		List<String> ran = new ArrayList<>();
		serial.execute(() -> {
			ran.add("outer start");
			for (int i = 0; i < 5; i++) {
				int n = i;
				serial.execute(() -> ran.add("inner " + n));
			}
			ran.add("outer end");
		});
		assertThat(ran).containsExactly("outer start", "outer end", "inner 0", "inner 1", "inner 2", "inner 3",
				"inner 4");
	}

	@Test
	void aTaskThatThrowsDoesNotStopTheOnesAfterIt() {
		SerialExecutor serial = new SerialExecutor("client", "test");
		List<Integer> ran = new ArrayList<>();
		serial.execute(() -> {
			serial.execute(() -> {
				throw new IllegalStateException("boom (expected by the test)");
			});
			serial.execute(() -> ran.add(2));
			ran.add(1);
		});
		serial.execute(() -> ran.add(3));
		assertThat(ran).containsExactly(1, 2, 3);
	}

	@Test
	void theStepAfterEachBatchRunsOnceTheQueuedTasksHaveRun() {
		List<String> ran = new ArrayList<>();
		SerialExecutor serial = new SerialExecutor("client", "test", () -> ran.add("after"));
		serial.execute(() -> {
			ran.add("a");
			serial.execute(() -> ran.add("b"));
		});
		assertThat(ran).containsSubsequence("a", "after").containsSubsequence("b", "after").endsWith("after");
		assertThat(ran.indexOf("b")).isLessThan(ran.lastIndexOf("after"));
	}

	@Test
	void tasksFromManyThreadsRunOneAtATimeAndEachThreadsInItsOwnOrder() throws Exception {
		SerialExecutor serial = new SerialExecutor("client", "test");
		int threads = 4;
		int perThread = 20_000;
		AtomicInteger running = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		int[] lastSeen = new int[threads];
		int[] outOfOrder = new int[1];
		int[] total = new int[1];
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> submitters = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				submitters.add(pool.submit(() -> {
					start.await();
					for (int i = 1; i <= perThread; i++) {
						int seq = i;
						serial.execute(() -> {
							if (running.incrementAndGet() != 1) {
								overlaps.incrementAndGet();
							}
							// Plain fields: the executor's hand-off is what orders them.
							if (lastSeen[thread] != seq - 1) {
								outOfOrder[0]++;
							}
							lastSeen[thread] = seq;
							total[0]++;
							running.decrementAndGet();
						});
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> submitter : submitters) {
				submitter.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		// Every submitter has returned, and whichever thread drained last ran its tasks
		// before returning: all tasks have run. Read them on the executor to see its
		// writes.
		int[] seen = new int[2];
		serial.execute(() -> {
			seen[0] = total[0];
			seen[1] = outOfOrder[0];
		});
		assertThat(overlaps.get()).isZero();
		assertThat(seen[0]).isEqualTo(threads * perThread);
		assertThat(seen[1]).isZero();
	}

}
