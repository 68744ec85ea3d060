package io.websockex.adapter.internal.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A URL whose host is an IP literal connects without building a DNS resolver; a host name
 * keeps Reactor Netty's own resolver; both connect, as do IPv6 literals.
 */
class IpLiteralResolverTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	@Test
	void ipv4AndIpv6LiteralsAreLiteralsAndHostNamesAreNot() {
		assertThat(IpLiteralResolver.isIpLiteral("127.0.0.1")).isTrue();
		assertThat(IpLiteralResolver.isIpLiteral("[::1]")).isTrue();
		assertThat(IpLiteralResolver.isIpLiteral("[2001:db8::8:800:200c:417a]")).isTrue();
		assertThat(IpLiteralResolver.isIpLiteral("localhost")).isFalse();
		assertThat(IpLiteralResolver.isIpLiteral("test.deribit.com")).isFalse();
		assertThat(IpLiteralResolver.isIpLiteral("127.0.0")).isFalse();
		assertThat(IpLiteralResolver.isIpLiteral("1.2.3.4.example")).isFalse();
		assertThat(IpLiteralResolver.isIpLiteral("[::1")).isFalse();
		assertThat(IpLiteralResolver.isIpLiteral("")).isFalse();
		assertThat(IpLiteralResolver.isIpLiteral(null)).isFalse();
	}

	@Test
	void anIpLiteralUrlGetsTheNoOpResolverAndAHostNameKeepsTheDefault() {
		HttpClient literal = Transport.baseHttpClient(Config.builder("ws://127.0.0.1:9/").build());
		HttpClient ipv6 = Transport.baseHttpClient(Config.builder("wss://[::1]:9/").build());
		HttpClient name = Transport.baseHttpClient(Config.builder("ws://localhost:9/").build());
		assertThat(literal.configuration().resolver()).isSameAs(NoopAddressResolverGroup.INSTANCE);
		assertThat(ipv6.configuration().resolver()).isSameAs(NoopAddressResolverGroup.INSTANCE);
		// null: Reactor Netty's default, non-blocking DNS resolver.
		assertThat(name.configuration().resolver()).isNull();
	}

	@Test
	void theUsersCustomizerRunsAfterAndHasTheLastWord() {
		// The transport applies the user's customizer to the base client.
		UnaryOperator<HttpClient> own = (client) -> client.resolver(DefaultAddressResolverGroup.INSTANCE);
		HttpClient customized = own.apply(Transport.baseHttpClient(Config.builder("ws://127.0.0.1:9/").build()));
		assertThat(customized.configuration().resolver()).isSameAs(DefaultAddressResolverGroup.INSTANCE);
	}

	@Test
	void clientsToIpLiteralsShareOneBaseClient() {
		// Idle heap per client: no HttpClient copy per client for the resolver.
		assertThat(Transport.baseHttpClient(Config.builder("ws://127.0.0.1:9/").build()))
			.isSameAs(Transport.baseHttpClient(Config.builder("ws://127.0.0.2:10/").build()));
	}

	@Test
	void aClientToAnIpLiteralConnectsAndReceives() {
		String url = this.live.server().url();
		assertThat(URI.create(url).getHost()).isEqualTo("127.0.0.1");
		assertReceives(url);
	}

	@Test
	void aClientToLocalhostStillResolvesItsHostNameAndReceives() {
		assertReceives(this.live.server().url().replace("127.0.0.1", "localhost"));
	}

	@Test
	void aClientToAnIpv6LiteralConnectsAndReceives() {
		DisposableServer server;
		try {
			server = HttpServer.create()
				.host("::1")
				.port(0)
				.handle((request, response) -> response
					.sendWebsocket((in, out) -> out.sendString(Mono.just("hello")).then(in.receive().then())))
				.bindNow(WAIT);
		}
		catch (RuntimeException ex) {
			assumeThat(ex).as("IPv6 loopback (::1) available").isNull();
			return;
		}
		try {
			WebsockexClient client = this.live
				.track(WebsockexClient.create("ipv6", Config.builder("ws://[::1]:" + server.port() + "/").build()));
			List<String> received = new CopyOnWriteArrayList<>();
			client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
			client.start();
			await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactly("hello"));
		}
		finally {
			server.disposeNow(WAIT);
		}
	}

	private void assertReceives(String url) {
		this.live.server().onConnectSend("hello");
		WebsockexClient client = this.live.track(WebsockexClient.create("literal", Config.builder(url).build()));
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
		client.start();
		await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactly("hello"));
	}

}
