package io.websockex.adapter.internal.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.RateLimitExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The shared connect-rate limiter on virtual time: grants evenly spaced, no window ever
 * holds more than allowed, waiters are served in order, a full queue refuses, cancelling
 * leaves it.
 */
class PacedConnectRateLimiterTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final List<Long> grantedAt = new CopyOnWriteArrayList<>();

	private final List<String> order = new CopyOnWriteArrayList<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopTime() {
		this.time.dispose();
	}

	private PacedConnectRateLimiter limiter(int attempts, long intervalMillis, int maxQueue) {
		return new PacedConnectRateLimiter(attempts, Duration.ofMillis(intervalMillis), maxQueue, this.time);
	}

	private Disposable permit(PacedConnectRateLimiter limiter, String client) {
		return limiter.permit(client).subscribe(null, this.errors::add, () -> {
			this.grantedAt.add(this.time.now(TimeUnit.MILLISECONDS));
			this.order.add(client);
		});
	}

	@Test
	void aThousandWaitersNeverGetMoreThanTheLimitInAnyWindow() {
		PacedConnectRateLimiter limiter = limiter(50, 1000, 10_000);
		for (int i = 0; i < 1000; i++) {
			permit(limiter, "c" + i);
			if (i % 7 == 0) {
				this.time.advanceTimeBy(Duration.ofMillis(3));
			}
		}
		this.time.advanceTimeBy(Duration.ofSeconds(30));
		assertThat(this.grantedAt).hasSize(1000);
		assertThat(maxInAnyWindow(this.grantedAt, 1000)).isEqualTo(50);
		// Evenly spaced, and the limit is used, not merely respected: one every 20 ms.
		assertThat(maxInAnyWindow(this.grantedAt, 20)).isEqualTo(1);
		assertThat(this.grantedAt.get(999)).isEqualTo(999 * 20L);
		assertThat(limiter.granted()).isEqualTo(1000);
		assertThat(limiter.queued()).isZero();
	}

	@Test
	void servesWaitersInArrivalOrder() {
		PacedConnectRateLimiter limiter = limiter(1, 100, 10);
		for (int i = 0; i < 5; i++) {
			permit(limiter, "c" + i);
		}
		assertThat(this.order).containsExactly("c0");
		assertThat(limiter.queued()).isEqualTo(4);
		this.time.advanceTimeBy(Duration.ofMillis(450));
		assertThat(this.order).containsExactly("c0", "c1", "c2", "c3", "c4");
		assertThat(this.grantedAt).containsExactly(0L, 100L, 200L, 300L, 400L);
	}

	@Test
	void refusesAtOnceWhenTheQueueIsFull() {
		PacedConnectRateLimiter limiter = limiter(1, 1000, 2);
		permit(limiter, "a");
		permit(limiter, "b");
		permit(limiter, "c");
		permit(limiter, "d");
		assertThat(this.order).containsExactly("a");
		assertThat(this.errors).singleElement()
			.isInstanceOf(RateLimitExceededException.class)
			.extracting(Throwable::getMessage)
			.asString()
			.contains("'d'", "websockex.connect-rate.max-queue", "1 attempts per PT1S");
		assertThat(limiter.rejected()).isEqualTo(1);
	}

	@Test
	void aCancelledWaiterLeavesTheQueueAndGivesUpItsTurn() {
		PacedConnectRateLimiter limiter = limiter(1, 100, 10);
		permit(limiter, "a");
		Disposable b = permit(limiter, "b");
		permit(limiter, "c");
		b.dispose();
		assertThat(limiter.queued()).isEqualTo(1);
		this.time.advanceTimeBy(Duration.ofMillis(100));
		assertThat(this.order).containsExactly("a", "c");
		assertThat(this.grantedAt).containsExactly(0L, 100L);
	}

	@Test
	void rejectsSettingsThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> limiter(0, 1000, 1)).withMessageContaining("attempts");
		assertThatIllegalArgumentException().isThrownBy(() -> limiter(1, 0, 1)).withMessageContaining("interval");
		assertThatIllegalArgumentException().isThrownBy(() -> limiter(1, 1000, -1)).withMessageContaining("max-queue");
	}

	static int maxInAnyWindow(List<Long> times, long window) {
		List<Long> sorted = new ArrayList<>(times);
		sorted.sort(null);
		int max = 0;
		int start = 0;
		for (int end = 0; end < sorted.size(); end++) {
			while (sorted.get(end) - sorted.get(start) >= window) {
				start++;
			}
			max = Math.max(max, end - start + 1);
		}
		return max;
	}

}
