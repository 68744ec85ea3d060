package io.websockex.samples.marketfeed;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The market-feed sample: a websockex client (configured in {@code application.yml})
 * connected to a simulated exchange served by this same application, at {@code /sim/ws}.
 * Open {@code http://127.0.0.1:8080/} to watch it.
 */
@SpringBootApplication
@EnableScheduling
public class MarketFeedApplication {

	/**
	 * Run the sample.
	 * @param args command line arguments, e.g. {@code --server.port=9090}
	 */
	public static void main(String[] args) {
		SpringApplication.run(MarketFeedApplication.class, args);
	}

}
