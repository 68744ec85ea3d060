package io.websockex.adapter;

import reactor.core.publisher.Mono;

/**
 * Decides whether this instance of a service may connect a client: the seam for one live
 * connection per client name across the instances (replicas) of a service. A client whose
 * {@link Config#activationGate()} is set joins the gate when it starts and connects only
 * while the gate has {@linkplain Member#activate() activated} it; the other instances
 * keep the client created, with its subscribers in place, as a standby.
 * <p>
 * The Spring Boot starter provides one built on Spring Integration's leader election
 * ({@code websockex.clients.<name>.cluster=single-active}); with plain Java, implement it
 * over any coordination service:
 *
 * <pre>{@code
 * ActivationGate gate = (client, member) -> {
 *     myElection.onGranted(member::activate);
 *     myElection.onRevoked(() -> member.deactivate().block());  // disconnected before release
 *     myElection.join("websockex:" + client);
 *     return () -> myElection.leave();
 * };
 * WebsockexClient client = WebsockexClient.create("deribit",
 *         Config.builder(url).activationGate(gate).build());
 * client.start();   // joins; connects once activated
 * }</pre>
 *
 * A gate must never let two instances be active at once: it deactivates a member (and
 * waits for the returned {@link Mono}) before it gives up what made it the active one.
 */
@FunctionalInterface
public interface ActivationGate {

	/**
	 * Take part in deciding who is active for a client. Called when the client starts
	 * (again after every {@link WebsockexClient#disconnect()}); must not block.
	 * @param client the client's name
	 * @param member what the gate calls when this instance becomes or stops being the
	 * active one
	 * @return a handle to stop taking part; the client calls it once it has disconnected
	 */
	Registration join(String client, Member member);

	/**
	 * This instance's client, as the gate sees it.
	 */
	interface Member {

		/**
		 * This instance is now the active one: connect (if the client is started).
		 */
		void activate();

		/**
		 * This instance is no longer the active one: disconnect.
		 * @return a {@link Mono} completing once the session is closed; a gate waits for
		 * it before another instance may become active
		 */
		Mono<Void> deactivate();

	}

	/**
	 * A client's part in the gate.
	 */
	@FunctionalInterface
	interface Registration {

		/**
		 * Stop taking part; if this instance was the active one, give it up. Must not
		 * block.
		 */
		void leave();

		/**
		 * Give up being the active one for a while, so that another instance takes over;
		 * the gate deactivates this member first. Does nothing by default.
		 */
		default void yieldActivation() {
		}

	}

}
