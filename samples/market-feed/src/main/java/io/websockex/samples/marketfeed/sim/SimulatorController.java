package io.websockex.samples.marketfeed.sim;

import java.time.Duration;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;

/**
 * The simulator's controls, for {@code curl} and the page.
 *
 * <pre>
 * curl -X POST http://127.0.0.1:8080/sim/drop
 * curl -X POST 'http://127.0.0.1:8080/sim/stall?seconds=20'
 * curl http://127.0.0.1:8080/sim/status
 * </pre>
 */
@RestController
@RequestMapping("/sim")
class SimulatorController {

	private final SimulatedExchange exchange;

	SimulatorController(SimulatedExchange exchange) {
		this.exchange = exchange;
	}

	@PostMapping("/drop")
	Mono<Map<String, Object>> drop() {
		return this.exchange.drop().map((count) -> Map.of("dropped", count));
	}

	@PostMapping("/stall")
	Mono<Map<String, Object>> stall(@RequestParam(defaultValue = "20") int seconds) {
		if (seconds < 1 || seconds > 600) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "seconds must be between 1 and 600");
		}
		return this.exchange.stall(Duration.ofSeconds(seconds))
			.map((count) -> Map.of("stalled", count, "seconds", seconds));
	}

	@GetMapping("/status")
	Mono<SimulatorStatus> status() {
		return this.exchange.status();
	}

}
