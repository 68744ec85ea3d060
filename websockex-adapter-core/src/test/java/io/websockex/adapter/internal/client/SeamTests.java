package io.websockex.adapter.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.channel.embedded.EmbeddedChannel;
import io.websockex.adapter.Config;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.platform.Platform;
import io.websockex.adapter.platform.Platforms;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seam of a rotation on its own: two sessions deliver the same sequenced channel in
 * any interleaving, and the subscriber gets each number once, in order.
 */
class SeamTests {

	private static final String BOOK = "book.BTC-PERPETUAL.raw";

	private final Session old = session(1);

	private final Session newer = session(2);

	private final List<Long> delivered = new ArrayList<>();

	private final Seam seam = new Seam(this.newer, Platforms.deribit(),
			(notification, message) -> this.delivered.add(notification.data().get("change_id").asLong()), List.of());

	@Test
	void whenTheNewSessionIsAheadTheOldOneIsFollowedUntilItCatchesUp() {
		// The new session's first change is 675 while the old one has delivered 673:
		// 674 must still come from the old one, and nothing twice.
		take(this.old, 673);
		take(this.newer, 675);
		take(this.old, 674);
		take(this.newer, 676);
		take(this.old, 675);
		take(this.old, 676);
		take(this.newer, 677);
		take(this.old, 677);
		assertThat(this.delivered).containsExactly(673L, 674L, 675L, 676L, 677L);
	}

	@Test
	void whenTheNewSessionIsBehindItsCopiesAreDroppedUntilItPassesTheOldOne() {
		take(this.old, 10);
		take(this.old, 11);
		take(this.newer, 9);
		take(this.old, 12);
		take(this.newer, 10);
		take(this.newer, 11);
		take(this.newer, 12);
		take(this.newer, 13);
		take(this.old, 13);
		assertThat(this.delivered).containsExactly(10L, 11L, 12L, 13L);
	}

	@Test
	void whatTheNewSessionHeldBackIsDeliveredWhenTheOldOneIsGone() {
		take(this.old, 5);
		take(this.newer, 7);
		take(this.newer, 8);
		assertThat(this.delivered).containsExactly(5L);
		this.seam.flush();
		assertThat(this.delivered).containsExactly(5L, 7L, 8L);
	}

	@Test
	void theOldSessionMayCloseOnlyOnceEveryExpectedChannelOverlapsOrShowsItHasNoNumbers() {
		Seam seam = new Seam(this.newer, Platforms.deribit(), (notification, message) -> {
		}, List.of(BOOK, "ticker.BTC-PERPETUAL.raw"));
		assertThat(seam.settled()).isFalse();
		seam.take(this.old, new Platform.Notification("ticker.BTC-PERPETUAL.raw",
				JsonMapper.shared().valueToTree(Map.of("last_price", 1))), null);
		assertThat(seam.settled()).isFalse();
		seam.take(this.old, book(41), null);
		seam.take(this.newer, book(42), null);
		assertThat(seam.settled()).isFalse();
		seam.take(this.old, book(42), null);
		assertThat(seam.settled()).isTrue();
	}

	private static Platform.Notification book(long changeId) {
		return new Platform.Notification(BOOK, JsonMapper.shared().valueToTree(Map.of("change_id", changeId)));
	}

	@Test
	void notificationsWithoutASequenceAreLeftToTheUsualDelivery() {
		Platform.Notification ticker = new Platform.Notification("ticker.BTC-PERPETUAL.raw",
				JsonMapper.shared().valueToTree(Map.of("last_price", 1)));
		assertThat(this.seam.take(this.newer, ticker, null)).isFalse();
		assertThat(this.seam.take(this.old, ticker, null)).isFalse();
	}

	private void take(Session from, long changeId) {
		Platform.Notification notification = new Platform.Notification(BOOK,
				JsonMapper.shared().valueToTree(Map.of("change_id", changeId)));
		if (!this.seam.take(from, notification, null)) {
			this.delivered.add(changeId);
		}
	}

	private static Session session(long generation) {
		Config config = Config.builder("ws://127.0.0.1:9/feed").heartbeat(Heartbeat.none()).build();
		RequestSender requests = new RequestSender(
				new RequestCorrelator("feed", config.requestTimeout(), Schedulers.immediate()),
				new JsonRpcCodec(JsonMapper.shared()), null);
		SessionSetup setup = new SessionSetup(config, new ClientCounters(), requests,
				new HeartbeatMonitor("feed", config.heartbeat()), new Subscriptions(config, requests),
				Schedulers.immediate());
		return new Session(generation, Connection.from(new EmbeddedChannel()), (code, reason) -> Mono.empty(), setup);
	}

}
