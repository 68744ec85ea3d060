package io.websockex.adapter.internal.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.websockex.adapter.Config;
import io.websockex.adapter.InvalidConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The upgrade request written by hand, and the checks of the server's answer that RFC
 * 6455 4.1 and RFC 7692 ask of a client.
 */
class UpgradeHandshakeTests {

	@Test
	void theRequestCarriesPathQueryHostKeyAndTheConfiguredOffers() {
		Config config = Config.builder("ws://127.0.0.1:9001/stream/v2?depth=5&token=abc")
			.header("X-Api-Key", "secret-value")
			.subprotocols(List.of("v2.json", "v1.json"))
			.compression(true)
			.build();
		String request = request(new UpgradeHandshake(config.url(), config));

		assertThat(request).startsWith("GET /stream/v2?depth=5&token=abc HTTP/1.1\r\n")
			.contains("\r\nHost: 127.0.0.1:9001\r\n")
			.contains("\r\nUpgrade: websocket\r\n")
			.contains("\r\nConnection: Upgrade\r\n")
			.contains("\r\nSec-WebSocket-Version: 13\r\n")
			.contains("\r\nSec-WebSocket-Protocol: v2.json,v1.json\r\n")
			.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, deflate-frame, "
					+ "x-webkit-deflate-frame\r\n")
			.contains("\r\nX-Api-Key: secret-value\r\n")
			.contains("\r\nUser-Agent: websockex\r\n")
			.endsWith("\r\n\r\n");
		assertThat(Base64.getDecoder().decode(key(request))).hasSize(16);
	}

	@Test
	void theDefaultPortIsLeftOutOfHostAndAnIpv6LiteralKeepsItsBrackets() {
		Config secure = Config.builder("wss://stream.example.com/ws").build();
		assertThat(request(new UpgradeHandshake(secure.url(), secure))).startsWith("GET /ws HTTP/1.1\r\n")
			.contains("\r\nHost: stream.example.com\r\n");
		Config plain = Config.builder("ws://[::1]:80").build();
		assertThat(request(new UpgradeHandshake(plain.url(), plain))).startsWith("GET / HTTP/1.1\r\n")
			.contains("\r\nHost: [::1]\r\n");
	}

	@Test
	void aUserAgentOfTheConfigurationReplacesTheDefaultAndNoOfferIsMadeUnlessConfigured() {
		Config config = Config.builder("ws://127.0.0.1:9001/").header("user-agent", "desk/1").build();
		String request = request(new UpgradeHandshake(config.url(), config));
		assertThat(request).contains("\r\nuser-agent: desk/1\r\n")
			.doesNotContain("websockex")
			.doesNotContain("Sec-WebSocket-Protocol")
			.doesNotContain("Sec-WebSocket-Extensions");
	}

	@Test
	void theHandshakesOwnHeadersWinOverConfiguredOnesAndOriginDefaultsToTheHost() {
		Config config = Config.builder("wss://127.0.0.1:9443/")
			.header("Host", "elsewhere.example.com")
			.header("Sec-WebSocket-Version", "8")
			.header("X-Name", "caf\u00e9")
			.build();
		String request = request(new UpgradeHandshake(config.url(), config));
		assertThat(request).contains("\r\nHost: 127.0.0.1:9443\r\n")
			.doesNotContain("elsewhere")
			.contains("\r\nSec-WebSocket-Version: 13\r\n")
			.doesNotContain("Version: 8")
			.contains("\r\nOrigin: https://127.0.0.1:9443\r\n");
		ByteBuf bytes = new UpgradeHandshake(config.url(), config).request(ByteBufAllocator.DEFAULT);
		try {
			// ISO-8859-1, as Netty writes header values: one byte for the e acute.
			assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).contains("X-Name: caf\u00e9\r\n");
		}
		finally {
			bytes.release();
		}
		Config own = Config.builder("ws://127.0.0.1:9001/").header("Origin", "https://desk.example.com").build();
		assertThat(request(new UpgradeHandshake(own.url(), own))).contains("\r\nOrigin: https://desk.example.com\r\n")
			.doesNotContain("Origin: http://127.0.0.1");
	}

	@Test
	void answersWithBareLineFeedsOrRepeatedHeaderLinesAreRead() throws Exception {
		Config config = Config.builder("ws://127.0.0.1:9001/").build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		String accept = accept(key(request(handshake)));
		assertThat(handshake.accept("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: keep-alive\n"
				+ "Connection: Upgrade\nSec-WebSocket-Accept: " + accept + "\n\n"))
			.isEqualTo(MessageInflater.Mode.NONE);
		assertThatExceptionOfType(WebSocketClientHandshakeException.class)
			.isThrownBy(() -> handshake.accept("HTTP/1.1 1010 Nope\r\nUpgrade: websocket"))
			.satisfies((error) -> assertThat(FailureClassifier.upgradeStatus(error)).isEqualTo(-1));
	}

	@Test
	void theServersValuesInAnErrorHaveTheSecretsMaskedAndStayOnOneLine() throws Exception {
		Config config = Config.builder("ws://127.0.0.1:9001/").header("X-Api-Key", "s3cr3t-value").build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		String accept = accept(key(request(handshake)));
		assertThatExceptionOfType(WebSocketClientHandshakeException.class)
			.isThrownBy(() -> handshake.accept("HTTP/1.1 101 OK\r\nUpgrade: s3cr3t-value\u0007\u001b[2J"
					+ "x".repeat(100) + "\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept))
			.satisfies((error) -> assertThat(error.getMessage()).doesNotContain("s3cr3t")
				.contains("******")
				.doesNotContain("\u0007")
				.doesNotContain("\u001b")
				.contains("..."));
	}

	@Test
	void subprotocolsMustBeTokens() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> Config.builder("ws://127.0.0.1:1/").subprotocols(List.of("v1\r\nX-Evil: 1")).build())
			.withMessageContaining("subprotocols");
	}

	@Test
	void headersThatWouldBreakTheRequestAreRefusedByTheConfigurationWithoutShowingTheValue() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> Config.builder("ws://127.0.0.1:1/").header("X-Token", "abc\r\nX-Evil: 1").build())
			.withMessageContaining("headers.X-Token")
			.withMessageNotContaining("abc");
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> Config.builder("ws://127.0.0.1:1/").header("Bad Name", "v").build())
			.withMessageContaining("'Bad Name'");
	}

	@Test
	void aValidAnswerIsAcceptedWhateverTheCaseOfItsHeaders() throws Exception {
		Config config = Config.builder("ws://127.0.0.1:9001/").subprotocols(List.of("v2")).build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		String key = key(request(handshake));
		String answer = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
				+ "sec-websocket-accept: " + accept(key) + "\r\nSec-WebSocket-Protocol: v2";
		assertThat(handshake.accept(answer)).isEqualTo(MessageInflater.Mode.NONE);
	}

	@Test
	void aRefusalCarriesItsStatusForTheFailureClassifier() throws Exception {
		Config config = Config.builder("ws://127.0.0.1:9001/").build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		assertThatExceptionOfType(WebSocketClientHandshakeException.class)
			.isThrownBy(() -> handshake.accept("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0"))
			.satisfies((error) -> {
				assertThat(FailureClassifier.upgradeStatus(error)).isEqualTo(401);
				assertThat(FailureClassifier.isFatal(error)).isTrue();
				assertThat(FailureClassifier.describe(error, List.of())).contains("upgrade rejected with HTTP 401");
			});
		assertThatExceptionOfType(WebSocketClientHandshakeException.class)
			.isThrownBy(() -> handshake.accept("SSH-2.0-OpenSSH_9.6"))
			.withMessageContaining("not HTTP/1.1");
	}

	@Test
	void anAnswerThatRfc6455TellsTheClientToFailIsRefusedAs101() throws Exception {
		Config config = Config.builder("ws://127.0.0.1:9001/").subprotocols(List.of("v2")).build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		String accept = accept(key(request(handshake)));
		String good = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

		assertRefused(handshake, good + "Sec-WebSocket-Accept: " + accept("AAAAAAAAAAAAAAAAAAAAAA=="),
				"Sec-WebSocket-Accept does not match");
		assertRefused(handshake, "HTTP/1.1 101 OK\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept,
				"Upgrade header is missing");
		assertRefused(handshake, "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + accept,
				"Connection header is missing");
		assertRefused(handshake, good + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: v3",
				"subprotocol 'v3', which was not offered");
		assertRefused(handshake, good + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Extensions: foo",
				"none of which were offered");
	}

	@Test
	void theCompressionTheServerChoseIsReadAndUnknownParametersAreRefused() throws Exception {
		Config config = Config.builder("ws://127.0.0.1:9001/").compression(true).build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept(key(request(handshake))) + "\r\nSec-WebSocket-Extensions: ";

		assertThat(handshake.accept(head + "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"))
			.isEqualTo(MessageInflater.Mode.PER_MESSAGE);
		assertThat(handshake.accept(head + "x-webkit-deflate-frame")).isEqualTo(MessageInflater.Mode.PER_FRAME);
		assertThat(handshake.accept(head.replace("\r\nSec-WebSocket-Extensions: ", "")))
			.isEqualTo(MessageInflater.Mode.NONE);
		assertRefused(handshake, head + "permessage-deflate; mystery=1", "parameter 'mystery'");
		assertRefused(handshake, head + "permessage-deflate, deflate-frame", "more than one extension");
		assertRefused(handshake, head + "permessage-snappy", "extension 'permessage-snappy'");
	}

	@Test
	void statusLineAndHeadersAreBoundedApart() {
		Config config = Config.builder("ws://127.0.0.1:9001/").maxHandshakeHeaderSize(100).build();
		UpgradeHandshake handshake = new UpgradeHandshake(config.url(), config);
		String within = "HTTP/1.1 101 " + "x".repeat(3000) + "\r\n" + "H: " + "v".repeat(90);
		String over = "HTTP/1.1 101 OK\r\n" + "H: " + "v".repeat(120);
		assertThat(handshake.withinBounds(ascii(within), 0, within.length())).isTrue();
		assertThat(handshake.withinBounds(ascii(over), 0, over.length())).isFalse();
		assertThat(FailureClassifier.describe(handshake.tooLong(), List.of()))
			.contains("larger than max-handshake-header-size");
	}

	private static void assertRefused(UpgradeHandshake handshake, String head, String message) {
		assertThatExceptionOfType(WebSocketClientHandshakeException.class).isThrownBy(() -> handshake.accept(head))
			.withMessageContaining(message)
			.satisfies((error) -> assertThat(FailureClassifier.describe(error, List.of()))
				.contains("upgrade response was incomplete or invalid"));
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
	}

	private static String request(UpgradeHandshake handshake) {
		ByteBuf bytes = handshake.request(ByteBufAllocator.DEFAULT);
		try {
			return bytes.toString(StandardCharsets.UTF_8);
		}
		finally {
			bytes.release();
		}
	}

	private static String key(String request) {
		int start = request.indexOf("Sec-WebSocket-Key: ") + "Sec-WebSocket-Key: ".length();
		return request.substring(start, request.indexOf("\r\n", start));
	}

	private static String accept(String key) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-1")
			.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
		return Base64.getEncoder().encodeToString(digest);
	}

}
