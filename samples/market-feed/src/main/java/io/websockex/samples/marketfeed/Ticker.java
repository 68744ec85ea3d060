package io.websockex.samples.marketfeed;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The part of a Deribit {@code ticker.<instrument>.raw} notification the sample uses.
 * Jackson binds it; the other fields are ignored.
 *
 * @param instrumentName the instrument, e.g. {@code BTC-PERPETUAL}
 * @param lastPrice the last traded price
 * @param bestBidPrice the best bid
 * @param bestAskPrice the best ask
 */
public record Ticker(@JsonProperty("instrument_name") String instrumentName,
		@JsonProperty("last_price") double lastPrice, @JsonProperty("best_bid_price") double bestBidPrice,
		@JsonProperty("best_ask_price") double bestAskPrice) {
}
