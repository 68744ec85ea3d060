package io.websockex.adapter.autoconfigure.cluster;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each client's cluster mode as configured: its own, else the defaults', else none.
 */
class ClusterModesTests {

	@Test
	void aClientsOwnModeWinsOverTheDefaultsWhichWinOverNone() {
		MockEnvironment environment = new MockEnvironment().withProperty("websockex.defaults.cluster", "single-active")
			.withProperty("websockex.clients.feed.url", "ws://127.0.0.1:9/feed")
			.withProperty("websockex.clients.own.url", "ws://127.0.0.1:9/own")
			.withProperty("websockex.clients.own.cluster", "none");
		assertThat(ClusterModes.of(environment)).containsEntry("feed", ClusterMode.SINGLE_ACTIVE)
			.containsEntry("own", ClusterMode.NONE);
		assertThat(ClusterModes.of(new MockEnvironment().withProperty("websockex.clients.feed.url", "ws://x")))
			.containsEntry("feed", ClusterMode.NONE);
	}

}
