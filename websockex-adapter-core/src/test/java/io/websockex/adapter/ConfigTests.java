package io.websockex.adapter;

import java.time.Duration;
import java.util.List;

import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.CostFunctions;
import io.websockex.adapter.ratelimit.RateLimit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTests {

	@Test
	void defaultsAreThoseOfTheReferenceTable() {
		Config config = Config.builder("wss://example.test/ws").build();
		assertThat(config.headers()).isEmpty();
		assertThat(config.subprotocols()).isEmpty();
		assertThat(config.subscriptions()).isEmpty();
		assertThat(config.auth()).isNull();
		assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.retryCount()).isEqualTo(Config.UNLIMITED_RETRIES);
		assertThat(config.retryDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.backoffJitter()).isEqualTo(0.2);
		assertThat(config.reconnectOnError()).isTrue();
		assertThat(config.restoreSubscriptions()).isTrue();
		assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.maxFrameSize()).isEqualTo(10 * 1024 * 1024);
		assertThat(config.compression()).isFalse();
		assertThat(config.maxHandshakeHeaderSize()).isEqualTo(8192);
		assertThat(config.pingRepliesPerSecond()).isEqualTo(100);
		assertThat(config.platform().name()).isEqualTo("json-rpc");
		assertThat(config.heartbeat()).isEqualTo(Heartbeat.none());
		assertThat(config.rateLimit()).isNull();
		assertThat(config.outboundBuffer()).isEqualTo(8192);
		assertThat(config.inboundBuffer()).isEqualTo(8192);
	}

	@Test
	void urlMustBeWebSocketWithAHost() {
		assertInvalid(Config.builder("http://example.test/ws"), "url", "ws:// or wss://");
		assertInvalid(Config.builder("ws:///path"), "url", "must have a host");
		assertInvalid(Config.builder(""), "url", "is required");
		assertInvalid(Config.builder("ws://exa mple"), "url", "not a valid URI");
	}

	@Test
	void durationsMustBePositive() {
		assertInvalid(Config.builder("ws://h").connectTimeout(Duration.ZERO), "connect-timeout", "positive");
		assertInvalid(Config.builder("ws://h").retryDelay(Duration.ofSeconds(-1)), "retry-delay", "positive");
		assertInvalid(Config.builder("ws://h").requestTimeout(Duration.ZERO), "request-timeout", "positive");
		assertInvalid(Config.builder("ws://h").shutdownTimeout(Duration.ZERO), "shutdown-timeout", "positive");
	}

	@Test
	void maxBackoffMustBeAtLeastRetryDelay() {
		assertInvalid(Config.builder("ws://h").retryDelay(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(2)),
				"max-backoff", "at least retry-delay");
	}

	@Test
	void jitterMustBeBetweenZeroAndOne() {
		assertInvalid(Config.builder("ws://h").backoffJitter(1.5), "backoff-jitter", "between 0 and 1");
		assertInvalid(Config.builder("ws://h").backoffJitter(Double.NaN), "backoff-jitter", "between 0 and 1");
	}

	@Test
	void sizesMustBePositive() {
		assertInvalid(Config.builder("ws://h").maxFrameSize(0), "max-frame-size", "at least 1");
		assertInvalid(Config.builder("ws://h").inboundBuffer(0), "inbound-buffer", "at least 1");
		assertInvalid(Config.builder("ws://h").outboundBuffer(-1), "outbound-buffer", "at least 1");
		assertInvalid(Config.builder("ws://h").maxHandshakeHeaderSize(0), "max-handshake-header-size", "at least 1");
		assertInvalid(Config.builder("ws://h").pingRepliesPerSecond(0), "ping-replies-per-second", "at least 1");
		assertInvalid(Config.builder("ws://h").retryCount(-1), "retry-count", "0");
	}

	@Test
	void subscriptionsNeedAPlatformThatHasThem() {
		assertInvalid(Config.builder("ws://h").platform(Platforms.raw()).subscriptions(List.of("a")), "subscriptions",
				"platform 'raw'");
	}

	@Test
	void nestedSettingsNameTheirProperty() {
		assertThatThrownBy(() -> Heartbeat.ping(Duration.ZERO)).isInstanceOf(InvalidConfigException.class)
			.extracting((e) -> ((InvalidConfigException) e).property())
			.isEqualTo("heartbeat.interval");
		assertThatThrownBy(
				() -> new Heartbeat(Heartbeat.Type.TEXT, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, null, null))
			.hasMessageContaining("heartbeat.message");
		assertThatThrownBy(() -> RateLimit.of(0)).hasMessageContaining("rate-limit.capacity");
		assertThatThrownBy(() -> CostFunctions.named("nope")).hasMessageContaining("rate-limit.cost")
			.hasMessageContaining("simple, deribit or binance");
		assertThatThrownBy(() -> Platforms.named("nope")).hasMessageContaining("platform")
			.hasMessageContaining("deribit, json-rpc or raw");
		assertThatThrownBy(() -> new Credentials("id", "")).hasMessageContaining("auth.client-secret");
		assertThatThrownBy(() -> new Credentials("id", "s").withRefreshAt(1.0)).hasMessageContaining("auth.refresh-at");
		assertThatThrownBy(() -> new Credentials("id", "s").withRefreshAt(0)).hasMessageContaining("auth.refresh-at");
		assertThatThrownBy(() -> Credentials.Method.named("oauth")).hasMessageContaining("auth.method")
			.hasMessageContaining("client-credentials or client-signature");
		assertThatThrownBy(() -> Config.builder("ws://h/ws").maxChannelsPerSubscribe(0).build())
			.hasMessageContaining("max-channels-per-subscribe");
	}

	@Test
	void authMethodAndChannelCapHaveTheirDefaults() {
		Credentials credentials = new Credentials("id", "secret");
		assertThat(credentials.method()).isEqualTo(Credentials.Method.CLIENT_CREDENTIALS);
		assertThat(credentials.refreshAt()).isEqualTo(0.8);
		assertThat(Credentials.Method.named("CLIENT_SIGNATURE")).isEqualTo(Credentials.Method.CLIENT_SIGNATURE);
		assertThat(Config.builder("ws://h/ws").build().maxChannelsPerSubscribe()).isEqualTo(Integer.MAX_VALUE);
		assertThat(Config.builder("ws://h/ws")
			.maxChannelsPerSubscribe(20)
			.build()
			.toBuilder()
			.build()
			.maxChannelsPerSubscribe()).isEqualTo(20);
	}

	@Test
	void toStringHidesSecrets() {
		Config config = Config.builder("wss://user:pa55word@example.test/ws?token=t0ps3cret&x=1")
			.header("Authorization", "Bearer abcdef")
			.auth(new Credentials("my-id", "s3cr3t-value"))
			.build();
		assertThat(config.toString()).doesNotContain("pa55word", "t0ps3cret", "abcdef", "s3cr3t-value")
			.contains("Authorization");
		assertThat(config.maskedUrl()).isEqualTo("wss://******@example.test/ws?token=******&x=******");
		assertThat(config.auth().toString()).doesNotContain("s3cr3t-value");
		assertThat(Config.builder("wss://h/ws?sk_live_bare&a=1").build().maskedUrl())
			.isEqualTo("wss://h/ws?******&a=******");
		// Keys that node providers put in the path.
		assertThat(
				Config.builder("wss://mainnet.example.test/ws/v3/9aa3d95b3bc440fa88ea12eaa4456161").build().maskedUrl())
			.isEqualTo("wss://mainnet.example.test/ws/v3/******");
		assertThat(Config.builder("wss://node.example.test/aB3dE5gH7jK9mN1pQ3sT/").build().maskedUrl())
			.isEqualTo("wss://node.example.test/******/");
		assertThat(Config.builder("wss://test.example.test/ws/api/v2").build().maskedUrl())
			.isEqualTo("wss://test.example.test/ws/api/v2");
		assertThat(Config.builder("wss://h/stream/btcusdt@aggTrade/marketdatafeedlongname").build().maskedUrl())
			.isEqualTo("wss://h/stream/btcusdt@aggTrade/marketdatafeedlongname");
	}

	@Test
	void toBuilderCopiesEverything() {
		Config config = Config.builder("ws://h:1/p")
			.header("a", "b")
			.retryCount(3)
			.subscriptions(List.of("x"))
			.heartbeat(Heartbeat.ping(Duration.ofSeconds(3)))
			.build();
		Config copy = config.toBuilder().build();
		assertThat(copy.toString()).isEqualTo(config.toString());
		assertThat(copy.headers()).isEqualTo(config.headers());
	}

	private static void assertInvalid(Config.Builder builder, String property, String text) {
		assertThatThrownBy(builder::build).isInstanceOf(InvalidConfigException.class)
			.hasMessageContaining(text)
			.extracting((e) -> ((InvalidConfigException) e).property())
			.isEqualTo(property);
	}

}
