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

		private final byte @Nullable [] utf8;

		private final int size;

		private volatile @Nullable String text;

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
			this.utf8 = null;
			this.text = text;
			this.size = size;
			this.json = json;
		}

		private Text(byte[] utf8, @Nullable JsonNode json) {
			this.utf8 = utf8;
			this.size = utf8.length;
			// Made once per inbound frame: a volatile write costs a fence, and most
			// frames come without a tree.
			if (json != null) {
				this.json = json;
			}
		}

		/**
		 * A text message kept as the frame's UTF-8 bytes: the {@code String} and the tree
		 * are made on first use only. The client uses it so that a frame nobody reads as
		 * text is never decoded.
		 * @param utf8 the frame's payload, not modified afterwards
		 * @param json the parsed tree, or {@code null} to parse on demand
		 * @return the message
		 */
		public static Text ofUtf8(byte[] utf8, @Nullable JsonNode json) {
			return new Text(utf8, json);
		}

		/**
		 * The frame's text.
		 * @return the text
		 */
		public String text() {
			String value = this.text;
			if (value == null) {
				value = new String(this.utf8, StandardCharsets.UTF_8);
				this.text = value;
			}
			return value;
		}

		/**
		 * The frame's text as a JSON tree, parsed at most once. When nothing in the JVM
		 * has used Jackson's shared mapper yet (a {@code raw} client), the first call
		 * builds it: hundreds of milliseconds, so not on the connection's I/O thread
		 * (call it after a {@code publishOn}, or call {@code JsonMapper.shared()} at
		 * start-up).
		 * @return the tree
		 * @throws WebsockexException if the text is not JSON
		 */
		public JsonNode json() {
			JsonNode node = this.json;
			if (node == null) {
				try {
					// Not a static field: making a Text must not build Jackson's mapper
					// (hundreds of classes) on the I/O thread at a raw client's first
					// frame.
					JsonMapper mapper = JsonMapper.shared();
					node = (this.utf8 != null) ? mapper.readTree(this.utf8) : mapper.readTree(text());
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
			return (other instanceof Text that) && text().equals(that.text());
		}

		@Override
		public int hashCode() {
			return text().hashCode();
		}

		@Override
		public String toString() {
			return "Text[text=" + text() + "]";
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
