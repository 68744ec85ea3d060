package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

import static org.assertj.core.api.Assertions.assertThat;

class InboundBroadcastTests {

	private final InboundBroadcast broadcast = new InboundBroadcast("t", 16, new ClientCounters());

	@Test
	void aChannelLivesWhileItHasSubscribersAndThenStopsTheParsing() {
		List<JsonNode> received = new CopyOnWriteArrayList<>();
		Disposable first = this.broadcast.channel("x").subscribe();
		Disposable second = this.broadcast.channel("x").subscribe(received::add);
		assertThat(this.broadcast.hasChannelSubscribers()).isTrue();
		first.dispose();
		this.broadcast.emitChannel("x", IntNode.valueOf(1));
		assertThat(received).containsExactly(IntNode.valueOf(1));
		second.dispose();
		assertThat(this.broadcast.hasChannelSubscribers()).isFalse();
		Disposable third = this.broadcast.channel("x").subscribe(received::add);
		this.broadcast.emitChannel("x", IntNode.valueOf(2));
		assertThat(received).containsExactly(IntNode.valueOf(1), IntNode.valueOf(2));
		third.dispose();
	}

	@Test
	void streamsCompleteWhenTheClientClosesAndLaterChannelsAreEmpty() {
		StepVerifier.create(this.broadcast.channel("x"))
			.then(this.broadcast::complete)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(this.broadcast.channel("y")).expectComplete().verify(Duration.ofSeconds(5));
		StepVerifier.create(this.broadcast.messages()).expectComplete().verify(Duration.ofSeconds(5));
	}

}
