package io.websockex.adapter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One inbound data frame: {@link Text} or {@link Binary}.
 *
 * <pre>{@code
 * client.messages().subscribe(message -> {
 *     switch (message) {
 *         case WebsockexMessage.Text text -> handle(text.json());
 *         case WebsockexMessage.Binary binary -> handle(binary.bytes());
 *     }
 * });
 * }</pre> (pattern matching for {@code switch} needs Java 21; on 17 use
 * {@code instanceof}).
 */
public sealed interface WebsockexMessage permits WebsockexMessage.Text, WebsockexMessage.Binary {

	/**
	 * The frame's payload size in bytes.
	 * @return the size
	 */
	int size();

	/**
	 * A text frame. When the client already parsed it for routing, {@link #json()}
	 * returns that tree; otherwise it parses on first call and keeps the result, so a
	 * frame is parsed at most once. Behaves as a record of {@code text}.
	 */
	final class Text implements WebsockexMessage {

		private static final JsonMapper MAPPER = JsonMapper.shared();

		private final String text;

		private final int size;

		private volatile @Nullable JsonNode json;

		/**
		 * Create a text message.
		 * @param text the frame's text
		 */
		public Text(String text) {
			this(text, text.length(), null);
		}

		/**
		 * Create a text message whose JSON is already parsed.
		 * @param text the frame's text
		 * @param size the frame's payload size in bytes
		 * @param json the parsed tree, or {@code null} to parse on demand
		 */
		public Text(String text, int size, @Nullable JsonNode json) {
			this.text = text;
			this.size = size;
			this.json = json;
		}

		/**
		 * The frame's text.
		 * @return the text
		 */
		public String text() {
			return this.text;
		}

		/**
		 * The frame's text as a JSON tree, parsed at most once.
		 * @return the tree
		 * @throws WebsockexException if the text is not JSON
		 */
		public JsonNode json() {
			JsonNode node = this.json;
			if (node == null) {
				try {
					node = MAPPER.readTree(this.text);
				}
				catch (JacksonException ex) {
					throw new WebsockexException(
							"Text frame is not JSON (" + ex.getOriginalMessage() + "); read it with text() instead",
							ex);
				}
				this.json = node;
			}
			return node;
		}

		@Override
		public int size() {
			return this.size;
		}

		@Override
		public boolean equals(Object other) {
			return (other instanceof Text that) && this.text.equals(that.text);
		}

		@Override
		public int hashCode() {
			return this.text.hashCode();
		}

		@Override
		public String toString() {
			return "Text[text=" + this.text + "]";
		}

	}

	/**
	 * A binary frame.
	 *
	 * @param bytes the frame's payload
	 */
	record Binary(byte[] bytes) implements WebsockexMessage {

		@Override
		public int size() {
			return this.bytes.length;
		}

		@Override
		public boolean equals(Object other) {
			return (other instanceof Binary that) && Arrays.equals(this.bytes, that.bytes);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.bytes);
		}

		@Override
		public String toString() {
			return "Binary[" + this.bytes.length + " bytes]";
		}

		/**
		 * The payload decoded as UTF-8, for logging and tests.
		 * @return the text
		 */
		public String utf8() {
			return new String(this.bytes, StandardCharsets.UTF_8);
		}

	}

}
