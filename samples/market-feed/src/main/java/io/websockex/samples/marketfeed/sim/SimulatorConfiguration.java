package io.websockex.samples.marketfeed.sim;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * Serves the simulated exchange at {@code /sim/ws} on the application's own port.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

	@Bean
	SimulatedExchange simulatedExchange(JsonMapper mapper, SimulatorProperties properties) {
		return new SimulatedExchange(mapper, properties);
	}

	@Bean
	HandlerMapping simulatorWebSocketMapping(SimulatedExchange exchange) {
		// Ahead of the annotated controllers' mapping (order 0).
		return new SimpleUrlHandlerMapping(Map.of("/sim/ws", exchange), -1);
	}

}
