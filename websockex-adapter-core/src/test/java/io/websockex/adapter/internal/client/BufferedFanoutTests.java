package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.websockex.adapter.BufferOverflowException;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-subscriber buffer: direct delivery with demand, queueing without, the overflow
 * error after what was queued, and no loss or reordering when producer and subscriber run
 * on different threads.
 */
class BufferedFanoutTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final AtomicInteger overflows = new AtomicInteger();

	private Fanout source = new Fanout(8);

	private Flux<Integer> buffer(int capacity) {
		this.source = new Fanout(capacity);
		return this.source.flux();
	}

	@Test
	void queuesWhatArrivesWithoutDemandAndDeliversItInOrderWhenRequested() {
		StepVerifier.create(buffer(8), 0).then(() -> {
			for (int i = 0; i < 5; i++) {
				this.source.emit(i);
			}
		})
			.expectNoEvent(Duration.ofMillis(50))
			.thenRequest(2)
			.expectNext(0, 1)
			.thenRequest(Long.MAX_VALUE)
			.expectNext(2, 3, 4)
			.then(() -> this.source.emit(5))
			.expectNext(5)
			.then(this.source::complete)
			.expectComplete()
			.verify(WAIT);
		assertThat(this.overflows).hasValue(0);
	}

	@Test
	void aSubscriberThatFallsCapacityBehindGetsWhatWasQueuedThenTheOverflowError() {
		StepVerifier.create(buffer(4), 0).then(() -> {
			for (int i = 0; i < 6; i++) {
				this.source.emit(i);
			}
		})
			.thenRequest(10)
			.expectNext(0, 1, 2, 3)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BufferOverflowException.class))
			.verify(WAIT);
		assertThat(this.overflows).hasValue(1);
		// The overflowed subscriber left the source; the source itself goes on.
		assertThat(this.source.subscriberCount()).isZero();
	}

	@Test
	void aBacklogLongerThanOneLinkOfTheGrowingQueueKeepsOrderAndTheExactBound() {
		// The queue is made at the first waiting message and grows in links of 64: a
		// bound of 200 spans four links, the last one partly.
		int capacity = 200;
		StepVerifier.create(buffer(capacity), 0).then(() -> {
			for (int i = 0; i <= capacity; i++) {
				this.source.emit(i);
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
		RecordingSubscriber<Integer> subscriber = RecordingSubscriber.requesting(3);
		buffer(100).subscribe(subscriber);
		List<Integer> received = subscriber.values();
		for (int i = 0; i < 10; i++) {
			this.source.emit(i);
		}
		assertThat(received).containsExactly(0, 1, 2);
		subscriber.subscription().request(Long.MAX_VALUE);
		this.source.emit(10);
		assertThat(received).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
		assertThat(this.overflows).hasValue(0);
	}

	@Test
	void aCancelledSubscriberGetsNothingMore() {
		RecordingSubscriber<Integer> subscriber = RecordingSubscriber.requesting(1);
		buffer(8).subscribe(subscriber);
		List<Integer> received = subscriber.values();
		this.source.emit(1);
		this.source.emit(2);
		subscriber.subscription().cancel();
		subscriber.subscription().request(10);
		this.source.emit(3);
		assertThat(received).containsExactly(1);
		assertThat(this.source.subscriberCount()).isZero();
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
			this.source.emit(i);
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

	@Test
	void aSubscriberAfterCompletionCompletesAtOnceAndOthersGoOnWhenOneOverflows() {
		Flux<Integer> flux = buffer(2);
		RecordingSubscriber<Integer> keepsUp = RecordingSubscriber.requesting(Long.MAX_VALUE);
		RecordingSubscriber<Integer> stalled = RecordingSubscriber.requesting(1);
		flux.subscribe(keepsUp);
		flux.subscribe(stalled);
		assertThat(this.source.subscriberCount()).isEqualTo(2);
		for (int i = 0; i < 4; i++) {
			this.source.emit(i);
		}
		// The stalled one took the first, queued two and left at the fourth.
		assertThat(this.source.subscriberCount()).isEqualTo(1);
		assertThat(this.overflows).hasValue(1);
		assertThat(keepsUp.values()).containsExactly(0, 1, 2, 3);
		assertThat(stalled.values()).containsExactly(0);
		this.source.complete();
		assertThat(this.source.subscriberCount()).isZero();
		StepVerifier.create(flux).expectComplete().verify(WAIT);
	}

	@Test
	void subscribersComingAndGoingInAnyOrderEachGetWhatArrivesWhileTheyAreThere() {
		Flux<Integer> flux = buffer(8);
		RecordingSubscriber<Integer> first = RecordingSubscriber.requesting(Long.MAX_VALUE);
		RecordingSubscriber<Integer> second = RecordingSubscriber.requesting(Long.MAX_VALUE);
		RecordingSubscriber<Integer> third = RecordingSubscriber.requesting(Long.MAX_VALUE);
		flux.subscribe(first);
		this.source.emit(1);
		flux.subscribe(second);
		flux.subscribe(third);
		this.source.emit(2);
		second.subscription().cancel();
		assertThat(this.source.subscriberCount()).isEqualTo(2);
		this.source.emit(3);
		first.subscription().cancel();
		assertThat(this.source.subscriberCount()).isEqualTo(1);
		this.source.emit(4);
		third.subscription().cancel();
		assertThat(this.source.subscriberCount()).isZero();
		this.source.emit(5);
		flux.subscribe(second = RecordingSubscriber.requesting(Long.MAX_VALUE));
		this.source.emit(6);
		assertThat(first.values()).containsExactly(1, 2, 3);
		assertThat(third.values()).containsExactly(2, 3, 4);
		assertThat(second.values()).containsExactly(6);
	}

	/** The fanout under test: counts overflows. */
	private final class Fanout extends BufferedFanout<Integer> {

		Fanout(int capacity) {
			super(capacity);
		}

		@Override
		Throwable overflowed() {
			BufferedFanoutTests.this.overflows.incrementAndGet();
			return new BufferOverflowException("fell behind");
		}

	}

}
