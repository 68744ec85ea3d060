package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.platform.Platform;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link WebsockexListener} methods receive a live client's messages.
 */
class WebsockexListenerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WebsockexTestServer server = WebsockexTestServer.raw();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
		.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
				"websockex.clients.feed.retry-delay=100ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private static String notification(String channel, String data) {
		return "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"" + channel + "\",\"data\":"
				+ data + "}}";
	}

	private void connected(org.springframework.context.ApplicationContext context) {
		context.getBean(WebsockexClients.class).get("feed").awaitConnected().block(WAIT);
		// The client may see the upgrade before the server registered its session.
		await().atMost(WAIT).until(() -> this.server.openConnections().size() == 1);
	}

	@Test
	void listenersWithoutAChannelReceiveEveryMessageAsStringJsonOrMessage() {
		this.runner.withBean(WholeMessages.class).run((context) -> {
			connected(context);
			WholeMessages listener = context.getBean(WholeMessages.class);
			this.server.send("hello");
			this.server.send("{\"a\":1}");
			this.server.openConnections().forEach((session) -> session.sendBinary(new byte[] { 7 }));
			// Each method is its own subscriber, delivered independently: wait for all
			// four.
			await().atMost(WAIT)
				.until(() -> listener.messages.size() >= 3 && listener.strings.size() >= 2 && listener.json.size() >= 1
						&& listener.bytes.size() >= 1);
			assertThat(listener.messages).hasSize(3);
			assertThat(listener.strings).containsExactly("hello", "{\"a\":1}");
			assertThat(listener.json).singleElement()
				.satisfies((json) -> assertThat(json.get("a").asInt()).isEqualTo(1));
			assertThat(listener.bytes).singleElement().satisfies((bytes) -> assertThat(bytes).containsExactly(7));
		});
	}

	@Test
	void channelListenersReceiveTheDataOfMatchingNotifications() {
		this.runner.withBean(Channels.class).run((context) -> {
			connected(context);
			Channels listener = context.getBean(Channels.class);
			this.server.send(notification("ticker.BTC-PERPETUAL.raw", "{\"instrument\":\"BTC\",\"price\":42.5}"));
			this.server.send(notification("book.BTC", "{\"bids\":[]}"));
			this.server.send(notification("ticker.ETH-PERPETUAL.raw", "{\"instrument\":\"ETH\",\"price\":3.5}"));
			this.server.send(notification("trades.BTC", "\"plain\""));
			await().atMost(WAIT)
				.until(() -> listener.tickers.size() == 2 && listener.books.size() == 1 && listener.channels.size() == 2
						&& listener.trades.size() == 1);
			assertThat(listener.tickers).containsExactly(new Ticker("BTC", 42.5), new Ticker("ETH", 3.5));
			assertThat(listener.books).singleElement().satisfies((data) -> assertThat(data.has("bids")).isTrue());
			assertThat(listener.channels).containsExactly("ticker.BTC-PERPETUAL.raw", "ticker.ETH-PERPETUAL.raw");
			assertThat(listener.trades).containsExactly("plain");
		});
	}

	@Test
	void aThrowingListenerIsCountedAndKeepsReceiving() {
		this.runner.withBean(Failing.class).run((context) -> {
			connected(context);
			Failing listener = context.getBean(Failing.class);
			this.server.send("boom");
			this.server.send("after");
			await().atMost(WAIT).until(() -> listener.received.size() == 2);
			assertThat(listener.received).containsExactly("boom", "after");
			assertThat(context.getBean(WebsockexListenerErrors.class).count("feed")).isEqualTo(1);
			assertThat(context.getBean(WebsockexListenerErrors.class).counts()).containsEntry("feed", 1L);
			assertThat(context.getBean(WebsockexClients.class).get("feed").state())
				.isEqualTo(io.websockex.adapter.ConnectionState.CONNECTED);
		});
	}

	@Test
	void aRecordThatCannotBeBoundIsCountedAndDeliveryGoesOn() {
		this.runner.withBean(Channels.class).run((context) -> {
			connected(context);
			Channels listener = context.getBean(Channels.class);
			this.server.send(notification("ticker.X", "{\"instrument\":\"X\",\"price\":\"not a number\"}"));
			this.server.send(notification("ticker.Y", "{\"instrument\":\"Y\",\"price\":1}"));
			await().atMost(WAIT).until(() -> listener.tickers.size() == 1);
			assertThat(listener.tickers).containsExactly(new Ticker("Y", 1));
			assertThat(context.getBean(WebsockexListenerErrors.class).count("feed")).isEqualTo(1);
		});
	}

	@Test
	void listenersKeepReceivingAfterAReconnect() {
		this.runner.withBean(WholeMessages.class).run((context) -> {
			connected(context);
			WholeMessages listener = context.getBean(WholeMessages.class);
			this.server.send("before");
			await().atMost(WAIT).until(() -> listener.strings.size() == 1);
			this.server.drop();
			WebsockexClient client = context.getBean(WebsockexClients.class).get("feed");
			await().atMost(WAIT)
				.until(() -> client.metrics().reconnects() == 1 && this.server.connections() == 2
						&& this.server.openConnections().size() == 1);
			this.server.send("after");
			await().atMost(WAIT).until(() -> listener.strings.size() == 2);
			assertThat(listener.strings).containsExactly("before", "after");
		});
	}

	@Test
	void aListenerThatFellBehindIsSubscribedAgain() {
		this.runner.withPropertyValues("websockex.clients.feed.inbound-buffer=2")
			.withBean(Slow.class)
			.run((context) -> {
				connected(context);
				Slow listener = context.getBean(Slow.class);
				// The first message blocks the listener; the rest overflow its buffer.
				for (int i = 0; i < 600; i++) {
					this.server.send("m" + i);
				}
				WebsockexClient client = context.getBean(WebsockexClients.class).get("feed");
				await().atMost(WAIT).until(() -> client.metrics().inboundOverflows() > 0);
				listener.release.countDown();
				await().atMost(WAIT).until(() -> !listener.received.isEmpty());
				// Messages sent before the listener is subscribed again are missed (and
				// counted): keep sending until one arrives.
				await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
					this.server.send("after");
					return listener.received.contains("after");
				});
			});
	}

	record Ticker(String instrument, double price) {
	}

	static class WholeMessages {

		final List<Object> messages = new CopyOnWriteArrayList<>();

		final List<String> strings = new CopyOnWriteArrayList<>();

		final List<JsonNode> json = new CopyOnWriteArrayList<>();

		final List<byte[]> bytes = new CopyOnWriteArrayList<>();

		@WebsockexListener(client = "feed")
		void onMessage(WebsockexMessage message) {
			this.messages.add(message);
		}

		@WebsockexListener(client = "feed")
		void onText(String text) {
			this.strings.add(text);
		}

		@WebsockexListener(client = "feed")
		void onJson(JsonNode json) {
			this.json.add(json);
		}

		@WebsockexListener(client = "feed")
		void onBinary(byte[] bytes) {
			this.bytes.add(bytes);
		}

	}

	static class Channels {

		final List<Ticker> tickers = new CopyOnWriteArrayList<>();

		final List<JsonNode> books = new CopyOnWriteArrayList<>();

		final List<String> channels = new CopyOnWriteArrayList<>();

		final List<String> trades = new CopyOnWriteArrayList<>();

		@WebsockexListener(client = "feed", channel = "ticker.*")
		void onTicker(Ticker ticker) {
			this.tickers.add(ticker);
		}

		@WebsockexListener(client = "feed", channel = "book.BTC")
		void onBook(JsonNode data) {
			this.books.add(data);
		}

		@WebsockexListener(client = "feed", channel = "ticker.*.raw")
		void onNotification(Platform.Notification notification) {
			this.channels.add(notification.channel());
		}

		@WebsockexListener(client = "feed", channel = "trades.BTC")
		void onTrade(String data) {
			this.trades.add(data);
		}

	}

	static class Failing {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WebsockexListener(client = "feed")
		void onText(String text) {
			this.received.add(text);
			if (text.equals("boom")) {
				throw new IllegalStateException("listener failed on purpose");
			}
		}

	}

	static class Slow {

		final CountDownLatch release = new CountDownLatch(1);

		final List<String> received = new CopyOnWriteArrayList<>();

		@WebsockexListener(client = "feed")
		void onText(String text) throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
			this.received.add(text);
		}

	}

}
