package io.websockex.adapter.test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A data frame the {@link WebsockexTestServer} received from a client.
 *
 * @param connection the {@link TestConnection#id() connection} it arrived on
 * @param time when it arrived
 * @param text the text of a text frame, or {@code null} for a binary frame
 * @param binary the payload of a binary frame, or {@code null} for a text frame
 */
public record ReceivedFrame(int connection, Instant time, @Nullable String text, byte @Nullable [] binary) {

	/**
	 * @return whether this is a text frame
	 */
	public boolean isText() {
		return this.text != null;
	}

	/**
	 * @return the text of a text frame, or the payload of a binary frame decoded as UTF-8
	 */
	public String asText() {
		return (this.text != null) ? this.text
				: new String((this.binary != null) ? this.binary : new byte[0], StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "#" + this.connection + " " + ((this.text != null) ? this.text : "binary[" + this.binary.length + "]");
	}

}
