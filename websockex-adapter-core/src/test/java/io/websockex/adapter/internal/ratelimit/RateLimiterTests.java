package io.websockex.adapter.internal.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.RateLimitExceededException;
import io.websockex.adapter.ratelimit.RateLimit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limiter's queue, on virtual time: order, overflow, failing and cancelling.
 */
class RateLimiterTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final List<String> done = new CopyOnWriteArrayList<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopTime() {
		this.time.dispose();
	}

	private RateLimiter limiter(RateLimit settings) {
		return new RateLimiter("feed", settings, () -> this.time.now(TimeUnit.NANOSECONDS), this.time);
	}

	private Disposable acquire(RateLimiter limiter, String name, int cost) {
		return limiter.acquire(cost).subscribe(null, this.errors::add, () -> this.done.add(name));
	}

	private void advance(long millis) {
		this.time.advanceTimeBy(Duration.ofMillis(millis));
	}

	@Test
	void servesWaitersInArrivalOrderAndNeverLetsACheapOneOvertakeTheHead() {
		RateLimiter limiter = limiter(RateLimit.of(10));
		acquire(limiter, "first", 5);
		advance(500);
		acquire(limiter, "second", 5);
		acquire(limiter, "big", 8);
		acquire(limiter, "small", 1);
		assertThat(limiter.queued()).isEqualTo(2);
		advance(600); // t = 1.1 s: 5 tokens are back, enough for "small" but not for
						// "big"
		assertThat(this.done).containsExactly("first", "second");
		assertThat(limiter.availableTokens()).isEqualTo(5);
		advance(400); // t = 1.5 s: 10 tokens
		assertThat(this.done).containsExactly("first", "second", "big", "small");
		assertThat(limiter.availableTokens()).isEqualTo(1);
		assertThat(limiter.queued()).isZero();
	}

	@Test
	void aWaiterIsServedExactlyWhenItsTokensComeBack() {
		RateLimiter limiter = limiter(RateLimit.of(2).withRefill(1, Duration.ofSeconds(1)));
		acquire(limiter, "a", 2);
		acquire(limiter, "b", 1);
		this.time.advanceTimeBy(Duration.ofMillis(2000).minusNanos(1));
		assertThat(this.done).containsExactly("a");
		this.time.advanceTimeBy(Duration.ofNanos(1));
		assertThat(this.done).containsExactly("a", "b");
	}

	@Test
	void refusesAtOnceBeyondMaxQueueAndCountsIt() {
		RateLimiter limiter = limiter(RateLimit.of(1).withMaxQueue(2));
		acquire(limiter, "sent", 1);
		acquire(limiter, "q1", 1);
		acquire(limiter, "q2", 1);
		acquire(limiter, "refused", 1);
		assertThat(this.errors).singleElement(InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(RateLimitExceededException.class)
			.hasMessageContaining("'feed'")
			.hasMessageContaining("rate-limit.max-queue");
		assertThat(limiter.queued()).isEqualTo(2);
		assertThat(limiter.rejected()).isEqualTo(1);
		advance(2000);
		assertThat(this.done).containsExactly("sent", "q1", "q2");
	}

	@Test
	void maxQueueZeroRefusesEveryWait() {
		RateLimiter limiter = limiter(RateLimit.of(1).withMaxQueue(0));
		acquire(limiter, "sent", 1);
		acquire(limiter, "refused", 1);
		assertThat(this.done).containsExactly("sent");
		assertThat(this.errors).singleElement(InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(RateLimitExceededException.class);
	}

	@Test
	void aCostAboveCapacityFailsAtOnceNamingTheCapacityProperty() {
		RateLimiter limiter = limiter(RateLimit.of(10));
		acquire(limiter, "buy", 15);
		assertThat(this.errors).singleElement(InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(RateLimitExceededException.class)
			.hasMessageContaining("'feed'")
			.hasMessageContaining("costs 15")
			.hasMessageContaining("rate-limit.capacity");
		assertThat(limiter.availableTokens()).isEqualTo(10);
		assertThat(limiter.rejected()).isZero();
	}

	@Test
	void aNegativeCostIsRefused() {
		acquire(limiter(RateLimit.of(10)), "odd", -1);
		assertThat(this.errors).singleElement(InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("rate-limit.cost");
	}

	@Test
	void aFreeSendStillWaitsItsTurn() {
		RateLimiter limiter = limiter(RateLimit.of(1));
		acquire(limiter, "a", 1);
		acquire(limiter, "b", 1);
		acquire(limiter, "free", 0);
		assertThat(this.done).containsExactly("a");
		advance(1000);
		assertThat(this.done).containsExactly("a", "b", "free");
	}

	@Test
	void failQueuedFailsEveryWaiterAtOnceAndTheyNeverTakeTokens() {
		RateLimiter limiter = limiter(RateLimit.of(3));
		acquire(limiter, "sent", 3);
		acquire(limiter, "q1", 1);
		acquire(limiter, "q2", 2);
		limiter.failQueued(() -> new ConnectionLostException("feed", "a send waiting for rate-limit tokens", null));
		assertThat(this.errors).hasSize(2).allSatisfy((e) -> assertThat(e).isInstanceOf(ConnectionLostException.class));
		assertThat(limiter.queued()).isZero();
		advance(5000);
		assertThat(this.done).containsExactly("sent");
		assertThat(limiter.availableTokens()).isEqualTo(3);
	}

	@Test
	void aCancelledWaiterLeavesTheQueueAndTakesNoTokens() {
		RateLimiter limiter = limiter(RateLimit.of(10));
		acquire(limiter, "sent", 10);
		Disposable cancelled = acquire(limiter, "cancelled", 5);
		acquire(limiter, "kept", 5);
		cancelled.dispose();
		assertThat(limiter.queued()).isEqualTo(1);
		advance(1000);
		assertThat(this.done).containsExactly("sent", "kept");
		assertThat(limiter.availableTokens()).isEqualTo(5);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void cancellingTheHeadLetsACheaperWaiterGoAsSoonAsItsTokensAreBack() {
		RateLimiter limiter = limiter(RateLimit.of(10));
		acquire(limiter, "first", 5);
		advance(500);
		acquire(limiter, "second", 5);
		Disposable big = acquire(limiter, "big", 10); // would wait until t = 1.5 s
		acquire(limiter, "small", 5);
		big.dispose();
		advance(500); // t = 1.0 s
		assertThat(this.done).containsExactly("first", "second", "small");
	}

	@Test
	void aLimitedWriteStartsItsTokensWindowWhenTheWriteEnds() {
		RateLimiter limiter = limiter(RateLimit.of(1));
		Mono<Void> slowWrite = Mono.delay(Duration.ofMillis(400), this.time).then();
		limiter.limit(1, slowWrite).subscribe(null, this.errors::add, () -> this.done.add("slow"));
		limiter.limit(1, Mono.empty()).subscribe(null, this.errors::add, () -> this.done.add("next"));
		advance(400);
		assertThat(this.done).containsExactly("slow");
		advance(999);
		assertThat(this.done).containsExactly("slow");
		advance(1);
		assertThat(this.done).containsExactly("slow", "next");
	}

	@Test
	void aFailedOrCancelledLimitedWriteStillGivesItsTokensBackAWindowLater() {
		RateLimiter limiter = limiter(RateLimit.of(2));
		limiter.limit(1, Mono.error(new IllegalStateException("write failed"))).subscribe(null, this.errors::add);
		Disposable hanging = limiter.limit(1, Mono.never()).subscribe();
		assertThat(this.errors).singleElement(InstanceOfAssertFactories.THROWABLE).hasMessage("write failed");
		assertThat(limiter.availableTokens()).isZero();
		advance(500);
		hanging.dispose();
		advance(500);
		assertThat(limiter.availableTokens()).isEqualTo(1);
		advance(500);
		assertThat(limiter.availableTokens()).isEqualTo(2);
	}

	@Test
	void manyThreadsAcquiringAtOnceAreAllServedAndNoTokenIsCountedTwice() throws Exception {
		RateLimiter limiter = new RateLimiter("feed",
				RateLimit.of(50).withRefill(50, Duration.ofMillis(20)).withMaxQueue(1000));
		int threads = 8;
		int each = 100;
		AtomicInteger completed = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int t = 0; t < threads; t++) {
				pool.execute(() -> {
					try {
						start.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					for (int i = 0; i < each; i++) {
						limiter.acquire(1).subscribe(null, this.errors::add, completed::incrementAndGet);
					}
				});
			}
			start.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> completed.get() == threads * each);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.errors).isEmpty();
		assertThat(limiter.queued()).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> limiter.availableTokens() == 50);
	}

}
