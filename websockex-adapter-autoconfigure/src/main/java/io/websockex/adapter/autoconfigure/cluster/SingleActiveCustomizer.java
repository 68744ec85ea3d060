package io.websockex.adapter.autoconfigure.cluster;

import java.util.Map;
import java.util.function.Supplier;

import io.websockex.adapter.ActivationGate;
import io.websockex.adapter.Config;
import io.websockex.adapter.autoconfigure.WebsockexClientCustomizer;
import io.websockex.adapter.autoconfigure.WebsockexConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Puts the activation gate on the configuration of every client with
 * {@code cluster: single-active}, first among the customizers (a user's may still replace
 * it), or fails naming the property and what to add when there is no gate to put.
 */
final class SingleActiveCustomizer implements WebsockexClientCustomizer, Ordered {

	private final Map<String, ClusterMode> modes;

	private final Supplier<@Nullable ActivationGate> gate;

	private final String missing;

	/**
	 * @param modes each client's mode
	 * @param gate the gate, or {@code null} when none can be made
	 * @param missing what to add when there is none
	 */
	SingleActiveCustomizer(Map<String, ClusterMode> modes, Supplier<@Nullable ActivationGate> gate, String missing) {
		this.modes = modes;
		this.gate = gate;
		this.missing = missing;
	}

	@Override
	public void customize(String name, Config.Builder config) {
		if (this.modes.get(name) != ClusterMode.SINGLE_ACTIVE) {
			return;
		}
		ActivationGate gate = this.gate.get();
		if (gate == null) {
			throw new WebsockexConfigurationException(name, "cluster",
					"is single-active, but there is nothing to elect the active instance with",
					this.missing + ", or set websockex.clients." + name + ".cluster=none.", null);
		}
		config.activationGate(gate);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
