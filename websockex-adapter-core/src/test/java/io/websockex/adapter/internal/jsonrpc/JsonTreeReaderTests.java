package io.websockex.adapter.internal.jsonrpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonTreeReader} against Jackson itself: every tree it reads equals the mapper's
 * tree of the same bytes (node types included), and it gives up on whatever it does not
 * read, never on JSON it does; what Jackson rejects it never accepts.
 */
class JsonTreeReaderTests {

	private static final JsonMapper MAPPER = JsonMapper.shared();

	private static JsonNode read(String json) {
		return JsonTreeReader.over(json.getBytes(StandardCharsets.UTF_8), MAPPER.getNodeFactory()).readDocument();
	}

	@Test
	void readsTheSameTreeAsJacksonForRandomDocuments() {
		Random random = new Random(8259);
		for (int i = 0; i < 20_000; i++) {
			StringBuilder json = new StringBuilder();
			value(random, json, 0);
			String text = json.toString();
			JsonNode ours = read(text);
			assertThat(ours).as(text).isNotNull();
			assertThat(ours).as(text).isEqualTo(MAPPER.readTree(text));
		}
	}

	@Test
	void readsNumbersAsJacksonsNodeTypes() {
		for (String number : List.of("0", "-0", "7", "-2147483648", "2147483647", "2147483648", "-2147483649",
				"999999999999999999", "-999999999999999999", "1234567890123456789", "-9223372036854775808",
				"9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0", "1e3", "1E-3", "2.5e+10",
				"64000.25", "1700000000000", "0.1", "123456789.123456789", "4.9e-324", "1.7976931348623157e308")) {
			assertThat(read(number)).as(number).isEqualTo(MAPPER.readTree(number));
			assertThat(read(number).getClass()).as(number).isEqualTo(MAPPER.readTree(number).getClass());
		}
	}

	@Test
	void leavesToJacksonWhatItDoesNotRead() {
		// Valid JSON that it leaves alone: Jackson reads it.
		String deep = "[".repeat(300) + "]".repeat(300);
		assertThat(read(deep)).isNull();
		assertThat(MAPPER.readTree(deep)).isNotNull();
		// Past Jackson's own bounds: Jackson decides (and rejects).
		assertThat(read("1" + "0".repeat(1000))).isNull();
		// Malformed UTF-8 (a bare continuation byte, an overlong form, an encoded
		// surrogate, a truncated sequence, past U+10FFFF): Jackson decides.
		for (byte[] bad : List.of(new byte[] { '"', (byte) 0x80, '"' },
				new byte[] { '"', (byte) 0xC0, (byte) 0xAF, '"' },
				new byte[] { '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' },
				new byte[] { '"', (byte) 0xE2, (byte) 0x82, '"' },
				new byte[] { '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"' })) {
			assertThat(JsonTreeReader.over(bad, MAPPER.getNodeFactory()).readDocument()).isNull();
		}
	}

	@Test
	void readsUtf8StringsAndNamesAsJacksonDoes() {
		for (String json : List.of("\"caf\u00e9\"", "{\"\u20ac\":1}", "[\"\uD83D\uDE00 and \\n \u00fc\"]",
				"{\"\u00e9\\t\":\"\u4e2d\u6587\"}")) {
			assertThat(read(json)).as(json).isNotNull().isEqualTo(MAPPER.readTree(json));
		}
	}

	@Test
	void neverAcceptsWhatJacksonRejects() {
		for (String json : List.of("", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "01", "-",
				"1.", ".5", "1e", "1e+", "+1", "tru", "truex", "nul", "\"abc", "\"a\\x\"", "\"a\\u12\"",
				"\"tab\there\"", "{a:1}", "{'a':1}", "[1]]", "{} {}", "NaN", "1 2", "\"a\" b", "[nulls]", "1x")) {
			assertThat(read(json)).as(json).isNull();
			assertThat(rejectedByJackson(json)).as(json).isTrue();
		}
	}

	private static boolean rejectedByJackson(String json) {
		try {
			JsonNode tree = MAPPER.readerFor(JsonNode.class)
				.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
				.readValue(json);
			return tree == null || tree.isMissingNode();
		}
		catch (JacksonException ex) {
			return true;
		}
	}

	@Test
	void supportsOnlyMappersThatReadTreesTheDefaultWay() {
		assertThat(JsonTreeReader.supports(MAPPER)).isTrue();
		assertThat(JsonTreeReader
			.supports(JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build()))
			.isFalse();
		assertThat(JsonTreeReader
			.supports(JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build()))
			.isFalse();
		assertThat(JsonTreeReader
			.supports(JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())).isFalse();
		JsonFactory shallow = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10).build())
			.build();
		assertThat(JsonTreeReader.supports(JsonMapper.builder(shallow).build())).isFalse();
	}

	private static void value(Random random, StringBuilder json, int depth) {
		int kind = random.nextInt((depth > 4) ? 6 : 8);
		switch (kind) {
			case 0 -> json.append(random.nextBoolean() ? "true" : "false");
			case 1 -> json.append("null");
			case 2 -> string(random, json);
			case 3 -> json.append(random.nextInt());
			case 4 -> json.append(random.nextLong() / (1L << random.nextInt(40)));
			case 5 -> json.append(floating(random));
			case 6 -> {
				json.append('{').append(space(random));
				int fields = random.nextInt(5);
				for (int i = 0; i < fields; i++) {
					if (i > 0) {
						json.append(',').append(space(random));
					}
					// Few names, so that some repeat.
					json.append("\"k").append(random.nextInt(6)).append('"').append(space(random)).append(':');
					value(random, json, depth + 1);
				}
				json.append(space(random)).append('}');
			}
			default -> {
				json.append('[');
				int items = random.nextInt(5);
				for (int i = 0; i < items; i++) {
					if (i > 0) {
						json.append(',');
					}
					json.append(space(random));
					value(random, json, depth + 1);
				}
				json.append(']');
			}
		}
	}

	private static String floating(Random random) {
		return switch (random.nextInt(4)) {
			case 0 -> Double.toString(random.nextDouble() * 100_000);
			case 1 -> String.format(java.util.Locale.ROOT, "%.2f", random.nextDouble() * 70_000);
			case 2 -> random.nextInt(1000) + "e" + (random.nextInt(40) - 20);
			default -> "-" + random.nextInt(10) + "." + random.nextInt(1_000_000) + "E+" + random.nextInt(30);
		};
	}

	private static void string(Random random, StringBuilder json) {
		json.append('"');
		int length = random.nextInt(12);
		for (int i = 0; i < length; i++) {
			int pick = random.nextInt(20);
			switch (pick) {
				case 0 -> json.append("\\\"");
				case 1 -> json.append("\\\\");
				case 2 -> json.append("\\n");
				case 3 -> json.append("\\u00e9");
				case 4 -> json.append("\\/");
				case 5 -> json.append("\\uD83D\\uDE00");
				case 6 -> json.append('\u00e9');
				case 7 -> json.append('\u20ac');
				case 8 -> json.append("\uD83D\uDE00");
				default -> {
					char c = (char) (' ' + random.nextInt(95));
					json.append((c == '"' || c == '\\') ? 'x' : c);
				}
			}
		}
		json.append('"');
	}

	private static String space(Random random) {
		return switch (random.nextInt(6)) {
			case 0 -> " ";
			case 1 -> "\n\t ";
			default -> "";
		};
	}

}
