package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.websockex.adapter.BufferOverflowException;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-subscriber buffer: direct delivery with demand, queueing without, the overflow
 * error after what was queued, and no loss or reordering when producer and subscriber run
 * on different threads.
 */
class BoundedBufferTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final AtomicInteger overflows = new AtomicInteger();

	private final Sinks.Many<Integer> source = Sinks.unsafe().many().multicast().directBestEffort();

	private BoundedBuffer<Integer> buffer(int capacity) {
		return new BoundedBuffer<>(this.source.asFlux(), capacity, this.overflows::incrementAndGet,
				() -> new BufferOverflowException("fell behind"));
	}

	@Test
	void queuesWhatArrivesWithoutDemandAndDeliversItInOrderWhenRequested() {
		StepVerifier.create(buffer(8), 0).then(() -> {
			for (int i = 0; i < 5; i++) {
				this.source.tryEmitNext(i);
			}
		})
			.expectNoEvent(Duration.ofMillis(50))
			.thenRequest(2)
			.expectNext(0, 1)
			.thenRequest(Long.MAX_VALUE)
			.expectNext(2, 3, 4)
			.then(() -> this.source.tryEmitNext(5))
			.expectNext(5)
			.then(this.source::tryEmitComplete)
			.expectComplete()
			.verify(WAIT);
		assertThat(this.overflows).hasValue(0);
	}

	@Test
	void aSubscriberThatFallsCapacityBehindGetsWhatWasQueuedThenTheOverflowError() {
		StepVerifier.create(buffer(4), 0).then(() -> {
			for (int i = 0; i < 6; i++) {
				this.source.tryEmitNext(i);
			}
		})
			.thenRequest(10)
			.expectNext(0, 1, 2, 3)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BufferOverflowException.class))
			.verify(WAIT);
		assertThat(this.overflows).hasValue(1);
		// The overflowed subscriber left the source; the source itself goes on.
		assertThat(this.source.currentSubscriberCount()).isZero();
	}

	@Test
	void aBacklogLongerThanOneLinkOfTheGrowingQueueKeepsOrderAndTheExactBound() {
		// The queue is made at the first waiting message and grows in links of 64: a
		// bound of 200 spans four links, the last one partly.
		int capacity = 200;
		StepVerifier.create(buffer(capacity), 0).then(() -> {
			for (int i = 0; i <= capacity; i++) {
				this.source.tryEmitNext(i);
			}
		})
			.thenRequest(Long.MAX_VALUE)
			.expectNextSequence(IntStream.range(0, capacity).boxed().toList())
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BufferOverflowException.class))
			.verify(WAIT);
		assertThat(this.overflows).hasValue(1);
	}

	@Test
	void aSubscriberThatKeepsUpNeverNeedsAQueueAndOneThatFallsBehindLaterStillGetsEverything() {
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicReference<Subscription> subscription = new AtomicReference<>();
		buffer(100).subscribe(new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(Subscription s) {
				subscription.set(s);
				s.request(3);
			}

			@Override
			protected void hookOnNext(Integer value) {
				received.add(value);
			}
		});
		for (int i = 0; i < 10; i++) {
			this.source.tryEmitNext(i);
		}
		assertThat(received).containsExactly(0, 1, 2);
		subscription.get().request(Long.MAX_VALUE);
		this.source.tryEmitNext(10);
		assertThat(received).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
		assertThat(this.overflows).hasValue(0);
	}

	@Test
	void aCancelledSubscriberGetsNothingMore() {
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicReference<Subscription> subscription = new AtomicReference<>();
		buffer(8).subscribe(new BaseSubscriber<>() {

			@Override
			protected void hookOnSubscribe(Subscription s) {
				subscription.set(s);
				s.request(1);
			}

			@Override
			protected void hookOnNext(Integer value) {
				received.add(value);
			}

		});
		this.source.tryEmitNext(1);
		this.source.tryEmitNext(2);
		subscription.get().cancel();
		subscription.get().request(10);
		this.source.tryEmitNext(3);
		assertThat(received).containsExactly(1);
		assertThat(this.source.currentSubscriberCount()).isZero();
	}

	@Test
	void losesNothingAndKeepsOrderWhenProducerAndSubscriberRaceOnTwoThreads() throws Exception {
		int count = 200_000;
		// Signals are serialized, so one index is enough; a copy-on-write list would
		// make the test quadratic.
		int[] received = new int[count];
		AtomicInteger size = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		AtomicReference<Subscription> subscription = new AtomicReference<>();
		buffer(count).subscribe(new BaseSubscriber<>() {

			@Override
			protected void hookOnSubscribe(Subscription s) {
				subscription.set(s);
			}

			@Override
			protected void hookOnNext(Integer value) {
				// Stored before the size is published, for the reader below.
				int index = size.get();
				received[index] = value;
				size.set(index + 1);
			}

			@Override
			protected void hookOnError(Throwable error) {
				failure.set(error);
			}

		});
		Thread requester = new Thread(() -> {
			// Demand in small, uneven batches, racing the producer below.
			for (long asked = 0; asked < count; asked += 7) {
				subscription.get().request(7);
				Thread.onSpinWait();
			}
		});
		requester.start();
		for (int i = 0; i < count; i++) {
			this.source.tryEmitNext(i);
		}
		requester.join(WAIT.toMillis());
		await().atMost(WAIT).until(() -> size.get() == count || failure.get() != null);
		assertThat(failure.get()).isNull();
		for (int i = 0; i < count; i++) {
			if (received[i] != i) {
				throw new AssertionError("message " + i + " arrived as " + received[i]);
			}
		}
	}

}
