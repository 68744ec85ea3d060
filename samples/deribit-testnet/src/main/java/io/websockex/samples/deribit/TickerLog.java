package io.websockex.samples.deribit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.autoconfigure.WebsockexConnectedEvent;
import io.websockex.adapter.autoconfigure.WebsockexDisconnectedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs Deribit's BTC and ETH perpetual tickers (at most one line per instrument every few
 * seconds), the connection's state changes, and the server's clock once connected.
 */
@Component
class TickerLog {

	private static final Logger logger = LoggerFactory.getLogger(TickerLog.class);

	private static final long EVERY_NANOS = Duration.ofSeconds(5).toNanos();

	private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

	/**
	 * The fields of a Deribit ticker this sample prints.
	 *
	 * @param instrumentName the instrument
	 * @param lastPrice the last traded price
	 * @param markPrice the mark price
	 */
	record Ticker(@JsonProperty("instrument_name") String instrumentName, @JsonProperty("last_price") double lastPrice,
			@JsonProperty("mark_price") double markPrice) {
	}

	@WebsockexListener(client = "deribit", channel = "ticker.*")
	void onTicker(Ticker ticker) {
		long now = System.nanoTime();
		Long last = this.lastLogged.get(ticker.instrumentName());
		if (last == null || now - last >= EVERY_NANOS) {
			this.lastLogged.put(ticker.instrumentName(), now);
			logger.info("{} last {} mark {}", ticker.instrumentName(), ticker.lastPrice(), ticker.markPrice());
		}
	}

	@EventListener
	void onConnected(WebsockexConnectedEvent event) {
		WebsockexClient deribit = event.getClient();
		logger.info("[{}] CONNECTED to {}", event.getClientName(), deribit.config().maskedUrl());
		// A JSON-RPC call: the id is assigned and the answer correlated by the client.
		deribit.request("public/get_time", Map.of())
			.subscribe(
					(time) -> logger.info("[{}] server time {} (local {})", event.getClientName(), time.asLong(),
							System.currentTimeMillis()),
					(error) -> logger.warn("public/get_time failed: {}", error.toString()));
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

}
