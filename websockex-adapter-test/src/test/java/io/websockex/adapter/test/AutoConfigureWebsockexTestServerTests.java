package io.websockex.adapter.test;

import io.websockex.adapter.test.WebsockexTestServer.Platform;
import io.websockex.adapter.test.spring.AutoConfigureWebsockexTestServer;
import io.websockex.adapter.test.spring.AutoConfigureWebsockexTestServer.ServerPlatform;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureWebsockexTestServer} on a Spring Boot test context, without the
 * websockex client: only the properties and the bean are checked here (the client's side
 * is tested in the autoconfigure module).
 */
class AutoConfigureWebsockexTestServerTests {

	@Nested
	@SpringBootTest(classes = Empty.class,
			properties = { "websockex.clients.feed.url=wss://feed.invalid/ws/api/v2?tag=1",
					"websockex.clients.feed.platform=deribit", "websockex.clients.feed.auth.client-id=id",
					"websockex.clients.feed.auth.client-secret=secret",
					"websockex.clients.other.url=ws://elsewhere/x" })
	@AutoConfigureWebsockexTestServer
	class EveryClient {

		@Autowired
		WebsockexTestServer server;

		@Autowired
		Environment environment;

		@Test
		void pointsEveryClientAtTheServerKeepingPathAndQuery() {
			assertThat(this.environment.getProperty("websockex.clients.feed.url"))
				.isEqualTo(this.server.url("/ws/api/v2?tag=1"));
			assertThat(this.environment.getProperty("websockex.clients.other.url")).isEqualTo(this.server.url("/x"));
		}

		@Test
		void takesThePlatformAndCredentialsFromTheClientsConfiguration() {
			assertThat(this.server.platform()).isEqualTo(Platform.DERIBIT);
			try (RawClient client = RawClient.connect(this.server)) {
				client.request(1, "public/auth",
						"{\"grant_type\":\"client_credentials\",\"client_id\":\"id\",\"client_secret\":\"wrong\"}");
				assertThat(client.nextJson().get("error").get("code").asInt()).isEqualTo(13004);
				client.request(2, "public/auth",
						"{\"grant_type\":\"client_credentials\",\"client_id\":\"id\",\"client_secret\":\"secret\"}");
				assertThat(client.nextJson().has("result")).isTrue();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = Empty.class,
			properties = { "websockex.clients.feed.url=ws://feed.invalid/ws",
					"websockex.clients.other.url=ws://elsewhere/x" })
	@AutoConfigureWebsockexTestServer(clients = "feed", platform = ServerPlatform.RAW)
	class NamedClients {

		@Autowired
		WebsockexTestServer server;

		@Autowired
		Environment environment;

		@Test
		void pointsOnlyTheNamedClientsAtTheServer() {
			assertThat(this.environment.getProperty("websockex.clients.feed.url")).isEqualTo(this.server.url("/ws"));
			assertThat(this.environment.getProperty("websockex.clients.other.url")).isEqualTo("ws://elsewhere/x");
			assertThat(this.server.platform()).isEqualTo(Platform.RAW);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
