package io.websockex.adapter;

import java.time.Duration;

/**
 * Round-trip percentiles over a recent window (the last 30 to 60 seconds), from a
 * fixed-memory histogram kept by the client itself: nothing to configure, Micrometer or
 * not. Values are accurate to about 6% (the histogram's bucket width), {@code max}
 * exactly. <pre class="code">
 * Latency requests = client.metrics().requestLatency();
 * if (requests.count() &gt; 0 &amp;&amp; requests.p99().compareTo(Duration.ofMillis(50)) &gt; 0) {
 *     log.warn("request p99 is {}", requests.p99());
 * }
 * </pre>
 *
 * @param count round trips measured in the window
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the longest
 */
public record Latency(long count, Duration p50, Duration p90, Duration p99, Duration max) {

	/** No round trip measured in the window: every figure is zero. */
	public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

}
