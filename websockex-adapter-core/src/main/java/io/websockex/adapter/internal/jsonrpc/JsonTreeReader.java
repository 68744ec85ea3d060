package io.websockex.adapter.internal.jsonrpc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the JSON of one text frame into Jackson's tree, or skips parts of it, straight
 * from its bytes: no parser object, no read context, no deserialization context per
 * frame, which is where most of Jackson's cost for a message of a few hundred bytes goes.
 * <p>
 * Strict and deliberately narrow: it reads RFC 8259 JSON in well-formed UTF-8 and builds
 * the nodes the mapper's {@link JsonNodeFactory} builds for it, so the tree equals
 * Jackson's. At anything else (bad JSON, malformed UTF-8, a number longer than Jackson
 * allows, nesting past {@value #MAX_DEPTH}) it gives up, returning {@code null}, and the
 * caller hands the frame to Jackson, which decides. Use it only when {@link #supports}
 * says the mapper reads trees the default way. One instance per frame, on one thread.
 */
public final class JsonTreeReader {

	private static final int MAX_DEPTH = 200;

	private static final int MAX_INTEGER_DIGITS = 18;

	// Jackson's default bound (StreamReadConstraints): longer ones are its to reject.
	private static final int MAX_NUMBER_LENGTH = 1000;

	private static final int MAX_CACHED_NAME = 48;

	// A power of two; 512 names of at most 48 characters are under 50 KB.
	private static final String[] NAMES = new String[512];

	/** What the reader returns for a value it skipped, and in place of no value. */
	private static final Object SKIPPED = new Object();

	private final byte[] json;

	private final JsonNodeFactory nodes;

	private int at;

	private int depth;

	private JsonTreeReader(byte[] json, JsonNodeFactory nodes) {
		this.json = json;
		this.nodes = nodes;
	}

	/**
	 * Whether the mapper builds trees the way this reader does: the defaults for numbers,
	 * duplicate keys and null properties, and parsing bounds no stricter than Jackson's
	 * defaults.
	 * @param mapper the mapper
	 * @return {@code true} if the reader's trees equal the mapper's
	 */
	public static boolean supports(JsonMapper mapper) {
		DeserializationConfig config = mapper.deserializationConfig();
		// Its bounds must be Jackson's defaults or looser: what this reader accepts, the
		// mapper must not reject.
		StreamReadConstraints bounds = mapper.tokenStreamFactory().streamReadConstraints();
		boolean looseEnough = bounds.getMaxNestingDepth() >= MAX_DEPTH
				&& bounds.getMaxNumberLength() >= MAX_NUMBER_LENGTH
				&& bounds.getMaxNameLength() >= StreamReadConstraints.DEFAULT_MAX_NAME_LEN
				&& bounds.getMaxStringLength() >= StreamReadConstraints.DEFAULT_MAX_STRING_LEN
				&& bounds.getMaxDocumentLength() < 0 && bounds.getMaxTokenCount() < 0;
		return looseEnough && !config.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
				&& !config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
				&& !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
				&& !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
				&& !config.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
				&& !config.isEnabled(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
				&& config.isEnabled(JsonNodeFeature.READ_NULL_PROPERTIES);
	}

	/**
	 * A reader at the start of {@code json}.
	 * @param json the frame's UTF-8 bytes
	 * @param nodes the mapper's node factory
	 * @return the reader
	 */
	public static JsonTreeReader over(byte[] json, JsonNodeFactory nodes) {
		return new JsonTreeReader(json, nodes);
	}

	/**
	 * Read the whole input as one value.
	 * @return the tree, or {@code null} to leave the input to Jackson
	 */
	public @Nullable JsonNode readDocument() {
		this.at = 0;
		this.depth = 0;
		JsonNode value = readValue();
		return (value != null && atEnd()) ? value : null;
	}

	/**
	 * Move past whitespace, then past {@code expected} if it is next.
	 * @param expected an ASCII character
	 * @return whether it was next
	 */
	public boolean consume(char expected) {
		skipWhitespace();
		if (this.at < this.json.length && this.json[this.at] == expected) {
			this.at++;
			return true;
		}
		return false;
	}

	/**
	 * Whether {@code expected} is next, after whitespace; nothing is consumed but the
	 * whitespace.
	 * @param expected an ASCII character
	 * @return whether it is next
	 */
	public boolean peek(char expected) {
		skipWhitespace();
		return this.at < this.json.length && this.json[this.at] == expected;
	}

	/**
	 * Whether only whitespace is left.
	 * @return {@code true} at the end of the input
	 */
	public boolean atEnd() {
		skipWhitespace();
		return this.at == this.json.length;
	}

	/**
	 * Read a string, after whitespace.
	 * @return the string, or {@code null} if none is next or it is not one this reader
	 * reads
	 */
	public @Nullable String readString() {
		skipWhitespace();
		if (this.at >= this.json.length || this.json[this.at] != '"') {
			return null;
		}
		return string(true, true);
	}

	/**
	 * Read the next value into a tree.
	 * @return the tree, or {@code null} to leave the input to Jackson
	 */
	public @Nullable JsonNode readValue() {
		Object value = value(true);
		return (value instanceof JsonNode node) ? node : null;
	}

	/**
	 * Move past the next value, checking it as {@link #readValue} would.
	 * @return {@code false} to leave the input to Jackson
	 */
	public boolean skipValue() {
		return value(false) != null;
	}

	// A JsonNode when building, SKIPPED when not, null to give up.
	private @Nullable Object value(boolean build) {
		skipWhitespace();
		if (this.at >= this.json.length) {
			return null;
		}
		byte next = this.json[this.at];
		switch (next) {
			case '{':
				return object(build);
			case '[':
				return array(build);
			case '"': {
				String text = string(build, false);
				return (text == null) ? null : build ? this.nodes.stringNode(text) : SKIPPED;
			}
			case 't':
				return literal("true") ? (build ? this.nodes.booleanNode(true) : SKIPPED) : null;
			case 'f':
				return literal("false") ? (build ? this.nodes.booleanNode(false) : SKIPPED) : null;
			case 'n':
				return literal("null") ? (build ? this.nodes.nullNode() : SKIPPED) : null;
			default:
				return (next == '-' || (next >= '0' && next <= '9')) ? number(build) : null;
		}
	}

	private @Nullable Object object(boolean build) {
		if (++this.depth > MAX_DEPTH) {
			return null;
		}
		this.at++;
		ObjectNode object = build ? this.nodes.objectNode() : null;
		if (!consume('}')) {
			do {
				String name = readString();
				if (name == null || !consume(':')) {
					return null;
				}
				Object value = value(build);
				if (value == null) {
					return null;
				}
				if (object != null) {
					// The last of repeated keys wins, in the first one's place, as in
					// Jackson's trees.
					object.set(name, (JsonNode) value);
				}
			}
			while (consume(','));
			if (!consume('}')) {
				return null;
			}
		}
		this.depth--;
		return (object != null) ? object : SKIPPED;
	}

	private @Nullable Object array(boolean build) {
		if (++this.depth > MAX_DEPTH) {
			return null;
		}
		this.at++;
		ArrayNode array = build ? this.nodes.arrayNode() : null;
		if (!consume(']')) {
			do {
				Object value = value(build);
				if (value == null) {
					return null;
				}
				if (array != null) {
					array.add((JsonNode) value);
				}
			}
			while (consume(','));
			if (!consume(']')) {
				return null;
			}
		}
		this.depth--;
		return (array != null) ? array : SKIPPED;
	}

	// At the opening quote. Bytes past ASCII must be well-formed UTF-8 (RFC 3629, checked
	// here): Jackson rejects malformed UTF-8 where the JDK's decoder would put in a
	// replacement character, so malformed input is left to Jackson.
	private @Nullable String string(boolean build, boolean name) {
		int start = ++this.at;
		byte[] json = this.json;
		boolean ascii = true;
		for (int i = start; i < json.length; i++) {
			byte b = json[i];
			if (b == '"') {
				this.at = i + 1;
				if (name && i - start > StreamReadConstraints.DEFAULT_MAX_NAME_LEN) {
					// Jackson's to reject.
					return null;
				}
				if (!build) {
					return "";
				}
				if (!ascii) {
					return new String(json, start, i - start, StandardCharsets.UTF_8);
				}
				return name ? name(start, i) : new String(json, start, i - start, StandardCharsets.ISO_8859_1);
			}
			if (b == '\\') {
				return escapedString(start, i, build);
			}
			if (b < 0) {
				int length = utf8Sequence(json, i);
				if (length < 0) {
					return null;
				}
				i += length - 1;
				ascii = false;
			}
			else if (b < 0x20) {
				return null;
			}
		}
		return null;
	}

	// The length of the well-formed UTF-8 sequence at i, or -1: no overlong forms, no
	// surrogates, nothing past U+10FFFF.
	private static int utf8Sequence(byte[] json, int i) {
		int lead = json[i] & 0xFF;
		int length;
		int secondMin = 0x80;
		int secondMax = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			length = 2;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			length = 3;
			secondMin = (lead == 0xE0) ? 0xA0 : 0x80;
			secondMax = (lead == 0xED) ? 0x9F : 0xBF;
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			length = 4;
			secondMin = (lead == 0xF0) ? 0x90 : 0x80;
			secondMax = (lead == 0xF4) ? 0x8F : 0xBF;
		}
		else {
			return -1;
		}
		if (i + length > json.length) {
			return -1;
		}
		int second = json[i + 1] & 0xFF;
		if (second < secondMin || second > secondMax) {
			return -1;
		}
		for (int k = 2; k < length; k++) {
			int next = json[i + k] & 0xFF;
			if (next < 0x80 || next > 0xBF) {
				return -1;
			}
		}
		return length;
	}

	// Field names (and channels, methods) repeat in every frame: a String each time was
	// a fifth of a response's allocations. A small table shared by all readers keeps the
	// last one seen per slot; racing writers only cost a miss, a String being immutable.
	private String name(int start, int end) {
		int length = end - start;
		byte[] json = this.json;
		if (length > MAX_CACHED_NAME) {
			return new String(json, start, length, StandardCharsets.ISO_8859_1);
		}
		int hash = length;
		for (int i = start; i < end; i++) {
			hash = 31 * hash + json[i];
		}
		int slot = (hash ^ (hash >>> 16)) & (NAMES.length - 1);
		String cached = NAMES[slot];
		if (cached != null && cached.length() == length) {
			int i = 0;
			while (i < length && cached.charAt(i) == json[start + i]) {
				i++;
			}
			if (i == length) {
				return cached;
			}
		}
		String created = new String(json, start, length, StandardCharsets.ISO_8859_1);
		NAMES[slot] = created;
		return created;
	}

	private @Nullable String escapedString(int start, int firstEscape, boolean build) {
		byte[] json = this.json;
		// What came before the escape was checked by string().
		StringBuilder text = new StringBuilder(firstEscape - start + 16);
		text.append(new String(json, start, firstEscape - start, StandardCharsets.UTF_8));
		int i = firstEscape;
		while (i < json.length) {
			byte b = json[i++];
			if (b == '"') {
				this.at = i;
				return build ? text.toString() : "";
			}
			if (b < 0) {
				int length = utf8Sequence(json, i - 1);
				if (length < 0) {
					return null;
				}
				text.append(new String(json, i - 1, length, StandardCharsets.UTF_8));
				i += length - 1;
				continue;
			}
			if (b < 0x20) {
				return null;
			}
			if (b != '\\') {
				text.append((char) b);
				continue;
			}
			if (i >= json.length) {
				return null;
			}
			byte escaped = json[i++];
			switch (escaped) {
				case '"', '\\', '/' -> text.append((char) escaped);
				case 'b' -> text.append('\b');
				case 'f' -> text.append('\f');
				case 'n' -> text.append('\n');
				case 'r' -> text.append('\r');
				case 't' -> text.append('\t');
				case 'u' -> {
					if (i + 4 > json.length) {
						return null;
					}
					int code = 0;
					for (int k = 0; k < 4; k++) {
						int digit = Character.digit(json[i++], 16);
						if (digit < 0) {
							return null;
						}
						code = (code << 4) | digit;
					}
					text.append((char) code);
				}
				default -> {
					return null;
				}
			}
		}
		return null;
	}

	private boolean literal(String word) {
		int end = this.at + word.length();
		if (end > this.json.length) {
			return false;
		}
		for (int i = 0; i < word.length(); i++) {
			if (this.json[this.at + i] != word.charAt(i)) {
				return false;
			}
		}
		this.at = end;
		// "truex" is not a literal followed by something: Jackson reads it as one bad
		// token.
		return end == this.json.length || !isTokenChar(this.json[end]);
	}

	private @Nullable Object number(boolean build) {
		byte[] json = this.json;
		int start = this.at;
		int i = start;
		boolean negative = json[i] == '-';
		if (negative) {
			i++;
		}
		int digitsStart = i;
		long value = 0;
		while (i < json.length && json[i] >= '0' && json[i] <= '9') {
			value = value * 10 + (json[i] - '0');
			i++;
		}
		int digits = i - digitsStart;
		if (digits == 0 || (digits > 1 && json[digitsStart] == '0')) {
			return null;
		}
		boolean floating = false;
		if (i < json.length && json[i] == '.') {
			floating = true;
			int fractionStart = ++i;
			while (i < json.length && json[i] >= '0' && json[i] <= '9') {
				i++;
			}
			if (i == fractionStart) {
				return null;
			}
		}
		if (i < json.length && (json[i] == 'e' || json[i] == 'E')) {
			floating = true;
			i++;
			if (i < json.length && (json[i] == '+' || json[i] == '-')) {
				i++;
			}
			int exponentStart = i;
			while (i < json.length && json[i] >= '0' && json[i] <= '9') {
				i++;
			}
			if (i == exponentStart) {
				return null;
			}
		}
		if ((i < json.length && isTokenChar(json[i])) || i - start > MAX_NUMBER_LENGTH) {
			return null;
		}
		this.at = i;
		if (!build) {
			return SKIPPED;
		}
		if (floating) {
			// Correctly rounded, as Jackson's parsers are: the same double.
			return this.nodes
				.numberNode(Double.parseDouble(new String(json, start, i - start, StandardCharsets.ISO_8859_1)));
		}
		if (digits > MAX_INTEGER_DIGITS) {
			// Past what a long surely holds: a long if it fits, else a big integer, as
			// Jackson picks.
			String text = new String(json, start, i - start, StandardCharsets.ISO_8859_1);
			try {
				return this.nodes.numberNode(Long.parseLong(text));
			}
			catch (NumberFormatException ex) {
				return this.nodes.numberNode(new BigInteger(text));
			}
		}
		long signed = negative ? -value : value;
		// Jackson's smallest type that holds it: int, then long.
		return (signed == (int) signed) ? this.nodes.numberNode((int) signed) : this.nodes.numberNode(signed);
	}

	private static boolean isTokenChar(byte b) {
		return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '-'
				|| b == '+' || b == '_' || b < 0;
	}

	private void skipWhitespace() {
		byte[] json = this.json;
		int i = this.at;
		while (i < json.length) {
			byte b = json[i];
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				break;
			}
			i++;
		}
		this.at = i;
	}

}
