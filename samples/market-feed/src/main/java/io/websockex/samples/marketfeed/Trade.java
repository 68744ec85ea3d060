package io.websockex.samples.marketfeed;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One trade of a Deribit {@code trades.<instrument>.raw} notification (which carries a
 * list of them).
 *
 * @param instrumentName the instrument
 * @param price the price
 * @param amount the amount
 * @param direction {@code buy} or {@code sell}
 */
public record Trade(@JsonProperty("instrument_name") String instrumentName, double price, double amount,
		String direction) {
}
