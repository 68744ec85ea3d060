package io.websockex.adapter.internal;

import java.time.Duration;

import io.websockex.adapter.Latency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The round-trip histogram on its own, with the time given by the test.
 */
class LatencyHistogramTests {

	private static final long MS = 1_000_000;

	private final LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(60));

	@Test
	void nothingRecordedIsNone() {
		assertThat(this.histogram.snapshot(0)).isEqualTo(Latency.NONE);
	}

	@Test
	void percentilesOfOneToAThousandMillisecondsAreWithinTheBucketWidth() {
		for (int i = 1; i <= 1000; i++) {
			this.histogram.record(i * MS, 0);
		}
		Latency latency = this.histogram.snapshot(0);
		assertThat(latency.count()).isEqualTo(1000);
		assertThat(millis(latency.p50())).isCloseTo(500, within(500 * 0.07));
		assertThat(millis(latency.p90())).isCloseTo(900, within(900 * 0.07));
		assertThat(millis(latency.p99())).isCloseTo(990, within(990 * 0.07));
		assertThat(latency.max()).isEqualTo(Duration.ofMillis(1000));
	}

	@Test
	void aPercentileIsNeverAboveTheMaximum() {
		this.histogram.record(1234 * MS, 0);
		Latency latency = this.histogram.snapshot(0);
		assertThat(latency.p50()).isEqualTo(latency.max()).isEqualTo(Duration.ofMillis(1234));
	}

	@Test
	void oldRoundTripsLeaveTheWindow() {
		this.histogram.record(900 * MS, 0);
		this.histogram.record(5 * MS, Duration.ofSeconds(40).toNanos());
		// 40 s later both windows are looked at: the old value still counts.
		assertThat(this.histogram.snapshot(Duration.ofSeconds(40).toNanos()).count()).isEqualTo(2);
		// 70 s later only the window that started at 30 s is recent.
		Latency later = this.histogram.snapshot(Duration.ofSeconds(70).toNanos());
		assertThat(later.count()).isEqualTo(1);
		assertThat(later.max()).isEqualTo(Duration.ofMillis(5));
		assertThat(this.histogram.snapshot(Duration.ofSeconds(200).toNanos())).isEqualTo(Latency.NONE);
	}

	@Test
	void bucketsCoverMicrosecondsToHoursInOrder() {
		int previous = -1;
		for (long micros = 0; micros < (1L << 40); micros = micros * 2 + 1) {
			int bucket = LatencyHistogram.bucket(micros);
			assertThat(bucket).isGreaterThanOrEqualTo(previous).isLessThan(LatencyHistogram.BUCKETS);
			previous = bucket;
			if (micros < (1L << 37)) {
				long middle = LatencyHistogram.middleMicros(bucket);
				assertThat((double) middle).isCloseTo(micros, within(Math.max(1, micros * 0.07)));
			}
		}
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1e6;
	}

}
