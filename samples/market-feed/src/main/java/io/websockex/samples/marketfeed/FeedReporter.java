package io.websockex.samples.marketfeed;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.autoconfigure.WebsockexConnectedEvent;
import io.websockex.adapter.autoconfigure.WebsockexDisconnectedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the sample does with the feed: counts tickers and trades per instrument, logs one
 * line per connection state change and a one-line summary every few seconds.
 */
@Component
public class FeedReporter implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(FeedReporter.class);

	private final WebsockexClient exchange;

	private final Map<String, InstrumentStats> instruments = new ConcurrentSkipListMap<>();

	private final LongAdder tickers = new LongAdder();

	private final Disposable connecting;

	private volatile long windowStart = System.nanoTime();

	FeedReporter(@Qualifier("exchange") WebsockexClient exchange) {
		this.exchange = exchange;
		// CONNECTED and DISCONNECTED come as application events (below); CONNECTING,
		// the state of every reconnect, is watched here.
		this.connecting = exchange.states()
			.skip(1)
			.filter((state) -> state == ConnectionState.CONNECTING)
			.subscribe((state) -> logConnecting());
	}

	@WebsockexListener(client = "exchange", channel = "ticker.*")
	void onTicker(Ticker ticker) {
		this.tickers.increment();
		stats(ticker.instrumentName()).tickers.increment();
		stats(ticker.instrumentName()).lastPrice = ticker.lastPrice();
	}

	@WebsockexListener(client = "exchange", channel = "trades.*")
	void onTrades(List<Trade> trades) {
		for (Trade trade : trades) {
			stats(trade.instrumentName()).trades.increment();
		}
	}

	@EventListener
	void onConnected(WebsockexConnectedEvent event) {
		ClientMetrics metrics = event.getClient().metrics();
		logger.info("[{}] CONNECTED to {} (reconnects so far: {})", event.getClientName(),
				event.getClient().config().maskedUrl(), metrics.reconnects());
	}

	@EventListener
	void onDisconnected(WebsockexDisconnectedEvent event) {
		if (event.getReason().isFailure()) {
			logger.error("[{}] DISCONNECTED: {} ({})", event.getClientName(), event.getReason(), event.getMessage());
		}
		else {
			logger.info("[{}] DISCONNECTED: {}", event.getClientName(), event.getReason());
		}
	}

	private void logConnecting() {
		ClientMetrics metrics = this.exchange.metrics();
		if (metrics.lastError() == null) {
			logger.info("[{}] CONNECTING to {}", this.exchange.name(), this.exchange.config().maskedUrl());
		}
		else if (metrics.currentAttempt() == 0) {
			logger.warn("[{}] CONNECTING: connection lost ({}); reconnecting", this.exchange.name(),
					metrics.lastError());
		}
		else {
			logger.warn("[{}] CONNECTING: attempt {} failed ({}); retrying with backoff", this.exchange.name(),
					metrics.currentAttempt(), metrics.lastError());
		}
	}

	/**
	 * Log a one-line summary: state, messages per second and last price per instrument.
	 */
	@Scheduled(initialDelayString = "${market-feed.summary-interval:5s}",
			fixedRateString = "${market-feed.summary-interval:5s}")
	void logSummary() {
		long now = System.nanoTime();
		double seconds = Math.max((now - this.windowStart) / 1e9, 0.001);
		this.windowStart = now;
		String perInstrument = this.instruments.entrySet()
			.stream()
			.map((entry) -> entry.getValue().summary(entry.getKey(), seconds))
			.collect(Collectors.joining(" | "));
		ClientMetrics metrics = this.exchange.metrics();
		logger.info("[{}] {} | {} | reconnects {}", this.exchange.name(), metrics.state(),
				perInstrument.isEmpty() ? "no data yet" : perInstrument, metrics.reconnects());
	}

	/**
	 * Ask the exchange for its time once a second, as a service checking its clock would:
	 * the page shows the request round trips' p99 from the client's own histogram.
	 */
	@Scheduled(initialDelayString = "1s", fixedRateString = "1s")
	void checkServerTime() {
		if (this.exchange.state() != ConnectionState.CONNECTED) {
			return;
		}
		this.exchange.request("public/get_time", Map.of())
			.subscribe(null, (error) -> logger.debug("[{}] public/get_time failed: {}", this.exchange.name(),
					error.getMessage()));
	}

	/**
	 * Tickers received so far, all instruments together.
	 * @return the count
	 */
	public long tickersReceived() {
		return this.tickers.sum();
	}

	private InstrumentStats stats(String instrument) {
		return this.instruments.computeIfAbsent(instrument, (name) -> new InstrumentStats());
	}

	@Override
	public void destroy() {
		this.connecting.dispose();
	}

	private static final class InstrumentStats {

		private final LongAdder tickers = new LongAdder();

		private final LongAdder trades = new LongAdder();

		private volatile double lastPrice;

		String summary(String instrument, double seconds) {
			return String.format(Locale.ROOT, "%s %.1f tickers/s %.1f trades/s last %,.2f", instrument,
					this.tickers.sumThenReset() / seconds, this.trades.sumThenReset() / seconds, this.lastPrice);
		}

	}

}
