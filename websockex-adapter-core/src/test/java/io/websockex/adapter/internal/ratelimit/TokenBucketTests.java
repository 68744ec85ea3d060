package io.websockex.adapter.internal.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The token bucket on a clock the test controls.
 */
class TokenBucketTests {

	private static final long MS = 1_000_000L;

	private final AtomicLong now = new AtomicLong();

	private TokenBucket bucket(int capacity, int refillRate, Duration interval) {
		return new TokenBucket(capacity, refillRate, interval, this.now::get);
	}

	@Test
	void startsFullAndGivesTokensUntilEmpty() {
		TokenBucket bucket = bucket(20, 20, Duration.ofSeconds(1));
		assertThat(bucket.available()).isEqualTo(20);
		assertThat(bucket.tryTake(15)).isTrue();
		assertThat(bucket.tryTake(6)).isFalse();
		assertThat(bucket.tryTake(5)).isTrue();
		assertThat(bucket.available()).isZero();
		assertThat(bucket.tryTake(1)).isFalse();
		assertThat(bucket.tryTake(0)).isTrue();
	}

	@Test
	void spentTokensComeBackOneIntervalLaterAndNotANanosecondBefore() {
		TokenBucket bucket = bucket(20, 20, Duration.ofSeconds(1));
		bucket.tryTake(20);
		this.now.set(1000 * MS - 1);
		assertThat(bucket.available()).isZero();
		assertThat(bucket.nanosUntil(1)).isEqualTo(1);
		this.now.set(1000 * MS);
		assertThat(bucket.available()).isEqualTo(20);
	}

	@Test
	void aBurstIsNotFollowedByARefillWithinTheSameInterval() {
		// A continuously refilled bucket would give a token back every 50 ms here.
		TokenBucket bucket = bucket(20, 20, Duration.ofSeconds(1));
		bucket.tryTake(20);
		this.now.set(500 * MS);
		assertThat(bucket.available()).isZero();
	}

	@Test
	void windowIsTheIntervalTimesCapacityOverRate() {
		assertThat(bucket(50, 20, Duration.ofSeconds(1)).windowNanos()).isEqualTo(2500 * MS);
		assertThat(bucket(10, 20, Duration.ofSeconds(1)).windowNanos()).isEqualTo(500 * MS);
		assertThat(bucket(1, 3, Duration.ofNanos(10)).windowNanos()).isEqualTo(4);
		assertThat(bucket(100_000, 1, Duration.ofDays(3650)).windowNanos()).isPositive();
	}

	@Test
	void tokensComeBackInTheOrderTheyWereSpent() {
		TokenBucket bucket = bucket(10, 10, Duration.ofSeconds(1));
		bucket.tryTake(4);
		this.now.set(300 * MS);
		bucket.tryTake(6);
		this.now.set(600 * MS);
		assertThat(bucket.nanosUntil(3)).isEqualTo(400 * MS);
		assertThat(bucket.nanosUntil(5)).isEqualTo(700 * MS);
		this.now.set(1000 * MS);
		assertThat(bucket.available()).isEqualTo(4);
		this.now.set(1300 * MS);
		assertThat(bucket.available()).isEqualTo(10);
		assertThat(bucket.nanosUntil(10)).isZero();
	}

	@Test
	void spendsCloseTogetherComeBackWithTheLatestNeverEarlier() {
		TokenBucket bucket = bucket(10, 10, Duration.ofSeconds(1));
		bucket.tryTake(1);
		this.now.set(MS / 2);
		bucket.tryTake(1);
		this.now.set(1000 * MS);
		assertThat(bucket.available()).isEqualTo(8);
		this.now.set(1000 * MS + MS / 2);
		assertThat(bucket.available()).isEqualTo(10);
	}

	@Test
	void noWindowEverHoldsMoreThanCapacityAndTheLongRunRateIsTheRefillRate() {
		Random random = new Random(42);
		for (int[] shape : new int[][] { { 20, 20 }, { 50, 20 }, { 10, 40 } }) {
			int capacity = shape[0];
			TokenBucket bucket = bucket(capacity, shape[1], Duration.ofSeconds(1));
			long window = bucket.windowNanos();
			List<long[]> spends = new ArrayList<>();
			this.now.set(Long.MAX_VALUE - 5000 * MS); // also crosses the nanoTime wrap
			long start = this.now.get();
			long total = 0;
			for (int step = 0; step < 60_000; step++) {
				this.now.addAndGet(random.nextInt(2 * (int) MS));
				int cost = 1 + random.nextInt(Math.min(capacity, 6));
				if (bucket.tryTake(cost)) {
					spends.add(new long[] { this.now.get() - start, cost });
					total += cost;
				}
			}
			for (int i = 0, j = 0; i < spends.size(); i++) {
				long inWindow = 0;
				for (j = i; j < spends.size() && spends.get(j)[0] - spends.get(i)[0] < window; j++) {
					inWindow += spends.get(j)[1];
				}
				assertThat(inWindow).as("tokens in the window from spend %d", i).isLessThanOrEqualTo(capacity);
			}
			double seconds = (this.now.get() - start) / 1e9;
			assertThat(total / seconds).isBetween(shape[1] * 0.9, shape[1] * 1.0 + capacity / seconds);
		}
	}

	@Test
	void heldTokensComeBackOneWindowAfterTheyAreSettled() {
		TokenBucket bucket = bucket(10, 10, Duration.ofSeconds(1));
		TokenBucket.Spend held = bucket.tryHold(6);
		assertThat(held).isNotNull();
		assertThat(bucket.tryHold(5)).isNull();
		this.now.set(300 * MS);
		assertThat(bucket.nanosUntil(5)).as("unknown until settled").isEqualTo(-1);
		bucket.settle(held);
		bucket.settle(held);
		assertThat(bucket.nanosUntil(5)).isEqualTo(1000 * MS);
		this.now.set(1300 * MS - 1);
		assertThat(bucket.available()).isEqualTo(4);
		this.now.set(1300 * MS);
		assertThat(bucket.available()).isEqualTo(10);
	}

	@Test
	void anUnsettledHoldKeepsLaterSpendsOut() {
		TokenBucket bucket = bucket(10, 10, Duration.ofSeconds(1));
		TokenBucket.Spend held = bucket.tryHold(5);
		bucket.tryTake(5);
		this.now.set(5000 * MS);
		assertThat(bucket.available()).isZero();
		bucket.settle(held);
		assertThat(bucket.nanosUntil(10)).isEqualTo(1000 * MS);
	}

	@Test
	void refusesToPredictACostAboveCapacity() {
		assertThatIllegalArgumentException().isThrownBy(() -> bucket(5, 5, Duration.ofSeconds(1)).nanosUntil(6));
	}

}
